"""The service stays responsive under load (issue 13): health never waits behind searches.

No test here times anything. They check the structure that keeps the event loop free: at
most ``max_concurrent_requests`` requests are inside the app while the rest wait outside
it, in order, and ``/api/health`` is answered while every slot is held by a search that
cannot finish.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

import corridor

pytest.importorskip("fastapi", reason="fastapi is needed for the web service")
httpx = pytest.importorskip("httpx", reason="httpx drives the app in-process")

from corridor.service import ServiceSettings, create_app  # noqa: E402
from corridor.service.limits import ConcurrencyGate  # noqa: E402

_WAIT_ROUNDS = 6000  # [assumption] loop turns of 10 ms to wait for a condition (60 s at most)


async def _until(condition: Any) -> None:
    for _ in range(_WAIT_ROUNDS):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


def test_health_is_answered_while_every_slot_holds_a_blocked_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    lock = threading.Lock()
    inside = {"now": 0, "most": 0, "entered": 0}
    real_route = corridor.route

    def blocked_route(*args: Any, **kwargs: Any) -> corridor.Route:
        with lock:
            inside["now"] += 1
            inside["entered"] += 1
            inside["most"] = max(inside["most"], inside["now"])
        try:
            if not release.wait(60):
                raise AssertionError("the test never released the searches")
            return real_route(*args, **kwargs)
        finally:
            with lock:
                inside["now"] -= 1

    monkeypatch.setattr(corridor, "route", blocked_route)
    app = create_app(
        corridor.examples.toy(), ServiceSettings(rate_per_s=0, max_concurrent_requests=2)
    )

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            searches = [
                asyncio.create_task(
                    c.post(
                        "/api/route",
                        json={
                            "origin": "A",
                            "destination": "D",
                            "profile": "truck40",
                            "depart": f"2026-01-0{i}T08:00",
                        },
                    )
                )
                for i in range(1, 6)
            ]
            await _until(lambda: inside["entered"] == 2)
            health = await c.get("/api/health")
            assert health.status_code == 200
            assert health.json()["nodes"] == len(corridor.examples.toy().nodes)
            # the two slots are held; the other three searches wait outside the app
            assert inside["entered"] == 2 and not any(t.done() for t in searches)
            head = await c.head("/api/health")
            assert head.status_code == 200 and head.content == b""
            release.set()
            answers = await asyncio.gather(*searches)
            assert [r.status_code for r in answers] == [200] * 5
        assert inside["most"] == 2 and inside["entered"] == 5

    asyncio.run(scenario())


def test_health_answer_is_the_documented_one() -> None:
    app = create_app(corridor.examples.toy(), ServiceSettings(rate_per_s=0))

    async def scenario() -> tuple[Any, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return (await c.get("/api/health")).json(), (await c.get("/openapi.json")).json()

    body, schema = asyncio.run(scenario())
    documented = schema["components"]["schemas"]["HealthResponse"]["properties"]
    assert set(body) == set(documented)
    assert body["status"] == "ok" and body["network"] == corridor.examples.toy().name


async def _blocking_app(scope: Any, receive: Any, send: Any, *, gate: asyncio.Event) -> None:
    await gate.wait()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def test_gate_refuses_with_json_503_after_its_timeout_and_keeps_fixed_answers() -> None:
    async def scenario() -> None:
        opened = asyncio.Event()

        async def inner(scope: Any, receive: Any, send: Any) -> None:
            await _blocking_app(scope, receive, send, gate=opened)

        gate = ConcurrencyGate(inner, limit=1, timeout_s=0.05, fixed={"/api/health": b'{"a":1}'})
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            first = asyncio.create_task(c.get("/api/slow"))
            await _until(lambda: gate.inside == 1)
            busy = await c.get("/api/other")  # no slot within 0.05 s: the first never ends
            assert busy.status_code == 503 and int(busy.headers["retry-after"]) >= 1
            assert json.loads(busy.content)["type"] == "Busy"
            health = await c.get("/api/health")
            assert health.status_code == 200 and health.json() == {"a": 1}
            page = asyncio.create_task(c.get("/index.html"))  # not gated: enters at once
            await _until(lambda: gate.inside == 1 and not page.done())
            opened.set()
            assert (await first).status_code == 200 and (await page).status_code == 200
        assert gate.inside == 0

    asyncio.run(scenario())


def test_settings_bound_the_slots() -> None:
    with pytest.raises(corridor.ValidationError, match="max_concurrent_requests"):
        ServiceSettings(max_concurrent_requests=0)
    env = {"CORRIDOR_SERVICE_MAX_CONCURRENT_REQUESTS": "3"}
    assert ServiceSettings.from_env(env).max_concurrent_requests == 3


def test_slow_paths_have_a_pool_of_their_own() -> None:
    async def scenario() -> None:
        opened = asyncio.Event()

        async def inner(scope: Any, receive: Any, send: Any) -> None:
            if scope["path"] == "/api/compare":
                await opened.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})

        gate = ConcurrencyGate(
            inner, limit=1, timeout_s=30, slow=frozenset({"/api/compare"}), slow_limit=1
        )
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            compare = asyncio.create_task(c.post("/api/compare"))
            await _until(lambda: gate.inside == 1)
            # the comparison holds the slow pool's only slot; a quick request still enters
            assert (await c.get("/api/places")).status_code == 200
            assert not compare.done()
            opened.set()
            assert (await compare).status_code == 200

    asyncio.run(scenario())


def _scope(path: str, method: str = "GET") -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "headers": [], "client": None}


async def _call(app: Any, scope: dict[str, Any], log: list[str]) -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(msg: dict[str, Any]) -> None:
        if msg["type"] == "http.response.body":
            log.append(f"done {scope['path']}")

    await app(scope, receive, send)


@pytest.mark.parametrize("limit", [1, 4])
def test_health_overtakes_a_queue_of_requests_that_never_await(limit: int) -> None:
    # A cached answer runs to its end without yielding. With 40 such requests queued on
    # the loop and a health probe queued last, the probe must be answered after at most
    # `limit` of them, not after all 40 (which is what queueing on the loop would give).
    log: list[str] = []

    async def atomic(scope: Any, receive: Any, send: Any) -> None:
        log.append("work")  # no await before the answer: one step on the loop
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    gate = ConcurrencyGate(atomic, limit=limit, timeout_s=30, fixed={"/api/health": b"{}"})

    async def scenario() -> None:
        tasks = [asyncio.create_task(_call(gate, _scope("/api/route"), log)) for _ in range(40)]
        tasks.append(asyncio.create_task(_call(gate, _scope("/api/health"), log)))
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert log.count("work") == 40
    assert log[: log.index("done /api/health")].count("work") <= limit
