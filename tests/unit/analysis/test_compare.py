"""Scenario comparison on the toy network, checked against routes computed separately."""

from __future__ import annotations

import numpy as np
import pytest

import corridor
from corridor.analysis.compare import CompareOptions, compare, default_places
from corridor.progress import Progress


@pytest.fixture
def faster(toy: corridor.Network) -> corridor.Network:
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    return toy.with_links(links)


def test_od_rows_match_independent_routes(toy: corridor.Network, faster: corridor.Network) -> None:
    opts = CompareOptions(
        places=("A", "B", "D"), profiles=("car", "truck40"), headline=(("A", "D"),), top_changes=3
    )
    c = compare(toy, faster, options=opts)
    assert len(c.od) == 2 * 3 * 2
    for label, net in (("before", toy), ("after", faster)):
        for prof in ("car", "truck40"):
            r = corridor.route(net, "A", "D", profile=prof, optimize="generalized")
            row = c.od[
                (c.od["profile"] == prof) & (c.od["origin"] == "A") & (c.od["destination"] == "D")
            ].iloc[0]
            # one definition of time: the OD matrix holds what the route reports
            assert row[f"time_h_{label}"] == pytest.approx(r.time_h, rel=1e-9)
            assert row[f"generalized_usd_{label}"] == pytest.approx(r.generalized_usd, rel=1e-9)
            for part in ("driving_h", "breaks_h", "overnight_h", "waiting_h"):
                assert row[f"{part}_{label}"] == pytest.approx(getattr(r, part), abs=1e-9)
            assert row[f"cost_usd_{label}"] == pytest.approx(r.cost_usd, rel=1e-9)
            assert row[f"co2_kg_{label}"] == pytest.approx(r.co2_kg, rel=1e-9)
            assert row[f"length_km_{label}"] == pytest.approx(r.length_km, rel=1e-9)
            assert row[f"crossings_{label}"] == "C"
            # the shown route is the same route, door to door
            key = f"{label}/{prof}/1/4"
            assert c.routes[key].link_ids == r.link_ids
            assert c.routes[key].time_h == pytest.approx(r.time_h)


def test_a_faster_road_helps_cars_and_nobody_loses(
    toy: corridor.Network, faster: corridor.Network
) -> None:
    seen: list[Progress] = []
    c = compare(
        toy,
        faster,
        options=CompareOptions(places=("A", "B", "D"), profiles=("car",)),
        progress=seen.append,
    )
    # one profile: paths before and after, accessibility (two), the shown routes, flows
    assert [(p.phase, p.done, p.total, p.unit) for p in seen] == [
        ("compare", done, 6, "steps") for done in (0, 1, 2, 4, 5, 6)
    ]
    assert [p.message for p in seen] == [
        "car: paths before",
        "car: paths after",
        "accessibility",
        "routes of the shown pairs",
        "freight flows: gravity demand and assignment",
        "done",
    ]
    assert seen[-1].fraction == 1.0
    car = c.od[c.od["profile"] == "car"]
    assert (car["d_time_h"] <= 1e-12).all()
    assert (car["d_time_h"] < -1e-6).any()
    assert (c.by_place["mean_d_time_h"] <= 1e-12).all()
    assert c.headline().empty  # the default headline pairs are not in the toy network
    assert set(c.by_country["country"]) == {"XA", "XB"}


def test_accessibility_counts_population_within_hours(toy: corridor.Network) -> None:
    slow = toy.links.copy()
    slow["speed_kmh"] = 10.0  # everything now takes > 8 h except short hops
    c = compare(
        toy,
        toy.with_links(slow),
        options=CompareOptions(places=("A", "D"), profiles=("car",), hours=(8.0,)),
    )
    acc = c.accessibility.set_index("place")
    total = float(toy.nodes.loc[toy.nodes["kind"] == "city", "population"].sum())
    assert acc.loc["A", "pop_within_8h_before"] == pytest.approx(total)
    assert acc.loc["A", "pop_within_8h_after"] == pytest.approx(1_000_000)  # only A itself
    assert acc.loc["A", "d_pop_within_8h"] < 0


def test_default_places_takes_largest_and_corridor_ends(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links["corridors"] = ["X", "X", "", "", "", ""]
    net = toy.with_links(links)
    ids = default_places(net, n_places=1, corridor_ends=("X",))
    assert ids.tolist()[0] == 1  # A is the largest
    # X runs A-B-C: its ends are A (a city) and C (a crossing, so not taken)
    assert ids.tolist() == [1]
    assert np.all(np.isin(ids, net.nodes["node_id"]))
