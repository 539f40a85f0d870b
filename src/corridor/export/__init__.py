"""Result writers: one GeoJSON serialiser, OMX and table matrices, TNTP files, ``export()``.

This layer sits above :mod:`corridor.analysis`: it may write anything the library
computes (routes, trips, skims, assignment results), while :mod:`corridor.io` only reads
inputs into model objects.
"""

from corridor.export.geojson import (
    links_geojson,
    network_geojson,
    nodes_geojson,
    route_geojson,
    trip_geojson,
    write_geojson,
)
from corridor.export.omx import Matrices, read_matrices, read_skim, write_matrices, write_skim
from corridor.export.tntp import write_tntp_flow, write_tntp_trips
from corridor.export.write import export

__all__ = [
    "Matrices",
    "export",
    "links_geojson",
    "network_geojson",
    "nodes_geojson",
    "read_matrices",
    "read_skim",
    "route_geojson",
    "trip_geojson",
    "write_geojson",
    "write_matrices",
    "write_skim",
    "write_tntp_flow",
    "write_tntp_trips",
]
