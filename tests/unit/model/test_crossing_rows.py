"""The crossings table: percentiles, opening hours, vehicles and status periods."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.model.hours import parse_hours


def _net(rows: list[dict[str, object]]) -> corridor.Network:
    toy = corridor.examples.toy()
    return toy.with_crossings(pd.DataFrame(rows))


def _row(direction: str = "a_to_b", **kw: object) -> dict[str, object]:
    return {"node_id": 3, "mode": "road", "direction": direction, "delay_p50_h": 5.0, **kw}


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("24/7", (math.nan, math.nan)),
        ("", (math.nan, math.nan)),
        ("08:00-20:00 local", (8.0, 20.0)),
        ("09:30-19:00", (9.5, 19.0)),
        ("20:00-08:00 local", (20.0, 8.0)),
    ],
)
def test_parse_hours(text: str, window: tuple[float, float]) -> None:
    got = parse_hours(text)
    assert [math.isnan(g) for g in got] == [math.isnan(w) for w in window]
    assert [g for g in got if not math.isnan(g)] == [w for w in window if not math.isnan(w)]


@pytest.mark.parametrize("bad", ["daily", "8-20", "25:00-26:00", "08:00-08:00"])
def test_bad_hours_are_reported(bad: str) -> None:
    with pytest.raises(corridor.SchemaError, match=r"crossings\.hours"):
        _net([_row(hours=bad), _row("b_to_a")])


def test_percentiles_out_of_order_are_reported() -> None:
    with pytest.raises(corridor.SchemaError, match="p10 <= p50 <= p90"):
        _net([_row(delay_p10_h=6.0), _row("b_to_a")])
    with pytest.raises(corridor.SchemaError, match="p10 <= p50 <= p90"):
        _net([_row(delay_p90_h=4.0), _row("b_to_a")])


def test_overlapping_periods_are_reported() -> None:
    rows = [
        _row(closed="2021-01-01"),
        _row(opened="2020-06-01"),  # starts before the first period ends
        _row("b_to_a", closed="2021-01-01"),
        _row("b_to_a", opened="2020-06-01"),
    ]
    with pytest.raises(corridor.SchemaError, match="overlap in time"):
        _net(rows)
    with pytest.raises(corridor.SchemaError, match="overlap in time"):
        _net([_row(), _row(), _row("b_to_a")])  # two open-ended rows


def test_directions_must_share_their_periods() -> None:
    rows = [_row(closed="2021-01-01"), _row("b_to_a")]
    with pytest.raises(corridor.SchemaError, match="same dates"):
        _net(rows)


def test_a_closing_date_before_the_opening_is_reported() -> None:
    rows = [
        _row(opened="2022-01-01", closed="2021-01-01"),
        _row("b_to_a", opened="2022-01-01", closed="2021-01-01"),
    ]
    with pytest.raises(corridor.SchemaError, match="close before they open"):
        _net(rows)


def test_old_delay_columns_get_a_renaming_hint() -> None:
    with pytest.raises(corridor.SchemaError, match="delay_p50_h"):
        _net([{"node_id": 3, "mode": "road", "direction": "a_to_b", "delay_h": 5.0}])


def test_unknown_vehicles_are_reported() -> None:
    with pytest.raises(corridor.SchemaError, match=r"crossings\.vehicles"):
        _net([_row(vehicles="tanks"), _row("b_to_a", vehicles="tanks")])


def test_a_suspension_removes_the_arcs_and_the_reopening_restores_them() -> None:
    rows = []
    for d in ("a_to_b", "b_to_a"):
        rows += [_row(d, closed="2020-02-01"), _row(d, opened="2023-01-08", delay_p50_h=2.0)]
    net = _net(rows)
    during = net.as_of("2021-06-01")
    assert 3 not in set(during.links["a_node"]) | set(during.links["b_node"])
    with pytest.raises(corridor.NoPathError):
        corridor.route(during, "A", "D", profile="truck40")
    after = corridor.route(net.as_of("2024-01-01"), "A", "D", profile="truck40")
    before = corridor.route(net.as_of("2019-01-01"), "A", "D", profile="truck40")
    stop_after = next(s for s in after.stops if s.kind == "border_crossing")
    stop_before = next(s for s in before.stops if s.kind == "border_crossing")
    assert stop_after.time_h == pytest.approx(2.0) and stop_before.time_h == pytest.approx(5.0)


def test_vehicles_keep_profiles_off_reserved_crossings() -> None:
    for vehicles, allowed in (
        ("freight", {"truck40"}),
        ("passenger", {"car", "bus"}),
        ("car", {"car"}),
        ("all", {"truck40", "car", "bus"}),
    ):
        net = _net([_row(vehicles=vehicles), _row("b_to_a", vehicles=vehicles)])
        got = set()
        for prof in ("truck40", "car", "bus"):
            try:
                corridor.route(net, "A", "D", profile=prof)
            except corridor.NoPathError:
                continue
            got.add(prof)
        assert got == allowed, vehicles


_DAY0 = pd.Timestamp("2020-01-01")


@settings(max_examples=60)
@given(
    cuts=st.lists(st.integers(0, 2000), min_size=0, max_size=5, unique=True),
    first_open=st.booleans(),
    link_dates=st.tuples(st.none() | st.integers(0, 2000), st.none() | st.integers(0, 2000)),
    day=st.integers(-10, 2010),
)
def test_date_rule_matches_brute_force(
    cuts: list[int], first_open: bool, link_dates: tuple[int | None, int | None], day: int
) -> None:
    # crossing C's road periods alternate open/closed at the sorted cut days
    edges = sorted(cuts)
    periods, start, is_open = [], None, first_open
    for cut in [*edges, None]:
        if is_open:
            periods.append((start, cut))
        start, is_open = cut, not is_open
    rows = [
        _row(
            d,
            opened=None if a is None else _DAY0 + pd.Timedelta(days=a),
            closed=None if b is None else _DAY0 + pd.Timedelta(days=b),
        )
        for a, b in periods
        for d in ("a_to_b", "b_to_a")
    ]
    toy = corridor.examples.toy()
    links = toy.links
    lo, hi = link_dates
    if lo is not None and hi is not None and hi <= lo:
        lo, hi = hi, lo + 1  # a valid opened < closed pair
    links.loc[links["link_id"] == 12, "opened"] = (
        None if lo is None else _DAY0 + pd.Timedelta(days=lo)
    )
    links.loc[links["link_id"] == 12, "closed"] = (
        None if hi is None else _DAY0 + pd.Timedelta(days=hi)
    )
    net = toy.with_links(links).with_crossings(pd.DataFrame(rows))
    when = _DAY0 + pd.Timedelta(days=day)

    def inside(a: int | None, b: int | None) -> bool:
        return (a is None or a <= day) and (b is None or day < b)

    crossing_open = not rows or any(inside(a, b) for a, b in periods)
    got = set(net.as_of(when).links["link_id"])
    want = {10, 20, 21}  # links that do not touch C
    if crossing_open:
        want |= {11, 30} | ({12} if inside(lo, hi) else set())
    assert got == want
    assert len(net.as_of(when).crossings) == 2 * sum(inside(a, b) for a, b in periods)
