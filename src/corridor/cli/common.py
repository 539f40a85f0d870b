"""What every command shares: consoles, the --network/--json options, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

import corridor

__all__ = ["JsonOpt", "NetworkOpt", "console", "err_console", "fail", "guard", "load_network"]

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


def fail(message: str, as_json: bool) -> NoReturn:
    """Print a one-line error (a JSON object with --json) and exit with code 2."""
    if as_json:
        print(json.dumps({"error": message}))
    else:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def guard(as_json: bool, fn: Callable[[], Any]) -> Any:
    """Run `fn`, turning corridor's errors into a one-line message and exit code 2."""
    try:
        return fn()
    except (corridor.CorridorError, OSError) as exc:
        fail(" ".join(line.strip() for line in str(exc).splitlines()), as_json)


def load_network(path: Path | None) -> corridor.Network:
    """The network in `path`, or the bundled one."""
    if path is None:
        return corridor.eurasia()
    return corridor.read_network(path)
