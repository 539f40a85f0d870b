"""Shortest-path benchmark: corridor's numba kernels against scipy and igraph, same data, same run.

Graphs: the DIMACS road topologies NY (264k nodes) and COL (436k) from ../shared/data/roadgraphs
(undirected, unweighted; we give every edge a seeded uniform weight in [1, 100)), and a generated
road-like graph of 1,000,000 nodes (a 1000 x 1000 grid with 10 % of edges removed, seeded uniform
weights). For each graph: one-to-all from 5 random sources, and random one-to-one queries
(ours with early exit; scipy has no target so it runs one-to-all per query; igraph's
`get_shortest_path`). Prints seconds per query and the ratio anchor/ours (> 1 means we are faster).

Run: `make bench` (installs python-igraph), or
`.venv/bin/python bench/shortest_path.py [--queries N]`.
"""

from __future__ import annotations

import argparse
import lzma
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor.kernels.dijkstra import dijkstra, dijkstra_to, new_workspace

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


def best_of(fn, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(name: str, n: int, u: np.ndarray, v: np.ndarray, queries: int, rng) -> list[tuple]:
    w = rng.uniform(1.0, 100.0, u.size)
    indptr, heads, cost, matrix = to_csr(n, u, v, w)
    rows = []
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    dijkstra(indptr, heads, cost, 0, dist, pred)  # compile outside the timing
    sources = rng.integers(0, n, 5)

    ours = np.mean(
        [best_of(lambda s=s: dijkstra(indptr, heads, cost, s, dist, pred)) for s in sources]
    )
    ref = scipy_dijkstra(matrix, directed=True, indices=int(sources[-1]))
    assert np.allclose(ref, dist), "scipy and corridor disagree"
    sci = np.mean(
        [
            best_of(lambda s=s: scipy_dijkstra(matrix, directed=True, indices=int(s)))
            for s in sources
        ]
    )
    rows.append((name, "one-to-all", "scipy", ours, sci))
    try:
        import igraph as ig

        g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist(), directed=False)
        g.es["w"] = w.tolist()
        ig_t = np.mean(
            [best_of(lambda s=s: g.distances(source=int(s), weights="w")) for s in sources]
        )
        rows.append((name, "one-to-all", "igraph", ours, ig_t))
    except ImportError:
        g = None
        print("  igraph not installed: `pip install python-igraph` (bench extra)")

    pairs = rng.integers(0, n, (queries, 2))
    ws = new_workspace(n)
    dijkstra_to(indptr, heads, cost, 0, 1, ws)
    t = time.perf_counter()
    totals = [dijkstra_to(indptr, heads, cost, int(s), int(d), ws)[0] for s, d in pairs]
    ours_q = (time.perf_counter() - t) / queries
    k = min(queries, 20)  # scipy has no early exit: one-to-all per query; time a sample
    t = time.perf_counter()
    answers = [scipy_dijkstra(matrix, directed=True, indices=int(s))[d] for s, d in pairs[:k]]
    sci_q = (time.perf_counter() - t) / k
    assert np.allclose(answers, totals[:k]), "scipy and corridor disagree on one-to-one"
    rows.append((name, f"one-to-one x{queries}", "scipy", ours_q, sci_q))
    if g is not None:
        k = min(queries, 200)
        t = time.perf_counter()
        for s, d in pairs[:k]:
            g.get_shortest_path(int(s), int(d), weights="w")
        rows.append(
            (name, f"one-to-one x{queries}", "igraph", ours_q, (time.perf_counter() - t) / k)
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
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
    print(f"{'graph':>12} {'query':>18} {'anchor':>7} {'ours s':>10} {'anchor s':>10} {'ratio':>7}")
    for name, n, u, v in graphs:
        for graph, query, anchor, ours, theirs in run(name, n, u, v, args.queries, rng):
            ratio = theirs / ours
            print(f"{graph:>12} {query:>18} {anchor:>7} {ours:10.5f} {theirs:10.5f} {ratio:7.2f}")


if __name__ == "__main__":
    main()
