"""Cost-benefit appraisal of a scenario's freight effects: NPV, BCR, first-year return.

Benefits in the opening year, from two freight assignments (base and scenario; see
:mod:`~corridor.analysis.freight.impacts`):

* **User benefits** by the rule of a half, per OD row and class:
  ``1/2 (GC0 - GC1) (V0 + V1)``, with ``GC`` the generalised cost per vehicle (money plus
  value of time x time) on the least-cost path at equilibrium and ``V`` the vehicles a year
  (``V1`` including induced demand). They are split into a **time** part (value of time x
  hours) and a **vehicle operating cost and charges** part (line-haul, handling, tolls,
  crossing fees), each by the same rule.
* **Revenue** from tolls and crossing fees, after minus before: a transfer from users, added
  back so that the total is a resource saving.
* **CO2**: well-to-wheel tonnes saved x the carbon price.

Costs: the scenario's investment (its YAML's ``appraisal.investment_cost_usd``, spent in the
opening year, year 0) and operation and maintenance at ``operating_cost_share`` of it a year.
Benefits grow at ``demand_growth`` a year for ``period_years`` years from year 1, discounted at
``discount_rate``::

    NPV = sum_{t=1..N} (B_t - O) / (1 + r)^t - I,    BCR = PV(B) / (I + PV(O)),
    first-year return = B_1 / I.

The sensitivity table scales demand (all benefits), the value of time (the time part) and the
investment by ``1 +/- sensitivity``; route choice is not recomputed for it. Only freight is
counted: passenger users' benefits are outside this appraisal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from corridor.errors import DataSourceError, ValidationError

__all__ = [
    "AppraisalParameters",
    "appraise",
    "benefits",
    "load_appraisal_parameters",
    "npv",
    "sensitivity",
]

log = logging.getLogger(__name__)

PARAMETERS = Path(__file__).with_name("appraisal.yaml")

_FIELDS = {
    "discount_rate": (0.0, 1.0),
    "period_years": (1.0, 200.0),
    "carbon_price_usd_per_t": (0.0, 10_000.0),
    "vot_factor": (0.0, 100.0),
    "induced_demand_elasticity": (-10.0, 0.0),
    "operating_cost_share": (0.0, 1.0),
    "demand_growth": (-0.5, 0.5),
    "sensitivity": (0.0, 1.0),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AppraisalParameters:
    """The appraisal's parameters (see ``appraisal.yaml`` for each one's source)."""

    discount_rate: float = 0.09
    period_years: int = 30
    carbon_price_usd_per_t: float = 75.0
    vot_factor: float = 1.0
    induced_demand_elasticity: float = -0.3
    operating_cost_share: float = 0.01
    demand_growth: float = 0.0
    sensitivity: float = 0.3
    sources: tuple[tuple[str, str], ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: ``parameter``, ``value``, ``source``."""
        src = dict(self.sources)
        return pd.DataFrame(
            [
                {"parameter": k, "value": float(getattr(self, k)), "source": src.get(k, "")}
                for k in _FIELDS
            ]
        )


def load_appraisal_parameters(path: str | Path | None = None) -> AppraisalParameters:
    """Read and check the appraisal parameters (default: the bundled ``appraisal.yaml``).

    Raises
    ------
    DataSourceError
        If the file cannot be read.
    ValidationError
        Naming the file and the parameter that is missing, out of range or unsourced.
    """
    file = Path(path) if path is not None else PARAMETERS
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataSourceError(file, f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{file}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValidationError(
            f"{file}: expected a mapping of parameters, each with value and source"
        )
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise ValidationError(f"{file}: unknown parameter(s) {unknown}; known: {list(_FIELDS)}")
    values: dict[str, float] = {}
    sources: list[tuple[str, str]] = []
    for name, (lo, hi) in _FIELDS.items():
        entry = data.get(name)
        if not isinstance(entry, dict) or "value" not in entry:
            raise ValidationError(f"{file}: {name}: missing; give {{value: ..., source: ...}}")
        try:
            value = float(entry["value"])
        except (TypeError, ValueError):
            raise ValidationError(
                f"{file}: {name}.value: not a number: {entry['value']!r}"
            ) from None
        if not (np.isfinite(value) and lo <= value <= hi):
            raise ValidationError(f"{file}: {name}.value: {value} is outside [{lo}, {hi}]")
        source = str(entry.get("source", "")).strip()
        if not source:
            raise ValidationError(
                f"{file}: {name}: no source; give the publication, year and URL, "
                "or '[assumption] ...'"
            )
        values[name] = value
        sources.append((name, source))
    return AppraisalParameters(
        discount_rate=values["discount_rate"],
        period_years=int(values["period_years"]),
        carbon_price_usd_per_t=values["carbon_price_usd_per_t"],
        vot_factor=values["vot_factor"],
        induced_demand_elasticity=values["induced_demand_elasticity"],
        operating_cost_share=values["operating_cost_share"],
        demand_growth=values["demand_growth"],
        sensitivity=values["sensitivity"],
        sources=tuple(sources),
    )


def npv(
    annual_benefit_usd: float,
    investment_usd: float,
    *,
    discount_rate: float,
    period_years: int,
    operating_usd_year: float = 0.0,
    growth: float = 0.0,
) -> dict[str, float]:
    """NPV, BCR and first-year return of a benefit stream against an investment in year 0.

    Parameters
    ----------
    annual_benefit_usd
        Benefit in year 1; year ``t`` brings ``B (1 + growth)^(t-1)``.
    investment_usd
        Spent in year 0 (>= 0).
    discount_rate, period_years
        ``r`` and ``N``.
    operating_usd_year
        Cost every year 1..N.
    growth
        Yearly growth of the benefit.

    Returns
    -------
    dict
        ``pv_benefits_usd``, ``pv_costs_usd``, ``npv_usd``, ``bcr`` (NaN without costs) and
        ``first_year_return`` (NaN without investment).

    Examples
    --------
    >>> r = npv(100.0, 200.0, discount_rate=0.1, period_years=3)
    >>> round(r["npv_usd"], 3), round(r["bcr"], 4), r["first_year_return"]
    (48.685, 1.2434, 0.5)
    """
    t = np.arange(1, period_years + 1, dtype=float)
    disc = (1.0 + discount_rate) ** -t
    pv_b = float(np.sum(annual_benefit_usd * (1.0 + growth) ** (t - 1) * disc))
    pv_c = float(investment_usd + np.sum(operating_usd_year * disc))
    return {
        "pv_benefits_usd": pv_b,
        "pv_costs_usd": pv_c,
        "npv_usd": pv_b - pv_c,
        "bcr": pv_b / pv_c if pv_c > 0 else float("nan"),
        "first_year_return": annual_benefit_usd / investment_usd
        if investment_usd > 0
        else float("nan"),
    }


def benefits(
    od: pd.DataFrame,
    impacts: pd.DataFrame,
    vot_usd_h: pd.Series,
    params: AppraisalParameters,
) -> pd.DataFrame:
    """Opening-year benefits by class (mode, commodity) and in total, US$ a year.

    Parameters
    ----------
    od
        :func:`~corridor.analysis.freight.impacts.od_changes`' table.
    impacts
        The ``freight_impacts`` table (class totals before and after).
    vot_usd_h
        Value of time per vehicle-hour by (mode, commodity) (the assignment's, before).
    params
        Carbon price and value-of-time factor.

    Returns
    -------
    pandas.DataFrame
        ``mode``, ``commodity``, ``time_usd``, ``operating_usd`` (vehicle operating costs and
        charges), ``user_usd`` (their sum, rule of a half), ``revenue_usd``, ``co2_t``,
        ``co2_usd`` and ``total_usd``; a last row ``all``.
    """
    both = od.dropna(subset=["generalized_usd_before", "generalized_usd_after"]).copy()
    key = pd.MultiIndex.from_frame(both[["mode", "commodity"]])
    vot = vot_usd_h.reindex(key).to_numpy(dtype=float)  # the assignment's, which priced GC
    v0 = both["vehicles_year_before"].to_numpy(dtype=float)
    v1 = both["vehicles_year_after_induced"].to_numpy(dtype=float)
    half = 0.5 * (v0 + v1)
    t0, t1 = both["time_h_before"].to_numpy(float), both["time_h_after"].to_numpy(float)
    g0 = both["generalized_usd_before"].to_numpy(float)
    g1 = both["generalized_usd_after"].to_numpy(float)
    m0, m1 = g0 - vot * t0, g1 - vot * t1  # money per vehicle: GC less the time's value
    both["time_usd"] = half * vot * params.vot_factor * (t0 - t1)
    both["operating_usd"] = half * (m0 - m1)
    per = both.groupby(["mode", "commodity"])[["time_usd", "operating_usd"]].sum()
    cls = impacts[impacts["mode"] != "all"].set_index(["mode", "commodity"])
    out = pd.DataFrame(index=cls.index)
    out["time_usd"] = per["time_usd"].reindex(out.index).fillna(0.0)
    out["operating_usd"] = per["operating_usd"].reindex(out.index).fillna(0.0)
    out["user_usd"] = out["time_usd"] + out["operating_usd"]
    out["revenue_usd"] = cls["d_revenue_usd_year"]
    out["co2_t"] = cls["saved_co2_wtw_kg_year"] / 1000.0
    out["co2_usd"] = out["co2_t"] * params.carbon_price_usd_per_t
    out["total_usd"] = out["user_usd"] + out["revenue_usd"] + out["co2_usd"]
    out = out.reset_index()
    total = out.drop(columns=["mode", "commodity"]).sum().to_frame().T
    total.insert(0, "commodity", "all")
    total.insert(0, "mode", "all")
    return pd.concat([out, total], ignore_index=True)


def appraise(
    table: pd.DataFrame,
    *,
    investment_usd: float,
    params: AppraisalParameters,
    demand_factor: float = 1.0,
    vot_factor: float = 1.0,
    cost_factor: float = 1.0,
) -> dict[str, float]:
    """Headline appraisal of a benefits table (:func:`benefits`) against an investment.

    Returns
    -------
    dict
        The opening-year benefit components (``time_usd``, ``operating_usd``, ``user_usd``,
        ``revenue_usd``, ``co2_usd``, ``benefit_usd_year``), ``investment_usd``,
        ``operating_cost_usd_year`` and :func:`npv`'s results.

    Raises
    ------
    ValidationError
        If the investment is negative or not finite.
    """
    if not (np.isfinite(investment_usd) and investment_usd >= 0):
        raise ValidationError(f"investment cost must be >= 0, got {investment_usd}")
    row = table[table["mode"] == "all"].iloc[0]
    time_usd = float(row["time_usd"]) * demand_factor * vot_factor
    operating = float(row["operating_usd"]) * demand_factor
    revenue = float(row["revenue_usd"]) * demand_factor
    co2 = float(row["co2_usd"]) * demand_factor
    benefit = time_usd + operating + revenue + co2
    invest = investment_usd * cost_factor
    opex = invest * params.operating_cost_share
    out = {
        "time_usd": time_usd,
        "operating_usd": operating,
        "user_usd": time_usd + operating,
        "revenue_usd": revenue,
        "co2_usd": co2,
        "benefit_usd_year": benefit,
        "investment_usd": invest,
        "operating_cost_usd_year": opex,
    }
    out.update(
        npv(
            benefit,
            invest,
            discount_rate=params.discount_rate,
            period_years=params.period_years,
            operating_usd_year=opex,
            growth=params.demand_growth,
        )
    )
    return out


def sensitivity(
    table: pd.DataFrame, *, investment_usd: float, params: AppraisalParameters
) -> pd.DataFrame:
    """NPV, BCR and first-year return with demand, value of time and cost at ``1 +/- s``.

    Returns
    -------
    pandas.DataFrame
        One row per case (``central``, ``demand -30%``, ``demand +30%``, ``value of time
        -30%``, ...): ``case``, ``benefit_usd_year``, ``investment_usd``, ``npv_usd``,
        ``bcr``, ``first_year_return``.
    """
    s = params.sensitivity
    pct = f"{s:.0%}"
    cases: list[tuple[str, dict[str, float]]] = [("central", {})]
    for name, arg in (
        ("demand", "demand_factor"),
        ("value of time", "vot_factor"),
        ("cost", "cost_factor"),
    ):
        cases.append((f"{name} -{pct}", {arg: 1.0 - s}))
        cases.append((f"{name} +{pct}", {arg: 1.0 + s}))
    rows = []
    for label, kwargs in cases:
        r = appraise(table, investment_usd=investment_usd, params=params, **kwargs)
        rows.append(
            {
                "case": label,
                "benefit_usd_year": r["benefit_usd_year"],
                "investment_usd": r["investment_usd"],
                "npv_usd": r["npv_usd"],
                "bcr": r["bcr"],
                "first_year_return": r["first_year_return"],
            }
        )
    return pd.DataFrame(rows)
