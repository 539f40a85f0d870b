"""Path-based gradient projection for user equilibrium (numba; arrays in, arrays out).

Each origin-destination pair of each class keeps a set of used paths. One *sweep* visits
the origins in turn (Gauss-Seidel): it builds the least-cost tree on current costs, adds
the tree's path to each pair's set if new, and moves flow from every costlier path to the
cheapest one by a Newton step ``(c_p - c_q) / sum of dt/dx over the links not shared``
(Jayakrishnan et al. 1994; Chen & Lee 2002), updating link volumes and times at once.

Storage: pair ``od = (c * z + i) * z + j`` starts a linked list at ``od_head[od]``
(-1 = none); path ``p`` has links ``pool[p_start[p] : p_start[p] + p_len[p]]`` (CSR link
numbers, destination first), flow ``p_flow[p]`` (PCE) and next path ``p_next[p]``.
``counts`` int64[2] holds the number of paths and of pool entries in use. Arrays that
must grow are reallocated and returned.

Link state (float64[m]): ``x`` total PCE volume, ``t`` travel time, ``dt`` its derivative;
``g`` float64[c, m] PCE volume per class. Class ``c`` pays ``t + fixed[c]`` on links
where ``allowed[c]`` is true.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.assign import vdf_deriv, vdf_time, warm_tree
from corridor.kernels.dijkstra_lazy import dijkstra_tree_lazy

__all__ = ["gp_link_flows", "gp_sweep"]


@nb.njit(cache=True, nogil=True)
def _grow(a, need):
    if need <= a.size:
        return a
    new = np.empty(max(need, 2 * a.size), a.dtype)
    new[: a.size] = a
    return new


@nb.njit(cache=True, nogil=True, inline="always")
def _add(a, c, delta, x, g, t, dt, kind, t0, alpha, beta, cap):
    v = x[a] + delta
    if v < 0.0:
        v = 0.0
    x[a] = v
    w = g[c, a] + delta
    g[c, a] = w if w > 0.0 else 0.0
    t[a] = vdf_time(kind[a], t0[a], alpha[a], beta[a], cap[a], v)
    dt[a] = vdf_deriv(kind[a], t0[a], alpha[a], beta[a], cap[a], v)


@nb.njit(cache=True, nogil=True, inline="always")
def _path_cost(p, c, p_start, p_len, pool, t, fixed):
    s = 0.0
    for k in range(p_start[p], p_start[p] + p_len[p]):
        a = pool[k]
        s += t[a] + fixed[c, a]
    return s


@nb.njit(cache=True, nogil=True)
def _equalize(od, c, od_head, p_start, p_len, p_flow, p_next, pool, fixed, state, mark, stamp):
    """Move flow of pair `od` onto its cheapest path; returns the next free stamp."""
    x, g, t, dt, kind, t0, alpha, beta, cap = state
    q = -1
    best = np.inf
    p = od_head[od]
    while p >= 0:
        cp = _path_cost(p, c, p_start, p_len, pool, t, fixed)
        if cp < best:
            best = cp
            q = p
        p = p_next[p]
    if q < 0:
        return stamp
    p = od_head[od]
    while p >= 0:
        if p != q and p_flow[p] > 0.0:
            delta = _path_cost(p, c, p_start, p_len, pool, t, fixed) - _path_cost(
                q, c, p_start, p_len, pool, t, fixed
            )
            if delta > 0.0:
                for k in range(p_start[q], p_start[q] + p_len[q]):
                    mark[pool[k]] = stamp
                s = 0.0
                for k in range(p_start[p], p_start[p] + p_len[p]):
                    a = pool[k]
                    if mark[a] == stamp:
                        mark[a] = stamp + 1  # shared by both paths
                    else:
                        s += dt[a]
                for k in range(p_start[q], p_start[q] + p_len[q]):
                    a = pool[k]
                    if mark[a] == stamp:
                        s += dt[a]
                shift = p_flow[p]
                if s > 0.0 and delta / s < shift:
                    shift = delta / s
                for k in range(p_start[p], p_start[p] + p_len[p]):
                    a = pool[k]
                    if mark[a] != stamp + 1:
                        _add(a, c, -shift, x, g, t, dt, kind, t0, alpha, beta, cap)
                for k in range(p_start[q], p_start[q] + p_len[q]):
                    a = pool[k]
                    if mark[a] == stamp:
                        _add(a, c, shift, x, g, t, dt, kind, t0, alpha, beta, cap)
                stamp += 2
                if shift == p_flow[p]:
                    p_flow[p] = 0.0
                else:
                    p_flow[p] -= shift
                p_flow[q] += shift
        p = p_next[p]
    # drop paths that carry no flow, except the cheapest
    prev = -1
    p = od_head[od]
    while p >= 0:
        nxt = p_next[p]
        if p != q and p_flow[p] <= 0.0:
            if prev < 0:
                od_head[od] = nxt
            else:
                p_next[prev] = nxt
        else:
            prev = p
        p = nxt
    return stamp


@nb.njit(cache=True, nogil=True)
def gp_sweep(
    indptr,
    heads,
    tails,
    entered,
    blocked,
    zones,
    fixed,
    allowed,
    demand,
    state,
    paths,
    counts,
    inner,
    orders,
    kept,
):
    """One Gauss-Seidel sweep of gradient projection over every class and origin.

    The search runs on the CSR graph (`indptr`, `heads`, `tails`, `blocked`, `zones`) whose
    arc ``e`` enters link ``entered[e]`` (the identity for a plain graph; -1 for arcs that
    are no link, such as the free arcs of a turn expansion); paths are kept as links.
    `state` is (x, g, t, dt, kind, t0, alpha, beta, cap) as in the module docstring and is
    updated in place; `paths` is (od_head, p_start, p_len, p_flow, p_next, pool). `demand`
    float64[c, z, z] in PCE. After each origin's tree, its pairs are equalised `inner`
    times. `orders` int32[c, z, n] and `kept` int64[c, z] (-1: none) keep each origin's
    last settle order, from which its next tree is warm-started
    (:func:`corridor.kernels.assign.warm_tree`); with ``orders.shape[1] == 0`` every
    tree is grown afresh. Returns the (possibly reallocated) `paths` tuple.
    """
    x, g, t, dt, kind, t0, alpha, beta, cap = state
    od_head, p_start, p_len, p_flow, p_next, pool = paths
    n = indptr.size - 1
    m = x.size
    arcs = heads.size
    n_class = demand.shape[0]
    z = zones.size
    cost = np.empty(arcs)
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    hkey = np.empty(arcs + 1)
    hnode = np.empty(arcs + 1, np.int32)
    buf = np.empty(n, np.int32)
    mark = np.zeros(m, np.int64)
    is_zone = np.zeros(n, np.bool_)
    is_zone[zones] = True
    n_zones = int(is_zone.sum())  # fresh trees stop once every zone is settled...
    warm = orders.shape[1] > 0
    if warm:
        n_zones = 0  # ...unless kept for warm starts, which need whole trees
    seen = np.empty(n, np.bool_)
    inq = np.empty(n, np.bool_)
    queue = np.empty(n + 1, np.int64)
    stamp = 1
    for c in range(n_class):
        for i in range(z):
            row = demand[c, i]
            if not np.any(row > 0.0):
                continue
            for e in range(arcs):
                a = entered[e]
                if a < 0:
                    cost[e] = 0.0
                else:
                    cost[e] = t[a] + fixed[c, a] if allowed[c, a] else np.inf
            src = zones[i]
            fits = 0
            if warm and kept[c, i] >= 0:
                fits = warm_tree(
                    indptr,
                    heads,
                    cost,
                    blocked,
                    src,
                    orders[c, i],
                    kept[c, i],
                    dist,
                    pred,
                    seen,
                    inq,
                    queue,
                )
            if fits == 0:
                settled = dijkstra_tree_lazy(
                    indptr,
                    heads,
                    cost,
                    blocked,
                    src,
                    dist,
                    pred,
                    order,
                    hkey,
                    hnode,
                    is_zone,
                    n_zones,
                )
                if warm:
                    for r in range(settled):
                        orders[c, i, r] = order[r]
                    kept[c, i] = settled
            for j in range(z):
                if row[j] <= 0.0 or j == i or dist[zones[j]] == np.inf:
                    continue
                od = (c * z + i) * z + j
                length = 0
                v = zones[j]
                while v != src:
                    e = pred[v]
                    if entered[e] >= 0:
                        buf[length] = entered[e]
                        length += 1
                    v = tails[e]
                found = False
                p = od_head[od]
                while p >= 0 and not found:
                    if p_len[p] == length:
                        same = True
                        s0 = p_start[p]
                        for k in range(length):
                            if pool[s0 + k] != buf[k]:
                                same = False
                                break
                        found = same
                    p = p_next[p]
                if not found:
                    n_p = counts[0]
                    n_l = counts[1]
                    p_start = _grow(p_start, n_p + 1)
                    p_len = _grow(p_len, n_p + 1)
                    p_flow = _grow(p_flow, n_p + 1)
                    p_next = _grow(p_next, n_p + 1)
                    pool = _grow(pool, n_l + length)
                    p_start[n_p] = n_l
                    p_len[n_p] = length
                    pool[n_l : n_l + length] = buf[:length]
                    first = od_head[od] < 0
                    p_flow[n_p] = row[j] if first else 0.0
                    p_next[n_p] = od_head[od]
                    od_head[od] = n_p
                    counts[0] = n_p + 1
                    counts[1] = n_l + length
                    if first:
                        for k in range(length):
                            _add(buf[k], c, row[j], x, g, t, dt, kind, t0, alpha, beta, cap)
                        continue
                stamp = _equalize(
                    od,
                    c,
                    od_head,
                    p_start,
                    p_len,
                    p_flow,
                    p_next,
                    pool,
                    fixed,
                    state,
                    mark,
                    stamp,
                )
            for _ in range(inner - 1):
                for j in range(z):
                    if row[j] > 0.0 and j != i:
                        od = (c * z + i) * z + j
                        stamp = _equalize(
                            od,
                            c,
                            od_head,
                            p_start,
                            p_len,
                            p_flow,
                            p_next,
                            pool,
                            fixed,
                            state,
                            mark,
                            stamp,
                        )
    return od_head, p_start, p_len, p_flow, p_next, pool


@nb.njit(cache=True, nogil=True)
def gp_link_flows(paths, n_class, z, m):
    """Class volumes float64[c, m] (PCE) summed from the path flows; also returns the
    number of paths in use."""
    od_head, p_start, p_len, p_flow, p_next, pool = paths
    g = np.zeros((n_class, m))
    used = 0
    for od in range(od_head.size):
        c = od // (z * z)
        p = od_head[od]
        while p >= 0:
            f = p_flow[p]
            if f > 0.0:
                used += 1
                for k in range(p_start[p], p_start[p] + p_len[p]):
                    g[c, pool[k]] += f
            p = p_next[p]
    return g, used


@nb.njit(cache=True, nogil=True)
def gp_equalize(fixed, demand, state, paths, passes):
    """`passes` Gauss-Seidel passes over every pair's current paths, without new trees.

    Cheap (no shortest paths); it lets pairs of different origins that share links settle
    together between sweeps. Arguments as in :func:`gp_sweep`; updates in place.
    """
    od_head, p_start, p_len, p_flow, p_next, pool = paths
    n_class, z, _ = demand.shape
    mark = np.zeros(state[0].size, np.int64)
    stamp = 1
    for _ in range(passes):
        for c in range(n_class):
            for i in range(z):
                for j in range(z):
                    od = (c * z + i) * z + j
                    if od_head[od] >= 0 and p_next[od_head[od]] >= 0:
                        stamp = _equalize(
                            od,
                            c,
                            od_head,
                            p_start,
                            p_len,
                            p_flow,
                            p_next,
                            pool,
                            fixed,
                            state,
                            mark,
                            stamp,
                        )
