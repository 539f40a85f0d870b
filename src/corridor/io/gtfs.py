"""GTFS feeds (zip or folder) -> a :class:`Feed` of checked tables -> one day's :class:`Timetable`.

Read: ``stops.txt``, ``routes.txt``, ``trips.txt``, ``stop_times.txt`` (required),
``calendar.txt`` and/or ``calendar_dates.txt`` (at least one), and optionally
``transfers.txt`` and ``frequencies.txt``.

Rules, as in the GTFS reference:

- times are ``H:MM:SS`` with hours allowed past 24 (a trip running after midnight);
  minutes and seconds must be below 60; stop times left blank between timepoints are
  interpolated linearly by stop order; a trip's first and last stop must have times;
- a service runs on a date when ``calendar.txt`` says so for that weekday within its
  dates, unless ``calendar_dates.txt`` removes it (exception_type 2), or when
  ``calendar_dates.txt`` adds it (exception_type 1);
- ``pickup_type`` / ``drop_off_type`` 1 forbid boarding / alighting at a stop;
- ``transfers.txt``: type 2 gives a footpath (or, from a stop to itself, the stop's least
  change time) of ``min_transfer_time``; type 3 forbids changing between two stops;
- ``frequencies.txt`` trips run every ``headway_secs`` from ``start_time`` (inclusive) to
  ``end_time`` (exclusive), keeping the template trip's offsets.

Every problem raises :class:`~corridor.errors.DataSourceError` naming the feed, the file
and the line (the header is line 1), with the value and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.errors import DataSourceError, ValidationError
from corridor.paths.trip import Timetable, Trip, TripOptions, earliest_trip
from corridor.units import haversine_km

__all__ = ["Feed", "plan_trip", "read_gtfs"]

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
_SECONDS_PER_DAY = 86400.0


class _Source:
    """Reads member files of a zip or a folder as string tables."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if path.is_dir():
            self._names = {p.name: p.name for p in path.iterdir() if p.suffix == ".txt"}
        else:
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise DataSourceError(
                    path, f"is not a GTFS zip file ({exc}); give a .zip feed or a folder"
                ) from None
            # feeds are sometimes zipped inside one folder
            for name in self._zip.namelist():
                self._names.setdefault(name.rsplit("/", 1)[-1], name)

    def where(self, name: str) -> str:
        return f"{self.path}:{name}"

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        try:
            if self._zip is not None:
                raw = self._zip.read(self._names[name])
            else:
                raw = (self.path / self._names[name]).read_bytes()
        except (OSError, zipfile.BadZipFile, KeyError) as exc:
            raise DataSourceError(self.where(name), f"cannot be read: {exc}") from None
        try:
            frame = pd.read_csv(
                io.BytesIO(raw),
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skipinitialspace=True,
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise DataSourceError(self.where(name), f"is not valid CSV: {exc}") from None
        frame.columns = [str(c).strip() for c in frame.columns]
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataSourceError(
                self.where(name),
                f"lacks required column(s) {missing}; the header has {list(frame.columns)}",
                row=1,
            )
        for col in frame.columns:
            frame[col] = frame[col].astype(str).str.strip()
        return frame.reset_index(drop=True)


def _fail(src: _Source, name: str, mask: Any, what: str) -> None:
    """Raise naming the first bad line of `name` if `mask` has any True."""
    bad = np.flatnonzero(np.asarray(mask, dtype=bool))
    if bad.size:
        more = f" ({bad.size} rows in all)" if bad.size > 1 else ""
        raise DataSourceError(src.where(name), what + more, row=int(bad[0]) + 2)


def parse_times(values: pd.Series) -> np.ndarray:
    """GTFS ``H:MM:SS`` strings -> seconds (float64); '' -> NaN; malformed -> -1.

    Examples
    --------
    >>> parse_times(pd.Series(["25:10:05", "", "25:61:00"])).tolist()
    [90605.0, nan, -1.0]
    """
    text = values.astype(str).str.strip()
    parts = text.str.extract(r"^(\d{1,3}):(\d{2}):(\d{2})$")
    h = pd.to_numeric(parts[0], errors="coerce").to_numpy(dtype=np.float64)
    m = pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype=np.float64)
    s = pd.to_numeric(parts[2], errors="coerce").to_numpy(dtype=np.float64)
    out = h * 3600.0 + m * 60.0 + s
    bad = np.isnan(out) | (m >= 60) | (s >= 60)
    out = np.where(bad, -1.0, out)
    return np.where(text.to_numpy() == "", np.nan, out)


def _dates(src: _Source, name: str, frame: pd.DataFrame, col: str) -> pd.Series:
    parsed = pd.to_datetime(frame[col], format="%Y%m%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataSourceError(
            src.where(name),
            f"{col} {frame[col].iloc[i]!r} is not a date; write dates as YYYYMMDD, e.g. 20240131",
            row=i + 2,
        )
    return parsed.dt.date


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

    Timetables are kept for the last few (date, options) asked for.
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
    _cache: dict[Any, Timetable] = field(default_factory=dict, compare=False)

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

    def timetable(self, date: dt.date | str, *, options: TripOptions | None = None) -> Timetable:
        """The connections of trips running on `date`, plus those of the day before
        that run past midnight and of the day after (times shifted by -24 h / +24 h).

        Raises
        ------
        ValidationError
            If `date` cannot be read.
        """
        opts = options or TripOptions()
        day = _as_date(date)
        hit = self._cache.get((day, opts))
        if hit is not None:
            return hit
        events = []
        for offset in (-1, 0, 1):
            services = self.services_on(day + dt.timedelta(days=offset))
            run = self.trips["service_id"].isin(services).to_numpy()
            rows = np.flatnonzero(run[self.stop_times["trip"].to_numpy()])
            if rows.size:
                events.append((offset, self.stop_times.iloc[rows]))
        timetable = _build_timetable(self, day, events, opts)
        if len(self._cache) >= 8:  # a few days and option sets, not an unbounded store
            self._cache.pop(next(iter(self._cache)))
        self._cache[(day, opts)] = timetable
        return timetable


def _as_date(date: dt.date | str) -> dt.date:
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(str(date).strip())
    except ValueError:
        raise ValidationError(f"date {date!r}: use YYYY-MM-DD") from None


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
    src = _Source(root)
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
    stops_t = _stops(src, stops)
    routes_t = _routes(src, routes)
    trips_t = _trips(src, trips, routes_t, opt["calendar.txt"], opt["calendar_dates.txt"])
    st = _stop_times(src, times, stops_t, trips_t)
    cal = opt["calendar.txt"]
    if len(cal):
        cal = cal.assign(
            start_date=_dates(src, "calendar.txt", cal, "start_date"),
            end_date=_dates(src, "calendar.txt", cal, "end_date"),
        )
    cd = opt["calendar_dates.txt"]
    if len(cd):
        cd = cd.assign(date=_dates(src, "calendar_dates.txt", cd, "date"))
        _fail(
            src,
            "calendar_dates.txt",
            ~cd["exception_type"].isin(["1", "2"]).to_numpy(),
            "exception_type must be 1 (added) or 2 (removed)",
        )
    transfers = _transfers(src, opt["transfers.txt"], stops_t)
    freqs = _frequencies(src, opt["frequencies.txt"], trips_t)
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


def _stops(src: _Source, stops: pd.DataFrame) -> pd.DataFrame:
    name = "stops.txt"
    dup = stops["stop_id"].duplicated().to_numpy()
    _fail(src, name, dup, "duplicate stop_id; stop ids must be unique")
    _fail(src, name, (stops["stop_id"] == "").to_numpy(), "empty stop_id")
    for col in ("stop_lat", "stop_lon"):
        if col not in stops:
            stops[col] = ""
    lat = pd.to_numeric(stops["stop_lat"].replace("", np.nan), errors="coerce").to_numpy()
    lon = pd.to_numeric(stops["stop_lon"].replace("", np.nan), errors="coerce").to_numpy()
    kind = stops["location_type"] if "location_type" in stops else pd.Series([""] * len(stops))
    needs_xy = kind.isin(["", "0", "1", "2"]).to_numpy()
    bad = needs_xy & (np.isnan(lat) | np.isnan(lon) | (np.abs(lat) > 90) | (np.abs(lon) > 180))
    _fail(src, name, bad, "stop_lat/stop_lon missing or out of range; give WGS 84 degrees")
    return pd.DataFrame(
        {
            "stop_id": stops["stop_id"],
            "stop_name": stops["stop_name"] if "stop_name" in stops else stops["stop_id"],
            "stop_lon": np.nan_to_num(lon),
            "stop_lat": np.nan_to_num(lat),
            "parent_station": stops.get("parent_station", ""),
        }
    )


def _routes(src: _Source, routes: pd.DataFrame) -> pd.DataFrame:
    _fail(src, "routes.txt", routes["route_id"].duplicated().to_numpy(), "duplicate route_id")
    short = routes["route_short_name"] if "route_short_name" in routes else routes["route_id"]
    long = routes["route_long_name"] if "route_long_name" in routes else routes["route_id"]
    return pd.DataFrame(
        {
            "route_id": routes["route_id"],
            "route_name": np.where(short != "", short, long),
            "route_type": routes.get("route_type", ""),
        }
    )


def _trips(
    src: _Source,
    trips: pd.DataFrame,
    routes: pd.DataFrame,
    calendar: pd.DataFrame,
    calendar_dates: pd.DataFrame,
) -> pd.DataFrame:
    name = "trips.txt"
    _fail(src, name, trips["trip_id"].duplicated().to_numpy(), "duplicate trip_id")
    _fail(
        src,
        name,
        ~trips["route_id"].isin(routes["route_id"]).to_numpy(),
        "route_id not in routes.txt; fix the id or add the route",
    )
    services = set(calendar["service_id"]) | set(calendar_dates["service_id"])
    _fail(
        src,
        name,
        ~trips["service_id"].isin(services).to_numpy(),
        "service_id not in calendar.txt or calendar_dates.txt",
    )
    return pd.DataFrame(
        {
            "trip_id": trips["trip_id"],
            "route_id": trips["route_id"],
            "service_id": trips["service_id"],
            "headsign": trips.get("trip_headsign", ""),
        }
    )


def _stop_times(
    src: _Source, times: pd.DataFrame, stops: pd.DataFrame, trips: pd.DataFrame
) -> pd.DataFrame:
    name = "stop_times.txt"
    stop_idx = pd.Index(stops["stop_id"]).get_indexer(times["stop_id"])
    _fail(
        src,
        name,
        stop_idx < 0,
        "stop_id not in stops.txt; fix the id or add the stop",
    )
    trip_idx = pd.Index(trips["trip_id"]).get_indexer(times["trip_id"])
    _fail(src, name, trip_idx < 0, "trip_id not in trips.txt; fix the id or add the trip")
    seq = pd.to_numeric(times["stop_sequence"], errors="coerce").to_numpy(dtype=np.float64)
    _fail(src, name, np.isnan(seq) | (seq < 0), "stop_sequence is not a non-negative integer")
    arr = parse_times(times["arrival_time"])
    dep = parse_times(times["departure_time"])
    for col, values in (("arrival_time", arr), ("departure_time", dep)):
        bad = values == -1.0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataSourceError(
                src.where(name),
                f"{col} {times[col].iloc[i]!r} is not a time H:MM:SS (minutes and seconds "
                "below 60, hours may pass 24)",
                row=i + 2,
            )
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    _fail(src, name, dep < arr, "departure_time is before arrival_time")
    frame = pd.DataFrame(
        {
            "trip": trip_idx.astype(np.int64),
            "stop": stop_idx.astype(np.int64),
            "seq": seq,
            "arr_s": arr,
            "dep_s": dep,
            "pickup": ~(times["pickup_type"].isin(["1"]) if "pickup_type" in times else False),
            "dropoff": ~(times["drop_off_type"].isin(["1"]) if "drop_off_type" in times else False),
            "line": np.arange(len(times)) + 2,
        }
    )
    frame = frame.sort_values(["trip", "seq"], kind="stable").reset_index(drop=True)
    trip = frame["trip"].to_numpy()
    starts = np.r_[True, trip[1:] != trip[:-1]]
    ends = np.r_[trip[1:] != trip[:-1], True]
    lines = frame["line"].to_numpy()
    dup_seq = ~starts & (frame["seq"].to_numpy() == np.r_[np.nan, frame["seq"].to_numpy()[:-1]])
    if dup_seq.any():
        raise DataSourceError(
            src.where(name), "stop_sequence repeats within a trip", row=int(lines[dup_seq][0])
        )
    single = starts & ends
    if single.any():
        raise DataSourceError(
            src.where(name),
            "trip has only one stop time; a trip needs two",
            row=int(lines[single][0]),
        )
    untimed = (starts | ends) & np.isnan(frame["arr_s"].to_numpy())
    if untimed.any():
        raise DataSourceError(
            src.where(name),
            "a trip's first and last stop need arrival and departure times",
            row=int(lines[untimed][0]),
        )
    frame = _interpolate(frame)
    prev_dep = np.r_[np.nan, frame["dep_s"].to_numpy()[:-1]]
    backwards = ~starts & (frame["arr_s"].to_numpy() < prev_dep)
    if backwards.any():
        raise DataSourceError(
            src.where(name),
            "arrival_time is before the previous stop's departure_time in the same trip",
            row=int(lines[backwards][0]),
        )
    return frame


def _interpolate(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill blank times linearly by stop order between a trip's timepoints.

    Each trip's first and last stop are timed (checked before), so filling forward and
    backward to the nearest timepoint never crosses from one trip into the next.
    """
    arr = frame["arr_s"].to_numpy()
    known = ~np.isnan(arr)
    if known.all():
        return frame
    pos = np.arange(arr.size, dtype=np.float64)
    at = pd.Series(np.where(known, pos, np.nan))
    before = at.ffill().to_numpy().astype(np.int64)
    after = at.bfill().to_numpy().astype(np.int64)
    span = np.maximum(after - before, 1)
    filled = arr[before] + (pos - before) / span * (arr[after] - arr[before])
    filled = np.where(known, arr, filled)
    dep = np.where(known, frame["dep_s"].to_numpy(), filled)
    return frame.assign(arr_s=filled, dep_s=dep)


def _transfers(src: _Source, transfers: pd.DataFrame, stops: pd.DataFrame) -> pd.DataFrame:
    name = "transfers.txt"
    if not len(transfers):
        return pd.DataFrame(
            {"from_stop": [], "to_stop": [], "transfer_type": [], "min_transfer_s": []}
        )
    idx = pd.Index(stops["stop_id"])
    a = idx.get_indexer(transfers["from_stop_id"])
    b = idx.get_indexer(transfers["to_stop_id"])
    stop_level = (transfers["from_stop_id"] != "") & (transfers["to_stop_id"] != "")
    _fail(src, name, stop_level.to_numpy() & ((a < 0) | (b < 0)), "stop id not in stops.txt")
    kind = transfers["transfer_type"].replace("", "0")
    _fail(src, name, ~kind.isin(["0", "1", "2", "3", "4", "5"]).to_numpy(), "bad transfer_type")
    mt = (
        pd.to_numeric(transfers["min_transfer_time"].replace("", np.nan), errors="coerce")
        if "min_transfer_time" in transfers
        else pd.Series(np.nan, index=transfers.index)
    ).to_numpy(dtype=np.float64)
    _fail(
        src,
        name,
        (kind == "2").to_numpy() & ~(mt >= 0),
        "transfer_type 2 needs min_transfer_time >= 0",
    )
    keep = stop_level.to_numpy() & (a >= 0) & (b >= 0)
    return pd.DataFrame(
        {
            "from_stop": a[keep],
            "to_stop": b[keep],
            "transfer_type": kind.to_numpy()[keep].astype(int),
            "min_transfer_s": mt[keep],
        }
    )


def _frequencies(src: _Source, freqs: pd.DataFrame, trips: pd.DataFrame) -> pd.DataFrame:
    name = "frequencies.txt"
    if not len(freqs):
        return pd.DataFrame({"trip": [], "start_s": [], "end_s": [], "headway_s": []})
    trip = pd.Index(trips["trip_id"]).get_indexer(freqs["trip_id"])
    _fail(src, name, trip < 0, "trip_id not in trips.txt")
    start = parse_times(freqs["start_time"])
    end = parse_times(freqs["end_time"])
    head = pd.to_numeric(freqs["headway_secs"], errors="coerce").to_numpy(dtype=np.float64)
    _fail(src, name, ~(start >= 0) | ~(end >= 0), "start_time/end_time is not a time H:MM:SS")
    _fail(src, name, ~(head > 0), "headway_secs must be a positive number")
    return pd.DataFrame({"trip": trip, "start_s": start, "end_s": end, "headway_s": head})


def _build_timetable(
    feed: Feed,
    day: dt.date,
    events: list[tuple[int, pd.DataFrame]],
    opts: TripOptions,
) -> Timetable:
    trip_ids: list[str] = []
    trip_of_row: list[np.ndarray] = []
    shift: list[np.ndarray] = []
    frames: list[pd.DataFrame] = []
    freq = feed.frequencies
    freq_trips = set(freq["trip"].astype(int).tolist()) if len(freq) else set()
    base_ids = feed.trips["trip_id"].to_numpy(dtype=object)
    for offset, st in events:
        tag = "" if offset == 0 else f"@{day + dt.timedelta(days=offset)}"
        plain = st[~st["trip"].isin(freq_trips)]
        frames.append(plain)
        trips = plain["trip"].to_numpy()
        uniq, inv = np.unique(trips, return_inverse=True)
        trip_of_row.append(inv + len(trip_ids))
        trip_ids.extend(f"{base_ids[t]}{tag}" for t in uniq)
        shift.append(np.full(len(plain), offset * _SECONDS_PER_DAY))
        for _, f in freq[freq["trip"].isin(np.unique(st["trip"]))].iterrows():
            rows = st[st["trip"] == int(f["trip"])]
            t0 = float(rows["dep_s"].iloc[0])
            for start in np.arange(f["start_s"], f["end_s"], f["headway_s"]):
                frames.append(rows)
                trip_of_row.append(np.full(len(rows), len(trip_ids)))
                h, rem = divmod(int(start), 3600)
                trip_ids.append(
                    f"{base_ids[int(f['trip'])]}+{h:02d}:{rem // 60:02d}:{rem % 60:02d}{tag}"
                )
                shift.append(np.full(len(rows), offset * _SECONDS_PER_DAY + start - t0))
    if frames:
        st_all = pd.concat(frames, ignore_index=True)
        tr = np.concatenate(trip_of_row).astype(np.int64)
        sh = np.concatenate(shift)
    else:
        st_all = feed.stop_times.iloc[:0]
        tr = np.zeros(0, np.int64)
        sh = np.zeros(0)
    order = np.lexsort((st_all["seq"].to_numpy(), tr))
    tr = tr[order]
    stop = st_all["stop"].to_numpy()[order]
    arr_s = st_all["arr_s"].to_numpy()[order] + sh[order]
    dep_s = st_all["dep_s"].to_numpy()[order] + sh[order]
    pickup = st_all["pickup"].to_numpy(dtype=bool)[order]
    dropoff = st_all["dropoff"].to_numpy(dtype=bool)[order]
    same = tr[:-1] == tr[1:]
    c = np.flatnonzero(same)
    dep_stop, arr_stop = stop[c], stop[c + 1]
    dep_t, arr_t = dep_s[c], arr_s[c + 1]
    ctrip = tr[c]
    corder = np.lexsort((arr_t, dep_t))
    trip_route = feed.trips["route_id"].to_numpy(dtype=object)
    route_name = dict(zip(feed.routes["route_id"], feed.routes["route_name"], strict=True))
    base_of = np.array([tid.split("@")[0].split("+")[0] for tid in trip_ids], dtype=object)
    trip_row = (
        pd.Index(feed.trips["trip_id"]).get_indexer(base_of) if trip_ids else np.zeros(0, int)
    )
    fp_ptr, fp_to, fp_t, change = _footpaths(feed, opts)
    return Timetable(
        date=day,
        stop_ids=feed.stops["stop_id"].to_numpy(dtype=object),
        stop_names=feed.stops["stop_name"].to_numpy(dtype=object),
        stop_lon=feed.stops["stop_lon"].to_numpy(dtype=np.float64),
        stop_lat=feed.stops["stop_lat"].to_numpy(dtype=np.float64),
        station=feed.stops["parent_station"].to_numpy(dtype=object),
        dep_stop=np.ascontiguousarray(dep_stop[corder], dtype=np.int32),
        arr_stop=np.ascontiguousarray(arr_stop[corder], dtype=np.int32),
        dep_t=np.ascontiguousarray(dep_t[corder], dtype=np.float64),
        arr_t=np.ascontiguousarray(arr_t[corder], dtype=np.float64),
        trip=np.ascontiguousarray(ctrip[corder], dtype=np.int32),
        can_board=np.ascontiguousarray(pickup[c][corder]),
        can_alight=np.ascontiguousarray(dropoff[c + 1][corder]),
        trip_ids=np.asarray(trip_ids, dtype=object),
        trip_routes=np.asarray([route_name.get(trip_route[r], "") for r in trip_row], dtype=object),
        trip_headsigns=feed.trips["headsign"].to_numpy(dtype=object)[trip_row]
        if len(trip_row)
        else np.zeros(0, dtype=object),
        fp_ptr=fp_ptr,
        fp_to=fp_to,
        fp_t=fp_t,
        change_t=change,
        source=feed.source,
    )


def _footpaths(
    feed: Feed, opts: TripOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Footpaths (CSR) and per-stop change times from distance, stations and transfers.txt."""
    from scipy.spatial import cKDTree

    stops = feed.stops
    n = len(stops)
    lon = stops["stop_lon"].to_numpy(dtype=np.float64)
    lat = stops["stop_lat"].to_numpy(dtype=np.float64)
    pairs: dict[tuple[int, int], float] = {}
    speed_ms = opts.walk_speed_kmh / 3.6  # walking times are rounded up to whole seconds
    if opts.walk_radius_m > 0:
        # local metric projection is enough at walking distances
        ky = 111_320.0
        kx = ky * np.cos(np.radians(np.nan_to_num(lat)))
        tree = cKDTree(np.column_stack([lon * kx, lat * ky]))
        for a, b in tree.query_pairs(opts.walk_radius_m * 1.01, output_type="ndarray"):
            d_m = float(haversine_km(lon[a], lat[a], lon[b], lat[b])) * 1000.0
            if d_m <= opts.walk_radius_m:
                t = max(math.ceil(d_m / speed_ms), opts.min_transfer_s)
                pairs[(int(a), int(b))] = t
                pairs[(int(b), int(a))] = t
    parent = stops["parent_station"].to_numpy(dtype=object)
    idx = pd.Index(stops["stop_id"])
    par = idx.get_indexer(parent)
    for group in pd.Series(np.arange(n))[par >= 0].groupby(par[par >= 0]):
        members = [int(x) for x in group[1]] + [int(group[0])]
        for a in members:
            for b in members:
                if a != b and (a, b) not in pairs:
                    d_m = float(haversine_km(lon[a], lat[a], lon[b], lat[b])) * 1000.0
                    pairs[(a, b)] = max(math.ceil(d_m / speed_ms), opts.min_transfer_s)
    change = np.full(n, float(opts.min_transfer_s))
    tr = feed.transfers
    for a, b, kind, mt in zip(
        tr["from_stop"].astype(int),
        tr["to_stop"].astype(int),
        tr["transfer_type"].astype(int),
        tr["min_transfer_s"].astype(float),
        strict=True,
    ):
        if a == b:
            if kind == 2:
                change[a] = max(float(mt), opts.min_transfer_s)
            continue
        if kind == 3:
            pairs.pop((a, b), None)
        elif kind == 2:
            pairs[(a, b)] = max(float(mt), opts.min_transfer_s)
        elif kind in (0, 1) and (a, b) not in pairs:
            d_m = float(haversine_km(lon[a], lat[a], lon[b], lat[b])) * 1000.0
            pairs[(a, b)] = max(math.ceil(d_m / speed_ms), opts.min_transfer_s)
    if pairs:
        keys = np.array(list(pairs.keys()), dtype=np.int64)
        vals = np.array(list(pairs.values()), dtype=np.float64)
    else:
        keys = np.zeros((0, 2), np.int64)
        vals = np.zeros(0)
    order = np.lexsort((keys[:, 1], keys[:, 0]))
    keys, vals = keys[order], vals[order]
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys[:, 0], minlength=n), out=ptr[1:])
    return ptr, keys[:, 1].astype(np.int32), vals, change


def plan_trip(
    feed: Feed,
    origin: str | int,
    destination: str | int,
    *,
    depart: dt.datetime | str,
    options: TripOptions | None = None,
) -> Trip:
    """The earliest-arriving public-transport journey.

    Parameters
    ----------
    feed
        A feed from :func:`read_gtfs`.
    origin, destination
        Stop ids, station ids or stop names.
    depart
        Date and time, e.g. ``2017-07-24T08:00`` (local time of the feed).
    options
        Change times and walking; see :class:`~corridor.paths.trip.TripOptions`.

    Returns
    -------
    Trip

    Raises
    ------
    UnknownNodeError
        If a stop is not in the feed.
    NoPathError
        If no journey reaches the destination within the service day and the next.
    ValidationError
        If `depart` cannot be read.
    """
    when = _as_datetime(depart)
    timetable = feed.timetable(when.date(), options=options)
    return earliest_trip(timetable, origin, destination, depart=when)


def _as_datetime(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"departure {value!r}: use an ISO date and time such as 2024-05-01T08:30"
        ) from None
