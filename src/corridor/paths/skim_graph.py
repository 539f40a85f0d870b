"""The graphs skims search: costs to minimise and link attributes to sum, per arc.

A :class:`SkimGraph` comes from a network (:func:`skim_graph`, kept by its Router) or from
plain directed link arrays (:func:`skim_graph_from_links`, e.g. a TNTP network); a
:class:`SkimPlan` says where a skim of given origins and destinations searches: the graph
itself, or its edge-based expansion where turn restrictions apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.errors import UnknownNodeError, ValidationError
from corridor.graph.compile import Graph, link_time_h
from corridor.graph.index import build_csr
from corridor.graph.search import SearchGraph
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.router import router_for

__all__ = [
    "SkimGraph",
    "SkimPlan",
    "n_blocks",
    "skim_graph",
    "skim_graph_from_links",
    "skim_plan",
]


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class SkimGraph:
    """CSR arrays for skims: the cost to minimise and the attributes to sum.

    Attributes
    ----------
    node_ids
        External id of each node index, sorted int64[n].
    indptr, heads, tails
        CSR arrays (int64[n+1], int32[m], int32[m]).
    cost
        The cost minimised, float64[m] >= 0.
    attrs
        Attributes summed along the chosen paths, float64[k, m].
    attr_names
        Names of the k attributes.
    blocked
        Nodes that may start or end a path but are never passed through, bool[n].
    metric
        Name of the cost, with its unit (``time_h``, ``length_km``, ...).
    """

    node_ids: IntArray
    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    cost: FloatArray
    attrs: FloatArray
    attr_names: tuple[str, ...]
    blocked: BoolArray
    metric: str

    def __repr__(self) -> str:
        sums = f", sums {','.join(self.attr_names)}" if self.attr_names else ""
        return f"<SkimGraph {self.metric}: {self.n_nodes} nodes, {self.heads.size} arcs{sums}>"

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_ids.size)

    @cached_property
    def kernel_arrays(self) -> tuple[FloatArray, FloatArray, float, FloatArray]:
        """Cost and attributes as the kernels see them, with their scales (computed once:
        the graph cannot change).

        Returns (cost, attrs, cost scale, attr scales float64[k]). Where every value of an
        array is a whole number once multiplied by 10**d (d <= 6; e.g. times given to the
        hundredth), the array is scaled so: sums of whole numbers below 2**53 are exact in
        any order, so every method (Dijkstra, contraction hierarchies, any block split)
        gives bit-identical results after the one final division by the scale.
        """
        limit = max(1, self.n_nodes)
        c_scale = _decimal_scale(self.cost, limit)
        cost = self.cost if c_scale is None else np.round(self.cost * c_scale)
        scales = np.ones(self.attrs.shape[0])
        attrs = self.attrs.copy()
        for i in range(attrs.shape[0]):
            a_scale = _decimal_scale(self.attrs[i], limit)
            if a_scale is not None:
                attrs[i] = np.round(self.attrs[i] * a_scale)
                scales[i] = a_scale
        return (
            np.ascontiguousarray(cost),
            np.ascontiguousarray(attrs),
            1.0 if c_scale is None else c_scale,
            scales,
        )

    def index_of(self, ids: ArrayLike, *, role: str = "node") -> IntArray:
        """Indices of external node ids.

        Raises
        ------
        UnknownNodeError
            Listing every id not in the graph.
        """
        arr = np.asarray(ids).ravel()
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            try:
                as_int = arr.astype(np.int64)
            except (TypeError, ValueError):
                raise UnknownNodeError(arr.tolist(), role=f"{role} id(s)") from None
            if not np.array_equal(as_int, arr):
                raise UnknownNodeError(arr.tolist(), role=f"{role} id(s)")
            arr = as_int
        arr = arr.astype(np.int64)
        if self.node_ids.size == 0:
            if arr.size:
                raise UnknownNodeError(arr.tolist(), role=f"{role} id(s)")
            return arr
        idx = np.minimum(np.searchsorted(self.node_ids, arr), self.node_ids.size - 1)
        bad = self.node_ids[idx] != arr
        if bad.any():
            raise UnknownNodeError(list(dict.fromkeys(arr[bad].tolist())), role=f"{role} id(s)")
        return np.asarray(idx, dtype=np.int64)


def _decimal_scale(x: FloatArray, max_terms: int) -> float | None:
    """10**d for the least d <= 6 that makes every finite value whole (with sums of up to
    `max_terms` of them below 2**53), or None."""
    fin = x[np.isfinite(x)]
    if fin.size == 0:
        return None
    top = float(np.abs(fin).max())
    for d in range(7):
        scale = 10.0**d
        if top * scale * max_terms >= 2.0**53:
            return None
        y = fin * scale
        if np.all(np.abs(y - np.round(y)) <= 1e-9 * np.maximum(1.0, np.abs(y))):
            return scale
    return None


def skim_graph_from_links(
    a_node: ArrayLike,
    b_node: ArrayLike,
    cost: ArrayLike,
    *,
    attrs: Mapping[str, ArrayLike] | None = None,
    node_ids: ArrayLike | None = None,
    no_through: ArrayLike | None = None,
    metric: str = "cost",
) -> SkimGraph:
    """Build a :class:`SkimGraph` from directed link arrays (e.g. a TNTP network).

    Parameters
    ----------
    a_node, b_node
        Tail and head node id of each directed link.
    cost
        Cost of each link to minimise, finite and >= 0.
    attrs
        Other per-link attributes to sum along the chosen paths, by name.
    node_ids
        Every node id (default: those used by links).
    no_through
        Node ids that paths may start or end at but never pass through.
    metric
        Name of the cost, with its unit.

    Raises
    ------
    ValidationError
        If the arrays differ in length, or a cost is negative, NaN or infinite.
    UnknownNodeError
        If a `no_through` id is not a node.
    """
    a = np.asarray(a_node, dtype=np.int64).ravel()
    b = np.asarray(b_node, dtype=np.int64).ravel()
    c = np.asarray(cost, dtype=np.float64).ravel()
    named = {k: np.asarray(v, dtype=np.float64).ravel() for k, v in (attrs or {}).items()}
    problems = [f"{name} has {arr.size} values" for name, arr in [("b_node", b), ("cost", c)]]
    problems += [f"attribute {k!r} has {v.size} values" for k, v in named.items()]
    if any(arr.size != a.size for arr in [b, c, *named.values()]):
        raise ValidationError(
            f"link arrays differ in length: a_node has {a.size} values, " + ", ".join(problems)
        )
    bad = ~(np.isfinite(c) & (c >= 0))
    if bad.any():
        raise ValidationError(
            f"{metric}: {int(bad.sum())} link cost(s) negative, NaN or infinite, "
            f"first at link positions {np.flatnonzero(bad)[:5].tolist()}; costs must be >= 0"
        )
    ids = np.unique(np.concatenate([a, b] + ([] if node_ids is None else [np.asarray(node_ids)])))
    ids = ids.astype(np.int64)
    ta = np.searchsorted(ids, a)
    hb = np.searchsorted(ids, b)
    csr = build_csr(ta, hb, ids.size)
    order, indptr = csr.order, csr.indptr
    attr_mat = np.ascontiguousarray(
        np.stack([named[k][order] for k in named]) if named else np.zeros((0, a.size))
    )
    graph = SkimGraph(
        node_ids=ids,
        indptr=indptr,
        heads=hb[order].astype(np.int32),
        tails=ta[order].astype(np.int32),
        cost=np.ascontiguousarray(c[order]),
        attrs=attr_mat,
        attr_names=tuple(named),
        blocked=np.zeros(ids.size, bool),
        metric=metric,
    )
    if no_through is not None and np.asarray(no_through).size:
        blocked = np.zeros(ids.size, bool)
        blocked[graph.index_of(no_through, role="no-through node")] = True
        object.__setattr__(graph, "blocked", blocked)
    return graph


def _link_values(network: Network, name: str) -> FloatArray:
    links = network.links
    if name == "time_h":
        return link_time_h(links)
    if name in links.columns and pd.api.types.is_numeric_dtype(links[name]):
        return links[name].to_numpy(dtype=np.float64, na_value=np.nan)
    numeric = [c for c in links.columns if pd.api.types.is_numeric_dtype(links[c])]
    raise ValidationError(
        f"links.{name}: no such numeric column to sum; use time_h or one of {numeric}"
    )


def skim_graph(
    network: Network,
    *,
    cost: str = "time_h",
    modes: str | Mode | Iterable[str | Mode] | None = None,
    sums: Sequence[str] = ("length_km",),
) -> SkimGraph:
    """The :class:`SkimGraph` of a network for a cost and mode set, kept by its Router.

    Parameters
    ----------
    network
        The network.
    cost
        ``time_h`` (length / speed), ``length_km`` or another numeric links column.
    modes
        Modes whose links may be used; None or "any" for all.
    sums
        Links columns (or ``time_h``) summed along the least-cost paths.

    Raises
    ------
    SchemaError
        If `cost` or a `sums` column is missing or not numeric, or a cost is negative.
    """
    router = router_for(network)
    graph = router.graph(modes, cost)
    return router.kept(
        ("skim-graph", graph.modes, graph.weight, tuple(sums)),
        lambda: _skim_graph(network, graph, cost, sums),
    )


def _skim_graph(network: Network, graph: Graph, cost: str, sums: Sequence[str]) -> SkimGraph:
    names = tuple(dict.fromkeys(s for s in sums if s != cost))
    attrs = np.zeros((len(names), graph.n_arcs))
    for i, name in enumerate(names):
        attrs[i] = _link_values(network, name)[graph.link_row]
    return SkimGraph(
        node_ids=graph.node_ids,
        indptr=graph.indptr,
        heads=graph.heads,
        tails=graph.tails,
        cost=graph.cost,
        attrs=np.ascontiguousarray(attrs),
        attr_names=names,
        blocked=np.zeros(graph.n_nodes, bool),
        metric=cost,
    )


@dataclass(frozen=True, eq=False, repr=False)
class SkimPlan:
    """What a skim searches: a graph and the origin and destination indices on it.

    Without turn restrictions the graph is the network's :class:`SkimGraph` and the
    indices are node indices. Where ``network.turns`` bans or forces turns on the links
    used, it is the edge-based expansion of :mod:`corridor.graph.turns` (the one that
    :func:`corridor.route` searches): a path starts at an origin's *start* state and ends
    at a destination's *end* state, and each transition carries the cost and attributes
    of the link it enters.

    Attributes
    ----------
    graph
        The graph to search.
    origins, destinations
        Indices of `graph`, int64.
    same
        ``same[i, j]``: origin i is destination j (cost and sums 0), bool[o, d].
    turns
        Turn restrictions applied (0 for the plain graph).
    """

    graph: SkimGraph
    origins: IntArray
    destinations: IntArray
    same: BoolArray
    turns: int

    def finish(self, values: FloatArray, sums: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Zero cost and sums from a node to itself (a start state never reaches its own
        end state at zero cost in the expansion)."""
        if self.turns and self.same.any():
            values[self.same] = 0.0
            sums[:, self.same] = 0.0
        return values, sums


def _turn_skim_graph(search: SearchGraph, plain: SkimGraph) -> SkimGraph:
    """The edge-based expansion `search` of `plain` as a :class:`SkimGraph`: each
    transition carries the cost and attributes of the arc it enters."""
    entered = search.entered
    if entered is None:
        return plain
    n_states = search.n_vertices
    attrs = np.zeros((plain.attrs.shape[0], entered.size))
    into_arc = entered >= 0
    attrs[:, into_arc] = plain.attrs[:, entered[into_arc]]
    return SkimGraph(
        node_ids=np.arange(n_states, dtype=np.int64),
        indptr=search.indptr,
        heads=search.heads,
        tails=search.tails,
        cost=search.weight(plain.cost),
        attrs=np.ascontiguousarray(attrs),
        attr_names=plain.attr_names,
        blocked=np.zeros(n_states, bool),
        metric=plain.metric,
    )


def skim_plan(
    network: Network,
    origins: ArrayLike,
    destinations: ArrayLike,
    *,
    cost: str = "time_h",
    modes: str | Mode | Iterable[str | Mode] | None = None,
    sums: Sequence[str] = ("length_km",),
) -> SkimPlan:
    """The graph a skim searches and its origin and destination indices.

    Parameters
    ----------
    network
        The network; its ``turns`` table is honoured where it applies to the modes used.
    origins, destinations
        External node ids.
    cost, modes, sums
        As for :func:`skim`.

    Raises
    ------
    UnknownNodeError
        If an id is not in the graph of these modes.
    SchemaError
        If `cost` or a `sums` column is missing or not numeric.
    """
    plain = skim_graph(network, cost=cost, modes=modes, sums=sums)
    o = plain.index_of(origins, role="origin")
    d = plain.index_of(destinations, role="destination")
    same = o[:, None] == d[None, :]
    router = router_for(network)
    graph = router.graph(modes, cost)
    search = router.graph_search(graph)
    if search.is_plain or search.start_state is None or search.end_state is None:
        return SkimPlan(plain, o, d, same, 0)
    expanded = router.kept(
        ("turn-skim-graph", graph.modes, graph.weight, plain.attr_names),
        lambda: _turn_skim_graph(search, plain),
    )
    return SkimPlan(expanded, search.start_state[o], search.end_state[d], same, search.turns)


def n_blocks(n_origins: int) -> int:
    """Blocks of origins to spread over the threads (8 per numba thread at most)."""
    import numba

    return max(1, min(n_origins, 8 * int(numba.get_num_threads())))
