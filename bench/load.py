"""Loopback load test of `corridor serve`: route requests from many concurrent clients.

Starts the server as a child process on 127.0.0.1 (a free port; uvicorn, `--workers` processes, the
embedded network unless --network), then:

1. **cold**: every distinct request of the mix once, one at a time (each is a real search:
   place lookup, expanded cost graph, Dijkstra, legs/stops/timeline, GeoJSON);
2. **warm, one client**: `--warm` requests drawn from the mix, one at a time (answered from
   the server's response cache);
3. **load**: `--clients` threads, each with its own keep-alive connection, send requests
   drawn from the mix (seeded) for `--duration` seconds.

It prints requests/s, p50/p90/p99 latency (client side, and the server's own time from the
``server-timing`` header), errors (non-2xx or failed connections), and the server's resident
memory (VmRSS of the child process) after start, after the cold pass and every few seconds
during the load, so a leak shows as growth. The per-client rate limit is turned off for the
run (all clients share one loopback address) unless --rate-limit is given.

With ``--hostile N``, N more clients send place names padded with 16,000 spaces (issue 13)
and one probes ``/api/health`` every 50 ms; its p99 shows whether hostile input stalls the
server. With ``--rate-limit`` the limit keys on each connection (``rate_key=connection``,
the local-test setting), since every client shares the loopback address.

Only loopback addresses are contacted; every loop is bounded in count and time.

Run: ``.venv/bin/python bench/load.py [--duration 60] [--clients 50]``
(``--duration 5 --clients 8`` for a quick look).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

CITIES = (
    "Moscow",
    "Kazan",
    "Yekaterinburg",
    "Novosibirsk",
    "Chongqing",
    "Duisburg",
    "Almaty",
    "Harbin",
    "Minsk",
    "Urumqi",
    "Xi'an",
    "Warsaw",
)
PROFILES = (None, "truck40", "container40", "car")


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, server_ms: float | None, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies_ms.append(ms)
                if server_ms is not None:
                    self.server_ms.append(server_ms)
            else:
                self.errors[error] = self.errors.get(error, 0) + 1


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the uvicorn workers), MB (Linux /proc)."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024.0
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += rss_mb(int(child))
    except OSError:  # a worker exited between the listing and the read
        pass
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    return xs[min(len(xs) - 1, round(q / 100.0 * (len(xs) - 1)))]


class Client:
    """One keep-alive HTTP/1.1 connection (stdlib ``http.client``).

    The load runs on the same 2 cores as the server, so the client must cost little:
    httpx spent ~1.2 ms of CPU per request here, ``http.client`` about a fifth of that.
    """

    def __init__(self, base: str, timeout: float) -> None:
        host, port = base.removeprefix("http://").split(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def get(self, path: str) -> int:
        """GET; return the status."""
        self._conn.request("GET", path)
        resp = self._conn.getresponse()
        resp.read()
        return resp.status

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, str]:
        """POST JSON; return the status and the ``server-timing`` header."""
        data = json.dumps(body).encode()
        self._conn.request("POST", path, body=data, headers={"Content-Type": "application/json"})
        resp = self._conn.getresponse()
        resp.read()
        return resp.status, resp.getheader("server-timing", "") or ""


def server_time(head: str) -> float | None:
    if "dur=" not in head:
        return None
    return float(head.split("dur=")[1].split(";")[0])


def one(client: Client, body: dict[str, Any], tally: Tally) -> None:
    t0 = time.perf_counter()
    try:
        status, timing = client.post("/api/route", body)
    except (OSError, http.client.HTTPException) as exc:
        tally.add(0.0, None, type(exc).__name__)
        client._conn.close()  # the next request reconnects
        return
    ms = (time.perf_counter() - t0) * 1000.0
    tally.add(ms, server_time(timing), None if 200 <= status < 300 else f"HTTP {status}")


def summary(name: str, tally: Tally, seconds: float) -> dict[str, Any]:
    n = len(tally.latencies_ms)
    out = {
        "phase": name,
        "requests": n,
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "rps": round(n / seconds, 1) if seconds > 0 else None,
        "p50_ms": round(pct(tally.latencies_ms, 50), 2),
        "p90_ms": round(pct(tally.latencies_ms, 90), 2),
        "p99_ms": round(pct(tally.latencies_ms, 99), 2),
        "server_p50_ms": round(pct(tally.server_ms, 50), 2),
        "server_p99_ms": round(pct(tally.server_ms, 99), 2),
    }
    print(
        f"{name:>14}: {n:7,d} ok, {out['errors']:4d} errors, "
        f"{out['rps'] if out['rps'] is not None else '-':>8} req/s, "
        f"p50 {out['p50_ms']:8.2f} ms, p90 {out['p90_ms']:8.2f} ms, p99 {out['p99_ms']:8.2f} ms "
        f"(server p50 {out['server_p50_ms']:.2f} ms, p99 {out['server_p99_ms']:.2f} ms)"
        + (f"  {tally.errors}" if tally.errors else ""),
        flush=True,
    )
    return out


def start_server(
    port: int, network: str | None, rate_limit: bool, workers: int = 1
) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if not rate_limit:
        env["CORRIDOR_SERVICE_RATE_PER_S"] = "0"
    else:  # the local-test setting: every client's connection its own bucket (one address)
        env["CORRIDOR_SERVICE_RATE_KEY"] = "connection"
    if network:
        env["CORRIDOR_SERVICE_NETWORK_FILE"] = str(Path(network).resolve())
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "corridor.service.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--workers",
        str(workers),
    ]
    return subprocess.Popen(cmd, env=env)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /api/health in time")


def _fresh_pass(base: str, jobs: list[dict[str, Any]], clients: int, hour: int) -> Tally:
    """Every job once with a departure the server has not seen, split over `clients`."""
    tally = Tally()
    bodies = [b | {"depart": f"2026-12-01T{hour:02d}:{k % 60:02d}"} for k, b in enumerate(jobs)]
    shares = [bodies[i::clients] for i in range(clients)]

    def run(share: list[dict[str, Any]]) -> None:
        with Client(base, timeout=60) as c:
            for body in share:
                one(c, body, tally)

    threads = [threading.Thread(target=run, args=(share,), daemon=True) for share in shares]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=600)
    return tally


def fresh_scaling(
    base: str, usable: list[dict[str, Any]], clients: int, rounds: int = 3
) -> dict[str, Any]:
    """Throughput of fresh (uncached) searches: one client, then `clients` at once.

    Both passes send the same profile requests of the mix, each with a departure time
    the server has not seen (a new cache key, so a real search, stops and timeline), one
    pass after the other on the same warm server, `rounds` times (one, many, one, many,
    ...); the median of the rounds' ratios is what concurrent searches gain. First an
    untimed pass over 8 connections warms every server process: each compiles its own
    cost and domestic search graphs, and a connection lands on any process.
    """
    jobs = [b for b in usable if "profile" in b]
    out: dict[str, Any] = {"requests": len(jobs), "clients": clients, "rounds": []}
    _fresh_pass(base, jobs, 8, 5)
    ratios = []
    for r in range(rounds):
        rates = {}
        for label, n, hour in (("one", 1, 6 + 2 * r), ("many", clients, 7 + 2 * r)):
            t0 = time.perf_counter()
            tally = _fresh_pass(base, jobs, n, hour)
            seconds = time.perf_counter() - t0
            rates[label] = summary(f"fresh searches, {n} client(s)", tally, seconds)
        ratio = rates["many"]["rps"] / rates["one"]["rps"] if rates["one"]["rps"] else float("nan")
        ratios.append(ratio)
        out["rounds"].append(rates | {"speedup": round(ratio, 2)})
    out["speedup"] = round(statistics.median(ratios), 2)
    print(
        f"fresh-search throughput, {clients} clients vs 1: median {out['speedup']:.2f}x "
        f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0, help="load phase, s")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients")
    ap.add_argument("--warm", type=int, default=500, help="sequential warm requests")
    ap.add_argument("--network", default=None, help="network file (default: embedded)")
    ap.add_argument("--rate-limit", action="store_true", help="keep the per-client limit on")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--fresh-clients", type=int, default=4, help="clients in the fresh-search scaling pass"
    )
    ap.add_argument(
        "--workers", type=int, default=1, help="server processes (corridor serve --workers)"
    )
    ap.add_argument(
        "--hostile",
        type=int,
        default=0,
        help="clients sending place names padded with 16,000 spaces during the load, while"
        " one more probes /api/health every 50 ms (issue 13: the server must not stall)",
    )
    ap.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = ap.parse_args()
    if args.duration <= 0 or args.clients < 1 or args.duration > 3600:
        raise SystemExit("need 0 < --duration <= 3600 and --clients >= 1")
    if not 1 <= args.workers <= 64:
        raise SystemExit("need 1 <= --workers <= 64")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.network, args.rate_limit, args.workers)
    results: dict[str, Any] = {
        "clients": args.clients,
        "duration_s": args.duration,
        "workers": args.workers,
    }
    try:
        wait_ready(base, proc)
        results["rss_start_mb"] = round(rss_mb(proc.pid), 1)
        print(f"server pid {proc.pid} on {base}: RSS {results['rss_start_mb']:.1f} MB after start")

        mix = [
            {"origin": o, "destination": d, **({"profile": p} if p else {})}
            for o in CITIES
            for d in CITIES
            if o != d
            for p in PROFILES
        ]
        cold = Tally()
        usable: list[dict[str, Any]] = []
        t0 = time.perf_counter()
        with Client(base, timeout=60) as c:
            for body in mix:
                before = len(cold.latencies_ms)
                one(c, body, cold)
                if len(cold.latencies_ms) > before:
                    usable.append(body)
        cold_s = time.perf_counter() - t0
        results["distinct_requests"] = len(mix)
        results["cold"] = summary("cold (search)", cold, cold_s)
        if cold.errors:
            print(f"  ({sum(cold.errors.values())} requests of the mix have no route; dropped)")
        if not usable:
            raise SystemExit("no request of the mix succeeded")
        results["rss_after_cold_mb"] = round(rss_mb(proc.pid), 1)
        print(f"RSS {results['rss_after_cold_mb']:.1f} MB after the cold pass")

        results["fresh"] = fresh_scaling(base, usable, args.fresh_clients)

        rng = random.Random(args.seed)
        warm = Tally()
        t0 = time.perf_counter()
        with Client(base, timeout=30) as c:
            for _ in range(args.warm):
                one(c, rng.choice(usable), warm)
        results["warm"] = summary("warm, 1 client", warm, time.perf_counter() - t0)

        load = Tally()
        stop = time.monotonic() + args.duration
        rss_samples: list[float] = []

        def client_loop(seed: int) -> None:
            r = random.Random(seed)
            with Client(base, timeout=30) as c:
                while time.monotonic() < stop:
                    one(c, r.choice(usable), load)

        hostile = Tally()
        health_ms: list[float] = []
        health_errors: list[int] = []

        def hostile_loop() -> None:
            body = {"origin": "x" + " " * 16000, "destination": "Kazan"}
            with Client(base, timeout=30) as c:
                while time.monotonic() < stop:
                    t = time.perf_counter()
                    try:
                        status, _ = c.post("/api/route", body)
                    except (OSError, http.client.HTTPException) as exc:
                        hostile.add(0.0, None, type(exc).__name__)
                        c._conn.close()  # the next request reconnects
                        continue
                    ms = (time.perf_counter() - t) * 1000.0
                    refused = status in (413, 422, 429)  # the documented refusals
                    hostile.add(ms, None, None if refused else f"HTTP {status}")

        def health_loop() -> None:
            with Client(base, timeout=30) as c:
                while time.monotonic() < stop:
                    t = time.perf_counter()
                    try:
                        status = c.get("/api/health")
                    except (OSError, http.client.HTTPException):
                        status = 0
                        c._conn.close()
                    health_ms.append((time.perf_counter() - t) * 1000.0)
                    if status != 200:
                        health_errors.append(status)
                    time.sleep(0.05)

        threads = [
            threading.Thread(target=client_loop, args=(args.seed + 1 + i,), daemon=True)
            for i in range(args.clients)
        ]
        if args.hostile:
            threads += [
                threading.Thread(target=hostile_loop, daemon=True) for _ in range(args.hostile)
            ]
            threads.append(threading.Thread(target=health_loop, daemon=True))
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        step = max(1.0, args.duration / 12)
        while time.monotonic() < stop:
            time.sleep(min(step, max(0.0, stop - time.monotonic())))
            rss_samples.append(round(rss_mb(proc.pid), 1))
        for th in threads:
            th.join(timeout=60)
        results["load"] = summary(f"load, {args.clients} clients", load, time.perf_counter() - t0)
        if args.hostile:
            name = f"hostile long names, {args.hostile} clients"
            results["hostile"] = summary(name, hostile, args.duration)
            results["health_p99_ms"] = round(pct(health_ms, 99), 2)
            results["health_errors"] = len(health_errors)
            print(
                f"/api/health during the load: p50 {pct(health_ms, 50):.1f} ms, "
                f"p99 {pct(health_ms, 99):.1f} ms over {len(health_ms)} probes, "
                f"{len(health_errors)} not 200"
            )
        results["rss_during_load_mb"] = rss_samples
        results["rss_end_mb"] = round(rss_mb(proc.pid), 1)
        print(f"RSS during the load (every {step:.0f} s): {rss_samples} MB")
        print(
            f"RSS: {results['rss_start_mb']:.1f} MB after start, "
            f"{results['rss_after_cold_mb']:.1f} MB after the cold pass, "
            f"{results['rss_end_mb']:.1f} MB at the end"
        )
        stats = statistics.fmean(cold.latencies_ms) if cold.latencies_ms else float("nan")
        print(f"mean cold search {stats:.1f} ms over {len(cold.latencies_ms)} distinct requests")
        if args.json:
            print(json.dumps(results))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
