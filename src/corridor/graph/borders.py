"""Which arcs keep a trip inside one country: the domestic-trip rule of every search.

A trip whose origin and destination lie in the same country stays in that country when
a domestic route exists. The rule is a restriction of the searched graph, not a penalty
that a faster foreign path could outweigh: :func:`domestic_arcs` says which arcs of a
graph stay at home (they do not enter a border-crossing node nor a node of another
country), and :meth:`corridor.graph.SearchGraph.restricted` searches those arcs only.
:class:`corridor.paths.Router` applies it to routes, alternatives, Pareto sets, skims and
comparisons alike, and searches the whole graph only where no domestic route exists
(e.g. an exclave). Crossings the formalities open to domestic trips (``domestic_transit``,
e.g. the EAEU's RU-KZ borders without customs) and the country behind them count as home.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor._typing import BoolArray
from corridor.graph.turns import ArcGraph
from corridor.model.schema import NodeKind

__all__ = [
    "country_map",
    "domestic_arcs",
    "domestic_nodes",
    "node_countries",
    "open_to_domestic",
    "trip_country",
]


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


def open_to_domestic(formalities: pd.DataFrame) -> frozenset[int]:
    """Crossing nodes a domestic trip may pass (and come back through): those whose
    formalities say ``domestic_transit`` for some vehicle, e.g. the RU-KZ crossings of the
    R-254 through Petropavl (EAEU, no customs)."""
    if not len(formalities) or "domestic_transit" not in formalities:
        return frozenset()
    hit = formalities.loc[formalities["domestic_transit"].to_numpy(dtype=bool), "node_id"]
    return frozenset(int(x) for x in hit.tolist())


def domestic_nodes(
    nodes: pd.DataFrame,
    node_ids: np.ndarray,
    country: str,
    open_crossings: frozenset[int] = frozenset(),
) -> BoolArray:
    """Which of `node_ids` a domestic trip in `country` may enter (see :func:`domestic_arcs`)."""
    cc = node_countries(nodes, node_ids)
    ok = cc == country
    if open_crossings:
        table = nodes.set_index("node_id")
        opened = [n for n in sorted(open_crossings) if n in table.index]
        sides = table.loc[opened, ["country_a", "country_b"]].to_numpy()
        mine = [(a == country) or (b == country) for a, b in sides]
        behind = {str(b if a == country else a) for (a, b), m in zip(sides, mine, strict=True) if m}
        ids = np.asarray([n for n, m in zip(opened, mine, strict=True) if m], dtype=np.int64)
        ok |= np.isin(node_ids, ids) | np.isin(cc.astype(str), sorted(behind))
    return np.asarray(ok, dtype=bool)


def domestic_arcs(
    base: ArcGraph,
    nodes: pd.DataFrame,
    country: str,
    open_crossings: frozenset[int] = frozenset(),
) -> BoolArray:
    """Which arcs of `base` stay in `country`.

    Parameters
    ----------
    base
        The arcs (a compiled graph's or a profile's cost graph).
    nodes
        The network's nodes table (``node_id``, ``kind``, ``country``).
    country
        ISO 3166-1 alpha-2 code.
    open_crossings
        Crossing nodes a domestic trip may use (:func:`open_to_domestic`); the country on
        their other side may then be passed through too (its other crossings stay shut).

    Returns
    -------
    numpy.ndarray
        bool per arc: its head vertex belongs to a node of `country` that is not a border
        crossing, or to an open crossing of `country`, or to a node of a country behind
        one.

    Examples
    --------
    >>> import corridor
    >>> from corridor.graph import compile_graph
    >>> net = corridor.examples.toy()
    >>> g = ArcGraph.of(compile_graph(net, modes="road"))
    >>> bool(domestic_arcs(g, net.nodes, "XX").any())
    False
    """
    ok = domestic_nodes(nodes, base.node_ids, country, open_crossings)
    head_node = base.vertex_node[np.asarray(base.heads, dtype=np.int64)]
    return np.asarray(ok[head_node], dtype=bool)
