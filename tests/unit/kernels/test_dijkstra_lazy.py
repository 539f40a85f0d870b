"""The lazy-heap one-to-all Dijkstra: scipy's distances, a valid predecessor tree, every
reachable node settled once (seeded random graphs with ties and zero costs, hypothesis);
its tree-growing twin with blocked nodes against scipy on the graph without the blocked
nodes' out-arcs, with a settle order that is a topological order of the tree and ties
broken by the lowest slot."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.graph.index import build_csr
from corridor.kernels.dijkstra_lazy import dijkstra_lazy, dijkstra_tree_lazy, new_lazy_heap


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


def _check_tree(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    blocked: np.ndarray,
    source: int,
    target: np.ndarray | None = None,
) -> None:
    indptr, heads, cost = _csr(n, a, b, w)
    dist, pred, order = np.empty(n), np.empty(n, np.int64), np.full(n, -1, np.int64)
    mask = np.zeros(n, bool) if target is None else target
    count = dijkstra_tree_lazy(
        indptr,
        heads,
        cost,
        blocked,
        source,
        dist,
        pred,
        order,
        *new_lazy_heap(w.size),
        mask,
        int(mask.sum()),
    )
    # independent truth: scipy on the graph where blocked nodes (but the source) lose
    # their out-arcs
    keep = ~blocked[a] | (a == source)
    want = _scipy(n, a[keep], b[keep], w[keep], source)
    settled = order[:count]
    assert settled[0] == source and np.unique(settled).size == count
    if target is None:
        assert count == int(np.isfinite(want).sum())
        assert np.array_equal(np.isinf(dist), np.isinf(want))
    else:  # stopped early: every reachable target settled, and nothing more than needed
        reachable = np.flatnonzero(target & np.isfinite(want))
        assert np.isin(reachable, settled).all()
        if reachable.size == int(target.sum()) and count > 1:
            assert target[settled[-1]]  # the last node settled is the last target
    assert np.allclose(dist[settled], want[settled], rtol=1e-12, atol=1e-12)
    assert np.all(np.diff(dist[settled]) >= 0)  # settled by distance
    rank = np.full(n, -1)
    rank[settled] = np.arange(count)
    tails = np.repeat(np.arange(n), np.diff(indptr))
    rest = settled[1:]
    slots = pred[rest]
    assert (slots >= 0).all() and np.array_equal(heads[slots], rest)
    parents = tails[slots]
    assert (rank[parents] >= 0).all() and (rank[parents] < rank[rest]).all()  # topological
    assert not (blocked[parents] & (parents != source)).any()  # never through a blocked node
    assert np.allclose(dist[parents] + cost[slots], dist[rest], rtol=1e-12, atol=0)
    # canonical ties: of the positive-cost arcs tight at a node, the lowest slot
    open_tail = (rank[tails] >= 0) & (~blocked[tails] | (tails == source))
    tight = open_tail & (cost > 0) & (dist[tails] + cost == dist[heads])
    for v, e in zip(rest.tolist(), slots.tolist(), strict=True):
        if cost[e] > 0:
            assert e == int(np.flatnonzero(tight & (heads == v)).min())


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("early_exit", [False, True])
def test_tree_with_blocked_nodes_matches_scipy(seed: int, early_exit: bool) -> None:
    rng = np.random.default_rng(900 + seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(0, 5 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    w = rng.uniform(0.0, 10.0, m)
    if seed % 2:
        w = np.round(w)
    blocked = rng.random(n) < 0.2
    source = int(rng.integers(0, n))
    blocked[source] = bool(seed % 3 == 0)  # a blocked source is still expanded
    target = (rng.random(n) < 0.1) if early_exit else None
    _check_tree(n, a, b, w, blocked, source, target)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 25),
    arcs=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24), st.integers(0, 5))),
    blocked=st.lists(st.booleans(), min_size=25, max_size=25),
    target=st.one_of(st.none(), st.lists(st.booleans(), min_size=25, max_size=25)),
)
def test_hypothesis_trees_match_scipy(
    n: int, arcs: list[tuple[int, int, int]], blocked: list[bool], target: list[bool] | None
) -> None:
    kept = [(x, y, c) for x, y, c in arcs if x < n and y < n]
    arr = np.array(kept, dtype=np.int64).reshape(-1, 3)
    mask = None if target is None else np.array(target[:n])
    _check_tree(n, arr[:, 0], arr[:, 1], arr[:, 2].astype(float), np.array(blocked[:n]), 0, mask)


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
