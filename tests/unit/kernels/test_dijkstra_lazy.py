"""The lazy-heap one-to-all Dijkstra: scipy's distances, a valid predecessor tree, every
reachable node settled once (seeded random graphs with ties and zero costs, hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.graph.index import build_csr
from corridor.kernels.dijkstra_lazy import dijkstra_lazy, new_lazy_heap


def _csr(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray):
    g = build_csr(a, b, n)
    return g.indptr, g.heads, np.ascontiguousarray(w[g.order], dtype=np.float64)


def _scipy(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, source: int) -> np.ndarray:
    """scipy's answer; parallel arcs reduced to the cheapest (scipy would add them up),
    zero costs raised to a tiny positive value (scipy drops explicit zeros)."""
    order = np.lexsort((w, b, a))
    first = np.ones(order.size, bool)
    first[1:] = (a[order][1:] != a[order][:-1]) | (b[order][1:] != b[order][:-1])
    sel = order[first]
    mat = csr_matrix((np.maximum(w[sel], 1e-300), (a[sel], b[sel])), shape=(n, n))
    return scipy_dijkstra(mat, directed=True, indices=source)


def _check(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, source: int) -> None:
    indptr, heads, cost = _csr(n, a, b, w)
    dist, pred = np.empty(n), np.empty(n, np.int64)
    settled = dijkstra_lazy(indptr, heads, cost, source, dist, pred, *new_lazy_heap(w.size))
    want = _scipy(n, a, b, w, source)
    assert np.allclose(dist, want, rtol=1e-12, atol=1e-12)
    assert np.array_equal(np.isinf(dist), np.isinf(want))
    assert settled == int(np.isfinite(want).sum())
    tails = np.repeat(np.arange(n), np.diff(indptr))
    reached = np.flatnonzero(np.isfinite(dist) & (np.arange(n) != source))
    slots = pred[reached]
    assert (slots >= 0).all() and np.array_equal(heads[slots], reached)
    assert np.allclose(dist[tails[slots]] + cost[slots], dist[reached], rtol=1e-12, atol=0)
    assert pred[source] == -1 and (pred[np.isinf(dist)] == -1).all()


@pytest.mark.parametrize("seed", range(20))
def test_random_graphs_match_scipy(seed: int) -> None:
    rng = np.random.default_rng(600 + seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(0, 5 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    w = rng.uniform(0.0, 10.0, m)
    if seed % 2:
        w = np.round(w)  # ties and zero costs
    _check(n, a, b, w, int(rng.integers(0, n)))


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 25),
    arcs=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24), st.integers(0, 5))),
)
def test_hypothesis_graphs_match_scipy(n: int, arcs: list[tuple[int, int, int]]) -> None:
    kept = [(x, y, c) for x, y, c in arcs if x < n and y < n]
    arr = np.array(kept, dtype=np.int64).reshape(-1, 3)
    _check(n, arr[:, 0], arr[:, 1], arr[:, 2].astype(float), 0)


def _tree_check(seed: int, blocked_share: float) -> None:
    """dijkstra_tree_lazy against scipy on the graph without the blocked nodes' out-arcs
    (the source's kept), and against the indexed-heap dijkstra_tree."""
    from corridor.kernels.dijkstra import dijkstra_tree
    from corridor.kernels.dijkstra_lazy import dijkstra_tree_lazy

    rng = np.random.default_rng(900 + seed)
    n = int(rng.integers(1, 200))
    m = int(rng.integers(0, 5 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    w = np.round(rng.uniform(0.0, 6.0, m))  # ties and zero costs
    blocked = rng.random(n) < blocked_share
    source = int(rng.integers(0, n))
    indptr, heads, cost = _csr(n, a, b, w)
    dist, pred, order = np.empty(n), np.empty(n, np.int64), np.empty(n, np.int64)
    count = dijkstra_tree_lazy(
        indptr, heads, cost, blocked, source, dist, pred, order, *new_lazy_heap(m)
    )
    keep = ~blocked[a] | (a == source)
    want = _scipy(n, a[keep], b[keep], w[keep], source)
    assert np.allclose(dist, want, rtol=1e-12, atol=1e-12)
    assert np.array_equal(np.isinf(dist), np.isinf(want))
    assert count == int(np.isfinite(want).sum())
    settled = order[:count]
    assert np.unique(settled).size == count and settled[0] == source
    rank = np.full(n, -1)
    rank[settled] = np.arange(count)
    tails = np.repeat(np.arange(n), np.diff(indptr))
    rest = settled[1:]
    # every predecessor is settled earlier (a topological order of the tree) and tight
    assert (rank[tails[pred[rest]]] < rank[rest]).all()
    assert np.allclose(dist[tails[pred[rest]]] + cost[pred[rest]], dist[rest], atol=0)
    d2, p2, o2 = np.empty(n), np.empty(n, np.int64), np.empty(n, np.int64)
    c2 = dijkstra_tree(
        indptr, heads, cost, blocked, source, d2, p2, o2,
        np.empty(n, np.int32), np.empty(n), np.empty(n, np.int32),
    )  # fmt: skip
    assert c2 == count and np.array_equal(d2, dist)


@pytest.mark.parametrize("seed", range(16))
def test_tree_with_blocked_nodes_matches_scipy_and_indexed_heap(seed: int) -> None:
    _tree_check(seed, blocked_share=0.0 if seed < 4 else 0.3)


@pytest.mark.parametrize("seed", range(6))
def test_skim_kernel_matches_scipy(seed: int) -> None:
    """The parallel skim kernel (now on the lazy heap): scipy's matrix, unreachable inf,
    and attributes summed along a least-cost path (a constant attribute of 1 per arc on
    a graph whose every arc costs 1 gives the hop count = the cost)."""
    from corridor.kernels.skim import skim_dijkstra

    rng = np.random.default_rng(50 + seed)
    n = int(rng.integers(2, 120))
    m = int(rng.integers(0, 4 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    w = np.round(rng.uniform(0.0, 5.0, m)) if seed % 2 else np.ones(m)
    indptr, heads, cost = _csr(n, a, b, w)
    tails = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    origins = rng.integers(0, n, 7).astype(np.int64)
    dests = rng.integers(0, n, 9).astype(np.int64)
    attrs = np.ones((1, m)) if m else np.ones((1, 0))
    values, sums = skim_dijkstra(
        indptr, heads, tails, cost, attrs, np.zeros(n, np.bool_), origins, dests, 3
    )
    want = np.array([_scipy(n, a, b, w, int(s))[dests] for s in origins]).reshape(7, 9)
    assert np.allclose(values, want, rtol=1e-12, atol=1e-12)
    assert np.array_equal(np.isinf(values), np.isinf(want))
    assert np.array_equal(np.isinf(sums[0]), np.isinf(want))
    if seed % 2 == 0:
        assert np.array_equal(sums[0], values)
