"""The all-or-nothing step of equilibrium assignment on a dask.distributed cluster.

:func:`dask_aon` returns a loader for ``corridor.assign(..., aon=...)``
(:data:`corridor.assignment.aon.AonKernel`): each call splits the origins into blocks, runs
each block's shortest-path trees and loading as a task, then sums the blocks' link flows
and stacks their rows of zone-to-zone costs. The graph arrays that do not change between
iterations are scattered to the workers once.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.errors import ValidationError

__all__ = ["DaskAon", "dask_aon"]

log = logging.getLogger(__name__)


def _load_block(
    graph: tuple[Any, ...], cost: FloatArray, demand_rows: FloatArray, lo: int
) -> tuple[FloatArray, FloatArray]:
    """One task: load the origins lo .. lo + len(demand_rows) (rows of the OD matrix)."""
    from corridor.kernels.assign import aon_load_serial

    indptr, heads, tails, blocked, zones = graph
    part = np.zeros((zones.size, zones.size))
    hi = lo + demand_rows.shape[0]
    part[lo:hi] = demand_rows
    flows, od_cost = aon_load_serial(indptr, heads, tails, cost, blocked, zones, part)
    return flows, od_cost[lo:hi]


class DaskAon:
    """An all-or-nothing loader that runs blocks of origins as Dask tasks.

    Parameters
    ----------
    client
        A connected ``distributed.Client``.
    block_size
        Origins per task.
    """

    def __init__(self, client: Any, *, block_size: int = 64) -> None:
        if block_size < 1:
            raise ValidationError(f"block_size must be >= 1, got {block_size}")
        self.client = client
        self.block_size = block_size
        self._graph: tuple[tuple[int, ...], Any] | None = None
        self.calls = 0

    def __repr__(self) -> str:
        return f"<DaskAon blocks of {self.block_size} on {self.client}>"

    def __call__(
        self,
        indptr: IntArray,
        heads: NDArray[np.int32],
        tails: NDArray[np.int32],
        cost: FloatArray,
        blocked: BoolArray,
        zones: IntArray,
        demand: FloatArray,
    ) -> tuple[FloatArray, FloatArray]:
        """Flows float64[m] and zone-to-zone least costs float64[z, z], as the local kernel."""
        key = (id(indptr), id(heads), id(tails), id(blocked), id(zones))
        if self._graph is None or self._graph[0] != key:
            remote = self.client.scatter((indptr, heads, tails, blocked, zones), broadcast=True)
            self._graph = (key, remote)
        graph = self._graph[1]
        remote_cost = self.client.scatter(np.ascontiguousarray(cost), broadcast=True)
        z = zones.size
        futures = [
            self.client.submit(
                _load_block,
                graph,
                remote_cost,
                np.ascontiguousarray(demand[lo : lo + self.block_size]),
                lo,
                pure=False,
            )
            for lo in range(0, z, self.block_size)
        ]
        parts = self.client.gather(futures)
        self.calls += 1
        flows = np.zeros(heads.size)
        for f, _ in parts:
            flows += f
        od_cost = np.concatenate([c for _, c in parts], axis=0) if parts else np.zeros((0, z))
        return flows, od_cost


def dask_aon(client: Any, *, block_size: int = 64) -> DaskAon:
    """An all-or-nothing loader for ``corridor.assign(..., aon=dask_aon(client))``.

    Raises
    ------
    ValidationError
        If `block_size` < 1.
    """
    return DaskAon(client, block_size=block_size)
