"""Generalised-cost assignment: toll and distance weights enter the searches, the objective
and the gap; checked against scipy on a small network and networkx on chicago-regional."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from scipy.optimize import minimize

from corridor.assignment import AssignmentNetwork, AssignmentOptions, TrafficClass, assign
from corridor.assignment.tntp import read_tntp_network, read_tntp_trips
from corridor.errors import ValidationError

TNTP = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "tntp"

# three parallel roads 1 -> 2: short and slow, medium, long and fast; BPR t0 (1 + (x/c)^2)
T0 = np.array([10.0, 8.0, 6.0])
CAP = np.array([30.0, 40.0, 50.0])
LENGTH = np.array([5.0, 9.0, 14.0])
TOLL = np.array([0.0, 4.0, 0.0])
DEMAND = 90.0


def _three_roads() -> AssignmentNetwork:
    return AssignmentNetwork(
        node_ids=np.array([1, 2]),
        link_ids=np.array([1, 2, 3]),
        a_node=np.array([1, 1, 1]),
        b_node=np.array([2, 2, 2]),
        capacity=CAP,
        free_flow_time=T0,
        alpha=np.ones(3),
        beta=np.full(3, 2.0),
        length=LENGTH,
        toll=TOLL,
        zones=np.array([1, 2]),
    )


def _brute_force(toll_weight: float, distance_weight: float) -> np.ndarray:
    """Beckmann's program with fixed costs, minimised by scipy over the three flows."""
    fixed = toll_weight * TOLL + distance_weight * LENGTH

    def objective(x: np.ndarray) -> float:
        integral = T0 * (x + x**3 / (3 * CAP**2))
        return float(np.sum(integral + fixed * x))

    res = minimize(
        objective,
        np.full(3, DEMAND / 3),
        method="SLSQP",
        bounds=[(0, DEMAND)] * 3,
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - DEMAND}],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    assert res.success, res.message
    return np.asarray(res.x)


@pytest.mark.parametrize(("toll_w", "dist_w"), [(0.0, 0.0), (0.0, 0.4), (0.5, 0.4), (2.0, 0.0)])
def test_weights_change_the_equilibrium_as_brute_force_says(toll_w: float, dist_w: float) -> None:
    demand = np.array([[0.0, DEMAND], [0.0, 0.0]])
    cls = TrafficClass(demand=demand, toll_factor=toll_w, distance_cost=dist_w)
    res = assign(_three_roads(), cls, options=AssignmentOptions(algorithm="gp", rel_gap=1e-12))
    np.testing.assert_allclose(res.flow_pce, _brute_force(toll_w, dist_w), atol=1e-3)
    # at equilibrium every used road has the same generalised cost, which includes the weights
    cost = res.class_cost[0]
    used = res.flow_pce > 1e-6
    assert np.ptp(cost[used]) < 1e-6
    np.testing.assert_allclose(cost - res.time, toll_w * TOLL + dist_w * LENGTH)


def test_the_weights_move_traffic() -> None:
    demand = np.array([[0.0, DEMAND], [0.0, 0.0]])
    opts = AssignmentOptions(algorithm="gp", rel_gap=1e-12)
    plain = assign(_three_roads(), TrafficClass(demand=demand, toll_factor=0.0), options=opts)
    costly = assign(
        _three_roads(),
        TrafficClass(demand=demand, toll_factor=0.0, distance_cost=0.4),
        options=opts,
    )
    # charging for distance moves traffic from the long fast road to the short slow one
    assert costly.flow_pce[2] < plain.flow_pce[2] - 5
    assert costly.flow_pce[0] > plain.flow_pce[0] + 5


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_a_bad_weight_is_refused(bad: float) -> None:
    with pytest.raises(ValidationError, match="distance_cost"):
        TrafficClass(demand=np.zeros((2, 2)), distance_cost=bad)


@pytest.mark.skipif(
    not (TNTP / "SiouxFalls" / "SiouxFalls_trips.tntp").exists(),
    reason="TNTP SiouxFalls files not in ../shared/data/tntp",
)
def test_tntp_trips_default_to_the_time_only_problem() -> None:
    trips = read_tntp_trips(TNTP / "SiouxFalls" / "SiouxFalls_trips.tntp")
    assert (trips.toll_factor, trips.distance_cost, trips.value_of_time) == (0.0, 0.0, 1.0)
    weighted = read_tntp_trips(
        TNTP / "SiouxFalls" / "SiouxFalls_trips.tntp", toll_weight=0.1, distance_weight=0.25
    )
    assert (weighted.toll_factor, weighted.distance_cost) == (0.1, 0.25)


CHICAGO = TNTP / "chicago-regional" / "ChicagoRegional_net.tntp"


@pytest.mark.slow
@pytest.mark.skipif(not CHICAGO.exists(), reason="TNTP chicago-regional not in ../shared/data")
def test_chicago_published_weights_enter_the_all_or_nothing_paths() -> None:
    # the collection's README: toll 0.1 minutes/cent, distance 0.25 minutes/mile
    net = read_tntp_network(CHICAGO)
    tw, dw = 0.1, 0.25
    graph = nx.DiGraph()
    through = set(net.no_through.tolist())
    for i in range(net.n_links):
        a, b = int(net.a_node[i]), int(net.b_node[i])
        w = float(net.free_flow_time[i] + tw * net.toll[i] + dw * net.length[i])
        if not graph.has_edge(a, b) or graph[a][b]["w"] > w:
            graph.add_edge(a, b, w=w, t=float(net.free_flow_time[i]))
    assert np.count_nonzero(net.toll) > 0
    generalised = net.free_flow_time + tw * net.toll + dw * net.length
    moved = 0
    for o, d in [(1, 900), (5, 1500), (700, 40)]:
        # zones other than the two ends are not passed through (first thru node 1791)
        sub = graph.subgraph(set(graph) - (through - {o, d}))
        want = nx.dijkstra_path_length(sub, o, d, weight="w")
        one = TrafficClass(
            demand=np.array([[0.0, 1e-9], [0.0, 0.0]]),  # negligible: costs stay free-flow
            zones=np.array([o, d]),
            toll_factor=tw,
            distance_cost=dw,
        )
        path = assign(net, one, options=AssignmentOptions(algorithm="aon")).flow_pce > 0
        assert float(np.sum(generalised[path])) == pytest.approx(want, rel=1e-9)
        fastest = nx.dijkstra_path(sub, o, d, weight="t")
        moved += want < sum(sub[a][b]["w"] for a, b in itertools.pairwise(fastest))
    assert moved, "the weights should change at least one of these paths"
