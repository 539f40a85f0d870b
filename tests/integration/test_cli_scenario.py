"""`corridor scenario`: list, show, compare with a report, and failures that write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture
def toy_file(tmp_path: Path, toy: corridor.Network) -> Path:
    return corridor.write_network(toy, tmp_path / "toy.gpkg")


def _scenario(tmp_path: Path, name: str, edits: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\ndescription: test\nbase: toy\nedits:\n{edits}")
    return path


def test_list_json() -> None:
    res = runner.invoke(app, ["scenario", "list", "--json"])
    assert res.exit_code == 0, res.output
    names = {s["name"] for s in json.loads(res.stdout)["scenarios"]}
    assert {"m12-before", "m12-east", "alashankou-closed", "manzhouli-congestion"} <= names


def test_compare_writes_report_and_json(tmp_path: Path, toy_file: Path) -> None:
    base = _scenario(tmp_path, "base", "  - as_of: 2024-01-01\n")
    fast = _scenario(tmp_path, "fast", "  - set_links: {links: {ref: R2}, speed_kmh: 130}\n")
    out = tmp_path / "report"
    res = runner.invoke(
        app,
        [
            "scenario",
            "compare",
            str(base),
            str(fast),
            "--network",
            str(toy_file),
            "--places",
            "A,B,D",
            "--profiles",
            "car",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["report"] == str(out / "report.html")
    assert (out / "report.html").stat().st_size > 1000
    assert (out / "od.csv").exists() and (out / "accessibility.parquet").exists()
    assert data["by_country"]


def test_failure_leaves_an_earlier_report_intact(tmp_path: Path, toy_file: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("earlier report")
    (out / "od.csv").write_text("profile\n")  # with report.html: a report from before markers
    bad = _scenario(tmp_path, "bad", "  - close_links: {links: {link_ids: [4242]}}\n")
    good = _scenario(tmp_path, "good", "  - as_of: 2024-01-01\n")
    res = runner.invoke(
        app,
        ["scenario", "compare", str(good), str(bad), "--network", str(toy_file), "--out", str(out)],
    )
    assert res.exit_code == 2
    assert "4242" in res.output and "bad.yaml:5" in res.output
    assert (out / "report.html").read_text() == "earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.yaml",
        "good.yaml",
        "report",
        "toy.gpkg",
    ]


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ("  - add_route: {places: [A, Atlantis], mode: road, speed_kmh: 90}\n", "Atlantis"),
        ("  - as_of: 2024-02-31\n", "as_of"),
        ("  - as_of: [\n", "invalid YAML"),
    ],
)
def test_bad_scenario_files(tmp_path: Path, toy_file: Path, edits: str, expected: str) -> None:
    bad = _scenario(tmp_path, "bad", edits)
    res = runner.invoke(app, ["scenario", "show", str(bad), "--network", str(toy_file), "--json"])
    assert res.exit_code == 2
    assert expected in json.loads(res.stdout)["error"]


def test_m12_east_speeds_up_moscow_yekaterinburg() -> None:
    """The main job on the embedded network: the M-12 east section saves road time."""
    res = runner.invoke(
        app,
        [
            "scenario",
            "compare",
            "m12-before",
            "m12-east",
            "--places",
            "Moscow,Kazan,Yekaterinburg",
            "--profiles",
            "car,truck40",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = {
        (r["profile"], r["origin"], r["destination"]): r for r in json.loads(res.stdout)["headline"]
    }
    for profile in ("car", "truck40"):
        row = rows[(profile, "Moscow", "Yekaterinburg")]
        assert row["time_h_after"] < row["time_h_before"] - 1.0
        assert row["route_after"].startswith("after/")
