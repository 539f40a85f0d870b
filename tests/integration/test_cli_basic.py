"""The foundation's CLI commands: tables for people, JSON for machines, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import corridor
import corridor.data
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture
def toy_file(tmp_path: Path, toy: corridor.Network) -> Path:
    return corridor.write_network(toy, tmp_path / "toy.gpkg")


def test_route_json(toy_file: Path) -> None:
    res = runner.invoke(
        app, ["route", "A", "D", "--network", str(toy_file), "--mode", "road", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["totals"]["length_km"] == pytest.approx(353.0)
    assert data["totals"]["time_h"] == pytest.approx(1.2 + 233 / 80, rel=1e-4)
    assert [leg["ref"] for leg in data["legs"]] == ["M1", "R2"]
    assert data["geometry"]["type"] == "LineString"


def test_route_table(toy_file: Path) -> None:
    res = runner.invoke(
        app, ["route", "alpha", "delta", "--network", str(toy_file), "--optimize", "distance"]
    )
    assert res.exit_code == 0, res.output
    assert "total" in res.stdout and "Alpha motorway" in res.stdout


def test_unknown_place_exit_2_one_line(toy_file: Path) -> None:
    res = runner.invoke(app, ["route", "A", "Zzz", "--network", str(toy_file)])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["route", "A", "Zzz", "--network", str(toy_file), "--json"])
    assert res.exit_code == 2
    assert "not in the network" in json.loads(res.stdout)["error"]


def test_bad_network_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gpkg"
    bad.write_text("nonsense")
    res = runner.invoke(app, ["info", "--network", str(bad), "--json"])
    assert res.exit_code == 2
    assert "not a GeoPackage" in json.loads(res.stdout)["error"]


def test_info_json(toy_file: Path) -> None:
    res = runner.invoke(app, ["info", "--network", str(toy_file), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["nodes"] == 5 and data["links_by_mode"] == {"road": 4, "rail": 2}
    net = corridor.read_network(toy_file)
    assert data["border_crossings"] == int((net.nodes["kind"] == "border_crossing").sum())
    assert data["crossing_rows"] == len(net.crossings)
    assert data["turn_restrictions"] == len(net.turns)


def test_info_counts_the_embedded_network() -> None:
    res = runner.invoke(app, ["info", "--json"])
    data = json.loads(res.stdout)
    net = corridor.eurasia()
    recipe = yaml.safe_load((corridor.data.RECIPE_DIR / "crossings.yaml").read_text())
    shipped = len(recipe["crossings"])  # one node per crossing of the recipe (40 in 2026)
    land = net.crossings[net.crossings["mode"] != "air"]
    assert data["border_crossings"] == shipped == land["node_id"].nunique()
    # airports' passport controls are crossing nodes too, counted apart
    air = net.crossings[net.crossings["mode"] == "air"]
    assert data["airport_passport_controls"] == air["node_id"].nunique() > 10
    assert data["airports"] >= 30
    assert data["turn_restrictions"] == len(net.turns) > 4000


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == f"corridor {corridor.__version__}"
