"""Point-to-point queries on a contraction hierarchy (numba; arrays in, arrays out).

A bidirectional Dijkstra: forward over the upward graph from the origin, backward over the
downward graph from the destination, always advancing the side with the smaller key, both
with stall-on-demand, each side stopping once its smallest key reaches the best meeting
cost found. The path is the forward tree from the origin to the meeting node and the
backward tree from there to the destination; its shortcuts unpack recursively into input
arcs through their two child edges (see :func:`corridor.kernels.ch_contract.contract`).

Every array is a reusable workspace sized by the hierarchy's node count and reset only
where a query touched it, so a query costs its search space, not the graph's size.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.heap import UNSEEN, pop, push

__all__ = ["Workspace", "new_workspace", "one_to_one"]

Workspace = tuple[np.ndarray, ...]


def new_workspace(n: int) -> Workspace:
    """Scratch arrays for :func:`one_to_one` on a hierarchy of `n` nodes (one per thread)."""
    ws = []
    for _side in range(2):
        ws += [
            np.full(n, np.inf),  # dist
            np.full(n, UNSEEN, np.int32),  # heap slot
            np.empty(n, np.int32),  # heap nodes
            np.empty(n),  # heap keys
            np.full(n, -1, np.int64),  # previous node
            np.full(n, -1, np.int64),  # edge id from the previous node
            np.empty(n, np.int64),  # touched nodes
        ]
    ws += [np.empty(n, np.int64), np.empty(n, np.int64)]  # unpack stack, path edges
    return tuple(ws)


@nb.njit(cache=True, nogil=True, inline="always")
def _stalled(u, du, dist, s_indptr, s_head, s_w):
    stalled = False  # a loop with a flag: numba compiles no any() over a generator
    for e in range(s_indptr[u], s_indptr[u + 1]):
        if dist[s_head[e]] + s_w[e] < du:
            stalled = True
            break
    return stalled


@nb.njit(cache=True, nogil=True)
def _unpack(edge, child1, child2, stack, out, n_out):
    """Append the input edges of hierarchy edge `edge` to `out`, in travel order."""
    top = 0
    stack[0] = edge
    top = 1
    while top > 0:
        top -= 1
        e = stack[top]
        if child1[e] < 0:
            out[n_out] = e
            n_out += 1
        else:
            stack[top] = child2[e]
            stack[top + 1] = child1[e]
            top += 2
    return n_out


@nb.njit(cache=True, nogil=True)
def unpack_path(s, t, meet, prevf, edgef, prevb, edgeb, child1, child2, stack, out):
    """Write the input edges of the path s -> meet -> t into `out`, in travel order.

    `prevf`/`edgef` lead back from `meet` to `s` (forward search), `prevb`/`edgeb` on from
    `meet` to `t` (backward search); returns how many edges were written.
    """
    n_out = 0
    hops = 0
    v = meet
    while v != s:
        hops += 1
        v = prevf[v]
    v = meet
    for i in range(hops - 1, -1, -1):
        out[i] = edgef[v]  # hierarchy edges s -> meet, placed in order
        v = prevf[v]
    forward = out[:hops].copy()
    for i in range(hops):
        n_out = _unpack(forward[i], child1, child2, stack, out, n_out)
    v = meet
    while v != t:
        n_out = _unpack(edgeb[v], child1, child2, stack, out, n_out)
        v = prevb[v]
    return n_out


@nb.njit(cache=True, nogil=True)
def one_to_one(
    up_indptr,
    up_head,
    up_w,
    up_edge,
    dn_indptr,
    dn_head,
    dn_w,
    dn_edge,
    child1,
    child2,
    s,
    t,
    want_path,
    df,
    pf,
    hf,
    kf,
    prevf,
    edgef,
    tf,
    db,
    pb,
    hb,
    kb,
    prevb,
    edgeb,
    tb,
    stack,
    out,
):
    """Least cost from rank `s` to rank `t`; returns (cost, number of path edges in `out`).

    `out[:count]` are the input edge ids of the path in travel order when `want_path`
    (count 0 if there is none or it was not asked for). The workspace is left reset.
    """
    df[s] = 0.0
    db[t] = 0.0
    tf[0] = s
    tb[0] = t
    ntf = 1
    ntb = 1
    sf = push(hf, kf, pf, 0, s, 0.0)
    sb = push(hb, kb, pb, 0, t, 0.0)
    best = np.inf
    meet = -1
    while True:
        go_f = sf > 0 and kf[0] < best
        go_b = sb > 0 and kb[0] < best
        if not (go_f or go_b):
            break
        # the two sides are written out: one shared step function returning a tuple made
        # queries ~60 % slower (bench/p2p.py, chicago, median 81 vs 51 us)
        if go_f and (not go_b or kf[0] <= kb[0]):
            u, sf = pop(hf, kf, pf, sf)
            du = df[u]
            if _stalled(u, du, df, dn_indptr, dn_head, dn_w):
                continue
            if db[u] + du < best:
                best = db[u] + du
                meet = u
            for e in range(up_indptr[u], up_indptr[u + 1]):
                x = up_head[e]
                nd = du + up_w[e]
                if nd < df[x]:
                    if df[x] == np.inf:
                        tf[ntf] = x
                        ntf += 1
                    df[x] = nd
                    prevf[x] = u
                    edgef[x] = up_edge[e]
                    sf = push(hf, kf, pf, sf, x, nd)
        else:
            u, sb = pop(hb, kb, pb, sb)
            du = db[u]
            if _stalled(u, du, db, up_indptr, up_head, up_w):
                continue
            if df[u] + du < best:
                best = df[u] + du
                meet = u
            for e in range(dn_indptr[u], dn_indptr[u + 1]):
                x = dn_head[e]
                nd = du + dn_w[e]
                if nd < db[x]:
                    if db[x] == np.inf:
                        tb[ntb] = x
                        ntb += 1
                    db[x] = nd
                    prevb[x] = u
                    edgeb[x] = dn_edge[e]
                    sb = push(hb, kb, pb, sb, x, nd)
    n_out = 0
    if want_path and meet >= 0:
        n_out = unpack_path(s, t, meet, prevf, edgef, prevb, edgeb, child1, child2, stack, out)
    for i in range(ntf):
        x = tf[i]
        df[x] = np.inf
        pf[x] = UNSEEN
    for i in range(ntb):
        x = tb[i]
        db[x] = np.inf
        pb[x] = UNSEEN
    return best, n_out
