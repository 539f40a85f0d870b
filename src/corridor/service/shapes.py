"""Isochrone band polygons: the area within reach of an origin, one polygon per threshold.

The area within `h` hours is the union of

* the reached part of every link: links are cut into pieces of at most ``step_km``, each
  vertex gets the time of its best end (``min(t_a + f T, t_b + (1 - f) T)`` at fraction
  ``f`` of a link of travel time ``T``), and each piece whose two ends are within `h` is
  buffered, and
* around each reached vertex (and node), a disc of what is left of the time spent off
  the modelled network: radius ``min(max_radius_km, (h - t) * access_kmh)``, at least
  ``min_radius_km`` so that a reached link always shows.

Buffers are drawn in Web Mercator with their radius divided by ``cos(latitude)``, so that
a disc is about as many km across on the ground at 40° as at 65° N. Everything is numpy
and vectorised shapely (no loop over links); the polygons are nested (the area within a
larger threshold contains the smaller ones), since every radius grows with `h`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from corridor.errors import ValidationError

__all__ = [
    "ACCESS_KMH",
    "AREA_DEFINITION",
    "MAX_RADIUS_KM",
    "MIN_RADIUS_KM",
    "STEP_KM",
    "Reach",
    "band_polygons",
]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
ACCESS_KMH = 30.0  # [assumption] speed off the modelled network (local roads, last mile)
MAX_RADIUS_KM = 60.0  # [assumption] at most this far off a reached link or node
MIN_RADIUS_KM = 6.0  # [assumption] so that a reached link is always visible
STEP_KM = 20.0  # [assumption] longest piece a link is cut into
_MAX_LAT = 85.0
AREA_DEFINITION = (
    "reached roads and railways (flights and ferries: their ends) and places, widened by what "
    f"is left of the time at {ACCESS_KMH:g} km/h off the network, {MIN_RADIUS_KM:g} to "
    f"{MAX_RADIUS_KM:g} km"
)


@dataclass(frozen=True, slots=True)
class Reach:
    """Times at the ends of the links and at the nodes, as :func:`band_polygons` needs them.

    Attributes
    ----------
    lines
        Link geometries (shapely LineStrings, lon/lat degrees), one per link.
    time_a_h, time_b_h
        Least time to each link's two ends, h (``inf`` if unreached).
    link_time_h
        Time to traverse each link, h.
    node_lon, node_lat, node_time_h
        Nodes and their least times (the origin has 0), degrees and h.
    """

    lines: NDArray[np.object_]
    time_a_h: NDArray[np.float64]
    time_b_h: NDArray[np.float64]
    link_time_h: NDArray[np.float64]
    node_lon: NDArray[np.float64]
    node_lat: NDArray[np.float64]
    node_time_h: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.lines)
        bad = [
            name
            for name, arr in (
                ("time_a_h", self.time_a_h),
                ("time_b_h", self.time_b_h),
                ("link_time_h", self.link_time_h),
            )
            if len(arr) != n
        ]
        m = len(self.node_time_h)
        bad += [
            name
            for name, arr in (("node_lon", self.node_lon), ("node_lat", self.node_lat))
            if len(arr) != m
        ]
        if bad:
            raise ValidationError(
                f"Reach: {', '.join(bad)} must have one value per link ({n}) or node ({m})"
            )


def _to_mercator(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    phi = np.radians(np.clip(lat, -_MAX_LAT, _MAX_LAT))
    x = EARTH_RADIUS_KM * np.radians(lon)
    y = EARTH_RADIUS_KM * np.log(np.tan(math.pi / 4 + phi / 2))
    return np.column_stack([x, y])


def _from_mercator(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    lon = np.degrees(xy[:, 0] / EARTH_RADIUS_KM)
    lat = np.degrees(2 * np.arctan(np.exp(xy[:, 1] / EARTH_RADIUS_KM)) - math.pi / 2)
    return np.column_stack([lon, lat])


def _scale(y_km: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mercator units per ground km at Mercator northing `y_km` (= 1 / cos(latitude))."""
    result: NDArray[np.float64] = np.cosh(y_km / EARTH_RADIUS_KM)
    return result


def band_polygons(
    reach: Reach,
    hours: Sequence[float],
    *,
    access_kmh: float = ACCESS_KMH,
    max_radius_km: float = MAX_RADIUS_KM,
    min_radius_km: float = MIN_RADIUS_KM,
    step_km: float = STEP_KM,
) -> list[shapely.Geometry]:
    """The area within each threshold of `hours`, as lon/lat (Multi)Polygons.

    Parameters
    ----------
    reach
        Link geometries with the times at their ends, and node times.
    hours
        Thresholds, h (positive, finite; returned in the order given).
    access_kmh
        Speed off the modelled network, km/h: a vertex reached with ``r`` hours to spare
        adds a disc of radius ``r * access_kmh`` km.
    max_radius_km, min_radius_km
        Bounds of that radius, km.
    step_km
        Links are cut into pieces of at most this length (ground km, about).

    Returns
    -------
    list of shapely.Geometry
        One polygon per threshold (empty if nothing is within it); nested.

    Raises
    ------
    ValidationError
        If a threshold or parameter is not positive and finite.

    Notes
    -----
    Cost is O(V log V) per threshold for V pieces (shapely's cascaded union).
    """
    hs = [float(h) for h in hours]
    bad = [h for h in hs if not (math.isfinite(h) and h > 0)]
    params = {"access_kmh": access_kmh, "max_radius_km": max_radius_km, "step_km": step_km}
    bad_params = [k for k, v in params.items() if not (math.isfinite(v) and v > 0)]
    if bad or bad_params or not (0 <= min_radius_km <= max_radius_km):
        raise ValidationError(
            f"band_polygons: thresholds must be > 0 (got {bad or hs}); "
            f"{', '.join(bad_params) or 'parameters'} must be > 0 and "
            "0 <= min_radius_km <= max_radius_km"
        )
    lines = np.asarray(reach.lines, dtype=object)
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    merc = _to_mercator(coords[:, 0], coords[:, 1]) if len(coords) else np.empty((0, 2))
    # cut in Mercator: a piece of step_km on the ground is step_km * scale long there
    lines_m = shapely.linestrings(merc, indices=idx) if len(coords) else np.empty(0, object)
    if len(lines_m):
        scale_max = float(_scale(np.abs(merc[:, 1])).max())
        cut = shapely.length(lines_m) > 0  # GEOS cannot cut a line of one repeated point
        lines_m[cut] = shapely.segmentize(lines_m[cut], step_km * scale_max)
    xy, li = shapely.get_coordinates(lines_m, return_index=True)
    # fraction of the way along each link at each vertex
    seg = np.zeros(len(xy))
    if len(xy) > 1:
        seg[1:] = np.hypot(*(xy[1:] - xy[:-1]).T)
        seg[1:][li[1:] != li[:-1]] = 0.0
    cum = np.cumsum(seg)
    start = np.zeros(len(xy))
    if len(xy):
        first = np.r_[True, li[1:] != li[:-1]]
        start = np.maximum.accumulate(np.where(first, cum, 0.0))
    along = cum - start
    total = np.zeros(len(lines_m))
    np.maximum.at(total, li, along)
    frac = np.divide(along, total[li], out=np.zeros_like(along), where=total[li] > 0)
    ta, tb = reach.time_a_h[li], reach.time_b_h[li]
    with np.errstate(invalid="ignore"):
        # a link is never quicker than the difference of its ends' times
        gap = np.abs(ta - tb)
        tl = np.where(
            np.isfinite(gap), np.maximum(reach.link_time_h[li], gap), reach.link_time_h[li]
        )
        tv = np.fmin(ta + frac * tl, tb + (1.0 - frac) * tl)
    tv = np.where(np.isnan(tv), np.inf, tv)
    same = li[1:] == li[:-1] if len(li) > 1 else np.zeros(0, dtype=bool)
    nodes_m = _to_mercator(reach.node_lon, reach.node_lat)
    out: list[shapely.Geometry] = []
    for h in hs:
        parts: list[NDArray[np.object_]] = []

        def radius(
            t: NDArray[np.float64], y: NDArray[np.float64], h: float = h
        ) -> NDArray[np.float64]:
            km = np.clip((h - t) * access_kmh, min_radius_km, max_radius_km)
            return km * _scale(y)

        ok = tv <= h
        if ok.any():
            r = radius(tv[ok], xy[ok, 1])
            parts.append(shapely.buffer(shapely.points(xy[ok]), r, quad_segs=4))
        both = same & ok[:-1] & ok[1:] if len(ok) > 1 else same
        if both.any():
            i = np.flatnonzero(both)
            pieces = shapely.linestrings(np.stack([xy[i], xy[i + 1]], axis=1))
            r = np.minimum(radius(tv[i], xy[i, 1]), radius(tv[i + 1], xy[i + 1, 1]))
            parts.append(shapely.buffer(pieces, r, quad_segs=4, cap_style="round"))
        hit = reach.node_time_h <= h
        if hit.any():
            r = radius(reach.node_time_h[hit], nodes_m[hit, 1])
            parts.append(shapely.buffer(shapely.points(nodes_m[hit]), r, quad_segs=4))
        if not parts:
            out.append(shapely.Polygon())
            continue
        area = shapely.union_all(np.concatenate(parts))
        area = shapely.simplify(area, 0.5, preserve_topology=True)  # 0.5 Mercator km
        out.append(shapely.transform(area, _from_mercator))
    return out
