"""`corridor export`: networks, routes and matrices to GeoJSON, GPKG, GeoParquet, CSV, OMX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

import corridor
from corridor.cli.common import ForceOpt, console, fail, guard, load_network

__all__ = ["export_cmd"]

_MATRIX_SUFFIXES = (".omx", ".csv")


def _load(source: Path | None) -> Any:
    if source is not None and (
        source.suffix.lower() in _MATRIX_SUFFIXES
        or (source.suffix.lower() == ".parquet" and source.is_file())
    ):
        return corridor.read_matrices(source)
    return load_network(source)


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
    optimize: Annotated[
        str | None,
        typer.Option(
            help="For --route: time, distance, cost, co2 or generalized (default: "
            "generalized with a profile, time without)."
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(help="For --route: the vehicle profile (costs, CO2, crossings, rests)."),
    ] = None,
    force: ForceOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Write a network, a route or matrices in another format (nothing half written)."""
    obj = guard(as_json, lambda: _load(source))
    if route is not None:
        if not isinstance(obj, corridor.Network):
            fail("--route needs a network, not matrices", as_json)
        net: corridor.Network = obj

        def find() -> corridor.Route:
            return corridor.route(
                net, route[0], route[1], modes=mode, optimize=optimize, profile=profile
            )

        obj = guard(as_json, find)
    written = guard(as_json, lambda: corridor.export_results(obj, out, force=force))
    kind = type(obj).__name__
    if as_json:
        print(json.dumps({"out": str(written), "kind": kind}))
        return
    console.print(f"wrote {kind} to {written}")
