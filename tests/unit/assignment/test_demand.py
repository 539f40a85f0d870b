"""Gravity model and IPF: marginals, hand-checked cases, calibration, bad inputs."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import corridor
from corridor.assignment.demand import (
    Deterrence,
    FurnessOptions,
    calibrate_gravity,
    furness,
    gravity,
    trip_ends_from_population,
)
from corridor.assignment.results import ConvergenceWarning
from corridor.errors import ValidationError
from corridor.paths.skim import skim


@pytest.mark.parametrize("seed", range(20))
def test_ipf_meets_both_marginals(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_o, n_d = int(rng.integers(1, 30)), int(rng.integers(1, 30))
    s = rng.uniform(0.01, 5.0, (n_o, n_d))
    r = rng.uniform(0, 100, n_o)
    c = rng.uniform(0, 100, n_d)
    c *= r.sum() / c.sum()
    trips, converged, table = furness(s, r, c, options=FurnessOptions(tol=1e-10))
    assert converged
    np.testing.assert_allclose(trips.sum(axis=1), r, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(trips.sum(axis=0), c, rtol=1e-9, atol=1e-9)
    assert table["max_rel_error"].iloc[-1] <= 1e-10
    # IPF keeps the seed's cross-product ratios (it only scales rows and columns)
    if n_o > 1 and n_d > 1:
        ratio = trips[0, 0] * trips[1, 1] / (trips[0, 1] * trips[1, 0])
        assert ratio == pytest.approx(s[0, 0] * s[1, 1] / (s[0, 1] * s[1, 0]), rel=1e-9)


def test_uniform_seed_gives_the_independence_table() -> None:
    r, c = np.array([10.0, 30.0]), np.array([25.0, 15.0])
    trips, _, _ = furness(np.ones((2, 2)), r, c)
    np.testing.assert_allclose(trips, np.outer(r, c) / 40.0)


def test_deterrence_functions_by_hand() -> None:
    c = np.array([0.0, 1.0, 2.0, np.inf])
    np.testing.assert_allclose(
        Deterrence(kind="exponential", beta=0.5)(c), [1, math.exp(-0.5), math.exp(-1), 0]
    )
    # power: zero cost is raised to the least positive cost (1 here)
    np.testing.assert_allclose(Deterrence(kind="power", alpha=2.0)(c), [1, 1, 0.25, 0])
    np.testing.assert_allclose(
        Deterrence(kind="combined", alpha=1.0, beta=1.0, min_cost=0.5)(c),
        [2 * math.exp(-0.5), math.exp(-1), 0.5 * math.exp(-2), 0],
    )
    with pytest.raises(ValidationError, match="beta"):
        Deterrence(beta=-1.0)


def test_gravity_on_a_toy_skim(toy: corridor.Network) -> None:
    s = skim(toy, ["A", "B", "D"], modes="road")
    pop = toy.nodes.set_index("node_id").loc[s.origins, "population"].to_numpy()
    prod, attr = trip_ends_from_population(pop, trips_per_person=0.01)
    tm = gravity(s, prod, attr, deterrence=Deterrence(beta=0.3))
    assert tm.converged
    assert tm.origins.tolist() == [1, 2, 4]
    np.testing.assert_allclose(tm.trips.sum(axis=1), prod, rtol=1e-8)
    np.testing.assert_allclose(tm.trips.sum(axis=0), attr, rtol=1e-8)
    expected_mean = (tm.trips * s.values).sum() / tm.trips.sum()
    assert tm.mean_cost == pytest.approx(expected_mean)
    assert repr(tm).startswith("<TripMatrix 3x3: 17,000.0 trips")
    frame = tm.to_frame()
    assert list(frame.columns) == ["origin", "destination", "trips"]
    assert frame["trips"].sum() == pytest.approx(17_000.0)


@pytest.mark.parametrize("kind", ["exponential", "power", "combined"])
def test_calibration_hits_the_target_mean_cost(kind: str) -> None:
    rng = np.random.default_rng(7)
    n = 25
    xy = rng.uniform(0, 100, (n, 2))
    cost = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) + 1.0
    prod = rng.uniform(10, 100, n)
    attr = rng.uniform(10, 100, n)
    # the unconstrained-ish mean lies between the extremes; aim inside it
    target = 30.0
    tm = calibrate_gravity(
        cost, prod, attr, target_mean_cost=target, deterrence=Deterrence(kind=kind, alpha=0.5)
    )
    assert tm.mean_cost == pytest.approx(target, rel=1e-6)
    assert tm.converged
    assert tm.deterrence is not None and tm.deterrence.kind == kind
    # a higher deterrence parameter gives a lower mean cost
    name = tm.deterrence.parameter
    steeper = getattr(tm.deterrence, name) * 1.5
    lower = gravity(cost, prod, attr, deterrence=replace(tm.deterrence, **{name: steeper}))
    assert lower.mean_cost < target
    with pytest.raises(ValidationError, match="outside"):
        calibrate_gravity(cost, prod, attr, target_mean_cost=1e6, deterrence=Deterrence(kind=kind))


def test_bad_inputs() -> None:
    cost = np.array([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValidationError, match=r"productions has shape \(3,\); need \(2,\)"):
        gravity(cost, [1, 2, 3])
    with pytest.raises(ValidationError, match="negative demand"):
        gravity(cost, [1, -2])
    with pytest.raises(ValidationError, match="NaN or negative"):
        gravity(np.array([[1.0, np.nan], [1.0, 1.0]]), [1, 1])
    with pytest.raises(ValidationError, match="attractions"):
        gravity(np.ones((2, 3)), [1, 1])
    with pytest.raises(ValidationError, match="no reachable cell"):
        gravity(np.array([[np.inf, np.inf], [1.0, 1.0]]), [1, 1])
    with pytest.raises(ValidationError, match="negative demand"):
        furness(-np.ones((2, 2)), [1, 1], [1, 1])
    with pytest.raises(ValidationError, match="tol"):
        FurnessOptions(tol=0.0)


def test_infeasible_totals_warn_not_raise() -> None:
    seed = np.array([[1.0, 0.0], [1.0, 1.0]])  # row 0 can only fill column 0
    with pytest.warns(ConvergenceWarning, match="IPF stopped"):
        _, converged, table = furness(
            seed, [10.0, 1.0], [1.0, 10.0], options=FurnessOptions(max_iter=20)
        )
    assert not converged
    assert len(table) == 20
