"""Freight assignment with congested crossings: brute force, conservation, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.freight.assign import (
    FreightAssignOptions,
    assign_freight,
    check_od,
    vehicles_year,
)
from corridor.analysis.freight.congestion import load_crossing_data
from corridor.errors import UnknownNodeError, ValidationError

from .toy import DESTINATION, ORIGIN, od_table, parallel_crossings

J, T = 0.5, 168.0  # the bundled delay parameters (assign.yaml)
TIGHT = FreightAssignOptions(rel_gap=1e-10, max_iter=3000)


def akcelik_h(x_day: np.ndarray, cap_day: float) -> np.ndarray:
    """Akcelik's delay written out by hand (c and x per hour, T in h)."""
    c = cap_day / 24.0
    z = x_day / cap_day
    return T / 4.0 * ((z - 1.0) + np.sqrt((z - 1.0) ** 2 + 8.0 * J * z / (c * T)))


def brute_force_split(delays: list[float], caps: list[float], total: float) -> np.ndarray:
    """Minimise Beckmann's objective over a grid of splits (step 0.05 trucks/day)."""
    step = 0.05
    grid = np.arange(0.0, total + step / 2, step)
    # integral of each route's cost from 0 to x on the grid (trapezoid on a 10x finer grid)
    fine = np.linspace(0.0, total, 10 * (grid.size - 1) + 1)
    integrals = []
    for d, c in zip(delays, caps, strict=True):
        cost = d + akcelik_h(fine, c)
        cum = np.concatenate([[0.0], np.cumsum((cost[1:] + cost[:-1]) / 2 * np.diff(fine))])
        integrals.append(cum[::10])
    best, arg = np.inf, None
    n = grid.size
    for i, j in itertools.product(range(n), range(n)):
        k = n - 1 - i - j
        if k < 0:
            continue
        obj = integrals[0][i] + integrals[1][j] + integrals[2][k]
        if obj < best:
            best, arg = obj, (grid[i], grid[j], grid[k])
    assert arg is not None
    return np.array(arg)


def test_equilibrium_matches_brute_force_on_three_crossings() -> None:
    delays, caps, total = [5.0, 8.0, 12.0], [100.0, 60.0, 80.0], 60.0
    net = parallel_crossings(delays, caps)
    od = od_table([(ORIGIN, DESTINATION, "containers", 365.0 * total)])
    fa = assign_freight(net, od, options=TIGHT)
    out = fa.crossings[fa.crossings["direction"] == "a_to_b"].sort_values("crossing")
    got = out["trucks_day"].to_numpy()
    want = brute_force_split(delays, caps, total)
    np.testing.assert_allclose(got, want, atol=0.1)
    # Wardrop: the used crossings cost the same, clearance plus queue
    used = got > 1e-6
    cost = (out["clearance_h"] + out["queue_h"]).to_numpy()[used]
    assert np.ptp(cost) < 1e-3
    assert fa.converged


def test_container_and_wagon_trains_share_the_crossings() -> None:
    delays, caps, total = [5.0, 8.0, 12.0], [10.0, 6.0, 8.0], 6.0
    net = parallel_crossings(delays, caps, mode="rail")
    box = od_table([(ORIGIN, DESTINATION, "containers", 365.0 * 4)], mode="rail_container")
    bulk = od_table([(ORIGIN, DESTINATION, "grain", 365.0 * 2)], mode="rail_wagon")
    fa = assign_freight(net, pd.concat([box, bulk], ignore_index=True), options=TIGHT)
    out = fa.crossings[fa.crossings["direction"] == "a_to_b"].sort_values("crossing")
    # one queue per crossing for both kinds of train: the split is the one-class optimum
    np.testing.assert_allclose(out["trains_day"], brute_force_split(delays, caps, total), atol=0.02)
    by = fa.crossing_commodity.groupby("class_mode")["vehicles_day"].sum()
    assert by["rail_container"] == pytest.approx(4.0) and by["rail_wagon"] == pytest.approx(2.0)
    assert set(fa.classes["mode"]) == {"rail_container", "rail_wagon"}


def test_congestion_diverts_to_the_slower_crossing() -> None:
    net = parallel_crossings([5.0, 8.0], [30.0, 200.0])
    light = assign_freight(net, od_table([(ORIGIN, DESTINATION, "coal", 365.0 * 5)]), options=TIGHT)
    heavy = assign_freight(
        net, od_table([(ORIGIN, DESTINATION, "coal", 365.0 * 80)]), options=TIGHT
    )

    def share_slow(fa: object) -> float:
        cx = fa.crossings  # type: ignore[attr-defined]
        ab = cx[cx["direction"] == "a_to_b"].set_index("crossing")["trucks_day"]
        return float(ab["Cross 1"] / ab.sum())

    assert share_slow(light) < 1e-6  # all on the fast crossing while it is not full
    assert share_slow(heavy) > 0.3  # the full one sends traffic to the slower one
    q = heavy.crossings.set_index(["crossing", "direction"])["queue_h"]
    assert q[("Cross 0", "a_to_b")] == pytest.approx(3.0 + q[("Cross 1", "a_to_b")], abs=1e-3)


def test_tonnes_are_conserved_across_the_border_by_commodity() -> None:
    net = parallel_crossings([5.0, 8.0, 12.0], [100.0, 60.0, 80.0], fees_usd=[50.0, 0.0, 20.0])
    od = od_table(
        [
            (ORIGIN, DESTINATION, "containers", 365.0 * 150),
            (ORIGIN, DESTINATION, "coal", 365.0 * 50),
            (DESTINATION, ORIGIN, "food", 365.0 * 30),
            (DESTINATION, ORIGIN, "coal", 365.0 * 12),
        ]
    )
    fa = assign_freight(net, od, options=TIGHT)
    cut = fa.crossing_commodity.groupby(["direction", "commodity"])["tonnes_year"].sum()
    demand = (
        od.assign(direction=np.where(od["origin_node"] == ORIGIN, "a_to_b", "b_to_a"))
        .groupby(["direction", "commodity"])["tonnes_year"]
        .sum()
    )
    demand = demand.reindex(cut.index, fill_value=0.0)  # nothing of a class the other way
    pd.testing.assert_series_equal(cut, demand, check_names=False, rtol=1e-9)
    # the per-class table agrees with the demand too
    by_class = fa.classes.set_index("commodity")["tonnes_year"]
    assert by_class["coal"] == pytest.approx(20.0 * 365 * 62)
    assert fa.od["served"].all()


def test_classes_with_more_value_pay_fees_to_save_time() -> None:
    # crossing 0 is 3 h faster but costs $100 more; machinery (valuable) takes it, coal not
    net = parallel_crossings([5.0, 8.0], [1e5, 1e5], fees_usd=[100.0, 0.0])
    od = od_table(
        [(ORIGIN, DESTINATION, "machinery", 3650.0), (ORIGIN, DESTINATION, "coal", 3650.0)]
    )
    fa = assign_freight(net, od, options=TIGHT)
    by = fa.crossing_commodity.set_index(["crossing", "direction", "commodity"])["vehicles_day"]
    # the value of 3 h per truck against the $100 fee decides, class by class
    data = load_crossing_data()
    fast = {c: 3.0 * data.vot_usd_per_t_h(c) * 20.0 > 100.0 for c in ("machinery", "coal")}
    assert fast == {"machinery": True, "coal": False}
    for commodity, quick in fast.items():
        assert by[("Cross 0" if quick else "Cross 1", "a_to_b", commodity)] == pytest.approx(10.0)


def test_unreachable_pairs_are_kept_unserved() -> None:
    net = parallel_crossings([5.0], [100.0])
    od = od_table([(ORIGIN, DESTINATION, "coal", 3650.0)])
    od = pd.concat([od, od.assign(mode="rail")], ignore_index=True)  # no rail in the toy
    fa = assign_freight(net, od, options=TIGHT)
    assert fa.od["served"].tolist() == [True, False]
    lost = fa.classes.set_index("mode")["unserved_tonnes_year"]
    assert lost["rail"] == pytest.approx(20.0 * 3650.0) and lost["road"] == 0.0


def test_vehicle_counts_follow_the_documented_rules() -> None:
    data = load_crossing_data()
    od = pd.DataFrame(
        {
            "mode": ["road", "road", "rail", "rail", "sea"],
            "tonnes_year": [200.0, 200.0, 5000.0, 6000.0, 1.0],
            "teu_year": [0.0, 0.0, 500.0, 0.0, 0.0],
            "vehicles_year": [4.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    got = vehicles_year(od, data)
    want = [4.0, 200.0 / data.tonnes_per_truck, 500.0 / data.teu_per_train]
    want += [6000.0 / data.tonnes_per_bulk_train]
    # the freight model's own train counts win where it gives them
    given = vehicles_year(od.assign(mode="rail_wagon", vehicles_year=7.0), data)
    np.testing.assert_allclose(given[:4], 7.0)
    np.testing.assert_allclose(got[:4], want)
    assert np.isnan(got[4])


def test_bad_od_tables_are_named() -> None:
    od = od_table([(ORIGIN, DESTINATION, "coal", 10.0)])
    with pytest.raises(ValidationError, match="missing column"):
        check_od(od.drop(columns="teu_year"))
    with pytest.raises(ValidationError, match=r"tonnes_year .*row\(s\) \[1\]"):
        check_od(od.assign(tonnes_year=-1.0))
    net = parallel_crossings([5.0], [100.0])
    with pytest.raises(UnknownNodeError):
        assign_freight(net, od.assign(destination_node=999))
    with pytest.raises(ValidationError, match="positive"):
        FreightAssignOptions(capacity_factor=0.0)
