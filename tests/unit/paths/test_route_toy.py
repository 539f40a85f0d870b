"""Routes on the toy network, checked by hand."""

from __future__ import annotations

import pytest

import corridor


def test_road_route_by_hand(toy: corridor.Network) -> None:
    r = corridor.route(toy, "A", "D", modes="road")
    # A-B 120 km @100 + B-C 115 @80 + C-D 118 @80, cheaper than A-B-C... via E (road E-C only)
    assert r.length_km == pytest.approx(353.0)
    assert r.time_h == pytest.approx(1.2 + 233 / 80)
    assert [leg.ref for leg in r.legs] == ["M1", "R2"]
    assert r.node_ids == (1, 2, 3, 4)


def test_rail_route_and_unknown_name(toy: corridor.Network) -> None:
    r = corridor.route(toy, "alpha", "DELTA", modes="rail")
    assert r.link_ids == (20, 21)
    # one letter off is taken and said; more is refused with suggestions
    assert corridor.lookup_place(toy, "Alpah").match.value == "fuzzy"
    assert corridor.route(toy, "Alpah", "D").node_ids[0] == 1
    with pytest.raises(corridor.UnknownNodeError, match="did you mean"):
        corridor.route(toy, "Alphxyz", "D")


def test_turn_restrictions_are_honoured_by_route(toy: corridor.Network) -> None:
    import pandas as pd

    # ban the turn B -> C onto C -> D (link 11 then link 12): the road route must avoid it
    turns = pd.DataFrame(
        {"restriction_id": [1], "kind": ["no"], "from_link": [11], "via_node": [3], "to_link": [12]}
    )
    net = corridor.Network(toy.nodes, toy.links, toy.crossings, turns)
    free = corridor.route(toy, "A", "D", modes="road")
    banned = corridor.route(net, "A", "D", modes="road")
    pairs = list(zip(banned.link_ids, banned.link_ids[1:], strict=False))
    assert (11, 12) in zip(free.link_ids, free.link_ids[1:], strict=False)
    assert (11, 12) not in pairs
    # the detour (a U-turn at the dead end E, allowed there) costs exactly the E spur twice
    assert banned.link_ids == (10, 11, 30, 30, 12)
    assert banned.time_h == pytest.approx(free.time_h + 2 * 70 / 50)


def test_embedded_network_changes_mode_only_at_terminals() -> None:
    net = corridor.eurasia()
    kinds = net.nodes.set_index("node_id")["kind"]
    r = corridor.route(net, "Novosibirsk", "Harbin")
    for a, b in zip(r.legs, r.legs[1:], strict=False):
        if "transfer" not in (a.mode, b.mode) and a.mode != b.mode:
            assert kinds[a.to_node] == "terminal", (a, b)
