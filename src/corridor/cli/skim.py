"""`corridor skim`, `corridor isochrone` and `corridor accessibility`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

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
    fail,
    guard,
    load_network,
)
from corridor.cli.render import Col, fit_table, print_fit

__all__ = ["accessibility_cmd", "isochrone_cmd", "skim_cmd"]

ModeOpt = Annotated[str, typer.Option("--mode", help="Modes to use: road, rail, ferry or any.")]

_COSTS = {"time": "time_h", "distance": "length_km"}
_DEFAULT_HOURS = ",".join(f"{h:g}" for h in corridor.defaults.ISOCHRONE_HOURS)
# a profile skim's matrices shown in the terminal (--json and --out carry them all)
_SHOWN = ("time_h", "length_km", "cost_usd", "co2_kg")


def _split(values: list[str]) -> list[str]:
    """Repeated options and comma-separated lists alike."""
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _hours(text: str, as_json: bool) -> list[float]:
    try:
        hours = [float(x) for x in _split([text])]
    except ValueError:
        fail(f"--hours must be numbers separated by commas, got {text!r}", as_json)
    if not hours or not all(x > 0 and math.isfinite(x) for x in hours):
        fail(f"--hours must be positive numbers, got {text!r}", as_json)
    return hours


def _json_matrix(arr: Any) -> list[list[float | None]]:
    return [[float(x) if math.isfinite(x) else None for x in row] for row in arr.tolist()]


def _definition(result: corridor.Skim) -> str:
    """What the skim's time_h counts: a profile skim names it in its method; a network
    skim sums free-flow link times."""
    _, _, named = result.method.partition("time_h = ")
    return named or "free-flow link time (no profile: no breaks, rests or stops)"


def skim_cmd(
    origins: Annotated[list[str], typer.Argument(help="Origin place names or node ids.")],
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Destinations (repeat or comma-separate); default: origins."),
    ] = None,
    cost: Annotated[
        str | None,
        typer.Option(
            help="What to minimise: time, distance or a numeric links column (default "
            "time); with --profile time, distance, cost, co2 or generalized (default)."
        ),
    ] = None,
    sums: Annotated[
        list[str] | None,
        typer.Option(
            "--sum", help="Link attributes summed along the paths (repeat); default length_km."
        ),
    ] = None,
    mode: ModeOpt = "any",
    method: Annotated[str, typer.Option(help="auto (ch from 800 zones), dijkstra or ch.")] = "auto",
    out: Annotated[
        Path | None, typer.Option(help="Write the matrices to .omx, .parquet or .csv.")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run blocks of origins on a Dask cluster at tcp://HOST:PORT."),
    ] = None,
    network: NetworkOpt = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            help="Skim each pair's route for this profile (time_h as `route` reports it, "
            "with its split); --cost then names the objective (default generalized).",
        ),
    ] = None,
    force: ForceOpt = False,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="Full place names as column heads, and with --profile every matrix"
            " (default: time_h, length_km, cost_usd, co2_kg).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Least-cost matrix between places, with distance (or other attributes) along the paths."""
    if out is not None:
        guard(as_json, lambda: corridor.check_output(out, folder=False, force=force))
    net = guard(as_json, lambda: load_network(network))
    metric = _COSTS.get(cost or "time", cost or "time")
    extra = _split(sums) if sums else ["length_km"]
    orig = _split(origins)
    dest = _split(to) if to else None
    if profile is not None:
        if scheduler:
            fail("--profile skims run locally; drop --scheduler", as_json)
        goal = cost or "generalized"
        result: corridor.Skim = guard(
            as_json,
            lambda: corridor.profile_skim(net, orig, dest, profile=profile, optimize=goal),
        )
    elif scheduler:

        def run() -> corridor.Skim:
            return corridor.skim_distributed(
                net,
                orig,
                dest,
                scheduler=scheduler,
                cost=metric,
                modes=mode,
                sums=extra,
                method=method,
            )

        result = guard(as_json, run)
    else:
        result = guard(
            as_json,
            lambda: corridor.skim(
                net, orig, dest, cost=metric, modes=mode, sums=extra, method=method
            ),
        )
    names = net.nodes.set_index("node_id")["name"]
    if out is not None:
        labels = dict(
            zip(names.index.astype(int).tolist(), names.astype(str).tolist(), strict=True)
        )
        guard(as_json, lambda: corridor.write_skim(result, out, names=labels, force=force))
    if as_json:
        print(
            json.dumps(
                {
                    "metric": result.metric,
                    "method": result.method,
                    "time_definition": _definition(result),
                    "origins": [{"node_id": int(i), "name": str(names[i])} for i in result.origins],
                    "destinations": [
                        {"node_id": int(i), "name": str(names[i])} for i in result.destinations
                    ],
                    "matrices": {k: _json_matrix(v) for k, v in result.matrices().items()},
                    "out": None if out is None else str(out),
                }
            )
        )
        return
    shown = result.matrices()
    if profile is not None and not wide:
        shown = {k: v for k, v in shown.items() if k in _SHOWN}
    for name, mat in shown.items():
        if mat.shape[1] > 12:
            console.print(f"{name}: {mat.shape[0]} x {mat.shape[1]} (too wide to print; use --out)")
            continue
        how = result.method.partition("; time_h = ")[0]
        title = f"{name} ({how})"
        dest_names = [str(names[d]) for d in result.destinations]
        cells = [
            [str(names[o]), *[f"{x:,.1f}" if math.isfinite(x) else "-" for x in mat[i]]]
            for i, o in enumerate(result.origins)
        ]
        cols = [
            Col("from \\ to"),
            *(Col(n, right=True, keep=1000 - k) for k, n in enumerate(dest_names)),
        ]
        table, dropped, width = fit_table(cols, cells, title=title, wide=wide)
        legend = ""
        if dropped:
            # too many names for the width: number the columns and say which is which
            cols = [Col("from \\ to"), *(Col(str(k), right=True) for k in range(1, len(cols)))]
            table, dropped, width = fit_table(cols, cells, title=title, wide=wide)
            legend = "columns: " + ", ".join(f"{k} {n}" for k, n in enumerate(dest_names, 1))
        print_fit(table, dropped, width)
        if legend:
            console.print(escape(legend), highlight=False)
        if name == "time_h":
            console.print(f"time_h = {escape(_definition(result))}", highlight=False)
    if out is not None:
        console.print(f"wrote {out}", highlight=False)


def isochrone_cmd(
    origin: Annotated[str, typer.Argument(help="Place name or node id.")],
    hours: Annotated[
        str, typer.Option(help="Thresholds in hours, comma-separated.")
    ] = _DEFAULT_HOURS,
    mode: ModeOpt = "road",
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            help="Time each place's route for this profile, as `route` does (border"
            " crossings, breaks and rests included); default: free-flow link times.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write a self-contained HTML map (works offline).")
    ] = None,
    network: NetworkOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Places reachable from ORIGIN within each number of hours, as a table or a map.

    Free-flow link times by default (no border delays, breaks or rests); --profile times
    each place's route as `corridor route` does.
    """
    hs = _hours(hours, as_json)
    net = guard(as_json, lambda: load_network(network))
    if profile is not None:
        guard(as_json, lambda: corridor.load_profile(profile), field="profile")
    iso: corridor.Isochrone = guard(
        as_json,
        lambda: corridor.isochrone(net, origin, hours=hs, modes=mode, profile=profile),
    )
    if out is not None:
        guard(
            as_json,
            lambda: corridor.write_text_atomic(
                out, corridor.render_isochrone_html(iso), force=force
            ),
        )
    if as_json:
        data = iso.to_dict()
        data["out"] = None if out is None else str(out)
        print(json.dumps(data))
        return
    who = iso.profile or "+".join(iso.modes)
    table = Table(title=f"Reachable from {iso.origin_name} ({who})")
    for col in ("within_h", "places", "population", "farthest"):
        table.add_column(col, justify="left" if col == "farthest" else "right")
    frame = iso.to_frame()
    pops = iso.population()
    for limit, count in iso.counts().items():
        inside = frame[frame["time_h"] <= limit]
        far = inside.iloc[-1]
        table.add_row(
            f"{limit:g}",
            f"{count:,}",
            f"{pops[limit]:,.0f}",
            f"{far['name']} ({far['time_h']:.1f} h)",
        )
    console.print(table)
    console.print(f"time_h = {iso.time_definition}", highlight=False)
    if out is not None:
        console.print(f"wrote {out}", highlight=False)


def accessibility_cmd(
    origins: Annotated[
        list[str] | None, typer.Argument(help="Places; default: every populated node.")
    ] = None,
    hours: Annotated[str, typer.Option(help="Thresholds in hours, comma-separated.")] = "6,12,24",
    beta: Annotated[
        float, typer.Option(help="Hansen: exponential deterrence per hour of travel.")
    ] = 0.1,
    mode: ModeOpt = "road",
    network: NetworkOpt = None,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Population within each number of hours, and Hansen accessibility exp(-beta t)."""
    hs = _hours(hours, as_json)
    net = guard(as_json, lambda: load_network(network))
    places = _split(origins) if origins else None
    within = guard(as_json, lambda: corridor.population_within(net, places, hours=hs, modes=mode))
    hansen = guard(
        as_json,
        lambda: corridor.hansen_accessibility(
            net, places, deterrence=corridor.Deterrence(beta=beta), modes=mode
        ),
    )
    frame = within.merge(hansen, on=["origin", "name"])
    if as_json:
        print(json.dumps({"beta_per_h": beta, "rows": frame.to_dict(orient="records")}))
        return
    cols = [
        Col(str(c), right=c != "name", keep=math.inf if c in ("name",) else 30 - k)
        for k, c in enumerate(frame.columns)
    ]
    cols[0] = Col(str(frame.columns[0]), right=True, keep=1)  # the node id goes first
    rows = [
        [f"{x:,.0f}" if isinstance(x, float) else str(x) for x in row]
        for row in frame.itertuples(index=False)
    ]
    title = f"Accessibility ({mode}, Hansen beta {beta:g}/h; free-flow link time)"
    print_fit(*fit_table(cols, rows, title=title, wide=wide))
