"""Point-to-point queries on a customisable CH by its elimination tree (numba; arrays in,
arrays out).

In a chordal supergraph every upper neighbour of a node is one of its ancestors in the
elimination tree (the parent of a node is its lowest upper neighbour), so an upward search
from s never leaves the chain from s to its root. The query (Dibbelt, Strasser & Wagner
2016, section 5.1; Bauer et al. 2016) therefore needs no priority queue: it walks the two
chains from s and from t in increasing rank, relaxing each node's upward arcs (forward
weights from s, backward weights towards t), and the least sum of the two distances over
the nodes both chains share is the distance. Each chain is walked once more to reset the
workspace, so a query costs its two chains (the tree's height is a few hundred nodes on a
road graph ordered by nested dissection), whatever the graph's size.

The path is the forward chain of predecessors from the meeting node back to s, then the
backward chain to t; shortcuts unpack through their two child edges, as in
:mod:`corridor.kernels.ch_p2p`.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.ch_p2p import unpack_path

__all__ = ["etree_query", "new_etree_workspace"]


def new_etree_workspace(n: int) -> tuple[np.ndarray, ...]:
    """Scratch arrays for :func:`etree_query` on a hierarchy of `n` nodes (one per
    thread): distances reset to inf, predecessors, edges, an unpack stack and the path."""
    return (
        np.full(n, np.inf),  # forward distance
        np.full(n, np.inf),  # backward distance
        np.full(n, -1, np.int64),  # forward predecessor
        np.full(n, -1, np.int64),  # forward edge id
        np.full(n, -1, np.int64),  # backward successor
        np.full(n, -1, np.int64),  # backward edge id
        np.empty(n, np.int64),  # unpack stack
        np.empty(n, np.int64),  # path edges
    )


@nb.njit(cache=True, nogil=True, inline="always")
def _relax(x, d, up_indptr, up_head, w, edge_id, dist, prev, edge):
    for e in range(up_indptr[x], up_indptr[x + 1]):
        y = up_head[e]
        nd = d + w[e]
        if nd < dist[y]:
            dist[y] = nd
            prev[y] = x
            edge[y] = edge_id[e]


@nb.njit(cache=True, nogil=True)
def etree_query(
    up_indptr,
    up_head,
    up_w,
    up_edge,
    dn_w,
    dn_edge,
    parent,
    child1,
    child2,
    s,
    t,
    want_path,
    df,
    db,
    prevf,
    edgef,
    prevb,
    edgeb,
    stack,
    out,
):
    """Least cost from rank `s` to rank `t`; returns (cost, number of path edges in `out`).

    ``up_indptr`` int64[n+1], ``up_head`` int64[E]: the topology; ``up_w`` / ``dn_w``
    float64[E]: each edge's weight up (lower -> upper end) and down; ``up_edge`` /
    ``dn_edge`` int64[E] and ``child1`` / ``child2``: hierarchy edge ids and their halves
    (as :func:`corridor.kernels.ch_p2p.one_to_one`); ``parent`` int64[n]: the elimination
    tree. The workspace is left reset.
    """
    df[s] = 0.0
    db[t] = 0.0
    x = s
    y = t
    while x != y:  # below the lowest common ancestor each chain is its own
        if y < 0 or (0 <= x < y):
            _relax(x, df[x], up_indptr, up_head, up_w, up_edge, df, prevf, edgef)
            x = parent[x]
        else:
            _relax(y, db[y], up_indptr, up_head, dn_w, dn_edge, db, prevb, edgeb)
            y = parent[y]
    best = np.inf
    meet = -1
    while x >= 0:  # the shared chain: both distances are final on reaching a node
        dx = df[x]
        bx = db[x]
        if dx + bx < best:
            best = dx + bx
            meet = x
        _relax(x, dx, up_indptr, up_head, up_w, up_edge, df, prevf, edgef)
        _relax(x, bx, up_indptr, up_head, dn_w, dn_edge, db, prevb, edgeb)
        x = parent[x]
    n_out = 0
    if want_path and meet >= 0:
        n_out = unpack_path(s, t, meet, prevf, edgef, prevb, edgeb, child1, child2, stack, out)
    v = s
    while v >= 0:
        df[v] = np.inf
        prevf[v] = -1
        v = parent[v]
    v = t
    while v >= 0:
        db[v] = np.inf
        prevb[v] = -1
        v = parent[v]
    return best, n_out
