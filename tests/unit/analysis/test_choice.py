"""The choice core against hand-computed cases, scipy, and the log-sum's gradient property."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import logsumexp, softmax

from corridor.analysis.choice import Nest, logsum, mnl_probabilities, nested_logit
from corridor.errors import ValidationError

finite = st.floats(-30, 30, allow_nan=False, allow_infinity=False)


def test_mnl_hand_computed() -> None:
    p = mnl_probabilities([0.0, math.log(3.0)])
    assert p == pytest.approx([0.25, 0.75])
    assert float(logsum([0.0, math.log(3.0)])) == pytest.approx(math.log(4.0))


def test_unavailable_alternatives_get_zero_and_empty_sets_stay_finite_free() -> None:
    v = np.array([[0.0, -np.inf, 0.0], [-np.inf, -np.inf, -np.inf]])
    p = mnl_probabilities(v)
    assert p[0] == pytest.approx([0.5, 0.0, 0.5])
    assert (p[1] == 0).all()
    ls = logsum(v)
    assert ls[0] == pytest.approx(math.log(2.0))
    assert ls[1] == -np.inf


@given(arrays(np.float64, (4, 5), elements=finite))
def test_mnl_matches_scipy(v: np.ndarray) -> None:
    np.testing.assert_allclose(mnl_probabilities(v), softmax(v, axis=-1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(logsum(v), logsumexp(v, axis=-1), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mnl_probabilities(v, axis=0), softmax(v, axis=0), atol=1e-15)


def test_nested_logit_hand_computed() -> None:
    # nest {0, 1} with lambda 0.5 and both utilities 0; alternative 2 alone with utility 1
    nl = nested_logit([0.0, 0.0, 1.0], [Nest("pair", (0, 1), 0.5)])
    inclusive = math.log(2.0)  # log(e^0 + e^0) with V / 0.5 = 0
    p_pair = math.exp(0.5 * inclusive) / (math.exp(0.5 * inclusive) + math.e)
    assert nl.probabilities == pytest.approx([p_pair / 2, p_pair / 2, 1 - p_pair])
    assert float(nl.logsum) == pytest.approx(math.log(math.sqrt(2.0) + math.e))
    assert nl.nest_probabilities == pytest.approx([p_pair, 1 - p_pair])
    assert [n.name for n in nl.nests] == ["pair", "alternative 2"]


@given(arrays(np.float64, (3, 4), elements=finite))
def test_nested_logit_with_unit_dissimilarity_is_mnl(v: np.ndarray) -> None:
    nl = nested_logit(v, [Nest("a", (0, 2)), Nest("b", (1, 3))])
    np.testing.assert_allclose(nl.probabilities, softmax(v, axis=-1), atol=1e-12)
    np.testing.assert_allclose(nl.logsum, logsumexp(v, axis=-1), rtol=1e-12, atol=1e-14)


@given(
    arrays(np.float64, 4, elements=st.floats(-5, 5)),
    st.floats(0.05, 1.0),
    st.floats(0.05, 1.0),
)
def test_nested_logit_probabilities_are_the_logsum_gradient(
    v: np.ndarray, lam_a: float, lam_b: float
) -> None:
    # Williams-Daly-Zachary: dE[max U]/dV_i = P_i, an independent check of the formulas
    nests = [Nest("a", (0, 1), lam_a), Nest("b", (2, 3), lam_b)]
    p = nested_logit(v, nests).probabilities
    h = 1e-6
    grad = [
        (
            float(nested_logit(v + h * e, nests).logsum)
            - float(nested_logit(v - h * e, nests).logsum)
        )
        / (2 * h)
        for e in np.eye(4)
    ]
    np.testing.assert_allclose(p, grad, atol=1e-6)
    assert p.sum() == pytest.approx(1.0)


def test_nested_logit_batches_along_any_axis() -> None:
    rng = np.random.default_rng(7)
    v = rng.normal(size=(3, 4, 2))
    nests = [Nest("x", (0, 1, 2), 0.4)]
    along0 = nested_logit(v, nests, axis=1)
    for i in range(3):
        for k in range(2):
            one = nested_logit(v[i, :, k], nests)
            np.testing.assert_allclose(along0.probabilities[i, :, k], one.probabilities)
            assert along0.logsum[i, k] == pytest.approx(float(one.logsum))


def test_empty_nest_gets_zero_probability() -> None:
    nl = nested_logit([-np.inf, -np.inf, 0.0], [Nest("gone", (0, 1), 0.5)])
    assert nl.probabilities == pytest.approx([0.0, 0.0, 1.0])
    assert float(nl.logsum) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("utilities", "nests", "message"),
    [
        ([0.0, np.nan], [], "NaN"),
        (3.0, [], "scalar"),
        ([0.0, 1.0], [Nest("a", (0,)), Nest("b", (0, 1))], "two nests"),
        ([0.0, 1.0], [Nest("a", (2,))], "only 2"),
    ],
)
def test_bad_input_is_a_clear_error(utilities: object, nests: list[Nest], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        nested_logit(utilities, nests)  # type: ignore[arg-type]


def test_dissimilarity_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"\(0, 1\]"):
        Nest("a", (0,), 1.5)
