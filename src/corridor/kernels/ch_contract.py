"""Contraction-hierarchy preprocessing: node ordering and contraction (numba).

Nodes are removed one by one in order of a priority (twice the shortcuts added, minus the
arcs removed, plus contracted neighbours and level; Geisberger, Sanders, Schultes &
Delling 2008), kept lazily in a heap and re-evaluated when popped. Removing v adds a
shortcut u->w of cost c(u,v) + c(v,w) for every pair of neighbours without a witness
(:mod:`corridor.kernels.ch_witness`), and records v's remaining arcs as upward (to higher
rank) or downward arcs of the hierarchy.
"""

from __future__ import annotations

import heapq

import numba as nb
import numpy as np

from corridor.kernels.ch_adjacency import append_entry, grow, remove_entries
from corridor.kernels.ch_witness import count_shortcuts, reset_search, witness_search
from corridor.kernels.heap import UNSEEN

__all__ = ["contract"]


@nb.njit(cache=True, nogil=True)
def contract(n, tails, heads, cost, attrs, settle_limit, sim_limit):
    """Contract every node of a directed graph (no self-loops or parallel arcs).

    `tails`, `heads` int64[m], `cost` float64[m] >= 0, `attrs` float64[k, m]. Returns
    (rank int64[n], up arcs (tail, head, w, attr[k, a], edge), down arcs (tail, head, w,
    attr, edge), child1, child2), where up arcs run from lower to higher rank in the
    direction of travel and down arcs from higher to lower. `edge` is each arc's edge id:
    ids below m are the input arcs, and edge e is a shortcut through the two edges
    ``child1[e]``, ``child2[e]`` (both -1 for an input arc), which unpacks it into input
    arcs. `settle_limit` bounds each witness search; `sim_limit` bounds the searches that
    estimate priorities (0: no search, priority from in x out - in - out, contracted
    neighbours and level).
    """
    m = tails.size
    k = attrs.shape[0]
    ecap = max(16, 2 * m)
    e_w = np.empty(ecap)
    e_attr = np.empty((ecap, k))
    e_c1 = np.full(ecap, -1, np.int64)
    e_c2 = np.full(ecap, -1, np.int64)
    for i in range(m):
        e_w[i] = cost[i]
        for a in range(k):
            e_attr[i, a] = attrs[a, i]
    n_e = m
    # pooled adjacency, out and in
    o_start = np.zeros(n, np.int64)
    o_len = np.zeros(n, np.int64)
    o_cap = np.zeros(n, np.int64)
    i_start = np.zeros(n, np.int64)
    i_len = np.zeros(n, np.int64)
    i_cap = np.zeros(n, np.int64)
    o_deg = np.zeros(n, np.int64)
    i_deg = np.zeros(n, np.int64)
    for e in range(m):
        o_deg[tails[e]] += 1
        i_deg[heads[e]] += 1
    end_o = 0
    end_i = 0
    for v in range(n):
        o_start[v] = end_o
        o_cap[v] = o_deg[v] + 2
        end_o += o_cap[v]
        i_start[v] = end_i
        i_cap[v] = i_deg[v] + 2
        end_i += i_cap[v]
    o_n = np.empty(2 * end_o + 16, np.int64)
    o_e = np.empty(2 * end_o + 16, np.int64)
    i_n = np.empty(2 * end_i + 16, np.int64)
    i_e = np.empty(2 * end_i + 16, np.int64)
    for e in range(m):
        u = tails[e]
        v = heads[e]
        o_n[o_start[u] + o_len[u]] = v
        o_e[o_start[u] + o_len[u]] = e
        o_len[u] += 1
        i_n[i_start[v] + i_len[v]] = u
        i_e[i_start[v] + i_len[v]] = e
        i_len[v] += 1

    contracted = np.zeros(n, np.bool_)
    deleted = np.zeros(n, np.int64)
    level = np.zeros(n, np.int64)
    rank = np.empty(n, np.int64)
    dist = np.full(n, np.inf)
    pos = np.full(n, UNSEEN, np.int32)
    wheap = np.empty(n, np.int32)
    whkey = np.empty(n)
    touched = np.empty(n, np.int64)
    tmark = np.full(n, -1, np.int64)
    stampbox = np.zeros(1, np.int64)
    uedge = np.full(n, -1, np.int64)  # edge id of u->w while u's shortcuts are added

    # final arcs
    fcap = max(16, 2 * m)
    up_t = np.empty(fcap, np.int64)
    up_h = np.empty(fcap, np.int64)
    up_e = np.empty(fcap, np.int64)
    n_up = 0
    dn_t = np.empty(fcap, np.int64)
    dn_h = np.empty(fcap, np.int64)
    dn_e = np.empty(fcap, np.int64)
    n_dn = 0
    # final weights are copied at contraction time (edges may improve later)
    up_w = np.empty(fcap)
    dn_w = np.empty(fcap)
    up_a = np.empty((fcap, k))
    dn_a = np.empty((fcap, k))

    prio = np.zeros(n)
    pq = [(0.0, np.int64(0))]
    pq.pop()
    for v in range(n):
        added = count_shortcuts(
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
            sim_limit,
            dist,
            pos,
            wheap,
            whkey,
            touched,
            tmark,
            stampbox,
        )
        removed = o_len[v] + i_len[v]
        prio[v] = 2.0 * added - removed + deleted[v] + level[v]
        pq.append((prio[v], np.int64(v)))
    heapq.heapify(pq)

    r = 0
    while len(pq) > 0:
        p, v = heapq.heappop(pq)  # type: ignore[assignment]
        if contracted[v] or p != prio[v]:
            continue
        added = count_shortcuts(
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
            sim_limit,
            dist,
            pos,
            wheap,
            whkey,
            touched,
            tmark,
            stampbox,
        )
        newp = 2.0 * added - (o_len[v] + i_len[v]) + deleted[v] + level[v]
        if len(pq) > 0 and newp > pq[0][0]:
            prio[v] = newp
            heapq.heappush(pq, (newp, v))  # type: ignore[misc]
            continue
        # contract v: add shortcuts
        for ii in range(i_start[v], i_start[v] + i_len[v]):
            u = i_n[ii]
            e1 = i_e[ii]
            maxd = -1.0
            for oo in range(o_start[v], o_start[v] + o_len[v]):
                w = o_n[oo]
                if w != u:
                    c = e_w[e1] + e_w[o_e[oo]]
                    if c > maxd:
                        maxd = c
            if maxd < 0.0:
                continue
            mapped = False
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
                settle_limit,
                dist,
                pos,
                wheap,
                whkey,
                touched,
                tmark,
                st,
                ntarg,
            )
            for oo in range(o_start[v], o_start[v] + o_len[v]):
                w = o_n[oo]
                if w == u:
                    continue
                e2 = o_e[oo]
                c = e_w[e1] + e_w[e2]
                if dist[w] <= c:
                    continue
                if not mapped:  # u's arcs by head, built on the first shortcut from u
                    for jj in range(o_start[u], o_start[u] + o_len[u]):
                        uedge[o_n[jj]] = o_e[jj]
                    mapped = True
                found = uedge[w]
                if found >= 0:
                    if e_w[found] > c:
                        e_w[found] = c
                        e_c1[found] = e1
                        e_c2[found] = e2
                        for a in range(k):
                            e_attr[found, a] = e_attr[e1, a] + e_attr[e2, a]
                    continue
                if n_e == e_w.size:
                    e_w = grow(e_w, 2 * n_e)
                    e_c1 = grow(e_c1, 2 * n_e)
                    e_c2 = grow(e_c2, 2 * n_e)
                    na = np.empty((2 * n_e, k))
                    na[:n_e] = e_attr[:n_e]
                    e_attr = na
                e_w[n_e] = c
                e_c1[n_e] = e1
                e_c2[n_e] = e2
                for a in range(k):
                    e_attr[n_e, a] = e_attr[e1, a] + e_attr[e2, a]
                o_n, o_e, end_o = append_entry(o_start, o_len, o_cap, o_n, o_e, end_o, u, w, n_e)
                i_n, i_e, end_i = append_entry(i_start, i_len, i_cap, i_n, i_e, end_i, w, u, n_e)
                uedge[w] = n_e
                n_e += 1
            if mapped:
                for jj in range(o_start[u], o_start[u] + o_len[u]):
                    uedge[o_n[jj]] = -1
            reset_search(dist, pos, touched, nt)
        # record v's final arcs
        need_up = n_up + o_len[v]
        if need_up > up_t.size:
            size = max(2 * up_t.size, need_up)
            up_t = grow(up_t, size)
            up_h = grow(up_h, size)
            up_e = grow(up_e, size)
            up_w = grow(up_w, size)
            na = np.empty((size, k))
            na[:n_up] = up_a[:n_up]
            up_a = na
        for oo in range(o_start[v], o_start[v] + o_len[v]):
            e = o_e[oo]
            up_t[n_up] = v
            up_h[n_up] = o_n[oo]
            up_e[n_up] = e
            up_w[n_up] = e_w[e]
            for a in range(k):
                up_a[n_up, a] = e_attr[e, a]
            n_up += 1
        need_dn = n_dn + i_len[v]
        if need_dn > dn_t.size:
            size = max(2 * dn_t.size, need_dn)
            dn_t = grow(dn_t, size)
            dn_h = grow(dn_h, size)
            dn_e = grow(dn_e, size)
            dn_w = grow(dn_w, size)
            na = np.empty((size, k))
            na[:n_dn] = dn_a[:n_dn]
            dn_a = na
        for ii in range(i_start[v], i_start[v] + i_len[v]):
            e = i_e[ii]
            dn_t[n_dn] = i_n[ii]
            dn_h[n_dn] = v
            dn_e[n_dn] = e
            dn_w[n_dn] = e_w[e]
            for a in range(k):
                dn_a[n_dn, a] = e_attr[e, a]
            n_dn += 1
        # detach v and update its neighbours
        contracted[v] = True
        rank[v] = r
        r += 1
        for oo in range(o_start[v], o_start[v] + o_len[v]):
            w = o_n[oo]
            remove_entries(i_start, i_len, i_n, i_e, w, v)
        for ii in range(i_start[v], i_start[v] + i_len[v]):
            u = i_n[ii]
            remove_entries(o_start, o_len, o_n, o_e, u, v)
        for side in range(2):
            s0 = o_start[v] if side == 0 else i_start[v]
            ln = o_len[v] if side == 0 else i_len[v]
            for jj in range(s0, s0 + ln):
                x = o_n[jj] if side == 0 else i_n[jj]
                if contracted[x]:
                    continue
                deleted[x] += 1
                if level[v] + 1 > level[x]:
                    level[x] = level[v] + 1
                added = count_shortcuts(
                    x,
                    o_start,
                    o_len,
                    o_n,
                    o_e,
                    i_start,
                    i_len,
                    i_n,
                    i_e,
                    e_w,
                    sim_limit,
                    dist,
                    pos,
                    wheap,
                    whkey,
                    touched,
                    tmark,
                    stampbox,
                )
                np_ = 2.0 * added - (o_len[x] + i_len[x]) + deleted[x] + level[x]
                if np_ != prio[x]:
                    prio[x] = np_
                    heapq.heappush(pq, (np_, x))
        o_len[v] = 0
        i_len[v] = 0
    return (
        rank,
        up_t[:n_up].copy(),
        up_h[:n_up].copy(),
        up_w[:n_up].copy(),
        np.ascontiguousarray(up_a[:n_up].T),
        up_e[:n_up].copy(),
        dn_t[:n_dn].copy(),
        dn_h[:n_dn].copy(),
        dn_w[:n_dn].copy(),
        np.ascontiguousarray(dn_a[:n_dn].T),
        dn_e[:n_dn].copy(),
        e_c1[:n_e].copy(),
        e_c2[:n_e].copy(),
    )
