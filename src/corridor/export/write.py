"""Export networks, routes, trips and matrices in the formats other tools read.

=====================  ==========================================================
what                   formats (chosen by the file's suffix)
=====================  ==========================================================
Network                ``.gpkg`` (QGIS), ``.parquet`` (GeoParquet folder), ``.geojson``
Route                  ``.geojson`` (one LineString feature per leg), ``.json``,
                       ``.gpkg`` (layers ``legs`` and ``stops``), ``.parquet`` (GeoParquet legs)
Trip                   ``.geojson``, ``.json``
Skim, matrices         ``.omx``, ``.csv``, ``.parquet`` (via :mod:`corridor.export.omx`)
=====================  ==========================================================

GeoJSON comes from :mod:`corridor.export.geojson`. Every write goes to a temporary file
in the target folder that is renamed into place, so a failed export leaves an earlier
file intact and never a half-written one.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from corridor.errors import ValidationError
from corridor.export import omx
from corridor.export.geojson import (
    network_geojson,
    route_geojson,
    trip_geojson,
    write_geojson,
    write_text,
)
from corridor.io.files import write_network
from corridor.model.network import Network
from corridor.paths.skim import Skim
from corridor.paths.trip import Trip
from corridor.paths.types import Route

__all__ = ["export"]

log = logging.getLogger(__name__)


def _stop_points(route: Route) -> list[tuple[float, float]]:
    """Where each stop is: the first point of the leg that starts at it (or the route's end)."""
    import shapely

    ends = shapely.get_coordinates(route.geometry)
    starts = {leg.from_node: leg.geometry for leg in route.legs if leg.geometry is not None}
    points = []
    for stop in route.stops:
        line = starts.get(stop.node_id)
        if line is not None and not line.is_empty:
            x, y = line.coords[0]
        elif stop.node_id == route.origin:
            x, y = ends[0]
        else:
            x, y = ends[-1]
        points.append((float(x), float(y)))
    return points


def _write_route_layers(route: Route, target: Path, *, gpkg: bool, force: bool) -> Path:
    """A route as GIS layers: legs (line strings) and, in a GeoPackage, stops (points)."""
    import geopandas as gpd
    import pyogrio

    from corridor.atomic import atomic_file

    legs = route.to_geodataframe()
    legs["link_ids"] = [";".join(map(str, ids)) for ids in legs["link_ids"]]
    points = _stop_points(route)
    stops = gpd.GeoDataFrame(
        route.stops_frame(),
        geometry=gpd.points_from_xy([p[0] for p in points], [p[1] for p in points]),
        crs="EPSG:4326",
    )
    with atomic_file(target, force=force) as out:
        if gpkg:
            out.unlink()
            pyogrio.write_dataframe(legs, out, layer="legs", driver="GPKG")
            if len(stops):
                pyogrio.write_dataframe(stops, out, layer="stops", driver="GPKG")
        else:
            legs.to_parquet(out, index=False)
    return target


def export(obj: object, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write `obj` to `path` in the format its suffix names (see the module table).

    Parameters
    ----------
    obj
        A Network, Route, Trip, Skim, or a :class:`corridor.export.omx.Matrices`.
    path
        The target file (or GeoParquet folder). Something already there is replaced only
        if it is an earlier corridor output of the same kind (see :mod:`corridor.atomic`).
    force
        Replace what is at `path` even if corridor did not write it.

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
    OutputExistsError
        If `path` holds something corridor did not write, unless `force`.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if isinstance(obj, Network):
        if suffix in (".geojson", ".json"):
            return write_geojson(network_geojson(obj), target, force=force)
        if suffix in (".gpkg", ".parquet", ".geoparquet"):
            return write_network(obj, target, force=force)
        raise ValidationError(
            f"{target.name}: a network is written as .gpkg, .parquet (GeoParquet) or .geojson"
        )
    if isinstance(obj, Route) and suffix in (".gpkg", ".parquet", ".geoparquet"):
        return _write_route_layers(obj, target, gpkg=suffix == ".gpkg", force=force)
    if isinstance(obj, Route | Trip):
        if suffix == ".geojson":
            data = route_geojson(obj) if isinstance(obj, Route) else trip_geojson(obj)
            return write_geojson(data, target, force=force)
        if suffix == ".json":
            return write_text(target, json.dumps(obj.to_dict(), allow_nan=False), force=force)
        raise ValidationError(
            f"{target.name}: a route is written as .geojson, .json, .gpkg or .parquet, "
            "a trip as .geojson or .json"
        )
    if isinstance(obj, omx.Matrices):
        return omx.write_matrices(
            obj.matrices,
            target,
            origins=obj.origins,
            destinations=obj.destinations,
            attrs=obj.attrs,
            force=force,
        )
    if isinstance(obj, Skim):
        return omx.write_skim(obj, target, force=force)
    raise ValidationError(
        f"cannot export a {type(obj).__name__}; give a Network, Route, Trip, Skim or Matrices"
    )
