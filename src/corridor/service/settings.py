"""Settings of the web service: limits, caches, CORS and where MapLibre GL JS is found."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from corridor import defaults
from corridor.errors import ValidationError

__all__ = ["ServiceSettings", "default_maplibre_dir"]

_PREFIX = "CORRIDOR_SERVICE_"


def default_maplibre_dir() -> Path:
    """``web/node_modules/maplibre-gl/dist`` at the repository root (``make`` installs it)."""
    return Path(__file__).resolve().parents[3] / "web" / "node_modules" / "maplibre-gl" / "dist"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceSettings:
    """Limits and options of :func:`corridor.service.create_app`.

    Attributes
    ----------
    max_alternatives
        Most routes one ``/api/routes`` request may ask for.
    max_isochrone_h
        Largest isochrone threshold, h.
    max_isochrone_bands
        Most thresholds in one isochrone request.
    max_body_bytes
        Largest request body; larger ones get 413.
    rate_per_s, rate_burst
        Per-client token bucket on ``/api/``: refill rate (requests/s) and size. A new
        client may send ``rate_burst`` requests at once, then ``rate_per_s`` a second; the
        rest get 429 with ``Retry-After``. A rate of 0 turns the limit off.
    rate_key
        What a "client" is: ``ip`` (the peer address of the connection; the default) or
        ``connection`` (address and port: every keep-alive connection its own bucket, for
        load tests from one machine, where every client shares the loopback address).
        Proxy headers (``X-Forwarded-For``) count only where ``corridor serve
        --forwarded-allow-ips`` names the proxy; by default they are ignored.
    request_timeout_s
        Longest a search may take before the request gets 503 (the search is abandoned
        by the client, not killed: it finishes in its worker thread and fills the cache).
    max_concurrent_requests
        Most ``/api/`` requests inside the app at once (searches, cached answers, place
        lookups); the others wait for a slot in arrival order and get 503 after
        ``request_timeout_s``. ``/api/health`` never waits: it is answered from
        precomputed bytes ahead of the app. Few slots keep the event loop's queue short
        (so health and new connections are served at once) and bound the search threads
        contending for the GIL; throughput is the same, since one loop and the GIL
        serialise the work anyway. [assumption] 4: two per core of the 2-core machine
        measured (bench/load.py).
    max_clients
        Most clients whose buckets are kept (the least recently seen are dropped).
    cors_origins
        Origins allowed by CORS; empty (the default) sends no CORS headers at all.
    route_cache_size
        Route, alternatives and TCD responses kept (least recently used dropped).
    compare_cache_size
        Scenario comparisons kept.
    compare_places
        Places in a comparison (the largest served cities and the corridor ends).
    maplibre_dir
        Folder with ``maplibre-gl.js`` and ``maplibre-gl.css`` (from the npm package).
    network_file
        Network served when :func:`~corridor.service.create_app` is given none (a file
        chosen by whoever starts the server, never by a request); default the embedded one.
    """

    max_alternatives: int = 5
    max_isochrone_h: float = 72.0
    max_isochrone_bands: int = 6
    max_body_bytes: int = 16_384
    rate_per_s: float = 20.0
    rate_burst: int = 60
    rate_key: str = "ip"
    request_timeout_s: float = 30.0
    max_concurrent_requests: int = 4
    max_clients: int = 10_000
    cors_origins: tuple[str, ...] = ()
    route_cache_size: int = 4096
    compare_cache_size: int = 8
    compare_places: int = defaults.COMPARE_PLACES
    maplibre_dir: Path = field(default_factory=default_maplibre_dir)
    network_file: Path | None = None

    def __post_init__(self) -> None:
        bad = []
        if self.max_alternatives < 1:
            bad.append(f"max_alternatives={self.max_alternatives} (need >= 1)")
        if not self.max_isochrone_h > 0:
            bad.append(f"max_isochrone_h={self.max_isochrone_h} (need > 0)")
        if self.max_isochrone_bands < 1:
            bad.append(f"max_isochrone_bands={self.max_isochrone_bands} (need >= 1)")
        if self.max_body_bytes < 256:
            bad.append(f"max_body_bytes={self.max_body_bytes} (need >= 256)")
        if self.rate_per_s < 0 or self.rate_burst < 1:
            bad.append(f"rate_per_s={self.rate_per_s}, rate_burst={self.rate_burst}")
        if self.rate_key not in ("ip", "connection"):
            bad.append(f"rate_key={self.rate_key!r} (use ip or connection)")
        if not 0 < self.request_timeout_s <= 3600:
            bad.append(f"request_timeout_s={self.request_timeout_s} (need 0 < s <= 3600)")
        if not 1 <= self.max_concurrent_requests <= 1024:
            bad.append(f"max_concurrent_requests={self.max_concurrent_requests} (need 1-1024)")
        if self.route_cache_size < 0 or self.compare_cache_size < 0:
            bad.append("cache sizes must be >= 0")
        if self.compare_places < 2:
            bad.append(f"compare_places={self.compare_places} (need >= 2)")
        if bad:
            raise ValidationError("invalid service settings: " + "; ".join(bad))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """Settings from ``CORRIDOR_SERVICE_<NAME>`` variables (e.g. ``..._RATE_PER_S=0``).

        ``CORRIDOR_SERVICE_CORS_ORIGINS`` is a comma-separated list.

        Raises
        ------
        ValidationError
            If a variable cannot be read as its type.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(_PREFIX + f.name.upper())
            if raw is None:
                continue
            try:
                if f.name == "cors_origins":
                    values[f.name] = tuple(x.strip() for x in raw.split(",") if x.strip())
                elif f.name == "rate_key":
                    values[f.name] = raw.strip()
                elif f.name in ("maplibre_dir", "network_file"):
                    values[f.name] = Path(raw)
                elif f.type in ("int", int):
                    values[f.name] = int(raw)
                else:
                    values[f.name] = float(raw)
            except ValueError:
                raise ValidationError(
                    f"{_PREFIX}{f.name.upper()}={raw[:40]!r} is not a valid {f.type}"
                ) from None
        return cls(**values)  # type: ignore[arg-type]
