"""Customisation of a customisable contraction hierarchy (numba; arrays in, arrays out).

The topology (:mod:`corridor.kernels.cch_topology`) is fixed; customisation gives each
edge {v, u} (v ranked below u) its two weights: ``wf`` for v -> u (up) and ``wb`` for
u -> v (down). Basic customisation (Dibbelt, Strasser & Wagner 2016, section 4) starts
each from the cheapest input arc it stands for (inf if none) and enumerates the lower
triangles {x, v, u} (x below both) in increasing x: v -> x -> u can replace v -> u, and
u -> x -> v can replace u -> v. When x is reached, the edges from x upward are final, since
all their own lower triangles have a lower bottom node; so one pass is exact, and the
upward / downward graphs answer every query by an up-down search.

Each directed edge also records what it stands for, for path unpacking and attribute
sums: its hierarchy edge id ``ef`` / ``eb`` is the input arc chosen (an id below `m`,
the number of input arcs) or ``m + 2e`` (up) / ``m + 2e + 1`` (down) for a shortcut whose
two halves are ``child1`` / ``child2`` at that id; ``af`` / ``ab`` float64[k, E] carry the
sums of k arc attributes along it. Ties keep the first candidate in the order above, so
the result depends on the weights only, not on how it was computed.

:func:`recustomise` redoes only what changed arcs reach: an edge is recomputed from its
arcs and all its lower triangles (so a weight may rise as well as fall), and, if anything
about it changed, the edges {u, w} of the triangles it is the lowest edge of are queued,
in increasing order of their lower end (a heap), so each is recomputed once, after all of
its halves. The result is identical to a full customisation.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.heap import UNSEEN, pop, push

__all__ = ["customise", "new_recustomise_workspace", "recustomise"]


@nb.njit(cache=True, nogil=True, inline="always")
def _cheapest(d, did_indptr, did_arc, arc_w):
    """Cheapest input arc behind directed edge d: (weight, arc) or (inf, -1)."""
    best = np.inf
    arc = -1
    for i in range(did_indptr[d], did_indptr[d + 1]):
        a = did_arc[i]
        if arc_w[a] < best:
            best = arc_w[a]
            arc = a
    return best, arc


@nb.njit(cache=True, nogil=True, inline="always")
def _finish(e, arc_f, arc_b, fi, fj, bi, bj, m, arc_attr, ef, eb, af, ab, c1, c2):
    """Hierarchy ids, children and attribute sums of edge e from its winners: an input
    arc (fi < 0) or the halves of triangle (fi = {x, v}, fj = {x, u}); the halves' ids are
    lower, so a pass in id order sees them final."""
    k = af.shape[0]
    if fi < 0:
        ef[e] = arc_f
        c1[m + 2 * e] = -1
        c2[m + 2 * e] = -1
        for a in range(k):
            af[a, e] = arc_attr[a, arc_f] if arc_f >= 0 else 0.0
    else:
        h = m + 2 * e
        ef[e] = h
        c1[h] = eb[fi]  # v -> x
        c2[h] = ef[fj]  # x -> u
        for a in range(k):
            af[a, e] = ab[a, fi] + af[a, fj]
    if bi < 0:
        eb[e] = arc_b
        c1[m + 2 * e + 1] = -1
        c2[m + 2 * e + 1] = -1
        for a in range(k):
            ab[a, e] = arc_attr[a, arc_b] if arc_b >= 0 else 0.0
    else:
        h = m + 2 * e + 1
        eb[e] = h
        c1[h] = eb[bj]  # u -> x
        c2[h] = ef[bi]  # x -> v
        for a in range(k):
            ab[a, e] = ab[a, bj] + af[a, bi]


@nb.njit(cache=True, nogil=True)
def customise(
    up_indptr,
    up_head,
    tri,
    did_indptr,
    did_arc,
    arc_w,
    arc_attr,
    m,
    wf,
    wb,
    ef,
    eb,
    af,
    ab,
    c1,
    c2,
    fi,
    fj,
    bi,
    bj,
):
    """Basic customisation, writing every output array in place.

    ``up_indptr`` int64[n+1], ``up_head`` int64[E]: the topology; ``tri``: its lower
    triangles (:func:`corridor.kernels.cch_topology.lower_triangles`), or an empty array
    to find each triangle's edge by walking the sorted upper lists instead (no memory,
    about twice as slow; for orders with too many triangles to list); ``did_indptr`` int64[2E+1],
    ``did_arc`` int64: the input arcs behind each directed edge 2e (up) and 2e + 1 (down);
    ``arc_w`` float64[m] >= 0 and ``arc_attr`` float64[k, m]: the arcs' weights and
    attributes. Outputs: ``wf``, ``wb`` float64[E]; ``ef``, ``eb`` int64[E]; ``af``,
    ``ab`` float64[k, E]; ``c1``, ``c2`` int64[m + 2E] (-1 where the id is not a
    shortcut in use). ``fi``,
    ``fj``, ``bi``, ``bj`` (E entries, tri's dtype) are scratch: each direction's winning
    triangle.
    """
    n = up_indptr.size - 1
    n_edges = wf.size
    for e in range(n_edges):
        wf[e], ef[e] = _cheapest(2 * e, did_indptr, did_arc, arc_w)
        wb[e], eb[e] = _cheapest(2 * e + 1, did_indptr, did_arc, arc_w)
        fi[e] = -1
        bi[e] = -1
    t = 0
    listed = tri.size > 0
    for x in range(n):
        end_x = up_indptr[x + 1]
        for i in range(up_indptr[x], end_x):
            bxv = wb[i]
            fxv = wf[i]
            p = up_indptr[up_head[i]]
            for j in range(i + 1, end_x):
                if listed:
                    p = tri[t]
                    t += 1
                else:  # v's sorted upper list holds every later upper neighbour of x
                    while up_head[p] != up_head[j]:
                        p += 1
                c = bxv + wf[j]  # v -> x -> u
                if c < wf[p]:
                    wf[p] = c
                    fi[p] = i
                    fj[p] = j
                c = wb[j] + fxv  # u -> x -> v
                if c < wb[p]:
                    wb[p] = c
                    bi[p] = i
                    bj[p] = j
    # ids and children first, attribute sums after (one fused pass is several times
    # slower: numba's loops over k = 0 attributes in a 2-d array still cost)
    for i in range(m):  # input arcs have no children
        c1[i] = -1
        c2[i] = -1
    for e in range(n_edges):
        f = fi[e]
        h = m + 2 * e
        if f >= 0:
            ef[e] = h
            c1[h] = eb[f]  # v -> x
            c2[h] = ef[fj[e]]  # x -> u
        else:
            c1[h] = -1
            c2[h] = -1
        b = bi[e]
        h += 1
        if b >= 0:
            eb[e] = h
            c1[h] = eb[bj[e]]  # u -> x
            c2[h] = ef[b]  # x -> v
        else:
            c1[h] = -1
            c2[h] = -1
    for a in range(af.shape[0]):
        _attr_sums(a, m, arc_attr, ef, eb, fi, fj, bi, bj, af, ab)


@nb.njit(cache=True, nogil=True)
def _attr_sums(a, m, arc_attr, ef, eb, fi, fj, bi, bj, af, ab):
    """Sums of attribute `a` along every edge, in id order (halves come first)."""
    for e in range(ef.size):
        if fi[e] >= 0:
            af[a, e] = ab[a, fi[e]] + af[a, fj[e]]
        else:
            af[a, e] = arc_attr[a, ef[e]] if ef[e] >= 0 else 0.0
        if bi[e] >= 0:
            ab[a, e] = ab[a, bj[e]] + af[a, bi[e]]
        else:
            ab[a, e] = arc_attr[a, eb[e]] if eb[e] >= 0 else 0.0


def new_recustomise_workspace(n_edges: int) -> tuple[np.ndarray, ...]:
    """Scratch arrays for :func:`recustomise` on a topology of `n_edges` edges."""
    return (
        np.empty(n_edges, np.int32),  # heap of edges
        np.empty(n_edges),  # their keys (lower end)
        np.full(n_edges, UNSEEN, np.int32),  # heap slot
        np.empty(n_edges, np.int64),  # touched edges
    )


@nb.njit(cache=True, nogil=True)
def _find(up_indptr, up_head, lo, hi):
    a = up_indptr[lo]
    b = up_indptr[lo + 1]
    while a < b:  # binary search in lo's sorted upper list
        mid = (a + b) >> 1
        if up_head[mid] < hi:
            a = mid + 1
        else:
            b = mid
    return a


@nb.njit(cache=True, nogil=True)
def recustomise(
    up_indptr,
    up_head,
    low,
    dn_indptr,
    dn_low,
    dn_edge,
    did_indptr,
    did_arc,
    arc_w,
    arc_attr,
    m,
    seeds,
    wf,
    wb,
    ef,
    eb,
    af,
    ab,
    c1,
    c2,
    heap,
    hkey,
    pos,
    touched,
):
    """Redo the customisation of the edges reached from `seeds` (edge ids whose arcs'
    weights changed), in place on outputs of :func:`customise` for the old weights.

    ``low`` int64[E] is each edge's lower end and ``dn_*`` the edges listed at their upper
    end (:func:`corridor.kernels.cch_topology.down_lists`); the heap arrays are scratch
    (``pos`` all UNSEEN, left so). Returns the number of edges recomputed.
    """
    k = arc_attr.shape[0]
    size = 0
    nt = 0
    for s in seeds:
        if pos[s] == UNSEEN:
            touched[nt] = s
            nt += 1
        size = push(heap, hkey, pos, size, s, float(low[s]))
    old_af = np.empty(k)
    old_ab = np.empty(k)
    done = 0
    while size > 0:
        e, size = pop(heap, hkey, pos, size)
        done += 1
        a = low[e]
        b = up_head[e]
        owf, owb, oef, oeb = wf[e], wb[e], ef[e], eb[e]
        for j in range(k):
            old_af[j] = af[j, e]
            old_ab[j] = ab[j, e]
        w_f, arc_f = _cheapest(2 * e, did_indptr, did_arc, arc_w)
        w_b, arc_b = _cheapest(2 * e + 1, did_indptr, did_arc, arc_w)
        fi = -1
        fj = -1
        bi = -1
        bj = -1
        # lower triangles {x, a, b}: x in both down lists, merged in increasing x (the
        # order of the full customisation, so ties go the same way)
        i, i_end = dn_indptr[a], dn_indptr[a + 1]
        j_, j_end = dn_indptr[b], dn_indptr[b + 1]
        while i < i_end and j_ < j_end:
            xa = dn_low[i]
            xb = dn_low[j_]
            if xa < xb:
                i += 1
            elif xb < xa:
                j_ += 1
            else:
                e_xa = dn_edge[i]
                e_xb = dn_edge[j_]
                c = wb[e_xa] + wf[e_xb]
                if c < w_f:
                    w_f = c
                    fi = e_xa
                    fj = e_xb
                c = wb[e_xb] + wf[e_xa]
                if c < w_b:
                    w_b = c
                    bi = e_xa
                    bj = e_xb
                i += 1
                j_ += 1
        wf[e] = w_f
        wb[e] = w_b
        _finish(e, arc_f, arc_b, fi, fj, bi, bj, m, arc_attr, ef, eb, af, ab, c1, c2)
        changed = wf[e] != owf or wb[e] != owb or ef[e] != oef or eb[e] != oeb
        if not changed:
            for j in range(k):
                if af[j, e] != old_af[j] or ab[j, e] != old_ab[j]:
                    changed = True
                    break
        if not changed:
            continue
        # e = {a, b} is the lowest edge of triangles {a, b, u} for every other upper u of a
        for q in range(up_indptr[a], up_indptr[a + 1]):
            u = up_head[q]
            if u == b:
                continue
            f = _find(up_indptr, up_head, min(b, u), max(b, u))
            if pos[f] == UNSEEN:
                touched[nt] = f
                nt += 1
                size = push(heap, hkey, pos, size, f, float(low[f]))
    for t in range(nt):
        pos[touched[t]] = UNSEEN
    return done
