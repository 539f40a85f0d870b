"""OSM tags -> link attributes: speeds (``maxspeed`` and defaults by class), one-way, access.

Speeds: ``maxspeed`` (km/h, ``mph``, ``knots``, implicit ``XX:urban`` / ``XX:rural`` /
``XX:motorway`` / ``none`` / ``walk``) wins; otherwise a free-flow speed per class derived
from the country's general limits (:data:`COUNTRY_LIMITS_KMH`).
"""

from __future__ import annotations

import math
import re
from typing import Any

from .options import OsmOptions

__all__ = [
    "ATTR_NAMES",
    "COUNTRY_LIMITS_KMH",
    "default_speed_kmh",
    "parse_maxspeed",
    "way_attrs",
]

COUNTRY_LIMITS_KMH: dict[str, tuple[float, float, float]] = {
    "": (110.0, 90.0, 50.0),
    "BY": (120.0, 90.0, 60.0),
    "CN": (120.0, 70.0, 50.0),
    "DE": (130.0, 100.0, 50.0),
    "FI": (120.0, 80.0, 50.0),
    "KZ": (110.0, 90.0, 60.0),
    "MN": (100.0, 80.0, 60.0),
    "PL": (140.0, 90.0, 50.0),
    "RU": (110.0, 90.0, 60.0),
}
"""General speed limits (motorway, rural, urban), km/h, by ISO country code ('' = fallback).

Sources: national road traffic rules as summarised in Wikipedia's "Speed limits by
country" (2024); Germany's motorway figure is the advisory 130 km/h, Finland's the
summer motorway limit. Countries not listed use the fallback.
"""

# free-flow speed per class as a share of (motorway, rural, urban) limits; a model of typical
# driving speeds, not of the law
_CLASS_SHARE: dict[str, tuple[int, float]] = {
    "motorway": (0, 1.0),
    "trunk": (1, 1.0),
    "primary": (1, 0.85),
    "secondary": (1, 0.75),
    "tertiary": (1, 0.6),
    "unclassified": (1, 0.5),
    "road": (1, 0.5),
    "residential": (2, 0.6),
    "busway": (2, 0.6),
    "bus_guideway": (2, 0.6),
    "track": (2, 0.4),
}
_FIXED_SPEED_KMH: dict[str, float] = {
    "living_street": 10.0,
    "service": 20.0,
    "pedestrian": 5.0,
    "footway": 5.0,
    "path": 5.0,
    "steps": 3.0,
    "bridleway": 6.0,
    "cycleway": 15.0,
}
_RAIL_SPEED_KMH: dict[str, float] = {
    "rail": 100.0,
    "narrow_gauge": 50.0,
    "light_rail": 60.0,
    "subway": 70.0,
    "tram": 25.0,
    "monorail": 50.0,
    "funicular": 15.0,
    "miniature": 10.0,
    "preserved": 40.0,
}
_RAIL_USAGE_KMH = {"main": 100.0, "branch": 80.0, "industrial": 40.0, "military": 40.0}
_RAIL_SERVICE_KMH = {"siding": 20.0, "yard": 20.0, "spur": 30.0, "crossover": 30.0}
_ELECTRIFIED = {"contact_line", "rail", "yes", "4th_rail", "ground-level_power_supply"}

ATTR_NAMES = (
    "mode",
    "class",
    "ref",
    "name",
    "maxspeed_kmh",
    "maxspeed_text",
    "oneway",
    "lanes",
    "gauge_mm",
    "electrified",
    "usage",
    "service",
)
"""Names of the way attributes, in the order of the tuples :func:`way_attrs` gives."""


def _limits(country: str) -> tuple[float, float, float]:
    return COUNTRY_LIMITS_KMH.get(country, COUNTRY_LIMITS_KMH[""])


def parse_maxspeed(value: str, country: str = "") -> float:
    """Parse an OSM ``maxspeed`` value to km/h; NaN when it gives no number.

    Parameters
    ----------
    value
        The tag value: ``"50"``, ``"30 mph"``, ``"10 knots"``, ``"RU:urban"``, ``"none"``,
        ``"walk"``, ``"50;30"`` (the first counts).
    country
        ISO code used for ``none`` (the country's motorway limit).

    Examples
    --------
    >>> parse_maxspeed("30 mph")
    48.28032
    >>> parse_maxspeed("RU:urban")
    60.0
    >>> parse_maxspeed("signals")
    nan
    """
    text = value.strip().lower().split(";")[0].strip()
    if not text:
        return math.nan
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(mph|knots|km/h|kmh|kph)?", text)
    if m:
        speed = float(m.group(1).replace(",", "."))
        unit = m.group(2)
        if unit == "mph":
            speed *= 1.609344
        elif unit == "knots":
            speed *= 1.852
        return speed if 0 < speed <= 400 else math.nan
    if text == "walk":
        return 5.0
    if text == "none":
        return _limits(country.upper())[0]
    m = re.fullmatch(r"([a-z]{2}):([a-z_]+)", text)
    if m:
        motorway, rural, urban = _limits(m.group(1).upper())
        zone = m.group(2)
        if zone in ("urban", "zone30", "zone:30"):
            return 30.0 if zone != "urban" else urban
        if zone in ("rural", "trunk"):
            return rural
        if zone == "motorway":
            return motorway
        if zone == "living_street":
            return 20.0
        if zone == "walk":
            return 5.0
    return math.nan


def default_speed_kmh(mode: str, cls: str, country: str = "", *, usage: str = "") -> float:
    """Free-flow speed of a link without ``maxspeed``, km/h.

    Roads: a share of the country's motorway, rural or urban limit by class (``_link``
    roads take 60 % of their parent's speed). Railways: by ``usage`` (main 100, branch 80,
    industrial 40) or ``service`` (siding, yard 20; spur, crossover 30), else by class.

    Examples
    --------
    >>> default_speed_kmh("road", "motorway", "FI")
    120.0
    >>> default_speed_kmh("road", "primary_link", "RU")
    45.0
    """
    if mode == "rail":
        if usage in _RAIL_SERVICE_KMH:
            return _RAIL_SERVICE_KMH[usage]
        if usage in _RAIL_USAGE_KMH and cls == "rail":
            return _RAIL_USAGE_KMH[usage]
        return _RAIL_SPEED_KMH.get(cls, 60.0)
    base = cls.removesuffix("_link")
    if base in _FIXED_SPEED_KMH:
        return _FIXED_SPEED_KMH[base]
    which, share = _CLASS_SHARE.get(base, (1, 0.5))
    speed = _limits(country)[which] * share
    if cls.endswith("_link"):
        speed *= 0.6
    return float(max(5.0, round(speed / 5.0) * 5.0))


def _first_number(value: str) -> float:
    m = re.match(r"\s*(\d+(?:\.\d+)?)", value)
    return float(m.group(1)) if m else math.nan


def _oneway(tags: dict[str, str], cls: str) -> int:
    """1 forward, -1 reversed, 0 two-way."""
    value = tags.get("oneway", "").lower()
    if value in ("yes", "true", "1"):
        return 1
    if value in ("-1", "reverse"):
        return -1
    if value in ("no", "false", "0", "reversible", "alternating"):
        return 0
    if tags.get("junction", "") in ("roundabout", "circular") or cls in (
        "motorway",
        "motorway_link",
    ):
        return 1
    return 0


def _road_allowed(tags: dict[str, str]) -> bool:
    if tags.get("area") == "yes":
        return False
    if tags.get("access") in ("no", "private"):
        return tags.get("motor_vehicle", tags.get("motorcar", "")) in (
            "yes",
            "designated",
            "destination",
            "permissive",
        )
    return True


def way_attrs(tags: dict[str, str], options: OsmOptions) -> list[tuple[tuple[Any, ...], int]]:
    """(attributes, oneway sign) for each network the way belongs to (a street with tram
    tracks tagged on the same way is both a road and a railway)."""
    return [
        got for got in (_road_attr(tags, options), _rail_attr(tags, options)) if got is not None
    ]


def _road_attr(tags: dict[str, str], options: OsmOptions) -> tuple[tuple[Any, ...], int] | None:
    hw = tags.get("highway")
    if hw is not None and hw in options.road_classes() and _road_allowed(tags):
        oneway = _oneway(tags, hw)
        # implicit values ("RU:urban", "none") need the country: resolved after pass 2
        text = tags.get("maxspeed", "")
        speed = parse_maxspeed(text) if re.match(r"\s*\d", text) else math.nan
        if math.isnan(speed):
            fwd = parse_maxspeed(tags.get("maxspeed:forward", ""))
            bwd = parse_maxspeed(tags.get("maxspeed:backward", ""))
            both = [s for s in (fwd, bwd) if not math.isnan(s)]
            speed = min(both) if both else math.nan
        maxspeed_text = text if math.isnan(speed) else ""
        lanes = _first_number(tags.get("lanes", ""))
        lanes_i = int(lanes) if not math.isnan(lanes) and 0 < lanes < 50 else (1 if oneway else 2)
        attr = (
            "road",
            hw,
            tags.get("ref", ""),
            tags.get("name", ""),
            speed,
            maxspeed_text,
            oneway != 0,
            lanes_i,
            math.nan,
            False,
            "",
            "",
        )
        return attr, oneway
    return None


def _rail_attr(tags: dict[str, str], options: OsmOptions) -> tuple[tuple[Any, ...], int] | None:
    rw = tags.get("railway")
    if rw is not None and rw in options.rail_classes():
        gauge = _first_number(tags.get("gauge", ""))
        if not 500 <= gauge <= 2000:
            gauge = math.nan
        speed = parse_maxspeed(tags.get("maxspeed", ""))
        attr = (
            "rail",
            rw,
            tags.get("ref", ""),
            tags.get("name", ""),
            speed,
            "",
            False,
            0,
            gauge,
            tags.get("electrified", "no").lower() in _ELECTRIFIED,
            tags.get("usage", ""),
            tags.get("service", ""),
        )
        return attr, 0
    return None
