"""Customisable contraction hierarchies: exact distances against scipy's Dijkstra (random
graphs, hypothesis graphs, the DIMACS NY road graph), valid unpacked paths, and partial
re-customisation identical to a full customisation of the new weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor.errors import ValidationError
from corridor.kernels.cch_order import bfs_order, have_metis, nested_dissection_order, undirected
from corridor.kernels.cch_topology import chordal_supergraph
from corridor.paths.hierarchy import Hierarchy, build_cch
from corridor.paths.skim import build_hierarchy, skim_graph_from_links, skim_on

ROADS = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "roadgraphs"


def _scipy(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, sources=None) -> np.ndarray:
    """scipy's all-pairs (or from `sources`) least costs; parallel arcs reduced to the
    cheapest first (scipy would sum duplicates); costs must be > 0 (scipy drops zeros)."""
    keep = a != b
    order = np.lexsort((w[keep], b[keep], a[keep]))
    aa, bb, ww = a[keep][order], b[keep][order], w[keep][order]
    first = np.ones(aa.size, bool)
    first[1:] = (aa[1:] != aa[:-1]) | (bb[1:] != bb[:-1])
    mat = csr_matrix((ww[first], (aa[first], bb[first])), shape=(n, n))
    return dijkstra(mat, directed=True, indices=sources)


def _graph(rng: np.random.Generator, n: int, m: int, *, low: float = 1.0):
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    w = np.round(rng.uniform(low, 20.0, m), 1)
    return a, b, w


def _same_customisation(got: Hierarchy, want: Hierarchy) -> None:
    """Same weights (in graph units: a graph built afresh may scale its costs to whole
    numbers differently), the same chosen arcs and shortcuts, the same sums."""
    for name in ("up_w", "dn_w"):
        assert np.array_equal(getattr(got, name) / got.scale, getattr(want, name) / want.scale)
    for name in ("up_attr", "dn_attr"):
        mine = getattr(got, name) / got.attr_scales[:, None]
        theirs = getattr(want, name) / want.attr_scales[:, None]
        assert np.array_equal(mine, theirs), name
    for name in ("up_edge", "dn_edge", "child1", "child2"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


@pytest.mark.parametrize("seed", range(12))
def test_distances_equal_scipy_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(4200 + seed)
    n = int(rng.integers(2, 120))
    a, b, w = _graph(rng, n, int(rng.integers(0, 4 * n)))
    g = skim_graph_from_links(a, b, w, node_ids=np.arange(n))
    h = build_cch(g)
    want = _scipy(n, a, b, w)
    got, _ = h.many_to_many(np.arange(n), np.arange(n))
    assert np.allclose(got, want, rtol=0, atol=1e-9) and np.array_equal(
        np.isinf(got), np.isinf(want)
    )
    for o, d in rng.integers(0, n, (100, 2)):
        cost, arcs = h.one_to_one(int(o), int(d))
        assert cost == pytest.approx(want[o, d], abs=1e-9) or np.isinf(want[o, d])
        if o != d and np.isfinite(cost):
            assert g.tails[arcs[0]] == o and g.heads[arcs[-1]] == d
            assert np.array_equal(g.heads[arcs[:-1]], g.tails[arcs[1:]])
            assert g.cost[arcs].sum() == pytest.approx(cost, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 30),
    data=st.data(),
)
def test_hypothesis_graphs_match_scipy_with_either_order(n: int, data: st.DataObject) -> None:
    m = data.draw(st.integers(0, 5 * n))
    a = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), np.int64)
    b = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), np.int64)
    w = np.array(data.draw(st.lists(st.integers(1, 9), min_size=m, max_size=m)), float)
    g = skim_graph_from_links(a, b, w, node_ids=np.arange(n))
    want = _scipy(n, a, b, w)
    orders = [None, bfs_order(undirected(n, a, b), leaf=2)]
    for order in orders:
        got, _ = build_cch(g, order=order).many_to_many(np.arange(n), np.arange(n))
        assert np.array_equal(got, want)


@pytest.mark.parametrize("seed", range(8))
def test_no_through_nodes_match_the_classic_hierarchy(seed: int) -> None:
    rng = np.random.default_rng(77 + seed)
    n = int(rng.integers(3, 60))
    a, b, w = _graph(rng, n, 3 * n, low=0.0)
    blocked = np.flatnonzero(rng.random(n) < 0.25)
    g = skim_graph_from_links(a, b, w, node_ids=np.arange(n), no_through=blocked)
    want, _, _ = skim_on(g, np.arange(n), np.arange(n), method="dijkstra")
    h = build_cch(g)
    got, _ = h.many_to_many(np.arange(n), np.arange(n))
    assert np.array_equal(got, want)
    classic, _ = build_hierarchy(g).many_to_many(np.arange(n), np.arange(n))
    assert np.array_equal(got, classic)
    inner = set(blocked.tolist())
    for o, d in rng.integers(0, n, (60, 2)):
        cost, arcs = h.one_to_one(int(o), int(d))
        assert cost == want[o, d]
        if arcs.size:
            assert not set(g.heads[arcs[:-1]].tolist()) & inner


def test_attribute_sums_follow_the_chosen_paths() -> None:
    rng = np.random.default_rng(5)
    n = 80
    a, b, w = _graph(rng, n, 320)
    km = np.round(rng.uniform(0, 50, a.size), 2)
    g = skim_graph_from_links(a, b, w, attrs={"length_km": km}, node_ids=np.arange(n))
    h = build_cch(g)
    values, sums = h.many_to_many(np.arange(n), np.arange(n))
    for o, d in rng.integers(0, n, (80, 2)):
        cost, arcs = h.one_to_one(int(o), int(d))
        if o != d and np.isfinite(cost):
            # the sum rides the same unpacking as the path (ties may pick another path)
            assert g.cost[arcs].sum() == pytest.approx(values[o, d])
    want = _scipy(n, a, b, w)
    assert np.allclose(values, want)
    assert np.isfinite(sums[0][np.isfinite(values)]).all()


def test_the_topology_is_chordal_and_contains_the_graph() -> None:
    rng = np.random.default_rng(3)
    n = 200
    a, b, _ = _graph(rng, n, 600)
    rank = nested_dissection_order(n, a, b)
    adj = undirected(n, rank[a], rank[b])
    lo = np.repeat(np.arange(n), np.diff(adj.indptr))
    up = adj.indices > lo
    order = np.argsort(lo[up], kind="stable")
    g_indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(lo[up], minlength=n), out=g_indptr[1:])
    up_indptr, up_head, parent = chordal_supergraph(n, g_indptr, adj.indices[up][order])
    rows = [set(up_head[up_indptr[v] : up_indptr[v + 1]].tolist()) for v in range(n)]
    for v, x in zip(lo[up], adj.indices[up], strict=True):
        assert x in rows[v]  # every graph edge is an edge of the supergraph
    for v in range(n):  # upper neighbours of every node are pairwise adjacent
        ups = sorted(rows[v])
        for i, x in enumerate(ups):
            assert set(ups[i + 1 :]) <= rows[x]
        assert parent[v] == (ups[0] if ups else -1)


def _fill(n: int, a: np.ndarray, b: np.ndarray, rank: np.ndarray) -> tuple[int, int]:
    """Edges of the chordal supergraph and height of the elimination tree for `rank`."""
    lo, hi = np.minimum(rank[a], rank[b]), np.maximum(rank[a], rank[b])
    order = np.argsort(lo, kind="stable")
    g_indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(lo, minlength=n), out=g_indptr[1:])
    _, up_head, parent = chordal_supergraph(n, g_indptr, hi[order])
    depth = np.zeros(n, np.int64)
    for x in range(n - 1, -1, -1):
        if parent[x] >= 0:
            depth[x] = depth[parent[x]] + 1
    return int(up_head.size), int(depth.max())


def test_bfs_order_dissects_a_grid() -> None:
    side = 30
    idx = np.arange(side * side).reshape(side, side)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    n = side * side
    rank = bfs_order(undirected(n, a, b), leaf=16)
    assert np.array_equal(np.sort(rank), np.arange(n))
    edges, height = _fill(n, a, b, rank)
    random_edges, random_height = _fill(n, a, b, np.random.default_rng(0).permutation(n))
    # nested dissection of a k x k grid: O(k^2 log k) fill and O(k) height (George 1973);
    # measured 11,474 edges and height 86 against a random order's 69,433 and 401
    assert edges < random_edges / 4 and height < 4 * side
    assert height < random_height / 3


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n_changes=st.integers(1, 6))
def test_partial_recustomisation_equals_full(seed: int, n_changes: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 70))
    a, b, w = _graph(rng, n, int(rng.integers(1, 4 * n)), low=0.0)
    km = np.round(rng.uniform(0, 9, a.size), 1)
    blocked = np.flatnonzero(rng.random(n) < 0.1)
    g = skim_graph_from_links(
        a, b, w, attrs={"length_km": km}, node_ids=np.arange(n), no_through=blocked
    )
    h = build_cch(g)
    order = np.concatenate([h.source_rank, h.target_rank[g.blocked]])
    arcs = rng.integers(0, g.cost.size, n_changes)
    new = np.round(g.cost[arcs] * rng.choice([0.0, 0.5, 2.0, 10.0], n_changes), 1)
    new[rng.random(n_changes) < 0.2] = np.inf  # a closed link
    h2 = h.recustomise(arcs, new)
    cost = g.cost.copy()
    cost[arcs] = new  # the last of repeated arcs wins, as documented
    _same_customisation(h2, h.customise(cost))
    if np.isfinite(new).all():  # a graph built afresh for the new costs, same order
        g2 = skim_graph_from_links(
            g.tails,
            g.heads,
            cost,
            attrs={"length_km": g.attrs[0]},
            node_ids=np.arange(n),
            no_through=blocked,
        )
        _same_customisation(h2, build_cch(g2, order=order))
    open_ = np.isfinite(cost)  # Dijkstra on the graph without the closed arcs
    g3 = skim_graph_from_links(
        g.tails[open_], g.heads[open_], cost[open_], node_ids=np.arange(n), no_through=blocked
    )
    want, _, _ = skim_on(g3, np.arange(n), np.arange(n), method="dijkstra")
    got, _ = h2.many_to_many(np.arange(n), np.arange(n))
    assert np.array_equal(got, want)
    again, _ = h.many_to_many(np.arange(n), np.arange(n))  # the original is unchanged
    before, _, _ = skim_on(g, np.arange(n), np.arange(n), method="dijkstra")
    assert np.array_equal(again, before)


@pytest.mark.parametrize("share", [0.02, 0.5])
def test_with_costs_follows_the_changes_or_customises_afresh(share: float) -> None:
    rng = np.random.default_rng(int(share * 100))
    n = 150
    a, b, w = _graph(rng, n, 600)
    g = skim_graph_from_links(a, b, w, node_ids=np.arange(n))
    h = build_cch(g)
    cost = g.cost.copy()
    pick = rng.random(cost.size) < share
    cost[pick] = np.round(cost[pick] * rng.uniform(0.2, 5.0, pick.sum()), 1)
    _same_customisation(h.with_costs(cost), h.customise(cost))
    want = _scipy(n, g.tails.astype(np.int64), g.heads.astype(np.int64), cost)
    got, _ = h.with_costs(cost).many_to_many(np.arange(n), np.arange(n))
    assert np.allclose(got, want, rtol=0, atol=1e-9)
    assert np.array_equal(h.with_costs(g.cost).up_w, h.up_w)


def test_recustomise_refuses_bad_input() -> None:
    g = skim_graph_from_links([0, 1, 2], [1, 2, 0], [1.0, 2.0, 3.0])
    h = build_cch(g)
    with pytest.raises(ValidationError, match="outside"):
        h.recustomise([3], [1.0])
    with pytest.raises(ValidationError, match="negative or NaN"):
        h.recustomise([0, 1], [-1.0, np.nan])
    with pytest.raises(ValidationError, match="2 arcs but 1 weights"):
        h.recustomise([0, 1], [1.0])
    with pytest.raises(ValidationError, match="build_cch"):
        build_hierarchy(g).recustomise([0], [1.0])
    with pytest.raises(ValidationError, match="3 arcs"):
        h.customise([1.0])
    with pytest.raises(ValidationError, match="3 arcs"):
        h.with_costs([1.0, 2.0])
    with pytest.raises(ValidationError, match="negative or NaN"):
        h.customise([1.0, -2.0, 1.0])
    with pytest.raises(ValidationError, match="permutation"):
        build_cch(g, order=np.array([0, 0, 1]))


@pytest.mark.skipif(
    not (ROADS / "NY.gr.xz").exists(), reason="shared DIMACS NY graph absent (../shared/data)"
)
def test_ny_road_graph_matches_scipy_and_recustomises() -> None:
    import lzma

    with lzma.open(ROADS / "NY.gr.xz", "rt") as fh:
        n = int(fh.readline().split()[2])
        edges = np.loadtxt(fh, dtype=np.int64) - 1
    w = np.random.default_rng(42).integers(1000, 100000, edges.shape[0]).astype(float)
    a = np.concatenate([edges[:, 0], edges[:, 1]])
    b = np.concatenate([edges[:, 1], edges[:, 0]])
    ww = np.concatenate([w, w])
    g = skim_graph_from_links(a, b, ww, node_ids=np.arange(n))
    h = build_cch(g)
    rng = np.random.default_rng(1)
    sources = rng.integers(0, n, 4)
    targets = rng.integers(0, n, 300)
    want = _scipy(n, a, b, ww, sources)[:, targets]
    got, _ = h.many_to_many(sources, targets)
    assert np.array_equal(got, want)
    arcs = rng.integers(0, g.cost.size, 5)
    h2 = h.recustomise(arcs, g.cost[arcs] * 3)
    ww2 = g.cost.copy()
    ww2[arcs] *= 3
    want2 = _scipy(n, g.tails.astype(np.int64), g.heads.astype(np.int64), ww2, sources)
    got2, _ = h2.many_to_many(sources, targets)
    assert np.array_equal(got2, want2[:, targets])
    assert have_metis() == (h.cch is not None and h.cch.order == "metis")


def test_a_crossing_delay_on_the_embedded_network() -> None:
    from corridor.data import eurasia
    from corridor.paths.router import router_for

    cg = router_for(eurasia()).cost_graph("truck40")
    weight = cg.weight("generalized")
    g = skim_graph_from_links(cg.tails, cg.heads, weight, node_ids=np.arange(cg.n_vertices))
    h = build_cch(g)
    row = int(np.bincount(cg.crossing_row[cg.crossing_row >= 0]).argmax())
    arcs = np.flatnonzero(cg.crossing_row == row)
    cost = g.cost.copy()
    cost[arcs] += cg.profile.vot_usd_per_h * 6.0  # six more hours at that crossing
    h2 = h.recustomise(arcs, cost[arcs])
    _same_customisation(h2, h.customise(cost))
    n = g.n_nodes
    sources = np.random.default_rng(0).integers(0, n, 40)
    tails, heads = g.tails.astype(np.int64), g.heads.astype(np.int64)
    for hier, w in ((h, g.cost), (h2, cost)):
        want = _scipy(n, tails, heads, w + 1e-12, sources)  # scipy drops zero-cost arcs
        got, _ = hier.many_to_many(sources, np.arange(n))
        assert np.allclose(got, want, rtol=1e-9, atol=1e-6)


def test_an_arc_given_twice_takes_its_last_weight() -> None:
    g = skim_graph_from_links([0, 1, 0], [1, 2, 2], [1.0, 1.0, 5.0])
    arc = {(int(t), int(h)): i for i, (t, h) in enumerate(zip(g.tails, g.heads, strict=True))}
    first, second = arc[0, 1], arc[1, 2]
    h = build_cch(g)
    twice = h.recustomise([first, second, first], [9.0, 1.0, 2.0])
    values, _ = twice.many_to_many(np.array([0]), np.array([1, 2]))
    assert values.tolist() == [[2.0, 3.0]]
    cost = g.cost.copy()
    cost[first] = 2.0
    _same_customisation(twice, h.customise(cost))


def test_hierarchies_pickle_without_their_workspaces() -> None:
    import pickle

    rng = np.random.default_rng(8)
    a, b, w = _graph(rng, 40, 160)
    g = skim_graph_from_links(a, b, w, node_ids=np.arange(40))
    for h in (build_cch(g), build_hierarchy(g)):
        h.one_to_one(0, 1)  # a workspace now exists on this thread
        back = pickle.loads(pickle.dumps(h))
        (c1, p1), (c2, p2) = back.one_to_one(0, 1), h.one_to_one(0, 1)
        assert c1 == c2 and np.array_equal(p1, p2)
        values, _ = back.many_to_many(np.arange(40), np.arange(40))
        assert np.array_equal(values, h.many_to_many(np.arange(40), np.arange(40))[0])
    cch = build_cch(g)
    back = pickle.loads(pickle.dumps(cch))
    arcs = np.array([0, 5])
    _same_customisation(back.recustomise(arcs, [1.0, 2.0]), cch.recustomise(arcs, [1.0, 2.0]))


def test_customising_without_the_triangle_list_gives_the_same(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import corridor.paths.hierarchy as hierarchy

    rng = np.random.default_rng(21)
    n = 120
    a, b, w = _graph(rng, n, 500)
    km = np.round(rng.uniform(0, 9, a.size), 1)
    g = skim_graph_from_links(a, b, w, attrs={"length_km": km}, node_ids=np.arange(n))
    listed = build_cch(g)
    assert listed.cch is not None and listed.cch.tri.size > 0
    monkeypatch.setattr(hierarchy, "MAX_LISTED_TRIANGLES", 0)
    with caplog.at_level("WARNING", logger="corridor.paths.hierarchy"):
        walked = build_cch(g, order=listed.source_rank)
    assert walked.cch is not None and walked.cch.tri.size == 0
    assert "too many to list" in caplog.text
    _same_customisation(walked, listed)
    cost = g.cost * rng.uniform(0.5, 2.0, g.cost.size)
    _same_customisation(walked.customise(cost), listed.customise(cost))
