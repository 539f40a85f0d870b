"""The Router: the one owner of everything derived from a network, and its searches.

Compiled graphs, profile cost graphs, search graphs (plain or turn-expanded), the place
index and the labels of one network are built on first use and kept by its Router, in a
bounded least-recently-used store keyed by what they were built from. Scratch space for
the numba searches is per thread, so searches on one Router run concurrently (the
kernels release the GIL). :func:`router_for` finds the Router of a network by its
content hash, so equal networks share one and :func:`corridor.route` stays fast.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

import numpy as np

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.costs.formalities import barred_reasons, transit_arcs
from corridor.costs.graph import CostGraph, compile_cost_graph
from corridor.costs.profiles import Profile, load_profile
from corridor.costs.search import cost_arcs, profile_search
from corridor.errors import NoPathError, ValidationError
from corridor.graph.borders import country_map, domestic_arcs, open_to_domestic, trip_country
from corridor.graph.compile import Graph, compile_graph
from corridor.graph.search import SearchGraph, search_graph
from corridor.graph.turns import ArcGraph
from corridor.model.lookup import PlaceIndex
from corridor.model.network import Network
from corridor.model.resolution import Resolution
from corridor.model.schema import Mode
from corridor.model.validate import Optimize, parse_modes, parse_optimize, plain_modes
from corridor.paths.assemble import plain_route, profile_route, walked_cost
from corridor.paths.labels import Labels
from corridor.paths.types import DepartLike, ProfileLike, Route

__all__ = ["Router", "lookup_place", "router_for"]

log = logging.getLogger(__name__)

T = TypeVar("T")
ModesLike = str | Mode | Iterable[str | Mode] | None

WEIGHT = {Optimize.TIME: "time_h", Optimize.DISTANCE: "length_km"}
_ROUTERS_KEPT = 8  # networks whose Routers stay alive (a scenario comparison holds 2-4)
_RESOLVED_KEPT = 4096  # place names whose resolutions a Router keeps


class Router:
    """Finds routes on one network and owns everything derived from it.

    Parameters
    ----------
    network
        The network to route on.
    max_kept
        How many derived objects (graphs, cost graphs, search graphs, hierarchies) to
        keep; the least recently used go first.

    Notes
    -----
    Thread-safe: derived objects are built under a lock (once each), searches use
    per-thread scratch arrays and run in parallel.

    Examples
    --------
    >>> import corridor
    >>> r = Router(corridor.examples.toy())
    >>> r.route("A", "D", modes="road").legs[0].mode
    'road'
    """

    def __init__(self, network: Network, *, max_kept: int = 64) -> None:
        self.network = network
        self.max_kept = max_kept
        self._lock = threading.RLock()
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._local = threading.local()
        self._resolved: OrderedDict[tuple[str, str], Resolution] = OrderedDict()

    def __repr__(self) -> str:
        return f"<Router {self.network!r}: {len(self._kept)} derived objects kept>"

    # -- what the Router keeps ---------------------------------------------------------

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """The object derived under `key`, built by `make` on first use and kept."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                found: T = self._kept[key]
                return found
            value = make()
            self._kept[key] = value
            while len(self._kept) > self.max_kept:
                self._kept.popitem(last=False)
            return value

    @property
    def places(self) -> PlaceIndex:
        """The place-name index of the network, with the GeoNames gazetteer."""
        from corridor.data.gazetteer import load_gazetteer

        return self.kept(
            ("places",), lambda: PlaceIndex(self.network.nodes, gazetteer=load_gazetteer())
        )

    @property
    def countries(self) -> dict[int, str]:
        """Node id -> country for the domestic and transit rules ("" on crossings)."""
        return self.kept(("countries",), lambda: country_map(self.network.nodes))

    @property
    def open_crossings(self) -> frozenset[int]:
        """Crossing nodes a domestic trip may pass (EAEU borders without customs)."""
        return self.kept(("open-crossings",), lambda: open_to_domestic(self.network.formalities))

    @property
    def labels(self) -> Labels:
        """Names, refs and coordinates used to assemble routes."""
        return self.kept(("labels",), lambda: Labels.of(self.network))

    def graph(self, modes: ModesLike, weight: Optimize | str = "time_h") -> Graph:
        """The compiled graph for a mode set and a links column (or objective)."""
        mode_set = plain_modes(modes)
        column = WEIGHT.get(Optimize(weight), "") if weight in set(Optimize) else str(weight)
        if not column:
            raise ValidationError(
                f"optimize={weight!r} needs a profile; on the plain graph use time or distance"
            )
        return self.kept(
            ("graph", mode_set, column),
            lambda: compile_graph(self.network, modes=mode_set, weight=column),
        )

    def graph_search(self, graph: Graph, *, u_turns: bool = False) -> SearchGraph:
        """Where searches on a compiled graph run (it, or its expansion under turns)."""
        return self.kept(
            ("graph-search", graph.modes, graph.weight, u_turns),
            lambda: search_graph(
                ArcGraph.of(graph),
                self.network.turns[self.network.open_turns()],
                self.network.links,
                u_turns=u_turns,
            ),
        )

    def cost_graph(self, profile: ProfileLike, modes: ModesLike = "any") -> CostGraph:
        """The expanded cost graph for a profile, restricted to `modes` if not "any"."""
        prof = _narrow(load_profile(profile), parse_modes(modes))
        return self.kept(
            ("cost-graph", prof.model_dump_json()),
            lambda: compile_cost_graph(self.network, prof),
        )

    def search(self, cg: CostGraph) -> SearchGraph:
        """Where searches on a profile's cost graph run (it, or its turn expansion)."""
        return self.kept(
            ("profile-search", cg.profile.model_dump_json()),
            lambda: profile_search(self.network, cg),
        )

    def trip_searches(
        self, cg: CostGraph, origin_id: int, destination_id: int
    ) -> tuple[SearchGraph, ...]:
        """Where a profile's trip between two node ids is searched, in order of preference.

        A domestic trip (origin and destination in one country) is searched first on the
        arcs that stay in that country (:func:`corridor.graph.borders.domestic_arcs`);
        only if no domestic route exists, on the whole graph. Every trip is searched
        without the crossings that the profile may not use to enter a third country
        (:func:`corridor.costs.formalities.transit_arcs`). The first of these graphs that
        reaches the destination gives the trip's route; route, alternatives, Pareto sets
        and comparisons all take it from here.
        """
        key = cg.profile.model_dump_json()
        cmap = self.countries
        country = trip_country(cmap, origin_id, destination_id)
        origin = cmap.get(int(origin_id), "")
        ends = tuple(sorted({origin, cmap.get(int(destination_id), "")}))
        whole = self.search(cg)
        no_transit, barring = self.kept(("transit-rules", key), lambda: _rule_countries(cg))
        # the restricted graph depends only on which rules bite, so few are kept
        bite = (tuple(c for c in ends if c in no_transit), origin if origin in barring else "")
        if not no_transit and not barring:
            ruled = whole
        else:
            ruled = self.kept(
                ("transit-search", key, bite),
                lambda: _restrict(
                    whole,
                    transit_arcs(cg.enters_country, cg.transit_ok, cg.barred_origins, ends, origin),
                ),
            )
        if country is None:
            return (ruled,)
        home = self.kept(
            ("domestic-search", key, country),
            lambda: _restrict(
                whole,
                domestic_arcs(cost_arcs(cg), self.network.nodes, country, self.open_crossings),
            ),
        )
        return (home, ruled)

    def plain_searches(
        self,
        graph: Graph,
        sg: SearchGraph,
        origin_id: int,
        destination_id: int,
        *,
        u_turns: bool = False,
    ) -> tuple[SearchGraph, ...]:
        """As :meth:`trip_searches` for the link graph without a profile (domestic rule
        only: no profile, no transit rules)."""
        country = trip_country(self.countries, origin_id, destination_id)
        if country is None:
            return (sg,)
        home = self.kept(
            ("graph-domestic", graph.modes, graph.weight, u_turns, country),
            lambda: _restrict(
                sg, domestic_arcs(sg.base, self.network.nodes, country, self.open_crossings)
            ),
        )
        return (home, sg)

    def workspace(self, n: int) -> tuple[Any, ...]:
        """This thread's scratch arrays for one-to-one searches on `n` vertices."""
        from corridor.kernels.dijkstra import new_workspace

        spaces: dict[int, tuple[Any, ...]] | None = getattr(self._local, "spaces", None)
        if spaces is None:
            spaces = {}
            self._local.spaces = spaces
        ws = spaces.get(n)
        if ws is None:
            ws = new_workspace(n)
            spaces[n] = ws
        return ws

    # -- places --------------------------------------------------------------------------

    def lookup(self, place: str | int, role: str = "place") -> Resolution:
        """How a place name or id resolves: the node, the match kind, the other candidates.

        Every route, skim and service request resolves its places here, so the Python
        API, the CLI and the service give the same answer for the same text.

        Raises
        ------
        UnknownNodeError
            If nothing matches (with suggestions), the name is ambiguous with a town
            outside the network (AmbiguousPlaceError) or lies outside the network's
            coverage (OutsideCoverageError).
        """
        if not isinstance(place, str):
            return self.places.lookup(place, role=role)
        key = (place, role)
        with self._lock:
            found = self._resolved.get(key)
            if found is not None:
                self._resolved.move_to_end(key)
                return found
        found = self.places.lookup(place, role=role)
        with self._lock:
            self._resolved[key] = found
            while len(self._resolved) > _RESOLVED_KEPT:
                self._resolved.popitem(last=False)
        return found

    def resolve(self, place: str | int, role: str) -> int:
        """Node id of a place name or id (see :meth:`lookup`)."""
        return self.lookup(place, role).node_id

    def endpoints(self, origin: str | int, destination: str | int) -> tuple[int, int]:
        """Node ids of an origin and a destination given as ids or names."""
        return self.resolve(origin, "origin"), self.resolve(destination, "destination")

    # -- searches ------------------------------------------------------------------------

    def route(
        self,
        origin: str | int,
        destination: str | int,
        *,
        modes: ModesLike = "any",
        optimize: Optimize | str = Optimize.TIME,
        profile: ProfileLike | None = None,
        depart: DepartLike | None = None,
        u_turns: bool = False,
    ) -> Route:
        """The least-cost route; see :func:`corridor.route`."""
        goal = parse_optimize(optimize)
        o, d = self.endpoints(origin, destination)
        if profile is None:
            if goal not in WEIGHT:
                raise ValidationError(
                    f"optimize={goal.value!r} needs a profile (e.g. profile='truck40'); "
                    "without one, use time or distance"
                )
            if depart is not None:
                raise ValidationError("depart needs a profile (e.g. profile='truck40')")
            return self.plain(o, d, modes=modes, optimize=goal, u_turns=u_turns)
        return self.best(self.cost_graph(profile, modes), o, d, goal, depart=depart)

    def plain(
        self,
        origin_id: int,
        destination_id: int,
        *,
        modes: ModesLike,
        optimize: Optimize,
        u_turns: bool = False,
    ) -> Route:
        """Least free-flow time or distance route between node ids on the link graph,
        obeying the network's turn restrictions; a domestic trip stays in its country
        where it can (:meth:`plain_searches`)."""
        graph = self.graph(modes, optimize)
        s, t = (int(x) for x in graph.index_of([origin_id, destination_id]))
        whole = self.graph_search(graph, u_turns=u_turns)
        total, slots = np.inf, np.zeros(0, np.int64)
        for sg in self.plain_searches(graph, whole, origin_id, destination_id, u_turns=u_turns):
            total, slots = self._plain_search(graph, sg, s, t)
            if np.isfinite(total):
                break
        if not np.isfinite(total):
            names = "+".join(m.value for m in graph.modes)
            turns = " that obeys the turn restrictions" if whole.turns else ""
            raise NoPathError(
                f"no {names} path from {self.labels.name(origin_id)} to "
                f"{self.labels.name(destination_id)}{turns}"
            )
        return plain_route(
            self.labels, graph, s, np.asarray(slots, np.int64), optimize.value, float(total)
        )

    def _plain_search(
        self, graph: Graph, sg: SearchGraph, s: int, t: int
    ) -> tuple[float, IntArray]:
        from corridor.kernels.dijkstra import astar, dijkstra_to

        if s == t:
            total, slots = 0.0, np.zeros(0, np.int64)
        elif sg.is_plain:
            total, slots = astar(
                graph.indptr,
                graph.heads,
                graph.cost,
                s,
                t,
                graph.lon_rad,
                graph.lat_rad,
                graph.heuristic_scale,
                self.workspace(graph.n_nodes),
            )
        else:
            total, path = dijkstra_to(
                sg.indptr,
                sg.heads,
                sg.weight(graph.cost),
                sg.source(s),
                sg.sink(t),
                self.workspace(sg.n_vertices),
            )
            slots = sg.arcs(path)
        return float(total), np.asarray(slots, np.int64)

    def best(
        self,
        cg: CostGraph,
        origin_id: int,
        destination_id: int,
        goal: Optimize,
        *,
        depart: DepartLike | None = None,
    ) -> Route:
        """The least-`goal` route on a cost graph: the one rule behind every profile route.

        For time and generalised cost each hour of road driving is grossed up by the
        profile's long-run rest per driving hour; since that over-prices trips shorter
        than a day, the path found without the gross-up is also walked on the exact
        timeline and the better of the two kept. :func:`corridor.route`, the first of
        :func:`corridor.alternatives` and the routes behind a comparison all use this.
        """
        return self.best_path(cg, origin_id, destination_id, goal, depart=depart)[0]

    def best_path(
        self,
        cg: CostGraph,
        origin_id: int,
        destination_id: int,
        goal: Optimize,
        *,
        depart: DepartLike | None = None,
    ) -> tuple[Route, IntArray]:
        """:meth:`best` and the cost-graph arc slots of its path."""
        total, slots = self.cheapest(cg, origin_id, destination_id, cg.weight(goal.value))
        other = self.ungrossed(cg, origin_id, destination_id, goal)
        return self.pick(cg, goal, (total, slots), other, depart=depart)

    def pick(
        self,
        cg: CostGraph,
        goal: Optimize,
        grossed: tuple[float, IntArray],
        other: tuple[float, IntArray] | None,
        *,
        depart: DepartLike | None = None,
    ) -> tuple[Route, IntArray]:
        """Of the path found with the rest gross-up and the one found without (if any),
        the better walked on the timeline, as a Route with its slots."""
        total, slots = grossed
        if other is not None and not np.array_equal(slots, other[1]):
            kind = "time" if goal is Optimize.TIME else "generalized"
            first = walked_cost(cg, slots, goal=kind, depart=depart)
            second = walked_cost(cg, other[1], goal=kind, depart=depart)
            if second < first - 1e-9:
                total, slots = other
        found = self.profile_route(cg, slots, optimize=goal.value, cost=total, depart=depart)
        return found, slots

    def ungrossed(
        self, cg: CostGraph, origin_id: int, destination_id: int, goal: Optimize
    ) -> tuple[float, IntArray] | None:
        """The path without the drivers' rest gross-up, or None where it cannot differ."""
        weight = self.ungrossed_weight(cg, goal)
        if weight is None:
            return None
        return self.cheapest(cg, origin_id, destination_id, weight)

    @staticmethod
    def ungrossed_weight(cg: CostGraph, goal: Optimize) -> FloatArray | None:
        """Arc weights for `goal` without the rest gross-up (None if there is none)."""
        if goal not in (Optimize.TIME, Optimize.GENERALIZED) or cg.rest_per_driving_h <= 0:
            return None
        plain = cg.time_h
        if goal is Optimize.GENERALIZED:
            plain = cg.cost_usd + cg.profile.vot_usd_per_h * plain
        return np.asarray(plain, dtype=np.float64)

    def cheapest(
        self, cg: CostGraph, origin_id: int, destination_id: int, weight: FloatArray
    ) -> tuple[float, IntArray]:
        """Least-`weight` path between two node ids on a cost graph: (total, arc slots).

        Raises
        ------
        NoPathError
            If the destination cannot be reached under the profile.
        """
        from corridor.kernels.dijkstra import dijkstra_to

        for search in self.trip_searches(cg, origin_id, destination_id):
            src, dst = self.hubs(cg, search, origin_id, destination_id)
            total, path = dijkstra_to(
                search.indptr,
                search.heads,
                search.weight(weight),
                src,
                dst,
                self.workspace(search.n_vertices),
            )
            if np.isfinite(total):
                return float(total), search.arcs(path)
        turns = " that obeys the turn restrictions" if search.turns else ""
        raise NoPathError(
            f"no path from {self.labels.name(origin_id)} to "
            f"{self.labels.name(destination_id)} for profile {cg.profile.id!r} "
            f"(modes {'+'.join(cg.profile.modes)}){turns}"
            f"{self._barred(cg, origin_id, destination_id)}"
        )

    def reaching_search(self, cg: CostGraph, origin_id: int, destination_id: int) -> SearchGraph:
        """The first of :meth:`trip_searches` that reaches the destination (the last if
        none does)."""
        from corridor.kernels.dijkstra import dijkstra_to

        found = self.trip_searches(cg, origin_id, destination_id)
        for search in found[:-1]:
            src, dst = self.hubs(cg, search, origin_id, destination_id)
            total, _ = dijkstra_to(
                search.indptr,
                search.heads,
                search.weight(cg.length_km),
                src,
                dst,
                self.workspace(search.n_vertices),
            )
            if np.isfinite(total):
                return search
        return found[-1]

    def _barred(self, cg: CostGraph, origin_id: int, destination_id: int) -> str:
        """Why crossings are closed to the profile on this trip, for a no-path message."""
        cc = (self.countries.get(int(origin_id), ""), self.countries.get(int(destination_id), ""))
        ends = tuple(sorted(set(cc)))
        reasons = barred_reasons(self.network, cg.profile, origin=cc[0], ends=ends)
        return f"; closed to it: {reasons}" if reasons else ""

    @staticmethod
    def hubs(
        cg: CostGraph, search: SearchGraph, origin_id: int, destination_id: int
    ) -> tuple[int, int]:
        """Where a search from the origin to the destination starts and ends."""
        o, d = cg_positions(cg, [origin_id, destination_id])
        return search.source(cg.source_vertex(int(o))), search.sink(cg.sink_vertex(int(d)))

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
        return profile_route(self.labels, cg, slots, optimize=optimize, cost=cost, depart=depart)


def cg_positions(cg: CostGraph, ids: Iterable[int]) -> IntArray:
    """Node indices of node ids in a cost graph.

    Raises
    ------
    UnknownNodeError
        For ids not in the graph.
    """
    from corridor.graph.index import NodeIndex

    return NodeIndex(cg.node_ids).positions(list(ids))


def _rule_countries(cg: CostGraph) -> tuple[frozenset[str], frozenset[str]]:
    """Countries some crossing may not be entered to transit, and barred trip origins."""
    no_transit = frozenset(str(c) for c in cg.enters_country[~cg.transit_ok] if c)
    barring = frozenset(c for b in set(cg.barred_origins.tolist()) for c in str(b).split(";") if c)
    return no_transit, barring


def _restrict(search: SearchGraph, keep: BoolArray) -> SearchGraph:
    """`search` on the kept arcs only (itself when every arc is kept)."""
    return search if bool(np.all(keep)) else search.restricted(keep)


def _narrow(prof: Profile, mode_set: tuple[Mode, ...]) -> Profile:
    if set(mode_set) == set(Mode):
        return prof
    keep = tuple(m for m in prof.modes if m in {x.value for x in mode_set})
    if not keep:
        raise ValidationError(
            f"profile {prof.id!r} allows {list(prof.modes)}, none of the modes asked for"
        )
    return prof.model_copy(update={"modes": keep})


_registry_lock = threading.Lock()
_routers: OrderedDict[str, Router] = OrderedDict()


def lookup_place(network: Network, place: str | int, *, role: str = "place") -> Resolution:
    """How a place name (or node id) resolves on `network`.

    Parameters
    ----------
    network
        The network whose places are searched.
    place
        A name (``"Khorgos"``, ``"Brest, BY"``, ``"St Petersburg"``) or a node id.
    role
        What the place is used as, for messages ("origin", "destination").

    Returns
    -------
    Resolution
        The node chosen, how it matched (exact, alternate, qualified, fuzzy, id), every
        network place of that name and a one-line note when the answer needs saying.

    Raises
    ------
    UnknownNodeError
        If nothing matches; :class:`AmbiguousPlaceError` if a town outside the network
        bears the name too; :class:`OutsideCoverageError` if the place lies in a country
        the network does not cover.

    Examples
    --------
    >>> import corridor
    >>> corridor.lookup_place(corridor.examples.toy(), "a").node_id
    1
    """
    return router_for(network).lookup(place, role)


def router_for(network: Network) -> Router:
    """The Router of `network` (shared by networks of equal content).

    The last few networks' Routers are kept, keyed by :attr:`Network.content_hash`, so
    that repeated calls such as :func:`corridor.route` reuse compiled graphs; a network
    used no more is released once newer ones push it out.
    """
    key = network.content_hash
    with _registry_lock:
        found = _routers.get(key)
        if found is not None:
            _routers.move_to_end(key)
            return found
        made = Router(network)
        _routers[key] = made
        while len(_routers) > _ROUTERS_KEPT:
            _routers.popitem(last=False)
        return made
