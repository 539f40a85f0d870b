"""One-to-all Dijkstra with a lazy-deletion 4-ary heap (numba; arrays in, arrays out).

The indexed heap of :mod:`corridor.kernels.heap` supports decrease-key, which costs a
position array read and written on every move. Without it, a relaxation pushes a new
entry and a popped entry whose key exceeds its node's distance is stale and skipped
(lazy deletion): the heap may hold up to one entry per successful relaxation (at most one
per arc, plus the source), but every sift step touches only the keys and nodes. On road
graphs few entries go stale, and the search is faster than both the indexed heap and
scipy's Fibonacci heap (``bench/shortest_path.py``: NY and COL, 30 interleaved sources).

Arity 4 measured best on NY and COL (binary and 8-ary heaps were 5-15 % slower): the four
children of a node share a cache line of keys.

Graphs are given as ``indptr`` int64[n+1], ``heads`` int32[m] and ``cost`` float64[m]
>= 0; distances are float64 (inf = unreachable) and predecessors CSR slots (int64, -1 for
none), as in :mod:`corridor.kernels.dijkstra`.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["dijkstra_lazy", "dijkstra_tree_lazy", "new_lazy_heap"]


def new_lazy_heap(n_arcs: int) -> tuple[np.ndarray, np.ndarray]:
    """Heap arrays for :func:`dijkstra_lazy` on a graph of `n_arcs` arcs (keys float64,
    nodes int32; one entry per arc plus the source), reusable across searches."""
    return np.empty(n_arcs + 1), np.empty(n_arcs + 1, np.int32)


@nb.njit(cache=True, nogil=True)
def _sift_down_last(hkey, hnode, size):
    """After the root of a heap of `size` + 1 entries is taken (`size` > 0): the last
    entry moves down from the root to its place among the first `size`."""
    lk = hkey[size]
    lv = hnode[size]
    i = 0
    while True:
        c = 4 * i + 1
        if c >= size:
            break
        best = c
        kb = hkey[c]
        end = min(c + 4, size)
        for j in range(c + 1, end):
            if hkey[j] < kb:
                best = j
                kb = hkey[j]
        if kb >= lk:
            break
        hkey[i] = kb
        hnode[i] = hnode[best]
        i = best
    hkey[i] = lk
    hnode[i] = lv


@nb.njit(cache=True, nogil=True)
def _push(hkey, hnode, size, key, node):
    """Add (`key`, `node`) to a heap of `size` entries, sifting it up from slot `size`."""
    i = size
    while i > 0:
        p = (i - 1) >> 2
        kp = hkey[p]
        if kp <= key:
            break
        hkey[i] = kp
        hnode[i] = hnode[p]
        i = p
    hkey[i] = key
    hnode[i] = node


@nb.njit(cache=True, nogil=True)
def dijkstra_lazy(indptr, heads, cost, source, dist, pred, hkey, hnode):
    """One-to-all Dijkstra from `source`.

    Writes `dist` float64[n] and `pred` int64[n]; `hkey` float64[m+1] and `hnode`
    int32[m+1] are scratch (:func:`new_lazy_heap`). Returns the number of nodes settled.
    """
    n = indptr.size - 1
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
    dist[source] = 0.0
    hkey[0] = 0.0
    hnode[0] = source
    size = 1
    settled = 0
    while size > 0:
        d = hkey[0]
        u = hnode[0]
        size -= 1
        if size > 0:
            _sift_down_last(hkey, hnode, size)
        if d > dist[u]:
            continue  # stale: u was reached more cheaply after this entry was pushed
        settled += 1
        for e in range(indptr[u], indptr[u + 1]):
            x = heads[e]
            nd = d + cost[e]
            if nd < dist[x]:
                dist[x] = nd
                pred[x] = e
                _push(hkey, hnode, size, nd, x)
                size += 1
    return settled


@nb.njit(cache=True, nogil=True)
def dijkstra_tree_lazy(
    indptr, heads, cost, blocked, source, dist, pred, order, hkey, hnode, target, n_targets
):
    """:func:`dijkstra_lazy` that records the settle order and never expands a blocked node.

    The twin of :func:`corridor.kernels.dijkstra.dijkstra_tree` (same outputs: `dist`
    float64[n], `pred` int64[n] CSR slots, `order` int64[n] the settled nodes in settling
    order, a topological order of the tree) on the lazy-deletion heap; `hkey`
    float64[m+1] and `hnode` int32[m+1] are scratch (:func:`new_lazy_heap`). The source is
    expanded even when blocked. The search stops once `n_targets` nodes with `target`
    (bool[n]) true are settled (`n_targets` 0: grow the whole tree); then only the settled
    nodes' `dist` and `pred` are final, and paths to them use settled nodes only. Returns
    the number of settled nodes.

    Ties are broken canonically: of the arcs of positive cost that reach a node at its
    least distance, `pred` is the lowest CSR slot (all their tails settle before the
    node, so the rule does not depend on the order in which the heap returns equal keys).
    Arcs of zero cost keep the first that reached the node.
    """
    n = indptr.size - 1
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
    dist[source] = 0.0
    hkey[0] = 0.0
    hnode[0] = source
    size = 1
    count = 0
    while size > 0:
        d = hkey[0]
        u = hnode[0]
        size -= 1
        if size > 0:
            _sift_down_last(hkey, hnode, size)
        if d > dist[u]:
            continue  # stale: u was reached more cheaply after this entry was pushed
        order[count] = u
        count += 1
        if target[u]:
            n_targets -= 1
            if n_targets == 0:
                break  # every target settled: the rest of the tree is not needed
        if blocked[u] and u != source:
            continue
        for e in range(indptr[u], indptr[u + 1]):
            x = heads[e]
            w = cost[e]
            nd = d + w
            if nd < dist[x]:
                dist[x] = nd
                pred[x] = e
                _push(hkey, hnode, size, nd, x)
                size += 1
            elif nd == dist[x] and w > 0.0 and e < pred[x]:
                pred[x] = e  # a tie: the lowest slot wins, whatever the heap's order
    return count
