"""Point-to-point shortest paths on a contraction hierarchy: corridor against routingkit-cch.

Graphs (``--graph``):

* ``chicago``: TNTP chicago-regional (12,982 nodes, 39,018 links, with node coordinates),
  free-flow minutes x 1e6 as integer weights; routingkit-cch gets its best documented
  order, inertial flow from the coordinates;
* ``NY``: the DIMACS road topology (264k nodes, 366k undirected edges, ../shared/data/
  roadgraphs) with seeded uniform integer weights in [1000, 100000) on each edge, both
  directions. The file has no coordinates, so routingkit-cch can only use its
  ``compute_order_degree`` order, which is far from its nested-dissection quality: its row
  on NY shows that limit, not routingkit at its best.

The same integer weights go to both libraries, so the answers must be identical (checked).

* preprocessing: corridor's contraction hierarchy (``build_hierarchy``: node order by edge
  difference, witness searches, shortcuts) against routingkit-cch's customisable CH
  (order, then ``CCH`` + ``CCHMetric`` customisation); best of ``--repeat``;
* queries: ``--queries`` random pairs, distance and path, ours (``Hierarchy.one_to_one``,
  bidirectional with stall-on-demand, per-thread workspace, shortcuts unpacked into arcs)
  and routingkit's ``CCHQuery.run`` (then its ``node_path``), alternating query by query
  (bench/harness.py); min and median microseconds per query. Both are called from Python,
  so each query includes one call's overhead on both sides.

Run: ``.venv/bin/pip install -e '.[bench]'`` (routingkit-cch), then
``.venv/bin/python bench/p2p.py [--queries 2000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from harness import interleave, machine
from shortest_path import read_pace

from corridor.paths.skim import build_hierarchy, skim_graph_from_links

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "roadgraphs"
TNTP = DATA.parent / "tntp"


def _chicago() -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    from corridor.assignment.tntp import read_tntp_network
    from corridor.io.tntp import read_tntp_nodes

    folder = TNTP / "chicago-regional"
    net = read_tntp_network(folder / "ChicagoRegional_net.tntp")
    nodes = read_tntp_nodes(folder / "ChicagoRegional_node.tntp")
    n = int(net.node_ids.max())
    xy = np.zeros((n, 2))
    xy[nodes["node_id"].to_numpy() - 1] = nodes[["x", "y"]].to_numpy()
    a, b = net.a_node - 1, net.b_node - 1
    w = np.round(net.free_flow_time * 1e6).astype(np.int64)  # routingkit takes integers
    order = np.lexsort((w, b, a))
    first = np.ones(order.size, bool)
    first[1:] = (a[order][1:] != a[order][:-1]) | (b[order][1:] != b[order][:-1])
    sel = order[first & (a[order] != b[order])]  # the cheapest of parallel links, no loops
    tails, heads, cost = a[sel], b[sel], w[sel]
    return n, tails, heads, cost, xy


def _pace(name: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    path = DATA / f"{name}.gr.xz"
    if not path.exists():
        raise SystemExit(f"{path} is absent (shared reference data)")
    n, u, v = read_pace(path)
    w = np.random.default_rng(42).integers(1000, 100000, u.size)
    return n, np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w]), None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", default="NY", help="NY, COL, BAY or chicago")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, tails, heads, cost, xy = _chicago() if args.graph == "chicago" else _pace(args.graph)
    rng = np.random.default_rng(7)
    print(machine())
    order_note = "degree order (no coordinates)" if xy is None else "inertial-flow order"
    print(f"{args.graph}: {n:,} nodes, {tails.size:,} arcs; routingkit {order_note}")

    graph = skim_graph_from_links(tails, heads, cost.astype(np.float64), node_ids=np.arange(n))
    build_hierarchy(skim_graph_from_links([0, 1], [1, 0], [1.0, 1.0]))  # compile first
    ours_prep = []
    hier = None
    for _ in range(args.repeat):
        t = time.perf_counter()
        hier = build_hierarchy(graph)
        ours_prep.append(time.perf_counter() - t)
    assert hier is not None
    hier.one_to_one(0, 1)

    rk_prep = []
    query = None
    try:
        import routingkit_cch as rk
    except ImportError as exc:
        rk = None
        print(f"routingkit-cch not installed ({exc}): only our rows")
    if rk is not None:
        tl, hl, wl = tails.tolist(), heads.tolist(), cost.tolist()
        for _ in range(args.repeat):
            t = time.perf_counter()
            if xy is None:
                order = rk.compute_order_degree(n, tl, hl)
            else:
                order = rk.compute_order_inertial(n, tl, hl, xy[:, 1].tolist(), xy[:, 0].tolist())
            cch = rk.CCH(order, tl, hl, False)
            metric = rk.CCHMetric(cch, wl)
            rk_prep.append(time.perf_counter() - t)
        query = rk.CCHQuery(metric)

    pairs = rng.integers(0, n, (args.queries, 2))
    # same answers first
    for s, d in pairs[:200]:
        ours_d, arcs = hier.one_to_one(int(s), int(d))
        if query is not None:
            res = query.run(int(s), int(d))
            assert res.distance == ours_d, (s, d, res.distance, ours_d)
            assert np.array_equal(graph.tails[arcs[1:]], graph.heads[arcs[:-1]])
            assert graph.cost[arcs].sum() == ours_d
            del res  # routingkit allows one live result per query object
    tasks = {"ours": lambda k: hier.one_to_one(int(pairs[k, 0]), int(pairs[k, 1]))}
    if query is not None:
        tasks["routingkit"] = lambda k: query.run(int(pairs[k, 0]), int(pairs[k, 1])).node_path
    got = interleave(tasks, args.queries)

    print(f"\n{'task':<34}{'corridor':>22}{'routingkit-cch':>22}{'ratio':>7}")
    rk_cell = f"{min(rk_prep):.2f} s" if rk_prep else "-"
    ratio = f"{min(rk_prep) / min(ours_prep):7.2f}" if rk_prep else ""
    print(
        f"{'preprocessing (best of ' + str(args.repeat) + ')':<34}{min(ours_prep):>20.2f} s"
        f"{rk_cell:>22}{ratio}"
    )
    mine = got["ours"]
    theirs = got.get("routingkit")
    cell = f"{mine.min * 1e6:.1f} / {mine.median * 1e6:.1f} us"
    other = f"{theirs.min * 1e6:.1f} / {theirs.median * 1e6:.1f} us" if theirs else "-"
    ratio = f"{theirs.median / mine.median:7.2f}" if theirs else ""
    print(f"{'query, distance + path (min / med)':<34}{cell:>22}{other:>22}{ratio}")
    print("ratio: routingkit / corridor (> 1: we are faster); queries interleaved one by one")


if __name__ == "__main__":
    main()
