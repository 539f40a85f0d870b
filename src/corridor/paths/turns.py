"""Least-cost routes that honour turn restrictions (``network.turns``).

Skims honour them too: :func:`corridor.skim` searches the same expansion (see
:func:`corridor.paths.skim.skim_plan`).

:func:`route_restricted` searches the edge-based expansion from
:func:`corridor.graph.turns.compile_turn_graph` with the numba Dijkstra of
:mod:`corridor.kernels.dijkstra` and returns an ordinary :class:`~corridor.paths.route.Route`.
On a network without restrictions it gives the same cost as :func:`corridor.route`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.errors import NoPathError, ValidationError
from corridor.graph.compile import compile_graph, parse_modes
from corridor.graph.turns import TurnGraph, compile_turn_graph
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.route import Optimize, Route, Router

__all__ = ["restricted_costs", "route_restricted"]

log = logging.getLogger(__name__)

_WEIGHT = {Optimize.TIME: "time_h", Optimize.DISTANCE: "length_km"}


def _router(network: Network) -> Router:
    router = network._cache.get("router")
    if not isinstance(router, Router):
        router = Router(network)
        network._cache["router"] = router
    return router


def _goal(optimize: Optimize | str) -> Optimize:
    try:
        return Optimize(str(optimize).lower())
    except ValueError:
        raise ValidationError(
            f"unknown objective {optimize!r}; use one of {[o.value for o in Optimize]}"
        ) from None


def route_restricted(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    modes: str | Iterable[str | Mode] | None = "road",
    optimize: Optimize | str = Optimize.TIME,
    u_turns: bool = False,
) -> Route:
    """The least-time or least-distance route that obeys the network's turn restrictions.

    Parameters
    ----------
    network
        The network; its ``turns`` table holds the restrictions.
    origin, destination
        Node ids or place names, as for :func:`corridor.route`.
    modes
        Modes to use (restrictions only bind links of these modes).
    optimize
        "time" or "distance".
    u_turns
        Allow U-turns everywhere; by default only at dead ends.

    Returns
    -------
    Route

    Raises
    ------
    UnknownNodeError
        If a place is not found.
    NoPathError
        If the destination cannot be reached without breaking a restriction.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> round(route_restricted(net, "A", "D").time_h, 4) == round(
    ...     corridor.route(net, "A", "D", modes="road").time_h, 4)
    True
    """
    from corridor.kernels.dijkstra import dijkstra_to, new_workspace

    goal = _goal(optimize)
    router = _router(network)
    o = router.places.resolve(origin, role="origin")
    d = router.places.resolve(destination, role="destination")
    mode_set = parse_modes(modes)
    tg = compile_turn_graph(network, modes=mode_set, weight=_WEIGHT[goal], u_turns=u_turns)
    graph = compile_graph(network, modes=mode_set, weight=_WEIGHT[goal])
    s, t = (int(x) for x in graph.index_of([o, d]))
    if s == t:
        return router.build_route(graph, s, np.zeros(0, np.int64), goal.value, 0.0)
    ws = new_workspace(tg.state_arc.size)
    total, slots = dijkstra_to(
        tg.indptr, tg.heads, tg.cost, int(tg.start_state[s]), int(tg.end_state[t]), ws
    )
    if not np.isfinite(total):
        names = "+".join(m.value for m in mode_set)
        raise NoPathError(
            f"no {names} path from {router._names[o]} to {router._names[d]} that obeys the "
            "turn restrictions"
        )
    return router.build_route(graph, s, tg.arcs_of(slots), goal.value, float(total))


def restricted_costs(
    turn_graph: TurnGraph, origin_idx: int, destinations_idx: IntArray | None = None
) -> FloatArray:
    """Least costs from one node index to every (or the given) node indices, obeying turns.

    A building block for skims with turn restrictions: origin and destinations are
    node indices of the compiled graph it expands; unreachable is ``inf``.
    """
    from corridor.kernels.dijkstra import dijkstra

    n_states = turn_graph.state_arc.size
    dist = np.empty(n_states)
    pred = np.empty(n_states, np.int64)
    dijkstra(
        turn_graph.indptr,
        turn_graph.heads,
        turn_graph.cost,
        int(turn_graph.start_state[origin_idx]),
        dist,
        pred,
    )
    out = dist[turn_graph.end_state]
    out[origin_idx] = 0.0
    if destinations_idx is None:
        return np.asarray(out, dtype=np.float64)
    return np.asarray(out[np.asarray(destinations_idx, dtype=np.int64)], dtype=np.float64)
