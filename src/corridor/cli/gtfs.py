"""`corridor trip`: the earliest-arriving public-transport journey in a GTFS feed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

import corridor
from corridor.cli.common import ForceOpt, console, guard

__all__ = ["trip_cmd"]


def trip_cmd(
    origin: Annotated[str, typer.Argument(help="Stop id, station id or stop name.")],
    destination: Annotated[str, typer.Argument(help="Stop id, station id or stop name.")],
    depart: Annotated[str, typer.Option(help="Date and time, e.g. 2017-07-24T08:00.")],
    gtfs: Annotated[Path, typer.Option("--gtfs", help="GTFS feed (.zip or folder).")],
    min_transfer: Annotated[
        float, typer.Option("--min-transfer", help="Least time to change vehicles, s.")
    ] = 0.0,
    walk_radius: Annotated[
        float, typer.Option("--walk-radius", help="Walk between stops up to this far, m.")
    ] = 250.0,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the trip (.geojson or .json).")
    ] = None,
    force: ForceOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Earliest arrival by public transport, with transfers and footpaths."""
    feed: corridor.Feed = guard(as_json, lambda: corridor.read_gtfs(gtfs))
    trip: corridor.Trip = guard(
        as_json,
        lambda: corridor.plan_trip(
            feed,
            origin,
            destination,
            depart=depart,
            options=corridor.TripOptions(min_transfer_s=min_transfer, walk_radius_m=walk_radius),
        ),
    )
    if out is not None:
        guard(as_json, lambda: corridor.export_results(trip, out, force=force))
    if as_json:
        print(json.dumps(trip.to_dict()))
        return
    table = Table(
        title=f"{origin} → {destination}: depart {trip.depart:%Y-%m-%d %H:%M}, "
        f"arrive {trip.arrive:%Y-%m-%d %H:%M} ({trip.duration_h * 60:.0f} min)"
    )
    for col in ("leg", "from", "depart", "to", "arrive", "route", "trip"):
        table.add_column(col)
    for leg in trip.legs:
        table.add_row(
            leg.kind,
            leg.from_name,
            f"{leg.depart:%H:%M}",
            leg.to_name,
            f"{leg.arrive:%H:%M}",
            leg.route,
            leg.trip_id,
        )
    console.print(table)
