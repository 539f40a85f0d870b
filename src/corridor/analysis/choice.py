"""Discrete choice: multinomial and nested logit probabilities and log-sums, vectorised.

The one choice core of the demand models (tourism destinations and modes, freight modes).
Utilities are arrays whose last axis (or `axis`) holds the alternatives; every other axis is
a batch (origins, destinations, segments), so one call prices a whole matrix. An unavailable
alternative has utility ``-inf``: it gets probability 0, and a choice set with nothing
available has log-sum ``-inf`` and probabilities 0 (never NaN).

Multinomial logit (McFadden 1974)::

    P_i = exp(V_i) / sum_j exp(V_j)            logsum = log sum_j exp(V_j)

Nested logit, two levels, utility-maximisation consistent (McFadden 1978; Ben-Akiva and
Lerman 1985, ch. 10; Train 2009, *Discrete Choice Methods with Simulation*, §4.2), each
nest m with dissimilarity parameter ``0 < lambda_m <= 1``::

    I_m   = log sum_{j in m} exp(V_j / lambda_m)             (the nest's inclusive value)
    P_m   = exp(lambda_m I_m) / sum_n exp(lambda_n I_n)
    P_i|m = exp(V_i / lambda_m) / exp(I_m)
    logsum = log sum_n exp(lambda_n I_n)

With every ``lambda_m = 1`` it is the multinomial logit. The log-sum is the expected maximum
utility up to a constant, so its change divided by the marginal utility of money is the change
in consumer surplus per chooser (Small and Rosen 1981), and it is the impedance a destination
choice sees from the mode choice below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridor.errors import ValidationError

__all__ = ["Nest", "NestedLogit", "logsum", "mnl_probabilities", "nested_logit"]

FloatArray = NDArray[np.float64]


def _as_utilities(utilities: ArrayLike) -> FloatArray:
    v = np.asarray(utilities, dtype=np.float64)
    if v.ndim == 0:
        raise ValidationError("utilities need an axis of alternatives (got a scalar)")
    if np.isnan(v).any() or np.isposinf(v).any():
        raise ValidationError(
            "utilities must be finite or -inf (unavailable); got NaN or +inf: "
            "check the costs that made them"
        )
    return v


def logsum(utilities: ArrayLike, *, axis: int = -1) -> FloatArray:
    """Log of the sum of exponentiated utilities along `axis`, computed stably.

    Parameters
    ----------
    utilities
        Utilities; ``-inf`` marks an unavailable alternative.
    axis
        The axis of the alternatives.

    Returns
    -------
    numpy.ndarray
        The log-sum with `axis` removed; ``-inf`` where nothing is available.
    """
    v = _as_utilities(utilities)
    top = np.max(v, axis=axis, keepdims=True)
    safe_top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(v - safe_top), axis=axis, keepdims=True)) + safe_top
    result: FloatArray = np.squeeze(out, axis=axis)
    return result


def mnl_probabilities(utilities: ArrayLike, *, axis: int = -1) -> FloatArray:
    """Multinomial logit choice probabilities along `axis`.

    Parameters
    ----------
    utilities
        Utilities; ``-inf`` marks an unavailable alternative.
    axis
        The axis of the alternatives.

    Returns
    -------
    numpy.ndarray
        Probabilities of the same shape, summing to 1 along `axis` (0 everywhere where no
        alternative is available).
    """
    v = _as_utilities(utilities)
    top = np.max(v, axis=axis, keepdims=True)
    safe_top = np.where(np.isfinite(top), top, 0.0)
    e = np.exp(v - safe_top)
    total = np.sum(e, axis=axis, keepdims=True)
    p: FloatArray = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return p


@dataclass(frozen=True, slots=True)
class Nest:
    """A nest of alternatives in a nested logit.

    Attributes
    ----------
    name
        The nest's name (e.g. ``"public"``).
    alternatives
        Positions of its alternatives along the alternatives axis.
    dissimilarity
        ``lambda`` in (0, 1]: 1 is no correlation within the nest (multinomial logit), values
        towards 0 make its alternatives ever closer substitutes.
    """

    name: str
    alternatives: tuple[int, ...]
    dissimilarity: float = 1.0

    def __post_init__(self) -> None:
        if not self.alternatives:
            raise ValidationError(f"nest {self.name!r} has no alternatives")
        if not (0.0 < self.dissimilarity <= 1.0) or not np.isfinite(self.dissimilarity):
            raise ValidationError(
                f"nest {self.name!r}: dissimilarity must be in (0, 1] for a model consistent "
                f"with utility maximisation (got {self.dissimilarity!r})"
            )


@dataclass(frozen=True, slots=True)
class NestedLogit:
    """Probabilities and log-sums of a nested logit.

    Attributes
    ----------
    probabilities
        Choice probabilities, the utilities' shape.
    logsum
        The whole choice's log-sum, the alternatives axis removed.
    nest_probabilities
        Probability of each nest, the alternatives axis replaced by one of nests (in the
        order given).
    nest_logsums
        Each nest's inclusive value ``I_m`` (same shape as `nest_probabilities`).
    nests
        The nests, alternatives not named in any nest each forming their own.
    """

    probabilities: FloatArray
    logsum: FloatArray
    nest_probabilities: FloatArray
    nest_logsums: FloatArray
    nests: tuple[Nest, ...]


def _complete(nests: Sequence[Nest], n_alternatives: int) -> tuple[Nest, ...]:
    seen: dict[int, str] = {}
    for nest in nests:
        for a in nest.alternatives:
            if not 0 <= a < n_alternatives:
                raise ValidationError(
                    f"nest {nest.name!r} names alternative {a}, but there are only "
                    f"{n_alternatives} (positions 0..{n_alternatives - 1})"
                )
            if a in seen:
                raise ValidationError(
                    f"alternative {a} is in two nests ({seen[a]!r} and {nest.name!r}): "
                    "nests must not overlap"
                )
            seen[a] = nest.name
    alone = tuple(Nest(f"alternative {a}", (a,)) for a in range(n_alternatives) if a not in seen)
    return (*nests, *alone)


def nested_logit(utilities: ArrayLike, nests: Sequence[Nest], *, axis: int = -1) -> NestedLogit:
    """Two-level nested logit probabilities and log-sums (see the module docstring).

    Parameters
    ----------
    utilities
        Utilities; ``-inf`` marks an unavailable alternative.
    nests
        Non-overlapping nests; an alternative in none forms a nest of its own.
    axis
        The axis of the alternatives.

    Returns
    -------
    NestedLogit
    """
    v = np.moveaxis(_as_utilities(utilities), axis, -1)
    full = _complete(nests, v.shape[-1])
    inclusive = np.stack(
        [logsum(v[..., list(n.alternatives)] / n.dissimilarity) for n in full], axis=-1
    )
    lam = np.array([n.dissimilarity for n in full])
    with np.errstate(invalid="ignore"):
        upper = inclusive * lam  # -inf stays -inf for an empty nest
    nest_p = mnl_probabilities(upper)
    probabilities = np.zeros_like(v)
    for k, n in enumerate(full):
        idx = list(n.alternatives)
        probabilities[..., idx] = (
            mnl_probabilities(v[..., idx] / n.dissimilarity) * nest_p[..., k : k + 1]
        )
    return NestedLogit(
        probabilities=np.moveaxis(probabilities, -1, axis),
        logsum=logsum(upper),
        nest_probabilities=np.moveaxis(nest_p, -1, axis),
        nest_logsums=np.moveaxis(inclusive, -1, axis),
        nests=full,
    )
