"""Warm-started all-or-nothing loads: on every call the same least costs and flows as a
fresh Dijkstra load (itself checked against networkx in the assignment tests), whether the
kept orders fit the new costs, nearly fit or are far off, and with scipy's distances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.graph.index import build_csr
from corridor.kernels.assign import aon_load_serial, aon_load_warm


def _graph(n: int, a: np.ndarray, b: np.ndarray):  # type: ignore[no-untyped-def]
    g = build_csr(a, b, n)
    return g.indptr, g.heads, np.ascontiguousarray(a[g.order], dtype=np.int32), g.order


def _scipy_od(n, a, b, w, blocked, zones):  # type: ignore[no-untyped-def]
    """Zone-to-zone least costs with blocked nodes split into a source and a sink copy."""
    tail = np.where(blocked[a], a + n, a)
    order = np.lexsort((w, b, tail))
    first = np.ones(order.size, bool)
    first[1:] = (tail[order][1:] != tail[order][:-1]) | (b[order][1:] != b[order][:-1])
    sel = order[first]
    mat = csr_matrix((w[sel], (tail[sel], b[sel])), shape=(2 * n, 2 * n))
    src = np.where(blocked[zones], zones + n, zones)
    return scipy_dijkstra(mat, directed=True, indices=src)[:, zones]


def _check_sequence(n, a, b, blocked, zones, demand, costs) -> list[int]:  # type: ignore[no-untyped-def]
    indptr, heads, tails, order = _graph(n, a, b)
    orders = np.zeros((zones.size, n), np.int32)
    counts = np.full(zones.size, -1, np.int64)
    fresh_per_call = []
    for w in costs:
        cost = np.ascontiguousarray(w[order])
        args = (indptr, heads, tails, cost, blocked, zones, demand)
        flows, od, fresh = aon_load_warm(*args, orders, counts)
        want_flows, want_od = aon_load_serial(*args)
        np.testing.assert_allclose(od, want_od, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(flows, want_flows, rtol=1e-12, atol=1e-9)
        truth = _scipy_od(n, a, b, w, blocked, zones)
        np.fill_diagonal(truth, 0.0)  # a zone to itself: no trip
        rows = (demand > 0).any(axis=1)
        np.testing.assert_allclose(od[rows], truth[rows], rtol=1e-12, atol=1e-12)
        fresh_per_call.append(int(fresh))
    return fresh_per_call


@pytest.mark.parametrize("seed", range(12))
def test_warm_loads_equal_fresh_loads(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    n = int(rng.integers(5, 200))
    m = int(rng.integers(n, 5 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    zones = rng.choice(n, size=min(n, 8), replace=False).astype(np.int64)
    blocked = np.zeros(n, bool)
    blocked[zones[: zones.size // 2]] = True
    demand = rng.uniform(0, 5, (zones.size, zones.size)) * (rng.random((zones.size,) * 2) < 0.7)
    w0 = rng.uniform(0.5, 10.0, m)
    if seed % 2:
        w0 = np.round(w0) + 1.0  # ties: the canonical rule must agree
    costs = [
        w0,
        w0,  # unchanged: every kept order fits, no fresh tree
        w0 * (1 + 0.01 * rng.random(m)),  # nearly the same
        rng.uniform(0.5, 10.0, m),  # unrelated: orders far off, fresh trees as needed
        w0 * (1 + rng.random(m)),
    ]
    fresh = _check_sequence(n, a, b, blocked, zones, demand, costs)
    origins = int((demand > 0).any(axis=1).sum())
    assert fresh[0] == origins and fresh[1] == 0


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 20),
    arcs=st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), min_size=1, max_size=60),
    data=st.data(),
)
def test_hypothesis_warm_loads(n: int, arcs: list[tuple[int, int]], data: st.DataObject) -> None:
    kept = np.array([(x, y) for x, y in arcs if x < n and y < n], dtype=np.int64).reshape(-1, 2)
    a, b = kept[:, 0], kept[:, 1]
    m = a.size
    weights = st.lists(st.integers(1, 6), min_size=m, max_size=m)
    costs = [np.array(data.draw(weights), dtype=np.float64) for _ in range(3)]
    z = min(n, 4)
    zones = np.arange(z, dtype=np.int64)
    blocked = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    demand = np.ones((z, z))
    _check_sequence(n, a, b, blocked, zones, demand, costs)
