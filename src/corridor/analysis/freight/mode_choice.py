"""Nested-logit mode choice on generalised cost, per commodity.

For a shipment of commodity k between two zones by mode m (:data:`MODES`)::

    GC_m = money_m + VOT_k x time_m x (1 + RR_k x cv_m)            US$ per tonne
    V_m  = ASC[m, handling_k] - beta x ln(GC_m)

``money`` and ``time`` are door to door (the Router's profiles for land modes, the sea
lane table for sea), VOT_k the value of time per tonne-hour, RR_k the reliability ratio
and ``cv_m`` the coefficient of variation of the mode's transit time, so that
``RR x cv x time`` prices the standard deviation of time. Cost enters as its log, so one
``beta`` serves commodities worth $100 and $8,000 a tonne alike (the cost elasticity of a
mode's share is ``-beta (1 - P_m)`` in a multinomial logit). A mode the commodity may not
use, or that cannot join the pair, is unavailable (``-inf``).

The three land modes (road, rail container, rail wagon) share one nest with
dissimilarity ``lambda_land``; sea is on its own (:func:`corridor.analysis.choice.nested_logit`).
The share of each mode multiplies the pair's tonnes, so tonnes by commodity are conserved
wherever any mode is available.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from corridor._typing import FloatArray
from corridor.analysis.choice import Nest, nested_logit
from corridor.analysis.freight.commodities import MODES, Commodity
from corridor.analysis.freight.files import read_yaml, require
from corridor.errors import ValidationError

__all__ = [
    "ASC_KEYS",
    "FreightParams",
    "generalised_cost",
    "load_params",
    "mode_shares",
    "mode_utilities",
]

ASC_KEYS: tuple[str, ...] = (
    "road:container",
    "rail_container:container",
    "rail_wagon:container",
    "road:bulk",
    "rail_wagon:bulk",
)
"""Alternative-specific constants, ``mode:handling``; sea is the reference (0). A key
``mode:<commodity id>`` (e.g. ``rail_wagon:coal``) adds a commodity's own constant on top,
and ``mode@<group>`` (e.g. ``rail_container@EU``) one for trade to or from a group."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FreightParams:
    """Parameters of the mode choice (see the module docstring).

    Attributes
    ----------
    beta
        Weight of ln(generalised cost), > 0.
    asc
        ``mode:handling`` -> constant (:data:`ASC_KEYS`); missing keys are 0.
    lambda_land
        Dissimilarity of the land nest, in (0, 1].
    cv
        Mode -> coefficient of variation of transit time.
    year
        The year the constants were fitted to.
    source
        Where the values come from (a fit, or assumptions).
    """

    beta: float
    asc: dict[str, float] = field(hash=False)
    lambda_land: float
    cv: dict[str, float] = field(hash=False)
    year: int
    source: str = ""

    def __post_init__(self) -> None:
        if not (np.isfinite(self.beta) and self.beta > 0):
            raise ValidationError(f"beta must be positive, got {self.beta!r}")
        if not 0 < self.lambda_land <= 1:
            raise ValidationError(f"lambda_land must be in (0, 1], got {self.lambda_land!r}")
        bad = sorted(k for k in self.asc if not _asc_key_ok(k))
        if bad:
            raise ValidationError(
                f"unknown constants {bad}; the keys are {list(ASC_KEYS)} or mode:<commodity>"
            )
        missing = sorted(set(MODES) - set(self.cv))
        if missing or any(not (v >= 0) for v in self.cv.values()):
            raise ValidationError(f"cv needs a value >= 0 for every mode (missing {missing})")

    def with_values(self, values: dict[str, float]) -> FreightParams:
        """A copy with `values` (``beta`` or ASC keys) replaced."""
        asc = dict(self.asc)
        beta = self.beta
        for key, value in values.items():
            if key == "beta":
                beta = float(value)
            else:
                asc[key] = float(value)
        return replace(self, beta=beta, asc=asc)


def _asc_key_ok(key: str) -> bool:
    if "@" in key:  # mode@group: trade to or from a group (e.g. rail_container@EU)
        mode, _, group = key.partition("@")
        return mode in MODES and mode != "sea" and bool(group)
    mode, _, what = key.partition(":")
    return key in ASC_KEYS or (
        mode in MODES and mode != "sea" and what not in ("", "container", "bulk")
    )


def load_params(path: str | Path | None = None) -> FreightParams:
    """Mode-choice parameters from `path`, or the bundled fitted ``data/params.yaml``.

    Raises
    ------
    DataSourceError
        If the file cannot be read or parsed.
    ValidationError
        Naming the file and the field that is missing or out of range.
    """
    data, label = read_yaml(path, "params.yaml")
    try:
        asc = require(data, "asc", label, dict)
        cv = require(data, "cv", label, dict)
        return FreightParams(
            beta=float(require(data, "beta", label, (int, float))),
            asc={str(k): float(v) for k, v in asc.items()},
            lambda_land=float(require(data, "lambda_land", label, (int, float))),
            cv={str(k): float(v) for k, v in cv.items()},
            year=int(require(data, "year", label, int)),
            source=str(data.get("source", label)),
        )
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{label}: {exc}") from None


def generalised_cost(
    money_usd_per_t: FloatArray,
    time_h: FloatArray,
    commodity: Commodity,
    cv: float,
) -> FloatArray:
    """``money + VOT x time x (1 + RR x cv)``, US$ per tonne (``inf`` stays ``inf``)."""
    vot = commodity.vot_usd_per_t_h * (1.0 + commodity.reliability_ratio * cv)
    return np.asarray(money_usd_per_t + vot * time_h, dtype=np.float64)


def mode_utilities(
    gc_usd_per_t: FloatArray, commodity: Commodity, params: FreightParams
) -> FloatArray:
    """Utilities ``(..., len(MODES))`` from generalised costs of the same shape.

    ``-inf`` where the cost is not finite and positive or the commodity may not use the mode.
    """
    gc = np.asarray(gc_usd_per_t, dtype=np.float64)
    if gc.shape[-1] != len(MODES):
        raise ValidationError(f"costs need a last axis of {len(MODES)} modes, got {gc.shape}")
    asc = np.array(
        [
            params.asc.get(f"{m}:{commodity.handling}", 0.0)
            + params.asc.get(f"{m}:{commodity.id}", 0.0)
            if m != "sea"
            else 0.0
            for m in MODES
        ]
    )
    allowed = np.array([m in commodity.modes for m in MODES])
    ok = np.isfinite(gc) & (gc > 0) & allowed
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(ok, asc - params.beta * np.log(np.where(ok, gc, 1.0)), -np.inf)
    return np.asarray(v, dtype=np.float64)


def mode_shares(utilities: FloatArray, params: FreightParams) -> FloatArray:
    """Nested-logit shares, the utilities' shape (land modes nested, sea alone)."""
    land = tuple(i for i, m in enumerate(MODES) if m != "sea")
    result = nested_logit(utilities, [Nest("land", land, params.lambda_land)])
    return result.probabilities
