"""relative_gap recomputes the convergence test on anyone's volumes."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.assignment import AssignmentOptions, TrafficClass, assign, relative_gap
from corridor.errors import ValidationError
from tests.unit.assignment.test_assign import grid


def _classes(rng: np.random.Generator, z: int) -> list[TrafficClass]:
    cars = rng.uniform(0, 40, (z, z))
    trucks = rng.uniform(0, 10, (z, z))
    return [
        TrafficClass(demand=cars, name="car", value_of_time=2.0),
        TrafficClass(demand=trucks, name="truck", pce=2.5, value_of_time=5.0, toll_factor=3.0),
    ]


def test_gap_of_the_solvers_own_volumes_agrees_with_its_table() -> None:
    rng = np.random.default_rng(3)
    net = grid(6, rng)
    classes = _classes(rng, int(net.zones.size))
    for algorithm, gap in (("aon", 0.5), ("fw", 1e-3), ("gp", 1e-10)):
        res = assign(net, classes, options=AssignmentOptions(algorithm=algorithm, rel_gap=gap))
        got = relative_gap(net, classes, res.class_flow)
        if algorithm == "aon":
            assert got > 1e-3  # all-or-nothing volumes are far from equilibrium
        else:
            # the table's last gap is measured at the start of the last iteration, whose step
            # only lowers it
            assert got <= res.rel_gap + 1e-12
        if algorithm == "gp":
            assert got < 1e-9


def test_moving_volume_off_the_equilibrium_raises_the_gap() -> None:
    rng = np.random.default_rng(5)
    net = grid(5, rng)
    cars = TrafficClass(demand=rng.uniform(0, 30, (6, 6)))
    res = assign(net, cars, options=AssignmentOptions(algorithm="gp", rel_gap=1e-11))
    aon = assign(net, cars, options=AssignmentOptions(algorithm="aon"))
    at = relative_gap(net, cars, res.class_flow)
    mixes = [
        relative_gap(net, cars, (1 - s) * res.class_flow + s * aon.class_flow)
        for s in (0.1, 0.5, 1)
    ]
    assert at < 1e-9 < mixes[0] < mixes[1] < mixes[2]


def test_bad_volumes_are_refused() -> None:
    rng = np.random.default_rng(1)
    net = grid(4, rng)
    cars = TrafficClass(demand=np.ones((6, 6)))
    with pytest.raises(ValidationError, match="one row per class"):
        relative_gap(net, cars, np.zeros(net.n_links + 1))
    with pytest.raises(ValidationError, match="negative or non-finite"):
        relative_gap(net, cars, np.full(net.n_links, -1.0))
