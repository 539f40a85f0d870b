"""`corridor export` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app


def test_export_network_and_route(toy: corridor.Network, tmp_path: Path) -> None:
    src = corridor.write_network(toy, tmp_path / "toy.gpkg")
    out = tmp_path / "toy.geojson"
    result = CliRunner().invoke(app, ["export", str(src), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kind"] == "Network"
    assert len(json.loads(out.read_text())["features"]) == len(toy.nodes) + len(toy.links)
    route = tmp_path / "route.geojson"
    args = ["export", str(src), "--route", "A", "D", "--mode", "road", "--out", str(route)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    features = json.loads(route.read_text())["features"]
    assert features[0]["properties"]["kind"] == "route"
    assert [f["properties"]["kind"] for f in features[1:]] == ["leg", "leg"]


def test_export_matrices_and_bad_input(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text("origin,destination,time_h\n1,1,0\n1,2,2.5\n2,1,3\n2,2,0\n")
    out = tmp_path / "m.parquet"
    result = CliRunner().invoke(app, ["export", str(csv), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    from corridor.export.omx import read_matrices

    assert read_matrices(out).matrices["time_h"][0, 1] == 2.5
    bad = CliRunner().invoke(app, ["export", str(csv), "--route", "A", "B", "--json"])
    assert bad.exit_code == 2
    assert "needs a network" in json.loads(bad.stdout)["error"]
    missing = CliRunner().invoke(
        app, ["export", str(tmp_path / "none.gpkg"), "--out", str(tmp_path / "x.geojson")]
    )
    assert missing.exit_code == 2
    assert not (tmp_path / "x.geojson").exists()


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet"])
def test_route_with_a_profile_exports_as_gis_layers(tmp_path: Path, suffix: str) -> None:
    import geopandas as gpd

    out = tmp_path / f"route{suffix}"
    args = ["export", "--route", "Novosibirsk", "Harbin", "--profile", "truck40", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    expected = corridor.route(corridor.eurasia(), "Novosibirsk", "Harbin", profile="truck40")
    legs = gpd.read_file(out, layer="legs") if suffix == ".gpkg" else gpd.read_parquet(out)
    assert legs.crs.to_epsg() == 4326
    assert legs["length_km"].sum() == pytest.approx(expected.length_km, abs=0.01)
    leg_cost = sum(leg.cost_usd for leg in expected.legs)
    assert legs["cost_usd"].sum() == pytest.approx(leg_cost, abs=0.05)
    if suffix == ".gpkg":
        stops = gpd.read_file(out, layer="stops")
        # legs and stops together are the route's whole money cost
        total = legs["cost_usd"].sum() + stops["cost_usd"].sum()
        assert total == pytest.approx(expected.cost_usd, abs=0.05)
        assert "Zabaikalsk – Manzhouli" in set(stops["name"])
        crossing = stops[stops["kind"] == "border_crossing"].geometry.iloc[0]
        node = corridor.eurasia().nodes.set_index("name").loc["Zabaikalsk – Manzhouli"]
        assert (crossing.x, crossing.y) == pytest.approx((node["lon"], node["lat"]))
