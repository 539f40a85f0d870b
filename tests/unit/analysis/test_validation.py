"""`validate_published`: pass / miss / known on small networks checked by hand."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.analysis.validation import (
    Metric,
    Status,
    load_published,
    observe,
    parse_published,
    validate_published,
)
from tests.unit.costs.test_costs import BASE, ROAD

SRC = "hand sum in the test"


def fig(**changes: Any) -> dict[str, Any]:
    """A figure row: toy A -> D by road, 353 km by hand (120 + 115 + 118)."""
    row: dict[str, Any] = {
        "id": "toy-road-km",
        "what": "length_km",
        "query": {"origin": "A", "destination": "D", "modes": "road", "optimize": "distance"},
        "published": 353.0,
        "band": {"pct": 1, "why": "[assumption] test"},
        "date": "2026",
        "source": SRC,
    }
    row.update(changes)
    return row


def table(*rows: dict[str, Any]) -> tuple[corridor.PublishedFigure, ...]:
    return parse_published({"figures": list(rows)})


def test_pass_miss_known_and_known_passes_by_hand(toy: corridor.Network) -> None:
    rows = table(
        fig(id="pass", published=350.0, band={"pct": 1, "why": "t"}),  # 346.5..353.5
        fig(id="miss", published=300.0, band={"pct": 5, "why": "t"}),  # 285..315
        fig(id="known", published=300.0, known_discrepancy="toy is longer"),
        fig(id="known-now-ok", published=353.0, known_discrepancy="was too long"),
    )
    result = validate_published(toy, rows)
    assert [c.status for c in result.checks] == [
        Status.PASS,
        Status.MISS,
        Status.KNOWN,
        Status.KNOWN_PASSES,
    ]
    assert all(c.observed == pytest.approx(353.0) for c in result.checks)
    assert not result.ok
    assert result.now_passing == ("known-now-ok",)
    assert result.summary().startswith(
        "2 of 4 figures within their band; 1 known discrepancy; 1 miss"
    )
    assert "remove the mark" in result.summary() and "known-now-ok" in result.summary()
    assert result.checks[1].deviation_pct == pytest.approx(100 * 53 / 300)
    assert result.by_metric() == {"length_km": (2, 4)}
    d = result.to_dict()
    assert d["counts"] == {"pass": 1, "miss": 1, "known": 1, "known-passes": 1}
    assert d["by_metric"] == {"length_km": {"within": 2, "figures": 4}}
    assert [f["source"] for f in d["figures"]] == [SRC] * 4
    frame = result.to_frame()
    assert list(frame["status"]) == ["pass", "miss", "known", "known-passes"]


def test_known_discrepancies_alone_do_not_fail(toy: corridor.Network) -> None:
    result = validate_published(toy, table(fig(published=100.0, known_discrepancy="why")))
    assert result.ok and result.count("known") == 1


def test_plain_time_and_band_bounds_inclusive(toy: corridor.Network) -> None:
    # road A-B-C-D: 120 km at 100 km/h, 233 km at 80 km/h
    hours = 1.2 + 233 / 80
    rows = table(
        fig(
            id="t",
            what="time_h",
            query={"origin": "A", "destination": "D", "modes": "road"},
            published=hours,
            band={"low": hours, "high": hours + 1, "why": "t"},
        )
    )
    (check,) = validate_published(toy, rows).checks
    assert check.observed == pytest.approx(hours)
    assert check.status is Status.PASS


def test_unknown_place_is_a_miss_with_the_reason(toy: corridor.Network) -> None:
    rows = table(fig(query={"origin": "A", "destination": "Nowhere"}))
    (check,) = validate_published(toy, rows).checks
    assert check.status is Status.MISS
    assert math.isnan(check.observed)
    assert "not in the network" in check.problem


@pytest.fixture
def priced(tmp_path: Path) -> tuple[corridor.Network, str]:
    """ROAD (P..T, 300 km, crossing R at 150 km, links in XA then XB) and a road profile."""
    links = ROAD.links.assign(country=["XA", "XA", "XB", "XB"])
    net = corridor.Network(ROAD.nodes, links, ROAD.crossings)
    data = copy.deepcopy(BASE)
    data.update(modes=["road"])
    for key in ("rail", "transfer", "gauge_break"):
        data.pop(key)
    path = tmp_path / "roadtest.yaml"
    path.write_text(yaml.safe_dump(data))
    return net, str(path)


def _one(net: corridor.Network, what: str, profile: str, **query: Any) -> float:
    q = {"origin": "P", "destination": "T", "profile": profile, "optimize": "cost", **query}
    (figure,) = table(fig(what=what, query=q, published=1.0, band={"pct": 0, "why": "t"}))
    return observe(net, figure).value


def test_metrics_read_off_a_priced_route_by_hand(priced: tuple[corridor.Network, str]) -> None:
    net, prof = priced
    # 300 km at 100 km/h = 3 h; origin terminal 1 h, crossing a_to_b 6 h, destination 2 h
    assert _one(net, "time_h", prof) == pytest.approx(12.0)
    assert _one(net, "run_h", prof) == pytest.approx(9.0)
    assert _one(net, "transit_days", prof) == pytest.approx(9.0 / 24)
    # 2 $/km x 300 + toll 25 + fee 200 + terminals 10 + 20
    assert _one(net, "cost_usd", prof) == pytest.approx(855.0)
    assert _one(net, "cost_usd_per_500km", prof) == pytest.approx(855.0 * 500 / 300)
    # 60 / 50 g per t-km whatever the distance
    assert _one(net, "co2_wtw_g_per_tkm", prof) == pytest.approx(60.0)
    assert _one(net, "co2_ttw_g_per_tkm", prof) == pytest.approx(50.0)
    assert _one(net, "crossing_delay_h", prof, crossing="r") == pytest.approx(6.0)
    # back T -> P the crossing runs b_to_a: 2 h
    back = {"origin": "T", "destination": "P", "crossing": "R"}
    assert _one(net, "crossing_delay_h", prof, **back) == pytest.approx(2.0)
    assert _one(net, "speed_with_delay_kmh", prof) == pytest.approx(300 / 9)
    assert _one(net, "speed_without_delay_kmh", prof) == pytest.approx(100.0)


def test_crossing_not_on_route_is_a_problem(priced: tuple[corridor.Network, str]) -> None:
    net, prof = priced
    q = {"origin": "P", "destination": "T", "profile": prof, "crossing": "Khorgos"}
    (figure,) = table(fig(what="crossing_delay_h", query=q, published=6.0))
    obs = observe(net, figure)
    assert math.isnan(obs.value)
    assert "Khorgos" in obs.problem and "R" in obs.problem
    assert validate_published(net, [figure]).checks[0].status is Status.MISS


def test_zero_length_route_cannot_give_a_rate(priced: tuple[corridor.Network, str]) -> None:
    net, prof = priced
    q = {"origin": "P", "destination": "P", "profile": prof}
    (figure,) = table(fig(what="cost_usd_per_500km", query=q, published=1.0))
    obs = observe(net, figure)
    assert math.isnan(obs.value) and "non-zero length" in obs.problem


def test_route_outside_the_published_countries_misses(
    priced: tuple[corridor.Network, str],
) -> None:
    net, _ = priced
    inside = {"origin": "P", "destination": "T", "modes": "road", "optimize": "distance"}
    rows = table(
        fig(id="both", query={**inside, "countries": ["XA", "XB"]}, published=300.0),
        fig(id="xa-only", query={**inside, "countries": ["xa"]}, published=300.0),
        fig(
            id="xa-known",
            query={**inside, "countries": ["XA"]},
            published=300.0,
            known_discrepancy="leaves XA",
        ),
    )
    both, xa, known = validate_published(net, rows).checks
    assert both.status is Status.PASS and both.observed == pytest.approx(300.0)
    assert xa.status is Status.MISS and xa.observed == pytest.approx(300.0)
    assert "runs through XB" in xa.problem
    assert known.status is Status.KNOWN  # inside the band, but not the published route


TOY = corridor.examples.toy()


@settings(max_examples=25)
@given(st.lists(st.tuples(st.floats(200.0, 500.0), st.floats(0.0, 30.0)), min_size=1, max_size=12))
def test_verdict_is_the_band_test(bands: list[tuple[float, float]]) -> None:
    rows = table(
        *(
            fig(id=f"f{i}", published=p, band={"pct": pct, "why": "t"})
            for i, (p, pct) in enumerate(bands)
        )
    )
    for (published, pct), check in zip(bands, validate_published(TOY, rows).checks, strict=True):
        assert check.observed == pytest.approx(353.0)  # by hand: 120 + 115 + 118 km
        half = published * pct / 100
        inside = published - half <= check.observed <= published + half
        assert (check.status is Status.PASS) == inside


def test_bad_rows_are_reported_together() -> None:
    rows = [
        fig(id="a", source=""),
        fig(id="b", band={"low": 1, "high": 2, "why": "t"}),  # 353 outside
        fig(id="c", what="speed"),
        fig(id="d", what="cost_usd"),  # no profile
        fig(id="e", band={"pct": 3}),  # no why
        fig(id="f"),
        fig(id="f"),
        fig(id="h", query={"origin": "A", "destination": "D", "optimize": "fastest"}),
        fig(id="i", query={"origin": "A", "destination": "D", "as_of": "soon"}),
        fig(
            id="g",
            what="crossing_delay_h",
            query={"origin": "A", "destination": "D", "profile": "car"},
        ),
    ]
    with pytest.raises(corridor.ValidationError) as err:
        parse_published({"figures": rows})
    text = str(err.value)
    assert "9 bad figure(s)" in text
    for part in (
        "figure a: missing source",
        "figure b: published value 353 lies outside its band",
        "figure c: what='speed'",
        "figure d: what=cost_usd needs a query profile",
        "figure e: band needs `why`",
        "figure f: duplicate id",
        "figure g: what=crossing_delay_h needs query.crossing",
        "figure h: unknown objective 'fastest'",
        "figure i: cannot read query as_of 'soon'",
    ):
        assert part in text


def test_table_file_errors(tmp_path: Path) -> None:
    with pytest.raises(corridor.DataSourceError):
        load_published(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("figures: [unclosed")
    with pytest.raises(corridor.DataSourceError, match="not valid YAML"):
        load_published(bad)
    bad.write_text("- just a list")
    with pytest.raises(corridor.ValidationError, match="figures"):
        load_published(bad)


def test_shipped_table_is_complete() -> None:
    figures = load_published()
    assert len(figures) >= 40
    assert len({f.id for f in figures}) == len(figures)
    for f in figures:
        assert f.source and f.date and f.band.why
        assert f.band.low <= f.published <= f.band.high
        assert f.query.as_of  # every figure is read on a dated network
    kinds = {f.what for f in figures}
    assert {
        Metric.LENGTH_KM,
        Metric.TIME_H,
        Metric.RUN_H,
        Metric.TRANSIT_DAYS,
        Metric.COST_USD,
        Metric.CO2_WTW_G_PER_TKM,
        Metric.CROSSING_DELAY_H,
    } <= kinds
    # a width that is not published is labelled as an assumption
    for f in figures:
        assert f.band.why.startswith("[assumption]") or "publish" in f.band.why, f.id
