"""The graph a profile's searches run on: its cost graph, or that graph's turn expansion.

Turn restrictions between links of one mode (other than transfer) bind a profile's
searches; where none fits the profile's links, the cost graph itself is searched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.costs.graph import CostGraph
from corridor.graph.search import SearchGraph, search_graph
from corridor.graph.turns import ArcGraph
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = ["cost_arcs", "profile_search"]


def cost_arcs(graph: CostGraph) -> ArcGraph:
    """The arcs of a cost graph, for turn expansion and searching."""
    return ArcGraph(
        node_ids=graph.node_ids,
        vertex_node=graph.vertex_node,
        indptr=graph.indptr,
        heads=graph.heads,
        tails=graph.tails,
        link_row=graph.link_row,
        forward=graph.forward,
    )


def _same_mode_turns(network: Network) -> pd.DataFrame:
    """Rows of ``network.turns`` in force on its date, between links of one mode other
    than transfer."""
    turns = network.turns[network.open_turns()]
    links = network.links
    mode_of = dict(zip(links["link_id"].tolist(), links["mode"].astype(str).tolist(), strict=True))
    keep = [
        mode_of.get(int(f)) == mode_of.get(int(t)) != Mode.TRANSFER.value
        for f, t in zip(turns["from_link"], turns["to_link"], strict=True)
    ]
    return turns.loc[np.asarray(keep, dtype=bool)]


def profile_search(network: Network, graph: CostGraph) -> SearchGraph:
    """The graph a profile's searches run on (computed anew; the Router keeps it).

    Parameters
    ----------
    network
        The network the cost graph was compiled from; its turn restrictions between links
        of one mode are honoured.
    graph
        The profile's cost graph.

    Returns
    -------
    SearchGraph
        Over the cost graph's vertices: map a node index to them with
        :meth:`CostGraph.source_vertex` / :meth:`CostGraph.sink_vertex`.
    """
    turns = _same_mode_turns(network) if network.n_turns else network.turns
    return search_graph(cost_arcs(graph), turns, network.links)
