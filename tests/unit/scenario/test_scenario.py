"""Scenario files and edits on the toy network: pure application, clear errors with lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import corridor
from corridor.scenario import load_scenario, parse_scenario

GOOD = """\
name: faster
description: upgrade the Bravo road, close the rail line, slow the crossing
base: toy
edits:
  - set_links: {links: {ref: R2}, speed_kmh: 120, toll_usd: 5}
  - close_links: {links: {mode: rail, between: [A, D]}}
  - set_crossing: {crossing: C, mode: road, direction: a_to_b, delay_factor: 3}
  - add_route: {places: [A, E, D], mode: road, speed_kmh: 100, class: motorway, ref: N1}
  - scale_demand: 1.5
"""


def test_edits_apply_in_order_and_purely(toy: corridor.Network) -> None:
    sc = parse_scenario(GOOD)
    assert sc.name == "faster" and sc.base == "toy" and sc.demand_factor == 1.5
    before = toy.links.copy()
    out = sc.apply(toy)
    pd.testing.assert_frame_equal(toy.links, before)  # the base is untouched
    links = out.links.set_index("link_id")
    assert (links.loc[[11, 12], "speed_kmh"] == 120).all()
    assert (links.loc[[11, 12], "toll_usd"] == 5).all()
    assert links.loc[[20, 21], "closed"].notna().all()
    new = links[links["ref"] == "N1"]
    assert len(new) == 2 and set(new["a_node"]) == {1, 5}
    delay = out.crossings.set_index("direction").loc["a_to_b", "delay_h"]
    assert delay == pytest.approx(15.0)
    assert out.crossings.set_index("direction").loc["b_to_a", "delay_h"] == pytest.approx(3.0)
    with pytest.raises(corridor.NoPathError):
        corridor.route(out, "A", "D", modes="rail")


def test_as_of_and_reopen(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links["opened"] = pd.to_datetime([None, None, None, "2021-12-03", "2021-12-03", None])
    net = toy.with_links(links)
    before = parse_scenario("name: old\nedits:\n  - as_of: 2020-01-01\n").apply(net)
    assert set(before.links["mode"]) == {"road"}
    closed = parse_scenario(
        "name: c\nedits:\n  - close_crossing: {crossing: Charlie, mode: road}\n"
        "  - reopen_links: {links: {link_ids: [11]}}\n"
    ).apply(net)
    assert closed.links.set_index("link_id").loc[[12, 30], "closed"].notna().all()
    assert pd.isna(closed.links.set_index("link_id").loc[11, "closed"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nedits:\n  - as_of: 2023-13-45\n", ":3: edits.0.as_of"),
        ("name: x\nedits:\n  - set_links: {links: {ref: R2}, speed_kmh: -4}\n", ":3: edits.0"),
        ("name: x\nedits:\n  - fly_to_moon: {}\n", "edits.0.fly_to_moon"),
        ("name: x\nedits: [\n", "invalid YAML"),
        ("- just\n- a list\n", "is a mapping"),
    ],
)
def test_invalid_files_name_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(corridor.ValidationError) as err:
        parse_scenario(text, source="bad.yaml")
    assert "bad.yaml" in str(err.value) and expected in str(err.value)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("add_route: {places: [A, Atlantis], mode: road, speed_kmh: 90}", "Atlantis"),
        ("close_links: {links: {link_ids: [999]}}", "999"),
        ("close_links: {links: {ref: M-99}}", "no link matches"),
        ("set_crossing: {crossing: Narnia, mode: road, delay_h: 1}", "Narnia"),
    ],
)
def test_bad_references_fail_at_apply_with_line(
    toy: corridor.Network, edit: str, expected: str
) -> None:
    sc = parse_scenario(f"name: x\nedits:\n  - as_of: 2024-01-01\n  - {edit}\n", source="s.yaml")
    with pytest.raises(corridor.ValidationError) as err:
        sc.apply(toy)
    assert "s.yaml:4: edit 2" in str(err.value) and expected in str(err.value)


def test_load_from_file(tmp_path: Path) -> None:
    path = tmp_path / "sc.yaml"
    path.write_text(GOOD)
    assert load_scenario(path).name == "faster"
    with pytest.raises(corridor.DataSourceError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def test_bundled_scenarios_parse_and_describe_themselves() -> None:
    from corridor.scenario import bundled_scenarios, get_scenario

    found = bundled_scenarios()
    for name in (
        "m12-before",
        "m12-kazan",
        "m12-east",
        "m12-tyumen",
        "alashankou-closed",
        "manzhouli-congestion",
    ):
        assert name in found and found[name].description
    assert get_scenario("m12-east").edits
    with pytest.raises(corridor.ValidationError, match="m12-before"):
        get_scenario("m12-nowhere")


def test_an_as_of_scenario_keeps_links_that_close_later(toy: corridor.Network) -> None:
    # a link closing after the scenario's date is open on it (the date rule of
    # links_open_on), so the scenario's network must keep its date
    links = toy.links.copy()
    links["closed"] = pd.to_datetime([None, "2030-01-01", None, None, None, None])
    net = toy.with_links(links)
    out = parse_scenario("name: then\nedits:\n  - as_of: 2025-08-01\n").apply(net)
    assert out.date == pd.Timestamp("2025-08-01")
    closing = links["link_id"].iloc[1]
    assert out.open_links()[out.links["link_id"].to_numpy() == closing].all()
