"""One question, one answer: Python, the CLI (``--json``) and the REST API agree.

Each question is asked three ways with the options each interface takes by default (or
the same explicit options), and the numbers must be identical: totals, node sequences,
stop times, route-set sizes and values, TCD rows, CPMM indicators, skim matrices,
isochrone bands, the scenario-comparison headline, the network counts and the error
object. The independent truth is the library call; the CLI and the API must add nothing
and drop nothing, and none of them may carry defaults of its own (they come from
:mod:`corridor.defaults`).
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import corridor

pytest.importorskip("fastapi", reason="fastapi is needed for the web service")

from corridor.cli.app import app as cli_app
from corridor.service import ServiceSettings, create_app


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.fixture(scope="module")
def api(net: corridor.Network) -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's test client warns about httpx
        from fastapi.testclient import TestClient
    with TestClient(create_app(net, ServiceSettings(rate_per_s=0))) as client:
        yield client


def cli(*args: str, code: int = 0) -> Any:
    """Run ``corridor ARGS --json`` in-process and parse what it prints."""
    result = CliRunner().invoke(cli_app, [*args, "--json"], env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def post(api: Any, path: str, body: dict[str, Any], status: int = 200) -> Any:
    resp = api.post(path, json=body)
    assert resp.status_code == status, resp.text
    return resp.json()


def _num(x: Any) -> Any:
    """Numbers rounded to 9 significant digits (JSON float round trips), recursively."""
    if isinstance(x, float):
        return None if not math.isfinite(x) else float(f"{x:.9g}")
    if isinstance(x, dict):
        return {k: _num(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_num(v) for v in x]
    return x


def route_key(d: dict[str, Any]) -> dict[str, Any]:
    """What a route answer says: objective, totals, path, and each stop's time and cost."""
    return _num(
        {
            "optimize": d["optimize"],
            "profile": d["profile"],
            "totals": d["totals"],
            "node_ids": d["node_ids"],
            "legs": [(leg["mode"], leg["length_km"], leg["time_h"]) for leg in d["legs"]],
            "stops": [(s["kind"], s["name"], s["time_h"], s["cost_usd"]) for s in d["stops"]],
        }
    )


ROUTES = [
    ("Moscow", "Kazan", "car", None),
    ("Moscow", "Yekaterinburg", "car", None),
    ("Moscow", "Kazan", None, None),
    ("Moscow", "Kazan", "truck40", "cost"),
    ("Chongqing", "Duisburg", "container40", None),
    ("Chongqing", "Duisburg", "truck40", None),
    ("Harbin", "Blagoveshchensk", "car", None),
    ("Almaty", "Astana", "bus", None),
    ("Moscow", "Saint Petersburg", "train", None),
    ("Xi'an", "Almaty", "container40", "time"),
]


@pytest.mark.parametrize(("origin", "destination", "profile", "optimize"), ROUTES)
def test_route(
    net: corridor.Network,
    api: Any,
    origin: str,
    destination: str,
    profile: str | None,
    optimize: str | None,
) -> None:
    py = corridor.route(net, origin, destination, profile=profile, optimize=optimize).to_dict()
    args = [origin, destination]
    body: dict[str, Any] = {"origin": origin, "destination": destination}
    if profile:
        args += ["--profile", profile]
        body["profile"] = profile
    if optimize:
        args += ["--optimize", optimize]
        body["optimize"] = optimize
    want = route_key(py)
    assert route_key(cli("route", *args)) == want
    assert route_key(post(api, "/api/route", body)) == want
    # the default objective is the one corridor.defaults names
    assert py["optimize"] == corridor.defaults.objective(optimize, profile)


SETS = [
    ("alternatives", "Moscow", "Yekaterinburg", "car"),
    ("alternatives", "Chongqing", "Duisburg", "container40"),
    ("alternatives", "Almaty", "Moscow", "truck40"),
    ("pareto", "Chongqing", "Duisburg", "container40"),
    ("pareto", "Moscow", "Kazan", "truck40"),
]


def set_key(d: dict[str, Any]) -> list[Any]:
    return [route_key(r) for r in d["routes"]]


@pytest.mark.parametrize(("method", "origin", "destination", "profile"), SETS)
def test_route_set(
    net: corridor.Network, api: Any, method: str, origin: str, destination: str, profile: str
) -> None:
    if method == "pareto":
        rs = corridor.pareto(net, origin, destination, profile=profile)
        args = ["--pareto"]
    else:
        k = corridor.defaults.ALTERNATIVES
        rs = corridor.alternatives(net, origin, destination, profile=profile, k=k)
        args = ["--alternatives", str(k)]
    want = [route_key(r.to_dict()) for r in rs.routes]
    got_cli = cli("route", origin, destination, "--profile", profile, *args)
    got_api = post(
        api,
        "/api/routes",
        {"origin": origin, "destination": destination, "profile": profile, "method": method},
    )
    assert set_key(got_cli) == want
    assert set_key(got_api) == want
    assert got_cli["method"] == got_api["method"] == rs.method
    if method == "alternatives":
        assert got_cli["note"] == got_api["note"]


def test_pareto_tolerance_is_shared() -> None:
    """The same tolerance everywhere: the API field, the CLI option and the library."""
    import inspect

    from corridor.service.models import RoutesRequest

    default = corridor.defaults.PARETO_TOLERANCE
    assert inspect.signature(corridor.pareto).parameters["tolerance"].default == default
    assert RoutesRequest.model_fields["tolerance"].default == default
    assert RoutesRequest.model_fields["k"].default == corridor.defaults.ALTERNATIVES
    sig = inspect.signature(corridor.alternatives).parameters
    assert sig["k"].default == corridor.defaults.ALTERNATIVES


@pytest.mark.parametrize(("origin", "destination"), [("Moscow", "Kazan"), ("Almaty", "Astana")])
def test_tcd(net: corridor.Network, api: Any, origin: str, destination: str) -> None:
    t = corridor.tcd(net, origin, destination)
    want = _num(json.loads(t.table.round(4).to_json(orient="records")))
    got_api = _num(post(api, "/api/tcd", {"origin": origin, "destination": destination})["table"])
    got_cli = cli("tcd", origin, destination)
    assert got_api == want
    assert [route_key(r) for r in got_cli["routes"]] == [route_key(r.to_dict()) for r in t.routes]


@pytest.mark.parametrize("profile", ["truck20", "container40"])
def test_cpmm(net: corridor.Network, profile: str) -> None:
    r = corridor.cpmm(net, "Almaty", "Astana", profile=profile)
    got = cli("cpmm", "Almaty", "Astana", "--profile", profile)
    want = _num(r.to_dict())
    assert _num({k: got[k] for k in want}) == want
    # the break-even compares the profile asked for, not truck40 whatever was asked
    be = got["break_even"]
    assert profile in (be["road_profile"], be["rail_profile"])


@pytest.mark.parametrize("profile", [None, "car"])
def test_skim(net: corridor.Network, profile: str | None) -> None:
    places = ["Moscow", "Kazan", "Yekaterinburg"]
    if profile is None:
        sk = corridor.skim(net, places, sums=["length_km"])
        got = cli("skim", ",".join(places))
    else:
        sk = corridor.profile_skim(net, places, profile=profile)
        got = cli("skim", ",".join(places), "--profile", profile)
    want = {k: _num(v.tolist()) for k, v in sk.matrices().items()}
    assert {k: _num(v) for k, v in got["matrices"].items()} == want


def test_isochrone(net: corridor.Network, api: Any) -> None:
    iso = corridor.isochrone(net, "Moscow")
    want = [(b, n) for b, n in iso.counts().items()]
    got_cli = [(b["hours"], b["nodes"]) for b in cli("isochrone", "Moscow")["bands"]]
    got_api = [
        (b["hours"], b["nodes"]) for b in post(api, "/api/isochrone", {"origin": "Moscow"})["bands"]
    ]
    assert got_cli == want
    assert got_api == want


COMPARE_PLACES = ("Moscow", "Kazan", "Yekaterinburg", "Ufa", "Nizhniy Novgorod")


def test_compare_headline(net: corridor.Network, api: Any) -> None:
    """The web compare endpoint runs the CLI's comparison with the same options."""
    opts = corridor.CompareOptions(places=COMPARE_PLACES, flows=None)
    before = corridor.get_scenario("m12-before").apply(net)
    after = corridor.get_scenario("m12-east").apply(net)
    head = corridor.compare(before, after, options=opts).headline()
    cols = ["profile", "origin", "destination", "time_h_before", "time_h_after", "cost_usd_after"]
    want = _num(head[cols].round(3).to_dict(orient="records"))
    got_api = post(
        api,
        "/api/compare",
        {"base": "m12-before", "other": "m12-east", "places": list(COMPARE_PLACES), "flows": False},
    )["headline"]
    got_cli = cli(
        "scenario",
        "compare",
        "m12-before",
        "m12-east",
        "--places",
        ",".join(COMPARE_PLACES),
        "--no-flows",
    )
    assert [{c: r[c] for c in cols} for r in _num(got_api)] == want
    rows = [r for r in got_cli["headline"]]
    # numpy's rounding, as the frame's .round(3) above: Python's round() differs at ties
    assert [
        {c: _num(float(np.round(r[c], 3))) if isinstance(r[c], float) else r[c] for c in cols}
        for r in rows
    ] == want
    assert want, "the headline has rows"


def test_counts(net: corridor.Network, api: Any) -> None:
    info = cli("info")
    health = api.get("/api/health").json()
    want = corridor.network_summary(net)
    keys = ("nodes", "links", "crossings", "airport_passport_controls", "crossing_rows")
    for key in (*keys, "turn_restrictions"):
        assert info[key] == health[key] == want[key], key
    # every border-crossing node is either a land crossing or an airport's passport control
    controls = want["crossings"] + want["airport_passport_controls"]
    assert controls == int((net.nodes["kind"] == "border_crossing").sum())
    assert 0 < want["airport_passport_controls"] < want["crossings"]
    assert want["crossing_rows"] == len(net.crossings)


@pytest.mark.parametrize(("origin", "profile"), [("Qwxzvbn", None), ("Moscow", "no-such-profile")])
def test_error_object(api: Any, origin: str, profile: str | None) -> None:
    args = [origin, "Kazan"] + (["--profile", profile] if profile else [])
    got_cli = cli("route", *args, code=2)
    body: dict[str, Any] = {"origin": origin, "destination": "Kazan"}
    if profile:
        body["profile"] = profile
    resp = api.post("/api/route", json=body)
    got_api = resp.json()
    keys = {"error", "code", "message", "field", "hint", "type", "status", "suggestions"}
    assert keys <= set(got_cli)
    assert keys <= set(got_api)
    assert {k: got_cli[k] for k in ("code", "field", "type", "status")} == {
        k: got_api[k] for k in ("code", "field", "type", "status")
    }
    assert got_api["status"] == resp.status_code
    assert got_cli["message"] and got_api["message"]


def test_isochrone_with_profile(net: corridor.Network, api: Any) -> None:
    """With a profile an isochrone times each place as `route` does (the Heihe case)."""
    iso = corridor.isochrone(net, "Harbin", profile="car")
    frame = iso.to_frame().set_index("name")
    for place in ("Blagoveshchensk", "Changchun", "Qiqihar"):
        r = corridor.route(net, "Harbin", place, profile="car", optimize="time")
        assert frame.loc[place, "time_h"] == pytest.approx(r.time_h, rel=1e-9)
    free = corridor.isochrone(net, "Harbin").to_frame().set_index("name")
    # free-flow ignores the crossing and the drivers' rests; the profile does not
    assert frame.loc["Blagoveshchensk", "time_h"] > free.loc["Blagoveshchensk", "time_h"] + 1
    want = list(iso.counts().items())
    got_cli = cli("isochrone", "Harbin", "--profile", "car")
    got_api = post(api, "/api/isochrone", {"origin": "Harbin", "profile": "car"})
    assert [(b["hours"], b["nodes"]) for b in got_cli["bands"]] == want
    assert [(b["hours"], b["nodes"]) for b in got_api["bands"]] == want
    assert got_cli["time_definition"] == got_api["time_definition"] == iso.time_definition
