"""A checked GTFS feed: :func:`read_gtfs` reads a zip or folder into a :class:`Feed`.

Timetables for one service day, and trips on them, are built one layer up in
:mod:`corridor.paths.timetable`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.errors import DataSourceError

from .source import FeedSource, fail_rows, parse_dates
from .tables import (
    check_frequencies_budget,
    frequencies_table,
    routes_table,
    stop_times_table,
    stops_table,
    transfers_table,
    trips_table,
)

__all__ = ["Feed", "read_gtfs"]

log = logging.getLogger(__name__)

_REQUIRED: dict[str, tuple[str, ...]] = {
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id",),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "calendar.txt": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
    "transfers.txt": ("from_stop_id", "to_stop_id", "transfer_type"),
    "frequencies.txt": ("trip_id", "start_time", "end_time", "headway_secs"),
}
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, eq=False, repr=False)
class Feed:
    """A checked GTFS feed.

    Attributes
    ----------
    source
        The zip or folder.
    stops
        stop_id, stop_name, stop_lon, stop_lat, parent_station.
    routes
        route_id, route_name (short name, else long name), route_type.
    trips
        trip_id, route_id, service_id, headsign.
    stop_times
        trip (row in `trips`), stop (row in `stops`), arr_s, dep_s (seconds after the
        service day's midnight), pickup, dropoff (bool: allowed), sorted by trip and
        stop_sequence.
    calendar, calendar_dates
        As in the feed (dates parsed), possibly empty.
    transfers, frequencies
        As in the feed, possibly empty.

    ``_cache`` keeps what is derived from the feed, e.g. the last few timetables that
    :func:`corridor.paths.timetable.build_timetable` built; it never changes the tables.
    """

    source: str
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame
    calendar_dates: pd.DataFrame
    transfers: pd.DataFrame
    frequencies: pd.DataFrame
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        return (
            f"<Feed {Path(self.source).name}: {len(self.stops)} stops, {len(self.routes)} routes, "
            f"{len(self.trips)} trips, {len(self.stop_times)} stop times>"
        )

    def services_on(self, date: dt.date) -> set[str]:
        """Service ids running on `date` (calendar, then calendar_dates exceptions)."""
        active: set[str] = set()
        cal = self.calendar
        if len(cal):
            day = _DAYS[date.weekday()]
            run = (cal[day] == "1") & (cal["start_date"] <= date) & (cal["end_date"] >= date)
            active = set(cal.loc[run.to_numpy(), "service_id"])
        ex = self.calendar_dates
        if len(ex):
            today = ex[ex["date"] == date]
            active |= set(today.loc[today["exception_type"] == "1", "service_id"])
            active -= set(today.loc[today["exception_type"] == "2", "service_id"])
        return active


def read_gtfs(path: str | os.PathLike[str]) -> Feed:
    """Read and check a GTFS feed.

    Parameters
    ----------
    path
        A ``.zip`` feed or a folder of ``.txt`` files.

    Returns
    -------
    Feed

    Raises
    ------
    DataSourceError
        Naming the file and line: a missing required file or column, a malformed time
        (``25:61:00``) or date, an unknown stop, trip, route or service id, times running
        backwards within a trip, a trip with fewer than two stops, or an empty feed.
    """
    root = Path(path)
    if not root.exists():
        raise DataSourceError(root, "no such GTFS feed; give a .zip file or a folder")
    src = FeedSource(root)
    missing = [name for name in _REQUIRED if not src.has(name)]
    if not (src.has("calendar.txt") or src.has("calendar_dates.txt")):
        missing.append("calendar.txt or calendar_dates.txt")
    if missing:
        raise DataSourceError(root, f"is not a complete GTFS feed: missing {missing}")
    stops = src.read("stops.txt", _REQUIRED["stops.txt"])
    routes = src.read("routes.txt", _REQUIRED["routes.txt"])
    trips = src.read("trips.txt", _REQUIRED["trips.txt"])
    times = src.read("stop_times.txt", _REQUIRED["stop_times.txt"])
    opt = {
        name: src.read(name, cols) if src.has(name) else pd.DataFrame(columns=list(cols))
        for name, cols in _OPTIONAL.items()
    }
    if not len(times) or not len(trips) or not len(stops):
        empty = [
            n
            for n, f in (("stops.txt", stops), ("trips.txt", trips), ("stop_times.txt", times))
            if not len(f)
        ]
        raise DataSourceError(root, f"is an empty feed: {empty} hold no rows")
    stops_t = stops_table(src, stops)
    routes_t = routes_table(src, routes)
    trips_t = trips_table(src, trips, routes_t, opt["calendar.txt"], opt["calendar_dates.txt"])
    st = stop_times_table(src, times, stops_t, trips_t)
    cal = opt["calendar.txt"]
    if len(cal):
        cal = cal.assign(
            start_date=parse_dates(src, "calendar.txt", cal, "start_date"),
            end_date=parse_dates(src, "calendar.txt", cal, "end_date"),
        )
    cd = opt["calendar_dates.txt"]
    if len(cd):
        cd = cd.assign(date=parse_dates(src, "calendar_dates.txt", cd, "date"))
        fail_rows(
            src,
            "calendar_dates.txt",
            ~cd["exception_type"].isin(["1", "2"]).to_numpy(),
            "exception_type must be 1 (added) or 2 (removed)",
        )
    transfers = transfers_table(src, opt["transfers.txt"], stops_t)
    freqs = frequencies_table(src, opt["frequencies.txt"], trips_t)
    check_frequencies_budget(src, freqs, st)
    feed = Feed(
        source=str(root),
        stops=stops_t,
        routes=routes_t,
        trips=trips_t,
        stop_times=st,
        calendar=cal,
        calendar_dates=cd,
        transfers=transfers,
        frequencies=freqs,
    )
    log.info("read %r", feed)
    return feed
