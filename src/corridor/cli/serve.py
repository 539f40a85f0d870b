"""`corridor serve`: the REST API and the offline map page.

The CLI and the service are sibling layers, so this module does not import
:mod:`corridor.service`: it hands uvicorn the app factory by name
(``corridor.service.app:create_app``), which reads its settings, including the network
file chosen here, from ``CORRIDOR_SERVICE_*`` environment variables.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from corridor.cli.common import NetworkOpt, err_console, fail, guard, load_network

__all__ = ["APP_FACTORY", "serve_cmd"]

APP_FACTORY = "corridor.service.app:create_app"


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    network: NetworkOpt = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated addresses of reverse proxies whose X-Forwarded-For names"
            " the client (for rate limits). Off by default: proxy headers are ignored.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            help="Server processes (1-64). Each holds its own network, caches and rate limits;"
            " two on a 2-core machine serve fresh searches about twice as fast as one."
        ),
    ] = 1,
) -> None:
    """Serve the web planner: the JSON API (/api/..., /openapi.json) and the map page (/).

    Limits, caches and CORS come from CORRIDOR_SERVICE_* environment variables (see
    corridor.service.ServiceSettings); CORS is off unless CORRIDOR_SERVICE_CORS_ORIGINS is
    set. The map page needs MapLibre GL JS from npm (`make web`).
    """
    if not 0 < port < 65536:
        fail(f"--port {port}: use 1-65535", False)
    if not 1 <= workers <= 64:
        fail(f"--workers {workers}: use 1-64 server processes", False)
    levels = ("critical", "error", "warning", "info", "debug", "trace")  # uvicorn's LOG_LEVELS
    if log_level.lower() not in levels:
        fail(f"--log-level {log_level[:40]!r}: use one of {', '.join(levels)}", False)
    proxies = [p.strip() for p in (forwarded_allow_ips or "").split(",") if p.strip()]
    if forwarded_allow_ips is not None and not proxies:
        fail("--forwarded-allow-ips: give the proxies' addresses, e.g. 10.0.0.2", False)
    if network is not None:
        guard(False, lambda: load_network(network))  # a bad file fails here, in one line
        os.environ["CORRIDOR_SERVICE_NETWORK_FILE"] = str(network.resolve())
    import uvicorn

    procs = f" with {workers} processes" if workers > 1 else ""
    err_console.print(f"corridor: serving on http://{host}:{port}/{procs}", highlight=False)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        log_level=log_level.lower(),
        workers=workers,
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default, which lets any local
        # client pick its rate-limit identity; trust it only from the proxies named
        proxy_headers=bool(proxies),
        forwarded_allow_ips=",".join(proxies) if proxies else None,
    )
