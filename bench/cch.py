"""Customisable contraction hierarchies: corridor against routingkit-cch.

Graphs (``--graph``, repeatable):

* ``NY``: the DIMACS road topology (264k nodes, 733k arcs, ../shared/data/roadgraphs) with
  seeded uniform integer weights in [1000, 100000) on each edge, both directions (as
  bench/p2p.py);
* ``embedded``: the embedded Eurasian network's ``truck40`` cost graph (the profile's
  expanded graph, its default generalised-cost weights in US$), whose scenario edit is
  one border crossing's delay: +2 h on every arc through that crossing (+ value of time x
  2 h in US$). routingkit-cch takes 32-bit integer weights: it gets ours in
  milli-dollars, rounded, so the answers agree to that rounding (checked).

Both libraries use the same node order, ours (METIS nested dissection through pymetis, or
our BFS nested dissection without it), so the rows compare customisation and queries on
the same hierarchy topology, not two orderings. Rows:

* ``build``: order + topology + customisation (ours: ``build_cch``; routingkit: ``CCH`` +
  ``CCHMetric`` given our order, so without its own order's time), best of ``--repeat``;
* ``full customisation``: new weights for every arc (ours: ``Hierarchy.customise``, a new
  immutable hierarchy; routingkit: ``CCHMetric.reset``, in place; it takes a Python list,
  and the list's conversion is in its time), interleaved;
* ``partial, k arcs``: k random arcs' weights change (x 3) (ours: ``Hierarchy.recustomise``
  from the base hierarchy, including the copy of its weight arrays; routingkit:
  ``CCHMetricPartialUpdater.apply``, then the change is undone untimed), interleaved; the
  median number of edges we recompute is printed;
* ``query``: random pairs, distance and path (ours: ``Hierarchy.one_to_one``; routingkit:
  ``CCHQuery.run`` then its ``node_path``), interleaved query by query.

Run: ``.venv/bin/pip install -e '.[bench,cch]'`` then
``.venv/bin/python bench/cch.py [--graph NY --graph embedded] [--samples 30]``.
The machine is shared: the load average is printed in the header; compare ratios from the
same run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from harness import Samples, interleave, machine
from shortest_path import read_pace

from corridor.paths.hierarchy import Hierarchy, build_cch
from corridor.paths.skim_graph import SkimGraph, skim_graph_from_links

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "roadgraphs"


@dataclass(frozen=True)
class Case:
    """A graph to benchmark and its scenario edits (arc groups that change together)."""

    name: str
    graph: SkimGraph
    int_weights: np.ndarray  # what routingkit gets, = graph.cost * int_scale
    int_scale: float
    edits: tuple[tuple[str, Callable[[int], tuple[np.ndarray, np.ndarray]]], ...]


def _random_edit(graph: SkimGraph, k: int, seed: int) -> Callable[[int], tuple]:
    rng = np.random.default_rng(seed)
    picks = [rng.choice(graph.cost.size, k, replace=False) for _ in range(512)]

    def edit(sample: int) -> tuple[np.ndarray, np.ndarray]:
        arcs = picks[sample % len(picks)]
        return arcs, graph.cost[arcs] * 3.0

    return edit


def _ny(name: str) -> Case:
    path = DATA / f"{name}.gr.xz"
    if not path.exists():
        raise SystemExit(f"{path} is absent (shared reference data)")
    n, u, v = read_pace(path)
    w = np.random.default_rng(42).integers(1000, 100000, u.size)
    tails, heads = np.concatenate([u, v]), np.concatenate([v, u])
    graph = skim_graph_from_links(
        tails, heads, np.concatenate([w, w]).astype(np.float64), node_ids=np.arange(n)
    )
    edits = tuple((f"partial, {k} random arcs x 3", _random_edit(graph, k, k)) for k in (1, 10))
    return Case(name, graph, graph.cost.astype(np.int64), 1.0, edits)


def _embedded() -> Case:
    from corridor.data import eurasia
    from corridor.paths.router import router_for

    router = router_for(eurasia())
    cg = router.cost_graph("truck40")
    weight = cg.weight("generalized")
    graph = skim_graph_from_links(
        cg.tails, cg.heads, weight, node_ids=np.arange(cg.n_vertices), metric="generalized_usd"
    )
    # skim_graph_from_links keeps the CSR arc order of the cost graph (tails are sorted)
    assert np.array_equal(graph.tails, cg.tails) and np.array_equal(graph.heads, cg.heads)
    rows = np.unique(cg.crossing_row[cg.crossing_row >= 0])
    groups = [np.flatnonzero(cg.crossing_row == r) for r in rows]
    extra = cg.profile.vot_usd_per_h * 2.0

    def crossing(sample: int) -> tuple[np.ndarray, np.ndarray]:
        arcs = groups[sample % len(groups)]
        return arcs, graph.cost[arcs] + extra

    edits = (
        (f"partial, 1 crossing +2 h ({len(groups)} crossings)", crossing),
        ("partial, 10 random arcs x 3", _random_edit(graph, 10, 10)),
    )
    scale = 1e3  # milli-dollars for routingkit's 32-bit integers
    return Case("embedded truck40", graph, np.round(weight * scale).astype(np.int64), scale, edits)


def _interleave_cpu(tasks: dict[str, Callable[[int], object]], samples: int) -> dict:
    """As :func:`harness.interleave`, timing this thread's CPU time (time.thread_time):
    on a loaded machine it leaves out the time other processes hold the core, though not
    what they do to the caches. Both libraries customise on the calling thread."""
    times: dict[str, list[float]] = {name: [] for name in tasks}
    names = list(tasks)
    for k in range(samples):
        for name in names if k % 2 == 0 else reversed(names):
            t = time.thread_time()
            tasks[name](k)
            times[name].append(time.thread_time() - t)
    return {name: Samples(tuple(v)) for name, v in times.items()}


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _row(task: str, ours: Samples, theirs: Samples | None, unit: float, name: str) -> None:
    mine = ours.cell(unit, name)
    other = theirs.cell(unit, name) if theirs else "-"
    ratio = f"{theirs.median / ours.median:7.2f}" if theirs else ""
    print(f"{task:<52}{mine:>24}{other:>24}{ratio}")


def run(case: Case, samples: int, repeat: int, queries: int) -> None:
    graph = case.graph
    n = graph.n_nodes
    print(f"\n{case.name}: {n:,} nodes, {graph.cost.size:,} arcs")
    build_cch(skim_graph_from_links([0, 1], [1, 0], [1.0, 1.0]))  # compile first
    builds, hier = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        hier = build_cch(graph)
        builds.append(time.perf_counter() - t)
    assert hier is not None and hier.cch is not None
    c = hier.cch
    print(
        f"ours: {c.order} order {c.order_seconds:.2f} s, topology {c.topology_seconds:.2f} s "
        f"({hier.up_head.size:,} edges, {c.tri.size:,} triangles), customisation "
        f"{c.customise_seconds * 1e3:.1f} ms (last build)"
    )
    try:
        import routingkit_cch as rk
    except ImportError as exc:
        rk = None
        print(f"routingkit-cch not installed ({exc}): only our rows")

    tl, hl = graph.tails.tolist(), graph.heads.tolist()
    wl = case.int_weights.tolist()
    node_order = np.argsort(hier.source_rank).tolist()  # node of each rank, as routingkit wants
    metric = query = updater = None
    rk_builds: list[float] = []
    if rk is not None:
        for _ in range(repeat):
            t = time.perf_counter()
            cch = rk.CCH(node_order, tl, hl, False)
            metric = rk.CCHMetric(cch, wl)
            rk_builds.append(time.perf_counter() - t)
        updater = rk.CCHMetricPartialUpdater(cch)

    print(f"\n{'task':<52}{'corridor':>24}{'routingkit-cch':>24}{'ratio':>7}")
    _row(
        f"build (best of {repeat}; rk: our order given)",
        Samples((min(builds),)),
        Samples((min(rk_builds),)) if rk_builds else None,
        1.0,
        "s",
    )

    # full customisation: alternate two weight vectors so every sample changes something
    rng = np.random.default_rng(3)
    factor = rng.uniform(0.5, 2.0, graph.cost.size)
    vectors = [graph.cost, np.round(graph.cost * factor)]
    int_vectors = [wl, np.round(vectors[1] * case.int_scale).astype(np.int64).tolist()]
    tasks: dict[str, Callable[[int], object]] = {
        "ours": lambda k: hier.customise(vectors[k % 2]),
    }
    if metric is not None:
        tasks["rk"] = lambda k: metric.reset(int_vectors[k % 2])
    got = interleave(tasks, samples)
    _row("full customisation (min / med)", got["ours"], got.get("rk"), 1e3, "ms")
    cpu = _interleave_cpu(tasks, samples)
    _row("  the same, this thread's CPU time (min / med)", cpu["ours"], cpu.get("rk"), 1e3, "ms")
    if metric is not None:
        metric.reset(wl)

    for label, edit in case.edits:
        ours_t: list[float] = []
        rk_t: list[float] = []
        kernel_t: list[float] = []
        reached: list[int] = []
        for k in range(samples):
            arcs, new = edit(k)
            new_int = np.round(new * case.int_scale).astype(np.int64)
            changes = dict(zip(arcs.tolist(), new_int.tolist(), strict=True))
            undo = dict(zip(arcs.tolist(), case.int_weights[arcs].tolist(), strict=True))
            box: list[Hierarchy] = []
            for side in ("ours", "rk") if k % 2 == 0 else ("rk", "ours"):
                if side == "ours":
                    ours_t.append(_timed(partial(_recustomise, hier, arcs, new, box)))
                    kernel_t.append(_kernel_only(hier, arcs, new))
                elif updater is not None and metric is not None:
                    rk_t.append(_timed(lambda ch=changes: updater.apply(metric, ch)))
            reached.append(_reached(hier, box[0]))
            if k < 3 and metric is not None:  # same answers after the change
                _same_answers(box[0], rk.CCHQuery(metric), rng, 20, case.int_scale)
            if updater is not None:
                updater.apply(metric, undo)
        ours_s = Samples(tuple(ours_t))
        _row(f"{label} (min / med)", ours_s, Samples(tuple(rk_t)) if rk_t else None, 1e3, "ms")
        _row(
            "  ours: the kernel alone, in place (min / med)",
            Samples(tuple(kernel_t)),
            None,
            1e3,
            "ms",
        )
        print(f"{'':<52}{'edges changed, median: ' + str(int(np.median(reached))):>24}")

    pairs = rng.integers(0, n, (queries, 2))
    if metric is not None:
        query = rk.CCHQuery(metric)
        _same_answers(hier, query, rng, 200, case.int_scale)
    q_tasks: dict[str, Callable[[int], object]] = {
        "ours": lambda k: hier.one_to_one(int(pairs[k, 0]), int(pairs[k, 1]))
    }
    if query is not None:
        q_tasks["rk"] = lambda k: query.run(int(pairs[k, 0]), int(pairs[k, 1])).node_path
    got = interleave(q_tasks, queries)
    _row("query, distance + path (min / med)", got["ours"], got.get("rk"), 1e6, "us")


def _recustomise(hier: Hierarchy, arcs: np.ndarray, new: np.ndarray, out: list) -> None:
    out.append(hier.recustomise(arcs, new))


def _kernel_only(hier: Hierarchy, arcs: np.ndarray, new: np.ndarray) -> float:
    """Seconds of the re-customisation kernel alone, on copies made untimed (what
    ``recustomise`` adds is validation and the copy that keeps the base immutable)."""
    from corridor.kernels.cch_customise import recustomise

    c = hier.cch
    assert c is not None
    arc_w = c.arc_w.copy()
    arc_w[np.searchsorted(hier.edge_arc, arcs)] = new * hier.scale
    seeds = np.unique(c.arc_edge[arcs])
    outs = [
        getattr(hier, f).copy()
        for f in ("up_w", "dn_w", "up_edge", "dn_edge", "up_attr", "dn_attr", "child1", "child2")
    ]
    t = time.perf_counter()
    recustomise(
        hier.up_indptr,
        hier.up_head,
        c.low,
        c.dn_indptr,
        c.dn_low,
        c.dn_edge,
        c.did_indptr,
        c.did_arc,
        arc_w,
        c.arc_attr,
        hier.edge_arc.size,
        seeds,
        *outs,
        *c.workspace(),
    )
    return time.perf_counter() - t


def _reached(base: Hierarchy, new: Hierarchy) -> int:
    """Edges whose weight differs after a recustomisation."""
    return int(((base.up_w != new.up_w) | (base.dn_w != new.dn_w)).sum())


def _same_answers(
    hier: Hierarchy, query: object, rng: np.random.Generator, count: int, scale: float
) -> None:
    """Our distances, in routingkit's integer units, equal its (to the rounding of the
    weights to integers: half a unit per arc)."""
    n = hier.source_rank.size
    for s, d in rng.integers(0, n, (count, 2)):
        ours, _ = hier.one_to_one(int(s), int(d))
        res = query.run(int(s), int(d))  # type: ignore[attr-defined]
        theirs = res.distance
        del res  # routingkit allows one live result per query object
        if theirs is None:
            assert np.isinf(ours), (s, d, ours)
        else:
            assert abs(ours * scale - theirs) <= (0 if scale == 1.0 else 500), (s, d, ours, theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="append", help="NY, COL, BAY or embedded")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    print(machine())
    for name in args.graph or ["embedded", "NY"]:
        case = _embedded() if name == "embedded" else _ny(name)
        run(case, args.samples, args.repeat, args.queries)
    print(
        "\nratio: routingkit / corridor median (> 1: we are faster); both use our node order;"
        " times are wall clock on a machine shared with other engineers (load above)"
    )


if __name__ == "__main__":
    main()
