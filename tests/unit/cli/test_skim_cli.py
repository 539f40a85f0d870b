"""CLI: corridor skim / isochrone / accessibility on the toy network (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture
def toy_file(tmp_path: Path) -> Path:
    return corridor.write_network(corridor.examples.toy(), tmp_path / "toy.gpkg")


def test_skim_json_and_omx(toy_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.omx"
    res = runner.invoke(
        app,
        [
            "skim",
            "A",
            "B",
            "--to",
            "D,E",
            "--mode",
            "road",
            "-n",
            str(toy_file),
            "--out",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [o["name"] for o in data["origins"]] == ["A", "B"]
    assert data["matrices"]["length_km"] == [[353.0, 305.0], [233.0, 185.0]]
    back = corridor.read_skim(out)
    np.testing.assert_allclose(back.values, np.array(data["matrices"]["time_h"]))


def test_skim_table_csv_and_unreachable(toy_file: Path, tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        [
            "skim",
            "B",
            "--to",
            "D",
            "--mode",
            "rail",
            "--cost",
            "distance",
            "-n",
            str(toy_file),
            "--out",
            str(tmp_path / "m.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "length_km" in res.output and "-" in res.output  # B has no rail: unreachable
    text = (tmp_path / "m.csv").read_text()
    assert text.splitlines()[0] == "origin,destination,origin_name,destination_name,length_km"
    assert text.splitlines()[1] == "2,4,B,D,inf"


def test_skim_bad_input_exits_2(toy_file: Path) -> None:
    res = runner.invoke(app, ["skim", "Atlantis", "-n", str(toy_file), "--json"])
    assert res.exit_code == 2
    assert "Atlantis" in json.loads(res.output)["error"]
    res = runner.invoke(app, ["skim", "A", "--sum", "nope", "-n", str(toy_file)])
    assert res.exit_code == 2


def test_isochrone_map_and_json(toy_file: Path, tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    res = runner.invoke(
        app,
        ["isochrone", "A", "--hours", "2,5", "-n", str(toy_file), "--out", str(page), "--json"],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [b["nodes"] for b in data["bands"]] == [2, 5]
    html = page.read_text()
    assert "<svg" in html and "https://" not in html
    res = runner.invoke(app, ["isochrone", "A", "--hours", "0", "-n", str(toy_file)])
    assert res.exit_code == 2


def test_accessibility_json(toy_file: Path) -> None:
    res = runner.invoke(
        app, ["accessibility", "A", "--hours", "2", "--beta", "0", "-n", str(toy_file), "--json"]
    )
    assert res.exit_code == 0, res.output
    row = json.loads(res.output)["rows"][0]
    assert row["pop_within_2h"] == 1_200_000.0
    assert row["accessibility"] == 1_700_000.0


def test_profile_skim_json_names_its_definition_and_matches_routes(toy_file: Path) -> None:
    res = runner.invoke(
        app, ["skim", "A", "B", "--to", "D", "--profile", "truck40", "-n", str(toy_file), "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    net = corridor.read_network(toy_file)
    for i, o in enumerate(("A", "B")):
        r = corridor.route(net, o, "D", profile="truck40")
        assert data["matrices"]["time_h"][i][0] == pytest.approx(r.time_h)
        assert data["matrices"]["overnight_h"][i][0] == pytest.approx(r.overnight_h)
    assert data["time_definition"] == r.time_definition
    plain = json.loads(
        runner.invoke(app, ["skim", "A", "--to", "D", "-n", str(toy_file), "--json"]).stdout
    )
    assert plain["time_definition"].startswith("free-flow link time")
    bad = runner.invoke(app, ["skim", "A", "--profile", "nope", "-n", str(toy_file), "--json"])
    assert bad.exit_code == 2
    assert "unknown profile" in bad.stdout
