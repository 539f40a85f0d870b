"""The `corridor` command line: a thin layer over the public API."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

import corridor

app = typer.Typer(
    name="corridor",
    help="Eurasia's transit-transport corridors, computable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

NetworkOpt = Annotated[
    Path | None,
    typer.Option(
        "--network",
        "-n",
        help="Network file (.gpkg or GeoParquet folder); default: the bundled one.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


class ModeChoice(StrEnum):
    road = "road"
    rail = "rail"
    any = "any"


class OptimizeChoice(StrEnum):
    time = "time"
    distance = "distance"
    cost = "cost"
    co2 = "co2"
    generalized = "generalized"


def _fail(message: str, as_json: bool) -> NoReturn:
    if as_json:
        print(json.dumps({"error": message}))
    else:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _guard(as_json: bool, fn: Callable[[], Any]) -> Any:
    """Run `fn`, turning corridor's errors into a one-line message and exit code 2."""
    try:
        return fn()
    except (corridor.CorridorError, OSError) as exc:
        first = str(exc).splitlines()
        text = first[0] if len(first) == 1 else " ".join(line.strip() for line in first)
        _fail(text, as_json)


def load_network(path: Path | None) -> corridor.Network:
    """The network in `path`, or the bundled one."""
    if path is None:
        return corridor.examples.toy()
    return corridor.read_network(path)


@app.command()
def info(network: NetworkOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of nodes and links by mode, country and kind."""
    net: corridor.Network = _guard(as_json, lambda: load_network(network))
    links, nodes = net.links, net.nodes
    summary: dict[str, Any] = {
        "name": net.name,
        "nodes": len(nodes),
        "links": len(links),
        "length_km_by_mode": {
            k: round(float(v), 1) for k, v in links.groupby("mode")["length_km"].sum().items()
        },
        "links_by_mode": {str(k): int(v) for k, v in links["mode"].value_counts().items()},
        "nodes_by_kind": {str(k): int(v) for k, v in nodes["kind"].value_counts().items()},
        "nodes_by_country": {str(k): int(v) for k, v in nodes["country"].value_counts().items()},
        "crossings": len(net.crossings),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    console.print(f"[bold]{net.name}[/]: {len(nodes):,} nodes, {len(links):,} links")
    table = Table("mode", "links", "length_km")
    for mode, count in summary["links_by_mode"].items():
        table.add_row(mode, f"{count:,}", f"{summary['length_km_by_mode'].get(mode, 0):,.0f}")
    console.print(table)
    kinds = Table("kind", "nodes")
    for kind, count in summary["nodes_by_kind"].items():
        kinds.add_row(kind, f"{count:,}")
    console.print(kinds)
    countries = Table("country", "nodes")
    for cc, count in summary["nodes_by_country"].items():
        countries.add_row(cc, f"{count:,}")
    console.print(countries)


@app.command("route")
def route_cmd(
    origin: Annotated[str, typer.Argument(help="Place name or node id.")],
    destination: Annotated[str, typer.Argument(help="Place name or node id.")],
    network: NetworkOpt = None,
    mode: Annotated[ModeChoice, typer.Option(help="Modes to use.")] = ModeChoice.any,
    optimize: Annotated[
        OptimizeChoice | None,
        typer.Option(help="What to minimise (default: cost with a profile, else time)."),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", "-p", help="Vehicle/traveller profile id or YAML file (see `profiles`)."
        ),
    ] = None,
    depart: Annotated[
        str | None, typer.Option(help="Departure, e.g. 2026-12-01T08:00: gives arrival times.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The least-cost route between two places, with its legs, stops and totals."""
    net: corridor.Network = _guard(as_json, lambda: load_network(network))
    goal = optimize.value if optimize else ("cost" if profile else "time")
    result: corridor.Route = _guard(
        as_json,
        lambda: corridor.route(
            net,
            origin,
            destination,
            modes=mode.value,
            optimize=goal,
            profile=profile,
            depart=depart,
        ),
    )
    if as_json:
        print(json.dumps(result.to_dict()))
        return
    print_route(result)


def print_route(result: corridor.Route, title: str | None = None) -> None:
    """Print a route as a table of legs and stops with totals."""
    if result.profile is None:
        table = Table(
            title=title
            or f"{result.origin_name} → {result.destination_name} (least {result.optimize})"
        )
        for col in ("from", "to", "mode", "ref", "name", "length_km", "time_h"):
            table.add_column(col, justify="right" if col.endswith(("_km", "_h")) else "left")
        for leg in result.legs:
            table.add_row(
                leg.from_name,
                leg.to_name,
                leg.mode,
                leg.ref,
                leg.name,
                f"{leg.length_km:,.0f}",
                f"{leg.time_h:,.1f}",
            )
        table.add_section()
        table.add_row("total", "", "", "", "", f"{result.length_km:,.0f}", f"{result.time_h:,.1f}")
        console.print(table)
        return
    table = Table(
        title=title
        or f"{result.origin_name} → {result.destination_name} "
        f"({result.profile}, least {result.optimize})"
    )
    cols = ("step", "from / at", "to / detail", "mode", "ref", "km", "time_h", "cost_usd")
    for col in (*cols, "co2_kg"):
        table.add_column(
            col, justify="right" if col in ("km", "time_h", "cost_usd", "co2_kg") else "left"
        )
    for item in result.sequence():
        if isinstance(item, corridor.Leg):
            rest = f" (+{item.rest_h:.1f} rest)" if item.rest_h > 0 else ""
            table.add_row(
                "leg",
                item.from_name,
                item.to_name,
                item.mode,
                item.ref,
                f"{item.length_km:,.0f}",
                f"{item.time_h:,.1f}{rest}",
                f"{item.cost_usd:,.0f}",
                f"{item.co2_kg:,.0f}",
            )
        else:
            wait = f" (+{item.wait_h:.1f} closed)" if item.wait_h > 0 else ""
            table.add_row(
                item.kind,
                item.name,
                item.detail,
                "",
                "",
                f"@{item.at_km:,.0f}",
                f"{item.time_h:,.1f}{wait}",
                f"{item.cost_usd:,.0f}",
                "",
            )
    table.add_section()
    table.add_row(
        "total",
        "",
        "",
        "",
        "",
        f"{result.length_km:,.0f}",
        f"{result.time_h:,.1f}",
        f"{result.cost_usd:,.0f}",
        f"{result.co2_kg:,.0f}",
    )
    console.print(table)
    line = (
        f"[bold]{result.time_h / 24:.2f} days[/], [bold]${result.cost_usd:,.0f}[/], "
        f"[bold]{result.co2_kg / 1000:.2f} t CO2[/] well-to-wheel "
        f"({result.co2_ttw_kg / 1000:.2f} t tank-to-wheel); drivers' rests {result.rest_h:.1f} h; "
        f"generalised cost ${result.generalized_usd:,.0f}"
    )
    if result.arrive:
        line += f"; depart {result.depart}, arrive [bold]{result.arrive}[/]"
    console.print(line, highlight=False)


def main() -> None:
    """Entry point of the `corridor` command."""
    app(prog_name="corridor")


if __name__ == "__main__":
    main()
