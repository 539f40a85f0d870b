"""Least-cost routes between two places.

Without a profile a route minimises free-flow time or distance on the plain link graph.
With a profile (:mod:`corridor.costs`) it runs on the profile's expanded cost graph, so
border crossings, gauge breaks, transfers and terminal handling are stops with their own
time and money, and it may minimise time, money, CO2 (well-to-wheel), generalised cost
(money + value of time x time) or distance. The chosen path is then walked on a timeline
(:mod:`corridor.kernels.timeline`) that adds drivers' breaks and rests and, given a
departure, waits for crossings' opening hours. Both searches obey the network's turn
restrictions. The values returned are in :mod:`corridor.paths.types`; the searches in
:class:`corridor.paths.router.Router`.
"""

from __future__ import annotations

from collections.abc import Iterable

from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.model.validate import Optimize
from corridor.paths.router import router_for
from corridor.paths.types import DepartLike, ProfileLike, Route

__all__ = ["route"]


def route(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    modes: str | Iterable[str | Mode] | None = "any",
    optimize: Optimize | str | None = None,
    profile: ProfileLike | None = None,
    depart: DepartLike | None = None,
) -> Route:
    """Find the least-cost route between two places, optionally for a vehicle profile.

    Parameters
    ----------
    network
        The network; its :class:`~corridor.paths.router.Router` (found by
        :func:`~corridor.paths.router.router_for`) keeps the compiled graphs.
    origin, destination
        Node ids or place names (case-insensitive; alternate names and common
        transliterations match; "Brest, BY" picks a country).
    modes
        "road", "rail", a list of modes, or "any" (with a profile: the profile's modes,
        narrowed to these).
    optimize
        "time" (h) or "distance" (km); with a profile also "cost" (US$), "co2" (kg,
        well-to-wheel) or "generalized" (US$ + value of time x h). Default: "generalized"
        with a profile (what the profile's value of time is calibrated for: the choice
        travellers and carriers make), "time" without one. The CLI and the REST API use
        the same default.
    profile
        A built-in profile id (truck20, truck40, container20, container40, grain-wagon,
        car, bus, train), a YAML profile file, or a Profile. Without one, links cost their
        free-flow time or length only.
    depart
        Departure time (ISO string or datetime, in the clock crossings' opening hours
        use); gives arrival times and respects opening hours where the network has them
        (``open_from_h``/``open_to_h`` columns of the crossings table; else open 24 h).

    Returns
    -------
    Route
        Legs, stops, totals and geometry.

    Raises
    ------
    UnknownNodeError
        If a place is not found; the message lists the closest names.
    NoPathError
        If the destination cannot be reached with these modes.
    ValidationError
        For an unknown or invalid profile, or an objective that needs a profile.

    Notes
    -----
    The search minimises additive arc costs of the expanded cost graph (line-haul plus
    stops). For time (and generalised cost) each hour of road driving is grossed up by the
    profile's long-run rest per driving hour (1.31 h for 9 h/day with an 11 h rest and a
    45 min break), so that a long road haul is not preferred for ignoring the drivers'
    hours; since that over-prices trips shorter than a day, the path found without the
    gross-up is also walked and the better of the two kept. The reported `time_h` comes
    from walking the chosen path on the exact timeline (breaks and rests where the rules
    put them, opening-hours waits) and may differ from the searched value `Route.cost`.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> corridor.route(net, "A", "D").legs[0].mode
    'road'
    """
    if optimize is None:
        optimize = Optimize.TIME if profile is None else Optimize.GENERALIZED
    return router_for(network).route(
        origin, destination, modes=modes, optimize=optimize, profile=profile, depart=depart
    )
