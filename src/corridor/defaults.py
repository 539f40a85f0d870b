"""The defaults every interface shares, and the one shape of an error answer.

Python (``corridor.route`` and friends), the command line and the REST API answer the
same question the same way: they take their defaults from here, never from literals of
their own, so a question asked without options gets one answer everywhere
(``tests/integration/test_one_answer.py`` asks each question through all three).

The same holds for refusals: :func:`error_object` turns any :class:`CorridorError`
into the JSON object the CLI prints with ``--json`` and the API returns (with the HTTP
status it maps to).

This module sits in the lowest layer: it imports only :mod:`corridor.errors`.
"""

from __future__ import annotations

import re
from typing import Any

from corridor.errors import (
    AmbiguousPlaceError,
    DataSourceError,
    NoPathError,
    OutsideCoverageError,
    SchemaError,
    UnknownNodeError,
)

__all__ = [
    "ALTERNATIVES",
    "COMPARE_PLACES",
    "COMPARE_PROFILES",
    "COMPARE_TOP_CHANGES",
    "CPMM_OBJECTIVE",
    "CPMM_PROFILE",
    "CPMM_RAIL",
    "CPMM_ROAD",
    "ISOCHRONE_HOURS",
    "MAX_MESSAGE_CHARS",
    "MAX_SIMILARITY",
    "OBJECTIVE_WITHOUT_PROFILE",
    "OBJECTIVE_WITH_PROFILE",
    "PARETO_CRITERIA",
    "PARETO_TOLERANCE",
    "TCD_OBJECTIVE",
    "TCD_PROFILES",
    "TOURISM_SEED",
    "TOURISM_TOP_OD",
    "error_object",
    "fewer_alternatives",
    "objective",
]

# -- routes ---------------------------------------------------------------------------
OBJECTIVE_WITH_PROFILE = "generalized"
"""What a route minimises when a profile is given: time, money and CO2 priced together
(the profile's value of time and carbon price), so a freight route is the one a
forwarder would choose."""
OBJECTIVE_WITHOUT_PROFILE = "time"
"""Without a profile there are no prices: the fastest route."""

ALTERNATIVES = 3
"""Materially different routes asked for when alternatives are asked without a count."""
MAX_SIMILARITY = 0.6
"""Largest share of the shorter route two alternatives may have in common."""

PARETO_CRITERIA = ("time", "cost", "co2")
PARETO_TOLERANCE = 0.01
"""Relative dominance tolerance of the Pareto set: a route within 1 % of another on
every criterion is not kept beside it. The exact set (0) holds near-copies that no
reader can tell apart (issue 17: 16 nearly identical routes on the CLI against 4 on
the web, which used 0.01); ``tolerance=0`` still gives the exact set."""

# -- costs ----------------------------------------------------------------------------
TCD_PROFILES = ("truck40", "container40")
TCD_OBJECTIVE = "cost"
CPMM_PROFILE = "truck40"
CPMM_OBJECTIVE = "cost"
CPMM_ROAD = "truck40"
CPMM_RAIL = "container40"

# -- isochrones and scenario comparison -------------------------------------------------
ISOCHRONE_HOURS = (6.0, 12.0, 24.0)
COMPARE_PLACES = 60
"""Largest served cities a scenario comparison takes as OD places (plus the corridor
ends); the CLI, the API and :class:`corridor.CompareOptions` use the same number."""
COMPARE_PROFILES = ("car", "bus", "truck40", "container40")
COMPARE_TOP_CHANGES = 10

# -- tourism ------------------------------------------------------------------------------
TOURISM_TOP_OD = 10
"""OD pairs a tourism table keeps (the busiest, or in a comparison the largest changes)."""
TOURISM_SEED = 0
"""Seed of the tourism parameter draws when none is given."""


def objective(optimize: str | None, profile: object | None) -> str:
    """The objective a route search uses: `optimize` if given, else the default.

    Parameters
    ----------
    optimize
        What the caller asked to minimise, or None.
    profile
        The profile (id, file or object), or None.

    Returns
    -------
    str
        `optimize` itself, else :data:`OBJECTIVE_WITH_PROFILE` with a profile and
        :data:`OBJECTIVE_WITHOUT_PROFILE` without.
    """
    if optimize is not None:
        return str(getattr(optimize, "value", optimize))
    return OBJECTIVE_WITH_PROFILE if profile is not None else OBJECTIVE_WITHOUT_PROFILE


def fewer_alternatives(found: int, asked: int, max_similarity: float) -> str:
    """Why an alternatives search gave fewer routes than asked ("" if it did not).

    The CLI prints it as a note and the API returns it as ``note``.
    """
    if found >= asked:
        return ""
    return (
        f"found {found} of the {asked} alternatives asked: every further candidate shares"
        f" more than {max_similarity:.0%} of its length with a route already found, or no"
        " other path exists; raise the similarity limit (up to 1) to accept closer ones"
    )


# -- the error answer -----------------------------------------------------------------
_HINT = re.compile(r"[;.]\s*((?:did you mean|use|give|choose|pass|run|try|add|set)\b.*)$", re.I)


MAX_MESSAGE_CHARS = 2000
"""Longest error message reported (CLI and API); longer ones are cut [assumption: a
SchemaError listing every problem of a large table runs to a few hundred characters]."""


def _code(exc: BaseException) -> str:
    name = type(exc).__name__.removesuffix("Error") or type(exc).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _status(exc: BaseException) -> int:
    if isinstance(exc, UnknownNodeError | NoPathError):
        return 404
    if isinstance(exc, ValueError):
        return 422
    return 400


def _default_hint(exc: BaseException) -> str | None:
    if isinstance(exc, OutsideCoverageError):
        return "choose a place in a covered country: " + ", ".join(exc.covered)
    if isinstance(exc, UnknownNodeError):
        return "check the spelling, pick one of the suggestions, or give a node id"
    if isinstance(exc, NoPathError):
        return "allow more modes (any), or check the date the network is taken on"
    return None


def error_object(
    exc: BaseException,
    *,
    code: str | None = None,
    field: str | None = None,
    hint: str | None = None,
    status: int | None = None,
) -> dict[str, Any]:
    """The JSON object that reports `exc`, the same from the CLI and the API.

    Parameters
    ----------
    exc
        The error (any exception; corridor's carry the most detail).
    code, field, hint, status
        Override what is read from `exc` (the service's own refusals use these).

    Returns
    -------
    dict
        ``code`` (snake_case of the class: ``unknown_node``, ``no_path``, ``validation``),
        ``message`` (one line), ``field`` (the option or table column at fault, or None),
        ``hint`` (how to fix it, or None), ``type`` (the class name), ``status`` (the HTTP
        status it maps to), ``suggestions`` (close names, possibly empty) and ``error``
        (the message again, the key older clients read), ``error_class`` (the exact class)
        and, for place refusals, ``candidates`` or ``country`` / ``covered``.
    """
    message = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    message = message or type(exc).__name__
    if len(message) > MAX_MESSAGE_CHARS:  # a message never echoes unbounded input
        message = f"{message[:MAX_MESSAGE_CHARS]}... ({len(message)} characters)"
    if field is None:
        if isinstance(exc, UnknownNodeError):
            field = exc.role
        elif isinstance(exc, DataSourceError):
            field = exc.path
        elif isinstance(exc, SchemaError) and exc.source:
            field = exc.source
    if hint is None:
        m = _HINT.search(message)
        hint = m.group(1) if m else _default_hint(exc)
    out: dict[str, Any] = {
        "error": message,
        "code": code or _code(exc),
        "message": message,
        "field": field,
        "hint": hint,
        # place refusals share one type (older clients test it); error_class tells them apart
        "type": "UnknownNodeError" if isinstance(exc, UnknownNodeError) else type(exc).__name__,
        "error_class": type(exc).__name__,
        "status": status if status is not None else _status(exc),
        "suggestions": list(getattr(exc, "suggestions", []) or []),
    }
    if isinstance(exc, AmbiguousPlaceError):
        out["candidates"] = exc.candidates
    if isinstance(exc, OutsideCoverageError):
        out["country"], out["covered"] = exc.country, exc.covered
    return out
