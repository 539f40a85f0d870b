"""Path problems: single routes (and, later, alternatives, skims, isochrones)."""

from corridor.paths.route import Leg, Optimize, Route, Router, route

__all__ = ["Leg", "Optimize", "Route", "Router", "route"]
