"""Read and write matrices (skims, OD demand) as OMX, Parquet or CSV.

* ``.omx``: Open Matrix (HDF5, via the ``openmatrix`` package): one matrix per name, the
  row ids in the mapping ``origin`` and the column ids in ``destination`` (uint32). Files
  written elsewhere with a single mapping (e.g. ``taz``) are read with that mapping for
  both axes.
* ``.parquet`` and ``.csv``: a long table ``origin, destination, <name>...``, one row per
  pair; ``inf`` marks unreachable pairs (``inf`` in CSV text).

Writes go to a temporary file in the target folder that is then renamed into place, so a
killed run leaves the previous file intact.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import FloatArray, IntArray
from corridor.atomic import STAMP, atomic_file
from corridor.budget import check_memory, clipped
from corridor.errors import CorridorError, DataSourceError, OptionalDependencyError, ValidationError
from corridor.paths.skim import Skim

__all__ = ["Matrices", "read_matrices", "read_skim", "write_matrices", "write_skim"]

log = logging.getLogger(__name__)

_FORMATS = (".omx", ".parquet", ".csv")


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Matrices:
    """Named matrices that share row and column ids.

    Attributes
    ----------
    matrices
        Name -> float64[n_rows, n_cols].
    origins, destinations
        Row and column ids, int64.
    attrs
        File-level attributes (OMX only; e.g. the skim's metric and method).
    origin_names, destination_names
        Zone names in row and column order, where the file has them (else empty).
    """

    matrices: dict[str, FloatArray]
    origins: IntArray
    destinations: IntArray
    attrs: dict[str, str] = field(default_factory=dict)
    origin_names: tuple[str, ...] = ()
    destination_names: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shape = (self.origins.size, self.destinations.size)
        return f"<Matrices {','.join(self.matrices)} {shape[0]}x{shape[1]}>"


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise DataSourceError(path, f"unknown matrix format {suffix!r}; use one of {_FORMATS}")
    return suffix


def _check(
    matrices: Mapping[str, Any], origins: Any, destinations: Any
) -> tuple[dict[str, FloatArray], IntArray, IntArray]:
    o = np.asarray(origins, dtype=np.int64).ravel()
    d = np.asarray(destinations, dtype=np.int64).ravel()
    out: dict[str, FloatArray] = {}
    problems: list[str] = []
    if not matrices:
        problems.append("no matrices given")
    for name, mat in matrices.items():
        arr = np.asarray(mat, dtype=np.float64)
        if arr.shape != (o.size, d.size):
            problems.append(f"matrix {name!r} has shape {arr.shape}; ids give {(o.size, d.size)}")
        if not name or name in ("origin", "destination"):
            problems.append(f"matrix name {name!r} is empty or reserved")
        out[str(name)] = arr
    for role, ids in (("origin", o), ("destination", d)):
        if np.unique(ids).size != ids.size:
            problems.append(f"{role} ids repeat")
    if problems:
        raise ValidationError("cannot write matrices: " + "; ".join(problems))
    return out, o, d


def _atomic(path: Path, write: Any, *, force: bool) -> Path:
    with atomic_file(path, force=force) as tmp:
        write(tmp)
    return path


def _stamp() -> str:
    """The ``corridor`` attribute of OMX and Parquet files: what wrote them."""
    return json.dumps({"tool": "corridor", "what": "matrices"})


def _omx() -> Any:
    try:
        import openmatrix  # type: ignore[import-untyped]
    except ImportError:
        raise OptionalDependencyError("openmatrix", "OMX files", "omx") from None
    return openmatrix


def write_matrices(
    matrices: Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    origins: Any,
    destinations: Any,
    attrs: Mapping[str, str] | None = None,
    names: Mapping[int, str] | None = None,
    force: bool = False,
) -> Path:
    """Write named matrices to ``.omx``, ``.parquet`` or ``.csv`` (by suffix).

    Parameters
    ----------
    matrices
        Name -> array of shape (len(origins), len(destinations)).
    path
        The output file.
    origins, destinations
        Row and column ids (int; uint32 range for OMX).
    attrs
        Text attributes stored in OMX files (ignored by the table formats).
    names
        Zone id -> name: stored as the OMX lookups ``origin_name`` and ``destination_name``
        (UTF-8) beside the id lookups, or as ``origin_name`` / ``destination_name`` columns
        of the tables; ids without a name get "".
    force
        Replace what is at `path` even if corridor did not write it.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValidationError
        If a matrix's shape differs from the ids', ids repeat, or a name is reserved.
    DataSourceError
        If the format is unknown or the file cannot be written.
    OutputExistsError
        If `path` holds a file that is not an earlier matrix file of corridor, unless
        `force`.
    OptionalDependencyError
        If OMX is asked for and ``openmatrix`` is not installed.
    """
    p = Path(path)
    kind = _format(p)
    mats, o, d = _check(matrices, origins, destinations)
    label = dict(names or {})
    o_names = [str(label.get(int(i), "")) for i in o] if names else []
    d_names = [str(label.get(int(i), "")) for i in d] if names else []
    if kind == ".omx":
        omx = _omx()
        for role, ids in (("origin", o), ("destination", d)):
            if ids.size and (ids.min() < 0 or ids.max() > np.iinfo(np.uint32).max):
                raise ValidationError(f"OMX stores {role} ids as uint32; got ids outside it")

        def write(tmp: Path) -> None:
            with omx.open_file(str(tmp), "w") as f:
                f.root._v_attrs[STAMP] = _stamp()  # first, so it sits near the file's start
                for name, arr in mats.items():
                    f.create_matrix(name, obj=np.ascontiguousarray(arr))
                f.create_mapping("origin", o.tolist())
                f.create_mapping("destination", d.tolist())
                if names:
                    for title, entries in (("origin_name", o_names), ("destination_name", d_names)):
                        encoded = np.array([e.encode() for e in entries], dtype=np.bytes_)
                        f.create_array(f.root.lookup, title, encoded)
                for key, value in (attrs or {}).items():
                    f.root._v_attrs[str(key)] = str(value)

    else:
        zones: dict[str, Any] = {"origin": np.repeat(o, d.size), "destination": np.tile(d, o.size)}
        if names:
            zones["origin_name"] = np.repeat(np.array(o_names, dtype=object), d.size)
            zones["destination_name"] = np.tile(np.array(d_names, dtype=object), o.size)
        frame = pd.DataFrame(zones | {name: arr.ravel() for name, arr in mats.items()})

        def write(tmp: Path) -> None:
            if kind == ".parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                meta = {**(table.schema.metadata or {}), STAMP.encode(): _stamp().encode()}
                pq.write_table(table.replace_schema_metadata(meta), tmp)
            else:
                frame.to_csv(tmp, index=False)

    try:
        _atomic(p, write, force=force)
    except DataSourceError:
        raise
    except OSError as exc:
        raise DataSourceError(p, f"cannot write: {exc}") from None
    log.info("wrote %s: %s %dx%d", p, ",".join(mats), o.size, d.size)
    return p


_CHILD_TIMEOUT_S = 600.0  # [assumption] far beyond any OMX read the memory budget allows


def _read_omx(p: Path) -> Matrices:
    """Read an OMX file in a forked child process where fork exists, else here.

    The HDF5 library crashes the process (SIGSEGV) on some damaged files instead of
    reporting an error (found by ``make fuzz``: a mutated OMX file killed the reader in
    ``tables.File.__get_root_group``). The child reads the file and sends the matrices
    back; if it dies, the file is reported as damaged and the caller lives on.
    """
    if not hasattr(os, "fork"):
        return _read_omx_here(p)
    import multiprocessing
    import pickle

    _omx()  # the missing-dependency error, raised here rather than in the child
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_read_omx_child, args=(p, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(_CHILD_TIMEOUT_S):
            child.kill()
            raise DataSourceError(p, f"reading the OMX file took over {_CHILD_TIMEOUT_S:g} s")
        kind, value = receiver.recv()
    except (EOFError, OSError, pickle.UnpicklingError):
        child.join(5.0)
        code = child.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        raise DataSourceError(
            p, f"is a damaged OMX file (the HDF5 library crashed reading it: {how})"
        ) from None
    finally:
        receiver.close()
        child.join(5.0)
        if child.is_alive():
            child.kill()
            child.join()
    if kind == "ok" and isinstance(value, Matrices):
        return value
    if isinstance(value, CorridorError):
        raise value
    raise DataSourceError(p, str(value))


def _read_omx_child(p: Path, sender: Any) -> None:
    """The forked reader: sends ``("ok", Matrices)`` or ``("error", CorridorError | str)``."""
    import faulthandler
    import pickle

    faulthandler.disable()  # a crash here is expected and reported by the parent

    try:
        sender.send(("ok", _read_omx_here(p)))
    except CorridorError as exc:
        try:
            pickle.loads(pickle.dumps(exc))  # errors with keyword-only fields may not survive
            sender.send(("error", exc))
        except (pickle.PicklingError, TypeError, AttributeError):
            sender.send(("error", str(exc).removeprefix(f"{p}: ")))
    finally:
        sender.close()


def _read_omx_here(p: Path) -> Matrices:
    omx = _omx()
    import tables  # type: ignore[import-untyped]

    try:
        f = omx.open_file(str(p), "r")
    except (OSError, tables.HDF5ExtError) as exc:
        raise DataSourceError(p, f"cannot open as OMX (HDF5): {clipped(str(exc), 160)}") from None
    try:
        return _read_open_omx(p, f)
    except CorridorError:
        raise
    except (tables.HDF5ExtError, tables.NoSuchNodeError, LookupError, ValueError, TypeError) as exc:
        raise DataSourceError(
            p, f"is a damaged OMX file ({type(exc).__name__}: {clipped(str(exc), 120)})"
        ) from None


def _read_open_omx(p: Path, f: Any) -> Matrices:
    with f:
        names = list(f.list_matrices())
        if not names:
            raise DataSourceError(p, "OMX file has no matrices")
        shapes = [tuple(f[name].shape) for name in names]
        check_memory(
            sum(8.0 * float(np.prod(sh, dtype=np.float64)) for sh in shapes),
            what=f"{p}: {len(names)} matrices of {shapes[0]}",
            option="the matrices in the file",
        )
        mats = {name: np.asarray(f[name][:], dtype=np.float64) for name in names}
        n_o, n_d = mats[names[0]].shape
        maps = list(f.list_mappings())
        id_maps = [m for m in maps if m not in ("origin_name", "destination_name")]
        if "origin" in id_maps and "destination" in id_maps:
            o = np.asarray(f.root.lookup.origin[:])
            d = np.asarray(f.root.lookup.destination[:])
        elif id_maps:
            o = d = np.asarray(f.root.lookup._f_get_child(id_maps[0])[:])
        else:
            o, d = np.arange(1, n_o + 1), np.arange(1, n_d + 1)
        labels = {
            title: tuple(
                bytes(x).decode("utf-8", "replace") for x in f.root.lookup._f_get_child(title)[:]
            )
            for title in ("origin_name", "destination_name")
            if title in maps
        }
        attrs = {
            str(k): str(f.root._v_attrs[k])
            for k in f.root._v_attrs._f_list("user")
            if not str(k).startswith("OMX_") and k not in ("SHAPE", STAMP)
        }
    o, d = o.astype(np.int64), d.astype(np.int64)
    if o.size != n_o or d.size != n_d:
        raise DataSourceError(p, f"mappings have {o.size}x{d.size} ids; matrices {n_o}x{n_d}")
    return Matrices(
        matrices=mats,
        origins=o,
        destinations=d,
        attrs=attrs,
        origin_names=labels.get("origin_name", ()),
        destination_names=labels.get("destination_name", ()),
    )


def _ids(p: Path, column: pd.Series, role: str) -> IntArray:
    """Zone ids as int64: whole numbers within int64 (a float 1e19 would wrap)."""
    values = pd.to_numeric(column, errors="raise")
    if values.dtype.kind == "f" or values.dtype == object:
        x = np.asarray(values, dtype=np.float64)
        bad = ~(np.isfinite(x) & (np.abs(x) < 2.0**63) & (x == np.round(x)))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise DataSourceError(
                p, f"{role} {clipped(str(column.iloc[k]), 30)} is not a whole-number id", row=k + 2
            )
    elif values.dtype.kind == "u" and len(values) and int(values.max()) >= 2**63:
        raise DataSourceError(p, f"{role} ids beyond the 64-bit integer range")
    return np.asarray(values, dtype=np.int64)


def _read_table(p: Path, kind: str) -> Matrices:
    try:
        frame = pd.read_parquet(p) if kind == ".parquet" else pd.read_csv(p)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataSourceError(
            p, f"cannot read the matrix table: {clipped(' '.join(str(exc).split()), 160)}"
        ) from None
    missing = [c for c in ("origin", "destination") if c not in frame.columns]
    if missing:
        raise DataSourceError(p, f"no column(s) {missing}; need origin, destination, values")
    zone_cols = ("origin", "destination", "origin_name", "destination_name")
    names = [c for c in frame.columns if c not in zone_cols]
    if not names:
        raise DataSourceError(p, "no value columns besides origin and destination")
    try:
        oi = _ids(p, frame["origin"], "origin")
        di = _ids(p, frame["destination"], "destination")
        values = {n: frame[n].to_numpy(dtype=np.float64) for n in names}
    except (TypeError, ValueError) as exc:
        raise DataSourceError(
            p, f"non-numeric ids or values: {clipped(' '.join(str(exc).split()), 160)}"
        ) from None
    o = pd.unique(oi)
    d = pd.unique(di)
    check_memory(
        8.0 * o.size * d.size * len(names),
        what=f"{p}: {len(names)} dense {o.size} x {d.size} matrices",
        option="the number of distinct origins and destinations",
    )
    rows = pd.Index(o).get_indexer(pd.Index(oi))
    cols = pd.Index(d).get_indexer(pd.Index(di))
    dup = pd.Series(rows * d.size + cols).duplicated()
    if dup.any():
        k = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataSourceError(p, "origin-destination pair repeats", row=k + 2)
    mats: dict[str, FloatArray] = {}
    for n, v in values.items():
        mat = np.full((o.size, d.size), np.nan)
        mat[rows, cols] = v
        mats[n] = mat
    labels: dict[str, tuple[str, ...]] = {}
    for role, ids, idx in (("origin", o, rows), ("destination", d, cols)):
        if f"{role}_name" in frame:
            first = pd.Series(frame[f"{role}_name"].fillna("").astype(str).to_numpy(), index=idx)
            first = first[~first.index.duplicated()].reindex(range(ids.size), fill_value="")
            labels[role] = tuple(first.tolist())
    return Matrices(
        matrices=mats,
        origins=o.astype(np.int64),
        destinations=d.astype(np.int64),
        origin_names=labels.get("origin", ()),
        destination_names=labels.get("destination", ()),
    )


def read_matrices(path: str | os.PathLike[str]) -> Matrices:
    """Read matrices written by :func:`write_matrices` (or any OMX file).

    Table formats give row and column ids in order of first appearance; pairs not in the
    table are NaN.

    Raises
    ------
    DataSourceError
        If the file is missing, unreadable, lacks columns, or repeats a pair.
    """
    p = Path(path)
    kind = _format(p)
    if not p.exists():
        raise DataSourceError(p, "file not found; check the path")
    return _read_omx(p) if kind == ".omx" else _read_table(p, kind)


def write_skim(
    skim: Skim,
    path: str | os.PathLike[str],
    *,
    names: Mapping[int, str] | None = None,
    force: bool = False,
) -> Path:
    """Write a skim's matrices (the metric and its sums) to ``.omx``, ``.parquet`` or ``.csv``.

    `names` (node id -> name, e.g. from the network's nodes) labels the zones (see
    :func:`write_matrices`).

    Raises
    ------
    DataSourceError
        If the format is unknown or the file cannot be written.
    OutputExistsError
        If `path` holds a file that is not an earlier matrix file of corridor, unless
        `force` (see :func:`write_matrices`).
    """
    return write_matrices(
        skim.matrices(),
        path,
        origins=skim.origins,
        destinations=skim.destinations,
        attrs={"metric": skim.metric, "method": skim.method},
        names=names,
        force=force,
    )


def read_skim(path: str | os.PathLike[str], *, metric: str | None = None) -> Skim:
    """Read a skim written by :func:`write_skim`.

    Parameters
    ----------
    path
        The file.
    metric
        Which matrix is the minimised cost; default: the stored one (OMX), else the first.

    Raises
    ------
    DataSourceError
        If the file cannot be read or `metric` is not among its matrices.
    """
    m = read_matrices(path)
    name = metric or m.attrs.get("metric") or next(iter(m.matrices))
    if name not in m.matrices:
        raise DataSourceError(path, f"no matrix {name!r}; it has {list(m.matrices)}")
    return Skim(
        values=m.matrices[name],
        origins=m.origins,
        destinations=m.destinations,
        metric=name,
        sums={k: v for k, v in m.matrices.items() if k != name},
        method=m.attrs.get("method", "file"),
    )
