"""The model against published figures: run each figure's query, compare, classify.

Every figure is answered by the public engine (:func:`corridor.route` on the network as of
the figure's date), the metric is read off the route (:func:`observe`), and the value is
compared with the figure's band. The outcome is one of :class:`Status`:

* ``pass``: inside the band;
* ``miss``: outside the band, or the query fails, or the route runs through a country
  the published route does not (a domestic figure answered through a neighbour);
* ``known``: outside the band, but the table marks it as a known discrepancy with a
  reason;
* ``known-passes``: marked known, yet now inside the band: a human should remove the
  mark (the tool never edits the table, nor widens a band).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.analysis.validation.table import Metric, PublishedFigure, load_published
from corridor.errors import CorridorError
from corridor.model.network import Network
from corridor.paths.route import route
from corridor.paths.types import Route

__all__ = ["FigureCheck", "Status", "Validation", "observe", "validate_published"]

log = logging.getLogger(__name__)


class Status(StrEnum):
    """How a published figure compares with the model."""

    PASS = "pass"
    MISS = "miss"
    KNOWN = "known"
    KNOWN_PASSES = "known-passes"


@dataclass(frozen=True, slots=True)
class Observation:
    """A metric read off the model: its value and the route behind it.

    ``problem`` is non-empty when the query could not be answered as published (no
    route, the crossing is not on it, the route leaves the published countries).
    """

    value: float
    route: str
    problem: str = ""


@dataclass(frozen=True, slots=True)
class FigureCheck:
    """One published figure, the model's value for it and the verdict.

    Attributes
    ----------
    figure
        The published figure.
    observed
        The model's value in the figure's unit (NaN if the query failed).
    status
        The verdict.
    route
        The route that produced the value (resolved names, length, refs).
    problem
        Why the query could not be answered as published ("" if it could).
    """

    figure: PublishedFigure
    observed: float
    status: Status
    route: str = ""
    problem: str = ""

    @property
    def deviation_pct(self) -> float:
        """(observed - published) / published, in %; NaN if either is missing or 0."""
        pub = self.figure.published
        if math.isnan(self.observed) or pub == 0:
            return math.nan
        return 100.0 * (self.observed - pub) / pub

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the figure, its query, band, source and the verdict."""
        f, q = self.figure, self.figure.query
        dev = self.deviation_pct
        return {
            "id": f.id,
            "what": f.what.value,
            "query": {
                "origin": q.origin,
                "destination": q.destination,
                "profile": q.profile,
                "optimize": q.optimize,
                "modes": q.modes,
                "as_of": q.as_of,
                "crossing": q.crossing,
                "countries": list(q.countries),
            },
            "published": f.published,
            "band": {"low": round(f.band.low, 6), "high": round(f.band.high, 6), "why": f.band.why},
            "observed": None if math.isnan(self.observed) else round(self.observed, 4),
            "deviation_pct": None if math.isnan(dev) else round(dev, 2),
            "status": self.status.value,
            "date": f.date,
            "source": f.source,
            "note": f.note,
            "known_discrepancy": f.known_discrepancy,
            "route": self.route,
            "problem": self.problem,
        }


@dataclass(frozen=True, slots=True, repr=False)
class Validation:
    """The outcome of checking a network against a table of published figures.

    Attributes
    ----------
    checks
        One per figure, in table order.
    network
        The network's name.
    """

    checks: tuple[FigureCheck, ...]
    network: str = ""

    def __repr__(self) -> str:
        return f"<Validation {self.network!r}: {self.summary()}>"

    def count(self, status: Status | str) -> int:
        """Number of figures with this status."""
        want = Status(status)
        return sum(c.status is want for c in self.checks)

    @property
    def ok(self) -> bool:
        """True if no figure is a miss (known discrepancies do not fail)."""
        return self.count(Status.MISS) == 0

    @property
    def now_passing(self) -> tuple[str, ...]:
        """Ids of figures marked as known discrepancies that now pass (remove the mark)."""
        return tuple(c.figure.id for c in self.checks if c.status is Status.KNOWN_PASSES)

    def by_metric(self) -> dict[str, tuple[int, int]]:
        """Per metric, in table order: (figures within their band, figures)."""
        out: dict[str, tuple[int, int]] = {}
        for c in self.checks:
            within, total = out.get(c.figure.what.value, (0, 0))
            ok = c.status in (Status.PASS, Status.KNOWN_PASSES)
            out[c.figure.what.value] = (within + ok, total + 1)
        return out

    def summary(self) -> str:
        """The answer in words, e.g. "38 of 44 figures within their band; 4 known
        discrepancies; 2 misses"."""
        n = len(self.checks)
        within = self.count(Status.PASS) + self.count(Status.KNOWN_PASSES)
        known, miss = self.count(Status.KNOWN), self.count(Status.MISS)
        text = (
            f"{within} of {n} figures within their band; "
            f"{known} known discrepanc{'y' if known == 1 else 'ies'}; "
            f"{miss} miss{'' if miss == 1 else 'es'}"
        )
        if self.now_passing:
            ids = ", ".join(self.now_passing)
            text += f"; marked known but now passing (remove the mark): {ids}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """``{"summary", "ok", "counts", "by_metric", "now_passing", "figures": [...]}``."""
        return {
            "network": self.network,
            "summary": self.summary(),
            "ok": self.ok,
            "counts": {s.value: self.count(s) for s in Status},
            "by_metric": {k: {"within": w, "figures": n} for k, (w, n) in self.by_metric().items()},
            "now_passing": list(self.now_passing),
            "figures": [c.to_dict() for c in self.checks],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per figure: id, what, published, low, high, observed, status, source."""
        rows = [
            {
                "id": c.figure.id,
                "what": c.figure.what.value,
                "published": c.figure.published,
                "low": c.figure.band.low,
                "high": c.figure.band.high,
                "observed": c.observed,
                "deviation_pct": c.deviation_pct,
                "status": c.status.value,
                "source": c.figure.source,
            }
            for c in self.checks
        ]
        return pd.DataFrame(rows)


def _terminal_h(r: Route) -> float:
    return float(sum(s.time_h + s.wait_h for s in r.stops if s.kind == "terminal"))


def _per_tkm(r: Route, kg: float) -> float:
    if math.isnan(r.cargo_t) or r.cargo_t <= 0:
        raise _UnanswerableError(f"profile {r.profile!r} carries no tonnes; g/t-km needs freight")
    return 1000.0 * kg / (r.cargo_t * r.length_km)


def _moving_h(r: Route) -> float:
    """Hours on the move: leg times less the drivers' breaks and rests within them."""
    return float(sum(leg.time_h - leg.rest_h for leg in r.legs))


def _flight_h(r: Route) -> float:
    """Hours in the air: the block times of the route's air legs."""
    legs = [leg for leg in r.legs if leg.mode == "air"]
    if not legs:
        raise _UnanswerableError("the route takes no flight")
    return float(sum(leg.time_h for leg in legs))


class _UnanswerableError(Exception):
    """A route was found but the metric cannot be read off it."""


def _crossing_h(r: Route, part: str) -> float:
    hits = [s for s in r.stops if s.kind == "border_crossing" and part.lower() in s.name.lower()]
    if not hits:
        passed = ", ".join(s.name for s in r.stops if s.kind == "border_crossing") or "none"
        raise _UnanswerableError(
            f"the route does not pass a crossing named {part!r} (it passes: {passed})"
        )
    return float(sum(s.time_h + s.wait_h for s in hits))


def _metric(r: Route, fig: PublishedFigure) -> float:
    """The figure's metric read off route `r`."""
    what = fig.what
    run_h = r.time_h - _terminal_h(r)
    readers: dict[Metric, Callable[[], float]] = {
        Metric.LENGTH_KM: lambda: r.length_km,
        Metric.TIME_H: lambda: r.time_h,
        Metric.RUN_H: lambda: run_h,
        Metric.TRANSIT_DAYS: lambda: run_h / 24.0,
        Metric.COST_USD: lambda: r.cost_usd,
        Metric.COST_USD_PER_500KM: lambda: r.cost_usd * 500.0 / r.length_km,
        Metric.CO2_WTW_G_PER_TKM: lambda: _per_tkm(r, r.co2_kg),
        Metric.CO2_TTW_G_PER_TKM: lambda: _per_tkm(r, r.co2_ttw_kg),
        Metric.CROSSING_DELAY_H: lambda: _crossing_h(r, fig.query.crossing or ""),
        Metric.SPEED_WITH_DELAY_KMH: lambda: r.length_km / run_h,
        Metric.SPEED_WITHOUT_DELAY_KMH: lambda: r.length_km / _moving_h(r),
        Metric.FLIGHT_H: lambda: _flight_h(r),
    }
    try:
        return float(readers[what]())
    except ZeroDivisionError:
        msg = f"{what.value} needs a route of non-zero length and time"
        raise _UnanswerableError(msg) from None


def _describe(r: Route, countries: Sequence[str]) -> str:
    refs: list[str] = []
    for leg in r.legs:
        if leg.ref and (not refs or refs[-1] != leg.ref):
            refs.append(leg.ref)
    via = "-".join(refs[:8]) + ("-..." if len(refs) > 8 else "")
    return (
        f"{r.origin_name} -> {r.destination_name}, {r.length_km:,.0f} km, "
        f"{r.time_h:,.1f} h via {via or '-'} [{' '.join(countries)}]"
    )


class _Model:
    """The networks of each figure's date and their link countries, built once per run."""

    def __init__(self, network: Network) -> None:
        self.base = network
        self._dated: dict[str, Network] = {}
        self._country: dict[int, str] | None = None

    def on(self, as_of: str | None) -> Network:
        if as_of is None:
            return self.base
        if as_of not in self._dated:
            self._dated[as_of] = self.base.as_of(as_of)
        return self._dated[as_of]

    def countries(self, r: Route) -> list[str]:
        if self._country is None:
            links = self.base.links
            self._country = dict(
                zip(links["link_id"].astype(int), links["country"].astype(str), strict=True)
            )
        seen: list[str] = []
        for lid in r.link_ids:
            c = self._country.get(int(lid), "")
            if c and c not in seen:
                seen.append(c)
        return seen


def observe(network: Network, figure: PublishedFigure) -> Observation:
    """Answer one figure's query on `network` and read its metric.

    Parameters
    ----------
    network
        The network (taken as of ``figure.query.as_of`` when that is set).
    figure
        The published figure.

    Returns
    -------
    Observation
        The value (NaN if no route answers the query), the route behind it and, if the
        figure could not be reproduced as published, the problem.
    """
    return _observe(_Model(network), figure)


def _observe(model: _Model, figure: PublishedFigure) -> Observation:
    q = figure.query
    try:
        net = model.on(q.as_of)
        r = route(
            net, q.origin, q.destination, modes=q.modes, optimize=q.optimize, profile=q.profile
        )
    except CorridorError as exc:
        return Observation(math.nan, "", " ".join(str(exc).split()))
    countries = model.countries(r)
    text = _describe(r, countries)
    try:
        value = _metric(r, figure)
    except _UnanswerableError as exc:
        return Observation(math.nan, text, str(exc))
    outside = [c for c in countries if q.countries and c not in q.countries]
    if outside:
        allowed = " ".join(q.countries)
        problem = (
            f"the route runs through {' '.join(outside)}; the published one stays in {allowed}"
        )
        return Observation(value, text, problem)
    return Observation(value, text)


def _verdict(figure: PublishedFigure, obs: Observation) -> Status:
    inside = not obs.problem and figure.band.contains(obs.value)
    if figure.known_discrepancy:
        return Status.KNOWN_PASSES if inside else Status.KNOWN
    return Status.PASS if inside else Status.MISS


def validate_published(
    network: Network,
    figures: Sequence[PublishedFigure] | str | Path | None = None,
) -> Validation:
    """Check a network against published figures.

    Parameters
    ----------
    network
        The network to check (usually :func:`corridor.eurasia`).
    figures
        The figures, or a YAML table file (see :func:`load_published`); None for the
        table shipped with corridor.

    Returns
    -------
    Validation
        One :class:`FigureCheck` per figure; ``ok`` is False if any figure is a miss.

    Raises
    ------
    DataSourceError
        If a table file cannot be read.
    ValidationError
        If the table has bad rows.

    Notes
    -----
    A query that fails (an unknown place, no path) is a miss, not an error: the model
    cannot answer a question the published figure answers. Known discrepancies never
    fail the run; one that now passes is reported in ``now_passing`` for a human to
    unmark.

    Examples
    --------
    >>> import corridor
    >>> from corridor.analysis.validation.table import parse_published
    >>> table = parse_published({"figures": [{
    ...     "id": "toy-road", "what": "length_km", "published": 350,
    ...     "query": {"origin": "A", "destination": "D", "modes": "road"},
    ...     "band": {"pct": 2, "why": "[assumption] toy"},
    ...     "date": "2026", "source": "hand sum 120 + 115 + 118 km"}]})
    >>> validate_published(corridor.examples.toy(), table).summary()
    '1 of 1 figures within their band; 0 known discrepancies; 0 misses'
    """
    table = (
        load_published(figures) if figures is None or isinstance(figures, str | Path) else figures
    )
    model = _Model(network)
    checks: list[FigureCheck] = []
    for fig in table:
        obs = _observe(model, fig)
        status = _verdict(fig, obs)
        log.debug("figure %s: %s (%s)", fig.id, status.value, obs.value)
        checks.append(FigureCheck(fig, obs.value, status, obs.route, obs.problem))
    out = Validation(tuple(checks), network=network.name)
    log.info("validation on %s: %s", network.name, out.summary())
    return out
