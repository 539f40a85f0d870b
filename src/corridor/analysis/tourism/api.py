"""The tourism model's public functions: :func:`tourism` (visits on a network, optionally
under a scenario) and :func:`compare_tourism` (before/after tables for a comparison)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corridor import defaults
from corridor.analysis.tourism import tables
from corridor.analysis.tourism.config import Fitted, TourismParams, load_fitted, load_params
from corridor.analysis.tourism.draws import Runner, TourismDraws, tourism_draws
from corridor.analysis.tourism.model import Demand, VisaOverride, demand, theta_of
from corridor.analysis.tourism.service import LevelOfService, level_of_service
from corridor.errors import CorridorError
from corridor.model.network import Network

if TYPE_CHECKING:
    from corridor.scenario.spec import Scenario

__all__ = [
    "TourismResult",
    "compare_tourism",
    "dated",
    "ensure_zones",
    "tourism",
    "tourism_day",
    "tourism_uncertainty",
    "visa_overrides",
]

log = logging.getLogger(__name__)


def tourism_day(network: Network, year: int | None = None) -> dt.date:
    """The day whose visa regimes apply: mid-`year`, else the network's date, else the
    calibration year's middle."""
    if year is not None:
        return dt.date(year, 7, 1)
    if network.date is not None:
        return pd.Timestamp(network.date).date()
    return dt.date(load_fitted().year, 7, 1)


def dated(network: Network, day: dt.date) -> Network:
    """`network` as it stood on `day` if it has no date of its own (the embedded network
    holds every period at once); a dated network (a scenario's) is left as it is."""
    if network.date is not None:
        return network
    return network.as_of(pd.Timestamp(day))


def visa_overrides(scenario: Scenario | None) -> tuple[VisaOverride, ...]:
    """The visa edits of a scenario."""
    from corridor.scenario.edits import SetVisa

    if scenario is None:
        return ()
    return tuple(
        VisaOverride(e.from_country, e.to_country, e.regime, e.from_date)
        for e in scenario.edits
        if isinstance(e, SetVisa)
    )


@dataclass(frozen=True, eq=False)
class TourismResult:
    """Visits on one network: the demand and its tables.

    Attributes
    ----------
    demand
        The full array (:class:`~corridor.analysis.tourism.model.Demand`).
    fitted
        The parameters used.
    scenario
        Name of the scenario applied (or "").
    """

    demand: Demand
    fitted: Fitted
    scenario: str = ""

    def __repr__(self) -> str:
        return (
            f"<TourismResult {self.demand.visits.sum():,.0f} visits/year on "
            f"{self.demand.los.network!r}, regimes of {self.demand.date}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per origin, destination, purpose and mode."""
        return tables.long_table(self.demand)

    def by_direction(self) -> pd.DataFrame:
        """Visits and spending per ordered country pair."""
        return tables.by_direction(self.demand)

    def by_purpose(self) -> pd.DataFrame:
        """Visits per direction and purpose."""
        return tables.by_purpose(self.demand)

    def by_mode(self) -> pd.DataFrame:
        """Visits per direction and mode."""
        return tables.by_mode(self.demand)

    def top_od(self, n: int = defaults.TOURISM_TOP_OD) -> pd.DataFrame:
        """The `n` busiest zone pairs."""
        return tables.top_od(self.demand, n)

    def crossings(self) -> pd.DataFrame:
        """Passages a year at land crossings by land travellers."""
        return tables.crossing_passages(self.demand)

    def summary(self) -> dict[str, float]:
        """Headline totals: visits, CN<->RU visits, spending."""
        d = self.demand
        c = np.asarray(d.countries)
        per = d.visits.sum(axis=(2, 3))
        out = {"visits_year": float(per.sum())}
        out["cn_ru_visits_year"] = float(per[np.ix_(c == "CN", c == "RU")].sum())
        out["ru_cn_visits_year"] = float(per[np.ix_(c == "RU", c == "CN")].sum())
        out["spend_usd_year"] = float(self.by_direction()["spend_usd_year"].sum())
        return out


def tourism(
    network: Network,
    *,
    scenario: Scenario | None = None,
    year: int | None = None,
    on: dt.date | None = None,
    params: TourismParams | None = None,
    fitted: Fitted | None = None,
    theta: np.ndarray | None = None,
    los: LevelOfService | None = None,
) -> TourismResult:
    """Visits a year between the zones of the tourism model on `network`.

    Parameters
    ----------
    network
        The network the visitors travel on (apply the scenario to it first); one without
        a date (the embedded network) is taken as it stood on the regimes' day.
    scenario
        The scenario whose demand edits apply (visa regimes, ``scale_demand``).
    year
        The year whose visa regimes apply (its 1 July; default: the network's date, else
        the calibration year).
    on
        The day whose visa regimes apply (instead of `year`).
    params, fitted
        Parameter files (default: the bundled ones).
    theta
        Parameters in place of `fitted`'s values (draws).
    los
        A level of service computed before on `network` (saves the path searches).

    Returns
    -------
    TourismResult

    Raises
    ------
    ValidationError
        If a zone is not in the network or a parameter is invalid.
    """
    p = params or load_params()
    f = fitted or load_fitted()
    day = on if on is not None else tourism_day(network, year)
    service = los if los is not None else level_of_service(dated(network, day), p)
    factor = scenario.demand_factor if scenario is not None else 1.0
    th = theta_of(f.values) if theta is None else np.asarray(theta, dtype=np.float64)
    d = demand(
        service,
        p,
        th,
        on=day,
        overrides=visa_overrides(scenario),
        demand_factor=factor,
    )
    return TourismResult(demand=d, fitted=f, scenario=scenario.name if scenario else "")


def _change(before: pd.DataFrame, after: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    b = before.set_index(keys)[value].rename(f"{value}_before")
    a = after.set_index(keys)[value].rename(f"{value}_after")
    out = pd.concat([b, a], axis=1).fillna(0.0).reset_index()
    out[f"{value}_change"] = out[f"{value}_after"] - out[f"{value}_before"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(
            out[f"{value}_before"] > 0,
            100.0 * out[f"{value}_change"] / out[f"{value}_before"],
            np.nan,
        )
    return out


def compare_tourism(
    base_network: Network,
    other_network: Network,
    base_scenario: Scenario | None = None,
    other_scenario: Scenario | None = None,
    *,
    year: int | None = None,
    params: TourismParams | None = None,
    fitted: Fitted | None = None,
    top: int = defaults.TOURISM_TOP_OD,
) -> dict[str, pd.DataFrame]:
    """Tourism before and after: visits by direction, mode, purpose, top OD and crossings.

    Both sides take the visa regimes of one day (`year`, else the other network's date),
    changed only by a scenario's visa edits, so that the tables show what the network
    and the scenarios' demand edits change, not the calendar.

    Parameters
    ----------
    base_network, other_network
        The networks before and after.
    base_scenario, other_scenario
        Their scenarios (for visa edits and ``scale_demand``), or None.
    year
        Regime year (see above).
    params, fitted
        Parameter files (default: the bundled ones).
    top
        How many OD pairs the ``tourism_top_od`` table keeps (largest changes).

    Returns
    -------
    dict
        ``tourism_by_direction``, ``tourism_by_mode``, ``tourism_by_purpose``,
        ``tourism_top_od``, ``tourism_crossings``: before/after/change columns;
        ``tourism_top_od`` (the largest changes) also has the change in the leisure mode
        log-sum that drives it, its consumer-surplus equivalent (one-way US$ per
        traveller), the cheapest one-way generalised cost before and after and the arc
        elasticity of the visits to it (NaN where the cost did not change).

    Raises
    ------
    ValidationError
        If a zone is not in a network.
    """
    p = params or load_params()
    f = fitted or load_fitted()
    day = tourism_day(other_network, year)
    before = tourism(base_network, scenario=base_scenario, on=day, params=p, fitted=f)
    after = tourism(other_network, scenario=other_scenario, on=day, params=p, fitted=f)
    out = {
        "tourism_by_direction": _change(
            before.by_direction(), after.by_direction(), ["direction"], "visits_year"
        ),
        "tourism_by_mode": _change(
            before.by_mode(), after.by_mode(), ["direction", "mode"], "visits_year"
        ),
        "tourism_by_purpose": _change(
            before.by_purpose(), after.by_purpose(), ["direction", "purpose"], "visits_year"
        ),
        "tourism_crossings": _change(
            before.crossings(), after.crossings(), ["crossing", "mode"], "passages_year"
        ),
    }
    db, da = before.demand, after.demand
    vb, va = db.visits.sum(axis=(2, 3)), da.visits.sum(axis=(2, 3))
    k = db.purposes.index("leisure") if "leisure" in db.purposes else 0
    with np.errstate(invalid="ignore"):
        dls = np.where(
            np.isfinite(db.logsum[k]) & np.isfinite(da.logsum[k]),
            da.logsum[k] - db.logsum[k],
            np.nan,
        )
    change = va - vb
    order = np.argsort(np.abs(change), axis=None)[::-1][:top]
    o, d = np.unravel_index(order, change.shape)
    keep = (np.abs(change[o, d]) > 0) | (vb[o, d] > 0)
    o, d = o[keep], d[keep]
    z = np.asarray(db.zones, dtype=object)
    top_od = pd.DataFrame(
        {
            "origin": z[o],
            "destination": z[d],
            "visits_year_before": vb[o, d],
            "visits_year_after": va[o, d],
            "visits_year_change": change[o, d],
            "logsum_change_leisure": dls[o, d],
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        top_od["change_pct"] = np.where(
            top_od["visits_year_before"] > 0,
            100.0 * top_od["visits_year_change"] / top_od["visits_year_before"],
            np.nan,
        )
    # consumer-surplus equivalent of the log-sum change (Small & Rosen 1981): one-way
    # US$ per leisure traveller, > 0 a gain; and the arc elasticity of the pair's visits
    # to its cheapest one-way generalised cost
    beta = f.values["beta_cost_per_100usd"] * p.purposes[k].cost_scale
    rtf = p.fixed["round_trip_factor"]
    top_od["surplus_usd_leisure"] = dls[o, d] * 100.0 / (-beta * rtf)
    cb = np.min(db.los.cost_usd, axis=0)[o, d]
    ca = np.min(da.los.cost_usd, axis=0)[o, d]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_c = np.log(ca / cb)
        top_od["cost_usd_before"] = cb
        top_od["cost_usd_after"] = ca
        top_od["elasticity_to_cost"] = np.where(
            np.isfinite(log_c) & (np.abs(log_c) > 1e-9) & (vb[o, d] > 0) & (va[o, d] > 0),
            np.log(va[o, d] / np.where(vb[o, d] > 0, vb[o, d], 1.0)) / log_c,
            np.nan,
        )
    out["tourism_top_od"] = top_od
    if not out["tourism_by_direction"].empty:
        log.info(
            "tourism compare: %+.0f visits/year",
            float(out["tourism_by_direction"]["visits_year_change"].sum()),
        )
    return out


def ensure_zones(network: Network, params: TourismParams | None = None) -> bool:
    """Whether every zone of `params` is a place of `network` (the model can run on it)."""
    p = params or load_params()
    from corridor.paths.router import router_for

    router = router_for(network)
    for zone in p.zones:
        try:
            router.resolve(zone.place, "place")
        except CorridorError:
            return False
    return True


def tourism_uncertainty(
    base_network: Network,
    other_network: Network | None = None,
    base_scenario: Scenario | None = None,
    other_scenario: Scenario | None = None,
    *,
    draws: int,
    seed: int = defaults.TOURISM_SEED,
    year: int | None = None,
    params: TourismParams | None = None,
    fitted: Fitted | None = None,
    runner: Runner | None = None,
) -> TourismDraws:
    """P10/P50/P90 of the tourism headlines (or of their changes) over parameter draws.

    Parameters
    ----------
    base_network, other_network
        The network, and optionally the network after (then the headlines are changes).
    base_scenario, other_scenario
        Their scenarios' demand edits.
    draws, seed
        Number of draws and the random seed (same seed, same result, wherever run).
    year
        Regime year (default: the last network's date).
    params, fitted
        Parameter files (default: the bundled ones).
    runner
        Runs the draws as tasks (default: in this process); see
        :func:`corridor.tourism_dask_runner`.

    Returns
    -------
    TourismDraws
    """
    p = params or load_params()
    f = fitted or load_fitted()
    day = tourism_day(other_network if other_network is not None else base_network, year)
    los_b = level_of_service(dated(base_network, day), p)
    los_a = level_of_service(dated(other_network, day), p) if other_network is not None else None
    return tourism_draws(
        p,
        f,
        los_b,
        los_a,
        n=draws,
        seed=seed,
        day=day,
        base_overrides=visa_overrides(base_scenario),
        other_overrides=visa_overrides(other_scenario),
        base_factor=base_scenario.demand_factor if base_scenario else 1.0,
        other_factor=other_scenario.demand_factor if other_scenario else 1.0,
        runner=runner,
    )
