"""Alternative routes: distinct by the stated measure (shared length / shorter length)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import corridor
from corridor.paths.alternatives import route_similarity


def three_crossings() -> corridor.Network:
    """O (XA) to D (XB) through crossings X1, X2, X3; route 1 also has a small detour."""
    nodes = pd.DataFrame(
        {
            "node_id": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "name": ["O", "a1", "X1", "b1", "D", "X2", "X3", "a2", "det", "b3"],
            "kind": [
                "city",
                "junction",
                "border_crossing",
                "junction",
                "city",
                "border_crossing",
                "border_crossing",
                "junction",
                "junction",
                "junction",
            ],
            "country": ["XA", "XA", "XA", "XB", "XB", "XA", "XA", "XA", "XA", "XB"],
            "lon": [0.0, 1.0, 2.0, 3.0, 4.0, 2.0, 2.0, 1.0, 1.5, 3.0],
            "lat": [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 1.0, 0.2, -1.0],
            "country_a": ["", "", "XA", "", "", "XA", "XA", "", "", ""],
            "country_b": ["", "", "XB", "", "", "XB", "XB", "", "", ""],
        }
    )
    links = pd.DataFrame(
        {
            "link_id": range(1, 13),
            "a_node": [1, 2, 3, 4, 1, 8, 6, 1, 7, 10, 2, 9],
            "b_node": [2, 3, 4, 5, 8, 6, 5, 7, 10, 5, 9, 3],
            "mode": ["road"] * 12,
            "length_km": [100.0, 100, 100, 100, 150, 150, 150, 180, 180, 180, 55, 55],
            "speed_kmh": [80.0] * 12,
        }
    )
    crossings = pd.DataFrame(
        {
            "node_id": [3, 6, 7],
            "mode": ["road"] * 3,
            "direction": ["a_to_b"] * 3,
            "delay_p50_h": [10.0, 2.0, 1.0],
            "delay_p10_h": [5.0, 1.0, 0.5],
            "delay_p90_h": [40.0, 6.0, 2.0],
            "fee_usd": [50.0, 300.0, 500.0],
        }
    )
    return corridor.Network(nodes, links, crossings, name="three")


def test_alternatives_use_distinct_crossings_and_respect_the_limit() -> None:
    net = three_crossings()
    lengths = dict(zip(net.links["link_id"], net.links["length_km"], strict=True))
    best = corridor.route(net, "O", "D", profile="truck40", optimize="cost")
    alts = corridor.alternatives(net, "O", "D", profile="truck40", optimize="cost", k=5)
    assert alts[0].link_ids == best.link_ids
    assert alts[0].cost == pytest.approx(best.cost)
    assert len(alts) == 3  # the detour via 'det' shares > 60% with route 1 and is dropped
    for a, b in itertools.combinations(alts.routes, 2):
        assert route_similarity(a, b, lengths) <= 0.6
    crossings = [next(s.name for s in r.stops if s.kind == "border_crossing") for r in alts]
    assert sorted(crossings) == ["X1", "X2", "X3"]
    costs = [r.cost for r in alts]
    assert costs == sorted(costs)
    loose = corridor.alternatives(
        net, "O", "D", profile="truck40", optimize="cost", k=5, max_similarity=1.0
    )
    assert len(loose) == 4  # with no limit the detour comes back


def test_alternatives_bad_options() -> None:
    with pytest.raises(corridor.ValidationError, match="max_similarity"):
        corridor.alternatives(three_crossings(), "O", "D", profile="truck40", max_similarity=2.0)
