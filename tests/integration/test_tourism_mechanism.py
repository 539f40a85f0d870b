"""On the embedded network: a road changes visits only through the mode log-sums, a visa
rule only through the destination utility; the comparison carries the tourism tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import corridor
from corridor.analysis.tourism.api import compare_tourism, visa_overrides
from corridor.analysis.tourism.config import load_fitted, load_params
from corridor.analysis.tourism.model import demand, theta_of
from corridor.analysis.tourism.service import level_of_service
from corridor.scenario import parse_scenario

DAY = dt.date(2025, 8, 1)

CLOSED = """
name: m12-east-closed
base: eurasia
edits:
  - as_of: 2025-08-01
  - close_links: {links: {ref: M-12, between: [Dyurtyuli, Achit]}}
"""


@pytest.fixture(scope="module")
def world() -> dict:
    net = corridor.eurasia()
    east = corridor.get_scenario("m12-east")
    closed = parse_scenario(CLOSED)
    params = load_params()
    n_open, n_closed = east.apply(net), closed.apply(net)
    return {
        "params": params,
        "theta": theta_of(load_fitted().values),
        "open": n_open,
        "closed": n_closed,
        "los_open": level_of_service(n_open, params),
        "los_closed": level_of_service(n_closed, params),
        "east": east,
    }


def test_m12_east_changes_visits_through_logsums(world) -> None:
    p, th = world["params"], world["theta"]
    before = demand(world["los_closed"], p, th, on=DAY)
    after = demand(world["los_open"], p, th, on=DAY)
    phi = p.fixed["logsum_coefficient"]
    both = np.isfinite(before.utility) & np.isfinite(after.utility)
    with np.errstate(invalid="ignore"):  # -inf - -inf where no mode or no destination
        d_ls = after.logsum - before.logsum
        d_u = after.utility - before.utility
    np.testing.assert_allclose(d_u[both], phi * d_ls[both], atol=1e-9)
    # a motorway only lowers road costs: log-sums never fall, visits to a pair whose
    # log-sum rose go up, and some pair's did
    assert (d_ls[both] >= -1e-9).all()
    rose = both & (d_ls > 1e-6)
    assert rose.any()
    k, o, d = np.nonzero(rose)
    assert (after.visits[o, d, k].sum(axis=-1) > before.visits[o, d, k].sum(axis=-1)).all()
    # only road modes changed cost
    changed = ~np.isclose(world["los_open"].cost_usd, world["los_closed"].cost_usd, equal_nan=True)
    changed &= np.isfinite(world["los_open"].cost_usd)
    modes = world["los_open"].modes
    assert {modes[m] for m in np.nonzero(changed)[0]} <= {"bus", "car"}
    assert after.visits.sum() > before.visits.sum()


def test_visa_free_changes_destination_utility_by_the_regime_term(world) -> None:
    p, th = world["params"], world["theta"]
    sc = corridor.get_scenario("visa-free-individual")
    base = demand(world["los_open"], p, th, on=DAY)
    free = demand(world["los_open"], p, th, on=DAY, overrides=visa_overrides(sc))
    np.testing.assert_array_equal(base.logsum, free.logsum)  # the network is the same
    c = np.asarray(base.countries)
    cn_ru = np.ix_(c == "CN", c == "RU")
    ru_cn = np.ix_(c == "RU", c == "CN")
    for k, purpose in enumerate(base.purposes):
        with np.errstate(invalid="ignore"):
            du = free.utility[k] - base.utility[k]
        du_ru_cn, du_cn_ru = du[ru_cn], du[cn_ru]
        ok = np.isfinite(du_ru_cn)
        if purpose in ("group_tour", "shopping"):  # exempt already
            assert np.allclose(du_ru_cn[ok], 0.0)
        else:  # RU->CN was a visa, CN->RU an e-visa on 2025-08-01
            assert np.allclose(du_ru_cn[ok], 0.87)
            assert np.allclose(du_cn_ru[np.isfinite(du_cn_ru)], 0.43)


def test_compare_puts_tourism_tables_in_extra(world) -> None:
    sc = corridor.get_scenario("blagoveshchensk-heihe-travellers")
    opts = corridor.CompareOptions(
        places=("Moscow", "Kazan"),
        profiles=("car",),
        flows=None,
    )
    res = corridor.compare(
        world["open"], sc.apply(corridor.eurasia()), options=opts, scenarios=(world["east"], sc)
    )
    keys = {
        "tourism_by_direction",
        "tourism_by_mode",
        "tourism_by_purpose",
        "tourism_top_od",
        "tourism_crossings",
    }
    assert keys <= set(res.extra)
    x = res.extra["tourism_crossings"].set_index(["crossing", "mode"])
    bridge = x.loc[("Blagoveshchensk – Heihe bridge", "bus")]
    assert bridge["passages_year_before"] == 0 and bridge["passages_year_after"] > 0
    d = res.extra["tourism_by_direction"].set_index("direction")
    assert d.loc["RU->CN", "visits_year_change"] > 0
    # the same tables as compare_tourism's
    direct = compare_tourism(world["open"], sc.apply(corridor.eurasia()), world["east"], sc)
    np.testing.assert_allclose(
        direct["tourism_by_direction"]["visits_year_after"],
        res.extra["tourism_by_direction"]["visits_year_after"],
    )
    off = corridor.compare(
        world["open"],
        world["closed"],
        options=corridor.CompareOptions(
            places=("Moscow", "Kazan"), profiles=("car",), flows=None, tourism=False
        ),
    )
    assert not any(k.startswith("tourism_") for k in off.extra)


def test_add_and_drop_flight(world) -> None:
    from corridor.errors import ValidationError
    from corridor.scenario import AddFlight, DropFlight

    net = world["open"]
    added = AddFlight(a="BQS", b="HRB", block_h=(1.2, 1.3), flights_week=7).apply(net)
    new = added.links[~added.links["link_id"].isin(net.links["link_id"])]
    assert set(new["class"]) == {"boarding", "flight", "arrival"}
    flights = new[new["class"] == "flight"]
    assert sorted(flights["block_h"]) == [1.2, 1.3]
    assert (flights["fare_usd"] > 0).all() and (flights["co2_pax_kg"] > 0).all()
    control = added.nodes[added.nodes["name"] == "BQS passport control (arrivals from CN)"]
    assert len(control) == 1  # the network had none: copied from another RU airport's
    assert (added.formalities["node_id"] == control["node_id"].iloc[0]).any()
    r = corridor.route(added, "Harbin", "Blagoveshchensk", profile="air")
    assert "BQS-HRB" in {leg.ref for leg in r.legs}  # the new flight, the shortest way
    dropped = DropFlight("HRB-BQS").apply(added)  # either spelling
    again = corridor.route(dropped, "Harbin", "Blagoveshchensk", profile="air")
    assert "BQS-HRB" not in {leg.ref for leg in again.legs}
    assert again.generalized_usd > r.generalized_usd
    with pytest.raises(ValidationError, match="no flight 'XXX-YYY'"):
        DropFlight("XXX-YYY").apply(net)
    with pytest.raises(ValidationError, match="no airport 'ZZZ'"):
        AddFlight(a="ZZZ", b="HRB", block_h=(1.0, 1.0), flights_week=7).apply(net)


def test_top_od_surplus_and_elasticity(world) -> None:
    out = compare_tourism(world["closed"], world["open"], world["east"], world["east"])
    top = out["tourism_top_od"]
    p, f = load_params(), load_fitted()
    k = [q.purpose for q in p.purposes].index("leisure")
    beta = f.values["beta_cost_per_100usd"] * p.purposes[k].cost_scale
    scale = 100.0 / (-beta * p.fixed["round_trip_factor"])
    ok = top["logsum_change_leisure"].notna()
    np.testing.assert_allclose(
        top.loc[ok, "surplus_usd_leisure"], top.loc[ok, "logsum_change_leisure"] * scale
    )
    assert (top.loc[ok, "surplus_usd_leisure"] >= -1e-9).all()  # a new motorway: no losers
    el = top["elasticity_to_cost"].dropna()
    assert not el.empty and (el < 0).all()  # cheaper trips, more visits


def test_scale_demand_scales_tourism(world) -> None:
    scaled = parse_scenario(
        CLOSED.replace("name: m12-east-closed", "name: x") + "  - scale_demand: 1.25\n"
    )
    base = corridor.tourism(
        world["closed"], scenario=parse_scenario(CLOSED), los=world["los_closed"]
    )
    more = corridor.tourism(world["closed"], scenario=scaled, los=world["los_closed"])
    np.testing.assert_allclose(more.demand.visits, 1.25 * base.demand.visits)
    assert more.summary()["visits_year"] == pytest.approx(1.25 * base.summary()["visits_year"])


def test_crossing_hours_edit_reaches_the_network(world) -> None:
    sc = parse_scenario(
        "name: h\nedits:\n"
        '  - set_crossing: {crossing: "Zabaikalsk – Manzhouli", mode: road,\n'
        '                   hours: "09:00-18:00 local"}\n'
    )
    net = sc.apply(world["open"])
    node = net.nodes.loc[net.nodes["name"] == "Zabaikalsk – Manzhouli", "node_id"].iloc[0]
    rows = net.crossings[(net.crossings["node_id"] == node) & (net.crossings["mode"] == "road")]
    assert set(rows["hours"]) == {"09:00-18:00 local"}
