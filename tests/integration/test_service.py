"""The web service's JSON API, through FastAPI's TestClient, on the embedded network.

Answers are checked against the library called directly (the service must add nothing
and drop nothing), against the network's own coordinates, and against hand-checked
properties (Pareto non-dominance, isochrone counts from a separate skim, scenario link
differences counted from the tables).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor

fastapi = pytest.importorskip("fastapi", reason="fastapi is needed for the web service")

from corridor.service import ServiceSettings, create_app  # noqa: E402
from corridor.service import app as service_app  # noqa: E402
from corridor.service.limits import TokenBuckets  # noqa: E402


def _client(app: Any) -> Any:
    with warnings.catch_warnings():
        # starlette >= 1.0 warns when the test client uses httpx rather than httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app)


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.fixture(scope="module")
def client(net: corridor.Network) -> Iterator[Any]:
    app = create_app(net, ServiceSettings(rate_per_s=0))
    with _client(app) as c:
        yield c


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-3)


def test_health_and_openapi(client: Any, net: corridor.Network) -> None:
    h = client.get("/api/health").json()
    assert (h["nodes"], h["links"]) == (len(net.nodes), len(net.links))
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for p in (
        "/api/places",
        "/api/route",
        "/api/routes",
        "/api/tcd",
        "/api/isochrone",
        "/api/scenarios",
        "/api/compare",
    ):
        assert p in paths
    # every endpoint documents its request and response models
    assert "RouteRequest" in schema["components"]["schemas"]
    assert "ErrorResponse" in schema["components"]["schemas"]
    post = schema["paths"]["/api/route"]["post"]
    assert "404" in post["responses"] and "422" in post["responses"]
    # /docs is Swagger UI from web/node_modules (503 without it), never from a CDN
    docs = client.get("/docs")
    assert docs.status_code in (200, 503)
    assert "cdn" not in docs.text.lower()
    assert client.get("/redoc").status_code == 404


def test_places_prefix_and_alternate_names(client: Any) -> None:
    r = client.get("/api/places", params={"q": "chongq"}).json()
    assert r["places"][0]["name"] == "Chongqing"
    # an alternate name: Grodekovo is Pogranichny
    found = client.get("/api/places", params={"q": "Grodek"}).json()["places"]
    by_name = {p["name"]: p for p in found}
    assert by_name["Pogranichny"]["matched"] == "Grodekovo"
    assert "Grodekovo – Suifenhe (rail)" in by_name
    many = client.get("/api/places", params={"q": "K", "limit": 7}).json()["places"]
    assert len(many) == 7
    pops = [p["population"] for p in many]
    assert pops == sorted(pops, reverse=True)
    assert client.get("/api/places", params={"q": ""}).status_code == 422
    assert client.get("/api/places", params={"q": "K", "limit": 500}).status_code == 422


@pytest.mark.parametrize(
    ("body", "kwargs"),
    [
        (
            # the same default objective with a profile (generalized) in both
            {"origin": "Chongqing", "destination": "Duisburg", "profile": "container40"},
            {"profile": "container40"},
        ),
        ({"origin": "Moscow", "destination": "Kazan"}, {"optimize": "time"}),
    ],
)
def test_route_matches_library(
    client: Any, net: corridor.Network, body: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    got = client.post("/api/route", json=body).json()
    want = corridor.route(net, body["origin"], body["destination"], **kwargs).to_dict()
    for k, v in want["totals"].items():
        assert _close(got["totals"][k], v), k
    assert [leg["link_ids"] for leg in got["legs"]] == [leg["link_ids"] for leg in want["legs"]]
    assert [s["kind"] for s in got["stops"]] == [s["kind"] for s in want["stops"]]
    # border formalities (visa, documents) reach the API as the library lists them
    assert [s["formalities"] for s in got["stops"]] == [s["formalities"] for s in want["stops"]]
    # the drawn legs start and end at their nodes and follow on from each other
    xy = {
        int(i): (x, y)
        for i, x, y in zip(net.nodes["node_id"], net.nodes["lon"], net.nodes["lat"], strict=True)
    }
    lines = [f for f in got["features"]["features"] if f["geometry"]["type"] == "LineString"]
    assert len(lines) == len(got["legs"])
    for leg, f in zip(got["legs"], lines, strict=True):
        coords = f["geometry"]["coordinates"]
        assert f["properties"]["mode"] == leg["mode"]
        assert np.allclose(coords[0], xy[leg["from_node"]], atol=1e-3)
        assert np.allclose(coords[-1], xy[leg["to_node"]], atol=1e-3)
    points = [f for f in got["features"]["features"] if f["geometry"]["type"] == "Point"]
    assert [p["properties"]["kind"] for p in points] == [s["kind"] for s in got["stops"]]
    for s in got["stops"]:
        assert np.allclose([s["lon"], s["lat"]], xy[s["node_id"]], atol=1e-4)


def test_route_container_crosses_borders_and_gauges(client: Any) -> None:
    body = {"origin": "Chongqing", "destination": "Duisburg", "profile": "container40"}
    r = client.post("/api/route", json=body).json()
    kinds = {s["kind"] for s in r["stops"]}
    assert {"border_crossing", "gauge_change", "terminal"} <= kinds
    assert r["totals"]["time_d"] > 5
    # a repeated request is served from the cache, byte for byte
    again = client.post("/api/route", json=body)
    assert again.json() == r
    assert again.headers["server-timing"].startswith("app;dur=")


def test_route_without_profile_marks_crossings_passed(client: Any, net: corridor.Network) -> None:
    r = client.post("/api/route", json={"origin": "Moscow", "destination": "Almaty"}).json()
    assert r["stops"] == []
    kinds = dict(zip(net.nodes["node_id"].astype(int), net.nodes["kind"].astype(str), strict=True))
    passed = [n for n in r["node_ids"] if kinds[n] == "border_crossing"]
    assert passed  # Russia to Kazakhstan
    points = [f for f in r["features"]["features"] if f["geometry"]["type"] == "Point"]
    assert [p["properties"]["kind"] for p in points] == ["border_crossing"] * len(passed)


def test_routes_alternatives_and_pareto(client: Any) -> None:
    body = {"origin": "Chongqing", "destination": "Duisburg", "profile": "container40", "k": 3}
    alt = client.post("/api/routes", json=body).json()
    assert 1 <= len(alt["routes"]) <= 3
    keys = {tuple(i for leg in r["legs"] for i in leg["link_ids"]) for r in alt["routes"]}
    assert len(keys) == len(alt["routes"])
    par = client.post("/api/routes", json={**body, "method": "pareto", "tolerance": 0.0}).json()
    assert par["criteria"] == ["time", "cost", "co2"]
    vals = np.array(par["values"])
    assert len(vals) == len(par["routes"]) >= 1
    for i in range(len(vals)):
        for j in range(len(vals)):
            if i != j:  # no route is dominated by another
                assert not (np.all(vals[j] <= vals[i]) and np.any(vals[j] < vals[i]))
    too_many = client.post("/api/routes", json={**body, "k": 50})
    assert too_many.status_code == 422
    assert "at most 5" in too_many.json()["error"]


def test_tcd_table_ends_at_route_totals(client: Any) -> None:
    body = {
        "origin": "Novosibirsk",
        "destination": "Harbin",
        "profiles": ["truck40", "grain-wagon"],
    }
    t = client.post("/api/tcd", json=body).json()
    assert len(t["routes"]) == 2
    by_route: dict[str, list[dict[str, Any]]] = {}
    for row in t["table"]:
        by_route.setdefault(row["route"], []).append(row)
    assert len(by_route) == 2
    for r, rows in zip(t["routes"], by_route.values(), strict=True):
        assert rows[0]["cum_distance_km"] == 0.0
        last = rows[-1]
        assert math.isclose(last["cum_distance_km"], r["totals"]["length_km"], rel_tol=1e-4)
        assert math.isclose(last["cum_cost_usd"], r["totals"]["cost_usd"], rel_tol=1e-4)
        cum = [x["cum_time_h"] for x in rows]
        assert cum == sorted(cum)


def test_isochrone_counts_match_a_skim(client: Any, net: corridor.Network) -> None:
    hours = [6.0, 12.0, 24.0]
    r = client.post("/api/isochrone", json={"origin": "Moscow", "hours": hours}).json()
    ids = net.nodes["node_id"].to_numpy()
    sk = corridor.skim(net, ["Moscow"], ids, cost="time_h", modes="road", method="dijkstra")
    t = sk.values[0]
    assert [b["nodes"] for b in r["bands"]] == [int((t <= h).sum()) for h in hours]
    assert r["unreachable"] == int(np.isinf(t).sum())
    nodes = [f for f in r["features"]["features"] if f["properties"]["kind"] == "node"]
    for f in nodes:
        th, band = f["properties"]["time_h"], f["properties"]["band"]
        if th is None:
            assert band == -1
        else:
            assert band == next((i for i, h in enumerate(hours) if th <= h + 1e-3), -1)
    bad = client.post("/api/isochrone", json={"origin": "Moscow", "hours": [100]})
    assert bad.status_code == 422 and "<= 72" in bad.json()["error"]
    many = client.post("/api/isochrone", json={"origin": "Moscow", "hours": [1, 2, 3, 4, 5, 6, 7]})
    assert many.status_code == 422


def test_scenarios_and_cached_compare(
    client: Any, net: corridor.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [s["name"] for s in client.get("/api/scenarios").json()["scenarios"]]
    assert {"m12-before", "m12-east"} <= set(names)
    body = {"base": "m12-before", "other": "m12-east"}
    r = client.post("/api/compare", json=body)
    assert r.status_code == 200
    c = r.json()
    before = corridor.get_scenario("m12-before").apply(net)
    after = corridor.get_scenario("m12-east").apply(net)
    # m12-before is the same day with the M-12's links closed: they reopen in m12-east
    closed = before.links["closed"].notna() & (before.links["closed"] <= pd.Timestamp("1901-01-01"))
    reopened = set(before.links.loc[closed, "link_id"]) & set(after.links["link_id"])
    assert c["summary"].get("reopened", 0) == len(reopened) > 0
    drawn = {
        f["properties"]["link_id"]
        for f in c["changes"]["features"]
        if f["properties"].get("change") == "reopened"
    }
    assert drawn == reopened
    head = {(h["profile"], h["origin"], h["destination"]): h for h in c["headline"]}
    car = head[("car", "Moscow", "Yekaterinburg")]
    assert car["time_h_after"] < car["time_h_before"]  # the M-12 east section saves time

    def recompute(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the second identical compare must come from the cache")

    monkeypatch.setattr(service_app, "_compare", recompute)
    again = client.post("/api/compare", json=body)
    assert again.status_code == 200
    assert again.content == r.content
    bad = client.post("/api/compare", json={"base": "/etc/passwd", "other": "m12-east"})
    assert bad.status_code == 404 and "choose one of" in bad.json()["error"]


@pytest.mark.parametrize(
    ("body", "status", "kind", "text"),
    [
        ({"origin": "Atlantis", "destination": "Kazan"}, 404, "UnknownNodeError", "Atlantis"),
        (
            {"origin": "Moscow", "destination": "Kazan", "profile": "../profiles/x.yaml"},
            422,
            "ValidationError",
            "unknown profile",
        ),
        (
            {"origin": "Moscow", "destination": "Kazan", "optimize": "cost"},
            422,
            "ValidationError",
            "needs a profile",
        ),
        ({"origin": "Moscow"}, 422, "RequestValidationError", "destination: Field required"),
        (
            {"origin": "Moscow", "destination": "Kazan", "modes": "teleport"},
            422,
            "RequestValidationError",
            "modes",
        ),
        (
            {"origin": "Moscow", "destination": "Kazan", "network": "/tmp/x.gpkg"},
            422,
            "RequestValidationError",
            "network",
        ),
        (
            {"origin": "Moscow", "destination": "Tolyatti", "modes": "rail"},
            404,
            "NoPathError",
            "path from Moscow to Tolyatti",
        ),
    ],
)
def test_errors_are_json_with_a_message(
    client: Any, body: dict[str, Any], status: int, kind: str, text: str
) -> None:
    r = client.post("/api/route", json=body)
    assert r.status_code == status, r.text
    err = r.json()
    assert err["type"] == kind and err["status"] == status
    assert text in err["error"]


def test_unknown_page_and_method(client: Any) -> None:
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json()["error"] == "no such page: /api/nothing"
    assert client.get("/api/route").status_code == 405


def test_body_size_limit(net: corridor.Network) -> None:
    app = create_app(net, ServiceSettings(rate_per_s=0, max_body_bytes=1024))
    with _client(app) as c:
        big = {"origin": "Moscow", "destination": "Kazan", "depart": "x" * 2000}
        r = c.post("/api/route", json=big)
        assert r.status_code == 413
        assert r.json()["type"] == "PayloadTooLarge"
        ok = c.post("/api/route", json={"origin": "Moscow", "destination": "Kazan"})
        assert ok.status_code == 200


def test_rate_limit_per_client(net: corridor.Network) -> None:
    app = create_app(net, ServiceSettings(rate_per_s=0.5, rate_burst=3))
    with _client(app) as c:
        codes = [c.get("/api/health").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = c.get("/api/health")
        assert int(r.headers["retry-after"]) >= 1 and "too many requests" in r.json()["error"]
        # the page and static files are not limited
        assert c.get("/").status_code == 200


def test_token_bucket_refills_and_forgets_old_clients() -> None:
    now = [0.0]
    b = TokenBuckets(2.0, 2, max_clients=2, clock=lambda: now[0])
    assert b.take("a") == 0 and b.take("a") == 0
    assert b.take("a") == pytest.approx(0.5)
    now[0] = 0.5  # one token back
    assert b.take("a") == 0
    b.take("b")
    b.take("c")
    assert len(b) == 2  # "a", least recently seen, was dropped


def test_cors_off_unless_configured(net: corridor.Network, client: Any) -> None:
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    app = create_app(net, ServiceSettings(rate_per_s=0, cors_origins=("https://example.org",)))
    with _client(app) as c:
        h = c.get("/api/health", headers=origin).headers
        assert h["access-control-allow-origin"] == "https://example.org"


def test_settings_from_env() -> None:
    s = ServiceSettings.from_env(
        {"CORRIDOR_SERVICE_RATE_PER_S": "0", "CORRIDOR_SERVICE_CORS_ORIGINS": "http://a, http://b"}
    )
    assert s.rate_per_s == 0 and s.cors_origins == ("http://a", "http://b")
    with pytest.raises(corridor.ValidationError, match="MAX_ALTERNATIVES"):
        ServiceSettings.from_env({"CORRIDOR_SERVICE_MAX_ALTERNATIVES": "many"})
    with pytest.raises(corridor.ValidationError, match="max_alternatives"):
        ServiceSettings(max_alternatives=0)


def test_map_data_and_page(client: Any) -> None:
    g = client.get("/api/network.geojson").json()
    modes = {f["properties"].get("mode") for f in g["features"]}
    assert {"road", "rail"} <= modes
    outlines = client.get("/api/outlines.geojson").json()
    assert outlines["type"] == "FeatureCollection" and len(outlines["features"]) > 10
    page = client.get("/")
    assert page.status_code == 200 and "/vendor/maplibre/maplibre-gl.js" in page.text
    assert "https://" not in page.text  # nothing from a CDN


def test_serve_command_checks_its_port() -> None:
    from typer.testing import CliRunner

    from corridor.cli.app import app

    r = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert r.exit_code == 2
    assert "--port 70000" in r.output
    assert "serve" in CliRunner().invoke(app, ["--help"]).output
    r = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert r.exit_code == 2
    assert "--workers 0" in r.output


@pytest.mark.slow
def test_serve_with_two_worker_processes_answers_routes() -> None:
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "corridor", "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen([*cmd, "--log-level", "warning"], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(base + "/api/health", timeout=2).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        body = {"origin": "Moscow", "destination": "Kazan", "profile": "truck40"}
        got = httpx.post(base + "/api/route", json=body, timeout=60).json()
        want = corridor.route(corridor.eurasia(), "Moscow", "Kazan", profile="truck40")
        assert _close(got["totals"]["time_h"], want.totals()["time_h"])
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    assert b"with 2 processes" in err


def test_serves_a_network_file_chosen_by_the_operator(tmp_path: Any) -> None:
    toy = corridor.examples.toy()
    path = corridor.write_network(toy, tmp_path / "toy.gpkg")
    app = create_app(settings=ServiceSettings(rate_per_s=0, network_file=path))
    with _client(app) as c:
        assert c.get("/api/health").json()["nodes"] == len(toy.nodes)
        r = c.post("/api/route", json={"origin": "A", "destination": "D", "modes": "road"}).json()
        want = corridor.route(toy, "A", "D", modes="road").totals()
        assert _close(r["totals"]["time_h"], want["time_h"])


def test_serve_command_rejects_a_bad_network_file(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from corridor.cli.app import app

    bad = tmp_path / "nothing.gpkg"
    r = CliRunner().invoke(app, ["serve", "--network", str(bad)])
    assert r.exit_code == 2
    assert "nothing.gpkg" in r.output
