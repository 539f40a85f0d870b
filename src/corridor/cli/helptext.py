"""What ``--help`` shows: examples under every command, and metavars a person reads.

Typer labels values by their Python type (``<str>``, ``<list[str]>``, ``<bool>`` even on
a flag) and arguments by their parameter name in braces (``{origin}``).
:class:`TidyGroup`, the root command's class, rewrites each command's parameters once,
when the command is looked up: a flag shows no value, a choice its choices
(``road|rail|any``), any other value a name in capitals (``PLACE``, ``PROFILE``,
``FILE``, ``N``), and the command's epilog becomes its :data:`EXAMPLES` entry.

A new command gets examples by adding an entry to :data:`EXAMPLES` under its name
(``"tourism"``, or ``"scenario compare"`` for a sub-command); ``tests/unit/cli`` checks
that every command has one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

__all__ = ["EXAMPLES", "TidyGroup", "tidy"]

# command path -> examples, one per line ("corridor ..." then what it does)
EXAMPLES: dict[str, tuple[str, ...]] = {
    "info": ("corridor info", "corridor info --json", "corridor info --network city.gpkg"),
    "route": (
        "corridor route Moscow Kazan --profile car",
        "corridor route Chongqing Duisburg --profile container40 --alternatives 3",
        "corridor route Chongqing Duisburg --profile container40 --pareto",
        "corridor route Harbin Blagoveshchensk --profile car --depart 2026-12-01T08:00",
        "corridor route Moscow Kazan --as-of 2024-06-01 --mode road --json",
    ),
    "tcd": (
        "corridor tcd Chongqing Duisburg",
        "corridor tcd Almaty Moscow -p truck40 -p container40 --out tcd.png",
    ),
    "cpmm": (
        "corridor cpmm Almaty Moscow",
        "corridor cpmm Almaty Moscow --profile truck20",
    ),
    "profiles": ("corridor profiles", "corridor profiles container40"),
    "assign": (
        "corridor assign ../shared/data/tntp/SiouxFalls/SiouxFalls_net.tntp --gap 1e-4",
        "corridor assign net.gpkg --demand trips.csv --out flows.csv",
    ),
    "freight-compare": (
        "corridor freight-compare current alashankou-closed",
        "corridor freight-compare m12-before m12-east --od od.csv --json",
        "corridor freight-compare current alashankou-closed --draws 100 --seed 1 --out fc",
        "corridor freight-compare current alashankou-closed --draws 100 --scheduler tcp://h:8786",
    ),
    "data": ("corridor data build", "corridor data check"),
    "data build": ("corridor data build",),
    "data check": ("corridor data check", "corridor data check --json"),
    "map": ("corridor map --out network.svg",),
    "freight": (
        "corridor freight",
        "corridor freight --scenario alashankou-closed --json",
        "corridor freight --out freight_od.csv",
        "corridor freight calibrate",
    ),
    "freight calibrate": ("corridor freight calibrate", "corridor freight calibrate --save --json"),
    "scenario": ("corridor scenario list", "corridor scenario compare m12-before m12-east"),
    "scenario list": ("corridor scenario list",),
    "scenario show": ("corridor scenario show m12-east",),
    "scenario compare": (
        "corridor scenario compare m12-before m12-east --out out/m12-east",
        "corridor scenario compare m12-before m12-east --places Moscow,Kazan,Ufa --no-flows",
    ),
    "scenario run": ("corridor scenario run m12-east --json",),
    "import": ("corridor import osm ../shared/data/osm/Helsinki.osm.pbf --out helsinki.gpkg",),
    "import osm": (
        "corridor import osm ../shared/data/osm/Helsinki.osm.pbf --out helsinki.gpkg",
        "corridor import osm ../shared/data/osm/Helsinki.osm.pbf --mode road --out h.gpkg",
    ),
    "trip": ("corridor trip feed.zip STOP_A STOP_B --depart 2026-12-01T08:00",),
    "export": ("corridor export --out eurasia.gpkg", "corridor export --out eurasia-parquet"),
    "skim": (
        "corridor skim Moscow,Kazan,Yekaterinburg",
        "corridor skim Harbin --to Blagoveshchensk,Vladivostok --profile car",
        "corridor skim Moscow,Kazan --out skim.omx",
    ),
    "isochrone": (
        "corridor isochrone Moscow",
        "corridor isochrone Harbin --hours 6,12 --profile car",
        "corridor isochrone Moscow --out moscow.html",
    ),
    "accessibility": (
        "corridor accessibility Moscow Kazan",
        "corridor accessibility --hours 4,8 --beta 0.2 --json",
    ),
    "tourism": (
        "corridor tourism",
        "corridor tourism --scenario visa-free-individual --base current --json",
        "corridor tourism --scenario m12-east --base m12-before --draws 20 --seed 1",
    ),
    "tourism calibrate": ("corridor tourism calibrate", "corridor tourism calibrate --json"),
    "validate": ("corridor validate", "corridor validate --details"),
    "serve": ("corridor serve", "corridor serve --port 8080"),
}

# parameter name -> what to call its value in help
_METAVAR = {
    "origin": "PLACE",
    "destination": "PLACE",
    "origins": "PLACE",
    "to": "PLACE",
    "places": "PLACE,PLACE,...",
    "network": "FILE",
    "out": "PATH",
    "profile": "PROFILE",
    "profiles": "PROFILE,...",
    "depart": "DATETIME",
    "as_of": "DATE",
    "hours": "H,H,...",
    "scheduler": "tcp://HOST:PORT",
    "base": "SCENARIO",
    "other": "SCENARIO",
}


def _metavar(param: Any) -> str:
    """The label of `param`'s value: none for a flag, its choices, or a capital name."""
    if isinstance(param, TyperOption) and (param.is_flag or param.is_bool_flag):
        return ""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and desc.is_choice and desc.choices:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    name = str(param.name or "value")
    if name in _METAVAR:
        return _METAVAR[name]
    annotation = getattr(desc, "annotation", None)
    if annotation is int:
        return "N"
    if annotation is float:
        return "NUMBER"
    if desc is not None and desc.is_path:
        return "FILE"
    return name.upper()


def _examples(path: str) -> str | None:
    lines = EXAMPLES.get(path)
    if not lines:
        return None
    return "[bold]Examples[/]\n\n" + "\n\n".join(f"  [cyan]{line}[/]" for line in lines)


def _no_type(ctx: Any) -> None:
    return None


def _shows(label: str) -> Callable[[Any], str]:
    def display_type_rich(ctx: Any) -> str:
        return label

    return display_type_rich


def _usage(shown: str) -> Callable[[], str]:
    def usage_display_name() -> str:
        return shown

    return usage_display_name


def _tidy_param(param: Any) -> None:
    """Label `param` for help (instance attributes: typer's classes stay as they are)."""
    target: Any = param  # methods replaced on this one instance
    if isinstance(param, TyperOption):
        if param.is_flag or param.is_bool_flag:
            target.display_type_rich = _no_type  # a flag takes no value: show none
        elif param.metavar is None:
            label = _metavar(param)
            if "|" in label and len(label) > 16:
                # a long list of choices would fold mid-word in the type column
                param.help = f"{param.help or ''} One of: {label.replace('|', ', ')}.".strip()
                label = str(param.name or "value").upper()
            param.metavar = label
    elif isinstance(param, TyperArgument):
        name = str(param.name or "value").upper()
        label = _metavar(param)
        dots = "..." if param.nargs != 1 else ""
        param.metavar = name
        target.display_type_rich = _shows(label)
        # usage: ``corridor route [OPTIONS] ORIGIN DESTINATION`` (typer: ``{origin}``)
        shown = name + dots if param.required else f"[{name}]{dots}"
        target._usage_display_name = _usage(shown)


def _help_option(get: Any) -> Any:
    def wrapped(ctx: Any) -> Any:
        opt = get(ctx)
        if opt is not None:
            opt.display_type_rich = _no_type
        return opt

    return wrapped


def tidy(command: Any, path: str = "") -> Any:
    """Give `command` (and its sub-commands) readable metavars and its examples.

    Parameters
    ----------
    command
        A click command or group built by typer.
    path
        Its name after ``corridor`` (``""`` for the root, ``"scenario compare"``).

    Returns
    -------
    Any
        `command`, changed in place (once: a second call does nothing).
    """
    if getattr(command, "_corridor_tidy", False):
        return command
    for param in getattr(command, "params", []):
        _tidy_param(param)
    if hasattr(command, "get_help_option"):
        command.get_help_option = _help_option(command.get_help_option)
    if path and getattr(command, "epilog", None) is None:
        command.epilog = _examples(path)
    command._corridor_tidy = True
    for name, sub in getattr(command, "commands", {}).items():
        tidy(sub, f"{path} {name}".strip())
    return command


class TidyGroup(TyperGroup):
    """The root command: every command it hands out has gone through :func:`tidy`."""

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        """The command `cmd_name`, tidied."""
        found = super().get_command(ctx, cmd_name)
        return None if found is None else tidy(found, cmd_name)

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        """The root help, with readable metavars."""
        tidy(self)
        super().format_help(ctx, formatter)
