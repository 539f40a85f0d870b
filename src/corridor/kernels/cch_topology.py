"""The metric-independent part of a customisable contraction hierarchy (numba; arrays in,
arrays out).

Customisable contraction hierarchies (Dibbelt, Strasser & Wagner 2016, ACM JEA 21) split
preprocessing in two. This module does the first, weight-free part: given a node order
(ranks), it contracts the undirected graph ignoring weights, which adds an edge between
every pair of upper neighbours of each contracted node. The result is the chordal
supergraph of the graph for that order; its edges are the hierarchy's arcs, fixed for the
network whatever the weights (see :mod:`corridor.kernels.cch_customise`).

The fill is computed along the elimination tree (a node's parent is its lowest-ranked upper
neighbour): a node's upper neighbours are its own plus those of its children, less itself
(Strasser's formulation of the symbolic elimination), so the work is linear in the edges
of the result.

Nodes are numbered by rank. Every edge is stored once, at its lower end: ``up_indptr``
int64[n+1], ``up_head`` int64[E] (sorted within each row); an edge's id is its position.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = [
    "chordal_supergraph",
    "count_triangles",
    "down_lists",
    "edge_of",
    "lower_triangles",
]


@nb.njit(cache=True, nogil=True)
def _grow(arr, size):
    out = np.empty(size, arr.dtype)
    out[: arr.size] = arr
    return out


@nb.njit(cache=True, nogil=True)
def chordal_supergraph(n, g_indptr, g_head):
    """Contract an undirected graph by rank, ignoring weights.

    Parameters (dtypes): `n` nodes numbered by rank; ``g_indptr`` int64[n+1] and ``g_head``
    int64 list each node's higher-ranked neighbours (any order, duplicates allowed).

    Returns (up_indptr int64[n+1], up_head int64[E], parent int64[n]): the upper neighbours
    of each node in the chordal supergraph, sorted, and the elimination-tree parent of
    each node (-1 for a root).
    """
    up_indptr = np.zeros(n + 1, np.int64)
    up_head = np.empty(max(16, 2 * g_head.size), np.int64)
    parent = np.full(n, -1, np.int64)
    first_child = np.full(n, -1, np.int64)
    next_sibling = np.full(n, -1, np.int64)
    buf = np.empty(16, np.int64)
    end = 0
    for v in range(n):
        nb_ = 0
        need = g_indptr[v + 1] - g_indptr[v]
        c = first_child[v]
        while c >= 0:
            need += up_indptr[c + 1] - up_indptr[c]
            c = next_sibling[c]
        if need > buf.size:
            buf = np.empty(2 * need, np.int64)
        for i in range(g_indptr[v], g_indptr[v + 1]):
            buf[nb_] = g_head[i]
            nb_ += 1
        c = first_child[v]
        while c >= 0:
            for i in range(up_indptr[c], up_indptr[c + 1]):
                x = up_head[i]
                if x != v:
                    buf[nb_] = x
                    nb_ += 1
            c = next_sibling[c]
        row = np.sort(buf[:nb_])
        if end + nb_ > up_head.size:
            up_head = _grow(up_head, max(2 * up_head.size, end + nb_))
        last = -1
        for i in range(nb_):
            x = row[i]
            if x != last:
                up_head[end] = x
                end += 1
                last = x
        up_indptr[v + 1] = end
        if end > up_indptr[v]:
            p = up_head[up_indptr[v]]
            parent[v] = p
            next_sibling[v] = first_child[p]
            first_child[p] = v
    return up_indptr, up_head[:end].copy(), parent


@nb.njit(cache=True, nogil=True)
def _count_triangles(up_indptr):
    t = 0
    for x in range(up_indptr.size - 1):
        d = up_indptr[x + 1] - up_indptr[x]
        t += d * (d - 1) // 2
    return t


@nb.njit(cache=True, nogil=True)
def _fill_triangles(up_indptr, up_head, tri):
    t = 0
    for x in range(up_indptr.size - 1):
        end_x = up_indptr[x + 1]
        for i in range(up_indptr[x], end_x):
            p = up_indptr[up_head[i]]  # walk v's sorted upper list alongside x's (a superset)
            for j in range(i + 1, end_x):
                u = up_head[j]
                while up_head[p] != u:
                    p += 1
                tri[t] = p
                t += 1


def count_triangles(up_indptr: np.ndarray) -> int:
    """Number of lower triangles of a chordal supergraph."""
    return int(_count_triangles(up_indptr))


def lower_triangles(up_indptr: np.ndarray, up_head: np.ndarray) -> np.ndarray:
    """Every lower triangle, as the edge it closes, int32[T] (int64 past 2**31 edges).

    For each node x in increasing rank and each pair i < j of its upper edges (to v and
    u, v below u: upper lists are sorted), the entry is the id of edge {v, u}; the pairs
    themselves are implicit in that order, which the customisation walks in step. A
    chordal supergraph has all of them, so customisation never has to search for one.
    """
    dtype = np.int32 if up_head.size < 2**31 else np.int64
    tri = np.empty(_count_triangles(up_indptr), dtype)
    _fill_triangles(up_indptr, up_head, tri)
    return tri


def down_lists(up_indptr: np.ndarray, up_head: np.ndarray) -> tuple[np.ndarray, ...]:
    """The same edges listed at their upper end: (dn_indptr int64[n+1], dn_low int64[E]
    the lower end, dn_edge int64[E] the edge id), sorted by lower end within each row."""
    n = up_indptr.size - 1
    low = np.repeat(np.arange(n, dtype=np.int64), np.diff(up_indptr))
    order = np.argsort(up_head, kind="stable")  # edges are in lower-end order already
    dn_indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(up_head, minlength=n), out=dn_indptr[1:])
    return dn_indptr, low[order], order.astype(np.int64)


def edge_of(up_indptr: np.ndarray, up_head: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Edge id of each pair {a, b} of ranks (a != b), -1 where the supergraph has none."""
    n = up_indptr.size - 1
    low = np.repeat(np.arange(n, dtype=np.int64), np.diff(up_indptr))
    keys = low * n + up_head
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    want = lo * n + hi
    pos = np.minimum(np.searchsorted(keys, want), max(keys.size - 1, 0))
    found = keys.size > 0
    out = np.full(want.size, -1, np.int64)
    if found:
        hit = keys[pos] == want
        out[hit] = pos[hit]
    return out
