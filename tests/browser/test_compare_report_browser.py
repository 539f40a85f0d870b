"""The comparison report in real headless Chromium: fits 1,280 px, links open the collapsed
routes, no console errors, and it prints to PDF. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.report.compare_report import write_compare_report
from tests.browser_support import CHROMIUM, chromium, console_errors, needs_chromium

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


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
            places=("A", "B", "D"),
            profiles=("car", "truck40"),
            headline=(("A", "D"),),
            flows=None,
        ),
    )
    out = tmp_path_factory.mktemp("rep") / "report"
    return write_compare_report(result, base, other, out, assumptions=["a"], sources=["s"])


def _has_content(png: bytes) -> bool:
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")
    return pixels.ndim == 3 and pixels.shape[0] > 50 and float(np.std(pixels[..., :3])) > 0.02


def test_pngs_are_real_images(report: Path) -> None:
    for name in ("map_overview.png", "map_zoom.png", "od_time_changes.png"):
        data = (report.parent / name).read_bytes()
        assert data.startswith(b"\x89PNG") and _has_content(data), name


def _check_page(driver, report: Path, shot: str) -> None:
    driver.get(report.as_uri())
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 1280  # nothing wider than the window
    images = driver.execute_script(
        "return [...document.querySelectorAll('figure img')].map(i => i.naturalWidth)"
    )
    assert images and all(w > 100 for w in images)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / shot))
    assert _has_content((ARTIFACTS / shot).read_bytes())


@needs_chromium
def test_report_fits_1280_and_links_open_routes(report: Path) -> None:
    with chromium(width=1280, height=1000) as driver:
        _check_page(driver, report, "report_toy_1280.png")
        missing = driver.execute_script(
            "return [...document.querySelectorAll('a[href^=\"#route-\"]')]"
            ".filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length"
        )
        assert missing == 0
        href = driver.execute_script(
            "const a = document.querySelector('a[href^=\"#route-\"]'); return a && "
            "a.getAttribute('href')"
        )
        assert href, "a figure links to its route"
        rid = href[1:]
        assert driver.execute_script(f"return document.getElementById('{rid}').open") is False
        driver.execute_script(f"document.querySelector('a[href=\"{href}\"]').click()")
        assert driver.execute_script(f"return document.getElementById('{rid}').open") is True
        assert (
            driver.execute_script("return document.getElementById('routes').open") is True
        )  # the route's section opens with it
        assert console_errors(driver) == []


@needs_chromium
def test_report_prints_to_pdf(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            report.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page[^s]", data)
    assert len(pages) >= 2
    boxes = {
        tuple(float(x) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", data)
    }
    assert boxes and all(w > h for _, _, w, h in boxes)  # A4 landscape, as the page asks
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "report_toy.pdf")


@needs_chromium
def test_alashankou_report_at_1280(tmp_path: Path) -> None:
    """A bundled scenario's report on the embedded network, through the CLI."""
    from typer.testing import CliRunner

    from corridor.cli.app import app

    out = tmp_path / "ala"
    res = CliRunner().invoke(
        app,
        [
            "scenario",
            "compare",
            "current",
            "alashankou-closed",
            "--places",
            "Urumqi,Almaty,Chengdu,Novosibirsk,Xi'an,Moscow",
            "--no-flows",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    with chromium(width=1280, height=1400) as driver:
        _check_page(driver, out / "report.html", "report_alashankou_1280.png")
        sections = driver.execute_script(
            "return [...document.querySelectorAll('details.section')].map(d => [d.id, d.open])"
        )
        assert ["routes", False] in sections and ["maps", True] in sections
        driver.execute_script("document.getElementById('pairs').scrollIntoView()")
        driver.save_screenshot(str(ARTIFACTS / "report_alashankou_pairs_1280.png"))
        assert console_errors(driver) == []
