"""Calibration recovers known parameters from synthetic targets; scipy MLE agrees with
the destination-choice probabilities."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy.optimize import minimize

from corridor.analysis.tourism.calibration import evaluate_targets, fit, target_value
from corridor.analysis.tourism.config import FITTED_NAMES, Target
from corridor.analysis.tourism.model import demand

from .conftest import small_los

DAY = dt.date(2024, 7, 1)
TRUE = np.array([-12.0, -11.0, -0.7, -1.4, 0.0, -0.8, -12.0, -12.0, -12.0])


def _targets(values: list[float] | None = None) -> list[Target]:
    specs = [
        {"kind": "visits", "pairs": [["RU", "CN"]], "purposes": ["leisure"]},
        {"kind": "visits", "pairs": [["RU", "CN"]], "purposes": ["business"]},
        {"kind": "visits", "pairs": [["CN", "RU"]], "purposes": ["leisure"]},
        {"kind": "visits", "pairs": [["CN", "RU"]], "purposes": ["business"]},
        {"kind": "crossings", "crossings": ["X"], "modes": ["bus"]},
        {"kind": "visits", "pairs": [["RU", "CN"]], "modes": ["air"]},
    ]
    out = []
    for k, spec in enumerate(specs):
        out.append(
            Target.model_validate(
                {
                    "id": f"t{k}",
                    "year": 2024,
                    "value": 1.0 if values is None else values[k],
                    "tolerance": 0.1,
                    "fit": True,
                    "source": "[assumption] synthetic",
                    **spec,
                }
            )
        )
    return out


def test_fit_recovers_known_parameters(small_params) -> None:
    los = small_los()
    truth = demand(los, small_params, TRUE, on=DAY)
    values = [target_value(truth, t, small_params) for t in _targets()]
    targets = _targets(values)
    start = (-15.0, -15.0, 0.0, 0.0, 0.0, -0.3, -15.0, -15.0, -15.0)
    fitted, ok, _, _ = fit({DAY: los}, small_params, targets, theta0=start, year=2024)
    assert ok
    got = np.array(fitted.vector())
    # the small world has neither shopping nor Kazakhstan nor Mongolia: the targets cannot see them
    unseen = {"asc_shopping", "asc_market_KZ_RU", "asc_market_RU_KZ", "asc_market_MN_CN"}
    identified = [k for k, n in enumerate(FITTED_NAMES) if n not in unseen]
    np.testing.assert_allclose(got[identified], TRUE[identified], atol=1e-5)
    assert all(np.isinf(fitted.std[n]) for n in unseen)  # and their errors say so
    assert all(np.isfinite(fitted.std[FITTED_NAMES[k]]) for k in identified)
    table = evaluate_targets({DAY: los}, small_params, fitted.vector(), targets)
    assert table["within"].all()
    assert np.abs(table["error"]).max() < 1e-6


def test_fit_misses_are_reported_not_hidden(small_params) -> None:
    los = small_los()
    truth = demand(los, small_params, TRUE, on=DAY)
    values = [target_value(truth, t, small_params) for t in _targets()]
    values.append(values[0] * 3.0)  # a contradictory seventh figure
    targets = _targets(values[:6])
    extra = Target.model_validate(
        {
            "id": "contradiction",
            "year": 2024,
            "kind": "visits",
            "pairs": [["RU", "CN"]],
            "purposes": ["leisure"],
            "value": values[6],
            "tolerance": 0.1,
            "fit": True,
            "source": "[assumption] synthetic",
        }
    )
    fitted, _, _, _ = fit({DAY: los}, small_params, [*targets, extra], year=2024)
    table = evaluate_targets({DAY: los}, small_params, fitted.vector(), [*targets, extra])
    assert not table["within"].all()  # no parameter can make 1x and 3x both right


def test_scipy_mle_recovers_destination_utilities(small_params) -> None:
    """Sampled individual choices (none, B, C) for zone A, estimated by maximum likelihood
    with scipy, give back the model's destination utilities."""
    theta = np.array([-6.0, -9.0, -0.7, -1.4, 0.0, -0.8, -9.0, -9.0, -9.0])
    d = demand(small_los(), small_params, theta, on=DAY)
    u = d.utility[0, 0, 1:]  # leisure, origin A, destinations B and C
    p = np.exp(np.r_[0.0, u]) / np.exp(np.r_[0.0, u]).sum()
    rng = np.random.default_rng(11)
    counts = np.bincount(rng.choice(3, size=200_000, p=p), minlength=3)

    def nll(x: np.ndarray) -> float:
        v = np.r_[0.0, x]
        return float(-(counts * (v - np.log(np.exp(v).sum()))).sum())

    est = minimize(nll, np.zeros(2), method="BFGS")
    se = np.sqrt(np.diag(est.hess_inv))
    assert np.all(np.abs(est.x - u) < 4 * se)
    # and the model's visit counts are the population times these probabilities
    assert d.visits[0, 1:, 0].sum(axis=1) == pytest.approx(1_000_000 * p[1:], rel=1e-12)
