"""`corridor data build` regenerates the shipped files byte for byte; CLI commands work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
import corridor.data
from corridor.cli.app import app
from corridor.report import palette

runner = CliRunner()
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
BORDERS = SHARED / "natural_earth" / "ne_10m_admin_0_boundary_lines_land.zip"
A3 = {
    "RU": "RUS", "CN": "CHN", "KZ": "KAZ", "MN": "MNG", "BY": "BLR",
    "PL": "POL", "DE": "DEU", "LA": "LAO", "VN": "VNM", "KP": "PRK",
}  # fmt: skip


def test_build_is_byte_for_byte(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "build", "--out", str(tmp_path / "net"), "--json"])
    assert result.exit_code == 0, result.output
    shipped = sorted(corridor.data.EMBEDDED_DIR.iterdir())
    built = sorted((tmp_path / "net").iterdir())
    assert [p.name for p in shipped] == [p.name for p in built]
    for a, b in zip(shipped, built, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_check_command_passes() -> None:
    result = runner.invoke(app, ["data", "check", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["errors"] == 0
    names = {c["name"] for c in doc["checks"]}
    assert "length Trans-Siberian Moscow - Vladivostok" in names


def test_build_reports_bad_recipe(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    for f in corridor.data.RECIPE_DIR.iterdir():
        (recipe / f.name).write_bytes(f.read_bytes())
    text = (recipe / "routes.yaml").read_text()
    (recipe / "routes.yaml").write_text(text.replace("Kazan/RU@811]", "Kazzan/RU@811]", 1))
    out = tmp_path / "out"
    result = runner.invoke(app, ["data", "build", "--recipe", str(recipe), "--out", str(out)])
    assert result.exit_code == 2
    assert "unknown place 'Kazzan/RU'" in result.output
    assert not out.exists()


def test_info_and_default_network_is_eurasia() -> None:
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["name"] == "eurasia" and doc["links"] > 800
    assert doc["nodes_by_kind"]["border_crossing"] >= 30


def test_map_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["map", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text
    assert text.count(f'fill="{palette.STOP_COLOURS["border_crossing"]}"') >= 30  # crossings
    rail, road = palette.MODE_COLOURS["rail"], palette.MODE_COLOURS["road"]
    assert f'stroke="{rail}"' in text and f'stroke="{road}"' in text  # the one palette


@pytest.mark.skipif(not BORDERS.exists(), reason=f"Natural Earth borders absent: {BORDERS}")
def test_crossings_lie_on_their_border() -> None:
    import geopandas as gpd
    import shapely

    lines = gpd.read_file(BORDERS)
    net = corridor.eurasia()
    # land crossings only: an airport's passport control sits at its airport, far from
    # any border (its crossings rows are of mode air only)
    air = set(net.crossings.loc[net.crossings["mode"] == "air", "node_id"])
    nodes = net.nodes[(net.nodes["kind"] == "border_crossing") & ~net.nodes["node_id"].isin(air)]
    far = []
    for row in nodes.itertuples(index=False):
        pair = {A3[row.country_a], A3[row.country_b]}
        sides = zip(lines["ADM0_A3_L"], lines["ADM0_A3_R"], strict=True)
        sel = lines[[{left, right} == pair for left, right in sides]]
        assert len(sel), f"no Natural Earth border between {pair}"
        border = shapely.union_all(sel.geometry.to_numpy())
        point = shapely.Point(row.lon, row.lat)
        near = shapely.ops.nearest_points(border, point)[0]
        km = corridor.units.haversine_km(row.lon, row.lat, near.x, near.y)
        if km > 30.0:
            far.append((row.name, round(float(km), 1)))
    assert far == []


@pytest.mark.parametrize(
    ("origin", "destination", "mode", "low_km", "high_km"),
    [
        ("Moscow", "Yekaterinburg", "road", 1650, 1900),
        ("Chongqing", "Duisburg", "rail", 10000, 12500),
        ("Kunming", "Vientiane", "rail", 1000, 1100),
    ],
)
def test_sample_routes_are_plausible(
    origin: str, destination: str, mode: str, low_km: float, high_km: float
) -> None:
    result = runner.invoke(app, ["route", origin, destination, "--mode", mode, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert low_km <= doc["totals"]["length_km"] <= high_km


def test_build_names_old_crossing_delay_keys(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    for f in corridor.data.RECIPE_DIR.iterdir():
        (recipe / f.name).write_bytes(f.read_bytes())
    text = (recipe / "crossings.yaml").read_text()
    old = "    rail: {use: ru_mn_rail, gauge_a_mm: 1520, gauge_b_mm: 1520}"
    assert old in text
    (recipe / "crossings.yaml").write_text(text.replace(old, old[:-1] + ", delay_h: 5.0}", 1))
    out = tmp_path / "out"
    result = runner.invoke(app, ["data", "build", "--recipe", str(recipe), "--out", str(out)])
    assert result.exit_code == 2
    assert "delay_p50_h" in result.output and "naushki-sukhbaatar" in result.output
    assert not out.exists()
