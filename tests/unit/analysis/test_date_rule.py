"""One date rule (opened <= day < closed) for links, crossings and turns, seen alike by
every consumer: route, profile route, skim, isochrone, assignment and compare.

The network (:func:`tests.networks.dated_network`) is a star around ``H`` whose spokes each
depend on one dated element: a link (``L:``), a border crossing's rows (``C:``) or a turn
ban (``T:``, reachable only while the ban is *not* in force). The truth is computed from
the four cases' dates by hand, independently of the code under test, on two days; each
consumer is run on the network taken ``as_of`` the day and on the same tables merely
dated (so that the consumer itself must apply the rule).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import corridor
from tests.networks import DATED_CASES, dated_network

DAYS = ("2024-06-01", "2027-06-01")
FORMS = ("as_of", "dated")


def _open_cases(day: str) -> set[str]:
    when = pd.Timestamp(day)
    out = set()
    for case, (opened, closed) in DATED_CASES.items():
        if (opened is None or pd.Timestamp(opened) <= when) and (
            closed is None or when < pd.Timestamp(closed)
        ):
            out.add(case)
    return out


def _expected(day: str) -> set[str]:
    """End cities reachable from H on `day`."""
    live = _open_cases(day)
    return (
        {f"L:{c}" for c in live}
        | {f"C:{c}" for c in live}
        | {f"T:{c}" for c in DATED_CASES if c not in live}
    )


ENDS = sorted(f"{p}:{c}" for p in "LCT" for c in DATED_CASES)


def _network(day: str, form: str) -> corridor.Network:
    net = dated_network()
    if form == "as_of":
        return net.as_of(day)
    return corridor.Network(net.nodes, net.links, net.crossings, net.turns, date=pd.Timestamp(day))


def test_the_truth_differs_between_the_two_days() -> None:
    # the test has teeth: each kind of element changes state between the days
    assert _open_cases(DAYS[0]) == {"opened_past", "closes_future"}
    assert _open_cases(DAYS[1]) == {"opened_past", "opens_future"}
    assert _expected(DAYS[0]) != _expected(DAYS[1])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_route_sees_exactly_the_open_elements(day: str, form: str) -> None:
    net = _network(day, form)
    reached = set()
    for end in ENDS:
        try:
            corridor.route(net, "H", end, modes="road")
        except corridor.NoPathError:
            continue
        reached.add(end)
    assert reached == _expected(day)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_profile_route_sees_exactly_the_open_elements(day: str, form: str) -> None:
    net = _network(day, form)
    reached = {}
    for end in ENDS:
        try:
            reached[end] = corridor.route(net, "H", end, profile="truck40")
        except corridor.NoPathError:
            continue
    assert set(reached) == _expected(day)
    for end, r in reached.items():
        crossed = [s for s in r.stops if s.kind == "border_crossing"]
        assert len(crossed) == (1 if end.startswith("C:") else 0)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_skim_sees_exactly_the_open_elements(day: str, form: str) -> None:
    net = _network(day, form)
    s = corridor.skim(net, ["H"], ENDS, modes="road")
    finite = {end for end, v in zip(ENDS, s.values[0], strict=True) if math.isfinite(v)}
    assert finite == _expected(day)
    # each reachable spoke is 100 km at 100 km/h
    assert np.allclose(s.values[0][np.isfinite(s.values[0])], 1.0)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_isochrone_sees_exactly_the_open_elements(day: str, form: str) -> None:
    net = _network(day, form)
    iso = corridor.isochrone(net, "H", hours=(24.0,))
    nodes = iso.nodes
    within = set(nodes.loc[np.isfinite(nodes["time_h"].to_numpy()), "name"]) & set(ENDS)
    assert within == _expected(day)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_assignment_sees_exactly_the_open_elements(day: str, form: str) -> None:
    net = _network(day, form)
    an = corridor.assignment_network(net)
    names = net.nodes.set_index("node_id")["name"]
    zones = [str(names[z]) for z in an.zones]
    hub = zones.index("H")
    expected = _expected(day)
    demand = np.zeros((len(zones), len(zones)))
    for j, z in enumerate(zones):
        demand[hub, j] = 10.0 if z in expected else 0.0
    result = corridor.assign(an, demand)
    # both directions of a road link share its id: H -> end carries the demand
    flow = pd.Series(result.flow_pce, index=result.link_ids).groupby(level=0).sum()
    # the spoke's last link carries the demand of its end city
    last_link = {f"L:{c}": 100 + i for i, c in enumerate(DATED_CASES)}
    last_link |= {f"C:{c}": 300 + i for i, c in enumerate(DATED_CASES)}
    last_link |= {f"T:{c}": 250 + i for i, c in enumerate(DATED_CASES)}
    for end in expected:
        assert flow[last_link[end]] == pytest.approx(10.0)
    # and demand to any other end city has no path that day
    for end in set(ENDS) - expected:
        lone = np.zeros_like(demand)
        lone[hub, zones.index(end)] = 1.0
        with pytest.raises(corridor.NoPathError):
            corridor.assign(an, lone)


def test_compare_sees_exactly_the_open_elements_on_each_side() -> None:
    base, other = (dated_network().as_of(d) for d in DAYS)
    opts = corridor.CompareOptions(
        places=("H", *ENDS), profiles=("car",), corridor_ends=(), headline=(), flows=None
    )
    cmp = corridor.compare(base, other, options=opts)
    od = cmp.od[cmp.od["origin"] == "H"].set_index("destination")
    before = {e for e in ENDS if math.isfinite(od.loc[e, "time_h_before"])}
    after = {e for e in ENDS if math.isfinite(od.loc[e, "time_h_after"])}
    assert before == _expected(DAYS[0])
    assert after == _expected(DAYS[1])
    changed = set(od.index[od["crossing_changed"].to_numpy(dtype=bool)])
    assert changed == {"C:opens_future", "C:closes_future"}


@pytest.mark.parametrize("day", DAYS)
def test_as_of_and_the_dated_network_agree(day: str) -> None:
    net = dated_network()
    cut = net.as_of(day)
    dated = _network(day, "dated")
    assert set(cut.links["link_id"]) == set(dated.links.loc[dated.open_links(), "link_id"])
    assert len(cut.crossings) == int(dated.open_crossings().sum())
    assert set(cut.turns["restriction_id"]) == set(
        dated.turns.loc[dated.open_turns(), "restriction_id"]
    )
    assert cut.open_links().all() and cut.open_crossings().all() and cut.open_turns().all()


def test_undated_network_keeps_what_has_no_closed_date() -> None:
    net = dated_network()
    undated_open = {c for c, (_o, closed) in DATED_CASES.items() if closed is None}
    ok = net.links.loc[net.open_links(), "link_id"]
    spokes = {c for i, c in enumerate(DATED_CASES) if 100 + i in set(ok)}
    crossed = {c for i, c in enumerate(DATED_CASES) if 300 + i in set(ok)}
    assert spokes == crossed == undated_open


@pytest.mark.parametrize("day", DAYS)
def test_a_scenario_as_of_edit_keeps_its_day(day: str) -> None:
    from corridor.scenario import parse_scenario

    net = parse_scenario(f"name: then\nedits:\n  - as_of: {day}\n").apply(dated_network())
    assert net.date == pd.Timestamp(day)
    s = corridor.skim(net, ["H"], ENDS, modes="road")
    assert {e for e, v in zip(ENDS, s.values[0], strict=True) if math.isfinite(v)} == _expected(day)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_restricted_route_and_alternatives_see_exactly_the_open_elements(
    day: str, form: str
) -> None:
    net = _network(day, form)
    restricted, alternative = set(), set()
    for end in ENDS:
        try:
            corridor.route_restricted(net, "H", end)
            restricted.add(end)
        except corridor.NoPathError:
            pass
        try:
            if corridor.alternatives(net, "H", end, k=1, profile="car"):
                alternative.add(end)
        except corridor.NoPathError:
            pass
    assert restricted == alternative == _expected(day)
