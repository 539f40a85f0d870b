"""GTFS reading and earliest-arrival trips on small feeds written here (answers by hand)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor
from corridor.io.gtfs import parse_times, read_gtfs
from corridor.paths.timetable import build_timetable, plan_trip
from corridor.paths.trip import TripOptions, earliest_trip

MONDAY = dt.date(2024, 1, 1)

STOPS = """stop_id,stop_name,stop_lat,stop_lon,parent_station
A,Alpha,0.0,0.0,
B,Bravo,0.0,0.01,
C,Charlie,0.0,0.02,
D,Delta,0.0,0.03,
B2,Bravo East,0.0,0.0105,
"""
ROUTES = """route_id,route_short_name,route_long_name,route_type
R1,1,,3
R2,2,,3
"""
TRIPS = """route_id,service_id,trip_id,trip_headsign
R1,WK,T1,to Charlie
R2,WK,T2,to Delta
R2,WK,T3,to Delta
R1,WK,LATE,night
R2,SUN,S1,sunday
"""
STOP_TIMES = """trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,08:10:00,08:10:00,B,2
T1,08:20:00,08:20:00,C,3
T2,08:12:00,08:12:00,B,1
T2,,,C,2
T2,08:30:00,08:30:00,D,3
T3,08:40:00,08:40:00,B,1
T3,09:00:00,09:00:00,D,2
LATE,24:05:00,24:05:00,C,1
LATE,24:20:00,24:20:00,D,2
S1,10:00:00,10:00:00,A,1
S1,10:30:00,10:30:00,D,2
"""
CALENDAR = """service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,\
start_date,end_date
WK,1,1,1,1,1,0,0,20240101,20241231
SUN,0,0,0,0,0,0,1,20240101,20241231
"""
CALENDAR_DATES = """service_id,date,exception_type
WK,20240102,2
SUN,20240103,1
"""


def feed_files(**override: str | None) -> dict[str, str]:
    files: dict[str, str | None] = {
        "stops.txt": STOPS,
        "routes.txt": ROUTES,
        "trips.txt": TRIPS,
        "stop_times.txt": STOP_TIMES,
        "calendar.txt": CALENDAR,
        "calendar_dates.txt": CALENDAR_DATES,
    }
    files.update(override)
    return {k: v for k, v in files.items() if v is not None}


def write_feed(tmp_path: Path, name: str = "feed.zip", **override: str | None) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as z:
        for member, text in feed_files(**override).items():
            z.writestr(member, text)
    return path


@pytest.fixture
def feed(tmp_path: Path) -> corridor.Feed:
    return read_gtfs(write_feed(tmp_path))


def test_reads_tables_and_interpolates_blank_times(feed: corridor.Feed) -> None:
    assert len(feed.stops) == 5
    assert len(feed.trips) == 5
    st_t2 = feed.stop_times[feed.stop_times["trip"] == 1]
    assert st_t2["arr_s"].tolist() == [8 * 3600 + 12 * 60, 8 * 3600 + 21 * 60, 8 * 3600 + 30 * 60]


def test_calendar_and_exceptions(feed: corridor.Feed) -> None:
    assert feed.services_on(MONDAY) == {"WK"}
    assert feed.services_on(dt.date(2024, 1, 2)) == set()  # removed
    assert feed.services_on(dt.date(2024, 1, 3)) == {"WK", "SUN"}  # added
    assert feed.services_on(dt.date(2024, 1, 7)) == {"SUN"}
    assert feed.services_on(dt.date(2025, 1, 6)) == set()  # after end_date


def test_transfer_with_and_without_change_time(feed: corridor.Feed) -> None:
    quick = plan_trip(
        feed, "A", "D", depart="2024-01-01T07:55", options=TripOptions(walk_radius_m=0)
    )
    assert quick.arrive == dt.datetime(2024, 1, 1, 8, 30)
    assert [leg.trip_id for leg in quick.legs] == ["T1", "T2"]
    assert quick.transfers == 1
    slow = plan_trip(
        feed,
        "A",
        "D",
        depart="2024-01-01T07:55",
        options=TripOptions(min_transfer_s=180, walk_radius_m=0),
    )
    assert slow.arrive == dt.datetime(2024, 1, 1, 9, 0)
    assert [leg.trip_id for leg in slow.legs] == ["T1", "T3"]
    assert slow.legs[0].stops == 2


def test_walk_to_a_nearby_stop(tmp_path: Path) -> None:
    # T2 now leaves B2 (55 m east of B) at 08:12 and passes C at 08:21, a minute after T1
    times = STOP_TIMES.replace("T2,08:12:00,08:12:00,B,1", "T2,08:12:00,08:12:00,B2,1")
    feed = read_gtfs(write_feed(tmp_path, **{"stop_times.txt": times}))
    # 2 min to change: too little at C (1 min), enough by walking B -> B2 (max(44 s, 120 s))
    opts = TripOptions(min_transfer_s=120)
    trip = plan_trip(feed, "Alpha", "Delta", depart="2024-01-01T07:55", options=opts)
    assert [leg.kind for leg in trip.legs] == ["ride", "walk", "ride"]
    assert trip.arrive == dt.datetime(2024, 1, 1, 8, 30)
    walk = trip.legs[1]
    assert (walk.from_stop, walk.to_stop) == ("B", "B2")
    assert (walk.arrive - walk.depart).total_seconds() == 120
    quick = TripOptions(min_transfer_s=120, walk_speed_kmh=1.0, walk_radius_m=60)  # 198 s walk
    late = plan_trip(feed, "A", "D", depart="2024-01-01T07:55", options=quick)
    assert late.arrive == dt.datetime(2024, 1, 1, 9, 0)  # T3 from B at 08:40
    assert [leg.trip_id for leg in late.legs] == ["T1", "T3"]
    at_c = plan_trip(
        feed, "A", "D", depart="2024-01-01T07:55", options=TripOptions(walk_radius_m=0)
    )
    assert at_c.arrive == dt.datetime(2024, 1, 1, 8, 30)  # change at C with no change time
    assert at_c.legs[1].from_stop == "C"


def test_trips_past_midnight_belong_to_the_previous_service_day(feed: corridor.Feed) -> None:
    # LATE runs Monday 24:05 -> 24:20, i.e. Tuesday 00:05-00:20, though WK does not run Tuesday
    tuesday = build_timetable(feed, "2024-01-02")
    trip = earliest_trip(tuesday, "C", "D", depart="00:00")
    assert trip.arrive == dt.datetime(2024, 1, 2, 0, 20)
    assert trip.legs[0].trip_id == "LATE@2024-01-01"
    monday = plan_trip(feed, "C", "D", depart="2024-01-01T23:00")
    assert monday.arrive == dt.datetime(2024, 1, 2, 0, 20)


def test_timetables_are_kept_with_the_feed(feed: corridor.Feed) -> None:
    monday = build_timetable(feed, MONDAY)
    assert build_timetable(feed, MONDAY) is monday
    assert build_timetable(feed, MONDAY, options=TripOptions(min_transfer_s=60)) is not monday
    for day in range(2, 12):  # a few days are kept, not all of them
        build_timetable(feed, f"2024-01-{day:02d}")
    assert build_timetable(feed, MONDAY) is not monday


def test_no_service_and_unknown_stops(feed: corridor.Feed) -> None:
    # WK is removed on Tuesday 2 Jan: the first trip is Wednesday's (the next service day)
    wednesday = plan_trip(feed, "A", "D", depart="2024-01-02T07:00")
    assert wednesday.arrive == dt.datetime(2024, 1, 3, 8, 30)
    assert wednesday.legs[0].trip_id == "T1@2024-01-03"
    with pytest.raises(corridor.NoPathError, match="no trip"):
        plan_trip(feed, "D", "A", depart="2024-01-01T07:00")  # nothing runs that way
    with pytest.raises(corridor.UnknownNodeError, match="Alpah"):
        plan_trip(feed, "Alpah", "D", depart="2024-01-01T07:00")
    with pytest.raises(corridor.ValidationError, match="departure"):
        plan_trip(feed, "A", "D", depart="tomorrow")


def test_pickup_and_drop_off_types(tmp_path: Path) -> None:
    # T1 may not set down at B (drop_off_type 1): the change to T2 at B is impossible,
    # and T2 at C (08:21) is a minute after T1 gets there; with 2 min to change, T3 is
    # out of reach too, so the first arrival at D is tomorrow's
    times = STOP_TIMES.replace("T1,08:10:00,08:10:00,B,2", "T1,08:10:00,08:10:00,B,2,,1")
    times = times.replace(
        "stop_id,stop_sequence", "stop_id,stop_sequence,pickup_type,drop_off_type"
    )
    feed = read_gtfs(write_feed(tmp_path, **{"stop_times.txt": times}))
    opts = TripOptions(min_transfer_s=120, walk_radius_m=0)
    trip = plan_trip(feed, "A", "D", depart="2024-01-01T07:55", options=opts)
    assert trip.arrive == dt.datetime(2024, 1, 2, 0, 20)  # via C on the late trip
    assert [leg.trip_id for leg in trip.legs] == ["T1", "LATE"]


def test_frequencies_expand_into_runs(tmp_path: Path) -> None:
    freqs = "trip_id,start_time,end_time,headway_secs\nT3,06:00:00,07:00:00,1200\n"
    feed = read_gtfs(write_feed(tmp_path, **{"frequencies.txt": freqs}))
    tt = build_timetable(feed, MONDAY)
    runs = sorted(t for t in tt.trip_ids if str(t).startswith("T3"))
    assert runs == ["T3+06:00:00", "T3+06:20:00", "T3+06:40:00"]
    trip = earliest_trip(tt, "B", "D", depart="06:05")
    assert trip.arrive == dt.datetime(2024, 1, 1, 6, 40)


@pytest.mark.parametrize(
    ("override", "pattern"),
    [
        ({"stop_times.txt": None}, r"missing \['stop_times.txt'\]"),
        ({"calendar.txt": None, "calendar_dates.txt": None}, "calendar.txt or calendar_dates"),
        (
            {"stop_times.txt": STOP_TIMES.replace("08:10:00,08:10:00", "25:61:00,25:61:00")},
            r"stop_times.txt \(row 3\): arrival_time '25:61:00' is not a time",
        ),
        (
            {
                "stop_times.txt": STOP_TIMES.replace(
                    "T1,08:20:00,08:20:00,C", "T1,08:20:00,08:20:00,X"
                )
            },
            r"stop_times.txt \(row 4\): stop_id not in stops.txt",
        ),
        (
            {"stop_times.txt": STOP_TIMES.split("\n")[0] + "\n"},
            "empty feed",
        ),
        (
            {"stop_times.txt": STOP_TIMES.replace("T1,08:20:00", "T1,07:20:00")},
            r"stop_times.txt \(row 4\): arrival_time is before the previous",
        ),
        ({"trips.txt": TRIPS.replace("R2,SUN", "R9,SUN")}, r"trips.txt \(row 6\): route_id"),
        ({"trips.txt": TRIPS.replace("R2,SUN", "R2,HOLIDAY")}, r"trips.txt \(row 6\): service_id"),
        ({"stops.txt": STOPS.replace("stop_id,", "id,")}, r"stops.txt \(row 1\): lacks required"),
        ({"calendar.txt": CALENDAR.replace("20241231", "2024-12-31")}, r"calendar.txt \(row 2\)"),
        (
            {"stop_times.txt": STOP_TIMES + "SOLO,08:00:00,08:00:00,A,1\n"},
            r"stop_times.txt \(row 14\): trip_id not in trips",
        ),
    ],
)
def test_bad_feeds_name_file_and_row(
    tmp_path: Path, override: dict[str, str | None], pattern: str
) -> None:
    path = write_feed(tmp_path, **override)
    with pytest.raises(corridor.DataSourceError, match=pattern):
        read_gtfs(path)


def test_not_a_zip_and_missing_path(tmp_path: Path) -> None:
    bad = tmp_path / "feed.zip"
    bad.write_text("stop_id\n")
    with pytest.raises(corridor.DataSourceError, match="not a GTFS zip"):
        read_gtfs(bad)
    with pytest.raises(corridor.DataSourceError, match="no such GTFS feed"):
        read_gtfs(tmp_path / "nope.zip")


def test_folder_feed(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    for name, text in feed_files().items():
        (folder / name).write_text(text)
    assert len(read_gtfs(folder).trips) == 5


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59))
def test_parse_times_valid(h: int, m: int, s: int) -> None:
    got = parse_times(pd.Series([f"{h}:{m:02d}:{s:02d}", f"{h:02d}:{m:02d}:{s:02d}"]))
    assert got.tolist() == [h * 3600 + m * 60 + s] * 2


@given(st.integers(0, 99), st.integers(60, 99), st.integers(0, 99))
def test_parse_times_rejects_bad_minutes(h: int, m: int, s: int) -> None:
    assert parse_times(pd.Series([f"{h}:{m}:{s:02d}"])).tolist() == [-1.0]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_fuzzed_stop_times_give_a_feed_or_a_clear_error(
    tmp_path: Path, data: st.DataObject
) -> None:
    text = STOP_TIMES
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text) - 1))
        junk = data.draw(st.sampled_from(["", ",", "\n", ":", "9", "X", '"', "99:99:99", "-"]))
        text = text[:i] + junk + text[i + 1 :]
    path = write_feed(tmp_path, name="fuzz.zip", **{"stop_times.txt": text})
    message = ""
    try:
        feed = read_gtfs(path)
    except corridor.DataSourceError as exc:
        message = str(exc)
    if message:
        assert "fuzz.zip" in message
    else:
        tt = build_timetable(feed, MONDAY)
        assert np.all(tt.arr_t >= tt.dep_t)
