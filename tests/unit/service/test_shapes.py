"""Isochrone band polygons (corridor.service.shapes) against hand-computed cases.

Distances are checked on the ground with a haversine written here (independent of the
Mercator buffering inside), and nesting and coverage as shapely predicates.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import ValidationError
from corridor.service.shapes import Reach, band_polygons

R_KM = 6371.0088


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(a))


def one_link(lat: float = 0.0, t_b: float = 10.0) -> Reach:
    """A 1-degree link east along `lat` from the origin A (t=0) to B (t=t_b), 10 h long."""
    line = shapely.LineString([(30.0, lat), (31.0, lat)])
    return Reach(
        lines=np.array([line], dtype=object),
        time_a_h=np.array([0.0]),
        time_b_h=np.array([t_b]),
        link_time_h=np.array([10.0]),
        node_lon=np.array([30.0, 31.0]),
        node_lat=np.array([lat, lat]),
        node_time_h=np.array([0.0, t_b]),
    )


def east_edge(poly: shapely.Geometry, lat: float) -> float:
    """Longitude where the polygon's boundary crosses the parallel `lat`, eastmost."""
    cut = poly.intersection(shapely.LineString([(0.0, lat), (60.0, lat)]))
    return float(shapely.get_coordinates(cut)[:, 0].max())


def test_half_way_along_a_link_plus_the_access_radius() -> None:
    # within 5 h of A on a 10 h link: the link's first half is reached; its end point
    # at lon 30.5 has no time to spare, so the edge is the minimum radius beyond it
    (poly,) = band_polygons(
        one_link(), [5.0], access_kmh=10.0, max_radius_km=30.0, min_radius_km=5.0, step_km=2.0
    )
    edge = east_edge(poly, 0.0)
    reach_km = haversine_km(30.0, 0.0, edge, 0.0)
    half_km = haversine_km(30.0, 0.0, 30.5, 0.0)
    assert reach_km == pytest.approx(half_km + 5.0, abs=2.5)  # within one 2 km piece
    # west of A there is no link: the disc of the origin, 5 h spare x 10 km/h = 50 capped
    west = float(shapely.get_coordinates(poly)[:, 0].min())
    assert haversine_km(west, 0.0, 30.0, 0.0) == pytest.approx(30.0, rel=0.03)


def test_radius_is_in_ground_km_at_high_latitude() -> None:
    # at 60 N a degree of longitude is half as long: the disc must still be ~30 km wide
    (poly,) = band_polygons(
        one_link(lat=60.0),
        [5.0],
        access_kmh=10.0,
        max_radius_km=30.0,
        min_radius_km=5.0,
        step_km=2.0,
    )
    west = float(shapely.get_coordinates(poly)[:, 0].min())
    assert haversine_km(west, 60.0, 30.0, 60.0) == pytest.approx(30.0, rel=0.03)
    north = float(shapely.get_coordinates(poly)[:, 1].max())
    assert haversine_km(30.0, north, 30.0, 60.0) == pytest.approx(30.0, rel=0.03)


def test_a_link_reached_from_both_ends_is_covered_in_the_middle() -> None:
    # both ends reached at 1 h, link 10 h: the middle is 6 h away, outside a 4 h band
    reach = one_link(t_b=1.0)
    reach = Reach(
        reach.lines,
        np.array([1.0]),
        np.array([1.0]),
        np.array([10.0]),
        reach.node_lon,
        reach.node_lat,
        np.array([1.0, 1.0]),
    )
    (inner, outer) = band_polygons(
        reach, [4.0, 7.0], access_kmh=1.0, max_radius_km=5.0, min_radius_km=1.0, step_km=2.0
    )
    middle = shapely.Point(30.5, 0.0)
    assert not inner.contains(middle)
    assert outer.contains(middle)
    assert inner.contains(shapely.Point(30.05, 0.0)) and inner.contains(shapely.Point(30.95, 0.0))


def test_a_link_of_one_repeated_point_counts_as_its_end() -> None:
    # some links' geometry is two identical points (a short yard link): no failure, and
    # the point is covered like a reached node
    line = shapely.LineString([(30.0, 0.0), (30.0, 0.0)])
    reach = Reach(
        np.array([line], dtype=object),
        np.array([1.0]),
        np.array([1.5]),
        np.array([0.5]),
        np.array([]),
        np.array([]),
        np.array([]),
    )
    (poly,) = band_polygons(reach, [2.0], access_kmh=10.0, max_radius_km=30.0, min_radius_km=5.0)
    west = float(shapely.get_coordinates(poly)[:, 0].min())
    assert haversine_km(west, 0.0, 30.0, 0.0) == pytest.approx(10.0, rel=0.03)  # 1 h spare


def test_unreached_links_and_nodes_add_nothing() -> None:
    reach = one_link(t_b=math.inf)
    reach = Reach(
        reach.lines,
        np.array([math.inf]),
        np.array([math.inf]),
        np.array([10.0]),
        np.array([31.0]),
        np.array([0.0]),
        np.array([math.inf]),
    )
    (poly,) = band_polygons(reach, [24.0])
    assert poly.is_empty


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(ValidationError, match="thresholds"):
        band_polygons(one_link(), [0.0])
    with pytest.raises(ValidationError, match="access_kmh"):
        band_polygons(one_link(), [1.0], access_kmh=-1.0)


@settings(max_examples=25, deadline=None)
@given(
    times=st.lists(st.floats(0.0, 30.0), min_size=4, max_size=4),
    hours=st.lists(st.floats(0.5, 40.0), min_size=1, max_size=4, unique=True),
)
def test_bands_are_nested_and_cover_every_reached_node(
    times: list[float], hours: list[float]
) -> None:
    # a square of 4 nodes and 4 links, random end times
    pts = [(40.0, 50.0), (42.0, 50.0), (42.0, 52.0), (40.0, 52.0)]
    lines = np.array(
        [shapely.LineString([pts[i], pts[(i + 1) % 4]]) for i in range(4)], dtype=object
    )
    t = np.array(times)
    reach = Reach(
        lines,
        t,
        np.roll(t, -1),
        np.full(4, 5.0),
        np.array([p[0] for p in pts]),
        np.array([p[1] for p in pts]),
        t,
    )
    hs = sorted(hours)
    polys = band_polygons(reach, hs)
    for small, big in itertools.pairwise(polys):
        # nested up to the simplification (0.5 km, ~0.01 degree here)
        assert small.difference(big.buffer(0.01)).is_empty
    for h, poly in zip(hs, polys, strict=True):
        for (x, y), ti in zip(pts, times, strict=True):
            if ti <= h:
                assert poly.buffer(1e-6).contains(shapely.Point(x, y))
        # nothing beyond the furthest reach: every node's time plus the cap
        far = [p for p, ti in zip(pts, times, strict=True) if ti <= h]
        if not far:
            assert poly.is_empty
