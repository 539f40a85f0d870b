"""Deterministic, fast storage of the embedded network: one Parquet file per table.

Written with fixed options and without pandas metadata so that the same network gives the
same bytes; geometry is stored as WKB and dates as ``date32``. Reading skips the generic
GeoParquet path of :mod:`corridor.io` (which this layer may not import) and is fast enough
to load the embedded network in well under half a second.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.atomic import atomic_dir, recover_output
from corridor.errors import DataSourceError
from corridor.model.network import Network
from corridor.model.schema import CROSSING_COLUMNS, LINK_COLUMNS, NODE_COLUMNS, Column, Kind

__all__ = ["TABLES", "read_store", "write_store"]

TABLES = ("nodes", "links", "crossings", "turns", "formalities")
_OPTIONAL = ("formalities",)  # absent from stores written before the table existed
_DATES: dict[str, tuple[Column, ...]] = {
    "nodes": NODE_COLUMNS,
    "links": LINK_COLUMNS,
    "crossings": CROSSING_COLUMNS,
}


def _date_names(table: str) -> list[str]:
    return [c.name for c in _DATES.get(table, ()) if c.kind is Kind.DATE]


def _to_arrow(frame: pd.DataFrame, table: str) -> Any:
    import pyarrow as pa
    import shapely

    out = frame.copy()
    for name in _date_names(table):
        out[name] = out[name].dt.date
    if "geometry" in out:
        out["geometry"] = pd.Series(
            [None if g is None else shapely.to_wkb(g, hex=False) for g in out["geometry"]],
            dtype=object,
        )
    arrow = pa.Table.from_pandas(out, preserve_index=False)
    fields = []
    for field in arrow.schema:
        if field.name in _date_names(table):
            fields.append(pa.field(field.name, pa.date32()))
        elif field.name == "geometry":
            fields.append(pa.field(field.name, pa.binary()))
        else:
            fields.append(field)
    return arrow.cast(pa.schema(fields)).replace_schema_metadata(None)


def write_store(network: Network, folder: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write `network` to `folder` (created or replaced atomically).

    Parameters
    ----------
    network
        The network.
    folder
        The target folder. It carries no marker file, so that the same network gives the
        same files; its ``meta.json`` (``"format": "corridor-embedded"``) marks it as ours.
    force
        Replace what is at `folder` even if corridor did not write it.

    Returns
    -------
    Path
        The folder written.

    Raises
    ------
    OutputExistsError
        If `folder` holds something that is not a network corridor wrote, unless `force`.
    """
    import pyarrow.parquet as pq

    target = Path(folder)
    with atomic_dir(target, force=force, marker=False) as out:
        frames = {
            "nodes": network.nodes,
            "links": network.links,
            "crossings": network.crossings,
            "turns": network.turns,
            "formalities": network.formalities,
        }
        for name, frame in frames.items():
            pq.write_table(
                _to_arrow(frame, name),
                out / f"{name}.parquet",
                compression="zstd",
                compression_level=9,
                write_statistics=False,
                use_dictionary=True,
            )
        meta = {"name": network.name, "format": "corridor-embedded", "version": 1}
        (out / "meta.json").write_text(json.dumps(meta, sort_keys=True) + "\n")
    return target


def read_store(folder: str | os.PathLike[str]) -> Network:
    """Read a network written by :func:`write_store`.

    Raises
    ------
    DataSourceError
        If a table is missing or unreadable.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    source = Path(folder)
    if not source.exists():
        recover_output(source)  # a writer killed between two renames (see corridor.atomic)
    frames: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        path = source / f"{name}.parquet"
        try:
            frame = pq.read_table(path).to_pandas()
        except FileNotFoundError:
            if name in _OPTIONAL:
                continue
            raise DataSourceError(path, "missing; rebuild with `corridor data build`") from None
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataSourceError(path, f"unreadable Parquet: {exc}") from None
        for col in _date_names(name):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
        if "geometry" in frame:
            wkb = frame["geometry"].to_numpy()
            geoms = shapely.from_wkb(np.where(pd.isna(wkb), None, wkb))
            frame["geometry"] = pd.Series(list(geoms), dtype=object)
        frames[name] = frame
    meta = json.loads((source / "meta.json").read_text()) if (source / "meta.json").exists() else {}
    return Network(
        frames["nodes"],
        frames["links"],
        frames["crossings"],
        frames["turns"],
        frames.get("formalities"),
        name=str(meta.get("name", source.name)),
        source=str(source),
    )
