"""Point-to-point queries on a contraction hierarchy: the least cost of Dijkstra, and a
path that chains from origin to destination, costs that much and never passes a
no-through node (seeded random graphs, threads, TNTP Anaheim)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from corridor.errors import ValidationError
from corridor.paths.skim import build_hierarchy, skim_graph_from_links, skim_on

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "tntp"


def _check_path(g, arcs: np.ndarray, o: int, d: int, cost: float, blocked: set[int]) -> None:
    tails, heads = g.tails[arcs], g.heads[arcs]
    assert tails[0] == o and heads[-1] == d
    assert np.array_equal(heads[:-1], tails[1:]), "arcs do not chain"
    assert not (set(heads[:-1].tolist()) & blocked), "path passes a no-through node"
    assert float(g.cost[arcs].sum()) == pytest.approx(cost, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("seed", range(60))
def test_one_to_one_equals_dijkstra_with_a_valid_path(seed: int) -> None:
    rng = np.random.default_rng(9100 + seed)
    n = int(rng.integers(2, 80))
    m = int(rng.integers(0, 4 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)  # self-loops and parallel arcs too
    cost = rng.uniform(0.0, 10.0, m)
    if seed % 3 == 0:
        cost = np.round(cost)  # ties and zero costs
    blocked = np.flatnonzero(rng.random(n) < 0.2) if seed % 2 else np.zeros(0, np.int64)
    g = skim_graph_from_links(a, b, cost, node_ids=np.arange(n), no_through=blocked)
    h = build_hierarchy(g)
    want, _, _ = skim_on(g, np.arange(n), np.arange(n), method="dijkstra")
    nodes = set(g.index_of(blocked).tolist()) if blocked.size else set()
    pairs = [(o, d) for o in range(n) for d in range(n)]
    for k in rng.permutation(len(pairs))[:250]:
        o, d = pairs[k]
        got, arcs = h.one_to_one(o, d)
        assert got == pytest.approx(want[o, d], rel=1e-12, abs=1e-12) or (
            np.isinf(got) and np.isinf(want[o, d])
        )
        if o != d and np.isfinite(got):
            _check_path(g, arcs, o, d, got, nodes)
        else:
            assert arcs.size == 0
        alone, none = h.one_to_one(o, d, path=False)
        assert alone == got and none.size == 0


def test_threads_each_use_their_own_workspace() -> None:
    rng = np.random.default_rng(7)
    n, m = 400, 1600
    g = skim_graph_from_links(rng.integers(0, n, m), rng.integers(0, n, m), rng.uniform(1, 9, m))
    h = build_hierarchy(g)
    pairs = rng.integers(0, n, (300, 2))
    serial = [h.one_to_one(int(o), int(d))[0] for o, d in pairs]
    results: list[list[float]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        results[i] = [h.one_to_one(int(o), int(d))[0] for o, d in pairs]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == serial for r in results)


def test_a_node_outside_the_graph_is_refused() -> None:
    h = build_hierarchy(skim_graph_from_links([1, 2], [2, 1], [1.0, 1.0]))
    with pytest.raises(ValidationError, match="outside"):
        h.one_to_one(0, 5)


@pytest.mark.skipif(
    not (DATA / "Anaheim" / "Anaheim_net.tntp").exists(),
    reason="shared TNTP data (../shared/data/tntp/Anaheim) not present",
)
def test_anaheim_queries_match_dijkstra() -> None:
    from corridor.assignment.tntp import read_tntp_network

    net = read_tntp_network(DATA / "Anaheim" / "Anaheim_net.tntp")
    g = skim_graph_from_links(
        net.a_node, net.b_node, net.free_flow_time, node_ids=net.node_ids, no_through=net.no_through
    )
    h = build_hierarchy(g)
    rng = np.random.default_rng(11)
    o, d = rng.integers(0, g.n_nodes, 200), rng.integers(0, g.n_nodes, 200)
    want, _, _ = skim_on(g, o, d, method="dijkstra")
    blocked = set(np.flatnonzero(g.blocked).tolist())
    for i in range(o.size):
        got, arcs = h.one_to_one(int(o[i]), int(d[i]))
        assert got == pytest.approx(want[i, i], rel=1e-12) or np.isinf(want[i, i])
        if np.isfinite(got) and o[i] != d[i]:
            _check_path(g, arcs, int(o[i]), int(d[i]), got, blocked)
