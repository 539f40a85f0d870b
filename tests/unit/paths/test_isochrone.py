"""Isochrones: times against networkx on a random road network, bands, the offline map."""

from __future__ import annotations

import math

import networkx as nx
import pytest

import corridor
from corridor.errors import UnknownNodeError, ValidationError
from corridor.paths.isochrone import isochrone
from corridor.report.isochrone_map import render_isochrone_html
from tests.networks import random_network


@pytest.mark.parametrize("seed", range(5))
def test_times_match_networkx(seed: int) -> None:
    net = random_network(seed)
    g = nx.Graph()  # links are two-way by default
    g.add_nodes_from(net.nodes["node_id"])
    for r in net.links.itertuples():
        t = r.length_km / r.speed_kmh
        if not g.has_edge(r.a_node, r.b_node) or g[r.a_node][r.b_node]["t"] > t:
            g.add_edge(r.a_node, r.b_node, t=t)
    ref = nx.single_source_dijkstra_path_length(g, 100, weight="t")
    iso = isochrone(net, 100, hours=[1, 3, 6])
    got = dict(zip(iso.nodes["node_id"], iso.nodes["time_h"], strict=True))
    for node, t in got.items():
        if node in ref:
            assert t == pytest.approx(ref[node], rel=1e-12)
        else:
            assert math.isinf(t)
    for h, count in iso.counts().items():
        assert count == sum(1 for v in ref.values() if v <= h)
    bands = iso.nodes.set_index("node_id")["band"]
    for node, t in ref.items():
        want = next((h for h in (1.0, 3.0, 6.0) if t <= h), None)
        assert math.isnan(bands[node]) if want is None else bands[node] == want


def test_toy_isochrone_by_hand(toy: corridor.Network) -> None:
    iso = isochrone(toy, "Alpha", hours=[5, 2])  # alternate name, unsorted thresholds
    assert iso.hours == (2.0, 5.0)
    assert iso.origin == 1 and iso.origin_name == "A"
    assert iso.counts() == {2.0: 2, 5.0: 5}
    assert iso.population() == {2.0: 1_200_000.0, 5.0: 1_700_000.0}
    frame = iso.to_frame()
    assert frame["name"].tolist() == ["A", "B", "C", "E", "D"]
    assert frame["length_km"].tolist() == [0.0, 120.0, 235.0, 305.0, 353.0]
    assert repr(iso) == "<Isochrone from A: nodes within 2 h: 2, 5 h: 5>"
    d = iso.to_dict()
    assert [b["nodes"] for b in d["bands"]] == [2, 5]
    page = render_isochrone_html(iso)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "https://" not in page and "<script" not in page  # offline, no CDN or tiles
    assert page.count("<circle") == 5 and page.count("<line") == 4  # road links only


def test_isochrone_bad_input(toy: corridor.Network) -> None:
    with pytest.raises(UnknownNodeError, match="Atlantis"):
        isochrone(toy, "Atlantis")
    with pytest.raises(ValidationError, match="hours"):
        isochrone(toy, "A", hours=[-1])
    with pytest.raises(ValidationError, match="hours"):
        isochrone(toy, "A", hours=[])
