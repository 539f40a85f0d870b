"""Network -> CSR graph: arcs, directions, modes, costs, cache, and routes vs networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.graph import compile_graph, parse_modes
from corridor.units import haversine_km


def test_two_way_links_give_two_arcs(toy: corridor.Network) -> None:
    g = compile_graph(toy, modes="road", weight="length_km")
    assert g.n_nodes == 5
    assert g.n_arcs == 2 * 4  # four road links, both directions
    tails_ids = g.node_ids[g.tails]
    heads_ids = g.node_ids[g.heads]
    arcs = set(zip(tails_ids.tolist(), heads_ids.tolist(), strict=True))
    assert (1, 2) in arcs and (2, 1) in arcs and (5, 3) in arcs and (3, 5) in arcs
    assert np.all(np.diff(g.tails) >= 0)  # sorted by tail: CSR
    assert np.array_equal(np.repeat(np.arange(5), np.diff(g.indptr)), g.tails)


def test_oneway_and_closed_links(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links.loc[0, "oneway"] = True
    links.loc[1, "closed"] = pd.Timestamp("2020-01-01")
    g = compile_graph(toy.with_links(links), modes="road", weight="length_km")
    arcs = set(zip(g.node_ids[g.tails].tolist(), g.node_ids[g.heads].tolist(), strict=True))
    assert (1, 2) in arcs and (2, 1) not in arcs
    assert (2, 3) not in arcs


def test_time_weight_and_router_keeps_graphs(toy: corridor.Network) -> None:
    g = compile_graph(toy, modes=["rail"], weight="time_h")
    assert sorted(g.cost.tolist()) == pytest.approx(sorted([3.0, 3.0, 190 / 60, 190 / 60]))
    router = corridor.router_for(toy)
    kept = router.graph(["rail"], "time_h")
    np.testing.assert_array_equal(kept.cost, g.cost)
    assert router.graph("rail", "time") is kept
    assert router.graph("road", "time_h") is not kept


def test_heuristic_scale_is_a_lower_bound(toy: corridor.Network) -> None:
    g = compile_graph(toy, modes="any", weight="time_h")
    gc = haversine_km(
        np.degrees(g.lon_rad[g.tails]),
        np.degrees(g.lat_rad[g.tails]),
        np.degrees(g.lon_rad[g.heads]),
        np.degrees(g.lat_rad[g.heads]),
    )
    assert np.all(g.cost >= g.heuristic_scale * gc)
    assert g.heuristic_scale > 0


def test_bad_weights_and_modes(toy: corridor.Network) -> None:
    with pytest.raises(corridor.ValidationError, match="no such numeric column"):
        compile_graph(toy, weight="minutes")
    with pytest.raises(corridor.SchemaError, match="negative or NaN"):
        compile_graph(toy, weight=-np.ones(len(toy.links)))
    with pytest.raises(corridor.ValidationError, match="unknown mode") as bad_mode:
        parse_modes("hovercraft")
    assert not isinstance(bad_mode.value, corridor.SchemaError)
    with pytest.raises(corridor.UnknownNodeError, match="99"):
        compile_graph(toy).index_of([1, 99])


def _random_network(seed: int) -> corridor.Network:
    rng = np.random.default_rng(seed)
    n = 40
    nodes = pd.DataFrame(
        {
            "node_id": rng.permutation(np.arange(100, 100 + n)),
            "name": [f"P{i}" for i in range(n)],
            "kind": "city",
            "country": "RU",
            "lon": rng.uniform(30, 60, n),
            "lat": rng.uniform(50, 60, n),
        }
    )
    m = 90
    a = rng.integers(0, n, m)
    b = (a + rng.integers(1, n, m)) % n
    ids = nodes["node_id"].to_numpy()
    gc = haversine_km(
        nodes["lon"].to_numpy()[a],
        nodes["lat"].to_numpy()[a],
        nodes["lon"].to_numpy()[b],
        nodes["lat"].to_numpy()[b],
    )
    links = pd.DataFrame(
        {
            "link_id": np.arange(m),
            "a_node": ids[a],
            "b_node": ids[b],
            "oneway": rng.random(m) < 0.3,
            "mode": rng.choice(["road", "rail"], m),
            "length_km": gc * rng.uniform(1.05, 1.6, m),
            "speed_kmh": rng.uniform(40, 110, m),
        }
    )
    return corridor.Network(nodes, links)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("mode", ["road", "any"])
def test_routes_match_networkx(seed: int, mode: str) -> None:
    net = _random_network(seed)
    links = net.links if mode == "any" else net.links[net.links["mode"] == mode]
    graph = nx.DiGraph()
    graph.add_nodes_from(net.nodes["node_id"])
    for row in links.itertuples():
        t = row.length_km / row.speed_kmh
        pairs = [(row.a_node, row.b_node)] + ([] if row.oneway else [(row.b_node, row.a_node)])
        for u, v in pairs:
            if not graph.has_edge(u, v) or graph[u][v]["w"] > t:
                graph.add_edge(u, v, w=t)
    rng = np.random.default_rng(seed)
    ids = net.nodes["node_id"].to_numpy()
    for _ in range(5):
        o, d = (int(x) for x in rng.choice(ids, 2, replace=False))
        try:
            expected = nx.dijkstra_path_length(graph, o, d, weight="w")
        except nx.NetworkXNoPath:
            with pytest.raises(corridor.NoPathError):
                corridor.route(net, o, d, modes=mode)
            continue
        r = corridor.route(net, o, d, modes=mode)
        assert r.time_h == pytest.approx(expected, rel=1e-9)
        assert r.cost == pytest.approx(expected, rel=1e-9)
        assert r.node_ids[0] == o and r.node_ids[-1] == d
        # the route's geometry runs from origin to destination
        start = net.nodes.set_index("node_id").loc[o, ["lon", "lat"]].to_numpy(float)
        assert np.allclose(r.geometry.coords[0], start)
