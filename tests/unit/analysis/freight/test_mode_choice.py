"""Mode choice: generalised cost and nested-logit shares against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor.analysis.freight.commodities import MODES
from corridor.analysis.freight.mode_choice import (
    FreightParams,
    generalised_cost,
    load_params,
    mode_shares,
    mode_utilities,
)
from corridor.errors import ValidationError

from .conftest import commodity

CV = {"road": 0.1, "rail_container": 0.2, "rail_wagon": 0.3, "sea": 0.4}


def params(**kw: object) -> FreightParams:
    values: dict[str, object] = {
        "beta": 2.0,
        "asc": {"road:container": -0.5, "rail_container:container": 0.25},
        "lambda_land": 0.5,
        "cv": CV,
        "year": 2024,
    }
    values.update(kw)
    return FreightParams(**values)  # type: ignore[arg-type]


def test_generalised_cost_by_hand() -> None:
    # value 2400 $/t at 1 %/day = 24 $/t/day = 1 $/t/h; RR 0.5 x cv 0.4 -> x 1.2
    gc = generalised_cost(np.array([100.0]), np.array([10.0]), commodity(), 0.4)
    assert gc[0] == pytest.approx(100.0 + 1.0 * 10.0 * 1.2)


def test_nested_logit_shares_by_hand() -> None:
    com = commodity()
    p = params()
    gc = np.array([[200.0, 100.0, 50.0, 80.0]])  # rail_wagon is not a container mode
    v = mode_utilities(gc, com, p)
    v_road = -0.5 - 2.0 * math.log(200.0)
    v_rail = 0.25 - 2.0 * math.log(100.0)
    v_sea = -2.0 * math.log(80.0)
    assert v[0, 0] == pytest.approx(v_road)
    assert v[0, 1] == pytest.approx(v_rail)
    assert v[0, 2] == -math.inf
    assert v[0, 3] == pytest.approx(v_sea)
    # land nest, lambda 0.5: I = log(e^(Vr/.5) + e^(Vc/.5)); P(land) = e^(.5 I) / (e^(.5 I) + e^Vs)
    inclusive = math.log(math.exp(v_road / 0.5) + math.exp(v_rail / 0.5))
    p_land = math.exp(0.5 * inclusive) / (math.exp(0.5 * inclusive) + math.exp(v_sea))
    p_rail = p_land * math.exp(v_rail / 0.5) / math.exp(inclusive)
    shares = mode_shares(v, p)
    assert shares[0, 1] == pytest.approx(p_rail, rel=1e-12)
    assert shares[0, 3] == pytest.approx(1.0 - p_land, rel=1e-12)
    assert shares[0, 2] == 0.0
    assert shares.sum() == pytest.approx(1.0)


def test_lambda_one_is_multinomial_logit() -> None:
    rng = np.random.default_rng(3)
    gc = rng.uniform(10, 500, (50, len(MODES)))
    com = commodity("ore", "bulk")
    p = params(lambda_land=1.0)
    v = mode_utilities(gc, com, p)
    e = np.exp(v)
    np.testing.assert_allclose(mode_shares(v, p), e / e.sum(axis=1, keepdims=True), rtol=1e-12)


def test_unreachable_mode_gets_nothing_and_rows_sum_to_one() -> None:
    com = commodity()
    gc = np.array([[np.inf, 100.0, np.inf, 90.0], [np.inf, np.inf, np.inf, np.inf]])
    s = mode_shares(mode_utilities(gc, com, params()), params())
    assert s[0, 0] == 0.0
    assert s[0].sum() == pytest.approx(1.0)
    assert s[1].sum() == 0.0  # nothing available: no tonnes, never NaN


def test_cheaper_mode_gains_share() -> None:
    com = commodity()
    base = np.array([[200.0, 100.0, np.inf, 80.0]])
    cheaper = base.copy()
    cheaper[0, 1] = 90.0
    p = params()
    s0 = mode_shares(mode_utilities(base, com, p), p)
    s1 = mode_shares(mode_utilities(cheaper, com, p), p)
    assert s1[0, 1] > s0[0, 1]
    assert s1[0, 0] < s0[0, 0] and s1[0, 3] < s0[0, 3]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"beta": 0.0}, "beta"),
        ({"lambda_land": 1.5}, "lambda_land"),
        ({"asc": {"plane:container": 1.0}}, "unknown constants"),
        ({"cv": {"road": 0.1}}, "cv"),
    ],
)
def test_bad_params_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        params(**change)


def test_shipped_params_load() -> None:
    p = load_params()
    assert p.year == 2024 and p.beta > 0
    assert set(p.cv) == set(MODES)
