"""The domestic-trip rule in skims: a pair in one country is skimmed on that country's
own links where they connect it (as :meth:`corridor.paths.Router.plain` routes it).

Per country with origins and destinations in it, one Dijkstra skim of those pairs runs on
the skim graph with every node (or, under turn restrictions, every state) outside the
country or on a border crossing *blocked* (never passed through, see
:mod:`corridor.kernels.skim`); its finite values replace the unrestricted ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.graph.borders import domestic_arcs, domestic_nodes
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.router import router_for
from corridor.paths.skim_graph import SkimGraph, SkimPlan

DijkstraSkim = Callable[[SkimGraph, IntArray, IntArray], tuple[FloatArray, FloatArray]]

__all__ = ["keep_domestic"]


def keep_domestic(
    network: Network,
    plan: SkimPlan,
    origin_ids: IntArray,
    destination_ids: IntArray,
    values: FloatArray,
    sums: FloatArray,
    *,
    cost: str,
    modes: str | Mode | Iterable[str | Mode] | None,
    run: DijkstraSkim,
) -> int:
    """Overwrite, in place, the domestic pairs of a skim with their domestic values.

    Parameters
    ----------
    network
        The network skimmed.
    plan
        The skim's plan (:func:`corridor.paths.skim_graph.skim_plan`).
    origin_ids, destination_ids
        External node ids of the rows and columns.
    values, sums
        The skim's matrices (float64[o, d] and float64[k, o, d]), changed in place.
    cost, modes
        As given to the skim.
    run
        Dijkstra skim of a graph between node indices, returning (values, sums)
        (:func:`corridor.paths.skim.skim_on` with ``method="dijkstra"``).

    Returns
    -------
    int
        Number of domestic pairs whose value changed.
    """
    router = router_for(network)
    cmap = router.countries
    oc = np.asarray([cmap.get(int(i), "") for i in origin_ids], dtype=object)
    dc = np.asarray([cmap.get(int(i), "") for i in destination_ids], dtype=object)
    g = plan.graph
    changed = 0
    for country in sorted((set(oc.tolist()) & set(dc.tolist())) - {""}):
        oi, di = np.flatnonzero(oc == country), np.flatnonzero(dc == country)
        if plan.turns:
            search = router.graph_search(router.graph(modes, cost))
            keep = domestic_arcs(search.base, network.nodes, country, router.open_crossings)
            entered = search.entered if search.entered is not None else np.arange(keep.size)
            into = entered >= 0
            blocked = np.zeros(g.n_nodes, bool)
            blocked[g.heads[into & ~keep[np.maximum(entered, 0)]]] = True
        else:
            blocked = ~domestic_nodes(network.nodes, g.node_ids, country, router.open_crossings)
        home = dataclasses.replace(g, blocked=g.blocked | blocked)
        dv, ds = run(home, plan.origins[oi], plan.destinations[di])
        block = np.ix_(oi, di)
        ok = np.isfinite(dv)
        changed += int((ok & (dv != values[block])).sum())
        values[block] = np.where(ok, dv, values[block])
        for k in range(sums.shape[0]):
            sums[k][block] = np.where(ok, ds[k], sums[k][block])
    return changed
