"""Read the TNTP formats of the Transportation Networks collection into plain tables.

* ``*_net.tntp``: metadata (``<NUMBER OF ZONES>``, ``<NUMBER OF NODES>``,
  ``<FIRST THRU NODE>``, ``<NUMBER OF LINKS>``, ``<END OF METADATA>``), then one link per
  line: init_node term_node capacity length free_flow_time b power speed toll link_type ;
  -> :class:`TntpNetwork` (the link table and the metadata).
* ``*_trips.tntp``: ``Origin i`` blocks of ``j : trips;`` -> an OD matrix.
* ``*_flow.tntp``: ``From To Volume Cost`` -> DataFrame (the published equilibria).
* ``*_node.tntp``: ``node X Y`` -> DataFrame.

The assignment objects are built one layer up: :func:`corridor.read_tntp_network` and
:func:`corridor.read_tntp_trips` (in :mod:`corridor.assignment.tntp`). The writers are in
:mod:`corridor.export.tntp`. Errors name the file and the 1-based line.
"""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.budget import check_memory, clipped, quoted
from corridor.errors import DataSourceError

__all__ = [
    "TntpNetwork",
    "read_tntp_demand",
    "read_tntp_flow",
    "read_tntp_net",
    "read_tntp_nodes",
]

log = logging.getLogger(__name__)

_META = re.compile(r"^\s*<([^>]+)>(.*)$")  # no lazy group before \s*$: linear time
_ORIGIN = re.compile(r"^\s*origin\s+(\S+)", re.IGNORECASE)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        raise DataSourceError(path, "file not found; check the path") from None
    except OSError as exc:
        raise DataSourceError(path, f"cannot read: {exc.strerror or exc}") from None


def _metadata(path: Path, lines: list[str]) -> tuple[dict[str, str], int]:
    """Metadata keys (upper case) and the index of the first line after it."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        hit = _META.match(line)
        if not hit:
            if line.strip() and not line.lstrip().startswith("~"):
                break
            continue
        key = hit.group(1).strip().upper()
        if key == "END OF METADATA":
            return meta, i + 1
        meta[key] = hit.group(2).strip()
    raise DataSourceError(path, "no <END OF METADATA> line; is this a TNTP file?")


def _meta_int(path: Path, meta: dict[str, str], key: str, default: int | None = None) -> int:
    text = meta.get(key)
    if text is None:
        if default is not None:
            return default
        raise DataSourceError(path, f"metadata <{key}> is missing; add it")
    try:
        value = float(text.split()[0])
    except (ValueError, IndexError):
        value = math.nan
    if not (math.isfinite(value) and value == round(value) and 0 <= value <= _MAX_ID):
        raise DataSourceError(
            path, f"metadata <{key}> is {clipped(repr(text), 40)}, not a whole number >= 0"
        )
    return int(value)


_MAX_ID = 2**53
"""Largest node id or count read: floats hold integers exactly up to 2**53 (9.0e15)."""
_BYTES_PER_NODE = 64.0  # the assignment's per-node arrays (ids, potentials, labels, heap)


def _data_rows(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    for i in range(start, len(lines)):
        text = lines[i].split("~", 1)[0].replace(";", " ").strip()
        if text:
            out.append((i + 1, text.split()))
    return out


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class TntpNetwork:
    """The contents of a ``*_net.tntp`` link file, checked.

    :func:`corridor.assignment.tntp.tntp_assignment_network` turns it into an
    :class:`~corridor.assignment.network.AssignmentNetwork`.

    Attributes
    ----------
    links
        One row per link in file order: ``a_node``, ``b_node`` (int64), ``capacity``,
        ``length``, ``free_flow_time``, ``b``, ``power``, ``speed``, ``toll`` (float64;
        missing trailing fields are 0) and ``link_type`` (int64).
    n_zones, n_nodes, first_thru_node
        The metadata (``<FIRST THRU NODE>`` defaults to 1).
    name
        A label: the one asked for, else the file name without ``_net.tntp``.
    source
        The file read.
    """

    links: pd.DataFrame
    n_zones: int
    n_nodes: int
    first_thru_node: int
    name: str
    source: str

    def __repr__(self) -> str:
        return (
            f"<TntpNetwork {self.name!r}: {self.n_nodes} nodes, {len(self.links)} links, "
            f"{self.n_zones} zones>"
        )


_LINK_COLUMNS = (
    "a_node",
    "b_node",
    "capacity",
    "length",
    "free_flow_time",
    "b",
    "power",
    "speed",
    "toll",
    "link_type",
)


def read_tntp_net(path: str | os.PathLike[str], *, name: str | None = None) -> TntpNetwork:
    """Read and check a ``*_net.tntp`` link file.

    Parameters
    ----------
    path
        The file.
    name
        Label; default: the file name without ``_net.tntp``.

    Returns
    -------
    TntpNetwork
        The link table and metadata; :func:`corridor.read_tntp_network` builds the
        assignment network from it.

    Raises
    ------
    DataSourceError
        Naming the file and line: missing metadata, a line with too few or non-numeric
        fields, capacity <= 0, negative time or parameters, a link count that differs from
        ``<NUMBER OF LINKS>``, or zones beyond the nodes.
    """
    p = Path(path)
    lines = _lines(p)
    meta, start = _metadata(p, lines)
    n_zones = _meta_int(p, meta, "NUMBER OF ZONES")
    n_nodes = _meta_int(p, meta, "NUMBER OF NODES")
    first_thru = _meta_int(p, meta, "FIRST THRU NODE", default=1)
    n_links = _meta_int(p, meta, "NUMBER OF LINKS")
    check_memory(
        _BYTES_PER_NODE * n_nodes + 8.0 * n_zones * n_zones,
        what=f"{p}: {n_nodes} nodes and {n_zones} zones (their arrays and OD matrix)",
        option="<NUMBER OF NODES> / <NUMBER OF ZONES>",
    )
    rows = _data_rows(lines, start)
    values = np.zeros((len(rows), 10))
    for k, (line_no, fields) in enumerate(rows):
        if len(fields) < 7:
            raise DataSourceError(
                p,
                f"link line has {len(fields)} fields; need at least init_node term_node "
                "capacity length free_flow_time b power",
                row=line_no,
            )
        try:
            nums = [float(v) for v in fields[:10]]
        except ValueError:
            word = next(v for v in fields[:10] if not _is_number(v))
            raise DataSourceError(p, f"{quoted(word)} is not a number", row=line_no) from None
        values[k, : len(nums)] = nums
    if len(rows) != n_links:
        raise DataSourceError(
            p, f"<NUMBER OF LINKS> is {n_links} but the file has {len(rows)} link lines"
        )
    a, b = values[:, 0], values[:, 1]
    checks = (
        (
            ~((a >= 1) & (a == np.round(a)) & (b >= 1) & (b == np.round(b)))
            | (a > _MAX_ID)
            | (b > _MAX_ID),
            f"node ids must be positive integers up to 2**53 ({_MAX_ID:.2g})",
        ),
        (~(values[:, 2] > 0), "capacity must be > 0 (a BPR link divides by it)"),
        (~(values[:, 4] >= 0) | ~np.isfinite(values[:, 4]), "free_flow_time must be >= 0"),
        (~(values[:, 5] >= 0) | ~np.isfinite(values[:, 5]), "b must be finite and >= 0"),
        (~(values[:, 6] >= 0) | ~np.isfinite(values[:, 6]), "power must be finite and >= 0"),
        (a == b, "link starts and ends at the same node"),
        (
            ~(np.abs(values[:, 9]) <= _MAX_ID) | (values[:, 9] != np.round(values[:, 9])),
            "link_type must be a whole number (an integer code)",
        ),
    )
    for bad, text in checks:
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            more = f" ({int(bad.sum())} such lines)" if bad.sum() > 1 else ""
            raise DataSourceError(p, f"{text}{more}", row=rows[k][0])
    if not 0 < n_zones <= n_nodes:
        raise DataSourceError(p, f"<NUMBER OF ZONES> {n_zones} must be in 1..{n_nodes} (nodes)")
    ints = ("a_node", "b_node", "link_type")
    links = pd.DataFrame(
        {
            col: values[:, i].astype(np.int64) if col in ints else values[:, i].copy()
            for i, col in enumerate(_LINK_COLUMNS)
        }
    )
    net = TntpNetwork(
        links=links,
        n_zones=n_zones,
        n_nodes=n_nodes,
        first_thru_node=first_thru,
        name=name or p.name.removesuffix(".tntp").removesuffix("_net"),
        source=str(p),
    )
    log.info("read %s: %r", p, net)
    return net


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_tntp_demand(path: str | os.PathLike[str], *, zones: int | None = None) -> FloatArray:
    """Read a ``*_trips.tntp`` OD matrix.

    Parameters
    ----------
    path
        The file.
    zones
        Expected number of zones (e.g. the network's); checked against the metadata.

    Returns
    -------
    numpy.ndarray
        Trips float64[z, z] >= 0; row and column ``i`` are zone ``i + 1``.
        :func:`corridor.read_tntp_trips` wraps it in a traffic class.

    Raises
    ------
    DataSourceError
        Naming the file and line: an origin or destination outside 1..z, a value that is
        negative or not a number, an entry before the first ``Origin`` line, or a zone
        count that does not match `zones`.
    """
    p = Path(path)
    lines = _lines(p)
    meta, start = _metadata(p, lines)
    z = _meta_int(p, meta, "NUMBER OF ZONES")
    if zones is not None and z != zones:
        raise DataSourceError(
            p, f"<NUMBER OF ZONES> is {z} but the network has {zones} zones; use matching files"
        )
    check_memory(
        8.0 * z * z,
        what=f"{p}: the {z} x {z} OD matrix",
        option="<NUMBER OF ZONES>",
    )
    demand = np.zeros((z, z))
    origin = -1
    for i in range(start, len(lines)):
        text = lines[i].split("~", 1)[0].strip()
        if not text:
            continue
        hit = _ORIGIN.match(text)
        if hit:
            origin = _zone(p, hit.group(1), z, i + 1, "origin")
            continue
        entries = _entries(text)
        if not entries:
            raise DataSourceError(
                p, f"cannot read {text[:40]!r}; expected 'zone : trips;'", row=i + 1
            )
        if origin < 0:
            raise DataSourceError(p, "OD entries before the first 'Origin' line", row=i + 1)
        for dest_text, value_text in entries:
            dest = _zone(p, dest_text, z, i + 1, "destination")
            try:
                value = float(value_text)
            except ValueError:
                raise DataSourceError(
                    p,
                    f"trips {clipped(repr(value_text), 40)} for {origin + 1}->{dest + 1} "
                    "is not a number",
                    row=i + 1,
                ) from None
            if not (value >= 0 and math.isfinite(value)):
                raise DataSourceError(
                    p,
                    f"trips {value!r} for {origin + 1}->{dest + 1} is negative or not finite; "
                    "demand must be >= 0",
                    row=i + 1,
                )
            demand[origin, dest] += value
    log.info("read %s: %d zones, %.1f trips", p, z, demand.sum())
    return demand


def _entries(text: str) -> list[tuple[str, str]]:
    """The ``zone : trips`` pairs of one line (``;`` optional), in linear time; [] if the
    line does not read as such pairs.

    Examples
    --------
    >>> _entries("1 :  0.0;  2 :  10.5;")
    [('1', '0.0'), ('2', '10.5')]
    >>> _entries("1:2;3:4"), _entries("1 : 2 x")
    ([('1', '2'), ('3', '4')], [])
    """
    tokens = text.replace(":", " : ").replace(";", " ").split()
    if len(tokens) % 3 or any(tokens[k + 1] != ":" for k in range(0, len(tokens), 3)):
        return []
    return [(tokens[k], tokens[k + 2]) for k in range(0, len(tokens), 3)]


def _zone(path: Path, text: str, z: int, row: int, role: str) -> int:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if math.isnan(value) and not _is_number(text):
        raise DataSourceError(
            path, f"{role} {clipped(repr(text), 40)} is not a zone number", row=row
        )
    if not (1 <= value <= z and value == round(value)):  # False for NaN and inf
        raise DataSourceError(
            path,
            f"{role} {clipped(text, 40)} is not a zone (zones are 1..{z}); fix the id",
            row=row,
        )
    return int(value) - 1


def _is_data(lines: list[str], i: int, width: int) -> bool:
    fields = lines[i].replace(";", " ").split()
    return bool(fields) and not (i == 0 and not _is_number(fields[0])) and len(fields) >= width


def _check_ids(path: Path, ids: FloatArray, line_of: list[int]) -> None:
    """Node ids must be whole numbers in 1..2**53 (beyond, int64 would wrap or round)."""
    bad = ~((ids >= 1) & (ids <= _MAX_ID) & (ids == np.round(ids)))
    rows = np.flatnonzero(bad.any(axis=1))
    if rows.size:
        more = f" ({rows.size} such lines)" if rows.size > 1 else ""
        raise DataSourceError(
            path,
            f"node ids must be whole numbers in 1..2**53 ({_MAX_ID:.2g}){more}",
            row=line_of[int(rows[0])] + 1,
        )


def read_tntp_flow(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a ``*_flow.tntp`` link-flow file (From To Volume Cost).

    Returns
    -------
    pandas.DataFrame
        Columns ``a_node``, ``b_node`` (int64), ``flow`` and ``cost`` (float64), in file
        order.

    Raises
    ------
    DataSourceError
        Naming the file and line of a row with too few fields or non-numbers.
    """
    p = Path(path)
    lines = _lines(p)
    rows: list[list[float]] = []
    for i, line in enumerate(lines):
        fields = line.replace(";", " ").split()
        if not fields or (i == 0 and not _is_number(fields[0])):
            continue
        if len(fields) < 4 or not all(_is_number(v) for v in fields[:4]):
            raise DataSourceError(p, "expected 'from to volume cost' numbers", row=i + 1)
        rows.append([float(v) for v in fields[:4]])
    arr = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    _check_ids(p, arr[:, :2], [r for r in range(len(lines)) if _is_data(lines, r, 4)])
    return pd.DataFrame(
        {
            "a_node": arr[:, 0].astype(np.int64),
            "b_node": arr[:, 1].astype(np.int64),
            "flow": arr[:, 2],
            "cost": arr[:, 3],
        }
    )


def read_tntp_nodes(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a ``*_node.tntp`` coordinate file.

    Returns
    -------
    pandas.DataFrame
        Columns ``node_id`` (int64), ``x`` and ``y`` (float64; the file's coordinates).

    Raises
    ------
    DataSourceError
        Naming the file and line of a row with too few fields or non-numbers.
    """
    p = Path(path)
    lines = _lines(p)
    rows: list[list[float]] = []
    for i, line in enumerate(lines):
        fields = line.replace(";", " ").split()
        if not fields or (i == 0 and not _is_number(fields[0])):
            continue
        if len(fields) < 3 or not all(_is_number(v) for v in fields[:3]):
            raise DataSourceError(p, "expected 'node x y' numbers", row=i + 1)
        rows.append([float(v) for v in fields[:3]])
    arr = np.asarray(rows, dtype=np.float64).reshape(-1, 3)
    _check_ids(p, arr[:, :1], [r for r in range(len(lines)) if _is_data(lines, r, 3)])
    return pd.DataFrame({"node_id": arr[:, 0].astype(np.int64), "x": arr[:, 1], "y": arr[:, 2]})
