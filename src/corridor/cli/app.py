"""The `corridor` command line: a thin layer over the public API."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

import corridor
from corridor.cli.common import (
    JsonOpt,
    NetworkOpt,
    console,
    err_console,
    load_network,
)
from corridor.cli.common import fail as _fail
from corridor.cli.common import guard as _guard

__all__ = [
    "JsonOpt",
    "NetworkOpt",
    "_fail",
    "_guard",
    "app",
    "console",
    "err_console",
    "load_network",
    "main",
]

app = typer.Typer(
    name="corridor",
    help="Eurasia's transit-transport corridors, computable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


@app.command()
def info(network: NetworkOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of nodes and links by mode, country and kind; crossings and turn restrictions."""
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
        "border_crossings": int((nodes["kind"] == "border_crossing").sum()),
        "crossing_rows": len(net.crossings),
        "turn_restrictions": len(net.turns),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    console.print(
        f"[bold]{net.name}[/]: {len(nodes):,} nodes, {len(links):,} links, "
        f"{summary['border_crossings']:,} border crossings ({summary['crossing_rows']:,} "
        f"mode/direction rows), {summary['turn_restrictions']:,} turn restrictions"
    )
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
    alternatives: Annotated[
        int, typer.Option(help="Give up to N materially different routes (needs --profile).")
    ] = 0,
    pareto: Annotated[
        bool, typer.Option("--pareto", help="Give the non-dominated set over time, cost, CO2.")
    ] = False,
    reliability: Annotated[
        bool,
        typer.Option(
            "--reliability", help="P50/P90 arrival with random crossing delays (Monte Carlo)."
        ),
    ] = False,
    similarity: Annotated[
        float, typer.Option(help="--alternatives: largest shared share of the shorter route.")
    ] = 0.6,
    tolerance: Annotated[
        float, typer.Option(help="--pareto: relative dominance tolerance (0 = exact set).")
    ] = 0.0,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Use the network as it stood on this date (YYYY-MM-DD)."),
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws for --reliability.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed for --reliability.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """The least-cost route between two places, with its legs, stops and totals."""
    net: corridor.Network = _guard(as_json, lambda: load_network(network))
    if as_of is not None:
        net = _guard(as_json, lambda: _as_of(net, as_of))
    goal = optimize.value if optimize else ("cost" if profile else "time")
    if (alternatives or pareto or reliability) and profile is None:
        _fail("--alternatives, --pareto and --reliability need --profile", as_json)
    if alternatives < 0:
        _fail("--alternatives must be >= 0", as_json)
    found: list[corridor.Route]
    method = ""
    if pareto or alternatives:
        prof = profile or ""  # not None: checked above
        if pareto:
            rs: corridor.RouteSet = _guard(
                as_json,
                lambda: corridor.pareto(
                    net,
                    origin,
                    destination,
                    profile=prof,
                    modes=mode.value,
                    depart=depart,
                    tolerance=tolerance,
                ),
            )
        else:
            rs = _guard(
                as_json,
                lambda: corridor.alternatives(
                    net,
                    origin,
                    destination,
                    profile=prof,
                    k=alternatives,
                    optimize=goal,
                    max_similarity=similarity,
                    modes=mode.value,
                    depart=depart,
                ),
            )
        found, method = list(rs.routes), rs.method
    else:
        found = [
            _guard(
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
        ]
    rel: list[Any] = []
    if reliability:
        rel = [_reliability(r, draws, seed, as_json) for r in found]
    if as_json:
        dicts = [r.to_dict() for r in found]
        for d, x in zip(dicts, rel, strict=False):
            d["reliability"] = x.to_dict()
        if pareto or alternatives:
            print(json.dumps({"routes": dicts, "method": method}))
        else:
            print(json.dumps(dicts[0]))
        return
    if pareto or alternatives:
        print_route_set(found, method, rel)
        return
    print_route(found[0])
    if rel:
        print_reliability(rel[0])


def _places(total: float, steps: tuple[tuple[float, int], ...]) -> int:
    """Decimal places for a column whose total is `total`: the first step it reaches."""
    return next((d for bound, d in steps if abs(total) >= bound), steps[-1][1] + 1)


def print_route(result: corridor.Route, title: str | None = None) -> None:
    """Print a route as a table of legs and stops with totals.

    Corridor-scale routes show whole km and tenths of an hour; street-scale ones (an
    imported city) get more decimals, so their legs do not all read 0.
    """
    dk = _places(result.length_km, ((100.0, 0), (10.0, 1), (0.0, 2)))
    dh = _places(result.time_h, ((1.0, 1), (0.0, 3)))
    du = _places(result.cost_usd, ((10.0, 0), (0.0, 2)))
    dc = _places(result.co2_kg, ((10.0, 0), (0.0, 2)))

    def km(x: float) -> str:
        return f"{x:,.{dk}f}"

    def hours(x: float) -> str:
        return f"{x:,.{dh}f}"

    def usd(x: float) -> str:
        return f"{x:,.{du}f}"

    def kg(x: float) -> str:
        return f"{x:,.{dc}f}"

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
                km(leg.length_km),
                hours(leg.time_h),
            )
        table.add_section()
        table.add_row("total", "", "", "", "", km(result.length_km), hours(result.time_h))
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
                km(item.length_km),
                hours(item.time_h) + rest,
                usd(item.cost_usd),
                kg(item.co2_kg),
            )
        else:
            wait = f" (+{item.wait_h:.1f} closed)" if item.wait_h > 0 else ""
            table.add_row(
                item.kind,
                item.name,
                item.detail,
                "",
                "",
                "@" + km(item.at_km),
                hours(item.time_h) + wait,
                usd(item.cost_usd),
                "",
            )
    table.add_section()
    table.add_row(
        "total",
        "",
        "",
        "",
        "",
        km(result.length_km),
        hours(result.time_h),
        usd(result.cost_usd),
        kg(result.co2_kg),
    )
    console.print(table)
    per_t = "" if math.isnan(result.cargo_t) else f" (${result.cost_usd / result.cargo_t:,.0f}/t)"
    # street-scale trips read in minutes, cents and kilograms; corridor-scale in days,
    # dollars and tonnes
    span = (
        f"{result.time_h * 60:.1f} min" if result.time_h < 1 else f"{result.time_h / 24:.2f} days"
    )
    money = usd(result.cost_usd)
    if result.co2_kg < 10:
        co2 = f"{result.co2_kg:.2f} kg CO2[/] well-to-wheel ({result.co2_ttw_kg:.2f} kg"
    else:
        co2 = f"{result.co2_kg / 1000:.2f} t CO2[/] well-to-wheel ({result.co2_ttw_kg / 1000:.2f} t"
    line = (
        f"[bold]{span}[/], [bold]${money}[/]{per_t}, [bold]{co2} tank-to-wheel); "
        f"drivers' rests {result.rest_h:.1f} h; generalised cost ${result.generalized_usd:,.0f}"
    )
    if result.arrive:
        line += f"; depart {result.depart}, arrive [bold]{result.arrive}[/]"
    console.print(line, highlight=False)


def _as_of(net: corridor.Network, when: str) -> corridor.Network:
    try:
        return net.as_of(when)
    except (ValueError, TypeError):
        raise corridor.ValidationError(f"cannot read date {when!r}; use YYYY-MM-DD") from None


def _reliability(r: corridor.Route, draws: int, seed: int, as_json: bool) -> Any:
    return _guard(as_json, lambda: corridor.reliability(r, n=draws, seed=seed))


def print_reliability(rel: Any) -> None:
    """Print Monte Carlo quantiles of a route's door-to-door time."""
    line = (
        f"reliability ({rel.n:,} draws, seed {rel.seed}): P50 {rel.p50_h:,.1f} h "
        f"({rel.p50_h / 24:.2f} d), P90 {rel.p90_h:,.1f} h ({rel.p90_h / 24:.2f} d)"
    )
    if rel.p50_arrive:
        line += f"; arrive P50 {rel.p50_arrive}, P90 {rel.p90_arrive}"
    console.print(line, highlight=False)


def _via(r: corridor.Route) -> str:
    """Crossings in order, with gauge changes marked on their place."""
    names: list[str] = []
    last = ""
    for s in r.stops:
        if s.kind == "border_crossing":
            names.append(s.name)
            last = s.name
        elif s.kind == "gauge_change":
            if s.name == last:
                names[-1] += " (gauge change)"
            else:
                names.append(f"{s.name} (gauge change)")
            last = ""
    return ", ".join(names) or "-"


def print_route_set(found: list[corridor.Route], method: str, rel: list[Any]) -> None:
    """Print alternatives or a Pareto set as one table, one row per route."""
    if not found:
        return
    first = found[0]
    table = Table(title=f"{first.origin_name} → {first.destination_name} ({first.profile})")
    cols = ["#", "modes", "via (crossings, gauge changes)", "km", "days", "cost_usd", "t_co2"]
    if rel:
        cols += ["P50_d", "P90_d"]
    for col in cols:
        table.add_column(
            col, justify="left" if col in ("modes", "via (crossings, gauge changes)") else "right"
        )
    for i, r in enumerate(found, start=1):
        modes = "+".join(dict.fromkeys(leg.mode for leg in r.legs))
        row = [
            str(i),
            modes,
            _via(r),
            f"{r.length_km:,.0f}",
            f"{r.time_h / 24:.2f}",
            f"{r.cost_usd:,.0f}",
            f"{r.co2_kg / 1000:.2f}",
        ]
        if rel:
            row += [f"{rel[i - 1].p50_h / 24:.2f}", f"{rel[i - 1].p90_h / 24:.2f}"]
        table.add_row(*row)
    console.print(table)
    console.print(method, highlight=False)


from corridor.cli.costs import register as _register_cost_commands  # noqa: E402

_register_cost_commands(app)

from corridor.cli.assign import assign_cmd  # noqa: E402

app.command("assign")(assign_cmd)

from corridor.cli.data import data_app, map_cmd  # noqa: E402

app.add_typer(data_app, name="data")
app.command("map")(map_cmd)

from corridor.cli.scenario import scenario_app  # noqa: E402

app.add_typer(scenario_app, name="scenario")

from corridor.cli.osm import import_app  # noqa: E402

app.add_typer(import_app, name="import")

from corridor.cli.gtfs import trip_cmd  # noqa: E402

app.command("trip")(trip_cmd)

from corridor.cli.export import export_cmd  # noqa: E402

app.command("export")(export_cmd)

from corridor.cli.skim import register as _register_skim_commands  # noqa: E402

_register_skim_commands(app)

from corridor.cli.serve import serve_cmd  # noqa: E402

app.command("serve")(serve_cmd)


def main() -> None:
    """Entry point of the `corridor` command."""
    app(prog_name="corridor")


if __name__ == "__main__":
    main()
