"""Traffic-assignment kernels (numba; arrays in, arrays out; no logging).

Links are numbered in CSR order: the links leaving node ``u`` are ``indptr[u]:indptr[u+1]``,
``heads`` int32[m] and ``tails`` int32[m] give their end nodes. Volume-delay functions are
given per link by ``kind`` int8[m] (0 = BPR, 1 = conical, 2 = Akcelik), free-flow time
``t0``, parameters ``alpha``/``beta`` and ``cap`` (capacity, > 0), all float64[m]:

* BPR: ``t0 * (1 + alpha * (x / cap) ** beta)``
* conical (Spiess 1990): ``t0 * (2 + sqrt(a^2 (1-z)^2 + b^2) - a (1-z) - b)`` with
  ``z = x / cap``, ``a = alpha`` > 1, ``b = (2a - 1) / (2a - 2)``
* Akcelik: ``t0 + 0.25 * T * ((z - 1) + sqrt((z - 1)^2 + 8 * J * z / (cap * T)))`` with
  ``J = alpha`` and ``T = beta`` (flow period, in the time unit; capacity per time unit)

Nodes with ``blocked[v]`` true (zone centroids below TNTP's first-thru node) are settled but
never passed through, except by paths that start at them.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from corridor.kernels.dijkstra_lazy import dijkstra_tree_lazy

__all__ = [
    "aon_load",
    "aon_load_warm",
    "beckmann",
    "line_search",
    "link_derivs",
    "link_times",
    "warm_tree",
]

BPR = 0
CONICAL = 1
AKCELIK = 2


@nb.njit(cache=True, nogil=True, inline="always")
def _power(z, p):
    """``z ** p`` for z >= 0, by multiplication for the small integer powers of BPR
    (TNTP's beta = 4 gives powers 3, 4 and 5), which is several times faster than pow."""
    if p == 4.0:
        z2 = z * z
        return z2 * z2
    if p == 3.0:
        return z * z * z
    if p == 5.0:
        z2 = z * z
        return z2 * z2 * z
    if p == 1.0:
        return z
    if p == 2.0:
        return z * z
    return z**p


@nb.njit(cache=True, nogil=True, inline="always")
def vdf_time(kind, t0, alpha, beta, cap, x):
    """Travel time on one link at volume `x` (see the module docstring)."""
    if x < 0.0:
        x = 0.0
    z = x / cap
    if kind == BPR:
        if alpha == 0.0:
            return t0
        return t0 * (1.0 + alpha * _power(z, beta))
    if kind == CONICAL:
        b = (2.0 * alpha - 1.0) / (2.0 * alpha - 2.0)
        w = 1.0 - z
        return t0 * (2.0 + math.sqrt(alpha * alpha * w * w + b * b) - alpha * w - b)
    w = z - 1.0
    return t0 + 0.25 * beta * (w + math.sqrt(w * w + 8.0 * alpha * z / (cap * beta)))


@nb.njit(cache=True, nogil=True, inline="always")
def vdf_deriv(kind, t0, alpha, beta, cap, x):
    """Derivative of the travel time with respect to volume at `x` (>= 0)."""
    if x < 0.0:
        x = 0.0
    z = x / cap
    if kind == BPR:
        if alpha == 0.0 or beta == 0.0:
            return 0.0
        if z == 0.0:
            return t0 * alpha / cap if beta == 1.0 else 0.0
        return t0 * alpha * beta * _power(z, beta - 1.0) / cap
    if kind == CONICAL:
        b = (2.0 * alpha - 1.0) / (2.0 * alpha - 2.0)
        w = 1.0 - z
        return t0 / cap * (alpha - alpha * alpha * w / math.sqrt(alpha * alpha * w * w + b * b))
    w = z - 1.0
    k = 8.0 * alpha / (cap * beta)
    return 0.25 * beta / cap * (1.0 + (w + 0.5 * k) / math.sqrt(w * w + k * z))


@nb.njit(cache=True, nogil=True, inline="always")
def _conical_prim(a, b, w):
    """Antiderivative of sqrt(a^2 w^2 + b^2) with respect to w."""
    return 0.5 * w * math.sqrt(a * a * w * w + b * b) + b * b / (2.0 * a) * math.asinh(a * w / b)


@nb.njit(cache=True, nogil=True, inline="always")
def _sqrt_prim(u, s):
    """Antiderivative of sqrt(u^2 + s) with respect to u (any sign of s)."""
    r = math.sqrt(max(u * u + s, 0.0))
    if s > 0.0:
        return 0.5 * u * r + 0.5 * s * math.asinh(u / math.sqrt(s))
    if s == 0.0:
        return 0.5 * u * abs(u)
    # log|u + r|, written without cancellation when u < 0: (u + r)(u - r) = -s
    log_term = math.log(u + r) if u > 0.0 else math.log(-s) - math.log(r - u)
    return 0.5 * u * r + 0.5 * s * log_term


@nb.njit(cache=True, nogil=True, inline="always")
def vdf_integral(kind, t0, alpha, beta, cap, x):
    """Integral of the travel time from 0 to `x` (the link's Beckmann term)."""
    if x <= 0.0:
        return 0.0
    z = x / cap
    if kind == BPR:
        if alpha == 0.0:
            return t0 * x
        return t0 * (x + alpha * cap * _power(z, beta + 1.0) / (beta + 1.0))
    if kind == CONICAL:
        a = alpha
        b = (2.0 * a - 1.0) / (2.0 * a - 2.0)
        # t = t0 (2 + S(w) - a w - b), S(w) = sqrt(a^2 w^2 + b^2), w = 1 - u/cap
        root = cap * (_conical_prim(a, b, 1.0) - _conical_prim(a, b, 1.0 - z))
        lin = (2.0 - b) * x - a * (x - 0.5 * x * z)
        return t0 * (lin + root)
    # Akcelik: sqrt(w^2 + k z) = sqrt(u^2 + s) with u = w + k/2, s = k - k^2/4
    k = 8.0 * alpha / (cap * beta)
    half = 0.5 * k
    sq = k - half * half
    root = _sqrt_prim(z - 1.0 + half, sq) - _sqrt_prim(half - 1.0, sq)
    return t0 * x + 0.25 * beta * cap * (0.5 * ((z - 1.0) ** 2 - 1.0) + root)


@nb.njit(cache=True, nogil=True)
def link_times(kind, t0, alpha, beta, cap, x, out):
    """Travel time of every link at volumes `x` float64[m], written into `out` float64[m]."""
    for a in range(x.size):
        out[a] = vdf_time(kind[a], t0[a], alpha[a], beta[a], cap[a], x[a])


@nb.njit(cache=True, nogil=True)
def link_derivs(kind, t0, alpha, beta, cap, x, out):
    """Derivative of every link's travel time at volumes `x`, written into `out`."""
    for a in range(x.size):
        out[a] = vdf_deriv(kind[a], t0[a], alpha[a], beta[a], cap[a], x[a])


@nb.njit(cache=True, nogil=True)
def beckmann(kind, t0, alpha, beta, cap, x):
    """Sum over links of the integral of travel time from 0 to `x` (float64)."""
    total = 0.0
    for a in range(x.size):
        total += vdf_integral(kind[a], t0[a], alpha[a], beta[a], cap[a], x[a])
    return total


@nb.njit(cache=True, nogil=True)
def _slope(kind, t0, alpha, beta, cap, x, d, fixed_dot, lam):
    s = fixed_dot
    for a in range(x.size):
        if d[a] != 0.0:
            s += d[a] * vdf_time(kind[a], t0[a], alpha[a], beta[a], cap[a], x[a] + lam * d[a])
    return s


@nb.njit(cache=True, nogil=True)
def line_search(kind, t0, alpha, beta, cap, x, d, fixed_dot, tol):
    """Step in [0, 1] minimising the Beckmann objective along total volume direction `d`.

    The slope at step s is ``sum_a d[a] * t_a(x[a] + s d[a]) + fixed_dot`` (fixed_dot is the
    fixed link costs times the class directions); it increases with s (convexity). Its root
    is bracketed and found by the Illinois variant of regula falsi (superlinear; about ten
    slope evaluations to ``tol``), with a bisection step whenever the secant leaves the
    bracket. Returns 0 when `d` is not a descent direction and 1 when the objective still
    falls at 1.
    """
    f_lo = _slope(kind, t0, alpha, beta, cap, x, d, fixed_dot, 0.0)
    if f_lo >= 0.0:
        return 0.0
    f_hi = _slope(kind, t0, alpha, beta, cap, x, d, fixed_dot, 1.0)
    if f_hi <= 0.0:
        return 1.0
    lo = 0.0
    hi = 1.0
    side = 0
    for _ in range(200):
        if hi - lo <= tol:
            break
        mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        if not lo < mid < hi:
            mid = 0.5 * (lo + hi)
        f_mid = _slope(kind, t0, alpha, beta, cap, x, d, fixed_dot, mid)
        if f_mid == 0.0:
            return mid
        if f_mid < 0.0:
            lo, f_lo = mid, f_mid
            if side == -1:
                f_hi *= 0.5
            side = -1
        else:
            hi, f_hi = mid, f_mid
            if side == 1:
                f_lo *= 0.5
            side = 1
    return 0.5 * (lo + hi)


@nb.njit(cache=True, nogil=True)
def _zone_mask(n, zones):
    """(bool[n] true at the zone nodes, the number of distinct zone nodes)."""
    mask = np.zeros(n, np.bool_)
    for v in zones:
        mask[v] = True
    return mask, int(mask.sum())


@nb.njit(cache=True, nogil=True)
def _load_backwards(order, count, pred, tails, zones, row, dist, src, node_flow, flows):
    """An origin's demand `row` (per zone) added to `flows` along its tree: `order[:count]`
    is a topological order of the tree (`pred` CSR slots, `tails` their tail nodes), so
    one backward pass carries each node's flow to its predecessor arc. `node_flow`
    (float64[n], zero on entry) is left zero."""
    for j in range(zones.size):
        if row[j] > 0.0 and dist[zones[j]] < np.inf:
            node_flow[zones[j]] += row[j]
    for r in range(count - 1, 0, -1):
        v = order[r]
        f = node_flow[v]
        if f != 0.0:
            e = pred[v]
            flows[e] += f
            node_flow[tails[e]] += f
            node_flow[v] = 0.0
    node_flow[src] = 0.0


@nb.njit(cache=True, nogil=True)
def _load_origin(indptr, heads, tails, cost, blocked, zones, row, src, work, flows, od_cost):
    """Tree from `src` and its demand `row` loaded on it; skipped when the row is all zero
    (its od_cost row then stays inf). The tree stops growing once every zone is settled."""
    if not np.any(row > 0.0):
        return
    dist, pred, order, hkey, hnode, node_flow, is_zone, n_zones = work
    count = dijkstra_tree_lazy(
        indptr, heads, cost, blocked, src, dist, pred, order, hkey, hnode, is_zone, n_zones
    )
    for j in range(zones.size):
        od_cost[j] = dist[zones[j]]
    _load_backwards(order, count, pred, tails, zones, row, dist, src, node_flow, flows)


@nb.njit(cache=True, nogil=True, parallel=True)
def _aon_blocks(indptr, heads, tails, cost, blocked, zones, demand, partial, od_cost, scratch):
    """prange over origin blocks; block b takes origins b, b + nb, ... (round robin)."""
    n_blocks = partial.shape[0]
    z = zones.size
    for b in nb.prange(n_blocks):
        dist, pred, order, hkey, hnode, node_flow, is_zone, n_zones = scratch
        work = (dist[b], pred[b], order[b], hkey[b], hnode[b], node_flow[b], is_zone, n_zones)
        for i in range(b, z, n_blocks):
            _load_origin(
                indptr,
                heads,
                tails,
                cost,
                blocked,
                zones,
                demand[i],
                zones[i],
                work,
                partial[b],
                od_cost[i],
            )


@nb.njit(cache=True, nogil=True)
def aon_load(indptr, heads, tails, cost, blocked, zones, demand, n_blocks):
    """All-or-nothing loading of `demand` on least-`cost` paths, parallel over origins.

    `zones` int64[z] are the zone nodes; `demand` float64[z, z] (row = origin). Origins are
    dealt round-robin to `n_blocks` blocks, each with its own flow vector and scratch, run
    with prange (all allocation happens here, outside the parallel region). Flows are
    loaded backwards over each tree's settle order (a topological order of the tree).
    Returns (flows float64[m], od_cost float64[z, z]); od_cost is inf where unreachable
    (demand there is not loaded) and on the rows of origins without demand, whose trees
    are skipped.
    """
    n = indptr.size - 1
    m = heads.size
    z = zones.size
    partial = np.zeros((n_blocks, m))
    od_cost = np.empty((z, z))
    od_cost[:] = np.inf
    scratch = (
        np.empty((n_blocks, n)),
        np.empty((n_blocks, n), np.int64),
        np.empty((n_blocks, n), np.int64),
        np.empty((n_blocks, m + 1)),
        np.empty((n_blocks, m + 1), np.int32),
        np.zeros((n_blocks, n)),
        *_zone_mask(n, zones),
    )
    _aon_blocks(indptr, heads, tails, cost, blocked, zones, demand, partial, od_cost, scratch)
    flows = np.zeros(m)
    for b in range(n_blocks):
        for e in range(m):
            flows[e] += partial[b, e]
    return flows, od_cost


@nb.njit(cache=True, nogil=True)
def aon_load_serial(indptr, heads, tails, cost, blocked, zones, demand):
    """Serial twin of :func:`aon_load` (for small problems, where threads cost more)."""
    n = indptr.size - 1
    m = heads.size
    z = zones.size
    flows = np.zeros(m)
    od_cost = np.full((z, z), np.inf)
    work = (
        np.empty(n),
        np.empty(n, np.int64),
        np.empty(n, np.int64),
        np.empty(m + 1),
        np.empty(m + 1, np.int32),
        np.zeros(n),
        *_zone_mask(n, zones),
    )
    for i in range(z):
        _load_origin(
            indptr, heads, tails, cost, blocked, zones, demand[i], zones[i], work, flows, od_cost[i]
        )
    return flows, od_cost


@nb.njit(cache=True, nogil=True)
def warm_tree(indptr, heads, cost, blocked, src, order, count, dist, pred, seen, inq, queue):
    """Least-cost tree from `src` by label correcting, warm-started from a settle order.

    One pass relaxes the out-arcs of the nodes in `order[:count]` (the settle order of an
    earlier tree from `src` on other costs; when it is a topological order of the new tree
    the pass alone is exact), then a FIFO queue re-relaxes every node whose label fell
    after its turn, until no label falls (Bellman-Ford-Moore; exact for costs >= 0). Ties
    follow :func:`corridor.kernels.dijkstra_lazy.dijkstra_tree_lazy` (lowest slot among
    tight arcs of positive cost). Returns False, leaving `dist` and `pred` partial, when
    the queue phase pops more than `count` nodes (the old order is too far off; grow a
    fresh tree instead), 1 when the tree is exact and `order[:count]` is a topological
    order of it (no label fell, and no tie moved a predecessor, after a node's turn), else
    2 (exact, but `order` no longer fits).
    """
    n = indptr.size - 1
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
        seen[i] = False
        inq[i] = False
    fits = True
    dist[src] = 0.0
    head = 0
    tail = 0
    for r in range(count):
        u = order[r]
        seen[u] = True
        du = dist[u]
        if du == np.inf or (blocked[u] and u != src):
            continue
        for e in range(indptr[u], indptr[u + 1]):
            x = heads[e]
            w = cost[e]
            nd = du + w
            if nd < dist[x]:
                dist[x] = nd
                pred[x] = e
                if seen[x] and not inq[x]:  # passed already: its out-arcs need another look
                    inq[x] = True
                    queue[tail] = x
                    tail = tail + 1 if tail < n else 0
            elif nd == dist[x] and w > 0.0 and e < pred[x]:
                pred[x] = e
                if seen[x]:
                    fits = False
    if head != tail:
        fits = False
    pops = 0
    while head != tail:
        u = queue[head]
        head = head + 1 if head < n else 0
        inq[u] = False
        pops += 1
        if pops > count:
            return 0
        if blocked[u] and u != src:
            continue
        du = dist[u]
        for e in range(indptr[u], indptr[u + 1]):
            x = heads[e]
            w = cost[e]
            nd = du + w
            if nd < dist[x]:
                dist[x] = nd
                pred[x] = e
                if not inq[x]:
                    inq[x] = True
                    queue[tail] = x
                    tail = tail + 1 if tail < n else 0
            elif nd == dist[x] and w > 0.0 and e < pred[x]:
                pred[x] = e
    return 1 if fits else 2


@nb.njit(cache=True, nogil=True)
def _tree_order(order, count, src, pred, tails, first, child):
    """Rewrite `order[:count]` (the nodes of the tree `pred` rooted at `src`) breadth first
    from `src`, a topological order of the tree; `first` int64[n+1] and `child` int64[n]
    are scratch (children grouped by parent, by counting sort)."""
    first[:] = 0
    for r in range(count):
        v = order[r]
        if v != src:
            first[tails[pred[v]] + 1] += 1
    for u in range(first.size - 1):
        first[u + 1] += first[u]
    for r in range(count):
        v = order[r]
        if v != src:
            u = tails[pred[v]]
            child[first[u]] = v
            first[u] += 1
    # first[u] is now the end of u's children; u's start is the previous node's end
    order[0] = src
    head = 0
    tail = 1
    while head < tail:
        u = order[head]
        head += 1
        start = first[u - 1] if u > 0 else 0
        for k in range(start, first[u]):
            order[tail] = child[k]
            tail += 1


@nb.njit(cache=True, nogil=True)
def aon_load_warm(indptr, heads, tails, cost, blocked, zones, demand, orders, counts):
    """:func:`aon_load_serial` with each origin's tree warm-started from its last one.

    `orders` int32[z, n] and `counts` int64[z] (-1: none yet) keep, per origin, the settle
    order of the last tree grown by Dijkstra; they are updated in place. Each origin first
    tries :func:`warm_tree` from its kept order and grows a fresh (whole) tree only when
    that fails, so an equilibrium iteration, whose costs move little between calls, mostly
    skips the heap. When the tree has moved so that the kept order no longer fits it, the
    order is rebuilt from the tree (breadth first), and demand is loaded backwards over
    it. Returns (flows float64[m], od_cost float64[z, z], number of fresh trees).
    """
    n = indptr.size - 1
    m = heads.size
    z = zones.size
    flows = np.zeros(m)
    od_cost = np.full((z, z), np.inf)
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    hkey = np.empty(m + 1)
    hnode = np.empty(m + 1, np.int32)
    seen = np.empty(n, np.bool_)
    inq = np.empty(n, np.bool_)
    queue = np.empty(n + 1, np.int64)  # a ring: at most n nodes queued at once
    node_flow = np.zeros(n)
    no_target = np.zeros(n, np.bool_)
    first = np.empty(n + 1, np.int64)
    child = np.empty(n, np.int64)
    fresh = 0
    for i in range(z):
        row = demand[i]
        if not np.any(row > 0.0):
            continue
        src = zones[i]
        state = 0
        if counts[i] >= 0:
            state = warm_tree(
                indptr,
                heads,
                cost,
                blocked,
                src,
                orders[i],
                counts[i],
                dist,
                pred,
                seen,
                inq,
                queue,
            )
        if state == 0:
            c = dijkstra_tree_lazy(
                indptr, heads, cost, blocked, src, dist, pred, order, hkey, hnode, no_target, 0
            )
            for r in range(c):
                orders[i, r] = order[r]
            counts[i] = c
            fresh += 1
            state = 1
        for j in range(z):
            od_cost[i, j] = dist[zones[j]]
        if state == 2:  # the tree moved: re-order its nodes so the order fits again
            _tree_order(orders[i], counts[i], src, pred, tails, first, child)
        # orders[i] is now a topological order of the tree: load backwards over it
        _load_backwards(orders[i], counts[i], pred, tails, zones, row, dist, src, node_flow, flows)
    return flows, od_cost, fresh
