"""Vehicle and traveller profiles: what a shipment may use and what it costs, in YAML.

A profile says which modes and link classes a shipment may use, how fast it moves on
each, what it pays per km, per toll, per border crossing, per gauge break and per
road/rail transfer, what it emits (tank-to-wheel and well-to-wheel kept apart, GLEC /
ISO 14083 style), what its time is worth and, for trucks and cars, the drivers' rules.

The built-in profiles live in ``corridor/costs/profiles/*.yaml``; users pass the path of
their own YAML file in the same shape. Every section carries a ``source`` naming where
its figures come from or the assumption made.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridor._typing import FloatArray
from corridor.budget import check_depth, clipped
from corridor.errors import DataSourceError, ValidationError

__all__ = [
    "BUILTIN_PROFILES",
    "Boarding",
    "CrossingParams",
    "DriverRules",
    "Handling",
    "Load",
    "ModeParams",
    "Profile",
    "TerminalParams",
    "Traction",
    "ValueOfTime",
    "list_profiles",
    "load_profile",
]

BUILTIN_PROFILES: tuple[str, ...] = (
    "air",
    "bus",
    "car",
    "container20",
    "container40",
    "grain-wagon",
    "train",
    "traveller",
    "truck20",
    "truck40",
)

_Source = Field(min_length=3, description="where the figures come from, or the assumption")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Load(_Strict):
    """What one shipment is: `amount` units of `unit` (t of cargo, or travellers)."""

    unit: Literal["t", "passenger"]
    amount: float = Field(gt=0)
    source: str = _Source


class ValueOfTime(_Strict):
    """Value of one hour of the shipment's time.

    Give either ``usd_per_h`` (travellers: per party) or ``cargo_value_usd`` with
    ``pct_per_day`` (freight: the cargo's value times its daily time cost).
    """

    usd_per_h: float | None = Field(default=None, ge=0)
    cargo_value_usd: float | None = Field(default=None, ge=0)
    pct_per_day: float | None = Field(default=None, ge=0, le=100)
    source: str = _Source

    @model_validator(mode="after")
    def _one_form(self) -> ValueOfTime:
        freight = self.cargo_value_usd is not None and self.pct_per_day is not None
        if (self.usd_per_h is None) == (not freight):
            raise ValueError("give either usd_per_h, or both cargo_value_usd and pct_per_day")
        return self

    @property
    def value_usd_per_h(self) -> float:
        """US$ per hour of the shipment's time."""
        if self.usd_per_h is not None:
            return float(self.usd_per_h)
        return float(self.cargo_value_usd or 0.0) * float(self.pct_per_day or 0.0) / 100.0 / 24.0


class Traction(_Strict):
    """Rail energy use per unit (t of cargo or traveller) and km, by traction.

    CO2 then follows the link's ``electrified`` column and country
    (:mod:`corridor.costs.traction`): diesel links burn ``diesel_fuel_g_per_unit_km``,
    electric links draw ``electric_kwh_per_unit_km`` from the country's grid.
    """

    diesel_fuel_g_per_unit_km: float = Field(gt=0, le=200)
    electric_kwh_per_unit_km: float = Field(gt=0, le=2)
    source: str = _Source


class ModeParams(_Strict):
    """Line-haul parameters on one mode.

    Speed on a link is ``min(link speed_kmh * speed_factor, class cap, max_speed_kmh)``;
    give ``km_per_day`` instead of ``max_speed_kmh`` for commercial rail speeds, which then
    is the default where a link has no ``freight_km_per_day`` of its own (there the speed is
    ``freight_km_per_day * freight_speed_share``). A passenger ``service`` (``fastest`` or
    ``regular``) takes the links' timetabled ``passenger_fast_kmh`` / ``passenger_kmh``
    where they have them. Money is ``cost_per_km_usd`` per km, or the rate of the link's
    country in ``cost_per_km_usd_by_country``. CO2 is ``co2_*_g_per_unit_km`` per unit-km,
    or, on rail with a ``traction``, by the link's traction and country.
    """

    cost_per_km_usd: float = Field(ge=0, description="per shipment and km, US$")
    cost_per_km_usd_by_country: dict[str, float] = Field(
        default_factory=dict, description="per shipment and km by link country, US$"
    )
    # lower bounds [assumption]: below 1 km/h, 10 km/day or a 5% share nothing moves, and
    # the timeline would take billions of steps
    max_speed_kmh: float | None = Field(default=None, ge=1, le=1000)
    km_per_day: float | None = Field(default=None, ge=10, le=9600)
    freight_speed_share: float = Field(default=1.0, ge=0.05, le=2)
    service: Literal["fastest", "regular"] | None = None
    speed_factor: float = Field(default=1.0, ge=0.05, le=2)
    class_max_speed_kmh: dict[str, float] = Field(default_factory=dict)
    classes: tuple[str, ...] | None = Field(
        default=None, description="link classes allowed; None for every class"
    )
    co2_ttw_g_per_unit_km: float | None = Field(default=None, ge=0)
    co2_wtw_g_per_unit_km: float | None = Field(default=None, ge=0)
    traction: Traction | None = None
    source: str = _Source

    @model_validator(mode="after")
    def _speeds(self) -> ModeParams:
        if (self.max_speed_kmh is None) == (self.km_per_day is None):
            raise ValueError("give exactly one of max_speed_kmh and km_per_day")
        if any(not (1 <= v <= 1000) for v in self.class_max_speed_kmh.values()):
            raise ValueError("class_max_speed_kmh values must be in 1..1000 km/h")
        if any(not (v >= 0) for v in self.cost_per_km_usd_by_country.values()):
            raise ValueError("cost_per_km_usd_by_country values must be >= 0")
        ttw, wtw = self.co2_ttw_g_per_unit_km, self.co2_wtw_g_per_unit_km
        if self.traction is None and (ttw is None or wtw is None):
            raise ValueError(
                "give co2_ttw_g_per_unit_km and co2_wtw_g_per_unit_km (or, on rail, a traction)"
            )
        if ttw is not None and wtw is not None and wtw < ttw:
            raise ValueError("co2_wtw_g_per_unit_km must be >= co2_ttw_g_per_unit_km")
        return self

    @property
    def flat_co2_g_per_unit_km(self) -> tuple[float, float]:
        """(TTW, WTW) g CO2e per unit-km where no traction applies (0 where not given)."""
        return float(self.co2_ttw_g_per_unit_km or 0.0), float(self.co2_wtw_g_per_unit_km or 0.0)

    @property
    def speed_cap_kmh(self) -> float:
        """The highest speed on this mode, km/h."""
        if self.max_speed_kmh is not None:
            return float(self.max_speed_kmh)
        return float(self.km_per_day or 0.0) / 24.0


class Handling(_Strict):
    """A stop's time and money."""

    time_h: float = Field(ge=0)
    cost_usd: float = Field(ge=0)
    source: str = _Source


class TerminalParams(_Strict):
    """Handling at the origin and destination, by the mode the shipment starts/ends on."""

    origin: dict[Literal["road", "rail"], Handling]
    destination: dict[Literal["road", "rail"], Handling]


class Boarding(_Strict):
    """Time at the departure airport before a flight: the link's ``processing_h``
    (check-in and security, domestic or international, from the network) plus a mean
    schedule wait of ``wait_share`` x the headway, at most ``max_wait_h``; the headway is
    ``7 x operating_h_per_day / flights_week`` (flights spread over the airport's day)."""

    wait_share: float = Field(ge=0, le=1)
    max_wait_h: float = Field(ge=0, le=48)
    operating_h_per_day: float = Field(gt=0, le=24)
    source: str = _Source

    def wait_h(self, flights_week: FloatArray) -> FloatArray:
        """Mean schedule wait, h, for flights a week (0 where not given).

        Examples
        --------
        >>> b = Boarding(wait_share=0.5, max_wait_h=2.0, operating_h_per_day=18,
        ...               source="[assumption] example")
        >>> b.wait_h(np.array([126.0, 7.0, np.nan])).tolist()
        [0.5, 2.0, 0.0]
        """
        f = np.asarray(flights_week, dtype=np.float64)
        ok = np.isfinite(f) & (f > 0)
        headway = np.where(ok, 7.0 * self.operating_h_per_day / np.where(ok, f, 1.0), 0.0)
        return np.asarray(np.minimum(self.wait_share * headway, self.max_wait_h), np.float64)


class CrossingParams(_Strict):
    """How border crossings are charged.

    ``delay`` picks the network's freight figure (``delay_h``, ``fee_usd``) or its
    passenger figure (``passenger_delay_h``); ``fallback_delay_h`` is used where the
    network has no figure for this mode (or no passenger figure). Fees are multiplied by
    ``fee_factor``.
    """

    delay: Literal["freight", "passenger"]
    fallback_delay_h: float = Field(ge=0)
    fee_factor: float = Field(ge=0)
    source: str = _Source


class DriverRules(_Strict):
    """Drivers' hours: at most ``max_driving_h_per_day`` of driving between daily rests of
    ``daily_rest_h``, and a break of ``break_h`` after each ``break_after_h`` of driving;
    a ``weekly_rest_h`` rest starts at the latest ``weekly_rest_within_h`` after the end
    of the previous one (0: no weekly rest). A day's driving may be extended to
    ``extended_driving_h_per_day`` on at most ``extended_days_per_week`` days between
    weekly rests (EU 561/2006 art. 6(1): 10 h twice a week; 0: never).

    A daily or weekly rest is an overnight stop; a break is not. ``max_driving_h_per_day``
    counts the vehicle's driving, so a crew of two (multi-manning) gives twice one
    driver's limit."""

    # lower bounds [assumption]: no rule in force (EU 561/2006, AETR, Russia's and China's)
    # allows under 1 h of driving a day or asks for a break after under 30 min; below them
    # the timeline would step through billions of days
    max_driving_h_per_day: float = Field(ge=1, le=24)
    break_after_h: float = Field(ge=0.5, le=24)
    break_h: float = Field(ge=0, le=24)
    daily_rest_h: float = Field(ge=0, le=24)
    weekly_rest_h: float = Field(default=0.0, ge=0, le=168)
    weekly_rest_within_h: float = Field(default=0.0, ge=0, le=336)
    extended_driving_h_per_day: float = Field(default=0.0, ge=0, le=24)
    extended_days_per_week: int = Field(default=0, ge=0, le=7)
    source: str = _Source

    @model_validator(mode="after")
    def _extension(self) -> DriverRules:
        ext = self.extended_driving_h_per_day
        if self.extended_days_per_week > 0 and ext <= self.max_driving_h_per_day:
            raise ValueError(
                "extended_driving_h_per_day must exceed max_driving_h_per_day where "
                "extended_days_per_week > 0"
            )
        return self

    def as_array(self) -> tuple[float, ...]:
        """The rules in the order of :func:`corridor.kernels.timeline.simulate`."""
        return (
            self.max_driving_h_per_day,
            self.break_after_h,
            self.break_h,
            self.daily_rest_h,
            self.weekly_rest_h,
            self.weekly_rest_within_h,
            self.extended_driving_h_per_day if self.extended_days_per_week else 0.0,
            float(self.extended_days_per_week),
        )


class Profile(_Strict):
    """A vehicle or traveller profile; see the module docstring and the built-in YAML."""

    id: str = Field(min_length=1)
    name: str
    kind: Literal["freight", "passenger"]
    modes: tuple[Literal["road", "rail", "ferry", "transfer", "air"], ...] = Field(min_length=1)
    load: Load
    value_of_time: ValueOfTime
    road: ModeParams | None = None
    rail: ModeParams | None = None
    ferry: ModeParams | None = None
    air: ModeParams | None = Field(
        default=None,
        description="flights: CO2 where a link has no co2_pax_kg; fares are the links' "
        "fare_usd (cost_per_km_usd adds to them)",
    )
    boarding: Boarding | None = None
    toll_factor: float = Field(ge=0)
    toll_column: Literal["toll_usd", "toll_car_usd"] = Field(
        default="toll_usd",
        description="links column of the toll this vehicle pays: toll_usd (trucks) or "
        "toll_car_usd (cars; toll_usd where a network has no car toll)",
    )
    toll_source: str = _Source
    crossing: CrossingParams
    gauge_break: Handling | None = None
    transfer: Handling | None = None
    terminal: TerminalParams
    drivers: DriverRules | None = None
    road_vehicle: Literal["car", "bus", "truck"] | None = Field(
        default=None,
        description="how it crosses road borders, for their formalities; None: a car for "
        "travellers, a truck for freight",
    )

    @model_validator(mode="after")
    def _complete(self) -> Profile:
        missing = [m for m in self.modes if m != "transfer" and self.params(m) is None]
        if missing:
            raise ValueError(f"modes {missing} are allowed but have no parameters; add them")
        if "rail" in self.modes and self.gauge_break is None:
            raise ValueError("rail is allowed but gauge_break is missing; add it")
        if "transfer" in self.modes and self.transfer is None:
            raise ValueError("transfer is allowed but transfer handling is missing; add it")
        if "air" in self.modes and self.boarding is None:
            raise ValueError("air is allowed but boarding (schedule wait) is missing; add it")
        for mode in ("road", "ferry", "air"):
            params = getattr(self, mode)
            if params is not None and (params.traction is not None or params.service):
                raise ValueError(f"{mode}: traction and service apply to rail only; remove them")
        return self

    def params(self, mode: str) -> ModeParams | None:
        """Line-haul parameters of `mode` (ferries fall back to road), None if not allowed."""
        if mode not in self.modes:
            return None
        found: ModeParams | None = getattr(self, mode, None)
        if found is None and mode == "ferry":
            found = self.road
        return found

    @property
    def vot_usd_per_h(self) -> float:
        """Value of time, US$ per hour of the whole shipment."""
        return self.value_of_time.value_usd_per_h

    @property
    def cargo_t(self) -> float:
        """Tonnes of cargo (NaN for travellers)."""
        return float(self.load.amount) if self.load.unit == "t" else math.nan

    def summary(self) -> dict[str, object]:
        """A one-line summary for listings."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "modes": list(self.modes),
            "load": f"{self.load.amount:g} {self.load.unit}",
            "vot_usd_per_h": round(self.vot_usd_per_h, 3),
        }


_MAX_PROFILE_BYTES = 1_000_000  # the built-in profiles are under 5 kB


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _parse(data: object, source: str) -> Profile:
    if not isinstance(data, dict):
        raise DataSourceError(source, "a profile must be a YAML mapping of fields")
    try:
        return Profile.model_validate(data)
    except pydantic.ValidationError as exc:
        parts = []
        for err in exc.errors()[:4]:
            got = err.get("input")
            shown = (
                ""
                if err["type"] == "missing" or isinstance(got, dict)
                else f" (got {clipped(repr(got), 40)})"
            )
            parts.append(f"{_location(err['loc'])}: {err['msg']}{shown}")
        more = f" (+{exc.error_count() - 4} more)" if exc.error_count() > 4 else ""
        raise ValidationError(
            f"profile {source}: {'; '.join(parts)}{more}; fix the profile file"
        ) from None


@lru_cache(maxsize=64)
def _load_builtin(name: str) -> Profile:
    text = resources.files("corridor.costs").joinpath("profiles", f"{name}.yaml").read_text()
    return _parse(yaml.safe_load(text), f"{name}.yaml")


def load_profile(profile: str | Path | Profile) -> Profile:
    """Return a built-in profile by id, or read one from a YAML file.

    Parameters
    ----------
    profile
        A built-in id (see :data:`BUILTIN_PROFILES`), the path of a YAML file in the same
        shape, or a Profile (returned as is).

    Raises
    ------
    ValidationError
        If the id is unknown, or a parameter is missing, negative or inconsistent.
    DataSourceError
        If the file cannot be read or is not YAML.

    Examples
    --------
    >>> load_profile("truck40").modes
    ('road', 'ferry')
    """
    if isinstance(profile, Profile):
        return profile
    text = str(profile)
    if text in BUILTIN_PROFILES:
        return _load_builtin(text)
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise DataSourceError(path, "no such profile file")
        if path.stat().st_size > _MAX_PROFILE_BYTES:
            raise DataSourceError(path, f"larger than {_MAX_PROFILE_BYTES} bytes; not a profile")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except RecursionError:
            raise DataSourceError(path, "nested far too deeply; not a profile") from None
        except (OSError, ValueError, yaml.YAMLError) as exc:  # ValueError: a 5,000-digit int
            reason = clipped(" ".join(str(exc).split()), 200)
            raise DataSourceError(path, f"cannot read the profile as YAML: {reason}") from None
        check_depth(data, where=str(path))
        return _parse(data, str(path))
    raise ValidationError(
        f"unknown profile {clipped(repr(text), 60)}; use one of {', '.join(BUILTIN_PROFILES)} "
        "or the path of a YAML profile file"
    )


def list_profiles() -> tuple[Profile, ...]:
    """Every built-in profile, by id."""
    return tuple(_load_builtin(name) for name in BUILTIN_PROFILES)
