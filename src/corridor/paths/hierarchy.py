"""Contraction hierarchies of skim graphs: built once per graph, then many-to-many queries."""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.errors import ValidationError
from corridor.graph.index import build_csr
from corridor.paths.skim_graph import SkimGraph, n_blocks

__all__ = ["Hierarchy", "build_hierarchy", "hierarchy_built", "hierarchy_of"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Hierarchy:
    """A contraction hierarchy of a :class:`SkimGraph`, numbered by rank.

    Attributes
    ----------
    source_rank, target_rank
        Rank of each graph node as an origin and as a destination (they differ for
        no-through nodes, which are split into a source copy and a sink copy).
    up_indptr, up_head, up_w, up_attr
        Upward graph (CSR by rank): arcs to higher ranks, searched from origins.
    dn_indptr, dn_head, dn_w, dn_attr
        Backward graph: arc x->v stored at v, x ranked above v; searched from destinations.
    seconds
        Preprocessing time.
    up_edge, dn_edge
        Edge id of each upward / backward arc; ids index `child1`/`child2`.
    child1, child2
        The two halves of each shortcut edge (-1 for a graph arc).
    edge_arc
        For edge ids below its size, the graph arc (index into the skim graph's arc
        arrays) the edge stands for.
    """

    source_rank: IntArray
    target_rank: IntArray
    up_indptr: IntArray
    up_head: IntArray
    up_w: FloatArray
    up_attr: FloatArray
    dn_indptr: IntArray
    dn_head: IntArray
    dn_w: FloatArray
    dn_attr: FloatArray
    seconds: float
    scale: float = 1.0
    attr_scales: FloatArray = field(default_factory=lambda: np.ones(0))
    up_edge: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    dn_edge: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    child1: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    child2: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    edge_arc: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    _local: threading.local = field(default_factory=threading.local, init=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"<Hierarchy {self.up_indptr.size - 1} nodes, {self.up_head.size} up + "
            f"{self.dn_head.size} down arcs, built in {self.seconds:.2f} s>"
        )

    def one_to_one(
        self, origin: int, destination: int, *, path: bool = True
    ) -> tuple[float, IntArray]:
        """Least cost between two node indices of the skimmed graph, and its path.

        A bidirectional search of the hierarchy with stall-on-demand on this thread's own
        reusable workspace (reset only where the query went), so concurrent calls from
        several threads are safe and a query costs its search space.

        Parameters
        ----------
        origin, destination
            Node indices of the graph (as for :meth:`many_to_many`).
        path
            Also unpack the path (False: cost only, a little faster).

        Returns
        -------
        tuple
            (cost, arcs): the least cost (inf if unreachable) and the graph arcs of a
            least-cost path in travel order (indices into the skim graph's ``tails`` /
            ``heads``; empty when unreachable, when origin == destination or when `path`
            is False).
        """
        from corridor.kernels.ch_p2p import new_workspace, one_to_one

        n = self.up_indptr.size - 1
        if not (0 <= origin < self.source_rank.size and 0 <= destination < self.source_rank.size):
            raise ValidationError(
                f"node index {origin} or {destination} is outside 0..{self.source_rank.size - 1}"
            )
        if origin == destination:
            return 0.0, np.zeros(0, np.int64)
        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = new_workspace(n)
            self._local.ws = ws
        cost, count = one_to_one(
            self.up_indptr,
            self.up_head,
            self.up_w,
            self.up_edge,
            self.dn_indptr,
            self.dn_head,
            self.dn_w,
            self.dn_edge,
            self.child1,
            self.child2,
            int(self.source_rank[origin]),
            int(self.target_rank[destination]),
            path,
            *ws,
        )
        arcs = self.edge_arc[ws[-1][:count]] if count else np.zeros(0, np.int64)
        return float(cost) / self.scale, arcs

    def many_to_many(
        self, origins: IntArray, destinations: IntArray, *, sweep: bool | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """Least costs and attribute sums between node indices of the skimmed graph.

        `sweep` picks the RPHAST sweep (many destinations) over bucket search; None
        decides by size. Both are exact.
        """
        from corridor.kernels.ch import many_to_many, many_to_many_sweep

        args = (
            self.up_indptr,
            self.up_head,
            self.up_w,
            self.up_attr,
            self.dn_indptr,
            self.dn_head,
            self.dn_w,
            self.dn_attr,
            self.source_rank[origins],
            self.target_rank[destinations],
        )
        if sweep is None:
            sweep = destinations.size >= 256 and origins.size >= 64
        if sweep:
            blocks = max(1, min(n_blocks(origins.size) // 8, -(-origins.size // 8)))
            values, sums = many_to_many_sweep(*args, blocks, 8)
        else:
            values, sums = many_to_many(*args, n_blocks(origins.size))
        if self.scale != 1.0:
            values /= self.scale
        if sums.shape[0] and (self.attr_scales != 1.0).any():
            sums /= self.attr_scales[:, None, None]
        same = origins[:, None] == destinations[None, :]
        if same.any():  # a no-through node's source and sink copies are distinct nodes
            values[same] = 0.0
            sums[:, same] = 0.0
        return values, sums


def _csr_by(first: IntArray, n: int, *cols: Any) -> tuple[Any, ...]:
    csr = build_csr(first, first, n)
    order = csr.order
    out = [csr.indptr]
    for col in cols:
        out.append(np.ascontiguousarray(col[..., order]))
    return tuple(out)


def build_hierarchy(graph: SkimGraph, *, settle_limit: int = 50, sim_limit: int = 0) -> Hierarchy:
    """Contract `graph` into a :class:`Hierarchy` (see :mod:`corridor.kernels.ch`).

    No-through nodes are split into a source copy (their out-arcs) and a sink copy (their
    in-arcs), so no path can pass through them; self-loops are dropped and parallel arcs
    reduced to the cheapest.

    Parameters
    ----------
    graph
        The graph.
    settle_limit
        Most nodes a witness search settles before a shortcut is added anyway (exact
        either way; smaller is faster to build, larger gives fewer shortcuts).
    sim_limit
        Witness-search limit used to estimate node priorities; 0 orders by the upper
        bound in x out - in - out of the edge difference, with no search (fastest build).
    """
    import time

    from corridor.kernels.ch import contract

    t0 = time.perf_counter()
    n = graph.n_nodes
    blocked = np.flatnonzero(graph.blocked)
    sink = np.arange(n, dtype=np.int64)
    sink[blocked] = n + np.arange(blocked.size)
    n_all = n + blocked.size
    tails = graph.tails.astype(np.int64)
    heads = sink[graph.heads]
    keep = tails != graph.heads
    cost, attrs, scale, attr_scales = graph.kernel_arrays
    order = np.lexsort((cost, heads, tails))
    order = order[keep[order]]
    t, h = tails[order], heads[order]
    first = np.ones(order.size, bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    sel = order[first]
    rank, ut, uh, uw, ua, ue, dt, dh, dw, da, de, child1, child2 = contract(
        n_all,
        tails[sel],
        heads[sel],
        np.ascontiguousarray(cost[sel]),
        np.ascontiguousarray(attrs[:, sel]),
        settle_limit,
        sim_limit,
    )
    up = _csr_by(rank[ut], n_all, rank[uh], uw, ua, ue)
    dn = _csr_by(rank[dh], n_all, rank[dt], dw, da, de)
    hier = Hierarchy(
        source_rank=rank[:n].copy(),
        target_rank=rank[sink],
        up_indptr=up[0],
        up_head=up[1],
        up_w=up[2],
        up_attr=up[3],
        dn_indptr=dn[0],
        dn_head=dn[1],
        dn_w=dn[2],
        dn_attr=dn[3],
        seconds=time.perf_counter() - t0,
        scale=scale,
        attr_scales=attr_scales,
        up_edge=up[4],
        dn_edge=dn[4],
        child1=child1,
        child2=child2,
        edge_arc=sel.astype(np.int64),
    )
    log.info("built %r", hier)
    return hier


_built: weakref.WeakKeyDictionary[SkimGraph, Hierarchy] = weakref.WeakKeyDictionary()
_built_lock = threading.Lock()


def hierarchy_of(graph: SkimGraph) -> Hierarchy:
    """The graph's contraction hierarchy, built once and kept while the graph lives
    (a skim graph of a network lives as long as its Router keeps it)."""
    with _built_lock:
        found = _built.get(graph)
        if found is None:
            found = build_hierarchy(graph)
            _built[graph] = found
        return found


def hierarchy_built(graph: SkimGraph) -> bool:
    """True once :func:`hierarchy_of` has built the graph's hierarchy."""
    with _built_lock:
        return graph in _built
