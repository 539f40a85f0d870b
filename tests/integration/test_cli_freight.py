"""`corridor freight` and `corridor freight calibrate` on the embedded network (--json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
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


def test_freight_bad_demand_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "demand.yaml"
    bad.write_text(
        "years:\n  2024:\n    - {origin: CN, destination: EU, commodity: coal, tonnes_year: 5,"
        " origin_proxy: pop_m, destination_proxy: nope, source: x}\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["freight", "--demand", str(bad), "--json"])
    assert res.exit_code == 2
    err = json.dumps(json.loads(res.stdout))
    assert "demand lane 1 (CN->EU, coal)" in err and "unknown proxy 'nope'" in err
    res = runner.invoke(app, ["freight", "--demand", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "cannot read" in res.output and "Traceback" not in res.output


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


def test_own_demand_file_through_the_api(tmp_path: Path) -> None:
    import corridor

    path = tmp_path / "demand.yaml"
    path.write_text(
        "years:\n  2030:\n"
        "    - {origin: KZ, destination: CN, commodity: ores_metals, tonnes_year: 1.0e+6,"
        " origin_proxy: ores, destination_proxy: ores, source: test}\n",
        encoding="utf-8",
    )
    flows = corridor.freight_flows(
        corridor.eurasia(), year=2030, inputs=corridor.FreightInputs(demand=path)
    )
    od = flows.od
    assert od["tonnes_year"].sum() == pytest.approx(1.0e6, rel=1e-12)
    assert set(od["origin_zone"]) == {"kz"} and set(od["commodity"]) == {"ores_metals"}
    # the ore shares of zones.yaml spread the lane over the Chinese zones
    by_zone = od.groupby("destination_zone")["tonnes_year"].sum()
    assert by_zone["cn_north"] == pytest.approx(0.35e6, rel=1e-9)
    assert (od["teu_year"] == 0).all()  # bulk is not counted in TEU
    rail = od["mode"] == "rail_wagon"
    np.testing.assert_allclose(
        od.loc[rail, "vehicles_year"].to_numpy() * 4000, od.loc[rail, "tonnes_year"].to_numpy()
    )


def test_freight_out_writes_the_od_table(tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "od.csv"
    res = runner.invoke(app, ["freight", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    table = pd.read_csv(out)
    assert table["tonnes_year"].sum() == pytest.approx(data["tonnes_year"], rel=1e-9)
    assert {"origin_zone", "destination_zone", "commodity", "mode", "teu_year"} <= set(table)
    again = runner.invoke(app, ["freight", "--out", str(out)])  # our own output: replaced
    assert again.exit_code == 0, again.output
    other = tmp_path / "notes.txt"
    other.write_text("mine", encoding="utf-8")
    refused = runner.invoke(app, ["freight", "--out", str(other)])
    assert refused.exit_code == 2 and other.read_text(encoding="utf-8") == "mine"
