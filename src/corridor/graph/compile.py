"""Network -> CSR graph for a (mode set, cost) pair, with the id <-> index mapping."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.errors import SchemaError, ValidationError
from corridor.graph.index import NodeIndex, build_csr
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.model.validate import parse_modes, plain_modes
from corridor.units import haversine_km

__all__ = ["Graph", "compile_graph", "link_time_h", "parse_modes"]

log = logging.getLogger(__name__)


def link_time_h(links: pd.DataFrame) -> FloatArray:
    """Free-flow travel time of each link, h (length_km / speed_kmh)."""
    return np.asarray(
        links["length_km"].to_numpy() / links["speed_kmh"].to_numpy(), dtype=np.float64
    )


@dataclass(frozen=True, eq=False, repr=False)
class Graph:
    """A compiled, directed CSR snapshot of a network.

    Attributes
    ----------
    node_ids
        External node id of each index, int64[n].
    indptr, heads, cost
        CSR arrays: arcs leaving node i are slots ``indptr[i]:indptr[i+1]``.
    tails
        Tail node index of each slot, int32[m].
    link_row
        Row of each slot's link in ``network.links``, int64[m].
    forward
        True where the slot runs a_node -> b_node, bool[m].
    lon_rad, lat_rad
        Node coordinates in radians, for A*.
    heuristic_scale
        Least cost per great-circle km over all slots, so that scale x distance is an
        admissible, consistent lower bound (0 if no such bound exists).
    modes, weight
        What the graph was compiled for.
    """

    node_ids: IntArray
    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    cost: FloatArray
    link_row: IntArray
    forward: BoolArray
    lon_rad: FloatArray
    lat_rad: FloatArray
    heuristic_scale: float
    modes: tuple[Mode, ...]
    weight: str

    def __repr__(self) -> str:
        modes = ",".join(m.value for m in self.modes)
        return f"<Graph {modes}/{self.weight}: {self.n_nodes} nodes, {self.n_arcs} arcs>"

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_ids.size)

    @property
    def n_arcs(self) -> int:
        """Number of directed arcs."""
        return int(self.heads.size)

    def index_of(self, ids: Sequence[int] | IntArray, *, role: str = "node") -> IntArray:
        """Map external node ids to indices.

        Raises
        ------
        UnknownNodeError
            Listing every id not in the graph.
        """
        return self.nodes.positions(ids, role=role)

    @cached_property
    def nodes(self) -> NodeIndex:
        """The id <-> index map of this graph's nodes."""
        return NodeIndex(self.node_ids)


def compile_graph(
    network: Network,
    *,
    modes: str | Mode | Iterable[str | Mode] | None = None,
    weight: str | FloatArray = "time_h",
) -> Graph:
    """Compile `network` into a CSR graph for a mode set and a cost.

    Pure: it computes a new graph on every call; :class:`corridor.paths.Router` keeps the
    graphs of a network for repeated queries.

    Parameters
    ----------
    network
        The network.
    modes
        Modes whose links are used; None or "any" for all. Only links that exist on the
        network's date are used (:meth:`Network.open_links`).
    weight
        "time_h" (length / speed), "length_km", another numeric links column, or a
        float64 array with one cost per links row (used in both directions).

    Raises
    ------
    ValidationError
        If the weight column is missing, the array has the wrong shape, or a used link
        has a negative or NaN cost; or a mode is unknown.
    """
    mode_set = plain_modes(modes)
    links = network.links
    if isinstance(weight, str):
        if weight == "time_h":
            w = link_time_h(links)
        elif weight in links.columns and pd.api.types.is_numeric_dtype(links[weight]):
            w = links[weight].to_numpy(dtype=np.float64)
        else:
            raise ValidationError(
                f"links.{weight}: no such numeric column to use as a cost"
                + (f" in {network.source}" if network.source else "")
            )
        name = weight
    else:
        w = np.asarray(weight, dtype=np.float64)
        if w.shape != (len(links),):
            raise ValidationError(f"cost array has shape {w.shape}; need ({len(links)},)")
        name = "custom"
    use = links["mode"].isin([m.value for m in mode_set]).to_numpy() & network.open_links()
    bad = use & ~(w >= 0)
    if bad.any():
        ids = links.loc[bad, "link_id"].tolist()[:5]
        raise SchemaError(
            [f"links.{name}: link ids {ids} have negative or NaN cost"], source=network.source
        )
    index = NodeIndex.of(network.nodes["node_id"].to_numpy(dtype=np.int64))
    node_ids = index.ids
    rows = np.flatnonzero(use)
    a = index.positions(links["a_node"].to_numpy()[rows])
    b = index.positions(links["b_node"].to_numpy()[rows])
    two = ~links["oneway"].to_numpy()[rows]
    csr = build_csr(np.concatenate([a, b[two]]), np.concatenate([b, a[two]]), node_ids.size)
    link_row = np.concatenate([rows, rows[two]]).astype(np.int64)[csr.order]
    forward = np.concatenate([np.ones(rows.size, bool), np.zeros(int(two.sum()), bool)])
    forward = forward[csr.order]
    indptr, tails, heads = csr.indptr, csr.tails, csr.heads
    cost = w[link_row]
    nodes = network.nodes.set_index("node_id").loc[node_ids]
    lon = nodes["lon"].to_numpy(dtype=np.float64)
    lat = nodes["lat"].to_numpy(dtype=np.float64)
    gc = haversine_km(lon[tails], lat[tails], lon[heads], lat[heads])
    moving = gc > 1e-6
    scale = float(np.min(cost[moving] / gc[moving])) if moving.any() else 0.0
    graph = Graph(
        node_ids=node_ids,
        indptr=indptr,
        heads=heads,
        tails=tails,
        cost=np.ascontiguousarray(cost),
        link_row=link_row,
        forward=forward,
        lon_rad=np.radians(lon),
        lat_rad=np.radians(lat),
        heuristic_scale=max(scale * (1.0 - 1e-9), 0.0),
        modes=mode_set,
        weight=name,
    )
    log.info("compiled %r", graph)
    return graph
