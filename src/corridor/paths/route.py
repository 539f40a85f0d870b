"""Least-cost routes between two places: the `Route` value and the `Router` that finds it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import shapely

from corridor._typing import IntArray
from corridor.errors import NoPathError, ValidationError
from corridor.graph.compile import Graph, compile_graph, link_time_h, parse_modes
from corridor.model.lookup import PlaceIndex
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = ["Leg", "Optimize", "Route", "Router", "route"]

log = logging.getLogger(__name__)


class Optimize(StrEnum):
    """What a route minimises."""

    TIME = "time"
    DISTANCE = "distance"


_WEIGHT = {Optimize.TIME: "time_h", Optimize.DISTANCE: "length_km"}


@dataclass(frozen=True, slots=True)
class Leg:
    """A run of consecutive links with the same mode, ref and name."""

    link_ids: tuple[int, ...]
    from_node: int
    to_node: int
    from_name: str
    to_name: str
    mode: str
    ref: str
    name: str
    length_km: float
    time_h: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "from": self.from_name,
            "to": self.to_name,
            "from_node": self.from_node,
            "to_node": self.to_node,
            "mode": self.mode,
            "ref": self.ref,
            "name": self.name,
            "length_km": round(self.length_km, 3),
            "time_h": round(self.time_h, 4),
            "link_ids": list(self.link_ids),
        }


@dataclass(frozen=True, slots=True, repr=False)
class Route:
    """A least-cost route.

    Attributes
    ----------
    origin, destination
        Node ids.
    origin_name, destination_name
        Their names.
    node_ids
        Nodes passed, in order, origin and destination included.
    legs
        The route's legs, in order.
    optimize
        What was minimised.
    cost
        The minimised total (h for time, km for distance).
    geometry
        The route's polyline (WGS 84).
    """

    origin: int
    destination: int
    origin_name: str
    destination_name: str
    node_ids: tuple[int, ...]
    legs: tuple[Leg, ...]
    optimize: str
    cost: float
    geometry: shapely.LineString = field(compare=False)

    def __repr__(self) -> str:
        return (
            f"<Route {self.origin_name} -> {self.destination_name}: "
            f"{self.length_km:,.0f} km, {self.time_h:.1f} h, {len(self.legs)} legs>"
        )

    @property
    def length_km(self) -> float:
        """Total length, km."""
        return float(sum(leg.length_km for leg in self.legs))

    @property
    def time_h(self) -> float:
        """Total free-flow travel time, h."""
        return float(sum(leg.time_h for leg in self.legs))

    @property
    def link_ids(self) -> tuple[int, ...]:
        """Every link used, in order."""
        return tuple(i for leg in self.legs for i in leg.link_ids)

    def totals(self) -> dict[str, float]:
        """Totals: length_km, time_h."""
        return {"length_km": round(self.length_km, 3), "time_h": round(self.time_h, 4)}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with `totals`, `legs` and the geometry as GeoJSON."""
        return {
            "origin": {"node_id": self.origin, "name": self.origin_name},
            "destination": {"node_id": self.destination, "name": self.destination_name},
            "optimize": self.optimize,
            "totals": self.totals(),
            "legs": [leg.to_dict() for leg in self.legs],
            "node_ids": list(self.node_ids),
            "geometry": shapely.geometry.mapping(self.geometry),
        }


class Router:
    """Finds routes on one network, keeping its compiled graphs and name index.

    Parameters
    ----------
    network
        The network to route on.
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        self.places = PlaceIndex(network.nodes)
        self._workspaces: dict[int, tuple[Any, ...]] = {}
        self._names = network.nodes.set_index("node_id")["name"]

    def graph(self, modes: str | Iterable[str | Mode] | None, optimize: Optimize | str) -> Graph:
        """The compiled graph for a mode set and objective."""
        return compile_graph(self.network, modes=modes, weight=_WEIGHT[Optimize(optimize)])

    def shortest_slots(self, graph: Graph, source: int, target: int) -> tuple[float, IntArray]:
        """A* search between node indices; returns (cost, CSR slots)."""
        from corridor.kernels.dijkstra import astar, new_workspace

        ws = self._workspaces.get(graph.n_nodes)
        if ws is None:
            ws = new_workspace(graph.n_nodes)
            self._workspaces[graph.n_nodes] = ws
        total, slots = astar(
            graph.indptr,
            graph.heads,
            graph.cost,
            source,
            target,
            graph.lon_rad,
            graph.lat_rad,
            graph.heuristic_scale,
            ws,
        )
        return float(total), np.asarray(slots, dtype=np.int64)

    def route(
        self,
        origin: str | int,
        destination: str | int,
        *,
        modes: str | Iterable[str | Mode] | None = "any",
        optimize: Optimize | str = Optimize.TIME,
    ) -> Route:
        """The least-cost route; see :func:`route`."""
        try:
            goal = Optimize(str(optimize).lower())
        except ValueError:
            raise ValidationError(
                f"unknown objective {optimize!r}; use one of {[o.value for o in Optimize]}"
            ) from None
        o = self.places.resolve(origin, role="origin")
        d = self.places.resolve(destination, role="destination")
        mode_set = parse_modes(modes)
        graph = self.graph(mode_set, goal)
        s, t = graph.index_of([o, d])
        total, slots = self.shortest_slots(graph, int(s), int(t))
        if not np.isfinite(total):
            names = "+".join(m.value for m in mode_set)
            raise NoPathError(f"no {names} path from {self._names[o]} to {self._names[d]}")
        return self.build_route(graph, int(s), slots, goal.value, total)

    def build_route(
        self, graph: Graph, source: int, slots: IntArray, optimize: str, cost: float
    ) -> Route:
        """Assemble a Route from a path given as CSR slots from node index `source`."""
        links = self.network.links
        rows = graph.link_row[slots]
        fwd = graph.forward[slots]
        node_idx = np.concatenate([[source], graph.heads[slots]]).astype(np.int64)
        node_ids = graph.node_ids[node_idx]
        sub = links.iloc[rows]
        times = link_time_h(sub)
        lengths = sub["length_km"].to_numpy()
        group_cols = list(zip(sub["mode"], sub["ref"], sub["name"], strict=True))
        legs: list[Leg] = []
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or group_cols[i] != group_cols[start]:
                mode, ref, name = group_cols[start]
                a, b = int(node_ids[start]), int(node_ids[i])
                legs.append(
                    Leg(
                        link_ids=tuple(int(x) for x in sub["link_id"].to_numpy()[start:i]),
                        from_node=a,
                        to_node=b,
                        from_name=str(self._names[a]),
                        to_name=str(self._names[b]),
                        mode=str(mode),
                        ref=str(ref),
                        name=str(name),
                        length_km=float(lengths[start:i].sum()),
                        time_h=float(times[start:i].sum()),
                    )
                )
                start = i
        geometry = self._geometry(sub["geometry"].tolist(), fwd, node_ids)
        return Route(
            origin=int(node_ids[0]),
            destination=int(node_ids[-1]),
            origin_name=str(self._names[node_ids[0]]),
            destination_name=str(self._names[node_ids[-1]]),
            node_ids=tuple(int(x) for x in node_ids),
            legs=tuple(legs),
            optimize=optimize,
            cost=cost,
            geometry=geometry,
        )

    def _geometry(
        self, geoms: list[Any], forward: np.ndarray, node_ids: IntArray
    ) -> shapely.LineString:
        nodes = self._coords()
        parts: list[np.ndarray] = []
        for k, (geom, fwd) in enumerate(zip(geoms, forward, strict=True)):
            if geom is None:
                xy = np.array([nodes[node_ids[k]], nodes[node_ids[k + 1]]])
            else:
                xy = np.asarray(shapely.get_coordinates(geom))
                if not fwd:
                    xy = xy[::-1]
            parts.append(xy if not parts else xy[1:])
        if not parts:
            p = nodes[node_ids[0]]
            return shapely.LineString([p, p])
        return shapely.LineString(np.concatenate(parts))

    def _coords(self) -> dict[int, tuple[float, float]]:
        n = self.network.nodes
        return dict(
            zip(
                n["node_id"].tolist(),
                zip(n["lon"].tolist(), n["lat"].tolist(), strict=True),
                strict=True,
            )
        )


def route(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    modes: str | Iterable[str | Mode] | None = "any",
    optimize: Optimize | str = Optimize.TIME,
) -> Route:
    """Find the least-time or least-distance route between two places.

    Parameters
    ----------
    network
        The network; compiled graphs are cached on it.
    origin, destination
        Node ids or place names (case-insensitive; alternate names and common
        transliterations match; "Brest, BY" picks a country).
    modes
        "road", "rail", a list of modes, or "any".
    optimize
        "time" (free-flow h) or "distance" (km).

    Returns
    -------
    Route
        Legs, totals and geometry.

    Raises
    ------
    UnknownNodeError
        If a place is not found; the message lists the closest names.
    NoPathError
        If the destination cannot be reached with these modes.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> corridor.route(net, "A", "D").legs[0].mode
    'road'
    """
    router = network._cache.get("router")
    if not isinstance(router, Router):
        router = Router(network)
        network._cache["router"] = router
    return router.route(origin, destination, modes=modes, optimize=optimize)
