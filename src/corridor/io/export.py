"""Export networks, routes, trips and matrices in the formats other tools read.

=====================  ==========================================================
what                   formats (chosen by the file's suffix)
=====================  ==========================================================
Network                ``.gpkg`` (QGIS), ``.parquet`` (GeoParquet folder), ``.geojson``
Route, Trip            ``.geojson`` (one LineString feature per leg), ``.json``
Skim, matrices         ``.omx``, ``.csv``, ``.parquet`` (via :mod:`corridor.io.omx`)
=====================  ==========================================================

GeoJSON follows RFC 7946 (WGS 84 lon/lat, no ``crs`` member). Every write goes to a
temporary file in the target folder that is renamed into place, so a failed export leaves
an earlier file intact and never a half-written one.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.atomic import write_text_atomic
from corridor.errors import DataSourceError, ValidationError
from corridor.model.network import Network
from corridor.paths.trip import Trip
from corridor.paths.types import Route

__all__ = [
    "export",
    "network_geojson",
    "route_geojson",
    "trip_geojson",
    "write_geojson",
]

log = logging.getLogger(__name__)


def _clean(value: Any) -> Any:
    """JSON-safe scalar: NaN/inf -> None, numpy -> Python, timestamps -> ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if value is pd.NaT:
        return None
    return value


def _properties(frame: pd.DataFrame, skip: tuple[str, ...]) -> list[dict[str, Any]]:
    cols = [c for c in frame.columns if c not in skip]
    records = frame[cols].to_dict(orient="records")
    return [{str(k): _clean(v) for k, v in rec.items()} for rec in records]


def network_geojson(network: Network) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: nodes as Points, links as LineStrings.

    Every column becomes a property; a feature's ``layer`` says "node" or "link". Links
    without a geometry are drawn straight between their end nodes.
    """
    import shapely

    nodes = network.nodes
    links = network.links
    features: list[dict[str, Any]] = []
    for props, x, y in zip(
        _properties(nodes, ()), nodes["lon"].tolist(), nodes["lat"].tolist(), strict=True
    ):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x, y]},
                "properties": {"layer": "node", **props},
            }
        )
    xy = dict(
        zip(nodes["node_id"].tolist(), zip(nodes["lon"], nodes["lat"], strict=True), strict=True)
    )
    for props, geom, a, b in zip(
        _properties(links, ("geometry",)),
        links["geometry"].tolist(),
        links["a_node"].tolist(),
        links["b_node"].tolist(),
        strict=True,
    ):
        if geom is None:
            coords = [list(map(float, xy[a])), list(map(float, xy[b]))]
        else:
            coords = np.asarray(shapely.get_coordinates(geom)).tolist()
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {"layer": "link", **props},
            }
        )
    return {"type": "FeatureCollection", "name": network.name, "features": features}


def route_geojson(route: Route, network: Network | None = None) -> dict[str, Any]:
    """A Route as a FeatureCollection: the whole route, then (given its network) its legs.

    Parameters
    ----------
    route
        The route.
    network
        The network it was found on; needed to draw each leg on its own.
    """
    import shapely

    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(route.geometry),
            "properties": {
                "kind": "route",
                "origin": route.origin_name,
                "destination": route.destination_name,
                "optimize": route.optimize,
                "cost": _clean(route.cost),
                **route.totals(),
                "legs": [
                    {k: _clean(v) for k, v in leg.to_dict().items() if k != "link_ids"}
                    for leg in route.legs
                ],
            },
        }
    ]
    if network is not None:
        row_of = {int(x): i for i, x in enumerate(network.links["link_id"].tolist())}
        a_node = network.links["a_node"].to_numpy()
        b_node = network.links["b_node"].to_numpy()
        geoms = network.links["geometry"].tolist()
        xy = network.nodes.set_index("node_id")[["lon", "lat"]]
        for leg in route.legs:
            at = leg.from_node
            parts: list[list[float]] = []
            for lid in leg.link_ids:
                k = row_of[lid]
                a, b = int(a_node[k]), int(b_node[k])
                geom = geoms[k]
                pts = (
                    np.asarray(shapely.get_coordinates(geom))
                    if geom is not None
                    else xy.loc[[a, b]].to_numpy(dtype=np.float64)
                )
                if a != at:
                    pts = pts[::-1]
                    at = a
                else:
                    at = b
                parts.extend(pts.tolist() if not parts else pts[1:].tolist())
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": parts},
                    "properties": {
                        "kind": "leg",
                        **{k: _clean(v) for k, v in leg.to_dict().items()},
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def trip_geojson(trip: Trip) -> dict[str, Any]:
    """A public-transport Trip as a FeatureCollection: one LineString per leg."""
    features = []
    for leg in trip.legs:
        coords = [list(c) for c in leg.coords] or [[0.0, 0.0], [0.0, 0.0]]
        if len(coords) == 1:
            coords = coords * 2
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": leg.to_dict(),
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {k: v for k, v in trip.to_dict().items() if k != "legs"},
        "features": features,
    }


def _atomic_text(path: Path, text: str) -> Path:
    try:
        return write_text_atomic(path, text)
    except OSError as exc:
        raise DataSourceError(path, f"cannot be written: {exc}") from None


def write_geojson(data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write a GeoJSON mapping to `path` atomically."""
    return _atomic_text(Path(path), json.dumps(data, ensure_ascii=False, allow_nan=False))


def export(obj: object, path: str | os.PathLike[str], *, network: Network | None = None) -> Path:
    """Write `obj` to `path` in the format its suffix names (see the module table).

    Parameters
    ----------
    obj
        A Network, Route, Trip, Skim, or a :class:`corridor.io.omx.Matrices`.
    path
        The target file (or GeoParquet folder).
    network
        For a Route: the network it was found on, to draw its legs.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValidationError
        If this kind of object cannot be written in that format.
    DataSourceError
        If the file cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if isinstance(obj, Network):
        if suffix in (".geojson", ".json"):
            return write_geojson(network_geojson(obj), target)
        if suffix in (".gpkg", ".parquet", ".geoparquet"):
            from corridor.io.files import write_network

            return write_network(obj, target)
        raise ValidationError(
            f"{target.name}: a network is written as .gpkg, .parquet (GeoParquet) or .geojson"
        )
    if isinstance(obj, Route | Trip):
        if suffix == ".geojson":
            data = route_geojson(obj, network) if isinstance(obj, Route) else trip_geojson(obj)
            return write_geojson(data, target)
        if suffix == ".json":
            return _atomic_text(target, json.dumps(obj.to_dict(), allow_nan=False))
        raise ValidationError(f"{target.name}: a route or trip is written as .geojson or .json")
    from corridor.io import omx

    if isinstance(obj, omx.Matrices):
        return omx.write_matrices(
            obj.matrices,
            target,
            origins=obj.origins,
            destinations=obj.destinations,
            attrs=obj.attrs,
        )
    from corridor.paths.skim import Skim

    if isinstance(obj, Skim):
        return omx.write_skim(obj, target)
    raise ValidationError(
        f"cannot export a {type(obj).__name__}; give a Network, Route, Trip, Skim or Matrices"
    )
