"""The two streaming passes over an OSM file (pyosmium): ways and relations, then nodes.

1. ways and relations: the roads and railways of the chosen classes (their node refs and
   the few tags we keep) and the ``type=restriction`` relations;
2. nodes: only the nodes those ways use (an id filter in C++), for coordinates and
   ``barrier=border_control``.

Memory grows with the selected network, not with the file.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.budget import clipped
from corridor.errors import DataSourceError
from corridor.progress import Progress, ProgressCallback

from .options import OsmOptions
from .tags import way_attrs

__all__ = ["Ways", "read_nodes", "read_ways"]

_PROGRESS_EVERY = 20_000


@dataclass
class Ways:
    """Selected ways, stored compactly while streaming.

    Attributes
    ----------
    refs, offsets
        Node refs of all ways back to back; way ``i`` is ``refs[offsets[i]:offsets[i+1]]``.
    way_ids, attr
        OSM id and attribute key of each way.
    attrs
        Attribute tuple (see :data:`~corridor.io.osm.tags.ATTR_NAMES`) -> key.
    restrictions
        (relation id, value, from ways, via nodes, via ways, to ways) per relation.
    """

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


def _open_error(path: Path, exc: BaseException) -> DataSourceError:
    return DataSourceError(
        path,
        f"is not a readable OpenStreetMap file (PBF or XML): {clipped(str(exc), 200)}; "
        "check that it is complete (re-download it) and that its name ends in .osm.pbf or .osm",
    )


def read_ways(path: Path, options: OsmOptions, progress: ProgressCallback | None) -> Ways:
    import osmium

    ways = Ways()
    done = 0
    try:
        fp = osmium.FileProcessor(str(path), osmium.osm.WAY | osmium.osm.RELATION)
        for obj in fp:
            done += 1
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(Progress("ways", done))
            if isinstance(obj, osmium.osm.Way):
                tags = {t.k: t.v for t in obj.tags}
                for attr, sign in way_attrs(tags, options):
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
        progress(Progress("ways", done, done))
    return ways


def read_nodes(
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
                progress(Progress("nodes", done, int(wanted.size)))
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
        progress(Progress("nodes", done, int(wanted.size)))
    order = np.argsort(np.frombuffer(ids, dtype=np.int64), kind="stable")
    return (
        np.frombuffer(ids, dtype=np.int64)[order].copy(),
        np.frombuffer(lon, dtype=np.float64)[order].copy(),
        np.frombuffer(lat, dtype=np.float64)[order].copy(),
        np.frombuffer(border, dtype=np.int8)[order].astype(bool),
        names,
    )
