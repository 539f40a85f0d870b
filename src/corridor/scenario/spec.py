"""Scenario files: YAML validated with pydantic; every error names the file, line and field.

A scenario file::

    name: m12-east
    description: M-12 open from Moscow to Achit (Dyurtyuli-Achit opened July 2025)
    base: eurasia
    edits:                      # applied in order
      - as_of: 2025-08-01
      - set_links: {links: {ref: R-351}, speed_kmh: 90}
      - close_crossing: {crossing: Alashankou, mode: rail}
      - set_crossing: {crossing: Manzhouli, mode: rail, delay_factor: 3}
      - set_crossing: {crossing: Manzhouli, mode: road, hours: "08:00-20:00 local"}
      - add_route: {places: [Kazan, Dyurtyuli], mode: road, speed_kmh: 110, lanes: 4}
      - close_links: {links: {ref: M-12, between: [Kazan, Dyurtyuli]}}
      - reopen_links: {links: {link_ids: [12, 13]}}
      - scale_demand: 1.1
      - visa: {from: CN, to: RU, regime: visa_free, from_date: 2025-12-01}
      - drop_flight: {route: VVO-HRB}
      - add_flight: {a: BQS, b: HRB, block_h: [1.2, 1.2], flights_week: 7}
    appraisal:                  # optional: the project's cost, for the freight appraisal
      investment_cost_usd: 13.6e9
      opened: 2025-07-16
      source: "Avtodor ..., year, URL"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import pydantic
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from corridor.budget import check_depth, clipped
from corridor.errors import DataSourceError, ValidationError
from corridor.model.network import Network
from corridor.scenario.edits import (
    AddFlight,
    AddRoute,
    AsOf,
    CloseCrossing,
    CloseLinks,
    DropFlight,
    Edit,
    LinkSelector,
    ReopenLinks,
    ScaleDemand,
    SetCrossing,
    SetLinks,
    SetVisa,
)

__all__ = ["Scenario", "ScenarioAppraisal", "load_scenario", "parse_scenario"]

ModeName = Literal["road", "rail", "ferry", "transfer", "air"]


MAX_EDITS = 500
"""Most edits in one scenario [assumption: the bundled scenarios have under 20; each edit
builds and checks a new network (~20 ms on the embedded one), so 500 take about 10 s]."""
MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read [assumption: 500 edits take under 100 kB]."""
FIRST_DAY = dt.date(1800, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
"""Dates in a scenario lie in FIRST_DAY..LAST_DAY, as the network's own dates do."""


def _sane_day(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"date {day} is outside {FIRST_DAY.year}..{LAST_DAY.year}")
    return day


Day = Annotated[dt.date, AfterValidator(_sane_day)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Links(_Strict):
    link_ids: list[int] = []
    ref: str | None = None
    corridor: str | None = None
    mode: ModeName | None = None
    between: tuple[str, str] | None = None

    def build(self) -> LinkSelector:
        return LinkSelector(
            link_ids=tuple(self.link_ids),
            ref=self.ref,
            corridor=self.corridor,
            mode=self.mode,
            between=self.between,
        )


class _Close(_Strict):
    links: _Links
    date: Day | None = None


class _Reopen(_Strict):
    links: _Links


class _Set(_Strict):
    links: _Links
    speed_kmh: float | None = Field(None, gt=0, le=400)
    capacity_veh_h: float | None = Field(None, ge=0)
    toll_usd: float | None = Field(None, ge=0)
    lanes: int | None = Field(None, ge=0, le=16)


class _CloseCrossing(_Strict):
    crossing: str
    mode: ModeName | None = None


class _SetCrossing(_Strict):
    crossing: str
    mode: ModeName
    direction: Literal["a_to_b", "b_to_a", "both"] = "both"
    delay_h: float | None = Field(None, ge=0)
    delay_factor: float | None = Field(None, ge=0)
    fee_usd: float | None = Field(None, ge=0)
    vehicles: Literal["all", "passenger", "freight", "car", "bus", "truck"] | None = None
    passenger_delay_h: float | None = Field(None, ge=0)
    hours: str | None = None

    @model_validator(mode="after")
    def _hours(self) -> _SetCrossing:
        from corridor.model.hours import hours_problem

        problem = hours_problem(self.hours) if self.hours is not None else None
        if problem:
            raise ValueError(f"hours: {problem}")
        return self


class _AddRoute(_Strict):
    places: list[str] = Field(min_length=2)
    mode: ModeName
    speed_kmh: float = Field(gt=0, le=400)
    link_class: str = Field("", alias="class")
    ref: str = ""
    name: str = ""
    lanes: int = Field(0, ge=0, le=16)
    opened: Day | None = None
    length_km: float | None = Field(None, gt=0)
    circuity: float = Field(1.2, ge=1.0, le=3.0)
    toll_usd: float = Field(0.0, ge=0)
    gauge_mm: float | None = Field(None, ge=500, le=2000)
    capacity_veh_h: float | None = Field(None, ge=0)


class _Visa(_Strict):
    from_: str = Field(alias="from", min_length=2, max_length=2)
    to: str = Field(min_length=2, max_length=2)
    regime: Literal["visa", "e_visa", "group_visa_free", "visa_free"]
    from_date: dt.date = dt.date(1900, 1, 1)


class _DropFlight(_Strict):
    route: str = Field(min_length=7, max_length=7, pattern=r"^[A-Za-z]{3}-[A-Za-z]{3}$")
    date: dt.date | None = None


class _AddFlight(_Strict):
    a: str = Field(pattern=r"^[A-Za-z]{3}$")
    b: str = Field(pattern=r"^[A-Za-z]{3}$")
    block_h: tuple[float, float]
    flights_week: float = Field(gt=0, le=500)
    fare_usd: float | None = Field(None, gt=0)
    opened: dt.date | None = None


class _EditItem(_Strict):
    as_of: Day | None = None
    close_links: _Close | None = None
    reopen_links: _Reopen | None = None
    set_links: _Set | None = None
    close_crossing: _CloseCrossing | None = None
    set_crossing: _SetCrossing | None = None
    add_route: _AddRoute | None = None
    scale_demand: float | None = Field(None, gt=0)
    visa: _Visa | None = None
    drop_flight: _DropFlight | None = None
    add_flight: _AddFlight | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> _EditItem:
        given = [k for k, v in self.__dict__.items() if v is not None]
        if len(given) != 1:
            raise ValueError(
                f"each edit has exactly one kind, got {given or 'none'}; kinds: "
                + ", ".join(type(self).model_fields)
            )
        return self

    def build(self) -> Edit:
        if self.as_of is not None:
            return AsOf(pd.Timestamp(self.as_of))
        if self.close_links is not None:
            c = self.close_links
            return CloseLinks(c.links.build(), pd.Timestamp(c.date or "1900-01-01"))
        if self.reopen_links is not None:
            return ReopenLinks(self.reopen_links.links.build())
        if self.set_links is not None:
            s = self.set_links
            return SetLinks(
                links=s.links.build(),
                speed_kmh=s.speed_kmh,
                capacity_veh_h=s.capacity_veh_h,
                toll_usd=s.toll_usd,
                lanes=s.lanes,
            )
        if self.close_crossing is not None:
            return CloseCrossing(self.close_crossing.crossing, self.close_crossing.mode)
        if self.set_crossing is not None:
            x = self.set_crossing
            return SetCrossing(
                crossing=x.crossing,
                mode=x.mode,
                direction=x.direction,
                delay_h=x.delay_h,
                delay_factor=x.delay_factor,
                fee_usd=x.fee_usd,
                vehicles=x.vehicles,
                passenger_delay_h=x.passenger_delay_h,
                hours=x.hours,
            )
        if self.add_route is not None:
            r = self.add_route
            return AddRoute(
                places=tuple(r.places),
                mode=r.mode,
                speed_kmh=r.speed_kmh,
                link_class=r.link_class,
                ref=r.ref,
                name=r.name,
                lanes=r.lanes,
                opened=pd.Timestamp(r.opened) if r.opened else None,
                length_km=r.length_km,
                circuity=r.circuity,
                toll_usd=r.toll_usd,
                gauge_mm=r.gauge_mm,
                capacity_veh_h=r.capacity_veh_h,
            )
        if self.scale_demand is not None:
            return ScaleDemand(self.scale_demand)
        if self.visa is not None:
            v = self.visa
            return SetVisa(v.from_.upper(), v.to.upper(), v.regime, v.from_date)
        if self.drop_flight is not None:
            f = self.drop_flight
            return DropFlight(f.route.upper(), pd.Timestamp(f.date or "1900-01-01"))
        if self.add_flight is not None:
            g = self.add_flight
            return AddFlight(
                a=g.a.upper(),
                b=g.b.upper(),
                block_h=g.block_h,
                flights_week=g.flights_week,
                fare_usd=g.fare_usd,
                opened=pd.Timestamp(g.opened) if g.opened else None,
            )
        raise ValidationError(
            "an edit has no kind; give one of " + ", ".join(type(self).model_fields)
        )


class _Appraisal(_Strict):
    investment_cost_usd: float = Field(ge=0)
    opened: dt.date | None = None
    source: str = Field(min_length=1)


class _ScenarioFile(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    base: str = "eurasia"
    edits: list[_EditItem] = Field([], max_length=MAX_EDITS)
    appraisal: _Appraisal | None = None


@dataclass(frozen=True, slots=True)
class ScenarioAppraisal:
    """What a scenario's project costs, for the freight appraisal.

    Attributes
    ----------
    investment_cost_usd
        Investment the scenario stands for, US$, spent by the opening day.
    opened
        When it opened (or opens), if known.
    source
        Publication, year and URL of the cost, or "[assumption] ...".
    """

    investment_cost_usd: float
    opened: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named base network plus edits applied in order.

    Attributes
    ----------
    name, description
        Identity and a one-line description.
    base
        Name of the base network ("eurasia" for the embedded one) or a file path.
    edits
        The edits, in order.
    source
        The file, and the line of each edit, for error messages.
    appraisal
        The optional ``appraisal`` block: the project's investment cost and its source.
    """

    name: str
    description: str
    base: str
    edits: tuple[Edit, ...]
    source: str = "<scenario>"
    lines: tuple[int, ...] = ()
    appraisal: ScenarioAppraisal | None = None

    @property
    def demand_factor(self) -> float:
        """Product of the scenario's `scale_demand` edits."""
        factor = 1.0
        for edit in self.edits:
            if isinstance(edit, ScaleDemand):
                factor *= edit.factor
        return factor

    def apply(self, network: Network) -> Network:
        """Apply the edits to `network` in order and return the result (the input is untouched).

        Raises
        ------
        ValidationError
            Naming the file, the line and the edit that failed (unknown place, no such link).
        """
        out = network
        for i, edit in enumerate(self.edits):
            try:
                out = edit.apply(out)
            except (ValidationError, LookupError) as exc:
                line = self.lines[i] if i < len(self.lines) else 0
                raise ValidationError(
                    f"{self.source}:{line}: edit {i + 1} ({type(edit).__name__}): {exc}"
                ) from None
        # keep the date an as_of edit set: links closing later stay open on it
        return Network(
            out.nodes,
            out.links,
            out.crossings,
            out.turns,
            out.formalities,
            name=f"{network.name}+{self.name}",
            date=out.date,  # an as_of edit's day: what closes later stays open on it
        )


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so that pydantic reports bad ones with a line."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """1-based line of the YAML node at a pydantic error location (best effort)."""
    best = node.start_mark.line + 1 if node is not None else 0
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            if match is None:
                match = next((k for k, _ in node.value if k.value == key), None)
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        best = node.start_mark.line + 1
    return best


def parse_scenario(text: str, *, source: str = "<scenario>") -> Scenario:
    """Parse scenario YAML text.

    Raises
    ------
    ValidationError
        For invalid YAML or a field that breaks the schema, naming source, line and field.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except RecursionError:
        raise ValidationError(
            f"{source}: nested more than a few hundred levels deep; a scenario needs five"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ValidationError(
            f"{source}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    except ValueError as exc:  # PyYAML's int(): more digits than Python converts (4,300)
        raise ValidationError(
            f"{source}: a number in the file cannot be read ({clipped(str(exc), 120)}); "
            "no scenario value needs more than a few digits"
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(f"{source}:1: a scenario file is a mapping with name, base and edits")
    check_depth(data, where=source)
    try:
        spec = _ScenarioFile.model_validate(data)
    except pydantic.ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "(top)"
            lines.append(f"{source}:{_line_of(root, loc)}: {clipped(field, 80)}: {err['msg']}")
            if len(lines) == 10:
                lines.append(f"... ({len(exc.errors())} problems in all)")
                break
        raise ValidationError("\n".join(lines)) from None
    edit_lines = []
    edits_node = _line_of(root, ("edits",))
    for i in range(len(spec.edits)):
        edit_lines.append(_line_of(root, ("edits", i)) or edits_node)
    return Scenario(
        name=spec.name,
        description=spec.description,
        base=spec.base,
        edits=tuple(e.build() for e in spec.edits),
        source=source,
        lines=tuple(edit_lines),
        appraisal=None
        if spec.appraisal is None
        else ScenarioAppraisal(
            investment_cost_usd=spec.appraisal.investment_cost_usd,
            opened=spec.appraisal.opened,
            source=spec.appraisal.source,
        ),
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file.

    Raises
    ------
    DataSourceError
        If the file cannot be read.
    ValidationError
        If its content is invalid (file, line and field named).
    """
    file = Path(path)
    if file.is_file() and file.stat().st_size > MAX_SCENARIO_BYTES:
        raise DataSourceError(
            file,
            f"larger than {MAX_SCENARIO_BYTES} bytes; a scenario holds at most {MAX_EDITS} edits",
        )
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataSourceError(
            file,
            f"line {line} is not UTF-8 text (byte {exc.object[exc.start]:#04x}); save the file "
            "as UTF-8 (it may be Latin-1)",
        ) from None
    except OSError as exc:
        raise DataSourceError(
            file, f"cannot read scenario file: {exc.strerror or type(exc).__name__}"
        ) from None
    return parse_scenario(text, source=str(file))
