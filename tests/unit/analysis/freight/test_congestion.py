"""Crossing capacities, the queueing delay and the parameter file's checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.analysis.freight.congestion import (
    PARAMETERS,
    crossing_capacities,
    load_crossing_data,
    queue_delay_h,
    queue_length_veh,
)
from corridor.errors import DataSourceError, ValidationError

from .toy import parallel_crossings


def test_delay_at_capacity_is_the_closed_form() -> None:
    # z = 1: T/4 * sqrt(8 J / (c T)) = sqrt(J T / (2 c)), c per hour
    got = queue_delay_h(np.array([48.0]), np.array([48.0]), delay_parameter=0.5, period_h=168.0)
    assert got[0] == pytest.approx(np.sqrt(0.5 * 168.0 / (2 * 2.0)))
    assert queue_delay_h(0.0, 10.0, delay_parameter=0.5, period_h=24.0)[()] == 0.0
    # far above capacity the queue grows like T/2 (z - 1)
    far = queue_delay_h(1e4, 10.0, delay_parameter=0.5, period_h=24.0)[()]
    assert far == pytest.approx(24.0 / 2 * (1e3 - 1), rel=1e-3)


def test_uncapped_crossings_do_not_queue() -> None:
    got = queue_delay_h(
        np.array([5.0, 5.0]), np.array([np.nan, 5.0]), delay_parameter=1.0, period_h=24
    )
    assert got[0] == 0.0 and got[1] > 0.0
    with pytest.raises(ValidationError):
        queue_delay_h(1.0, 0.0, delay_parameter=1.0, period_h=24.0)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0.0, 500.0),
    st.floats(0.1, 200.0),
    st.floats(1.0, 50.0),
    st.floats(0.05, 2.0),
)
def test_delay_increases_with_load(x: float, c: float, dx: float, j: float) -> None:
    lo, hi = queue_delay_h(np.array([x, x + dx]), c, delay_parameter=j, period_h=168.0)
    assert 0.0 <= lo < hi
    assert queue_length_veh(np.array([x]), np.array([lo]))[0] == pytest.approx(x / 24 * lo)


def test_capacity_precedence_network_yaml_default() -> None:
    data = load_crossing_data()
    net = parallel_crossings([5.0, 0.0], [np.nan, np.nan])
    caps = crossing_capacities(net, data)
    by = caps.set_index(["crossing", "direction"])
    # clearance > 0 and nothing published: the road default, marked as an assumption
    assert (
        by.loc[("Cross 0", "a_to_b"), "capacity_veh_day"] == data.default_capacity_veh_day["road"]
    )
    assert "[assumption]" in by.loc[("Cross 0", "a_to_b"), "capacity_source"]
    # no clearance: not a bottleneck
    assert np.isnan(by.loc[("Cross 1", "a_to_b"), "capacity_veh_day"])
    measured = crossing_capacities(parallel_crossings([5.0], [42.0]), data)
    assert measured["capacity_veh_day"].tolist() == [42.0, 42.0]


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = PARAMETERS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "assign.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("teu_per_train: 100", "teu_per_train: -5", r"vehicles.teu_per_train: must be a positive"),
        ("  tonnes_per_truck: 20\n", "", r"missing field 'tonnes_per_truck'"),
        (
            "    mode: rail\n    capacity_veh_day: 14",
            "    mode: sea\n    capacity_veh_day: 14",
            r"capacities\[0\].mode: 'sea'",
        ),
        (
            "    capacity_veh_day: 18",
            "    capacity_veh_day: zero",
            r"capacities\[1\].capacity_veh_day",
        ),
        ("function: akcelik", "function: bpr", "only 'akcelik'"),
    ],
)
def test_bad_parameter_files_name_the_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        load_crossing_data(_write(tmp_path, old, new))


def test_rows_without_a_source_are_refused(tmp_path: Path) -> None:
    text = PARAMETERS.read_text(encoding="utf-8")
    start = text.index('    source: "KTZ 4 Mar 2025')
    end = text.index("\n", start)
    path = tmp_path / "assign.yaml"
    path.write_text(text[:start] + "    source: ''" + text[end:], encoding="utf-8")
    with pytest.raises(ValidationError, match=r"capacities\[0\]: no source"):
        load_crossing_data(path)


def test_missing_file_is_a_data_source_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError):
        load_crossing_data(tmp_path / "nope.yaml")
