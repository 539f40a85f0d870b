"""The CLI reads well at 80 columns: whole words, plain terms, examples, real metavars.

Checked on the rendered text: every place name of a route appears whole (no fragment
such as "Mosco" / "w"), no line is wider than the terminal, internal shorthand
(``b_to_a``, ``->``, ``@3,858``) is gone, every command's ``--help`` has examples and no
type placeholder (``<bool>``, ``<str>``, ``<list[str]>``, ``{origin}``), and
``import corridor.cli.app`` loads none of the heavy libraries.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app
from corridor.cli.helptext import EXAMPLES, tidy
from corridor.cli.render import Col, fit_table, plain

ENV = {"COLUMNS": "80"}


def run(*args: str, code: int = 0) -> str:
    res = CliRunner().invoke(app, list(args), env=ENV)
    assert res.exit_code == code, res.output
    return res.stdout


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'’.-]+", text))


# -- tables -----------------------------------------------------------------------------
def test_fit_table_drops_light_columns_first_and_never_splits_words() -> None:
    cols = [Col("place"), Col("note", keep=10), Col("time_h", right=True)]
    rows = [["Novosibirsk Blagoveshchensk", "a rather long remark", "12.5"]]
    table, dropped, width = fit_table(cols, rows, width=30)
    assert dropped == ["note"]  # 14 + 6 + 3 > 30 with the note (longest word 7)
    console = Console(width=width, record=True)
    console.print(table)
    text = console.export_text()
    assert all(len(line) <= 30 for line in text.splitlines())
    assert {"Novosibirsk", "Blagoveshchensk", "12.5"} <= _words(text)
    _, none_dropped, full = fit_table(cols, rows, width=30, wide=True)
    assert none_dropped == [] and full > 30  # --wide keeps the column and widens


def test_plain_words() -> None:
    assert plain("rail b_to_a CN->KZ") == "rail CN → KZ"
    assert plain("road a_to_b BY->PL") == "road BY → PL"
    assert plain("1435 -> 1520 mm") == "1435 → 1520 mm"


@pytest.mark.parametrize(
    ("origin", "destination", "profile"),
    [
        ("Chongqing", "Duisburg", "container40"),
        ("Moscow", "Yekaterinburg", "car"),
        ("Harbin", "Blagoveshchensk", "car"),
    ],
)
def test_route_at_80_columns(origin: str, destination: str, profile: str) -> None:
    out = run("route", origin, destination, "--profile", profile)
    assert all(len(line) <= 80 for line in out.splitlines()), out
    data = json.loads(run("route", origin, destination, "--profile", profile, "--json"))
    names = {leg["from"] for leg in data["legs"]} | {leg["to"] for leg in data["legs"]}
    names |= {s["name"] for s in data["stops"]}
    words = _words(out)
    for name in names:
        for w in re.findall(r"[\w'’.-]+", name):
            assert w in words, (name, w)
    for jargon in ("b_to_a", "a_to_b", "->", "@", "border_crossing", "(+"):
        assert jargon not in out, jargon
    if data["stops"]:
        assert "at km" in out


def test_wide_restores_columns() -> None:
    narrow = run("route", "Moscow", "Kazan", "--profile", "car")
    wide = run("route", "Moscow", "Kazan", "--profile", "car", "--wide")
    assert "co2_kg left out at 80 columns; --wide shows them" in narrow
    assert "co2_kg" in wide and "M-12" in wide and "left out" not in wide


def test_fewer_alternatives_says_why() -> None:
    out = run("route", "Moscow", "Kazan", "--profile", "car", "--alternatives", "6")
    data = json.loads(
        run("route", "Moscow", "Kazan", "--profile", "car", "--alternatives", "6", "--json")
    )
    found = len(data["routes"])
    assert found < 6
    assert f"found {found} of the 6 alternatives asked" in " ".join(out.split())
    assert data["asked"] == 6 and data["note"].startswith(f"found {found} of the 6")
    assert data["note"] == corridor.defaults.fewer_alternatives(found, 6, 0.6)


def test_cpmm_break_even_uses_the_profile() -> None:
    out = " ".join(run("cpmm", "Almaty", "Moscow", "--profile", "truck20").split())
    assert "break-even truck20 vs container20" in out
    data = json.loads(run("cpmm", "Almaty", "Moscow", "--profile", "truck20", "--json"))
    be = corridor.cpmm(corridor.eurasia(), "Almaty", "Moscow", profile="truck20").break_even
    assert data["break_even"]["distance_km"] == pytest.approx(be.distance_km, abs=0.05)


def test_tcd_says_it_includes_rests() -> None:
    out = " ".join(run("tcd", "Moscow", "Kazan").split())
    assert "time_h includes rests" in out and "overnight rests" in out


# -- help -------------------------------------------------------------------------------
def _commands() -> list[tuple[str, Any]]:
    import typer

    root = tidy(typer.main.get_command(app))
    out: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: str) -> None:
        subs = getattr(cmd, "commands", {})
        if path:
            out.append((path, cmd))
        for name, sub in subs.items():
            walk(sub, f"{path} {name}".strip())

    walk(root, "")
    return out


def test_every_command_has_examples() -> None:
    missing = [path for path, _ in _commands() if path not in EXAMPLES]
    assert missing == []


@pytest.mark.parametrize("path", [p for p, _ in _commands()])
def test_help_reads_well(path: str) -> None:
    text = run(*path.split(), "--help")
    assert "Examples" in text and "corridor " + path.split()[0] in text
    for placeholder in ("<bool>", "<str>", "<int>", "<float>", "<list[", "<path>", "{"):
        assert placeholder not in text, (path, placeholder)
    assert all(len(line) <= 80 for line in text.splitlines())


def test_version() -> None:
    assert run("--version").strip() == f"corridor {corridor.__version__}"


def test_cli_import_is_light() -> None:
    """`corridor --help` stays fast: importing the app loads no heavy library."""
    probe = (
        "import sys, json, corridor.cli.app\n"
        "heavy = ['numpy', 'pandas', 'pyarrow', 'numba', 'shapely', 'matplotlib', 'fastapi']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
