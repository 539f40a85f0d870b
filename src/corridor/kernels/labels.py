"""Multi-criteria label-setting (Martins' algorithm) on CSR graphs (numba).

Each label is a vector of k criteria (e.g. time, cost, CO2) at a node, with a pointer to
the label it was extended from. Labels are taken from a binary heap in order of the sum
of their (scaled) criteria; since arc weights are non-negative no later label can
dominate one taken earlier, so every label taken is Pareto-optimal at its node. A new
label is dropped when a label at its node, or a label already at the target, is no worse
in every criterion (up to a relative tolerance `eps`); labels it dominates are deleted.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor._typing import FloatArray, Int32Array, IntArray
from corridor.errors import ValidationError

__all__ = ["pareto_paths"]


@nb.njit(cache=True, nogil=True, inline="always")
def _sift_up(heap, key, i):
    item = heap[i]
    while i > 0:
        p = (i - 1) >> 1
        if key[heap[p]] <= key[item]:
            break
        heap[i] = heap[p]
        i = p
    heap[i] = item


@nb.njit(cache=True, nogil=True, inline="always")
def _sift_down(heap, key, size):
    item = heap[0]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and key[heap[c + 1]] < key[heap[c]]:
            c += 1
        if key[heap[c]] >= key[item]:
            break
        heap[i] = heap[c]
        i = c
    heap[i] = item


@nb.njit(cache=True, nogil=True, inline="always")
def _covers(a, b, eps):
    """True if vector a is no worse than b in every criterion (within relative eps)."""
    for j in range(a.size):  # noqa: SIM110 (numba)
        if a[j] > b[j] * (1.0 + eps) + 1e-12:
            return False
    return True


@nb.njit(cache=True, nogil=True)
def _labels(indptr, heads, weights, scale, source, target, cap, eps):
    """Label-setting search. weights float64[m, k] >= 0, scale float64[k] > 0.

    Returns (n_labels, target_labels int64[:], pred int64[cap], arc int64[cap],
    value float64[cap, k], complete bool).
    """
    n = indptr.size - 1
    k = weights.shape[1]
    value = np.empty((cap, k))
    node = np.empty(cap, np.int64)
    pred = np.empty(cap, np.int64)
    arc = np.empty(cap, np.int64)
    alive = np.zeros(cap, np.bool_)
    nxt = np.empty(cap, np.int64)
    key = np.empty(cap)
    head_of = np.full(n, -1, np.int64)
    heap = np.empty(cap, np.int64)
    at_target = np.empty(cap, np.int64)
    n_target = 0
    size = 0
    count = 0
    complete = True

    value[0, :] = 0.0
    node[0] = source
    pred[0] = -1
    arc[0] = -1
    alive[0] = True
    nxt[0] = -1
    key[0] = 0.0
    head_of[source] = 0
    heap[0] = 0
    size = 1
    count = 1
    new = np.empty(k)
    while size > 0:
        lab = heap[0]
        size -= 1
        if size > 0:
            heap[0] = heap[size]
            _sift_down(heap, key, size)
        if not alive[lab]:
            continue
        u = node[lab]
        if u == target:
            at_target[n_target] = lab
            n_target += 1
            continue
        for e in range(indptr[u], indptr[u + 1]):
            v = heads[e]
            for j in range(k):
                new[j] = value[lab, j] + weights[e, j]
            dominated = False
            for t in range(n_target):
                if _covers(value[at_target[t]], new, eps):
                    dominated = True
                    break
            if dominated:
                continue
            q = head_of[v]
            while q >= 0:
                if alive[q] and _covers(value[q], new, eps):
                    dominated = True
                    break
                q = nxt[q]
            if dominated:
                continue
            # delete labels at v that the new one dominates; unlink dead ones
            prev = -1
            q = head_of[v]
            while q >= 0:
                if alive[q] and _covers(new, value[q], 0.0):
                    alive[q] = False
                if not alive[q]:
                    if prev < 0:
                        head_of[v] = nxt[q]
                    else:
                        nxt[prev] = nxt[q]
                else:
                    prev = q
                q = nxt[q]
            if count == cap:
                complete = False
                continue
            value[count, :] = new
            node[count] = v
            pred[count] = lab
            arc[count] = e
            alive[count] = True
            nxt[count] = head_of[v]
            head_of[v] = count
            s = 0.0
            for j in range(k):
                s += new[j] * scale[j]
            key[count] = s
            heap[size] = count
            _sift_up(heap, key, size)
            size += 1
            count += 1
    return count, at_target[:n_target].copy(), pred, arc, value, complete


def pareto_paths(
    indptr: IntArray,
    heads: Int32Array,
    weights: FloatArray,
    source: int,
    target: int,
    *,
    max_labels: int = 2_000_000,
    eps: float = 0.0,
) -> tuple[FloatArray, list[IntArray], bool]:
    """Every Pareto-optimal path from `source` to `target` under k criteria.

    Parameters
    ----------
    indptr, heads
        CSR graph.
    weights
        float64[m, k] non-negative criteria per arc.
    source, target
        Vertex indices.
    max_labels
        Label budget; when it runs out the result is incomplete (third value False).
    eps
        Relative tolerance of dominance (0 = exact Pareto set; 0.01 drops paths within
        1% of another in every criterion).

    Returns
    -------
    values float64[P, k], paths (CSR slots of each, in travel order), complete
    """
    w = np.ascontiguousarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != heads.size:
        raise ValidationError(f"weights must have shape (m, k) with m = {heads.size}")
    if w.size and not (w >= 0).all():
        raise ValidationError("weights must be non-negative")
    spread = w.max(axis=0) if w.shape[0] else np.ones(w.shape[1])
    scale = 1.0 / np.where(spread > 0, spread, 1.0)
    cap = max(int(max_labels), 1)
    _, targets, pred, arc, value, complete = _labels(
        indptr, heads, w, scale, int(source), int(target), cap, float(eps)
    )
    paths: list[IntArray] = []
    for lab in targets.tolist():
        slots: list[int] = []
        while arc[lab] >= 0:
            slots.append(int(arc[lab]))
            lab = int(pred[lab])
        paths.append(np.array(slots[::-1], dtype=np.int64))
    return (
        np.asarray(value[targets], dtype=np.float64).reshape(-1, w.shape[1]),
        paths,
        bool(complete),
    )
