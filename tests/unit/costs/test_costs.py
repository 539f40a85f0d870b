"""Each cost term of the profile cost model, checked by hand on small networks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import corridor
from corridor.costs import BUILTIN_PROFILES, Profile, compile_cost_graph, load_profile

SRC = "test figures"

BASE: dict[str, Any] = {
    "id": "test",
    "name": "test profile",
    "kind": "freight",
    "modes": ["road", "rail", "transfer"],
    "load": {"unit": "t", "amount": 10, "source": SRC},
    "value_of_time": {"usd_per_h": 10.0, "source": SRC},
    "road": {
        "cost_per_km_usd": 2.0,
        "max_speed_kmh": 100,
        "co2_ttw_g_per_unit_km": 50,
        "co2_wtw_g_per_unit_km": 60,
        "source": SRC,
    },
    "rail": {
        "cost_per_km_usd": 1.0,
        "km_per_day": 1200,  # 50 km/h
        "co2_ttw_g_per_unit_km": 5,
        "co2_wtw_g_per_unit_km": 10,
        "source": SRC,
    },
    "toll_factor": 1.0,
    "toll_source": SRC,
    "crossing": {"delay": "freight", "fallback_delay_h": 7.0, "fee_factor": 1.0, "source": SRC},
    "gauge_break": {"time_h": 4.0, "cost_usd": 300.0, "source": SRC},
    "transfer": {"time_h": 3.0, "cost_usd": 150.0, "source": SRC},
    "terminal": {
        "origin": {
            "road": {"time_h": 1.0, "cost_usd": 10.0, "source": SRC},
            "rail": {"time_h": 5.0, "cost_usd": 50.0, "source": SRC},
        },
        "destination": {
            "road": {"time_h": 2.0, "cost_usd": 20.0, "source": SRC},
            "rail": {"time_h": 6.0, "cost_usd": 60.0, "source": SRC},
        },
    },
}


def profile(**changes: Any) -> Profile:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return Profile.model_validate(data)


def network(links: dict[str, list[Any]], **extra: Any) -> corridor.Network:
    """Nodes 1..5 in a row, 1-2 in XA, crossing 3 (XA|XB), 4-5 in XB, plus extras."""
    nodes = pd.DataFrame(
        {
            "node_id": [1, 2, 3, 4, 5],
            "name": ["P", "Q", "R", "S", "T"],
            "kind": ["city", "terminal", "border_crossing", "terminal", "city"],
            "country": ["XA", "XA", "XA", "XB", "XB"],
            "lon": [0.0, 1.0, 2.0, 3.0, 4.0],
            "lat": [0.0] * 5,
            "country_a": ["", "", "XA", "", ""],
            "country_b": ["", "", "XB", "", ""],
        }
    )
    n = len(links["a_node"])
    frame = {
        "link_id": list(range(100, 100 + n)),
        "speed_kmh": [100.0] * n,
        **links,
    }
    return corridor.Network(nodes, pd.DataFrame(frame), extra.get("crossings", pd.DataFrame()))


ROAD = network(
    {
        "a_node": [1, 2, 3, 4],
        "b_node": [2, 3, 4, 5],
        "mode": ["road"] * 4,
        "length_km": [100.0, 50.0, 50.0, 100.0],
        "toll_usd": [0.0, 25.0, 0.0, 0.0],
    },
    crossings=pd.DataFrame(
        {
            "node_id": [3, 3, 3],
            "mode": ["road", "road", "rail"],
            "direction": ["a_to_b", "b_to_a", "a_to_b"],
            "delay_p50_h": [6.0, 2.0, 30.0],
            "delay_p10_h": [3.0, 1.0, 10.0],
            "delay_p90_h": [20.0, 4.0, 50.0],
            "fee_usd": [200.0, 50.0, 400.0],
            "passenger_delay_h": [0.5, float("nan"), 1.0],
        }
    ),
)


def test_crossing_delay_and_fee_by_direction_and_toll() -> None:
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    out = corridor.route(ROAD, "P", "T", profile=p, optimize="cost")
    # 300 km at 100 km/h; origin 1 h + crossing a_to_b 6 h + destination 2 h
    assert out.time_h == pytest.approx(3.0 + 1.0 + 6.0 + 2.0)
    # 2 $/km x 300 + toll 25 + fee 200 + terminals 10 + 20
    assert out.cost_usd == pytest.approx(600.0 + 25.0 + 200.0 + 30.0)
    assert out.co2_kg == pytest.approx(60 * 10 * 300 / 1000)
    assert out.co2_ttw_kg == pytest.approx(50 * 10 * 300 / 1000)
    kinds = [s.kind for s in out.stops]
    assert kinds == ["terminal", "border_crossing", "terminal"]
    crossing = out.stops[1]
    assert (crossing.time_h, crossing.cost_usd, crossing.at_km) == (6.0, 200.0, 150.0)
    assert "XA->XB" in crossing.detail
    back = corridor.route(ROAD, "T", "P", profile=p, optimize="cost")
    assert back.time_h == pytest.approx(3.0 + 1.0 + 2.0 + 2.0)
    assert back.cost_usd == pytest.approx(600.0 + 25.0 + 50.0 + 30.0)
    half = corridor.route(ROAD, "P", "T", profile=p.model_copy(update={"toll_factor": 0.5}))
    assert half.cost_usd == pytest.approx(600.0 + 12.5 + 200.0 + 30.0)


def test_passenger_formalities_differ_from_freight() -> None:
    p = profile(
        kind="passenger",
        modes=["road"],
        rail=None,
        transfer=None,
        gauge_break=None,
        crossing={"delay": "passenger", "fallback_delay_h": 1.5, "fee_factor": 0.0, "source": SRC},
    )
    there = corridor.route(ROAD, "P", "T", profile=p)
    assert there.stops[1].time_h == 0.5 and there.stops[1].cost_usd == 0.0
    back = corridor.route(ROAD, "T", "P", profile=p)  # no passenger figure: fallback
    assert back.stops[1].time_h == 1.5


RAIL = network(
    {
        "a_node": [1, 2, 3, 4, 2],
        "b_node": [2, 3, 4, 5, 3],
        "mode": ["road", "rail", "rail", "road", "road"],
        "length_km": [100.0, 50.0, 50.0, 100.0, 400.0],
        "gauge_mm": [None, 1520.0, 1435.0, None, None],
    }
)


def test_gauge_break_at_a_node_where_gauges_meet() -> None:
    p = profile(modes=["rail"], road=None, transfer=None)
    out = corridor.route(RAIL, "Q", "S", profile=p, optimize="time")
    # terminals 5 + 6 h, 100 km at 50 km/h, gauge break 4 h at R (a crossing without figures:
    # fallback 7 h)
    assert out.time_h == pytest.approx(5 + 2 + 7 + 4 + 6)
    assert out.cost_usd == pytest.approx(50 + 100 + 300 + 60)
    assert [s.kind for s in out.stops] == [
        "terminal",
        "border_crossing",
        "gauge_change",
        "terminal",
    ]
    assert out.stops[2].detail == "1520 -> 1435 mm"
    assert [leg.length_km for leg in out.legs] == [50.0, 50.0]


def test_transfer_links_carry_handling_and_switch_modes() -> None:
    net = network(
        {
            "a_node": [1, 1, 2, 3, 4],
            "b_node": [2, 5, 3, 4, 5],
            "mode": ["transfer", "road", "rail", "rail", "transfer"],
            "length_km": [0.0, 500.0, 50.0, 50.0, 2.0],
            "speed_kmh": [10.0, 100.0, 100.0, 100.0, 10.0],
            "gauge_mm": [None, None, 1520.0, 1520.0, None],
        }
    )
    p = profile(
        crossing={"delay": "freight", "fallback_delay_h": 0.0, "fee_factor": 1.0, "source": SRC}
    )
    out = corridor.route(net, "P", "T", profile=p, optimize="cost")
    # road origin 1 h/$10, transfer 3 h/$150 (0 km), 100 km rail 2 h/$100, transfer 3 h/$150
    # plus 2 km of road haulage at 10 km/h (0.2 h) and the road rate $2/km ($4),
    # road destination 2 h/$20
    assert out.cost_usd == pytest.approx(10 + 150 + 100 + 150 + 4 + 20)
    assert out.time_h == pytest.approx(1 + 3 + 2 + 0.2 + 3 + 2)
    assert [s.kind for s in out.stops].count("transfer") == 2
    assert [leg.mode for leg in out.legs] == ["rail", "rail", "transfer"]
    # the direct road is 500 km: $1000, but only 5 h; least time takes it
    fast = corridor.route(net, "P", "T", profile=p, optimize="time")
    assert fast.time_h == pytest.approx(1 + 5 + 2)
    assert fast.legs[0].mode == "road"


def test_driver_rest_formula_by_hand() -> None:
    rules = {
        "max_driving_h_per_day": 9,
        "break_after_h": 4.5,
        "break_h": 0.75,
        "daily_rest_h": 11,
        "source": SRC,
    }
    net = network(
        {
            "a_node": [1, 2],
            "b_node": [2, 5],
            "mode": ["road", "road"],
            "length_km": [1000.0, 1000.0],
            "speed_kmh": [100.0, 100.0],
        }
    )
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None, drivers=rules)
    p = p.model_copy(
        update={"terminal": profile().terminal.model_copy(update={"origin": {}, "destination": {}})}
    )
    out = corridor.route(net, "P", "T", profile=p)
    # 20 h driving: 4.5 + break + 4.5 | rest 11 | 4.5 + break + 4.5 | rest 11 | 2
    assert out.rest_h == pytest.approx(2 * 0.75 + 2 * 11)
    assert out.time_h == pytest.approx(20 + 2 * 0.75 + 2 * 11)
    assert sum(leg.rest_h for leg in out.legs) == pytest.approx(out.rest_h)
    # a 10 h leg: one break and one daily rest (9 h limit reached with 1 h to go)
    short = corridor.route(net, "P", "Q", profile=p)
    assert short.time_h == pytest.approx(10 + 0.75 + 11)


def test_depart_respects_opening_hours() -> None:
    crossings = ROAD.crossings.assign(hours="08:00-20:00 local")
    net = ROAD.with_crossings(crossings)
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    # depart 17:00: origin 1 h, 150 km (1.5 h) -> at the crossing 19:30, open: 6 h delay
    early = corridor.route(net, "P", "T", profile=p, depart="2026-12-01T17:00")
    assert early.time_h == pytest.approx(12.0)
    # depart 18:00 -> at the crossing 20:30, closed until 08:00: waits 11.5 h
    late = corridor.route(net, "P", "T", profile=p, depart="2026-12-01T18:00")
    assert late.stops[1].wait_h == pytest.approx(11.5)
    assert late.time_h == pytest.approx(12.0 + 11.5)
    assert late.arrive == "2026-12-02T17:30:00"
    assert late.stops[1].arrive == "2026-12-01T20:30:00"


def test_generalized_cost_is_money_plus_value_of_time() -> None:
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    out = corridor.route(ROAD, "P", "T", profile=p, optimize="generalized")
    assert out.generalized_usd == pytest.approx(855.0 + 10.0 * 12.0)
    assert out.cost == pytest.approx(out.generalized_usd)
    g = compile_cost_graph(ROAD, p)
    assert (g.weight("generalized") >= g.weight("cost")).all()


def test_builtin_profiles_load_and_every_section_has_a_source() -> None:
    for pid in BUILTIN_PROFILES:
        prof = load_profile(pid)
        assert prof.id == pid
        text = yaml.safe_load(
            (Path(corridor.costs.__file__).parent / "profiles" / f"{pid}.yaml").read_text()
        )
        for section in ("load", "value_of_time", "crossing", "road", "rail"):
            if section in text:
                assert len(text[section]["source"]) > 10, (pid, section)
    assert load_profile("truck40").vot_usd_per_h == pytest.approx(90000 * 0.008 / 24)


def test_profile_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(corridor.ValidationError, match="unknown profile 'lorry'"):
        load_profile("lorry")
    bad = copy.deepcopy(BASE)
    bad["road"]["cost_per_km_usd"] = -1
    path = tmp_path / "neg.yaml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(corridor.ValidationError, match=r"road\.cost_per_km_usd.*greater than"):
        load_profile(path)
    del bad["road"]["cost_per_km_usd"]
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(
        corridor.ValidationError, match=r"road\.cost_per_km_usd: Field required"
    ) as e:
        load_profile(path)
    assert "\n" not in str(e.value)
    good = copy.deepcopy(BASE)
    path.write_text(yaml.safe_dump(good))
    assert load_profile(str(path)).id == "test"
    with pytest.raises(corridor.DataSourceError, match="no such profile file"):
        load_profile(tmp_path / "missing.yaml")


def test_unreachable_and_profile_needed() -> None:
    p = profile(modes=["rail"], road=None, transfer=None)
    with pytest.raises(corridor.NoPathError, match="no path from P to T"):
        corridor.route(RAIL, "P", "T", profile=p)
    with pytest.raises(corridor.ValidationError, match="needs a profile"):
        corridor.route(RAIL, "P", "T", optimize="cost")


def test_plain_route_unchanged_by_profile_machinery(toy: corridor.Network) -> None:
    plain = corridor.route(toy, "A", "D", modes="road")
    assert plain.totals() == {
        "length_km": 353.0,
        "time_h": pytest.approx(1.2 + 233 / 80, abs=1e-4),
        "cost_usd": None,
        "co2_kg": None,
    }
    truck = corridor.route(toy, "A", "D", profile="truck40")
    # truck40: motorway capped at 80 km/h, trunk at 75, crossing C a_to_b 5 h / $100, 2 h terminals
    assert truck.time_h == pytest.approx(2 + 120 / 80 + 233 / 75 + 5 + 2)
    assert truck.cost_usd == pytest.approx(1.89 * 353 + 100)


def test_dual_gauge_section_avoids_the_gauge_break() -> None:
    # P-Q 1435, Q-R dual gauge (two parallel links), R-S 1520: a 1435 train runs P-Q-R
    # on standard gauge and changes gauge once, at R
    net = network(
        {
            "a_node": [1, 2, 2, 3],
            "b_node": [2, 3, 3, 4],
            "mode": ["rail"] * 4,
            "length_km": [50.0, 50.0, 50.0, 50.0],
            "gauge_mm": [1435.0, 1435.0, 1520.0, 1520.0],
        }
    )
    p = profile(modes=["rail"], road=None, transfer=None)
    out = corridor.route(net, "P", "S", profile=p)
    gauges = [s.detail for s in out.stops if s.kind == "gauge_change"]
    assert len(gauges) == 1
    # either side of the dual-gauge section is equally good; the break costs $300 once
    assert out.cost_usd == pytest.approx(50 + 150 + 300 + 60)
    assert out.time_h == pytest.approx(5 + 3 + 7 + 4 + 6)


def test_crossing_entered_from_a_third_country_takes_the_slower_direction() -> None:
    nodes = ROAD.nodes.copy()
    nodes.loc[nodes["node_id"] == 2, "country"] = "XC"  # tail of the arc into R
    net = corridor.Network(nodes, ROAD.links, ROAD.crossings)
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    out = corridor.route(net, "P", "T", profile=p)
    crossing = next(s for s in out.stops if s.kind == "border_crossing")
    assert (crossing.time_h, crossing.cost_usd) == (6.0, 200.0)


@pytest.mark.parametrize("pid", ["truck40", "container40", "car", "train", "grain-wagon"])
@pytest.mark.parametrize("goal", ["time", "cost", "co2", "generalized", "distance"])
def test_totals_are_the_sums_of_legs_and_stops(toy: corridor.Network, pid: str, goal: str) -> None:
    r = corridor.route(toy, "A", "D", profile=pid, optimize=goal, depart="2026-01-01T22:00")
    assert r.length_km == pytest.approx(sum(leg.length_km for leg in r.legs))
    assert r.cost_usd == pytest.approx(
        sum(leg.cost_usd for leg in r.legs) + sum(s.cost_usd for s in r.stops)
    )
    assert r.time_h == pytest.approx(
        sum(leg.time_h for leg in r.legs) + sum(s.time_h + s.wait_h for s in r.stops)
    )
    assert r.co2_kg == pytest.approx(sum(leg.co2_kg for leg in r.legs))
    assert r.co2_ttw_kg <= r.co2_kg
    # the searched objective is the minimum over the other objectives' routes
    others = [
        corridor.route(toy, "A", "D", profile=pid, optimize=g)
        for g in ("time", "cost", "co2", "distance")
    ]
    metric = {
        "cost": lambda x: x.cost_usd,
        "co2": lambda x: x.co2_kg,
        "distance": lambda x: x.length_km,
        "generalized": lambda x: x.generalized_usd,
        "time": lambda x: x.time_h - x.rest_h,
    }[goal]
    assert metric(r) <= min(metric(o) for o in others) + 1e-9


def test_transfer_link_between_gauges_is_a_transshipment() -> None:
    net = network(
        {
            "a_node": [1, 2, 3],
            "b_node": [2, 3, 4],
            "mode": ["rail", "transfer", "rail"],
            "length_km": [100.0, 0.0, 100.0],
            "gauge_mm": [1520.0, None, 1435.0],
        }
    )
    p = profile(modes=["rail", "transfer"], road=None)
    out = corridor.route(net, "P", "S", profile=p)
    change = [s for s in out.stops if s.kind == "gauge_change"]
    assert len(change) == 1 and change[0].detail == "1520 -> 1435 mm"
    assert (change[0].time_h, change[0].cost_usd, change[0].name) == (4.0, 300.0, "R")
    assert out.cost_usd == pytest.approx(50 + 200 + 300 + 60)


def test_time_search_accounts_for_drivers_rest() -> None:
    rules = {
        "max_driving_h_per_day": 9,
        "break_after_h": 4.5,
        "break_h": 0.75,
        "daily_rest_h": 11,
        "source": SRC,
    }
    net = network(
        {
            "a_node": [1, 2, 3, 4, 1],
            "b_node": [2, 3, 4, 5, 5],
            "mode": ["road"] * 5,
            "length_km": [300.0, 150.0, 150.0, 300.0, 1800.0],
        },
        crossings=pd.DataFrame(
            {"node_id": [3], "mode": ["road"], "direction": ["a_to_b"], "delay_p50_h": [10.0]}
        ),
    )
    terminal = {"origin": {}, "destination": {}}
    p = profile(
        modes=["road"], rail=None, transfer=None, gauge_break=None, drivers=rules, terminal=terminal
    )
    g = compile_cost_graph(net, p)
    assert g.rest_per_driving_h == pytest.approx((11 + 0.75) / 9)
    # direct: 18 h driving -> 18 + 2 breaks + 1 rest = 30.5 h on the timeline;
    # via the crossing: 4.5 h driving, 10 h wait (it counts as the break), 4.5 h = 19 h
    best = corridor.route(net, "P", "T", profile=p, optimize="time")
    assert best.time_h == pytest.approx(19.0)
    assert best.rest_h == 0.0
    assert best.cost == pytest.approx(9 * (1 + 11.75 / 9) + 10)
    direct = corridor.alternatives(net, "P", "T", profile=p, optimize="time", k=2)[1]
    assert direct.time_h == pytest.approx(30.5)


def test_transfer_link_across_a_border_is_left_out() -> None:
    # a transfer from Q (XA) straight to S (XB) would skip the crossing R: not used
    net = network(
        {
            "a_node": [1, 2, 3, 2, 4],
            "b_node": [2, 3, 4, 4, 5],
            "mode": ["rail", "rail", "rail", "transfer", "rail"],
            "length_km": [100.0, 100.0, 100.0, 1.0, 100.0],
            "gauge_mm": [1520.0, 1520.0, 1520.0, None, 1520.0],
        }
    )
    p = profile(modes=["rail", "transfer"], road=None)
    out = corridor.route(net, "P", "T", profile=p, optimize="time")
    assert [s.kind for s in out.stops] == ["terminal", "border_crossing", "terminal"]
    assert 103 not in out.link_ids


def test_short_trips_are_not_overpriced_by_the_rest_gross_up() -> None:
    rules = {
        "max_driving_h_per_day": 10,
        "break_after_h": 2,
        "break_h": 0.25,
        "daily_rest_h": 9,
        "source": SRC,
    }
    net = network(
        {
            "a_node": [1, 2, 3, 4, 1],
            "b_node": [2, 3, 4, 5, 5],
            "mode": ["road"] * 5,
            "length_km": [100.0, 100.0, 100.0, 100.0, 900.0],
        },
        crossings=pd.DataFrame(
            {"node_id": [3], "mode": ["road"], "direction": ["a_to_b"], "delay_p50_h": [7.0]}
        ),
    )
    terminal = {"origin": {}, "destination": {}}
    p = profile(
        modes=["road"], rail=None, transfer=None, gauge_break=None, drivers=rules, terminal=terminal
    )
    # grossed up (x2 per driving hour) the crossing route looks better (4 x 2 + 7 = 15 < 18),
    # but walked exactly the direct road takes 9 h + 4 breaks = 10 h < 4 h + 7 h = 11 h
    best = corridor.route(net, "P", "T", profile=p, optimize="time")
    assert best.time_h == pytest.approx(10.0)
    assert best.link_ids == (104,)


def test_weekly_rest_within_six_24_hour_periods() -> None:
    rules = {
        "max_driving_h_per_day": 9,
        "break_after_h": 4.5,
        "break_h": 0.75,
        "daily_rest_h": 11,
        "weekly_rest_h": 45,
        "weekly_rest_within_h": 144,
        "source": SRC,
    }
    net = network(
        {"a_node": [1], "b_node": [5], "mode": ["road"], "length_km": [7000.0]},
    )
    terminal = {"origin": {}, "destination": {}}
    p = profile(
        modes=["road"], rail=None, transfer=None, gauge_break=None, drivers=rules, terminal=terminal
    )
    out = corridor.route(net, "P", "T", profile=p)
    # 70 h driving in days of 9 h + 0.75 break + 11 h rest = 20.75 h: day k's driving ends
    # at (k - 1) 20.75 + 9.75 h. Day 6 ends at 113.5 h; 113.5 + 24 <= 144: daily rest.
    # Day 7 ends at 134.25 h; 134.25 + 24 > 144: the 45 h weekly rest. Day 8: 7 h + break.
    assert out.time_h == pytest.approx(6 * 20.75 + 9.75 + 45 + 7.75)
    assert out.rest_h == pytest.approx(6 * 11 + 45 + 8 * 0.75)
    g = compile_cost_graph(net, p)
    # 144 // 20.75 = 6 driving days a week
    assert g.rest_per_driving_h == pytest.approx(((5 * 11 + 45) / 6 + 0.75) / 9)
