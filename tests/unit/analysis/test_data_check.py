"""The integrity checks measure lengths and pieces with the project's own search."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor
from corridor.analysis.data_check import check_network, corridor_length_km


def _parallel() -> corridor.Network:
    """Nodes 1-2-3 on one corridor; 1-2 twice, 100 km and 60 km; 3-4 on another."""
    nodes = pd.DataFrame(
        {
            "node_id": [1, 2, 3, 4],
            "name": ["P", "Q", "R", "S"],
            "kind": ["city"] * 4,
            "country": ["XA"] * 4,
            "lon": [0.0, 0.5, 1.0, 1.5],
            "lat": [0.0, 0.0, 0.0, 0.0],
        }
    )
    links = pd.DataFrame(
        {
            "link_id": [1, 2, 3, 4],
            "a_node": [1, 1, 2, 3],
            "b_node": [2, 2, 3, 4],
            "mode": ["rail"] * 4,
            "class": ["mainline"] * 4,
            "length_km": [100.0, 60.0, 80.0, 70.0],
            "speed_kmh": [80.0] * 4,
            "gauge_mm": [1435.0] * 4,
            "corridors": ["X", "X;Y", "X", "Y"],
        }
    )
    return corridor.Network(nodes, links, name="parallel")


def test_corridor_length_takes_the_shorter_parallel_link() -> None:
    net = _parallel()
    # by hand: P-Q by the 60 km link, then Q-R 80 km; summing the parallel links would
    # give 160 + 80 = 240 km
    assert corridor_length_km(net, "X", 1, 3) == pytest.approx(140.0)
    assert corridor_length_km(net, "X", 3, 1) == pytest.approx(140.0)  # links run both ways
    assert corridor_length_km(net, "X", 1, 2) == pytest.approx(60.0)
    # corridor Y: P-Q (60 km) and R-S (70 km) do not meet
    assert corridor_length_km(net, "Y", 1, 4) == float("inf")


def test_corridor_length_rejects_unknown_nodes() -> None:
    with pytest.raises(corridor.UnknownNodeError, match="corridor end"):
        corridor_length_km(_parallel(), "X", 1, 99)


def test_connectivity_counts_pieces() -> None:
    net = _parallel()
    checks = {c.name: c for c in check_network(net)}
    rail = checks["rail network connected"]
    assert rail.passed
    assert "4 nodes with rail links form 1 component(s)" in rail.detail
    cut = net.with_links(net.links[net.links["link_id"] != 3])
    rail = {c.name: c for c in check_network(cut)}["rail network connected"]
    assert not rail.passed
    assert "form 2 component(s)" in rail.detail
