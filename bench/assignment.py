"""Equilibrium-assignment benchmark: corridor against AequilibraE, same networks, same run.

Networks: SiouxFalls, Anaheim and Barcelona from ../shared/data/tntp (TNTP net + trips).
For each network both libraries run biconjugate Frank-Wolfe to a relative gap of 1e-6, and
corridor also its path-based gradient projection (GP) to 1e-6 (AequilibraE has no
path-based algorithm, so GP is compared with its BFW), ``--samples`` times each,
alternating (ours BFW, ours GP, theirs, then theirs, ours GP, ours BFW, ...); we report min and
median of the seconds at which each first reached 1e-4 and 1e-6 (from each library's own
per-iteration convergence table, timed from the start of the solve) and of the wall time
of the whole call (set-up included), and the relative gap of each library's final flows
recomputed by one function (:func:`corridor.assignment.relative_gap`), so both pass the
same convergence test. Then corridor's path-based gradient projection runs to 1e-8 and its
flows are compared with the published ``*_flow.tntp``.

AequilibraE's kernels are OpenMP: with the default wait policy its threads spin between
parallel regions, and on a shared 2-core machine that made it about 10x slower, so the
benchmark sets ``OMP_WAIT_POLICY=PASSIVE`` before importing it (bench/harness.py; its
best setting here), and prints the load average.

Both use the same relative gap, (TSTT - SPTT) / TSTT, and at most ``--threads`` threads
(AequilibraE ``set_cores``; corridor's numba pool, which its all-or-nothing step uses only
on problems large enough for threads to pay off). Zones below
TNTP's first-thru node are blocked for through traffic in both (AequilibraE's
``set_blocked_centroid_flows``). corridor's kernels are compiled before timing (numba's
cache); AequilibraE is compiled ahead of time (Cython).

Run: ``.venv/bin/pip install -e '.[bench]'`` (installs aequilibrae), then
``.venv/bin/python bench/assignment.py [--networks SiouxFalls,Anaheim] [--threads 2]``.
If AequilibraE is missing or fails, its columns say why and ours are still printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from harness import machine  # sets OMP_WAIT_POLICY=PASSIVE before aequilibrae is imported

from corridor.assignment import (
    AssignmentNetwork,
    AssignmentOptions,
    ConvergenceWarning,
    TrafficClass,
    assign,
    relative_gap,
)
from corridor.assignment.tntp import read_tntp_network, read_tntp_trips
from corridor.io.tntp import read_tntp_flow

# AequilibraE draws tqdm progress bars on every iteration unless told not to; they would
# dominate its timings on small networks
os.environ.setdefault("AEQ_SHOW_PROGRESS", "FALSE")

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "tntp"
GAPS = (1e-4, 1e-6)


@dataclass
class Run:
    """One solver's run: per-target (iterations, seconds), wall time, final gap, note."""

    hits: dict[float, tuple[int, float] | None]
    wall_s: float
    final_gap: float
    iterations: int
    note: str = ""
    flows: np.ndarray | None = None  # final link volumes, network order


def ours(
    net: AssignmentNetwork, trips: TrafficClass, algorithm: str, gap: float
) -> tuple[Run, np.ndarray]:
    # threads=None: numba's pool (capped by --threads), used for origins in parallel only
    # where it pays off (see corridor.assignment.aon.n_blocks_for)
    options = AssignmentOptions(algorithm=algorithm, rel_gap=gap, max_iter=5000)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = assign(net, trips, options=options)
    wall = time.perf_counter() - start
    hits = {g: res.convergence.first_below(g) for g in (*GAPS, 1e-8)}
    flows = np.asarray(res.flow_pce)
    return Run(hits, wall, res.rel_gap, res.iterations, flows=flows), flows


def theirs(net: AssignmentNetwork, trips: TrafficClass, gap: float, threads: int) -> Run:
    try:
        import pandas as pd
        from aequilibrae.matrix import AequilibraeMatrix
        from aequilibrae.paths import Graph, TrafficAssignment
        from aequilibrae.paths import TrafficClass as AemTrafficClass
    except ImportError as exc:
        return Run({}, float("nan"), float("nan"), 0, f"aequilibrae not importable: {exc}")
    try:
        start = time.perf_counter()
        links = pd.DataFrame(
            {
                "link_id": net.link_ids,
                "a_node": net.a_node,
                "b_node": net.b_node,
                "direction": np.ones(net.n_links, np.int64),
                "free_flow_time": net.free_flow_time,
                "capacity": net.capacity,
                "b": net.alpha,
                # AequilibraE requires power >= 1; where b = 0 the power has no effect
                "power": np.where(net.alpha == 0, 1.0, net.beta),
            }
        )
        graph = Graph()
        graph.network = links
        graph.prepare_graph(net.zones.astype(np.int64))
        graph.set_graph("free_flow_time")
        graph.set_skimming(["free_flow_time"])
        graph.set_blocked_centroid_flows(bool(net.no_through.size))
        matrix = AequilibraeMatrix()
        matrix.create_empty(zones=net.zones.size, matrix_names=["trips"], memory_only=True)
        matrix.index[:] = net.zones
        matrix.matrices[:, :, 0] = trips.demand
        matrix.computational_view(["trips"])
        cls = AemTrafficClass("car", graph, matrix)
        assig = TrafficAssignment()
        assig.set_classes([cls])
        assig.set_vdf("BPR")
        assig.set_vdf_parameters({"alpha": "b", "beta": "power"})
        assig.set_capacity_field("capacity")
        assig.set_time_field("free_flow_time")
        assig.set_algorithm("bfw")
        assig.max_iter = 5000
        assig.rgap_target = gap
        assig.set_cores(threads)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assig.execute()
        wall = time.perf_counter() - start
        report = assig.report()
        loads = assig.results()["trips_ab"].reindex(net.link_ids).to_numpy(dtype=np.float64)
    except (RuntimeError, ValueError, TypeError, KeyError, OSError, AttributeError) as exc:
        traceback.print_exc()
        return Run({}, float("nan"), float("nan"), 0, f"aequilibrae failed: {exc!r}")
    rgap = report["rgap"].to_numpy(dtype=np.float64)
    seconds = report["time"].to_numpy(dtype=np.float64)
    hits: dict[float, tuple[int, float] | None] = {}
    for g in GAPS:
        idx = np.flatnonzero(rgap <= g)
        first = (
            (int(report["iteration"].iloc[idx[0]]), float(seconds[idx[0]])) if idx.size else None
        )
        hits[g] = first
    return Run(hits, wall, float(rgap[-1]), len(rgap), flows=loads)


def _cell(hit: tuple[int, float] | None) -> str:
    return "not reached" if hit is None else f"{hit[0]:>5d} it {hit[1]:8.3f} s"


def _spread(runs: list[Run], gap: float | None) -> str:
    """min / median seconds to `gap` (None: the wall time) over the samples, iterations."""
    if gap is None:
        secs = [r.wall_s for r in runs]
        its = ""
    else:
        hits = [r.hits.get(gap) for r in runs]
        if any(h is None for h in hits):
            return "not reached"
        secs = [h[1] for h in hits if h is not None]
        its = f" [{statistics.median(h[0] for h in hits if h):.0f} it]"
    return f"{min(secs):.3f} / {statistics.median(secs):.3f}{its}"


def _recomputed(net: AssignmentNetwork, trips: TrafficClass, run: Run) -> float:
    if run.flows is None or not np.isfinite(run.flows).all():
        return float("nan")
    return relative_gap(net, trips, run.flows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", default="SiouxFalls,Anaheim,Barcelona")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--samples", type=int, default=5, help="runs per library, interleaved")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"TNTP data not found at {DATA}")
    # compile corridor's kernels (cached on disk by numba) before timing anything
    warm_net = read_tntp_network(DATA / "SiouxFalls" / "SiouxFalls_net.tntp")
    warm_trips = read_tntp_trips(DATA / "SiouxFalls" / "SiouxFalls_trips.tntp")
    import numba

    numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    for algorithm in ("bfw", "gp"):
        ours(warm_net, warm_trips, algorithm, 1e-3)
    print(machine(), f"; {args.threads} threads for both; {args.samples} samples each")
    rows = []
    for name in args.networks.split(","):
        folder = DATA / name
        net = read_tntp_network(folder / f"{name}_net.tntp")
        trips = read_tntp_trips(folder / f"{name}_trips.tntp")
        published = read_tntp_flow(folder / f"{name}_flow.tntp")["flow"].to_numpy()
        print(f"\n== {name}: {net.n_nodes} nodes, {net.n_links} links, {net.zones.size} zones")
        mine: list[Run] = []
        mine_gp: list[Run] = []
        them: list[Run] = []
        for k in range(args.samples):
            order = ("ours", "gp", "theirs") if k % 2 == 0 else ("theirs", "gp", "ours")
            for who in order:
                if who == "ours":
                    mine.append(ours(net, trips, "bfw", 1e-6)[0])
                elif who == "gp":
                    mine_gp.append(ours(net, trips, "gp", 1e-6)[0])
                else:
                    them.append(theirs(net, trips, 1e-6, args.threads))
        gp, flows = ours(net, trips, "gp", 1e-8)
        diff = float(np.abs(flows - published).max()) / float(published.max())
        head = f"{'seconds, min / median':24s}{'to gap 1e-4':>24s}{'to gap 1e-6':>24s}"
        print(f"{head}{'wall':>18s}{'final gap (recomputed)':>24s}")
        for label, runs in (
            ("corridor BFW", mine),
            ("corridor GP", mine_gp),
            ("AequilibraE BFW", them),
        ):
            cells = "".join(f"{_spread(runs, g):>24s}" for g in GAPS)
            gaps = f"{runs[-1].final_gap:.2e} ({_recomputed(net, trips, runs[-1]):.2e})"
            print(f"{label:24s}{cells}{_spread(runs, None):>18s}{gaps:>24s} {runs[-1].note}")
        ratios: dict[tuple[str, float], float] = {}
        for algo, runs in (("BFW", mine), ("GP", mine_gp)):
            for g in GAPS:
                a = [r.hits.get(g) for r in runs]
                b = [r.hits.get(g) for r in them]
                if all(a) and all(b):
                    med_a = statistics.median(h[1] for h in a if h)
                    med_b = statistics.median(h[1] for h in b if h)
                    ratios[algo, g] = med_b / med_a
                    print(
                        f"  median time ratio AequilibraE BFW / corridor {algo} to {g:g}: "
                        f"{ratios[algo, g]:.2f}x"
                    )
        print(
            f"corridor GP to 1e-8: {_cell(gp.hits.get(1e-8))} (wall {gp.wall_s:.3f} s, final gap "
            f"{gp.final_gap:.2e}, recomputed {_recomputed(net, trips, gp):.2e}); "
            f"max |flow - published| = {diff:.2e} x largest flow"
        )
        rows.append((name, mine, mine_gp, them, gp, diff, ratios))
    print("\nsummary (median seconds over the samples; ratio AequilibraE / corridor)")
    print(
        f"{'network':12s}{'BFW 1e-4':>10s}{'Aeq 1e-4':>10s}{'ratio':>7s}{'BFW 1e-6':>10s}"
        f"{'GP 1e-6':>10s}{'Aeq 1e-6':>10s}{'BFW x':>7s}{'GP x':>7s}{'GP 1e-8':>10s}"
        f"{'flow diff':>11s}"
    )

    def med(runs: list[Run], g: float) -> str:
        hits = [r.hits.get(g) for r in runs]
        return "-" if not all(hits) else f"{statistics.median(h[1] for h in hits if h):.3f}"

    nan = float("nan")
    for name, mine, mine_gp, them, gp, diff, ratios in rows:
        gp_hit = gp.hits.get(1e-8)
        print(
            f"{name:12s}{med(mine, 1e-4):>10s}{med(them, 1e-4):>10s}"
            f"{ratios.get(('BFW', 1e-4), nan):>7.1f}{med(mine, 1e-6):>10s}"
            f"{med(mine_gp, 1e-6):>10s}{med(them, 1e-6):>10s}"
            f"{ratios.get(('BFW', 1e-6), nan):>7.1f}{ratios.get(('GP', 1e-6), nan):>7.1f}"
            f"{'-' if gp_hit is None else f'{gp_hit[1]:.3f}':>10s}{diff:>11.1e}"
        )
    print(machine())


if __name__ == "__main__":
    main()
