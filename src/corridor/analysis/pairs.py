"""Least-cost paths between every pair of a set of places, and what they reach.

The matrices behind a scenario comparison: for each profile, one tree per place, the
path of each pair being the one :func:`corridor.route` gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import FloatArray, IntArray
from corridor.costs.graph import CostGraph, StopKind
from corridor.graph.search import SearchGraph
from corridor.model.network import Network
from corridor.model.schema import NodeKind
from corridor.model.validate import parse_optimize
from corridor.paths.router import cg_positions, router_for

__all__ = ["METRICS", "PairPaths", "accessibility", "default_places", "pair_paths"]

METRICS: tuple[str, ...] = ("time_h", "cost_usd", "co2_kg", "length_km", "generalized_usd")
"""What the pair matrices hold, per pair: totals along its path."""


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
        ``metrics[name][i, j]`` for time_h (no drivers' rests), cost_usd, co2_kg,
        length_km and generalized_usd; ``inf`` where unreachable.
    crossings
        ``crossings[i][j]``: names of the border crossings passed, in order.
    """

    place_ids: IntArray
    slots: list[list[IntArray | None]]
    metrics: dict[str, FloatArray]
    crossings: list[list[tuple[str, ...]]]


def default_places(
    network: Network, n_places: int = 60, corridor_ends: Sequence[str] = ("M-12", "WE-WC")
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
    one without, the better walked on the timeline where the two differ.
    """

    router = router_for(network)
    goal = parse_optimize(optimize)
    cg = router.cost_graph(profile)
    plain = router.ungrossed_weight(cg, goal)
    idx = cg_positions(cg, place_ids)
    n = place_ids.size
    slots: list[list[IntArray | None]] = [[None] * n for _ in range(n)]
    pair_of: list[IntArray] = []
    arcs: list[IntArray] = []
    for i in range(n):
        trees: dict[int, _Tree] = {}
        for j in range(n):
            if i == j:
                continue
            for search in router.trip_searches(cg, int(place_ids[i]), int(place_ids[j])):
                key = id(search)
                if key not in trees:
                    trees[key] = _tree(cg, search, int(idx[i]), cg.weight(goal.value), plain)
                src, dist, pred, second = trees[key]
                v = search.sink(cg.sink_vertex(int(idx[j])))
                if math.isfinite(dist[v]):
                    break
            else:
                continue
            arr = search.arcs(search.path(pred, src, v))
            if second is not None and math.isfinite(second[0][v]):
                arr2 = search.arcs(search.path(second[1], src, v))
                if not np.array_equal(arr, arr2):
                    _, arr = router.pick(
                        cg, goal, (float(dist[v]), arr), (float(second[0][v]), arr2)
                    )
            slots[i][j] = arr
            arcs.append(arr)
            pair_of.append(np.full(arr.size, i * n + j, np.int64))
    flat = np.concatenate(arcs) if arcs else np.empty(0, np.int64)
    pair = np.concatenate(pair_of) if pair_of else np.empty(0, np.int64)
    reached = np.zeros(n * n, bool)
    reached[np.unique(pair)] = True
    metrics: dict[str, FloatArray] = {}
    gen = cg.weight("generalized")
    for name, values in (
        ("time_h", cg.time_h),
        ("cost_usd", cg.cost_usd),
        ("co2_kg", cg.co2_kg),
        ("length_km", cg.length_km),
        ("generalized_usd", gen),
    ):
        total = np.asarray(np.bincount(pair, weights=values[flat], minlength=n * n), np.float64)
        total[~reached] = np.inf
        matrix = total.reshape(n, n)
        np.fill_diagonal(matrix, 0.0)
        metrics[name] = matrix
    crossings = _crossings(network, cg, slots)
    return PairPaths(place_ids=place_ids, slots=slots, metrics=metrics, crossings=crossings)


_Tree = tuple[int, FloatArray, IntArray, tuple[FloatArray, IntArray] | None]


def _tree(
    cg: CostGraph, search: SearchGraph, pos: int, weight: FloatArray, plain: FloatArray | None
) -> _Tree:
    """One-to-all trees of node index `pos` on `search`: (source, dist, pred) by `weight`
    and, where given, (dist, pred) by the ungrossed `plain` weight."""
    from corridor.kernels.dijkstra import dijkstra

    src = search.source(cg.source_vertex(pos))
    dist = np.empty(search.n_vertices)
    pred = np.empty(search.n_vertices, np.int64)
    dijkstra(search.indptr, search.heads, search.weight(weight), src, dist, pred)
    if plain is None:
        return src, dist, pred, None
    dist2 = np.empty(search.n_vertices)
    pred2 = np.empty(search.n_vertices, np.int64)
    dijkstra(search.indptr, search.heads, search.weight(plain), src, dist2, pred2)
    return src, dist, pred, (dist2, pred2)


def _crossings(
    network: Network, cg: CostGraph, slots: list[list[IntArray | None]]
) -> list[list[tuple[str, ...]]]:
    names = network.nodes.set_index("node_id")["name"]
    node_of = cg.node_ids[cg.vertex_node]
    is_cross = cg.stop_kind == StopKind.BORDER_CROSSING
    out: list[list[tuple[str, ...]]] = []
    for row in slots:
        out_row: list[tuple[str, ...]] = []
        for path in row:
            if path is None or path.size == 0:
                out_row.append(())
                continue
            hit = path[is_cross[path]]
            out_row.append(tuple(str(names[node_of[cg.heads[e]]]) for e in hit))
        out.append(out_row)
    return out


def accessibility(
    network: Network, profile: str, place_ids: IntArray, hours: Sequence[float]
) -> pd.DataFrame:
    """Population of every served city within each threshold of each place, by `profile`."""
    from corridor.kernels.dijkstra import dijkstra

    nodes = network.nodes
    cities = nodes[(nodes["kind"] == NodeKind.CITY).to_numpy()]
    router = router_for(network)
    cg = router.cost_graph(profile)
    search = router.search(cg)
    weight = search.weight(cg.time_h)
    dest = cg_positions(cg, cities["node_id"].to_numpy())
    sinks = search.sinks(np.asarray([cg.sink_vertex(int(k)) for k in dest], dtype=np.int64))
    pop = cities["population"].to_numpy(dtype=np.float64)
    dist = np.empty(search.n_vertices)
    pred = np.empty(search.n_vertices, np.int64)
    rows = np.empty((place_ids.size, len(hours)))
    for k, pos in enumerate(cg_positions(cg, place_ids)):
        dijkstra(
            search.indptr,
            search.heads,
            weight,
            search.source(cg.source_vertex(int(pos))),
            dist,
            pred,
        )
        t = dist[sinks]
        rows[k] = [(pop * (t <= h)).sum() for h in hours]
    out = pd.DataFrame({"node_id": place_ids})
    for c, h in enumerate(hours):
        out[f"pop_within_{h:g}h"] = rows[:, c]
    return out
