"""Least-cost routes that honour turn restrictions (``network.turns``).

Skims honour them too: :func:`corridor.skim` searches the same expansion (see
:func:`corridor.paths.skim.skim_plan`).

:func:`route_restricted` is :func:`corridor.route` without a profile, with the choice of
allowing U-turns: both search the network's :class:`~corridor.graph.search.SearchGraph`
(the edge-based expansion where restrictions apply). On a network without restrictions
it gives the same cost as :func:`corridor.route`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.graph.turns import TurnGraph
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.model.validate import Optimize, parse_optimize
from corridor.paths.router import router_for
from corridor.paths.types import Route

__all__ = ["restricted_costs", "route_restricted"]

log = logging.getLogger(__name__)


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
    router = router_for(network)
    o, d = router.endpoints(origin, destination)
    return router.plain(o, d, modes=modes, optimize=parse_optimize(optimize), u_turns=u_turns)


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
