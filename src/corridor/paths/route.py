"""Least-cost routes between two places: the `Route` value and the `Router` that finds it.

Without a profile a route minimises free-flow time or distance on the plain link graph.
With a profile (:mod:`corridor.costs`) it runs on the profile's expanded cost graph, so
border crossings, gauge breaks, transfers and terminal handling are stops with their own
time and money, and it may minimise time, money, CO2 (well-to-wheel), generalised cost
(money + value of time x time) or distance. The chosen path is then walked on a timeline
(:mod:`corridor.kernels.timeline`) that adds drivers' breaks and rests and, given a
departure, waits for crossings' opening hours.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from corridor._typing import FloatArray, IntArray
from corridor.costs.graph import CostGraph, StopKind, compile_cost_graph
from corridor.costs.profiles import Profile, load_profile
from corridor.costs.search import ProfileSearch, profile_search
from corridor.errors import NoPathError, ValidationError
from corridor.graph.compile import Graph, compile_graph, link_time_h, parse_modes
from corridor.model.lookup import PlaceIndex
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = ["Leg", "Optimize", "Route", "RouteSet", "Router", "Stop", "Timeline", "route"]

log = logging.getLogger(__name__)

ProfileLike = str | Path | Profile
DepartLike = str | datetime | pd.Timestamp


class Optimize(StrEnum):
    """What a route minimises."""

    TIME = "time"
    DISTANCE = "distance"
    COST = "cost"
    CO2 = "co2"
    GENERALIZED = "generalized"


_WEIGHT = {Optimize.TIME: "time_h", Optimize.DISTANCE: "length_km"}
_STOP_NAMES = {
    StopKind.BORDER_CROSSING: "border_crossing",
    StopKind.GAUGE_CHANGE: "gauge_change",
    StopKind.TRANSFER: "transfer",
    StopKind.ORIGIN: "terminal",
    StopKind.DESTINATION: "terminal",
}


def _num(value: float, digits: int) -> float | None:
    return None if math.isnan(value) else round(value, digits)


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
    cost_usd: float = math.nan
    co2_kg: float = math.nan
    rest_h: float = 0.0
    start_km: float = 0.0
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (cost and CO2 are null for routes without a profile)."""
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
            "cost_usd": _num(self.cost_usd, 2),
            "co2_kg": _num(self.co2_kg, 3),
            "rest_h": round(self.rest_h, 4),
            "start_km": round(self.start_km, 3),
            "link_ids": list(self.link_ids),
        }


@dataclass(frozen=True, slots=True)
class Stop:
    """A stop with no distance: a border crossing, gauge change, transfer or terminal.

    Attributes
    ----------
    kind
        "border_crossing", "gauge_change", "transfer" or "terminal".
    node_id, name
        Where it happens.
    at_km
        Distance from the origin, km.
    time_h
        Delay or handling time, h (opening-hours waits excluded).
    cost_usd
        Fees and handling charges, US$.
    wait_h
        Extra wait for the stop to open, h (with a departure time only).
    detail
        Direction and countries, gauges, or terminal side.
    delay_min_h, delay_max_h
        Spread of a crossing's delay (NaN where unknown).
    arrive
        ISO time of arrival at the stop, when a departure was given.
    seq
        Position in the route's sequence of legs and stops.
    """

    kind: str
    node_id: int
    name: str
    at_km: float
    time_h: float
    cost_usd: float
    wait_h: float = 0.0
    detail: str = ""
    delay_min_h: float = math.nan
    delay_max_h: float = math.nan
    arrive: str | None = None
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "node_id": self.node_id,
            "name": self.name,
            "at_km": round(self.at_km, 3),
            "time_h": round(self.time_h, 4),
            "cost_usd": round(self.cost_usd, 2),
            "wait_h": round(self.wait_h, 4),
            "detail": self.detail,
            "delay_min_h": _num(self.delay_min_h, 4),
            "delay_max_h": _num(self.delay_max_h, 4),
            "arrive": self.arrive,
        }


@dataclass(frozen=True, eq=False)
class Timeline:
    """The route as timeline events, for :mod:`corridor.kernels.timeline` (reliability).

    ``kind`` int8[E], ``dur_h`` float64[E], ``open_from_h``/``open_to_h`` float64[E];
    ``crossing`` int64[E] is the column of ``triangle`` (K x 3: min, mode, max delay, h)
    of each crossing stop, -1 elsewhere; ``rules`` float64[6] are the drivers' rules and
    ``t0_h`` the departure's hour of day (0 without a departure).
    """

    kind: Any
    dur_h: FloatArray
    open_from_h: FloatArray
    open_to_h: FloatArray
    crossing: IntArray
    triangle: FloatArray
    rules: FloatArray
    use_rules: bool
    t0_h: float
    depart: pd.Timestamp | None


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
    stops: tuple[Stop, ...] = ()
    profile: str | None = None
    elapsed_h: float = math.nan
    cost_usd: float = math.nan
    co2_kg: float = math.nan
    co2_ttw_kg: float = math.nan
    rest_h: float = 0.0
    vot_usd_per_h: float = math.nan
    cargo_t: float = math.nan
    depart: str | None = None
    arrive: str | None = None
    timeline: Timeline | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        extra = "" if self.profile is None else f", ${self.cost_usd:,.0f} ({self.profile})"
        return (
            f"<Route {self.origin_name} -> {self.destination_name}: "
            f"{self.length_km:,.0f} km, {self.time_h:.1f} h, {len(self.legs)} legs{extra}>"
        )

    @property
    def length_km(self) -> float:
        """Total length, km."""
        return float(sum(leg.length_km for leg in self.legs))

    @property
    def time_h(self) -> float:
        """Total time, h: door to door with a profile (stops, breaks, rests and opening
        waits included), free-flow link time without one."""
        if not math.isnan(self.elapsed_h):
            return float(self.elapsed_h)
        return float(sum(leg.time_h for leg in self.legs))

    @property
    def generalized_usd(self) -> float:
        """Money + value of time x time, US$ (NaN without a profile)."""
        return float(self.cost_usd + self.vot_usd_per_h * self.time_h)

    @property
    def link_ids(self) -> tuple[int, ...]:
        """Every link used, in order."""
        return tuple(i for leg in self.legs for i in leg.link_ids)

    def totals(self) -> dict[str, float | None]:
        """Totals: length_km, time_h, cost_usd and co2_kg (well-to-wheel).

        Without a profile cost_usd and co2_kg are None. With one, also time_d,
        co2_ttw_kg, rest_h (drivers' breaks and rests), stop_h and generalized_usd.
        """
        out: dict[str, float | None] = {
            "length_km": round(self.length_km, 3),
            "time_h": round(self.time_h, 4),
            "cost_usd": _num(self.cost_usd, 2),
            "co2_kg": _num(self.co2_kg, 3),
        }
        if self.profile is not None:
            out["time_d"] = round(self.time_h / 24.0, 3)
            out["co2_ttw_kg"] = round(self.co2_ttw_kg, 3)
            out["rest_h"] = round(self.rest_h, 4)
            out["stop_h"] = round(sum(s.time_h + s.wait_h for s in self.stops), 4)
            out["generalized_usd"] = round(self.generalized_usd, 2)
            if not math.isnan(self.cargo_t):
                out["cargo_t"] = self.cargo_t
                out["cost_usd_per_t"] = round(self.cost_usd / self.cargo_t, 2)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with `totals`, `legs`, `stops` and the geometry as GeoJSON."""
        return {
            "origin": {"node_id": self.origin, "name": self.origin_name},
            "destination": {"node_id": self.destination, "name": self.destination_name},
            "optimize": self.optimize,
            "profile": self.profile,
            "depart": self.depart,
            "arrive": self.arrive,
            "totals": self.totals(),
            "legs": [leg.to_dict() for leg in self.legs],
            "stops": [stop.to_dict() for stop in self.stops],
            "node_ids": list(self.node_ids),
            "geometry": shapely.geometry.mapping(self.geometry),
        }

    def sequence(self) -> list[Leg | Stop]:
        """Legs and stops in travel order."""
        items: list[Leg | Stop] = [*self.legs, *self.stops]
        return sorted(items, key=lambda item: item.seq)


@dataclass(frozen=True, slots=True, repr=False)
class RouteSet:
    """Several routes between the same places: alternatives or a Pareto set.

    Attributes
    ----------
    routes
        The routes, best first for alternatives, by time for a Pareto set.
    method
        How they were found (a sentence, for reports).
    complete
        False if a search budget ran out (the set may miss routes).
    criteria, values
        For a Pareto set: the criteria and each route's searched values of them
        (``values[i][j]`` is criterion j of route i, as summed over its arcs).
    """

    routes: tuple[Route, ...]
    method: str
    complete: bool = True
    criteria: tuple[str, ...] = ()
    values: tuple[tuple[float, ...], ...] = ()

    def __repr__(self) -> str:
        return f"<RouteSet {len(self.routes)} routes: {self.method}>"

    def __len__(self) -> int:
        return len(self.routes)

    def __getitem__(self, i: int) -> Route:
        return self.routes[i]

    def to_dict(self) -> dict[str, Any]:
        """``{"routes": [...], "method": ..., "complete": ...}``, JSON-ready."""
        out: dict[str, Any] = {
            "routes": [r.to_dict() for r in self.routes],
            "method": self.method,
            "complete": self.complete,
        }
        if self.criteria:
            out["criteria"] = list(self.criteria)
            out["values"] = [[round(v, 6) for v in row] for row in self.values]
        return out


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
        self._nodes = network.nodes.set_index("node_id")
        # display names: unnamed junctions (common in OSM imports) show as "node <id>"
        self._names = pd.Series(
            [
                str(name) if isinstance(name, str) and name.strip() else f"node {node}"
                for node, name in zip(self._nodes.index, self._nodes["name"], strict=True)
            ],
            index=self._nodes.index,
        )
        # plain lists for per-link reads while assembling routes (pandas cell access is slow)
        self._refs: list[str] = [str(x) for x in network.links["ref"].tolist()]
        self._link_names: list[str] = [str(x) for x in network.links["name"].tolist()]
        self._resolved: dict[tuple[str | int, str], int] = {}

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

    def cost_graph(
        self, profile: ProfileLike, modes: str | Iterable[str | Mode] | None = "any"
    ) -> CostGraph:
        """The expanded cost graph for a profile, restricted to `modes` if not "any"."""
        prof = load_profile(profile)
        mode_set = parse_modes(modes)
        if set(mode_set) != set(Mode):
            keep = tuple(m for m in prof.modes if m in {x.value for x in mode_set})
            if not keep:
                raise ValidationError(
                    f"profile {prof.id!r} allows {list(prof.modes)}, none of the modes asked for"
                )
            prof = prof.model_copy(update={"modes": keep})
        return compile_cost_graph(self.network, prof)

    def endpoints(self, origin: str | int, destination: str | int) -> tuple[int, int]:
        """Node ids of an origin and a destination given as ids or names."""
        return self.resolve(origin, "origin"), self.resolve(destination, "destination")

    def resolve(self, place: str | int, role: str) -> int:
        """Node id of a place name or id (memoised: the network never changes)."""
        key = (place, role)
        found = self._resolved.get(key)
        if found is None:
            found = self.places.resolve(place, role=role)
            self._resolved[key] = found
        return found

    def route(
        self,
        origin: str | int,
        destination: str | int,
        *,
        modes: str | Iterable[str | Mode] | None = "any",
        optimize: Optimize | str = Optimize.TIME,
        profile: ProfileLike | None = None,
        depart: DepartLike | None = None,
    ) -> Route:
        """The least-cost route; see :func:`route`."""
        goal = parse_optimize(optimize)
        o, d = self.endpoints(origin, destination)
        if profile is None:
            if goal not in _WEIGHT:
                raise ValidationError(
                    f"optimize={goal.value!r} needs a profile (e.g. profile='truck40'); "
                    "without one, use time or distance"
                )
            if depart is not None:
                raise ValidationError("depart needs a profile (e.g. profile='truck40')")
            mode_set = parse_modes(modes)
            if len(self.network.turns):
                # the edge-based search that obeys turn restrictions (and the data's bans on
                # changing mode anywhere but at a terminal); same costs where nothing is banned
                from corridor.paths.turns import route_restricted

                return route_restricted(self.network, o, d, modes=mode_set, optimize=goal)
            graph = self.graph(mode_set, goal)
            s, t = graph.index_of([o, d])
            total, slots = self.shortest_slots(graph, int(s), int(t))
            if not np.isfinite(total):
                names = "+".join(m.value for m in mode_set)
                raise NoPathError(f"no {names} path from {self._names[o]} to {self._names[d]}")
            return self.build_route(graph, int(s), slots, goal.value, total)
        cg = self.cost_graph(profile, modes)
        total, slots = self.cheapest(cg, o, d, cg.weight(goal.value))
        best = self.profile_route(cg, slots, optimize=goal.value, cost=total, depart=depart)
        if goal in (Optimize.TIME, Optimize.GENERALIZED) and cg.rest_per_driving_h > 0:
            # the gross-up for drivers' rest over-prices short trips (a day's driving needs
            # no daily rest): also try the path found without it, keep the better one as
            # walked on the exact timeline
            plain = cg.time_h
            if goal is Optimize.GENERALIZED:
                plain = cg.cost_usd + cg.profile.vot_usd_per_h * plain
            total2, slots2 = self.cheapest(cg, o, d, plain)
            if not np.array_equal(slots, slots2):
                other = self.profile_route(
                    cg, slots2, optimize=goal.value, cost=total2, depart=depart
                )
                metric = (lambda r: r.time_h) if goal is Optimize.TIME else _generalized
                if metric(other) < metric(best) - 1e-9:
                    best = other
        return best

    def cheapest(
        self, cg: CostGraph, origin_id: int, destination_id: int, weight: FloatArray
    ) -> tuple[float, IntArray]:
        """Least-`weight` path between two node ids on a cost graph: (total, arc slots).

        Raises
        ------
        NoPathError
            If the destination cannot be reached under the profile.
        """
        from corridor.kernels.dijkstra import dijkstra_to, new_workspace

        search = self.search(cg)
        src, dst = self.hubs(search, origin_id, destination_id)
        key = -search.n_vertices
        ws = self._workspaces.get(key)
        if ws is None:
            ws = new_workspace(search.n_vertices)
            self._workspaces[key] = ws
        total, path = dijkstra_to(search.indptr, search.heads, search.weight(weight), src, dst, ws)
        if not np.isfinite(total):
            turns = " that obeys the turn restrictions" if search.turns else ""
            raise NoPathError(
                f"no path from {self._names[origin_id]} to {self._names[destination_id]} "
                f"for profile {cg.profile.id!r} (modes {'+'.join(cg.profile.modes)}){turns}"
            )
        return float(total), search.arcs(path)

    def search(self, cg: CostGraph) -> ProfileSearch:
        """Where searches with a cost graph run (the graph, or its turn expansion)."""
        return profile_search(self.network, cg)

    def hubs(self, search: ProfileSearch, origin_id: int, destination_id: int) -> tuple[int, int]:
        """Where a search from the origin to the destination starts and ends."""
        idx = np.searchsorted(search.graph.node_ids, [origin_id, destination_id])
        return search.source(int(idx[0])), search.sink(int(idx[1]))

    def profile_route(
        self,
        cg: CostGraph,
        slots: IntArray,
        *,
        optimize: str,
        cost: float,
        depart: DepartLike | None = None,
    ) -> Route:
        """Assemble a Route, with its stops and timeline, from arc slots of a cost graph."""
        return _assemble(self, cg, slots, optimize=optimize, cost=cost, depart=depart)

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
    profile: ProfileLike | None = None,
    depart: DepartLike | None = None,
) -> Route:
    """Find the least-cost route between two places, optionally for a vehicle profile.

    Parameters
    ----------
    network
        The network; compiled graphs are cached on it.
    origin, destination
        Node ids or place names (case-insensitive; alternate names and common
        transliterations match; "Brest, BY" picks a country).
    modes
        "road", "rail", a list of modes, or "any" (with a profile: the profile's modes,
        narrowed to these).
    optimize
        "time" (h) or "distance" (km); with a profile also "cost" (US$), "co2" (kg,
        well-to-wheel) or "generalized" (US$ + value of time x h).
    profile
        A built-in profile id (truck20, truck40, container20, container40, grain-wagon,
        car, bus, train), a YAML profile file, or a Profile. Without one, links cost their
        free-flow time or length only.
    depart
        Departure time (ISO string or datetime, in the clock crossings' opening hours
        use); gives arrival times and respects opening hours where the network has them
        (``open_from_h``/``open_to_h`` columns of the crossings table; else open 24 h).

    Returns
    -------
    Route
        Legs, stops, totals and geometry.

    Raises
    ------
    UnknownNodeError
        If a place is not found; the message lists the closest names.
    NoPathError
        If the destination cannot be reached with these modes.
    ValidationError
        For an unknown or invalid profile, or an objective that needs a profile.

    Notes
    -----
    The search minimises additive arc costs of the expanded cost graph (line-haul plus
    stops). For time (and generalised cost) each hour of road driving is grossed up by the
    profile's long-run rest per driving hour (1.31 h for 9 h/day with an 11 h rest and a
    45 min break), so that a long road haul is not preferred for ignoring the drivers'
    hours; since that over-prices trips shorter than a day, the path found without the
    gross-up is also walked and the better of the two kept. The reported `time_h` comes
    from walking the chosen path on the exact timeline (breaks and rests where the rules
    put them, opening-hours waits) and may differ from the searched value `Route.cost`.

    Examples
    --------
    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> corridor.route(net, "A", "D").legs[0].mode
    'road'
    """
    router = get_router(network)
    return router.route(
        origin, destination, modes=modes, optimize=optimize, profile=profile, depart=depart
    )


def get_router(network: Network) -> Router:
    """The Router cached on `network`."""
    router = network._cache.get("router")
    if not isinstance(router, Router):
        router = Router(network)
        network._cache["router"] = router
    return router


def parse_optimize(optimize: Optimize | str) -> Optimize:
    """Normalise an objective name.

    Raises
    ------
    ValidationError
        If it is not one of time, distance, cost, co2, generalized.
    """
    text = str(optimize).lower()
    text = {"generalised": "generalized", "gc": "generalized"}.get(text, text)
    try:
        return Optimize(text)
    except ValueError:
        raise ValidationError(
            f"unknown objective {optimize!r}; use one of {[o.value for o in Optimize]}"
        ) from None


def parse_depart(depart: DepartLike | None) -> pd.Timestamp | None:
    """A departure as a Timestamp (None stays None).

    Raises
    ------
    ValidationError
        If it cannot be read as a date and time.
    """
    if depart is None:
        return None
    try:
        return pd.Timestamp(depart)
    except (ValueError, TypeError):
        raise ValidationError(
            f"cannot read departure {depart!r}; use ISO format, e.g. 2026-12-01T08:00"
        ) from None


def _triangle(mode_h: float, low: float, high: float) -> tuple[float, float, float]:
    lo = mode_h if math.isnan(low) else min(low, mode_h)
    hi = mode_h if math.isnan(high) else max(high, mode_h)
    return lo, mode_h, hi


def _assemble(
    router: Router,
    cg: CostGraph,
    slots: IntArray,
    *,
    optimize: str,
    cost: float,
    depart: DepartLike | None,
) -> Route:
    """Legs, stops, timeline and totals of a path on a cost graph (one pass over its arcs)."""
    from corridor.kernels.timeline import DRIVE, MOVE, WAIT, simulate

    prof = cg.profile
    when = parse_depart(depart)
    net = router.network
    names = router._names
    links = net.links
    node_of = cg.node_ids[cg.vertex_node]
    tail_node = node_of[cg.tails[slots]]
    head_node = node_of[cg.heads[slots]]
    length = cg.length_km[slots]
    move = cg.move_h[slots]
    kind = cg.stop_kind[slots]
    stop_h = cg.stop_h[slots]
    stop_usd = cg.stop_usd[slots]
    lrow = cg.link_row[slots]

    # events: (arc position, is_stop)
    ev_arc: list[int] = []
    ev_stop: list[bool] = []
    ev_kind: list[int] = []
    ev_dur: list[float] = []
    ev_col: list[int] = []
    ev_open: list[tuple[float, float]] = []
    triangle: list[tuple[float, float, float]] = []
    for i, e in enumerate(slots.tolist()):
        if length[i] > 0.0 or move[i] > 0.0:
            ev_arc.append(i)
            ev_stop.append(False)
            ev_kind.append(DRIVE if cg.driving[e] else MOVE)
            ev_dur.append(float(move[i]))
            ev_col.append(-1)
            ev_open.append((math.nan, math.nan))
        k = int(kind[i])
        crossing = k == StopKind.BORDER_CROSSING
        if k != StopKind.NONE and (crossing or stop_h[i] > 0.0 or stop_usd[i] > 0.0):
            ev_arc.append(i)
            ev_stop.append(True)
            ev_kind.append(WAIT)
            ev_dur.append(float(stop_h[i]))
            if crossing:
                ev_col.append(len(triangle))
                triangle.append(_triangle(float(stop_h[i]), cg.delay_min_h[e], cg.delay_max_h[e]))
            else:
                ev_col.append(-1)
            if when is None:
                ev_open.append((math.nan, math.nan))
            else:
                ev_open.append((float(cg.open_from_h[e]), float(cg.open_to_h[e])))
    rules = np.zeros(6)
    if prof.drivers is not None:
        dr = prof.drivers
        rules[:] = (
            dr.max_driving_h_per_day,
            dr.break_after_h,
            dr.break_h,
            dr.daily_rest_h,
            dr.weekly_rest_h,
            dr.weekly_rest_within_h,
        )
    t0 = 0.0 if when is None else when.hour + when.minute / 60.0 + when.second / 3600.0
    tri = np.array(triangle, dtype=np.float64).reshape(-1, 3)
    opens = np.array(ev_open, dtype=np.float64).reshape(-1, 2)
    timeline = Timeline(
        kind=np.array(ev_kind, dtype=np.int8),
        dur_h=np.array(ev_dur, dtype=np.float64),
        open_from_h=np.ascontiguousarray(opens[:, 0]),
        open_to_h=np.ascontiguousarray(opens[:, 1]),
        crossing=np.array(ev_col, dtype=np.int64),
        triangle=tri,
        rules=rules,
        use_rules=prof.drivers is not None,
        t0_h=t0,
        depart=when,
    )
    samples = tri[:, 1].reshape(1, -1) if tri.size else np.zeros((1, 1))
    ends = np.zeros((1, len(ev_arc)))
    rest, _ = simulate(
        timeline.kind,
        timeline.dur_h,
        timeline.crossing,
        timeline.open_from_h,
        timeline.open_to_h,
        np.ascontiguousarray(samples),
        t0,
        rules,
        timeline.use_rules,
        ends,
    )
    end = ends[0]

    def at(hours: float) -> str | None:
        if when is None:
            return None
        return (when + pd.Timedelta(hours=hours)).round("s").isoformat()

    legs: list[Leg] = []
    stops: list[Stop] = []
    km = 0.0
    seq = 0
    n_ev = len(ev_arc)
    j = 0
    crossings = net.crossings
    while j < n_ev:
        i = ev_arc[j]
        start_h = float(end[j - 1]) if j > 0 else 0.0
        if ev_stop[j]:
            stops.append(
                _stop(router, cg, slots, i, tail_node, head_node, crossings)(
                    at_km=km,
                    wait_h=_clean(float(end[j]) - start_h - float(stop_h[i])),
                    arrive=at(start_h),
                    seq=seq,
                )
            )
            seq += 1
            j += 1
            continue
        row = int(lrow[i])
        group = _leg_key(router, row, cg.mode[slots[i]])
        first = j
        while (
            j + 1 < n_ev
            and not ev_stop[j + 1]
            and _leg_key(router, int(lrow[ev_arc[j + 1]]), cg.mode[slots[ev_arc[j + 1]]]) == group
        ):
            j += 1
        arcs = np.array([ev_arc[x] for x in range(first, j + 1)], dtype=np.int64)
        leg_km = float(length[arcs].sum())
        leg_h = float(end[j]) - start_h
        legs.append(
            Leg(
                link_ids=tuple(int(x) for x in links["link_id"].to_numpy()[lrow[arcs]] if x >= 0),
                from_node=int(tail_node[arcs[0]]),
                to_node=int(head_node[arcs[-1]]),
                from_name=str(names[tail_node[arcs[0]]]),
                to_name=str(names[head_node[arcs[-1]]]),
                mode=group[0],
                ref=group[1],
                name=group[2],
                length_km=leg_km,
                time_h=leg_h,
                cost_usd=float(cg.line_usd[slots[arcs]].sum()),
                co2_kg=float(cg.co2_kg[slots[arcs]].sum()),
                rest_h=_clean(leg_h - float(move[arcs].sum())),
                start_km=km,
                seq=seq,
            )
        )
        km += leg_km
        seq += 1
        j += 1
    path_nodes = np.concatenate([[tail_node[0]], head_node]) if slots.size else tail_node
    keep = np.ones(path_nodes.size, bool)
    keep[1:] = path_nodes[1:] != path_nodes[:-1]
    node_ids = tuple(int(x) for x in path_nodes[keep])
    is_link = lrow >= 0
    geometry = _path_geometry(
        router,
        links,
        lrow[is_link],
        cg.forward[slots][is_link],
        tail_node[is_link],
        head_node[is_link],
        node_ids[0],
    )
    elapsed = float(end[-1]) if n_ev else 0.0
    return Route(
        origin=node_ids[0],
        destination=node_ids[-1],
        origin_name=str(names[node_ids[0]]),
        destination_name=str(names[node_ids[-1]]),
        node_ids=node_ids,
        legs=tuple(legs),
        optimize=optimize,
        cost=cost,
        geometry=geometry,
        stops=tuple(stops),
        profile=prof.id,
        elapsed_h=elapsed,
        cost_usd=float(cg.line_usd[slots].sum() + stop_usd.sum()),
        co2_kg=float(cg.co2_kg[slots].sum()),
        co2_ttw_kg=float(cg.co2_ttw_kg[slots].sum()),
        rest_h=float(rest[0]),
        vot_usd_per_h=prof.vot_usd_per_h,
        cargo_t=prof.cargo_t,
        depart=None if when is None else when.isoformat(),
        arrive=at(elapsed),
        timeline=timeline,
    )


def _generalized(r: Route) -> float:
    return r.generalized_usd


def _clean(hours: float) -> float:
    """Zero for float noise and negatives."""
    return hours if hours > 1e-9 else 0.0


def _leg_key(router: Router, row: int, mode: str) -> tuple[str, str, str]:
    if row < 0:
        return (str(mode), "", "")
    return (str(mode), router._refs[row], router._link_names[row])


class _StopFactory:
    """Builds a Stop once the timeline-dependent fields are known."""

    def __init__(self, **fields: Any) -> None:
        self.fields = fields

    def __call__(self, **more: Any) -> Stop:
        return Stop(**self.fields, **more)


def _stop(
    router: Router,
    cg: CostGraph,
    slots: IntArray,
    i: int,
    tail_node: IntArray,
    head_node: IntArray,
    crossings: pd.DataFrame,
) -> _StopFactory:
    e = int(slots[i])
    k = StopKind(int(cg.stop_kind[e]))
    node = int(tail_node[i]) if k == StopKind.ORIGIN else int(head_node[i])
    nodes = router._nodes
    detail = ""
    if k == StopKind.BORDER_CROSSING:
        row = int(cg.crossing_row[e])
        info = nodes.loc[node]
        if row >= 0:
            direction = str(crossings["direction"].iat[row])
            pair = (info["country_a"], info["country_b"])
            if direction == "b_to_a":
                pair = pair[::-1]
            detail = f"{cg.mode[e]} {direction} {pair[0]}->{pair[1]}"
        else:
            detail = f"{cg.mode[e]}: no figure in the network, profile fallback"
    elif k == StopKind.GAUGE_CHANGE:
        g_from = cg.vertex_gauge_mm[cg.tails[e]]
        g_to = cg.vertex_gauge_mm[cg.heads[e]]
        detail = f"{g_from:.0f} -> {g_to:.0f} mm"
    elif k == StopKind.TRANSFER:
        ports = {0: "road", 1: "rail", 2: "terminal"}
        detail = (
            f"{ports.get(int(cg.vertex_port[cg.tails[e]]), '?')} -> "
            f"{ports.get(int(cg.vertex_port[cg.heads[e]]), '?')}"
        )
    else:
        side = "origin" if k == StopKind.ORIGIN else "destination"
        vertex = cg.heads[e] if k == StopKind.ORIGIN else cg.tails[e]
        port = {0: "road", 1: "rail", 2: "terminal"}.get(int(cg.vertex_port[vertex]), "?")
        detail = f"{side} ({port})"
    return _StopFactory(
        kind=_STOP_NAMES[k],
        node_id=node,
        name=str(router._names[node]),
        time_h=float(cg.stop_h[e]),
        cost_usd=float(cg.stop_usd[e]),
        detail=detail,
        delay_min_h=float(cg.delay_min_h[e]),
        delay_max_h=float(cg.delay_max_h[e]),
    )


def _path_geometry(
    router: Router,
    links: pd.DataFrame,
    rows: IntArray,
    forward: np.ndarray,
    tails: IntArray,
    heads: IntArray,
    origin: int,
) -> shapely.LineString:
    coords = router._coords()
    parts: list[np.ndarray] = []
    geoms = links["geometry"].to_numpy()
    for k in range(rows.size):
        geom = geoms[rows[k]]
        if geom is None:
            xy = np.array([coords[int(tails[k])], coords[int(heads[k])]])
        else:
            xy = np.asarray(shapely.get_coordinates(geom))
            if not forward[k]:
                xy = xy[::-1]
        parts.append(xy if not parts else xy[1:])
    if not parts:
        p = coords[origin]
        return shapely.LineString([p, p])
    return shapely.LineString(np.concatenate(parts))
