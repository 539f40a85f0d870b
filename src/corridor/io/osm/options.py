"""What an OpenStreetMap import selects: :class:`OsmOptions`, the default classes, progress.

``ImportProgress`` is the library-wide :class:`corridor.progress.Progress`; an import
reports the phases "ways" and "nodes" (objects streamed) and "build" (steps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corridor.errors import ValidationError
from corridor.progress import Progress, ProgressCallback

__all__ = [
    "DEFAULT_RAIL_CLASSES",
    "DEFAULT_ROAD_CLASSES",
    "OTHER_RAIL_CLASSES",
    "OTHER_ROAD_CLASSES",
    "ImportProgress",
    "OsmOptions",
    "ProgressCallback",
]

ImportProgress = Progress
"""Progress of an OSM import: the shared :class:`corridor.progress.Progress`."""

DEFAULT_ROAD_CLASSES: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
)
"""``highway`` values imported by default: the roads a car may use."""

DEFAULT_RAIL_CLASSES: tuple[str, ...] = ("rail", "narrow_gauge", "light_rail", "subway", "tram")
"""``railway`` values imported by default."""

OTHER_ROAD_CLASSES: tuple[str, ...] = (
    "track",
    "busway",
    "bus_guideway",
    "pedestrian",
    "footway",
    "cycleway",
    "path",
    "bridleway",
    "steps",
)
OTHER_RAIL_CLASSES: tuple[str, ...] = ("monorail", "funicular", "miniature", "preserved")


@dataclass(frozen=True, slots=True, kw_only=True)
class OsmOptions:
    """What :func:`read_osm` imports.

    Parameters
    ----------
    modes
        "road", "rail" or both.
    classes
        ``highway`` / ``railway`` values to import; None for
        :data:`DEFAULT_ROAD_CLASSES` + :data:`DEFAULT_RAIL_CLASSES`.
    bbox
        (min_lon, min_lat, max_lon, max_lat) in degrees; segments leaving it are dropped.
    polygon
        A shapely (multi)polygon in WGS 84; segments with an end outside are dropped.
    country
        ISO code for every node and link; None to take each node's nearest GeoNames city.
    simplify
        Contract degree-2 nodes (see the module notes).
    largest_component
        Keep only the largest strongly connected component of the roads, and of each
        railway class (rail, tram, subway, ...), so that every kept node can reach every
        other one of its network.
    turn_restrictions
        Import ``type=restriction`` relations into ``network.turns``.
    border_radius_km
        How far to look for the other country of a border control.
    name
        Name of the network; default the file's stem.
    """

    modes: tuple[str, ...] = ("road", "rail")
    classes: tuple[str, ...] | None = None
    bbox: tuple[float, float, float, float] | None = None
    polygon: Any = None
    country: str | None = None
    simplify: bool = True
    largest_component: bool = True
    turn_restrictions: bool = True
    border_radius_km: float = 100.0
    name: str | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        bad_modes = [m for m in self.modes if m not in ("road", "rail")]
        if bad_modes or not self.modes:
            problems.append(f"modes {list(self.modes)!r}: use 'road' and/or 'rail'")
        if self.classes is not None:
            known = set(DEFAULT_ROAD_CLASSES + DEFAULT_RAIL_CLASSES)
            known |= set(OTHER_ROAD_CLASSES + OTHER_RAIL_CLASSES)
            unknown = sorted(set(self.classes) - known)
            if unknown or not self.classes:
                problems.append(
                    f"unknown classes {unknown}; use highway or railway values such as "
                    "motorway, primary, residential, rail, tram"
                )
        if self.bbox is not None:
            x0, y0, x1, y1 = self.bbox
            if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
                problems.append(
                    f"bbox {self.bbox}: need min_lon < max_lon and min_lat < max_lat in degrees"
                )
        if self.country is not None and not re.fullmatch(r"[A-Z]{2}", self.country):
            problems.append(f"country {self.country!r}: use an ISO 3166-1 alpha-2 code")
        if not self.border_radius_km > 0:
            problems.append("border_radius_km must be positive")
        if problems:
            raise ValidationError("; ".join(problems))

    def road_classes(self) -> frozenset[str]:
        """The highway values selected."""
        if "road" not in self.modes:
            return frozenset()
        if self.classes is None:
            return frozenset(DEFAULT_ROAD_CLASSES)
        return frozenset(self.classes) & frozenset(DEFAULT_ROAD_CLASSES + OTHER_ROAD_CLASSES)

    def rail_classes(self) -> frozenset[str]:
        """The railway values selected."""
        if "rail" not in self.modes:
            return frozenset()
        if self.classes is None:
            return frozenset(DEFAULT_RAIL_CLASSES)
        return frozenset(self.classes) & frozenset(DEFAULT_RAIL_CLASSES + OTHER_RAIL_CLASSES)
