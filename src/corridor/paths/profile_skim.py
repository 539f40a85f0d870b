"""Skims for a profile: the matrix of what :func:`corridor.route` reports for each pair.

A network skim (:func:`corridor.skim`) sums free-flow link times. A profile skim chooses
each pair's path by the route rule (:meth:`~corridor.paths.router.Router.best_path`: the
better walked of the trees with and without the drivers' rest gross-up) and walks every
tree path on the exact timeline (:func:`~corridor.paths.tree_times.tree_times`), so its
``time_h`` is a route's ``time_h`` under the same named definition
(:func:`~corridor.paths.types.time_definition`), with the same split.
"""

from __future__ import annotations

import logging

import numpy as np

from corridor._typing import FloatArray
from corridor.model.network import Network
from corridor.model.validate import Optimize, parse_optimize
from corridor.paths.router import cg_positions, router_for
from corridor.paths.skim import NodeRefs, Skim, resolve_nodes
from corridor.paths.tree_times import TreeTimes, tree_arcs, tree_times
from corridor.paths.types import ProfileLike, time_definition

__all__ = ["PROFILE_SKIM_SUMS", "profile_skim"]

log = logging.getLogger(__name__)

PROFILE_SKIM_SUMS: tuple[str, ...] = (
    "driving_h",
    "moving_h",
    "breaks_h",
    "overnight_h",
    "waiting_h",
    "elapsed_h",
    "cost_usd",
    "co2_kg",
    "length_km",
    "generalized_usd",
)
"""The matrices a profile skim carries besides ``time_h``."""


def _at(tt: TreeTimes, sinks: np.ndarray, vot_usd_per_h: float) -> dict[str, FloatArray]:
    time_h = tt.time_h[sinks]
    money = tt.column("cost_usd")[sinks]
    out = {
        "time_h": time_h,
        "driving_h": tt.column("driving_h")[sinks],
        "moving_h": tt.column("moving_h")[sinks],
        "breaks_h": tt.breaks_h[sinks],
        "overnight_h": tt.overnight_h[sinks],
        "waiting_h": tt.column("waiting_h")[sinks],
        "elapsed_h": tt.elapsed_h[sinks],
        "cost_usd": money,
        "co2_kg": tt.column("co2_kg")[sinks],
        "length_km": tt.column("length_km")[sinks],
        "generalized_usd": money + vot_usd_per_h * time_h,
    }
    return {k: np.where(np.isnan(v), np.inf, v) for k, v in out.items()}


def profile_skim(
    network: Network,
    origins: NodeRefs,
    destinations: NodeRefs | None = None,
    *,
    profile: ProfileLike,
    optimize: Optimize | str = Optimize.GENERALIZED,
) -> Skim:
    """The route of every origin-destination pair for a profile, as matrices.

    Parameters
    ----------
    network
        The network.
    origins, destinations
        Node ids or place names; destinations default to the origins.
    profile
        A built-in profile id, a YAML profile file or a Profile.
    optimize
        What each pair's path minimises (as for :func:`corridor.route`; default
        generalised cost, the route default with a profile).

    Returns
    -------
    Skim
        ``time_h`` (each pair's :attr:`corridor.Route.time_h`) with the sums of
        :data:`PROFILE_SKIM_SUMS`; ``method`` names the profile and the definition of
        ``time_h``. ``inf`` where unreachable, 0 on the diagonal.

    Raises
    ------
    UnknownNodeError
        If a place is not found.
    ValidationError
        For an unknown or invalid profile or objective.

    Notes
    -----
    Two Dijkstra trees per origin (one where the profile has no drivers' rules or the
    objective ignores time) and one O(n) walk of each tree: exactly the numbers
    :func:`corridor.route` gives for each pair without a departure time.

    Examples
    --------
    >>> import corridor
    >>> sk = corridor.profile_skim(corridor.examples.toy(), ["A", "D"], profile="car")
    >>> r = corridor.route(corridor.examples.toy(), "A", "D", profile="car")
    >>> bool(sk["time_h"][0, 1] == r.time_h)
    True
    """
    from corridor.kernels.dijkstra import dijkstra

    o_ids = resolve_nodes(network, origins, role="origin")
    d_ids = (
        o_ids if destinations is None else resolve_nodes(network, destinations, role="destination")
    )
    router = router_for(network)
    goal = parse_optimize(optimize)
    cg = router.cost_graph(profile)
    search = router.search(cg)
    weights = [search.weight(cg.weight(goal.value))]
    plain = router.ungrossed_weight(cg, goal)
    if plain is not None:
        weights.append(search.weight(plain))
    walked = tree_arcs(cg, search)
    vot = cg.profile.vot_usd_per_h
    o_pos = cg_positions(cg, o_ids.tolist())
    d_pos = cg_positions(cg, d_ids.tolist())
    sinks = search.sinks(np.asarray([cg.sink_vertex(int(k)) for k in d_pos], dtype=np.int64))
    names = ("time_h", *PROFILE_SKIM_SUMS)
    out = {name: np.full((o_ids.size, d_ids.size), np.inf) for name in names}
    dist = np.empty(search.n_vertices)
    pred = np.empty(search.n_vertices, np.int64)
    key = "time_h" if goal is Optimize.TIME else "generalized_usd"
    for i, pos in enumerate(o_pos.tolist()):
        src = search.source(cg.source_vertex(int(pos)))
        dijkstra(search.indptr, search.heads, weights[0], src, dist, pred)
        best = _at(tree_times(search, walked, pred, src), sinks, vot)
        if len(weights) > 1:
            dijkstra(search.indptr, search.heads, weights[1], src, dist, pred)
            other = _at(tree_times(search, walked, pred, src), sinks, vot)
            # Router.pick: the path without the gross-up where it walks better
            better = other[key] < best[key] - 1e-9
            best = {k: np.where(better, other[k], v) for k, v in best.items()}
        for name in names:
            out[name][i] = best[name]
    same = o_ids[:, None] == d_ids[None, :]
    for name in names:
        out[name][same] = 0.0
    log.info("profile skim %s: %d x %d, %s", cg.profile.id, o_ids.size, d_ids.size, goal.value)
    definition = time_definition(True, walked.excludes_overnight)
    return Skim(
        values=out["time_h"],
        origins=o_ids,
        destinations=d_ids,
        metric="time_h",
        sums={name: out[name] for name in PROFILE_SKIM_SUMS},
        method=f"profile {cg.profile.id}, least {goal.value}; time_h = {definition}",
    )
