"""`corridor tcd`, `corridor cpmm` and `corridor profiles`: the cost-model commands."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

import corridor
from corridor.cli.common import (
    ForceOpt,
    JsonOpt,
    NetworkOpt,
    WideOpt,
    console,
    guard,
    load_network,
    print_notes,
    resolve_ends,
    resolved_json,
)
from corridor.cli.render import Col, fit_table, plain, print_fit

__all__ = ["cpmm_cmd", "profiles_cmd", "tcd_cmd"]

OptimizeOpt = Annotated[
    str, typer.Option(help="What each route minimises: time, cost, co2, generalized, distance.")
]
DepartOpt = Annotated[str | None, typer.Option(help="Departure, e.g. 2026-12-01T08:00.")]


def tcd_cmd(
    origin: Annotated[str, typer.Argument(help="Place name or node id.")],
    destination: Annotated[str, typer.Argument(help="Place name or node id.")],
    profile: Annotated[
        list[str] | None,
        typer.Option(
            "--profile", "-p", help="One route per profile (repeat); default truck40, container40."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the chart here (e.g. tcd.png).")] = None,
    optimize: OptimizeOpt = corridor.defaults.TCD_OBJECTIVE,
    network: NetworkOpt = None,
    depart: DepartOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """UNESCAP time/cost-distance: cumulative cost and time against distance, per profile."""
    net = guard(as_json, lambda: load_network(network))
    ends = resolve_ends(net, origin, destination, as_json)
    profiles = profile or list(corridor.defaults.TCD_PROFILES)
    result = guard(
        as_json,
        lambda: corridor.tcd(
            net, origin, destination, profiles=profiles, optimize=optimize, depart=depart
        ),
    )
    if out is not None:
        guard(as_json, lambda: corridor.write_tcd_chart(result, out, force=force))
    if as_json:
        data = result.to_dict()
        data["out"] = None if out is None else str(out)
        data["resolved"] = resolved_json(ends)
        print(json.dumps(data))
        return
    print_notes(ends)
    cols = [
        Col("step", right=True, keep=5),
        Col("kind", keep=20),
        Col("label"),
        Col("km", right=True, keep=25),
        Col("time_h", right=True),
        Col("cost_usd", right=True, keep=35),
        Col("cum_km", right=True),
        Col("cum_time_h", right=True),
        Col("cum_cost_usd", right=True),
    ]
    first = result.routes[0]
    for name, rows in result.table.groupby("route", sort=False):
        cells = [
            [
                str(row.step),
                str(row.kind),
                str(row.label),
                f"{row.distance_km:,.0f}",
                f"{row.time_h:,.1f}",
                f"{row.cost_usd:,.0f}",
                f"{row.cum_distance_km:,.0f}",
                f"{row.cum_time_h:,.1f}",
                f"{row.cum_cost_usd:,.0f}",
            ]
            for row in rows.itertuples(index=False)
        ]
        title = f"Time/cost-distance {first.origin_name} → {first.destination_name}: {name}"
        print_fit(*fit_table(cols, cells, title=title, wide=wide))
    definitions = dict.fromkeys(r.time_definition for r in result.routes)
    console.print(
        "time_h includes rests: "
        + "; ".join(escape(d) for d in definitions)
        + " (the time `corridor route` reports)",
        highlight=False,
    )
    if out is not None:
        console.print(f"chart written to {out}", highlight=False)


def cpmm_cmd(
    origin: Annotated[str, typer.Argument(help="Place name or node id.")],
    destination: Annotated[str, typer.Argument(help="Place name or node id.")],
    profile: Annotated[
        str, typer.Option("--profile", "-p", metavar="PROFILE", help="Profile of the route.")
    ] = corridor.defaults.CPMM_PROFILE,
    road: Annotated[
        str | None,
        typer.Option(
            metavar="PROFILE",
            help="Road profile of the break-even (default: --profile if it is a road one).",
        ),
    ] = None,
    rail: Annotated[
        str | None,
        typer.Option(
            metavar="PROFILE",
            help="Rail profile of the break-even (default: --profile if it is a rail one,"
            " else the one of the same load).",
        ),
    ] = None,
    optimize: OptimizeOpt = corridor.defaults.CPMM_OBJECTIVE,
    network: NetworkOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """CAREC CPMM indicators (TFI1-TFI4, SWOD) of a route and the road/rail break-even."""
    net = guard(as_json, lambda: load_network(network))
    ends = resolve_ends(net, origin, destination, as_json)
    result = guard(
        as_json,
        lambda: corridor.cpmm(
            net,
            origin,
            destination,
            profile=profile,
            optimize=optimize,
            road_profile=road,
            rail_profile=rail,
        ),
    )
    if as_json:
        print(json.dumps({**result.to_dict(), "resolved": resolved_json(ends)}))
        return
    print_notes(ends)
    r = result.route
    table = Table(title=f"CPMM {r.origin_name} → {r.destination_name} ({r.profile})")
    for col in ("crossing", "detail", "at_km", "TFI1_h", "TFI2_usd"):
        table.add_column(col, justify="left" if col in ("crossing", "detail") else "right")
    for row in result.crossings.itertuples(index=False):
        table.add_row(
            str(row.name),
            plain(str(row.detail)),
            f"{row.at_km:,.0f}",
            f"{row.tfi1_h:,.1f}",
            f"{row.tfi2_usd:,.0f}",
        )
    console.print(table)
    tfi3 = result.tfi3_usd_per_500km_20t
    be = result.break_even
    lines = [
        f"distance {r.length_km:,.0f} km, time {r.time_h:,.1f} h "
        f"(moving {result.moving_h:,.1f} h, delays {result.delay_h:,.1f} h), "
        f"cost ${r.cost_usd:,.0f}",
        "TFI3 cost per 500 km per 20 t: "
        + ("n/a (travellers)" if math.isnan(tfi3) else f"${tfi3:,.0f}"),
        f"TFI4 speed with delay (SWD): {result.swd_kmh:,.1f} km/h; "
        f"speed without delay (SWOD): {result.swod_kmh:,.1f} km/h",
        f"break-even {be.road_profile} vs {be.rail_profile}: d* = (F_rail - F_road)/(c_road - "
        f"c_rail) = ({be.fixed_rail_usd:,.0f} - {be.fixed_road_usd:,.0f})/({be.road_usd_per_km:g}"
        f" - {be.rail_usd_per_km:g}) = "
        + (
            "inf (rail not cheaper per km)"
            if math.isinf(be.distance_km)
            else f"{be.distance_km:,.0f} km"
        ),
    ]
    for line in lines:
        console.print(line, highlight=False)


def profiles_cmd(
    profile: Annotated[
        str | None, typer.Argument(help="Show one profile (id or YAML file) in full.")
    ] = None,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List the built-in vehicle and traveller profiles, or show one in full."""
    if profile is not None:
        prof = guard(as_json, lambda: corridor.load_profile(profile))
        data = prof.model_dump(mode="json")
        if as_json:
            print(json.dumps(data))
        else:
            import yaml

            console.print(yaml.safe_dump(data, sort_keys=False, width=100), highlight=False)
        return
    rows = [p.summary() for p in corridor.list_profiles()]
    if as_json:
        print(json.dumps({"profiles": rows}))
        return
    cols = [
        Col("id"),
        Col("kind", keep=20),
        Col("modes", keep=30),
        Col("load", keep=25),
        Col("vot_usd_per_h", right=True, keep=22),
        Col("name"),
    ]
    cells = [
        [
            str(row["id"]),
            str(row["kind"]),
            ", ".join(row["modes"]),  # type: ignore[arg-type]
            str(row["load"]),
            f"{row['vot_usd_per_h']:.2f}",
            str(row["name"]),
        ]
        for row in rows
    ]
    print_fit(*fit_table(cols, cells, title="profiles", wide=wide))
