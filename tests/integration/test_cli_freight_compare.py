"""`corridor freight-compare`: trains diverted by a closed crossing, M-12 savings, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app

runner = CliRunner()

# synthetic freight OD rows (the demand model is another module's): China-Europe containers
# by rail, a Central Asian rail flow, and road freight on the M-12 corridor
PAIRS = [
    ("Chongqing", "Duisburg", "containers", "rail", 3e6, 3e5),
    ("Xi'an", "Warsaw", "containers", "rail", 2e6, 2e5),
    ("Urumqi", "Shymkent", "containers", "rail", 1e6, 1e5),
    ("Urumqi", "Almaty", "containers", "road", 1e6, 0.0),
    ("Moscow", "Yekaterinburg", "food", "road", 5e6, 0.0),
    ("Kazan", "Moscow", "machinery", "road", 2e6, 0.0),
]


@pytest.fixture(scope="module")
def od_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    net = corridor.eurasia()
    rows = []
    for o, d, c, m, t, teu in PAIRS:
        rows.append(
            {
                "origin_zone": o,
                "destination_zone": d,
                "origin_node": corridor.lookup_place(net, o).node_id,
                "destination_node": corridor.lookup_place(net, d).node_id,
                "commodity": c,
                "mode": m,
                "tonnes_year": t,
                "teu_year": teu,
                "vehicles_year": 0.0,
            }
        )
    path = tmp_path_factory.mktemp("od") / "od.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_alashankou_closed_diverts_trains_with_queues_and_days(
    od_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fc"
    res = runner.invoke(
        app,
        [
            *("freight-compare", "current", "alashankou-closed", "--od", str(od_file), "--json"),
            *("--draws", "2", "--seed", "4", "--out", str(out)),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    cx = {(r["crossing"], r["direction"]): r for r in data["freight_crossings"]}
    dostyk = cx[("Dostyk – Alashankou", "b_to_a")]
    altynkol = cx[("Altynkol – Khorgos (rail)", "b_to_a")]
    assert dostyk["closed_after"] and dostyk["trains_day_after"] == 0.0
    assert dostyk["trains_day_before"] > 1.0
    # the trains take Altynkol instead, and its queue grows
    assert altynkol["d_trains_day"] == pytest.approx(-dostyk["d_trains_day"], rel=0.05)
    assert altynkol["queue_h_after"] > altynkol["queue_h_before"]
    total = next(r for r in data["freight_impacts"] if r["mode"] == "all")
    assert total["d_vehicle_h_year"] > 0 and total["d_cost_usd_year"] > 0
    assert data["draws_summary"] and len(data["draws_summary"]) >= 5
    written = {p.name for p in out.iterdir()}
    assert {"freight_crossings.csv", "appraisal.csv", "draws.csv"} <= written


def test_m12_east_saves_road_freight_time_and_is_appraised(od_file: Path) -> None:
    res = runner.invoke(
        app, ["freight-compare", "m12-before", "m12-east", "--od", str(od_file), "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    road = [r for r in data["freight_impacts"] if r["mode"] == "road"]
    assert sum(r["saved_vehicle_h_year"] for r in road) > 0
    appraisal = {r["item"]: r["value"] for r in data["appraisal"]}
    assert appraisal["investment_usd"] == pytest.approx(15.16e9)
    assert appraisal["time_usd"] > 0
    assert 0 < appraisal["bcr"] < 10
    cases = [r["case"] for r in data["appraisal_sensitivity"]]
    assert cases[0] == "central" and "demand +30%" in cases


def test_bad_od_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "od.csv"
    bad.write_text("origin_node,destination_node\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["freight-compare", "current", "current", "--od", str(bad)])
    assert res.exit_code == 2
    assert "missing column" in res.output and "Traceback" not in res.output
