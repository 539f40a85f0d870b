"""Headless Chromium for tests (Debian's chromium and chromium-driver, installed by `make test`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("chromedriver") is None,
    reason="Debian's chromium and chromium-driver are not installed (`make test` installs them "
    "with apt-get; run it as root or install them by hand)",
)


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
