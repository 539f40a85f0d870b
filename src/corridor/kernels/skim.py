"""Many-to-many least-cost kernels by repeated Dijkstra (numba; arrays in, arrays out).

Graphs are CSR arrays: `indptr` int64[n+1], `heads` int32[m], `cost` float64[m] >= 0.
`attrs` float64[k, m] holds k other link attributes that are summed along the chosen
(least-cost) paths. `blocked` bool[n] marks nodes that paths may start or end at but never
pass through (TNTP zones below the first-thru node). Unreachable is `inf` in every output.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.kernels.dijkstra_lazy import dijkstra_tree_lazy

__all__ = ["skim_dijkstra"]


@nb.njit(cache=True, nogil=True)
def _block(indptr, heads, tails, cost, attrs, blocked, origins, dests, lo, hi, values, sums):
    n = indptr.size - 1
    k = attrs.shape[0]
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    hkey = np.empty(heads.size + 1)  # lazy-deletion heap: one entry per arc at most
    hnode = np.empty(heads.size + 1, np.int32)
    acc = np.zeros((k, n)) if k > 0 else np.zeros((0, 1))
    target = np.zeros(n, np.bool_)  # the search of an origin ends once every zone is settled
    for j in range(dests.size):
        target[dests[j]] = True
    n_targets = 0
    for v in range(n):
        if target[v]:
            n_targets += 1
    for i in range(lo, hi):
        s = origins[i]
        count = dijkstra_tree_lazy(
            indptr, heads, cost, blocked, s, dist, pred, order, hkey, hnode, target, n_targets
        )
        if k > 0:
            # settle order is a topological order of the shortest-path tree
            for a in range(k):
                acc[a, s] = 0.0
            for j in range(1, count):
                v = order[j]
                e = pred[v]
                t = tails[e]
                for a in range(k):
                    acc[a, v] = acc[a, t] + attrs[a, e]
        for j in range(dests.size):
            t = dests[j]
            d = dist[t]
            values[i, j] = d
            for a in range(k):
                sums[a, i, j] = acc[a, t] if d < np.inf else np.inf


@nb.njit(cache=True, nogil=True, parallel=True)
def skim_dijkstra(indptr, heads, tails, cost, attrs, blocked, origins, dests, n_blocks):
    """Least-cost matrix by one Dijkstra per origin, in parallel over blocks of origins.

    `tails` int32[m] is the tail node of each slot; `origins`, `dests` int64 node indices.
    Returns `values` float64[n_orig, n_dest] and `sums` float64[k, n_orig, n_dest], the
    attributes summed along the path that gave each least cost (inf where unreachable).
    Each block allocates its scratch once, so memory is O(n_blocks x ((k + 3) x n + m)).
    The search is the lazy-deletion heap of :mod:`corridor.kernels.dijkstra_lazy`
    (faster than the indexed heap and than scipy; ``bench/shortest_path.py``).
    """
    no = origins.size
    nd = dests.size
    k = attrs.shape[0]
    values = np.empty((no, nd))
    sums = np.empty((k, no, nd))
    nb_ = max(1, min(n_blocks, no))
    step = (no + nb_ - 1) // nb_ if no > 0 else 1
    for b in nb.prange(nb_):
        lo = b * step
        hi = min(no, lo + step)
        if lo < hi:
            _block(indptr, heads, tails, cost, attrs, blocked, origins, dests, lo, hi, values, sums)
    return values, sums
