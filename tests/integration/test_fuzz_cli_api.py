"""Fuzzing the command line and the REST API (issue 13).

CLI property: every generated command line on the toy network exits 0, or exits 2 with
one JSON error line under ``--json`` (never a traceback, never another code). API
property: every generated request gets JSON with a 2xx, a 4xx or a 503, never a 500.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz_support import budget, no_hang
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

pytestmark = [
    pytest.mark.fuzz,
    # a failing case's fixtures (seed bytes) make a long repr; that is no failure
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

runner = CliRunner()

_VALUES = st.sampled_from(
    [
        "A",
        "D",
        "Alpha",
        "²",
        "9" * 5000,
        "x" + " " * 3000,
        "",
        "-1",
        "0",
        "1e19",
        "nan",
        "inf",
        "2026-12-01T08:00",
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "2023-13-01",
        "truck40",
        "car",
        "garbage",
        "road",
        "rail",
        "time",
        "cost",
        "1000000000",
        "chart.xyz",
        "out.png",
        "\x00",
    ]
) | st.text(max_size=30)


_COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    # command: (positional slots, options that take a value)
    "route": (
        ["o", "d"],
        [
            "--mode",
            "--optimize",
            "--profile",
            "--depart",
            "--alternatives",
            "--similarity",
            "--tolerance",
            "--as-of",
            "--draws",
            "--seed",
        ],
    ),
    "tcd": (["o", "d"], ["--profile", "--optimize", "--depart"]),
    "skim": (["o", "d"], ["--cost", "--mode", "--method", "--profile", "--sum"]),
    "isochrone": (["o"], ["--hours", "--mode", "--profile"]),
    "accessibility": (["o"], ["--hours", "--beta", "--mode"]),
    "profiles": ([], []),
    "info": ([], []),
}
_FLAGS = {"route": ["--pareto", "--reliability", "--wide"], "tcd": ["--wide"]}


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzzcli") / "toy.gpkg"
    return corridor.write_network(corridor.examples.toy(), path)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(sorted(_COMMANDS)))
    slots, options = _COMMANDS[name]
    args = [name, *[draw(_VALUES) for _ in slots]]
    for opt in draw(st.lists(st.sampled_from(options), max_size=3, unique=True)) if options else []:
        args += [opt, draw(_VALUES)]
    for flag in draw(st.lists(st.sampled_from(_FLAGS.get(name, ["--json"])), max_size=2)):
        args.append(flag)
    return args


@given(args=command_lines())
@budget(80)
def test_cli_commands(toy_file: Path, args: list[str]) -> None:
    argv = [*args, "--json"]
    if args[0] not in ("profiles",):
        argv += ["--network", str(toy_file)]
    with no_hang():
        res = runner.invoke(app, argv)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"corridor {argv[:8]} raised {res.exception!r}") from res.exception
    assert res.exit_code in (0, 2), (argv[:8], res.exit_code, res.output[-300:])
    if res.exit_code == 2 and res.stdout.strip().startswith("{"):
        lines = res.stdout.strip().splitlines()
        assert len(lines) == 1 and "error" in json.loads(lines[0])


pytest.importorskip("fastapi", reason="fastapi is needed for the web service")

from corridor.service import ServiceSettings, create_app  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette >= 1.0 warns about httpx
        from fastapi.testclient import TestClient
    service = create_app(corridor.examples.toy(), ServiceSettings(rate_per_s=0))
    with TestClient(service, raise_server_exceptions=False) as c:
        yield c


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | _VALUES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_FIELDS = {
    "route": ["origin", "destination", "profile", "optimize", "modes", "depart"],
    "routes": [
        "origin",
        "destination",
        "profile",
        "method",
        "k",
        "optimize",
        "max_similarity",
        "tolerance",
        "modes",
        "depart",
    ],
    "tcd": ["origin", "destination", "profiles", "optimize", "depart"],
    "isochrone": ["origin", "hours", "modes", "profile"],
    "compare": ["base", "other", "places", "profiles", "top", "flows"],
}
_GOOD = {
    "route": {"origin": "A", "destination": "D"},
    "routes": {"origin": "A", "destination": "D", "profile": "truck40"},
    "tcd": {"origin": "A", "destination": "D"},
    "isochrone": {"origin": "A", "hours": [6]},
    "compare": {"base": "nope", "other": "nope"},
}


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, Any]:
    endpoint = draw(st.sampled_from(sorted(_FIELDS)))
    if draw(st.integers(0, 9)) == 0:
        return endpoint, draw(_JSON_VALUES)  # not even an object, sometimes
    body = dict(_GOOD[endpoint])
    for field in draw(st.lists(st.sampled_from(_FIELDS[endpoint]), max_size=3, unique=True)):
        body[field] = draw(_JSON_VALUES)
    return endpoint, body


@given(case=bodies())
@budget(400)
def test_api_post_endpoints(client: Any, case: tuple[str, Any]) -> None:
    endpoint, body = case
    raw = json.dumps(body, ensure_ascii=True)
    with no_hang():
        r = client.post(
            f"/api/{endpoint}", content=raw, headers={"content-type": "application/json"}
        )
    assert r.headers["content-type"].startswith("application/json"), r.text[:200]
    assert r.status_code < 500 or r.status_code == 503, (endpoint, body, r.text[:300])


@given(
    path=st.sampled_from(["/api/places", "/api/resolve"]),
    q=_VALUES | st.text(max_size=200),
    extra=st.dictionaries(st.sampled_from(["limit", "role", "x"]), _VALUES, max_size=2),
)
@budget(250)
def test_api_get_endpoints(client: Any, path: str, q: str, extra: dict[str, str]) -> None:
    with no_hang():
        r = client.get(path, params={"q": q, **extra})
    assert r.headers["content-type"].startswith("application/json"), r.text[:200]
    assert r.status_code < 500, (path, q[:40], r.text[:300])


@given(body=st.binary(max_size=200))
@budget(100)
def test_api_raw_bodies(client: Any, body: bytes) -> None:
    with no_hang():
        r = client.post("/api/route", content=body, headers={"content-type": "application/json"})
    assert r.headers["content-type"].startswith("application/json")
    assert 400 <= r.status_code < 500
