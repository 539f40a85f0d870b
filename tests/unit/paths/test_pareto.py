"""Pareto sets (time, cost, CO2) checked against brute-force enumeration of simple paths."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import corridor
from corridor.costs import compile_cost_graph, load_profile
from corridor.kernels.labels import pareto_paths
from corridor.paths.router import router_for


def _nondominated(vectors: np.ndarray) -> set[tuple[float, ...]]:
    keep = set()
    for i, v in enumerate(vectors):
        dominated = any(
            (vectors[j] <= v).all() and (vectors[j] < v).any()
            for j in range(len(vectors))
            if j != i
        )
        if not dominated:
            keep.add(tuple(np.round(v, 9)))
    return keep


def _csr(n: int, tails: np.ndarray, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(tails, kind="stable")
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    return indptr, heads[order].astype(np.int32), order


@pytest.mark.parametrize("seed", range(25))
def test_kernel_matches_brute_force_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 9))
    m = int(rng.integers(n, 3 * n))
    tails = rng.integers(0, n, m)
    heads = rng.integers(0, n, m)
    ok = tails != heads
    tails, heads = tails[ok], heads[ok]
    weights = rng.integers(0, 6, (tails.size, 3)).astype(np.float64)
    indptr, csr_heads, order = _csr(n, tails, heads)
    w = weights[order]
    values, paths, complete = pareto_paths(indptr, csr_heads, w, 0, n - 1)
    assert complete
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    for e, (a, b) in enumerate(zip(tails[order], csr_heads, strict=True)):
        g.add_edge(int(a), int(b), key=e)
    brute = [w[[k for _, _, k in p]].sum(axis=0) for p in nx.all_simple_edge_paths(g, 0, n - 1)]
    expected = _nondominated(np.array(brute)) if brute else set()
    assert {tuple(np.round(v, 9)) for v in values} == expected
    # each path's criteria equal the reported values, and the paths run 0 -> n-1
    for v, slots in zip(values, paths, strict=True):
        assert np.allclose(w[slots].sum(axis=0), v)
        tail_of = np.searchsorted(indptr, slots, side="right") - 1
        assert tail_of[0] == 0 and csr_heads[slots[-1]] == n - 1
        assert (csr_heads[slots[:-1]] == tail_of[1:]).all()


def test_api_pareto_set_equals_brute_force_on_the_cost_graph() -> None:
    from tests.unit.paths.test_alternatives import three_crossings

    net = three_crossings()
    prof = load_profile("truck40")
    rs = corridor.pareto(net, "O", "D", profile=prof)
    cg = compile_cost_graph(net, prof)
    router = router_for(net)
    src, dst = router.hubs(cg, router.search(cg), 1, 5)  # no turns: the cost graph itself
    g = nx.MultiDiGraph()
    tails = np.searchsorted(cg.indptr, np.arange(cg.n_arcs), side="right") - 1
    for e in range(cg.n_arcs):
        g.add_edge(int(tails[e]), int(cg.heads[e]), key=e)
    crit = np.column_stack([cg.weight("time"), cg.weight("cost"), cg.weight("co2")])
    brute = np.array(
        [crit[[k for _, _, k in p]].sum(axis=0) for p in nx.all_simple_edge_paths(g, src, dst)]
    )
    expected = _nondominated(brute)
    got = {tuple(np.round(v, 9)) for v in rs.values}
    assert got == expected
    assert rs.criteria == ("time", "cost", "co2")
    for r, v in zip(rs.routes, rs.values, strict=True):  # money and CO2 are exact sums
        assert (r.cost_usd, r.co2_kg) == pytest.approx(v[1:])
        assert r.time_h - r.rest_h <= v[0] + 1e-9
    assert len(rs) >= 2 and rs.complete
    times = [r.time_h for r in rs]
    assert rs.to_dict()["routes"][0]["totals"]["time_h"] == pytest.approx(times[0], abs=1e-4)


def test_pareto_needs_two_criteria(toy: corridor.Network) -> None:
    with pytest.raises(corridor.ValidationError, match="two or more"):
        corridor.pareto(toy, "A", "D", profile="truck40", criteria=["time"])
    with pytest.raises(corridor.NoPathError):
        corridor.pareto(toy, "A", "C", profile="train")
