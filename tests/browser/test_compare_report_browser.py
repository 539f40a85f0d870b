"""The comparison report renders in real headless Chromium: maps and charts drawn, no errors."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.report.compare_report import write_compare_report
from tests.browser_support import chromium, console_errors, needs_chromium


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = corridor.examples.toy()
    links = base.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    other = base.with_links(links)
    result = compare(
        base,
        other,
        options=CompareOptions(
            places=("A", "B", "D"), profiles=("car", "truck40"), headline=(("A", "D"),)
        ),
    )
    out = tmp_path_factory.mktemp("rep") / "report"
    return write_compare_report(result, base, other, out, assumptions=["a"], sources=["s"])


def _has_content(png: bytes) -> bool:
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")
    return pixels.ndim == 3 and pixels.shape[0] > 50 and float(np.std(pixels[..., :3])) > 0.02


def test_pngs_are_real_images(report: Path) -> None:
    for name in ("time_savings.png", "accessibility.png"):
        data = (report.parent / name).read_bytes()
        assert data.startswith(b"\x89PNG") and _has_content(data), name


@needs_chromium
def test_report_renders_in_chromium(report: Path, tmp_path: Path) -> None:
    with chromium() as driver:
        driver.get(report.as_uri())
        maps = driver.execute_script(
            "return [...document.querySelectorAll('svg.map')].map(s => "
            "[s.getBoundingClientRect().width, s.querySelectorAll('path.link').length])"
        )
        assert len(maps) == 3
        assert all(w > 200 and n > 0 for w, n in maps)
        images = driver.execute_script(
            "return [...document.querySelectorAll('img.chart')].map(i => i.naturalWidth)"
        )
        assert len(images) == 2 and all(w > 100 for w in images)
        # every route link in the OD tables leads to a route table on the page
        missing = driver.execute_script(
            "return [...document.querySelectorAll('a[href^=\"#route-\"]')]"
            ".filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length"
        )
        assert missing == 0
        shot = tmp_path / "report.png"
        driver.save_screenshot(str(shot))
        assert _has_content(shot.read_bytes())
        assert console_errors(driver) == []


@needs_chromium
def test_m12_east_report_renders_in_chromium(tmp_path: Path) -> None:
    """The main job's report on the embedded network: maps, charts, route tables, no errors."""
    from typer.testing import CliRunner

    from corridor.cli.app import app

    out = tmp_path / "m12"
    res = CliRunner().invoke(
        app,
        [
            "scenario",
            "compare",
            "m12-before",
            "m12-east",
            "--places",
            "Moscow,Kazan,Yekaterinburg,Tyumen,Ufa,Perm",
            "--profiles",
            "car,truck40",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    with chromium() as driver:
        driver.get((out / "report.html").as_uri())
        maps = driver.execute_script(
            "return [...document.querySelectorAll('svg.map')].map(s => "
            "[s.getBoundingClientRect().width, s.querySelectorAll('path.link').length, "
            "s.querySelectorAll('path[stroke=\"#1a9641\"]').length])"
        )
        assert len(maps) == 3 and all(w > 200 and n > 100 for w, n, _ in maps)
        assert maps[2][2] > 0  # the new M-12 links are drawn on the difference map
        assert driver.execute_script(
            "return [...document.querySelectorAll('img.chart')].every(i => i.naturalWidth > 100)"
        )
        tables = driver.execute_script(
            "return [...document.querySelectorAll('section.route')].length"
        )
        assert tables >= 4
        assert console_errors(driver) == []
    assert (out / "crossing_loads.csv").exists() and (out / "link_flows.parquet").exists()
