"""Contraction hierarchies and bucket-based many-to-many search (numba; arrays in, arrays out).

Preprocessing (:func:`contract`, Geisberger, Sanders, Schultes & Delling 2008) removes nodes
one by one in order of a priority (edge difference, contracted neighbours, level), adding a
shortcut u->w of cost c(u,v) + c(v,w) for every pair of neighbours of the removed node v
unless a witness search (a bounded Dijkstra avoiding v) finds a path u->w that is no longer.
A witness search that gives up early only adds a needless shortcut, so results stay exact.
Every arc then points up the hierarchy either from its tail (the upward graph, searched
forward from origins) or from its head (searched backward from destinations).

Many-to-many (:func:`many_to_many`, Knopp et al. 2007): a backward upward search from each
destination leaves (destination, cost) entries in buckets at the nodes it settles; a forward
upward search from each origin scans the buckets of the nodes it settles, and the least sum
is the least cost. Both searches use stall-on-demand. Other link attributes ride along:
shortcuts carry the sums of their two halves, so the sums along each chosen path come out
with the cost.

With many destinations, :func:`many_to_many_sweep` replaces the buckets by RPHAST
(Delling, Goldberg & Werneck 2011): the downward graph is restricted once to the ancestors
of the destinations, and after each origin's upward search one linear sweep over it in
decreasing rank settles every destination; eight origins share each sweep.

Nodes are renumbered by rank. Arrays: ``up_indptr`` int64[N+1], ``up_head`` int64,
``up_w`` float64, ``up_attr`` float64[k, arcs] for the forward (upward) graph, and ``dn_*`` the
same for the backward graph (arcs x->v stored at v with x ranked above v).
"""

from __future__ import annotations

import heapq

import numba as nb
import numpy as np

from corridor.kernels.heap import SETTLED, UNSEEN, pop, push

__all__ = ["contract", "many_to_many"]


@nb.njit(cache=True, nogil=True)
def _grow1(arr, size):
    out = np.empty(size, arr.dtype)
    out[: arr.size] = arr
    return out


@nb.njit(cache=True, nogil=True)
def _append(start, length, cap, pool_n, pool_e, end, v, nbr, eid):
    """Append (nbr, eid) to node v's list in a pooled adjacency; returns pools and end."""
    if length[v] == cap[v]:
        newcap = max(4, 2 * cap[v])
        if end + newcap > pool_n.size:
            size = max(2 * pool_n.size, end + newcap)
            pool_n = _grow1(pool_n, size)
            pool_e = _grow1(pool_e, size)
        s0 = start[v]
        for i in range(length[v]):
            pool_n[end + i] = pool_n[s0 + i]
            pool_e[end + i] = pool_e[s0 + i]
        start[v] = end
        cap[v] = newcap
        end += newcap
    pool_n[start[v] + length[v]] = nbr
    pool_e[start[v] + length[v]] = eid
    length[v] += 1
    return pool_n, pool_e, end


@nb.njit(cache=True, nogil=True)
def _remove(start, length, pool_n, pool_e, v, nbr):
    """Remove every entry of `nbr` from v's list (swap with the last)."""
    i = start[v]
    while i < start[v] + length[v]:
        if pool_n[i] == nbr:
            last = start[v] + length[v] - 1
            pool_n[i] = pool_n[last]
            pool_e[i] = pool_e[last]
            length[v] -= 1
        else:
            i += 1


@nb.njit(cache=True, nogil=True)
def _witness(
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
def _reset(dist, pos, touched, nt):
    for i in range(nt):
        x = touched[i]
        dist[x] = np.inf
        pos[x] = UNSEEN


@nb.njit(cache=True, nogil=True)
def contract(n, tails, heads, cost, attrs, settle_limit, sim_limit):
    """Contract every node of a directed graph (no self-loops or parallel arcs).

    `tails`, `heads` int64[m], `cost` float64[m] >= 0, `attrs` float64[k, m]. Returns
    (rank int64[n], up arcs (tail, head, w, attr[k, a]), down arcs (tail, head, w,
    attr)), where up arcs run from lower to higher rank in the direction of travel and
    down arcs from higher to lower. `settle_limit` bounds each witness search;
    `sim_limit` bounds the searches that estimate priorities (0: no search, priority from
    in x out - in - out, contracted neighbours and level).
    """
    m = tails.size
    k = attrs.shape[0]
    ecap = max(16, 2 * m)
    e_w = np.empty(ecap)
    e_attr = np.empty((ecap, k))
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
        added = _simulate(
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
        added = _simulate(
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
            nt = _witness(
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
                        for a in range(k):
                            e_attr[found, a] = e_attr[e1, a] + e_attr[e2, a]
                    continue
                if n_e == e_w.size:
                    e_w = _grow1(e_w, 2 * n_e)
                    na = np.empty((2 * n_e, k))
                    na[:n_e] = e_attr[:n_e]
                    e_attr = na
                e_w[n_e] = c
                for a in range(k):
                    e_attr[n_e, a] = e_attr[e1, a] + e_attr[e2, a]
                o_n, o_e, end_o = _append(o_start, o_len, o_cap, o_n, o_e, end_o, u, w, n_e)
                i_n, i_e, end_i = _append(i_start, i_len, i_cap, i_n, i_e, end_i, w, u, n_e)
                uedge[w] = n_e
                n_e += 1
            if mapped:
                for jj in range(o_start[u], o_start[u] + o_len[u]):
                    uedge[o_n[jj]] = -1
            _reset(dist, pos, touched, nt)
        # record v's final arcs
        need_up = n_up + o_len[v]
        if need_up > up_t.size:
            size = max(2 * up_t.size, need_up)
            up_t = _grow1(up_t, size)
            up_h = _grow1(up_h, size)
            up_e = _grow1(up_e, size)
            up_w = _grow1(up_w, size)
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
            dn_t = _grow1(dn_t, size)
            dn_h = _grow1(dn_h, size)
            dn_e = _grow1(dn_e, size)
            dn_w = _grow1(dn_w, size)
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
            _remove(i_start, i_len, i_n, i_e, w, v)
        for ii in range(i_start[v], i_start[v] + i_len[v]):
            u = i_n[ii]
            _remove(o_start, o_len, o_n, o_e, u, v)
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
                added = _simulate(
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
        dn_t[:n_dn].copy(),
        dn_h[:n_dn].copy(),
        dn_w[:n_dn].copy(),
        np.ascontiguousarray(dn_a[:n_dn].T),
    )


@nb.njit(cache=True, nogil=True)
def _simulate(
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
        nt = _witness(
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
        _reset(dist, pos, touched, nt)
    return added


@nb.njit(cache=True, nogil=True)
def _upward(
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
        n_out, nt = _upward(
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
            e_node = _grow1(e_node, size)
            e_col = _grow1(e_col, size)
            e_d = _grow1(e_d, size)
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
        n_out, nt = _upward(
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
            n_out, nt = _upward(
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
    """As :func:`many_to_many`, by RPHAST: upward searches from the sources, then linear
    sweeps over the downward graph restricted to the targets' ancestors, `lanes` sources
    per sweep. Faster than buckets when there are many targets."""
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
