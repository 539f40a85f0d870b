"""Opening hours of a border crossing: the ``hours`` column parsed to hours of the day.

The column holds ``"24/7"`` (always open), ``"HH:MM-HH:MM local"`` (open daily between
those times of the crossing's local clock; a window running past midnight, such as
``"20:00-08:00 local"``, is allowed) or ``""`` when no hours are published (treated as
open around the clock, the assumption the cost model has always made).
"""

from __future__ import annotations

import math
import re

__all__ = ["hours_problem", "parse_hours"]

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?:\s+local)?\s*$")


def parse_hours(text: str) -> tuple[float, float]:
    """Return the daily opening window of an ``hours`` value as (from, to) hours of day.

    Parameters
    ----------
    text
        ``"24/7"``, ``""`` or ``"HH:MM-HH:MM local"``.

    Returns
    -------
    tuple of float
        ``(nan, nan)`` when open around the clock or unknown, else the opening and
        closing hour (``from > to`` runs over midnight).

    Raises
    ------
    ValueError
        If `text` is none of the accepted forms (see :func:`hours_problem`).

    Examples
    --------
    >>> parse_hours("08:00-20:00 local")
    (8.0, 20.0)
    >>> parse_hours("24/7")
    (nan, nan)
    """
    problem = hours_problem(text)
    if problem:
        raise ValueError(problem)
    found = _WINDOW.match(text)
    if found is None:
        return math.nan, math.nan
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    return h1 + m1 / 60.0, h2 + m2 / 60.0


def hours_problem(text: str) -> str | None:
    """Why `text` is not a valid ``hours`` value, or None if it is."""
    if text.strip() in ("", "24/7"):
        return None
    found = _WINDOW.match(text)
    if found is None:
        return f"{text!r} is not '24/7' or 'HH:MM-HH:MM local'"
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if not (h1 <= 24 and h2 <= 24 and m1 < 60 and m2 < 60):
        return f"{text!r} has a time outside 00:00-24:00"
    if (h1, m1) == (h2, m2):
        return f"{text!r} opens and closes at the same time; write '24/7'"
    return None
