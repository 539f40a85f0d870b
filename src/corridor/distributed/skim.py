"""Skims on a dask.distributed cluster: blocks of origins run as tasks on the workers.

The skim graph (or, for ``method="ch"``, its contraction hierarchy, built once on the
client) is scattered to every worker; each task computes the rows of one block of origins
with the same kernel as a local run, so the result is identical to :func:`corridor.skim`.
The kernels release the GIL, so a worker with several threads runs blocks in parallel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.budget import clipped, quoted
from corridor.errors import DataSourceError, OptionalDependencyError, ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.skim import (
    Hierarchy,
    NodeRefs,
    Skim,
    SkimGraph,
    SkimMethod,
    auto_method,
    dijkstra_skim,
    hierarchy_of,
    resolve_nodes,
    skim_on,
    skim_plan,
)
from corridor.paths.skim_domestic import keep_domestic

__all__ = ["CONNECT_TIMEOUT_S", "connect", "scheduler_address", "skim_blocks", "skim_distributed"]

log = logging.getLogger(__name__)


CONNECT_TIMEOUT_S = 10.0
"""How long to wait for a Dask scheduler to answer [assumption: a cluster on the same
network answers in well under a second]."""

_ADDRESS = re.compile(
    r"(?:tcp|tls|ws|wss)://(?P<host>[A-Za-z0-9.\-]{1,253}|\[[0-9A-Fa-f:]{2,39}\])"
    r":(?P<port>[0-9]{1,5})"
)
_INPROC = re.compile(r"inproc://[A-Za-z0-9.\-]{1,253}/[0-9]{1,10}/[0-9]{1,10}")


def scheduler_address(scheduler: str) -> str:
    """Check that `scheduler` reads as ``tcp://HOST:PORT`` (or tls/ws/wss) and return it.

    Parameters
    ----------
    scheduler
        The address.

    Returns
    -------
    str
        The address, stripped.

    Raises
    ------
    ValidationError
        If it is not of that form or the port is outside 1..65535.

    Examples
    --------
    >>> scheduler_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    """
    text = scheduler.strip()
    if _INPROC.fullmatch(text):  # a scheduler in this process (dask's in-process transport)
        return text
    m = _ADDRESS.fullmatch(text)
    if m is None or not 0 < int(m.group("port")) < 65536:
        raise ValidationError(
            f"scheduler {quoted(text)} is not an address such as tcp://10.0.0.5:8786 "
            "(--scheduler takes the address `dask scheduler` prints)"
        )
    return text


@contextmanager
def connect(client: Any = None, scheduler: str | None = None) -> Iterator[Any]:
    """Yield a dask.distributed Client: `client` itself, or one connected to `scheduler`
    (an address such as ``tcp://10.0.0.5:8786``) and closed afterwards.

    Raises
    ------
    ValidationError
        If neither or both are given.
    OptionalDependencyError
        If dask.distributed is not installed.
    """
    if (client is None) == (scheduler is None):
        raise ValidationError("give exactly one of client= or scheduler='tcp://HOST:PORT'")
    if client is not None:
        yield client
        return
    try:
        import distributed
    except ImportError:
        raise OptionalDependencyError("distributed", "Dask clusters", "dask") from None
    address = scheduler_address(scheduler or "")
    make: Any = distributed.Client
    try:
        own: Any = make(address, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise DataSourceError(
            clipped(address),
            f"no Dask scheduler answered within {CONNECT_TIMEOUT_S:g} s "
            f"({type(exc).__name__}); start one with `dask scheduler` or check the address",
        ) from None
    try:
        yield own
    finally:
        own.close()


def _rows(
    graph: SkimGraph | Hierarchy, origins: IntArray, destinations: IntArray
) -> tuple[FloatArray, FloatArray]:
    """One task: the rows of a block of origins (node indices)."""
    if isinstance(graph, Hierarchy):
        return graph.many_to_many(origins, destinations)
    values, sums, _ = skim_on(graph, origins, destinations, method=SkimMethod.DIJKSTRA)
    return values, sums


def skim_blocks(
    graph: SkimGraph,
    origins: IntArray,
    destinations: IntArray,
    *,
    client: Any,
    method: SkimMethod | str = SkimMethod.DIJKSTRA,
    block_size: int = 256,
) -> tuple[FloatArray, FloatArray, str]:
    """Least-cost matrix between node indices of `graph`, one task per block of origins.

    Returns (values, sums, method used), as :func:`corridor.paths.skim.skim_on`.
    """
    if block_size < 1:
        raise ValidationError(f"block_size must be >= 1, got {block_size}")
    how = SkimMethod(method)
    if how is SkimMethod.AUTO:
        how = auto_method(graph, origins.size, destinations.size)
    payload: SkimGraph | Hierarchy = hierarchy_of(graph) if how is SkimMethod.CH else graph
    k = graph.attrs.shape[0]
    if origins.size == 0:
        return np.zeros((0, destinations.size)), np.zeros((k, 0, destinations.size)), how.value
    remote = client.scatter(payload, broadcast=True)
    dest = client.scatter(np.ascontiguousarray(destinations, np.int64), broadcast=True)
    blocks = [
        np.ascontiguousarray(origins[i : i + block_size], np.int64)
        for i in range(0, origins.size, block_size)
    ]
    futures = [client.submit(_rows, remote, b, dest, pure=False) for b in blocks]
    log.info("skim: %d origin blocks on %s", len(blocks), client)
    parts = client.gather(futures)
    values = np.concatenate([p[0] for p in parts], axis=0)
    sums = np.concatenate([p[1] for p in parts], axis=1)
    return values, sums, how.value


def skim_distributed(
    network: Network,
    origins: NodeRefs,
    destinations: NodeRefs | None = None,
    *,
    client: Any = None,
    scheduler: str | None = None,
    cost: str = "time_h",
    modes: str | Mode | Iterable[str | Mode] | None = None,
    sums: Sequence[str] = ("length_km",),
    method: SkimMethod | str = SkimMethod.AUTO,
    block_size: int = 256,
) -> Skim:
    """:func:`corridor.skim` with blocks of origins run on a dask.distributed cluster.

    Parameters
    ----------
    network, origins, destinations, cost, modes, sums, method
        As for :func:`corridor.skim`.
    client
        A connected ``distributed.Client`` (e.g. on a ``LocalCluster``).
    scheduler
        Or the scheduler's address, ``tcp://HOST:PORT``; the connection is closed after.
    block_size
        Origins per task.

    Returns
    -------
    Skim
        Identical to the local result.

    Raises
    ------
    UnknownNodeError
        If an origin or destination is not in the network.
    ValidationError
        If neither or both of `client` and `scheduler` are given.
    """
    o_ids = resolve_nodes(network, origins, role="origin")
    d_ids = (
        o_ids if destinations is None else resolve_nodes(network, destinations, role="destination")
    )
    plan = skim_plan(network, o_ids, d_ids, cost=cost, modes=modes, sums=sums)
    graph = plan.graph
    with connect(client, scheduler) as c:
        values, sums_arr, used = skim_blocks(
            graph, plan.origins, plan.destinations, client=c, method=method, block_size=block_size
        )
    keep_domestic(
        network, plan, o_ids, d_ids, values, sums_arr, cost=cost, modes=modes, run=dijkstra_skim
    )
    values, sums_arr = plan.finish(values, sums_arr)
    return Skim(
        values=values,
        origins=o_ids,
        destinations=d_ids,
        metric=cost,
        sums={name: sums_arr[i] for i, name in enumerate(graph.attr_names)},
        method=used,
    )
