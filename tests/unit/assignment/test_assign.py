"""Equilibrium assignment on small networks checked by hand, brute force and invariants."""

from __future__ import annotations

import itertools
import warnings

import networkx as nx
import numpy as np
import pytest
from scipy.integrate import quad

import corridor
from corridor.assignment import (
    AssignmentNetwork,
    AssignmentOptions,
    AssignmentResult,
    ConvergenceWarning,
    TrafficClass,
    assign,
    assignment_network,
    link_travel_time,
)
from corridor.errors import NoPathError, UnknownNodeError, ValidationError
from corridor.progress import Progress


def braess() -> AssignmentNetwork:
    """The TNTP Braess example, written out: links 1-3, 1-4, 3-2, 3-4, 4-2."""
    return AssignmentNetwork(
        node_ids=np.array([1, 2, 3, 4]),
        link_ids=np.arange(1, 6),
        a_node=np.array([1, 1, 3, 3, 4]),
        b_node=np.array([3, 4, 2, 4, 2]),
        capacity=np.ones(5),
        free_flow_time=np.array([1e-8, 50.0, 50.0, 10.0, 1e-8]),
        alpha=np.array([1e9, 0.02, 0.02, 0.1, 1e9]),
        beta=np.ones(5),
        zones=np.array([1, 2]),
    )


BRAESS_DEMAND = np.array([[0.0, 6.0], [0.0, 0.0]])


def grid(k: int, rng: np.random.Generator, *, zones: int = 6) -> AssignmentNetwork:
    """A k x k grid with links both ways and random BPR parameters."""
    ids = np.arange(k * k).reshape(k, k) + 1
    a, b = [], []
    for r in range(k):
        for c in range(k):
            if c + 1 < k:
                a += [ids[r, c], ids[r, c + 1]]
                b += [ids[r, c + 1], ids[r, c]]
            if r + 1 < k:
                a += [ids[r, c], ids[r + 1, c]]
                b += [ids[r + 1, c], ids[r, c]]
    m = len(a)
    return AssignmentNetwork(
        node_ids=ids.ravel(),
        link_ids=np.arange(1, m + 1),
        a_node=np.array(a),
        b_node=np.array(b),
        capacity=rng.uniform(50, 200, m),
        free_flow_time=rng.uniform(1, 5, m),
        alpha=np.full(m, 0.15),
        beta=np.full(m, 4.0),
        toll=rng.choice([0.0, 0.0, 3.0], m),
        zones=rng.choice(ids.ravel(), zones, replace=False),
    )


def _conservation(net: AssignmentNetwork, res: AssignmentResult, tc: TrafficClass, k: int) -> None:
    """At every node: inflow - outflow = attracted - produced trips of class k."""
    node_pos = {int(v): i for i, v in enumerate(net.node_ids)}
    a = np.array([node_pos[int(v)] for v in net.a_node])
    b = np.array([node_pos[int(v)] for v in net.b_node])
    flow = res.class_flow[k]
    balance = np.bincount(b, flow, net.n_nodes) - np.bincount(a, flow, net.n_nodes)
    zones = net.zones if tc.zones is None else tc.zones
    d = tc.demand.copy()
    np.fill_diagonal(d, 0.0)
    expected = np.zeros(net.n_nodes)
    zi = np.array([node_pos[int(v)] for v in zones])
    np.add.at(expected, zi, d.sum(axis=0) - d.sum(axis=1))
    np.testing.assert_allclose(balance, expected, atol=1e-6 * max(1.0, d.sum()))


@pytest.mark.parametrize("algorithm", ["fw", "cfw", "bfw", "gp"])
def test_braess_equilibrium_by_hand(algorithm: str) -> None:
    # path costs: 1-3-2 = 10 x13 + 50 + x32; 1-4-2 = 50 + x14 + 10 x42;
    # 1-3-4-2 = 10 x13 + 10 + x34 + 10 x42. Two trips per path equalises them at 92.
    gap = 1e-9 if algorithm == "gp" else 1e-5
    res = assign(
        braess(),
        BRAESS_DEMAND,
        options=AssignmentOptions(algorithm=algorithm, rel_gap=gap, max_iter=20_000),
    )
    assert res.converged
    tol = 1e-3 if algorithm != "gp" else 1e-6
    np.testing.assert_allclose(res.flow_pce, [4.0, 2.0, 2.0, 2.0, 4.0], atol=tol)
    t = res.time
    for path in ([0, 2], [1, 4], [0, 3, 4]):
        assert t[path].sum() == pytest.approx(92.0, abs=1e-2)
    # without the middle link each route carries 3 trips at 83: the paradox
    net = braess()
    keep = np.array([True, True, True, False, True])
    plain = AssignmentNetwork(
        node_ids=net.node_ids,
        link_ids=net.link_ids[keep],
        a_node=net.a_node[keep],
        b_node=net.b_node[keep],
        capacity=net.capacity[keep],
        free_flow_time=net.free_flow_time[keep],
        alpha=net.alpha[keep],
        beta=net.beta[keep],
        zones=net.zones,
    )
    res2 = assign(plain, BRAESS_DEMAND, options=AssignmentOptions(algorithm="gp", rel_gap=1e-10))
    np.testing.assert_allclose(res2.flow_pce, [3.0, 3.0, 3.0, 3.0], atol=1e-6)
    assert res2.time[[0, 2]].sum() == pytest.approx(83.0, abs=1e-6)


def test_aon_equals_networkx_shortest_paths() -> None:
    rng = np.random.default_rng(11)
    net = grid(6, rng)
    demand = rng.uniform(0, 10, (6, 6)).round(1)
    res = assign(net, demand, options=AssignmentOptions(algorithm="aon"))
    g = nx.DiGraph()
    for i in range(net.n_links):
        g.add_edge(
            int(net.a_node[i]), int(net.b_node[i]), t=net.free_flow_time[i] + net.toll[i], i=i
        )
    flow = np.zeros(net.n_links)
    for p, o in enumerate(net.zones):
        for q, d in enumerate(net.zones):
            if p != q:
                path = nx.dijkstra_path(g, int(o), int(d), weight="t")
                for u, v in itertools.pairwise(path):
                    flow[g[u][v]["i"]] += demand[p, q]
    np.testing.assert_allclose(res.flow_pce, flow, atol=1e-9)


def test_parallel_all_or_nothing_equals_serial() -> None:
    rng = np.random.default_rng(8)
    net = grid(8, rng, zones=12)
    demand = rng.uniform(0, 10, (12, 12))
    serial = assign(net, demand, options=AssignmentOptions(algorithm="aon", threads=1))
    parallel = assign(net, demand, options=AssignmentOptions(algorithm="aon", threads=2))
    np.testing.assert_allclose(parallel.flow_pce, serial.flow_pce, rtol=1e-12, atol=1e-9)
    assert parallel.rel_gap == pytest.approx(serial.rel_gap, rel=1e-12)


def test_pluggable_all_or_nothing_split_by_origin_blocks() -> None:
    """A loader that runs origins in two blocks (as a Dask backend would) gives the same."""
    from corridor.kernels.assign import aon_load_serial

    calls: list[int] = []

    def two_blocks(indptr, heads, tails, cost, blocked, zones, demand):  # type: ignore[no-untyped-def]
        half = zones.size // 2
        flows = np.zeros(heads.size)
        od_cost = np.empty((zones.size, zones.size))
        for rows in (slice(0, half), slice(half, None)):
            part = np.zeros_like(demand)
            part[rows] = demand[rows]
            f, c = aon_load_serial(indptr, heads, tails, cost, blocked, zones, part)
            flows += f
            od_cost[rows] = c[rows]
        calls.append(1)
        return flows, od_cost

    rng = np.random.default_rng(4)
    net = grid(6, rng)
    demand = rng.uniform(0, 50, (6, 6))
    options = AssignmentOptions(algorithm="bfw", rel_gap=1e-5)
    local = assign(net, demand, options=options)
    split = assign(net, demand, options=options, aon=two_blocks)
    assert len(calls) == split.iterations + 1
    np.testing.assert_allclose(split.flow_pce, local.flow_pce, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(split.convergence.rel_gap, local.convergence.rel_gap, rtol=1e-6)


@pytest.mark.parametrize("algorithm", ["msa", "fw"])
def test_msa_and_fw_gap_decreases(algorithm: str) -> None:
    rng = np.random.default_rng(3)
    net = grid(7, rng, zones=8)
    demand = rng.uniform(0, 60, (8, 8))
    with pytest.warns(ConvergenceWarning, match="above the target"):
        res = assign(
            net, demand, options=AssignmentOptions(algorithm=algorithm, rel_gap=1e-12, max_iter=60)
        )
    assert not res.converged
    gaps = res.convergence.rel_gap
    assert gaps[-1] < 0.2 * gaps[0]
    # the objective falls monotonically for FW (exact line search); the gap falls overall
    if algorithm == "fw":
        assert np.all(np.diff(res.convergence.objective) <= 1e-9 * res.convergence.objective[0])
    blocks = gaps[: 60 // 10 * 10].reshape(-1, 10).max(axis=1)
    assert np.all(np.diff(blocks) < 0)


def test_all_algorithms_agree_and_conserve_flow() -> None:
    rng = np.random.default_rng(7)
    net = grid(6, rng)
    car = TrafficClass(demand=rng.uniform(0, 80, (6, 6)), name="car", value_of_time=2.0)
    banned = rng.random(net.n_links) < 0.15
    truck = TrafficClass(
        demand=rng.uniform(0, 20, (6, 6)),
        name="truck",
        pce=2.5,
        value_of_time=1.0,
        toll_factor=3.0,
        allowed=~banned,
    )
    ref = assign(net, [car, truck], options=AssignmentOptions(algorithm="gp", rel_gap=1e-11))
    assert ref.converged and ref.rel_gap <= 1e-11
    assert np.all(ref.class_flow[1][banned] == 0.0)
    np.testing.assert_allclose(
        ref.flow_pce, ref.class_flow[0] + 2.5 * ref.class_flow[1], rtol=1e-12, atol=1e-9
    )
    for k, tc in enumerate((car, truck)):
        _conservation(net, ref, tc, k)
    for algorithm, gap in (("fw", 1e-4), ("cfw", 1e-5), ("bfw", 1e-6)):
        res = assign(
            net,
            [car, truck],
            options=AssignmentOptions(algorithm=algorithm, rel_gap=gap, max_iter=5000),
        )
        assert res.converged
        for k, tc in enumerate((car, truck)):
            _conservation(net, res, tc, k)
        # link volumes are unique at equilibrium (strictly increasing BPR)
        np.testing.assert_allclose(res.flow_pce, ref.flow_pce, atol=0.02 * ref.flow_pce.max())
        assert res.to_frame().columns.tolist()[3:] == ["flow_car", "flow_truck", "flow_pce", "time"]


def test_equilibrium_conditions_hold_per_class() -> None:
    """At gp's equilibrium every used path of a pair costs the least cost (brute force)."""
    rng = np.random.default_rng(21)
    net = grid(4, rng, zones=4)
    tc = TrafficClass(demand=rng.uniform(10, 100, (4, 4)), value_of_time=0.5)
    res = assign(net, tc, options=AssignmentOptions(algorithm="gp", rel_gap=1e-12))
    cost = res.class_cost[0]
    g = nx.DiGraph()
    for i in range(net.n_links):
        g.add_edge(int(net.a_node[i]), int(net.b_node[i]), c=cost[i])
    np.testing.assert_allclose(cost, res.time + net.toll / 0.5)
    # Wardrop: TSTT equals SPTT, i.e. demand x least cost summed
    sptt = 0.0
    for p, o in enumerate(net.zones):
        for q, d in enumerate(net.zones):
            if p != q:
                sptt += tc.demand[p, q] * nx.dijkstra_path_length(g, int(o), int(d), weight="c")
    tstt = float(res.class_flow[0] @ cost)
    assert (tstt - sptt) / tstt == pytest.approx(res.rel_gap, abs=1e-10)
    assert (tstt - sptt) / tstt < 1e-11


def test_convergence_table_and_progress() -> None:
    seen: list[Progress] = []
    res = assign(
        braess(),
        BRAESS_DEMAND,
        options=AssignmentOptions(algorithm="bfw", rel_gap=1e-4, max_iter=50),
        progress=seen.append,
    )
    frame = res.convergence.to_frame()
    assert frame.columns.tolist() == ["iteration", "rel_gap", "objective", "seconds", "step"]
    assert frame["iteration"].tolist() == list(range(1, len(frame) + 1))
    assert [p.values["rel_gap"] for p in seen] == frame["rel_gap"].tolist()
    assert [p.values["objective"] for p in seen] == frame["objective"].tolist()
    assert [p.values["seconds"] for p in seen] == frame["seconds"].tolist()
    assert [p.done for p in seen] == frame["iteration"].tolist()
    assert {(p.phase, p.total, p.unit, p.values["target_gap"]) for p in seen} == {
        ("assign", 50, "iterations", 1e-4)
    }
    assert frame["seconds"].is_monotonic_increasing
    assert "\n" not in repr(res) and "converged" in repr(res)
    assert repr(res.convergence).startswith("<Convergence:")
    assert res.convergence.first_below(1e-4) == (len(frame), frame["seconds"].iloc[-1])


def test_bad_inputs_give_clear_errors() -> None:
    net = braess()
    with pytest.raises(ValidationError, match="square"):
        assign(net, np.ones((2, 3)))
    with pytest.raises(ValidationError, match="network has 2 zones"):
        assign(net, np.ones((3, 3)))
    with pytest.raises(
        ValidationError, match=r"negative or non-finite demand \[-1.0\] in origin row\(s\) \[2\]"
    ):
        assign(net, [[0.0, 1.0], [-1.0, 0.0]])
    with pytest.raises(UnknownNodeError, match="zone id"):
        assign(net, TrafficClass(demand=np.ones((2, 2)), zones=np.array([1, 99])))
    with pytest.raises(NoPathError, match=r"no path, e.g. \[\(2, 1\)\]"):
        assign(net, [[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValidationError, match="unknown algorithm"):
        AssignmentOptions(algorithm="dial")
    with pytest.raises(corridor.SchemaError, match="capacity must be > 0"):
        AssignmentNetwork(
            node_ids=np.array([1, 2]),
            link_ids=np.array([1]),
            a_node=np.array([1]),
            b_node=np.array([2]),
            capacity=np.array([0.0]),
            free_flow_time=np.array([1.0]),
            alpha=np.array([0.15]),
            beta=np.array([4.0]),
        )


def test_conical_and_named_delay_functions() -> None:
    # two parallel conical links; equal split by symmetry, unequal when one is a BPR link
    base = {
        "node_ids": np.array([1, 2]),
        "link_ids": np.array([1, 2]),
        "a_node": np.array([1, 1]),
        "b_node": np.array([2, 2]),
        "capacity": np.array([10.0, 10.0]),
        "free_flow_time": np.array([1.0, 1.0]),
        "alpha": np.array([4.0, 4.0]),
        "beta": np.array([0.0, 0.0]),
        "zones": np.array([1, 2]),
    }
    d = np.array([[0.0, 30.0], [0.0, 0.0]])
    opts = AssignmentOptions(algorithm="gp", rel_gap=1e-12)
    both = assign(AssignmentNetwork(**base, vdf=np.array(["conical", "CONICAL"])), d, options=opts)
    assert both.flow_pce.tolist() == pytest.approx([15.0, 15.0])
    mixed = assign(
        AssignmentNetwork(
            **{**base, "beta": np.array([0.0, 4.0])}, vdf=np.array(["conical", "bpr"])
        ),
        d,
        options=opts,
    )
    assert mixed.time[0] == pytest.approx(mixed.time[1], rel=1e-9)
    with pytest.raises(corridor.SchemaError, match="unknown functions \\['davidson'\\]"):
        AssignmentNetwork(**base, vdf=np.array(["bpr", "davidson"]))


def test_tolls_shift_flow_by_value_of_time() -> None:
    # two parallel links; the faster one is tolled 10 money units
    net = AssignmentNetwork(
        node_ids=np.array([1, 2]),
        link_ids=np.array([1, 2]),
        a_node=np.array([1, 1]),
        b_node=np.array([2, 2]),
        capacity=np.array([10.0, 10.0]),
        free_flow_time=np.array([1.0, 3.0]),
        alpha=np.array([1.0, 1.0]),
        beta=np.array([1.0, 1.0]),
        toll=np.array([10.0, 0.0]),
        zones=np.array([1, 2]),
    )
    d = np.array([[0.0, 20.0], [0.0, 0.0]])
    opts = AssignmentOptions(algorithm="gp", rel_gap=1e-12)
    rich = assign(net, TrafficClass(demand=d, value_of_time=1e9), options=opts)
    # times 1 + x1/10 and 3 (1 + x2/10); toll ~ free: at x1 = 20 both cost 3
    assert rich.flow_pce.tolist() == pytest.approx([20.0, 0.0], abs=1e-6)
    poor = assign(net, TrafficClass(demand=d, value_of_time=5.0), options=opts)
    # toll = 2 time units: 1 + x1/10 + 2 = 3 + 0.3 (20 - x1) -> x1 = 15
    assert poor.flow_pce.tolist() == pytest.approx([15.0, 5.0])


@pytest.mark.parametrize("beta", [1.0, 2.0, 3.0, 4.0, 5.0, 2.5, 6.0])
def test_bpr_powers_match_numpy(beta: float) -> None:
    """The kernel's multiplied-out integer powers agree with numpy's power."""
    from corridor.kernels.assign import vdf_deriv, vdf_integral, vdf_time

    z = np.linspace(0.0, 3.0, 31)
    for x in z * 50.0:
        r = x / 50.0
        assert vdf_time(0, 2.0, 0.15, beta, 50.0, x) == pytest.approx(
            2.0 * (1 + 0.15 * np.power(r, beta)), rel=1e-14
        )
        if r > 0:
            assert vdf_deriv(0, 2.0, 0.15, beta, 50.0, x) == pytest.approx(
                2.0 * 0.15 * beta * np.power(r, beta - 1) / 50.0, rel=1e-14
            )
        assert vdf_integral(0, 2.0, 0.15, beta, 50.0, x) == pytest.approx(
            2.0 * (x + 0.15 * 50.0 * np.power(r, beta + 1) / (beta + 1)), rel=1e-14
        )


@pytest.mark.parametrize(
    ("vdf", "alpha", "beta"),
    [
        ("bpr", 0.15, 4.0),
        ("bpr", 0.5, 1.0),
        ("bpr", 0.3, 3.0),
        ("bpr", 0.3, 2.5),
        ("conical", 4.0, 0.0),
        ("akcelik", 0.4, 1.0),
        ("akcelik", 300.0, 0.5),
    ],
)
def test_vdf_derivative_and_integral(vdf: str, alpha: float, beta: float) -> None:
    from corridor.kernels.assign import vdf_deriv, vdf_integral

    code = {"bpr": 0, "conical": 1, "akcelik": 2}[vdf]

    def t(x: float) -> float:
        return float(
            link_travel_time(
                vdf,
                np.array([x]),
                free_flow_time=np.array([2.0]),
                capacity=np.array([50.0]),
                alpha=np.array([alpha]),
                beta=np.array([beta]),
            )[0]
        )

    assert t(0.0) == pytest.approx(2.0)
    for x in (0.0, 10.0, 50.0, 80.0):
        h = 1e-5
        numeric = (t(x + h) - t(max(x - h, 0.0))) / (x + h - max(x - h, 0.0))
        assert vdf_deriv(code, 2.0, alpha, beta, 50.0, x) == pytest.approx(numeric, rel=1e-4)
        assert vdf_integral(code, 2.0, alpha, beta, 50.0, x) == pytest.approx(
            quad(t, 0.0, x)[0], rel=1e-9, abs=1e-12
        )


def test_corridor_network_with_border_crossing() -> None:
    toy = corridor.examples.toy()
    links = toy.links.copy()
    links["capacity_veh_h"] = 400.0
    crossings = toy.crossings.copy()
    crossings["capacity_veh_day"] = 2400.0  # 100 trucks an hour
    net = assignment_network(toy.with_links(links).with_crossings(crossings))
    assert net.time_unit == "h"
    cross = net.vdf == 2
    assert cross.sum() == int((crossings["mode"] == "road").sum())
    # B->C->D must use a crossing link; demand A->D rises, so does the crossing's delay
    zones = net.zones.tolist()
    d = np.zeros((len(zones), len(zones)))
    d[zones.index(1), zones.index(4)] = 300.0
    low = assign(net, d * 0.1, options=AssignmentOptions(algorithm="gp", rel_gap=1e-10))
    high = assign(net, d, options=AssignmentOptions(algorithm="gp", rel_gap=1e-10))
    used = cross & (high.flow_pce > 0)
    assert used.any()
    assert np.all(high.time[used] > low.time[used])
    assert high.flow_pce[cross].sum() == pytest.approx(300.0)
    # assign() takes the corridor network directly, with the same result
    direct = assign(
        toy.with_links(links).with_crossings(crossings),
        d,
        options=AssignmentOptions(algorithm="gp", rel_gap=1e-10),
    )
    np.testing.assert_allclose(direct.flow_pce, high.flow_pce)


def test_no_convergence_warns_and_flags() -> None:
    rng = np.random.default_rng(1)
    net = grid(5, rng)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = assign(
            net,
            rng.uniform(0, 100, (6, 6)),
            options=AssignmentOptions(algorithm="msa", rel_gap=1e-9, max_iter=3),
        )
    assert not res.converged and res.iterations == 3
    assert [w.category for w in caught] == [ConvergenceWarning]


def test_time_limit_stops_with_warning() -> None:
    rng = np.random.default_rng(2)
    net = grid(5, rng)
    options = AssignmentOptions(algorithm="fw", rel_gap=1e-12, time_limit_s=1e-9)
    with pytest.warns(ConvergenceWarning):
        res = assign(net, rng.uniform(0, 100, (6, 6)), options=options)
    assert res.iterations == 1 and not res.converged
