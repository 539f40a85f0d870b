"""Door-to-door time, money and border crossings between freight places, per land mode.

One Router search per origin and profile (one-to-many, two Dijkstra trees as
:func:`corridor.profile_skim`: with and without the drivers' rest gross-up, the better
walked kept), so every cell is exactly what :func:`corridor.route` reports for that pair
and profile. Besides the matrices it records, per pair, the border crossings the chosen
path passes (node ids, in travel order), which the mode-choice targets and the per-crossing
validation need. The profiles: ``truck40`` (road), ``container40`` (rail container, with
gauge changes, terminal times and road legs) and ``grain-wagon`` (rail wagonload, bulk).

Each pair's path minimises the profile's own generalised cost (its value of time), so every
commodity of a mode takes the same path; the commodity's value of time enters the mode
choice, not the route. Paths are all-or-nothing and uncongested: spreading over crossings
under their capacities is the assignment's work (:mod:`.assign`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.model.network import Network
from corridor.model.validate import Optimize
from corridor.paths.router import cg_positions, router_for
from corridor.paths.tree_times import tree_arcs, tree_times

__all__ = ["LAND_PROFILES", "LandSkim", "land_skim"]

log = logging.getLogger(__name__)

LAND_PROFILES: dict[str, str] = {
    "road": "truck40",
    "rail_container": "container40",
    "rail_wagon": "grain-wagon",
}
"""The cost profile of each land mode (``corridor/costs/profiles/*.yaml``)."""


@dataclass(frozen=True, eq=False)
class LandSkim:
    """One land mode's matrices between places.

    Attributes
    ----------
    mode, profile
        The freight mode and the cost profile that prices it.
    node_ids
        The places' node ids (rows and columns).
    money_usd, time_h
        Per shipment (one profile load), door to door; ``inf`` where unreachable.
    load_t
        Tonnes per shipment (the profile's load).
    crossings
        ``crossings[i][j]``: node ids of the border crossings on the path, travel order.
    """

    mode: str
    profile: str
    node_ids: IntArray
    money_usd: FloatArray
    time_h: FloatArray
    load_t: float
    crossings: tuple[tuple[tuple[int, ...], ...], ...]

    def __repr__(self) -> str:
        n = self.node_ids.size
        return f"<LandSkim {self.mode} ({self.profile}) {n}x{n}>"


def land_skim(network: Network, node_ids: IntArray, mode: str) -> LandSkim:
    """Door-to-door matrices for `mode` between `node_ids` (see the module docstring).

    Parameters
    ----------
    network
        The network (a scenario's, already applied).
    node_ids
        Node ids of the places, rows and columns in this order.
    mode
        A key of :data:`LAND_PROFILES`.

    Returns
    -------
    LandSkim
    """
    from corridor.kernels.dijkstra import dijkstra, path_slots

    profile = LAND_PROFILES[mode]
    router = router_for(network)
    cg = router.cost_graph(profile)
    search = router.search(cg)
    goal = Optimize.GENERALIZED
    weights = [search.weight(cg.weight(goal.value))]
    plain = router.ungrossed_weight(cg, goal)
    if plain is not None:
        weights.append(search.weight(plain))
    walked = tree_arcs(cg, search)
    vot = cg.profile.vot_usd_per_h
    pos = cg_positions(cg, [int(x) for x in node_ids])
    sinks = search.sinks(np.asarray([cg.sink_vertex(int(k)) for k in pos], dtype=np.int64))
    n = node_ids.size
    money = np.full((n, n), np.inf)
    time = np.full((n, n), np.inf)
    crossing_node = np.full(cg.crossing_row.size, -1, dtype=np.int64)
    rows = cg.crossing_row >= 0
    crossing_node[rows] = network.crossings["node_id"].to_numpy(np.int64)[cg.crossing_row[rows]]
    paths: list[tuple[tuple[int, ...], ...]] = []
    dist = np.empty(search.n_vertices)
    preds = [np.empty(search.n_vertices, np.int64) for _ in weights]
    for i, p in enumerate(pos.tolist()):
        src = search.source(cg.source_vertex(int(p)))
        walks = []
        for w, pred in zip(weights, preds, strict=True):
            dijkstra(search.indptr, search.heads, w, src, dist, pred)
            tt = tree_times(search, walked, pred, src)
            t = tt.time_h[sinks]
            c = tt.column("cost_usd")[sinks]
            walks.append((np.where(np.isnan(t), np.inf, t), np.where(np.isnan(c), np.inf, c)))
        choice = np.zeros(n, dtype=np.int64)
        if len(walks) > 1:  # Router.pick: the path without the gross-up where it walks better
            g0 = walks[0][1] + vot * walks[0][0]
            g1 = walks[1][1] + vot * walks[1][0]
            choice = (g1 < g0 - 1e-9).astype(np.int64)
        row: list[tuple[int, ...]] = []
        for j in range(n):
            k = int(choice[j])
            time[i, j] = walks[k][0][j]
            money[i, j] = walks[k][1][j]
            if i == j or not np.isfinite(time[i, j]):
                row.append(())
                continue
            slots = np.asarray(
                path_slots(search.indptr, search.heads, preds[k], src, int(sinks[j])), np.int64
            )
            arcs = search.arcs(slots)
            found = crossing_node[arcs]
            found = found[found >= 0]
            if found.size:
                keep = np.concatenate(([True], found[1:] != found[:-1]))
                row.append(tuple(int(x) for x in found[keep]))
            else:
                row.append(())
        paths.append(tuple(row))
    np.fill_diagonal(money, 0.0)
    np.fill_diagonal(time, 0.0)
    log.info("freight skim %s (%s): %d places", mode, profile, n)
    return LandSkim(
        mode=mode,
        profile=profile,
        node_ids=np.asarray(node_ids, dtype=np.int64),
        money_usd=money,
        time_h=time,
        load_t=float(cg.profile.load.amount),
        crossings=tuple(paths),
    )
