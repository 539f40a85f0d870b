"""Checking and normalising the tables of a GTFS feed, one function per member file.

Each function takes the raw string table, raises
:class:`~corridor.errors.DataSourceError` at the first bad line (naming the file and the
line, the header being line 1) and returns the typed table kept in a
:class:`~corridor.io.gtfs.feed.Feed`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.budget import check_memory, quoted
from corridor.errors import DataSourceError

from .source import FeedSource, fail_rows, parse_times

__all__ = [
    "MAX_FREQUENCY_WINDOW_H",
    "MIN_HEADWAY_S",
    "check_frequencies_budget",
    "frequencies_table",
    "interpolate_times",
    "routes_table",
    "stop_times_table",
    "stops_table",
    "transfers_table",
    "trips_table",
]


def stops_table(src: FeedSource, stops: pd.DataFrame) -> pd.DataFrame:
    name = "stops.txt"
    dup = stops["stop_id"].duplicated().to_numpy()
    fail_rows(src, name, dup, "duplicate stop_id; stop ids must be unique")
    fail_rows(src, name, (stops["stop_id"] == "").to_numpy(), "empty stop_id")
    for col in ("stop_lat", "stop_lon"):
        if col not in stops:
            stops[col] = ""
    lat = pd.to_numeric(stops["stop_lat"].replace("", np.nan), errors="coerce").to_numpy()
    lon = pd.to_numeric(stops["stop_lon"].replace("", np.nan), errors="coerce").to_numpy()
    kind = stops["location_type"] if "location_type" in stops else pd.Series([""] * len(stops))
    needs_xy = kind.isin(["", "0", "1", "2"]).to_numpy()
    bad = needs_xy & (np.isnan(lat) | np.isnan(lon) | (np.abs(lat) > 90) | (np.abs(lon) > 180))
    fail_rows(src, name, bad, "stop_lat/stop_lon missing or out of range; give WGS 84 degrees")
    return pd.DataFrame(
        {
            "stop_id": stops["stop_id"],
            "stop_name": stops["stop_name"] if "stop_name" in stops else stops["stop_id"],
            "stop_lon": np.nan_to_num(lon),
            "stop_lat": np.nan_to_num(lat),
            "parent_station": stops.get("parent_station", ""),
        }
    )


def routes_table(src: FeedSource, routes: pd.DataFrame) -> pd.DataFrame:
    fail_rows(src, "routes.txt", routes["route_id"].duplicated().to_numpy(), "duplicate route_id")
    short = routes["route_short_name"] if "route_short_name" in routes else routes["route_id"]
    long = routes["route_long_name"] if "route_long_name" in routes else routes["route_id"]
    return pd.DataFrame(
        {
            "route_id": routes["route_id"],
            "route_name": np.where(short != "", short, long),
            "route_type": routes.get("route_type", ""),
        }
    )


def trips_table(
    src: FeedSource,
    trips: pd.DataFrame,
    routes: pd.DataFrame,
    calendar: pd.DataFrame,
    calendar_dates: pd.DataFrame,
) -> pd.DataFrame:
    name = "trips.txt"
    fail_rows(src, name, trips["trip_id"].duplicated().to_numpy(), "duplicate trip_id")
    fail_rows(
        src,
        name,
        ~trips["route_id"].isin(routes["route_id"]).to_numpy(),
        "route_id not in routes.txt; fix the id or add the route",
    )
    services = set(calendar["service_id"]) | set(calendar_dates["service_id"])
    fail_rows(
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


def stop_times_table(
    src: FeedSource, times: pd.DataFrame, stops: pd.DataFrame, trips: pd.DataFrame
) -> pd.DataFrame:
    name = "stop_times.txt"
    stop_idx = pd.Index(stops["stop_id"]).get_indexer(times["stop_id"])
    fail_rows(
        src,
        name,
        stop_idx < 0,
        "stop_id not in stops.txt; fix the id or add the stop",
    )
    trip_idx = pd.Index(trips["trip_id"]).get_indexer(times["trip_id"])
    fail_rows(src, name, trip_idx < 0, "trip_id not in trips.txt; fix the id or add the trip")
    seq = pd.to_numeric(times["stop_sequence"], errors="coerce").to_numpy(dtype=np.float64)
    fail_rows(src, name, np.isnan(seq) | (seq < 0), "stop_sequence is not a non-negative integer")
    arr = parse_times(times["arrival_time"])
    dep = parse_times(times["departure_time"])
    for col, values in (("arrival_time", arr), ("departure_time", dep)):
        bad = values == -1.0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataSourceError(
                src.where(name),
                f"{col} {quoted(times[col].iloc[i])} is not a time H:MM:SS (minutes and seconds "
                "below 60, hours may pass 24)",
                row=i + 2,
            )
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    fail_rows(src, name, dep < arr, "departure_time is before arrival_time")
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
    frame = interpolate_times(frame)
    prev_dep = np.r_[np.nan, frame["dep_s"].to_numpy()[:-1]]
    backwards = ~starts & (frame["arr_s"].to_numpy() < prev_dep)
    if backwards.any():
        raise DataSourceError(
            src.where(name),
            "arrival_time is before the previous stop's departure_time in the same trip",
            row=int(lines[backwards][0]),
        )
    return frame


def interpolate_times(frame: pd.DataFrame) -> pd.DataFrame:
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


def transfers_table(src: FeedSource, transfers: pd.DataFrame, stops: pd.DataFrame) -> pd.DataFrame:
    name = "transfers.txt"
    if not len(transfers):
        return pd.DataFrame(
            {"from_stop": [], "to_stop": [], "transfer_type": [], "min_transfer_s": []}
        )
    idx = pd.Index(stops["stop_id"])
    a = idx.get_indexer(transfers["from_stop_id"])
    b = idx.get_indexer(transfers["to_stop_id"])
    stop_level = (transfers["from_stop_id"] != "") & (transfers["to_stop_id"] != "")
    fail_rows(src, name, stop_level.to_numpy() & ((a < 0) | (b < 0)), "stop id not in stops.txt")
    kind = transfers["transfer_type"].replace("", "0")
    fail_rows(src, name, ~kind.isin(["0", "1", "2", "3", "4", "5"]).to_numpy(), "bad transfer_type")
    mt = (
        pd.to_numeric(transfers["min_transfer_time"].replace("", np.nan), errors="coerce")
        if "min_transfer_time" in transfers
        else pd.Series(np.nan, index=transfers.index)
    ).to_numpy(dtype=np.float64)
    fail_rows(
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


def frequencies_table(src: FeedSource, freqs: pd.DataFrame, trips: pd.DataFrame) -> pd.DataFrame:
    name = "frequencies.txt"
    if not len(freqs):
        return pd.DataFrame({"trip": [], "start_s": [], "end_s": [], "headway_s": []})
    trip = pd.Index(trips["trip_id"]).get_indexer(freqs["trip_id"])
    fail_rows(src, name, trip < 0, "trip_id not in trips.txt")
    start = parse_times(freqs["start_time"])
    end = parse_times(freqs["end_time"])
    head = pd.to_numeric(freqs["headway_secs"], errors="coerce").to_numpy(dtype=np.float64)
    fail_rows(src, name, ~(start >= 0) | ~(end >= 0), "start_time/end_time is not a time H:MM:SS")
    fail_rows(
        src,
        name,
        ~(head >= MIN_HEADWAY_S),
        f"headway_secs must be a number of seconds >= {MIN_HEADWAY_S:g}",
    )
    fail_rows(src, name, ~(end >= start), "end_time is before start_time")
    fail_rows(
        src,
        name,
        end - start > MAX_FREQUENCY_WINDOW_H * 3600.0,
        f"the window start_time..end_time is longer than {MAX_FREQUENCY_WINDOW_H:g} h; "
        "split it by service day",
    )
    return pd.DataFrame({"trip": trip, "start_s": start, "end_s": end, "headway_s": head})


MIN_HEADWAY_S = 1.0
"""Shortest headway accepted in frequencies.txt (GTFS: a non-negative integer of seconds;
0 is only meaningful for exact_times=0 and below 1 s no vehicle runs) [assumption]."""
MAX_FREQUENCY_WINDOW_H = 48.0
"""Longest frequencies.txt window [assumption: one service day, times after midnight up to
48:00:00 included]."""
_BYTES_PER_EXPANDED_STOP = 64.0  # stop_times rows and shifts of an expanded trip (measured ~50)
_BYTES_PER_EXPANDED_TRIP = 400.0  # its trip id, arrays and frame reference


def check_frequencies_budget(
    src: FeedSource, freqs: pd.DataFrame, stop_times: pd.DataFrame
) -> None:
    """Refuse frequencies whose expansion into trips would exceed the memory budget."""
    if not len(freqs):
        return
    runs = np.ceil(
        (freqs["end_s"].to_numpy() - freqs["start_s"].to_numpy()) / freqs["headway_s"].to_numpy()
    )
    stops = np.bincount(stop_times["trip"].to_numpy(dtype=np.int64))
    per_trip = (
        stops[freqs["trip"].to_numpy(dtype=np.int64).clip(0, stops.size - 1)] if stops.size else 0
    )
    need = float(np.sum(runs * (_BYTES_PER_EXPANDED_TRIP + _BYTES_PER_EXPANDED_STOP * per_trip)))
    check_memory(
        need,
        what=f"{src.where('frequencies.txt')}: {int(runs.sum())} trips expanded from the headways",
        option="the headways (headway_secs) or the windows",
    )
