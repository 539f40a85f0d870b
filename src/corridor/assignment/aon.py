"""The compiled assignment problem and all-or-nothing loading.

:func:`prepare` turns an :class:`AssignmentNetwork` and its traffic classes into CSR arrays
(links sorted by tail node) that the kernels use; :func:`aon_classes` loads every class's
demand onto its least-cost paths, in parallel over origins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.errors import NoPathError, UnknownNodeError, ValidationError
from corridor.graph.index import build_csr

from .network import AssignmentNetwork, TrafficClass
from .turns import TurnExpansion, expand

__all__ = ["AonKernel", "Problem", "WarmTrees", "aon_classes", "prepare"]

AonKernel = Callable[
    [IntArray, NDArray[np.int32], NDArray[np.int32], FloatArray, BoolArray, IntArray, FloatArray],
    tuple[FloatArray, FloatArray],
]
"""An all-or-nothing loader with the signature and results of
:func:`corridor.kernels.assign.aon_load_serial`: ``(indptr, heads, tails, cost, blocked,
zones, demand) -> (flows float64[m], od_cost float64[z, z])``. Origins (rows of `demand`)
are independent, so a loader may split them into blocks and run those anywhere (threads,
processes, a Dask cluster) and sum the flows and stack the od_cost rows."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """An assignment problem in kernel form (internal; links in CSR order).

    Attributes
    ----------
    indptr, heads, tails
        CSR graph over node indices.
    perm
        Position in the network's link order of each CSR link.
    kind, t0, alpha, beta, cap
        Delay functions per CSR link.
    blocked
        Nodes that may not be passed through, bool[n].
    zones
        Zone node indices, int64[z].
    zone_ids
        Zone node ids, int64[z].
    fixed
        Fixed cost per class and link ((toll x factor + length x distance cost) / value of
        time), float64[c, m].
    allowed
        Permission per class and link, bool[c, m].
    demand
        Demand per class in PCE, float64[c, z, z].
    pce
        PCE per class.
    names
        Class names.
    expansion
        The edge-based graph that all-or-nothing loads search when the network's turn
        restrictions apply (see :mod:`corridor.assignment.turns`), else None.
    """

    indptr: IntArray
    heads: NDArray[np.int32]
    tails: NDArray[np.int32]
    perm: IntArray
    kind: NDArray[np.int8]
    t0: FloatArray
    alpha: FloatArray
    beta: FloatArray
    cap: FloatArray
    blocked: BoolArray
    zones: IntArray
    zone_ids: IntArray
    fixed: FloatArray
    allowed: BoolArray
    demand: FloatArray
    pce: FloatArray
    names: tuple[str, ...]
    expansion: TurnExpansion | None = None

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.heads.size)

    def vdf_args(self) -> tuple[NDArray[np.int8], FloatArray, FloatArray, FloatArray, FloatArray]:
        """(kind, t0, alpha, beta, cap) for the kernels."""
        return self.kind, self.t0, self.alpha, self.beta, self.cap

    def search_costs(self, time: FloatArray) -> FloatArray:
        """Generalised cost per class for path search, float64[c, m] (inf where banned)."""
        cost = time[None, :] + self.fixed
        return np.where(self.allowed, cost, np.inf)

    def to_network_order(self, values: FloatArray) -> FloatArray:
        """Reorder the last axis from CSR order to the network's link order."""
        out = np.empty_like(values)
        out[..., self.perm] = values
        return out


def _zones_of(
    network: AssignmentNetwork, classes: Sequence[TrafficClass]
) -> tuple[IntArray, list[IntArray]]:
    zone_ids = list(network.zones.tolist())
    seen = set(zone_ids)
    per_class: list[IntArray] = []
    for tc in classes:
        z = network.zones if tc.zones is None else tc.zones
        if tc.zones is None and tc.demand.shape[0] != network.zones.size:
            raise ValidationError(
                f"class {tc.name!r}: OD matrix is {tc.demand.shape[0]}x{tc.demand.shape[1]} but "
                f"the network has {network.zones.size} zones; give `zones=` or a matrix of "
                "the right shape"
            )
        for v in z.tolist():
            if v not in seen:
                seen.add(v)
                zone_ids.append(v)
        per_class.append(np.asarray(z, dtype=np.int64))
    return np.asarray(zone_ids, dtype=np.int64), per_class


def prepare(network: AssignmentNetwork, classes: Sequence[TrafficClass]) -> Problem:
    """Compile the network and classes into kernel arrays.

    Raises
    ------
    ValidationError
        If there is no class, an OD matrix does not match the zones, or a permission mask
        has the wrong length.
    UnknownNodeError
        If a class's zone is not a node of the network.
    """
    if not classes:
        raise ValidationError("no traffic class given; pass at least one OD matrix")
    names = tuple(tc.name for tc in classes)
    if len(set(names)) != len(names):
        raise ValidationError(f"class names repeat: {list(names)}; give each a unique name")
    zone_ids, per_class = _zones_of(network, classes)
    missing = np.setdiff1d(zone_ids, network.node_ids)
    if missing.size:
        raise UnknownNodeError(missing.tolist(), role="zone id(s)")
    node = network.node_ids
    a = np.searchsorted(node, network.a_node)
    b = np.searchsorted(node, network.b_node)
    n = node.size
    csr = build_csr(a, b, n)
    perm, indptr = csr.order, csr.indptr
    blocked = np.zeros(n, bool)
    blocked[np.searchsorted(node, network.no_through)] = True
    z = zone_ids.size
    m = network.n_links
    c = len(classes)
    fixed = np.zeros((c, m))
    allowed = np.ones((c, m), bool)
    demand = np.zeros((c, z, z))
    pos = {int(v): k for k, v in enumerate(zone_ids.tolist())}
    for k, tc in enumerate(classes):
        money = network.toll * tc.toll_factor + network.length * tc.distance_cost
        fixed[k] = (money / tc.value_of_time)[perm]
        if tc.allowed is not None:
            if tc.allowed.size != m:
                raise ValidationError(
                    f"class {tc.name!r}: `allowed` has {tc.allowed.size} values for {m} links"
                )
            allowed[k] = tc.allowed[perm]
        idx = np.asarray([pos[int(v)] for v in per_class[k].tolist()], dtype=np.int64)
        demand[k][np.ix_(idx, idx)] = tc.demand * tc.pce
    heads = np.ascontiguousarray(b[perm], dtype=np.int32)
    tails = np.ascontiguousarray(a[perm], dtype=np.int32)
    zones = np.searchsorted(node, zone_ids).astype(np.int64)
    expansion = expand(
        node_ids=node,
        indptr=indptr,
        heads=heads,
        tails=tails,
        link_ids=network.link_ids[perm],
        blocked=blocked,
        zones=zones,
        turns=network.turns,
    )
    return Problem(
        indptr=indptr,
        heads=heads,
        tails=tails,
        perm=perm,
        kind=np.ascontiguousarray(network.vdf[perm]),
        t0=np.ascontiguousarray(network.free_flow_time[perm]),
        alpha=np.ascontiguousarray(network.alpha[perm]),
        beta=np.ascontiguousarray(network.beta[perm]),
        cap=np.ascontiguousarray(network.capacity[perm]),
        blocked=blocked,
        zones=zones,
        zone_ids=zone_ids,
        fixed=fixed,
        allowed=allowed,
        demand=demand,
        pce=np.asarray([tc.pce for tc in classes], dtype=np.float64),
        names=names,
        expansion=expansion,
    )


_PARALLEL_MIN_WORK = 1_000_000
"""zones x (nodes + links) from which threads pay off by default. Measured on a shared
2-core machine, a parallel region costs milliseconds when the cores are busy, more than
the serial all-or-nothing of Barcelona (110 zones, ~6 ms)."""


def n_blocks_for(problem: Problem, threads: int | None = None) -> int:
    """Number of origin blocks for the parallel all-or-nothing step (0 = run serially).

    `threads` None: parallel only for large problems; 1: serial; > 1: parallel.
    """
    import numba

    if threads == 1 or numba.get_num_threads() == 1:
        return 0
    work = problem.zones.size * (problem.indptr.size + problem.heads.size)
    if threads is None and work < _PARALLEL_MIN_WORK:
        return 0
    return int(min(problem.zones.size, 4 * numba.get_num_threads()))


_WARM_MAX_ENTRIES = 1 << 24
"""Most kept settle-order entries (zones x nodes per class; int32, 64 MB) for warm starts."""


class WarmTrees:
    """Per-class, per-origin settle orders of the last trees, for warm-started loads.

    A workspace owned by one equilibrium run (mutable, not shared between threads): each
    all-or-nothing load of the serial path starts every origin's tree from its kept order
    (:func:`corridor.kernels.assign.aon_load_warm`), so successive iterations, whose costs
    move little, mostly skip the heap. Problems whose orders would exceed
    ``_WARM_MAX_ENTRIES`` entries keep none.
    """

    def __init__(self, problem: Problem) -> None:
        graph_nodes = (
            problem.indptr.size - 1
            if problem.expansion is None
            else problem.expansion.indptr.size - 1
        )
        z = problem.zones.size
        c = problem.demand.shape[0]
        self.enabled = c * z * graph_nodes <= _WARM_MAX_ENTRIES
        shape = (c, z, graph_nodes) if self.enabled else (c, 0, 0)
        self.orders = np.zeros(shape, np.int32)
        self.counts = np.full((c, z), -1, np.int64)
        self.fresh = 0  # trees grown by Dijkstra (the rest were warm-started)


def aon_classes(
    problem: Problem,
    time: FloatArray,
    *,
    threads: int | None = None,
    kernel: AonKernel | None = None,
    warm: WarmTrees | None = None,
) -> tuple[FloatArray, FloatArray]:
    """All-or-nothing loading of every class on current link times.

    Parameters
    ----------
    problem
        The compiled problem.
    time
        Travel time per CSR link.
    threads
        See :func:`n_blocks_for`.
    kernel
        Loader to use instead of the built-in ones (see :data:`AonKernel`).
    warm
        Kept trees of earlier calls on the same problem; when given (and enabled), the
        serial loads start each origin's tree from its last one. Same flows (up to
        rounding) and least costs as without.

    Returns
    -------
    tuple
        (flows float64[c, m] in PCE, sptt float64[c]): the loaded volumes and each class's
        shortest-path total (demand x least generalised cost).

    Raises
    ------
    NoPathError
        If some demand has no path (naming the first zone pairs).
    """
    from corridor.kernels.assign import aon_load, aon_load_serial, aon_load_warm

    cost = problem.search_costs(time)
    c = cost.shape[0]
    flows = np.zeros((c, problem.n_links))
    sptt = np.zeros(c)
    blocks = n_blocks_for(problem, threads)
    ex = problem.expansion
    for k in range(c):
        demand = problem.demand[k]
        if ex is None:
            args = (
                problem.indptr,
                problem.heads,
                problem.tails,
                np.ascontiguousarray(cost[k]),
                problem.blocked,
                problem.zones,
                demand,
            )
        else:  # search the turn expansion; volumes come back per transition
            args = (ex.indptr, ex.heads, ex.tails, ex.costs(cost[k]), ex.blocked, ex.zones, demand)
        if kernel is not None:
            loaded, od_cost = kernel(*args)
        elif blocks:
            loaded, od_cost = aon_load(*args, blocks)
        elif warm is not None and warm.enabled:
            loaded, od_cost, fresh = aon_load_warm(*args, warm.orders[k], warm.counts[k])
            warm.fresh += int(fresh)
        else:
            loaded, od_cost = aon_load_serial(*args)
        flows[k] = loaded if ex is None else ex.link_flows(loaded, problem.n_links)
        used = demand > 0
        np.fill_diagonal(used, False)
        lost = used & np.isinf(od_cost)
        if lost.any():
            i, j = np.nonzero(lost)
            pairs = [
                (int(problem.zone_ids[p]), int(problem.zone_ids[q]))
                for p, q in zip(i[:5], j[:5], strict=True)
            ]
            raise NoPathError(
                f"class {problem.names[k]!r}: {int(lost.sum())} zone pair(s) with demand have "
                f"no path, e.g. {pairs}; check link permissions, first-thru node and "
                "connectivity"
            )
        sptt[k] = float(np.sum(demand[used] * od_cost[used]))
    return flows, sptt
