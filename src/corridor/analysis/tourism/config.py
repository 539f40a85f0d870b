"""The tourism model's parameter files: ``params.yaml`` (zones, purposes, modes, visa
regimes, fixed parameters, spending, targets) and ``fitted.yaml`` (the calibrated
parameters and the year they describe), validated once into frozen values.

Every row must carry a ``source`` (a publication or ``[assumption]``); a file that breaks
the schema raises :class:`~corridor.errors.ValidationError` naming the file, the row and
the field, and how to fix it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridor.errors import DataSourceError, ValidationError

__all__ = [
    "FITTED_NAMES",
    "REGIMES",
    "Fitted",
    "TourismParams",
    "load_fitted",
    "load_params",
    "parse_fitted",
    "parse_params",
]

Regime = Literal["visa", "e_visa", "group_visa_free", "visa_free"]
REGIMES: tuple[str, ...] = ("visa", "e_visa", "group_visa_free", "visa_free")
"""Visa regimes, most to least restrictive."""

FITTED_NAMES: tuple[str, ...] = (
    "asc_market_CN_RU",
    "asc_market_RU_CN",
    "asc_business_CN",
    "asc_business_RU",
    "asc_shopping",
    "beta_cost_per_100usd",
    "asc_market_KZ_RU",
    "asc_market_RU_KZ",
    "asc_market_MN_CN",
)
"""The parameters ``corridor tourism calibrate`` fits, in order."""

_Source = Field(min_length=1, description="publication (year, URL) or [assumption]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Zone(_Strict):
    """A zone: a network place standing for a market (region) of `market_population`."""

    place: str = Field(min_length=1)
    country: str = Field(min_length=2, max_length=2)
    market_population: float = Field(gt=0)
    leisure_index: float = Field(gt=0)
    border_town: bool = False
    source: str = _Source


class Market(_Strict):
    """An ordered country pair covered, with its constant (fitted or assumed)."""

    from_: str = Field(alias="from", min_length=2, max_length=2)
    to: str = Field(min_length=2, max_length=2)
    calibrated: bool
    asc: float
    source: str = _Source


class ModeSpec(_Strict):
    """A mode: the profile that prices it, its nest and constant."""

    mode: Literal["air", "rail", "bus", "car"]
    profile: str = Field(min_length=1)
    nest: str = Field(min_length=1)
    asc: float
    source: str = _Source


class NestSpec(_Strict):
    dissimilarity: float = Field(gt=0, le=1)
    source: str = _Source


class Purpose(_Strict):
    """A trip purpose: its modes, attraction, cost scale, visa exemptions and nights."""

    purpose: Literal["group_tour", "leisure", "business", "shopping"]
    modes: tuple[Literal["air", "rail", "bus", "car"], ...] = Field(min_length=1)
    attraction: Literal["leisure", "population"]
    cost_scale: float = Field(gt=0)
    asc: float
    exempt: tuple[Regime, ...] = ()
    destinations: Literal["all", "border_towns"]
    nights: float = Field(gt=0)
    source: str = _Source


class VisaRule(_Strict):
    """A visa regime for individuals of one country entering another, from a date."""

    from_: str = Field(alias="from", min_length=2, max_length=2)
    to: str = Field(min_length=2, max_length=2)
    regime: Regime
    from_date: dt.date
    source: str = _Source


class GroupAgreement(_Strict):
    """Organised groups of one country enter another visa-free from a date, whatever the
    regime for individuals (e.g. the China-Russia agreement of 2000)."""

    from_: str = Field(alias="from", min_length=2, max_length=2)
    to: str = Field(min_length=2, max_length=2)
    from_date: dt.date
    until: dt.date | None = None
    source: str = _Source

    def in_force(self, on: dt.date) -> bool:
        """Whether groups travel visa-free under it on `on`."""
        return self.from_date <= on and (self.until is None or on < self.until)


class Valued(_Strict):
    value: float
    source: str = _Source


class Range(_Strict):
    low: float
    high: float
    source: str = _Source

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self


class Spending(_Strict):
    origin: str = Field(min_length=2, max_length=2)
    usd_per_day: float = Field(gt=0)
    source: str = _Source


class Target(_Strict):
    """A published figure the model reproduces (``fit``) or is checked against."""

    id: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    date: dt.date | None = None
    kind: Literal["visits", "crossings", "share"]
    pairs: tuple[tuple[str, str], ...] = ()
    destinations: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    crossings: tuple[str, ...] = ()
    modes: tuple[Literal["air", "rail", "bus", "car"], ...] = ()
    value: float = Field(gt=0)
    scale: float | str = 1.0
    tolerance: float = Field(gt=0, lt=1)
    fit: bool
    source: str = _Source

    @model_validator(mode="after")
    def _complete(self) -> Target:
        if self.kind in ("visits", "share") and not self.pairs:
            raise ValueError(f"a {self.kind} target needs pairs: [[FROM, TO], ...]")
        if self.kind == "share" and not (self.purposes and self.value < 1):
            raise ValueError("a share target needs purposes (the numerator) and a value < 1")
        if self.kind == "crossings" and not self.crossings:
            raise ValueError("a crossings target needs crossings: [name, ...]")
        return self

    @property
    def on(self) -> dt.date:
        """The day whose network and regimes the target describes (mid-year by default)."""
        return self.date or dt.date(self.year, 7, 1)


class _ParamsFile(_Strict):
    version: int = 1
    zones: tuple[Zone, ...] = Field(min_length=2)
    markets: tuple[Market, ...] = Field(min_length=1)
    modes: tuple[ModeSpec, ...] = Field(min_length=1)
    nests: dict[str, NestSpec]
    purposes: tuple[Purpose, ...] = Field(min_length=1)
    visa: tuple[VisaRule, ...] = ()
    group_agreements: tuple[GroupAgreement, ...] = ()
    regime_utility: dict[Regime, Valued]
    fixed: dict[str, Valued]
    ranges: dict[str, Range] = {}
    spending: tuple[Spending, ...] = ()
    targets: tuple[Target, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> _ParamsFile:
        problems: list[str] = []
        places = [z.place for z in self.zones]
        dup = sorted({p for p in places if places.count(p) > 1})
        if dup:
            problems.append(f"zones: places listed twice: {dup}")
        for m in self.modes:
            if m.nest not in self.nests:
                problems.append(f"modes: {m.mode} names nest {m.nest!r}, not in nests")
        known = {m.mode for m in self.modes}
        for p in self.purposes:
            unknown = sorted(set(p.modes) - known)
            if unknown:
                problems.append(f"purposes: {p.purpose} uses modes {unknown} not in modes")
        missing = sorted(set(REGIMES) - set(self.regime_utility))
        if missing:
            problems.append(f"regime_utility: give a value for {missing}")
        need = {"logsum_coefficient", "attraction_exponent", "round_trip_factor"}
        if need - set(self.fixed):
            problems.append(f"fixed: give {sorted(need - set(self.fixed))}")
        stray = sorted(set(self.ranges) - set(self.fixed) - set(REGIMES))
        if stray:
            problems.append(f"ranges: {stray} are neither fixed parameters nor regimes")
        for t in self.targets:
            if isinstance(t.scale, str) and t.scale not in self.fixed:
                problems.append(f"targets: {t.id} scale {t.scale!r} is not a fixed parameter")
            bad = sorted(set(t.purposes) - {p.purpose for p in self.purposes})
            if bad:
                problems.append(f"targets: {t.id} names unknown purposes {bad}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@dataclass(frozen=True, slots=True)
class TourismParams:
    """Validated contents of a tourism ``params.yaml``.

    Attributes
    ----------
    zones, markets, modes, nests, purposes, visa, regime_utility, fixed, spending, targets
        The file's sections (see the bundled file for their meaning and sources).
    ranges
        (low, high) of the fixed parameters and regime utilities drawn by ``--draws``.
    group_agreements
        Visa-free entry of organised groups by country pair and date.
    source
        The file read.
    """

    zones: tuple[Zone, ...]
    markets: tuple[Market, ...]
    modes: tuple[ModeSpec, ...]
    nests: dict[str, NestSpec]
    purposes: tuple[Purpose, ...]
    visa: tuple[VisaRule, ...]
    regime_utility: dict[str, float]
    fixed: dict[str, float]
    spending: dict[str, float]
    targets: tuple[Target, ...]
    source: str
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    group_agreements: tuple[GroupAgreement, ...] = ()

    def with_values(self, values: dict[str, float]) -> TourismParams:
        """A copy with fixed parameters or regime utilities replaced (``group_visa_free``
        follows ``visa``)."""
        fixed = dict(self.fixed)
        regime = dict(self.regime_utility)
        for k, v in values.items():
            if k in regime:
                regime[k] = v
                if k == "visa":
                    regime["group_visa_free"] = v
            elif k in fixed:
                fixed[k] = v
            else:
                raise ValidationError(f"{k!r} is neither a fixed parameter nor a regime")
        return replace(self, fixed=fixed, regime_utility=regime)

    def scale(self, target: Target) -> float:
        """The share of a year `target` covers."""
        return self.fixed[target.scale] if isinstance(target.scale, str) else float(target.scale)


@dataclass(frozen=True, slots=True)
class Fitted:
    """Calibrated parameters and the year they describe.

    Attributes
    ----------
    year
        The year of the statistics they were fitted to.
    values
        Value per name of :data:`FITTED_NAMES`.
    std
        Standard error per name (from the fit's Jacobian and the targets' tolerances).
    correlation
        Correlation matrix of the estimates, rows in :data:`FITTED_NAMES` order.
    source
        Where they came from.
    """

    year: int
    values: dict[str, float]
    std: dict[str, float]
    correlation: tuple[tuple[float, ...], ...]
    source: str

    def vector(self) -> list[float]:
        """The values in :data:`FITTED_NAMES` order."""
        return [self.values[n] for n in FITTED_NAMES]


def _read(path: str | Path | None, default: str) -> tuple[str, str]:
    if path is None:
        ref = resources.files("corridor.analysis.tourism") / default
        return ref.read_text(encoding="utf-8"), f"bundled:{default}"
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8"), str(file)
    except OSError as exc:
        raise DataSourceError(file, f"cannot read tourism parameters: {exc.strerror}") from None


def _load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ValidationError(
            f"{source}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}"
        ) from None


def _where(loc: tuple[Any, ...], data: Any) -> str:
    """``zones[3] (Moscow).market_population`` for a pydantic error location."""
    out = ""
    node = data
    for key in loc:
        if isinstance(key, int):
            label = ""
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                row = node[key]
                name = row.get("place") or row.get("id") or row.get("purpose") or row.get("mode")
                label = f" ({name})" if name else ""
            out += f"[{key}]{label}"
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            out += ("." if out else "") + str(key)
            node = node.get(key) if isinstance(node, dict) else None
    return out or "(top)"


def parse_params(text: str, *, source: str = "<params>") -> TourismParams:
    """Validate tourism parameter YAML text.

    Raises
    ------
    ValidationError
        Naming the source, the row and the field of every problem.
    """
    data = _load_yaml(text, source)
    if not isinstance(data, dict):
        raise ValidationError(f"{source}: a tourism params file is a mapping (zones, modes, ...)")
    try:
        spec = _ParamsFile.model_validate(data)
    except pydantic.ValidationError as exc:
        lines = [f"{source}: {_where(tuple(e['loc']), data)}: {e['msg']}" for e in exc.errors()]
        raise ValidationError("\n".join(lines)) from None
    return TourismParams(
        zones=spec.zones,
        markets=spec.markets,
        modes=spec.modes,
        nests=spec.nests,
        purposes=spec.purposes,
        visa=spec.visa,
        regime_utility={k: v.value for k, v in spec.regime_utility.items()},
        fixed={k: v.value for k, v in spec.fixed.items()},
        spending={s.origin: s.usd_per_day for s in spec.spending},
        targets=spec.targets,
        source=source,
        ranges={k: (r.low, r.high) for k, r in spec.ranges.items()},
        group_agreements=spec.group_agreements,
    )


def load_params(path: str | Path | None = None) -> TourismParams:
    """Read a tourism ``params.yaml`` (default: the bundled one).

    Raises
    ------
    DataSourceError
        If the file cannot be read.
    ValidationError
        If its content breaks the schema (file, row and field named).
    """
    text, source = _read(path, "params.yaml")
    return parse_params(text, source=source)


class _FittedFile(_Strict):
    year: int = Field(ge=2000, le=2100)
    parameters: dict[str, float]
    std: dict[str, float]
    correlation: list[list[float]]
    source: str = _Source

    @model_validator(mode="after")
    def _names(self) -> _FittedFile:
        want = set(FITTED_NAMES)
        for section in ("parameters", "std"):
            got = set(getattr(self, section))
            if got != want:
                raise ValueError(
                    f"{section} must name exactly {sorted(want)}; "
                    f"missing {sorted(want - got)}, unknown {sorted(got - want)}"
                )
        n = len(FITTED_NAMES)
        if len(self.correlation) != n or any(len(r) != n for r in self.correlation):
            raise ValueError(f"correlation must be {n} x {n}")
        return self


def parse_fitted(text: str, *, source: str = "<fitted>") -> Fitted:
    """Validate fitted-parameter YAML text.

    Raises
    ------
    ValidationError
        Naming the source and the field.
    """
    data = _load_yaml(text, source)
    if not isinstance(data, dict):
        raise ValidationError(f"{source}: a fitted file is a mapping (year, parameters, std)")
    try:
        spec = _FittedFile.model_validate(data)
    except pydantic.ValidationError as exc:
        lines = [f"{source}: {_where(tuple(e['loc']), data)}: {e['msg']}" for e in exc.errors()]
        raise ValidationError("\n".join(lines)) from None
    return Fitted(
        year=spec.year,
        values=dict(spec.parameters),
        std=dict(spec.std),
        correlation=tuple(tuple(r) for r in spec.correlation),
        source=spec.source,
    )


def load_fitted(path: str | Path | None = None) -> Fitted:
    """Read a ``fitted.yaml`` (default: the bundled one, the calibration shipped).

    Raises
    ------
    DataSourceError
        If the file cannot be read.
    ValidationError
        If its content is invalid.
    """
    text, source = _read(path, "fitted.yaml")
    return parse_fitted(text, source=source)
