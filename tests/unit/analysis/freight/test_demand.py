"""Demand: lane totals kept by the proxies, hand-computed shares, clear errors on bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.analysis.freight.commodities import load_commodities
from corridor.analysis.freight.demand import Lane, demand_table, load_lanes
from corridor.analysis.freight.mode_choice import FreightParams
from corridor.analysis.freight.zones import Zone, ZoneSet, load_zones
from corridor.errors import DataSourceError, ValidationError

from .conftest import commodity, synthetic_model


def _zones(a_pop: tuple[float, ...], b_pop: tuple[float, ...]) -> ZoneSet:
    zones = [Zone(f"a{i}", "", "A", "x", "AA", {"pop": p}) for i, p in enumerate(a_pop)]
    zones += [Zone(f"b{i}", "", "B", "y", "BB", {"pop": p}) for i, p in enumerate(b_pop)]
    return ZoneSet(tuple(zones), (), {"pop": "test"}, "test")


def test_proxy_shares_by_hand() -> None:
    zs = _zones((1.0, 3.0), (2.0, 2.0, 6.0))
    lane = Lane("A", "B", "boxes", 1000.0, "pop", "pop", "test")
    table = demand_table((lane,), zs, (commodity(),))
    cell = table.set_index(["origin_zone", "destination_zone"])["tonnes_year"]
    assert cell[("a1", "b2")] == pytest.approx(1000.0 * 0.75 * 0.6)
    assert cell[("a0", "b0")] == pytest.approx(1000.0 * 0.25 * 0.2)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.1, 100.0), min_size=1, max_size=5),
    st.lists(st.floats(0.1, 100.0), min_size=1, max_size=5),
    st.floats(1.0, 1e8),
    st.floats(0.1, 3.0),
)
def test_lane_totals_are_conserved(
    a: list[float], b: list[float], tonnes: float, factor: float
) -> None:
    lanes = (
        Lane("A", "B", "boxes", tonnes, "pop", "pop", "t"),
        Lane("B", "A", "boxes", tonnes / 2, "pop", "pop", "t"),
    )
    table = demand_table(lanes, _zones(tuple(a), tuple(b)), (commodity(),), factor=factor)
    by_lane = table.groupby("lane")["tonnes_year"].sum().reindex([0, 1], fill_value=0.0)
    np.testing.assert_allclose(by_lane, [tonnes * factor, tonnes / 2 * factor], rtol=1e-9)


def test_bundled_demand_keeps_every_lane() -> None:
    lanes = load_lanes(2024)
    table = demand_table(lanes, load_zones(), load_commodities())
    got = table.groupby("lane")["tonnes_year"].sum()
    np.testing.assert_allclose(got.to_numpy(), [ln.tonnes_year for ln in lanes], rtol=1e-9)
    assert all(ln.source for ln in lanes)


def test_mode_split_conserves_tonnes_by_commodity() -> None:
    model = synthetic_model()
    prm = FreightParams(
        beta=2.0,
        asc={"road:bulk": 0.3},
        lambda_land=0.6,
        cv={"road": 0.1, "rail_container": 0.2, "rail_wagon": 0.3, "sea": 0.2},
        year=2024,
    )
    tonnes = model.tonnes(prm)
    np.testing.assert_allclose(tonnes.sum(axis=1), model.demand["tonnes_year"], rtol=1e-12)
    assert (tonnes >= 0).all()


@settings(max_examples=30, deadline=None)
@given(
    st.floats(0.1, 8.0),
    st.floats(0.05, 1.0),
    st.lists(st.floats(-5.0, 5.0), min_size=5, max_size=5),
)
def test_shares_sum_to_one_for_any_parameters(beta: float, lam: float, ascs: list[float]) -> None:
    model = synthetic_model(n_rows=24, seed=11)
    keys = (
        "road:container",
        "rail_container:container",
        "road:bulk",
        "rail_wagon:bulk",
        "rail_wagon:ore",
    )
    prm = FreightParams(
        beta=beta,
        asc=dict(zip(keys, ascs, strict=True)),
        lambda_land=lam,
        cv={"road": 0.1, "rail_container": 0.2, "rail_wagon": 0.3, "sea": 0.2},
        year=2024,
    )
    shares = model.shares(prm)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)
    assert (shares[model.demand["commodity"] == "boxes", 2] == 0).all()  # no wagons for boxes


def test_unknown_year_lists_the_years() -> None:
    with pytest.raises(
        ValidationError, match=r"no demand for year 1999; the file has \[2023, 2024\]"
    ):
        load_lanes(1999)


def test_broken_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "demand.yaml"
    path.write_text("years:\n  2024:\n    - {origin: CN, destination: [EU\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"demand\.yaml") as info:
        load_lanes(2024, path)
    assert info.value.row is not None


def test_missing_field_names_lane_and_field(tmp_path: Path) -> None:
    path = tmp_path / "demand.yaml"
    path.write_text(
        "years:\n  2024:\n    - {origin: CN, destination: EU, commodity: coal,"
        " origin_proxy: pop_m, destination_proxy: pop_m, source: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"year 2024, lane 1: missing field 'tonnes_year'"):
        load_lanes(2024, path)


def test_negative_tonnes_and_unknown_commodity(tmp_path: Path) -> None:
    path = tmp_path / "demand.yaml"
    row = "origin: CN, destination: EU, origin_proxy: pop_m, destination_proxy: pop_m, source: x"
    path.write_text(
        f"years:\n  2024:\n    - {{{row}, commodity: coal, tonnes_year: -5}}\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="tonnes_year must be >= 0"):
        load_lanes(2024, path)
    lane = Lane("CN", "EU", "unobtainium", 1.0, "pop_m", "pop_m", "x")
    with pytest.raises(ValidationError, match="unknown commodity 'unobtainium'"):
        demand_table((lane,), load_zones(), load_commodities())


def test_bad_commodities_and_zones(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "commodities:\n  - {id: x, handling: liquid, value_usd_per_t: 1, vot_pct_per_day: 1,"
        " reliability_ratio: 1, modes: [road], source: s}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"commodity 1 \(x\): handling must be"):
        load_commodities(path)
    zpath = tmp_path / "z.yaml"
    zpath.write_text(
        "proxies: {pop: p}\nzones:\n  - {id: z, group: A, node: N, country: AA, pop: -1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"zone 1 \(z\): proxy pop must be >= 0"):
        load_zones(zpath)
    zs = _zones((1.0,), (1.0,))
    with pytest.raises(ValidationError, match="unknown proxy 'gdp'"):
        zs.shares("A", "gdp")


def test_year_from_a_base_year(tmp_path: Path) -> None:
    path = tmp_path / "demand.yaml"
    row = "origin_proxy: pop_m, destination_proxy: pop_m, source: base"
    path.write_text(
        "years:\n  2024:\n"
        f"    - {{origin: CN, destination: RU, commodity: coal, tonnes_year: 100, {row}}}\n"
        f"    - {{origin: CN, destination: RU, commodity: food, tonnes_year: 10, {row}}}\n"
        f"    - {{origin: RU, destination: CN, commodity: coal, tonnes_year: 50, {row}}}\n"
        "  2023:\n    base: 2024\n    adjust:\n"
        "      - {origin: CN, destination: RU, factor: 0.5, source: half}\n"
        "      - {origin: RU, destination: CN, commodity: coal, tonnes_year: 7, source: seven}\n",
        encoding="utf-8",
    )
    lanes = load_lanes(2023, path)
    assert [ln.tonnes_year for ln in lanes] == [50.0, 5.0, 7.0]
    assert lanes[0].source == "2023: half"
    path.write_text(
        path.read_text(encoding="utf-8").replace("factor: 0.5,", "factor: 0.5, tonnes_year: 3,"),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="exactly one of 'factor' and 'tonnes_year'"):
        load_lanes(2023, path)


def test_bundled_2023_differs_where_sourced() -> None:
    a = {(ln.origin, ln.destination, ln.commodity): ln for ln in load_lanes(2024)}
    b = {(ln.origin, ln.destination, ln.commodity): ln for ln in load_lanes(2023)}
    assert a.keys() == b.keys()
    assert b[("RU", "CN", "coal")].tonnes_year == 104.0e6
    assert b[("CN", "RU", "manufactures")].tonnes_year == pytest.approx(
        0.9606 * a[("CN", "RU", "manufactures")].tonnes_year
    )
    assert "[assumption] as the base year" in b[("CN", "EU", "manufactures")].source


def test_a_network_without_the_zone_cities_is_refused() -> None:
    import corridor
    from corridor.errors import UnknownNodeError

    with pytest.raises(UnknownNodeError, match=r"freight zone city not in the network: 'cn_east"):
        corridor.freight_flows(corridor.examples.toy())
