"""Regressions of the network-completeness defects (issue 12): each road, rail or crossing
that was missing, and the older alignments that ``as_of`` must still find."""

from __future__ import annotations

import pytest

import corridor


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


def _road(net: corridor.Network, a: str, b: str, *, as_of: str | None = None) -> corridor.Route:
    on = net.as_of(as_of) if as_of else net
    return corridor.route(on, a, b, modes="road", optimize="distance")


def _countries(net: corridor.Network, route: corridor.Route) -> set[str]:
    country = net.nodes.set_index("node_id")["country"]
    return {str(country[n]) for n in route.node_ids}


def test_yekaterinburg_chelyabinsk_direct(net: corridor.Network) -> None:
    # M-5 spur: 'a little over 200 km' / 220 km / 227 km published (DATA.md)
    r = _road(net, "Yekaterinburg", "Chelyabinsk")
    assert 200 <= r.length_km <= 230
    assert _countries(net, r) == {"RU"}


def test_moscow_st_petersburg_before_the_m11(net: corridor.Network) -> None:
    r = _road(net, "Moscow", "Saint Petersburg", as_of="2019-01-01")  # M-11 opened 2019-11-27
    assert r.length_km == pytest.approx(700, abs=15)  # M-10 ~700 km
    assert _countries(net, r) == {"RU"}
    names = {leg.ref for leg in r.legs}
    assert "M-11" not in names


def test_kazan_dyurtyuli_is_under_400_km(net: corridor.Network) -> None:
    r = _road(net, "Kazan", "Dyurtyuli")
    assert 340 <= r.length_km < 400
    names = net.nodes.set_index("node_id")["name"]
    assert "Alekseyevskoye" not in {names[n] for n in r.node_ids}  # the M-7 stays north of the Kama


def test_kazan_yekaterinburg_before_and_after_the_m12_east(net: corridor.Network) -> None:
    before = _road(net, "Kazan", "Yekaterinburg", as_of="2024-01-01")  # Dyurtyuli-Achit: 2025-07-16
    after = _road(net, "Kazan", "Yekaterinburg", as_of="2025-08-01")
    assert _countries(net, before) == {"RU"} and _countries(net, after) == {"RU"}
    assert 900 <= before.length_km <= 1100  # via Izhevsk-Perm or Ufa-Chelyabinsk
    assert 800 <= after.length_km <= 900  # M-12: 373 + 275.3 + 200 km
    assert after.length_km < before.length_km - 100


def test_r254_runs_through_petropavl(net: corridor.Network) -> None:
    r = _road(net, "Chelyabinsk", "Omsk")
    names = net.nodes.set_index("node_id")["name"]
    assert "Petropavl" in {names[n] for n in r.node_ids}
    assert r.length_km == pytest.approx(816, rel=0.06)  # R-254 km post of Omsk
    ishim = _road(net, "Kurgan", "Ishim")  # the domestic road via Tyumen remains
    assert _countries(net, ishim) == {"RU"}


def test_barnaul_has_rail_to_urumqi(net: corridor.Network) -> None:
    r = corridor.route(net, "Barnaul", "Urumqi", modes="rail", optimize="distance")
    names = net.nodes.set_index("node_id")["name"]
    on = {names[n] for n in r.node_ids}
    assert {"Semey", "Aktogay"} <= on
    assert 1500 <= r.length_km <= 2000
    altai = corridor.route(net, "Novosibirsk", "Semey", modes="rail", optimize="distance")
    assert altai.length_km == pytest.approx(650, abs=1)  # Altai railway ~650 km


def test_vientiane_hanoi_stays_out_of_china(net: corridor.Network) -> None:
    r = _road(net, "Vientiane", "Hanoi")
    assert _countries(net, r) <= {"LA", "VN"}
    assert 650 <= r.length_km <= 850  # planned expressway 700-760 km; Route 8/Cau Treo today


@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        ("Savannakhet", "Dong Ha"),  # Dansavanh-Lao Bao
        ("Muang Xay", "Dien Bien Phu"),  # Sop Hun-Tay Trang
        ("Xam Nua", "Thanh Hoa"),  # Na Meo
        ("Phonsavan", "Vinh"),  # Nong Het-Nam Can
    ],
)
def test_other_laos_vietnam_crossings(net: corridor.Network, origin: str, destination: str) -> None:
    r = _road(net, origin, destination)
    assert _countries(net, r) == {"LA", "VN"}


def test_lao_cai_hanoi_before_the_expressway(net: corridor.Network) -> None:
    r = _road(net, "Lao Cai", "Hanoi", as_of="2013-01-01")  # Noi Bai-Lao Cai opened 2014-09-21
    assert _countries(net, r) == {"VN"}
    assert 270 <= r.length_km <= 360


def test_vladivostok_khasan_by_razdolnoye(net: corridor.Network) -> None:
    r = _road(net, "Vladivostok", "Khasan")
    assert 200 <= r.length_km <= 290
    names = net.nodes.set_index("node_id")["name"]
    assert "Ussuriysk" not in {names[n] for n in r.node_ids}


def test_wewc_sections_reconcile_with_the_published_total(net: corridor.Network) -> None:
    from corridor.analysis.data_check import CHECK_DATE, _node_of, corridor_length_km

    now = net.as_of(CHECK_DATE)

    def km(tag: str, a: str, b: str) -> float:
        o, d = _node_of(now, a), _node_of(now, b)
        assert o is not None and d is not None
        return corridor_length_km(now, tag, o, d)

    ru = km("WE-WC", "Saint Petersburg/RU", "X:sagarchin-zhaisan")
    kz = km("WE-WC", "X:sagarchin-zhaisan", "X:nurzholy-khorgos")
    cn_xian = km("WE-WC", "X:nurzholy-khorgos", "Xi'an/CN")
    cn_full = km("WE-WC", "X:nurzholy-khorgos", "Lianyungang/CN")
    assert kz == pytest.approx(2787.0, abs=0.5)  # anchored KZ section
    assert ru == pytest.approx(2233.0, rel=0.10)  # RU section, today's alignment
    assert cn_full == pytest.approx(4395.0, rel=0.03)  # G30 to Lianyungang
    assert cn_xian == pytest.approx(3425.0, rel=0.05)  # the published CN section
    assert ru + kz + cn_xian == pytest.approx(8445.0, rel=0.03)  # the published total
    assert ru + kz + cn_full > 8445.0 * 1.1  # ... which does not reach Lianyungang
    old = km("WE-WC-2013", "Saint Petersburg/RU", "X:sagarchin-zhaisan")  # M-10 + M-7
    assert old == pytest.approx(2233.0, rel=0.10) and old > ru


def test_nizhny_novgorod_reaches_the_m12_by_the_r158(net: corridor.Network) -> None:
    # R-158 km 40-104 join Nizhny Novgorod to the M-12 interchange near Arzamas (vgoroden.ru)
    r = _road(net, "Nizhniy Novgorod", "Arzamas")
    assert [leg.ref for leg in r.legs] == ["R-158"]
    assert 104 <= r.length_km <= 125  # geodesic x 1.10 to the town, south of the interchange
    m12 = _road(net, "Moscow", "Arzamas")
    assert {leg.ref for leg in m12.legs} == {"M-12"}
    assert m12.length_km == pytest.approx(415.5, abs=1)  # Moscow-Arzamas 415.5 km (zr.ru)
    # before the M-12 (opened 2023-12-21 in the network) Arzamas is reached by other roads
    old = _road(net, "Moscow", "Arzamas", as_of="2023-01-01")
    assert "M-12" not in {leg.ref for leg in old.legs}
    assert _countries(net, old) == {"RU"}
