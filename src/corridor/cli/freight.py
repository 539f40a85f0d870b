"""`corridor freight` and `corridor freight calibrate`: annual freight by commodity and mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

import corridor
from corridor.cli.common import (
    ForceOpt,
    JsonOpt,
    NetworkOpt,
    WideOpt,
    console,
    guard,
    load_network,
)
from corridor.cli.render import Col, fit_table, print_fit

__all__ = ["freight_app"]

freight_app = typer.Typer(
    help="Annual freight by commodity, mode and border crossing (demand model, issue 16).",
    invoke_without_command=True,
    no_args_is_help=False,
)

ScenarioOpt = Annotated[
    str | None,
    typer.Option("--scenario", "-s", help="A bundled scenario name or a scenario YAML."),
]
YearOpt = Annotated[int, typer.Option("--year", "-y", help="Demand year.")]
TopOpt = Annotated[int, typer.Option(help="Border crossings to list.")]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Write the OD table (zone pair, commodity, mode) as CSV here."),
]
DemandOpt = Annotated[
    Path | None,
    typer.Option(
        "--demand", help="A demand YAML in the bundled format (default: the bundled one)."
    ),
]


def _mt(x: float) -> str:
    return f"{x / 1e6:,.2f}"


def _value(x: float, kind: str) -> str:
    return f"{x:.1%}" if kind.endswith("_share") else f"{x:,.0f}"


def _count(x: float) -> str:
    return "-" if x != x else f"{x:,.0f}"


def _write_od(flows: corridor.FreightFlows, out: Path, force: bool) -> None:
    table = flows.to_frame()
    for col in ("crossings", "directions"):  # tuples -> "a;b" for a flat file
        table[col] = [";".join(str(x) for x in v) for v in table[col]]
    with corridor.atomic_file(out, force=force) as tmp:
        table.to_csv(tmp, index=False)


@freight_app.callback(invoke_without_command=True)
def freight_cmd(
    ctx: typer.Context,
    scenario: ScenarioOpt = None,
    year: YearOpt = 2024,
    top: TopOpt = 15,
    demand: DemandOpt = None,
    out: OutOpt = None,
    network: NetworkOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Freight flows a year (Mt, TEU, vehicles) by commodity, mode and border crossing."""
    if ctx.invoked_subcommand is not None:
        return
    net = guard(as_json, lambda: load_network(network))
    flows = guard(
        as_json,
        lambda: corridor.freight_flows(
            net, scenario, year, inputs=corridor.FreightInputs(demand=demand)
        ),
    )
    if out is not None:
        guard(as_json, lambda: _write_od(flows, out, force), field="out")
    if as_json:
        data = flows.to_dict()
        data["out"] = None if out is None else str(out)
        print(json.dumps(data))
        return
    title = f"Freight {flows.year}{', scenario ' + flows.scenario if flows.scenario else ''}"
    bcm = flows.by_commodity_mode
    modes = [c for c in bcm.columns if c != "total"]
    rows = [
        [str(c), *[_mt(float(v)) for v in r[modes]], _mt(float(r["total"]))]
        for c, r in bcm.iterrows()
    ]
    sums = bcm.sum()
    rows.append(["total", *[_mt(float(sums[m])) for m in modes], _mt(float(sums["total"]))])
    cols = [
        Col("commodity"),
        *[Col(f"{m} Mt/yr", right=True) for m in modes],
        Col("total Mt/yr", right=True),
    ]
    print_fit(
        *fit_table(
            cols,
            rows,
            title=f"{title}: tonnes by commodity and mode",
            wide=wide,
            sections=(len(rows) - 1,),
        )
    )
    bm = flows.by_mode
    rows = [
        [
            str(m),
            _mt(float(r.tonnes_year)),
            _count(float(r.teu_year)),
            _count(float(r.vehicles_year)),
        ]
        for m, r in bm.iterrows()
    ]
    cols = [
        Col("mode"),
        Col("Mt/yr", right=True),
        Col("TEU/yr", right=True),
        Col("vehicles/yr", right=True),
    ]
    print_fit(
        *fit_table(
            cols, rows, title="by mode (vehicles: trucks on road, trains on rail)", wide=wide
        )
    )
    bc = flows.by_crossing.head(top)
    rows = [
        [
            str(r["crossing"]),
            str(r["direction"]),
            str(r["mode"]),
            _mt(float(r["tonnes_year"])),
            _count(float(r["teu_year"])),
            _count(float(r["vehicles_year"])),
        ]
        for r in bc.to_dict(orient="records")
    ]
    cols = [
        Col("crossing"),
        Col("direction", keep=1),
        Col("mode"),
        Col("Mt/yr", right=True),
        Col("TEU/yr", right=True, keep=2),
        Col("vehicles/yr", right=True, keep=3),
    ]
    print_fit(*fit_table(cols, rows, title=f"top {len(bc)} border crossings", wide=wide))
    if out is not None:
        console.print(f"OD table: {out}", highlight=False)
    console.print(
        f"[dim]mode choice: nested logit, parameters fitted to {flows.params.year} "
        "(corridor freight calibrate); sources in DATA.md[/]",
        highlight=False,
    )


@freight_app.command("calibrate")
def calibrate_cmd(
    save: Annotated[
        bool, typer.Option("--save", help="Write the fitted parameters to the shipped params.yaml.")
    ] = False,
    network: NetworkOpt = None,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit the mode-choice constants to observed volumes; print the fit and out-of-sample checks."""
    net = guard(as_json, lambda: load_network(network))
    cal = guard(as_json, lambda: corridor.calibrate_freight(net, save_to=save or None))
    if as_json:
        print(json.dumps(cal.to_dict()))
        return
    rows = []
    for r in cal.table.to_dict(orient="records"):
        mark = "[green]within[/]" if r["within"] else "[red]outside[/]"
        rows.append(
            [
                r["id"],
                "fitted" if r["role"] == "fit" else "out of sample",
                _value(r["observed"], r["kind"]),
                _value(r["model"], r["kind"]),
                f"{r['error_pct']:+.1f}",
                f"±{r['tolerance_pct']:.0f}",
                mark,
            ]
        )
    cols = [
        Col("target"),
        Col("role"),
        Col("observed", right=True),
        Col("model", right=True),
        Col("error %", right=True),
        Col("tolerance %", right=True, keep=1),
        Col("", markup=True),
    ]
    n_fit = int((cal.table["role"] == "fit").sum())
    print_fit(
        *fit_table(
            cols, rows, title=f"freight calibration {cal.params.year}", wide=wide, sections=(n_fit,)
        )
    )
    p = cal.params
    console.print(
        f"fitted {', '.join(cal.free)}: beta {p.beta:.3g}; "
        + ", ".join(f"{k} {p.asc.get(k, 0.0):+.3g}" for k in cal.free if k != "beta")
        + ("; converged" if cal.converged else "; NOT converged")
        + f" in {cal.n_evaluations} evaluations",
        highlight=False,
    )
    if cal.saved_to:
        console.print(f"saved to {cal.saved_to}", highlight=False)
