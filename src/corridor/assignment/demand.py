"""Travel demand: the gravity model balanced by doubly-constrained IPF (Furness).

Trips from zone i to zone j are ``T[i, j] = a[i] O[i] b[j] D[j] f(c[i, j])``, where O are
productions, D attractions, c the generalised cost (a skim) and f a deterrence function;
the balancing factors a and b are found by iterative proportional fitting (Furness 1965)
so that rows sum to O and columns to D. The deterrence parameter can be calibrated so that
the mean trip cost matches an observed one (Hyman 1969): the mean falls monotonically as
deterrence grows, so a bracketing root finder is used.

Deterrence functions (cost c > 0):

* exponential ``exp(-beta c)``;
* power ``c ** -alpha``;
* combined (gamma / Tanner) ``c ** -alpha exp(-beta c)``.

Power and combined functions are infinite at c = 0, so costs below `min_cost` (default:
the least positive cost) are raised to it. Unreachable pairs (``inf`` cost) get no trips.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from corridor._typing import FloatArray, IntArray
from corridor.assignment.results import ConvergenceWarning
from corridor.errors import ValidationError
from corridor.paths.skim import Skim

__all__ = [
    "Deterrence",
    "DeterrenceKind",
    "FurnessOptions",
    "TripMatrix",
    "calibrate_gravity",
    "furness",
    "gravity",
    "trip_ends_from_population",
]

log = logging.getLogger(__name__)


class DeterrenceKind(StrEnum):
    """Shape of the deterrence function."""

    EXPONENTIAL = "exponential"
    POWER = "power"
    COMBINED = "combined"


@dataclass(frozen=True, slots=True, kw_only=True)
class Deterrence:
    """A deterrence function f(c): how quickly trips fall off with cost.

    Parameters
    ----------
    kind
        exponential ``exp(-beta c)``, power ``c**-alpha`` or combined
        ``c**-alpha exp(-beta c)``.
    beta
        Exponential rate, per unit of cost (>= 0).
    alpha
        Power exponent (>= 0).
    min_cost
        Costs below it are raised to it before a power is taken (None: the least positive
        finite cost of the matrix).

    Raises
    ------
    ValidationError
        If a parameter is negative or not finite.
    """

    kind: DeterrenceKind = DeterrenceKind.EXPONENTIAL
    beta: float = 0.1
    alpha: float = 1.0
    min_cost: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DeterrenceKind(self.kind))
        bad = [
            f"{name}={value!r}"
            for name, value in (("beta", self.beta), ("alpha", self.alpha))
            if not (math.isfinite(value) and value >= 0)
        ]
        if self.min_cost is not None and not (self.min_cost > 0 and math.isfinite(self.min_cost)):
            bad.append(f"min_cost={self.min_cost!r}")
        if bad:
            raise ValidationError(
                f"deterrence parameters must be finite and >= 0 (min_cost > 0): {', '.join(bad)}"
            )

    @property
    def parameter(self) -> str:
        """The parameter that calibration adjusts: alpha for power, else beta."""
        return "alpha" if self.kind is DeterrenceKind.POWER else "beta"

    def __call__(self, cost: ArrayLike) -> FloatArray:
        """f(cost), 0 where cost is inf."""
        return np.exp(self.log(cost))

    def log(self, cost: ArrayLike) -> FloatArray:
        """log f(cost), -inf where cost is inf (no underflow for steep functions)."""
        c = np.asarray(cost, dtype=np.float64)
        finite = np.isfinite(c)
        out = np.full(c.shape, -np.inf)
        cf = c[finite]
        if self.kind is DeterrenceKind.EXPONENTIAL:
            out[finite] = -self.beta * cf
            return out
        floor = self.min_cost
        if floor is None:
            pos = cf[cf > 0]
            floor = float(pos.min()) if pos.size else 1.0
        cf = np.maximum(cf, floor)
        val = -self.alpha * np.log(cf)
        if self.kind is DeterrenceKind.COMBINED:
            val = val - self.beta * cf
        out[finite] = val
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class FurnessOptions:
    """Options of the IPF (Furness) balancing.

    Parameters
    ----------
    tol
        Stop when every row and column total is within this relative error of its target.
    max_iter
        Most iterations (one row and one column pass each).
    """

    tol: float = 1e-9
    max_iter: int = 1000

    def __post_init__(self) -> None:
        if not (0 < self.tol < 1) or self.max_iter < 1:
            raise ValidationError(
                f"need 0 < tol < 1 and max_iter >= 1, got tol={self.tol}, max_iter={self.max_iter}"
            )


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class TripMatrix:
    """A balanced origin-destination trip matrix and how it was made.

    Attributes
    ----------
    trips
        float64[n_orig, n_dest], trips per period.
    origins, destinations
        Zone ids in row and column order.
    productions, attractions
        The targets the rows and columns were balanced to (attractions rescaled to the
        productions' total when the two differed).
    deterrence
        The deterrence function used (None for plain IPF of a seed matrix).
    converged
        True if every marginal is within `tol`.
    convergence
        Table of ``iteration`` and ``max_rel_error`` (largest relative marginal error).
    mean_cost
        Trip-weighted mean cost (NaN without a cost matrix).
    """

    trips: FloatArray
    origins: IntArray
    destinations: IntArray
    productions: FloatArray
    attractions: FloatArray
    deterrence: Deterrence | None
    converged: bool
    convergence: pd.DataFrame = field(compare=False)
    mean_cost: float = math.nan

    def __post_init__(self) -> None:
        self.trips.flags.writeable = False

    def __repr__(self) -> str:
        n_o, n_d = self.trips.shape
        state = "converged" if self.converged else "NOT converged"
        return (
            f"<TripMatrix {n_o}x{n_d}: {self.trips.sum():,.1f} trips, mean cost "
            f"{self.mean_cost:.4g}, {state} in {len(self.convergence)} iterations>"
        )

    @property
    def iterations(self) -> int:
        """Number of IPF iterations run."""
        return len(self.convergence)

    def to_frame(self) -> pd.DataFrame:
        """A long table ``origin, destination, trips`` of the non-zero cells."""
        i, j = np.nonzero(self.trips)
        return pd.DataFrame(
            {
                "origin": np.asarray(self.origins, np.int64)[i],
                "destination": np.asarray(self.destinations, np.int64)[j],
                "trips": self.trips[i, j],
            }
        )


def _vector(name: str, values: ArrayLike, size: int, what: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size != size:
        raise ValidationError(f"{name} has shape {arr.shape}; need ({size},), one per {what}")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        idx = np.flatnonzero(bad)[:5].tolist()
        raise ValidationError(
            f"{name} must be finite and >= 0 (negative demand is not allowed); "
            f"bad at positions {idx}: {arr[idx].tolist()}"
        )
    return arr


def furness(
    seed: ArrayLike,
    row_totals: ArrayLike,
    col_totals: ArrayLike,
    *,
    options: FurnessOptions | None = None,
) -> tuple[FloatArray, bool, pd.DataFrame]:
    """Scale `seed` so its rows sum to `row_totals` and its columns to `col_totals` (IPF).

    Parameters
    ----------
    seed
        Non-negative seed matrix (e.g. O D f(c), or an old trip matrix).
    row_totals, col_totals
        Target totals; if their sums differ, `col_totals` is rescaled to `row_totals`' sum.
    options
        Tolerance and iteration limit.

    Returns
    -------
    tuple
        (balanced matrix, converged, table of iteration and max_rel_error).

    Raises
    ------
    ValidationError
        If shapes disagree, a value is negative or NaN, or a row (column) with a positive
        target has no positive seed cell, so it can never be met.

    Warns
    -----
    ConvergenceWarning
        If `max_iter` is reached before `tol`.
    """
    opts = options or FurnessOptions()
    s = np.asarray(seed, dtype=np.float64)
    if s.ndim != 2:
        raise ValidationError(f"seed matrix must be 2-D, got shape {s.shape}")
    n_o, n_d = s.shape
    r = _vector("row totals (productions)", row_totals, n_o, "matrix row")
    c = _vector("column totals (attractions)", col_totals, n_d, "matrix column")
    if not np.isfinite(s).all() or (s < 0).any():
        raise ValidationError("seed matrix must be finite and >= 0 (negative demand?)")
    if r.sum() > 0 and not math.isclose(r.sum(), c.sum(), rel_tol=1e-12):
        log.info("attractions total %.6g rescaled to productions total %.6g", c.sum(), r.sum())
        c = c * (r.sum() / c.sum()) if c.sum() > 0 else c
    dead_r = (r > 0) & (s.sum(axis=1) <= 0)
    dead_c = (c > 0) & (s.sum(axis=0) <= 0)
    if dead_r.any() or dead_c.any():
        rows_bad = np.flatnonzero(dead_r)[:5].tolist()
        cols_bad = np.flatnonzero(dead_c)[:5].tolist()
        raise ValidationError(
            f"IPF cannot meet the totals: rows {rows_bad} and columns {cols_bad} have positive "
            "targets but no reachable cell (check costs and connectivity)"
        )
    a = np.ones(n_o)
    b = np.ones(n_d)
    rows: list[tuple[int, float]] = []
    converged = False
    with np.errstate(divide="ignore", invalid="ignore"):
        for it in range(1, opts.max_iter + 1):
            rs = s @ b
            a = np.where(rs > 0, r / rs, 0.0)
            cs = a @ s
            b = np.where(cs > 0, c / cs, 0.0)
            # columns are now exact; measure the rows
            rs = (s @ b) * a
            err_r = np.abs(rs - r) / np.maximum(r, 1e-300)
            err_r = np.where(r > 0, err_r, np.abs(rs))
            err = float(err_r.max()) if err_r.size else 0.0
            rows.append((it, err))
            if err <= opts.tol:
                converged = True
                break
    trips = a[:, None] * s * b[None, :]
    table = pd.DataFrame(rows, columns=["iteration", "max_rel_error"])
    if not converged:
        warnings.warn(
            f"IPF stopped after {opts.max_iter} iterations with marginal error {rows[-1][1]:.3g} "
            f"> tol {opts.tol:g}; the totals may be infeasible for this seed (zeros in the way)",
            ConvergenceWarning,
            stacklevel=2,
        )
    return trips, converged, table


def _cost_matrix(cost: Skim | ArrayLike) -> tuple[FloatArray, IntArray, IntArray]:
    if isinstance(cost, Skim):
        return np.asarray(cost.values), np.asarray(cost.origins), np.asarray(cost.destinations)
    c = np.asarray(cost, dtype=np.float64)
    if c.ndim != 2:
        raise ValidationError(f"cost matrix must be 2-D, got shape {c.shape}")
    return c, np.arange(1, c.shape[0] + 1), np.arange(1, c.shape[1] + 1)


def gravity(
    cost: Skim | ArrayLike,
    productions: ArrayLike,
    attractions: ArrayLike | None = None,
    *,
    deterrence: Deterrence | None = None,
    options: FurnessOptions | None = None,
) -> TripMatrix:
    """Doubly-constrained gravity model.

    Parameters
    ----------
    cost
        A :class:`Skim` (its zones label the result) or a cost matrix; ``inf`` = no path.
    productions
        Trips produced by each origin (rows).
    attractions
        Trips attracted by each destination (columns); default: `productions` (a square
        matrix). Rescaled to the productions' total if the totals differ.
    deterrence
        Deterrence function; default exponential with beta = 0.1 per unit of cost.
    options
        IPF tolerance and iteration limit.

    Returns
    -------
    TripMatrix
        Balanced trips with the convergence report.

    Raises
    ------
    ValidationError
        If vector lengths do not match the matrix, values are negative or NaN, costs are
        negative or NaN, or a zone with trips can reach no zone.

    Examples
    --------
    >>> import numpy as np
    >>> tm = gravity(np.array([[1.0, 2.0], [2.0, 1.0]]), [10, 20], [15, 15])
    >>> tm.trips.sum(axis=1).round(6).tolist(), tm.trips.sum(axis=0).round(6).tolist()
    ([10.0, 20.0], [15.0, 15.0])
    """
    c, origins, dests = _cost_matrix(cost)
    if np.isnan(c).any() or (c < 0).any():
        raise ValidationError("cost matrix has NaN or negative entries; costs must be >= 0")
    prod = _vector("productions", productions, c.shape[0], "origin (matrix row)")
    attr = (
        prod
        if attractions is None
        else _vector("attractions", attractions, c.shape[1], "destination (matrix column)")
    )
    if attractions is None and c.shape[0] != c.shape[1]:
        raise ValidationError(f"cost matrix is {c.shape}; give attractions for a non-square one")
    det = deterrence or Deterrence()
    logf = det.log(c)
    # each row's scale is absorbed by its balancing factor: shift rows so that their
    # largest entry is 1, which keeps steep functions from underflowing
    top = logf.max(axis=1, initial=-np.inf, keepdims=True)
    f = np.exp(logf - np.where(np.isfinite(top), top, 0.0))
    trips, converged, table = furness(f, prod, attr, options=options)
    total = trips.sum()
    finite = np.isfinite(c)
    mean = float((trips[finite] * c[finite]).sum() / total) if total > 0 else math.nan
    result = TripMatrix(
        trips=trips,
        origins=origins,
        destinations=dests,
        productions=prod,
        attractions=attr * (prod.sum() / attr.sum()) if attr.sum() > 0 else attr,
        deterrence=det,
        converged=converged,
        convergence=table,
        mean_cost=mean,
    )
    log.info("gravity %s: %r", det.kind.value, result)
    return result


def calibrate_gravity(
    cost: Skim | ArrayLike,
    productions: ArrayLike,
    attractions: ArrayLike | None = None,
    *,
    target_mean_cost: float,
    deterrence: Deterrence | None = None,
    options: FurnessOptions | None = None,
    bounds: tuple[float, float] | None = None,
    rel_tol: float = 1e-6,
) -> TripMatrix:
    """Gravity model whose deterrence parameter reproduces a target mean trip cost.

    Adjusts beta (exponential, combined) or alpha (power) of `deterrence`; the mean trip
    cost falls monotonically as it grows, so Brent's method on `bounds` finds it.

    Parameters
    ----------
    cost, productions, attractions, options
        As for :func:`gravity`.
    target_mean_cost
        Observed mean trip cost, in the cost matrix's unit.
    deterrence
        Function whose parameter is calibrated (its value is the starting point only).
    bounds
        Search interval of the parameter; default (1e-4, 20) for alpha and that divided by
        the mean finite positive cost for beta.
    rel_tol
        Relative tolerance on the mean cost.

    Returns
    -------
    TripMatrix
        With the calibrated :class:`Deterrence` in ``.deterrence``.

    Raises
    ------
    ValidationError
        If the target is outside the mean costs reachable within `bounds`.
    """
    from scipy.optimize import brentq

    det0 = deterrence or Deterrence()
    name = det0.parameter
    quiet = options or FurnessOptions()

    def model(x: float) -> TripMatrix:
        det = replace(det0, alpha=x) if name == "alpha" else replace(det0, beta=x)
        return gravity(cost, productions, attractions, deterrence=det, options=quiet)

    def gap(x: float) -> float:
        # trial points may be too steep for IPF to converge: only the final run may warn
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return model(x).mean_cost - target_mean_cost

    if bounds is None:
        c, _, _ = _cost_matrix(cost)
        pos = c[np.isfinite(c) & (c > 0)]
        scale = 1.0 if name == "alpha" or not pos.size else float(pos.mean())
        bounds = (1e-4 / scale, 20.0 / scale)
    lo, hi = bounds
    g_lo, g_hi = gap(lo), gap(hi)
    if not (g_lo >= 0 >= g_hi):
        raise ValidationError(
            f"target mean cost {target_mean_cost:g} is outside what {name} in [{lo:g}, {hi:g}] "
            f"gives ({g_hi + target_mean_cost:.6g} .. {g_lo + target_mean_cost:.6g}); "
            "widen bounds or check the target's unit"
        )
    x: Any = brentq(gap, lo, hi, rtol=1e-12, xtol=1e-14, maxiter=200)
    result = model(float(x))
    if not math.isclose(result.mean_cost, target_mean_cost, rel_tol=rel_tol, abs_tol=1e-12):
        warnings.warn(
            f"calibration stopped at mean cost {result.mean_cost:.6g} "
            f"(target {target_mean_cost:.6g})",
            ConvergenceWarning,
            stacklevel=2,
        )
    log.info("calibrated %s=%.6g for mean cost %.6g", name, float(x), target_mean_cost)
    return result


def trip_ends_from_population(
    population: ArrayLike, *, trips_per_person: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Productions and attractions proportional to population (trips per period).

    Raises
    ------
    ValidationError
        If a population is negative or NaN, or `trips_per_person` is negative.
    """
    pop = np.asarray(population, dtype=np.float64).ravel()
    pop = _vector("population", pop, pop.size, "zone")
    if not (trips_per_person >= 0 and math.isfinite(trips_per_person)):
        raise ValidationError(f"trips_per_person must be >= 0, got {trips_per_person}")
    ends = pop * trips_per_person
    return ends, ends.copy()
