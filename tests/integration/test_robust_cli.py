"""Bad command lines end in one line and exit 2, never a traceback (issue 13's examples).

Each case is a command line the issue found ending in a traceback, a stall or a runaway
allocation; each must now give a `CorridorError`-style message: exit code 2, a single line
(JSON with ``--json``), no raw bytes and no unbounded echo of the input.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("net") / "toy.gpkg"
    return corridor.write_network(corridor.examples.toy(), path)


def _fails_cleanly(args: Sequence[str], *words: str) -> str:
    """Run with --json: exit 2, one JSON error object mentioning every word."""
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 2, (res.exit_code, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit)
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 1, res.stdout
    error = str(json.loads(lines[0])["error"])
    assert "\n" not in error and len(error) < 2100, error
    for w in words:
        assert w in error, error
    return error


def test_superscript_two_is_no_node_id(toy_file: Path) -> None:
    error = _fails_cleanly(["route", "²", "D", "-n", str(toy_file)], "origin")
    assert "'²'" in error


def test_five_thousand_digit_origin_is_cut_short(toy_file: Path) -> None:
    error = _fails_cleanly(["route", "9" * 5000, "D", "-n", str(toy_file)], "200 characters")
    assert "9" * 100 not in error


def test_node_id_beyond_int64(toy_file: Path) -> None:
    _fails_cleanly(["route", "9" * 20, "D", "-n", str(toy_file)], "node id")


def test_long_padded_name_is_refused_quickly(toy_file: Path) -> None:
    _fails_cleanly(["route", "x" + " " * 16000 + "y", "D", "-n", str(toy_file)], "200 characters")


@pytest.mark.parametrize("seed", ["-1", str(2**64)])
def test_negative_or_huge_seed(toy_file: Path, seed: str) -> None:
    args = ["route", "A", "D", "-n", str(toy_file), "-p", "truck40", "--reliability"]
    _fails_cleanly([*args, "--seed", seed], "--seed")


def test_draws_over_the_memory_budget(toy_file: Path) -> None:
    args = ["route", "A", "D", "-n", str(toy_file), "-p", "truck40", "--reliability"]
    _fails_cleanly([*args, "--draws", "1000000000"], "--draws", "CORRIDOR_MAX_MEMORY_GB")


def test_draws_within_budget_still_run(toy_file: Path) -> None:
    args = ["route", "A", "D", "-n", str(toy_file), "-p", "truck40", "--reliability"]
    res = runner.invoke(app, [*args, "--draws", "200", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["reliability"]["n"] == 200


@pytest.mark.parametrize("depart", ["0001-01-01T00:00", "", "9999-12-31T23:59", "2262-04-12T00:00"])
def test_extreme_departures(toy_file: Path, depart: str) -> None:
    args = ["route", "A", "D", "-n", str(toy_file), "-p", "truck40", "--depart", depart]
    _fails_cleanly(args, "depart")


def test_empty_as_of(toy_file: Path) -> None:
    _fails_cleanly(["route", "A", "D", "-n", str(toy_file), "--as-of", ""], "date")


def test_chart_suffix_that_no_format_has(toy_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.xyz"
    _fails_cleanly(["tcd", "A", "D", "-n", str(toy_file), "--out", str(out)], ".png")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_scheduler_garbage_fails_fast(toy_file: Path) -> None:
    _fails_cleanly(["skim", "A", "D", "-n", str(toy_file), "--scheduler", "garbage"], "tcp://")


def test_serve_unknown_log_level() -> None:
    res = runner.invoke(app, ["serve", "--log-level", "nope"])
    assert res.exit_code == 2 and "--log-level" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


OSM = """<?xml version="1.0"?>
<osm version="0.6">
<node id="1" version="1" lat="0" lon="10"/>
<node id="2" version="1" lat="0" lon="10.001"/>
<node id="3" version="1" lat="0.001" lon="10.001"/>
<way id="7" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
<tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
</osm>
"""


def test_osm_with_only_a_one_way_street(tmp_path: Path) -> None:
    src = tmp_path / "oneway.osm"
    src.write_text(OSM)
    out = tmp_path / "net.gpkg"
    _fails_cleanly(["import", "osm", str(src), "--out", str(out)], "--all-components")
    assert not out.exists()
    res = runner.invoke(app, ["import", "osm", str(src), "--out", str(out), "--all-components"])
    assert res.exit_code == 0, res.output
    assert len(corridor.read_network(out).links) == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"type": "Polygon", "coordinates": [[1, 2]]}', "not a GeoJSON geometry"),
        (b'{"type": "Feature"}', "not a GeoJSON geometry"),
        (b"[1, 2", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nested"),
        (b'{"type": "Point", "coordinates": [1, 2]}', "Point"),
        (b"null", "not a GeoJSON geometry"),
        (
            b'{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
            "not valid",
        ),
    ],
)
def test_malformed_polygon(tmp_path: Path, content: bytes, words: str) -> None:
    src = tmp_path / "oneway.osm"
    src.write_text(OSM)
    poly = tmp_path / "area.json"
    poly.write_bytes(content)
    out = tmp_path / "net.gpkg"
    args = ["import", "osm", str(src), "--out", str(out), "--polygon", str(poly)]
    error = _fails_cleanly(args, "--polygon", words)
    assert "\\xff" not in error and "[[[[" not in error


def test_messages_never_echo_unbounded_input(toy_file: Path) -> None:
    error = _fails_cleanly(["route", "A", "D", "-n", str(toy_file), "--as-of", "y" * 5000], "date")
    assert "y" * 2100 not in error
    res = runner.invoke(app, ["route", "A", "D", "-n", str(toy_file), "--as-of", "y" * 5000])
    assert res.exit_code == 2 and len(res.output) < 2200


def test_osm_with_a_huge_bad_id_says_so_briefly(tmp_path: Path) -> None:
    # found by `make fuzz`: the reader's message quoted 10,000 brackets whole (20 KB)
    pytest.importorskip("osmium", reason="pyosmium reads OSM files")
    src = tmp_path / "bad.osm"
    src.write_text(OSM.replace('<node id="1"', '<node id="[' + "[" * 10_000 + '"', 1))
    with pytest.raises(corridor.DataSourceError) as info:
        corridor.read_osm(src)
    assert "not a readable OpenStreetMap file" in str(info.value)
    assert len(str(info.value)) < 600
