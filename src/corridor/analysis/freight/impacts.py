"""What a scenario changes for freight: mode and route shift, crossing loads, hours, costs, CO2.

:func:`freight_impacts` compares two :class:`~corridor.analysis.freight.assign.FreightAssignment`
results (a base and a scenario) and returns tables by name:

* ``freight_by_commodity_mode``: tonnes a year by commodity and mode before and after, each
  mode's share of the commodity (mode shift) and the induced tonnes;
* ``freight_crossings``: trucks and trains a day, TEU and tonnes a year, the queue and the
  load against capacity per crossing and direction, before and after (route shift; a closed
  crossing shows its load falling to zero, the others what they took over);
* ``freight_impacts``: per class (mode, commodity) and in total: vehicles, vehicle-hours,
  tonne-hours, queue hours, money (line-haul, tolls, fees, handling), toll and fee revenue,
  CO2 tank-to-wheel and well-to-wheel, generalised cost, a year, before, after, change and
  saving (before minus after);
* ``freight_od``: per OD row and class: time and generalised cost per vehicle before and
  after and the added days.

**Induced demand.** The OD tables are the freight model's for each scenario (with its own mode
choice). On top, each OD row's tonnes respond to its change in generalised cost with a
constant elasticity ``e`` (``appraisal.yaml``): ``T1 = T0 (GC1 / GC0)^e``; the induced tonnes
are reported, and used by the rule-of-a-half in :mod:`~corridor.analysis.freight.appraisal`;
the assignment itself is not rerun for them.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from corridor.analysis.freight.assign import FreightAssignment
from corridor.errors import ValidationError

__all__ = ["OD_KEY", "freight_impacts", "od_changes"]

log = logging.getLogger(__name__)

OD_KEY = ["origin_node", "destination_node", "commodity", "mode"]
"""Columns that identify one OD row of a class across two scenarios."""

_TOTALS = [
    "tonnes_year",
    "vehicles_year",
    "vehicle_h_year",
    "tonne_h_year",
    "queue_vehicle_h_year",
    "cost_usd_year",
    "toll_usd_year",
    "fee_usd_year",
    "co2_ttw_kg_year",
    "co2_wtw_kg_year",
    "generalized_usd_year",
]


def od_changes(
    before: FreightAssignment, after: FreightAssignment, *, elasticity: float
) -> pd.DataFrame:
    """OD rows of both scenarios side by side, with the induced tonnes and vehicles.

    Parameters
    ----------
    before, after
        The two assignments.
    elasticity
        Elasticity of an OD row's tonnes to its generalised cost per vehicle (<= 0).

    Returns
    -------
    pandas.DataFrame
        One row per :data:`OD_KEY` in either scenario: ``origin_zone``,
        ``destination_zone``, tonnes, vehicles, ``time_h`` and ``generalized_usd`` per
        vehicle ``_before`` and ``_after`` (NaN where unserved or absent),
        ``d_time_h``, ``d_time_days``, ``d_generalized_usd``, ``induced_tonnes_year`` and
        ``vehicles_year_after_induced``.
    """

    def side(fa: FreightAssignment) -> pd.DataFrame:
        od = fa.od
        agg = od.groupby(OD_KEY, as_index=False).agg(
            origin_zone=("origin_zone", "first"),
            destination_zone=("destination_zone", "first"),
            tonnes_year=("tonnes_year", "sum"),
            vehicles_year=("vehicles_assigned", "sum"),
            served=("served", "all"),
            time_h=("time_h", "mean"),
            generalized_usd=("generalized_usd", "mean"),
        )
        agg.loc[~agg["served"], ["time_h", "generalized_usd"]] = np.nan
        return agg

    b, a = side(before), side(after)
    both = b.merge(a, on=OD_KEY, how="outer", suffixes=("_before", "_after"))
    for z in ("origin_zone", "destination_zone"):
        both[z] = both.pop(f"{z}_before").fillna(both.pop(f"{z}_after"))
    for c in ("tonnes_year", "vehicles_year"):
        both[f"{c}_before"] = both[f"{c}_before"].fillna(0.0)
        both[f"{c}_after"] = both[f"{c}_after"].fillna(0.0)
    both["d_time_h"] = both["time_h_after"] - both["time_h_before"]
    both["d_time_days"] = both["d_time_h"] / 24.0
    both["d_generalized_usd"] = both["generalized_usd_after"] - both["generalized_usd_before"]
    ratio = both["generalized_usd_after"] / both["generalized_usd_before"]
    factor = np.where(
        np.isfinite(ratio) & (ratio > 0), ratio.to_numpy(dtype=float) ** elasticity, 1.0
    )
    both["induced_tonnes_year"] = both["tonnes_year_after"] * (factor - 1.0)
    both["vehicles_year_after_induced"] = both["vehicles_year_after"] * factor
    both = both.drop(columns=["served_before", "served_after"])
    first = ["origin_zone", "destination_zone", *OD_KEY]
    return both[first + [c for c in both.columns if c not in first]]


def _by_commodity_mode(od: pd.DataFrame) -> pd.DataFrame:
    g = od.groupby(["commodity", "mode"], as_index=False)[
        ["tonnes_year_before", "tonnes_year_after", "induced_tonnes_year"]
    ].sum()
    for when in ("before", "after"):
        total = g.groupby("commodity")[f"tonnes_year_{when}"].transform("sum")
        g[f"mode_share_{when}"] = np.where(total > 0, g[f"tonnes_year_{when}"] / total, np.nan)
    g["d_tonnes_year"] = g["tonnes_year_after"] - g["tonnes_year_before"]
    g["d_mode_share"] = g["mode_share_after"] - g["mode_share_before"]
    return g


def _crossings(before: FreightAssignment, after: FreightAssignment) -> pd.DataFrame:
    key = ["crossing", "countries", "mode", "direction"]
    keep = [
        "trucks_day",
        "trains_day",
        "teu_year",
        "tonnes_year",
        "queue_h",
        "queue_veh",
        "v_c",
        "capacity_veh_day",
        "open",
    ]
    b = before.crossings[key + keep]
    a = after.crossings[key + keep]
    out = b.merge(a, on=key, how="outer", suffixes=("_before", "_after"))
    for c in keep:
        if c in ("v_c", "capacity_veh_day", "open"):
            continue
        for when in ("before", "after"):
            out[f"{c}_{when}"] = out[f"{c}_{when}"].fillna(0.0)
        out[f"d_{c}"] = out[f"{c}_after"] - out[f"{c}_before"]
    out["closed_after"] = out["open_before"].fillna(False).astype(bool) & ~out["open_after"].fillna(
        False
    ).astype(bool)
    busy = (out["tonnes_year_before"] > 0) | (out["tonnes_year_after"] > 0)
    out = out[busy].copy()
    out = out.reindex(out["d_tonnes_year"].abs().sort_values(ascending=False, kind="stable").index)
    return out.reset_index(drop=True)


def _class_impacts(before: FreightAssignment, after: FreightAssignment) -> pd.DataFrame:
    key = ["mode", "commodity"]
    b = before.classes[key + _TOTALS]
    a = after.classes[key + _TOTALS]
    out = b.merge(a, on=key, how="outer", suffixes=("_before", "_after")).fillna(0.0)
    total = out.drop(columns=key).sum().to_frame().T
    total.insert(0, "commodity", "all")
    total.insert(0, "mode", "all")
    out = pd.concat([out, total], ignore_index=True)
    for c in _TOTALS:
        out[f"d_{c}"] = out[f"{c}_after"] - out[f"{c}_before"]
    for c in (
        "vehicle_h_year",
        "tonne_h_year",
        "cost_usd_year",
        "co2_wtw_kg_year",
        "co2_ttw_kg_year",
    ):
        out[f"saved_{c}"] = -out[f"d_{c}"]
    out["d_revenue_usd_year"] = out["d_toll_usd_year"] + out["d_fee_usd_year"]
    return out


def freight_impacts(
    before: FreightAssignment, after: FreightAssignment, *, elasticity: float = -0.3
) -> dict[str, pd.DataFrame]:
    """Freight impact tables of a scenario against its base (see the module docstring).

    Parameters
    ----------
    before, after
        Assignments of the base and the scenario.
    elasticity
        Elasticity of tonnes to generalised cost for the induced demand (<= 0).

    Returns
    -------
    dict
        ``freight_by_commodity_mode``, ``freight_crossings``, ``freight_impacts`` and
        ``freight_od``.

    Raises
    ------
    ValidationError
        If `elasticity` is positive or not finite.
    """
    if not (np.isfinite(elasticity) and elasticity <= 0):
        raise ValidationError(f"elasticity must be finite and <= 0, got {elasticity}")
    od = od_changes(before, after, elasticity=elasticity)
    impacts = _class_impacts(before, after)
    induced = od.groupby(["mode", "commodity"])["induced_tonnes_year"].sum()
    idx = pd.MultiIndex.from_frame(impacts[["mode", "commodity"]])
    impacts["induced_tonnes_year"] = induced.reindex(idx).fillna(0.0).to_numpy()
    impacts.loc[impacts["mode"] == "all", "induced_tonnes_year"] = float(induced.sum())
    log.info("freight impacts: %d OD rows, %d classes", len(od), len(impacts) - 1)
    return {
        "freight_by_commodity_mode": _by_commodity_mode(od),
        "freight_crossings": _crossings(before, after),
        "freight_impacts": impacts,
        "freight_od": od,
    }
