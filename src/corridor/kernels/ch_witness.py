"""Witness searches of contraction-hierarchy preprocessing (numba; arrays in, arrays out).

Before node v is contracted, a bounded Dijkstra from each in-neighbour u over the
remaining graph avoiding v (:func:`witness_search`) looks for a path to each
out-neighbour w that is no longer than u->v->w; only pairs without such a witness need a
shortcut. :func:`count_shortcuts` counts them, for the node priorities. A search that gives
up early only adds a needless shortcut, so results stay exact.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.heap import SETTLED, UNSEEN, pop, push

__all__ = ["count_shortcuts", "reset_search", "witness_search"]


@nb.njit(cache=True, nogil=True)
def witness_search(
    o_start,
    o_len,
    o_n,
    o_e,
    e_w,
    src,
    skip,
    max_dist,
    max_settled,
    dist,
    pos,
    heap,
    hkey,
    touched,
    tmark,
    stamp,
    ntarg,
):
    """Bounded Dijkstra from src over the remaining graph avoiding `skip`; returns #touched.

    Stops once the nodes marked ``tmark == stamp`` (`ntarg` of them) are all settled, the
    next key exceeds `max_dist`, or `max_settled` nodes are settled.
    """
    dist[src] = 0.0
    touched[0] = src
    nt = 1
    size = push(heap, hkey, pos, 0, src, 0.0)
    settled = 0
    while size > 0:
        if hkey[0] > max_dist:
            break
        u, size = pop(heap, hkey, pos, size)
        if tmark[u] == stamp:
            ntarg -= 1
            if ntarg == 0:
                break
        settled += 1
        if settled > max_settled:
            break
        du = dist[u]
        for i in range(o_start[u], o_start[u] + o_len[u]):
            x = o_n[i]
            if x == skip or pos[x] == SETTLED:
                continue
            nd = du + e_w[o_e[i]]
            if nd < dist[x] and nd <= max_dist:  # farther nodes cannot be witnesses
                if pos[x] == UNSEEN:
                    touched[nt] = x
                    nt += 1
                dist[x] = nd
                size = push(heap, hkey, pos, size, x, nd)
    return nt


@nb.njit(cache=True, nogil=True)
def reset_search(dist, pos, touched, nt):
    """Reset `dist` to inf and `pos` to unseen at the first `nt` nodes in `touched`."""
    for i in range(nt):
        x = touched[i]
        dist[x] = np.inf
        pos[x] = UNSEEN


@nb.njit(cache=True, nogil=True)
def count_shortcuts(
    v,
    o_start,
    o_len,
    o_n,
    o_e,
    i_start,
    i_len,
    i_n,
    i_e,
    e_w,
    limit,
    dist,
    pos,
    heap,
    hkey,
    touched,
    tmark,
    stampbox,
):
    """Number of shortcuts contracting v would add (witness searches bounded by `limit`)."""
    added = 0
    for ii in range(i_start[v], i_start[v] + i_len[v]):
        u = i_n[ii]
        e1 = i_e[ii]
        maxd = -1.0
        pairs = 0
        for oo in range(o_start[v], o_start[v] + o_len[v]):
            w = o_n[oo]
            if w != u:
                pairs += 1
                c = e_w[e1] + e_w[o_e[oo]]
                if c > maxd:
                    maxd = c
        if maxd < 0.0:
            continue
        if limit <= 0:  # no witness search: every pair counts (an upper bound)
            added += pairs
            continue
        stampbox[0] += 1
        st = stampbox[0]
        ntarg = 0
        for oo in range(o_start[v], o_start[v] + o_len[v]):
            w = o_n[oo]
            if w != u and tmark[w] != st:
                tmark[w] = st
                ntarg += 1
        nt = witness_search(
            o_start,
            o_len,
            o_n,
            o_e,
            e_w,
            u,
            v,
            maxd,
            limit,
            dist,
            pos,
            heap,
            hkey,
            touched,
            tmark,
            st,
            ntarg,
        )
        for oo in range(o_start[v], o_start[v] + o_len[v]):
            w = o_n[oo]
            if w != u and dist[w] > e_w[e1] + e_w[o_e[oo]]:
                added += 1
        reset_search(dist, pos, touched, nt)
    return added
