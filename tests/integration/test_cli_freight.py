"""`corridor freight` and `corridor freight calibrate` on the embedded network (--json)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corridor.analysis.freight.demand import load_lanes
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def flows_json() -> dict[str, object]:
    res = runner.invoke(app, ["freight", "--json"])
    assert res.exit_code == 0, res.output
    data: dict[str, object] = json.loads(res.stdout)
    return data


def test_freight_json_keeps_the_demand(flows_json: dict[str, object]) -> None:
    lanes = load_lanes(2024)
    by_commodity: dict[str, float] = {}
    for ln in lanes:
        by_commodity[ln.commodity] = by_commodity.get(ln.commodity, 0.0) + ln.tonnes_year
    table = flows_json["by_commodity_mode"]
    assert isinstance(table, dict)
    for cid, tonnes in by_commodity.items():  # every zone pair can be joined by some mode
        assert table[cid]["total"] == pytest.approx(tonnes, rel=1e-9)
    assert flows_json["tonnes_year"] == pytest.approx(sum(by_commodity.values()), rel=1e-9)
    modes = flows_json["by_mode"]
    assert isinstance(modes, dict) and set(modes) <= {"road", "rail_container", "rail_wagon", "sea"}
    assert modes["sea"]["vehicles_year"] is None  # ships are not network vehicles
    crossings = flows_json["by_crossing"]
    assert isinstance(crossings, list) and crossings
    assert {"crossing", "countries", "mode", "tonnes_year"} <= set(crossings[0])


def test_freight_bad_year_is_one_line() -> None:
    res = runner.invoke(app, ["freight", "--year", "1999"])
    assert res.exit_code == 2
    assert "no demand for year 1999" in res.output
    assert "Traceback" not in res.output


def test_freight_unknown_scenario_json_error() -> None:
    res = runner.invoke(app, ["freight", "--scenario", "no-such-scenario", "--json"])
    assert res.exit_code == 2
    err = json.loads(res.stdout)
    assert "no-such-scenario" in json.dumps(err)


def test_freight_scenario_changes_crossing_loads(flows_json: dict[str, object]) -> None:
    res = runner.invoke(app, ["freight", "--scenario", "alashankou-closed", "--json"])
    assert res.exit_code == 0, res.output
    after = json.loads(res.stdout)
    assert after["scenario"] == "alashankou-closed"
    assert after["tonnes_year"] == pytest.approx(flows_json["tonnes_year"], rel=1e-9)

    def load(data: dict[str, object], name: str) -> float:
        rows = data["by_crossing"]
        assert isinstance(rows, list)
        return sum(r["tonnes_year"] for r in rows if r["crossing"] == name)

    assert load(flows_json, "Dostyk – Alashankou") > 0
    assert load(after, "Dostyk – Alashankou") == 0


def test_calibrate_json_reports_fit_and_out_of_sample() -> None:
    res = runner.invoke(app, ["freight", "calibrate", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    roles = {t["role"] for t in data["targets"]}
    assert roles == {"fit", "check"}
    assert data["saved_to"] is None and data["converged"]
    years = {t["year"] for t in data["targets"]}
    assert years == {2023, 2024}  # 2023: an out-of-sample year, never fitted
    assert all(t["role"] == "check" for t in data["targets"] if t["year"] == 2023)
    for t in data["targets"]:
        assert t["source"] and t["observed"] > 0
        assert t["within"] == (abs(t["error_pct"]) <= t["tolerance_pct"])
