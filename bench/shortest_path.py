"""Shortest-path benchmark: corridor's numba kernels against scipy and igraph, same data, same run.

Graphs: the DIMACS road topologies NY (264k nodes) and COL (436k) from ../shared/data/roadgraphs
(undirected, unweighted; we give every edge a seeded uniform weight in [1, 100)), and a generated
road-like graph of 1,000,000 nodes (a 1000 x 1000 grid with 10 % of edges removed, seeded uniform
weights). For each graph: one-to-all from 30 random sources (the engine's default search,
`kernels.dijkstra.dijkstra` = the lazy-deletion heap used by skims, accessibility and
isochrones, against scipy with and without predecessors, ours always computing them, and
igraph; and the former indexed-heap kernel against scipy with predecessors), and random
one-to-one queries
with early exit on both sides (ours stops at the target; scipy's `limit` stops at the
target's distance, which we hand it; igraph's `get_shortest_path`). Ours and the anchor
alternate query by query (bench/harness.py); prints min and median ms per query, the
ratio of medians (> 1 means we are faster) and the machine's load.

Run: `make bench` (installs python-igraph), or
`.venv/bin/python bench/shortest_path.py [--queries N]`.
"""

from __future__ import annotations

import argparse
import lzma
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from harness import Samples, interleave, machine  # sets OMP_WAIT_POLICY before any OpenMP start
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.kernels.dijkstra import dijkstra, dijkstra_to, dijkstra_tree, new_workspace

SAMPLES = 30  # one-to-all sources, each timed once per library, interleaved

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "roadgraphs"


def read_pace(path: Path) -> tuple[int, np.ndarray, np.ndarray]:
    """Read a PACE 2016 .gr(.xz) graph: returns (n, u, v) with 0-based endpoints."""
    with lzma.open(path, "rt") as fh:
        header = fh.readline().split()
        n = int(header[2])
        edges = np.loadtxt(fh, dtype=np.int64)
    return n, edges[:, 0] - 1, edges[:, 1] - 1


def grid_graph(side: int, rng: np.random.Generator) -> tuple[int, np.ndarray, np.ndarray]:
    """A side x side grid with 10 % of its edges removed (road-like: planar, degree <= 4)."""
    idx = np.arange(side * side).reshape(side, side)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    keep = rng.random(u.size) >= 0.10
    return side * side, u[keep], v[keep]


def to_csr(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray):
    tails = np.concatenate([u, v])
    heads = np.concatenate([v, u])
    cost = np.concatenate([w, w])
    order = np.argsort(tails, kind="stable")
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    heads, cost = heads[order].astype(np.int32), cost[order]
    matrix = sp.csr_matrix((cost, heads, indptr), shape=(n, n))
    return indptr, heads, cost, matrix


def run(name: str, n: int, u: np.ndarray, v: np.ndarray, queries: int, rng) -> list[tuple]:
    """Rows (graph, task, anchor, our samples, anchor samples) for one graph."""
    w = rng.uniform(1.0, 100.0, u.size)
    indptr, heads, cost, matrix = to_csr(n, u, v, w)
    rows = []
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    dijkstra(indptr, heads, cost, 0, dist, pred)  # compile outside the timing
    sources = rng.integers(0, n, SAMPLES)
    ref = scipy_dijkstra(matrix, directed=True, indices=int(sources[-1]))
    dijkstra(indptr, heads, cost, int(sources[-1]), dist, pred)
    assert np.allclose(ref, dist), "scipy and corridor disagree"
    # the engine's default one-to-all search (kernels.dijkstra.dijkstra: the lazy-deletion
    # heap, scratch allocated per call as the engine does), against scipy computing
    # distances only (its default), distances with predecessors (the same task as ours)
    # and igraph
    anchors = {
        "scipy": lambda k: scipy_dijkstra(matrix, directed=True, indices=int(sources[k])),
        "scipy+pred": lambda k: scipy_dijkstra(
            matrix, directed=True, indices=int(sources[k]), return_predecessors=True
        ),
    }
    try:
        import igraph as ig

        g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist(), directed=False)
        g.es["w"] = w.tolist()
        anchors["igraph"] = lambda k: g.distances(source=int(sources[k]), weights="w")
    except ImportError:
        g = None
        print("  igraph not installed: `pip install python-igraph` (bench extra)")
    for anchor, fn in anchors.items():
        got = interleave(
            {
                "ours": lambda k: dijkstra(indptr, heads, cost, int(sources[k]), dist, pred),
                anchor: fn,
            },
            SAMPLES,
        )
        rows.append((name, "one-to-all", anchor, got["ours"], got[anchor]))

    # the former default, the indexed 4-ary heap with decrease-key (kernels.dijkstra_tree,
    # still used by assignment), against scipy with predecessors: kept to show the change
    blocked = np.zeros(n, np.bool_)
    order = np.empty(n, np.int64)
    heap, hkey, pos = np.empty(n, np.int32), np.empty(n), np.empty(n, np.int32)
    args = (dist, pred, order, heap, hkey, pos)
    dijkstra_tree(indptr, heads, cost, blocked, int(sources[-1]), *args)
    assert np.allclose(ref, dist), "scipy and corridor (indexed heap) disagree"
    got = interleave(
        {
            "ours": lambda k: dijkstra_tree(indptr, heads, cost, blocked, int(sources[k]), *args),
            "scipy+pred": anchors["scipy+pred"],
        },
        SAMPLES,
    )
    rows.append((name, "one-to-all indexed heap", "scipy+pred", got["ours"], got["scipy+pred"]))

    # one-to-one with early exit on both sides: ours stops when the target is settled;
    # scipy's documented early exit is `limit` (it stops at that radius), given the true
    # distance (known from our answer), which favours scipy; igraph's get_shortest_path
    pairs = rng.integers(0, n, (queries, 2))
    ws = new_workspace(n)
    dijkstra_to(indptr, heads, cost, 0, 1, ws)
    truth = np.array([dijkstra_to(indptr, heads, cost, int(s), int(d), ws)[0] for s, d in pairs])
    ok = np.isfinite(truth)
    pairs, truth = pairs[ok], truth[ok]
    check = scipy_dijkstra(
        matrix, directed=True, indices=int(pairs[0, 0]), limit=truth[0] * 1.000001
    )
    assert np.isclose(check[pairs[0, 1]], truth[0]), "scipy and corridor disagree on one-to-one"
    anchors = {
        "scipy": lambda k: scipy_dijkstra(
            matrix, directed=True, indices=int(pairs[k, 0]), limit=truth[k] * 1.000001
        )
    }
    if g is not None:
        anchors["igraph"] = lambda k: g.get_shortest_path(
            int(pairs[k, 0]), int(pairs[k, 1]), weights="w"
        )
    task = f"one-to-one x{len(pairs)}"
    for anchor, fn in anchors.items():
        got = interleave(
            {
                "ours": lambda k: dijkstra_to(
                    indptr, heads, cost, int(pairs[k, 0]), int(pairs[k, 1]), ws
                ),
                anchor: fn,
            },
            len(pairs),
        )
        rows.append((name, task, anchor, got["ours"], got[anchor]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--grid-side", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    graphs = []
    for name in ("NY", "COL"):
        path = DATA / f"{name}.gr.xz"
        if path.exists():
            graphs.append((name, *read_pace(path)))
        else:
            print(f"skipping {name}: {path} is absent (shared reference data)")
    graphs.append((f"grid{args.grid_side}^2", *grid_graph(args.grid_side, rng)))
    print(machine())
    print("warm: kernels compiled and graphs built before timing; ms per query, min / median")
    print(
        f"{'graph':>12} {'query':>16} {'anchor':>10} {'ours ms':>18} {'anchor ms':>18} {'ratio':>6}"
    )
    for name, n, u, v in graphs:
        for graph, query, anchor, ours, theirs in run(name, n, u, v, args.queries, rng):
            print(
                f"{graph:>12} {query:>16} {anchor:>10} {_ms(ours):>18} {_ms(theirs):>18} "
                f"{theirs.median / ours.median:6.2f}"
            )
    print("ratio: anchor median / our median (> 1: we are faster)")


def _ms(s: Samples) -> str:
    return f"{s.min * 1e3:.3f} / {s.median * 1e3:.3f}"


if __name__ == "__main__":
    main()
