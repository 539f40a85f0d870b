"""Contraction hierarchies of skim graphs: built once per graph, then many-to-many queries.

Two kinds share the :class:`Hierarchy` value and its queries: the classic CH of
:func:`build_hierarchy` (node order by edge difference, witness searches) and the
customisable CH of :func:`build_cch` (nested-dissection order and shortcut topology fixed
per graph, weights customised), whose :meth:`Hierarchy.recustomise` answers a scenario's
new arc weights by redoing only the shortcuts the changed arcs reach.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from corridor._typing import FloatArray, IntArray
from corridor.errors import ValidationError
from corridor.graph.index import build_csr
from corridor.paths.skim_graph import SkimGraph, n_blocks

__all__ = [
    "Customisable",
    "Hierarchy",
    "build_cch",
    "build_hierarchy",
    "derive_hierarchy",
    "hierarchy_built",
    "hierarchy_of",
]

log = logging.getLogger(__name__)

MAX_LISTED_TRIANGLES = 2**27
"""Most lower triangles :func:`build_cch` lists for customisation (512 MiB as int32); a
poorer order (e.g. the BFS fallback on a large road graph) customises without the list."""


class _PicklesWithoutWorkspaces:
    """Pickling for values holding per-thread workspaces in ``_local`` (e.g. to send them
    to Dask workers): the workspaces stay behind and are made anew where unpickled."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_local", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "_local", threading.local())


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Customisable(_PicklesWithoutWorkspaces):
    """What a customisable CH keeps besides its weights (shared by its recustomisations).

    Attributes
    ----------
    low
        Lower end (rank) of each edge, int64[E]; its upper end is the hierarchy's
        ``up_head``.
    dn_indptr, dn_low, dn_edge
        The edges listed at their upper end: lower end and edge id, sorted by lower end.
    did_indptr, did_arc
        The input arcs (hierarchy edge ids below m) each directed edge stands for: 2e up,
        2e + 1 down.
    arc_edge
        Edge of each graph arc (-1 for a self-loop), int64[arcs of the graph].
    arc_w
        Current weight of each input arc, scaled as the kernels see it, float64[m].
    arc_attr
        Attributes of each input arc, float64[k, m].
    parent
        Elimination-tree parent of each rank (-1 for a root).
    order_seconds, topology_seconds, customise_seconds
        Time taken by the order, the contraction ignoring weights and the customisation.
    order
        Which order: ``metis`` or ``bfs`` (see :mod:`corridor.kernels.cch_order`).
    """

    low: IntArray
    dn_indptr: IntArray
    dn_low: IntArray
    dn_edge: IntArray
    tri: IntArray
    did_indptr: IntArray
    did_arc: IntArray
    arc_edge: IntArray
    arc_w: FloatArray
    arc_attr: FloatArray
    parent: IntArray
    order_seconds: float
    topology_seconds: float
    customise_seconds: float
    order: str
    _local: threading.local = field(default_factory=threading.local, init=False, compare=False)

    def workspace(self) -> tuple[Any, ...]:
        """This thread's scratch arrays for a recustomisation."""
        from corridor.kernels.cch_customise import new_recustomise_workspace

        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = new_recustomise_workspace(self.low.size)
            self._local.ws = ws
        return ws


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Hierarchy(_PicklesWithoutWorkspaces):
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
    cch
        For a customisable CH (:func:`build_cch`), its fixed parts; None for a classic CH.
    derivation
        How this hierarchy was made: ``"built"`` (order, topology and customisation),
        ``"customised"`` (a full customisation of a hierarchy of a graph with the same
        arcs) or ``"recustomised N arcs"`` (only what N changed arcs reach), see
        :func:`hierarchy_of`.
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
    cch: Customisable | None = None
    derivation: str = "built"
    _local: threading.local = field(default_factory=threading.local, init=False, compare=False)

    def __repr__(self) -> str:
        kind = "Hierarchy" if self.cch is None else "Hierarchy (customisable)"
        return (
            f"<{kind} {self.up_indptr.size - 1} nodes, {self.up_head.size} up + "
            f"{self.dn_head.size} down arcs, built in {self.seconds:.2f} s>"
        )

    def customise(self, weights: ArrayLike) -> Hierarchy:
        """This customisable CH fully customised for new costs of every arc.

        Parameters
        ----------
        weights
            New cost of each arc of the skim graph (in its arc order and units), >= 0;
            ``inf`` closes an arc.

        Returns
        -------
        Hierarchy
            A new hierarchy with the same order and topology (this one is unchanged).

        Raises
        ------
        ValidationError
            If this is a classic CH, the length is not the graph's arc count or a weight
            is negative or NaN.
        """
        cch = self._customisable()
        w = np.asarray(weights, dtype=np.float64).ravel()
        if w.size != cch.arc_edge.size:
            raise ValidationError(
                f"customise: {w.size} weights for a graph of {cch.arc_edge.size} arcs"
            )
        _check_weights(w, "customise")
        arc_w = np.ascontiguousarray(w[self.edge_arc] * self.scale)
        out = _customised(self.up_head.size, self.edge_arc.size, cch.arc_attr.shape[0])
        _run_customise(self.up_indptr, self.up_head, cch, arc_w, self.edge_arc.size, out)
        return replace(self, **out, cch=replace(cch, arc_w=arc_w))

    def with_costs(self, costs: ArrayLike, *, full_above: float = 0.05) -> Hierarchy:
        """This customisable CH for a new cost of every arc, redoing only what changed.

        The natural call for a scenario: its graph has the base's arcs and new costs on
        some of them (a crossing's delay, a few links). Arcs whose cost is unchanged cost
        nothing; if more than `full_above` of the arcs changed, a full customisation
        (:meth:`customise`) is faster than following the changes and is used instead.
        Either way the result equals :meth:`customise` of `costs`, bit for bit.

        Parameters
        ----------
        costs
            New cost of each arc of the skim graph (its arc order and units), >= 0;
            ``inf`` closes an arc.
        full_above
            Share of changed arcs above which the whole hierarchy is customised afresh.

        Raises
        ------
        ValidationError
            As :meth:`customise`.
        """
        cch = self._customisable()
        w = np.asarray(costs, dtype=np.float64).ravel()
        if w.size != cch.arc_edge.size:
            raise ValidationError(
                f"with_costs: {w.size} costs for a graph of {cch.arc_edge.size} arcs"
            )
        _check_weights(w, "with_costs")
        changed = np.flatnonzero(w[self.edge_arc] * self.scale != cch.arc_w)
        if changed.size > full_above * max(1, self.edge_arc.size):
            return self.customise(w)
        arcs = self.edge_arc[changed]
        return self.recustomise(arcs, w[arcs])

    def _customisable(self) -> Customisable:
        if self.cch is None:
            raise ValidationError(
                "customising needs a customisable hierarchy: build it with build_cch(graph)"
            )
        return self.cch

    def recustomise(self, changed_arcs: ArrayLike, new_weights: ArrayLike) -> Hierarchy:
        """This customisable CH with new weights on a few arcs, redoing only what they reach.

        Parameters
        ----------
        changed_arcs
            Arc indices of the skim graph (positions in its ``tails`` / ``heads`` /
            ``cost``) whose cost changes.
        new_weights
            Their new costs, in the graph's units, >= 0; ``inf`` closes an arc.

        Returns
        -------
        Hierarchy
            A new hierarchy (this one is unchanged) with the same order and topology,
            answering every query as a full customisation of the new weights would, bit
            for bit. Arcs given twice take their last weight.

        Raises
        ------
        ValidationError
            If this is a classic CH (built by :func:`build_hierarchy`), an arc index is
            out of range, the lengths differ or a weight is negative or NaN.

        Notes
        -----
        The changed arcs' edges are recomputed from their arcs and lower triangles, and
        an edge that changes queues the edges above it that it is a half of, in
        increasing rank of their lower end (:func:`corridor.kernels.cch_customise.
        recustomise`); the cost is the number of edges reached, not the graph's size, plus
        one copy of the weight arrays (the hierarchy is an immutable value). Where the
        graph's costs were scaled to whole numbers (see ``SkimGraph.kernel_arrays``), the
        new weights get the same scale.
        """
        cch = self._customisable()
        arcs = np.asarray(changed_arcs).ravel()
        weights = np.asarray(new_weights, dtype=np.float64).ravel()
        n_arcs = cch.arc_edge.size
        problems = []
        if arcs.size != weights.size:
            problems.append(f"{arcs.size} arcs but {weights.size} weights")
        if arcs.size and not np.issubdtype(arcs.dtype, np.integer):
            problems.append(f"arc indices must be integers, got dtype {arcs.dtype}")
        else:
            bad = arcs[(arcs < 0) | (arcs >= n_arcs)]
            if bad.size:
                problems.append(f"arc indices {bad[:5].tolist()} outside 0..{n_arcs - 1}")
        neg = ~(weights >= 0)
        if neg.any():
            problems.append(f"weights {weights[neg][:5].tolist()} are negative or NaN")
        if problems:
            raise ValidationError("recustomise: " + "; ".join(problems))
        arcs = arcs.astype(np.int64)
        if arcs.size > 1:  # an arc given twice takes its last weight
            _, last = np.unique(arcs[::-1], return_index=True)
            keep = arcs.size - 1 - last
            arcs, weights = arcs[keep], weights[keep]
        edges = cch.arc_edge[arcs]
        real = edges >= 0  # self-loops are in no shortest path
        pos = self._arc_position(arcs[real])
        arc_w = cch.arc_w.copy()
        arc_w[pos] = weights[real] * self.scale
        seeds = np.unique(edges[real])
        if not seeds.size:
            return replace(self, cch=replace(cch, arc_w=arc_w))
        return self._recustomised(seeds, replace(cch, arc_w=arc_w))

    def _recustomised(self, seeds: IntArray, cch: Customisable) -> Hierarchy:
        """This hierarchy re-customised from the edges `seeds` for the arc weights and
        attributes of `cch` (this one's fixed parts with new ``arc_w`` / ``arc_attr``)."""
        from corridor.kernels.cch_customise import recustomise

        out = {
            name: getattr(self, name).copy()
            for name in ("up_w", "dn_w", "up_edge", "dn_edge", "up_attr", "dn_attr")
        }
        child1, child2 = self.child1.copy(), self.child2.copy()
        recustomise(
            self.up_indptr,
            self.up_head,
            cch.low,
            cch.dn_indptr,
            cch.dn_low,
            cch.dn_edge,
            cch.did_indptr,
            cch.did_arc,
            cch.arc_w,
            cch.arc_attr,
            self.edge_arc.size,
            seeds,
            out["up_w"],
            out["dn_w"],
            out["up_edge"],
            out["dn_edge"],
            out["up_attr"],
            out["dn_attr"],
            child1,
            child2,
            *cch.workspace(),
        )
        return replace(self, **out, child1=child1, child2=child2, cch=cch)

    def _arc_position(self, arcs: IntArray) -> IntArray:
        """Input-arc position (hierarchy edge id) of graph arcs that are not self-loops."""
        return np.searchsorted(self.edge_arc, arcs)

    def one_to_one(
        self, origin: int, destination: int, *, path: bool = True
    ) -> tuple[float, IntArray]:
        """Least cost between two node indices of the skimmed graph, and its path.

        A bidirectional search of the hierarchy with stall-on-demand on this thread's own
        reusable workspace (reset only where the query went), so concurrent calls from
        several threads are safe and a query costs its search space. On a customisable
        CH (:func:`build_cch`) the search is the elimination-tree query instead
        (:mod:`corridor.kernels.cch_query`: no priority queue, the two chains of
        ancestors).

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
        if self.cch is not None:
            return self._etree_one_to_one(origin, destination, path)
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

    def _etree_one_to_one(
        self, origin: int, destination: int, path: bool
    ) -> tuple[float, IntArray]:
        """:meth:`one_to_one` on a customisable CH: the elimination-tree query."""
        from corridor.kernels.cch_query import etree_query, new_etree_workspace

        cch = self.cch
        assert cch is not None  # the caller checked
        ws = getattr(self._local, "etree", None)
        if ws is None:
            ws = new_etree_workspace(self.up_indptr.size - 1)
            self._local.etree = ws
        cost, count = etree_query(
            self.up_indptr,
            self.up_head,
            self.up_w,
            self.up_edge,
            self.dn_w,
            self.dn_edge,
            cch.parent,
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
_by_topology: dict[bytes, weakref.ref[Hierarchy]] = {}
"""A live customisable hierarchy per graph topology (nodes, arcs, no-through nodes): a
scenario's graph with the base's arcs and other costs derives its hierarchy from it."""
_built_lock = threading.Lock()

FULL_ABOVE = 0.05
"""Share of changed arcs above which a derived hierarchy is customised in full rather than
following the changes (:meth:`Hierarchy.with_costs`)."""


def hierarchy_of(graph: SkimGraph) -> Hierarchy:
    """The graph's contraction hierarchy, made once and kept while the graph lives
    (a skim graph of a network lives as long as its Router keeps it).

    If a customisable hierarchy of another live graph with the same topology exists (the
    same nodes, arcs in the same order and no-through nodes: a scenario that only changes
    costs, e.g. a crossing's delay, link speeds, tolls, closures as infinite costs), this
    graph's is derived from it by re-customisation (:func:`derive_hierarchy`); otherwise
    one is built: a customisable CH (:func:`build_cch`) when ``pymetis`` is installed,
    else a classic one (:func:`build_hierarchy`). Its ``derivation`` attribute (and a
    debug log) says which happened.
    """
    with _built_lock:
        found = _built.get(graph)
        if found is not None:
            return found
        key = _topology_key(graph)
        ref = _by_topology.get(key)
        base = None if ref is None else ref()
        if base is not None:
            found = derive_hierarchy(base, graph)
        else:
            from corridor.kernels.cch_order import have_metis

            found = build_cch(graph) if have_metis() else build_hierarchy(graph)
            if found.cch is not None:  # the base of later graphs of this topology
                for k in [k for k, r in _by_topology.items() if r() is None]:
                    del _by_topology[k]
                _by_topology[key] = weakref.ref(found)
        log.debug("hierarchy of %r: %s in %.4f s", graph, found.derivation, found.seconds)
        _built[graph] = found
        return found


def _topology_key(graph: SkimGraph) -> bytes:
    """A digest of what fixes a customisable hierarchy's order and topology."""
    import hashlib

    h = hashlib.blake2b(digest_size=20)
    h.update(np.int64(graph.n_nodes).tobytes())
    for arr, dtype in ((graph.tails, np.int64), (graph.heads, np.int64), (graph.blocked, bool)):
        a = np.ascontiguousarray(arr, dtype=dtype)
        h.update(np.int64(a.size).tobytes())
        h.update(a.tobytes())
    return h.digest()


def _differ(a: FloatArray, b: FloatArray) -> Any:
    """Where two float arrays differ, NaN equal to NaN."""
    return (a != b) & ~(np.isnan(a) & np.isnan(b))


def derive_hierarchy(
    base: Hierarchy, graph: SkimGraph, *, full_above: float = FULL_ABOVE
) -> Hierarchy:
    """The hierarchy of `graph` from `base`, a customisable hierarchy of a graph with the
    same topology (nodes, arcs in order, no-through nodes), by re-customisation.

    Only arcs whose kernel cost or attributes differ from the base's are followed
    (:meth:`Hierarchy.recustomise`); if more than `full_above` of the arcs changed, or
    the graph's costs or attributes take another decimal scale (``SkimGraph.
    kernel_arrays``), the whole hierarchy is customised afresh instead. Either way the
    order and topology are shared and the result is bit for bit the one
    :func:`build_cch` gives with the base's order.

    Raises
    ------
    ValidationError
        If `base` is a classic CH or `graph`'s arc count is not the base's.
    """
    import time

    t0 = time.perf_counter()
    cch = base._customisable()
    if graph.tails.size != cch.arc_edge.size:
        raise ValidationError(
            f"derive_hierarchy: a graph of {graph.tails.size} arcs for a hierarchy of "
            f"{cch.arc_edge.size}; only a graph of the same topology can be re-customised"
        )
    cost, attrs, scale, attr_scales = graph.kernel_arrays
    sel = base.edge_arc
    arc_w = np.ascontiguousarray(cost[sel])
    arc_attr = np.ascontiguousarray(attrs[:, sel])
    same_scale = (
        scale == base.scale
        and arc_attr.shape == cch.arc_attr.shape
        and np.array_equal(attr_scales, base.attr_scales)
    )
    changed = np.zeros(0, np.int64)
    attrs_changed = False
    if same_scale:
        diff = arc_w != cch.arc_w
        if arc_attr.shape[0]:
            by_attr = _differ(arc_attr, cch.arc_attr).any(axis=0)
            attrs_changed = bool(by_attr.any())
            diff |= by_attr
        changed = np.flatnonzero(diff)
    if not same_scale or changed.size > full_above * max(1, sel.size):
        new_cch = replace(cch, arc_w=arc_w, arc_attr=arc_attr)
        out = _customised(base.up_head.size, sel.size, arc_attr.shape[0])
        _run_customise(base.up_indptr, base.up_head, new_cch, arc_w, sel.size, out)
        how = "customised"
        hier = replace(base, **out, scale=scale, attr_scales=attr_scales, cch=new_cch)
    else:
        how = f"recustomised {changed.size} arcs"
        new_cch = replace(cch, arc_w=arc_w, arc_attr=arc_attr if attrs_changed else cch.arc_attr)
        if changed.size:
            hier = base._recustomised(np.unique(cch.arc_edge[sel[changed]]), new_cch)
        else:
            hier = replace(base, cch=new_cch)
    return replace(hier, seconds=time.perf_counter() - t0, derivation=how)


def hierarchy_built(graph: SkimGraph) -> bool:
    """True once :func:`hierarchy_of` has built the graph's hierarchy."""
    with _built_lock:
        return graph in _built


def _check_weights(w: FloatArray, what: str) -> None:
    neg = ~(w >= 0)
    if neg.any():
        raise ValidationError(
            f"{what}: weights {w[neg][:5].tolist()} at arcs {np.flatnonzero(neg)[:5].tolist()} "
            "are negative or NaN; give costs >= 0 (inf closes an arc)"
        )


def _customised(n_edges: int, m: int, k: int) -> dict[str, Any]:
    """Fresh output arrays of a customisation, by Hierarchy field name.

    Hierarchy edge ids are int32 while they fit (below 2**31): half the memory of the
    four id arrays, which a customisation writes in full (every kernel reading them
    takes either width).
    """
    ids = np.int32 if m + 2 * n_edges < 2**31 else np.int64
    return {
        "up_w": np.empty(n_edges),
        "dn_w": np.empty(n_edges),
        "up_edge": np.empty(n_edges, ids),
        "dn_edge": np.empty(n_edges, ids),
        "up_attr": np.empty((k, n_edges)),
        "dn_attr": np.empty((k, n_edges)),
        "child1": np.empty(m + 2 * n_edges, ids),  # the kernel sets every entry
        "child2": np.empty(m + 2 * n_edges, ids),
    }


def _run_customise(
    up_indptr: IntArray,
    up_head: IntArray,
    cch: Customisable,
    arc_w: FloatArray,
    m: int,
    out: dict[str, Any],
) -> None:
    from corridor.kernels.cch_customise import customise

    n_edges = out["up_w"].size
    scratch = [np.empty(n_edges, cch.tri.dtype) for _ in range(4)]
    customise(
        up_indptr,
        up_head,
        cch.tri,
        cch.did_indptr,
        cch.did_arc,
        arc_w,
        cch.arc_attr,
        m,
        out["up_w"],
        out["dn_w"],
        out["up_edge"],
        out["dn_edge"],
        out["up_attr"],
        out["dn_attr"],
        out["child1"],
        out["child2"],
        *scratch,
    )


def build_cch(graph: SkimGraph, *, order: IntArray | None = None) -> Hierarchy:
    """A customisable contraction hierarchy of `graph` (Dibbelt, Strasser & Wagner 2016).

    The node order is metric-independent (:func:`corridor.kernels.cch_order.
    nested_dissection_order`: METIS when ``pymetis`` is installed, else our BFS nested
    dissection); contracting ignoring weights gives the shortcut topology (the chordal
    supergraph, :mod:`corridor.kernels.cch_topology`); basic customisation gives the
    weights (:mod:`corridor.kernels.cch_customise`). The result answers the same queries
    as :func:`build_hierarchy`'s, exactly, and :meth:`Hierarchy.recustomise` updates it for
    new arc weights. No-through nodes are split as there; parallel arcs all stay (each
    edge takes the cheapest) so that any arc's weight can change later.

    Parameters
    ----------
    graph
        The graph.
    order
        Rank of each node (a permutation of 0..n-1 over the graph's nodes followed by one
        sink copy per no-through node); default the nested-dissection order.

    Raises
    ------
    ValidationError
        If `order` is not such a permutation.
    """
    import time

    from corridor.kernels.cch_order import have_metis, nested_dissection_order
    from corridor.kernels.cch_topology import (
        chordal_supergraph,
        count_triangles,
        down_lists,
        edge_of,
        lower_triangles,
    )

    t0 = time.perf_counter()
    n = graph.n_nodes
    blocked = np.flatnonzero(graph.blocked)
    sink = np.arange(n, dtype=np.int64)
    sink[blocked] = n + np.arange(blocked.size)
    n_all = n + blocked.size
    tails = graph.tails.astype(np.int64)
    heads = sink[graph.heads]
    sel = np.flatnonzero(tails != graph.heads)
    t, h = tails[sel], heads[sel]
    if order is None:
        rank = nested_dissection_order(n_all, t, h)
        order_name = "metis" if have_metis() else "bfs"
    else:
        rank = np.asarray(order, dtype=np.int64).ravel()
        if rank.size != n_all or not np.array_equal(np.sort(rank), np.arange(n_all)):
            raise ValidationError(
                f"order must be a permutation of 0..{n_all - 1} ({n} nodes and "
                f"{blocked.size} sink copies of no-through nodes), got {rank.size} values"
            )
        order_name = "given"
    t1 = time.perf_counter()
    rt, rh = rank[t], rank[h]
    lo, hi = np.minimum(rt, rh), np.maximum(rt, rh)
    g = build_csr(lo, hi, n_all)
    up_indptr, up_head, parent = chordal_supergraph(n_all, g.indptr, hi[g.order])
    dn_indptr, dn_low, dn_edge = down_lists(up_indptr, up_head)
    n_tri = count_triangles(up_indptr)
    if n_tri <= MAX_LISTED_TRIANGLES:
        tri = lower_triangles(up_indptr, up_head)
    else:
        # customisation walks the upper lists instead; scratch ids take the list's dtype
        tri = np.zeros(0, np.int32 if up_head.size < 2**31 else np.int64)
        log.warning(
            "customisable CH: %d triangles with the %s order, too many to list: customising "
            "without the list (slower)%s",
            n_tri,
            order_name,
            "; install pymetis (corridor[cch]) for a METIS order" if order_name == "bfs" else "",
        )
    edge = edge_of(up_indptr, up_head, rt, rh)
    did = 2 * edge + (rt > rh)
    by_did = np.argsort(did, kind="stable")
    did_indptr = np.zeros(2 * up_head.size + 1, np.int64)
    np.cumsum(np.bincount(did, minlength=2 * up_head.size), out=did_indptr[1:])
    t2 = time.perf_counter()
    cost, attrs, scale, attr_scales = graph.kernel_arrays
    arc_w = np.ascontiguousarray(cost[sel])
    arc_attr = np.ascontiguousarray(attrs[:, sel])
    arc_edge = np.full(graph.tails.size, -1, np.int64)
    arc_edge[sel] = edge
    cch = Customisable(
        low=np.repeat(np.arange(n_all, dtype=np.int64), np.diff(up_indptr)),
        dn_indptr=dn_indptr,
        dn_low=dn_low,
        dn_edge=dn_edge,
        tri=tri,
        did_indptr=did_indptr,
        did_arc=by_did.astype(np.int64),
        arc_edge=arc_edge,
        arc_w=arc_w,
        arc_attr=arc_attr,
        parent=parent,
        order_seconds=t1 - t0,
        topology_seconds=t2 - t1,
        customise_seconds=0.0,
        order=order_name,
    )
    out = _customised(up_head.size, sel.size, attrs.shape[0])
    _run_customise(up_indptr, up_head, cch, arc_w, sel.size, out)
    t3 = time.perf_counter()
    hier = Hierarchy(
        source_rank=rank[:n].copy(),
        target_rank=rank[sink],
        up_indptr=up_indptr,
        up_head=up_head,
        dn_indptr=up_indptr,
        dn_head=up_head,
        seconds=t3 - t0,
        scale=scale,
        attr_scales=attr_scales,
        edge_arc=sel.astype(np.int64),
        cch=replace(cch, customise_seconds=t3 - t2),
        **out,
    )
    log.info("built %r (%s order)", hier, order_name)
    return hier
