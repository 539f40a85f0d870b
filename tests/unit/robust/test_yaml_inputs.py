"""Scenario and profile YAML that used to end in a traceback or never finish (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import corridor
from corridor.costs.profiles import load_profile
from corridor.scenario import load_scenario, parse_scenario
from corridor.scenario.spec import MAX_EDITS


def _one_line(exc: pytest.ExceptionInfo[BaseException], *words: str) -> str:
    msg = str(exc.value)
    assert len(msg) < 1500, msg[:300]
    for w in words:
        assert w in msg, msg
    return msg


def test_latin1_scenario_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: x\ndescription: Zürich\n".encode("latin-1"))
    with pytest.raises(corridor.DataSourceError) as info:
        load_scenario(path)
    _one_line(info, "line 2", "UTF-8", "0xfc")


@pytest.mark.parametrize("depth", [40, 900, 5000])
def test_deeply_nested_scenario(depth: int) -> None:
    text = "name: x\nedits: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(corridor.ValidationError) as info:
        parse_scenario(text, source="deep.yaml")
    _one_line(info, "deep.yaml", "nested")


@pytest.mark.parametrize(
    "edit",
    [
        "as_of: 3000-01-01",
        "as_of: 0001-01-01",
        "close_links: {links: {ref: R2}, date: 3000-01-01}",
        "add_route: {places: [A, D], mode: road, speed_kmh: 90, opened: 9999-12-31}",
    ],
)
def test_dates_outside_the_range(edit: str) -> None:
    with pytest.raises(corridor.ValidationError) as info:
        parse_scenario(f"name: x\nedits:\n  - {edit}\n", source="far.yaml")
    _one_line(info, "far.yaml:3", "1800..2200")


def test_superscript_crossing_id_is_unknown(toy: corridor.Network) -> None:
    sc = parse_scenario("name: x\nedits:\n  - close_crossing: {crossing: '²'}\n", source="s.yaml")
    with pytest.raises(corridor.ValidationError) as info:
        sc.apply(toy)
    _one_line(info, "s.yaml:3", "border crossing", "'²'")


def test_too_many_edits_are_refused_before_applying() -> None:
    edits = "".join(f"  - scale_demand: 1.0{i}\n" for i in range(MAX_EDITS + 1))
    with pytest.raises(corridor.ValidationError) as info:
        parse_scenario("name: x\nedits:\n" + edits, source="many.yaml")
    _one_line(info, "many.yaml", str(MAX_EDITS))


def test_as_many_edits_as_allowed_parse() -> None:
    edits = "".join("  - scale_demand: 1.001\n" for _ in range(MAX_EDITS))
    sc = parse_scenario("name: x\nedits:\n" + edits)
    assert len(sc.edits) == MAX_EDITS
    assert sc.demand_factor == pytest.approx(1.001**MAX_EDITS)


def _truck(tmp_path: Path, **rules: float) -> Path:
    text = (Path(corridor.__file__).parent / "costs" / "profiles" / "truck40.yaml").read_text()
    data = yaml.safe_load(text)
    for key, value in rules.items():
        section, field = key.split("__")
        data[section][field] = value
    data["id"] = "mine"
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("drivers__break_after_h", 1e-12),
        ("road__max_speed_kmh", 1e-300),
        ("drivers__max_driving_h_per_day", 1e-9),
    ],
)
def test_profile_parameters_outside_physical_bounds(
    tmp_path: Path, field: str, value: float
) -> None:
    with pytest.raises(corridor.ValidationError) as info:
        load_profile(_truck(tmp_path, **{field: value}))
    _one_line(info, "mine.yaml", field.split("__")[1])


def test_profile_within_bounds_still_loads(tmp_path: Path) -> None:
    prof = load_profile(_truck(tmp_path, drivers__break_after_h=4.0))
    assert prof.id == "mine"


@pytest.mark.parametrize("depth", [40, 2000])
def test_deeply_nested_profile(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: x\nload: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(corridor.CorridorError) as info:
        load_profile(path)
    _one_line(info, "deep.yaml", "nested")


def test_a_5000_digit_number_in_a_scenario_is_refused(tmp_path: Path) -> None:
    # found by `make fuzz`: PyYAML's int() raised ValueError (Python's 4,300-digit limit)
    text = "name: x\ndescription: t\nbase: toy\nedits:\n  - scale_demand: " + "9" * 5000 + "\n"
    with pytest.raises(corridor.ValidationError) as info:
        parse_scenario(text, source="big.yaml")
    _one_line(info, "big.yaml", "number")


def test_a_5000_digit_number_in_a_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big_profile.yaml"
    path.write_text("id: big\nname: Big\nkind: road\nmax_speed_kmh: " + "9" * 5000 + "\n")
    with pytest.raises(corridor.DataSourceError) as info:
        load_profile(path)
    _one_line(info, "big_profile.yaml", "cannot read the profile as YAML")
