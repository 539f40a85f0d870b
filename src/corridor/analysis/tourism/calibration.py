"""Calibration of the tourism model to published statistics.

Each target is a published figure: visits by direction and purposes, passages at named
land crossings, for a year (or part of one: ``scale``), or the share of purposes in the
visits of a direction (to named destinations). The fit minimises, with
:func:`scipy.optimize.least_squares` (trust-region reflective), the sum over the fitted
targets of::

    r_k = ln(model_k / published_k) / sigma_k,      sigma_k = ln(1 + tolerance_k) / 2

so a target's tolerance is read as two standard deviations of its error. The standard
errors of the parameters are those of the Gauss-Newton approximation at the optimum,
``cov = (J^T J)^+`` (pseudo-inverse: a parameter no target pins gets a large error rather
than a failure; one no target responds to at all gets ``inf``). A target is *within*
when ``|model / published - 1| <= tolerance``. Out-of-sample targets (``fit: false``) are
evaluated with the fitted parameters on their own day's network and visa regimes and
reported with their error.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.analysis.tourism.config import FITTED_NAMES, Fitted, Target, TourismParams
from corridor.analysis.tourism.model import Demand, demand
from corridor.analysis.tourism.service import LevelOfService, level_of_service
from corridor.analysis.tourism.tables import LAND_MODES
from corridor.errors import ValidationError
from corridor.model.network import Network

__all__ = ["Calibration", "calibrate", "evaluate_targets", "fit", "target_value"]

log = logging.getLogger(__name__)

THETA0: tuple[float, ...] = (-20.0, -20.0, 0.0, 0.0, 0.0, -0.5, -20.0, -20.0, -20.0)
"""Starting point of the fit (:data:`FITTED_NAMES` order)."""

_BOUNDS = (
    np.array([-60.0, -60.0, -15.0, -15.0, -15.0, -20.0, -60.0, -60.0, -60.0]),
    np.array([20.0, 20.0, 15.0, 15.0, 15.0, -1e-3, 20.0, 20.0, 20.0]),
)


def _crossing_mask(los: LevelOfService, target: Target) -> FloatArray:
    """1 where the (o, d, mode) path passes one of the target's crossings."""
    wanted = set(target.crossings)
    modes = target.modes or LAND_MODES
    n = len(los.zones)
    mask = np.zeros((n, n, len(los.modes)))
    for k, mode in enumerate(los.modes):
        if mode not in modes:
            continue
        rows = los.crossings[k]
        for i in range(n):
            for j in range(n):
                if wanted.intersection(rows[i][j]):
                    mask[i, j, k] = 1.0
    return mask


def target_value(
    d: Demand, target: Target, params: TourismParams, mask: FloatArray | None = None
) -> float:
    """What the model says for `target` (visits or passages, scaled to its period);
    `mask` is the target's crossing mask on ``d.los`` if computed before."""
    scale = params.scale(target)
    if target.kind in ("visits", "share"):
        c = np.asarray(d.countries)
        dest = np.ones(len(d.zones), bool)
        if target.destinations:
            dest = np.isin(np.asarray(d.zones), target.destinations)
        modes = [d.modes.index(m) for m in (target.modes or d.modes)]

        def total(purposes: Sequence[str]) -> float:
            idx = [d.purposes.index(p) for p in purposes]
            out = 0.0
            for a, b in target.pairs:
                out += float(d.visits[np.ix_(c == a, (c == b) & dest, idx, modes)].sum())
            return out

        if target.kind == "share":
            whole = total(d.purposes)
            return total(target.purposes) / whole if whole > 0 else 0.0
        return total(target.purposes or d.purposes) * scale
    if mask is None:
        mask = _crossing_mask(d.los, target)
    return 2.0 * float((d.visits.sum(axis=2) * mask).sum()) * scale


def _sigma(t: Target) -> float:
    return float(np.log1p(t.tolerance) / 2.0)


@dataclass(frozen=True, eq=False)
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    fitted
        The parameters, their standard errors and correlation, and the year.
    table
        One row per target: id, year, kind, published, model, error (model / published
        - 1), tolerance, within, fit (True: fitted; False: out of sample), source.
    success, message, nfev
        The optimiser's report.
    """

    fitted: Fitted
    table: pd.DataFrame
    success: bool
    message: str
    nfev: int

    def __repr__(self) -> str:
        fit = self.table[self.table["fit"]]
        return (
            f"<Calibration {int(fit['within'].sum())}/{len(fit)} targets within tolerance, "
            f"year {self.fitted.year}>"
        )


def fit(
    los_by_day: Mapping[dt.date, LevelOfService],
    params: TourismParams,
    targets: Sequence[Target],
    *,
    theta0: Sequence[float] = THETA0,
    year: int,
) -> tuple[Fitted, bool, str, int]:
    """Fit :data:`FITTED_NAMES` to `targets` (each priced on its day's level of service).

    Returns
    -------
    tuple
        (Fitted, success, message, function evaluations).

    Raises
    ------
    ValidationError
        If there is no target, or a target's day has no level of service.
    """
    from scipy.optimize import least_squares

    if not targets:
        raise ValidationError("no calibration targets (targets with fit: true in params.yaml)")
    for t in targets:
        if t.on not in los_by_day:
            raise ValidationError(f"target {t.id}: no level of service for {t.on}")
    published = np.asarray([t.value for t in targets])
    sigma = np.asarray([_sigma(t) for t in targets])
    masks = [  # the paths do not depend on the parameters: once per target
        _crossing_mask(los_by_day[t.on], t) if t.kind == "crossings" else None for t in targets
    ]

    def residuals(theta: FloatArray) -> FloatArray:
        cache: dict[dt.date, Demand] = {}
        out = np.empty(len(targets))
        for k, t in enumerate(targets):
            if t.on not in cache:
                cache[t.on] = demand(los_by_day[t.on], params, theta, on=t.on)
            model = max(target_value(cache[t.on], t, params, masks[k]), 1e-9)
            out[k] = np.log(model / published[k]) / sigma[k]
        return out

    x0 = np.clip(np.asarray(theta0, dtype=np.float64), _BOUNDS[0] + 1e-6, _BOUNDS[1] - 1e-6)
    res = least_squares(
        residuals,
        x0,
        bounds=_BOUNDS,
        method="trf",
        x_scale=1.0,
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
        max_nfev=2000,
    )
    jac = np.asarray(res.jac)
    cov = np.linalg.pinv(jac.T @ jac)
    std = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    blind = np.linalg.norm(jac, axis=0) < 1e-9
    std[blind] = np.inf  # no target sees the parameter: unidentified, not certain
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(std, std)
    corr = np.where(np.isfinite(corr) & ~blind[:, None] & ~blind[None, :], corr, 0.0)
    np.fill_diagonal(corr, 1.0)
    fitted = Fitted(
        year=year,
        values=dict(zip(FITTED_NAMES, (float(v) for v in res.x), strict=True)),
        std=dict(zip(FITTED_NAMES, (float(s) for s in std), strict=True)),
        correlation=tuple(tuple(float(x) for x in row) for row in corr),
        source=f"corridor tourism calibrate: {len(targets)} targets of {year} ({params.source})",
    )
    return fitted, bool(res.success), str(res.message), int(res.nfev)


def evaluate_targets(
    los_by_day: Mapping[dt.date, LevelOfService],
    params: TourismParams,
    theta: Sequence[float],
    targets: Sequence[Target],
) -> pd.DataFrame:
    """The model against each target, one row per target (see :class:`Calibration`)."""
    rows = []
    cache: dict[dt.date, Demand] = {}
    for t in targets:
        if t.on not in cache:
            cache[t.on] = demand(los_by_day[t.on], params, np.asarray(theta), on=t.on)
        model = target_value(cache[t.on], t, params)
        error = model / t.value - 1.0
        rows.append(
            {
                "id": t.id,
                "year": t.year,
                "kind": t.kind,
                "published": t.value,
                "model": model,
                "error": error,
                "tolerance": t.tolerance,
                "within": bool(abs(error) <= t.tolerance),
                "fit": t.fit,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def calibrate(
    network: Network,
    params: TourismParams,
    *,
    year: int | None = None,
    theta0: Sequence[float] = THETA0,
) -> Calibration:
    """Fit the tourism model to the targets of `params` on `network`.

    Parameters
    ----------
    network
        The base network with its dated links (the embedded one); each target is
        priced on ``network.as_of(target day)``.
    params
        Parameters with their targets.
    year
        The year whose ``fit: true`` targets are fitted (default: the latest).
    theta0
        Starting values.

    Returns
    -------
    Calibration
        Fitted parameters and the table of every target (fitted and out of sample).

    Raises
    ------
    ValidationError
        If no target of `year` is marked ``fit: true``.
    """
    to_fit_all = [t for t in params.targets if t.fit]
    if not to_fit_all:
        raise ValidationError(f"{params.source}: no target has fit: true")
    year = year or max(t.year for t in to_fit_all)
    to_fit = [t for t in to_fit_all if t.year == year]
    if not to_fit:
        raise ValidationError(f"{params.source}: no fit: true target for year {year}")
    days = sorted({t.on for t in params.targets})
    los = {}
    for day in days:
        los[day] = level_of_service(network.as_of(pd.Timestamp(day)), params)
    fitted, ok, message, nfev = fit(los, params, to_fit, theta0=theta0, year=year)
    others = [t for t in params.targets if t not in to_fit]
    table = evaluate_targets(los, params, fitted.vector(), [*to_fit, *others])
    table.loc[len(to_fit) :, "fit"] = False
    log.info("tourism calibration %d: %s (%d evaluations)", year, message, nfev)
    return Calibration(fitted=fitted, table=table, success=ok, message=message, nfev=nfev)
