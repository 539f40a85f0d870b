"""The executive summary: touched pairs against routes searched one by one, sentences
carrying the numbers of the OD table, crossing changes, readable headers, one palette."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.report.labels import column_label, format_signed, road_label
from corridor.report.network_changes import crossing_changes
from corridor.report.palette import GAIN, LOSS, NEUTRAL, change_colour, palette_dict, palette_js
from corridor.report.summary import summarize_comparison, touched_pairs
from corridor.scenario.edits import CloseCrossing, SetCrossing


@pytest.fixture(scope="module")
def fast_pair() -> tuple[corridor.Network, corridor.Network]:
    toy = corridor.examples.toy()
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0  # B-C on R2
    return toy, toy.with_links(links)


def _cost(net: corridor.Network, o: str, d: str) -> float:
    try:
        return float(corridor.route(net, o, d, profile="car").generalized_usd)
    except LookupError:
        return np.inf


def test_touched_pairs_are_the_pairs_whose_route_changes(fast_pair) -> None:
    before, after = fast_pair
    c = compare(
        before,
        after,
        options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None),
    )
    touched = touched_pairs(c)
    got = set(zip(touched["origin"], touched["destination"], strict=True))
    # independent truth: one route search per pair in each network
    want = {
        (o, d)
        for o in "ABD"
        for d in "ABD"
        if o != d and abs(_cost(after, o, d) - _cost(before, o, d)) > 0.5
    }
    assert got == want and want  # the speed-up of B-C changes some pairs, not all
    assert ("A", "B") not in got  # A-B is on M1 only
    assert set(touched["status"]) == {"gain"}


def test_asked_places_are_kept_even_unchanged(fast_pair) -> None:
    before, after = fast_pair
    c = compare(
        before,
        after,
        options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None),
    )
    touched = touched_pairs(c, places=("A", "B"))
    ab = touched[(touched["origin"] == "A") & (touched["destination"] == "B")]
    assert len(ab) == 1 and bool(ab["asked"].iloc[0]) and ab["status"].iloc[0] == "unchanged"


def test_summary_sentences_carry_the_numbers(fast_pair) -> None:
    before, after = fast_pair
    c = compare(
        before,
        after,
        options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None),
    )
    s = summarize_comparison(c, before, after)
    text = " ".join(s.sentences())
    assert "1 road, rail or ferry link faster: road R2" in text
    od = c.od[c.od["d_generalized_usd"].abs() > 0.5]
    n = int(np.isfinite(c.od["generalized_usd_before"]).sum())
    assert f"Car: {len(od)} of {n} OD pairs change" in text
    top = od.iloc[int(np.argmax(od["d_generalized_usd"].abs().to_numpy()))]
    assert f"{top['origin']} → {top['destination']}" in text
    assert f"{format_signed(float(top['d_time_h']), 1)} h" in text
    assert json.loads(json.dumps(s.to_dict()))["sentences"] == s.sentences()


def test_unchanged_networks_say_so() -> None:
    toy = corridor.examples.toy()
    c = compare(toy, toy, options=CompareOptions(places=("A", "D"), profiles=("car",), flows=None))
    text = " ".join(summarize_comparison(c, toy, toy).sentences())
    assert "same links and crossings" in text
    assert "none of the 2 OD pairs compared changes" in text


def test_crossing_changes_delay_and_closure() -> None:
    toy = corridor.examples.toy()
    slow = SetCrossing(crossing="C", mode="road", delay_factor=3.0).apply(toy)
    cx = crossing_changes(toy, slow)
    assert cx["change"].tolist() == ["delay changed", "delay changed"]
    assert np.allclose(cx["delay_p50_h_after"], 3 * cx["delay_p50_h_before"])
    assert sorted(cx["delay_p50_h_before"]) == [3.0, 5.0]
    shut = CloseCrossing(crossing="C").apply(toy)
    cx = crossing_changes(toy, shut)
    assert cx[["crossing", "mode", "change"]].values.tolist() == [["C", "road", "closed"]]
    text = " ".join(
        summarize_comparison(
            compare(
                toy, slow, options=CompareOptions(places=("A", "D"), profiles=("car",), flows=None)
            ),
            toy,
            slow,
        ).sentences()
    )
    assert re.search(r"C \(road\): median clearance delay XA → XB 5\.0 → 15\.0 h", text)


def test_headers_are_words_with_units() -> None:
    assert column_label("d_generalized_usd_container40") == (
        "Δ generalised cost, rail, 40-ft container (US$)"
    )
    assert column_label("d_time_h") == "Δ time (h)"
    assert column_label("co2_kg_after") == "CO2 after (kg)"
    assert column_label("pop_within_48h_before") == "population within 48 h before (people)"
    assert column_label("mean_d_time_h") == "mean Δ time (h)"
    assert road_label("R-258", "R-258 Baikal") == "R-258 Baikal"


def test_one_palette() -> None:
    p = palette_dict()
    assert json.loads(palette_js().split("=", 1)[1].rstrip().rstrip(";")) == json.loads(
        json.dumps(p, sort_keys=True)
    )
    assert (change_colour(-1.0), change_colour(1.0), change_colour(float("nan"))) == (
        GAIN,
        LOSS,
        NEUTRAL,
    )
    assert len(set(p["mode"].values())) == len(p["mode"])  # modes told apart


def test_extra_tables_give_sentences(fast_pair) -> None:
    before, after = fast_pair
    c = compare(
        before, after, options=CompareOptions(places=("A", "D"), profiles=("car",), flows=None)
    )
    # the shapes the tourism and freight models give (before/after/change columns)
    c.extra["tourism_by_direction"] = pd.DataFrame(
        {
            "direction": ["XA → XB", "XB → XA"],
            "visits_year_before": [1000.0, 500.0],
            "visits_year_after": [1200.0, 450.0],
            "visits_year_change": [200.0, -50.0],
            "change_pct": [20.0, -10.0],
        }
    )
    c.extra["tourism_top_od"] = pd.DataFrame(
        {
            "origin": ["A", "D"],
            "destination": ["D", "A"],
            "visits_year_before": [10.0, 0.0],
            "visits_year_after": [40.0, 5.0],
            "visits_year_change": [30.0, 5.0],
        }
    )
    c.extra["freight_crossings"] = pd.DataFrame(
        {
            "crossing": ["C", "C", "Q"],
            "direction": ["a_to_b", "b_to_a", "a_to_b"],
            "trucks_day_before": [10.0, 6.0, 2.0],
            "trucks_day_after": [0.0, 0.0, 14.0],
            "trains_day_before": [1.0, 1.0, 0.0],
            "trains_day_after": [0.0, 0.0, 2.0],
            "closed_after": [True, True, False],
        }
    )
    c.extra["freight_impacts"] = pd.DataFrame(
        {
            "mode": ["road", "rail", "all"],
            "tonnes_year_before": [100.0, 50.0, 150.0],
            "tonnes_year_after": [90.0, 70.0, 160.0],
        }
    )
    c.extra["appraisal"] = pd.DataFrame(
        {"item": ["npv_usd", "bcr"], "value": [2.5e6, 1.8], "unit": ["US$", "ratio"]}
    )
    found = summarize_comparison(c, before, after)
    text = " ".join(found.sentences())
    assert "Tourism, visits by direction: total 1,500 → 1,650 visits/year, +10%" in text
    assert "XA → XB 1,000 → 1,200 (+200, +20%)" in text
    assert "Tourism destinations (the trips that change most): largest changes: A → D 10 → 40" in (
        text
    )
    # C: 10+6+1+1 = 18 a day before, closed after; Q: 2 -> 16
    assert "C (closed) 18.0 → 0.0 (−18.0); Q 2.0 → 16.0 (+14.0)" in text
    assert "tonnes 150 → 160 t, +6.7%" in text  # the total row, not the sum of all rows
    assert "net present value +US$2,500,000, benefit-cost ratio 1.80" in text
    topics = {f.topic for f in found.findings if "Tourism" in f.text}
    assert topics == {"tourism"}
