"""Metric-independent node orders for customisable contraction hierarchies (arrays in,
arrays out).

A customisable CH is only as good as its order: contracting a small balanced separator
last, recursively (nested dissection), keeps the chordal supergraph sparse and the
elimination tree shallow (Dibbelt, Strasser & Wagner 2016, section 3). Two orders:

* :func:`metis_order`: METIS's multilevel nested dissection (``METIS_NodeND``, Karypis &
  Kumar 1998) through the ``pymetis`` bindings (PyPI; optional dependency);
* :func:`bfs_order`: our own nested dissection for when pymetis is absent: each connected
  piece is split at the middle level of a breadth-first search from a pseudo-peripheral
  node (the level holding the median node becomes the separator), recursively, down to
  pieces of `leaf` nodes. It needs no coordinates (the DIMACS graphs have none) but cuts
  worse than METIS.

:func:`nested_dissection_order` takes METIS when it is installed.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components

__all__ = ["bfs_order", "have_metis", "metis_order", "nested_dissection_order", "undirected"]


def have_metis() -> bool:
    """Whether the optional ``pymetis`` package is installed."""
    return importlib.util.find_spec("pymetis") is not None


def undirected(n: int, tails: np.ndarray, heads: np.ndarray) -> sp.csr_matrix:
    """The simple undirected graph of directed arcs (no loops, no parallel edges)."""
    keep = tails != heads
    a = np.concatenate([tails[keep], heads[keep]]).astype(np.int64)
    b = np.concatenate([heads[keep], tails[keep]]).astype(np.int64)
    adj = sp.csr_matrix((np.ones(a.size, np.int8), (a, b)), shape=(n, n))
    adj.sum_duplicates()
    adj.sort_indices()
    return adj


def metis_order(adj: sp.csr_matrix) -> np.ndarray:
    """Rank of each node (0 = contracted first) by METIS nested dissection."""
    import pymetis

    n = adj.shape[0]
    if n == 0:
        return np.zeros(0, np.int64)
    if adj.nnz == 0:
        return np.arange(n, dtype=np.int64)
    graph = pymetis.CSRAdjacency(adj.indptr.astype(np.int64), adj.indices.astype(np.int64))
    _perm, iperm = pymetis.nested_dissection(graph)
    rank = np.asarray(iperm, dtype=np.int64)
    if not np.array_equal(np.sort(rank), np.arange(n)):  # pragma: no cover - METIS contract
        raise RuntimeError("METIS returned an order that is not a permutation")
    return rank


def _peripheral(sub: sp.csr_matrix) -> np.ndarray:
    """BFS levels from a pseudo-peripheral node of a connected graph (two sweeps)."""
    order, _ = breadth_first_order(sub, 0, directed=False)
    far = int(order[-1])
    order, pred = breadth_first_order(sub, far, directed=False)
    level = np.zeros(sub.shape[0], np.int64)
    for v in order[1:]:  # BFS order: a predecessor's level is set before its successors
        level[v] = level[pred[v]] + 1
    return level


def bfs_order(adj: sp.csr_matrix, *, leaf: int = 64) -> np.ndarray:
    """Rank of each node by nested dissection with BFS-level separators (see module)."""
    n = adj.shape[0]
    rank = np.empty(n, np.int64)
    bottom, top = 0, n
    stack = [np.arange(n, dtype=np.int64)]
    while stack:
        nodes = stack.pop()
        if nodes.size <= leaf:
            rank[nodes] = np.arange(bottom, bottom + nodes.size)
            bottom += nodes.size
            continue
        sub = adj[nodes][:, nodes]
        n_comp, label = connected_components(sub, directed=False)
        if n_comp > 1:
            stack.extend(nodes[label == c] for c in range(n_comp))
            continue
        level = _peripheral(sub)
        counts = np.bincount(level)
        cut = int(np.searchsorted(np.cumsum(counts), nodes.size // 2))
        cut = min(max(cut, 1), counts.size - 2) if counts.size >= 3 else -1
        if cut < 0:  # a clique-like piece: no level splits it, contract it as a leaf
            rank[nodes] = np.arange(bottom, bottom + nodes.size)
            bottom += nodes.size
            continue
        sep = nodes[level == cut]
        rank[sep] = np.arange(top - sep.size, top)
        top -= sep.size
        stack.append(nodes[level < cut])
        stack.append(nodes[level > cut])
    return rank


def nested_dissection_order(n: int, tails: np.ndarray, heads: np.ndarray) -> np.ndarray:
    """Rank of each of `n` nodes for a customisable CH of the arcs (METIS if installed,
    else :func:`bfs_order`); a permutation of 0..n-1, int64."""
    adj = undirected(n, tails, heads)
    return metis_order(adj) if have_metis() else bfs_order(adj)
