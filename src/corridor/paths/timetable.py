"""One service day's :class:`~corridor.paths.trip.Timetable` from a GTFS feed, and trips on it.

:func:`build_timetable` turns the checked tables of a :class:`~corridor.io.gtfs.Feed`
(read by :func:`corridor.read_gtfs`) into the connection arrays of one day, with
footpaths and change times; :func:`plan_trip` answers an earliest-arrival query on it
with :func:`~corridor.paths.trip.earliest_trip`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

import numpy as np
import pandas as pd

from corridor.errors import ValidationError
from corridor.io.gtfs import Feed
from corridor.paths.trip import Timetable, Trip, TripOptions, earliest_trip
from corridor.units import haversine_km

__all__ = ["build_timetable", "plan_trip"]

log = logging.getLogger(__name__)

_SECONDS_PER_DAY = 86400.0
_KEPT_TIMETABLES = 8


def build_timetable(
    feed: Feed, date: dt.date | str, *, options: TripOptions | None = None
) -> Timetable:
    """The connections of trips running on `date`, plus those of the day before
    that run past midnight and of the day after (times shifted by -24 h / +24 h).

    Parameters
    ----------
    feed
        A feed from :func:`corridor.read_gtfs`.
    date
        The service day, a date or ``YYYY-MM-DD``.
    options
        Change times and walking; see :class:`~corridor.paths.trip.TripOptions`.

    Returns
    -------
    Timetable
        Kept with the feed for the last few (date, options) asked for.

    Raises
    ------
    ValidationError
        If `date` cannot be read.
    """
    opts = options or TripOptions()
    day = _as_date(date)
    key = ("timetable", day, opts)
    hit = feed._cache.get(key)
    if isinstance(hit, Timetable):
        return hit
    events = []
    for offset in (-1, 0, 1):
        services = feed.services_on(day + dt.timedelta(days=offset))
        run = feed.trips["service_id"].isin(services).to_numpy()
        rows = np.flatnonzero(run[feed.stop_times["trip"].to_numpy()])
        if rows.size:
            events.append((offset, feed.stop_times.iloc[rows]))
    timetable = _build_timetable(feed, day, events, opts)
    kept = [k for k in feed._cache if isinstance(k, tuple) and k[:1] == ("timetable",)]
    if len(kept) >= _KEPT_TIMETABLES:  # a few days and option sets, not an unbounded store
        feed._cache.pop(kept[0])
    feed._cache[key] = timetable
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
    timetable = build_timetable(feed, when.date(), options=options)
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
