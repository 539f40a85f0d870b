"""Appraisal: hand-computed NPV, the rule of a half, sensitivity, parameter and YAML errors."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.freight.appraisal import (
    PARAMETERS,
    AppraisalParameters,
    appraise,
    benefits,
    load_appraisal_parameters,
    npv,
    sensitivity,
)
from corridor.analysis.freight.assign import FreightAssignOptions
from corridor.analysis.freight.comparison import FreightCompareOptions, compare_freight
from corridor.analysis.freight.uncertainty import draw_parameters, freight_draws
from corridor.errors import DataSourceError, ValidationError
from corridor.scenario.spec import parse_scenario

from .toy import DESTINATION, ORIGIN, od_table, parallel_crossings


def test_npv_against_hand_computation() -> None:
    # B = 100 for 3 years at 10 %, I = 200: PV = 100/1.1 + 100/1.21 + 100/1.331 = 248.685
    r = npv(100.0, 200.0, discount_rate=0.1, period_years=3)
    assert r["pv_benefits_usd"] == pytest.approx(90.90909 + 82.64463 + 75.13148, abs=1e-4)
    assert r["npv_usd"] == pytest.approx(48.68520, abs=1e-4)
    assert r["bcr"] == pytest.approx(248.68520 / 200.0, abs=1e-6)
    assert r["first_year_return"] == 0.5
    # with growth 5 % and O = 10 a year: benefits 100, 105, 110.25; costs 200 + PV(10 x 3)
    g = npv(100.0, 200.0, discount_rate=0.1, period_years=3, operating_usd_year=10.0, growth=0.05)
    pv_b = 100 / 1.1 + 105 / 1.21 + 110.25 / 1.331
    pv_c = 200 + 10 / 1.1 + 10 / 1.21 + 10 / 1.331
    assert g["pv_benefits_usd"] == pytest.approx(pv_b)
    assert g["npv_usd"] == pytest.approx(pv_b - pv_c)
    assert np.isnan(npv(1.0, 0.0, discount_rate=0.1, period_years=1)["first_year_return"])


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    # one road OD: 1,000 trucks before, 1,200 after (induced), GC 500 -> 400 US$, time 10 -> 8 h
    od = pd.DataFrame(
        {
            "mode": ["road"],
            "commodity": ["food"],
            "vehicles_year_before": [1000.0],
            "vehicles_year_after_induced": [1200.0],
            "time_h_before": [10.0],
            "time_h_after": [8.0],
            "generalized_usd_before": [500.0],
            "generalized_usd_after": [400.0],
        }
    )
    impacts = pd.DataFrame(
        {
            "mode": ["road", "all"],
            "commodity": ["food", "all"],
            "d_revenue_usd_year": [2000.0, 2000.0],
            "saved_co2_wtw_kg_year": [4000.0, 4000.0],
        }
    )
    vot = pd.Series([20.0], index=pd.MultiIndex.from_tuples([("road", "food")]))
    return od, impacts, vot


def test_rule_of_a_half_by_hand() -> None:
    od, impacts, vot = _tables()
    params = AppraisalParameters(carbon_price_usd_per_t=50.0)
    t = benefits(od, impacts, vot, params).set_index("mode")
    half = 0.5 * (1000 + 1200)
    # time: 20 $/h x 2 h; money: (500 - 200) - (400 - 160) = 60 $ per truck
    assert t.loc["road", "time_usd"] == pytest.approx(half * 40.0)
    assert t.loc["road", "operating_usd"] == pytest.approx(half * 60.0)
    assert t.loc["road", "user_usd"] == pytest.approx(half * 100.0)
    assert t.loc["road", "co2_usd"] == pytest.approx(4.0 * 50.0)
    assert t.loc["all", "total_usd"] == pytest.approx(half * 100.0 + 2000.0 + 200.0)
    # a value-of-time factor changes only the time part
    t2 = benefits(od, impacts, vot, AppraisalParameters(vot_factor=1.3)).set_index("mode")
    assert t2.loc["road", "time_usd"] == pytest.approx(1.3 * half * 40.0)
    assert t2.loc["road", "operating_usd"] == pytest.approx(half * 60.0)


def test_sensitivity_scales_the_right_terms() -> None:
    od, impacts, vot = _tables()
    params = AppraisalParameters(operating_cost_share=0.0, discount_rate=0.1, period_years=3)
    table = benefits(od, impacts, vot, params)
    base = appraise(table, investment_usd=1e5, params=params)
    sens = sensitivity(table, investment_usd=1e5, params=params).set_index("case")
    assert sens.loc["central", "npv_usd"] == pytest.approx(base["npv_usd"])
    assert sens.loc["demand +30%", "benefit_usd_year"] == pytest.approx(
        1.3 * base["benefit_usd_year"]
    )
    assert sens.loc["cost -30%", "investment_usd"] == pytest.approx(0.7e5)
    time_part = base["time_usd"]
    assert sens.loc["value of time -30%", "benefit_usd_year"] == pytest.approx(
        base["benefit_usd_year"] - 0.3 * time_part
    )
    with pytest.raises(ValidationError):
        appraise(table, investment_usd=-1.0, params=params)


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = PARAMETERS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "appraisal.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  value: 0.09", "  value: 1.5", r"discount_rate.value: 1.5 is outside"),
        ("  value: 75", "  value: lots", r"carbon_price_usd_per_t.value: not a number"),
        ("sensitivity:\n", "sensitivty:\n", r"unknown parameter\(s\) \['sensitivty'\]"),
        ('  value: -0.3\n  source: "[assumption]', '  value: -0.3\n  source: "', "no source"),
    ],
)
def test_bad_appraisal_files_name_the_parameter(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    if message == "no source":
        text = PARAMETERS.read_text(encoding="utf-8")
        start = text.index("induced_demand_elasticity:")
        end = text.index("operating_cost_share:")
        block = "induced_demand_elasticity:\n  value: -0.3\n  source: ''\n"
        path = tmp_path / "appraisal.yaml"
        path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    else:
        path = _write(tmp_path, old, new)
    with pytest.raises(ValidationError, match=message):
        load_appraisal_parameters(path)
    with pytest.raises(DataSourceError):
        load_appraisal_parameters(tmp_path / "missing.yaml")


def test_bundled_parameters_are_sourced() -> None:
    p = load_appraisal_parameters()
    frame = p.to_frame()
    assert (frame["source"].str.len() > 10).all()
    assert p.discount_rate == 0.09 and p.period_years == 30


def test_scenario_appraisal_block_parses_and_bad_ones_are_named() -> None:
    ok = parse_scenario(
        "name: x\nappraisal:\n  investment_cost_usd: 1.5e9\n  opened: 2025-07-16\n"
        "  source: 'Avtodor 2025'\n"
    )
    assert ok.appraisal is not None and ok.appraisal.investment_cost_usd == 1.5e9
    assert str(ok.appraisal.opened) == "2025-07-16"
    with pytest.raises(ValidationError, match=r"x.yaml:3: appraisal.investment_cost_usd"):
        parse_scenario(
            "name: x\nappraisal:\n  investment_cost_usd: -5\n  source: s\n", source="x.yaml"
        )
    with pytest.raises(ValidationError, match=r"appraisal.source"):
        parse_scenario("name: x\nappraisal:\n  investment_cost_usd: 5\n", source="x.yaml")


def _toy_pair() -> tuple[Any, Any, pd.DataFrame]:
    # the project doubles the capacity of the congested fast crossing
    before = parallel_crossings([5.0, 8.0], [40.0, 200.0])
    after = parallel_crossings([5.0, 8.0], [80.0, 200.0])
    od = od_table(
        [(ORIGIN, DESTINATION, "containers", 365.0 * 70), (DESTINATION, ORIGIN, "food", 365.0 * 20)]
    )
    return before, after, od


def test_fixed_demand_user_benefit_equals_the_fall_in_total_cost() -> None:
    before, after, od = _toy_pair()
    opts = FreightCompareOptions(
        assign=FreightAssignOptions(rel_gap=1e-10, max_iter=3000), elasticity=0.0
    )
    tables = compare_freight(before, after, od_before=od, options=opts)
    imp = tables["freight_impacts"].set_index("mode")
    fall = (
        imp.loc["all", "generalized_usd_year_before"] - imp.loc["all", "generalized_usd_year_after"]
    )
    user = tables["appraisal"].set_index("item").loc["user_usd", "value"]
    assert fall > 0
    # per-OD skims (rule of a half) and per-link totals are two computations of one number
    assert user == pytest.approx(fall, rel=1e-6)
    assert set(tables) >= {
        "freight_by_commodity_mode",
        "freight_crossings",
        "freight_impacts",
        "appraisal",
        "appraisal_sensitivity",
    }


def test_draws_are_reproducible_and_runner_independent() -> None:
    before, after, od = _toy_pair()
    a = draw_parameters(5, seed=7)
    assert a.equals(draw_parameters(5, seed=7)) and not a.equals(draw_parameters(5, seed=8))
    local, summary = freight_draws(before, after, od, n=3, seed=11)

    # a runner that runs the tasks in reverse order gives the same table
    def backwards(tasks: Any) -> dict[str, Any]:
        return {k: tasks[k]() for k in reversed(list(tasks))}

    other, _ = freight_draws(before, after, od, n=3, seed=11, runner=backwards)
    pd.testing.assert_frame_equal(local, other)
    row = summary.set_index("impact").loc["saved_vehicle_h_year"]
    assert row["p10"] <= row["p50"] <= row["p90"]
    assert (local["saved_vehicle_h_year"] > 0).all()  # more capacity saves hours in every draw


def test_draws_on_dask_equal_local() -> None:
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    from corridor.distributed.sweep import sweep

    before, after, od = _toy_pair()
    local, _ = freight_draws(before, after, od, n=2, seed=5)
    # networks do not pickle: the tasks carry functions that build them
    make_before = partial(parallel_crossings, [5.0, 8.0], [40.0, 200.0])
    make_after = partial(parallel_crossings, [5.0, 8.0], [80.0, 200.0])
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    client = distributed.Client(cluster, set_as_default=False)
    try:
        remote, _ = freight_draws(
            make_before, make_after, od, n=2, seed=5, runner=partial(sweep, client=client)
        )
    finally:
        client.close()
        cluster.close()
    pd.testing.assert_frame_equal(local, remote)
