"""Place resolution through the CLI (table and --json) and the service, on the embedded network.

All three must report what :func:`corridor.lookup_place` reports (one engine), keep
their existing fields and route between the same nodes.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app as cli_app

runner = CliRunner()


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.fixture(scope="module")
def client(net: corridor.Network) -> Iterator[Any]:
    pytest.importorskip("fastapi", reason="fastapi is needed for the web service")
    from corridor.service import ServiceSettings, create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's test client warns about httpx
        from fastapi.testclient import TestClient
    with TestClient(create_app(net, ServiceSettings(rate_per_s=0))) as c:
        yield c


def test_cli_json_reports_resolution_like_the_library(net: corridor.Network) -> None:
    res = runner.invoke(cli_app, ["route", "Khorgos", "Chongqingg", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    expect_o = corridor.lookup_place(net, "Khorgos", role="origin").to_dict()
    expect_d = corridor.lookup_place(net, "Chongqingg", role="destination").to_dict()
    assert out["resolved"] == {"origin": expect_o, "destination": expect_d}
    assert out["resolved"]["origin"]["country"] == "CN"
    assert out["resolved"]["origin"]["match"] == "alternate"
    assert {c["country"] for c in out["resolved"]["origin"]["candidates"]} >= {"CN", "KZ"}
    assert out["resolved"]["destination"]["match"] == "fuzzy"
    # existing fields kept, and the route runs between the resolved nodes
    assert out["node_ids"][0] == expect_o["node_id"]
    assert out["node_ids"][-1] == expect_d["node_id"]
    assert "totals" in out and "legs" in out


def test_cli_table_prints_one_note_per_said_endpoint() -> None:
    res = runner.invoke(cli_app, ["route", "Khorgos", "Almaty"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "note: Khorgos → Khorgos (Horgos), CN (pop. 71k)" in text
    assert "also Khorgos, KZ" in text
    assert text.count("note:") == 1  # Almaty is exact and unambiguous: nothing to say


@pytest.mark.parametrize(
    ("origin", "words"),
    [
        ("Tashkent", "outside the network's coverage"),
        ("Jining", "Jining (Ulanqab)"),
        ("Pingxiang", "Pingxiang (Guangxi)"),
    ],
)
def test_cli_refusals_exit_2_on_one_line(origin: str, words: str) -> None:
    res = runner.invoke(cli_app, ["route", origin, "Almaty", "--json"])
    assert res.exit_code == 2
    assert words in json.loads(res.stdout)["error"]


def test_service_route_reports_resolution_like_the_library(
    client: Any, net: corridor.Network
) -> None:
    body = {"origin": "St Petersburg", "destination": "Nanning"}
    out = client.post("/api/route", json=body).json()
    assert (
        out["resolved"]["origin"]
        == corridor.lookup_place(net, "St Petersburg", role="origin").to_dict()
    )
    assert out["resolved"]["origin"]["name"] == "Saint Petersburg"
    assert out["resolved"]["destination"]["name"] == "Nanning"  # not Nanjing
    direct = corridor.route(net, "St Petersburg", "Nanning")
    assert out["node_ids"] == list(direct.node_ids)
    assert out["totals"]["length_km"] == pytest.approx(direct.length_km)


def test_service_cache_keeps_each_query_its_own_resolution(client: Any) -> None:
    a = client.post("/api/route", json={"origin": "Horgos", "destination": "Almaty"}).json()
    b = client.post("/api/route", json={"origin": "Khorgos", "destination": "Almaty"}).json()
    assert a["node_ids"] == b["node_ids"]
    assert (a["resolved"]["origin"]["query"], b["resolved"]["origin"]["query"]) == (
        "Horgos",
        "Khorgos",
    )


def test_service_routes_report_resolution(client: Any) -> None:
    body = {"origin": "Khorgos", "destination": "Almaty", "profile": "car", "k": 2}
    out = client.post("/api/routes", json=body).json()
    assert out["resolved"]["origin"]["country"] == "CN"
    assert out["resolved"]["destination"]["match"] == "exact"


def test_service_refusals_say_why(client: Any) -> None:
    r = client.post("/api/route", json={"origin": "Tashkent", "destination": "Almaty"})
    assert r.status_code == 404
    out = r.json()
    assert out["type"] == "UnknownNodeError" and out["error_class"] == "OutsideCoverageError"
    assert out["country"] == "UZ" and "KZ" in out["covered"]
    r = client.post("/api/route", json={"origin": "Jining", "destination": "Almaty"})
    out = r.json()
    assert out["error_class"] == "AmbiguousPlaceError"
    assert "Jining (Ulanqab)" in out["suggestions"]
    assert {c["in_network"] for c in out["candidates"]} == {True, False}


@pytest.mark.parametrize("command", ["cpmm", "tcd"])
def test_cost_commands_report_resolution(net: corridor.Network, command: str) -> None:
    res = runner.invoke(cli_app, [command, "Horgos", "Almaty", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (
        out["resolved"]["origin"] == corridor.lookup_place(net, "Horgos", role="origin").to_dict()
    )
    assert out["resolved"]["destination"]["name"] == "Almaty"


def test_service_resolve_endpoint(client: Any, net: corridor.Network) -> None:
    got = client.get("/api/resolve", params={"q": "Khorgos"}).json()
    assert got == corridor.lookup_place(net, "Khorgos").to_dict()
    r = client.get("/api/resolve", params={"q": "Baku", "role": "origin"})
    assert r.status_code == 404 and r.json()["error_class"] == "OutsideCoverageError"
    assert "origin 'Baku'" in r.json()["error"]
