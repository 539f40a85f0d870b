"""`corridor trip` through the CLI."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli.app import app

FILES = {
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,0,0\nB,Bravo,0,0.1\n",
    "routes.txt": "route_id,route_short_name,route_type\nR,7,3\n",
    "trips.txt": "route_id,service_id,trip_id\nR,S,T\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T,09:00:00,09:00:00,A,1\nT,09:40:00,09:40:00,B,2\n"
    ),
    "calendar_dates.txt": "service_id,date,exception_type\nS,20240105,1\n",
}


def feed(tmp_path: Path, **override: str) -> Path:
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in {**FILES, **override}.items():
            z.writestr(name, text)
    return path


def test_trip_json(tmp_path: Path) -> None:
    args = ["trip", "Alpha", "Bravo", "--depart", "2024-01-05T08:30", "--gtfs"]
    result = CliRunner().invoke(app, [*args, str(feed(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["arrive"] == "2024-01-05T09:40:00"
    assert out["totals"]["time_h"] == round(70 / 60, 4)
    assert [leg["route"] for leg in out["legs"]] == ["7"]
    geo = tmp_path / "trip.geojson"
    table = CliRunner().invoke(app, [*args, str(feed(tmp_path)), "--out", str(geo)])
    assert table.exit_code == 0
    assert "09:40" in table.stdout
    ride = json.loads(geo.read_text())["features"][0]
    assert ride["geometry"]["coordinates"] == [[0.0, 0.0], [0.1, 0.0]]


def test_trip_bad_feed_is_one_line(tmp_path: Path) -> None:
    bad = feed(
        tmp_path, **{"stop_times.txt": FILES["stop_times.txt"].replace("09:40:00", "25:61:00")}
    )
    args = ["trip", "A", "B", "--depart", "2024-01-05T08:30", "--gtfs", str(bad), "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert "stop_times.txt (row 3)" in error
    assert "25:61:00" in error
    unknown = CliRunner().invoke(
        app, ["trip", "A", "Zulu", "--depart", "2024-01-05T08:30", "--gtfs", str(feed(tmp_path))]
    )
    assert unknown.exit_code == 2
