"""A domestic trip stays domestic: a sweep over the embedded network, and the defects of
issue 12 (Moscow-Vladivostok by train and car, Chelyabinsk-Vladivostok by truck,
Novosibirsk-Vladivostok by bus went out through Manzhouli and back in through Suifenhe)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.analysis.pairs import pair_paths
from corridor.costs import list_profiles
from corridor.graph.search import SearchGraph
from corridor.model.schema import NodeKind


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


def _largest(net: corridor.Network, country: str, modes: set[str], k: int = 100) -> np.ndarray:
    """The k most populous cities of `country` touched by a link of one of `modes`."""
    links = net.links
    use = links[links["mode"].isin(list(modes)).to_numpy() & net.open_links()]
    served = set(use["a_node"]) | set(use["b_node"])
    nodes = net.nodes
    cities = nodes[
        (nodes["kind"] == NodeKind.CITY).to_numpy()
        & (nodes["country"] == country).to_numpy()
        & nodes["node_id"].isin(served).to_numpy()
    ]
    top = cities.sort_values(["population", "node_id"], ascending=[False, True]).head(k)
    return top["node_id"].to_numpy(dtype=np.int64)


def _countries_on(net: corridor.Network, cg: corridor.CostGraph, slots: np.ndarray) -> set[str]:
    """Countries of every node a path's arcs enter, border crossings as 'X' (independent of
    the router's own masks: read from the nodes table)."""
    nodes = net.nodes.set_index("node_id")
    head_ids = cg.node_ids[cg.vertex_node[cg.heads[slots]]]
    kind = nodes["kind"].reindex(head_ids).to_numpy()
    country = nodes["country"].reindex(head_ids).to_numpy()
    return set(np.where(kind == NodeKind.BORDER_CROSSING, "X", country).tolist())


def _domestic_components(net: corridor.Network, country: str, modes: set[str]) -> dict[int, int]:
    """Connected components (scipy) of the links of `modes` (and transfers) between
    non-crossing nodes of `country`: an independent superset of the domestic routes."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = net.nodes
    home = nodes[(nodes["country"] == country).to_numpy() & (nodes["kind"] != "border_crossing")]
    pos = {int(n): k for k, n in enumerate(home["node_id"])}
    links = net.links
    use = links[links["mode"].isin([*modes, "transfer"]).to_numpy() & net.open_links()]
    pairs = [
        (pos[a], pos[b])
        for a, b in zip(use["a_node"].astype(int), use["b_node"].astype(int), strict=True)
        if a in pos and b in pos
    ]
    rows = [a for a, _ in pairs]
    cols = [b for _, b in pairs]
    graph = coo_matrix(([1] * len(pairs), (rows, cols)), shape=(len(pos), len(pos)))
    _, label = connected_components(graph, directed=False)
    return {n: int(label[k]) for n, k in pos.items()}


def _home(net: corridor.Network, country: str, opened: set[int]) -> set[str]:
    """`country` and the countries behind its crossings open to domestic trips."""
    nodes = net.nodes.set_index("node_id")
    out = {country}
    for n in opened:
        a, b = nodes.at[n, "country_a"], nodes.at[n, "country_b"]
        if country in (a, b):
            out.add(str(b if a == country else a))
    return out


def _abroad(search: SearchGraph, pred: np.ndarray, foreign_arc: np.ndarray) -> np.ndarray:
    """Per searched vertex: whether its tree path enters a foreign or crossing node
    (pointer jumping over the predecessor tree)."""
    reached = pred >= 0
    slot = np.where(reached, pred, 0)
    bad = reached & foreign_arc[slot]
    parent = np.where(reached, search.tails[slot], np.arange(pred.size))
    for _ in range(int(np.ceil(np.log2(max(pred.size, 2)))) + 1):
        bad = bad | bad[parent]
        parent = parent[parent]
    return bad


# the places are those a profile's road or rail links serve; the air profile (air and
# airport access only) has its own exhaustive check in tests/unit/paths/test_air.py
@pytest.mark.parametrize(
    "profile", [p.id for p in list_profiles() if set(p.modes) & {"road", "rail"}]
)
def test_domestic_pairs_of_largest_places_stay_domestic(
    net: corridor.Network, profile: str
) -> None:
    """Every domestic pair of the 100 largest places per country that a profile's modes
    serve is routed without leaving the country, unless no domestic route exists: then
    the places lie in different components of the country's own links (scipy), e.g.
    Ulaanbaatar-Choibalsan by rail, whose only railway runs through Russia.

    Each pair is searched where :meth:`Router.trip_searches` says (the graphs behind
    route, alternatives, Pareto sets and comparisons), one tree per origin and graph; the
    countries on its path are read from the nodes table."""
    from corridor.kernels.dijkstra import dijkstra

    prof = corridor.load_profile(profile)
    router = corridor.router_for(net)
    cg = router.cost_graph(prof)
    modes = {m for m in prof.modes if m in ("road", "rail")}
    nodes = net.nodes.set_index("node_id")
    head_ids = cg.node_ids[cg.vertex_node[cg.heads]]
    is_x = (nodes["kind"].reindex(head_ids) == NodeKind.BORDER_CROSSING).to_numpy()
    head_cc = np.where(is_x, "X", nodes["country"].reindex(head_ids).to_numpy())
    f = net.formalities
    opened = set(f.loc[f["domestic_transit"], "node_id"].astype(int))  # EAEU RU<->KZ
    weight = cg.weight("time")
    checked = left = 0
    for country in sorted(set(net.nodes["country"])):
        ids = _largest(net, country, modes)
        if ids.size < 2:
            continue
        comp = _domestic_components(net, country, modes)
        pos = corridor.paths.router.cg_positions(cg, ids)
        for i in range(ids.size):
            trees: dict[int, tuple[np.ndarray, np.ndarray]] = {}
            for j in range(ids.size):
                if i == j:
                    continue
                for search in router.trip_searches(cg, int(ids[i]), int(ids[j])):
                    if id(search) not in trees:
                        dist = np.empty(search.n_vertices)
                        pred = np.empty(search.n_vertices, np.int64)
                        src = search.source(cg.source_vertex(int(pos[i])))
                        dijkstra(
                            search.indptr, search.heads, search.weight(weight), src, dist, pred
                        )
                        entered = (
                            np.arange(search.heads.size)
                            if search.entered is None
                            else search.entered
                        )
                        home = _home(net, country, opened)
                        into = head_ids[np.maximum(entered, 0)]
                        cc = head_cc[np.maximum(entered, 0)]
                        ok = np.isin(cc, sorted(home)) | np.isin(into, sorted(opened))
                        foreign = (entered >= 0) & ~ok
                        trees[id(search)] = (dist, _abroad(search, pred, foreign))
                    dist, bad = trees[id(search)]
                    v = search.sink(cg.sink_vertex(int(pos[j])))
                    if np.isfinite(dist[v]):
                        break
                else:
                    continue
                if comp[int(ids[i])] != comp[int(ids[j])]:
                    left += 1
                    continue
                assert not bad[v], (profile, country, int(ids[i]), int(ids[j]))
                checked += 1
    assert checked > 500
    assert left < checked / 10


def test_comparison_pairs_stay_domestic(net: corridor.Network) -> None:
    """The pair matrices of a comparison route domestic pairs at home too (or through
    Kazakhstan's EAEU crossings, the only ones open to domestic trips)."""
    ids = _largest(net, "RU", {"road"}, k=12)
    pp = pair_paths(net, "truck40", ids, "generalized")
    f = net.formalities
    names = net.nodes.set_index("node_id")["name"]
    opened = {str(names[n]) for n in f.loc[f["domestic_transit"], "node_id"]}
    for i in range(ids.size):
        for j in range(ids.size):
            if i != j:
                assert set(pp.crossings[i][j]) <= opened
                assert np.isfinite(pp.metrics["time_h"][i, j])


def test_domestic_trip_may_pass_kazakhstan_on_the_r254(net: corridor.Network) -> None:
    """The R-254 Chelyabinsk-Omsk runs through Petropavl (Kazakhstan); EAEU crossings are
    open to domestic trips, China's are not."""
    r = corridor.route(net, "Chelyabinsk", "Omsk", modes="road", optimize="distance")
    names = net.nodes.set_index("node_id")["name"]
    assert "Petropavl" in {names[n] for n in r.node_ids}


def test_restricted_search_keeps_only_kept_arcs(net: corridor.Network) -> None:
    """SearchGraph.restricted: searched arcs map to kept base arcs only, the vertex set is
    the same and a path on it is a path of the base graph."""
    router = corridor.router_for(net)
    cg = router.cost_graph("truck40")
    whole: SearchGraph = router.search(cg)
    rng = np.random.default_rng(7)
    keep = rng.random(cg.n_arcs) < 0.9
    sub = whole.restricted(keep)
    assert sub.n_vertices == whole.n_vertices
    assert sub.entered is not None
    base = sub.entered[sub.entered >= 0]
    assert keep[base].all()
    assert (~keep).sum() == pytest.approx(cg.n_arcs - np.unique(base).size, abs=0)


@pytest.mark.parametrize(
    ("origin", "destination", "profile", "optimize"),
    [
        ("Moscow", "Vladivostok", "train", "time"),
        ("Moscow", "Vladivostok", "car", "time"),
        ("Chelyabinsk", "Vladivostok", "truck40", "cost"),
        ("Novosibirsk", "Vladivostok", "bus", "cost"),
    ],
)
def test_issue_12_trips_stay_in_russia(
    net: corridor.Network, origin: str, destination: str, profile: str, optimize: str
) -> None:
    r = corridor.route(net, origin, destination, profile=profile, optimize=optimize)
    assert not [s for s in r.stops if s.kind == "border_crossing"]
    ids = pd.Series(list(r.node_ids))
    countries = net.nodes.set_index("node_id")["country"].reindex(ids)
    assert set(countries) == {"RU"}
    # alternatives and the Pareto set obey the same rule
    for alt in corridor.alternatives(net, origin, destination, profile=profile, k=3).routes:
        assert not [s for s in alt.stops if s.kind == "border_crossing"]


def test_plain_route_stays_domestic(net: corridor.Network) -> None:
    r = corridor.route(net, "Moscow", "Vladivostok", modes="rail")
    names = {leg.to_name for leg in r.legs}
    assert not any("Manzhouli" in n or "Suifenhe" in n for n in names)


def test_international_trip_still_crosses(net: corridor.Network) -> None:
    r = corridor.route(net, "Almaty", "Urumqi", profile="truck40")
    assert [s.name for s in r.stops if s.kind == "border_crossing"]


@pytest.mark.parametrize("modes", ["rail", "road", "any"])
def test_skim_agrees_with_domestic_routes(net: corridor.Network, modes: str) -> None:
    """Skims keep domestic pairs at home as routes do: each cell equals the route's cost
    (Moscow-Vladivostok by rail is 9,075 km over the Trans-Siberian, not 8,120 km through
    Manchuria), and a pair between two countries may still cross."""
    places = ["Moscow", "Vladivostok", "Chita", "Harbin"]
    s = corridor.skim(net, places, places, modes=modes, sums=("length_km",))
    for i, o in enumerate(places):
        for j, d in enumerate(places):
            if i != j:
                r = corridor.route(net, o, d, modes=modes, optimize="time")
                assert s.values[i, j] == pytest.approx(r.cost, rel=1e-9), (o, d)
                assert s["length_km"][i, j] == pytest.approx(r.length_km, rel=1e-6), (o, d)
    assert s["length_km"][0, 1] > 9000
