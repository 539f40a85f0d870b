"""Chains of segments through degree-2 nodes, for contracting imported networks (numba).

Arrays in, arrays out; no logging. Used by :mod:`corridor.io.osm`.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["walk_chains"]


@nb.njit(cache=True, nogil=True)
def _walk_one(start, s0, link, seg_a, seg_b, kept, inc_ptr, inc_seg, seg_link, seg_pos, seg_flip):
    """Walk from kept node `start` along segment `s0` through unkept nodes; return the end."""
    cur = start
    s = s0
    pos = 0
    while True:
        seg_link[s] = link
        seg_pos[s] = pos
        pos += 1
        if seg_a[s] == cur:
            nxt = seg_b[s]
            seg_flip[s] = False
        else:
            nxt = seg_a[s]
            seg_flip[s] = True
        if kept[nxt]:
            return nxt
        t = -1
        for k in range(inc_ptr[nxt], inc_ptr[nxt + 1]):
            if inc_seg[k] != s:
                t = inc_seg[k]
                break
        if t == -1 or seg_link[t] != -1:
            return nxt
        cur = nxt
        s = t


@nb.njit(cache=True, nogil=True)
def walk_chains(seg_a, seg_b, kept, inc_ptr, inc_seg):
    """Group segments into chains between kept nodes.

    seg_a, seg_b int64[s] node indices; kept bool[n] (modified: one node of every cycle
    without a kept node is marked kept); inc_ptr int64[n+1], inc_seg int64[2s] incidence.
    Returns seg_link int64[s], seg_pos int64[s], seg_flip bool[s], link_a, link_b int64[L].
    """
    nseg = seg_a.size
    n = kept.size
    seg_link = np.full(nseg, -1, np.int64)
    seg_pos = np.zeros(nseg, np.int64)
    seg_flip = np.zeros(nseg, np.bool_)
    link_a = np.empty(nseg, np.int64)
    link_b = np.empty(nseg, np.int64)
    nl = 0
    for v in range(n):
        if not kept[v]:
            continue
        for k in range(inc_ptr[v], inc_ptr[v + 1]):
            s = inc_seg[k]
            if seg_link[s] != -1:
                continue
            end = _walk_one(
                v, s, nl, seg_a, seg_b, kept, inc_ptr, inc_seg, seg_link, seg_pos, seg_flip
            )
            link_a[nl] = v
            link_b[nl] = end
            nl += 1
    for s in range(nseg):
        if seg_link[s] != -1:
            continue
        v = seg_a[s]
        kept[v] = True
        end = _walk_one(v, s, nl, seg_a, seg_b, kept, inc_ptr, inc_seg, seg_link, seg_pos, seg_flip)
        link_a[nl] = v
        link_b[nl] = end
        nl += 1
    return seg_link, seg_pos, seg_flip, link_a[:nl].copy(), link_b[:nl].copy()
