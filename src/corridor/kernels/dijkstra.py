"""Shortest-path kernels on CSR graphs (numba; arrays in, arrays out; no logging).

Graphs are given as `indptr` int64[n+1], `heads` int32[m] and `cost` float64[m] >= 0.
Distances are float64 with `inf` for unreachable nodes; predecessors are CSR slot
numbers (int64, -1 for none).
"""

from __future__ import annotations

import math
from typing import Any

import numba as nb
import numpy as np

from corridor._typing import FloatArray, Int32Array, IntArray
from corridor.kernels.heap import SETTLED, UNSEEN, pop, push

__all__ = ["astar", "dijkstra", "dijkstra_to", "dijkstra_tree", "new_workspace", "path_slots"]


@nb.njit(cache=True, nogil=True)
def dijkstra_tree(indptr, heads, cost, blocked, source, dist, pred, order, heap, hkey, pos):
    """One-to-all Dijkstra that records the settle order and never expands a blocked node.

    Used by skims and by assignment (the settle order is a topological order of the tree,
    for loading flows). The source is expanded even when blocked.

    Writes `dist` float64[n] (inf = unreachable), `pred` int64[n] (CSR slot, -1 = none)
    and `order` int64[n] (settled nodes in settling order); `heap` int32[n], `hkey`
    float64[n] and `pos` int32[n] are scratch. Returns the number of settled nodes.
    """
    n = indptr.size - 1
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
        pos[i] = UNSEEN
    dist[source] = 0.0
    size = push(heap, hkey, pos, 0, source, 0.0)
    count = 0
    while size > 0:
        u, size = pop(heap, hkey, pos, size)
        order[count] = u
        count += 1
        if blocked[u] and u != source:
            continue
        du = dist[u]
        for e in range(indptr[u], indptr[u + 1]):
            v = heads[e]
            if pos[v] == SETTLED:
                continue
            nd = du + cost[e]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = e
                size = push(heap, hkey, pos, size, v, nd)
    return count


def dijkstra(
    indptr: IntArray,
    heads: Int32Array,
    cost: FloatArray,
    source: int,
    dist: FloatArray,
    pred: IntArray,
) -> None:
    """One-to-all Dijkstra from node `source`.

    Writes `dist` float64[n] (inf = unreachable) and `pred` int64[n] (CSR slot of the
    link used to reach each node, -1 for none). O((n + m) log m). The search is
    :func:`corridor.kernels.dijkstra_lazy.dijkstra_lazy` (lazy-deletion 4-ary heap; faster
    than the indexed heap of :func:`dijkstra_tree` and than scipy, ``bench/shortest_path.py``);
    this allocates its scratch arrays.
    """
    from corridor.kernels.dijkstra_lazy import dijkstra_lazy, new_lazy_heap

    hkey, hnode = new_lazy_heap(heads.size)
    dijkstra_lazy(indptr, heads, cost, source, dist, pred, hkey, hnode)


Workspace = tuple[Any, ...]


def new_workspace(n: int) -> Workspace:
    """Arrays for :func:`dijkstra_to` and :func:`astar`, reusable across queries.

    Returns (dist, pred, pos, heap, heap keys, touched) sized for `n` nodes, reset.
    """
    return (
        np.full(n, np.inf),
        np.full(n, -1, np.int64),
        np.full(n, UNSEEN, np.int32),
        np.empty(n, np.int32),
        np.full(n, np.inf),
        np.empty(n, np.int64),
    )


@nb.njit(cache=True, nogil=True)
def path_slots(indptr, heads, pred, source, target):
    """CSR slots of the path from `source` to `target` recorded in `pred`, in travel order."""
    count = 0
    v = target
    while v != source:
        e = pred[v]
        # find the tail of slot e: binary search in indptr
        lo, hi = 0, indptr.size - 2
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if indptr[mid] <= e:
                lo = mid
            else:
                hi = mid - 1
        v = lo
        count += 1
    out = np.empty(count, np.int64)
    v = target
    for i in range(count - 1, -1, -1):
        e = pred[v]
        out[i] = e
        lo, hi = 0, indptr.size - 2
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if indptr[mid] <= e:
                lo = mid
            else:
                hi = mid - 1
        v = lo
    return out


@nb.njit(cache=True, nogil=True)
def _reset(dist, pred, pos, touched, ntouched):
    for i in range(ntouched):
        v = touched[i]
        dist[v] = np.inf
        pred[v] = -1
        pos[v] = UNSEEN


@nb.njit(cache=True, nogil=True)
def _search(
    indptr,
    heads,
    cost,
    source,
    target,
    lon,
    lat,
    scale,
    ws_dist,
    ws_pred,
    ws_pos,
    ws_heap,
    ws_key,
    ws_touched,
):
    """Label-setting search that stops when `target` is settled; A* when scale > 0.

    The heuristic is `scale` x great-circle distance (radians on the unit sphere, times
    Earth's radius) to the target; it is consistent when every link's cost is at least
    `scale` x its endpoints' great-circle distance. Returns (cost, slots) and leaves the
    workspace reset.
    """
    ntouched = 0
    tlon = lon[target] if scale > 0.0 else 0.0
    tlat = lat[target] if scale > 0.0 else 0.0
    ws_dist[source] = 0.0
    ws_touched[0] = source
    ntouched = 1
    size = push(ws_heap, ws_key, ws_pos, 0, source, 0.0)
    found = False
    while size > 0:
        u, size = pop(ws_heap, ws_key, ws_pos, size)
        if u == target:
            found = True
            break
        du = ws_dist[u]
        for e in range(indptr[u], indptr[u + 1]):
            v = heads[e]
            pv = ws_pos[v]
            if pv == SETTLED:
                continue
            nd = du + cost[e]
            if nd < ws_dist[v]:
                if pv == UNSEEN:
                    ws_touched[ntouched] = v
                    ntouched += 1
                h = 0.0
                if scale > 0.0:
                    s = (
                        math.sin((lat[v] - tlat) * 0.5) ** 2
                        + math.cos(lat[v]) * math.cos(tlat) * math.sin((lon[v] - tlon) * 0.5) ** 2
                    )
                    h = scale * 2.0 * 6371.0088 * math.asin(math.sqrt(min(1.0, s)))
                ws_dist[v] = nd
                ws_pred[v] = e
                size = push(ws_heap, ws_key, ws_pos, size, v, nd + h)
    if found:
        total = ws_dist[target]
        slots = path_slots(indptr, heads, ws_pred, source, target)
    else:
        total = np.inf
        slots = np.empty(0, np.int64)
    _reset(ws_dist, ws_pred, ws_pos, ws_touched, ntouched)
    return total, slots


def dijkstra_to(
    indptr: IntArray,
    heads: Int32Array,
    cost: FloatArray,
    source: int,
    target: int,
    workspace: Workspace,
) -> tuple[float, IntArray]:
    """One-to-one Dijkstra with early exit. Returns (cost, CSR slots of the path).

    `workspace` comes from :func:`new_workspace` and is left reset for the next query.
    """
    dummy = np.zeros(1)
    total, slots = _search(indptr, heads, cost, source, target, dummy, dummy, 0.0, *workspace)
    return float(total), slots


def astar(
    indptr: IntArray,
    heads: Int32Array,
    cost: FloatArray,
    source: int,
    target: int,
    lon_rad: FloatArray,
    lat_rad: FloatArray,
    scale: float,
    workspace: Workspace,
) -> tuple[float, IntArray]:
    """One-to-one A* with a great-circle lower bound. Returns (cost, CSR slots of the path).

    `lon_rad`, `lat_rad` float64[n] are node coordinates in radians; `scale` is the least
    cost per great-circle km over all links (e.g. 1 / max speed for time), which makes the
    bound admissible and consistent.
    """
    if scale <= 0.0:
        return dijkstra_to(indptr, heads, cost, source, target, workspace)
    total, slots = _search(indptr, heads, cost, source, target, lon_rad, lat_rad, scale, *workspace)
    return float(total), slots
