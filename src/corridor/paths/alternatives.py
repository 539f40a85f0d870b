"""Materially different alternative routes: the penalty method with a similarity limit.

Method
------
1. Find the least-cost route for the objective.
2. Multiply the weight of every arc on a link of the routes found so far (both
   directions) by ``1 + penalty`` and search again; repeat.
3. Keep a new route only if its *similarity* to every kept route is at most
   ``max_similarity``, where similarity(A, B) = km of links shared by A and B divided by
   the length of the shorter of the two (0 = disjoint, 1 = one contains the other).

Routes by another mode or through another border crossing share few links, so they pass;
the same route with a small detour shares most of its length and is dropped. Kept routes
are reported with their true (unpenalised) costs and sorted by them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from corridor import defaults
from corridor._typing import IntArray
from corridor.costs.graph import CostGraph
from corridor.errors import NoPathError, ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.model.validate import Optimize, parse_optimize
from corridor.paths.router import router_for
from corridor.paths.types import DepartLike, ProfileLike, Route, RouteSet

__all__ = ["alternatives", "route_similarity"]

log = logging.getLogger(__name__)


def route_similarity(a: Route, b: Route, lengths_km: dict[int, float]) -> float:
    """Shared link length over the shorter route's length (0 if either has no length).

    Parameters
    ----------
    a, b
        Two routes.
    lengths_km
        Length of each link id.
    """
    shared = set(a.link_ids) & set(b.link_ids)
    common = sum(lengths_km[i] for i in shared)
    shorter = min(a.length_km, b.length_km)
    return float(common / shorter) if shorter > 0 else 0.0


def _link_mask(cg: CostGraph, slots: IntArray) -> np.ndarray:
    rows = cg.link_row[slots]
    rows = rows[rows >= 0]
    return np.isin(cg.link_row, rows) & (cg.link_row >= 0)


def alternatives(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    profile: ProfileLike,
    k: int = defaults.ALTERNATIVES,
    optimize: Optimize | str = Optimize.GENERALIZED,
    modes: str | Iterable[str | Mode] | None = "any",
    max_similarity: float = defaults.MAX_SIMILARITY,
    penalty: float = 1.0,
    depart: DepartLike | None = None,
) -> RouteSet:
    """Up to `k` materially different routes, best first.

    Parameters
    ----------
    network
        The network.
    origin, destination
        Node ids or place names.
    profile
        Profile id, YAML file or Profile.
    k
        How many routes at most.
    optimize
        Objective: time, cost, co2, generalized or distance.
    modes
        Narrow the profile's modes.
    max_similarity
        Largest allowed share of the shorter route's length on links shared with another
        kept route (see the module docstring).
    penalty
        Weight increase of used links per round (1.0 doubles them).
    depart
        Departure time, as for :func:`corridor.route`.

    Returns
    -------
    RouteSet
        The first route is the least-cost one; fewer than `k` if the network has no more
        routes different enough.

    Raises
    ------
    ValidationError
        For k < 1, max_similarity outside [0, 1] or penalty <= 0.
    NoPathError
        If the destination cannot be reached.
    """
    if k < 1 or not 0.0 <= max_similarity <= 1.0 or not penalty > 0:
        raise ValidationError(
            f"need k >= 1, 0 <= max_similarity <= 1 and penalty > 0; "
            f"got {k}, {max_similarity}, {penalty}"
        )
    goal = parse_optimize(optimize)
    router = router_for(network)
    o, d = router.endpoints(origin, destination)
    cg = router.cost_graph(profile, modes)
    true_w = cg.weight(goal.value)
    lengths = dict(
        zip(
            network.links["link_id"].tolist(),
            network.links["length_km"].tolist(),
            strict=True,
        )
    )
    first, first_slots = router.best_path(cg, o, d, goal, depart=depart)
    kept: list[Route] = [first]
    seen: set[tuple[int, ...]] = {tuple(int(x) for x in first_slots)}
    w = np.where(_link_mask(cg, first_slots), true_w * (1.0 + penalty), true_w)
    rounds = 1
    while len(kept) < k and rounds < 4 * k + 4:
        rounds += 1
        try:
            _, slots = router.cheapest(cg, o, d, w)
        except NoPathError:
            break
        w = np.where(_link_mask(cg, slots), w * (1.0 + penalty), w)
        key = tuple(int(x) for x in slots)
        if key in seen:
            continue
        seen.add(key)
        candidate = router.profile_route(
            cg, slots, optimize=goal.value, cost=float(true_w[slots].sum()), depart=depart
        )
        if all(route_similarity(candidate, r, lengths) <= max_similarity for r in kept):
            kept.append(candidate)
    # the least-cost route (the one corridor.route gives) first, the others by cost
    # ties broken by time, then length, then the link ids: one order on every run
    kept[1:] = sorted(kept[1:], key=lambda r: (r.cost, r.time_h, r.length_km, r.link_ids))
    log.info("alternatives %s -> %s: %d routes in %d rounds", o, d, len(kept), rounds)
    method = (
        f"penalty method (x{1 + penalty:g} on used links per round), least {goal.value} "
        f"first; shared length <= {max_similarity:.0%} of the shorter route"
    )
    return RouteSet(routes=tuple(kept), method=method)
