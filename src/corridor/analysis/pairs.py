"""Least-cost paths between every pair of a set of places, and what they reach.

The matrices behind a scenario comparison: for each profile, one tree per place, the
path of each pair being the one :func:`corridor.route` gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from corridor import defaults
from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.costs.graph import CostGraph, StopKind
from corridor.graph.search import SearchGraph
from corridor.model.network import Network
from corridor.model.schema import NodeKind
from corridor.model.validate import Optimize, parse_optimize
from corridor.paths.router import cg_positions, router_for
from corridor.paths.tree_times import TreeTimes

__all__ = ["METRICS", "PairPaths", "accessibility", "default_places", "pair_paths"]

METRICS: tuple[str, ...] = (
    "time_h",
    "cost_usd",
    "co2_kg",
    "length_km",
    "generalized_usd",
    "driving_h",
    "breaks_h",
    "overnight_h",
    "waiting_h",
)
"""What the pair matrices hold, per pair: what its Route reports (``time_h`` under the
route's definition, :func:`corridor.paths.types.time_definition`, and its split)."""


@dataclass(frozen=True, eq=False)
class PairPaths:
    """Least-cost paths between every pair of places on one cost graph.

    Attributes
    ----------
    place_ids
        Node ids of the places, in order.
    slots
        ``slots[i][j]``: arc slots of the path from place i to place j (None if none).
    metrics
        ``metrics[name][i, j]`` for each of :data:`METRICS`, as the pair's Route reports
        them (time_h: door to door for freight, overnight stops apart for travellers);
        ``inf`` where unreachable.
    crossings
        ``crossings[i][j]``: names of the border crossings passed, in order.
    """

    place_ids: IntArray
    slots: list[list[IntArray | None]]
    metrics: dict[str, FloatArray]
    crossings: list[list[tuple[str, ...]]]


def default_places(
    network: Network,
    n_places: int = defaults.COMPARE_PLACES,
    corridor_ends: Sequence[str] = ("M-12", "WE-WC"),
) -> IntArray:
    """The `n_places` largest cities with a road link, plus the end cities of corridors.

    A corridor's end cities are the city nodes that touch exactly one of its links.
    """
    nodes, links = network.nodes, network.links
    road = links[(links["mode"] == "road").to_numpy() & network.open_links()]
    served = set(road["a_node"].tolist()) | set(road["b_node"].tolist())
    cities = nodes[(nodes["kind"] == NodeKind.CITY).to_numpy() & nodes["node_id"].isin(served)]
    top = cities.sort_values(["population", "node_id"], ascending=[False, True]).head(n_places)
    chosen = list(top["node_id"].astype(int))
    city_ids = set(cities["node_id"].tolist())
    for tag in corridor_ends:
        on = links[[tag in str(t).split(";") for t in links["corridors"]]]
        counts = pd.concat([on["a_node"], on["b_node"]]).value_counts()
        for node in sorted(counts[counts == 1].index.tolist()):
            if node in city_ids and node not in chosen:
                chosen.append(int(node))
    return np.asarray(chosen, dtype=np.int64)


def pair_paths(network: Network, profile: str, place_ids: IntArray, optimize: str) -> PairPaths:
    """Least-`optimize` paths between every pair of places for a profile.

    Each pair's path is the one :func:`corridor.route` gives (:meth:`Router.best_path`):
    one tree per origin with the drivers' rest gross-up and, where the profile has one,
    one without, the better walked on the timeline where the two differ. Every tree path
    is walked on the exact timeline (:func:`~corridor.paths.tree_times.tree_times`), so
    the matrices hold what the pair's Route reports: ``time_h`` under the route's
    definition, its split, and ``generalized_usd`` = money + value of time x ``time_h``.
    """
    router = router_for(network)
    goal = parse_optimize(optimize)
    cg = router.cost_graph(profile)
    plain = router.ungrossed_weight(cg, goal)
    idx = cg_positions(cg, place_ids)
    n = place_ids.size
    slots: list[list[IntArray | None]] = [[None] * n for _ in range(n)]
    metrics = {name: np.full((n, n), np.inf) for name in METRICS}
    walks: dict[int, tuple[SearchGraph, Any]] = {}  # per search graph (held: ids stay unique)
    # Router.trip_searches depends on the trip only through its ends' countries, so it is
    # asked once per pair of countries rather than once per pair of places
    cmap = router.countries
    country = [cmap.get(int(p), "") for p in place_ids]
    searches: dict[tuple[str, str], tuple[SearchGraph, ...]] = {}
    for i in range(n):
        trees: dict[int, _Tree] = {}
        for j in range(n):
            if i == j:
                continue
            # the graphs the pair's route is searched on (domestic first, transit rules)
            ends = (country[i], country[j])
            trip = searches.get(ends)
            if trip is None:
                trip = searches[ends] = router.trip_searches(
                    cg, int(place_ids[i]), int(place_ids[j])
                )
            for search in trip:
                if id(search) not in trees:
                    trees[id(search)] = _tree(walks, cg, search, idx, int(idx[i]), goal, plain)
                t = trees[id(search)]
                if math.isfinite(t.dist[t.sinks[j]]):
                    break
            else:
                continue
            tree = t.pred2 if t.use_second[j] else t.pred
            slots[i][j] = search.arcs(search.path(tree, t.source, int(t.sinks[j])))
            walked = t.second if t.use_second[j] else t.first
            for name in METRICS:
                metrics[name][i, j] = walked[name][j]
    for matrix in metrics.values():
        np.fill_diagonal(matrix, 0.0)
    crossings = _crossings(network, cg, slots)
    return PairPaths(place_ids=place_ids, slots=slots, metrics=metrics, crossings=crossings)


@dataclass(frozen=True, eq=False)
class _Tree:
    """One origin's trees on one search graph, walked on the timeline at every sink."""

    source: int
    sinks: IntArray
    dist: FloatArray
    pred: IntArray
    pred2: IntArray
    first: dict[str, FloatArray]
    second: dict[str, FloatArray]
    use_second: BoolArray


def _tree(
    walks: dict[int, tuple[SearchGraph, Any]],
    cg: CostGraph,
    search: SearchGraph,
    idx: IntArray,
    pos: int,
    goal: Optimize,
    plain: FloatArray | None,
) -> _Tree:
    """The trees of node index `pos` on `search` with the rest gross-up and (where the
    profile has one) without, and which of the two each sink takes (Router.pick: the one
    without where it walks better)."""
    from corridor.kernels.dijkstra import dijkstra
    from corridor.paths.tree_times import tree_arcs, tree_times

    walked = walks.get(id(search))
    if walked is None:
        walked = walks[id(search)] = (search, tree_arcs(cg, search))
    vot = cg.profile.vot_usd_per_h
    src = search.source(cg.source_vertex(pos))
    sinks = np.asarray([search.sink(cg.sink_vertex(int(k))) for k in idx], dtype=np.int64)
    dist = np.empty(search.n_vertices)
    pred = np.empty(search.n_vertices, np.int64)
    dijkstra(search.indptr, search.heads, search.weight(cg.weight(goal.value)), src, dist, pred)
    first = _walked(tree_times(search, walked[1], pred, src), sinks, vot)
    second, pred2 = first, pred
    use_second = np.zeros(idx.size, bool)
    if plain is not None:
        dist2 = np.empty(search.n_vertices)
        pred2 = np.empty(search.n_vertices, np.int64)
        dijkstra(search.indptr, search.heads, search.weight(plain), src, dist2, pred2)
        second = _walked(tree_times(search, walked[1], pred2, src), sinks, vot)
        key = "time_h" if goal.value == "time" else "generalized_usd"
        use_second = np.isfinite(second[key]) & (second[key] < first[key] - 1e-9)
    return _Tree(src, sinks, dist, pred, pred2, first, second, use_second)


def _walked(tt: TreeTimes, sinks: IntArray, vot_usd_per_h: float) -> dict[str, FloatArray]:
    """The pair metrics at the sinks of one walked tree."""
    time_h = tt.time_h[sinks]
    money = tt.column("cost_usd")[sinks]
    return {
        "time_h": time_h,
        "cost_usd": money,
        "co2_kg": tt.column("co2_kg")[sinks],
        "length_km": tt.column("length_km")[sinks],
        "generalized_usd": money + vot_usd_per_h * time_h,
        "driving_h": tt.column("driving_h")[sinks],
        "breaks_h": tt.breaks_h[sinks],
        "overnight_h": tt.overnight_h[sinks],
        "waiting_h": tt.column("waiting_h")[sinks],
    }


def _crossings(
    network: Network, cg: CostGraph, slots: list[list[IntArray | None]]
) -> list[list[tuple[str, ...]]]:
    nodes = network.nodes
    is_cross = cg.stop_kind == StopKind.BORDER_CROSSING
    # the name of each crossing arc's head node, looked up once for all crossing arcs
    cross_arcs = np.flatnonzero(is_cross)
    head_ids = cg.node_ids[cg.vertex_node[cg.heads[cross_arcs]]]
    at = pd.Index(nodes["node_id"]).get_indexer(head_ids)
    arc_name = np.empty(is_cross.size, dtype=object)
    arc_name[cross_arcs] = nodes["name"].astype(str).to_numpy()[at]
    out: list[list[tuple[str, ...]]] = []
    for row in slots:
        out_row: list[tuple[str, ...]] = []
        for path in row:
            if path is None or path.size == 0:
                out_row.append(())
                continue
            out_row.append(tuple(arc_name[path[is_cross[path]]].tolist()))
        out.append(out_row)
    return out


def accessibility(
    network: Network, profile: str, place_ids: IntArray, hours: Sequence[float]
) -> pd.DataFrame:
    """Population of every served city within each threshold of each place, by `profile`.

    A city's time is what :func:`corridor.route` with ``optimize="time"`` reports for it
    (``time_h`` under the route's definition, walked on the exact timeline): the better of
    the least-time trees with and without the drivers' rest gross-up.
    """
    from corridor.kernels.dijkstra import dijkstra
    from corridor.paths.tree_times import tree_arcs, tree_times

    nodes = network.nodes
    cities = nodes[(nodes["kind"] == NodeKind.CITY).to_numpy()]
    router = router_for(network)
    cg = router.cost_graph(profile)
    search = router.search(cg)
    goal = parse_optimize("time")
    weights = [search.weight(cg.weight(goal.value))]
    plain = router.ungrossed_weight(cg, goal)
    if plain is not None:
        weights.append(search.weight(plain))
    walked = tree_arcs(cg, search)
    dest = cg_positions(cg, cities["node_id"].to_numpy())
    sinks = search.sinks(np.asarray([cg.sink_vertex(int(k)) for k in dest], dtype=np.int64))
    pop = cities["population"].to_numpy(dtype=np.float64)
    dist = np.empty(search.n_vertices)
    pred = np.empty(search.n_vertices, np.int64)
    rows = np.empty((place_ids.size, len(hours)))
    for k, pos in enumerate(cg_positions(cg, place_ids)):
        src = search.source(cg.source_vertex(int(pos)))
        t = np.full(sinks.size, np.inf)
        for w in weights:
            dijkstra(search.indptr, search.heads, w, src, dist, pred)
            found = tree_times(search, walked, pred, src).time_h[sinks]
            t = np.fmin(t, np.where(np.isnan(found), np.inf, found))
        rows[k] = [(pop * (t <= h)).sum() for h in hours]
    out = pd.DataFrame({"node_id": place_ids})
    for c, h in enumerate(hours):
        out[f"pop_within_{h:g}h"] = rows[:, c]
    return out
