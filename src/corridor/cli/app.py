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
        OptimizeChoice, typer.Option(help="What to minimise.")
    ] = OptimizeChoice.time,
    as_json: JsonOpt = False,
) -> None:
    """The least-time (or least-distance) route between two places."""
    net: corridor.Network = _guard(as_json, lambda: load_network(network))
    result: corridor.Route = _guard(
        as_json,
        lambda: corridor.route(net, origin, destination, modes=mode.value, optimize=optimize.value),
    )
    if as_json:
        print(json.dumps(result.to_dict()))
        return
    print_route(result)


def print_route(result: corridor.Route) -> None:
    """Print a route as a table of legs with totals."""
    table = Table(
        title=f"{result.origin_name} → {result.destination_name} (least {result.optimize})"
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


def main() -> None:
    """Entry point of the `corridor` command."""
    app(prog_name="corridor")


if __name__ == "__main__":
    main()
