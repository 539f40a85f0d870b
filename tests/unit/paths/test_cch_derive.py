"""A scenario's hierarchy derived from its base's by re-customisation (hierarchy_of):
skims identical to a hierarchy built from scratch and to scipy's Dijkstra, on the
embedded network's bundled scenarios and on hypothesis graphs with random cost changes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import corridor
from corridor.errors import ValidationError
from corridor.kernels.cch_order import have_metis
from corridor.paths.hierarchy import Hierarchy, build_cch, derive_hierarchy, hierarchy_of
from corridor.paths.skim import skim_graph, skim_graph_from_links
from corridor.paths.skim_graph import SkimGraph

pytestmark = pytest.mark.skipif(
    not have_metis(), reason="hierarchy_of builds a customisable CH only with pymetis"
)


def _scipy(g: SkimGraph) -> np.ndarray:
    """scipy's all-pairs least costs on the skim graph's arcs (no no-through nodes here);
    parallel arcs reduced to the cheapest, closed (inf) arcs dropped."""
    a, b, w = g.tails.astype(np.int64), g.heads.astype(np.int64), g.cost
    keep = (a != b) & np.isfinite(w)
    order = np.lexsort((w[keep], b[keep], a[keep]))
    aa, bb, ww = a[keep][order], b[keep][order], w[keep][order]
    first = np.ones(aa.size, bool)
    first[1:] = (aa[1:] != aa[:-1]) | (bb[1:] != bb[:-1])
    # scipy drops explicit zeros: a tiny stand-in keeps the arc (costs here are >= 0.1)
    mat = csr_matrix((np.maximum(ww[first], 1e-12), (aa[first], bb[first])), shape=(g.n_nodes,) * 2)
    return dijkstra(mat, directed=True)


def _order(h: Hierarchy, g: SkimGraph) -> np.ndarray:
    """The rank of every node and sink copy of `h` (its build order)."""
    blocked = np.flatnonzero(g.blocked)
    order = np.empty(g.n_nodes + blocked.size, np.int64)
    order[: g.n_nodes] = h.source_rank
    order[g.n_nodes :] = h.target_rank[blocked]
    return order


def _same(got: Hierarchy, want: Hierarchy) -> None:
    for name in ("up_w", "dn_w"):
        assert np.array_equal(getattr(got, name) / got.scale, getattr(want, name) / want.scale)
    for name in ("up_attr", "dn_attr"):
        mine = getattr(got, name) / got.attr_scales[:, None]
        assert np.array_equal(mine, getattr(want, name) / want.attr_scales[:, None]), name
    for name in ("up_edge", "dn_edge", "child1", "child2"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name


@pytest.fixture(scope="module")
def base_graph() -> SkimGraph:
    return skim_graph(corridor.bundled_scenarios()["current"].apply(corridor.eurasia()))


@pytest.mark.parametrize(
    "name", ["manzhouli-congestion", "blagoveshchensk-heihe-travellers", "m12-kazan"]
)
def test_bundled_scenarios_derive_or_build_and_match_fresh(
    base_graph: SkimGraph, name: str
) -> None:
    base_h = hierarchy_of(base_graph)
    assert base_h.cch is not None
    g = skim_graph(corridor.bundled_scenarios()[name].apply(corridor.eurasia()))
    h = hierarchy_of(g)
    same_topology = (
        g.tails.size == base_graph.tails.size
        and np.array_equal(g.tails, base_graph.tails)
        and np.array_equal(g.heads, base_graph.heads)
        and np.array_equal(g.blocked, base_graph.blocked)
    )
    if same_topology:
        assert h.derivation.startswith(("recustomised", "customised")), h.derivation
        assert h.up_indptr is base_h.up_indptr  # the topology is shared, not rebuilt
    else:  # links added (m12-kazan): a fresh build
        assert h.derivation == "built"
    nodes = np.arange(g.n_nodes)
    got, got_sums = h.many_to_many(nodes, nodes)
    fresh = build_cch(g, order=_order(h, g))
    want, want_sums = fresh.many_to_many(nodes, nodes)
    assert np.array_equal(got, want) and np.array_equal(got_sums, want_sums)
    _same(h, fresh)
    ref = _scipy(g)
    assert np.array_equal(np.isinf(got), np.isinf(ref))
    assert np.allclose(got[np.isfinite(ref)], ref[np.isfinite(ref)], rtol=1e-12, atol=1e-9)


def test_slower_links_recustomise_only_their_arcs(base_graph: SkimGraph) -> None:
    """Five road links at half speed (a works zone [assumption]): same arcs, new costs."""
    base_h = hierarchy_of(base_graph)
    net = corridor.bundled_scenarios()["current"].apply(corridor.eurasia())
    links = net.links.copy()
    road = np.flatnonzero((links["mode"] == "road").to_numpy())[:5]
    links.loc[road, "speed_kmh"] = links.loc[road, "speed_kmh"] / 2
    g = skim_graph(net.with_links(links))
    h = hierarchy_of(g)
    n_changed = int(np.sum(g.cost != base_graph.cost))
    assert 5 <= n_changed <= 10  # one or two directions per link
    assert h.derivation == f"recustomised {n_changed} arcs"
    assert h.up_head is base_h.up_head
    nodes = np.arange(g.n_nodes)
    got, _ = h.many_to_many(nodes, nodes)
    want, _ = build_cch(g, order=_order(h, g)).many_to_many(nodes, nodes)
    assert np.array_equal(got, want)
    ref = _scipy(g)
    assert np.allclose(got[np.isfinite(ref)], ref[np.isfinite(ref)], rtol=1e-12, atol=1e-9)


def test_a_graph_of_other_arcs_is_refused() -> None:
    g1 = skim_graph_from_links([0, 1], [1, 2], [1.0, 2.0], node_ids=np.arange(3))
    g2 = skim_graph_from_links([0], [1], [1.0], node_ids=np.arange(3))
    with pytest.raises(ValidationError, match="same topology"):
        derive_hierarchy(build_cch(g1), g2)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 30), data=st.data())
def test_random_cost_changes_match_scipy_and_a_fresh_build(n: int, data: st.DataObject) -> None:
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 4 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    w = np.round(rng.uniform(0.1, 20.0, m), 1)
    km = np.round(rng.uniform(1.0, 50.0, m), 0)
    g1 = skim_graph_from_links(a, b, w, attrs={"length_km": km}, node_ids=np.arange(n))
    h1 = hierarchy_of(g1)
    share = data.draw(st.sampled_from([0.02, 0.2, 1.0]))
    hit = rng.random(m) < share
    w2 = w.copy()
    w2[hit] = np.round(rng.uniform(0.1, 40.0, int(hit.sum())), 1)
    km2 = km.copy()
    if data.draw(st.booleans()):
        km2[hit] = np.round(rng.uniform(1.0, 50.0, int(hit.sum())), 0)
    if data.draw(st.booleans()):  # a near-closure (skim graphs refuse infinite costs)
        w2[int(rng.integers(0, m))] = 1e4
    g2 = skim_graph_from_links(a, b, w2, attrs={"length_km": km2}, node_ids=np.arange(n))
    h2 = hierarchy_of(g2)
    assert h2.derivation != "built"
    nodes = np.arange(n)
    got, got_sums = h2.many_to_many(nodes, nodes)
    ref = _scipy(g2)
    assert np.array_equal(np.isinf(got), np.isinf(ref))
    assert np.allclose(got[np.isfinite(ref)], ref[np.isfinite(ref)], rtol=1e-12, atol=1e-9)
    fresh = build_cch(g2, order=_order(h1, g2))
    want, want_sums = fresh.many_to_many(nodes, nodes)
    assert np.array_equal(got, want) and np.array_equal(got_sums, want_sums)
    _same(h2, fresh)


def test_an_added_arc_builds_afresh() -> None:
    """A scenario that adds a link changes the topology: no re-customisation."""
    a, b, w = [0, 1, 2], [1, 2, 3], [1.0, 2.0, 3.0]
    g1 = skim_graph_from_links(a, b, w, node_ids=np.arange(4))
    h1 = hierarchy_of(g1)
    g2 = skim_graph_from_links([*a, 0], [*b, 3], [*w, 5.0], node_ids=np.arange(4))
    h2 = hierarchy_of(g2)
    assert h1.derivation == "built" and h2.derivation == "built"
    got, _ = h2.many_to_many(np.arange(4), np.arange(4))
    assert got[0, 3] == 5.0 and got[0, 2] == 3.0
    g3 = skim_graph_from_links(a, b, [1.0, 9.0, 3.0], node_ids=np.arange(4))
    h3 = hierarchy_of(g3)
    assert h3.derivation == "customised"  # 1 of 3 arcs is above FULL_ABOVE
    assert hierarchy_of(g3).many_to_many(np.arange(4), np.arange(4))[0][0, 3] == 13.0
    del h1
