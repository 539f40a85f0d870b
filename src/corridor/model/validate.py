"""Arguments checked once at the public boundary: modes, objectives, dates.

Every parser here raises :class:`~corridor.errors.ValidationError` naming the bad value
and the accepted ones; nothing from pandas or the standard library escapes.

Examples
--------
>>> parse_modes("road")
(<Mode.ROAD: 'road'>,)
>>> parse_optimize("generalised")
<Optimize.GENERALIZED: 'generalized'>
>>> parse_date("2025-07-01", field="as_of")
Timestamp('2025-07-01 00:00:00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

import pandas as pd

from corridor.errors import ValidationError
from corridor.model.schema import Mode

__all__ = [
    "ALL_MODES",
    "DateLike",
    "Optimize",
    "parse_date",
    "parse_depart",
    "parse_modes",
    "parse_optimize",
    "plain_modes",
]

ALL_MODES: tuple[Mode, ...] = tuple(Mode)
SURFACE_MODES: tuple[Mode, ...] = tuple(m for m in Mode if m is not Mode.AIR)
"""The modes "any" means on the plain network graph: air is left out there (its links are
block times between airports, whose boarding, schedule wait and fares only a profile with
``air`` among its modes prices), so that plain routes and skims keep their surface answers."""
DateLike = str | dt.date | dt.datetime | pd.Timestamp

# dates a transport model can mean: pandas' own range is 1677..2262
_EARLIEST = pd.Timestamp("1800-01-01")
_LATEST = pd.Timestamp("2200-12-31")


class Optimize(StrEnum):
    """What a route minimises."""

    TIME = "time"
    DISTANCE = "distance"
    COST = "cost"
    CO2 = "co2"
    GENERALIZED = "generalized"


def parse_modes(modes: str | Mode | Iterable[str | Mode] | None) -> tuple[Mode, ...]:
    """Normalise a mode selection: None, "any" or "all" mean every mode.

    Raises
    ------
    ValidationError
        If a mode is not one of :class:`~corridor.model.schema.Mode`.
    """
    if modes is None or (isinstance(modes, str) and modes.strip().lower() in ("any", "all")):
        return ALL_MODES
    items = [modes] if isinstance(modes, str) else list(modes)
    try:
        found = {Mode(str(m).strip().lower()) for m in items}
    except ValueError:
        raise ValidationError(
            f"unknown mode in {items!r}; use any of {[m.value for m in Mode]} or 'any'"
        ) from None
    if not found:
        raise ValidationError(f"no mode given; use any of {[m.value for m in Mode]} or 'any'")
    return tuple(sorted(found))


def plain_modes(modes: str | Mode | Iterable[str | Mode] | None) -> tuple[Mode, ...]:
    """:func:`parse_modes` for the plain network graph: None, "any" or "all" mean the
    :data:`SURFACE_MODES` (air only where asked for by name).

    Examples
    --------
    >>> Mode.AIR in plain_modes("any")
    False
    >>> plain_modes("air")
    (<Mode.AIR: 'air'>,)
    """
    if modes is None or (isinstance(modes, str) and modes.strip().lower() in ("any", "all")):
        return SURFACE_MODES
    return parse_modes(modes)


def parse_optimize(optimize: Optimize | str) -> Optimize:
    """Normalise an objective name ("generalised" and "gc" mean generalized).

    Raises
    ------
    ValidationError
        If it is not one of time, distance, cost, co2, generalized.
    """
    text = str(optimize).strip().lower()
    text = {"generalised": "generalized", "gc": "generalized"}.get(text, text)
    try:
        return Optimize(text)
    except ValueError:
        raise ValidationError(
            f"unknown objective {optimize!r}; use one of {[o.value for o in Optimize]}"
        ) from None


def parse_date(value: DateLike, *, field: str = "date") -> pd.Timestamp:
    """A date or date-time as a Timestamp between 1800 and 2200.

    Raises
    ------
    ValidationError
        If it is empty, cannot be read as ISO date (and time) or is out of range.
    """
    if isinstance(value, str) and not value.strip():
        raise ValidationError(f"{field} is empty; give an ISO date such as 2026-12-01")
    try:
        when = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        raise ValidationError(
            f"cannot read {field} {value!r}; use ISO format, e.g. 2026-12-01 or 2026-12-01T08:00"
        ) from None
    if pd.isna(when):
        raise ValidationError(f"{field} {value!r} is not a date; give e.g. 2026-12-01")
    if when.tzinfo is not None:
        when = when.tz_convert(None)
    if not _EARLIEST <= when <= _LATEST:
        raise ValidationError(f"{field} {value!r} is outside 1800..2200")
    return when


def parse_depart(depart: DateLike | None) -> pd.Timestamp | None:
    """A departure as a Timestamp (None stays None); see :func:`parse_date`."""
    return None if depart is None else parse_date(depart, field="departure")
