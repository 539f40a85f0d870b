"""`corridor import osm`: OpenStreetMap roads and railways into a network file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import corridor
from corridor.cli.common import ForceOpt, console, err_console, guard

__all__ = ["import_app"]

import_app = typer.Typer(
    help="Import networks from other formats.", no_args_is_help=True, add_completion=False
)


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """Parse a ``--bbox`` value.

    Parameters
    ----------
    text
        ``"min_lon,min_lat,max_lon,max_lat"`` in degrees, or ``None``.

    Returns
    -------
    tuple of float or None
        The four numbers, or ``None`` if `text` is ``None``.

    Raises
    ------
    ValidationError
        If `text` is not four comma-separated numbers.
    """
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4:
        raise corridor.ValidationError(
            f"--bbox {text!r}: give four numbers min_lon,min_lat,max_lon,max_lat"
        )
    return values[0], values[1], values[2], values[3]


_POLYGON_MAX_BYTES = 50_000_000  # [assumption] a country's outline at full detail is ~10 MB


def _polygon(path: Path | None) -> Any:
    """The (multi)polygon in a GeoJSON file (a geometry, Feature or FeatureCollection)."""
    if path is None:
        return None
    import shapely
    import shapely.errors

    def bad(reason: str) -> corridor.DataSourceError:
        return corridor.DataSourceError(
            path, f"--polygon: {reason}; give a GeoJSON Polygon, MultiPolygon or their Feature(s)"
        )

    try:
        if path.stat().st_size > _POLYGON_MAX_BYTES:
            raise bad(f"larger than {_POLYGON_MAX_BYTES // 1_000_000} MB")
        geojson = json.loads(path.read_bytes().decode("utf-8"))
    except RecursionError:
        raise bad("nested too deeply") from None
    except UnicodeDecodeError:
        raise bad("not UTF-8 text") from None
    except ValueError as exc:
        raise bad(f"not JSON ({str(exc)[:80]})") from None
    except OSError as exc:
        raise bad(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
            feats = geojson.get("features", [])
            geoms = [shapely.geometry.shape(f["geometry"]) for f in feats]
            shape = shapely.union_all(geoms) if geoms else None
        elif isinstance(geojson, dict) and geojson.get("type") == "Feature":
            shape = shapely.geometry.shape(geojson["geometry"])
        else:
            shape = shapely.geometry.shape(geojson)
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        IndexError,
        RecursionError,
        shapely.errors.GEOSException,
    ) as exc:
        raise bad(f"not a GeoJSON geometry ({type(exc).__name__})") from None
    if shape is None or shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
        kind = "nothing" if shape is None or shape.is_empty else f"a {shape.geom_type}"
        raise bad(f"holds {kind}")
    if not shape.is_valid:
        raise bad("the polygon is not valid (it crosses itself or is not closed)")
    return shape


@import_app.command("osm")
def osm_cmd(
    file: Annotated[Path, typer.Argument(help="An .osm.pbf or .osm file.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Network file to write (.gpkg or .parquet folder).")
    ],
    bbox: Annotated[
        str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat (degrees).")
    ] = None,
    polygon: Annotated[
        Path | None, typer.Option(help="GeoJSON file with the polygon to keep.")
    ] = None,
    classes: Annotated[
        str | None,
        typer.Option(help="Comma-separated highway/railway classes, e.g. motorway,trunk,rail."),
    ] = None,
    mode: Annotated[str, typer.Option(help="road, rail or road,rail.")] = "road,rail",
    country: Annotated[
        str | None, typer.Option(help="ISO code for every node (default: nearest city's).")
    ] = None,
    no_simplify: Annotated[
        bool, typer.Option("--no-simplify", help="Keep every OSM node (no contraction).")
    ] = False,
    all_components: Annotated[
        bool, typer.Option("--all-components", help="Keep disconnected pieces too.")
    ] = False,
    force: ForceOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Import roads, railways, border controls and turn restrictions from OpenStreetMap."""

    def options() -> corridor.OsmOptions:
        return corridor.OsmOptions(
            modes=tuple(m.strip() for m in mode.split(",") if m.strip()),
            classes=tuple(c.strip() for c in classes.split(",") if c.strip()) if classes else None,
            bbox=parse_bbox(bbox),
            polygon=_polygon(polygon),
            country=country,
            simplify=not no_simplify,
            largest_component=not all_components,
        )

    opts: corridor.OsmOptions = guard(as_json, options)
    folder = out.suffix.lower() != ".gpkg"
    guard(as_json, lambda: corridor.check_output(out, folder=folder, force=force))
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} {task.fields[unit]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json,
    ) as bar:
        tasks: dict[str, Any] = {}

        def report(p: corridor.ImportProgress) -> None:
            if p.phase not in tasks:
                tasks[p.phase] = bar.add_task(f"reading {p.phase}", total=p.total, unit=p.unit)
            bar.update(tasks[p.phase], completed=p.done, total=p.total)

        net: corridor.Network = guard(
            as_json, lambda: corridor.read_osm(file, options=opts, progress=report)
        )
    written = guard(as_json, lambda: corridor.write_network(net, out, force=force))
    links = net.links
    by_mode = {str(k): int(v) for k, v in links["mode"].value_counts().items()}
    km_by_mode = {
        str(k): round(float(v), 3) for k, v in links.groupby("mode")["length_km"].sum().items()
    }
    summary: dict[str, Any] = {
        "file": str(file),
        "out": str(written),
        "nodes": len(net.nodes),
        "links": len(links),
        "links_by_mode": by_mode,
        "length_km_by_mode": km_by_mode,
        "border_crossings": int((net.nodes["kind"] == "border_crossing").sum()),
        "turn_restrictions": len(net.turns),
    }
    if as_json:
        print(json.dumps(summary))
        return
    table = Table(title=f"{file.name} → {written}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("nodes", f"{summary['nodes']:,}")
    for m, count in by_mode.items():
        table.add_row(f"{m} links", f"{count:,}")
        table.add_row(f"{m} km", f"{km_by_mode[m]:,.1f}")
    table.add_row("border crossings", f"{summary['border_crossings']:,}")
    table.add_row("turn restrictions", f"{summary['turn_restrictions']:,}")
    console.print(table)
