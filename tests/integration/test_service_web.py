"""The web planner's API additions: as_of, exact names (did you mean), isochrone polygons
and the offline /docs page, through FastAPI's TestClient on the embedded network.

Answers are checked against the library called directly (``Network.as_of`` and
``corridor.route``/``corridor.isochrone``), and polygons against the node times.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import shapely

import corridor

pytest.importorskip("fastapi", reason="fastapi is needed for the web service")

from tests.browser_support import needs_swagger

from corridor.service import ServiceSettings, create_app


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.fixture(scope="module")
def client(net: corridor.Network) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(create_app(net, ServiceSettings(rate_per_s=0)))


def test_route_as_of_is_the_network_of_that_day(client: Any, net: corridor.Network) -> None:
    body = {"origin": "Moscow", "destination": "Kazan", "profile": "car"}
    now = client.post("/api/route", json=body).json()
    then = client.post("/api/route", json={**body, "as_of": "2020-06-01"}).json()
    direct = corridor.route(net.as_of("2020-06-01"), "Moscow", "Kazan", profile="car")
    assert then["as_of"] == "2020-06-01" and now["as_of"] is None
    assert then["totals"]["time_h"] == pytest.approx(direct.totals()["time_h"], rel=1e-9)
    # the M-12 (opened 2023) is not there in 2020: the trip is slower
    assert then["totals"]["time_h"] > now["totals"]["time_h"] + 1.0


def test_routes_and_tcd_take_as_of(client: Any, net: corridor.Network) -> None:
    body = {"origin": "Moscow", "destination": "Kazan", "profile": "car", "as_of": "2020-06-01"}
    rs = client.post("/api/routes", json={**body, "k": 2}).json()
    direct = corridor.alternatives(net.as_of("2020-06-01"), "Moscow", "Kazan", profile="car", k=2)
    got = [r["totals"]["time_h"] for r in rs["routes"]]
    assert got == pytest.approx([r.totals()["time_h"] for r in direct.routes], rel=1e-9)
    tcd = client.post(
        "/api/tcd",
        json={
            "origin": "Moscow",
            "destination": "Kazan",
            "profiles": ["car"],
            "as_of": "2020-06-01",
        },
    )
    assert tcd.status_code == 200
    assert tcd.json()["routes"][0]["totals"]["time_h"] == pytest.approx(got[0], rel=1e-9)


def test_bad_as_of_is_a_422_naming_the_format(client: Any) -> None:
    r = client.post(
        "/api/route", json={"origin": "Moscow", "destination": "Kazan", "as_of": "soon"}
    )
    assert r.status_code == 422
    assert "ISO" in r.json()["message"]


def test_typo_is_refused_with_suggestions_when_exact(client: Any) -> None:
    body = {"origin": "Moscw", "destination": "Kazan"}
    loose = client.post("/api/route", json=body)
    assert loose.status_code == 200  # the library's default: closest spelling, with a note
    assert "closest spelling" in loose.json()["resolved"]["origin"]["note"]
    strict = client.post("/api/route", json={**body, "exact_names": True})
    assert strict.status_code == 404
    err = strict.json()
    assert err["code"] == "unknown_node" and err["field"] == "origin"
    assert err["suggestions"][0] == "Moscow"
    assert "did you mean Moscow" in err["message"]
    r = client.get("/api/resolve", params={"q": "Kazn", "role": "destination", "exact": True})
    assert r.status_code == 404 and r.json()["suggestions"][0] == "Kazan"
    ok = client.get("/api/resolve", params={"q": "kazan", "exact": True})
    assert ok.status_code == 200 and ok.json()["name"] == "Kazan"
    iso = client.post("/api/isochrone", json={"origin": "Moscw", "exact_names": True})
    assert iso.status_code == 404 and iso.json()["suggestions"][0] == "Moscow"


def test_isochrone_polygons_cover_reached_nodes(client: Any, net: corridor.Network) -> None:
    hours = [6.0, 12.0, 24.0]
    r = client.post("/api/isochrone", json={"origin": "Moscow", "hours": hours})
    assert r.status_code == 200
    data = r.json()
    assert data["origin"]["name"] == "Moscow"
    assert "km/h off the network" in data["area_definition"]
    lon, lat = data["origin"]["lon"], data["origin"]["lat"]
    iso = corridor.isochrone(net, "Moscow", hours=hours)
    polys = [shapely.geometry.shape(f["geometry"]) for f in data["polygons"]["features"]]
    assert [f["properties"]["within_h"] for f in data["polygons"]["features"]] == hours
    assert all(p.contains(shapely.Point(lon, lat)) for p in polys)
    assert polys[0].area < polys[1].area < polys[2].area
    nodes = iso.nodes
    for h, poly in zip(hours, polys, strict=True):
        inside = nodes[nodes["time_h"] <= h]
        pts = shapely.points(inside["lon"].to_numpy(), inside["lat"].to_numpy())
        assert shapely.contains(poly.buffer(1e-4), pts).all(), h
        # a road-reached city far beyond the threshold (over twice as far) is outside;
        # rail-only towns (unreached by road) may lie within the area of a reached road
        t = nodes["time_h"]
        far = nodes[(t > 2 * h + 2) & (t < float("inf")) & (nodes["kind"] == "city")]
        assert len(far) > 10
        fpts = shapely.points(far["lon"].to_numpy(), far["lat"].to_numpy())
        assert not shapely.contains(poly, fpts).any(), h
    counts = iso.counts()
    assert [f["properties"]["nodes"] for f in data["polygons"]["features"]] == [
        counts[h] for h in hours
    ]


@needs_swagger
def test_docs_are_served_offline(client: Any) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.text
    assert "/vendor/swagger/swagger-ui-bundle.js" in html and "/openapi.json" in html
    assert "cdn" not in html.lower() and "https://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        got = client.get(f"/vendor/swagger/{asset}")
        assert got.status_code == 200 and len(got.content) > 10_000
    schema = client.get("/openapi.json").json()
    assert "as_of" in schema["components"]["schemas"]["RouteRequest"]["properties"]


def test_isochrone_as_of_and_profile_are_the_library_s(client: Any, net: corridor.Network) -> None:
    body = {"origin": "Kazan", "hours": [4.0, 8.0], "as_of": "2020-06-01", "profile": "truck40"}
    got = client.post("/api/isochrone", json=body).json()
    want = corridor.isochrone(net.as_of("2020-06-01"), "Kazan", hours=[4, 8], profile="truck40")
    assert got["as_of"] == "2020-06-01" and got["profile"] == "truck40"
    assert [b["nodes"] for b in got["bands"]] == [want.counts()[h] for h in (4.0, 8.0)]
    assert got["time_definition"] == want.time_definition
    bands = got["polygons"]["features"]
    assert [f["properties"]["nodes"] for f in bands] == [b["nodes"] for b in got["bands"]]


def test_routes_refuse_a_typo_when_exact(client: Any) -> None:
    body = {"origin": "Moscow", "destination": "Kazn", "profile": "car", "exact_names": True}
    r = client.post("/api/routes", json=body)
    assert r.status_code == 404
    assert r.json()["field"] == "destination" and r.json()["suggestions"][0] == "Kazan"
    tcd = client.post(
        "/api/tcd",
        json={"origin": "Moscw", "destination": "Kazan", "profiles": ["car"], "exact_names": True},
    )
    assert tcd.status_code == 404 and tcd.json()["suggestions"][0] == "Moscow"


@pytest.mark.parametrize("modes", ["rail", "any"])
def test_isochrone_polygons_for_other_modes(client: Any, modes: str) -> None:
    # rail has links whose geometry is one repeated point; flights and ferries add only
    # their ends (one cannot leave a plane midway)
    r = client.post("/api/isochrone", json={"origin": "Moscow", "hours": [6, 24], "modes": modes})
    assert r.status_code == 200
    polys = [shapely.geometry.shape(f["geometry"]) for f in r.json()["polygons"]["features"]]
    assert polys[0].area < polys[1].area
    assert polys[1].contains(shapely.Point(r.json()["origin"]["lon"], r.json()["origin"]["lat"]))
