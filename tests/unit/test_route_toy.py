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
    with pytest.raises(corridor.UnknownNodeError, match="did you mean"):
        corridor.route(toy, "Alpah", "D")
