"""Bucket-based many-to-many search on a contraction hierarchy (numba; Knopp et al. 2007).

A backward upward search from each destination leaves (destination, cost, attribute sums)
entries in buckets at the nodes it settles; a forward upward search from each origin scans
the buckets of the nodes it settles, and the least sum is the least cost. Forward searches
run in parallel blocks of origins.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.ch_adjacency import grow
from corridor.kernels.ch_upward import upward_search
from corridor.kernels.heap import UNSEEN

__all__ = ["many_to_many"]


@nb.njit(cache=True, nogil=True)
def _buckets(up_indptr, up_head, up_w, dn_indptr, dn_head, dn_w, dn_attr, targets, n):
    """Backward searches from every target; bucket CSR over nodes: (col, dist, attr[k])."""
    k = dn_attr.shape[0]
    dist = np.full(n, np.inf)
    acc = np.zeros((k, n))
    pos = np.full(n, UNSEEN, np.int32)
    heap = np.empty(n, np.int32)
    hkey = np.empty(n)
    touched = np.empty(n, np.int64)
    out = np.empty(n, np.int64)
    cap = max(16, 64 * targets.size)
    e_node = np.empty(cap, np.int64)
    e_col = np.empty(cap, np.int64)
    e_d = np.empty(cap)
    e_a = np.empty((cap, k))
    ne = 0
    for j in range(targets.size):
        n_out, nt = upward_search(
            dn_indptr,
            dn_head,
            dn_w,
            dn_attr,
            up_indptr,
            up_head,
            up_w,
            targets[j],
            dist,
            acc,
            pos,
            heap,
            hkey,
            touched,
            out,
        )
        if ne + n_out > e_node.size:
            size = max(2 * e_node.size, ne + n_out)
            e_node = grow(e_node, size)
            e_col = grow(e_col, size)
            e_d = grow(e_d, size)
            na = np.empty((size, k))
            na[:ne] = e_a[:ne]
            e_a = na
        for i in range(n_out):
            u = out[i]
            e_node[ne] = u
            e_col[ne] = j
            e_d[ne] = dist[u]
            for a in range(k):
                e_a[ne, a] = acc[a, u]
            ne += 1
        for i in range(nt):
            x = touched[i]
            dist[x] = np.inf
            pos[x] = UNSEEN
    # counting sort by node
    b_indptr = np.zeros(n + 1, np.int64)
    for i in range(ne):
        b_indptr[e_node[i] + 1] += 1
    for v in range(n):
        b_indptr[v + 1] += b_indptr[v]
    fill = b_indptr[:-1].copy()
    b_col = np.empty(ne, np.int64)
    b_d = np.empty(ne)
    b_a = np.empty((ne, k))
    for i in range(ne):
        p = fill[e_node[i]]
        fill[e_node[i]] += 1
        b_col[p] = e_col[i]
        b_d[p] = e_d[i]
        for a in range(k):
            b_a[p, a] = e_a[i, a]
    return b_indptr, b_col, b_d, b_a


@nb.njit(cache=True, nogil=True)
def _forward_block(
    up_indptr,
    up_head,
    up_w,
    up_attr,
    dn_indptr,
    dn_head,
    dn_w,
    b_indptr,
    b_col,
    b_d,
    b_a,
    sources,
    lo,
    hi,
    values,
    sums,
):
    """Forward upward searches from ``sources[lo:hi]``, each scanning the buckets of the
    nodes it settles; writes those rows of `values` and `sums` (inf where unreachable)."""
    n = up_indptr.size - 1
    k = up_attr.shape[0]
    nd = values.shape[1]
    dist = np.full(n, np.inf)
    acc = np.zeros((k, n))
    pos = np.full(n, UNSEEN, np.int32)
    heap = np.empty(n, np.int32)
    hkey = np.empty(n)
    touched = np.empty(n, np.int64)
    out = np.empty(n, np.int64)
    for i in range(lo, hi):
        row = values[i]
        for j in range(nd):
            row[j] = np.inf
        n_out, nt = upward_search(
            up_indptr,
            up_head,
            up_w,
            up_attr,
            dn_indptr,
            dn_head,
            dn_w,
            sources[i],
            dist,
            acc,
            pos,
            heap,
            hkey,
            touched,
            out,
        )
        for q in range(n_out):
            u = out[q]
            du = dist[u]
            for p in range(b_indptr[u], b_indptr[u + 1]):
                j = b_col[p]
                d = du + b_d[p]
                if d < row[j]:
                    row[j] = d
                    for a in range(k):
                        sums[a, i, j] = acc[a, u] + b_a[p, a]
        for j in range(nd):
            if row[j] == np.inf:
                for a in range(k):
                    sums[a, i, j] = np.inf
        for q in range(nt):
            x = touched[q]
            dist[x] = np.inf
            pos[x] = UNSEEN


@nb.njit(cache=True, nogil=True, parallel=True)
def many_to_many(
    up_indptr,
    up_head,
    up_w,
    up_attr,
    dn_indptr,
    dn_head,
    dn_w,
    dn_attr,
    sources,
    targets,
    n_blocks,
):
    """Least costs (and attribute sums) from rank-numbered `sources` to `targets`.

    Returns values float64[len(sources), len(targets)] (inf = unreachable) and sums
    float64[k, len(sources), len(targets)]. Forward searches run in parallel blocks.
    """
    n = up_indptr.size - 1
    k = up_attr.shape[0]
    b_indptr, b_col, b_d, b_a = _buckets(
        up_indptr, up_head, up_w, dn_indptr, dn_head, dn_w, dn_attr, targets, n
    )
    no = sources.size
    values = np.empty((no, targets.size))
    sums = np.empty((k, no, targets.size))
    nb_ = max(1, min(n_blocks, no))
    step = (no + nb_ - 1) // nb_ if no > 0 else 1
    for b in nb.prange(nb_):
        lo = b * step
        hi = min(no, lo + step)
        if lo < hi:
            _forward_block(
                up_indptr,
                up_head,
                up_w,
                up_attr,
                dn_indptr,
                dn_head,
                dn_w,
                b_indptr,
                b_col,
                b_d,
                b_a,
                sources,
                lo,
                hi,
                values,
                sums,
            )
    return values, sums
