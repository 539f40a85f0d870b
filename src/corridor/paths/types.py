"""The values a route search returns: legs, stops, the timeline, routes and route sets."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely

from corridor._typing import FloatArray, IntArray
from corridor.costs.profiles import Profile
from corridor.paths.html import route_sketch_svg, table_html

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "TIME_DOOR_TO_DOOR",
    "TIME_FREE_FLOW",
    "TIME_TRAVELLER",
    "DepartLike",
    "Leg",
    "ProfileLike",
    "Route",
    "RouteSet",
    "Stop",
    "Timeline",
    "time_definition",
]

ProfileLike = str | Path | Profile


#: Totals shown in a route's notebook summary (the rest are in :meth:`Route.totals`).
_SUMMARY = (
    "length_km",
    "time_h",
    "time_d",
    "cost_usd",
    "co2_kg",
    "driving_h",
    "breaks_h",
    "overnight_h",
    "waiting_h",
    "generalized_usd",
)


def _esc(text: str) -> str:
    import html

    return html.escape(text)


DepartLike = str | datetime | pd.Timestamp


def _num(value: float, digits: int) -> float | None:
    return None if math.isnan(value) else round(value, digits)


TIME_DOOR_TO_DOOR = "door to door: driving or riding, breaks, overnight rests, stops and waits"
TIME_TRAVELLER = (
    "door to door less overnight stops: driving or riding, breaks, stops and waits "
    "(overnight_h apart)"
)
TIME_FREE_FLOW = "free-flow link time"


def time_definition(with_profile: bool, excludes_overnight: bool) -> str:
    """The one definition behind a ``time_h``: route tables, skims and comparisons name it.

    Parameters
    ----------
    with_profile
        Whether the time comes from a profile's timeline.
    excludes_overnight
        Whether overnight stops are left out (travellers' profiles).
    """
    if not with_profile:
        return TIME_FREE_FLOW
    return TIME_TRAVELLER if excludes_overnight else TIME_DOOR_TO_DOOR


@dataclass(frozen=True, slots=True)
class Leg:
    """A run of consecutive links with the same mode, ref and name.

    ``time_h`` is the leg's time under the route's definition (see :attr:`Route.time_h`):
    its drive or move plus the drivers' breaks taken on it, and for freight also its
    daily and weekly rests. ``rest_h`` = ``breaks_h`` + ``overnight_h`` (breaks, and daily
    and weekly rests, taken during the leg). ``geometry`` is the leg's own polyline
    (WGS 84), from `from_node` to `to_node`.
    """

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
    geometry: shapely.LineString | None = field(default=None, compare=False)
    breaks_h: float = 0.0
    overnight_h: float = 0.0

    def coords(self) -> list[list[float]]:
        """The leg's polyline as [[lon, lat], ...] ([] without a geometry)."""
        if self.geometry is None:
            return []
        return [[float(x), float(y)] for x, y in shapely.get_coordinates(self.geometry)]

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
            "breaks_h": round(self.breaks_h, 4),
            "overnight_h": round(self.overnight_h, 4),
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
    formalities
        At a border crossing: the visa and documents it takes for the profile's vehicle
        (from the network's ``formalities`` table; "" where none are recorded).
    delay_p10_h, delay_p90_h
        10th and 90th percentiles of a crossing's delay (NaN where unknown).
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
    formalities: str = ""
    delay_p10_h: float = math.nan
    delay_p90_h: float = math.nan
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
            "formalities": self.formalities,
            "delay_p10_h": _num(self.delay_p10_h, 4),
            "delay_p90_h": _num(self.delay_p90_h, 4),
            "arrive": self.arrive,
        }


@dataclass(frozen=True, eq=False)
class Timeline:
    """The route as timeline events, for :mod:`corridor.kernels.timeline` (reliability).

    ``kind`` int8[E], ``dur_h`` float64[E], ``open_from_h``/``open_to_h`` float64[E];
    ``crossing`` int64[E] is the column of ``triangle`` (K x 3: P10, P50, P90 delay, h)
    of each crossing stop, -1 elsewhere; ``rules`` float64[8] are the drivers' rules and
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
    elapsed_h
        Door to door, h: every drive, move, stop, break and overnight rest (NaN without
        a profile). ``elapsed_h = driving_h + moving_h + breaks_h + overnight_h +
        waiting_h``.
    driving_h
        Road driving, h.
    moving_h
        Other movement (rail, ferry, terminal access links), h.
    breaks_h
        Drivers' short breaks (e.g. 45 min after 4.5 h), h.
    overnight_h
        Drivers' daily and weekly rests (overnight stops), h.
    waiting_h
        Stops: border queues and formalities, gauge changes, transfers, terminal handling
        and dwell, and waits for a stop to open, h.
    excludes_overnight
        True for travellers' profiles: :attr:`time_h` leaves out :attr:`overnight_h`.
    rest_h
        ``breaks_h + overnight_h``.
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
    driving_h: float = math.nan
    moving_h: float = math.nan
    breaks_h: float = math.nan
    overnight_h: float = math.nan
    waiting_h: float = math.nan
    excludes_overnight: bool = False

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
        """The headline time, h; :attr:`time_definition` says what it counts.

        With a freight profile: door to door (:attr:`elapsed_h`: driving, moves, breaks,
        daily and weekly rests, stops and waits). With a travellers' profile: the same
        without the overnight stops (``elapsed_h - overnight_h``), which are reported
        apart. Without a profile: free-flow link time.
        """
        if not math.isnan(self.elapsed_h):
            night = self.overnight_h if self.excludes_overnight else 0.0
            return float(self.elapsed_h - (0.0 if math.isnan(night) else night))
        return float(sum(leg.time_h for leg in self.legs))

    @property
    def time_definition(self) -> str:
        """What :attr:`time_h` counts, in the words table and report headers use."""
        return time_definition(self.profile is not None, self.excludes_overnight)

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
        elapsed_h (door to door, overnight stops included) and its split driving_h,
        moving_h, breaks_h, overnight_h and waiting_h, co2_ttw_kg, rest_h (breaks_h +
        overnight_h), stop_h and generalized_usd.
        """
        out: dict[str, float | None] = {
            "length_km": round(self.length_km, 3),
            "time_h": round(self.time_h, 4),
            "cost_usd": _num(self.cost_usd, 2),
            "co2_kg": _num(self.co2_kg, 3),
        }
        if self.profile is not None:
            out["time_d"] = round(self.time_h / 24.0, 3)
            out["elapsed_h"] = round(self.elapsed_h, 4)
            for name in ("driving_h", "moving_h", "breaks_h", "overnight_h", "waiting_h"):
                value = getattr(self, name)
                out[name] = None if math.isnan(value) else round(value, 4)
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
            "time_definition": self.time_definition,
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

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The legs as a GeoDataFrame (EPSG:4326), one LineString row per leg, in order.

        Columns: ``seq``, ``from``, ``to``, ``mode``, ``ref``, ``name``, ``start_km``,
        ``length_km``, ``time_h``, ``cost_usd``, ``co2_kg``, ``breaks_h``, ``overnight_h``,
        ``link_ids`` and ``geometry``. Stops are in :meth:`stops_frame`.
        """
        import geopandas as gpd

        table = pd.DataFrame([leg.to_dict() for leg in self.legs]).drop(
            columns=["rest_h"], errors="ignore"
        )
        table.insert(0, "seq", range(len(self.legs)))
        geometry = [
            leg.geometry if leg.geometry is not None else shapely.LineString() for leg in self.legs
        ]
        return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")

    def stops_frame(self) -> pd.DataFrame:
        """The stops (crossings, gauge changes, transfers, terminals) as a table, in order."""
        columns = [c for c in Stop.__dataclass_fields__ if c != "seq"]
        return pd.DataFrame([stop.to_dict() for stop in self.stops], columns=columns)

    def _repr_html_(self) -> str:
        totals = self.totals()
        head = (
            f"<b>{_esc(self.origin_name)} → {_esc(self.destination_name)}</b> "
            f"({_esc(self.profile or 'no profile')}, {_esc(self.optimize)}; "
            f"time: {_esc(self.time_definition)})"
        )
        shown = [k for k in _SUMMARY if totals.get(k) is not None]
        summary = table_html(shown, [[totals[k] for k in shown]])
        legs = table_html(
            ["from", "to", "mode", "ref", "km", "h", "US$"],
            [
                [
                    leg.from_name,
                    leg.to_name,
                    leg.mode,
                    leg.ref,
                    leg.length_km,
                    leg.time_h,
                    None if math.isnan(leg.cost_usd) else leg.cost_usd,
                ]
                for leg in self.legs
            ],
            caption=f"{len(self.legs)} legs",
        )
        stops = (
            table_html(
                ["stop", "kind", "at km", "h", "US$"],
                [[s.name, s.kind, s.at_km, s.time_h + s.wait_h, s.cost_usd] for s in self.stops],
                caption=f"{len(self.stops)} stops",
            )
            if self.stops
            else ""
        )
        coords = [(float(x), float(y)) for x, y in shapely.get_coordinates(self.geometry)]
        ends = (
            [(*coords[0], self.origin_name), (*coords[-1], self.destination_name)] if coords else []
        )
        sketch = route_sketch_svg([coords], ends)
        return (
            f"<div>{head}{summary}<div style='display:flex;gap:12px;align-items:flex-start'>"
            f"<div>{legs}{stops}</div>{sketch}</div></div>"
        )


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

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """One row per route (EPSG:4326): ``rank``, its totals, and its LineString."""
        import geopandas as gpd

        rows = []
        for rank, r in enumerate(self.routes):
            rows.append(
                {
                    "rank": rank,
                    "origin": r.origin_name,
                    "destination": r.destination_name,
                    "profile": r.profile,
                    **r.totals(),
                    "crossings": " / ".join(s.name for s in r.stops if s.kind == "border_crossing"),
                }
            )
        return gpd.GeoDataFrame(
            pd.DataFrame(rows), geometry=[r.geometry for r in self.routes], crs="EPSG:4326"
        )

    def _repr_html_(self) -> str:
        keys = ("length_km", "time_h", "cost_usd", "co2_kg")
        rows = []
        for rank, r in enumerate(self.routes):
            t = r.totals()
            crossings = " / ".join(s.name for s in r.stops if s.kind == "border_crossing")
            rows.append([rank + 1, *[t.get(k) for k in keys], crossings or "–"])
        palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
        colours = [palette[k % len(palette)] for k in range(len(rows))]
        table = table_html(["#", *keys, "crossings"], rows, caption=self.method, swatches=colours)
        lines = [
            [(float(x), float(y)) for x, y in shapely.get_coordinates(r.geometry)]
            for r in self.routes
        ]
        labels = []
        if self.routes and lines[0]:
            labels = [
                (*lines[0][0], self.routes[0].origin_name),
                (*lines[0][-1], self.routes[0].destination_name),
            ]
        sketch = route_sketch_svg(lines[::-1], labels, colours=colours[::-1] or ["#1f77b4"])
        return f"<div style='display:flex;gap:12px'>{table}{sketch}</div>"

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
