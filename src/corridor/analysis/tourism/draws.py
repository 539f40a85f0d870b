"""Parameter draws: P10/P50/P90 of the tourism headlines (levels, or changes between two
networks) from the calibration's uncertainty.

Fitted parameters are drawn from the multivariate normal of the fit (values, standard
errors, correlation of ``fitted.yaml``), and the fixed parameters with a published or
assumed range (``ranges`` of ``params.yaml``: the visa penalty, the log-sum coefficient)
uniformly within it, with generators seeded in the caller, so a run gives the same
draws wherever they are evaluated: each draw is a pure function of its parameters and
the two levels of service computed once.
[assumption] Standard errors above :data:`STD_CAP` (a parameter the targets barely pin)
are capped at it, so that a draw stays within the range the statistics can support.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.analysis.tourism.config import FITTED_NAMES, Fitted, TourismParams
from corridor.analysis.tourism.model import VisaOverride, demand, theta_of
from corridor.analysis.tourism.service import LevelOfService
from corridor.errors import ValidationError

__all__ = ["STD_CAP", "TourismDraws", "draw_thetas", "headline", "tourism_draws"]

STD_CAP = 1.0
"""Largest standard error used in the draws (see the module docstring)."""

Runner = Callable[[Mapping[str, Callable[[], Any]]], Mapping[str, Any]]
"""Runs named no-argument tasks and returns their results by name (local or Dask)."""


def draw_thetas(fitted: Fitted, n: int, seed: int) -> FloatArray:
    """`n` parameter vectors ``(n, len(FITTED_NAMES))``; the first is the fitted one.

    Raises
    ------
    ValidationError
        If `n` < 1.
    """
    if n < 1:
        raise ValidationError(f"--draws must be at least 1 (got {n})")
    mean = theta_of(fitted.values)
    std = np.minimum(np.asarray([fitted.std[k] for k in FITTED_NAMES]), STD_CAP)
    corr = np.asarray(fitted.correlation, dtype=np.float64)
    cov = corr * np.outer(std, std)
    rng = np.random.default_rng(seed)
    out = rng.multivariate_normal(mean, cov, size=n, method="eigh")
    out[0] = mean
    return np.asarray(out, dtype=np.float64)


def draw_fixed(params: TourismParams, n: int, seed: int) -> list[dict[str, float]]:
    """`n` draws of the fixed parameters with a range (uniform); the first is empty (the
    values of the file). Drawn after the fitted ones from a generator of ``seed + 1``."""
    rng = np.random.default_rng(seed + 1)
    names = sorted(params.ranges)
    out: list[dict[str, float]] = [{}]
    for _ in range(1, n):
        out.append({k: float(rng.uniform(*params.ranges[k])) for k in names})
    return out


def headline(
    theta: FloatArray,
    *,
    params: TourismParams,
    base: LevelOfService,
    other: LevelOfService | None,
    day: dt.date,
    base_overrides: Sequence[VisaOverride] = (),
    other_overrides: Sequence[VisaOverride] = (),
    base_factor: float = 1.0,
    other_factor: float = 1.0,
    central: TourismParams | None = None,
) -> dict[str, float]:
    """Headline numbers for one parameter vector: levels, and changes if `other` is given.

    With `central` (the file's parameters, when `params` holds drawn fixed values), the
    calibrated market constants are first re-anchored so that the base visits of each
    calibrated market equal those of `central` with the same `theta`: a drawn fixed
    parameter then changes the responses, not the calibrated base (a pivot).
    """
    if central is not None:
        theta = _anchor(theta, params, central, base, day, base_overrides, base_factor)

    def levels(los: LevelOfService, ov: Sequence[VisaOverride], f: float) -> dict[str, float]:
        d = demand(los, params, theta, on=day, overrides=ov, demand_factor=f)
        c = np.asarray(d.countries)
        per = d.visits.sum(axis=(2, 3))
        return {
            "visits_year": float(per.sum()),
            "cn_ru_visits_year": float(per[np.ix_(c == "CN", c == "RU")].sum()),
            "ru_cn_visits_year": float(per[np.ix_(c == "RU", c == "CN")].sum()),
        }

    b = levels(base, base_overrides, base_factor)
    if other is None:
        return b
    a = levels(other, other_overrides, other_factor)
    out: dict[str, float] = {}
    for k in b:
        out[f"{k}_change"] = a[k] - b[k]
        out[f"{k}_change_pct"] = 100.0 * (a[k] / b[k] - 1.0) if b[k] > 0 else float("nan")
    return out


def _anchor(
    theta: FloatArray,
    params: TourismParams,
    central: TourismParams,
    base: LevelOfService,
    day: dt.date,
    overrides: Sequence[VisaOverride],
    factor: float,
) -> FloatArray:
    """`theta` with its market constants moved so that the base visits by calibrated
    market under `params` equal those under `central` (fixed-point steps on the log of
    the visits, which are nearly exponential in the constant, to 1e-12)."""
    markets = [
        (m.from_, m.to, FITTED_NAMES.index(f"asc_market_{m.from_}_{m.to}"))
        for m in params.markets
        if m.calibrated and f"asc_market_{m.from_}_{m.to}" in FITTED_NAMES
    ]

    def per_market(p: TourismParams, th: FloatArray) -> np.ndarray:
        d = demand(base, p, th, on=day, overrides=overrides, demand_factor=factor)
        c = np.asarray(d.countries)
        per = d.visits.sum(axis=(2, 3))
        return np.asarray([per[np.ix_(c == a, c == b)].sum() for a, b, _ in markets])

    want = per_market(central, theta)
    th = np.array(theta, dtype=np.float64)
    for _ in range(50):
        got = per_market(params, th)
        ok = (got > 0) & (want > 0)
        step = np.where(ok, np.log(np.where(ok, want, 1.0) / np.where(ok, got, 1.0)), 0.0)
        for (_, _, k), dk in zip(markets, step, strict=True):
            th[k] += float(dk)
        if np.abs(step).max(initial=0.0) < 1e-12:
            break
    return th


def _local(tasks: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    return {name: fn() for name, fn in tasks.items()}


@dataclass(frozen=True, eq=False)
class TourismDraws:
    """Headlines over parameter draws.

    Attributes
    ----------
    draws
        One row per draw (draw 0 is the fitted parameters), one column per headline.
    summary
        Per headline: p10, p50, p90 and the fitted value.
    seed, n
        The seed and the number of draws.
    """

    draws: pd.DataFrame
    summary: pd.DataFrame
    seed: int
    n: int

    def __repr__(self) -> str:
        return f"<TourismDraws {self.n} draws, seed {self.seed}>"


def tourism_draws(
    params: TourismParams,
    fitted: Fitted,
    base: LevelOfService,
    other: LevelOfService | None = None,
    *,
    n: int,
    seed: int,
    day: dt.date,
    base_overrides: Sequence[VisaOverride] = (),
    other_overrides: Sequence[VisaOverride] = (),
    base_factor: float = 1.0,
    other_factor: float = 1.0,
    runner: Runner | None = None,
) -> TourismDraws:
    """P10/P50/P90 of the headlines over `n` parameter draws.

    Parameters
    ----------
    params, fitted
        Parameters and the calibration (its uncertainty).
    base, other
        Levels of service before and (optionally) after.
    n, seed
        Number of draws and the seed of the one random generator.
    day
        The day of the visa regimes.
    base_overrides, other_overrides, base_factor, other_factor
        Scenario demand edits on each side.
    runner
        Runs the draws (default: here, one after another); e.g. a Dask sweep. The
        results do not depend on it.

    Returns
    -------
    TourismDraws
    """
    thetas = draw_thetas(fitted, n, seed)
    fixed = draw_fixed(params, n, seed)
    tasks = {
        f"draw-{i}": partial(
            headline,
            thetas[i],
            params=params.with_values(fixed[i]),
            base=base,
            other=other,
            day=day,
            base_overrides=tuple(base_overrides),
            other_overrides=tuple(other_overrides),
            base_factor=base_factor,
            other_factor=other_factor,
            central=params if fixed[i] else None,
        )
        for i in range(n)
    }
    results = (runner or _local)(tasks)
    table = pd.DataFrame([results[f"draw-{i}"] for i in range(n)])
    table.insert(0, "draw", np.arange(n))
    cols = [c for c in table.columns if c != "draw"]
    summary = pd.DataFrame(
        {
            "headline": cols,
            "p10": [float(np.nanpercentile(table[c], 10)) for c in cols],
            "p50": [float(np.nanpercentile(table[c], 50)) for c in cols],
            "p90": [float(np.nanpercentile(table[c], 90)) for c in cols],
            "fitted": [float(table[c].iloc[0]) for c in cols],
        }
    )
    return TourismDraws(draws=table, summary=summary, seed=seed, n=n)
