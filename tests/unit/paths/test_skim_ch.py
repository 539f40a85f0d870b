"""Contraction-hierarchy skims equal plain Dijkstra ones (seeded random graphs, TNTP)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridor.paths.hierarchy import hierarchy_built
from corridor.paths.skim import build_hierarchy, skim_graph_from_links, skim_on

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "tntp"


@pytest.mark.parametrize("seed", range(80))
def test_ch_equals_dijkstra_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(5000 + seed)
    n = int(rng.integers(2, 70))
    m = int(rng.integers(0, 4 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)  # self-loops and parallel arcs too
    cost = rng.uniform(0.0, 10.0, m)
    unique_paths = seed % 4 == 1  # continuous, positive costs: least-cost paths unique a.s.
    if not unique_paths:
        cost[rng.random(m) < 0.15] = 0.0
    if seed % 4 == 0:
        cost = np.round(cost)  # many ties
    blocked = np.flatnonzero(rng.random(n) < 0.2) if seed % 2 else None
    g = skim_graph_from_links(
        a,
        b,
        cost,
        attrs={"length_km": rng.uniform(0.0, 5.0, m)},
        node_ids=np.arange(n),
        no_through=blocked,
    )
    o = rng.permutation(n)[: int(rng.integers(1, n + 1))]
    d = rng.permutation(n)[: int(rng.integers(1, n + 1))]
    v_dij, s_dij, _ = skim_on(g, o, d, method="dijkstra")
    v_ch, s_ch, used = skim_on(g, o, d, method="ch")
    assert used == "ch"
    np.testing.assert_allclose(v_ch, v_dij, rtol=1e-12, atol=1e-12)
    assert np.array_equal(np.isinf(v_ch), np.isinf(v_dij))
    if unique_paths:  # then the sums along it agree too
        np.testing.assert_allclose(s_ch, s_dij, rtol=1e-9, atol=1e-9)


def test_hierarchy_repr_and_cache() -> None:
    g = skim_graph_from_links([1, 2, 3], [2, 3, 1], [1.0, 2.0, 3.0])
    h = build_hierarchy(g)
    assert repr(h).startswith("<Hierarchy 3 nodes")
    v, _, _ = skim_on(g, np.arange(3), np.arange(3), method="ch")
    np.testing.assert_array_equal(v, [[0, 1, 3], [5, 0, 2], [3, 4, 0]])
    assert hierarchy_built(g)


@pytest.mark.skipif(
    not (DATA / "Anaheim" / "Anaheim_net.tntp").exists(),
    reason="shared TNTP data (../shared/data/tntp/Anaheim) not present",
)
def test_ch_equals_dijkstra_on_anaheim_with_no_through_zones() -> None:
    from corridor.assignment.tntp import read_tntp_network

    net = read_tntp_network(DATA / "Anaheim" / "Anaheim_net.tntp")
    g = skim_graph_from_links(
        net.a_node,
        net.b_node,
        net.free_flow_time,
        attrs={"length": net.length},
        node_ids=net.node_ids,
        no_through=net.no_through,
    )
    z = g.index_of(net.zones)
    v_dij, s_dij, _ = skim_on(g, z, z, method="dijkstra")
    v_ch, s_ch, _ = skim_on(g, z, z, method="ch")
    np.testing.assert_allclose(v_ch, v_dij, rtol=1e-12, atol=1e-12)
    assert np.array_equal(np.isinf(v_ch), np.isinf(v_dij))
    assert np.array_equal(np.isinf(s_ch[0]), np.isinf(s_dij[0]))
    assert np.array_equal(np.isinf(s_ch[0]), np.isinf(v_ch))


@pytest.mark.parametrize("seed", range(40))
def test_sweep_and_buckets_agree_with_dijkstra(seed: int) -> None:
    rng = np.random.default_rng(9000 + seed)
    n = int(rng.integers(2, 90))
    m = int(rng.integers(0, 4 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    cost = rng.uniform(0.0, 10.0, m)
    cost[rng.random(m) < 0.1] = 0.0
    blocked = np.flatnonzero(rng.random(n) < 0.2) if seed % 2 else None
    g = skim_graph_from_links(
        a, b, cost, attrs={"km": rng.uniform(0, 3, m)}, node_ids=np.arange(n), no_through=blocked
    )
    o = rng.permutation(n)[: int(rng.integers(1, n + 1))]  # fewer or more than 8 lanes
    d = rng.permutation(n)[: int(rng.integers(1, n + 1))]
    ref, ref_sums, _ = skim_on(g, o, d, method="dijkstra")
    h = build_hierarchy(g, settle_limit=int(rng.integers(1, 60)))  # any limit stays exact
    for sweep in (True, False):
        v, s = h.many_to_many(o, d, sweep=sweep)
        np.testing.assert_allclose(v, ref, rtol=1e-12, atol=1e-12)
        assert np.array_equal(np.isinf(v), np.isinf(ref))
        assert np.array_equal(np.isinf(s), np.isinf(ref_sums))


@pytest.mark.parametrize("seed", range(20))
def test_decimal_costs_give_bit_identical_results(seed: int) -> None:
    """Costs given to the hundredth are summed exactly (scaled to whole numbers), so
    contraction hierarchies and Dijkstra agree to the last bit, sums included."""
    rng = np.random.default_rng(700 + seed)
    n = int(rng.integers(5, 80))
    m = 4 * n
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    cost = np.round(rng.uniform(0.0, 10.0, m), 2)
    km = np.round(rng.uniform(0.0, 50.0, m), 1)
    g = skim_graph_from_links(a, b, cost, attrs={"km": km}, node_ids=np.arange(n))
    _, _, scale, attr_scales = g.kernel_arrays
    assert scale == 100.0 and attr_scales.tolist() == [10.0]
    o = np.arange(n)
    v_dij, s_dij, _ = skim_on(g, o, o, method="dijkstra")
    v_ch, s_ch, _ = skim_on(g, o, o, method="ch")
    np.testing.assert_array_equal(v_ch, v_dij)
    # each value is the correctly rounded decimal sum of the path's costs
    fin = np.isfinite(v_dij)
    np.testing.assert_array_equal(v_dij[fin], np.round(v_dij[fin], 2))
    if seed % 2:  # random ties aside, the sums agree too wherever the path is unique
        assert np.array_equal(np.isinf(s_ch), np.isinf(s_dij))


def test_non_decimal_costs_are_not_scaled() -> None:
    g = skim_graph_from_links([1, 2], [2, 3], [1.0 / 3.0, np.pi])
    assert g.kernel_arrays[2] == 1.0


def test_auto_picks_ch_only_where_it_pays() -> None:
    from corridor.paths.skim import SkimMethod, auto_method, hierarchy_of

    side = 50  # a 2,500-node grid
    ids = np.arange(side * side).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    g = skim_graph_from_links(np.r_[a, b], np.r_[b, a], np.ones(2 * a.size))
    assert auto_method(g, 100, 100) is SkimMethod.DIJKSTRA
    assert auto_method(g, 1000, 900) is SkimMethod.CH
    assert auto_method(g, 1000, 10) is SkimMethod.DIJKSTRA
    hierarchy_of(g)  # once built, its queries are cheap
    assert auto_method(g, 100, 100) is SkimMethod.CH
    assert auto_method(g, 10, 10) is SkimMethod.DIJKSTRA
