"""Time that means what it says: a route's split into driving, moves, breaks, overnight
stops and waits, the travellers' headline time, one definition in routes and matrices, and
the calibrated default choice of the M-12 on the embedded network."""

from __future__ import annotations

import math

import numpy as np
import pytest

import corridor
from corridor.analysis.pairs import accessibility, pair_paths
from corridor.paths.types import TIME_DOOR_TO_DOOR, TIME_TRAVELLER

PROFILES = ("car", "bus", "truck40", "container40")
PAIRS = [("Moscow", "Kazan"), ("Moscow", "Yekaterinburg"), ("Kazan", "Tyumen")]


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.mark.parametrize("prof", PROFILES)
@pytest.mark.parametrize(("o", "d"), PAIRS)
def test_the_split_adds_up_to_the_total(net: corridor.Network, prof: str, o: str, d: str) -> None:
    r = corridor.route(net, o, d, profile=prof)
    parts = r.driving_h + r.moving_h + r.breaks_h + r.overnight_h + r.waiting_h
    assert parts == pytest.approx(r.elapsed_h, abs=1e-9)
    assert r.rest_h == pytest.approx(r.breaks_h + r.overnight_h)
    # the legs and stops add up to the headline time under the route's own definition
    legs_and_stops = sum(leg.time_h for leg in r.legs) + sum(s.time_h + s.wait_h for s in r.stops)
    assert legs_and_stops == pytest.approx(r.time_h, abs=1e-9)
    assert sum(leg.overnight_h for leg in r.legs) == pytest.approx(r.overnight_h, abs=1e-9)
    assert sum(leg.breaks_h for leg in r.legs) == pytest.approx(r.breaks_h, abs=1e-9)
    # the stops are the waiting time (no departure: no opening-hours waits)
    assert sum(s.time_h for s in r.stops) == pytest.approx(r.waiting_h, abs=1e-9)
    totals = r.to_dict()["totals"]
    for name in ("driving_h", "moving_h", "breaks_h", "overnight_h", "waiting_h", "elapsed_h"):
        assert totals[name] == pytest.approx(getattr(r, name), abs=1e-4)


@pytest.mark.parametrize("prof", ["car", "bus"])
def test_travellers_time_leaves_the_night_apart(net: corridor.Network, prof: str) -> None:
    r = corridor.route(net, "Moscow", "Yekaterinburg", profile=prof)
    assert r.excludes_overnight
    assert r.time_definition == TIME_TRAVELLER
    assert r.overnight_h == pytest.approx(9.0)  # one night stop, > 12 h (car) / 18 h driving
    assert r.time_h == pytest.approx(r.elapsed_h - r.overnight_h)
    # arrival is still door to door
    later = corridor.route(net, "Moscow", "Yekaterinburg", profile=prof, depart="2026-06-01T08:00")
    arrive = np.datetime64(later.arrive) - np.datetime64("2026-06-01T08:00")
    assert arrive / np.timedelta64(1, "s") / 3600 == pytest.approx(later.elapsed_h, abs=1e-3)


def test_a_car_day_trip_has_no_overnight_stop(net: corridor.Network) -> None:
    r = corridor.route(net, "Moscow", "Kazan", profile="car")
    assert r.overnight_h == 0.0
    # a break of 15 min after every 2 h of driving (UK Highway Code rule 91)
    assert r.breaks_h == pytest.approx(0.25 * math.floor(r.driving_h / 2.0))
    assert r.time_h == pytest.approx(r.driving_h + r.breaks_h)


def test_trucks_keep_door_to_door_time(net: corridor.Network) -> None:
    r = corridor.route(net, "Moscow", "Kazan", profile="truck40")
    assert not r.excludes_overnight
    assert r.time_definition == TIME_DOOR_TO_DOOR
    assert r.time_h == pytest.approx(r.elapsed_h)
    # 10-18 h of driving: more than one 10 h extended day could take, so a 9 h day (one
    # 45 min break), an 11 h rest, and the rest of the drive (a break per 4.5 h)
    d = r.driving_h
    assert 10.0 < d < 18.0
    assert r.overnight_h == pytest.approx(11.0)
    assert r.breaks_h == pytest.approx(0.75 * (1 + max(math.ceil((d - 9.0) / 4.5) - 1, 0)))


def test_moscow_kazan_car_takes_the_m12_by_default(net: corridor.Network) -> None:
    r = corridor.route(net, "Moscow", "Kazan", profile="car")
    assert r.optimize == "generalized"
    km_on = sum(leg.length_km for leg in r.legs if leg.ref == "M-12")
    assert km_on / r.length_km > 0.95
    # and the free M-7 is slower but cheaper: the toll is what the value of time pays for
    m7 = corridor.route(net, "Moscow", "Kazan", profile="car", optimize="cost")
    assert m7.cost_usd < r.cost_usd and m7.time_h > r.time_h + 1.0


def test_the_m11_car_toll_is_the_avtodor_tariff(net: corridor.Network) -> None:
    links = net.links
    m11 = links[links["route_id"] == "m11"]
    # 1,820 RUB for the whole road (TASS 2019-11-27) at the recipe's 0.0110 USD/RUB
    assert m11["toll_car_usd"].sum() == pytest.approx(1820 * 0.0110, abs=0.05)
    assert m11["toll_usd"].sum() == pytest.approx(4 * 1820 * 0.0110, abs=0.05)
    free = links[links["ref"] == "M-10"]
    assert (free[["toll_usd", "toll_car_usd"]].fillna(0) == 0).all().all()
    for prof, column in (("car", "toll_car_usd"), ("truck40", "toll_usd")):
        r = corridor.route(net, "Moscow", "Saint Petersburg", profile=prof)
        # cars take the motorway; trucks, tolled four times as much, may leave it for the
        # free M-10 between its interchanges
        assert {leg.ref for leg in r.legs} == {"M-11"} if prof == "car" else {"M-10", "M-11"}
        per_km = corridor.load_profile(prof).params("road").cost_per_km_usd
        # each vehicle pays its own class's toll on top of its running cost
        used = m11[m11["link_id"].isin(r.link_ids)]
        toll = float(used[column].sum())
        assert r.cost_usd == pytest.approx(per_km * r.length_km + toll, abs=0.05)


def test_a_car_falls_back_to_the_truck_toll_where_a_network_has_no_car_toll(
    toy: corridor.Network,
) -> None:
    links = toy.links.copy()
    links["toll_usd"] = 0.0
    links.loc[links["link_id"] == 11, "toll_usd"] = 30.0
    plain = toy.with_links(links)
    links["toll_car_usd"] = np.where(links["link_id"] == 11, 12.0, np.nan)
    with_car = toy.with_links(links)
    a = corridor.route(plain, "A", "D", profile="car", modes="road")
    b = corridor.route(with_car, "A", "D", profile="car", modes="road")
    assert 11 in a.link_ids and 11 in b.link_ids  # the road route passes the tolled link
    assert a.cost_usd - b.cost_usd == pytest.approx(30.0 - 12.0)
    truck = corridor.route(with_car, "A", "D", profile="truck40", modes="road")
    truck_plain = corridor.route(plain, "A", "D", profile="truck40", modes="road")
    assert truck.cost_usd == pytest.approx(truck_plain.cost_usd)


@pytest.mark.parametrize("prof", PROFILES)
def test_matrices_and_routes_agree_under_one_definition(net: corridor.Network, prof: str) -> None:
    places = ["Moscow", "Kazan", "Nizhniy Novgorod", "Yekaterinburg", "Tyumen"]
    router = corridor.Router(net)
    ids = np.asarray([router.places.resolve(p) for p in places], dtype=np.int64)
    pp = pair_paths(net, prof, ids, "generalized")
    for i, o in enumerate(places):
        for j, d in enumerate(places):
            if i == j:
                continue
            r = corridor.route(net, o, d, profile=prof, optimize="generalized")
            assert pp.metrics["time_h"][i, j] == pytest.approx(r.time_h, abs=1e-9)
            assert pp.metrics["generalized_usd"][i, j] == pytest.approx(r.generalized_usd)
            assert pp.metrics["overnight_h"][i, j] == pytest.approx(r.overnight_h, abs=1e-9)
            assert pp.metrics["breaks_h"][i, j] == pytest.approx(r.breaks_h, abs=1e-9)


def test_accessibility_counts_a_city_by_its_route_time(net: corridor.Network) -> None:
    router = corridor.Router(net)
    moscow = router.places.resolve("Moscow")
    kazan = corridor.route(net, "Moscow", "Kazan", profile="car", optimize="time")
    below, above = kazan.time_h - 0.01, kazan.time_h + 0.01
    acc = accessibility(net, "car", np.asarray([moscow], np.int64), [below, above])
    pop = net.nodes.set_index("node_id")["population"]
    gained = acc[f"pop_within_{above:g}h"].iloc[0] - acc[f"pop_within_{below:g}h"].iloc[0]
    assert gained >= pop[kazan.destination]


@pytest.mark.parametrize("prof", PROFILES)
def test_profile_skim_is_the_route_of_each_pair(net: corridor.Network, prof: str) -> None:
    places = ["Moscow", "Kazan", "Nizhniy Novgorod", "Yekaterinburg", "Tyumen"]
    sk = corridor.profile_skim(net, places, profile=prof)
    assert sk.metric == "time_h"
    route = corridor.route(net, "Moscow", "Tyumen", profile=prof)
    assert route.time_definition in sk.method  # the header names the one definition
    for i, o in enumerate(places):
        for j, d in enumerate(places):
            if i == j:
                assert sk["time_h"][i, j] == 0.0
                continue
            r = corridor.route(net, o, d, profile=prof)
            assert sk["time_h"][i, j] == pytest.approx(r.time_h, abs=1e-9)
            for name in ("driving_h", "breaks_h", "overnight_h", "waiting_h", "elapsed_h"):
                assert sk[name][i, j] == pytest.approx(getattr(r, name), abs=1e-9), name
            assert sk["cost_usd"][i, j] == pytest.approx(r.cost_usd)
            assert sk["length_km"][i, j] == pytest.approx(r.length_km)
            assert sk["generalized_usd"][i, j] == pytest.approx(r.generalized_usd)


def test_moscow_yekaterinburg_car_takes_the_m12_east_after_july_2025(
    net: corridor.Network,
) -> None:
    after = corridor.route(net.as_of("2025-08-01"), "Moscow", "Yekaterinburg", profile="car")
    refs = {leg.ref for leg in after.legs}
    assert "M-12" in refs and "R-320" not in refs  # not via Izhevsk and Perm
    assert "Perm" not in {leg.to_name for leg in after.legs}
    before = corridor.route(net.as_of("2025-07-01"), "Moscow", "Yekaterinburg", profile="car")
    assert before.length_km > after.length_km + 100.0


def test_a_two_driver_coach_stops_for_the_night_after_18_hours(net: corridor.Network) -> None:
    day = corridor.route(net, "Moscow", "Kazan", profile="bus")
    assert day.overnight_h == 0.0
    # a 30 min stop every 4.5 h of driving (driver change), no night stop within 18 h
    assert day.breaks_h == pytest.approx(0.5 * math.floor(day.driving_h / 4.5))
    long = corridor.route(net, "Moscow", "Yekaterinburg", profile="bus")
    assert 18.0 < long.driving_h < 36.0
    assert long.overnight_h == pytest.approx(9.0)
