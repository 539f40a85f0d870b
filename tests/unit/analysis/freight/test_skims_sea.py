"""Land skims equal corridor.route pair by pair; sea chains against hand sums; lanes by year."""

from __future__ import annotations

import numpy as np
import pytest

import corridor
from corridor.analysis.freight.sea import load_sea_lanes, sea_chains
from corridor.analysis.freight.skims import land_skim


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.eurasia()


@pytest.mark.parametrize("mode", ["road", "rail_container", "rail_wagon"])
def test_land_skim_is_what_route_reports(net: corridor.Network, mode: str) -> None:
    names = ["Almaty", "Moscow", "Harbin"]
    nodes = net.nodes
    ids = np.array(
        [
            int(nodes[(nodes["name"] == n) & (nodes["kind"] == "city")]["node_id"].iloc[0])
            for n in names
        ]
    )
    sk = land_skim(net, ids, mode)
    crossing = set(nodes.loc[nodes["kind"] == "border_crossing", "node_id"].astype(int))
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i == j:
                continue
            r = corridor.route(net, a, b, profile=sk.profile)
            assert sk.time_h[i, j] == pytest.approx(r.time_h, rel=1e-9)
            assert sk.money_usd[i, j] == pytest.approx(r.cost_usd, rel=1e-9)
            stops = [s.node_id for s in r.stops if s.kind == "border_crossing"]
            assert list(sk.crossings[i][j]) == [s for s in stops if s in crossing]


def test_sea_chain_by_hand() -> None:
    lanes = load_sea_lanes()
    others = sorted({p for ln in lanes.lanes for p in (ln.origin_port, ln.destination_port)})
    others = [p for p in others if p not in ("port_shanghai", "port_hamburg")]
    ports = {"port_shanghai": 1, "port_hamburg": 2} | {p: 3 + i for i, p in enumerate(others)}
    n = 3 + len(others)
    money = np.full((n, n), np.inf)
    time = np.full((n, n), np.inf)
    np.fill_diagonal(money, 0.0)
    np.fill_diagonal(time, 0.0)
    money[0, 1] = money[1, 0] = 10.0
    money[0, 2] = money[2, 0] = 500.0
    time[0, 1] = time[1, 0] = 5.0
    time[0, 2] = time[2, 0] = 50.0
    ch = sea_chains(lanes, "container", ports, money, time, feu_t=20.0)
    k = ch.ports.index(("port_shanghai", "port_hamburg"))
    lane = next(
        ln
        for ln in lanes.lanes
        if (ln.origin_port, ln.destination_port) == ("port_shanghai", "port_hamburg")
    )
    hand = 2 * lanes.handling_cost["container"] / 20.0
    # zone 0 -> its port 1 (10/t) -> sea -> port 2 -> zone 0 (500/t)
    assert ch.money_usd_per_t[k, 0, 0] == pytest.approx(10.0 + hand + lane.cost_usd / 20.0 + 500.0)
    assert ch.time_h[k, 0, 0] == pytest.approx(
        5.0 + 2 * lanes.handling_time_h["container"] + lane.time_h + 50.0
    )
    assert np.isinf(ch.money_usd_per_t[k, 2, 1])  # no access from zone 2 to Shanghai


def test_lanes_by_year() -> None:
    def westbound(year: int | None) -> tuple[float, float]:
        lanes = load_sea_lanes(year=year).lanes
        ln = next(
            x
            for x in lanes
            if (x.cargo, x.origin_port, x.destination_port)
            == ("container", "port_shanghai", "port_hamburg")
        )
        back = next(
            x
            for x in lanes
            if (x.cargo, x.origin_port, x.destination_port)
            == ("container", "port_hamburg", "port_shanghai")
        )
        assert back.cost_usd < ln.cost_usd  # the back-haul is cheaper
        return ln.time_h, ln.cost_usd

    assert westbound(2024) == (1128.0, 4570.0)  # round the Cape (Red Sea crisis)
    assert westbound(2023) == (840.0, 1620.0)  # via Suez
    assert westbound(None) == westbound(2024)
