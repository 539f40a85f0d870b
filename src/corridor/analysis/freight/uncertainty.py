"""Monte Carlo over the freight comparison's parameters: P10/P50/P90 of the headline impacts.

Each draw rescales, independently and uniformly within its range ([assumption] ranges: the
published figures behind them are single values without stated errors):

=====================  ===========  =====================================================
parameter              range        what it scales
=====================  ===========  =====================================================
``capacity_factor``    0.7 - 1.3    every crossing's capacity (trucks or trains a day)
``delay_factor``       0.7 - 1.3    every crossing's clearance delay
``delay_parameter``    0.25 - 1.0   Akcelik's J (0.1 regular to ~1 erratic service)
``vot_factor``         0.7 - 1.3    every class's value of time (the brief's +/-30 %)
``elasticity``         -0.6 - 0.0   the induced-demand elasticity
=====================  ===========  =====================================================

The draws are made up front from ``numpy.random.default_rng(seed)``, so a run gives the same
table whether the draws are then computed in this process or as tasks on a Dask cluster
(:func:`corridor.distributed.sweep.sweep`): pass a `runner` that maps named thunks to their
results.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from corridor.analysis.freight.appraisal import AppraisalParameters, load_appraisal_parameters
from corridor.analysis.freight.assign import assign_freight
from corridor.analysis.freight.comparison import FreightCompareOptions, compare_assignments
from corridor.analysis.freight.congestion import CrossingData, load_crossing_data
from corridor.errors import ValidationError
from corridor.model.network import Network

__all__ = [
    "HEADLINE",
    "DrawRanges",
    "draw_parameters",
    "freight_draws",
    "headline",
    "summarize_draws",
]

log = logging.getLogger(__name__)

HEADLINE = (
    "saved_vehicle_h_year",
    "saved_tonne_h_year",
    "saved_cost_usd_year",
    "saved_co2_wtw_kg_year",
    "queue_vehicle_h_year_after",
    "benefit_usd_year",
    "npv_usd",
    "bcr",
)
"""The headline impacts each draw reports (totals over all classes)."""

NetworkLike = Network | Callable[[], Network]
"""A network, or a function of no arguments that makes it (what Dask tasks carry: networks
themselves do not pickle)."""

Runner = Callable[[Mapping[str, Callable[[], dict[str, float]]]], Mapping[str, dict[str, float]]]


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawRanges:
    """Uniform ranges of the drawn parameters (see the module docstring; [assumption])."""

    capacity_factor: tuple[float, float] = (0.7, 1.3)
    delay_factor: tuple[float, float] = (0.7, 1.3)
    delay_parameter: tuple[float, float] = (0.25, 1.0)
    vot_factor: tuple[float, float] = (0.7, 1.3)
    elasticity: tuple[float, float] = (-0.6, 0.0)


def draw_parameters(n: int, seed: int, ranges: DrawRanges | None = None) -> pd.DataFrame:
    """The `n` parameter draws of a run, one row each (``draw`` 0..n-1).

    Raises
    ------
    ValidationError
        If `n` < 1.
    """
    if n < 1:
        raise ValidationError(f"draws must be >= 1, got {n}")
    r = ranges or DrawRanges()
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {"draw": np.arange(n)}
    for name in ("capacity_factor", "delay_factor", "delay_parameter", "vot_factor", "elasticity"):
        lo, hi = getattr(r, name)
        out[name] = rng.uniform(lo, hi, size=n)
    return pd.DataFrame(out)


def headline(tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """The :data:`HEADLINE` numbers of a :func:`compare_freight` result."""
    imp = tables["freight_impacts"]
    total = imp[imp["mode"] == "all"].iloc[0]
    appraisal = tables["appraisal"].set_index("item")["value"]
    out = {k: float(total[k]) for k in HEADLINE[:5]}
    out.update({k: float(appraisal[k]) for k in HEADLINE[5:]})
    return out


def _network(net: NetworkLike) -> Network:
    return net if isinstance(net, Network) else net()


def _one_draw(
    row: dict[str, float],
    base_network: NetworkLike,
    other_network: NetworkLike,
    od_before: pd.DataFrame,
    od_after: pd.DataFrame,
    base_scenario: Any,
    other_scenario: Any,
    options: FreightCompareOptions,
    data: CrossingData,
    params: AppraisalParameters,
) -> dict[str, float]:
    aopts = replace(
        options.assign,
        capacity_factor=options.assign.capacity_factor * row["capacity_factor"],
        delay_factor=options.assign.delay_factor * row["delay_factor"],
        delay_parameter=row["delay_parameter"],
        vot_factor=options.assign.vot_factor * row["vot_factor"],
    )
    other = _network(other_network)
    before = assign_freight(_network(base_network), od_before, options=aopts, data=data)
    fixed = assign_freight(other, od_before, options=aopts, data=data)
    same = od_after is od_before or od_after.equals(od_before)
    after = fixed if same else assign_freight(other, od_after, options=aopts, data=data)
    tables = compare_assignments(
        before,
        after,
        base_scenario,
        other_scenario,
        params=params,
        elasticity=row["elasticity"],
        fixed=fixed,
    )
    return headline(tables)


def freight_draws(
    base_network: NetworkLike,
    other_network: NetworkLike,
    od_before: pd.DataFrame,
    od_after: pd.DataFrame | None = None,
    base_scenario: Any = None,
    other_scenario: Any = None,
    *,
    n: int,
    seed: int = 0,
    options: FreightCompareOptions | None = None,
    ranges: DrawRanges | None = None,
    runner: Runner | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the comparison over `n` parameter draws; return the draws and their P10/P50/P90.

    Parameters
    ----------
    base_network, other_network
        The networks, or functions making them (e.g. ``functools.partial(scenario_network,
        scenario)``), which a Dask runner needs: networks do not pickle.
    od_before, od_after, base_scenario, other_scenario
        As for :func:`~corridor.analysis.freight.comparison.compare_freight` (OD tables
        required: the demand is held fixed across draws).
    n, seed
        Number of draws and the seed of their parameters.
    options, ranges
        Comparison options and the drawn ranges.
    runner
        Maps ``{name: thunk}`` to ``{name: result}``; default: run them here, in order.
        ``functools.partial(corridor.distributed.sweep.sweep, scheduler=...)`` runs them
        on Dask with identical results.

    Returns
    -------
    tuple of pandas.DataFrame
        The draws (parameters and :data:`HEADLINE` per row) and the summary (one row per
        headline: ``p10``, ``p50``, ``p90``, ``mean``).
    """
    opts = options or FreightCompareOptions()
    data = load_crossing_data(opts.assign_parameters)
    params = load_appraisal_parameters(opts.appraisal_parameters)
    table = draw_parameters(n, seed, ranges)
    after_od = od_before if od_after is None else od_after
    thunks = {
        f"draw-{int(r['draw'])}": functools.partial(
            _one_draw,
            {str(k): float(v) for k, v in r.items()},
            base_network,
            other_network,
            od_before,
            after_od,
            base_scenario,
            other_scenario,
            opts,
            data,
            params,
        )
        for r in table.to_dict(orient="records")
    }
    log.info("freight draws: %d, seed %d", n, seed)
    results = runner(thunks) if runner is not None else {k: f() for k, f in thunks.items()}
    rows = [results[f"draw-{i}"] for i in range(n)]
    draws = pd.concat([table, pd.DataFrame(rows)], axis=1)
    return draws, summarize_draws(draws)


def summarize_draws(draws: pd.DataFrame) -> pd.DataFrame:
    """P10, P50, P90 and mean of each :data:`HEADLINE` column of a draws table."""
    rows = []
    for k in HEADLINE:
        v = draws[k].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            rows.append({"impact": k, "p10": np.nan, "p50": np.nan, "p90": np.nan, "mean": np.nan})
            continue
        p10, p50, p90 = np.percentile(v, [10, 50, 90])
        rows.append({"impact": k, "p10": p10, "p50": p50, "p90": p90, "mean": float(v.mean())})
    return pd.DataFrame(rows)
