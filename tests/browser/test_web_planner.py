"""The web planner in real headless Chromium: permalinks, isochrone polygons, labels,
legends, the chart, the controls, downloads, the narrow layout, /docs and "did you mean".

Each test drives the page as a person would (or loads a permalink), checks what MapLibre
rendered and what the DOM shows, and compares numbers with the library called directly.
Screenshots go to tests/browser/artifacts/ (git-ignored) at 1,280 px and 420 px wide.
"""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import corridor
from tests.browser_support import (
    WEBGL_FLAGS,
    chromium,
    console_errors,
    live_server,
    needs_chromium,
    needs_maplibre,
    needs_swagger,
)

pytest.importorskip("uvicorn", reason="uvicorn is needed to run the web service")
pytest.importorskip("selenium", reason="selenium drives the browser")

from corridor.report import palette
from corridor.service import ServiceSettings, create_app

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# the page's palettes: corridor's one palette (static/app.js loads it from /palette.js)
MODE_COLOURS = dict(palette.MODE_COLOURS)
STOP_COLOURS = set(palette.STOP_COLOURS.values())

pytestmark = [needs_chromium, needs_maplibre]


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.fixture(scope="module")
def server(net: corridor.Network) -> Iterator[str]:
    with live_server(create_app(net, ServiceSettings(rate_per_s=0))) as url:
        yield url


def wait_for(driver: Any, script: str, timeout: float = 45.0) -> Any:
    """Poll a JS expression until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        if time.monotonic() > deadline:
            msgs = driver.execute_script(
                "return [...document.querySelectorAll('[role=status]')].map(e => e.textContent)"
            )
            raise AssertionError(f"timed out waiting for {script!r}; page says {msgs!r}")
        time.sleep(0.1)


def idle(driver: Any) -> None:
    wait_for(driver, "window.corridorApp.map.loaded() && !window.corridorApp.map.isMoving()")
    time.sleep(0.3)


def rendered(driver: Any, layer: str, prop: str = "kind") -> list[Any]:
    idle(driver)
    out: list[Any] = driver.execute_script(
        "return window.corridorApp.map.queryRenderedFeatures({layers: [arguments[0]]})"
        ".map(f => f.properties[arguments[1]]);",
        layer,
        prop,
    )
    return out


def viewport(driver: Any, width: int, height: int) -> None:
    """Emulate a screen of exactly this size (a window cannot be narrower than ~500 px)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def open_page(driver: Any, url: str) -> None:
    driver.get("about:blank")
    driver.get(url)
    wait_for(driver, "window.corridorApp && window.corridorApp.loaded")


def save(driver: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    time.sleep(0.2)
    driver.save_screenshot(str(path))
    return path


# every spot MapLibre may choose for a label (text-variable-anchor, radial offset 0.55 em),
# as rectangles around the projected point, for text measured with the page's own font
_LABEL_SPOTS_JS = """
const map = window.corridorApp.map;
const ctx = document.createElement('canvas').getContext('2d');
const seen = new Set();
const out = [];
for (const f of map.queryRenderedFeatures({layers: window.corridorApp.labelLayers})) {
  const name = f.properties.name;
  if (seen.has(name)) continue;
  seen.add(name);
  const size = f.layer.layout['text-size'];
  ctx.font = `${size}px sans-serif`;
  const w = ctx.measureText(name).width, h = size * 1.2, off = 0.55 * size;
  const p = map.project(f.geometry.coordinates);
  out.push({text: name, spots: [
    [p.x + off, p.y - h / 2, p.x + off + w, p.y + h / 2],
    [p.x - off - w, p.y - h / 2, p.x - off, p.y + h / 2],
    [p.x - w / 2, p.y + off, p.x + w / 2, p.y + off + h],
    [p.x - w / 2, p.y - off - h, p.x + w / 2, p.y - off],
  ]});
}
return out;
"""


def shown_labels(driver: Any) -> list[dict[str, Any]]:
    """The labels MapLibre placed, each with the four rectangles it may occupy."""
    idle(driver)
    labels: list[dict[str, Any]] = driver.execute_script(_LABEL_SPOTS_JS)
    return labels


def _meet(a: list[float], b: list[float], slack: float = 1.5) -> bool:
    return (
        a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack
    )


def overlaps(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of labels that overlap wherever each is put (every spot meets every spot)."""
    bad = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if all(_meet(sa, sb) for sa in a["spots"] for sb in b["spots"]):
                bad.append((a["text"], b["text"]))
    return bad


def rect_overlaps(rects: list[dict[str, Any]]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            ra = [a["x0"], a["y0"], a["x1"], a["y1"]]
            rb = [b["x0"], b["y0"], b["x1"], b["y1"]]
            if _meet(ra, rb, 0.5):
                bad.append((a["text"], b["text"]))
    return bad


def test_permalinks_restore_every_view(server: str, net: corridor.Network) -> None:
    with chromium(1280, 800, extra_args=WEBGL_FLAGS) as driver:
        # a view run by hand writes its state into the URL ...
        open_page(driver, server + "/")
        driver.find_element("css selector", "#origin").send_keys("Moscow")
        driver.find_element("css selector", "#destination").send_keys("Kazan")
        driver.execute_script("document.querySelector('#profile').value = 'car';")
        driver.find_element("css selector", "#route-btn").click()
        wait_for(driver, "window.corridorApp.lastRoute")
        state = driver.execute_script(
            "return Object.fromEntries(new URLSearchParams(location.hash.slice(1)));"
        )
        assert state == {"view": "route", "from": "Moscow", "to": "Kazan", "profile": "car"}

        # ... and loading each URL restores its view with the same answer
        route = f"{server}/#view=route&from=Moscow&to=Kazan&profile=car&as_of=2020-06-01"
        open_page(driver, route)
        r = wait_for(driver, "window.corridorApp.lastRoute")
        want = corridor.route(net.as_of("2020-06-01"), "Moscow", "Kazan", profile="car")
        assert r["totals"]["time_h"] == pytest.approx(want.totals()["time_h"], rel=1e-9)
        assert driver.find_element("css selector", "#as-of").get_attribute("value") == (
            "2020-06-01"
        )
        assert "as of 2020-06-01" in driver.find_element("css selector", "#summary").text

        for view in ("alternatives", "pareto"):
            open_page(driver, f"{server}/#view={view}&from=Moscow&to=Kazan&profile=car&modes=road")
            n = wait_for(driver, "document.querySelectorAll('#alternatives input').length")
            assert n >= 1
            method = driver.execute_script("return window.corridorApp.routeSet.method_key;")
            assert method == view
            assert driver.find_element("css selector", "#modes").get_attribute("value") == "road"

        open_page(
            driver,
            f"{server}/#view=tcd&from=Chongqing&to=Duisburg&profile=container40"
            "&tcd=container40,truck40",
        )
        routes = wait_for(
            driver,
            "[...new Set([...document.querySelectorAll('#tcd polyline')]"
            ".map(p => p.dataset.route))].length === 2 &&"
            " [...new Set([...document.querySelectorAll('#tcd polyline')]"
            ".map(p => p.dataset.route))]",
        )
        assert any(x.startswith("container40") for x in routes)
        assert any(x.startswith("truck40") for x in routes)

        open_page(
            driver, f"{server}/#view=isochrone&from=Kazan&hours=4,8&modes=road&profile=truck40"
        )
        wait_for(driver, "document.querySelectorAll('#iso-table tbody tr').length === 2")
        iso = driver.execute_script("return window.corridorApp.iso;")
        assert iso["origin"]["name"] == "Kazan" and iso["hours"] == [4.0, 8.0]
        assert iso["profile"] == "truck40"
        want = corridor.isochrone(net, "Kazan", hours=[4, 8], profile="truck40")
        assert [b["nodes"] for b in iso["bands"]] == [want.counts()[h] for h in (4.0, 8.0)]
        select = driver.find_element("css selector", "#iso-profile")
        assert select.get_attribute("value") == "truck40"

        open_page(driver, f"{server}/#view=compare&base=m12-before&other=m12-east")
        rows = wait_for(driver, "document.querySelectorAll('#cmp-table tbody tr').length", 120)
        assert rows > 0
        # what is drawn is what the comparison counted (the M-12 section opens: added or
        # reopened, by the links' dates)
        summary = driver.execute_script("return window.corridorApp.cmp.summary;")
        drawn = set(rendered(driver, "cmp-links", "change"))
        assert drawn and drawn <= set(summary) and drawn & {"added", "reopened"}
        save(driver, "web_compare_1280.png")
        # switching tabs keeps each view's own link
        driver.find_element("css selector", "button[data-tab='isochrone']").click()
        assert driver.execute_script("return location.hash;") == "#view=isochrone"
        driver.find_element("css selector", "button[data-tab='compare']").click()
        assert "other=m12-east" in driver.execute_script("return location.hash;")
        assert console_errors(driver) == []


def test_isochrone_polygons_centred_on_origin_with_marker(server: str) -> None:
    for width, height in ((1280, 800), (420, 800)):
        with chromium(max(width, 600), height, extra_args=WEBGL_FLAGS) as driver:
            viewport(driver, width, height)
            open_page(driver, f"{server}/#view=isochrone&from=Moscow&hours=6,12,24,48")
            wait_for(driver, "document.querySelectorAll('#iso-table tbody tr').length === 4")
            bands = set(rendered(driver, "iso-fill", "band"))
            assert bands == {0, 1, 2, 3}
            lon, lat, zoom = driver.execute_script(
                "const c = window.corridorApp.map.getCenter();"
                " return [c.lng, c.lat, window.corridorApp.map.getZoom()];"
            )
            assert (lon, lat) == (pytest.approx(37.618, abs=0.01), pytest.approx(55.752, abs=0.01))
            save(driver, f"web_isochrone_{width}.png")
            # zoomed in from the overview of the whole network
            assert zoom > driver.execute_script("return window.corridorApp.overviewZoom;")
            marker = driver.execute_script(
                "const m = document.querySelector('.origin-marker');"
                " const r = m.getBoundingClientRect(); const map ="
                " document.querySelector('#map').getBoundingClientRect();"
                " return [r.left + r.width / 2 - map.left, r.top + r.height / 2 - map.top,"
                " map.width, map.height, m.title];"
            )
            x, y, w, h, title = marker
            assert title == "Moscow"
            assert abs(x - w / 2) < 30 and abs(y - h / 2) < 40
            assert console_errors(driver) == []


def test_labels_never_collide_and_show_brest_and_malaszewicze(server: str) -> None:
    with chromium(1280, 800, extra_args=WEBGL_FLAGS) as driver:
        open_page(driver, server + "/")
        # the overview: MapLibre drops what collides, larger places first
        driver.execute_script("window.corridorApp.map.jumpTo({center: [80, 47], zoom: 2.2});")
        labels = shown_labels(driver)
        names = {x["text"] for x in labels}
        save(driver, "web_labels_overview_1280.png")
        assert overlaps(labels) == []
        assert {"Moscow", "Beijing", "Saint Petersburg"} <= names, sorted(names)
        with urllib.request.urlopen(server + "/api/network.geojson") as resp:
            feats = json.load(resp)["features"]
        n_points = sum(f["geometry"]["type"] == "Point" for f in feats)
        assert 30 < len(labels) < n_points  # some, not all: collisions were resolved
        # the Polish-Belarusian border, zoomed in: Brest, its crossing and Małaszewicze apart
        driver.execute_script("window.corridorApp.map.jumpTo({center: [23.6, 52.07], zoom: 10});")
        labels = shown_labels(driver)
        assert {"Brest", "Małaszewicze", "Brest – Terespol"} <= {x["text"] for x in labels}
        assert overlaps(labels) == []
        save(driver, "web_labels_brest_1280.png")
        # and the Świecko crossing on the German border, with Frankfurt (Oder) beside it
        driver.execute_script("window.corridorApp.map.jumpTo({center: [14.55, 52.34], zoom: 10});")
        labels = shown_labels(driver)
        assert {"Świecko – Frankfurt (Oder)", "Frankfurt (Oder)"} <= {x["text"] for x in labels}
        assert overlaps(labels) == []

        # a route's labels come first: its ends always, then its crossings
        open_page(driver, f"{server}/#view=route&from=Chongqing&to=Duisburg&profile=container40")
        wait_for(driver, "window.corridorApp.lastRoute")
        labels = shown_labels(driver)
        route_names = driver.execute_script(
            "return window.corridorApp.shownLabels(['route-labels']);"
        )
        assert {"Chongqing", "Duisburg"} <= set(route_names)
        assert overlaps(labels) == []
        # the legend and the panel never hide the route's ends
        rects = driver.execute_script(
            "return [...document.querySelectorAll('#legends .legend-box')]"
            ".filter(e => e.offsetWidth).map(e => { const r = e.getBoundingClientRect();"
            " const m = document.querySelector('#map').getBoundingClientRect();"
            " return {text: e.id, x0: r.left - m.left, y0: r.top - m.top, x1: r.right - m.left,"
            " y1: r.bottom - m.top}; });"
        )
        ends = [x for x in labels if x["text"] in ("Chongqing", "Duisburg")]
        for end in ends:
            for r in rects:
                box = [r["x0"], r["y0"], r["x1"], r["y1"]]
                assert not all(_meet(spot, box) for spot in end["spots"]), end["text"]
        save(driver, "web_route_1280.png")
        driver.execute_script("window.corridorApp.map.jumpTo({center: [23.6, 52.07], zoom: 10});")
        labels = shown_labels(driver)
        assert {"Brest", "Małaszewicze"} <= {x["text"] for x in labels}
        assert overlaps(labels) == []


def test_alternatives_have_their_own_legend(server: str) -> None:
    with chromium(1280, 800, extra_args=WEBGL_FLAGS) as driver:
        open_page(
            driver, f"{server}/#view=alternatives&from=Chongqing&to=Duisburg&profile=container40"
        )
        n = wait_for(driver, "document.querySelectorAll('#alternatives input').length")
        assert n >= 2
        legend = driver.find_element("css selector", "#alt-legend")
        assert legend.is_displayed() and legend.text.startswith("Alternatives")
        assert len(legend.find_elements("css selector", "div[data-alt]")) == n
        modes = driver.find_element("css selector", "#legend")
        assert modes.is_displayed() and modes.text.startswith("Modes and stops")
        colours = set(rendered(driver, "alt-legs", "colour"))
        assert len(colours) == n
        assert not colours & set(MODE_COLOURS.values()) and not colours & STOP_COLOURS
        # the legend rows give each alternative's numbers
        rs = driver.execute_script("return window.corridorApp.routeSet.routes.map(r => r.totals);")
        first = legend.find_element("css selector", "div[data-alt='0']").text
        assert f"{rs[0]['time_h']:,.1f} h" in first
        save(driver, "web_alternatives_1280.png")


def test_mini_chart_has_axes_ticks_units_and_map_colours(server: str) -> None:
    with chromium(1280, 900, extra_args=WEBGL_FLAGS) as driver:
        open_page(driver, f"{server}/#view=tcd&from=Chongqing&to=Duisburg&profile=container40")
        wait_for(driver, "document.querySelectorAll('#tcd polyline').length > 4")
        ticks = driver.execute_script(
            "return [...document.querySelectorAll('#tcd text.tick')].map(t => {"
            " const b = t.getBoundingClientRect();"
            " return {text: t.textContent, cls: t.getAttribute('class'),"
            " x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; });"
        )
        xs = [t for t in ticks if t["cls"] == "tick x"]
        ys = [t for t in ticks if t["cls"] == "tick y"]
        assert len(xs) >= 4 and len(ys) >= 6  # two panels of >= 3 ticks
        assert xs[0]["text"] == "0"
        assert rect_overlaps(ticks) == []
        titles = driver.execute_script(
            "return [...document.querySelectorAll('#tcd text.axis-title')].map(t => t.textContent)"
        )
        assert titles == ["cost, US$", "time, h", "distance, km"]
        # the last x tick is at or beyond the route's length; its label says so
        table = driver.execute_script("return window.corridorApp.lastRoute.totals.length_km;")
        values = [float(t["text"].replace(",", "").replace("k", "e3")) for t in xs]
        assert values == sorted(values) and values[-1] >= table * 0.999
        lines = driver.execute_script(
            "return [...document.querySelectorAll('#tcd polyline')]"
            ".map(p => [p.dataset.mode, p.getAttribute('stroke')]);"
        )
        for mode, colour in lines:
            if mode in MODE_COLOURS:
                assert colour == MODE_COLOURS[mode]  # the map's colour for that mode
            else:
                assert colour in STOP_COLOURS
        assert {m for m, _ in lines} >= {"rail", "road"}
        chart = driver.find_element("css selector", "#tcd")
        driver.execute_script("arguments[0].scrollIntoView();", chart)
        save(driver, "web_tcd_1280.png")


def test_depart_as_of_and_mode_controls(server: str, net: corridor.Network) -> None:
    with chromium(1280, 800, extra_args=WEBGL_FLAGS) as driver:
        open_page(driver, server + "/")
        driver.find_element("css selector", "#origin").send_keys("Moscow")
        driver.find_element("css selector", "#destination").send_keys("Kazan")
        driver.execute_script(
            "document.querySelector('#profile').value = 'car';"
            "document.querySelector('#as-of').value = '2020-06-01';"
            "document.querySelector('#depart').value = '2026-12-01T08:00';"
        )
        driver.find_element("css selector", "#route-btn").click()
        r = wait_for(driver, "window.corridorApp.lastRoute")
        want = corridor.route(
            net.as_of("2020-06-01"), "Moscow", "Kazan", profile="car", depart="2026-12-01T08:00"
        )
        assert r["as_of"] == "2020-06-01"
        assert r["totals"]["time_h"] == pytest.approx(want.totals()["time_h"], rel=1e-9)
        assert r["depart"].startswith("2026-12-01T08:00") and r["arrive"]
        # the same trip today is faster (the M-12)
        driver.execute_script(
            "window.corridorApp.lastRoute = null; document.querySelector('#as-of').value = '';"
        )
        driver.find_element("css selector", "#route-btn").click()
        now = wait_for(driver, "window.corridorApp.lastRoute")
        assert now["totals"]["time_h"] < r["totals"]["time_h"] - 1.0
        # by rail only
        driver.execute_script(
            "window.corridorApp.lastRoute = null; document.querySelector('#modes').value = 'rail';"
            "document.querySelector('#profile').value = 'container40';"
        )
        driver.find_element("css selector", "#route-btn").click()
        rail = wait_for(driver, "window.corridorApp.lastRoute")
        assert {leg["mode"] for leg in rail["legs"]} <= {"rail", "transfer"}
        assert "rail" in set(rendered(driver, "route-legs", "mode"))


def test_downloads(server: str, tmp_path: Path) -> None:
    with chromium(1280, 800, extra_args=WEBGL_FLAGS) as driver:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
        )

        def fetch(kind: str, fmt: str, name_part: str) -> str:
            before = set(tmp_path.iterdir())
            driver.find_element(
                "css selector", f"button[data-download='{kind}'][data-format='{fmt}']"
            ).click()
            deadline = time.monotonic() + 20
            while True:
                new = [
                    p
                    for p in set(tmp_path.iterdir()) - before
                    if not p.name.endswith(".crdownload")
                ]
                if new:
                    assert name_part in new[0].name and new[0].suffix == f".{fmt}"
                    return new[0].read_text(encoding="utf-8")
                assert time.monotonic() < deadline, f"no {kind} {fmt} download"
                time.sleep(0.1)

        open_page(driver, f"{server}/#view=route&from=Moscow&to=Kazan&profile=car")
        r = wait_for(driver, "window.corridorApp.lastRoute")
        gj = json.loads(fetch("route", "geojson", "Moscow-Kazan"))
        assert len(gj["features"]) == len(r["features"]["features"])
        rows = list(csv.DictReader(io.StringIO(fetch("route", "csv", "Moscow-Kazan"))))
        assert len(rows) == len(r["legs"]) + len(r["stops"])
        legs = [x for x in rows if x["type"] == "leg"]
        total_km = sum(float(x["length_km"]) for x in legs)
        assert total_km == pytest.approx(r["totals"]["length_km"], rel=1e-6)

        open_page(driver, f"{server}/#view=alternatives&from=Moscow&to=Kazan&profile=car")
        n = wait_for(driver, "document.querySelectorAll('#alternatives input').length")
        rows = list(csv.DictReader(io.StringIO(fetch("route", "csv", "alternatives"))))
        assert [int(x["alternative"]) for x in rows] == list(range(1, n + 1))
        gj = json.loads(fetch("route", "geojson", "alternatives"))
        assert {f["properties"]["alternative"] for f in gj["features"]} == set(range(1, n + 1))

        open_page(driver, f"{server}/#view=isochrone&from=Moscow&hours=6,12")
        wait_for(driver, "window.corridorApp.iso")
        driver.find_element("css selector", "button[data-tab='isochrone']").click()
        gj = json.loads(fetch("isochrone", "geojson", "isochrone-Moscow"))
        bands = [f for f in gj["features"] if f["properties"]["kind"] == "band"]
        assert [b["properties"]["within_h"] for b in bands] == [6.0, 12.0]
        assert {b["geometry"]["type"] for b in bands} <= {"Polygon", "MultiPolygon"}
        rows = list(csv.DictReader(io.StringIO(fetch("isochrone", "csv", "isochrone-Moscow"))))
        assert rows[0]["name"] == "Moscow" and float(rows[0]["time_h"]) == 0.0

        open_page(driver, f"{server}/#view=compare&base=m12-before&other=m12-east")
        wait_for(driver, "window.corridorApp.cmp", 120)
        cmp = driver.execute_script("return window.corridorApp.cmp;")
        gj = json.loads(fetch("compare", "geojson", "m12-before-m12-east"))
        assert len(gj["features"]) == len(cmp["changes"]["features"])
        rows = list(csv.DictReader(io.StringIO(fetch("compare", "csv", "m12-before-m12-east"))))
        assert len(rows) == len(cmp["headline"])


def test_narrow_layout_keeps_the_map_and_collapses_the_panel(server: str) -> None:
    with chromium(600, 800, extra_args=WEBGL_FLAGS) as driver:
        viewport(driver, 420, 800)
        open_page(driver, f"{server}/#view=route&from=Moscow&to=Kazan&profile=car")
        wait_for(driver, "window.corridorApp.lastRoute")
        box = driver.execute_script(
            "const r = document.querySelector('#map canvas').getBoundingClientRect();"
            " return [r.width, r.height, r.top, document.documentElement.scrollWidth,"
            " window.innerWidth];"
        )
        width, height, top, scroll_width, inner = box
        assert inner == 420
        assert width == 420 and height >= 0.5 * 800 and top < 10
        assert scroll_width <= 420  # nothing wider than the screen
        assert "road" in set(rendered(driver, "route-legs", "mode"))
        toggle = driver.find_element("css selector", "#panel-toggle")
        assert toggle.is_displayed()
        save(driver, "web_route_420.png")
        toggle.click()
        idle(driver)
        assert not driver.find_element("css selector", "#panel-body").is_displayed()
        grown = driver.execute_script(
            "return document.querySelector('#map canvas').getBoundingClientRect().height;"
        )
        assert grown > height + 150
        save(driver, "web_route_420_collapsed.png")
        toggle.click()
        assert driver.find_element("css selector", "#panel-body").is_displayed()
        # the other views at 420 px: alternatives with their legend, and a comparison
        open_page(driver, f"{server}/#view=alternatives&from=Moscow&to=Kazan&profile=car")
        wait_for(driver, "document.querySelectorAll('#alternatives input').length")
        assert driver.find_element("css selector", "#alt-legend").is_displayed()
        idle(driver)
        save(driver, "web_alternatives_420.png")
        open_page(driver, f"{server}/#view=compare&base=m12-before&other=m12-east")
        wait_for(driver, "document.querySelectorAll('#cmp-table tbody tr').length", 120)
        idle(driver)
        save(driver, "web_compare_420.png")
        assert driver.execute_script("return document.documentElement.scrollWidth;") <= 420
        assert console_errors(driver) == []


@needs_swagger
def test_docs_page_renders_offline(server: str) -> None:
    with chromium(1280, 800) as driver:
        driver.get(server + "/docs")
        n = wait_for(driver, "document.querySelectorAll('.swagger-ui .opblock').length", 30)
        assert n >= 10
        text = driver.find_element("css selector", ".swagger-ui").text
        assert "/api/route" in text and "/api/isochrone" in text
        hosts = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).host);"
        )
        assert set(hosts) == {server.removeprefix("http://")}
        save(driver, "web_docs_1280.png")
        assert console_errors(driver) == []


def test_typo_gets_did_you_mean_before_routing(server: str) -> None:
    with chromium(1280, 800, extra_args=WEBGL_FLAGS) as driver:
        open_page(driver, server + "/")
        driver.find_element("css selector", "#origin").send_keys("Moscw")
        driver.find_element("css selector", "#destination").send_keys("Kazan")
        driver.find_element("css selector", "#route-btn").click()
        wait_for(driver, "document.querySelector('#message button[data-suggest]')")
        msg = driver.find_element("css selector", "#message")
        assert "Did you mean" in msg.text and "Moscw" in msg.text
        assert driver.execute_script("return window.corridorApp.lastRoute;") is None
        assert rendered(driver, "route-legs") == []  # nothing was routed
        save(driver, "web_did_you_mean_1280.png")
        first = msg.find_element("css selector", "button[data-suggest]")
        assert first.text == "Moscow"
        first.click()
        r = wait_for(driver, "window.corridorApp.lastRoute")
        assert r["origin"]["name"] == "Moscow"
        assert driver.find_element("css selector", "#origin").get_attribute("value") == "Moscow"
        # a permalink with a typo asks the same question
        open_page(driver, f"{server}/#view=isochrone&from={quote('Kazn')}&hours=6")
        wait_for(driver, "document.querySelector('#iso-message button[data-suggest]')")
        assert "Kazan" in driver.find_element("css selector", "#iso-message").text
