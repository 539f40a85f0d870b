"""Bad tourism parameter files and scenario demand edits give clear CorridorErrors."""

from __future__ import annotations

import pytest

from corridor.analysis.tourism.config import (
    FITTED_NAMES,
    load_fitted,
    load_params,
    parse_fitted,
    parse_params,
)
from corridor.errors import DataSourceError, ValidationError
from corridor.scenario import DropFlight, SetVisa, parse_scenario

from .conftest import SMALL


def test_bundled_files_load_and_every_row_has_a_source() -> None:
    p = load_params()
    for section in (p.zones, p.markets, p.modes, p.purposes, p.visa, p.targets):
        assert all(len(row.source) >= 3 for row in section)
    assert {t.year for t in p.targets if t.fit} == {2024}
    assert not {t.year for t in p.targets if not t.fit} & {2024}
    f = load_fitted()
    assert f.year == 2024 and set(f.values) == set(FITTED_NAMES)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (('source: "[assumption] test"}', "}", 1), "zones[0] (A).source: Field required"),
        (
            ("country: RU, market_population: 1000000", "country: RUS, market_population: 1", 1),
            "zones[0] (A).country",
        ),
        (
            (
                "modes: [air, bus], attraction: leisure",
                "modes: [air, ship], attraction: leisure",
                1,
            ),
            "purposes[0] (leisure).modes",
        ),
        (("nest: ground,", "nest: sea,", 1), "bus names nest 'sea', not in nests"),
        (("regime: visa, from_date", "regime: closed, from_date", 1), "visa[0].regime"),
        (
            ('  visa_free: {value: 0.0, source: "none"}\n', "", 1),
            "regime_utility: give a value for ['visa_free']",
        ),
    ],
)
def test_bad_params_name_row_and_field(edit: tuple[str, str, int], expected: str) -> None:
    old, new, count = edit
    assert old in SMALL
    text = SMALL.replace(old, new, count)
    with pytest.raises(ValidationError) as err:
        parse_params(text, source="bad.yaml")
    assert "bad.yaml" in str(err.value) and expected in str(err.value)


def test_invalid_yaml_and_missing_file(tmp_path) -> None:
    with pytest.raises(ValidationError, match=r"bad.yaml:3: invalid YAML"):
        parse_params("zones:\n  - {place: [\n", source="bad.yaml")
    with pytest.raises(DataSourceError, match="cannot read tourism parameters"):
        load_params(tmp_path / "nope.yaml")


def test_bad_fitted_file() -> None:
    text = "year: 2024\nparameters: {asc_market_CN_RU: 1}\nstd: {}\ncorrelation: []\nsource: x1x\n"
    with pytest.raises(ValidationError, match="parameters must name exactly"):
        parse_fitted(text, source="f.yaml")


def test_scenario_demand_edits_parse() -> None:
    sc = parse_scenario(
        "name: t\nedits:\n"
        "  - visa: {from: cn, to: ru, regime: visa_free, from_date: 2025-12-01}\n"
        "  - drop_flight: {route: VVO-HRB}\n"
        "  - scale_demand: 1.2\n"
        "  - set_crossing: {crossing: X, mode: road, vehicles: all}\n"
    )
    visa, drop = sc.edits[0], sc.edits[1]
    assert isinstance(visa, SetVisa) and (visa.from_country, visa.to_country) == ("CN", "RU")
    assert visa.regime == "visa_free" and str(visa.from_date) == "2025-12-01"
    assert isinstance(drop, DropFlight) and drop.route == "VVO-HRB"
    assert sc.demand_factor == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  - visa: {from: CN, to: RU, regime: free}", "edits.0.visa.regime"),
        ("  - visa: {from: CHN, to: RU, regime: visa}", "edits.0.visa.from"),
        ("  - drop_flight: {route: VVOHRB}", "edits.0.drop_flight.route"),
        ("  - set_crossing: {crossing: X, mode: road, vehicles: horses}", "vehicles"),
        ("  - set_crossing: {crossing: X, mode: road, hours: 8-20}", "not '24/7'"),
    ],
)
def test_bad_scenario_demand_edits(line: str, expected: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_scenario(f"name: t\nedits:\n{line}\n", source="s.yaml")
    assert "s.yaml:3" in str(err.value) and expected in str(err.value)


def test_set_visa_refuses_bad_values() -> None:
    import datetime as dt

    with pytest.raises(ValidationError, match="not one of"):
        SetVisa("CN", "RU", "closed", dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="two countries"):
        SetVisa("CN", "CN", "visa", dt.date(2025, 1, 1))
