"""Which arcs keep a trip inside one country: the domestic-trip rule of every search.

A trip whose origin and destination lie in the same country stays in that country when
a domestic route exists. The rule is a restriction of the searched graph, not a penalty
that a faster foreign path could outweigh: :func:`domestic_arcs` says which arcs of a
graph stay at home (they do not enter a border-crossing node nor a node of another
country), and :meth:`corridor.graph.SearchGraph.restricted` searches those arcs only.
:class:`corridor.paths.Router` applies it to routes, alternatives, Pareto sets, skims and
comparisons alike, and searches the whole graph only where no domestic route exists
(e.g. an exclave).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor._typing import BoolArray
from corridor.graph.turns import ArcGraph
from corridor.model.schema import NodeKind

__all__ = ["country_map", "domestic_arcs", "node_countries", "trip_country"]


def node_countries(nodes: pd.DataFrame, node_ids: np.ndarray) -> np.ndarray:
    """Country of each node id for the domestic rule ("" for border crossings).

    A border-crossing node is on the border, in neither country: entering one leaves the
    country of the trip.
    """
    table = nodes.set_index("node_id")
    country = table["country"].reindex(node_ids).fillna("").astype(str).to_numpy()
    crossing = (table["kind"].reindex(node_ids) == NodeKind.BORDER_CROSSING).to_numpy()
    return np.where(crossing, "", country).astype(object)


def country_map(nodes: pd.DataFrame) -> dict[int, str]:
    """Node id -> country for the domestic rule ("" for border crossings), for fast
    look-ups of many trips."""
    ids = nodes["node_id"].to_numpy(dtype=np.int64)
    cc = node_countries(nodes, ids)
    return {int(i): str(c) for i, c in zip(ids.tolist(), cc.tolist(), strict=True)}


def trip_country(countries: dict[int, str], origin_id: int, destination_id: int) -> str | None:
    """The country of a domestic trip, None for a trip between two countries (or one
    that starts or ends on a border crossing, or where a country is unknown).

    `countries` is :func:`country_map` of the network's nodes.

    Examples
    --------
    >>> trip_country({1: "RU", 2: "RU", 3: "CN", 4: ""}, 1, 2)
    'RU'
    >>> trip_country({1: "RU", 2: "RU", 3: "CN", 4: ""}, 1, 3) is None
    True
    """
    a, b = countries.get(int(origin_id), ""), countries.get(int(destination_id), "")
    return a if a and a == b else None


def domestic_arcs(base: ArcGraph, nodes: pd.DataFrame, country: str) -> BoolArray:
    """Which arcs of `base` stay in `country`.

    Parameters
    ----------
    base
        The arcs (a compiled graph's or a profile's cost graph).
    nodes
        The network's nodes table (``node_id``, ``kind``, ``country``).
    country
        ISO 3166-1 alpha-2 code.

    Returns
    -------
    numpy.ndarray
        bool per arc: its head vertex belongs to a node of `country` that is not a border
        crossing.

    Examples
    --------
    >>> import corridor
    >>> from corridor.graph import compile_graph
    >>> net = corridor.examples.toy()
    >>> g = ArcGraph.of(compile_graph(net, modes="road"))
    >>> bool(domestic_arcs(g, net.nodes, "XX").any())
    False
    """
    cc = node_countries(nodes, base.node_ids)
    head_node = base.vertex_node[np.asarray(base.heads, dtype=np.int64)]
    return np.asarray(cc[head_node] == country, dtype=bool)
