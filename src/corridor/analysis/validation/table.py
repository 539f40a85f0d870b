"""The table of published figures the model is checked against, and its reader.

Each row of ``published.yaml`` (shipped beside this module) is one published figure: what
it measures (:class:`Metric`), the query that reproduces it on the model
(:class:`FigureQuery`), the published value, its band (the published uncertainty or the
range published, :class:`Band`), the date or period it describes, its source, and
optionally ``known_discrepancy``: why the current model cannot meet it. A figure is never
dropped or widened to make the model pass; a miss that is understood is marked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from corridor.errors import DataSourceError, ValidationError
from corridor.model.validate import parse_date, parse_modes, parse_optimize

__all__ = [
    "Band",
    "FigureQuery",
    "Metric",
    "PublishedFigure",
    "load_published",
    "parse_published",
]


class Metric(StrEnum):
    """What a published figure measures, and how it is read off a route.

    ``time_h`` is door to door (terminal dwell included); ``run_h`` and ``transit_days``
    leave out the dwell at the origin and destination terminals (a timetable or a train's
    run); speeds follow CAREC CPMM: SWD over the run, SWOD over moving time only;
    ``flight_h`` is the time of the route's air legs (their block times, gate to gate).
    """

    LENGTH_KM = "length_km"
    TIME_H = "time_h"
    RUN_H = "run_h"
    TRANSIT_DAYS = "transit_days"
    COST_USD = "cost_usd"
    COST_USD_PER_500KM = "cost_usd_per_500km"
    CO2_WTW_G_PER_TKM = "co2_wtw_g_per_tkm"
    CO2_TTW_G_PER_TKM = "co2_ttw_g_per_tkm"
    CROSSING_DELAY_H = "crossing_delay_h"
    SPEED_WITH_DELAY_KMH = "speed_with_delay_kmh"
    SPEED_WITHOUT_DELAY_KMH = "speed_without_delay_kmh"
    FLIGHT_H = "flight_h"

    @property
    def needs_profile(self) -> bool:
        """True if the figure can only be read off a route found for a profile."""
        return self not in (Metric.LENGTH_KM, Metric.TIME_H)


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureQuery:
    """The route question that reproduces a figure on the model.

    Attributes
    ----------
    origin, destination
        Place names or node ids, as for :func:`corridor.route`.
    profile
        Profile id, or None for a free-flow route.
    optimize
        What the route minimises.
    modes
        "road", "rail" or "any".
    as_of
        The day whose network is used (YYYY-MM-DD); None for the undated network.
    crossing
        For ``crossing_delay_h``: a case-insensitive part of the crossing's name.
    countries
        ISO codes of the countries the published route runs through; a model route over
        a link of any other country does not reproduce the figure. Empty: not checked.
    """

    origin: str
    destination: str
    profile: str | None = None
    optimize: str = "time"
    modes: str = "any"
    as_of: str | None = None
    crossing: str | None = None
    countries: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: origin -> destination (profile, optimize, modes, date)."""
        bits = [self.profile or "no profile", self.optimize, self.modes]
        if self.as_of:
            bits.append(f"as of {self.as_of}")
        return f"{self.origin} -> {self.destination} ({', '.join(bits)})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """The interval a model value must fall in, with the reason for its width.

    Attributes
    ----------
    low, high
        Bounds, in the figure's unit (inclusive).
    why
        Where the width comes from: the published uncertainty or range, or
        "[assumption]" with the reasoning.
    """

    low: float
    high: float
    why: str

    def contains(self, value: float) -> bool:
        """True if `value` lies in [low, high] (NaN never does)."""
        return bool(self.low <= value <= self.high)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedFigure:
    """One published figure, its query, band and source.

    Attributes
    ----------
    id
        Stable short id (unique in the table).
    what
        What is measured.
    query
        How to reproduce it on the model.
    published
        The published value, in the metric's unit.
    band
        The interval that counts as agreement.
    date
        The date, year or period the figure describes.
    source
        Publication, URL or document name, and year.
    note
        Anything a reader needs to interpret the figure (optional).
    known_discrepancy
        Why the current model cannot meet the figure, if it cannot; None otherwise.
    """

    id: str
    what: Metric
    query: FigureQuery
    published: float
    band: Band
    date: str
    source: str
    note: str = ""
    known_discrepancy: str | None = None


_ROW_KEYS = {
    "id",
    "what",
    "query",
    "published",
    "band",
    "date",
    "source",
    "note",
    "known_discrepancy",
}
_QUERY_KEYS = {
    "origin",
    "destination",
    "profile",
    "optimize",
    "modes",
    "as_of",
    "crossing",
    "countries",
}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError
    out = float(value)
    if not math.isfinite(out):
        raise TypeError
    return out


def _band(spec: object, published: float) -> Band:
    """A Band from ``{pct: P, why: ...}`` or ``{low: L, high: H, why: ...}``."""
    if not isinstance(spec, dict):
        raise ValueError("band must be a mapping with pct or low/high, and why")
    why = _text(spec.get("why"))
    if not why:
        raise ValueError("band needs `why` (the published uncertainty, or [assumption])")
    unknown = set(spec) - {"pct", "low", "high", "why"}
    if unknown:
        raise ValueError(f"band has unknown keys {sorted(unknown)}")
    if "pct" in spec:
        if "low" in spec or "high" in spec:
            raise ValueError("band takes pct or low/high, not both")
        pct = _number(spec["pct"])
        if pct < 0:
            raise ValueError("band pct must be >= 0")
        half = abs(published) * pct / 100.0
        return Band(low=published - half, high=published + half, why=why)
    if "low" not in spec or "high" not in spec:
        raise ValueError("band needs pct, or both low and high")
    low, high = _number(spec["low"]), _number(spec["high"])
    if low > high:
        raise ValueError(f"band low {low:g} is above high {high:g}")
    if not low <= published <= high:
        raise ValueError(f"published value {published:g} lies outside its band")
    return Band(low=low, high=high, why=why)


def _query(spec: object, default_as_of: str | None) -> FigureQuery:
    if not isinstance(spec, dict):
        raise ValueError("query must be a mapping with origin and destination")
    unknown = set(spec) - _QUERY_KEYS
    if unknown:
        raise ValueError(f"query has unknown keys {sorted(unknown)}")
    origin, destination = _text(spec.get("origin")), _text(spec.get("destination"))
    if not origin or not destination:
        raise ValueError("query needs origin and destination")
    countries = spec.get("countries") or ()
    if isinstance(countries, str) or not all(isinstance(c, str) for c in countries):
        raise ValueError("query countries must be a list of ISO codes")
    as_of = _text(spec.get("as_of", default_as_of)) or None
    optimize = _text(spec.get("optimize")) or "time"
    modes = _text(spec.get("modes")) or "any"
    try:  # the same parsers as corridor.route and Network.as_of, so a typo is a table error
        parse_optimize(optimize)
        parse_modes(modes)
        if as_of is not None:
            parse_date(as_of, field="query as_of")
    except ValidationError as exc:
        raise ValueError(str(exc)) from None
    return FigureQuery(
        origin=origin,
        destination=destination,
        profile=_text(spec.get("profile")) or None,
        optimize=optimize,
        modes=modes,
        as_of=as_of,
        crossing=_text(spec.get("crossing")) or None,
        countries=tuple(c.upper() for c in countries),
    )


def _figure(row: object, default_as_of: str | None) -> PublishedFigure:
    if not isinstance(row, dict):
        raise ValueError("each figure must be a mapping")
    unknown = set(row) - _ROW_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    fid = _text(row.get("id"))
    if not fid:
        raise ValueError("missing id")
    try:
        what = Metric(_text(row.get("what")))
    except ValueError:
        choices = ", ".join(m.value for m in Metric)
        raise ValueError(f"what={row.get('what')!r} is not one of {choices}") from None
    try:
        published = _number(row.get("published"))
    except TypeError:
        got = row.get("published")
        raise ValueError(f"published must be a finite number, got {got!r}") from None
    source, date = _text(row.get("source")), _text(row.get("date"))
    if not source:
        raise ValueError("missing source (publication, URL or document, and year)")
    if not date:
        raise ValueError("missing date (the date, year or period of the figure)")
    query = _query(row.get("query"), default_as_of)
    if what.needs_profile and query.profile is None:
        raise ValueError(f"what={what.value} needs a query profile")
    if what is Metric.CROSSING_DELAY_H and not query.crossing:
        raise ValueError("what=crossing_delay_h needs query.crossing (part of its name)")
    try:
        band = _band(row.get("band"), published)
    except TypeError:
        raise ValueError("band bounds must be finite numbers") from None
    known = _text(row.get("known_discrepancy")) or None
    return PublishedFigure(
        id=fid,
        what=what,
        query=query,
        published=published,
        band=band,
        date=date,
        source=source,
        note=_text(row.get("note")),
        known_discrepancy=known,
    )


def parse_published(doc: object, *, source: str = "<table>") -> tuple[PublishedFigure, ...]:
    """Read a table of published figures from its parsed YAML document.

    Parameters
    ----------
    doc
        ``{"as_of": "YYYY-MM-DD" (optional default), "figures": [row, ...]}``.
    source
        Where the document came from, for messages.

    Returns
    -------
    tuple of PublishedFigure
        In table order.

    Raises
    ------
    ValidationError
        Listing every bad row (missing source or date, unknown metric, a band that
        does not contain its published value, duplicate ids, ...).

    Examples
    --------
    >>> (f,) = parse_published({"as_of": "2026-12-01", "figures": [{
    ...     "id": "m11-km", "what": "length_km", "published": 669,
    ...     "query": {"origin": "Moscow", "destination": "Saint Petersburg", "modes": "road"},
    ...     "band": {"pct": 3, "why": "[assumption] data check tolerance"},
    ...     "date": "2019-11-27", "source": "TASS 2019-11-27"}]})
    >>> round(f.band.low, 2), round(f.band.high, 2), f.query.as_of
    (648.93, 689.07, '2026-12-01')
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("figures"), list):
        raise ValidationError(f"{source}: expected a mapping with a `figures` list")
    default_as_of = _text(doc.get("as_of")) or None
    figures: list[PublishedFigure] = []
    problems: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(doc["figures"], start=1):
        label = row.get("id", f"#{i}") if isinstance(row, dict) else f"#{i}"
        try:
            fig = _figure(row, default_as_of)
        except ValueError as exc:
            problems.append(f"figure {label}: {exc}")
            continue
        if fig.id in seen:
            problems.append(f"figure {fig.id}: duplicate id")
        seen.add(fig.id)
        figures.append(fig)
    if problems:
        shown = "\n  - ".join(problems)
        raise ValidationError(f"{source}: {len(problems)} bad figure(s):\n  - {shown}")
    return tuple(figures)


def load_published(path: str | Path | None = None) -> tuple[PublishedFigure, ...]:
    """Read the table of published figures.

    Parameters
    ----------
    path
        A YAML file in the format of :func:`parse_published`; None for the table shipped
        with corridor (``corridor/analysis/validation/published.yaml``).

    Returns
    -------
    tuple of PublishedFigure
        In table order.

    Raises
    ------
    DataSourceError
        If the file cannot be read or is not YAML.
    ValidationError
        If a row is incomplete or inconsistent (see :func:`parse_published`).
    """
    if path is None:
        name = "corridor/analysis/validation/published.yaml"
        text = resources.files(__package__).joinpath("published.yaml").read_text("utf-8")
    else:
        name = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise DataSourceError(path, f"cannot read the table: {exc.strerror}") from None
    try:
        doc: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataSourceError(name, f"not valid YAML: {exc}") from None
    return parse_published(doc, source=name)
