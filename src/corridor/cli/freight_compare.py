"""`corridor freight-compare A B`: freight assignment with border congestion, impacts, appraisal."""

from __future__ import annotations

import functools
import json
import math
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

import corridor
from corridor.cli.common import ForceOpt, JsonOpt, NetworkOpt, console, guard


def _num(v: Any, digits: int = 3) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(x):
        return "–"
    if abs(x) < 1e-6:  # rounding noise of two equilibria
        return "0"
    if abs(x) >= 1e9:
        return f"{x / 1e9:,.{digits}g} bn"
    if abs(x) >= 1e6:
        return f"{x / 1e6:,.{digits}g} M"
    return f"{x:,.{digits}g}"


def _records(frame: Any, n: int | None = None) -> list[dict[str, Any]]:
    shown = frame if n is None else frame.head(n)
    return list(json.loads(shown.to_json(orient="records")))


def _print(tables: dict[str, Any], a: str, b: str, summary: Any | None) -> None:
    cx = tables["freight_crossings"].head(10)
    t = Table(title=f"Border crossings {a} → {b} (largest changes)")
    for col in (
        "crossing",
        "mode",
        "dir",
        "veh/day before",
        "after",
        "queue h before",
        "after",
        "t/yr Δ",
    ):
        t.add_column(col)
    for r in cx.itertuples(index=False):
        veh_b = r.trucks_day_before + r.trains_day_before
        veh_a = r.trucks_day_after + r.trains_day_after
        t.add_row(
            str(r.crossing) + (" (closed)" if r.closed_after else ""),
            str(r.mode),
            str(r.direction),
            _num(veh_b),
            _num(veh_a),
            _num(r.queue_h_before),
            _num(r.queue_h_after),
            _num(r.d_tonnes_year),
        )
    console.print(t)
    imp = tables["freight_impacts"]
    t = Table(title="Freight a year: saved (before − after)")
    for col in ("mode", "commodity", "vehicle-h", "tonne-h", "cost US$", "CO2 WTW t", "induced t"):
        t.add_column(col)
    for r in imp.itertuples(index=False):
        t.add_row(
            str(r.mode),
            str(r.commodity),
            _num(r.saved_vehicle_h_year),
            _num(r.saved_tonne_h_year),
            _num(r.saved_cost_usd_year),
            _num(r.saved_co2_wtw_kg_year / 1000.0),
            _num(r.induced_tonnes_year),
        )
    console.print(t)
    t = Table(title="Appraisal (freight only)")
    for col in ("item", "value", "unit"):
        t.add_column(col)
    for r in tables["appraisal"].itertuples(index=False):
        t.add_row(str(r.item), _num(r.value), str(r.unit))
    console.print(t)
    t = Table(title="Sensitivity")
    for col in ("case", "benefit US$/yr", "NPV US$", "BCR", "first-year return"):
        t.add_column(col)
    for r in tables["appraisal_sensitivity"].itertuples(index=False):
        t.add_row(
            str(r.case),
            _num(r.benefit_usd_year),
            _num(r.npv_usd),
            _num(r.bcr),
            _num(r.first_year_return),
        )
    console.print(t)
    if summary is not None:
        t = Table(title="Monte Carlo: P10 / P50 / P90")
        for col in ("impact", "P10", "P50", "P90"):
            t.add_column(col)
        for r in summary.itertuples(index=False):
            t.add_row(str(r.impact), _num(r.p10), _num(r.p50), _num(r.p90))
        console.print(t)


def freight_compare_cmd(
    base: Annotated[str, typer.Argument(help="Base scenario: bundled name or YAML file.")],
    other: Annotated[str, typer.Argument(help="Other scenario: bundled name or YAML file.")],
    od: Annotated[
        Path | None,
        typer.Option(help="Freight OD table (CSV/Parquet) for both; default: the freight model."),
    ] = None,
    od_after: Annotated[
        Path | None,
        typer.Option("--od-after", help="OD table of the other scenario (default: --od)."),
    ] = None,
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws (0: none).")] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo draws.")] = 0,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler tcp://HOST:PORT for the draws (default: here)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write every table as CSV into this folder.")
    ] = None,
    network: NetworkOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Freight of two scenarios: crossing loads and queues, hours, costs, CO2, appraisal."""
    from corridor.analysis.freight.comparison import (
        compare_freight,
        freight_demand,
        read_od,
        write_tables,
    )
    from corridor.analysis.freight.uncertainty import freight_draws

    if out is not None:
        guard(as_json, lambda: corridor.check_output(out, folder=True, force=force))
    sc_a = guard(as_json, lambda: corridor.resolve_scenario(base))
    sc_b = guard(as_json, lambda: corridor.resolve_scenario(other))
    net_a = guard(as_json, lambda: corridor.scenario_network(sc_a, network))
    net_b = guard(as_json, lambda: corridor.scenario_network(sc_b, network))
    if od is not None:
        od_b = guard(as_json, lambda: read_od(od), field="od")
    else:
        od_b = guard(as_json, lambda: freight_demand(net_a, sc_a), field="od")
    if od_after is not None:
        od_a = guard(as_json, lambda: read_od(od_after), field="od_after")
    elif od is not None:
        od_a = od_b
    else:
        od_a = guard(as_json, lambda: freight_demand(net_b, sc_b), field="od")
    with console.status("assigning freight", spinner="dots") if not as_json else nullcontext():
        tables = guard(
            as_json,
            lambda: compare_freight(net_a, net_b, sc_a, sc_b, od_before=od_b, od_after=od_a),
        )
    summary = None
    if draws > 0:
        runner = None
        make_a: Any = net_a
        make_b: Any = net_b
        if scheduler is not None:  # networks do not pickle: tasks build them from the scenarios
            from corridor.distributed.sweep import sweep

            runner = functools.partial(sweep, scheduler=scheduler)
            path = None if network is None else str(network)
            make_a = functools.partial(corridor.scenario_network, sc_a, path)
            make_b = functools.partial(corridor.scenario_network, sc_b, path)
        draw_table, summary = guard(
            as_json,
            lambda: freight_draws(
                make_a, make_b, od_b, od_a, sc_a, sc_b, n=draws, seed=seed, runner=runner
            ),
        )
        tables = {**tables, "draws": draw_table, "draws_summary": summary}
    written = None
    if out is not None:
        written = guard(as_json, lambda: write_tables(tables, out, force=force))
    if as_json:
        payload = {
            "base": sc_a.name,
            "other": sc_b.name,
            "freight_crossings": _records(tables["freight_crossings"], 20),
            "freight_impacts": _records(tables["freight_impacts"]),
            "freight_by_commodity_mode": _records(tables["freight_by_commodity_mode"]),
            "appraisal": _records(tables["appraisal"]),
            "appraisal_sensitivity": _records(tables["appraisal_sensitivity"]),
            "freight_validation": _records(tables["freight_validation"]),
            "draws_summary": _records(summary) if summary is not None else None,
            "out": str(written) if written else None,
        }
        print(json.dumps(payload, indent=2))
        return
    _print(tables, sc_a.name, sc_b.name, summary)
    if written is not None:
        console.print(f"tables: [bold]{written}[/]")
