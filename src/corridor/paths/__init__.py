"""Path problems: routes, alternatives, Pareto sets, skims, isochrones and trips.

:class:`Router` owns everything derived from a network and runs every search.
"""

from corridor.model.validate import Optimize
from corridor.paths.route import route
from corridor.paths.router import Router, lookup_place, router_for
from corridor.paths.types import Leg, Route, RouteSet, Stop

__all__ = [
    "Leg",
    "Optimize",
    "Route",
    "RouteSet",
    "Router",
    "Stop",
    "lookup_place",
    "route",
    "router_for",
]
