"""The road circuity audit: hand-checked on the toy network, networkx on the embedded one."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.analysis.circuity import (
    CircuityNote,
    audit_circuity,
    check_circuity,
    largest_places,
)
from corridor.analysis.circuity_notes import NOTES
from corridor.analysis.data_check import CHECK_DATE
from corridor.units import haversine_km

DEG_KM = 2 * math.pi * 6371.0088 / 360  # one degree of longitude on the equator


def test_toy_ratios_by_hand() -> None:
    toy = corridor.examples.toy()
    places = largest_places(toy, 10)
    assert places["name"].tolist() == ["A", "D", "B"]  # cities on a road, largest first
    # A-B 120 km over 1 degree, A-D 120+115+118 km over 3, B-D 233 km over 2
    audit = audit_circuity(toy, n_places=3, limit=1.05, notes=())
    got = {frozenset((p.origin, p.destination)): p.circuity for p in audit.over}
    assert got == {
        frozenset(("1", "2")): pytest.approx(120 / DEG_KM, rel=1e-3),
        frozenset(("1", "4")): pytest.approx(353 / (3 * DEG_KM), rel=1e-3),
    }
    assert audit.n_pairs == 3 and not audit.passed
    assert audit.over[0].circuity >= audit.over[1].circuity  # worst first


def test_notes_explain_pairs_and_report_stale() -> None:
    toy = corridor.examples.toy()
    note = CircuityNote(("1",), ("2", "4"), "geography in the toy")
    stale = CircuityNote(("2",), ("4",), "never needed", "gap")
    audit = audit_circuity(toy, n_places=3, limit=1.05, notes=(note, stale))
    assert audit.passed and not audit.failures and not audit.gaps
    assert {p.reason for p in audit.over} == {"geography in the toy"}
    assert audit.stale == (stale,)
    assert "0 unexplained" in repr(audit)


def test_note_groups_match_keys_and_countries() -> None:
    note = CircuityNote(("Pyongyang/KP",), ("CN",), "sea")
    assert note.covers("Pyongyang/KP", "Shanghai/CN")
    assert note.covers("Shanghai/CN", "Pyongyang/KP")
    assert not note.covers("Pyongyang/KP", "Moscow/RU")
    with pytest.raises(corridor.ValidationError):
        CircuityNote(("A/XX",), ("B/XX",), "?", "excuse")
    with pytest.raises(corridor.ValidationError):
        audit_circuity(corridor.examples.toy(), n_places=1)


@pytest.fixture(scope="module")
def now() -> corridor.Network:
    return corridor.eurasia().as_of(CHECK_DATE)


@pytest.fixture(scope="module")
def shipped(now: corridor.Network):  # type: ignore[no-untyped-def]
    return audit_circuity(now)


def test_shipped_network_passes_with_no_stale_note(shipped) -> None:  # type: ignore[no-untyped-def]
    assert len(shipped.places) == 100 and shipped.n_pairs == 4950
    assert shipped.failures == ()
    assert shipped.stale == ()
    geography = [p for p in shipped.over if p.kind == "geography"]
    assert any(p.origin == "Pyongyang/KP" or p.destination == "Pyongyang/KP" for p in geography)
    assert 1.1 < shipped.median_circuity < 1.5


def test_road_lengths_agree_with_networkx(now: corridor.Network, shipped) -> None:  # type: ignore[no-untyped-def]
    links = now.links[now.links["mode"] == "road"]
    graph = nx.Graph()
    for a, b, km in links[["a_node", "b_node", "length_km"]].itertuples(index=False):
        if not graph.has_edge(a, b) or graph[a][b]["km"] > km:
            graph.add_edge(a, b, km=km)
    assert not links["oneway"].any()  # undirected graph is the right model here
    nodes = now.nodes.set_index("key")
    over = {frozenset((p.origin, p.destination)): p for p in shipped.over}
    rng = np.random.default_rng(12)
    keys = list(shipped.places)
    sample = [tuple(rng.choice(keys, size=2, replace=False)) for _ in range(40)]
    sample += [(p.origin, p.destination) for p in shipped.over[:5]]  # some over the limit
    checked = 0
    for ka, kb in sample:
        na, nb = nodes.loc[ka], nodes.loc[kb]
        km = nx.shortest_path_length(graph, na["node_id"], nb["node_id"], weight="km")
        gc = float(haversine_km(na["lon"], na["lat"], nb["lon"], nb["lat"]))
        pair = over.get(frozenset((ka, kb)))
        if pair is None:
            assert km / gc <= 1.6 + 1e-9, (ka, kb)
        else:
            assert pair.road_km == pytest.approx(km, rel=1e-9)
            assert pair.circuity == pytest.approx(km / gc, rel=1e-6)
        checked += 1
    assert checked == 45


def test_check_circuity_reports_gaps_as_warning(now: corridor.Network) -> None:
    checks = {c.name: c for c in check_circuity(now)}
    main = checks["road circuity of the 100 largest places"]
    assert main.passed and main.severity == "error"
    assert checks["road circuity: known network gaps"].severity == "warning"
    assert checks["road circuity notes not stale"].passed


def test_every_note_has_a_reason_and_groups() -> None:
    for note in NOTES:
        assert note.a and note.b and len(note.reason) > 20
        assert note.kind in {"geography", "gap"}


@settings(max_examples=25, deadline=None)
@given(
    low=st.floats(min_value=1.0001, max_value=1.2),
    high=st.floats(min_value=1.2, max_value=3.0),
    scale=st.floats(min_value=1.0, max_value=2.0),
)
def test_properties_on_the_toy(low: float, high: float, scale: float) -> None:
    toy = corridor.examples.toy()
    over_low = {(p.origin, p.destination) for p in audit_circuity(toy, limit=low, notes=()).over}
    over_high = {(p.origin, p.destination) for p in audit_circuity(toy, limit=high, notes=()).over}
    assert over_high <= over_low  # a looser limit never adds pairs
    links = toy.links.copy()
    links["length_km"] = links["length_km"] * scale
    base = {
        frozenset((p.origin, p.destination)): p.circuity
        for p in audit_circuity(toy, limit=1.0001, notes=()).over
    }
    scaled = {
        frozenset((p.origin, p.destination)): p.circuity
        for p in audit_circuity(toy.with_links(links), limit=1.0001, notes=()).over
    }
    assert scaled.keys() == base.keys()
    for pair, ratio in base.items():  # road lengths scale, great circles do not
        assert scaled[pair] == pytest.approx(ratio * scale, rel=1e-9)
