"""`corridor tourism [calibrate]`: visitors between China, Russia and their neighbours."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

import corridor
from corridor.cli.common import JsonOpt, NetworkOpt, console, guard, load_network

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["tourism_app"]

tourism_app = typer.Typer(
    help="Visits between China, Russia, Mongolia and Kazakhstan: the calibrated model.",
    invoke_without_command=True,
    no_args_is_help=False,
)

ParamsOpt = Annotated[
    Path | None,
    typer.Option("--params", help="Tourism params YAML; default: the one shipped."),
]
FittedOpt = Annotated[
    Path | None,
    typer.Option("--fitted", help="Calibrated parameters YAML; default: the one shipped."),
]


def _network_for(sc: corridor.Scenario | None, network: Path | None) -> corridor.Network:
    if sc is None:
        return load_network(network)
    return corridor.scenario_network(sc, network)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(df.to_json(orient="records"))
    return out


def _num(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:,.0f}"


def _table(df: pd.DataFrame, title: str, formats: dict[str, str] | None = None) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False)
    fmt = formats or {}
    for col in df.columns:
        t.add_column(col, justify="right" if df[col].dtype.kind in "fi" else "left")
    for row in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, row, strict=True):
            if isinstance(v, float):
                cells.append(format(v, fmt[col]) if col in fmt and math.isfinite(v) else _num(v))
            else:
                cells.append(str(v))
        t.add_row(*cells)
    return t


@tourism_app.callback()
def tourism_cmd(
    ctx: typer.Context,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", "-s", help="Scenario (bundled name or YAML file)."),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Also show the change from this scenario to --scenario."),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Year of the visa regimes (default: the network's date)."),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=0, help="Parameter draws for P10/P50/P90 (0: none).")
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the draws.")
    ] = corridor.defaults.TOURISM_SEED,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run the draws on this Dask scheduler (tcp://...)."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="OD pairs shown.")
    ] = corridor.defaults.TOURISM_TOP_OD,
    charts: Annotated[
        Path | None,
        typer.Option("--charts", help="Write bar charts and the OD flow map into this folder."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --charts' files.")] = False,
    network: NetworkOpt = None,
    params: ParamsOpt = None,
    fitted: FittedOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Visits a year by direction, purpose and mode; top OD pairs; land crossings; spending.

    With --base, the change from the base scenario as well (log-sums -> destinations).
    """
    if ctx.invoked_subcommand is not None:
        return
    sc = guard(as_json, lambda: corridor.resolve_scenario(scenario)) if scenario else None
    sb = guard(as_json, lambda: corridor.resolve_scenario(base)) if base else None
    p = guard(as_json, lambda: corridor.load_tourism_params(params))
    f = guard(as_json, lambda: corridor.load_tourism_fitted(fitted))
    net = guard(as_json, lambda: _network_for(sc, network))
    res = guard(
        as_json,
        lambda: corridor.tourism(net, scenario=sc, year=year, params=p, fitted=f),
        field="scenario",
    )
    out: dict[str, Any] = {
        "network": net.name,
        "scenario": sc.name if sc else None,
        "regimes_of": str(res.demand.date),
        "fitted_year": f.year,
        "summary": res.summary(),
        "by_direction": _records(res.by_direction()),
        "by_purpose": _records(res.by_purpose()),
        "by_mode": _records(res.by_mode()),
        "top_od": _records(res.top_od(top)),
        "crossings": _records(res.crossings()),
        "uncalibrated_markets": [f"{m.from_}->{m.to}" for m in p.markets if not m.calibrated],
    }
    net_b = None
    if sb is not None:
        net_b = guard(as_json, lambda: _network_for(sb, network))
        cmp = guard(
            as_json,
            lambda: corridor.compare_tourism(
                net_b, net, sb, sc, year=year, params=p, fitted=f, top=top
            ),
        )
        out["compare"] = {k: _records(v) for k, v in cmp.items()}
    if draws:
        runner = corridor.tourism_dask_runner(scheduler) if scheduler else None
        unc = guard(
            as_json,
            lambda: corridor.tourism_uncertainty(
                net_b if net_b is not None else net,
                net if net_b is not None else None,
                sb,
                sc,
                draws=draws,
                seed=seed,
                year=year,
                params=p,
                fitted=f,
                runner=runner,
            ),
        )
        out["draws"] = {"n": draws, "seed": seed, "summary": _records(unc.summary)}
    if charts is not None:
        files = guard(as_json, lambda: corridor.write_tourism_charts(res, charts, force=force))
        out["charts"] = [str(f) for f in files]
    if as_json:
        print(json.dumps(out))
        return
    _print(res, out, top)
    for f in out.get("charts", []):
        console.print(f"wrote {f}", highlight=False)


def _print(res: corridor.TourismResult, out: dict[str, Any], top: int) -> None:
    import pandas as pd

    s = out["summary"]
    console.print(
        f"[bold]{s['visits_year']:,.0f} visits a year[/] on {out['network']} "
        f"(visa regimes of {out['regimes_of']}; parameters fitted to {out['fitted_year']}): "
        f"CN->RU {s['cn_ru_visits_year']:,.0f}, RU->CN {s['ru_cn_visits_year']:,.0f}; "
        f"spending US${s['spend_usd_year'] / 1e6:,.0f} M",
        highlight=False,
    )
    console.print(_table(res.by_direction(), "By direction"))
    purpose = res.by_purpose().pivot_table(
        index="direction", columns="purpose", values="visits_year", fill_value=0.0
    )
    console.print(_table(purpose.reset_index(), "By purpose (visits a year)"))
    mode = res.by_mode().pivot_table(
        index="direction", columns="mode", values="share", fill_value=0.0
    )
    console.print(_table(mode.reset_index(), "Mode shares", {c: ".1%" for c in mode.columns}))
    console.print(_table(res.top_od(top), f"Top {top} OD pairs", {"air_share": ".0%"}))
    console.print(_table(res.crossings().head(12), "Land crossings: passages a year"))
    if "compare" in out:
        shown = {
            "tourism_by_direction": (
                ["direction", "visits_year_before", "visits_year_after", "change_pct"],
                "Change by direction (visits a year)",
            ),
            "tourism_top_od": (
                [
                    "origin",
                    "destination",
                    "visits_year_change",
                    "change_pct",
                    "logsum_change_leisure",
                    "surplus_usd_leisure",
                ],
                "Largest OD changes: visits, leisure log-sum change, surplus (US$ one way)",
            ),
        }
        for key, (cols, title) in shown.items():
            df = pd.DataFrame(out["compare"][key])[cols].rename(
                columns={
                    "visits_year_before": "before",
                    "visits_year_after": "after",
                    "visits_year_change": "change",
                    "logsum_change_leisure": "d_logsum",
                    "surplus_usd_leisure": "surplus",
                    "change_pct": "%",
                }
            )
            console.print(_table(df, title, {"%": "+.1f", "d_logsum": "+.3f", "surplus": "+.1f"}))
    if "draws" in out:
        df = pd.DataFrame(out["draws"]["summary"])
        console.print(
            _table(
                df,
                f"P10/P50/P90 over {out['draws']['n']} draws (seed {out['draws']['seed']})",
                {c: ",.1f" for c in ("p10", "p50", "p90", "fitted")},
            )
        )
    if out["uncalibrated_markets"]:
        console.print(
            "[yellow]note:[/] not calibrated (no published targets; constants are "
            "assumptions): " + ", ".join(out["uncalibrated_markets"]),
            highlight=False,
        )


@tourism_app.command("calibrate")
def calibrate_cmd(
    year: Annotated[
        int | None, typer.Option("--year", help="Year of the targets fitted (default: latest).")
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option("--write", help="Write the fitted parameters to this YAML file."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --write's file.")] = False,
    network: NetworkOpt = None,
    params: ParamsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fit the model to the published statistics; print the fit per target and the
    out-of-sample checks. Exit 1 if a fitted target misses its tolerance."""
    p = guard(as_json, lambda: corridor.load_tourism_params(params))
    net = guard(as_json, lambda: load_network(network))
    cal = guard(as_json, lambda: corridor.calibrate_tourism(net, p, year=year))
    if write is not None:
        note = f"{int(cal.table[cal.table['fit']]['within'].sum())}/{int(cal.table['fit'].sum())}"
        note += f" targets of {cal.fitted.year} within tolerance"
        guard(
            as_json,
            lambda: corridor.write_tourism_fitted(cal.fitted, write, note=note, force=force),
        )
    table = cal.table
    fit = table[table["fit"]]
    ok = bool(fit["within"].all())
    if as_json:
        print(
            json.dumps(
                {
                    "year": cal.fitted.year,
                    "success": cal.success,
                    "within": int(fit["within"].sum()),
                    "fitted_targets": len(fit),
                    "parameters": cal.fitted.values,
                    "std": cal.fitted.std,
                    "targets": _records(table),
                }
            )
        )
    else:
        console.print(
            f"[bold]{int(fit['within'].sum())}/{len(fit)} targets of {cal.fitted.year} "
            f"within tolerance[/] ({cal.message})",
            highlight=False,
        )
        t = Table(title="Targets", title_justify="left", show_edge=False, pad_edge=False)
        for col, right in (
            ("target", False),
            ("published", True),
            ("model", True),
            ("error", True),
            ("band", True),
            ("", False),
        ):
            t.add_column(col, justify="right" if right else "left", no_wrap=col == "target")
        for r in table.to_dict("records"):
            published, model = float(r["published"]), float(r["model"])
            error, tolerance = float(r["error"]), float(r["tolerance"])
            if r["kind"] == "share":
                shown = (f"{published:.1%}", f"{model:.1%}")
            else:
                shown = (_num(published), _num(model))
            if r["fit"]:
                mark = "[green]within[/]" if r["within"] else "[bold red]MISS[/]"
            else:
                mark = "[cyan]oos ok[/]" if r["within"] else "[yellow]oos miss[/]"
            t.add_row(
                str(r["id"]), *shown, f"{100 * error:+.1f}%", f"±{100 * tolerance:.0f}%", mark
            )
        console.print(t)
        console.print(
            "oos: out of sample (another year, not fitted); its error is reported, not hidden",
            style="dim",
        )
        par = pd_frame(cal.fitted.values, cal.fitted.std)
        console.print(_table(par, "Fitted parameters", {"value": "+.4f", "std": ".4f"}))
        if write is not None:
            console.print(f"wrote {write}", highlight=False)
    if not ok:
        raise typer.Exit(1)


def pd_frame(values: dict[str, float], std: dict[str, float]) -> pd.DataFrame:
    """Parameters and standard errors as a table."""
    import pandas as pd

    return pd.DataFrame(
        {"parameter": list(values), "value": list(values.values()), "std": [std[k] for k in values]}
    )
