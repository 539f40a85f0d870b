"""The upward search of contraction-hierarchy queries (numba; arrays in, arrays out).

Shared by the bucket (:mod:`corridor.kernels.ch_buckets`) and RPHAST
(:mod:`corridor.kernels.ch_sweep`) many-to-many queries: a Dijkstra over arcs to higher
ranks only, with stall-on-demand (a node reached more cheaply through a higher-ranked
neighbour is not expanded), carrying the sums of the arcs' attributes along.
"""

from __future__ import annotations

import numba as nb

from corridor.kernels.heap import UNSEEN, pop, push

__all__ = ["upward_search"]


@nb.njit(cache=True, nogil=True)
def upward_search(
    indptr, head, w, attr, s_indptr, s_head, s_w, src, dist, acc, pos, heap, hkey, touched, out
):
    """Upward Dijkstra with stall-on-demand. Writes settled, unstalled nodes to `out`;
    returns (#out, #touched). `s_*` is the opposite graph, used to stall."""
    k = attr.shape[0]
    dist[src] = 0.0
    for a in range(k):
        acc[a, src] = 0.0
    touched[0] = src
    nt = 1
    n_out = 0
    size = push(heap, hkey, pos, 0, src, 0.0)
    while size > 0:
        u, size = pop(heap, hkey, pos, size)
        du = dist[u]
        stalled = False
        for e in range(s_indptr[u], s_indptr[u + 1]):
            if dist[s_head[e]] + s_w[e] < du:
                stalled = True
                break
        if stalled:
            continue
        out[n_out] = u
        n_out += 1
        for e in range(indptr[u], indptr[u + 1]):
            x = head[e]
            nd = du + w[e]
            if nd < dist[x]:
                if pos[x] == UNSEEN:
                    touched[nt] = x
                    nt += 1
                dist[x] = nd
                for a in range(k):
                    acc[a, x] = acc[a, u] + attr[a, e]
                size = push(heap, hkey, pos, size, x, nd)
    return n_out, nt
