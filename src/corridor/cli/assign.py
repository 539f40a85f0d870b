"""`corridor assign`: user-equilibrium assignment of a TNTP network or a corridor network."""

from __future__ import annotations

import dataclasses
import json
import math
import time
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import corridor
from corridor.cli.common import ForceOpt, console, err_console, guard

__all__ = ["assign_cmd"]


def _read_pairs(path: Path) -> corridor.TrafficClass:
    """A demand CSV with columns origin, destination, trips (node ids) -> one class."""
    import numpy as np  # here, not at the top: `corridor --help` stays fast
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise corridor.DataSourceError(path, f"cannot read demand CSV: {exc}") from None
    need = {"origin", "destination", "trips"}
    if not need <= set(frame.columns):
        raise corridor.DataSourceError(
            path, f"demand CSV needs columns {sorted(need)}, has {list(frame.columns)}"
        )
    for col in ("origin", "destination", "trips"):
        bad = pd.to_numeric(frame[col], errors="coerce").isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise corridor.DataSourceError(path, f"{col} is not a number", row=row)
    trips = frame["trips"].to_numpy(dtype=np.float64)
    if (trips < 0).any():
        row = int(np.flatnonzero(trips < 0)[0]) + 2
        raise corridor.DataSourceError(path, "trips must be >= 0", row=row)
    o = frame["origin"].to_numpy(dtype=np.int64)
    d = frame["destination"].to_numpy(dtype=np.int64)
    zones = np.unique(np.concatenate([o, d]))
    demand = np.zeros((zones.size, zones.size))
    np.add.at(demand, (np.searchsorted(zones, o), np.searchsorted(zones, d)), trips)
    return corridor.TrafficClass(demand=demand, zones=zones)


def _load(
    network: Path, demand: Path, weights: tuple[float, float]
) -> tuple[corridor.AssignmentNetwork, corridor.TrafficClass]:
    """The network and its one traffic class, whose generalised cost uses `weights`."""
    if network.suffix.lower() == ".tntp":
        net = corridor.read_tntp_network(network)
        if demand.suffix.lower() == ".tntp":
            trips = corridor.read_tntp_trips(demand, zones=int(net.zones.size))
        else:
            trips = _read_pairs(demand)
    else:
        net = corridor.assignment_network(corridor.read_network(network))
        if demand.suffix.lower() == ".tntp":
            raise corridor.DataSourceError(
                demand,
                "a corridor network takes a demand CSV (origin,destination,trips by node id)",
            )
        trips = _read_pairs(demand)
    toll_weight, distance_weight = weights
    weighted = dataclasses.replace(
        trips, value_of_time=1.0, toll_factor=toll_weight, distance_cost=distance_weight
    )
    return net, weighted


def _check_weight(name: str, value: float) -> float:
    if not (math.isfinite(value) and value >= 0):
        raise corridor.ValidationError(
            f"--{name} {value}: use a finite weight >= 0 (time units per toll or length unit)"
        )
    return value


def _write_out(result: corridor.AssignmentResult, out: Path, force: bool) -> None:
    if out.suffix.lower() == ".tntp":
        corridor.write_tntp_flow(result, out, force=force)
        return
    with corridor.atomic_file(out, force=force) as tmp:
        result.to_frame().to_csv(tmp, index=False)


def assign_cmd(
    network: Annotated[
        Path, typer.Argument(help="Network: a TNTP *_net.tntp file, or a .gpkg / GeoParquet one.")
    ],
    demand: Annotated[
        Path,
        typer.Argument(help="Demand: a TNTP *_trips.tntp file, or a CSV origin,destination,trips."),
    ],
    algorithm: Annotated[
        str, typer.Option(help="aon, msa, fw, cfw, bfw or gp (path-based, for gaps < 1e-6).")
    ] = "bfw",
    gap: Annotated[float, typer.Option(help="Target relative gap (TSTT - SPTT) / TSTT.")] = 1e-4,
    max_iter: Annotated[int, typer.Option(help="Iteration limit.")] = 1000,
    time_limit: Annotated[float | None, typer.Option(help="Wall-time limit, seconds.")] = None,
    threads: Annotated[int | None, typer.Option(help="Threads for all-or-nothing.")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write link flows: .csv (by class) or .tntp (flow file).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run the all-or-nothing step on a Dask cluster at tcp://HOST:PORT."),
    ] = None,
    toll_weight: Annotated[
        float,
        typer.Option(
            help="Generalised cost: time units per toll unit (the TNTP 'generalized cost "
            "weights', e.g. 0.1 min/cent for chicago-regional). 0: tolls are not a cost."
        ),
    ] = 0.0,
    distance_weight: Annotated[
        float,
        typer.Option(
            help="Generalised cost: time units per length unit (e.g. 0.25 min/mile for "
            "chicago-regional). 0: length is not a cost."
        ),
    ] = 0.0,
    force: ForceOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Equilibrium assignment: link flows, times and the convergence table.

    A link costs its congested time plus toll-weight x toll plus distance-weight x length;
    with both weights 0 (the default) the problem is time-only and the file's tolls are
    not part of it.
    """
    import numpy as np  # here, not at the top: `corridor --help` stays fast

    if out is not None:
        guard(as_json, lambda: corridor.check_output(out, folder=False, force=force))
    weights = guard(
        as_json,
        lambda: (
            _check_weight("toll-weight", toll_weight),
            _check_weight("distance-weight", distance_weight),
        ),
    )
    net, trips = guard(as_json, lambda: _load(network, demand, weights))
    options = guard(
        as_json,
        lambda: corridor.AssignmentOptions(
            algorithm=algorithm,
            rel_gap=gap,
            max_iter=max_iter,
            time_limit_s=time_limit,
            threads=threads,
        ),
    )
    client: Any = None
    aon: Any = None
    if scheduler:

        def connect() -> Any:
            from dask.distributed import Client

            try:
                c = Client(scheduler, timeout="5s")  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise corridor.DataSourceError(
                    scheduler, f"cannot reach the scheduler: {exc}"
                ) from None
            return c, corridor.dask_aon(c)

        client, aon = guard(as_json, connect)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", corridor.ConvergenceWarning)
        if as_json:
            result = guard(as_json, lambda: corridor.assign(net, trips, options=options, aon=aon))
        else:
            bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("gap {task.fields[gap]}"),
                TimeElapsedColumn(),
                console=err_console,
                transient=True,
            )
            target = -np.log10(max(gap, 1e-16))
            with bar:
                task = bar.add_task(f"assign {algorithm}", total=target, gap="-")

                def show(p: Any) -> None:
                    rel_gap = p.values["rel_gap"]
                    done = -np.log10(max(rel_gap, 1e-16)) if rel_gap > 0 else target
                    bar.update(task, completed=min(done, target), gap=f"{rel_gap:.2e}")

                result = guard(
                    as_json,
                    lambda: corridor.assign(net, trips, options=options, progress=show, aon=aon),
                )
    if client is not None:
        client.close()
    seconds = time.perf_counter() - start
    if out is not None:
        guard(as_json, lambda: _write_out(result, out, force))
    conv = result.convergence
    summary: dict[str, Any] = {
        "network": str(network),
        "algorithm": str(options.algorithm),
        "converged": result.converged,
        "rel_gap": result.rel_gap,
        "target_gap": gap,
        "iterations": result.iterations,
        "seconds": round(seconds, 4),
        "objective": float(conv.objective[-1]),
        "tstt": result.tstt,
        "time_unit": result.time_unit,
        "toll_weight": toll_weight,
        "distance_weight": distance_weight,
        "out": str(out) if out else None,
        "convergence": [
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
            for row in conv.to_frame().to_dict(orient="records")
        ],
    }
    if as_json:
        summary["links"] = result.to_frame().to_dict(orient="list")
        print(json.dumps(summary))
        return
    state = "[green]converged[/]" if result.converged else "[yellow]NOT converged[/]"
    console.print(
        f"[bold]{network.name}[/]: {net.n_links:,} links, {trips.demand.shape[0]:,} zones, "
        f"{trips.total:,.1f} trips; {options.algorithm} {state} at gap {result.rel_gap:.3g} "
        f"after {result.iterations} iterations in {seconds:.2f} s",
        highlight=False,
    )
    table = Table("iteration", "rel_gap", "objective", "seconds", title="convergence (last rows)")
    frame = conv.to_frame().tail(10)
    for row in frame.itertuples(index=False):
        table.add_row(
            str(row.iteration), f"{row.rel_gap:.3e}", f"{row.objective:,.6f}", f"{row.seconds:.3f}"
        )
    console.print(table)
    what = "TSTT" if toll_weight == distance_weight == 0 else "total generalised cost"
    console.print(f"{what} {result.tstt:,.3f} ({result.time_unit} x PCE)", highlight=False)
    tolled = int(np.count_nonzero(net.toll))
    if tolled and toll_weight == 0:
        err_console.print(
            f"note: {tolled:,} links have a toll, which is not part of the cost; give "
            "--toll-weight (time units per toll unit) to include it",
            highlight=False,
        )
    for w in caught:
        err_console.print(f"[yellow]warning:[/] {w.message}", highlight=False)
    if out is not None:
        console.print(f"link flows written to {out}", highlight=False)
