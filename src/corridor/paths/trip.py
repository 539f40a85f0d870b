"""Earliest-arrival trips for travellers on a public-transport timetable.

A :class:`Timetable` holds one service day's connections as arrays (built by
:func:`corridor.paths.timetable.build_timetable`); :func:`earliest_trip` answers a query with the
connection scan kernel :func:`corridor.kernels.csa.earliest_arrival` and returns a
:class:`Trip` with its legs (rides and walks).
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.errors import NoPathError, UnknownNodeError, ValidationError

__all__ = ["Timetable", "Trip", "TripLeg", "TripOptions", "earliest_trip"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class TripOptions:
    """How travellers change vehicles and walk.

    Parameters
    ----------
    min_transfer_s
        Least time to change vehicles at the same stop, s (a feed's ``transfers.txt``
        may raise it for a stop).
    walk_radius_m
        Stops at most this far apart (great circle) are joined by footpaths.
    walk_speed_kmh
        Walking speed for footpaths.
    """

    min_transfer_s: float = 0.0
    walk_radius_m: float = 250.0
    walk_speed_kmh: float = 4.5

    def __post_init__(self) -> None:
        if not (self.min_transfer_s >= 0 and self.walk_radius_m >= 0 and self.walk_speed_kmh > 0):
            raise ValidationError(
                "need min_transfer_s >= 0, walk_radius_m >= 0 and walk_speed_kmh > 0; got "
                f"{self.min_transfer_s}, {self.walk_radius_m}, {self.walk_speed_kmh}"
            )


@dataclass(frozen=True, eq=False, repr=False)
class Timetable:
    """The connections of one service day, as arrays.

    Times are seconds after midnight of `date` (trips of the day before that run past
    midnight have times below 0 + 24 h shifted back, those of the next day 86,400 more).

    Attributes
    ----------
    date
        The service day.
    stop_ids, stop_names
        GTFS ``stop_id`` and ``stop_name`` of each stop index.
    stop_lon, stop_lat
        Coordinates, degrees.
    station
        Parent station's ``stop_id`` of each stop ('' if none).
    dep_stop, arr_stop, dep_t, arr_t, trip, can_board, can_alight
        One entry per connection, sorted by (dep_t, arr_t).
    trip_ids, trip_routes, trip_headsigns
        Per trip index: GTFS trip id (with ``@YYYY-MM-DD`` for another service day or
        ``+HH:MM:SS`` for a frequency-based run), route name and headsign.
    fp_ptr, fp_to, fp_t
        Footpaths in CSR, durations in s.
    change_t
        Least change time at each stop, s.
    source
        The feed the timetable came from.
    """

    date: dt.date
    stop_ids: NDArray[Any]
    stop_names: NDArray[Any]
    stop_lon: FloatArray
    stop_lat: FloatArray
    station: NDArray[Any]
    dep_stop: Int32Array
    arr_stop: Int32Array
    dep_t: FloatArray
    arr_t: FloatArray
    trip: Int32Array
    can_board: BoolArray
    can_alight: BoolArray
    trip_ids: NDArray[Any]
    trip_routes: NDArray[Any]
    trip_headsigns: NDArray[Any]
    fp_ptr: IntArray
    fp_to: Int32Array
    fp_t: FloatArray
    change_t: FloatArray
    source: str = ""

    def __repr__(self) -> str:
        return (
            f"<Timetable {self.date}: {self.stop_ids.size} stops, {self.dep_t.size} connections, "
            f"{self.trip_ids.size} trips>"
        )

    @property
    def n_stops(self) -> int:
        """Number of stops."""
        return int(self.stop_ids.size)

    def stops_matching(self, text: str | int, *, role: str = "stop") -> IntArray:
        """Stop indices for a stop id, a parent station id or a stop name (case-insensitive).

        Raises
        ------
        UnknownNodeError
            If nothing matches; the message offers the closest names.
        """
        key = str(text).strip()
        hit = np.flatnonzero(self.stop_ids == key)
        if not hit.size:
            hit = np.flatnonzero(self.station == key)
        if not hit.size:
            lower = np.char.lower(self.stop_names.astype(str))
            hit = np.flatnonzero(lower == key.lower())
        if not hit.size:
            names = sorted(set(self.stop_names.astype(str).tolist()))
            close = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
            raise UnknownNodeError([key], role=f"{role} stop(s)", suggestions=close)
        # a station stands for its platforms too
        stations = set(self.stop_ids[hit].tolist()) | set(self.station[hit].tolist()) - {""}
        more = np.flatnonzero(np.isin(self.station, list(stations)))
        return np.unique(np.concatenate([hit, more])).astype(np.int64)


@dataclass(frozen=True, slots=True)
class TripLeg:
    """One ride on a vehicle or one walk.

    Attributes
    ----------
    kind
        "ride" or "walk".
    from_stop, to_stop
        GTFS stop ids; `from_name`, `to_name` their names.
    depart, arrive
        Local times.
    trip_id, route, headsign
        For rides (empty for walks).
    stops
        Stops passed on a ride, boarding and alighting stops included.
    coords
        (lon, lat) of the stops passed, in order, for maps.
    """

    kind: str
    from_stop: str
    to_stop: str
    from_name: str
    to_name: str
    depart: dt.datetime
    arrive: dt.datetime
    trip_id: str = ""
    route: str = ""
    headsign: str = ""
    stops: int = 0
    coords: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "from": self.from_name,
            "to": self.to_name,
            "from_stop": self.from_stop,
            "to_stop": self.to_stop,
            "depart": self.depart.isoformat(),
            "arrive": self.arrive.isoformat(),
            "trip_id": self.trip_id,
            "route": self.route,
            "headsign": self.headsign,
            "stops": self.stops,
        }


@dataclass(frozen=True, slots=True, repr=False)
class Trip:
    """An earliest-arrival journey.

    Attributes
    ----------
    origin, destination
        What was asked for.
    depart
        The requested departure time.
    arrive
        The earliest arrival.
    legs
        Rides and walks in order (empty if origin and destination share a stop).
    """

    origin: str
    destination: str
    depart: dt.datetime
    arrive: dt.datetime
    legs: tuple[TripLeg, ...]

    def __repr__(self) -> str:
        return (
            f"<Trip {self.origin} -> {self.destination}: depart {self.depart:%H:%M}, "
            f"arrive {self.arrive:%Y-%m-%d %H:%M}, {self.rides} rides>"
        )

    @property
    def duration_h(self) -> float:
        """Arrival minus requested departure, h."""
        return (self.arrive - self.depart).total_seconds() / 3600.0

    @property
    def rides(self) -> int:
        """Number of vehicles used."""
        return sum(1 for leg in self.legs if leg.kind == "ride")

    @property
    def transfers(self) -> int:
        """Changes of vehicle."""
        return max(self.rides - 1, 0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with totals and legs."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "depart": self.depart.isoformat(),
            "arrive": self.arrive.isoformat(),
            "totals": {
                "time_h": round(self.duration_h, 4),
                "rides": self.rides,
                "transfers": self.transfers,
            },
            "legs": [leg.to_dict() for leg in self.legs],
        }


def _when(date: dt.date, seconds: float) -> dt.datetime:
    return dt.datetime.combine(date, dt.time()) + dt.timedelta(seconds=float(seconds))


def earliest_trip(
    timetable: Timetable,
    origin: str | int,
    destination: str | int,
    *,
    depart: dt.datetime | dt.time | str,
) -> Trip:
    """The earliest-arriving journey from `origin` to `destination` leaving at `depart`.

    Parameters
    ----------
    timetable
        The service day's timetable.
    origin, destination
        Stop ids, parent station ids or stop names (every stop of a station or with that
        name counts).
    depart
        Departure time on the timetable's day: a time, a datetime of that day, or
        "HH:MM[:SS]" (hours may exceed 23).

    Returns
    -------
    Trip
        With the earliest arrival and the legs of one journey achieving it.

    Raises
    ------
    UnknownNodeError
        If a stop is not in the feed.
    NoPathError
        If the destination cannot be reached from this departure on.
    ValidationError
        If `depart` cannot be read.

    Notes
    -----
    Connection scan (see :mod:`corridor.kernels.csa` for the model of transfers and
    footpaths); O(connections) per query.
    """
    from corridor.kernels.csa import earliest_arrival

    start_s = _seconds(depart, timetable.date)
    src = timetable.stops_matching(origin, role="origin")
    dst = timetable.stops_matching(destination, role="destination")
    n = timetable.n_stops
    arr = np.empty(n)
    ready = np.empty(n)
    arr_conn = np.empty(n, np.int64)
    arr_from = np.empty(n, np.int64)
    ready_conn = np.empty(n, np.int64)
    ready_from = np.empty(n, np.int64)
    board = np.empty(timetable.trip_ids.size, np.int64)
    first = int(np.searchsorted(timetable.dep_t, start_s, side="left"))
    best = earliest_arrival(
        timetable.dep_stop,
        timetable.arr_stop,
        timetable.dep_t,
        timetable.arr_t,
        timetable.trip,
        timetable.can_board,
        timetable.can_alight,
        timetable.trip_ids.size,
        timetable.fp_ptr,
        timetable.fp_to,
        timetable.fp_t,
        timetable.change_t,
        src,
        start_s,
        first,
        dst,
        arr,
        ready,
        arr_conn,
        arr_from,
        ready_conn,
        ready_from,
        board,
    )
    if not np.isfinite(best):
        raise NoPathError(
            f"no trip from {origin} to {destination} leaving at or after "
            f"{_when(timetable.date, start_s):%Y-%m-%d %H:%M} on this timetable"
        )
    target = int(dst[np.argmin(arr[dst])])
    legs = _legs(timetable, target, arr_conn, arr_from, ready_conn, ready_from, board, start_s)
    return Trip(
        origin=str(origin),
        destination=str(destination),
        depart=_when(timetable.date, start_s),
        arrive=_when(timetable.date, float(arr[target])),
        legs=tuple(legs),
    )


def _seconds(depart: dt.datetime | dt.time | str, date: dt.date) -> float:
    if isinstance(depart, dt.datetime):
        return (depart - dt.datetime.combine(date, dt.time())).total_seconds()
    if isinstance(depart, dt.time):
        return float(depart.hour * 3600 + depart.minute * 60 + depart.second)
    parts = str(depart).strip().split(":")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        nums = []
    if len(nums) not in (2, 3) or not all(0 <= x < 60 for x in nums[1:]) or nums[0] < 0:
        raise ValidationError(f"departure time {depart!r}: use HH:MM or HH:MM:SS")
    return float(nums[0] * 3600 + nums[1] * 60 + (nums[2] if len(nums) == 3 else 0))


def _legs(
    tt: Timetable,
    target: int,
    arr_conn: IntArray,
    arr_from: IntArray,
    ready_conn: IntArray,
    ready_from: IntArray,
    board: IntArray,
    start_s: float,
) -> list[TripLeg]:
    """Follow the labels back from `target` (arr label first, then ready labels)."""
    legs: list[TripLeg] = []
    stop = target
    conn, walked_from = int(arr_conn[target]), int(arr_from[target])
    for _ in range(2 * tt.dep_t.size + 2):
        if walked_from >= 0:
            t_from = tt.arr_t[conn] if conn >= 0 else start_s
            walk_s = _walk_time(tt, walked_from, stop)
            legs.append(_walk_leg(tt, walked_from, stop, float(t_from), float(t_from + walk_s)))
            stop = walked_from
            if conn < 0:
                break
            walked_from = -1
            continue
        if conn < 0:
            break
        b = int(board[tt.trip[conn]])
        legs.append(_ride_leg(tt, b, conn))
        stop = int(tt.dep_stop[b])
        conn, walked_from = int(ready_conn[stop]), int(ready_from[stop])
    legs.reverse()
    return legs


def _walk_time(tt: Timetable, a: int, b: int) -> float:
    for k in range(tt.fp_ptr[a], tt.fp_ptr[a + 1]):
        if tt.fp_to[k] == b:
            return float(tt.fp_t[k])
    return 0.0


def _walk_leg(tt: Timetable, a: int, b: int, t0: float, t1: float) -> TripLeg:
    return TripLeg(
        kind="walk",
        from_stop=str(tt.stop_ids[a]),
        to_stop=str(tt.stop_ids[b]),
        from_name=str(tt.stop_names[a]),
        to_name=str(tt.stop_names[b]),
        depart=_when(tt.date, t0),
        arrive=_when(tt.date, t1),
        coords=(_xy(tt, a), _xy(tt, b)),
    )


def _xy(tt: Timetable, stop: int) -> tuple[float, float]:
    return float(tt.stop_lon[stop]), float(tt.stop_lat[stop])


def _ride_leg(tt: Timetable, b: int, c: int) -> TripLeg:
    a_stop, z_stop = int(tt.dep_stop[b]), int(tt.arr_stop[c])
    tr = int(tt.trip[c])
    same = np.flatnonzero(tt.trip == tr)
    ride = same[(tt.dep_t[same] >= tt.dep_t[b]) & (tt.arr_t[same] <= tt.arr_t[c])]
    ride = ride[np.argsort(tt.dep_t[ride], kind="stable")]
    passed = int(ride.size) + 1
    path = [int(tt.dep_stop[k]) for k in ride] + [z_stop]
    return TripLeg(
        kind="ride",
        from_stop=str(tt.stop_ids[a_stop]),
        to_stop=str(tt.stop_ids[z_stop]),
        from_name=str(tt.stop_names[a_stop]),
        to_name=str(tt.stop_names[z_stop]),
        depart=_when(tt.date, float(tt.dep_t[b])),
        arrive=_when(tt.date, float(tt.arr_t[c])),
        trip_id=str(tt.trip_ids[tr]),
        route=str(tt.trip_routes[tr]),
        headsign=str(tt.trip_headsigns[tr]),
        stops=passed,
        coords=tuple(_xy(tt, k) for k in path),
    )
