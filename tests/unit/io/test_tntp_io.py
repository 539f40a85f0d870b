"""TNTP reading and writing: real files, round trips, and clear errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridor.assignment import AssignmentOptions, assign
from corridor.assignment.tntp import read_tntp_network, read_tntp_trips, tntp_assignment_network
from corridor.errors import DataSourceError, ValidationError
from corridor.export.tntp import write_tntp_flow, write_tntp_trips
from corridor.io.tntp import read_tntp_demand, read_tntp_flow, read_tntp_net, read_tntp_nodes

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "tntp"
needs_data = pytest.mark.skipif(
    not (DATA / "SiouxFalls").is_dir(),
    reason=f"TNTP reference data not found at {DATA} (shared data folder absent)",
)

NET = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 4
<FIRST THRU NODE> {thru}
<NUMBER OF LINKS> {n}
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
{links}
"""

LINKS = [
    "1 3 100 1 1 0.15 4 0 0 1 ;",
    "3 2 100 1 1 0.15 4 0 0 1 ;",
    "1 4 100 1 5 0.15 4 0 0 1 ;",
    "4 2 100 1 5 0.15 4 0 0 1 ;",
]

TRIPS = """<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 10.0
<END OF METADATA>

Origin 1
    1 :      0.0;     2 :     10.0;
Origin 2
    1 :      {back};
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_small_network_and_trips(tmp_path: Path) -> None:
    net = read_tntp_network(
        _write(tmp_path, "x_net.tntp", NET.format(thru=1, n=4, links="\n".join(LINKS)))
    )
    assert net.n_links == 4 and net.n_nodes == 4
    assert net.zones.tolist() == [1, 2] and net.no_through.size == 0
    assert net.name == "x"
    assert net.capacity.tolist() == [100.0] * 4
    tc = read_tntp_trips(_write(tmp_path, "x_trips.tntp", TRIPS.format(back="2.5")), zones=2)
    assert tc.demand.tolist() == [[0.0, 10.0], [2.5, 0.0]]


def test_io_reads_plain_tables_that_assignment_builds_on(tmp_path: Path) -> None:
    path = _write(tmp_path, "x_net.tntp", NET.format(thru=2, n=4, links="\n".join(LINKS)))
    raw = read_tntp_net(path)
    assert (raw.n_zones, raw.n_nodes, raw.first_thru_node, raw.name) == (2, 4, 2, "x")
    assert list(raw.links.columns[:3]) == ["a_node", "b_node", "capacity"]
    assert raw.links["a_node"].dtype == np.int64 and len(raw.links) == 4
    assert "TntpNetwork 'x'" in repr(raw)
    net = tntp_assignment_network(raw)
    same = read_tntp_network(path)
    for name in ("node_ids", "a_node", "b_node", "capacity", "free_flow_time", "no_through"):
        assert np.array_equal(getattr(net, name), getattr(same, name)), name
    assert net.no_through.tolist() == [1]
    trips = _write(tmp_path, "x_trips.tntp", TRIPS.format(back="2.5"))
    assert read_tntp_demand(trips, zones=2).tolist() == [[0.0, 10.0], [2.5, 0.0]]


def test_first_thru_node_blocks_passing_through_zones(tmp_path: Path) -> None:
    # zone 3 sits on the cheap path 1-3-2; with first-thru node 4 it cannot be crossed
    text = """<NUMBER OF ZONES> 3
<NUMBER OF NODES> 4
<FIRST THRU NODE> {thru}
<NUMBER OF LINKS> 4
<END OF METADATA>
1 3 100 1 1 0 1 0 0 1 ;
3 2 100 1 1 0 1 0 0 1 ;
1 4 100 1 5 0 1 0 0 1 ;
4 2 100 1 5 0 1 0 0 1 ;
"""
    demand = np.zeros((3, 3))
    demand[0, 1] = 7.0
    aon = AssignmentOptions(algorithm="aon")
    free = read_tntp_network(_write(tmp_path, "a_net.tntp", text.format(thru=1)))
    assert assign(free, demand, options=aon).flow_pce.tolist() == [7.0, 7.0, 0.0, 0.0]
    blocked = read_tntp_network(_write(tmp_path, "b_net.tntp", text.format(thru=4)))
    assert blocked.no_through.tolist() == [1, 2, 3]
    assert assign(blocked, demand, options=aon).flow_pce.tolist() == [0.0, 0.0, 7.0, 7.0]


@pytest.mark.parametrize(
    ("line", "row", "words"),
    [
        ("1 3 0 1 1 0.15 4 0 0 1 ;", 8, "capacity must be > 0"),
        ("1 3 100 1 -1 0.15 4 0 0 1 ;", 8, "free_flow_time"),
        ("1 3 100 1 x 0.15 4 0 0 1 ;", 8, "'x' is not a number"),
        ("1 3 100 ;", 8, "need at least"),
        ("1 1 100 1 1 0.15 4 0 0 1 ;", 8, "same node"),
    ],
)
def test_bad_link_lines_name_file_and_row(tmp_path: Path, line: str, row: int, words: str) -> None:
    path = _write(
        tmp_path, "bad_net.tntp", NET.format(thru=1, n=4, links="\n".join([line, *LINKS[1:]]))
    )
    with pytest.raises(DataSourceError, match=words) as info:
        read_tntp_network(path)
    assert info.value.row == row
    assert "bad_net.tntp" in str(info.value)


def test_link_count_and_metadata_are_checked(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="NUMBER OF LINKS"):
        read_tntp_network(
            _write(tmp_path, "n_net.tntp", NET.format(thru=1, n=5, links="\n".join(LINKS)))
        )
    with pytest.raises(DataSourceError, match="END OF METADATA"):
        read_tntp_network(_write(tmp_path, "m_net.tntp", "\n".join(LINKS)))
    with pytest.raises(DataSourceError, match="file not found"):
        read_tntp_network(tmp_path / "missing_net.tntp")


@pytest.mark.parametrize(
    ("back", "words"),
    [("-2.5", "negative"), ("abc", "not a number")],
)
def test_bad_trips_name_file_and_row(tmp_path: Path, back: str, words: str) -> None:
    path = _write(tmp_path, "t_trips.tntp", TRIPS.format(back=back))
    with pytest.raises(DataSourceError, match=words) as info:
        read_tntp_trips(path)
    assert info.value.row == 8


def test_trips_zone_outside_range(tmp_path: Path) -> None:
    text = TRIPS.format(back="1.0").replace("Origin 2\n    1 :", "Origin 2\n    3 :")
    with pytest.raises(DataSourceError, match=r"destination 3 is not a zone \(zones are 1..2\)"):
        read_tntp_trips(_write(tmp_path, "z_trips.tntp", text))
    with pytest.raises(DataSourceError, match="network has 3 zones"):
        read_tntp_trips(_write(tmp_path, "y_trips.tntp", TRIPS.format(back="1")), zones=3)


def test_trips_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    demand = rng.uniform(0, 1000, (7, 7)).round(3)
    out = write_tntp_trips(demand, tmp_path / "r_trips.tntp")
    assert np.array_equal(read_tntp_trips(out).demand, demand)
    with pytest.raises(ValidationError, match="square"):
        write_tntp_trips(np.ones((2, 3)), tmp_path / "bad_trips.tntp")
    assert not (tmp_path / "bad_trips.tntp").exists()


def test_flow_round_trip(tmp_path: Path) -> None:
    net = read_tntp_network(
        _write(tmp_path, "f_net.tntp", NET.format(thru=1, n=4, links="\n".join(LINKS)))
    )
    res = assign(
        net, [[0.0, 10.0], [0.0, 0.0]], options=AssignmentOptions(algorithm="gp", rel_gap=1e-12)
    )
    back = read_tntp_flow(write_tntp_flow(res, tmp_path / "f_flow.tntp"))
    assert back["flow"].to_numpy() == pytest.approx(res.flow_pce)
    assert back["cost"].to_numpy() == pytest.approx(res.time)
    assert back["a_node"].tolist() == [1, 3, 1, 4]


@needs_data
def test_reference_files_load() -> None:
    sf = read_tntp_network(DATA / "SiouxFalls" / "SiouxFalls_net.tntp")
    assert (sf.n_nodes, sf.n_links, sf.zones.size) == (24, 76, 24)
    trips = read_tntp_trips(DATA / "SiouxFalls" / "SiouxFalls_trips.tntp", zones=24)
    assert trips.total == pytest.approx(360600.0)
    nodes = read_tntp_nodes(DATA / "SiouxFalls" / "SiouxFalls_node.tntp")
    assert len(nodes) == 24 and nodes["node_id"].tolist() == list(range(1, 25))
    flow = read_tntp_flow(DATA / "SiouxFalls" / "SiouxFalls_flow.tntp")
    assert len(flow) == 76
    ana = read_tntp_network(DATA / "Anaheim" / "Anaheim_net.tntp")
    assert (ana.n_nodes, ana.n_links, ana.no_through.size) == (416, 914, 38)
    bar = read_tntp_network(DATA / "Barcelona" / "Barcelona_net.tntp")
    assert (bar.n_nodes, bar.n_links, bar.zones.size) == (1020, 2522, 110)
    braess = read_tntp_network(DATA / "Braess-Example" / "Braess_net.tntp")
    assert braess.n_links == 5


@needs_data
def test_chicago_regional_loads() -> None:
    net = read_tntp_network(DATA / "chicago-regional" / "ChicagoRegional_net.tntp")
    assert (net.n_nodes, net.n_links, net.zones.size) == (12982, 39018, 1790)
    assert net.no_through.size == 1790
