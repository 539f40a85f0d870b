"""Skims: least costs against scipy.sparse.csgraph on seeded random graphs, sums, errors."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

import corridor
from corridor.errors import UnknownNodeError, ValidationError
from corridor.paths.skim import Skim, skim, skim_graph_from_links, skim_on


def random_links(rng: np.random.Generator, n: int, m: int, zero_share: float = 0.1):
    a = rng.integers(0, n, m)
    b = rng.integers(0, n, m)
    keep = a != b
    a, b = a[keep], b[keep]
    cost = rng.uniform(0.0, 10.0, a.size)
    cost[rng.random(a.size) < zero_share] = 0.0
    return a, b, cost


def scipy_skim(n, a, b, cost, origins, blocked=None):
    """scipy's Dijkstra on the graph without the out-links of blocked non-source nodes."""
    out = np.empty((len(origins), n))
    pred = np.empty((len(origins), n), np.int64)
    for i, s in enumerate(origins):
        use = np.ones(a.size, bool) if blocked is None else ~blocked[a] | (a == s)
        best: dict[tuple[int, int], float] = {}
        for t, h, c in zip(a[use].tolist(), b[use].tolist(), cost[use].tolist(), strict=True):
            best[(t, h)] = min(best.get((t, h), np.inf), c)
        if not best:
            out[i] = np.inf
            out[i, s] = 0.0
            pred[i] = -9999
            continue
        keys = np.array(list(best))
        vals = np.array(list(best.values()))
        vals = np.where(vals == 0.0, 1e-300, vals)  # scipy reads a stored 0 as "no edge"
        mat = sp.csr_matrix((vals, (keys[:, 0], keys[:, 1])), shape=(n, n))
        dist, p = scipy_dijkstra(mat, directed=True, indices=s, return_predecessors=True)
        out[i], pred[i] = dist, p
    return out, pred


@pytest.mark.parametrize("seed", range(60))
def test_skim_matches_scipy_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 50))
    a, b, cost = random_links(rng, n, int(rng.integers(0, 4 * n)))
    g = skim_graph_from_links(a, b, cost, node_ids=np.arange(n))
    origins = rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False)
    dests = rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False)
    values, sums, used = skim_on(g, origins, dests, method="dijkstra")
    ref, _ = scipy_skim(n, a, b, cost, origins)
    assert used == "dijkstra"
    assert sums.shape == (0, origins.size, dests.size)
    np.testing.assert_allclose(values, ref[:, dests], rtol=1e-12, atol=1e-200)
    assert np.array_equal(np.isinf(values), np.isinf(ref[:, dests]))


@pytest.mark.parametrize("seed", range(30))
def test_no_through_nodes_are_never_passed(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(3, 40))
    a, b, cost = random_links(rng, n, 3 * n)
    blocked = rng.random(n) < 0.3
    g = skim_graph_from_links(a, b, cost, node_ids=np.arange(n), no_through=np.flatnonzero(blocked))
    origins = np.arange(n)
    values, _, _ = skim_on(g, origins, origins, method="dijkstra")
    ref, _ = scipy_skim(n, a, b, cost, origins, blocked)
    np.testing.assert_allclose(values, ref, rtol=1e-12, atol=1e-200)


@pytest.mark.parametrize("seed", range(20))
def test_sums_follow_the_least_cost_path(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    n = int(rng.integers(2, 40))
    a, b, cost = random_links(rng, n, 3 * n, zero_share=0.0)  # unique shortest paths a.s.
    dist_km = rng.uniform(1.0, 100.0, a.size)
    toll = rng.uniform(0.0, 5.0, a.size)
    g = skim_graph_from_links(
        a, b, cost, attrs={"length_km": dist_km, "toll_usd": toll}, node_ids=np.arange(n)
    )
    origins = np.arange(n)
    values, sums, _ = skim_on(g, origins, origins, method="dijkstra")
    ref, pred = scipy_skim(n, a, b, cost, origins)
    cheapest: dict[tuple[int, int], int] = {}
    for k, (t, h) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        if (t, h) not in cheapest or cost[k] < cost[cheapest[(t, h)]]:
            cheapest[(t, h)] = k
    for i in range(n):
        for j in range(n):
            if np.isinf(ref[i, j]):
                assert np.isinf(sums[:, i, j]).all()
                continue
            km = usd = c = 0.0
            v = j
            while v != i:  # walk scipy's predecessors back to the origin
                u = int(pred[i, v])
                k = cheapest[(u, v)]
                km, usd, c = km + dist_km[k], usd + toll[k], c + cost[k]
                v = u
            assert sums[0, i, j] == pytest.approx(km, rel=1e-12, abs=1e-12)
            assert sums[1, i, j] == pytest.approx(usd, rel=1e-12, abs=1e-12)
            assert values[i, j] == pytest.approx(c, rel=1e-12, abs=1e-12)


def test_skim_on_toy_network_by_name_and_id(toy: corridor.Network) -> None:
    s = skim(toy, ["A", 2], ["D"], modes="road", sums=("length_km", "toll_usd"))
    assert isinstance(s, Skim)
    # A-B-C-D by road: 120/100 + 115/80 + 118/80 h and 353 km (hand-checked)
    np.testing.assert_allclose(s.values, [[1.2 + 115 / 80 + 118 / 80], [115 / 80 + 118 / 80]])
    np.testing.assert_allclose(s["length_km"], [[353.0], [233.0]])
    assert s.origins.tolist() == [1, 2] and s.destinations.tolist() == [4]
    assert repr(s) == "<Skim time_h (+length_km,toll_usd) 2x1, 0% unreachable>"
    frame = s.to_frame()
    assert list(frame.columns) == ["origin", "destination", "time_h", "length_km", "toll_usd"]
    assert len(frame) == 2
    with pytest.raises(ValueError, match="read-only"):
        s.values[0, 0] = 1.0
    with pytest.raises(KeyError, match="co2"):
        s["co2_kg"]


def test_unreachable_is_inf_and_distance_skim(toy: corridor.Network) -> None:
    s = skim(toy, ["B", "A"], ["D", "A"], modes="rail", cost="length_km")
    np.testing.assert_allclose(s.values, [[np.inf, np.inf], [370.0, 0.0]])  # B has no rail
    assert s.sums == {}
    rail = skim(toy, ["A"], ["D", "E"], modes="rail", cost="length_km", sums=("time_h",))
    np.testing.assert_allclose(rail.values, [[370.0, 180.0]])
    np.testing.assert_allclose(rail["time_h"], [[370 / 60, 3.0]])


def test_bad_inputs_give_clear_errors(toy: corridor.Network) -> None:
    with pytest.raises(UnknownNodeError, match=r"2 origin.*'Atlantis'.*999"):
        skim(toy, ["Atlantis", 999, "A"])
    with pytest.raises(ValidationError, match="no such numeric column"):
        skim(toy, ["A"], sums=("co2_kg",))
    with pytest.raises(ValidationError, match="method"):
        skim(toy, ["A"], method="magic")
    with pytest.raises(ValidationError, match="negative, NaN or infinite"):
        skim_graph_from_links([1, 2], [2, 3], [1.0, -1.0])
    with pytest.raises(ValidationError, match="differ in length"):
        skim_graph_from_links([1, 2], [2], [1.0, 1.0])
    with pytest.raises(UnknownNodeError, match="no-through"):
        skim_graph_from_links([1], [2], [1.0], no_through=[7])
    with pytest.raises(ValidationError, match="shape"):
        Skim(values=np.zeros((2, 2)), origins=np.array([1]), destinations=np.array([1]), metric="x")
