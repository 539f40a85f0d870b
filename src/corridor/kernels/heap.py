"""An indexed 4-ary min-heap over node numbers, for numba kernels.

`heap` int32[n] holds node numbers; `pos` int32[n] holds each node's slot, -1 if the
node was never pushed and -2 once it has been popped (settled); `key` float64[n] holds
the priority of every node. Push with :func:`push` (also decreases a key in place) and
take the minimum with :func:`pop`. All work in place on preallocated arrays.
"""

from __future__ import annotations

import numba as nb

UNSEEN = -1
SETTLED = -2


@nb.njit(cache=True, nogil=True, inline="always")
def push(heap, pos, key, size, v):
    """Insert node `v` (or restore order after lowering `key[v]`); return the new size."""
    i = pos[v]
    if i < 0:
        i = size
        size += 1
    kv = key[v]
    while i > 0:
        p = (i - 1) >> 2
        u = heap[p]
        if key[u] <= kv:
            break
        heap[i] = u
        pos[u] = i
        i = p
    heap[i] = v
    pos[v] = i
    return size


@nb.njit(cache=True, nogil=True, inline="always")
def pop(heap, pos, key, size):
    """Remove and return the node with the smallest key; mark it settled. Returns (node, size)."""
    top = heap[0]
    pos[top] = SETTLED
    size -= 1
    if size > 0:
        last = heap[size]
        kl = key[last]
        i = 0
        while True:
            c = 4 * i + 1
            if c >= size:
                break
            best = c
            kb = key[heap[c]]
            end = min(c + 4, size)
            for j in range(c + 1, end):
                kj = key[heap[j]]
                if kj < kb:
                    best = j
                    kb = kj
            if kb >= kl:
                break
            u = heap[best]
            heap[i] = u
            pos[u] = i
            i = best
        heap[i] = last
        pos[last] = i
    return top, size
