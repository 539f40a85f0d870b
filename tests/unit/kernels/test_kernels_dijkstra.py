"""Shortest-path kernels against scipy.sparse.csgraph on hundreds of seeded random graphs."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.kernels.dijkstra import astar, dijkstra, dijkstra_to, new_workspace


def random_csr(rng: np.random.Generator, n: int, m: int, zero_share: float = 0.1):
    """A random directed multigraph as CSR arrays (parallel arcs and zero costs included)."""
    tails = rng.integers(0, n, m)
    heads = rng.integers(0, n, m)
    cost = rng.uniform(0.0, 10.0, m)
    cost[rng.random(m) < zero_share] = 0.0
    order = np.argsort(tails, kind="stable")
    tails, heads, cost = tails[order], heads[order], cost[order]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    return indptr, heads.astype(np.int32), cost, tails


def scipy_reference(indptr, heads, cost, n, source):
    """scipy's Dijkstra; parallel arcs reduced to their minimum first (scipy sums duplicates)."""
    tails = np.repeat(np.arange(n), np.diff(indptr))
    best: dict[tuple[int, int], float] = {}
    for t, h, c in zip(tails.tolist(), heads.tolist(), cost.tolist(), strict=True):
        if t != h:
            best[(t, h)] = min(best.get((t, h), np.inf), c)
    if not best:
        out = np.full(n, np.inf)
        out[source] = 0.0
        return out
    keys = np.array(list(best))
    vals = np.array(list(best.values()))
    # scipy reads a stored 0 as "no edge": give zero-cost arcs a negligible positive cost
    vals = np.where(vals == 0.0, 1e-300, vals)
    mat = sp.csr_matrix((vals, (keys[:, 0], keys[:, 1])), shape=(n, n))
    return scipy_dijkstra(mat, directed=True, indices=source)


@pytest.mark.parametrize("seed", range(300))
def test_one_to_all_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    m = int(rng.integers(0, 4 * n))  # sparse ones are often disconnected
    indptr, heads, cost, _ = random_csr(rng, n, m)
    source = int(rng.integers(0, n))
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    dijkstra(indptr, heads, cost, source, dist, pred)
    ref = scipy_reference(indptr, heads, cost, n, source)
    np.testing.assert_allclose(dist, ref, rtol=1e-12, atol=1e-200)
    assert np.array_equal(np.isinf(dist), np.isinf(ref))
    # predecessors describe a tree of shortest paths: dist[v] = dist[tail] + cost[pred]
    tails = np.repeat(np.arange(n), np.diff(indptr))
    has = pred >= 0
    np.testing.assert_allclose(dist[has], dist[tails[pred[has]]] + cost[pred[has]], rtol=1e-12)
    assert np.all(pred[np.isinf(dist)] == -1)
    assert pred[source] == -1


@pytest.mark.parametrize("seed", range(200))
def test_one_to_one_and_astar_match_one_to_all(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(2, 80))
    lon = rng.uniform(0.0, 0.05, n)
    lat = rng.uniform(0.0, 0.05, n)
    m = int(rng.integers(0, 5 * n))
    indptr, heads, _, tails = random_csr(rng, n, m)
    # costs no less than the great-circle distance (km, on radians) x scale, so A* is admissible
    from corridor.units import haversine_km

    gc = haversine_km(
        np.degrees(lon[tails]),
        np.degrees(lat[tails]),
        np.degrees(lon[heads]),
        np.degrees(lat[heads]),
    )
    cost = gc * rng.uniform(1.0, 2.0, m) / 80.0
    scale = 1.0 / 80.0
    ws = new_workspace(n)
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    for _ in range(3):
        s, t = (int(x) for x in rng.integers(0, n, 2))
        dijkstra(indptr, heads, cost, s, dist, pred)
        for total, slots in (
            dijkstra_to(indptr, heads, cost, s, t, ws),
            astar(indptr, heads, cost, s, t, lon, lat, scale, ws),
        ):
            if np.isinf(dist[t]):
                assert np.isinf(total)
                assert slots.size == 0
                continue
            assert total == pytest.approx(dist[t], rel=1e-12, abs=1e-15)
            # the path is a real walk from s to t whose cost is the reported cost
            walk = [s]
            for e in slots:
                assert tails[e] == walk[-1]
                walk.append(int(heads[e]))
            assert walk[-1] == t
            assert cost[slots].sum() == pytest.approx(total, rel=1e-12, abs=1e-15)
        # the workspace is left reset for the next query
        assert np.all(np.isinf(ws[0])) and np.all(ws[1] == -1) and np.all(ws[2] == -1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(0.0, 100.0)), max_size=40),
    st.integers(0, 9),
)
def test_property_triangle_inequality(arcs: list[tuple[int, int, float]], source: int) -> None:
    """For every arc (u, v, c): dist[v] <= dist[u] + c, and dist[source] == 0."""
    n = 10
    tails = np.array([a[0] for a in arcs], dtype=np.int64)
    heads = np.array([a[1] for a in arcs], dtype=np.int32)
    cost = np.array([a[2] for a in arcs], dtype=np.float64)
    order = np.argsort(tails, kind="stable")
    tails, heads, cost = tails[order], heads[order], cost[order]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    dijkstra(indptr, heads, cost, source, dist, pred)
    assert dist[source] == 0.0
    for u, v, c in zip(tails, heads, cost, strict=True):
        assert dist[v] <= dist[u] + c + 1e-9
