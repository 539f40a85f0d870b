"""Reliability of a route: crossing delays drawn from their percentiles, Monte Carlo arrival.

Each border-crossing stop's delay is drawn from the distribution whose quantile function
is piecewise linear through the network's ``delay_p10_h``, ``delay_p50_h`` and
``delay_p90_h`` (:func:`sample_quantiles`; the outer tenths continue the neighbouring
slope, floored at 0 h; missing percentiles collapse to the median: a fixed delay), so the
draws reproduce the published P10/P50/P90. The route's whole timeline (drivers' breaks
and rests, which a long wait can reset, and opening hours when a departure is given) is
rerun for every draw in a numba kernel; draws are vectorised numpy from a seeded
generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.budget import check_memory
from corridor.errors import ValidationError
from corridor.paths.types import Route

__all__ = ["Reliability", "reliability", "sample_quantiles", "sample_triangular"]


@dataclass(frozen=True, slots=True)
class Reliability:
    """Door-to-door time quantiles of a route under random crossing delays.

    Attributes
    ----------
    n, seed
        Draws and the generator seed.
    mean_h, p50_h, p90_h, min_h, max_h
        Door-to-door time, h.
    p50_arrive, p90_arrive
        Arrival times (ISO) when the route has a departure time.
    """

    n: int
    seed: int
    mean_h: float
    p50_h: float
    p90_h: float
    min_h: float
    max_h: float
    p50_arrive: str | None = None
    p90_arrive: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out: dict[str, Any] = {"n": self.n, "seed": self.seed}
        for name in ("mean_h", "p50_h", "p90_h", "min_h", "max_h"):
            out[name] = round(float(getattr(self, name)), 4)
        out["p50_arrive"] = self.p50_arrive
        out["p90_arrive"] = self.p90_arrive
        return out


def sample_triangular(triangle: FloatArray, n: int, rng: np.random.Generator) -> FloatArray:
    """Draw `n` rows from independent triangular distributions (inverse CDF, vectorised).

    Parameters
    ----------
    triangle
        float64[K, 3]: min, mode, max of each distribution (min <= mode <= max).
    n
        Rows to draw.
    rng
        The generator.

    Returns
    -------
    float64[n, K]
    """
    a, c, b = (triangle[:, i][None, :] for i in range(3))
    u = rng.random((n, triangle.shape[0]))
    width = b - a
    safe = np.where(width > 0, width, 1.0)
    f_c = (c - a) / safe
    low = a + np.sqrt(u * safe * (c - a))
    high = b - np.sqrt((1.0 - u) * safe * (b - c))
    x = np.where(u < f_c, low, high)
    return np.asarray(np.where(width > 0, x, c), dtype=np.float64)


def sample_quantiles(pcts: FloatArray, n: int, rng: np.random.Generator) -> FloatArray:
    """Draw `n` rows from independent distributions given by their P10, P50 and P90.

    Parameters
    ----------
    pcts
        float64[K, 3]: P10, P50, P90 of each distribution (P10 <= P50 <= P90).
    n
        Rows to draw.
    rng
        The generator.

    Returns
    -------
    float64[n, K]

    Notes
    -----
    Inverse-CDF sampling from the quantile function Q that is linear between
    (0.1, P10), (0.5, P50) and (0.9, P90) and continues the same slopes on [0, 0.1] and
    [0.9, 1], floored at 0: Q(0) = max(0, P10 - (P50 - P10) / 4) and
    Q(1) = P90 + (P90 - P50) / 4. Its 10th, 50th and 90th percentiles are exactly the
    given ones (the floor only moves values below P10). A row with P10 = P50 = P90 is a
    fixed delay.
    """
    p10, p50, p90 = (pcts[:, i][None, :] for i in range(3))
    u = rng.random((n, pcts.shape[0]))
    low_slope = (p50 - p10) / 0.4
    high_slope = (p90 - p50) / 0.4
    x = np.where(
        u < 0.5,
        p50 - (0.5 - u) * low_slope,
        p50 + (u - 0.5) * high_slope,
    )
    return np.asarray(np.maximum(x, 0.0), dtype=np.float64)


def reliability(route: Route, *, n: int = 10_000, seed: int = 0) -> Reliability:
    """P50 and P90 door-to-door time (and arrival) of a route by Monte Carlo.

    Parameters
    ----------
    route
        A route found with a profile (it carries its timeline).
    n
        Number of draws.
    seed
        Seed of ``numpy.random.default_rng``; the same seed gives the same answer.

    Returns
    -------
    Reliability

    Raises
    ------
    ValidationError
        If the route has no profile, or n < 1.

    Examples
    --------
    >>> import corridor
    >>> r = corridor.route(corridor.examples.toy(), "A", "D", profile="truck40")
    >>> round(reliability(r, n=100).p90_h, 2) == round(r.time_h, 2)  # fixed delays
    True
    """
    if route.timeline is None:
        raise ValidationError("reliability needs a route found with a profile")
    if n < 1:
        raise ValidationError(f"n (--draws) must be >= 1, got {n}")
    if not 0 <= seed < 2**64:
        raise ValidationError(f"seed (--seed) must be an integer in 0..2**64-1, got {seed}")
    from corridor.kernels.timeline import simulate

    tl = route.timeline
    # ends, nights and the simulator's scratch per step, plus the sampled delays per crossing
    check_memory(
        8.0 * n * (3 * tl.kind.size + tl.triangle.shape[0] + 2),
        what=f"{n} Monte Carlo draws",
        option="n (--draws)",
    )
    rng = np.random.default_rng(seed)
    k = tl.triangle.shape[0]
    samples = sample_quantiles(tl.triangle, n, rng) if k else np.zeros((n, 1))
    ends = np.zeros((n, tl.kind.size))
    nights = np.zeros((n, tl.kind.size))
    _, overnight, _ = simulate(
        tl.kind,
        tl.dur_h,
        tl.crossing,
        tl.open_from_h,
        tl.open_to_h,
        np.ascontiguousarray(samples),
        tl.t0_h,
        tl.rules,
        tl.use_rules,
        ends,
        nights,
    )
    total = ends[:, -1] if tl.kind.size else np.zeros(n)
    door_p50, door_p90 = (float(x) for x in np.quantile(total, [0.5, 0.9]))
    if route.excludes_overnight:  # the route's own definition of time_h
        total = total - overnight
    p50, p90 = (float(x) for x in np.quantile(total, [0.5, 0.9]))

    def at(hours: float) -> str | None:
        if tl.depart is None:
            return None
        return (tl.depart + pd.Timedelta(hours=hours)).round("s").isoformat()

    return Reliability(
        n=n,
        seed=seed,
        mean_h=float(total.mean()),
        p50_h=p50,
        p90_h=p90,
        min_h=float(total.min()),
        max_h=float(total.max()),
        p50_arrive=at(door_p50),
        p90_arrive=at(door_p90),
    )
