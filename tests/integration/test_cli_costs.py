"""The cost-model CLI: route --profile/--alternatives/--pareto/--reliability, tcd, cpmm."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


@pytest.fixture
def toy_file(tmp_path: Path, toy: corridor.Network) -> Path:
    return corridor.write_network(toy, tmp_path / "toy.gpkg")


def run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout


def test_route_profile_json_totals_legs_stops(toy_file: Path) -> None:
    code, out = run(
        "route",
        "A",
        "D",
        "-n",
        str(toy_file),
        "-p",
        "truck40",
        "--json",
        "--depart",
        "2026-12-01T08:00",
    )
    assert code == 0, out
    data = json.loads(out)
    assert set(data["totals"]) >= {"length_km", "time_h", "cost_usd", "co2_kg"}
    assert data["totals"]["cost_usd"] == pytest.approx(1.89 * 353 + 100, abs=0.01)
    assert [s["kind"] for s in data["stops"]] == ["terminal", "border_crossing", "terminal"]
    assert data["arrive"].startswith("2026-12-01T21:36")
    assert data["legs"][0]["cost_usd"] > 0


def test_route_sets_and_reliability_json(toy_file: Path) -> None:
    code, out = run(
        "route",
        "A",
        "D",
        "-n",
        str(toy_file),
        "-p",
        "container40",
        "--alternatives",
        "3",
        "--reliability",
        "--draws",
        "500",
        "--json",
    )
    assert code == 0, out
    data = json.loads(out)
    assert len(data["routes"]) == 2
    assert {"p50_h", "p90_h"} <= set(data["routes"][0]["reliability"])
    code, out = run(
        "route", "A", "D", "-n", str(toy_file), "-p", "container40", "--pareto", "--json"
    )
    assert code == 0, out
    assert all("totals" in r for r in json.loads(out)["routes"])
    code, out = run("route", "A", "D", "-n", str(toy_file), "-p", "container40", "--pareto")
    assert code == 0 and "non-dominated" in out


def test_errors_are_one_line_json_exit_2(toy_file: Path, tmp_path: Path) -> None:
    code, out = run("route", "A", "D", "-n", str(toy_file), "-p", "lorry", "--json")
    assert code == 2 and "unknown profile" in json.loads(out)["error"]
    prof = corridor.load_profile("truck40").model_dump(mode="json")
    prof["road"]["cost_per_km_usd"] = -2
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(prof))
    code, out = run("route", "A", "D", "-n", str(toy_file), "-p", str(bad), "--json")
    assert code == 2 and "road.cost_per_km_usd" in json.loads(out)["error"]
    del prof["road"]["cost_per_km_usd"]
    bad.write_text(yaml.safe_dump(prof))
    code, out = run("route", "A", "D", "-n", str(toy_file), "-p", str(bad), "--json")
    assert code == 2 and "Field required" in json.loads(out)["error"]
    code, out = run("route", "A", "C", "-n", str(toy_file), "-p", "train", "--json")
    assert code == 2 and "no path from A to C" in json.loads(out)["error"]
    res = runner.invoke(app, ["route", "A", "C", "-n", str(toy_file), "-p", "train"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) <= 3  # one message (rich may wrap it)
    code, out = run("route", "A", "D", "-n", str(toy_file), "--pareto", "--json")
    assert code == 2 and "need --profile" in json.loads(out)["error"]


def test_tcd_and_cpmm_commands(toy_file: Path, tmp_path: Path) -> None:
    png = tmp_path / "tcd.png"
    code, out = run("tcd", "A", "D", "-n", str(toy_file), "--out", str(png))
    assert code == 0, out
    assert png.exists() and "gauge" in out and "cum" in out
    code, out = run("tcd", "A", "D", "-n", str(toy_file), "-p", "truck40", "--json")
    assert code == 0
    rows = json.loads(out)["table"]
    assert rows[-1]["cum_cost_usd"] == pytest.approx(1.89 * 353 + 100, abs=0.01)
    code, out = run("cpmm", "A", "D", "-n", str(toy_file), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["crossings"][0]["tfi1_h"] == 5.0
    assert data["break_even"]["distance_km"] == pytest.approx(252.1, abs=0.1)
    code, out = run("cpmm", "A", "D", "-n", str(toy_file))
    assert code == 0 and "TFI3" in out and "SWOD" in out
    code, out = run("profiles", "--json")
    assert {p["id"] for p in json.loads(out)["profiles"]} == set(corridor.costs.BUILTIN_PROFILES)
    code, out = run("profiles", "grain-wagon")
    assert code == 0 and "source" in out


def test_route_as_of_before_and_after_a_new_road(toy: corridor.Network, tmp_path: Path) -> None:
    base = toy.links.drop(columns="geometry")
    new = base.iloc[[0]].assign(
        link_id=40,
        a_node=1,
        b_node=3,
        ref="M-new",
        length_km=200.0,
        speed_kmh=130.0,
        opened=pd.Timestamp("2023-12-21"),
    )
    net = toy.with_links(pd.concat([base, new], ignore_index=True))
    path = corridor.write_network(net, tmp_path / "new.gpkg")
    args = ["route", "A", "D", "-n", str(path), "-p", "car", "--optimize", "time", "--json"]
    code, out = run(*args)
    assert code == 0, out
    assert 40 in json.loads(out)["legs"][0]["link_ids"]
    code, out = run(*args, "--as-of", "2023-01-01")
    assert code == 0, out
    assert all(40 not in leg["link_ids"] for leg in json.loads(out)["legs"])
    code, out = run(*args, "--as-of", "soon")
    assert code == 2 and "YYYY-MM-DD" in json.loads(out)["error"]


def test_route_lists_border_formalities_and_explains_a_closed_border() -> None:
    """On the embedded network: the table ends with the crossing's visa and documents, the
    JSON carries them per stop, and a trip no crossing admits fails with the rule."""
    code, out = run("route", "Almaty", "Urumqi", "-p", "truck40")
    assert code == 0
    flat = " ".join(out.split())
    assert "TIR carnet" in flat and "visa-free" in flat
    code, out = run("route", "Almaty", "Urumqi", "-p", "truck40", "--json")
    stops = json.loads(out)["stops"]
    assert any("TIR carnet" in s["formalities"] for s in stops if s["kind"] == "border_crossing")
    code, out = run("route", "Vladivostok", "Pyongyang", "-p", "car", "--json")
    assert code != 0
    assert "Dandong" in out and "closed" in out
