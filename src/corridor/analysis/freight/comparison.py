"""Two scenarios' freight side by side: assignment, impacts and appraisal in one call.

:func:`compare_freight` takes the two networks and (optionally) their scenarios, gets each
one's freight OD table from the freight demand model (``freight_flows(network, scenario)``
of :mod:`corridor.analysis.freight`) unless the tables are given, assigns both
(:func:`~corridor.analysis.freight.assign.assign_freight`), and returns the impact tables
(:func:`~corridor.analysis.freight.impacts.freight_impacts`) with the appraisal
(:mod:`~corridor.analysis.freight.appraisal`).

**Two demands.** Each scenario's own demand (the freight model's mode choice on its
network) gives the impact tables: mode shift, crossing loads, hours, costs and CO2 as the
model predicts them. The appraisal compares the base demand assigned on both networks
(``*_fixed_demand`` tables), plus the induced demand of the elasticity: the freight model's
mode choice sees uncongested costs, so its shift between modes is not in equilibrium with
the crossing queues the assignment finds, and valuing it by the rule of a half would count
that inconsistency as a benefit or a loss.

**Investment.** Each bundled scenario's ``appraisal.investment_cost_usd`` is what it has cost
since the series' baseline (``m12-before`` counts 0), so the investment appraised for
``A -> B`` is B's minus A's (a scenario without the block counts 0).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.analysis.freight.appraisal import (
    AppraisalParameters,
    appraise,
    benefits,
    load_appraisal_parameters,
    sensitivity,
)
from corridor.analysis.freight.assign import (
    FreightAssignment,
    FreightAssignOptions,
    assign_freight,
    check_od,
)
from corridor.analysis.freight.congestion import CrossingData, load_crossing_data
from corridor.analysis.freight.impacts import freight_impacts
from corridor.atomic import atomic_dir
from corridor.errors import DataSourceError, ValidationError
from corridor.model.network import Network

__all__ = [
    "FreightCompareOptions",
    "compare_freight",
    "freight_demand",
    "freight_model_available",
    "read_od",
    "write_tables",
]

log = logging.getLogger(__name__)

KEYS = (
    "freight_by_commodity_mode",
    "freight_crossings",
    "freight_impacts",
    "appraisal",
    "appraisal_sensitivity",
)
"""The tables :func:`compare_freight` always returns (more follow them)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FreightCompareOptions:
    """Options of :func:`compare_freight`.

    Attributes
    ----------
    assign
        The assignment's options (profiles, multipliers, stopping rule).
    year
        Year of the freight demand.
    appraisal_parameters, assign_parameters
        Parameter files (default: the bundled ``appraisal.yaml`` and ``assign.yaml``).
    elasticity
        Induced-demand elasticity; None takes the appraisal file's.
    """

    assign: FreightAssignOptions = field(default_factory=FreightAssignOptions)
    year: int = 2024
    appraisal_parameters: str | None = None
    assign_parameters: str | None = None
    elasticity: float | None = None


def _flows_function() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("corridor.analysis.freight")
    except ImportError:
        return None
    fn = getattr(module, "freight_flows", None)
    return fn if callable(fn) else None


def freight_model_available(*networks: Network) -> bool:
    """Whether the freight demand model (``freight_flows``) is in this build and can run on
    every one of `networks` (their cities include every freight zone's and port's city)."""
    if _flows_function() is None:
        return False
    from corridor.analysis.freight.zones import load_zones, zone_nodes
    from corridor.errors import UnknownNodeError

    zones = load_zones()
    try:
        for network in networks:
            zone_nodes(network, zones.zones + zones.ports)
    except UnknownNodeError:
        return False
    return True


def freight_demand(network: Network, scenario: Any = None, *, year: int = 2024) -> pd.DataFrame:
    """The freight model's OD table on a scenario's network (``freight_flows(...).od``).

    `network` is the scenario's network already (its edits applied): the scenario only
    scales the demand (``scale_demand``). Applying its edits again would apply them twice
    (a delay factor squared, links closed by an edit no longer there to select).

    Raises
    ------
    ValidationError
        If the freight demand model is not available; pass OD tables instead.
    """
    fn = _flows_function()
    if fn is None:
        raise ValidationError(
            "the freight demand model (corridor.analysis.freight.freight_flows) is not in this "
            "build; pass OD tables with the columns of corridor.analysis.freight.assign.OD_COLUMNS"
        )
    od = pd.DataFrame(fn(network, scenario=None, year=year).od)
    factor = float(getattr(scenario, "demand_factor", 1.0))
    if factor != 1.0:  # demand scales linearly: the mode shares do not depend on volume
        volumes = [c for c in ("tonnes_year", "teu_year", "vehicles_year") if c in od]
        od[volumes] = od[volumes] * factor
    return od


def _investment(base_scenario: Any, other_scenario: Any) -> tuple[float, str]:
    def cost(sc: Any) -> tuple[float, str]:
        block = getattr(sc, "appraisal", None)
        if block is None:
            return 0.0, ""
        return float(block.investment_cost_usd), str(block.source)

    b, b_src = cost(base_scenario)
    a, a_src = cost(other_scenario)
    source = " minus ".join(s for s in (a_src, b_src) if s) or "no appraisal block: no investment"
    return a - b, source


def _appraisal_table(
    result: dict[str, float], params: AppraisalParameters, source: str
) -> pd.DataFrame:
    units = {
        "time_usd": "US$/year",
        "operating_usd": "US$/year",
        "user_usd": "US$/year",
        "revenue_usd": "US$/year",
        "co2_usd": "US$/year",
        "benefit_usd_year": "US$/year",
        "investment_usd": "US$",
        "operating_cost_usd_year": "US$/year",
        "pv_benefits_usd": "US$",
        "pv_costs_usd": "US$",
        "npv_usd": "US$",
        "bcr": "ratio",
        "first_year_return": "ratio",
    }
    notes = {
        "time_usd": "value of time saved, rule of a half (freight only)",
        "operating_usd": "vehicle operating costs and charges saved, rule of a half",
        "revenue_usd": "change in toll and crossing-fee revenue (a transfer, added back)",
        "co2_usd": f"well-to-wheel CO2 saved x US${params.carbon_price_usd_per_t:g}/t",
        "investment_usd": source,
        "npv_usd": f"{params.period_years} years at {params.discount_rate:.0%}",
    }
    rows = [
        {"item": k, "value": float(v), "unit": units.get(k, ""), "note": notes.get(k, "")}
        for k, v in result.items()
    ]
    return pd.DataFrame(rows)


def compare_freight(
    base_network: Network,
    other_network: Network,
    base_scenario: Any = None,
    other_scenario: Any = None,
    *,
    od_before: pd.DataFrame | None = None,
    od_after: pd.DataFrame | None = None,
    options: FreightCompareOptions | None = None,
    data: CrossingData | None = None,
    params: AppraisalParameters | None = None,
) -> dict[str, pd.DataFrame]:
    """Freight impacts and appraisal of a scenario against its base.

    Parameters
    ----------
    base_network, other_network
        The networks before and after.
    base_scenario, other_scenario
        Their scenarios (for the demand model and the investment cost), or None.
    od_before, od_after
        OD tables (:data:`~corridor.analysis.freight.assign.OD_COLUMNS`); default: the
        freight demand model's for each network and scenario. ``od_after`` defaults to
        ``od_before`` when only that is given.
    options
        See :class:`FreightCompareOptions`.
    data, params
        Assignment and appraisal parameters already read.

    Returns
    -------
    dict
        ``freight_by_commodity_mode``, ``freight_crossings``, ``freight_impacts``,
        ``appraisal`` (item, value, unit, note), ``appraisal_sensitivity``, and also
        ``freight_od``, ``freight_impacts_fixed_demand``, ``freight_crossings_fixed_demand``,
        ``freight_od_fixed_demand`` (the base demand on both networks, which the appraisal
        values), ``appraisal_benefits`` (by class), ``appraisal_parameters``,
        ``freight_validation`` (model against published crossing throughput, base) and
        ``freight_convergence``.

    Raises
    ------
    ValidationError
        If no OD table is given and the demand model is not available, or an input is
        invalid.
    """
    opts = options or FreightCompareOptions()
    data = data or load_crossing_data(opts.assign_parameters)
    params = params or load_appraisal_parameters(opts.appraisal_parameters)
    if od_before is None:
        od_before = freight_demand(base_network, base_scenario, year=opts.year)
        if od_after is None:
            od_after = freight_demand(other_network, other_scenario, year=opts.year)
    before = assign_freight(base_network, od_before, options=opts.assign, data=data)
    fixed = assign_freight(other_network, od_before, options=opts.assign, data=data)
    if od_after is None or od_after is od_before or od_after.equals(od_before):
        after = fixed
    else:
        after = assign_freight(other_network, od_after, options=opts.assign, data=data)
    return compare_assignments(
        before,
        after,
        base_scenario,
        other_scenario,
        params=params,
        elasticity=opts.elasticity,
        fixed=fixed,
    )


def compare_assignments(
    before: FreightAssignment,
    after: FreightAssignment,
    base_scenario: Any = None,
    other_scenario: Any = None,
    *,
    params: AppraisalParameters,
    elasticity: float | None = None,
    fixed: FreightAssignment | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of :func:`compare_freight` from the assignments already made.

    `before` and `after` carry each scenario's own demand (mode shift included); `fixed`,
    the base demand on the other network (default: `after`), is what the appraisal compares
    against `before` (see the module docstring).
    """
    e = params.induced_demand_elasticity if elasticity is None else elasticity
    tables = freight_impacts(before, after, elasticity=e)
    fixed_tables = (
        tables if fixed is None or fixed is after else freight_impacts(before, fixed, elasticity=e)
    )
    vot = before.classes.set_index(["mode", "commodity"])["vot_usd_h"]
    vot = vot.combine_first(after.classes.set_index(["mode", "commodity"])["vot_usd_h"])
    table = benefits(fixed_tables["freight_od"], fixed_tables["freight_impacts"], vot, params)
    invest, source = _investment(base_scenario, other_scenario)
    if invest < 0:
        log.info("investment %.3g < 0 (the base cost more): appraised as 0", invest)
        invest = 0.0
    result = appraise(table, investment_usd=invest, params=params)
    conv = pd.concat(
        [before.convergence.assign(network="before"), after.convergence.assign(network="after")],
        ignore_index=True,
    )
    return {
        "freight_by_commodity_mode": tables["freight_by_commodity_mode"],
        "freight_crossings": tables["freight_crossings"],
        "freight_impacts": tables["freight_impacts"],
        "appraisal": _appraisal_table(result, params, source),
        "appraisal_sensitivity": sensitivity(table, investment_usd=invest, params=params),
        "freight_od": tables["freight_od"],
        "freight_impacts_fixed_demand": fixed_tables["freight_impacts"],
        "freight_crossings_fixed_demand": fixed_tables["freight_crossings"],
        "freight_od_fixed_demand": fixed_tables["freight_od"],
        "appraisal_benefits": table,
        "appraisal_parameters": params.to_frame(),
        "freight_validation": before.validation,
        "freight_convergence": conv,
    }


def read_od(path: str | Path) -> pd.DataFrame:
    """Read a freight OD table (CSV or Parquet) with the columns of ``OD_COLUMNS``.

    Raises
    ------
    DataSourceError
        If the file cannot be read.
    ValidationError
        Naming the file and the missing columns or bad rows.
    """
    file = Path(path)
    try:
        if file.suffix.lower() in (".parquet", ".pq"):
            table = pd.read_parquet(file)
        else:
            table = pd.read_csv(file)
    except (OSError, ValueError) as exc:
        raise DataSourceError(file, f"cannot read the OD table: {exc}") from None
    return check_od(table, source=str(file))


def write_tables(
    tables: Mapping[str, pd.DataFrame], folder: str | Path, *, force: bool = False
) -> Path:
    """Write every table as ``<name>.csv`` into `folder`, as one atomic output folder.

    Raises
    ------
    OutputExistsError
        If `folder` holds something corridor did not write, unless `force`.
    """
    with atomic_dir(folder, force=force, what="freight comparison") as tmp:
        for name, frame in tables.items():
            frame.to_csv(tmp / f"{name}.csv", index=False)
    return Path(folder)
