"""Export networks, routes, trips and matrices in the formats other tools read.

=====================  ==========================================================
what                   formats (chosen by the file's suffix)
=====================  ==========================================================
Network                ``.gpkg`` (QGIS), ``.parquet`` (GeoParquet folder), ``.geojson``
Route, Trip            ``.geojson`` (one LineString feature per leg), ``.json``
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
    if isinstance(obj, Route | Trip):
        if suffix == ".geojson":
            data = route_geojson(obj) if isinstance(obj, Route) else trip_geojson(obj)
            return write_geojson(data, target, force=force)
        if suffix == ".json":
            return write_text(target, json.dumps(obj.to_dict(), allow_nan=False), force=force)
        raise ValidationError(f"{target.name}: a route or trip is written as .geojson or .json")
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
