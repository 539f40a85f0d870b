"""Exports: GeoJSON for networks, routes and trips; GPKG/GeoParquet; matrices; atomic writes."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.export.geojson import (
    links_geojson,
    network_geojson,
    nodes_geojson,
    route_geojson,
    trip_geojson,
)
from corridor.paths.trip import Trip, TripLeg


def test_network_geojson_has_every_node_and_link(toy: corridor.Network, tmp_path: Path) -> None:
    out = corridor.export_results(toy, tmp_path / "toy.geojson")
    data = json.loads(out.read_text())
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert layers.count("node") == len(toy.nodes)
    assert layers.count("link") == len(toy.links)
    link = next(f for f in data["features"] if f["properties"].get("link_id") == 20)
    assert link["geometry"]["coordinates"] == [[0.0, 0.0], [1.5, 0.5]]  # straight a -> b
    assert link["properties"]["gauge_mm"] == 1520.0
    road = next(f for f in data["features"] if f["properties"].get("link_id") == 10)
    assert road["properties"]["gauge_mm"] is None  # NaN becomes null, never NaN in JSON
    assert network_geojson(toy)["name"] == "toy"


def test_nodes_and_links_geojson_make_up_the_network_geojson(toy: corridor.Network) -> None:
    nodes, links = nodes_geojson(toy), links_geojson(toy)
    assert {f["geometry"]["type"] for f in nodes["features"]} == {"Point"}
    assert {f["geometry"]["type"] for f in links["features"]} == {"LineString"}
    assert nodes["features"] + links["features"] == network_geojson(toy)["features"]
    json.dumps(links, allow_nan=False)  # JSON-safe as it is


def test_network_to_gpkg_and_parquet_round_trip(toy: corridor.Network, tmp_path: Path) -> None:
    for name in ("toy.gpkg", "toy.parquet"):
        back = corridor.read_network(corridor.export_results(toy, tmp_path / name))
        assert back.links["length_km"].tolist() == toy.links["length_km"].tolist()


def test_route_geojson_legs_join_up(toy: corridor.Network) -> None:
    route = corridor.route(toy, "A", "D", modes="road")
    data = route_geojson(route)
    whole, *legs = data["features"]
    assert whole["properties"]["length_km"] == pytest.approx(route.length_km)
    assert len(legs) == len(route.legs)
    for before, after in itertools.pairwise(legs):
        assert before["geometry"]["coordinates"][-1] == after["geometry"]["coordinates"][0]
    assert legs[0]["geometry"]["coordinates"][0] == [0.0, 0.0]
    assert legs[-1]["geometry"]["coordinates"][-1] == [3.0, 0.0]
    assert route.legs[0].coords()[0] == [0.0, 0.0]  # the leg carries its own geometry


def test_trip_geojson() -> None:
    t0 = dt.datetime(2024, 1, 1, 8, 0)
    legs = (
        TripLeg("ride", "A", "B", "Alpha", "Bravo", t0, t0 + dt.timedelta(minutes=9),
                trip_id="T", route="1", stops=3, coords=((0.0, 0.0), (0.1, 0.0), (0.2, 0.0))),
        TripLeg("walk", "B", "C", "Bravo", "Charlie", t0 + dt.timedelta(minutes=9),
                t0 + dt.timedelta(minutes=11), coords=((0.2, 0.0), (0.2, 0.001))),
    )  # fmt: skip
    trip = Trip("A", "C", t0, t0 + dt.timedelta(minutes=11), legs)
    data = trip_geojson(trip)
    assert [f["properties"]["kind"] for f in data["features"]] == ["ride", "walk"]
    assert data["features"][0]["geometry"]["coordinates"][1] == [0.1, 0.0]
    assert data["properties"]["totals"]["rides"] == 1


def test_matrices_to_csv(tmp_path: Path) -> None:
    from corridor.export.omx import Matrices

    mats = Matrices(
        matrices={"time_h": np.array([[0.0, 1.5], [np.inf, 0.0]])},
        origins=np.array([1, 2]),
        destinations=np.array([1, 2]),
    )
    out = corridor.export_results(mats, tmp_path / "m.csv")
    lines = out.read_text().splitlines()
    assert lines[0] == "origin,destination,time_h"
    assert "2,1,inf" in lines


def test_failed_export_leaves_the_old_file(toy: corridor.Network, tmp_path: Path) -> None:
    target = tmp_path / "route.geojson"
    target.write_text("old")
    with pytest.raises(corridor.ValidationError, match="cannot export"):
        corridor.export_results(object(), target)
    with pytest.raises(corridor.ValidationError, match=r"\.gpkg, \.parquet"):
        corridor.export_results(toy, tmp_path / "toy.shp")
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises((corridor.DataSourceError, OSError)):
        corridor.export_results(toy, blocked / "toy.geojson")
    assert target.read_text() == "old"
    assert not list(tmp_path.glob(".tmp-*"))
