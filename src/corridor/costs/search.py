"""Where a profile's searches run: its cost graph, or that graph expanded under turn bans.

A :class:`~corridor.costs.graph.CostGraph` already enforces where modes may change (road
and rail ports of a node meet only through transfer links), so the bans of the embedded
network on changing mode outside terminals need nothing more. Restrictions between links
of one mode, such as the ``no_left_turn`` and ``only_straight_on`` relations of an
OpenStreetMap import, do: where the network has any that fit the cost graph, searches run
on the edge-based expansion of :func:`corridor.graph.turns.expand_turns`, whose states are
the cost graph's arcs. :class:`ProfileSearch` hides the difference: searches take its
CSR arrays and per-arc weights, start at :meth:`ProfileSearch.source` and end at
:meth:`ProfileSearch.sink`, and :meth:`ProfileSearch.arcs` turns the path found back into
cost-graph arcs, which every route, stop and timeline is built from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import FloatArray, Int32Array, IntArray
from corridor.costs.graph import CostGraph
from corridor.graph.turns import ArcGraph, expand_turns
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = ["ProfileSearch", "profile_search"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False, repr=False)
class ProfileSearch:
    """The graph a profile's searches run on.

    Attributes
    ----------
    graph
        The profile's cost graph.
    indptr, heads, tails
        CSR arrays of the searched graph (the cost graph's own, or the expansion's).
    entered
        Cost-graph arc each searched arc enters (-1: none, into an end state), int64;
        None when the cost graph itself is searched.
    source_state, sink_state
        Per cost-graph vertex, where a search from or to it starts or ends (None: the
        vertex itself).
    turns
        Turn restrictions applied (0 on the plain cost graph).
    """

    graph: CostGraph
    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    entered: IntArray | None
    source_state: IntArray | None
    sink_state: IntArray | None
    turns: int

    def __repr__(self) -> str:
        how = f"obeying {self.turns} turn restrictions" if self.turns else "plain"
        return f"<ProfileSearch {self.graph.profile.id}: {self.n_vertices} vertices, {how}>"

    @property
    def n_vertices(self) -> int:
        """Number of vertices searched."""
        return int(self.indptr.size - 1)

    def weight(self, arc_weight: FloatArray) -> FloatArray:
        """Weights of the searched arcs from weights of the cost graph's arcs."""
        if self.entered is None:
            return arc_weight
        w = np.where(self.entered >= 0, np.asarray(arc_weight)[self.entered], 0.0)
        return np.ascontiguousarray(w, dtype=np.float64)

    def weights(self, arc_weights: FloatArray) -> FloatArray:
        """Several criteria at once: float64[m, k] over cost-graph arcs -> searched arcs."""
        if self.entered is None:
            return arc_weights
        w = np.where((self.entered >= 0)[:, None], arc_weights[self.entered], 0.0)
        return np.ascontiguousarray(w, dtype=np.float64)

    def source(self, node_index: int) -> int:
        """Where searches from an original node index start."""
        v = self.graph.source_vertex(node_index)
        return v if self.source_state is None else int(self.source_state[v])

    def sink(self, node_index: int) -> int:
        """Where searches to an original node index end."""
        v = self.graph.sink_vertex(node_index)
        return v if self.sink_state is None else int(self.sink_state[v])

    def arcs(self, path: IntArray) -> IntArray:
        """Cost-graph arc slots of a path given as slots of the searched graph."""
        p = np.asarray(path, dtype=np.int64)
        if self.entered is None:
            return p
        arcs = self.entered[p]
        return np.asarray(arcs[arcs >= 0], dtype=np.int64)


def _same_mode_turns(network: Network) -> pd.DataFrame:
    """Rows of ``network.turns`` between links of one mode other than transfer."""
    turns = network.turns
    links = network.links
    mode_of = dict(zip(links["link_id"].tolist(), links["mode"].astype(str).tolist(), strict=True))
    keep = [
        mode_of.get(int(f)) == mode_of.get(int(t)) != Mode.TRANSFER.value
        for f, t in zip(turns["from_link"], turns["to_link"], strict=True)
    ]
    return turns.loc[np.asarray(keep, dtype=bool)]


def profile_search(network: Network, graph: CostGraph) -> ProfileSearch:
    """The graph a profile's searches run on, cached on the network per cost graph.

    Parameters
    ----------
    network
        The network the cost graph was compiled from; its turn restrictions between links
        of one mode are honoured.
    graph
        The profile's cost graph.

    Returns
    -------
    ProfileSearch
        The cost graph itself where no restriction applies, else its edge-based expansion
        (U-turns only at dead ends, as for :func:`corridor.route`).
    """
    key = ("profile-search", id(graph))
    cached = network._cache.get(key)
    if isinstance(cached, ProfileSearch) and cached.graph is graph:
        return cached
    search = ProfileSearch(graph, graph.indptr, graph.heads, graph.tails, None, None, None, 0)
    turns = _same_mode_turns(network) if len(network.turns) else network.turns
    if len(turns):
        arcs = ArcGraph(
            node_ids=graph.node_ids,
            vertex_node=graph.vertex_node,
            indptr=graph.indptr,
            heads=graph.heads,
            tails=graph.tails,
            link_row=graph.link_row,
            forward=graph.forward,
        )
        tg = expand_turns(arcs, turns, network.links, graph.time_h)
        if tg.n_patterns:
            search = ProfileSearch(
                graph,
                tg.indptr,
                tg.heads,
                tg.tails,
                tg.entered,
                tg.start_state,
                tg.end_state,
                tg.n_patterns,
            )
            log.info("%r", search)
    network._cache[key] = search
    return search
