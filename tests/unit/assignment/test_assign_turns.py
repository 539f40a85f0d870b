"""Equilibrium assignment that obeys turn restrictions, against brute-force searches."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.assignment import AssignmentNetwork, AssignmentOptions, assign
from corridor.assignment.network import assignment_network
from tests.unit.paths.test_turns import PLUS, brute_force, network, random_network


def _congested(net: corridor.Network) -> AssignmentNetwork:
    """The road assignment network of `net` with every node a zone and BPR congestion."""
    an = assignment_network(net)
    m = an.n_links
    return dataclasses.replace(
        an,
        zones=an.node_ids,
        capacity=np.full(m, 4.0),
        alpha=np.full(m, 0.15),
        beta=np.full(m, 4.0),
    )


def test_all_or_nothing_takes_the_allowed_detour() -> None:
    an = _congested(network(PLUS, [("no", 1, 5, "", 2)]))
    demand = np.zeros((4, 4))
    demand[0, 2] = 10.0  # node 1 -> node 7 (zones are the sorted node ids 1, 5, 7, 8)
    demand[2, 0] = 10.0  # and back, which no restriction touches
    res = assign(an, demand, options=AssignmentOptions(algorithm="aon"))
    flow = {
        (int(a), int(b)): float(f)
        for a, b, f in zip(res.a_node, res.b_node, res.flow_pce, strict=True)
    }
    assert flow[(5, 7)] == 0.0  # the banned turn 1 -> 2 at node 5
    assert flow[(1, 5)] == flow[(5, 8)] == flow[(8, 7)] == 10.0
    assert flow[(7, 5)] == flow[(5, 1)] == 10.0


@pytest.mark.parametrize("algorithm", ["msa", "fw", "bfw", "gp"])
def test_equilibria_on_random_restricted_networks_match_brute_force_costs(algorithm: str) -> None:
    rng = np.random.default_rng(13)
    bit = 0
    for _ in range(6):
        net = random_network(rng)
        an = _congested(net)
        z = an.zones.size
        demand = rng.uniform(0.0, 2.0, (z, z)) * (rng.random((z, z)) < 0.5)
        np.fill_diagonal(demand, 0.0)
        ids = an.zones.tolist()
        for i, o in enumerate(ids):  # no demand where the restrictions leave no path
            reach = brute_force(net, int(o), u_turns=False)
            demand[i] *= [int(d) in reach for d in ids]
        target = {"msa": 1e-3, "fw": 1e-4, "bfw": 1e-6, "gp": 1e-9}[algorithm]
        opts = AssignmentOptions(algorithm=algorithm, rel_gap=target, max_iter=20_000)
        res = assign(an, demand, options=opts)
        # the independent gap: all-or-nothing costs by brute force over link histories
        arc_cost = {
            (int(lid), int(a), int(b)): float(t)
            for lid, a, b, t in zip(res.link_ids, res.a_node, res.b_node, res.time, strict=True)
        }
        sptt = 0.0
        for i, o in enumerate(an.zones.tolist()):
            best = brute_force(net, int(o), u_turns=False, arc_cost=arc_cost)
            sptt += sum(demand[i, j] * best[int(d)] for j, d in enumerate(ids) if demand[i, j] > 0)
        tstt = float(np.sum(res.flow_pce * res.time))
        gap = (tstt - sptt) / tstt
        assert -1e-9 <= gap <= max(10 * target, 1e-6)  # never below: no banned path is used
        assert gap == pytest.approx(res.rel_gap, abs=1e-6)
        free = assign(dataclasses.replace(an, turns=pd.DataFrame()), demand, options=opts)
        bit += int(not np.allclose(free.flow_pce, res.flow_pce, atol=1e-3))
    assert bit >= 2  # the restrictions changed the equilibrium


def test_distributed_loader_gives_the_same_restricted_flows() -> None:
    """The expansion is what the all-or-nothing kernel is given, whoever runs it."""
    from corridor.kernels.assign import aon_load_serial

    an = _congested(network(PLUS, [("no", 1, 5, "", 2)]))
    demand = np.ones((4, 4)) - np.eye(4)
    calls: list[int] = []

    def loader(*args):  # type: ignore[no-untyped-def]
        calls.append(int(args[0].size))
        return aon_load_serial(*args)

    opts = AssignmentOptions(algorithm="bfw", rel_gap=1e-8)
    ours = assign(an, demand, options=opts, aon=loader)
    local = assign(an, demand, options=opts)
    assert calls and calls[0] > an.n_nodes + 1  # the expanded graph, not the node graph
    np.testing.assert_allclose(ours.flow_pce, local.flow_pce)
