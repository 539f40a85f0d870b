"""Accessibility: cumulative population and Hansen sums against brute force."""

from __future__ import annotations

import math

import pytest

import corridor
from corridor.analysis.accessibility import hansen_accessibility, population_within
from corridor.assignment.demand import Deterrence
from corridor.errors import UnknownNodeError, ValidationError
from corridor.paths.skim import skim
from tests.networks import random_network


def test_population_within_by_hand(toy: corridor.Network) -> None:
    out = population_within(toy, ["A", "D"], hours=[1, 3, 5])
    # road times from A: B 1.2 h, C 2.64 h, D 4.11 h; from D: C 1.475 h, B 2.9 h, A 4.11 h
    assert out["origin"].tolist() == [1, 4]
    assert out["pop_within_1h"].tolist() == [1_000_000.0, 500_000.0]
    assert out["pop_within_3h"].tolist() == [1_200_000.0, 700_000.0]
    assert out["pop_within_5h"].tolist() == [1_700_000.0, 1_700_000.0]


@pytest.mark.parametrize("seed", range(3))
def test_hansen_matches_a_brute_force_sum(seed: int) -> None:
    net = random_network(seed)
    det = Deterrence(kind="combined", alpha=0.5, beta=0.2)
    acc = hansen_accessibility(net, deterrence=det)
    nodes = net.nodes
    pop = nodes.set_index("node_id")["population"].astype(float)
    origins = acc["origin"].tolist()
    assert origins == nodes.loc[nodes["population"] > 0, "node_id"].tolist()
    s = skim(net, nodes["node_id"].tolist(), cost="time_h", modes="road", sums=())
    times = {
        (o, d): s.values[i, j]
        for i, o in enumerate(s.origins.tolist())
        for j, d in enumerate(s.destinations.tolist())
    }
    # power terms floor c at the least positive time among the populated pairs
    floor = min(
        t
        for (o, d), t in times.items()
        if o in set(origins) and d in set(origins) and 0 < t < math.inf
    )
    for o, value in zip(origins, acc["accessibility"], strict=True):
        want = 0.0
        for d in origins:
            t = times[(o, d)]
            if math.isfinite(t):
                c = max(t, floor)
                want += pop[d] * c**-0.5 * math.exp(-0.2 * c)
        assert value == pytest.approx(want, rel=1e-9)


def test_exponential_hansen_and_reachable(toy: corridor.Network) -> None:
    acc = hansen_accessibility(toy, ["A"], deterrence=Deterrence(beta=0.5))
    want = 1e6 + 2e5 * math.exp(-0.5 * 1.2) + 5e5 * math.exp(-0.5 * (1.2 + 115 / 80 + 118 / 80))
    assert acc["accessibility"].iloc[0] == pytest.approx(want)
    assert acc["reachable_population"].iloc[0] == 1_700_000.0
    rail = hansen_accessibility(toy, ["B"], modes="rail")
    assert rail["accessibility"].iloc[0] == pytest.approx(200_000.0)  # B: no rail link


def test_accessibility_bad_input(toy: corridor.Network) -> None:
    with pytest.raises(UnknownNodeError):
        population_within(toy, ["Nowhere"], hours=[1])
    with pytest.raises(ValidationError):
        population_within(toy, hours=[0])
