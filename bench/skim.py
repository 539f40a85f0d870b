"""All-zones skim benchmark: corridor against scipy, igraph, AequilibraE and routingkit-cch.

Network: ../shared/data/tntp/chicago-regional (12,982 nodes, 39,018 links, 1,790 zones),
free-flow time as the cost, TNTP's first-thru-node rule (zones 1..1790 may start and end
paths but are never passed through). Every library computes the same 1,790 x 1,790 matrix
in the same run:

* corridor ``ch``: contraction hierarchy (numba), then bucket many-to-many; timed as
  preprocessing + queries (both reported) from the link arrays;
* corridor ``dijkstra``: one Dijkstra per zone, numba ``prange``;
* scipy.sparse.csgraph.dijkstra with ``indices=zones``;
* python-igraph ``Graph.distances``;
* AequilibraE ``NetworkSkimming`` (graph preparation included, blocked centroid flows);
* routingkit-cch: inertial-flow order from the node coordinates, CCH build, customisation
  and one ``CCHOneToMany`` sweep per zone (integer weights: minutes x 1e6).

The anchors that cannot block through-zones themselves get a split graph: every zone has
a sink copy that takes its incoming links, so no path can pass a zone. Results are checked
against corridor's Dijkstra (max |difference|). Kernels are compiled before timing.

Run: ``.venv/bin/pip install -e '.[bench]'``, then ``.venv/bin/python bench/skim.py
[--threads 2] [--repeat 1]``. An anchor that is missing or fails says why in its row.
"""

from __future__ import annotations

import argparse
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from harness import machine  # sets OMP_WAIT_POLICY=PASSIVE before aequilibrae is imported

from corridor.assignment.tntp import read_tntp_network
from corridor.io.tntp import read_tntp_nodes
from corridor.paths.skim import build_hierarchy, skim_graph_from_links, skim_on

os.environ.setdefault("AEQ_SHOW_PROGRESS", "FALSE")

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "tntp" / "chicago-regional"


@dataclass
class Row:
    name: str
    seconds: float
    detail: str
    max_diff: float = float("nan")


@dataclass
class Problem:
    n: int  # nodes of the original network (ids 1..n map to 0..n-1)
    tails: np.ndarray  # on the split graph: zone sinks are n + zone index
    heads: np.ndarray
    cost: np.ndarray
    zones: np.ndarray  # 0-based source nodes
    sinks: np.ndarray  # 0-based sink nodes
    x: np.ndarray
    y: np.ndarray


def load() -> tuple[Problem, object]:
    net = read_tntp_network(DATA / "ChicagoRegional_net.tntp")
    nodes = read_tntp_nodes(DATA / "ChicagoRegional_node.tntp")
    n = int(net.node_ids.max())
    zones = net.zones - 1
    sink_of = np.arange(n)
    blocked = net.no_through - 1
    sink_of[blocked] = n + np.arange(blocked.size)
    tails = net.a_node - 1
    heads = sink_of[net.b_node - 1]
    x = np.zeros(n + blocked.size)
    y = np.zeros(n + blocked.size)
    x[nodes["node_id"].to_numpy() - 1] = nodes["x"].to_numpy()
    y[nodes["node_id"].to_numpy() - 1] = nodes["y"].to_numpy()
    x[n:], y[n:] = x[blocked], y[blocked]
    prob = Problem(n, tails, heads, net.free_flow_time.copy(), zones, sink_of[zones], x, y)
    return prob, net


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Best wall time of `repeat` runs, and that run's output."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        sec = time.perf_counter() - t0
        if sec < best:
            best, out = sec, res
    return best, out


def diff(a: np.ndarray, ref: np.ndarray) -> float:
    a = np.array(a, dtype=np.float64)
    # on a split graph a zone's sink copy is a different node: its own distance is a cycle
    np.fill_diagonal(a, 0.0)
    if a.shape != ref.shape or not np.array_equal(np.isinf(a), np.isinf(ref)):
        return float("inf")
    fin = np.isfinite(ref)
    return float(np.abs(a[fin] - ref[fin]).max()) if fin.any() else 0.0


def run_scipy(p: Problem, repeat: int) -> tuple[float, np.ndarray]:
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    def go() -> np.ndarray:
        n_all = p.x.size
        # scipy sums duplicate entries and reads a stored 0 as "no edge": reduce parallel
        # links to their minimum and give zero-cost links a negligible positive cost
        key = p.tails * n_all + p.heads
        order = np.lexsort((p.cost, key))
        first = np.ones(order.size, bool)
        first[1:] = key[order][1:] != key[order][:-1]
        sel = order[first]
        w = np.where(p.cost[sel] == 0.0, 1e-300, p.cost[sel])
        mat = sp.csr_matrix((w, (p.tails[sel], p.heads[sel])), shape=(n_all, n_all))
        dist = dijkstra(mat, directed=True, indices=p.zones)
        return np.asarray(dist[:, p.sinks])

    return timed(go, repeat)  # type: ignore[return-value]


def run_igraph(p: Problem, repeat: int) -> tuple[float, np.ndarray]:
    import igraph

    def go() -> np.ndarray:
        g = igraph.Graph(
            n=p.x.size, edges=np.column_stack([p.tails, p.heads]).tolist(), directed=True
        )
        d = g.distances(
            source=p.zones.tolist(), target=p.sinks.tolist(), weights=p.cost.tolist(), mode="out"
        )
        return np.asarray(d, dtype=np.float64)

    return timed(go, repeat)  # type: ignore[return-value]


def run_aequilibrae(net: object, threads: int, repeat: int) -> tuple[float, np.ndarray]:
    import pandas as pd
    from aequilibrae.paths import Graph, NetworkSkimming

    def go() -> np.ndarray:
        links = pd.DataFrame(
            {
                "link_id": net.link_ids,  # type: ignore[attr-defined]
                "a_node": net.a_node,  # type: ignore[attr-defined]
                "b_node": net.b_node,  # type: ignore[attr-defined]
                "direction": np.ones(net.link_ids.size, np.int64),  # type: ignore[attr-defined]
                "free_flow_time": net.free_flow_time,  # type: ignore[attr-defined]
            }
        )
        graph = Graph()
        graph.network = links
        graph.prepare_graph(net.zones.astype(np.int64))  # type: ignore[attr-defined]
        graph.set_graph("free_flow_time")
        graph.set_skimming(["free_flow_time"])
        graph.set_blocked_centroid_flows(True)
        skm = NetworkSkimming(graph)
        skm.set_cores(threads)
        skm.execute()
        mat = np.array(skm.results.skims.free_flow_time, dtype=np.float64)
        mat[np.isnan(mat)] = np.inf
        return mat

    return timed(go, repeat)  # type: ignore[return-value]


def run_routingkit(p: Problem, repeat: int) -> tuple[float, np.ndarray, str]:
    import routingkit_cch as rk

    tails, heads = p.tails.tolist(), p.heads.tolist()
    weights = np.round(p.cost * 1e6).astype(np.int64).tolist()

    def go() -> tuple[list[list[int | None]], dict[str, float]]:
        phases: dict[str, float] = {}
        t0 = time.perf_counter()
        order = rk.compute_order_inertial(p.x.size, tails, heads, p.y.tolist(), p.x.tolist())
        t1 = time.perf_counter()
        cch = rk.CCH(order, tails, heads, False)
        metric = rk.CCHMetric(cch, weights)
        t2 = time.perf_counter()
        otm = rk.CCHOneToMany(metric, p.sinks.tolist())
        rows = [otm.distances_from(int(z)) for z in p.zones]
        t3 = time.perf_counter()
        phases.update(order=t1 - t0, build=t2 - t1, query=t3 - t2)
        return rows, phases

    # the conversion of its lists of Python ints to an array is left out of its time
    sec, (rows, phases) = timed(go, repeat)  # type: ignore[misc]
    out = np.array([[np.inf if d is None else d for d in r] for r in rows], dtype=np.float64) / 1e6
    detail = (
        f"order {phases['order']:.2f} + CCH+customise {phases['build']:.2f} + "
        f"queries {phases['query']:.2f} s (1 thread)"
    )
    return sec, out, detail  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per library")
    args = parser.parse_args()
    if not (DATA / "ChicagoRegional_net.tntp").exists():
        raise SystemExit(f"no data at {DATA}; the benchmark needs ../shared/data")
    import numba

    numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    prob, net = load()
    graph = skim_graph_from_links(
        net.a_node,  # type: ignore[attr-defined]
        net.b_node,  # type: ignore[attr-defined]
        net.free_flow_time,  # type: ignore[attr-defined]
        node_ids=net.node_ids,  # type: ignore[attr-defined]
        no_through=net.no_through,  # type: ignore[attr-defined]
        metric="time_min",
    )
    z = graph.index_of(net.zones)  # type: ignore[attr-defined]
    print(
        f"chicago-regional: {graph.n_nodes:,} nodes, {graph.heads.size:,} links, "
        f"{z.size:,} zones; threads {args.threads}; best of {args.repeat}"
    )
    print(machine())
    # compile corridor's kernels (numba cache) on a small graph first
    small = skim_graph_from_links([1, 2, 3], [2, 3, 1], [1.0, 0.0, 2.0], no_through=[1])
    skim_on(small, np.arange(3), np.arange(3), method="ch")
    skim_on(small, np.arange(3), np.arange(3), method="dijkstra")

    rows: list[Row] = []
    t_dij, ref = timed(lambda: skim_on(graph, z, z, method="dijkstra")[0], args.repeat)
    ref = np.asarray(ref)
    rows.append(Row("corridor dijkstra (prange)", t_dij, "one Dijkstra per zone", 0.0))

    def ours_ch() -> tuple[np.ndarray, float, float]:
        t0 = time.perf_counter()
        hier = build_hierarchy(graph)
        t1 = time.perf_counter()
        values, _ = hier.many_to_many(z, z)
        return values, t1 - t0, time.perf_counter() - t1

    t_ch, (v_ch, prep, query) = timed(ours_ch, args.repeat)  # type: ignore[misc]
    exact = "identical" if np.array_equal(v_ch, ref) else f"max diff {diff(v_ch, ref):.2e}"
    rows.append(
        Row(
            "corridor ch (many-to-many)",
            t_ch,
            f"preprocess {prep:.2f} + queries {query:.2f} s; vs Dijkstra: {exact}",
            diff(v_ch, ref),
        )
    )
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    t_ch1, (v_ch1, prep1, query1) = timed(ours_ch, args.repeat)  # type: ignore[misc]
    numba.set_num_threads(threads)
    rows.append(
        Row(
            "corridor ch, 1 thread",
            t_ch1,
            f"preprocess {prep1:.2f} + queries {query1:.2f} s",
            diff(v_ch1, ref),
        )
    )
    anchors: list[tuple[str, Callable[[], tuple[float, np.ndarray, str]]]] = [
        ("scipy csgraph.dijkstra", lambda: (*run_scipy(prob, args.repeat), "indices=zones")),
        ("igraph distances", lambda: (*run_igraph(prob, args.repeat), "Graph.distances")),
        (
            "aequilibrae NetworkSkimming",
            lambda: (
                *run_aequilibrae(net, args.threads, args.repeat),
                f"graph prep + skim, {args.threads} cores",
            ),
        ),
        ("routingkit-cch", lambda: run_routingkit(prob, args.repeat)),
    ]
    for name, fn in anchors:
        try:
            sec, mat, detail = fn()
            rows.append(Row(name, sec, detail, diff(mat, ref)))
        except ImportError as exc:
            rows.append(Row(name, float("nan"), f"not installed: {exc}"))
        except (RuntimeError, ValueError, TypeError, KeyError, OSError, AttributeError) as exc:
            traceback.print_exc()
            rows.append(Row(name, float("nan"), f"failed: {exc!r}"))

    ours_best = min(t_ch, t_dij)
    print(f"\n{'library':<30} {'seconds':>8} {'x ours':>7} {'max|diff|':>10}  detail")
    for r in rows:
        ratio = r.seconds / ours_best if np.isfinite(r.seconds) else float("nan")
        print(f"{r.name:<30} {r.seconds:8.3f} {ratio:7.2f} {r.max_diff:10.2e}  {r.detail}")
    print(
        "\nx ours = seconds / corridor's best; max|diff| = largest difference from corridor's "
        "Dijkstra, minutes (scipy's zero-cost links carry 1e-300)."
    )


if __name__ == "__main__":
    main()
