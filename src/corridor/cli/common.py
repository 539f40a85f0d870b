"""What every command shares: consoles, the --network/--json options, one-line errors.

Command modules import this module and the public :mod:`corridor` namespace only; the
root app (:mod:`corridor.cli.app`) imports the command modules and registers them, so
imports run one way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeAlias, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

import corridor

__all__ = [
    "Ends",
    "ForceOpt",
    "JsonOpt",
    "NetworkOpt",
    "WideOpt",
    "console",
    "err_console",
    "fail",
    "guard",
    "load_network",
    "print_notes",
    "resolve_ends",
    "resolved_json",
]

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)

NetworkOpt = Annotated[
    Path | None,
    typer.Option(
        "--network",
        "-n",
        help="Network file (.gpkg or GeoParquet folder); default: the bundled one.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide", help="Keep every table column (by default columns that do not fit are left out)."
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace what is at --out even if corridor did not write it (without it, only"
        " an earlier corridor output of the same kind is replaced; anything else: exit 2).",
    ),
]


def fail(
    message: str,
    as_json: bool,
    *,
    error: BaseException | None = None,
    field: str | None = None,
    hint: str | None = None,
) -> NoReturn:
    """Print a one-line error and exit with code 2.

    Parameters
    ----------
    message
        What went wrong and how to fix it.
    as_json
        Print the error object on stdout (:func:`corridor.error_object`: the same keys the
        REST API returns) instead of a red line on stderr.
    error
        The exception behind it, if any (gives the object its code, field and hint).
    field
        The option at fault (e.g. ``--alternatives``), for the error object.
    hint
        How to fix it, for the error object.

    Raises
    ------
    typer.Exit
        Always, with code 2.
    """
    limit = corridor.defaults.MAX_MESSAGE_CHARS
    if len(message) > limit:  # never echo unbounded input
        message = f"{message[:limit]}... ({len(message)} characters)"
    if as_json:
        exc = error if error is not None else corridor.ValidationError(message)
        print(json.dumps(corridor.error_object(exc, field=field, hint=hint)))
    else:
        err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def guard(as_json: bool, fn: Callable[[], T], *, field: str | None = None) -> T:
    """Run `fn` and return its result, turning corridor's errors into a one-line exit.

    Parameters
    ----------
    as_json
        Report a failure as JSON (see :func:`fail`).
    fn
        The work to do, usually a lambda over one public call.
    field
        The option a failure is about (``"profile"``), for the JSON error object.

    Returns
    -------
    T
        What `fn` returns.

    Raises
    ------
    typer.Exit
        With code 2 if `fn` raises a :class:`corridor.CorridorError` or an
        :class:`OSError`; the message is folded onto one line.
    """
    try:
        return fn()
    except (corridor.CorridorError, OSError) as exc:
        message = " ".join(line.strip() for line in str(exc).splitlines())
        fail(message, as_json, error=exc, field=field)


Ends: TypeAlias = "tuple[corridor.Resolution, corridor.Resolution]"


def resolve_ends(net: corridor.Network, origin: str, destination: str, as_json: bool) -> Ends:
    """How the origin and destination names resolve (the engine's one lookup).

    Raises
    ------
    typer.Exit
        With code 2 if a name is unknown, ambiguous or outside the coverage.
    """
    return guard(
        as_json,
        lambda: (
            corridor.lookup_place(net, origin, role="origin"),
            corridor.lookup_place(net, destination, role="destination"),
        ),
    )


def resolved_json(ends: Ends) -> dict[str, object]:
    """``{"origin": {...}, "destination": {...}}`` for ``--json`` output."""
    return {"origin": ends[0].to_dict(), "destination": ends[1].to_dict()}


def print_notes(ends: Ends) -> None:
    """One line per endpoint whose name needed saying (a homonym, a corrected spelling)."""
    for res in ends:
        if res.note:
            console.print(f"[yellow]note:[/] {escape(res.note)}", highlight=False)


def load_network(path: Path | None) -> corridor.Network:
    """Read the network in `path`, or the bundled one.

    Parameters
    ----------
    path
        A ``.gpkg`` file or GeoParquet folder; ``None`` for the embedded network.

    Returns
    -------
    corridor.Network
        The network.

    Raises
    ------
    DataSourceError
        If the file cannot be read as a network.
    """
    if path is None:
        return corridor.eurasia()
    return corridor.read_network(path)
