"""The visitor demand model: generation, destination and nested mode choice.

For an origin zone o (a market of ``P_o`` residents), a purpose p and a destination d in
another covered country, with the modes m the purpose allows::

    V_m      = asc_m + beta_p x (round-trip generalised cost_m(o, d) / 100 US$)
    LS       = nested-logit log-sum of V over the modes (air | ground: rail, bus, car)
    U_d      = asc_market(c_o, c_d) + asc_p + a x ln(attraction_p(d)) + phi x LS
               + regime utility (visa rule of c_o -> c_d on the day, unless p is exempt;
                 group tours and border day trips are exempt wherever a group agreement
                 is in force, whatever the rule for individuals)
    P(d)     = exp(U_d) / (1 + sum_d' exp(U_d'))        (1: no visit abroad this year)
    visits   = P_o x P(d) x P(m | o, d, p) x demand factor           [visits a year]

``beta_p = beta_cost x cost_scale_p``. The outside alternative makes the total elastic:
a cheaper or faster trip (a larger log-sum) raises the visits to that destination (and a
little the total), which is how a road or a flight changes tourism here. Attraction is
``leisure_index x population`` of the destination city for leisure and group tours, and
its population for business and shopping (the network's GeoNames figures). Shopping
trips go only to the border towns, by bus or car.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from corridor._typing import FloatArray
from corridor.analysis.choice import Nest, mnl_probabilities, nested_logit
from corridor.analysis.tourism.config import FITTED_NAMES, TourismParams
from corridor.analysis.tourism.service import LevelOfService
from corridor.errors import ValidationError

__all__ = ["Demand", "VisaOverride", "demand", "regimes_on", "theta_of"]


@dataclass(frozen=True, slots=True)
class VisaOverride:
    """A visa regime set by a scenario: individuals of `from_country` entering `to_country`."""

    from_country: str
    to_country: str
    regime: str
    from_date: dt.date


def regimes_on(
    params: TourismParams, on: dt.date, overrides: Sequence[VisaOverride] = ()
) -> dict[tuple[str, str], str]:
    """Visa regime per ordered country pair on a day (rules, then scenario overrides).

    A pair no rule covers needs a visa.

    Examples
    --------
    >>> import datetime as dt
    >>> from corridor.analysis.tourism.config import load_params
    >>> r = regimes_on(load_params(), dt.date(2024, 7, 1))
    >>> r[("CN", "RU")], r[("RU", "CN")], r[("KZ", "CN")]
    ('e_visa', 'group_visa_free', 'visa_free')
    >>> regimes_on(load_params(), dt.date(2025, 12, 1))[("CN", "RU")]
    'visa_free'
    """
    out: dict[tuple[str, str], str] = {}
    for rule in sorted(params.visa, key=lambda r: r.from_date):
        if rule.from_date <= on:
            out[(rule.from_, rule.to)] = rule.regime
    for o in overrides:
        if o.from_date <= on:
            out[(o.from_country, o.to_country)] = o.regime
    return out


def theta_of(values: Mapping[str, float]) -> FloatArray:
    """The fitted parameters as a vector in :data:`FITTED_NAMES` order."""
    return np.asarray([float(values[n]) for n in FITTED_NAMES], dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Demand:
    """Visits by origin x destination x purpose x mode, a year.

    Attributes
    ----------
    visits
        ``(origin, destination, purpose, mode)`` visits a year.
    logsum
        Mode-choice log-sum, ``(purpose, origin, destination)``; ``-inf`` where no mode.
    utility
        Destination utility, same shape; ``-inf`` where not a destination.
    zones, countries, purposes, modes
        Axis labels.
    regimes
        Visa regime per ordered country pair used.
    los
        The level of service behind it.
    nights
        Nights per visit by purpose.
    usd_per_day
        Average spend per visitor and day by origin country.
    date
        The day of the regimes.
    """

    visits: FloatArray
    logsum: FloatArray
    utility: FloatArray
    zones: tuple[str, ...]
    countries: tuple[str, ...]
    purposes: tuple[str, ...]
    modes: tuple[str, ...]
    regimes: dict[tuple[str, str], str]
    los: LevelOfService
    nights: tuple[float, ...]
    usd_per_day: dict[str, float]
    date: dt.date

    def __repr__(self) -> str:
        return (
            f"<Demand {self.visits.sum():,.0f} visits/year, {len(self.zones)} zones, {self.date}>"
        )


def _market_asc(params: TourismParams, theta: FloatArray, countries: tuple[str, ...]) -> FloatArray:
    """asc(c_o, c_d) per zone pair; NaN where the pair is not a covered market."""
    fitted = dict(zip(FITTED_NAMES, theta.tolist(), strict=True))
    base = 0.5 * (fitted["asc_market_CN_RU"] + fitted["asc_market_RU_CN"])
    table: dict[tuple[str, str], float] = {}
    for m in params.markets:
        key = f"asc_market_{m.from_}_{m.to}"
        table[(m.from_, m.to)] = fitted[key] if m.calibrated and key in fitted else base + m.asc
    c = np.asarray(countries)
    out = np.full((len(c), len(c)), np.nan)
    for (a, b), v in table.items():
        out[np.ix_(c == a, c == b)] = v
    return out


def _purpose_asc(purpose: str, base_asc: float, fitted: dict[str, float], country: str) -> float:
    if purpose == "business":
        key = f"asc_business_{country}"
        if key in fitted:
            return fitted[key]
        return 0.5 * (fitted["asc_business_CN"] + fitted["asc_business_RU"])
    if purpose == "shopping":
        return fitted["asc_shopping"]
    return base_asc


def demand(
    los: LevelOfService,
    params: TourismParams,
    theta: FloatArray | Sequence[float],
    *,
    on: dt.date,
    overrides: Sequence[VisaOverride] = (),
    demand_factor: float = 1.0,
) -> Demand:
    """Visits a year on `los` with parameters `theta` (:data:`FITTED_NAMES` order).

    Parameters
    ----------
    los
        Level of service between the zones.
    params
        The fixed parameters.
    theta
        The fitted parameters.
    on
        The day whose visa regimes apply.
    overrides
        Scenario visa regimes.
    demand_factor
        Scales every visit (a scenario's ``scale_demand``).

    Returns
    -------
    Demand

    Raises
    ------
    ValidationError
        If `theta` has the wrong length or `demand_factor` is not positive.
    """
    th = np.asarray(theta, dtype=np.float64)
    if th.shape != (len(FITTED_NAMES),) or not np.isfinite(th).all():
        raise ValidationError(f"theta needs {len(FITTED_NAMES)} finite values {FITTED_NAMES}")
    if not demand_factor > 0:
        raise ValidationError(f"demand_factor must be > 0 (got {demand_factor})")
    fitted = dict(zip(FITTED_NAMES, th.tolist(), strict=True))
    beta = fitted["beta_cost_per_100usd"]
    fixed = params.fixed
    n = len(los.zones)
    modes = los.modes
    countries = los.countries
    c = np.asarray(countries)
    zone_by_place = {z.place: z for z in params.zones}
    zones = [zone_by_place[p] for p in los.zones]
    market_pop = np.asarray([z.market_population for z in zones])
    leisure = np.asarray([z.leisure_index for z in zones]) * los.population
    border = np.asarray([z.border_town for z in zones])
    market = _market_asc(params, th, countries)
    regimes = regimes_on(params, on, overrides)
    groups = {(g.from_, g.to) for g in params.group_agreements if g.in_force(on)}
    mode_asc = np.asarray([m.asc for m in params.modes])
    nest_names = list(dict.fromkeys(m.nest for m in params.modes))
    nests = [
        Nest(
            name,
            tuple(k for k, m in enumerate(params.modes) if m.nest == name),
            params.nests[name].dissimilarity,
        )
        for name in nest_names
    ]
    rtf = fixed["round_trip_factor"]
    phi = fixed["logsum_coefficient"]
    a = fixed["attraction_exponent"]
    n_p, n_m = len(params.purposes), len(modes)
    visits = np.zeros((n, n, n_p, n_m))
    logsums = np.full((n_p, n, n), -np.inf)
    utility = np.full((n_p, n, n), -np.inf)
    for k, p in enumerate(params.purposes):
        allowed = np.asarray([m in p.modes for m in modes])
        cost = np.moveaxis(los.cost_usd, 0, -1)  # (o, d, mode)
        with np.errstate(invalid="ignore"):
            v = mode_asc + beta * p.cost_scale * rtf * cost / 100.0
        v = np.where(np.isfinite(cost) & allowed, v, -np.inf)
        nl = nested_logit(v, nests)
        ls = nl.logsum
        attraction = leisure if p.attraction == "leisure" else los.population
        regime_u = np.zeros((n, n))
        group = "group_visa_free" in p.exempt  # a purpose travelling as an organised group
        for fa in dict.fromkeys(countries):
            for fb in dict.fromkeys(countries):
                if fa == fb:
                    continue
                regime = regimes.get((fa, fb), "visa")
                free = regime in p.exempt or (group and (fa, fb) in groups)
                value = 0.0 if free else params.regime_utility[regime]
                regime_u[np.ix_(c == fa, c == fb)] = value
        asc_p = np.asarray([_purpose_asc(p.purpose, p.asc, fitted, cc) for cc in countries])
        u = market + asc_p[:, None] + a * np.log(attraction)[None, :] + phi * ls + regime_u
        ok = np.isfinite(market) & np.isfinite(ls) & (c[:, None] != c[None, :])
        if p.destinations == "border_towns":
            ok &= border[None, :]
        u = np.where(ok, u, -np.inf)
        with_outside = np.concatenate([np.zeros((n, 1)), u], axis=1)
        p_dest = mnl_probabilities(with_outside)[:, 1:]
        visits[:, :, k, :] = (
            market_pop[:, None, None] * p_dest[:, :, None] * nl.probabilities * demand_factor
        )
        logsums[k] = ls
        utility[k] = u
    return Demand(
        visits=visits,
        logsum=logsums,
        utility=utility,
        zones=los.zones,
        countries=countries,
        purposes=tuple(p.purpose for p in params.purposes),
        modes=modes,
        regimes=regimes,
        los=los,
        nights=tuple(p.nights for p in params.purposes),
        usd_per_day=dict(params.spending),
        date=on,
    )
