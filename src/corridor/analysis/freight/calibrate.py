"""FreightCalibration of the mode-choice constants to observed volumes, and the out-of-sample check.

The free parameters (by default the four constants of :data:`DEFAULT_FREE`; ``beta`` may
be freed too) minimise, by :func:`scipy.optimize.least_squares` (trust-region reflective),

    sum_k ln(model_k / observed_k)^2 + ridge x sum_j (x_j - prior_j)^2

over the ``role: fit`` targets of ``data/targets.yaml`` (log errors weigh a 10 % miss the
same on 2 Mt and on 40 Mt; the small ridge keeps a constant the targets do not pin down
at its prior, :data:`PRIOR`). Every target's model value is a fixed linear sum of the modal tonnes
(:func:`~.targets.target_weights`), so each iteration is one vectorised nested logit.
``role: check`` targets (per-crossing throughput, transit through Kazakhstan) are never
fitted: they are reported as the out-of-sample validation. Lane totals are inputs of the
demand and are matched by construction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from corridor.analysis.freight.mode_choice import ASC_KEYS, FreightParams, _asc_key_ok
from corridor.analysis.freight.model import FreightModel
from corridor.analysis.freight.targets import Target, target_base, target_value, target_weights
from corridor.errors import ValidationError

__all__ = ["DEFAULT_FREE", "FreightCalibration", "calibrate", "fit_table", "params_yaml"]

log = logging.getLogger(__name__)

DEFAULT_FREE: tuple[str, ...] = (
    "road:container",
    "rail_container:container",
    "road:bulk",
    "rail_wagon:bulk",
    "rail_wagon:coal",
    "rail_container@EU",
    "road@EU",
)
"""The parameters fitted by default: the constants. ``beta`` stays at its assumed 3.0 (a
cost elasticity of a mode's share of ``-3 (1 - P)``); freed, it runs to ~8 (near
all-or-nothing choice), because with one rail-container constant the China-Europe and
China-Russia rail shares can only be told apart by cost. ``rail_container@EU`` and ``road@EU``
let EU trade take land routes through Russia and Belarus less readily than Russia's own
trade does [assumption behind the constants: the sanctions since 2022, among them the EU's
ban on Russian and Belarusian road hauliers, and the insurance risk of transit]."""

PRIOR: dict[str, float] = {"beta": 3.0}
"""The ridge's prior: ``beta`` 3.0 [assumption, as the shipped starting value], every
constant 0 (no preference beyond generalised cost), so that a fit does not depend on the
values it starts from."""


@dataclass(frozen=True, eq=False)
class FreightCalibration:
    """A fit and its report.

    Attributes
    ----------
    params
        The fitted parameters.
    table
        One row per target: ``id``, ``role`` (fit | check), ``kind``, ``observed``,
        ``model``, ``error_pct``, ``tolerance_pct``, ``within``, ``source``.
    converged
        Whether the optimiser stopped on a tolerance (not on the evaluation limit).
    n_evaluations
        Function evaluations used.
    free
        The names of the fitted parameters.
    saved_to
        Where the fitted parameters were written ("" if not).
    """

    params: FreightParams
    table: pd.DataFrame
    converged: bool
    n_evaluations: int
    free: tuple[str, ...]
    saved_to: str = ""

    def __repr__(self) -> str:
        fit = self.table[self.table["role"] == "fit"]
        ok = int(fit["within"].sum())
        return f"<FreightCalibration {ok}/{len(fit)} fit targets within tolerance>"

    @property
    def fit_ok(self) -> bool:
        """Whether every fitted target is within its tolerance."""
        fit = self.table[self.table["role"] == "fit"]
        return bool(fit["within"].all())

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: parameters, convergence and the table."""
        return {
            "params": {
                "year": self.params.year,
                "beta": self.params.beta,
                "lambda_land": self.params.lambda_land,
                "asc": self.params.asc,
                "cv": self.params.cv,
            },
            "free": list(self.free),
            "converged": self.converged,
            "n_evaluations": self.n_evaluations,
            "fit_ok": self.fit_ok,
            "saved_to": self.saved_to or None,
            "targets": [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in self.table.to_dict(orient="records")
            ],
        }


def _values(params: FreightParams, free: Sequence[str]) -> np.ndarray:
    return np.array([params.beta if k == "beta" else params.asc.get(k, 0.0) for k in free])


def fit_table(
    model: FreightModel,
    params: FreightParams,
    targets: Sequence[Target],
    weights: Sequence[np.ndarray] | None = None,
) -> pd.DataFrame:
    """Observed against modelled for every target under `params` (as in the calibration)."""
    ws = list(weights) if weights is not None else [target_weights(model, t) for t in targets]
    tonnes = model.tonnes(params)
    rows = []
    for t, w in zip(targets, ws, strict=True):
        value = target_value(w, tonnes, target_base(model, t))
        err = value / t.value - 1.0
        rows.append(
            {
                "id": t.id,
                "role": t.role,
                "kind": t.kind,
                "observed": t.value,
                "model": value,
                "error_pct": 100.0 * err,
                "tolerance_pct": 100.0 * t.tolerance,
                "within": bool(abs(err) <= t.tolerance),
                "year": t.year,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def calibrate(
    model: FreightModel,
    params: FreightParams,
    targets: Sequence[Target],
    *,
    free: Sequence[str] = DEFAULT_FREE,
    ridge: float = 1e-4,
    max_nfev: int = 200,
) -> FreightCalibration:
    """Fit `free` parameters to the ``fit`` targets (see the module docstring).

    Parameters
    ----------
    model
        The priced demand.
    params
        Starting values and the fixed parameters.
    targets
        Targets with ``role`` fit or check.
    free
        Parameter names: ASC keys (:data:`~.mode_choice.ASC_KEYS`) and/or ``"beta"``.
    ridge
        Weight of the pull towards the starting values (>= 0).
    max_nfev
        Evaluation limit.

    Returns
    -------
    FreightCalibration

    Raises
    ------
    ValidationError
        If a free name is unknown, there is no fit target, or a fit target's flows are
        all unavailable (its model value is 0 whatever the parameters).
    """
    bad = [k for k in free if k != "beta" and not _asc_key_ok(k)]
    if bad or not free:
        raise ValidationError(f"unknown or no free parameters {bad}; use {[*ASC_KEYS, 'beta']}")
    fit = [t for t in targets if t.role == "fit"]
    if not fit:
        raise ValidationError("no target with role 'fit' to calibrate to")
    weights = {t.id: target_weights(model, t) for t in targets}
    demand = model.demand["tonnes_year"].to_numpy(np.float64)[:, None]
    empty = [t.id for t in fit if not np.any(weights[t.id] * demand > 0)]
    if empty:
        raise ValidationError(f"fit targets {empty} select no demand; check their groups")
    observed = np.array([t.value for t in fit])
    wstack = np.stack([weights[t.id] for t in fit])
    bases = [target_base(model, t) for t in fit]
    is_ratio = np.array([b is not None for b in bases])
    bstack = np.stack([b if b is not None else np.zeros_like(weights[fit[0].id]) for b in bases])
    x0 = _values(params, free)
    prior = np.array([PRIOR.get(k, 0.0) for k in free])
    lower = np.array([1e-3 if k == "beta" else -15.0 for k in free])
    upper = np.array([20.0 if k == "beta" else 15.0 for k in free])

    def residuals(x: np.ndarray) -> np.ndarray:
        p = params.with_values(dict(zip(free, x.tolist(), strict=True)))
        tonnes = model.tonnes(p)
        value = np.einsum("krm,rm->k", wstack, tonnes)
        total = np.einsum("krm,rm->k", bstack, tonnes)
        value = np.where(is_ratio, value / np.where(total > 0, total, 1.0), value)
        r = np.log(np.maximum(value, 1e-9) / observed)
        return np.concatenate([r, np.sqrt(ridge) * (x - prior)])

    sol = least_squares(
        residuals,
        np.clip(x0, lower + 1e-9, upper - 1e-9),
        bounds=(lower, upper),
        method="trf",
        x_scale=1.0,
        max_nfev=max_nfev,
        xtol=1e-10,
        ftol=1e-12,
        gtol=1e-10,
    )
    fitted = params.with_values(dict(zip(free, sol.x.tolist(), strict=True)))
    table = fit_table(model, fitted, targets, [weights[t.id] for t in targets])
    log.info("freight calibration: %d evaluations, cost %.3g", sol.nfev, sol.cost)
    return FreightCalibration(
        params=fitted,
        table=table,
        converged=bool(sol.status > 0),
        n_evaluations=int(sol.nfev),
        free=tuple(free),
    )


def _shown(value: float, kind: str) -> str:
    return f"{value:.1%}" if kind.endswith("_share") else f"{value:,.0f}"


def params_yaml(cal: FreightCalibration, *, year: int) -> str:
    """The fitted parameters as the text of a ``params.yaml`` (with the fit in comments)."""
    p = cal.params
    lines = [
        "# Mode-choice parameters (corridor.analysis.freight.mode_choice), written by",
        f"# `corridor freight calibrate --save`: constants fitted to the {year} targets of",
        "# targets.yaml; the rest as before.",
        "# fit (observed -> model, error %):",
    ]
    for r in cal.table.to_dict(orient="records"):
        lines.append(
            f"#   {r['id']} [{r['role']}, {r['year']}]: {_shown(r['observed'], r['kind'])} -> "
            f"{_shown(r['model'], r['kind'])}"
            f" ({r['error_pct']:+.1f} %)"
        )
    lines += [
        f"year: {year}",
        f"beta: {p.beta:.6g}",
        f"lambda_land: {p.lambda_land:.6g}",
        "cv: {" + ", ".join(f"{k}: {v:.6g}" for k, v in p.cv.items()) + "}",
        "asc:",
        *[f"  {k}: {p.asc.get(k, 0.0):.6g}" for k in dict.fromkeys([*ASC_KEYS, *p.asc])],
        "source: >-",
        f"  {', '.join(cal.free)} fitted by least squares on log errors to the {year} targets",
        "  of targets.yaml (corridor freight calibrate --save);"
        + (
            ""
            if "beta" in cal.free
            else f" beta {p.beta:g} [assumption: freight mode-choice"
            " cost elasticities of about -1 to -3];"
        )
        + " lambda_land, cv and the constants not fitted are [assumption] (DATA.md, freight)",
    ]
    return "\n".join(lines) + "\n"


def write_params(cal: FreightCalibration, path: str | Path, *, year: int) -> Path:
    """Write :func:`params_yaml` to `path` atomically; returns the path."""
    from corridor.atomic import write_text_atomic

    return write_text_atomic(path, params_yaml(cal, year=year), force=True)
