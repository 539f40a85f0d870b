"""Headless Chromium for tests (Debian's chromium and chromium-driver, installed by `make test`)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from corridor.service.docs import swagger_dir
from corridor.service.settings import default_maplibre_dir

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("chromedriver") is None,
    reason="Debian's chromium and chromium-driver are not installed (`make test` installs them "
    "with apt-get; run it as root or install them by hand)",
)
needs_maplibre = pytest.mark.skipif(
    not (default_maplibre_dir() / "maplibre-gl.js").is_file(),
    reason="MapLibre GL JS is not installed in web/node_modules (`make web` runs npm ci)",
)
needs_swagger = pytest.mark.skipif(
    not (swagger_dir(default_maplibre_dir()) / "swagger-ui-bundle.js").is_file(),
    reason="swagger-ui-dist is not installed in web/node_modules (`make web` runs npm ci)",
)
# MapLibre needs WebGL; headless Chromium without a GPU gets it from SwiftShader
WEBGL_FLAGS = ("--enable-unsafe-swiftshader", "--use-angle=swiftshader")


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve an ASGI `app` with uvicorn on a free loopback port; yield its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium(
    width: int = 1400, height: int = 1000, extra_args: Sequence[str] = ()
) -> Iterator[Any]:
    """A headless Chromium driven by selenium, with its console log captured.

    `extra_args` are further command-line flags (e.g. ``--enable-unsafe-swiftshader`` for
    WebGL in software).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--window-size={width},{height}",
        *extra_args,
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """Console messages at level SEVERE."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
