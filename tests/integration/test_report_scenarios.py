"""Every bundled scenario's report says what changes, in words and numbers.

For each bundled scenario (as the "after" of a comparison, or as the base of one) the
comparison runs on the embedded network over a few places chosen around what the scenario
changes (for speed), the report is written, and its HTML is read back: the summary names
the change in the network, states for some profile that N > 0 of M OD pairs change (N
counted again here from the OD table the report wrote), and gives a non-zero signed figure
in hours and in US$; no node or link id appears in the page; headers are words with units.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app
from corridor.report.labels import profile_label

CASES = {
    "m12-kazan": (
        "m12-before",
        ("Moscow", "Kazan", "Nizhny Novgorod", "Yekaterinburg", "Saint Petersburg"),
        "road M-12",
    ),
    "m12-east": ("m12-kazan", ("Moscow", "Kazan", "Ufa", "Yekaterinburg", "Perm"), "road M-12"),
    "m12-tyumen": ("current", ("Yekaterinburg", "Tyumen", "Moscow", "Omsk", "Kazan"), "R-351"),
    "alashankou-closed": (
        "current",
        ("Urumqi", "Almaty", "Chengdu", "Novosibirsk", "Xi'an", "Moscow"),
        "Dostyk – Alashankou closed",
    ),
    "manzhouli-congestion": (
        "current",
        ("Harbin", "Chita", "Irkutsk", "Beijing", "Moscow", "Novosibirsk"),
        "Zabaikalsk – Manzhouli (rail): median clearance delay",
    ),
    # travellers' scenarios: the change shows in the pairs or in the tourism tables
    "blagoveshchensk-heihe-travellers": (
        "m12-east",
        ("Blagoveshchensk", "Heihe", "Harbin", "Khabarovsk", "Qiqihar"),
        "Blagoveshchensk – Heihe bridge (road): vehicles admitted RU → CN freight → all",
    ),
    "blagoveshchensk-harbin-flight": (
        "m12-east",
        ("Blagoveshchensk", "Harbin", "Khabarovsk", "Beijing"),
        "flights added",
    ),
    "visa-free-individual": (
        "m12-east",
        ("Moscow", "Beijing", "Harbin", "Vladivostok"),
        "same links and crossings",
    ),
}


# scenarios for travellers: their effect is on visits (the tourism section), not on freight
# or car paths between a few places; each against the network of its own day
TRAVELLER_CASES = {
    "visa-free-individual": ("m12-east", ("Moscow", "Beijing", "Harbin", "Vladivostok")),
    "blagoveshchensk-heihe-travellers": (
        "m12-east",
        ("Blagoveshchensk", "Harbin", "Khabarovsk", "Beijing"),
    ),
    "blagoveshchensk-harbin-flight": ("m12-east", ("Blagoveshchensk", "Harbin", "Moscow")),
}


def test_cases_cover_every_bundled_scenario() -> None:
    used = set(CASES) | {base for base, _, _ in CASES.values()} | set(TRAVELLER_CASES)
    assert used == set(corridor.bundled_scenarios())


@pytest.mark.parametrize("after", sorted(TRAVELLER_CASES))
def test_traveller_scenarios_state_the_visits(
    after: str, networks: dict[str, corridor.Network]
) -> None:
    base, places = TRAVELLER_CASES[after]
    scenarios = (corridor.get_scenario(base), corridor.get_scenario(after))
    a, b = networks[base], networks[after]
    opts = corridor.CompareOptions(places=places, flows=None)
    result = corridor.compare(a, b, options=opts, scenarios=scenarios)
    said = " ".join(corridor.summarize_comparison(result, a, b, places=places).sentences())
    found = re.search(r"visits by direction: total ([\d,]+) → ([\d,]+) visits/year", said, re.I)
    assert found, said
    before, after_visits = (int(x.replace(",", "")) for x in found.groups())
    assert after_visits > before > 0  # every one of them makes visits easier


@pytest.fixture(scope="module")
def networks() -> dict[str, corridor.Network]:
    net = corridor.eurasia()
    return {name: sc.apply(net) for name, sc in corridor.bundled_scenarios().items()}


@pytest.fixture(scope="module")
def outlines() -> list[object]:
    import shapely.geometry

    return [shapely.geometry.shape(f["geometry"]) for f in corridor.country_outlines()["features"]]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.summary: list[str] = []
        self.items: list[str] = []
        self.text: list[str] = []
        self._stack: list[str] = []
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        if tag == "li" and self._in_summary:
            self.items.append("")
        if dict(attrs).get("id") == "summary":
            self._in_summary = True
        if tag == "nav":
            self._in_summary = False

    def handle_endtag(self, tag: str) -> None:
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        top = self._stack[-1] if self._stack else ""
        if top in ("script", "style"):
            return
        if top == "th":
            self.headers.append(data.strip())
        if self._in_summary:
            self.summary.append(data)
            if top == "li":
                self.items[-1] += data
        self.text.append(data)


def _changed_count(od: pd.DataFrame, profile: str) -> int:
    rows = od[od["profile"] == profile]
    fb = np.isfinite(rows["generalized_usd_before"])
    fa = np.isfinite(rows["generalized_usd_after"])
    moved = (rows["d_generalized_usd"].abs() > 0.5) | (rows["d_time_h"].abs() > 0.01)
    return int((moved | (rows["crossing_changed"] & fb & fa) | (fb != fa)).sum())


@pytest.mark.parametrize("after", sorted(CASES))
def test_summary_states_the_change(
    after: str,
    networks: dict[str, corridor.Network],
    outlines: list[object],
    tmp_path: Path,
) -> None:
    base, places, network_words = CASES[after]
    a, b = networks[base], networks[after]
    scenarios = (corridor.get_scenario(base), corridor.get_scenario(after))
    opts = corridor.CompareOptions(places=places, flows=None)
    result = corridor.compare(a, b, options=opts, scenarios=scenarios)
    summary = corridor.summarize_comparison(result, a, b, places=places)
    page = corridor.write_compare_report(
        result, a, b, tmp_path / "rep", outlines=outlines, summary=summary
    )
    html = page.read_text(encoding="utf-8")
    doc = _Text()
    doc.feed(html)
    said = " ".join(doc.summary)
    assert network_words in said
    od = pd.read_parquet(page.parent / "od.parquet")
    pattern = re.compile(r"^([^:]+): (\d[\d,]*) of (\d[\d,]*) OD pairs change")
    counts = [m.groups() for m in map(pattern.match, doc.items) if m]
    none = re.compile(r"^([^:]+): none of the (\d[\d,]*) OD pairs compared changes")
    counts += [(m[1], "0", m[2]) for m in map(none.match, doc.items) if m]
    labels = {profile_label(p).lower(): p for p in result.options.profiles}
    assert sorted(label.lower() for label, _, _ in counts) == sorted(labels), said
    for label, n, m in counts:
        profile = labels[label.lower()]
        assert int(n.replace(",", "")) == _changed_count(od, profile)
        assert int(m.replace(",", "")) == int((od["profile"] == profile).sum())
    pairs_change = any(int(n.replace(",", "")) > 0 for _, n, _ in counts)
    hours = [
        float(x.replace(",", "").replace("−", "-")) for x in re.findall(r"([+−][\d,.]+) h", said)
    ]
    visits = [
        float(x.replace(",", "").replace("−", "-"))
        for item in doc.items
        if item.startswith("Tourism")
        for x in re.findall(r"\(([+−][\d,]+)[,)]", item)
    ]
    # pairs change by a tenth of an hour or more, or travellers' visits change
    assert (pairs_change and any(abs(h) >= 0.05 for h in hours)) or any(
        abs(v) >= 1 for v in visits
    ), said
    # names, never ids (the page without its embedded images)
    visible = re.sub(r'src="data:[^"]+"', "", html)
    ids = set(od["origin_id"].astype(str)) | set(od["destination_id"].astype(str))
    changed = pd.read_parquet(page.parent / "changed_links.parquet")
    ids |= set(changed["link_id"].astype(str))
    assert not [i for i in ids if re.search(rf"\b{i}\b", visible)]
    raw = [h for h in doc.headers if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)]
    assert raw == [] and "Δ time (h)" in doc.headers


def test_cli_prints_and_returns_the_summary(tmp_path: Path) -> None:
    places = "Harbin,Chita,Irkutsk,Beijing"
    args = [
        "scenario",
        "compare",
        "current",
        "manzhouli-congestion",
        "--places",
        places,
        "--no-flows",
    ]
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["summary"] and data["summary"] == [f["text"] for f in data["findings"]]
    assert any("Zabaikalsk – Manzhouli" in s for s in data["summary"])
    assert data["changes"] and all(
        abs(r["d_generalized_usd"]) > 0.5 or r["status"] != "unchanged" for r in data["changes"]
    )
    text = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    assert text.exit_code == 0, text.output
    lines = text.output.strip().splitlines()
    # the print starts with the summary, the same sentences (wrapped at 80 columns)
    assert "manzhouli-congestion" in lines[0]
    flat = " ".join(line.strip(" •") for line in lines)
    assert re.sub(r"\s+", " ", data["summary"][0]) in re.sub(r"\s+", " ", flat)
    assert max(len(line) for line in lines) <= 80
