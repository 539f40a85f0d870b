"""The entry point of the OpenStreetMap import: :func:`read_osm`."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from corridor.errors import DataSourceError, OptionalDependencyError
from corridor.model.network import Network
from corridor.progress import Progress, ProgressCallback

from .build import build_network
from .options import OsmOptions
from .stream import read_nodes, read_ways

__all__ = ["read_osm"]


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
        Called with a :class:`~corridor.progress.Progress` every 20,000 objects and at the end
        of each phase ("ways", "nodes", then "build" in steps).

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
    A file of your own (not run as a doctest: no OSM extract ships with corridor)::

        net = read_osm("Helsinki.osm.pbf", options=OsmOptions(classes=("primary", "rail")))

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
    ways = read_ways(source, opts, progress)
    if not len(ways.way_ids):
        raise DataSourceError(
            source,
            f"holds no ways of the selected classes for modes {list(opts.modes)}; "
            "check --classes and the file's contents",
        )
    refs = np.frombuffer(ways.refs, dtype=np.int64)
    wanted = np.unique(refs)
    node_ids, lon, lat, border, border_names = read_nodes(source, wanted, progress)
    if progress is not None:
        progress(Progress("build", 0, 1, "steps"))
    net = build_network(source, opts, ways, node_ids, lon, lat, border, border_names)
    if progress is not None:
        progress(Progress("build", 1, 1, "steps"))
    return net
