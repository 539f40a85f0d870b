"""Connection scan vs a brute-force fixpoint on the real feeds in ../shared/data/gtfs.

The brute force shares only the timetable arrays and the transfer model (see
corridor.kernels.csa): it repeats "board every trip you can reach, ride it to its end,
alight everywhere, change or walk one footpath" over the whole day until nothing
improves, with no ordering of connections. Every stop's earliest arrival is compared.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.io.gtfs import read_gtfs
from corridor.kernels.csa import earliest_arrival
from corridor.paths.timetable import build_timetable
from corridor.paths.trip import Timetable, TripOptions, earliest_trip

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "gtfs"

FEEDS = [
    ("gtfs_kit_sample_gtfs.zip", dt.date(2007, 6, 4), 40),  # a Monday removed for FULLW
    ("gtfs_kit_sample_gtfs.zip", dt.date(2007, 6, 5), 40),
    ("partridge_caltrain-2017-07-24.zip", dt.date(2017, 7, 24), 60),
    ("gtfs_kit_cairns_gtfs.zip", dt.date(2014, 6, 2), 60),
]


def brute_force(tt: Timetable, sources: np.ndarray, depart: float) -> np.ndarray:
    n = tt.n_stops
    fp_from = np.repeat(np.arange(n), np.diff(tt.fp_ptr))

    def walk(times: np.ndarray) -> np.ndarray:
        out = np.full(n, np.inf)
        np.minimum.at(out, tt.fp_to, times[fp_from] + tt.fp_t)
        return out

    start = np.full(n, np.inf)
    start[sources] = depart
    arr = np.minimum(start, walk(start))
    ready = arr.copy()
    by_trip = np.argsort(tt.trip, kind="stable")  # within a trip: stop order
    trip = tt.trip[by_trip]
    first = np.r_[True, trip[1:] != trip[:-1]]
    group = np.cumsum(first) - 1
    dep_stop, arr_stop = tt.dep_stop[by_trip], tt.arr_stop[by_trip]
    dep_t, arr_t = tt.dep_t[by_trip], tt.arr_t[by_trip]
    board_ok, alight_ok = tt.can_board[by_trip], tt.can_alight[by_trip]
    for _ in range(1000):
        boardable = board_ok & (ready[dep_stop] <= dep_t)
        count = np.cumsum(boardable)
        before = (count - boardable)[first][group]  # boardable ones before this trip began
        onboard = (count - before) > 0
        alight = onboard & alight_ok
        vehicle = np.full(n, np.inf)
        np.minimum.at(vehicle, arr_stop[alight], arr_t[alight])
        walked = walk(vehicle)
        new_arr = np.minimum(arr, np.minimum(vehicle, walked))
        new_ready = np.minimum(ready, np.minimum(vehicle + tt.change_t, walked))
        if np.array_equal(new_arr, arr) and np.array_equal(new_ready, ready):
            return arr
        arr, ready = new_arr, new_ready
    raise AssertionError("brute force did not converge")


def csa_all(tt: Timetable, sources: np.ndarray, depart: float) -> np.ndarray:
    n = tt.n_stops
    arrays = [np.empty(n), np.empty(n)] + [np.empty(n, np.int64) for _ in range(4)]
    board = np.empty(tt.trip_ids.size, np.int64)
    first = int(np.searchsorted(tt.dep_t, depart))
    earliest_arrival(
        tt.dep_stop, tt.arr_stop, tt.dep_t, tt.arr_t, tt.trip, tt.can_board, tt.can_alight,
        tt.trip_ids.size, tt.fp_ptr, tt.fp_to, tt.fp_t, tt.change_t, sources, depart, first,
        np.zeros(0, np.int64), *arrays, board,
    )  # fmt: skip
    return arrays[0]


def check_legs(tt: Timetable, trip: corridor.Trip, change_s: float) -> None:
    """A journey's legs are feasible: in order, rides on real connections, changes timed."""
    previous = None
    for leg in trip.legs:
        assert leg.arrive >= leg.depart
        if previous is not None:
            assert leg.from_stop == previous.to_stop
            gap = (leg.depart - previous.arrive).total_seconds()
            if leg.kind == "ride" and previous.kind == "ride":
                assert gap >= change_s - 1e-6
            else:
                assert gap >= -1e-6
        previous = leg
    assert trip.legs[-1].arrive == trip.arrive


@pytest.mark.parametrize(("name", "date", "queries"), FEEDS)
def test_csa_matches_brute_force_at_every_stop(name: str, date: dt.date, queries: int) -> None:
    path = DATA / name
    if not path.exists():
        pytest.skip(reason=f"shared GTFS feed not found at {path}")
    feed = read_gtfs(path)
    rng = np.random.default_rng(20240601)
    for options in (TripOptions(), TripOptions(min_transfer_s=120, walk_radius_m=400)):
        tt = build_timetable(feed, date, options=options)
        served = np.unique(np.concatenate([tt.dep_stop, tt.arr_stop]))
        assert served.size > 1
        reached = 0
        for _ in range(queries):
            sources = rng.choice(served, size=int(rng.integers(1, 3)), replace=False)
            depart = float(rng.uniform(4 * 3600, 23 * 3600))
            expected = brute_force(tt, sources.astype(np.int64), depart)
            got = csa_all(tt, sources.astype(np.int64), depart)
            np.testing.assert_array_equal(got, expected)
            reached += int(np.isfinite(got).sum())
        assert reached > queries * 2  # the queries reach somewhere, not only themselves


@pytest.mark.parametrize(("name", "date", "queries"), FEEDS[2:])
def test_trips_have_feasible_legs_and_earliest_arrival(
    name: str, date: dt.date, queries: int
) -> None:
    path = DATA / name
    if not path.exists():
        pytest.skip(reason=f"shared GTFS feed not found at {path}")
    feed = read_gtfs(path)
    options = TripOptions(min_transfer_s=60)
    tt = build_timetable(feed, date, options=options)
    served = np.unique(np.concatenate([tt.dep_stop, tt.arr_stop]))
    rng = np.random.default_rng(7)
    found = 0
    for _ in range(queries // 2):
        a, b = (int(x) for x in rng.choice(served, size=2, replace=False))
        depart = float(rng.integers(5 * 3600, 20 * 3600))
        expected = brute_force(tt, np.array([a]), depart)[b]
        when = dt.datetime.combine(date, dt.time()) + dt.timedelta(seconds=depart)
        try:
            trip = earliest_trip(tt, str(tt.stop_ids[a]), str(tt.stop_ids[b]), depart=when)
        except corridor.NoPathError:
            assert np.isinf(expected)
            continue
        if tt.stop_ids[a] == tt.stop_ids[b]:
            continue
        found += 1
        start = dt.datetime.combine(date, dt.time())
        assert (trip.arrive - start).total_seconds() <= expected  # a name may match more stops
        check_legs(tt, trip, options.min_transfer_s)
    assert found > 0


def test_caltrain_sf_to_san_jose_by_name() -> None:
    path = DATA / "partridge_caltrain-2017-07-24.zip"
    if not path.exists():
        pytest.skip(reason=f"shared GTFS feed not found at {path}")
    feed = read_gtfs(path)
    trip = corridor.plan_trip(
        feed, "San Francisco Caltrain", "San Jose Diridon Caltrain", depart="2017-07-24T08:00"
    )
    assert trip.rides == 1
    assert trip.legs[0].route in {"Limited", "Baby Bullet", "Local"}
    assert dt.timedelta(minutes=45) < trip.arrive - trip.legs[0].depart < dt.timedelta(hours=2)
