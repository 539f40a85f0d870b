"""An indexed 4-ary min-heap over node numbers, for numba kernels.

`heap` int32[n] holds node numbers and `hkey` float64[n] their priorities side by side (so
sifting reads contiguous memory); `pos` int32[n] holds each node's slot, -1 if the node was
never pushed and -2 once it has been popped (settled). :func:`push` inserts a node or
lowers its key in place; :func:`pop` takes the minimum. All work in place on preallocated
arrays.
"""

from __future__ import annotations

import numba as nb

UNSEEN = -1
SETTLED = -2


@nb.njit(cache=True, nogil=True, inline="always")
def push(heap, hkey, pos, size, v, k):
    """Insert node `v` with key `k`, or lower its key to `k`; return the new size."""
    i = pos[v]
    if i < 0:
        i = size
        size += 1
    while i > 0:
        p = (i - 1) >> 2
        kp = hkey[p]
        if kp <= k:
            break
        u = heap[p]
        heap[i] = u
        hkey[i] = kp
        pos[u] = i
        i = p
    heap[i] = v
    hkey[i] = k
    pos[v] = i
    return size


@nb.njit(cache=True, nogil=True, inline="always")
def pop(heap, hkey, pos, size):
    """Remove the node with the smallest key and mark it settled. Returns (node, size)."""
    top = heap[0]
    pos[top] = SETTLED
    size -= 1
    if size > 0:
        last = heap[size]
        kl = hkey[size]
        i = 0
        while True:
            c = 4 * i + 1
            if c >= size:
                break
            best = c
            kb = hkey[c]
            end = min(c + 4, size)
            for j in range(c + 1, end):
                kj = hkey[j]
                if kj < kb:
                    best = j
                    kb = kj
            if kb >= kl:
                break
            u = heap[best]
            heap[i] = u
            hkey[i] = kb
            pos[u] = i
            i = best
        heap[i] = last
        hkey[i] = kl
        pos[last] = i
    return top, size
