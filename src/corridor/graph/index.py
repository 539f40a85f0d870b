"""The one id <-> position map and the one CSR builder every graph in corridor uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from corridor._typing import IntArray
from corridor.errors import UnknownNodeError

__all__ = ["CSR", "NodeIndex", "build_csr"]


@dataclass(frozen=True, eq=False, repr=False)
class NodeIndex:
    """External node ids <-> positions 0..n-1 (positions follow the sorted ids).

    Examples
    --------
    >>> ix = NodeIndex.of([30, 10, 20])
    >>> ix.positions([20, 30]).tolist()
    [1, 2]
    >>> ix.ids[[0, 2]].tolist()
    [10, 30]
    """

    ids: IntArray

    @classmethod
    def of(cls, ids: ArrayLike) -> NodeIndex:
        """The index of a set of unique ids (any order)."""
        arr = np.sort(np.asarray(ids, dtype=np.int64).ravel())
        arr.flags.writeable = False
        return cls(arr)

    def __repr__(self) -> str:
        return f"<NodeIndex {self.ids.size} ids>"

    def __len__(self) -> int:
        return int(self.ids.size)

    def positions(self, ids: Sequence[int] | ArrayLike, *, role: str = "node") -> IntArray:
        """Positions of external ids.

        Raises
        ------
        UnknownNodeError
            Listing every id that is not in the index.
        """
        arr = np.asarray(ids).ravel()
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            whole = np.isfinite(arr.astype(np.float64)) & (arr.astype(np.float64) % 1 == 0)
            if not whole.all():
                raise UnknownNodeError(arr[~whole].tolist(), role=f"{role} id(s)")
        arr = arr.astype(np.int64)
        if self.ids.size == 0:
            if arr.size:
                raise UnknownNodeError(arr.tolist(), role=f"{role} id(s)")
            return np.zeros(0, np.int64)
        idx = np.minimum(np.searchsorted(self.ids, arr), self.ids.size - 1)
        bad = self.ids[idx] != arr
        if bad.any():
            raise UnknownNodeError(arr[bad].tolist(), role=f"{role} id(s)")
        return np.asarray(idx, dtype=np.int64)


@dataclass(frozen=True, eq=False, repr=False)
class CSR:
    """Compressed sparse rows over `n` vertices.

    Attributes
    ----------
    indptr
        int64[n+1]; the arcs leaving vertex i are slots ``indptr[i]:indptr[i+1]``.
    order
        For each slot, the position of its arc in the arrays given to :func:`build_csr`
        (take ``column[order]`` to lay any per-arc column out by slot).
    tails, heads
        int32 tail and head vertex of each slot.
    """

    indptr: IntArray
    order: IntArray
    tails: np.ndarray
    heads: np.ndarray

    def __repr__(self) -> str:
        return f"<CSR {self.indptr.size - 1} vertices, {self.heads.size} arcs>"


def build_csr(tails: ArrayLike, heads: ArrayLike, n: int) -> CSR:
    """Lay arcs out as CSR, arcs of one tail in their given order (a stable sort).

    Parameters
    ----------
    tails, heads
        Vertex of each arc's tail and head, in 0..n-1.
    n
        Number of vertices.

    Examples
    --------
    >>> g = build_csr([1, 0, 1], [2, 1, 0], 3)
    >>> g.indptr.tolist(), g.heads.tolist(), g.order.tolist()
    ([0, 1, 3, 3], [1, 2, 0], [1, 0, 2])
    """
    t = np.asarray(tails, dtype=np.int64).ravel()
    h = np.asarray(heads, dtype=np.int64).ravel()
    order = np.argsort(t, kind="stable").astype(np.int64)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(t, minlength=n), out=indptr[1:])
    return CSR(
        indptr=indptr,
        order=order,
        tails=np.ascontiguousarray(t[order], dtype=np.int32),
        heads=np.ascontiguousarray(h[order], dtype=np.int32),
    )
