"""The comparison report: its tables are link_changes() and the touched pairs, in words,
with units in every header, names instead of ids, and the summary first."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.analysis.link_changes import link_changes
from corridor.report.compare_report import write_compare_report


class _Page(HTMLParser):
    """Headers, the ids of elements, the href of links, and the text outside scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "th":
            self.headers.append(data.strip())
        if not self._in or self._in[-1] not in ("script", "style"):
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def changed(toy: corridor.Network) -> tuple[corridor.Network, corridor.Network, Path]:
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    links.loc[links["link_id"] == 30, "closed"] = pd.Timestamp("2026-01-01")
    links.loc[links["link_id"] == 12, "toll_usd"] = 4.0
    after = toy.with_links(links)
    return toy, after, Path()


@pytest.fixture(scope="module")
def toy() -> corridor.Network:
    return corridor.examples.toy()


def test_report_lists_the_link_changes(changed, tmp_path: Path) -> None:
    toy, after, _ = changed
    c = compare(
        toy, after, options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None)
    )
    page = write_compare_report(c, toy, after, tmp_path / "rep")
    table = pd.read_csv(page.parent / "changed_links.csv")
    expected = link_changes(toy, after)
    assert table["link_id"].tolist() == expected["link_id"].tolist() == [30, 11, 12]
    assert table["change"].tolist() == ["closed", "faster", "toll_changed"]
    html = page.read_text()
    doc = parse(html)
    text = " ".join(doc.text)
    assert "R2" in text and "toll changed" in text and "closed" in text
    for name in ("map_overview.png", "map_zoom.png", "od_time_changes.png"):
        assert (page.parent / name).read_bytes()[:4] == b"\x89PNG", name


def test_summary_comes_first_and_headers_have_units(changed, tmp_path: Path) -> None:
    toy, after, _ = changed
    c = compare(
        toy,
        after,
        options=CompareOptions(places=("A", "B", "D"), profiles=("car", "truck40"), flows=None),
    )
    html = write_compare_report(c, toy, after, tmp_path / "rep").read_text()
    assert html.index('id="summary"') < html.index('class="toc"') < html.index('id="maps"')
    doc = parse(html)
    assert doc.headers, "the report has tables"
    raw = [h for h in doc.headers if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)]
    assert raw == []  # no field names such as d_generalized_usd_container40
    assert "Δ time (h)" in doc.headers and "cost before (US$)" in doc.headers
    numeric = {"Δ time (h)", "Δ cost (US$)", "Δ CO2 (kg)", "length (km)"}
    assert numeric & set(doc.headers) == numeric
    # no id columns (the embedded network's ids are checked in tests/integration)
    assert not [h for h in doc.headers if "id" in h.split()]
    # every link into the routes lands on a route, and no "ref / detail" repeats
    routes = [h[1:] for h in doc.hrefs if h.startswith("#route-")]
    assert routes and set(routes) <= doc.ids
    assert "ref / detail" not in html
    # sections collapse; routes are collapsed by default
    assert re.search(r'<details class="section" id="routes">', html)
    assert html.count('<details class="route"') == len(c.routes)


def test_extra_tables_render_and_absent_ones_leave_no_section(changed, tmp_path: Path) -> None:
    toy, after, _ = changed
    c = compare(
        toy, after, options=CompareOptions(places=("A", "D"), profiles=("car",), flows=None)
    )
    html = write_compare_report(c, toy, after, tmp_path / "a").read_text()
    assert "Tourism" not in html and "Appraisal" not in html
    c.extra["tourism_by_mode"] = pd.DataFrame(
        {
            "mode": ["air", "road"],
            "visits_year_before": [10_000.0, 4_000.0],
            "visits_year_after": [9_000.0, 6_500.0],
        }
    )
    c.extra["appraisal"] = pd.DataFrame(
        {"item": ["travel time savings"], "before": [0.0], "after": [12.5], "change": [12.5]}
    )
    html = write_compare_report(c, toy, after, tmp_path / "b").read_text()
    doc = parse(html)
    assert "Tourism: visits by mode" in html and 'id="x-appraisal"' in html
    assert "visits before (visits/year)" in doc.headers
    said = " ".join(doc.text)
    assert (
        "Tourism by mode (visits a year, all directions): road +2,500 (+62%), air −1,000 (−10%)"
        in said
    )


def test_directions_in_words() -> None:
    from corridor.report.compare_report import _direction_words

    t = pd.DataFrame({"countries": ["RU-CN", "KZ–CN"], "direction": ["a_to_b", "b_to_a"]})
    assert _direction_words(t)["direction"].tolist() == ["RU → CN", "CN → KZ"]
