"""TNTP files with inf/NaN ids, huge ids and headers that claim the machine (issue 13)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from corridor.errors import CorridorError
from corridor.io.tntp import read_tntp_demand, read_tntp_flow, read_tntp_net, read_tntp_nodes
from tests.unit.io.test_tntp_io import LINKS, NET, TRIPS


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _refused(fn: object, path: Path, *words: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a wrap-around RuntimeWarning is a failure too
        with pytest.raises(CorridorError) as info:
            fn(path)  # type: ignore[operator]
    msg = str(info.value)
    assert path.name in msg and "\n" not in msg and len(msg) < 400, msg
    for w in words:
        assert w in msg, msg
    return msg


@pytest.mark.parametrize("zone", ["inf", "-inf", "nan", "1e400", "2.5", "0", "3"])
def test_bad_zone_ids_in_trips(tmp_path: Path, zone: str) -> None:
    text = TRIPS.format(back="2.5").replace("Origin 2", f"Origin {zone}")
    _refused(read_tntp_demand, _write(tmp_path, "z_trips.tntp", text), "origin", "(row ")


@pytest.mark.parametrize("dest", ["inf", "nan"])
def test_bad_destination_ids_in_trips(tmp_path: Path, dest: str) -> None:
    text = TRIPS.format(back="2.5").replace("    1 :      2.5;", f"    {dest} :      2.5;")
    _refused(read_tntp_demand, _write(tmp_path, "d_trips.tntp", text), "destination")


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "-3", "1.5", "x"])
def test_bad_metadata_counts(tmp_path: Path, value: str) -> None:
    text = NET.format(thru=1, n=4, links="\n".join(LINKS)).replace(
        "<NUMBER OF NODES> 4", f"<NUMBER OF NODES> {value}"
    )
    _refused(read_tntp_net, _write(tmp_path, "m_net.tntp", text), "NUMBER OF NODES")


def test_billion_nodes_header_is_refused_before_allocation(tmp_path: Path) -> None:
    text = NET.format(thru=1, n=4, links="\n".join(LINKS)).replace(
        "<NUMBER OF NODES> 4", "<NUMBER OF NODES> 1000000000"
    )
    _refused(read_tntp_net, _write(tmp_path, "big_net.tntp", text), "GiB", "<NUMBER OF NODES>")


def test_huge_zone_count_in_trips_is_refused(tmp_path: Path) -> None:
    text = TRIPS.format(back="2.5").replace("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 1000000")
    _refused(read_tntp_demand, _write(tmp_path, "big_trips.tntp", text), "<NUMBER OF ZONES>")


def test_node_id_1e19_does_not_wrap(tmp_path: Path) -> None:
    text = NET.format(thru=1, n=4, links="\n".join(["1e19 3 100 1 1 0.15 4 0 0 1 ;", *LINKS[1:]]))
    _refused(read_tntp_net, _write(tmp_path, "w_net.tntp", text), "2**53", "(row 8)")


def test_flow_and_node_files_check_ids(tmp_path: Path) -> None:
    flow = "From To Volume Cost\n1 2 3.0 4.0\n1e19 2 3.0 4.0\n"
    _refused(read_tntp_flow, _write(tmp_path, "f_flow.tntp", flow), "(row 3)")
    nodes = "Node X Y\n1 0 0\ninf 1 1\n"
    _refused(read_tntp_nodes, _write(tmp_path, "n_node.tntp", nodes), "(row 3)")
    good = read_tntp_flow(_write(tmp_path, "g_flow.tntp", "From To Volume Cost\n1 2 3 4\n"))
    assert good["a_node"].tolist() == [1] and good["flow"].tolist() == [3.0]


def test_valid_files_still_read(tmp_path: Path) -> None:
    net = read_tntp_net(
        _write(tmp_path, "ok_net.tntp", NET.format(thru=1, n=4, links="\n".join(LINKS)))
    )
    assert net.n_nodes == 4 and len(net.links) == 4
    demand = read_tntp_demand(_write(tmp_path, "ok_trips.tntp", TRIPS.format(back="2.5")))
    np.testing.assert_allclose(demand, [[0.0, 10.0], [2.5, 0.0]])


def test_long_bracket_line_in_trips_is_read_in_linear_time(tmp_path: Path) -> None:
    """10,000 brackets on one line sent the old entry regex into quadratic backtracking."""
    text = TRIPS.format(back="2.5" + "[" * 5000 + "]" * 5000)
    msg = _refused(read_tntp_demand, _write(tmp_path, "b_trips.tntp", text), "(row 8)")
    assert len(msg) < 300


def test_metadata_with_long_padding(tmp_path: Path) -> None:
    text = NET.format(thru=1, n=4, links="\n".join(LINKS)).replace(
        "<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 2" + " " * 20000 + "x"
    )
    net = read_tntp_net(_write(tmp_path, "p_net.tntp", text))  # the first word is the count
    assert net.n_zones == 2


def test_a_huge_bad_number_is_quoted_short(tmp_path: Path) -> None:
    # found by `make fuzz`: 10,000 brackets in a link's length were echoed whole (20 KB)
    links = [LINKS[0].replace(" 100 ", " 0." + "[" * 10_000 + " "), *LINKS[1:]]
    text = NET.format(thru=1, n=4, links="\n".join(links))
    msg = _refused(read_tntp_net, _write(tmp_path, "h_net.tntp", text), "is not a number")
    assert "in all" in msg


@pytest.mark.parametrize("link_type", ["inf", "nan", "1e19", "2.5"])
def test_link_type_that_is_no_integer_is_refused(tmp_path: Path, link_type: str) -> None:
    # found by `make fuzz`: link_type inf was cast to int64 (RuntimeWarning, garbage code)
    links = [LINKS[0].removesuffix(" 1 ;") + f" {link_type} ;", *LINKS[1:]]
    text = NET.format(thru=1, n=4, links="\n".join(links))
    _refused(read_tntp_net, _write(tmp_path, "t_net.tntp", text), "link_type", "(row ")
