"""Tables and summary lines for routes, route sets and their reliability."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

import corridor
from corridor.cli.common import console

__all__ = [
    "Col",
    "fit_table",
    "plain",
    "print_fit",
    "print_reliability",
    "print_route",
    "print_route_set",
]

# a route's objective, as its table title says it
_GOAL = {
    "time": "fastest",
    "distance": "shortest",
    "cost": "cheapest",
    "co2": "least CO2",
    "generalized": "least generalised cost",
}


# -- tables that fit the terminal ---------------------------------------------------------
@dataclass(frozen=True)
class Col:
    """One column of a :func:`fit_table`.

    Attributes
    ----------
    header
        Its heading (a unit in the name: ``time_h``); words are never split.
    right
        Right-justified (numbers).
    keep
        Drop order when the terminal is narrow: lower goes first; ``inf`` never goes.
    markup
        Cells hold rich markup (``[green]pass[/]``); measured and shown as styled.
    """

    header: str
    right: bool = False
    keep: float = math.inf
    markup: bool = False


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def fit_table(
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    wide: bool = False,
    sections: Sequence[int] = (),
    width: int | None = None,
) -> tuple[Table, list[str], int]:
    """A table whose cells wrap only between words, dropping columns that do not fit.

    Parameters
    ----------
    cols
        The columns, in order.
    rows
        Their cells, already formatted.
    title
        Table title.
    wide
        Keep every column and print at the table's full width (``--wide``).
    sections
        Row indices before which a rule is drawn (e.g. the total row).
    width
        The width to fit (default: the console's, which follows ``COLUMNS``).

    Returns
    -------
    tuple
        The table, the headers of dropped columns (empty with `wide`), and the width to
        print it at.
    """
    avail = width or console.width
    n = len(cols)
    shown = [
        [Text.from_markup(c).plain if cols[i].markup else c for i, c in enumerate(r)] for r in rows
    ]
    words = [
        max([_longest_word(cols[i].header), *(_longest_word(r[i]) for r in shown)])
        for i in range(n)
    ]
    full = [max([len(cols[i].header), *(len(r[i]) for r in shown)]) for i in range(n)]
    keep = list(range(n))

    def need(idx: list[int], sizes: list[int]) -> int:
        # box.SIMPLE_HEAD without edges: one space either side of each inner separator
        return sum(sizes[i] for i in idx) + 3 * max(len(idx) - 1, 0)

    def droppable(limit: float) -> list[int]:
        return [i for i in keep if cols[i].keep < limit]

    if not wide:
        # columns of little weight (keep < 30) go while the table cannot show whole
        # cells; any other column goes only while the unbreakable words do not fit
        while need(keep, full) > avail and droppable(30):
            keep.remove(min(droppable(30), key=lambda i: cols[i].keep))
        while need(keep, words) > avail and droppable(math.inf):
            keep.remove(min(droppable(math.inf), key=lambda i: cols[i].keep))
    # each kept column gets its longest word, then a share of the room left, up to its
    # longest cell; rich is given these widths, so it never splits a word
    sizes = {i: (full[i] if wide else words[i]) for i in keep}
    room = avail - need(keep, [sizes.get(i, 0) for i in range(n)])
    if not wide:
        # the columns that never drop (names, times) widen first, then the rest
        for i in sorted(keep, key=lambda i: -cols[i].keep):
            add = min(full[i] - sizes[i], room)
            if add > 0:
                sizes[i] += add
                room -= add
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for i in keep:
        table.add_column(
            cols[i].header,
            justify="right" if cols[i].right else "left",
            width=sizes[i],
            overflow="fold",
        )
    starts = set(sections)
    for k, r in enumerate(rows):
        if k in starts:
            table.add_section()
        table.add_row(*(r[i] if cols[i].markup else escape(r[i]) for i in keep))
    dropped = [cols[i].header for i in range(n) if i not in keep]
    if not wide:
        return table, dropped, avail
    return table, dropped, max(avail, need(keep, [sizes.get(i, 0) for i in range(n)]))


def print_fit(table: Table, dropped: list[str], width: int) -> None:
    """Print a :func:`fit_table` result, saying which columns it left out."""
    if width > console.width:  # --wide: print past the terminal's edge, unwrapped
        saved = console.width
        console.width = width
        try:
            console.print(table, crop=False)
        finally:
            console.width = saved
    else:
        console.print(table)
    if dropped:
        console.print(
            f"[dim]({', '.join(dropped)} left out at {console.width} columns; --wide shows"
            " them)[/]",
            highlight=False,
        )


# stop kinds and directions in the words a planner uses
_KIND = {"border_crossing": "border", "gauge_change": "gauge change"}
_DIRECTION = re.compile(r"\b(?:a_to_b|b_to_a|either)\s*")


def plain(text: str) -> str:
    """Internal shorthand in words: ``rail b_to_a CN->KZ`` reads ``rail CN → KZ``."""
    return re.sub(r"\s*->\s*", " → ", _DIRECTION.sub("", text)).strip()


def _kind(kind: str) -> str:
    return _KIND.get(kind, kind.replace("_", " "))


def _goal(optimize: str) -> str:
    return _GOAL.get(str(optimize), f"least {optimize}")


def _places(total: float, steps: tuple[tuple[float, int], ...]) -> int:
    """Decimal places for a column whose total is `total`: the first step it reaches."""
    return next((d for bound, d in steps if abs(total) >= bound), steps[-1][1] + 1)


def print_route(result: corridor.Route, title: str | None = None, *, wide: bool = False) -> None:
    """Print a route as a table of legs and stops with totals.

    Parameters
    ----------
    result
        The route.
    title
        Table title; default ``origin → destination (profile, least ...)``.
    wide
        Keep every column whatever the terminal's width (``--wide``).

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

    goal = _goal(result.optimize)
    if result.profile is None:
        cols = [
            Col("from"),
            Col("to"),
            Col("mode", keep=30),
            Col("ref", keep=20),
            Col("name", keep=10),
            Col("length_km", right=True),
            Col("time_h", right=True),
        ]
        rows = [
            [
                leg.from_name,
                leg.to_name,
                leg.mode,
                leg.ref,
                leg.name,
                km(leg.length_km),
                hours(leg.time_h),
            ]
            for leg in result.legs
        ]
        rows.append(["total", "", "", "", "", km(result.length_km), hours(result.time_h)])
        title = title or f"{result.origin_name} → {result.destination_name} ({goal})"
        print_fit(*fit_table(cols, rows, title=title, wide=wide, sections=[len(rows) - 1]))
        console.print(f"time_h = {escape(result.time_definition)}", highlight=False)
        return
    cols = [
        Col("step"),
        Col("from / at"),
        Col("to / detail"),
        Col("mode", keep=30),
        Col("ref", keep=20),
        Col("km", right=True, keep=50),
        Col("time_h", right=True),
        Col("cost_usd", right=True, keep=40),
        Col("co2_kg", right=True, keep=10),
    ]
    rows = []
    for item in result.sequence():
        if isinstance(item, corridor.Leg):
            # what the leg's time_h holds besides moving, in words a planner reads
            held = [f"{item.breaks_h:.1f} h breaks"] if item.breaks_h > 0 else []
            apart = ""
            if item.overnight_h > 0 and result.excludes_overnight:
                apart = f" (overnight {item.overnight_h:.1f} h apart)"
            elif item.overnight_h > 0:
                held.append(f"{item.overnight_h:.1f} h overnight")
            rest = (f" (incl. {', '.join(held)})" if held else "") + apart
            rows.append(
                [
                    "leg",
                    item.from_name,
                    item.to_name,
                    item.mode,
                    item.ref,
                    km(item.length_km),
                    hours(item.time_h) + rest,
                    usd(item.cost_usd),
                    kg(item.co2_kg),
                ]
            )
        else:
            wait = f" (waits {item.wait_h:.1f} h: closed)" if item.wait_h > 0 else ""
            rows.append(
                [
                    _kind(item.kind),
                    item.name,
                    plain(item.detail),
                    "",
                    "",
                    "at km " + km(item.at_km),
                    hours(item.time_h) + wait,
                    usd(item.cost_usd),
                    "",
                ]
            )
    rows.append(
        [
            "total",
            "",
            "",
            "",
            "",
            km(result.length_km),
            hours(result.time_h),
            usd(result.cost_usd),
            kg(result.co2_kg),
        ]
    )
    title = title or (
        f"{result.origin_name} → {result.destination_name} ({result.profile}, {goal})"
    )
    print_fit(*fit_table(cols, rows, title=title, wide=wide, sections=[len(rows) - 1]))
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
    if result.arrive:
        line += f"; depart {result.depart}, arrive [bold]{result.arrive}[/]"
    console.print(line, highlight=False)
    # the split of time_h as a sentence: it wraps between words at any width
    parts = [
        f"driving {hours(result.driving_h)} h",
        f"moving {hours(result.moving_h)} h",
        f"breaks {hours(result.breaks_h)} h",
        f"waiting {hours(result.waiting_h)} h",
    ]
    overnight = f"overnight rests {hours(result.overnight_h)} h"
    if result.excludes_overnight:
        parts_text = " + ".join(parts) + f"; {overnight} apart"
    else:
        parts_text = " + ".join([*parts, overnight])
    console.print(
        f"time_h {hours(result.time_h)} = {parts_text}; elapsed {hours(result.elapsed_h)} h"
        f" door to door. [dim]time_h = {escape(result.time_definition)}[/]",
        highlight=False,
    )
    _print_formalities(result)


def _print_formalities(result: corridor.Route) -> None:
    """One line per border crossing with the visa and documents it takes."""
    for s in result.stops:
        if s.kind == "border_crossing" and s.formalities:
            # the text holds "[assumption]" marks: escaped, or rich would take them for markup
            text = f"[bold]{escape(s.name)}[/] ({escape(plain(s.detail))}): {escape(s.formalities)}"
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
    found: list[corridor.Route],
    method: str,
    rel: list[corridor.Reliability],
    *,
    wide: bool = False,
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
    wide
        Keep every column whatever the terminal's width (``--wide``).
    """
    if not found:
        return
    first = found[0]
    cols = [
        Col("#", right=True),
        Col("modes", keep=30),
        Col("via (crossings, gauge changes)"),
        Col("km", right=True, keep=40),
        Col("days", right=True),
        Col("night_h", right=True, keep=20),
        Col("cost_usd", right=True),
        Col("t_co2", right=True, keep=10),
    ]
    if rel:
        cols += [Col("P50_d", right=True, keep=25), Col("P90_d", right=True, keep=26)]
    rows = []
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
        rows.append(row)
    title = f"{first.origin_name} → {first.destination_name} ({first.profile})"
    print_fit(*fit_table(cols, rows, title=title, wide=wide))
    console.print(f"days = time_h / 24, time_h = {escape(first.time_definition)}", highlight=False)
    console.print(escape(method), highlight=False)
