"""Dask backend on a LocalCluster: skims identical to local runs, scenario sweeps."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import corridor
from corridor.distributed import connect, dask_aon, skim_blocks, skim_distributed, sweep
from corridor.errors import UnknownNodeError, ValidationError
from corridor.paths.skim import skim, skim_graph_from_links, skim_on

distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    c = distributed.Client(cluster, set_as_default=False)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize("method", ["dijkstra", "ch"])
def test_blocks_on_cluster_equal_local(client: Any, method: str) -> None:
    rng = np.random.default_rng(3)
    n, m = 300, 1200
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    g = skim_graph_from_links(
        a, b, rng.uniform(0, 10, m), attrs={"km": rng.uniform(0, 5, m)}, node_ids=np.arange(n)
    )
    o = rng.permutation(n)[:70]
    d = rng.permutation(n)[:50]
    local_v, local_s, _ = skim_on(g, o, d, method=method)
    v, s, used = skim_blocks(g, o, d, client=client, method=method, block_size=16)
    assert used == method
    np.testing.assert_array_equal(v, local_v)  # identical, not merely close
    np.testing.assert_array_equal(s, local_s)


def test_skim_distributed_network(client: Any, toy: corridor.Network) -> None:
    local = skim(toy, ["A", "B", "C", "D", "E"], sums=("length_km", "toll_usd"))
    remote = skim_distributed(
        toy, ["A", "B", "C", "D", "E"], sums=("length_km", "toll_usd"), client=client, block_size=2
    )
    np.testing.assert_array_equal(remote.values, local.values)
    for name in local.sums:
        np.testing.assert_array_equal(remote[name], local[name])
    assert remote.origins.tolist() == local.origins.tolist()
    with pytest.raises(UnknownNodeError):
        skim_distributed(toy, ["Nowhere"], client=client)
    with pytest.raises(ValidationError, match="block_size"):
        skim_distributed(toy, ["A"], client=client, block_size=0)


def _scenario(scale: float) -> float:
    net = corridor.examples.toy()
    return float(skim(net, ["A"], ["D"], modes="road").values[0, 0] * scale)


def _broken() -> float:
    raise ValueError("bad scenario input")


def test_sweep_runs_scenarios_as_tasks(client: Any) -> None:
    out = sweep({"base": partial(_scenario, 1.0), "double": partial(_scenario, 2.0)}, client=client)
    assert list(out) == ["base", "double"]
    assert out["double"] == pytest.approx(2 * out["base"])
    with pytest.raises(ValueError, match="bad scenario input") as info:
        sweep({"ok": partial(_scenario, 1.0), "broken": _broken}, client=client)
    assert "in scenario 'broken'" in "".join(info.value.__notes__)
    with pytest.raises(ValidationError, match="not callable"):
        sweep({"x": 3}, client=client)  # type: ignore[dict-item]


def test_connect_needs_exactly_one() -> None:
    with pytest.raises(ValidationError, match="exactly one"), connect():
        pass


def test_scheduler_address_connects_and_closes(client: Any, toy: corridor.Network) -> None:
    address = client.scheduler.address
    remote = skim_distributed(toy, ["A", "D"], scheduler=address)
    np.testing.assert_array_equal(remote.values, skim(toy, ["A", "D"]).values)


DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "tntp" / "SiouxFalls"


@pytest.mark.skipif(
    not (DATA / "SiouxFalls_net.tntp").exists(),
    reason="shared TNTP data (../shared/data/tntp/SiouxFalls) not present",
)
def test_assignment_with_all_or_nothing_on_the_cluster(client: Any) -> None:
    from corridor.assignment import AssignmentOptions, assign
    from corridor.assignment.tntp import read_tntp_network, read_tntp_trips

    net = read_tntp_network(DATA / "SiouxFalls_net.tntp")
    trips = read_tntp_trips(DATA / "SiouxFalls_trips.tntp")
    options = AssignmentOptions(algorithm="bfw", rel_gap=1e-4, max_iter=500)
    local = assign(net, trips, options=options)
    loader = dask_aon(client, block_size=5)
    remote = assign(net, trips, options=options, aon=loader)
    assert loader.calls == remote.iterations + 1
    assert remote.iterations == local.iterations
    np.testing.assert_allclose(remote.flow_pce, local.flow_pce, rtol=1e-9, atol=1e-6)
    with pytest.raises(ValidationError, match="block_size"):
        dask_aon(client, block_size=0)


def test_turn_restricted_assignment_on_the_cluster_equals_local(client: Any) -> None:
    from corridor.assignment import AssignmentOptions, assign
    from tests.unit.assignment.test_assign_turns import _congested
    from tests.unit.paths.test_turns import brute_force, random_network

    net = random_network(np.random.default_rng(13))
    an = _congested(net)
    ids = an.zones.tolist()
    demand = np.zeros((len(ids), len(ids)))
    for i, o in enumerate(ids):  # every pair the restrictions leave joined
        reach = brute_force(net, int(o), u_turns=False)
        demand[i] = [2.0 if int(d) in reach and d != o else 0.0 for d in ids]
    from corridor.assignment.aon import prepare
    from corridor.assignment.network import TrafficClass

    assert prepare(an, [TrafficClass(demand=demand)]).expansion is not None
    options = AssignmentOptions(algorithm="bfw", rel_gap=1e-6, max_iter=2000)
    local = assign(an, demand, options=options)
    remote = assign(an, demand, options=options, aon=dask_aon(client, block_size=2))
    assert remote.iterations == local.iterations
    np.testing.assert_allclose(remote.flow_pce, local.flow_pce, rtol=1e-9, atol=1e-9)
