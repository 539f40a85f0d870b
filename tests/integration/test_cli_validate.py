"""`corridor validate`: the embedded network against the shipped table of published figures."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()


def test_embedded_network_meets_the_table() -> None:
    res = runner.invoke(app, ["validate", "--json"])
    data = json.loads(res.stdout)
    misses = [
        f"{f['id']}: {f['observed']} ({f['problem']})"
        for f in data["figures"]
        if f["status"] == "miss"
    ]
    assert res.exit_code == 0, misses
    assert data["ok"] and not misses
    figures = data["figures"]
    assert len(figures) >= 40
    assert all(f["source"] and f["date"] and f["band"]["why"] for f in figures)
    assert data["counts"]["pass"] + data["counts"]["known-passes"] >= 20
    # every known discrepancy says why; every pass has a model value inside its band
    for f in figures:
        if f["status"].startswith("known"):
            assert f["known_discrepancy"]
        if f["status"] in ("pass", "known-passes"):
            assert f["band"]["low"] <= f["observed"] <= f["band"]["high"]
    assert data["summary"].startswith(
        f"{data['counts']['pass'] + data['counts']['known-passes']} of {len(figures)} figures"
    )


def test_table_output_starts_with_the_answer() -> None:
    res = runner.invoke(app, ["validate", "--details"], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    first = res.stdout.splitlines()[0]
    assert "figures within their band" in first and "misses" in first
    assert "m12-moscow-kazan-km" in res.stdout
    known = [f for f in corridor.load_published() if f.known_discrepancy]
    assert f"known {known[0].id}" in res.stdout
    lines = res.stdout.splitlines()
    reasons = [x for x in lines if x.startswith(("known ", "known-passes "))]
    assert len(reasons) == len(known)  # one reason line per marked figure


def test_a_miss_exits_1_and_bad_table_exits_2(tmp_path: Path) -> None:
    wrong = {
        "figures": [
            {
                "id": "moscow-kazan-wrong",
                "what": "length_km",
                "query": {"origin": "Moscow", "destination": "Kazan", "modes": "road"},
                "published": 500,
                "band": {"pct": 3, "why": "[assumption] test"},
                "date": "2026",
                "source": "a deliberately wrong figure for the test",
            }
        ]
    }
    path = tmp_path / "wrong.yaml"
    path.write_text(yaml.safe_dump(wrong))
    res = runner.invoke(app, ["validate", "--table", str(path), "--json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data["counts"]["miss"] == 1 and not data["ok"]
    assert data["figures"][0]["observed"] > 515
    res = runner.invoke(app, ["validate", "--table", str(path)])
    assert res.exit_code == 1 and "miss moscow-kazan-wrong" in res.stdout
    path.write_text("figures: [{id: x}]")
    res = runner.invoke(app, ["validate", "--table", str(path), "--json"])
    assert res.exit_code == 2
    assert "bad figure" in json.loads(res.stdout)["error"]
