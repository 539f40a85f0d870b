"""`corridor export`: networks, routes and matrices to GeoJSON, GPKG, GeoParquet, CSV, OMX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

import corridor

__all__ = ["export_cmd"]

_MATRIX_SUFFIXES = (".omx", ".csv")


def _helpers() -> Any:
    from corridor.cli import app as app_module

    return app_module


def _load(source: Path | None) -> Any:
    if source is not None and (
        source.suffix.lower() in _MATRIX_SUFFIXES
        or (source.suffix.lower() == ".parquet" and source.is_file())
    ):
        from corridor.export.omx import read_matrices

        return read_matrices(source)
    return _helpers().load_network(source)


def export_cmd(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="Network (.gpkg or GeoParquet folder; default the bundled one) or matrices "
            "(.omx, .csv, .parquet file)."
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Target: .geojson, .gpkg, .parquet, .json, .omx or .csv."),
    ] = Path("export.geojson"),
    route: Annotated[
        tuple[str, str] | None,
        typer.Option(help="Export the route ORIGIN DEST on the network instead."),
    ] = None,
    mode: Annotated[str, typer.Option(help="Modes for --route: road, rail or any.")] = "any",
    optimize: Annotated[str, typer.Option(help="time or distance, for --route.")] = "time",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Write a network, a route or matrices in another format (nothing half written)."""
    h = _helpers()
    obj = h._guard(as_json, lambda: _load(source))
    network = obj if isinstance(obj, corridor.Network) else None
    if route is not None:
        if not isinstance(obj, corridor.Network):
            h._fail("--route needs a network, not matrices", as_json)
        net: corridor.Network = obj

        def find() -> corridor.Route:
            if len(net.turns):
                return corridor.route_restricted(
                    net, route[0], route[1], modes=mode, optimize=optimize
                )
            return corridor.route(net, route[0], route[1], modes=mode, optimize=optimize)

        obj = h._guard(as_json, find)
    written = h._guard(as_json, lambda: corridor.export(obj, out, network=network))
    kind = type(obj).__name__
    if as_json:
        print(json.dumps({"out": str(written), "kind": kind}))
        return
    h.console.print(f"wrote {kind} to {written}")
