"""Rail physics and tariffs: CO2 by traction and grid, commercial speeds by line, timetabled
passenger times and Russian grain tariffs, against hand arithmetic and published figures."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.costs import Profile, compile_cost_graph, load_profile
from corridor.costs.traction import rail_co2_g_per_unit_km, traction_factors

SRC = "test figures"
USD_PER_RUB = 0.011  # the network's assumption (routes.yaml usd_per_rub)

RAIL_ONLY: dict[str, Any] = {
    "id": "rail-test",
    "name": "rail test",
    "kind": "freight",
    "modes": ["rail"],
    "load": {"unit": "t", "amount": 10, "source": SRC},
    "value_of_time": {"usd_per_h": 0.0, "source": SRC},
    "rail": {
        "cost_per_km_usd": 1.0,
        "km_per_day": 1200,
        "traction": {
            "diesel_fuel_g_per_unit_km": 5.0,
            "electric_kwh_per_unit_km": 0.025,
            "source": SRC,
        },
        "source": SRC,
    },
    "toll_factor": 0.0,
    "toll_source": SRC,
    "crossing": {"delay": "freight", "fallback_delay_h": 0.0, "fee_factor": 1.0, "source": SRC},
    "gauge_break": {"time_h": 0.0, "cost_usd": 0.0, "source": SRC},
    "terminal": {
        "origin": {"rail": {"time_h": 0.0, "cost_usd": 0.0, "source": SRC}},
        "destination": {"rail": {"time_h": 0.0, "cost_usd": 0.0, "source": SRC}},
    },
}


def rail_profile(**rail: Any) -> Profile:
    data = copy.deepcopy(RAIL_ONLY)
    data["rail"].update(rail)
    return Profile.model_validate(data)


def line(
    country: str, electrified: list[bool], lon0: float = 0.0, **cols: list[float]
) -> corridor.Network:
    """Nodes 1-2-3 in a row in `country` from longitude `lon0`; two 100 km rail links."""
    nodes = pd.DataFrame(
        {
            "node_id": [1, 2, 3],
            "name": ["A", "B", "C"],
            "kind": ["city"] * 3,
            "country": [country] * 3,
            "lon": [lon0, lon0 + 1.0, lon0 + 2.0],
            "lat": [0.0] * 3,
        }
    )
    links = pd.DataFrame(
        {
            "link_id": [10, 11],
            "a_node": [1, 2],
            "b_node": [2, 3],
            "mode": ["rail", "rail"],
            "length_km": [100.0, 100.0],
            "speed_kmh": [60.0, 60.0],
            "gauge_mm": [1520.0, 1520.0],
            "electrified": electrified,
            "country": [country] * 2,
            **cols,
        }
    )
    return corridor.Network(nodes, links)


# -- CO2 by traction ------------------------------------------------------------------------


def test_electric_and_diesel_sections_by_hand() -> None:
    """100 km electric + 100 km diesel in (European) Russia, 10 t: diesel 5 g/t-km x 3.527
    g CO2e/g at the wheel (x 1.30 well-to-wheel), electric 0.025 kWh/t-km x the grid."""
    f = traction_factors()
    out = corridor.route(line("RU", [True, False], 37.0), "A", "C", profile=rail_profile())
    t_km = 10 * 100
    diesel_ttw = 5.0 * f.diesel_ttw_g_per_g * t_km / 1000
    electric_wtw = 0.025 * 355.0 * t_km / 1000  # RU-1 Europe-Urals, Electricity Maps 2024
    assert out.co2_ttw_kg == pytest.approx(diesel_ttw)
    assert out.co2_kg == pytest.approx(electric_wtw + diesel_ttw * f.diesel_wtw_per_ttw)
    # the published factors as read: 3.527 kg CO2e per kg of diesel
    assert diesel_ttw == pytest.approx(17.635)
    assert electric_wtw == pytest.approx(8.875)


@pytest.mark.parametrize(("lon0", "g_per_kwh"), [(37.0, 355.0), (82.0, 391.0), (130.0, 449.0)])
def test_russian_electric_co2_by_grid_zone(lon0: float, g_per_kwh: float) -> None:
    """Moscow (RU-1 Europe-Urals), Novosibirsk (RU-2 Siberia), Vladivostok (RU-AS)."""
    out = corridor.route(line("RU", [True, True], lon0), "A", "C", profile=rail_profile())
    assert out.co2_kg == pytest.approx(0.025 * g_per_kwh * 10 * 200 / 1000)


def test_electric_co2_follows_the_country_grid() -> None:
    prof = rail_profile()
    by_country = {
        c: corridor.route(line(c, [True, True]), "A", "C", profile=prof).co2_kg
        for c in ("LA", "RU", "CN", "MN")
    }
    f = traction_factors()
    for c, kg in by_country.items():
        grid = f.grid_of([c], [1.0])[0]
        assert kg == pytest.approx(0.025 * grid * 10 * 200 / 1000)
        assert corridor.route(line(c, [True, True]), "A", "C", profile=prof).co2_ttw_kg == 0
    # Laos (hydro) < Russia < China < Mongolia (coal), per Electricity Maps 2024
    assert by_country["LA"] < by_country["RU"] < by_country["CN"] < by_country["MN"]


def test_unlisted_country_takes_the_default_grid() -> None:
    f = traction_factors()
    ttw, wtw = rail_co2_g_per_unit_km(
        [True], ["ZZ"], diesel_fuel_g_per_unit_km=5.0, electric_kwh_per_unit_km=0.02
    )
    assert ttw[0] == 0.0 and wtw[0] == pytest.approx(0.02 * f.default_grid_g_per_kwh)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.sampled_from(["RU", "KZ", "MN", "CN", "LA", "ZZ"])),
        min_size=1,
        max_size=20,
    ),
    st.floats(0.1, 50.0),
    st.floats(0.001, 1.0),
)
def test_traction_co2_properties(links: list[tuple[bool, str]], fuel_g: float, kwh: float) -> None:
    electric = [e for e, _ in links]
    ttw, wtw = rail_co2_g_per_unit_km(
        electric,
        [c for _, c in links],
        diesel_fuel_g_per_unit_km=fuel_g,
        electric_kwh_per_unit_km=kwh,
    )
    assert (wtw >= ttw).all() and (ttw >= 0).all()
    assert (ttw[np.asarray(electric)] == 0).all()  # no emissions at the wheel of electric trains
    diesel = ~np.asarray(electric)
    # diesel: the same figure whatever the country; scales with the fuel burnt
    assert np.allclose(ttw[diesel], fuel_g * traction_factors().diesel_ttw_g_per_g)


def test_mongolian_rail_is_diesel_and_emits_at_the_wheel() -> None:
    net = corridor.eurasia()
    links = net.links
    mn = links[(links["mode"] == "rail") & (links["country"] == "MN")]
    assert len(mn) > 5 and not mn["electrified"].any()
    ru_tsr = links[links["route_id"] == "transsib"]
    assert ru_tsr["electrified"].all()  # fully electrified since Dec 2002
    prof = load_profile("container40")
    cg = corridor.router_for(net).cost_graph(prof)
    arc = np.isin(cg.link_row, np.flatnonzero(links["link_id"].isin(mn["link_id"])))
    assert arc.sum() >= len(mn)
    traction = prof.rail.traction if prof.rail is not None else None
    assert traction is not None
    per_km_g = traction.diesel_fuel_g_per_unit_km * traction_factors().diesel_ttw_g_per_g
    expected = per_km_g * prof.load.amount * cg.length_km[arc] / 1000
    np.testing.assert_allclose(cg.co2_ttw_kg[arc], expected)


# -- commercial speeds and tariffs by line ------------------------------------------------------


def test_freight_speed_by_line_and_share() -> None:
    net = line("RU", [True, True], freight_km_per_day=[1058.0, np.nan])
    # own figure on link 10 (x share), the profile's km_per_day on link 11
    out = corridor.route(net, "A", "C", profile=rail_profile(freight_speed_share=0.5))
    assert out.time_h == pytest.approx(100 * 24 / (1058 * 0.5) + 100 * 24 / 1200)


def test_container_trains_are_slower_in_mongolia_than_in_kazakhstan_and_russia() -> None:
    net = corridor.eurasia()
    cg = compile_cost_graph(net, load_profile("container40"))
    links = net.links
    tsr = links["route_id"] == "transsib"
    kmh = {}
    for name, sel in {
        "RU": (links["country"] == "RU") & ~tsr,
        "TSR": tsr,
        "KZ": links["country"] == "KZ",
        "MN": links["country"] == "MN",
    }.items():
        rows = np.flatnonzero(
            sel
            & (links["mode"] == "rail")
            & (links["class"] == "mainline")
            & links["freight_km_per_day"].notna()
        )
        arc = np.isin(cg.link_row, rows)
        kmh[name] = float(cg.length_km[arc].sum() / cg.move_h[arc].sum())
    # CPMM SWOD 21.2 km/h in Mongolia and 57.9 km/h in Kazakhstan; RZD container trains
    # 1,058 km/day (2019), 1,145 km/day on the Trans-Siberian 'in 7 days' (2016)
    assert kmh["MN"] == pytest.approx(21.2, rel=0.01)
    assert kmh["RU"] == pytest.approx(1058 / 24, rel=0.01)
    assert kmh["TSR"] == pytest.approx(1145 / 24, rel=0.01)
    assert kmh["KZ"] == pytest.approx(57.9, rel=0.01)


def test_trans_siberian_container_train_between_express_and_ordinary_services() -> None:
    """'Transib in 7 days': Nakhodka-Vostochnaya - Moscow (9,361 km) in under 7 days
    (container-mag.com 2009; up to 1,500 km/day targeted, eng.rzd.ru; 1,145 km/day achieved
    in 2016, RZD annual report); ordinary express container trains 11-14 days (fbc.de)."""
    out = corridor.route(corridor.eurasia(), "Nakhodka", "Moscow", profile="container40")
    rail_h = sum(leg.time_h for leg in out.legs if leg.mode == "rail")
    assert sum(leg.length_km for leg in out.legs if leg.mode == "rail") > 9000
    assert 7 * 24 <= rail_h <= 14 * 24


def test_link_country_rate_by_hand() -> None:
    net = line("RU", [True, True])
    prof = rail_profile(cost_per_km_usd_by_country={"RU": 0.25})
    assert corridor.route(net, "A", "C", profile=prof).cost_usd == pytest.approx(200 * 0.25)
    other = corridor.route(line("KZ", [True, True]), "A", "C", profile=prof)
    assert other.cost_usd == pytest.approx(200 * 1.0)


def _line_haul_usd(route: corridor.Route) -> float:
    return float(route.cost_usd - sum(s.cost_usd for s in route.stops))


def test_russian_grain_tariff_within_the_published_band() -> None:
    """RZD (Nov 2022): grain ~1,300 RUB/t for ~2,000 km inside Russia; carriers' cost on a
    similar route 600-630 RUB/t; Kazakh transit ~2,500 RUB/t (railfreight.com 2022)."""
    net = corridor.eurasia()
    grain = corridor.route(net, "Omsk", "Zabaykal'sk", profile="grain-wagon", optimize="cost")
    assert {leg.mode for leg in grain.legs} == {"rail"}
    rub_per_t_2000km = _line_haul_usd(grain) / grain.cargo_t / USD_PER_RUB * 2000 / grain.length_km
    assert 600 <= rub_per_t_2000km <= 1400
    truck = corridor.route(net, "Omsk", "Zabaykal'sk", profile="truck40", optimize="cost")
    # bulk by rail is several times cheaper per tonne than trucking over ~4,000 km
    assert grain.cost_usd / grain.cargo_t < 0.25 * truck.cost_usd / truck.cargo_t
    rates = load_profile("grain-wagon").rail
    assert rates is not None
    by_c = rates.cost_per_km_usd_by_country
    assert by_c["KZ"] / by_c["RU"] == pytest.approx(2500 / 1300, rel=0.01)


# -- passenger timetables ---------------------------------------------------------------------


def _regular_train() -> Profile:
    """The built-in train profile on regular (overnight) trains only."""
    train = load_profile("train")
    assert train.rail is not None
    rail = train.rail.model_copy(update={"service": "regular"})
    return train.model_copy(update={"rail": rail})


def _in_train_h(route: corridor.Route) -> float:
    """Door-to-door time less the wait at the stations (terminal handling)."""
    return float(route.time_h - sum(s.time_h for s in route.stops if s.kind == "terminal"))


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        # Sapsan 3 h 45 min (RT 2009); 3.5-4 h by stops (visitpietroburgo 2020)
        ("Moscow", "Saint Petersburg", 3.5, 4.0),
        # Lastochka 723: 3 h 58 min / 4 h 18 min (niann.ru 2025); 4 h (2013)
        ("Moscow", "Nizhniy Novgorod", 3.6, 4.3),
        # overnight trains ~11.5-12 h (fastest) to 12 h 50 min (train 274, kazved.ru 2025)
        ("Moscow", "Kazan", 11.3, 13.0),
        # K23 26 h 58 min, K24 28 h 10 min (travelchinaguide 2018), 31 h 8 min (en.wikipedia)
        ("Beijing", "Ulaanbaatar", 26.9, 31.2),
        # D887 10 h 30 min including customs at Mohan and Boten (railjournal.com 2023)
        ("Kunming", "Vientiane", 10.0, 11.0),
    ],
)
def test_passenger_times_within_the_published_band(a: str, b: str, low: float, high: float) -> None:
    out = corridor.route(corridor.eurasia(), a, b, profile="train", optimize="time")
    assert {leg.mode for leg in out.legs} <= {"rail"}
    assert low <= _in_train_h(out) <= high


def test_regular_service_takes_the_overnight_trains() -> None:
    net = corridor.eurasia()
    regular = _regular_train()
    kazan = corridor.route(net, "Moscow", "Kazan", profile=regular, optimize="time")
    assert 12.5 <= _in_train_h(kazan) <= 13.2  # train 274: 12 h 50 min
    spb = corridor.route(net, "Moscow", "Saint Petersburg", profile=regular, optimize="time")
    assert 8.0 <= _in_train_h(spb) <= 9.5  # overnight trains up to ~9 h (Monocle 2010)


def test_rossiya_moscow_vladivostok_on_the_russian_network() -> None:
    """RZD: 'slightly more than 6 days' (9,288 km); searched on Russia's own links, so the
    test does not depend on whether a domestic trip may cross China."""
    net = corridor.eurasia()
    nodes = net.nodes.set_index("node_id")["country"]
    links = net.links
    ru = (nodes.reindex(links["a_node"]).to_numpy() == "RU") & (
        nodes.reindex(links["b_node"]).to_numpy() == "RU"
    )
    keep = links.loc[ru, "link_id"]
    turns = net.turns
    turns = turns[turns["from_link"].isin(keep) & turns["to_link"].isin(keep)]
    russia = net.with_turns(turns).with_links(links[ru])
    regular = _regular_train()
    out = corridor.route(russia, "Moscow", "Vladivostok", profile=regular, optimize="time")
    assert {leg.mode for leg in out.legs} <= {"rail"}
    # the network's shortest alignment (via Vladimir - N. Novgorod - Kotelnich) is a few %
    # shorter than the 9,289 km Yaroslavl route of the timetable: compare at 9,289 km
    assert out.length_km == pytest.approx(9289, rel=0.03)
    assert 144 <= _in_train_h(out) * 9289 / out.length_km <= 150


# -- profile checks -----------------------------------------------------------------------


def test_traction_is_rail_only_and_co2_needs_figures_or_traction() -> None:
    data = copy.deepcopy(RAIL_ONLY)
    del data["rail"]["traction"]
    with pytest.raises(corridor.ValidationError, match="co2_ttw_g_per_unit_km"):
        _parse(data)
    data = copy.deepcopy(RAIL_ONLY)
    data["modes"] = ["road", "rail"]
    data["road"] = copy.deepcopy(data["rail"])
    data["road"]["max_speed_kmh"], data["road"]["km_per_day"] = 80, None
    with pytest.raises(corridor.ValidationError, match="rail only"):
        _parse(data)


def _parse(data: dict[str, Any]) -> Profile:
    from corridor.costs.profiles import _parse as parse

    return parse(data, "test.yaml")
