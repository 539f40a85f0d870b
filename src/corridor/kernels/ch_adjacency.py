"""Pooled adjacency lists for contraction (numba; arrays in, arrays out).

Each node's out- (or in-) neighbours sit in one slice ``start[v] : start[v] + length[v]``
of a shared pool of (neighbour int64, edge id int64) pairs with room for ``cap[v]``
entries. A full slice moves to the end of the pool with twice the room, so appending is
amortised O(1); the pools grow by doubling.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["append_entry", "grow", "remove_entries"]


@nb.njit(cache=True, nogil=True)
def grow(arr, size):
    """A copy of the 1-d array `arr` enlarged to `size` entries (the new tail unset)."""
    out = np.empty(size, arr.dtype)
    out[: arr.size] = arr
    return out


@nb.njit(cache=True, nogil=True)
def append_entry(start, length, cap, pool_n, pool_e, end, v, nbr, eid):
    """Append (nbr, eid) to node v's list in a pooled adjacency; returns pools and end."""
    if length[v] == cap[v]:
        newcap = max(4, 2 * cap[v])
        if end + newcap > pool_n.size:
            size = max(2 * pool_n.size, end + newcap)
            pool_n = grow(pool_n, size)
            pool_e = grow(pool_e, size)
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
def remove_entries(start, length, pool_n, pool_e, v, nbr):
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
