"""Where searches run: a graph's own arcs, or their edge-based expansion under turns.

Every search in corridor (routes, profile routes, alternatives, Pareto sets, skims,
isochrones, comparisons) runs on a :class:`SearchGraph` made by :func:`search_graph`, the
one place that decides between the plain graph and its turn expansion.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.graph.index import build_csr
from corridor.graph.turns import ArcGraph, expand_turns

__all__ = ["SearchGraph", "search_graph"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False, repr=False)
class SearchGraph:
    """A CSR graph to search, with the map back to the arcs of the graph it stands for.

    Attributes
    ----------
    base
        The graph searched for (a compiled graph's or a cost graph's arcs).
    indptr, heads, tails
        CSR arrays of the searched graph (the base's own, or the expansion's).
    entered
        Base arc each searched arc enters (-1: none, into an end state); None when the
        base itself is searched (a :meth:`restricted` graph always has one).
    start_state, end_state
        Per base vertex, where a search from or to it starts or ends (None: the vertex).
    turns
        Turn restrictions applied (0 on the plain graph).

    Examples
    --------
    >>> import corridor
    >>> from corridor.graph import compile_graph
    >>> g = compile_graph(corridor.examples.toy(), modes="road")
    >>> sg = search_graph(ArcGraph.of(g), corridor.examples.toy().turns)
    >>> sg.is_plain, sg.source(0), sg.n_vertices == g.n_nodes
    (True, 0, True)
    """

    base: ArcGraph
    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    entered: IntArray | None
    start_state: IntArray | None
    end_state: IntArray | None
    turns: int

    def __repr__(self) -> str:
        how = f"obeying {self.turns} turn restrictions" if self.turns else "plain"
        return f"<SearchGraph {self.n_vertices} vertices, {self.heads.size} arcs, {how}>"

    @property
    def is_plain(self) -> bool:
        """True when the base graph itself is searched."""
        return self.entered is None

    @property
    def n_vertices(self) -> int:
        """Number of vertices searched."""
        return int(self.indptr.size - 1)

    def weight(self, arc_weight: FloatArray) -> FloatArray:
        """Weights of the searched arcs from weights of the base arcs."""
        if self.entered is None:
            return np.ascontiguousarray(arc_weight, dtype=np.float64)
        w = np.where(self.entered >= 0, np.asarray(arc_weight)[self.entered], 0.0)
        return np.ascontiguousarray(w, dtype=np.float64)

    def weights(self, arc_weights: FloatArray) -> FloatArray:
        """Several criteria at once: float64[m, k] over base arcs -> searched arcs."""
        if self.entered is None:
            return np.ascontiguousarray(arc_weights, dtype=np.float64)
        w = np.where((self.entered >= 0)[:, None], arc_weights[self.entered], 0.0)
        return np.ascontiguousarray(w, dtype=np.float64)

    def source(self, vertex: int) -> int:
        """Where searches from a base vertex start."""
        return vertex if self.start_state is None else int(self.start_state[vertex])

    def sink(self, vertex: int) -> int:
        """Where searches to a base vertex end."""
        return vertex if self.end_state is None else int(self.end_state[vertex])

    def sinks(self, vertices: IntArray) -> IntArray:
        """Where searches to several base vertices end."""
        v = np.asarray(vertices, dtype=np.int64)
        return v if self.end_state is None else np.asarray(self.end_state[v], dtype=np.int64)

    def arcs(self, path: IntArray) -> IntArray:
        """Base arc slots of a path given as slots of the searched graph."""
        p = np.asarray(path, dtype=np.int64)
        if self.entered is None:
            return p
        arcs = self.entered[p]
        return np.asarray(arcs[arcs >= 0], dtype=np.int64)

    def restricted(self, keep: BoolArray) -> SearchGraph:
        """This graph searching only the base arcs where `keep` is True.

        Parameters
        ----------
        keep
            bool per base arc (e.g. :func:`corridor.graph.borders.domestic_arcs`).

        Returns
        -------
        SearchGraph
            Over the same vertices (start and end states unchanged), whose searched arcs
            enter kept base arcs only (transitions into end states are kept); weights,
            paths and arcs map back to the base as for this graph.
        """
        ok = np.asarray(keep, dtype=bool)
        entered = (
            np.arange(self.heads.size, dtype=np.int64) if self.entered is None else self.entered
        )
        sel = np.flatnonzero((entered < 0) | ok[np.maximum(entered, 0)])
        csr = build_csr(self.tails[sel], self.heads[sel], self.n_vertices)
        order = sel[csr.order]
        return SearchGraph(
            self.base,
            csr.indptr,
            csr.heads,
            csr.tails,
            np.ascontiguousarray(entered[order], dtype=np.int64),
            self.start_state,
            self.end_state,
            self.turns,
        )

    def path(self, pred: IntArray, source: int, sink: int) -> IntArray:
        """Searched slots of the path from `source` to `sink` in a one-to-all tree's
        predecessor slots (`pred` from :func:`corridor.kernels.dijkstra.dijkstra`)."""
        from corridor.kernels.dijkstra import path_slots

        return np.asarray(path_slots(self.indptr, self.heads, pred, source, sink), np.int64)


def search_graph(
    base: ArcGraph, turns: pd.DataFrame, links: pd.DataFrame | None = None, *, u_turns: bool = False
) -> SearchGraph:
    """The graph to search for `base`: itself, or its expansion when restrictions apply.

    Parameters
    ----------
    base
        The arcs (a compiled graph via :meth:`ArcGraph.of`, or a cost graph's arcs).
    turns
        The restrictions to honour (may be empty).
    links
        The links table that ``base.link_row`` indexes (needed when `turns` has rows).
    u_turns
        Allow U-turns everywhere; by default only at dead ends.

    Notes
    -----
    The plain graph is searched where no restriction fits it, so a network with turns
    that bind none of the searched links costs nothing extra.
    """
    plain = SearchGraph(base, base.indptr, base.heads, base.tails, None, None, None, 0)
    if not len(turns) or links is None:
        return plain
    tg = expand_turns(base, turns, links, np.zeros(base.n_arcs), u_turns=u_turns)
    if not tg.n_patterns:
        return plain
    found = SearchGraph(
        base,
        tg.indptr,
        tg.heads,
        tg.tails,
        tg.entered,
        tg.start_state,
        tg.end_state,
        tg.n_patterns,
    )
    log.info("%r", found)
    return found
