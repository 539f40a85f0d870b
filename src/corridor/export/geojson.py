"""The one GeoJSON serialiser: networks, routes and trips as FeatureCollection dicts.

GeoJSON follows RFC 7946 (WGS 84 lon/lat, no ``crs`` member). Property values are made
JSON-safe (NaN and inf become null, numpy scalars Python ones, dates ISO text), so the
dicts can go to :func:`json.dumps` with ``allow_nan=False``.

=====================  ==========================================================
function               features
=====================  ==========================================================
:func:`nodes_geojson`  one Point per node, every column a property
:func:`links_geojson`  one LineString per link (straight when it has no geometry)
:func:`network_geojson`  both of the above, each tagged ``layer`` "node" or "link"
:func:`route_geojson`  the whole route, then (given its network) one LineString per leg
:func:`trip_geojson`   one LineString per ride or walk of a public-transport trip
=====================  ==========================================================
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
from corridor.errors import DataSourceError
from corridor.model.network import Network
from corridor.paths.trip import Trip
from corridor.paths.types import Route

__all__ = [
    "clean_value",
    "links_geojson",
    "network_geojson",
    "nodes_geojson",
    "route_geojson",
    "trip_geojson",
    "write_geojson",
]

log = logging.getLogger(__name__)


def clean_value(value: Any) -> Any:
    """A JSON-safe scalar: NaN/inf -> None, numpy -> Python, timestamps -> ISO date text.

    Examples
    --------
    >>> clean_value(float("nan")) is None
    True
    >>> clean_value(np.int64(3))
    3
    """
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
    return [{str(k): clean_value(v) for k, v in rec.items()} for rec in records]


def _node_features(network: Network) -> list[dict[str, Any]]:
    nodes = network.nodes
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": {"layer": "node", **props},
        }
        for props, x, y in zip(
            _properties(nodes, ()), nodes["lon"].tolist(), nodes["lat"].tolist(), strict=True
        )
    ]


def _link_features(network: Network) -> list[dict[str, Any]]:
    import shapely

    nodes = network.nodes
    links = network.links
    xy = dict(
        zip(nodes["node_id"].tolist(), zip(nodes["lon"], nodes["lat"], strict=True), strict=True)
    )
    features: list[dict[str, Any]] = []
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
    return features


def nodes_geojson(network: Network) -> dict[str, Any]:
    """The nodes of `network` as a FeatureCollection of Points.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "name": ..., "features": [...]}``; every nodes
        column is a property, plus ``layer`` = "node".
    """
    return {"type": "FeatureCollection", "name": network.name, "features": _node_features(network)}


def links_geojson(network: Network) -> dict[str, Any]:
    """The links of `network` as a FeatureCollection of LineStrings.

    Parameters
    ----------
    network
        The network. Links without a geometry are drawn straight between their end nodes.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "name": ..., "features": [...]}``; every links
        column but ``geometry`` is a property, plus ``layer`` = "link".
    """
    return {"type": "FeatureCollection", "name": network.name, "features": _link_features(network)}


def network_geojson(network: Network) -> dict[str, Any]:
    """A network as one FeatureCollection: its nodes as Points, then its links as LineStrings.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        Every column becomes a property; a feature's ``layer`` says "node" or "link". Links
        without a geometry are drawn straight between their end nodes.
    """
    features = _node_features(network) + _link_features(network)
    return {"type": "FeatureCollection", "name": network.name, "features": features}


def route_geojson(route: Route) -> dict[str, Any]:
    """A Route as a FeatureCollection: the whole route, then each leg on its own.

    Parameters
    ----------
    route
        The route.

    Returns
    -------
    dict
        The first feature (``kind`` "route") has the route's geometry, ends, totals and
        legs as properties; each further feature (``kind`` "leg") is one leg's LineString.
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
                "cost": clean_value(route.cost),
                **route.totals(),
                "legs": [
                    {k: clean_value(v) for k, v in leg.to_dict().items() if k != "link_ids"}
                    for leg in route.legs
                ],
            },
        }
    ]
    for leg in route.legs:
        coords = leg.coords()
        if coords:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coords},
                    "properties": {
                        "kind": "leg",
                        **{k: clean_value(v) for k, v in leg.to_dict().items()},
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def trip_geojson(trip: Trip) -> dict[str, Any]:
    """A public-transport Trip as a FeatureCollection: one LineString per leg.

    Parameters
    ----------
    trip
        The trip.

    Returns
    -------
    dict
        One feature per ride or walk (its stops' coordinates; a leg with one point is
        drawn as a degenerate line); the trip's totals are the collection's
        ``properties``.
    """
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


def write_text(path: Path, text: str, *, force: bool = False) -> Path:
    """Write `text` to `path` atomically.

    Raises
    ------
    DataSourceError
        If the file cannot be written.
    OutputExistsError
        If `path` holds something that is not an earlier output of this kind, unless
        `force`.
    """
    try:
        return write_text_atomic(path, text, force=force)
    except DataSourceError:
        raise
    except OSError as exc:
        raise DataSourceError(path, f"cannot be written: {exc}") from None


def write_geojson(
    data: Mapping[str, Any], path: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write a GeoJSON mapping to `path` atomically.

    Parameters
    ----------
    data
        A FeatureCollection (or any JSON-safe mapping), e.g. from :func:`route_geojson`.
    path
        The target file.
    force
        Replace what is at `path` even if corridor did not write it.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    DataSourceError
        If the file cannot be written.
    OutputExistsError
        If `path` holds something other than a GeoJSON/JSON file of the same layout,
        unless `force`.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return write_text(Path(path), text, force=force)
