"""End to end: `corridor serve`'s map page in headless Chromium, on the embedded network.

The server runs in a thread (uvicorn on a free loopback port); the page loads MapLibre GL
JS from web/node_modules through the app (no network access) and draws with WebGL in
software (SwiftShader). The test types a route into the boxes as a person would, picks
the autocomplete suggestions, and checks what MapLibre actually rendered, the legs table,
the chart, the alternatives toggles, the isochrone view and the scenario compare view.
Screenshots go to pytest's tmp folder (and to $CORRIDOR_SCREENSHOT_DIR if set).
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import corridor
from tests.browser_support import (
    WEBGL_FLAGS,
    chromium,
    console_errors,
    live_server,
    needs_chromium,
    needs_maplibre,
)

pytest.importorskip("uvicorn", reason="uvicorn is needed to run the web service")

from corridor.report import palette
from corridor.service import ServiceSettings, create_app

pytestmark = [needs_chromium, needs_maplibre]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with live_server(create_app(corridor.eurasia(), ServiceSettings())) as url:
        yield url


def wait_for(driver: Any, script: str, timeout: float = 30.0) -> Any:
    """Poll a JS expression until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        if time.monotonic() > deadline:
            msg = driver.execute_script("return document.querySelector('#message').textContent")
            raise AssertionError(f"timed out waiting for {script!r}; page says {msg!r}")
        time.sleep(0.1)


def rendered(driver: Any, layer: str, prop: str = "kind") -> list[Any]:
    """Values of `prop` of the features MapLibre rendered on `layer`, once the map is idle."""
    wait_for(driver, "window.corridorApp.map.loaded() && !window.corridorApp.map.isMoving()")
    time.sleep(0.3)
    out: list[Any] = driver.execute_script(
        "return window.corridorApp.map.queryRenderedFeatures({layers: [arguments[0]]})"
        ".map(f => f.properties[arguments[1]]);",
        layer,
        prop,
    )
    return out


def pick_place(driver: Any, box: str, typed: str, expect: str) -> None:
    """Type into a place box and take the autocomplete suggestion naming `expect`."""
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.CSS_SELECTOR, box)
    field.clear()
    field.send_keys(typed)
    list_id = field.get_attribute("list")
    options: list[str] = wait_for(
        driver,
        f"[...document.querySelectorAll('#{list_id} option')].map(o => o.value)"
        f".filter(v => v.startsWith({expect!r}))",
    )
    field.clear()
    field.send_keys(options[0])


def save(driver: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    extra = os.environ.get("CORRIDOR_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / name)
    return path


def colour_pixels(png: Path, rgb: tuple[int, int, int], box: tuple[int, int, int, int]) -> int:
    """Pixels within 40 of `rgb` (per channel) inside `box` (left, top, right, bottom)."""
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png.read_bytes())).convert("RGB")).astype(int)
    left, top, right, bottom = box
    part = img[top:bottom, left:right]
    near = np.all(np.abs(part - np.array(rgb)) <= 40, axis=2)
    return int(near.sum())


def test_route_search_draws_route_table_and_chart(server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with chromium(1400, 900, extra_args=WEBGL_FLAGS) as driver:
        driver.get(server + "/")
        wait_for(driver, "window.corridorApp && window.corridorApp.loaded")
        # the page's data came from this server only: the network and outlines are drawn
        assert len(rendered(driver, "network-links", "mode")) > 100
        assert len(rendered(driver, "countries-fill", "name")) > 10

        pick_place(driver, "#origin", "Chongq", "Chongqing")
        pick_place(driver, "#destination", "Duisb", "Duisburg")
        assert driver.find_element(By.CSS_SELECTOR, "#profile").get_attribute("value") == (
            "container40"
        )
        driver.find_element(By.CSS_SELECTOR, "#route-btn").click()
        wait_for(driver, "document.querySelectorAll('#legs tbody tr.leg').length > 0")
        wait_for(driver, "document.querySelectorAll('#tcd polyline').length >= 2")

        route: dict[str, Any] = driver.execute_script("return window.corridorApp.lastRoute;")
        assert route["origin"]["name"] == "Chongqing"
        assert route["destination"]["name"] == "Duisburg"
        leg_rows = driver.find_elements(By.CSS_SELECTOR, "#legs tbody tr.leg")
        stop_rows = driver.find_elements(By.CSS_SELECTOR, "#legs tbody tr.stop")
        assert len(leg_rows) == len(route["legs"])
        assert len(stop_rows) == len(route["stops"])
        kinds = {r.get_attribute("data-kind") for r in stop_rows}
        assert {"border_crossing", "gauge_change"} <= kinds
        assert "Duisburg" in leg_rows[-1].text

        # what WebGL drew: the legs by mode, crossings and gauge changes as markers
        modes = rendered(driver, "route-legs", "mode")
        assert "rail" in modes
        stops = set(rendered(driver, "route-stops"))
        assert {"border_crossing", "gauge_change"} <= stops
        # text labels (a symbol layer in the browser's own font) name the ends and crossings
        labels = driver.execute_script("return window.corridorApp.labels;")
        assert ["endpoint", "Chongqing"] in labels and ["endpoint", "Duisburg"] in labels
        crossing_names = {s["name"] for s in route["stops"] if s["kind"] == "border_crossing"}
        assert crossing_names <= {text for _, text in labels}
        png = save(driver, tmp_path, "web_route.png")
        # rail legs are drawn in the palette's rail colour on the map (right of the panel)
        rail = palette.MODE_COLOURS["rail"].lstrip("#")
        rgb = (int(rail[0:2], 16), int(rail[2:4], 16), int(rail[4:6], 16))
        assert colour_pixels(png, rgb, (450, 0, 1400, 900)) > 300

        # alternatives: toggling one hides its line
        driver.find_element(By.CSS_SELECTOR, "#alt-btn").click()
        n_alt = wait_for(driver, "document.querySelectorAll('#alternatives input').length")
        assert n_alt >= 2
        assert len(set(rendered(driver, "alt-legs", "alt"))) == n_alt
        driver.find_element(By.CSS_SELECTOR, "#alternatives input[data-alt='0']").click()
        assert 0 not in set(rendered(driver, "alt-legs", "alt"))
        assert console_errors(driver) == []


def test_isochrone_and_compare_views(server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with chromium(1400, 900, extra_args=WEBGL_FLAGS) as driver:
        driver.get(server + "/")
        wait_for(driver, "window.corridorApp && window.corridorApp.loaded")
        driver.find_element(By.CSS_SELECTOR, "button[data-tab='isochrone']").click()
        pick_place(driver, "#iso-origin", "Mosc", "Moscow")
        driver.find_element(By.CSS_SELECTOR, "#iso-btn").click()
        wait_for(driver, "document.querySelectorAll('#iso-table tbody tr').length === 4")
        bands = rendered(driver, "iso-links", "band")
        assert {0, 1, 2, 3} <= set(bands)
        save(driver, tmp_path, "web_isochrone.png")

        driver.find_element(By.CSS_SELECTOR, "button[data-tab='compare']").click()
        wait_for(driver, "document.querySelector('#cmp-other').value === 'm12-east'")
        driver.find_element(By.CSS_SELECTOR, "#cmp-btn").click()
        rows = wait_for(driver, "document.querySelectorAll('#cmp-table tbody tr').length", 60)
        assert rows > 0
        changes = rendered(driver, "cmp-links", "change")
        assert {"added", "reopened"} & set(changes)  # the M-12 section opens
        assert len(rendered(driver, "cmp-places", "name")) >= 2
        # route layers and their labels are hidden in this view
        assert rendered(driver, "route-legs") == []
        assert rendered(driver, "route-labels", "name") == []
        save(driver, tmp_path, "web_compare.png")
        assert console_errors(driver) == []
