"""Bounds on what input may ask for: memory budgets, nesting depth and safe quoting.

Every reader and command checks work sized by its input *before* allocating it, with the
helpers here (stdlib only, layer 0):

* :func:`check_memory` refuses work whose expected memory exceeds the budget, naming the
  option or setting that asked for it and how to raise the budget;
* :func:`check_depth` refuses nested data (YAML, JSON) deeper than a few dozen levels,
  which no corridor file needs and which costs recursion and time;
* :func:`quoted` shows a user value in a message: escaped (no raw bytes, no control
  characters, no lone surrogates) and truncated, so a message stays one short line.

The memory budget is :data:`DEFAULT_MEMORY_GB` unless the environment variable
``CORRIDOR_MAX_MEMORY_GB`` says otherwise (read when a check runs, so a test or a user
can raise it for one command: ``CORRIDOR_MAX_MEMORY_GB=16 corridor ...``).
"""

from __future__ import annotations

import math
import os

from corridor.errors import ValidationError

__all__ = [
    "DEFAULT_MEMORY_GB",
    "MAX_DEPTH",
    "MEMORY_ENV",
    "check_depth",
    "check_memory",
    "clipped",
    "memory_budget_bytes",
    "quoted",
]

DEFAULT_MEMORY_GB = 2.0
"""Largest expected allocation of one piece of work, in GiB [assumption: a laptop with
8 GB runs a command beside a browser; the issue's bound is 2 GB per process]."""

MEMORY_ENV = "CORRIDOR_MAX_MEMORY_GB"
"""The environment variable that raises (or lowers) the memory budget, in GiB."""

MAX_DEPTH = 32
"""Deepest nesting accepted in YAML or JSON input [assumption: corridor's own files nest
at most 5 levels]."""

_QUOTE_CHARS = 60


def memory_budget_bytes() -> int:
    """The memory budget in bytes (``CORRIDOR_MAX_MEMORY_GB`` or the default).

    Returns
    -------
    int
        Bytes.

    Raises
    ------
    ValidationError
        If ``CORRIDOR_MAX_MEMORY_GB`` is set but is not a positive number.
    """
    text = os.environ.get(MEMORY_ENV, "").strip()
    if not text:
        return int(DEFAULT_MEMORY_GB * 2**30)
    try:
        gb = float(text)
    except ValueError:
        gb = math.nan
    if not (math.isfinite(gb) and gb > 0):
        raise ValidationError(
            f"{MEMORY_ENV}={quoted(text)} is not a positive number of GiB; set it to e.g. 4"
        )
    return int(min(gb, 2.0**40) * 2**30)


def check_memory(nbytes: float, *, what: str, option: str) -> None:
    """Refuse work expected to need more than the memory budget.

    Parameters
    ----------
    nbytes
        Expected bytes (computed from the input's declared sizes, before allocating).
    what
        What would be allocated ("Monte Carlo draws", "TNTP nodes").
    option
        The option, setting or field that sized it (``--draws``, ``<NUMBER OF NODES>``).

    Raises
    ------
    ValidationError
        If `nbytes` is above the budget (or not a finite number).

    Examples
    --------
    >>> check_memory(1e6, what="a table", option="--rows")
    >>> check_memory(1e15, what="a table", option="--rows")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridor.errors.ValidationError: a table would need about 9.31e+05 GiB, over the budget ...
    """
    budget = memory_budget_bytes()
    if math.isfinite(nbytes) and nbytes <= budget:
        return
    need = f"{nbytes / 2**30:.3g} GiB" if math.isfinite(nbytes) else "unbounded memory"
    raise ValidationError(
        f"{what} would need about {need}, over the budget of {budget / 2**30:.3g} GiB; "
        f"lower {option}, or raise the budget with {MEMORY_ENV}=<GiB>"
    )


def check_depth(value: object, *, where: str, limit: int = MAX_DEPTH) -> None:
    """Refuse lists and mappings nested deeper than `limit` levels (iteratively).

    Parameters
    ----------
    value
        Parsed YAML or JSON.
    where
        The file or field, for the message.
    limit
        Deepest nesting accepted.

    Raises
    ------
    ValidationError
        If `value` nests deeper than `limit`.

    Examples
    --------
    >>> check_depth({"a": [1, 2, {"b": 3}]}, where="x.yaml")
    >>> check_depth([[[[1]]]], where="x.yaml", limit=3)
    Traceback (most recent call last):
    ...
    corridor.errors.ValidationError: x.yaml: nested more than 3 levels deep; ...
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        if depth >= limit:
            raise ValidationError(
                f"{where}: nested more than {limit} levels deep; corridor's files need no "
                "more than a few, so flatten it"
            )
        stack.extend((c, depth + 1) for c in children)


def quoted(value: object, limit: int = _QUOTE_CHARS) -> str:
    """`value` as a short, printable, quoted string for a message.

    Bytes and text are escaped (``\\x00``, ``\\ud800``, ``\\n``), and anything longer than
    `limit` characters is cut with a note of its full length.

    Parameters
    ----------
    value
        Any value (text, bytes, numbers).
    limit
        Most characters of the value shown.

    Returns
    -------
    str
        The quoted text.

    Examples
    --------
    >>> quoted("Kazan")
    "'Kazan'"
    >>> quoted("x" + " " * 16000)[-20:]
    "' ... (16001 in all)"
    >>> quoted(b"PK\\x03\\x04")
    "b'PK\\\\x03\\\\x04'"
    >>> quoted("\\ud800")
    "'\\\\ud800'"
    """
    raw: str | bytes = bytes(value) if isinstance(value, bytes | bytearray) else str(value)
    cut = len(raw) > limit
    text = repr(raw[:limit])  # repr escapes controls, lone surrogates and raw bytes
    return text + (f" ... ({len(raw)} in all)" if cut else "")


def clipped(text: str, limit: int = _QUOTE_CHARS) -> str:
    """`text` cut to `limit` characters, with a note of its full length (not quoted).

    Examples
    --------
    >>> clipped("abcdef", 3)
    'abc... (6 characters)'
    >>> clipped("abc", 3)
    'abc'
    """
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"
