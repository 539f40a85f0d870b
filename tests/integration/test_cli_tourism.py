"""`corridor tourism` and `corridor tourism calibrate` on the embedded network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def calibration() -> dict:
    res = runner.invoke(app, ["tourism", "calibrate", "--json"])
    assert res.exit_code == 0, res.stdout
    return json.loads(res.stdout)


def test_calibrate_reproduces_its_targets(calibration) -> None:
    fitted = [t for t in calibration["targets"] if t["fit"]]
    assert calibration["within"] == calibration["fitted_targets"] == len(fitted) >= 6
    for t in fitted:
        assert abs(t["model"] / t["published"] - 1) <= t["tolerance"], t["id"]
        assert t["source"]
    # the out-of-sample checks are reported with their error, whatever it is
    oos = [t for t in calibration["targets"] if not t["fit"]]
    assert {t["year"] for t in oos} >= {2019, 2025}
    assert all(t["error"] == pytest.approx(t["model"] / t["published"] - 1) for t in oos)


def test_shipped_fit_meets_the_targets_on_the_embedded_network(calibration) -> None:
    """The parameters that ship reproduce their year's targets (a recalibration after a
    network change moves them by little: the calibrated values are close)."""
    import datetime as dt

    from corridor.analysis.tourism.calibration import evaluate_targets
    from corridor.analysis.tourism.service import level_of_service

    shipped = corridor.load_tourism_fitted()
    params = corridor.load_tourism_params()
    assert shipped.year == calibration["year"] == 2024
    fit = [t for t in params.targets if t.fit]
    net = corridor.eurasia()
    days: set[dt.date] = {t.on for t in fit}
    los = {d: level_of_service(net.as_of(str(d)), params) for d in days}
    table = evaluate_targets(los, params, shipped.vector(), fit)
    assert table["within"].all(), table[["id", "error"]]
    for name, value in calibration["parameters"].items():
        assert shipped.values[name] == pytest.approx(value, abs=0.5), name


def test_tourism_json_tables_add_up() -> None:
    res = runner.invoke(app, ["tourism", "--json", "--top", "5"])
    assert res.exit_code == 0, res.stdout
    data = json.loads(res.stdout)
    total = sum(r["visits_year"] for r in data["by_direction"])
    assert total == pytest.approx(data["summary"]["visits_year"], rel=1e-9)
    assert sum(r["visits_year"] for r in data["by_purpose"]) == pytest.approx(total, rel=1e-9)
    assert sum(r["visits_year"] for r in data["by_mode"]) == pytest.approx(total, rel=1e-9)
    assert len(data["top_od"]) == 5
    assert data["crossings"] and all(r["passages_year"] > 0 for r in data["crossings"])
    assert "CN->MN" in data["uncalibrated_markets"]


def test_bad_params_file_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "params.yaml"
    bad.write_text("zones:\n  - {place: Moscow, country: RUS}\n", encoding="utf-8")
    res = runner.invoke(app, ["tourism", "--params", str(bad), "--json"])
    assert res.exit_code == 2
    err = json.loads(res.stdout)
    assert "zones[0] (Moscow)" in err["message"] and "params.yaml" in err["message"]
    res = runner.invoke(app, ["tourism", "--params", str(tmp_path / "none.yaml")])
    assert res.exit_code == 2
    assert "Traceback" not in res.output


def test_scenario_change_with_draws_json() -> None:
    args = ["tourism", "--scenario", "visa-free-individual", "--base", "m12-east"]
    res = runner.invoke(app, [*args, "--draws", "6", "--seed", "2", "--top", "3", "--json"])
    assert res.exit_code == 0, res.stdout
    data = json.loads(res.stdout)
    by_dir = {r["direction"]: r for r in data["compare"]["tourism_by_direction"]}
    assert by_dir["RU->CN"]["visits_year_change"] > 0 and by_dir["CN->RU"]["change_pct"] > 0
    assert by_dir["KZ->RU"]["visits_year_change"] == pytest.approx(0.0, abs=1e-6)
    summary = {r["headline"]: r for r in data["draws"]["summary"]}
    row = summary["ru_cn_visits_year_change_pct"]
    assert row["p10"] <= row["p50"] <= row["p90"]
    assert data["draws"]["n"] == 6 and data["draws"]["seed"] == 2  # same seed: same draws
    # (tests/unit/analysis/tourism/test_draws.py checks that, locally and on Dask)


def test_charts_are_written(tmp_path: Path) -> None:
    res = runner.invoke(app, ["tourism", "--charts", str(tmp_path / "c"), "--json"])
    assert res.exit_code == 0, res.stdout
    files = [Path(f) for f in json.loads(res.stdout)["charts"]]
    assert [f.name for f in files] == ["tourism_bars.png", "tourism_flows.png"]
    assert all(f.read_bytes()[:4] == b"\x89PNG" for f in files)
