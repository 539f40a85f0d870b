"""Read and write the TNTP formats of the Transportation Networks collection.

* ``*_net.tntp``: metadata (``<NUMBER OF ZONES>``, ``<NUMBER OF NODES>``,
  ``<FIRST THRU NODE>``, ``<NUMBER OF LINKS>``, ``<END OF METADATA>``), then one link per
  line: init_node term_node capacity length free_flow_time b power speed toll link_type ;
  -> :class:`~corridor.assignment.network.AssignmentNetwork` with BPR delay functions
  ``t = t0 (1 + b (x / capacity)^power)``. Zones are nodes 1..zones; those numbered below
  the first-thru node may start and end paths but are never passed through.
* ``*_trips.tntp``: ``Origin i`` blocks of ``j : trips;`` -> :class:`TrafficClass`.
* ``*_flow.tntp``: ``From To Volume Cost`` -> DataFrame (the published equilibria).
* ``*_node.tntp``: ``node X Y`` -> DataFrame.

Errors name the file and the 1-based line. Writers go through a temporary file that is
renamed into place.
"""

from __future__ import annotations

import logging
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from corridor._typing import IntArray
from corridor.assignment.network import AssignmentNetwork, TrafficClass
from corridor.assignment.results import AssignmentResult
from corridor.atomic import write_text_atomic
from corridor.errors import DataSourceError

__all__ = [
    "read_tntp_flow",
    "read_tntp_network",
    "read_tntp_nodes",
    "read_tntp_trips",
    "write_tntp_flow",
    "write_tntp_trips",
]

log = logging.getLogger(__name__)

_META = re.compile(r"^\s*<([^>]+)>\s*(.*?)\s*$")
_ORIGIN = re.compile(r"^\s*origin\s+(\S+)", re.IGNORECASE)
_ENTRY = re.compile(r"(\S+)\s*:\s*([^;\s]+)\s*;?")


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
        meta[key] = hit.group(2)
    raise DataSourceError(path, "no <END OF METADATA> line; is this a TNTP file?")


def _meta_int(path: Path, meta: dict[str, str], key: str, default: int | None = None) -> int:
    text = meta.get(key)
    if text is None:
        if default is not None:
            return default
        raise DataSourceError(path, f"metadata <{key}> is missing; add it")
    try:
        return int(float(text.split()[0]))
    except (ValueError, IndexError):
        raise DataSourceError(path, f"metadata <{key}> is {text!r}, not a number") from None


def _data_rows(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    for i in range(start, len(lines)):
        text = lines[i].split("~", 1)[0].replace(";", " ").strip()
        if text:
            out.append((i + 1, text.split()))
    return out


def read_tntp_network(
    path: str | os.PathLike[str], *, name: str | None = None
) -> AssignmentNetwork:
    """Read a ``*_net.tntp`` link file.

    Parameters
    ----------
    path
        The file.
    name
        Label; default: the file name without ``_net.tntp``.

    Returns
    -------
    AssignmentNetwork
        Links in file order with ids 1..m, BPR delay functions, nodes 1..n (plus any other
        id used by a link), zones 1..z, and zones below the first-thru node marked as not
        passable. Times are in the file's unit (``time_unit="min"``).

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
            raise DataSourceError(p, f"{word!r} is not a number", row=line_no) from None
        values[k, : len(nums)] = nums
    if len(rows) != n_links:
        raise DataSourceError(
            p, f"<NUMBER OF LINKS> is {n_links} but the file has {len(rows)} link lines"
        )
    a, b = values[:, 0], values[:, 1]
    checks = (
        (
            ~((a >= 1) & (a == np.round(a)) & (b >= 1) & (b == np.round(b))),
            "node ids must be positive integers",
        ),
        (~(values[:, 2] > 0), "capacity must be > 0 (a BPR link divides by it)"),
        (~(values[:, 4] >= 0) | ~np.isfinite(values[:, 4]), "free_flow_time must be >= 0"),
        (~(values[:, 5] >= 0) | ~np.isfinite(values[:, 5]), "b must be finite and >= 0"),
        (~(values[:, 6] >= 0) | ~np.isfinite(values[:, 6]), "power must be finite and >= 0"),
        (a == b, "link starts and ends at the same node"),
    )
    for bad, text in checks:
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            more = f" ({int(bad.sum())} such lines)" if bad.sum() > 1 else ""
            raise DataSourceError(p, f"{text}{more}", row=rows[k][0])
    if not 0 < n_zones <= n_nodes:
        raise DataSourceError(p, f"<NUMBER OF ZONES> {n_zones} must be in 1..{n_nodes} (nodes)")
    ends = np.concatenate([a, b]).astype(np.int64)
    node_ids = np.union1d(np.arange(1, n_nodes + 1, dtype=np.int64), ends)
    net = AssignmentNetwork(
        node_ids=node_ids,
        link_ids=np.arange(1, len(rows) + 1, dtype=np.int64),
        a_node=a.astype(np.int64),
        b_node=b.astype(np.int64),
        capacity=values[:, 2].copy(),
        length=values[:, 3].copy(),
        free_flow_time=values[:, 4].copy(),
        alpha=values[:, 5].copy(),
        beta=values[:, 6].copy(),
        toll=values[:, 8].copy(),
        link_type=values[:, 9].astype(np.int64),
        zones=np.arange(1, n_zones + 1, dtype=np.int64),
        no_through=np.arange(1, min(first_thru, n_zones + 1), dtype=np.int64),
        time_unit="min",
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


def read_tntp_trips(
    path: str | os.PathLike[str], *, name: str = "car", zones: int | None = None
) -> TrafficClass:
    """Read a ``*_trips.tntp`` OD matrix.

    Parameters
    ----------
    path
        The file.
    name
        Name of the traffic class.
    zones
        Expected number of zones (e.g. the network's); checked against the metadata.

    Returns
    -------
    TrafficClass
        Demand float64[z, z] with zone ids 1..z.

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
        entries = _ENTRY.findall(text)
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
                    f"trips {value_text!r} for {origin + 1}->{dest + 1} is not a number",
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
    return TrafficClass(demand=demand, name=name, zones=np.arange(1, z + 1, dtype=np.int64))


def _zone(path: Path, text: str, z: int, row: int, role: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise DataSourceError(path, f"{role} {text!r} is not a zone number", row=row) from None
    if value != int(value) or not 1 <= value <= z:
        raise DataSourceError(
            path, f"{role} {text} is not a zone (zones are 1..{z}); fix the id", row=row
        )
    return int(value) - 1


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
    return pd.DataFrame({"node_id": arr[:, 0].astype(np.int64), "x": arr[:, 1], "y": arr[:, 2]})


def _write_atomic(path: Path, text: str) -> Path:
    return write_text_atomic(path, text)


def write_tntp_trips(
    demand: TrafficClass | ArrayLike,
    path: str | os.PathLike[str],
    *,
    zones: IntArray | None = None,
) -> Path:
    """Write an OD matrix as a ``*_trips.tntp`` file (zones numbered 1..z in row order).

    Parameters
    ----------
    demand
        A :class:`TrafficClass` or a square matrix of trips.
    path
        Output file; written atomically.
    zones
        Ignored unless given: must be 1..z, as TNTP numbers zones consecutively.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValidationError
        If the matrix is not square or has negative or non-finite values.
    """
    tc = demand if isinstance(demand, TrafficClass) else TrafficClass(demand=np.asarray(demand))
    d = tc.demand
    z = d.shape[0]
    if zones is not None and not np.array_equal(np.asarray(zones), np.arange(1, z + 1)):
        from corridor.errors import ValidationError

        raise ValidationError("TNTP numbers zones 1..z; renumber the zones before writing")
    out = [f"<NUMBER OF ZONES> {z}", f"<TOTAL OD FLOW> {d.sum()!r}", "<END OF METADATA>", "", ""]
    for i in range(z):
        out.append(f"Origin \t{i + 1}")
        cells = [f"{j + 1:5d} : {float(d[i, j])!r};" for j in range(z)]
        out.extend("".join(cells[k : k + 5]) for k in range(0, z, 5))
        out.append("")
    return _write_atomic(Path(path), "\n".join(out) + "\n")


def write_tntp_flow(result: AssignmentResult, path: str | os.PathLike[str]) -> Path:
    """Write link volumes (PCE) and times as a ``*_flow.tntp`` file (From To Volume Cost).

    Returns
    -------
    Path
        The file written (atomically).
    """
    lines = ["From \tTo \tVolume \tCost "]
    lines.extend(
        f"{int(a)} \t{int(b)} \t{float(f)!r} \t{float(t)!r} "
        for a, b, f, t in zip(
            result.a_node, result.b_node, result.flow_pce, result.time, strict=True
        )
    )
    return _write_atomic(Path(path), "\n".join(lines) + "\n")
