"""Routing with the air and traveller profiles on the embedded network."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import corridor
from corridor.costs import load_profile


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


def _air_cities(net: corridor.Network, country: str) -> list[int]:
    links = net.links
    access = links[(links["mode"] == "transfer") & (links["class"] == "airport")]
    nodes = net.nodes.set_index("node_id")
    cities = sorted(set(access["a_node"].tolist()))
    return [c for c in cities if nodes.at[c, "country"] == country]


def test_air_beats_train_moscow_vladivostok(net: corridor.Network) -> None:
    air = corridor.route(net, "Moscow", "Vladivostok", profile="air")
    train = corridor.route(net, "Moscow", "Vladivostok", profile="train")
    assert air.time_h < train.time_h / 5
    flights = [leg for leg in air.legs if leg.mode == "air"]
    assert len(flights) == 1
    # the block time of the eastbound direction (air.yaml: 8.6 h; westbound 9.2 h)
    assert flights[0].time_h == pytest.approx(8.6)
    back = corridor.route(net, "Vladivostok", "Moscow", profile="air")
    assert [leg.time_h for leg in back.legs if leg.mode == "air"] == [pytest.approx(9.2)]
    # door to door = access + boarding (processing + schedule wait) + block + egress
    stops = {s.kind: s.time_h for s in air.stops}
    # 21 a week over an 18 h day: headway 6 h, half of it 3 h, capped at 2 h
    assert stops["boarding"] == pytest.approx(1.5 + min(0.5 * 7 * 18 / 21, 2.0))
    legs = sum(leg.time_h for leg in air.legs)
    assert air.time_h == pytest.approx(legs + sum(s.time_h for s in air.stops))
    # the traveller, free to choose, flies too
    trav = corridor.route(net, "Moscow", "Vladivostok", profile="traveller")
    assert any(leg.mode == "air" for leg in trav.legs)


@pytest.mark.parametrize(
    ("origin", "destination", "low", "high"),
    [
        ("Moscow", "Beijing", 7.0, 8.0),
        ("Vladivostok", "Harbin", 1.1, 1.6),
        ("Novosibirsk", "Beijing", 4.5, 5.5),
    ],
)
def test_block_times_of_direct_flights(
    net: corridor.Network, origin: str, destination: str, low: float, high: float
) -> None:
    r = corridor.route(net, origin, destination, profile="air")
    flights = [leg for leg in r.legs if leg.mode == "air"]
    assert len(flights) == 1
    assert low <= flights[0].time_h <= high


def test_entry_formalities_apply_at_the_arrival_airport(net: corridor.Network) -> None:
    out = corridor.route(net, "Moscow", "Beijing", profile="air")
    crossings = [s for s in out.stops if s.kind == "border_crossing"]
    assert len(crossings) == 1
    assert "PEK passport control" in crossings[0].name
    assert "RU citizens visa-free" in crossings[0].formalities
    assert crossings[0].time_h == pytest.approx(0.75)
    back = corridor.route(net, "Beijing", "Moscow", profile="air")
    crossings = [s for s in back.stops if s.kind == "border_crossing"]
    assert len(crossings) == 1 and "SVO passport control" in crossings[0].name
    assert "CN citizens visa-free" in crossings[0].formalities


@pytest.mark.parametrize("country", ["RU", "CN"])
@pytest.mark.parametrize("profile", ["air", "traveller"])
def test_domestic_trips_never_use_a_foreign_airport(
    net: corridor.Network, country: str, profile: str
) -> None:
    """Every pair of cities with airports in one country: the route stays in it (the
    domestic rule keeps searches off border crossings and foreign nodes), e.g. no
    Khabarovsk-Harbin-Beijing detour for a Russian trip."""
    nodes = net.nodes.set_index("node_id")
    cities = _air_cities(net, country)
    assert len(cities) >= 8
    for o, d in itertools.permutations(cities[:9], 2):
        r = corridor.route(net, o, d, profile=profile)
        kinds = nodes.loc[list(r.node_ids), "kind"]
        assert not (kinds == "border_crossing").any(), (o, d)
        assert (nodes.loc[list(r.node_ids), "country"] == country).all(), (o, d)


def test_suspended_routes_are_absent_on_a_2021_date(net: corridor.Network) -> None:
    then = net.as_of("2021-06-01")
    with pytest.raises(corridor.CorridorError):
        corridor.route(then, "Vladivostok", "Harbin", profile="air")
    now = corridor.route(net, "Vladivostok", "Harbin", profile="air")
    assert any(leg.mode == "air" for leg in now.legs)
    trav = corridor.route(then, "Vladivostok", "Harbin", profile="traveller")
    assert not any(leg.mode == "air" for leg in trav.legs)


@pytest.mark.parametrize("profile", ["car", "bus", "train", "truck40", "container40"])
def test_air_does_not_leak_into_surface_profiles(net: corridor.Network, profile: str) -> None:
    cg = corridor.router_for(net).cost_graph(load_profile(profile))
    assert not (cg.mode == "air").any()
    rows = cg.link_row[cg.link_row >= 0]
    assert not (net.links["class"].to_numpy()[rows] == "airport").any()


def test_plain_any_modes_leave_air_out(net: corridor.Network) -> None:
    r = corridor.route(net, "Moscow", "Vladivostok")
    assert {leg.mode for leg in r.legs} <= {"road", "rail", "ferry", "transfer"}
    flown = corridor.route(net, "Moscow", "Saint Petersburg", modes=["air", "transfer"])
    assert "air" in {leg.mode for leg in flown.legs}


def test_profile_skim_air_matches_routes(net: corridor.Network) -> None:
    cities = ["Moscow", "Beijing", "Vladivostok", "Harbin"]
    skim = corridor.profile_skim(net, cities, profile="air")
    for (i, o), (j, d) in itertools.product(enumerate(cities), repeat=2):
        if i == j:
            continue
        r = corridor.route(net, o, d, profile="air")
        assert skim.values[i, j] == pytest.approx(r.time_h, rel=1e-9)
        assert skim.sums["co2_kg"][i, j] == pytest.approx(r.co2_kg, rel=1e-9)
    assert np.isfinite(skim.values).all()


def test_a_scenario_drops_a_route_by_its_ref(net: corridor.Network, tmp_path) -> None:
    path = tmp_path / "drop.yaml"
    path.write_text(
        "name: drop-vvo-hrb\nbase: eurasia\nedits:\n"
        "  - close_links: {links: {ref: VVO-HRB, mode: air}}\n",
        encoding="utf-8",
    )
    after = corridor.load_scenario(path).apply(net)
    before = corridor.route(net, "Vladivostok", "Harbin", profile="air")
    r = corridor.route(after, "Vladivostok", "Harbin", profile="air")
    flights = [leg for leg in r.legs if leg.mode == "air"]
    assert len(flights) == 2 and "KHV" in flights[0].to_name  # via Khabarovsk
    assert r.time_h > before.time_h
