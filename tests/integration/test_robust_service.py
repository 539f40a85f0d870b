"""The service refuses hostile input with a JSON 4xx and cannot be stalled (issue 13).

Every endpoint that takes a place gets the inputs that used to give a plain-text 500
(a lone surrogate, superscript digits, a 5,000-digit id, a name padded with 16,000 spaces,
extreme departures); each must answer with JSON and a 4xx status.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

import corridor

pytest.importorskip("fastapi", reason="fastapi is needed for the web service")

from corridor.service import ServiceSettings, create_app
from corridor.service.limits import RateLimit, TokenBuckets


def _client(app: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette >= 1.0 warns about httpx
        from fastapi.testclient import TestClient
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    app = create_app(corridor.examples.toy(), ServiceSettings(rate_per_s=0))
    with _client(app) as c:
        yield c


HOSTILE = ["\ud800", "²", "³", "9" * 5000, "x" + " " * 16000, "", " ", "\x00"]
ENDPOINTS = {
    "route": {"destination": "D"},
    "routes": {"destination": "D", "profile": "truck40"},
    "tcd": {"destination": "D"},
    "isochrone": {"hours": [6]},
}


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    raw = json.dumps(body, ensure_ascii=True)  # \ud800 travels as the JSON escape
    return client.post(path, content=raw, headers={"content-type": "application/json"})


def _json_4xx(r: Any) -> dict[str, Any]:
    assert r.headers["content-type"].startswith("application/json"), r.text[:200]
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])
    body = r.json()
    assert body["status"] == r.status_code and len(body["error"]) < 1000
    return dict(body)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("origin", HOSTILE, ids=lambda o: repr(o[:6]) + f"x{len(o)}")
def test_hostile_origins_get_json_4xx(client: Any, endpoint: str, origin: str) -> None:
    body = _json_4xx(_post(client, f"/api/{endpoint}", {**ENDPOINTS[endpoint], "origin": origin}))
    assert "9" * 300 not in body["error"] and " " * 300 not in body["error"]


@pytest.mark.parametrize("endpoint", ["route", "routes", "tcd"])
@pytest.mark.parametrize(
    "depart", ["0001-01-01T00:00", "9999-12-31T23:59", "2262-04-12T00:00", "", "\ud800"]
)
def test_extreme_departures_get_json_4xx(client: Any, endpoint: str, depart: str) -> None:
    body = {**ENDPOINTS[endpoint], "origin": "A", "depart": depart}
    if endpoint == "route":
        body["profile"] = "truck40"
    _json_4xx(_post(client, f"/api/{endpoint}", body))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/places", {"q": "x" + " " * 16000}),
        ("/api/places", {"q": "²"}),
        ("/api/resolve", {"q": "9" * 5000}),
        ("/api/resolve", {"q": "²"}),
    ],
)
def test_get_endpoints_with_hostile_queries(client: Any, path: str, params: dict[str, str]) -> None:
    r = client.get(path, params=params)
    assert r.headers["content-type"].startswith("application/json")
    assert r.status_code in (200, 404, 422), r.text[:200]


def test_node_ids_beyond_int64_are_refused(client: Any) -> None:
    _json_4xx(_post(client, "/api/route", {"origin": 10**30, "destination": "D"}))
    _json_4xx(_post(client, "/api/route", {"origin": -1, "destination": "D"}))


def test_valid_requests_still_answer(client: Any) -> None:
    r = _post(client, "/api/route", {"origin": "A", "destination": "D"})
    assert r.status_code == 200 and r.json()["totals"]["length_km"] > 0


def test_an_unexpected_error_is_json_not_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(corridor.examples.toy(), ServiceSettings(rate_per_s=0))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(corridor, "tcd", broken)
    with _client(app) as c:
        r = _post(c, "/api/tcd", {"origin": "A", "destination": "D"})
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/json")
    assert r.json()["type"] == "InternalError" and "a bug" not in r.json()["error"]


def test_a_slow_search_times_out_with_503_and_health_still_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = create_app(corridor.examples.toy(), ServiceSettings(rate_per_s=0, request_timeout_s=0.2))
    release = threading.Event()
    real = corridor.route

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(10.0)  # held until the test lets go: no sleep decides the outcome
        return real(*args, **kwargs)

    monkeypatch.setattr(corridor, "route", slow)
    with _client(app) as c:
        r = _post(c, "/api/route", {"origin": "A", "destination": "D"})
        assert r.status_code == 503 and r.json()["type"] == "Timeout"
        assert c.get("/api/health").status_code == 200  # the event loop is free
        release.set()


def test_rate_limit_keys_by_address_or_by_connection() -> None:
    async def ok(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    import asyncio

    def codes(key: str) -> list[int]:
        limit = RateLimit(ok, TokenBuckets(1e-6, 1), key=key)
        out: list[int] = []

        async def send(msg: Any) -> None:
            if msg["type"] == "http.response.start":
                out.append(msg["status"])

        async def receive() -> Any:
            return {"type": "http.request", "body": b""}

        for port in (5001, 5002, 5001):
            scope = {"type": "http", "path": "/api/route", "client": ("127.0.0.1", port)}
            asyncio.run(limit(scope, receive, send))
        return out

    assert codes("ip") == [200, 429, 429]  # one loopback address, one bucket
    assert codes("connection") == [200, 200, 429]  # each connection its own bucket


def test_forwarded_for_is_ignored_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from corridor.cli.app import app

    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(k))
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    assert seen[-1]["proxy_headers"] is False
    res = CliRunner().invoke(app, ["serve", "--forwarded-allow-ips", "10.0.0.2"])
    assert res.exit_code == 0
    assert seen[-1]["proxy_headers"] is True and seen[-1]["forwarded_allow_ips"] == "10.0.0.2"


def test_settings_for_rate_key_and_timeout() -> None:
    env = {"CORRIDOR_SERVICE_RATE_KEY": "connection", "CORRIDOR_SERVICE_REQUEST_TIMEOUT_S": "5"}
    cfg = ServiceSettings.from_env(env)
    assert cfg.rate_key == "connection" and cfg.request_timeout_s == 5.0
    with pytest.raises(corridor.ValidationError, match="rate_key"):
        ServiceSettings(rate_key="everyone")
