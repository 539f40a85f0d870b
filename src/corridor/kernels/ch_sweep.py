"""RPHAST many-to-many search on a contraction hierarchy (numba; Delling, Goldberg &
Werneck 2011).

The downward graph is restricted once to the ancestors of the destinations
(:func:`restrict`); after the upward searches of `lanes` origins, one linear sweep over it
in decreasing rank settles every destination for all of them. Faster than buckets when
there are many destinations.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.ch_upward import upward_search
from corridor.kernels.heap import UNSEEN

__all__ = ["many_to_many_sweep", "restrict"]


@nb.njit(cache=True, nogil=True)
def restrict(dn_indptr, dn_head, dn_w, dn_attr, targets):
    """The part of the downward graph that reaches `targets` (RPHAST, Delling et al. 2011).

    Returns (nodes int64[r] in decreasing rank, loc int64[n] (position of each node in
    `nodes`, -1 if left out), local CSR indptr int64[r+1], local tails int64 (positions in
    `nodes`, all earlier), weights, attrs[k, arcs]): node i's incoming arcs from
    higher-ranked nodes, restricted to nodes from which a target is reachable downward.
    """
    n = dn_indptr.size - 1
    k = dn_attr.shape[0]
    mark = np.zeros(n, np.bool_)
    stack = np.empty(n, np.int64)
    top = 0
    for j in range(targets.size):
        t = targets[j]
        if not mark[t]:
            mark[t] = True
            stack[top] = t
            top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        for e in range(dn_indptr[v], dn_indptr[v + 1]):
            x = dn_head[e]
            if not mark[x]:
                mark[x] = True
                stack[top] = x
                top += 1
    r = 0
    for v in range(n):
        if mark[v]:
            r += 1
    nodes = np.empty(r, np.int64)
    loc = np.full(n, -1, np.int64)
    i = 0
    for v in range(n - 1, -1, -1):
        if mark[v]:
            nodes[i] = v
            loc[v] = i
            i += 1
    indptr = np.zeros(r + 1, np.int64)
    for i in range(r):
        v = nodes[i]
        indptr[i + 1] = indptr[i] + dn_indptr[v + 1] - dn_indptr[v]
    m = indptr[r]
    tail = np.empty(m, np.int64)
    w = np.empty(m)
    attr = np.empty((k, m))
    for i in range(r):
        v = nodes[i]
        p = indptr[i]
        for e in range(dn_indptr[v], dn_indptr[v + 1]):
            tail[p] = loc[dn_head[e]]
            w[p] = dn_w[e]
            for a in range(k):
                attr[a, p] = dn_attr[a, e]
            p += 1
    return nodes, loc, indptr, tail, w, attr


@nb.njit(cache=True, nogil=True)
def _sweep_block(
    up_indptr,
    up_head,
    up_w,
    up_attr,
    dn_indptr,
    dn_head,
    dn_w,
    loc,
    r_indptr,
    r_tail,
    r_w,
    r_attr,
    tloc,
    sources,
    lo,
    hi,
    lanes,
    values,
    sums,
):
    """Upward searches for `lanes` sources at a time, then one linear downward sweep over
    the restricted graph that serves all of them."""
    n = up_indptr.size - 1
    k = up_attr.shape[0]
    r = r_indptr.size - 1
    nd = tloc.size
    dist = np.full(n, np.inf)
    acc = np.zeros((k, n))
    pos = np.full(n, UNSEEN, np.int32)
    heap = np.empty(n, np.int32)
    hkey = np.empty(n)
    touched = np.empty(n, np.int64)
    out = np.empty(n, np.int64)
    ld = np.empty((r, lanes))
    la = np.empty((k, r, lanes))
    for s0 in range(lo, hi, lanes):
        cnt = min(lanes, hi - s0)
        ld[:, :] = np.inf
        for q in range(cnt):
            n_out, nt = upward_search(
                up_indptr,
                up_head,
                up_w,
                up_attr,
                dn_indptr,
                dn_head,
                dn_w,
                sources[s0 + q],
                dist,
                acc,
                pos,
                heap,
                hkey,
                touched,
                out,
            )
            for i in range(n_out):
                x = out[i]
                li = loc[x]
                if li >= 0:
                    ld[li, q] = dist[x]
                    for a in range(k):
                        la[a, li, q] = acc[a, x]
            for i in range(nt):
                x = touched[i]
                dist[x] = np.inf
                pos[x] = UNSEEN
        if k == 0:
            for i in range(r):
                for e in range(r_indptr[i], r_indptr[i + 1]):
                    t = r_tail[e]
                    we = r_w[e]
                    for q in range(lanes):
                        d = ld[t, q] + we
                        if d < ld[i, q]:
                            ld[i, q] = d
        else:
            for i in range(r):
                for e in range(r_indptr[i], r_indptr[i + 1]):
                    t = r_tail[e]
                    we = r_w[e]
                    for q in range(lanes):
                        d = ld[t, q] + we
                        if d < ld[i, q]:
                            ld[i, q] = d
                            for a in range(k):
                                la[a, i, q] = la[a, t, q] + r_attr[a, e]
        for q in range(cnt):
            for j in range(nd):
                d = ld[tloc[j], q]
                values[s0 + q, j] = d
                for a in range(k):
                    sums[a, s0 + q, j] = la[a, tloc[j], q] if d < np.inf else np.inf


@nb.njit(cache=True, nogil=True, parallel=True)
def many_to_many_sweep(
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
    lanes,
):
    """As :func:`~corridor.kernels.ch_buckets.many_to_many`, by RPHAST: upward searches
    from the sources, then linear sweeps over the downward graph restricted to the targets'
    ancestors, `lanes` sources per sweep. Faster than buckets when there are many targets."""
    k = up_attr.shape[0]
    _nodes, loc, r_indptr, r_tail, r_w, r_attr = restrict(
        dn_indptr, dn_head, dn_w, dn_attr, targets
    )
    tloc = np.empty(targets.size, np.int64)
    for j in range(targets.size):
        tloc[j] = loc[targets[j]]
    no = sources.size
    values = np.empty((no, targets.size))
    sums = np.empty((k, no, targets.size))
    nb_ = max(1, min(n_blocks, no))
    step = (no + nb_ - 1) // nb_ if no > 0 else 1
    for b in nb.prange(nb_):
        lo = b * step
        hi = min(no, lo + step)
        if lo < hi:
            _sweep_block(
                up_indptr,
                up_head,
                up_w,
                up_attr,
                dn_indptr,
                dn_head,
                dn_w,
                loc,
                r_indptr,
                r_tail,
                r_w,
                r_attr,
                tloc,
                sources,
                lo,
                hi,
                lanes,
                values,
                sums,
            )
    return values, sums
