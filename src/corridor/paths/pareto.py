"""The Pareto set of routes over time, money and CO2 (multi-criteria label setting)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import numpy as np

from corridor import defaults
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.router import router_for
from corridor.paths.types import DepartLike, ProfileLike, RouteSet

__all__ = ["pareto"]

log = logging.getLogger(__name__)

_CRITERIA = ("time", "cost", "co2", "distance", "generalized")


def pareto(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    profile: ProfileLike,
    criteria: Sequence[str] = defaults.PARETO_CRITERIA,
    modes: str | Iterable[str | Mode] | None = "any",
    tolerance: float = defaults.PARETO_TOLERANCE,
    max_labels: int = 2_000_000,
    depart: DepartLike | None = None,
) -> RouteSet:
    """Every route not beaten on all of `criteria` by another (the non-dominated set).

    Parameters
    ----------
    network
        The network.
    origin, destination
        Node ids or place names.
    profile
        Profile id, YAML file or Profile.
    criteria
        Two or more of time, cost, co2, distance, generalized.
    modes
        Narrow the profile's modes.
    tolerance
        Relative dominance tolerance: 0 gives the exact set; 0.01 drops routes within 1%
        of another route in every criterion (a smaller, representative set).
    max_labels
        Label budget of the search; ``complete`` is False if it ran out.
    depart
        Departure time, as for :func:`corridor.route`.

    Returns
    -------
    RouteSet
        The routes, fastest first.

    Raises
    ------
    ValidationError
        For fewer than two criteria or an unknown one.
    NoPathError
        If the destination cannot be reached.

    Notes
    -----
    Multi-criteria label setting (Martins 1984) in :mod:`corridor.kernels.labels` over the
    expanded cost graph, with arc criteria summed along the path; time is the searched
    time of :attr:`corridor.costs.CostGraph.search_time_h` (driving grossed up by the
    long-run drivers' rest), and each route's searched values are in ``values``.
    """
    crit = tuple(str(c).lower() for c in criteria)
    bad = [c for c in crit if c not in _CRITERIA]
    if bad or len(set(crit)) < 2:
        raise ValidationError(
            f"criteria must be two or more of {list(_CRITERIA)}; got {list(criteria)}"
        )
    if not tolerance >= 0:
        raise ValidationError(f"tolerance must be >= 0, got {tolerance}")
    from corridor.kernels.labels import pareto_paths

    router = router_for(network)
    o, d = router.endpoints(origin, destination)
    cg = router.cost_graph(profile, modes)
    search = router.reaching_search(cg, o, d)
    src, dst = router.hubs(cg, search, o, d)
    weights = search.weights(np.column_stack([cg.weight(c) for c in crit]))
    values, found, complete = pareto_paths(
        search.indptr, search.heads, weights, src, dst, max_labels=max_labels, eps=tolerance
    )
    paths = [search.arcs(p) for p in found]
    if not paths:
        router.cheapest(cg, o, d, cg.weight("time"))  # raises NoPathError
    order = np.lexsort(values.T[::-1])
    log.info("pareto %s -> %s: %d routes (complete=%s)", o, d, len(paths), complete)
    routes = tuple(
        router.profile_route(
            cg, paths[i], optimize="+".join(crit), cost=float(values[i, 0]), depart=depart
        )
        for i in order
    )
    method = (
        f"non-dominated over {', '.join(crit)} (label setting"
        + (f", tolerance {tolerance:g}" if tolerance else ", exact")
        + ")"
    )
    return RouteSet(
        routes=routes,
        method=method,
        complete=complete,
        criteria=crit,
        values=tuple(tuple(float(v) for v in values[i]) for i in order),
    )
