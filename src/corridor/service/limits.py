"""Request limits as ASGI middleware: body size, a per-client token bucket, and a gate.

The gate (:class:`ConcurrencyGate`) is what keeps the service responsive under load: at
most a few ``/api/`` requests are inside the app at once and the rest wait their turn,
parked at a semaphore, in arrival order. A parked request costs the event loop nothing
more, so the loop's queue of ready work stays short and a health probe (answered from
precomputed bytes ahead of the app, never gated) is served at once, whatever the number
of clients.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["BodySizeLimit", "ConcurrencyGate", "RateLimit", "TokenBuckets", "error_body"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def error_body(status: int, kind: str, message: str) -> bytes:
    """The JSON error object every failing request gets (the keys of corridor.error_object)."""
    code = "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(kind))
    body: dict[str, object] = {
        "error": message,
        "code": code,
        "message": message,
        "field": None,
        "hint": None,
        "type": kind,
        "status": status,
        "suggestions": [],
        "error_class": kind,
    }
    return json.dumps(body).encode()


async def _send_error(
    send: Send, status: int, kind: str, message: str, headers: list[tuple[bytes, bytes]]
) -> None:
    body = error_body(status, kind, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _TooLargeError(Exception):
    pass


class BodySizeLimit:
    """Reject request bodies over `max_bytes` with 413 (by Content-Length or as they stream).

    Parameters
    ----------
    app
        The wrapped ASGI app.
    max_bytes
        Largest body accepted.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"request body larger than {self.max_bytes} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await _send_error(send, 413, "PayloadTooLarge", message, [])
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLargeError
            return msg

        async def tracked_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _TooLargeError:
            if not started:
                await _send_error(send, 413, "PayloadTooLarge", message, [])


class TokenBuckets:
    """One token bucket per client key, the least recently seen dropped beyond `max_clients`.

    Parameters
    ----------
    rate_per_s
        Tokens added per second.
    burst
        Bucket size (and the tokens a new client starts with).
    max_clients
        Most buckets kept.
    clock
        Monotonic clock in seconds (for tests).
    """

    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        max_clients: int = 10_000,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate_per_s = rate_per_s
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token for `key`: 0.0 if granted, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate_per_s)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate_per_s
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)


class RateLimit:
    """Per-client rate limit on paths under `prefix` (429 with Retry-After when exceeded).

    The client is the peer address of the connection (``key="ip"``), or the address and
    port (``key="connection"``, for load tests from one machine). Behind a proxy, the peer
    is the client only if the server was told to trust the proxy's ``X-Forwarded-For``
    (uvicorn's ``forwarded_allow_ips``, off unless ``corridor serve
    --forwarded-allow-ips`` is given); otherwise every request counts against the proxy.
    """

    def __init__(
        self, app: ASGIApp, buckets: TokenBuckets, prefix: str = "/api/", key: str = "ip"
    ) -> None:
        self.app = app
        self.buckets = buckets
        self.prefix = prefix
        self.per_connection = key == "connection"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(self.prefix):
            client = scope.get("client")
            if not client:
                key = "unknown"
            elif self.per_connection:
                key = f"{client[0]}:{client[1]}"
            else:
                key = str(client[0])
            wait = self.buckets.take(key)
            if wait > 0:
                retry = str(max(1, math.ceil(wait))).encode()
                await _send_error(
                    send,
                    429,
                    "RateLimited",
                    f"too many requests from {key}: at most {self.buckets.rate_per_s:g}/s "
                    f"(bursts of {self.buckets.burst:g}); retry in {retry.decode()} s",
                    [(b"retry-after", retry)],
                )
                return
        await self.app(scope, receive, send)


class ConcurrencyGate:
    """At most `limit` requests under `prefix` inside `app` at once; fixed answers first.

    Requests for a path in `fixed` (``GET`` only) are answered at once with its
    precomputed JSON bytes and never wait. Other requests under `prefix` wait for one of
    `limit` slots, first come first served (an :class:`asyncio.Semaphore`, fair by
    construction); one that waits longer than `timeout_s` gets 503 with ``Retry-After``.
    Paths in `slow` (requests that take seconds, such as a scenario comparison) have a
    pool of their own of `slow_limit` slots, so they never hold every slot of the quick
    ones. Everything else (the page, static files) passes straight through.

    Parameters
    ----------
    app
        The wrapped ASGI app.
    limit
        Most gated requests inside `app` at once (>= 1).
    timeout_s
        Longest wait for a slot before 503, s.
    fixed
        Path to response body (JSON) for requests answered without entering `app`.
    prefix
        Paths gated.
    slow
        Gated paths with their own pool.
    slow_limit
        Slots of that pool (>= 1).

    Notes
    -----
    Without the gate, every one of N concurrent requests is a task on the event loop and
    a new request (a health probe too) runs only after all the ready ones ahead of it:
    its latency grows with N (Little's law, N over the throughput). With the gate, a
    request that takes a slot yields once before its work, so the loop's queue holds at
    most `limit` requests' work plus the newly arrived ones, which only park; a fixed
    answer waits for those, not for N.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        timeout_s: float,
        fixed: dict[str, bytes] | None = None,
        prefix: str = "/api/",
        slow: frozenset[str] = frozenset(),
        slow_limit: int = 1,
    ) -> None:
        if limit < 1 or slow_limit < 1:
            raise ValueError(f"limit={limit}, slow_limit={slow_limit}: need at least one slot")
        self.app = app
        self.limit = limit
        self.timeout_s = timeout_s
        self.fixed = dict(fixed or {})
        self.prefix = prefix
        self.slow = slow
        self.slow_limit = slow_limit
        # semaphores per event loop (a test client runs each session on its own loop)
        self._slots: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[asyncio.Semaphore, asyncio.Semaphore]
        ]
        self._slots = weakref.WeakKeyDictionary()
        self.inside = 0  # gated requests inside the app now (for tests and diagnostics)

    def _semaphore(self, path: str) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        pools = self._slots.get(loop)
        if pools is None:
            pools = (asyncio.Semaphore(self.limit), asyncio.Semaphore(self.slow_limit))
            self._slots[loop] = pools
        return pools[1] if path in self.slow else pools[0]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        body = self.fixed.get(path)
        if body is not None and scope.get("method") in ("GET", "HEAD"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send(
                {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
            )
            return
        if not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        sem = self._semaphore(path)
        try:
            if sem.locked():  # wait (a timer, no extra task); else take a slot at once
                async with asyncio.timeout(self.timeout_s):
                    await sem.acquire()
            else:
                await sem.acquire()
        except TimeoutError:
            retry = str(max(1, math.ceil(self.timeout_s))).encode()
            await _send_error(
                send,
                503,
                "Busy",
                f"the server is busy: no slot for this request within {self.timeout_s:g} s "
                f"({self.limit} run at once); retry later",
                [(b"retry-after", retry)],
            )
            return
        self.inside += 1
        try:
            # Yield once with the slot held: a cached answer runs without a single await,
            # so without this every request would be one atomic step and the loop's queue
            # would again hold all N of them ahead of a health probe. This way at most
            # `limit` requests' work is queued; the rest park at the semaphore.
            await asyncio.sleep(0)
            await self.app(scope, receive, send)
        finally:
            self.inside -= 1
            sem.release()
