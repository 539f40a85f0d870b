"""Border formalities: recipe expansion, cost-graph effects, transit and origin rules,
and what a route reports at its border stops."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.costs.formalities import barred_reasons, transit_arcs, vehicle_of
from corridor.data.formalities import formality_rows
from corridor.errors import NoPathError, SchemaError


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


def _crossing(net: corridor.Network, key: str) -> int:
    nodes = net.nodes
    return int(nodes.loc[nodes["key"] == f"X:{key}", "node_id"].iloc[0])


def test_every_crossing_mode_direction_and_vehicle_has_one_sourced_row(
    net: corridor.Network,
) -> None:
    f = net.formalities
    c = net.crossings
    modes = c[["node_id", "mode"]].drop_duplicates()
    per_mode = {"road": 3, "rail": 2}
    # an airport's passport control: one direction (into the airport's country), one vehicle
    expected = sum(2 * per_mode[m] if m != "air" else 1 for m in modes["mode"])
    assert len(f) == expected
    assert not f.duplicated(["node_id", "mode", "direction", "vehicle"]).any()
    assert (f["provenance"].str.len() > 10).all()
    # every rule is sourced: a URL, a named document, or a stated assumption
    assert f["provenance"].str.contains(r"http|\[assumption\]|Regulation|Reg\.", regex=True).all()


def test_private_cars_may_not_enter_north_korea(net: corridor.Network) -> None:
    f = net.formalities
    dandong = _crossing(net, "dandong-sinuiju")
    row = f[(f["node_id"] == dandong) & (f["vehicle"] == "car") & (f["direction"] == "a_to_b")]
    assert not row["allowed"].item()
    with pytest.raises(NoPathError, match="Dandong"):
        corridor.route(net, "Vladivostok", "Pyongyang", profile="car")


def test_russian_cars_barred_from_the_eu_but_trucks_swap_tractors(net: corridor.Network) -> None:
    with pytest.raises(NoPathError, match="barred to vehicles from RU"):
        corridor.route(net, "Moscow", "Berlin", profile="car")
    # a Belarusian trip origin is not barred
    r = corridor.route(net, "Minsk", "Berlin", profile="car")
    pl = [s for s in r.stops if s.kind == "border_crossing" and "->PL" in s.detail]
    assert pl and "Schengen visa" in pl[0].formalities
    truck = corridor.route(net, "Moscow", "Berlin", profile="truck40", optimize="cost")
    by_pl = [s for s in truck.stops if "BY->PL" in s.detail]
    assert by_pl and "EU-registered tractor" in by_pl[0].formalities


def test_formality_time_and_fee_are_added_to_the_crossing_stop(net: corridor.Network) -> None:
    """Almaty-Urumqi by car: the stop at Khorgos costs the crossing's passenger delay plus
    the Chinese temporary plates/licence/guide package (recipe time and fee)."""
    r = corridor.route(net, "Almaty", "Urumqi", profile="car")
    stop = next(s for s in r.stops if s.kind == "border_crossing")
    node = stop.node_id
    f = net.formalities
    rule = f[(f["node_id"] == node) & (f["vehicle"] == "car") & (f["direction"] == "a_to_b")]
    c = net.crossings[net.open_crossings()]  # the period in force (one per mode, direction)
    cross = c[(c["node_id"] == node) & (c["mode"] == "road") & (c["direction"] == "a_to_b")]
    fallback = corridor.load_profile("car").crossing.fallback_delay_h
    delay = cross["passenger_delay_h"].fillna(fallback).item()
    assert stop.time_h == pytest.approx(delay + rule["time_h"].item())
    assert stop.cost_usd == pytest.approx(rule["fee_usd"].item())  # car pays no freight fee
    assert "temporary entry plates" in stop.formalities
    assert "visa-free" in stop.formalities
    assert any(s["formalities"] == stop.formalities for s in r.to_dict()["stops"])


def test_without_formalities_the_network_costs_as_before(net: corridor.Network) -> None:
    bare = net.with_formalities(pd.DataFrame())
    a = corridor.route(net, "Almaty", "Urumqi", profile="truck40", optimize="cost")
    b = corridor.route(bare, "Almaty", "Urumqi", profile="truck40", optimize="cost")
    assert a.node_ids == b.node_ids
    assert a.cost_usd == pytest.approx(b.cost_usd)  # TIR rules add documents, not money
    assert all(s.formalities == "" for s in b.stops)


def test_transit_rule_blocks_third_countries_only() -> None:
    enters = np.array(["", "CN", "KZ", "PL"], dtype=object)
    ok = np.array([True, False, False, True])
    barred = np.array(["", "", "", "RU;BY"], dtype=object)
    assert transit_arcs(enters, ok, barred, ("KZ", "RU"), "RU").tolist() == [
        True,
        False,
        True,
        False,
    ]
    # KZ is a third country here and may not be transited; PL is the destination
    assert transit_arcs(enters, ok, barred, ("CN", "PL"), "CN").tolist() == [
        True,
        True,
        False,
        True,
    ]


def test_vehicle_of_profiles() -> None:
    assert vehicle_of(corridor.load_profile("car"), "road") == "car"
    assert vehicle_of(corridor.load_profile("truck40"), "ferry") == "truck"
    assert vehicle_of(corridor.load_profile("container40"), "rail") == "freight_train"
    assert vehicle_of(corridor.load_profile("train"), "rail") == "passenger_train"


def test_most_specific_rule_wins() -> None:
    nodes = pd.DataFrame(
        {
            "node_id": [10, 11],
            "key": ["X:a", "X:b"],
            "country_a": ["AA", "AA"],
            "country_b": ["BB", "BB"],
        }
    )
    crossings = pd.DataFrame({"node_id": [10, 11], "mode": ["road", "road"]})
    doc = {
        "defaults": {"road": {"source": "[assumption] none"}},
        "rules": [
            {
                "id": "pair",
                "from": "AA",
                "to": "BB",
                "mode": "road",
                "vehicles": ["car"],
                "fee_usd": 5,
                "source": "[assumption] pair",
            },
            {
                "id": "only-b",
                "from": "AA",
                "to": "BB",
                "mode": "road",
                "vehicles": ["car"],
                "crossings": ["b"],
                "allowed": False,
                "source": "[assumption] b",
            },
            {
                "id": "later",
                "from": "AA",
                "to": "BB",
                "mode": "road",
                "vehicles": ["car"],
                "fee_usd": 7,
                "source": "[assumption] later",
            },
        ],
    }
    problems: list[str] = []
    rows = formality_rows(doc, nodes, crossings, problems)
    assert problems == []
    car = rows[(rows["vehicle"] == "car") & (rows["direction"] == "a_to_b")].set_index("node_id")
    assert car.loc[10, "fee_usd"] == 7.0 and car.loc[10, "allowed"]
    assert not car.loc[11, "allowed"]
    back = rows[(rows["vehicle"] == "car") & (rows["direction"] == "b_to_a")]
    assert back["provenance"].str.startswith("default road").all()
    bad = {"rules": [{"from": "AA", "to": "BB", "mode": "sea", "vehicles": ["ship"]}]}
    formality_rows(bad, nodes, crossings, problems)
    assert len(problems) >= 3  # mode, vehicles, source


def test_network_rejects_formalities_on_non_crossings(net: corridor.Network) -> None:
    f = net.formalities.copy()
    city = int(net.nodes.loc[net.nodes["kind"] == "city", "node_id"].iloc[0])
    f.loc[0, "node_id"] = city
    with pytest.raises(SchemaError, match="not border-crossing nodes"):
        net.with_formalities(f)


def test_no_path_message_names_the_rules(net: corridor.Network) -> None:
    reasons = barred_reasons(net, corridor.load_profile("car"), origin="RU", ends=("DE", "RU"))
    assert "Dandong" in reasons and "barred to vehicles from RU" in reasons


def test_bus_may_not_transit_china_but_may_end_there(net: corridor.Network) -> None:
    """International buses are bilateral (recipe: transit_allowed false into China): a bus
    from Vladivostok may go to Harbin, but not through China to Pyongyang."""
    r = corridor.route(net, "Vladivostok", "Harbin", profile="bus")
    assert any("->CN" in s.detail for s in r.stops if s.kind == "border_crossing")
    with pytest.raises(NoPathError, match="no transit"):
        corridor.route(net, "Vladivostok", "Pyongyang", profile="bus")
    # the rule is the trip's, not the graph's: the same crossings carry the bus to China
    ok = corridor.router_for(net).cost_graph("bus").transit_ok
    assert not ok.all()


def test_freight_documents_are_listed_for_freight_vehicles_only(net: corridor.Network) -> None:
    f = net.formalities
    freight = f["vehicle"].isin(["truck", "freight_train"])
    assert not f.loc[~freight, "documents"].str.contains("for freight").any()
    assert f.loc[freight, "documents"].str.contains("for freight").any()
    # the same rule gives the passenger train its visa but not the consignment note
    r = corridor.route(net, "Kunming", "Vientiane", profile="train")
    stop = next(s for s in r.stops if s.kind == "border_crossing")
    assert "visa" in stop.formalities and "for freight" not in stop.formalities


def test_origins_only_bars_every_other_country_of_the_network() -> None:
    nodes = pd.DataFrame(
        {
            "node_id": [1, 2, 3, 10],
            "key": ["A/AA", "B/BB", "C/CC", "X:a"],
            "country": ["AA", "BB", "CC", None],
            "country_a": [None, None, None, "AA"],
            "country_b": [None, None, None, "BB"],
        }
    )
    crossings = pd.DataFrame({"node_id": [10], "mode": ["road"]})
    doc = {
        "defaults": {"road": {"source": "[assumption] none"}},
        "rules": [
            {
                "id": "bilateral",
                "from": "AA",
                "to": "BB",
                "mode": "road",
                "vehicles": ["truck"],
                "origins_only": ["AA", "BB"],
                "barred_origins": "DD",
                "source": "[assumption] bilateral trucks only",
            },
        ],
    }
    problems: list[str] = []
    rows = formality_rows(doc, nodes, crossings, problems)
    assert problems == []
    by = rows.set_index(["direction", "vehicle"])["barred_origins"]
    # CC is the network's only other country; DD stays barred as named
    assert by[("a_to_b", "truck")] == "CC;DD"
    assert by[("a_to_b", "car")] == "" and by[("b_to_a", "truck")] == ""


def test_only_chinese_and_dprk_trucks_cross_into_the_dprk() -> None:
    net = corridor.eurasia()
    with pytest.raises(NoPathError, match="barred to vehicles from BY"):
        corridor.route(net, "Minsk", "Pyongyang", profile="truck40")
    with pytest.raises(NoPathError, match="no transit"):  # a DPRK truck does not cross China
        corridor.route(net, "Pyongyang", "Minsk", profile="truck40")
    r = corridor.route(net, "Shenyang", "Pyongyang", profile="truck40")
    country = net.nodes.set_index("node_id")["country"]
    assert {c for n in r.node_ids if isinstance(c := country[n], str) and c} <= {"CN", "KP"}
