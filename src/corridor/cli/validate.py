"""`corridor validate`: the model against the shipped table of published figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer

import corridor
from corridor.cli.common import JsonOpt, NetworkOpt, WideOpt, console, guard, load_network
from corridor.cli.render import Col, fit_table, print_fit

__all__ = ["validate_cmd"]

_MARK = {
    "pass": "[green]pass[/]",
    "miss": "[bold red]MISS[/]",
    "known": "[yellow]known[/]",
    "known-passes": "[cyan]known, passes[/]",
}


def _num(value: float) -> str:
    if math.isnan(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 10 else f"{value:,.1f}"


def _why(c: corridor.FigureCheck) -> str:
    """Why a figure is not a plain pass: the query's problem and/or the table's mark."""
    parts = [p for p in (c.problem, c.figure.known_discrepancy or "") if p]
    return ". ".join(p[:1].upper() + p[1:] for p in parts)


def _print(result: corridor.Validation, details: bool, wide: bool = False) -> None:
    """The answer in words, one row per figure, then what a human should act on."""
    console.print(f"[bold]{result.summary()}[/]", highlight=False)
    parts = [f"{k} {w}/{n}" for k, (w, n) in result.by_metric().items()]
    console.print("within their band, by measure: " + ", ".join(parts), highlight=False)
    cols = [
        Col("figure"),
        Col("what", keep=20),
        Col("published", right=True, keep=30),
        Col("band", right=True),
        Col("model", right=True),
        Col("Δ %", right=True, keep=25),
        Col("result", markup=True),
    ]
    rows = []
    for c in result.checks:
        f = c.figure
        dev = c.deviation_pct
        rows.append(
            [
                f.id,
                f.what.value,
                _num(f.published),
                f"{_num(f.band.low)} – {_num(f.band.high)}",
                _num(c.observed),
                "-" if math.isnan(dev) else f"{dev:+.0f}",
                _MARK[c.status.value],
            ]
        )
    title = f"{result.network}: the model against {len(result.checks)} published figures"
    print_fit(*fit_table(cols, rows, title=title, wide=wide))
    for c in result.checks:
        status = c.status.value
        if status == "miss":
            console.print(
                f"[red]miss[/] {c.figure.id}: {c.figure.query.describe()} -> "
                f"{c.route or '-'}; {c.problem or 'outside the band'}; "
                f"source: {c.figure.source}",
                highlight=False,
            )
        elif details and status != "pass":
            console.print(f"[yellow]{status}[/] {c.figure.id}: {_why(c)}", highlight=False)
    if result.now_passing:
        console.print(
            "[cyan]now within their band, marked as known discrepancies:[/] "
            + ", ".join(result.now_passing)
            + " (remove `known_discrepancy` from these rows of the table)",
            highlight=False,
        )
    elif not details and result.count("known"):
        console.print("--details gives the reason for each known discrepancy", style="dim")


def validate_cmd(
    network: NetworkOpt = None,
    table: Annotated[
        Path | None,
        typer.Option(
            "--table",
            help="A YAML table of published figures; default: the one shipped with corridor.",
        ),
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="Give the reason for every known discrepancy.")
    ] = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Check the model against published figures; exit 1 if any figure is a miss.

    Known discrepancies do not fail the run; those that now pass are listed for unmarking.
    """
    net = guard(as_json, lambda: load_network(network))
    result = guard(as_json, lambda: corridor.validate_published(net, table))
    if as_json:
        print(json.dumps(result.to_dict()))
    else:
        _print(result, details, wide)
    if not result.ok:
        raise typer.Exit(1)
