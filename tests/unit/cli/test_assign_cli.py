"""`corridor assign`: TNTP files and corridor networks, JSON and tables, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli.app import app
from corridor.export.tntp import write_tntp_trips
from corridor.io.tntp import read_tntp_flow

runner = CliRunner()

NET = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 4
<FIRST THRU NODE> 3
<NUMBER OF LINKS> 4
<END OF METADATA>
~ init term capacity length fft b power speed toll type ;
1 3 10 1 1 1 1 0 0 1 ;
3 2 10 1 1 1 1 0 0 1 ;
1 4 10 1 2 1 1 0 0 1 ;
4 2 10 1 2 1 1 0 0 1 ;
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    net = tmp_path / "two_net.tntp"
    net.write_text(NET)
    trips = write_tntp_trips(np.array([[0.0, 30.0], [0.0, 0.0]]), tmp_path / "two_trips.tntp")
    return net, trips


def test_assign_json_and_tntp_out(files: tuple[Path, Path], tmp_path: Path) -> None:
    net, trips = files
    out = tmp_path / "flows_flow.tntp"
    res = runner.invoke(
        app,
        [
            "assign",
            str(net),
            str(trips),
            "--algorithm",
            "gp",
            "--gap",
            "1e-10",
            "--json",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert data["converged"] and data["rel_gap"] <= 1e-10
    # routes 1-3-2 (2 + 0.2 x) and 1-4-2 (4 + 0.4 y) with x + y = 30: x = 70/3
    assert data["links"]["flow_pce"] == pytest.approx([70 / 3, 70 / 3, 20 / 3, 20 / 3])
    assert [row["iteration"] for row in data["convergence"]] == list(
        range(1, data["iterations"] + 1)
    )
    assert read_tntp_flow(out)["flow"].tolist() == pytest.approx(data["links"]["flow_pce"])


def test_assign_table_and_csv(files: tuple[Path, Path], tmp_path: Path) -> None:
    net, trips = files
    out = tmp_path / "flows.csv"
    res = runner.invoke(app, ["assign", str(net), str(trips), "--gap", "1e-6", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "converged" in res.stdout and "convergence" in res.stdout
    frame = pd.read_csv(out)
    assert frame.columns.tolist() == ["link_id", "a_node", "b_node", "flow_car", "flow_pce", "time"]


def test_assign_not_converged_warns(files: tuple[Path, Path]) -> None:
    net, trips = files
    res = runner.invoke(
        app,
        ["assign", str(net), str(trips), "--algorithm", "msa", "--gap", "1e-12", "--max-iter", "3"],
    )
    assert res.exit_code == 0, res.output
    assert "NOT converged" in res.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--algorithm", "dial"], "unknown algorithm"),
        (["--gap", "2"], "rel_gap"),
    ],
)
def test_assign_bad_options_exit_2(files: tuple[Path, Path], args: list[str], words: str) -> None:
    net, trips = files
    res = runner.invoke(app, ["assign", str(net), str(trips), *args, "--json"])
    assert res.exit_code == 2
    assert words in json.loads(res.stdout)["error"]


def test_assign_bad_files_exit_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    net, _ = files
    bad = tmp_path / "bad_trips.tntp"
    bad.write_text("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : -5.0;\n")
    res = runner.invoke(app, ["assign", str(net), str(bad), "--json"])
    assert res.exit_code == 2
    assert "bad_trips.tntp (row 4)" in json.loads(res.stdout)["error"]
    res = runner.invoke(app, ["assign", str(tmp_path / "nope_net.tntp"), str(bad)])
    assert res.exit_code == 2
    assert "file not found" in " ".join(res.output.split())


def test_assign_corridor_network_with_csv_demand(tmp_path: Path) -> None:
    toy = corridor.examples.toy()
    links = toy.links.copy()
    links["capacity_veh_h"] = 100.0
    path = corridor.write_network(toy.with_links(links), tmp_path / "toy.gpkg")
    demand = tmp_path / "od.csv"
    pd.DataFrame({"origin": [1, 4], "destination": [4, 1], "trips": [120.0, 40.0]}).to_csv(
        demand, index=False
    )
    res = runner.invoke(
        app, ["assign", str(path), str(demand), "--algorithm", "gp", "--gap", "1e-9", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["converged"] and data["time_unit"] == "h"
    bad = tmp_path / "bad.csv"
    bad.write_text("origin,destination,trips\n1,4,x\n")
    res = runner.invoke(app, ["assign", str(path), str(bad), "--json"])
    assert res.exit_code == 2
    assert "(row 2): trips is not a number" in json.loads(res.stdout)["error"]


def test_assign_on_a_dask_scheduler_equals_local(files: tuple[Path, Path]) -> None:
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    net, trips = files
    local = runner.invoke(app, ["assign", str(net), str(trips), "--gap", "1e-6", "--json"])
    assert local.exit_code == 0, local.output
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        res = runner.invoke(
            app,
            [
                "assign",
                str(net),
                str(trips),
                "--gap",
                "1e-6",
                "--json",
                "--scheduler",
                cluster.scheduler_address,
            ],
        )
    assert res.exit_code == 0, res.output
    a, b = json.loads(local.stdout), json.loads(res.stdout)
    assert a["iterations"] == b["iterations"]
    assert a["rel_gap"] == pytest.approx(b["rel_gap"], rel=1e-9, abs=1e-15)


def test_assign_unreachable_scheduler_exit_2(files: tuple[Path, Path]) -> None:
    net, trips = files
    res = runner.invoke(
        app, ["assign", str(net), str(trips), "--json", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert res.exit_code == 2
    assert "scheduler" in json.loads(res.stdout)["error"]


TOLLED = NET.replace("1 3 10 1 1 1 1 0 0 1 ;", "1 3 10 1 1 1 1 0 5 1 ;").replace(
    "1 4 10 1 2 1 1 0 0 1 ;", "1 4 10 3 2 1 1 0 0 1 ;"
)


@pytest.mark.parametrize(("toll_w", "dist_w"), [(0.0, 0.0), (0.2, 0.0), (0.2, 0.5)])
def test_assign_generalised_cost_weights(
    files: tuple[Path, Path], tmp_path: Path, toll_w: float, dist_w: float
) -> None:
    # upper path 1-3-2: time 1 + x/10 per link, toll 5 on 1-3, length 2; lower 1-4-2: time
    # 2 (1 + x/10) per link, length 4. Equal costs: 2 (1 + x/10) + 5 tw + 2 dw =
    # 4 (1 + (30 - x)/10) + 4 dw  ->  x = (14 - 5 tw + 2 dw) / 0.6
    _, trips = files
    net = tmp_path / "tolled_net.tntp"
    net.write_text(TOLLED)
    args = ["assign", str(net), str(trips), "--algorithm", "gp", "--gap", "1e-12", "--json"]
    res = runner.invoke(
        app, [*args, "--toll-weight", str(toll_w), "--distance-weight", str(dist_w)]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["toll_weight"], out["distance_weight"]) == (toll_w, dist_w)
    upper = (14 - 5 * toll_w + 2 * dist_w) / 0.6
    ends = zip(out["links"]["a_node"], out["links"]["b_node"], strict=True)
    flow = dict(zip(ends, out["links"]["flow_pce"], strict=True))
    assert flow[(1, 3)] == pytest.approx(upper, abs=1e-6)
    assert flow[(1, 4)] == pytest.approx(30 - upper, abs=1e-6)


def test_assign_says_when_tolls_are_not_a_cost(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, trips = files
    net = tmp_path / "tolled_net.tntp"
    net.write_text(TOLLED)
    res = runner.invoke(app, ["assign", str(net), str(trips)])
    assert res.exit_code == 0, res.output
    assert "1 links have a toll, which is not part of the cost" in res.output
    bad = runner.invoke(app, ["assign", str(net), str(trips), "--toll-weight", "-1"])
    assert bad.exit_code == 2
    assert "--toll-weight -1.0" in bad.output
