"""Read and write networks as GeoPackage (one file) or GeoParquet (a folder).

Every spatial layer carries its CRS (EPSG:4326) and opens as it is in QGIS, ``ogrinfo`` and
``geopandas``: ``nodes`` (points), ``links`` (line strings), ``crossings`` (points at the
crossing node, with their delays, fees and hours), ``turns`` (points at the via node) and
``formalities`` (points at the crossing they apply to). GeoPackage dates are DATE fields and
GeoParquet dates are ``date32``; both round-trip every column of the schema. Writes go to a
temporary file that is renamed into place, so a killed run leaves the previous output intact.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.atomic import atomic_dir, atomic_file, recover_output
from corridor.budget import quoted
from corridor.errors import DataSourceError, SchemaError
from corridor.model.network import Network
from corridor.model.schema import (
    CROSSING_COLUMNS,
    FORMALITY_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    TURN_COLUMNS,
    Column,
    Kind,
)

__all__ = ["read_network", "write_network"]

log = logging.getLogger(__name__)

_LAYERS = ("nodes", "links", "crossings", "turns", "formalities")
_OPTIONAL = ("crossings", "turns", "formalities")
_COLUMNS = {
    "nodes": NODE_COLUMNS,
    "links": LINK_COLUMNS,
    "crossings": CROSSING_COLUMNS,
    "turns": TURN_COLUMNS,
    "formalities": FORMALITY_COLUMNS,
}


def _kind(path: Path) -> str:
    if path.suffix.lower() == ".gpkg":
        return "gpkg"
    if path.suffix.lower() in (".parquet", ".geoparquet") or path.is_dir():
        return "parquet"
    raise DataSourceError(
        path, "unknown network format; use a .gpkg file or a folder of GeoParquet files (.parquet)"
    )


def _date_cols(cols: tuple[Column, ...]) -> list[str]:
    return [c.name for c in cols if c.kind is Kind.DATE]


def _from_storage(frame: pd.DataFrame, cols: tuple[Column, ...]) -> pd.DataFrame:
    out = frame.copy()
    for name in _date_cols(cols):
        if name in out:
            column = out[name]
            if column.dtype == object or pd.api.types.is_string_dtype(column):
                # ISO text (version 1 files) or datetime.date: the schema parses it and
                # names the rows that hold no date
                out[name] = column.astype(object).replace("", None)
            else:
                out[name] = pd.to_datetime(column, errors="coerce").astype("datetime64[ns]")
    return out


def _dated(frame: pd.DataFrame, cols: tuple[Column, ...]) -> pd.DataFrame:
    """Date columns as Arrow ``date32`` (null for NaT): DATE in a GeoPackage, date32 in Parquet."""
    import pyarrow as pa

    out = frame.copy()
    for name in _date_cols(cols):
        if name in out:
            days = pd.to_datetime(out[name], errors="coerce").dt.date
            out[name] = pd.Series(
                [None if pd.isna(d) else d for d in days],
                index=out.index,
                dtype=pd.ArrowDtype(pa.date32()),
            )
    return out


def _at_nodes(frame: pd.DataFrame, nodes: pd.DataFrame, key: str) -> Any:
    """`frame` as points (EPSG:4326) at the node its column `key` names."""
    import geopandas as gpd

    where = nodes.set_index("node_id")[["lon", "lat"]]
    xy = where.reindex(frame[key].to_numpy())
    return gpd.GeoDataFrame(
        frame.reset_index(drop=True),
        geometry=gpd.points_from_xy(xy["lon"].to_numpy(), xy["lat"].to_numpy()),
        crs="EPSG:4326",
    )


def write_network(network: Network, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write `network` to a GeoPackage (``.gpkg``) or a GeoParquet folder (``.parquet``).

    Parameters
    ----------
    network
        The network.
    path
        A ``.gpkg`` file or a ``.parquet`` folder.
    force
        Replace what is at `path` even if corridor did not write it (see
        :mod:`corridor.atomic` for what counts as an earlier output).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    OutputExistsError
        If `path` holds something that is not an earlier corridor network, unless `force`.
    """
    import geopandas as gpd
    import pyogrio

    target = Path(path)
    kind = _kind(target)
    nodes = _dated(network.nodes, NODE_COLUMNS)
    layers = {
        "nodes": _at_nodes(nodes, nodes, "node_id"),
        "links": gpd.GeoDataFrame(
            _dated(network.links, LINK_COLUMNS), geometry="geometry", crs="EPSG:4326"
        ),
        "crossings": _at_nodes(_dated(network.crossings, CROSSING_COLUMNS), nodes, "node_id"),
        "turns": _at_nodes(_dated(network.turns, TURN_COLUMNS), nodes, "via_node"),
        "formalities": _at_nodes(network.formalities, nodes, "node_id"),
    }
    meta = {"name": network.name, "format": "corridor-network", "version": 2}
    if kind == "gpkg":
        with atomic_file(target, force=force) as out:
            out.unlink()  # the GeoPackage driver creates the file itself
            for name, layer in layers.items():
                pyogrio.write_dataframe(
                    layer, out, layer=name, driver="GPKG", use_arrow=True, promote_to_multi=False
                )
            with sqlite3.connect(out) as con:
                pd.DataFrame([{"key": "meta", "value": json.dumps(meta)}]).to_sql(
                    "corridor_meta", con, index=False
                )
    else:
        with atomic_dir(target, force=force, what="network (GeoParquet)") as out:
            for name, layer in layers.items():
                layer.to_parquet(out / f"{name}.parquet", index=False)
            (out / "meta.json").write_text(json.dumps(meta))
    log.info("wrote %r to %s", network, target)
    return target


def read_network(path: str | os.PathLike[str]) -> Network:
    """Read a network written by :func:`write_network` (or by hand, following the schema).

    Raises
    ------
    DataSourceError
        If the file is missing, is not a GeoPackage / GeoParquet folder, or lacks a layer.
    SchemaError
        Listing every problem with the tables, naming the file.
    """
    source = Path(path)
    if not source.exists() and not recover_output(source):
        raise DataSourceError(source, "no such file or folder")
    kind = _kind(source)
    tables = _read_gpkg(source) if kind == "gpkg" else _read_parquet(source)
    meta = tables.pop("meta", {})
    frames = {k: _from_storage(v, _COLUMNS[k]) for k, v in tables.items()}
    try:
        return Network(
            frames["nodes"],
            frames["links"],
            frames["crossings"],
            frames["turns"],
            frames.get("formalities"),
            name=str(meta.get("name", source.stem)),
            source=str(source),
        )
    except SchemaError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise DataSourceError(source, f"cannot be read as a network: {exc}") from None


def _read_gpkg(source: Path) -> dict[str, Any]:
    import pyogrio
    import pyogrio.errors

    with open(source, "rb") as fh:
        head = fh.read(16)
    if not head.startswith(b"SQLite format 3"):
        raise DataSourceError(
            source,
            "is not a GeoPackage (not an SQLite file); write it with `corridor` or QGIS as GPKG",
        )
    try:
        layers = {name for name, _ in pyogrio.list_layers(source)}
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise DataSourceError(source, f"is not a readable GeoPackage: {exc}") from None
    missing = [name for name in ("nodes", "links") if name not in layers]
    if missing:
        raise DataSourceError(source, f"has no layer(s) {missing}; found {sorted(layers)}")
    try:
        return _read_gpkg_layers(source, layers)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise DataSourceError(source, f"is not a readable GeoPackage: {_gdal(exc)}") from None
    except (pyogrio.errors.FeatureError, pyogrio.errors.FieldError, sqlite3.Error) as exc:
        raise DataSourceError(
            source, f"is damaged ({_gdal(exc)}); write it again with `corridor export`"
        ) from None


def _gdal(exc: BaseException) -> str:
    """GDAL's message, on one short line."""
    return " ".join(str(exc).split())[:160]


def _read_gpkg_layers(source: Path, layers: set[str]) -> dict[str, Any]:
    import pyogrio

    nodes = pyogrio.read_dataframe(source, layer="nodes", read_geometry=False)
    links = pyogrio.read_dataframe(source, layer="links")
    links = pd.DataFrame(links)
    if "geometry" in links:
        import shapely

        geoms = links["geometry"].to_numpy()
        links["geometry"] = pd.Series(
            [None if g is None or shapely.is_empty(g) else g for g in geoms], dtype=object
        )
    optional = {
        name: pyogrio.read_dataframe(source, layer=name, read_geometry=False)
        if name in layers
        else pd.DataFrame()
        for name in _OPTIONAL
    }
    meta: dict[str, Any] = {}
    if "corridor_meta" in layers:
        m = pyogrio.read_dataframe(source, layer="corridor_meta", read_geometry=False)
        if len(m):
            meta = _meta(source, str(m["value"].iloc[0]))
    return {
        "nodes": _nan_to_empty(nodes, NODE_COLUMNS),
        "links": _nan_to_empty(links, LINK_COLUMNS),
        **{name: _nan_to_empty(frame, _COLUMNS[name]) for name, frame in optional.items()},
        "meta": meta,
    }


def _nan_to_empty(frame: pd.DataFrame, cols: tuple[Column, ...]) -> pd.DataFrame:
    """GDAL reads empty text as NULL; the schema stores it as ''."""
    out = pd.DataFrame(frame)
    for c in cols:
        if c.kind in (Kind.STR, Kind.DATE) and c.name in out and out[c.name].dtype == object:
            out[c.name] = out[c.name].where(out[c.name].notna(), "")
    return out


def _read_parquet(source: Path) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not source.is_dir():
        raise DataSourceError(
            source,
            "a GeoParquet network is a folder with nodes.parquet, "
            "links.parquet and crossings.parquet",
        )
    tables: dict[str, Any] = {}
    for name in _LAYERS:
        file = source / f"{name}.parquet"
        if not file.exists():
            if name in _OPTIONAL:
                tables[name] = pd.DataFrame()
                continue
            raise DataSourceError(file, f"missing; the folder must hold {name}.parquet")
        try:
            frame = pq.read_table(file).to_pandas()
        except (pa.ArrowException, OSError) as exc:
            raise DataSourceError(file, f"is not a readable Parquet file: {_gdal(exc)}") from None
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:  # its metadata
            raise DataSourceError(
                file,
                f"has damaged pandas metadata ({type(exc).__name__}: {_gdal(exc)[:80]}); "
                "write it again with `corridor export`",
            ) from None
        if "geometry" in frame and name != "links":
            frame = frame.drop(columns="geometry")  # points at nodes, rebuilt on writing
        if "geometry" in frame:
            geoms = _from_wkb(file, frame["geometry"].to_numpy())
            frame["geometry"] = pd.Series(list(geoms), dtype=object)
        tables[name] = frame
    meta_file = source / "meta.json"
    tables["meta"] = _meta(meta_file, meta_file.read_bytes()) if meta_file.exists() else {}
    return tables


_META_MAX_BYTES = 1_000_000  # corridor writes about 60 bytes


def _meta(where: Path, raw: bytes | str) -> dict[str, Any]:
    """The network's metadata object (``meta.json`` or the GeoPackage's ``corridor_meta``)."""
    fix = 'write it with `corridor export`, or make it a JSON object such as {"name": "x"}'
    if len(raw) > _META_MAX_BYTES:
        raise DataSourceError(where, f"metadata larger than {_META_MAX_BYTES} bytes; {fix}")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise DataSourceError(where, f"metadata is not UTF-8 text; {fix}") from None
    except RecursionError:
        raise DataSourceError(where, f"metadata is nested too deeply; {fix}") from None
    except ValueError as exc:
        raise DataSourceError(where, f"metadata is not JSON ({str(exc)[:80]}); {fix}") from None
    if not isinstance(data, dict):
        raise DataSourceError(
            where, f"metadata is a JSON {type(data).__name__}, not an object; {fix}"
        )
    return data


def _from_wkb(file: Path, wkb: Any) -> Any:
    """Shapely geometries of a WKB column; the first unreadable row is named."""
    import shapely
    import shapely.errors

    values = np.where(pd.isna(wkb), None, wkb)
    try:
        return shapely.from_wkb(values)
    except (shapely.errors.GEOSException, TypeError, ValueError):
        for row, value in enumerate(values, start=1):
            try:
                shapely.from_wkb(value)
            except (shapely.errors.GEOSException, TypeError, ValueError):
                raise DataSourceError(
                    file,
                    f"column geometry holds no readable WKB ({quoted(value, 16)}); write link "
                    "geometries as WKB line strings or leave them null",
                    row=row,
                ) from None
        raise
