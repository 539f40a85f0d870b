"""Tables and summary lines for routes, route sets and their reliability."""

from __future__ import annotations

import math

from rich.markup import escape
from rich.table import Table

import corridor
from corridor.cli.common import console

__all__ = ["print_reliability", "print_route", "print_route_set"]

# a route's objective, as its table title says it
_GOAL = {
    "time": "fastest",
    "distance": "shortest",
    "cost": "cheapest",
    "co2": "least CO2",
    "generalized": "least generalised cost",
}


def _goal(optimize: str) -> str:
    return _GOAL.get(str(optimize), f"least {optimize}")


def _places(total: float, steps: tuple[tuple[float, int], ...]) -> int:
    """Decimal places for a column whose total is `total`: the first step it reaches."""
    return next((d for bound, d in steps if abs(total) >= bound), steps[-1][1] + 1)


def print_route(result: corridor.Route, title: str | None = None) -> None:
    """Print a route as a table of legs and stops with totals.

    Parameters
    ----------
    result
        The route.
    title
        Table title; default ``origin → destination (profile, least ...)``.

    Notes
    -----
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
            or f"{result.origin_name} → {result.destination_name} ({_goal(result.optimize)})"
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
        f"({result.profile}, {_goal(result.optimize)})"
    )
    cols = ("step", "from / at", "to / detail", "mode", "ref", "km", "time_h", "cost_usd")
    for col in (*cols, "co2_kg"):
        table.add_column(
            col, justify="right" if col in ("km", "time_h", "cost_usd", "co2_kg") else "left"
        )
    for item in result.sequence():
        if isinstance(item, corridor.Leg):
            # what the leg's time_h holds besides moving, in words a planner reads
            held = [f"{item.breaks_h:.1f} h breaks"] if item.breaks_h > 0 else []
            apart = ""
            if item.overnight_h > 0 and result.excludes_overnight:
                apart = f" +{item.overnight_h:.1f} h overnight"
            elif item.overnight_h > 0:
                held.append(f"{item.overnight_h:.1f} h overnight")
            rest = (f" (incl. {', '.join(held)})" if held else "") + apart
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
        f"generalised cost ${result.generalized_usd:,.0f}"
    )
    split = Table(title=f"time_h = {result.time_definition}", title_justify="left")
    names = ("time_h", "driving_h", "moving_h", "breaks_h", "overnight_h", "waiting_h")
    for col in (*names, "elapsed_h"):
        split.add_column(col, justify="right")
    split.add_row(
        *(hours(getattr(result, name)) for name in (*names, "elapsed_h")),
    )
    if result.arrive:
        line += f"; depart {result.depart}, arrive [bold]{result.arrive}[/]"
    console.print(line, highlight=False)
    console.print(split)
    _print_formalities(result)


def _print_formalities(result: corridor.Route) -> None:
    """One line per border crossing with the visa and documents it takes."""
    for s in result.stops:
        if s.kind == "border_crossing" and s.formalities:
            # the text holds "[assumption]" marks: escaped, or rich would take them for markup
            text = f"[bold]{escape(s.name)}[/] ({escape(s.detail)}): {escape(s.formalities)}"
            console.print(text, highlight=False)


def print_reliability(rel: corridor.Reliability) -> None:
    """Print Monte Carlo quantiles of a route's door-to-door time.

    Parameters
    ----------
    rel
        What :func:`corridor.reliability` found for the route.
    """
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


def print_route_set(
    found: list[corridor.Route], method: str, rel: list[corridor.Reliability]
) -> None:
    """Print alternatives or a Pareto set as one table, one row per route.

    Parameters
    ----------
    found
        The routes, in the order to number them.
    method
        How they were found; printed under the table.
    rel
        Reliability of each route, or empty to leave the P50/P90 columns out.
    """
    if not found:
        return
    first = found[0]
    table = Table(title=f"{first.origin_name} → {first.destination_name} ({first.profile})")
    cols = ["#", "modes", "via (crossings, gauge changes)", "km", "days", "night_h", "cost_usd"]
    cols.append("t_co2")
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
            f"{r.overnight_h:.1f}",
            f"{r.cost_usd:,.0f}",
            f"{r.co2_kg / 1000:.2f}",
        ]
        if rel:
            row += [f"{rel[i - 1].p50_h / 24:.2f}", f"{rel[i - 1].p90_h / 24:.2f}"]
        table.add_row(*row)
    console.print(table)
    console.print(f"days = time_h / 24, time_h = {first.time_definition}", highlight=False)
    console.print(method, highlight=False)
