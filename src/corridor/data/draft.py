"""The state of one build of the embedded network, and geodesic lengths.

Each build step (:mod:`~corridor.data.places`, :mod:`~corridor.data.routes`,
:mod:`~corridor.data.terminals`) adds nodes, links or crossing rows to a :class:`Draft`
and records every problem it finds instead of raising, so that one build reports them all.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from corridor.data.recipe import Recipe

__all__ = ["EARTH_RADIUS_KM", "Draft", "geodesic_km", "path_km"]

EARTH_RADIUS_KM = 6371.0088


@dataclass(slots=True)
class Draft:
    """The network being built from a recipe (mutable; one per build).

    Attributes
    ----------
    recipe
        The recipe built from.
    nodes
        Node rows by recipe key (crossings ``X:key``, terminals ``T:key``).
    links
        Link rows, with the geometry as a list of (lon, lat) points.
    crossing_rows
        Rows of the crossings table, one per crossing, mode and direction.
    problems
        Every problem found in the recipe, one line each.
    """

    recipe: Recipe
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)
    crossing_rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, km, between two points given in degrees (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def path_km(points: list[tuple[float, float]]) -> float:
    """Great-circle length, km, of a polyline of (lon, lat) points in degrees."""
    return sum(geodesic_km(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(points))
