"""The embedded network's crossings: status history, vehicles and per-crossing figures."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


def _node(net: corridor.Network, name: str) -> int:
    nodes = net.nodes
    hit = nodes[
        (nodes["kind"] == "border_crossing") & nodes["name"].str.contains(name, regex=False)
    ]
    assert len(hit) == 1, name
    return int(hit["node_id"].iloc[0])


def _crosses(route: corridor.Route) -> list[str]:
    return [s.name for s in route.stops if s.kind == "border_crossing"]


def test_kuznica_road_is_closed_from_nov_2021_and_reopens_for_cars_only(net) -> None:
    node = _node(net, "Kuźnica")
    for day, open_ in (("2021-11-08", True), ("2021-11-09", False), ("2025-11-16", False)):
        links = net.as_of(day).links
        road = links[
            (links["mode"] == "road") & ((links["a_node"] == node) | (links["b_node"] == node))
        ]
        assert (len(road) > 0) == open_, day
    later = net.as_of("2026-12-01")
    assert "Bruzgi – Kuźnica" in _crosses(
        corridor.route(later, "Grodno", "Białystok", profile="car")
    )
    for prof in ("bus", "truck40"):
        r = corridor.route(later, "Grodno", "Białystok", profile=prof)
        assert "Bruzgi – Kuźnica" not in _crosses(r), prof


def test_kukuryki_is_for_trucks_and_terespol_for_cars_and_buses(net) -> None:
    day = net.as_of("2024-06-01")
    truck = corridor.route(day, "Minsk", "Warsaw", profile="truck40")
    assert _crosses(truck) == ["Kozlovichi – Kukuryki (road)"]
    for prof in ("car", "bus"):
        r = corridor.route(day, "Minsk", "Warsaw", profile=prof)
        assert "Kozlovichi – Kukuryki (road)" not in _crosses(r)
        assert _crosses(r) == ["Brest – Terespol"], prof


def test_poland_closed_every_belarus_crossing_for_zapad_2025(net) -> None:
    closed = net.as_of("2025-09-15")
    for prof in ("car", "truck40", "container40"):
        with pytest.raises(corridor.NoPathError):
            corridor.route(closed, "Minsk", "Warsaw", profile=prof)
    reopened = net.as_of("2025-09-25")
    assert _crosses(corridor.route(reopened, "Minsk", "Warsaw", profile="truck40"))


def test_prc_road_crossings_stopped_travellers_during_covid(net) -> None:
    covid, after = net.as_of("2021-06-01"), net.as_of("2023-06-01")
    r = corridor.route(covid, "Chita", "Manzhouli", profile="truck40")
    assert "Zabaikalsk – Manzhouli" in _crosses(r)
    with pytest.raises(corridor.NoPathError):
        corridor.route(covid, "Chita", "Manzhouli", profile="car")
    assert "Zabaikalsk – Manzhouli" in _crosses(
        corridor.route(after, "Chita", "Manzhouli", profile="car")
    )


def test_the_prc_road_crossings_are_told_apart(net) -> None:
    names = [
        "Manzhouli",
        "Suifenhe (road)",
        "Heihe",
        "Kraskino",
        "Dongning",
        "Boten",
        "Lào Cai",
        "Hữu Nghị",
    ]
    cr = net.crossings[net.open_crossings()]
    figures = []
    for name in names:
        rows = cr[(cr["node_id"] == _node(net, name)) & (cr["mode"] == "road")]
        assert len(rows) == 2
        row = rows.iloc[0]
        figures.append((row["delay_p90_h"], row["capacity_veh_day"], row["hours"], row["vehicles"]))
        prov = str(row["provenance"])
        # an own figure, or an explicit country default
        assert "[assumption]: country default" in prov or "no own BCP figure" in prov, name
    assert len(set(map(str, figures))) == len(names)  # no two alike any more


def test_youyiguan_capacity_is_post_2020_throughput(net) -> None:
    cr = net.crossings[net.open_crossings()]
    rows = cr[(cr["node_id"] == _node(net, "Hữu Nghị")) & (cr["mode"] == "road")]
    assert (rows["capacity_veh_day"] >= 500).all()  # each way; the 2012 figure gave 82
    assert "300,000" in rows["provenance"].iloc[0]


def test_as_of_and_the_router_agree_on_a_dated_network(net) -> None:
    for day in ("2021-06-01", "2025-09-15", "2026-12-01"):
        cut = net.as_of(day)
        dated = corridor.Network(
            net.nodes,
            net.links,
            net.crossings,
            net.turns,
            net.formalities,
            date=pd.Timestamp(day),
        )
        for prof in ("car", "truck40"):
            try:
                a = corridor.route(cut, "Minsk", "Warsaw", profile=prof)
            except corridor.NoPathError:
                with pytest.raises(corridor.NoPathError):
                    corridor.route(dated, "Minsk", "Warsaw", profile=prof)
                continue
            b = corridor.route(dated, "Minsk", "Warsaw", profile=prof)
            assert a.time_h == pytest.approx(b.time_h) and _crosses(a) == _crosses(b)


def test_crossing_rows_layer_default_crossing_direction_and_period() -> None:
    from corridor.data.places import crossing_rows

    defaults = {
        "d": {
            "delay_p50_h": 2.0,
            "fee_usd": 10.0,
            "provenance": "d",
            "b_to_a": {"delay_p50_h": 17.0, "provenance": "d back"},
        }
    }
    spec = {
        "use": "d",
        "fee_usd": 20.0,
        "b_to_a": {"fee_usd": 30.0},
        "periods": [{"closed": "2020-01-01"}, {"opened": "2021-01-01", "delay_p50_h": 3.0}],
    }
    rows = crossing_rows(7, "road", spec, defaults)
    got = [(r["direction"], r["delay_p50_h"], r["fee_usd"], str(r["closed"])[:10]) for r in rows]
    assert got == [
        ("a_to_b", 2.0, 20.0, "2020-01-01"),
        ("b_to_a", 17.0, 30.0, "2020-01-01"),
        ("a_to_b", 3.0, 20.0, "None"),
        ("b_to_a", 3.0, 30.0, "None"),  # a period's figure beats the direction's default
    ]
