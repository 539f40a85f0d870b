"""Skims: many-to-many least-cost matrices, with other link attributes summed along the paths.

A skim minimises one cost (free-flow time, distance or any numeric links column) between
every origin and every destination, and sums other link attributes (distance, tolls, CO2)
along the least-cost path it chose, so a time skim can come with the distance and toll of
each time-shortest path. Two exact methods compute it:

* ``"dijkstra"``: one Dijkstra per origin, in parallel over blocks of origins (numba
  ``prange``; the kernels release the GIL);
* ``"ch"``: contraction hierarchies (Geisberger et al. 2008) with the bucket-based
  many-to-many search of Knopp et al. (2007): preprocessing once, then one small upward
  search per origin and per destination. Much faster for many zones on large networks.

Both give identical least costs (up to floating-point summation order); where several
paths tie, the summed attributes may come from different tied paths.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.errors import SchemaError, UnknownNodeError, ValidationError
from corridor.graph.compile import compile_graph, link_time_h
from corridor.graph.turns import TurnGraph, compile_turn_graph
from corridor.model.lookup import PlaceIndex
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = [
    "Skim",
    "SkimGraph",
    "SkimMethod",
    "SkimPlan",
    "auto_method",
    "skim",
    "skim_graph",
    "skim_graph_from_links",
    "skim_on",
    "skim_plan",
]

log = logging.getLogger(__name__)

NodeRefs = Sequence[int | str] | ArrayLike


class SkimMethod(StrEnum):
    """How a skim is computed; every method is exact."""

    AUTO = "auto"
    DIJKSTRA = "dijkstra"
    CH = "ch"


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
    _cache: dict[str, Any] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        sums = f", sums {','.join(self.attr_names)}" if self.attr_names else ""
        return f"<SkimGraph {self.metric}: {self.n_nodes} nodes, {self.heads.size} arcs{sums}>"

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_ids.size)

    def kernel_arrays(self) -> tuple[FloatArray, FloatArray, float, FloatArray]:
        """Cost and attributes as the kernels see them, with their scales.

        Returns (cost, attrs, cost scale, attr scales float64[k]). Where every value of an
        array is a whole number once multiplied by 10**d (d <= 6; e.g. times given to the
        hundredth), the array is scaled so: sums of whole numbers below 2**53 are exact in
        any order, so every method (Dijkstra, contraction hierarchies, any block split)
        gives bit-identical results after the one final division by the scale.
        """
        cached = self._cache.get("kernel_arrays")
        if cached is None:
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
            cached = (
                np.ascontiguousarray(cost),
                np.ascontiguousarray(attrs),
                1.0 if c_scale is None else c_scale,
                scales,
            )
            self._cache["kernel_arrays"] = cached
        return cached

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
    order = np.argsort(ta, kind="stable")
    indptr = np.zeros(ids.size + 1, np.int64)
    np.cumsum(np.bincount(ta, minlength=ids.size), out=indptr[1:])
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
    raise SchemaError(
        [f"links.{name}: no such numeric column to sum; use time_h or one of {numeric}"],
        source=network.source,
    )


def skim_graph(
    network: Network,
    *,
    cost: str = "time_h",
    modes: str | Mode | Iterable[str | Mode] | None = None,
    sums: Sequence[str] = ("length_km",),
) -> SkimGraph:
    """The :class:`SkimGraph` of a network for a cost and mode set, cached on the network.

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
    graph = compile_graph(network, modes=modes, weight=cost)
    key = ("skim_graph", graph.modes, graph.weight, tuple(sums))
    cached = network._cache.get(key)
    if isinstance(cached, SkimGraph):
        return cached
    names = tuple(dict.fromkeys(s for s in sums if s != cost))
    attrs = np.zeros((len(names), graph.n_arcs))
    for i, name in enumerate(names):
        attrs[i] = _link_values(network, name)[graph.link_row]
    sg = SkimGraph(
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
    network._cache[key] = sg
    return sg


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


def _turn_skim_graph(
    network: Network, plain: SkimGraph, modes: str | Mode | Iterable[str | Mode] | None
) -> tuple[SkimGraph, TurnGraph]:
    """The edge-based expansion of `plain` as a :class:`SkimGraph`, with its turn graph."""
    tg = compile_turn_graph(network, modes=modes, weight=plain.metric)
    key = ("turn-skim-graph", id(tg), plain.attr_names)
    cached = network._cache.get(key)
    if isinstance(cached, SkimGraph):
        return cached, tg
    n_states = tg.indptr.size - 1
    attrs = np.zeros((plain.attrs.shape[0], tg.entered.size))
    into_arc = tg.entered >= 0
    attrs[:, into_arc] = plain.attrs[:, tg.entered[into_arc]]
    sg = SkimGraph(
        node_ids=np.arange(n_states, dtype=np.int64),
        indptr=tg.indptr,
        heads=tg.heads,
        tails=tg.tails,
        cost=tg.cost,
        attrs=np.ascontiguousarray(attrs),
        attr_names=plain.attr_names,
        blocked=np.zeros(n_states, bool),
        metric=plain.metric,
    )
    network._cache[key] = sg
    return sg, tg


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
    if len(network.turns):
        graph, tg = _turn_skim_graph(network, plain, modes)
        if tg.n_patterns:
            return SkimPlan(graph, tg.start_state[o], tg.end_state[d], same, tg.n_patterns)
    return SkimPlan(plain, o, d, same, 0)


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Skim:
    """A least-cost origin-destination matrix, with attributes summed along the paths.

    Attributes
    ----------
    values
        ``values[i, j]``: least `metric` from ``origins[i]`` to ``destinations[j]``,
        float64[n_orig, n_dest], ``inf`` where there is no path.
    origins, destinations
        External node ids in row and column order, int64.
    metric
        The cost minimised, with its unit (``time_h``, ``length_km``, ...).
    sums
        Other attributes summed along the chosen least-cost paths, each shaped like
        `values` (``inf`` where unreachable, NaN where an attribute is missing on a link).
    method
        How it was computed (``dijkstra`` or ``ch``).
    """

    values: FloatArray
    origins: IntArray
    destinations: IntArray
    metric: str
    sums: Mapping[str, FloatArray] = field(default_factory=dict)
    method: str = "dijkstra"

    def __post_init__(self) -> None:
        shape = (np.asarray(self.origins).size, np.asarray(self.destinations).size)
        if self.values.shape != shape:
            raise ValidationError(f"skim values have shape {self.values.shape}; ids give {shape}")
        for name, arr in self.sums.items():
            if arr.shape != shape:
                raise ValidationError(f"skim sum {name!r} has shape {arr.shape}; need {shape}")
        for arr in (self.values, *self.sums.values()):
            arr.flags.writeable = False

    def __repr__(self) -> str:
        n_o, n_d = self.values.shape
        unreach = float(np.isinf(self.values).mean()) if self.values.size else 0.0
        sums = f" (+{','.join(self.sums)})" if self.sums else ""
        return f"<Skim {self.metric}{sums} {n_o}x{n_d}, {unreach:.0%} unreachable>"

    def __getitem__(self, name: str) -> FloatArray:
        """The matrix of the metric or of a summed attribute, by name."""
        if name == self.metric:
            return self.values
        if name in self.sums:
            return self.sums[name]
        raise KeyError(f"{name!r}: this skim has {[self.metric, *self.sums]}")

    @property
    def names(self) -> tuple[str, ...]:
        """The metric's name, then the summed attributes' names."""
        return (self.metric, *self.sums)

    def matrices(self) -> dict[str, FloatArray]:
        """Every matrix by name, the metric first."""
        return {name: self[name] for name in self.names}

    def to_frame(self) -> pd.DataFrame:
        """A long table: ``origin``, ``destination``, then one column per matrix."""
        n_o, n_d = self.values.shape
        data: dict[str, Any] = {
            "origin": np.repeat(np.asarray(self.origins, np.int64), n_d),
            "destination": np.tile(np.asarray(self.destinations, np.int64), n_o),
        }
        for name in self.names:
            data[name] = self[name].ravel()
        return pd.DataFrame(data)


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

    def __repr__(self) -> str:
        return (
            f"<Hierarchy {self.up_indptr.size - 1} nodes, {self.up_head.size} up + "
            f"{self.dn_head.size} down arcs, built in {self.seconds:.2f} s>"
        )

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
            n_blocks = max(1, min(_n_blocks(origins.size) // 8, -(-origins.size // 8)))
            values, sums = many_to_many_sweep(*args, n_blocks, 8)
        else:
            values, sums = many_to_many(*args, _n_blocks(origins.size))
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
    order = np.argsort(first, kind="stable")
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(first, minlength=n), out=indptr[1:])
    out = [indptr]
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
    cost, attrs, scale, attr_scales = graph.kernel_arrays()
    order = np.lexsort((cost, heads, tails))
    order = order[keep[order]]
    t, h = tails[order], heads[order]
    first = np.ones(order.size, bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    sel = order[first]
    rank, ut, uh, uw, ua, dt, dh, dw, da = contract(
        n_all,
        tails[sel],
        heads[sel],
        np.ascontiguousarray(cost[sel]),
        np.ascontiguousarray(attrs[:, sel]),
        settle_limit,
        sim_limit,
    )
    up = _csr_by(rank[ut], n_all, rank[uh], uw, ua)
    dn = _csr_by(rank[dh], n_all, rank[dt], dw, da)
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
    )
    log.info("built %r", hier)
    return hier


def hierarchy_of(graph: SkimGraph) -> Hierarchy:
    """The graph's contraction hierarchy, built once and kept with the graph."""
    hier = graph._cache.get("ch")
    if not isinstance(hier, Hierarchy):
        hier = build_hierarchy(graph)
        graph._cache["ch"] = hier
    return hier


def _n_blocks(n_origins: int) -> int:
    import numba

    return max(1, min(n_origins, 8 * int(numba.get_num_threads())))


_CH_MIN_ZONES = 800
"""Origins and destinations from which building a hierarchy beats one Dijkstra per origin.
Measured on chicago-regional (12,982 nodes, 2 cores): 600 zones Dijkstra 0.39 s vs CH
0.53 s; 1,000 zones 0.63 s vs 0.61 s; 1,790 zones 1.20 s vs 0.71 s."""


def auto_method(graph: SkimGraph, n_origins: int, n_destinations: int) -> SkimMethod:
    """What ``method="auto"`` runs: contraction hierarchies once a hierarchy is built for
    the graph (queries are cheap) or enough zones share its preprocessing, else Dijkstra."""
    zones = min(n_origins, n_destinations)
    if isinstance(graph._cache.get("ch"), Hierarchy) and zones >= 64:
        return SkimMethod.CH
    if zones >= _CH_MIN_ZONES and graph.n_nodes >= 2000:
        return SkimMethod.CH
    return SkimMethod.DIJKSTRA


def skim_on(
    graph: SkimGraph,
    origins: IntArray,
    destinations: IntArray,
    *,
    method: SkimMethod | str = SkimMethod.AUTO,
) -> tuple[FloatArray, FloatArray, str]:
    """Least-cost matrix and summed attributes between node indices of `graph`.

    Returns (values float64[o, d], sums float64[k, o, d], method used). Used by
    :func:`skim` and by the Dask backend; the inputs are assumed valid.
    """
    how = SkimMethod(method)
    o = np.ascontiguousarray(origins, dtype=np.int64)
    d = np.ascontiguousarray(destinations, dtype=np.int64)
    if how is SkimMethod.AUTO:
        how = auto_method(graph, o.size, d.size)
    if how is SkimMethod.CH:
        values, sums = hierarchy_of(graph).many_to_many(o, d)
        return values, sums, how.value
    from corridor.kernels.skim import skim_dijkstra

    cost, attrs, scale, attr_scales = graph.kernel_arrays()
    values, sums = skim_dijkstra(
        graph.indptr,
        graph.heads,
        graph.tails,
        cost,
        attrs,
        graph.blocked,
        o,
        d,
        _n_blocks(o.size),
    )
    if scale != 1.0:
        values /= scale
    if sums.shape[0] and (attr_scales != 1.0).any():
        sums /= attr_scales[:, None, None]
    return values, sums, how.value


def resolve_nodes(network: Network, refs: NodeRefs, *, role: str) -> IntArray:
    """Node ids for a list of node ids or place names, reporting every unknown one.

    Raises
    ------
    UnknownNodeError
        Listing all the unknown ids and names.
    """
    items = list(np.asarray(refs, dtype=object).ravel()) if not isinstance(refs, str) else [refs]
    places = PlaceIndex(network.nodes)
    out: list[int] = []
    unknown: list[object] = []
    for item in items:
        value = item.item() if isinstance(item, np.generic) else item
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            out.append(places.resolve(value, role=role))
        except UnknownNodeError:
            unknown.append(value)
    if unknown:
        raise UnknownNodeError(unknown, role=f"{role}(s)")
    return np.asarray(out, dtype=np.int64)


def skim(
    network: Network,
    origins: NodeRefs,
    destinations: NodeRefs | None = None,
    *,
    cost: str = "time_h",
    modes: str | Mode | Iterable[str | Mode] | None = None,
    sums: Sequence[str] = ("length_km",),
    method: SkimMethod | str = SkimMethod.AUTO,
) -> Skim:
    """Compute the least-cost origin-destination matrix.

    Parameters
    ----------
    network
        Network to route on.
    origins, destinations
        Node ids or place names, giving row and column order; `destinations` defaults to
        `origins`.
    cost
        What to minimise: ``time_h`` (free-flow), ``length_km`` or a numeric links column
        (finite and >= 0 on usable links).
    modes
        Modes whose links may be used; None or "any" for all.
    sums
        Link attributes summed along each least-cost path (``length_km``, ``time_h``,
        ``toll_usd``, ...).
    method
        ``"dijkstra"``, ``"ch"`` (contraction hierarchies) or ``"auto"`` (hierarchies from
        800 zones on 2,000+ nodes, or once one is built; see :func:`auto_method`).

    Returns
    -------
    Skim
        ``values[i, j]`` is the least cost from ``origins[i]`` to ``destinations[j]``,
        ``inf`` where no path exists; ``sums[name]`` the attribute along that path.

    Raises
    ------
    UnknownNodeError
        If an origin or destination is not in the network (all are listed).
    SchemaError
        If `cost` or a `sums` column is missing or not numeric, or a cost is negative.

    Notes
    -----
    Dijkstra: O(|origins| (n + m) log n), in parallel over origins. Contraction
    hierarchies: preprocessing once per graph (cached), then per origin and destination an
    upward search over a small part of the graph.

    Examples
    --------
    >>> import corridor
    >>> s = corridor.skim(corridor.examples.toy(), ["A", "B"], ["D"], modes="road")
    >>> s
    <Skim time_h (+length_km) 2x1, 0% unreachable>
    >>> s.values.round(3).tolist(), s["length_km"].tolist()
    ([[4.113], [2.912]], [[353.0], [233.0]])
    """
    if isinstance(method, str) and method not in {m.value for m in SkimMethod}:
        raise ValidationError(f"method {method!r}: use one of {[m.value for m in SkimMethod]}")
    o_ids = resolve_nodes(network, origins, role="origin")
    d_ids = (
        o_ids if destinations is None else resolve_nodes(network, destinations, role="destination")
    )
    plan = skim_plan(network, o_ids, d_ids, cost=cost, modes=modes, sums=sums)
    graph = plan.graph
    turns = f", obeying {plan.turns} turn restrictions" if plan.turns else ""
    log.info("skim %s: %d x %d on %r%s", cost, o_ids.size, d_ids.size, graph, turns)
    values, sums_arr, used = skim_on(graph, plan.origins, plan.destinations, method=method)
    values, sums_arr = plan.finish(values, sums_arr)
    return Skim(
        values=values,
        origins=o_ids,
        destinations=d_ids,
        metric=cost,
        sums={name: sums_arr[i] for i, name in enumerate(graph.attr_names)},
        method=used,
    )


def finite_or_nan(x: float) -> float | None:
    """A float for JSON: None for NaN and infinity."""
    return None if not math.isfinite(x) else float(x)
