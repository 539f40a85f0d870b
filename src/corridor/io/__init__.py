"""Readers: input files -> model objects (and the network files written back).

``files`` (GeoPackage / GeoParquet networks), ``osm`` (OpenStreetMap), ``gtfs`` (GTFS
feeds), ``tntp`` (TNTP tables) and ``merge`` (attach a detailed network). This layer
imports only ``model``, ``kernels`` and layer 0; result writers (GeoJSON, OMX, TNTP flows)
live in :mod:`corridor.export`.
"""

from corridor.io.files import read_network, write_network

__all__ = ["read_network", "write_network"]
