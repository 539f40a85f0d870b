"""Routes, route sets, isochrones and comparisons as GeoDataFrames and as Jupyter HTML."""

from __future__ import annotations

import dataclasses
import itertools
from html.parser import HTMLParser

import geopandas as gpd
import pytest

import corridor


class _Text(HTMLParser):
    """Collects the text of a fragment and checks that its tags balance."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("br", "circle", "polyline"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("circle", "polyline"):
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> str:
    p = _Text()
    p.feed(fragment)
    assert not p.open, f"unclosed tags {p.open}"
    return " ".join(p.text)


def test_route_to_geodataframe_has_a_row_per_leg_with_crs(toy: corridor.Network) -> None:
    r = corridor.route(toy, "A", "D", modes="road")
    g = r.to_geodataframe()
    assert isinstance(g, gpd.GeoDataFrame)
    assert g.crs is not None and g.crs.to_epsg() == 4326
    assert len(g) == len(r.legs)
    assert g["length_km"].sum() == pytest.approx(r.length_km, abs=1e-3)
    assert list(g["seq"]) == list(range(len(r.legs)))
    # the legs' geometries join up, end to end, into the route's
    lines = list(g.geometry)
    assert lines[0].coords[0] == r.geometry.coords[0]
    assert lines[-1].coords[-1] == r.geometry.coords[-1]
    for before, after in itertools.pairwise(lines):
        assert before.coords[-1] == after.coords[0]


def test_route_html_names_the_places_and_escapes(toy: corridor.Network) -> None:
    r = corridor.route(toy, "A", "D", modes="road")
    text = _parse(r._repr_html_())
    assert "A → D" in text and "legs" in text
    fragment = dataclasses.replace(r, origin_name="<script>x</script>")._repr_html_()
    assert "<script>" not in fragment and "&lt;script&gt;" in fragment


def test_route_with_profile_lists_its_stops() -> None:
    net = corridor.eurasia()
    r = corridor.route(net, "Novosibirsk", "Harbin", profile="truck40")
    stops = r.stops_frame()
    assert "Zabaikalsk – Manzhouli" in set(stops["name"])
    assert list(stops.columns[:3]) == ["kind", "node_id", "name"]
    text = _parse(r._repr_html_())
    assert "Zabaikalsk – Manzhouli" in text and "stops" in text


def test_route_set_frame_and_html() -> None:
    net = corridor.eurasia()
    rs = corridor.alternatives(net, "Moscow", "Kazan", profile="car", k=3)
    g = rs.to_geodataframe()
    assert g.crs.to_epsg() == 4326 and len(g) == len(rs)
    assert list(g["rank"]) == list(range(len(rs)))
    assert g["time_h"].tolist() == [r.totals()["time_h"] for r in rs.routes]
    text = _parse(rs._repr_html_())
    assert "Moscow" in text and "Kazan" in text


def test_isochrone_frame_and_html(toy: corridor.Network) -> None:
    iso = corridor.isochrone(toy, "A", hours=[1.0, 5.0])
    g = iso.to_geodataframe()
    assert g.crs.to_epsg() == 4326 and len(g) == len(iso.nodes)
    assert g.geometry.x.tolist() == g["lon"].tolist()
    text = _parse(iso._repr_html_())
    assert "≤ 5 h" in text and str(iso.counts()[5.0]) in text


def test_comparison_frame_and_html() -> None:
    net = corridor.eurasia()
    before = corridor.get_scenario("m12-before").apply(net)
    after = corridor.get_scenario("m12-east").apply(net)
    opts = corridor.CompareOptions(
        flows=None, places=("Moscow", "Kazan", "Yekaterinburg"), profiles=("car",), top_changes=1
    )
    c = corridor.compare(before, after, options=opts)
    g = c.routes_geodataframe()
    assert g.crs.to_epsg() == 4326 and len(g) == len(c.routes)
    assert set(g["when"]) == {"before", "after"}
    text = _parse(c._repr_html_())
    assert "Yekaterinburg" in text and "Δ time (h)" in text
