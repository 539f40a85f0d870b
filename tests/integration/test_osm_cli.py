"""`corridor import osm` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

pytest.importorskip("osmium", reason="pyosmium is needed for the OSM import")

NODES = {1: (10.0, 0.0), 2: (10.001, 0.0), 3: (10.002, 0.0), 4: (10.002, 0.001)}


def small_osm(path: Path) -> Path:
    rows = ['<?xml version="1.0"?>', '<osm version="0.6">']
    rows += [f'<node id="{i}" version="1" lat="{y}" lon="{x}"/>' for i, (x, y) in NODES.items()]
    rows.append(
        '<way id="7" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>'
        '<tag k="highway" v="primary"/><tag k="ref" v="E1"/></way>'
    )
    rows.append(
        '<way id="8" version="1"><nd ref="3"/><nd ref="4"/><tag k="railway" v="rail"/></way>'
    )
    rows.append("</osm>")
    path.write_text("\n".join(rows))
    return path


def test_import_osm_writes_a_network(tmp_path: Path) -> None:
    src = small_osm(tmp_path / "small.osm")
    out = tmp_path / "net.gpkg"
    result = CliRunner().invoke(
        app, ["import", "osm", str(src), "--out", str(out), "--country", "FI", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["links_by_mode"] == {"road": 1, "rail": 1}
    net = corridor.read_network(out)
    assert set(net.links["ref"]) == {"E1", ""}


def test_import_osm_bad_input_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"\x00\x01garbage" * 50)
    out = tmp_path / "net.gpkg"
    result = CliRunner().invoke(app, ["import", "osm", str(bad), "--out", str(out), "--json"])
    assert result.exit_code == 2
    assert "bad.osm.pbf" in json.loads(result.stdout)["error"]
    assert not out.exists()
    src = small_osm(tmp_path / "small.osm")
    result = CliRunner().invoke(
        app, ["import", "osm", str(src), "--out", str(out), "--bbox", "1,2,3", "--json"]
    )
    assert result.exit_code == 2
    assert "--bbox" in json.loads(result.stdout)["error"]


def test_street_scale_route_prints_decimals_and_minutes(tmp_path: Path) -> None:
    out = tmp_path / "net.gpkg"
    runner = CliRunner()
    imported = runner.invoke(
        app, ["import", "osm", str(small_osm(tmp_path / "s.osm")), "--out", str(out)]
    )
    assert imported.exit_code == 0, imported.output
    net = corridor.read_network(out)
    road = net.links[net.links["mode"] == "road"].iloc[0]
    a, b = str(int(road["a_node"])), str(int(road["b_node"]))
    plain = runner.invoke(app, ["route", a, b, "--network", str(out)], env={"COLUMNS": "200"})
    assert plain.exit_code == 0, plain.output
    total = next(line for line in plain.output.splitlines() if "total" in line)
    km = f"{road['length_km']:.2f}"  # about 0.22 km: two decimals, not a bare 0
    assert km in total and km != "0.00"
    car = runner.invoke(
        app, ["route", a, b, "--network", str(out), "--profile", "car"], env={"COLUMNS": "200"}
    )
    assert car.exit_code == 0, car.output
    assert " min, $" in car.output and " kg CO2" in car.output
