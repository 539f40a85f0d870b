"""Skims: many-to-many least-cost matrices, with other link attributes summed along the paths.

A skim minimises one cost (free-flow time, distance or any numeric links column) between
every origin and every destination, and sums other link attributes (distance, tolls, CO2)
along the least-cost path it chose, so a time skim can come with the distance and toll of
each time-shortest path. Two exact methods compute it:

* ``"dijkstra"``: one Dijkstra per origin, in parallel over blocks of origins (numba
  ``prange``; the kernels release the GIL);
* ``"ch"``: contraction hierarchies (Geisberger et al. 2008) with the bucket-based
  many-to-many search of Knopp et al. (2007): preprocessing once, then one small upward
  search per origin and per destination. Much faster for many zones on large networks.

Both give identical least costs (up to floating-point summation order); where several
paths tie, the summed attributes may come from different tied paths.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from corridor._typing import FloatArray, IntArray
from corridor.errors import UnknownNodeError, ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.hierarchy import Hierarchy, build_hierarchy, hierarchy_built, hierarchy_of
from corridor.paths.skim_domestic import keep_domestic
from corridor.paths.skim_graph import (
    SkimGraph,
    SkimPlan,
    n_blocks,
    skim_graph,
    skim_graph_from_links,
    skim_plan,
)

__all__ = [
    "Hierarchy",
    "Skim",
    "SkimGraph",
    "SkimMethod",
    "SkimPlan",
    "auto_method",
    "build_hierarchy",
    "dijkstra_skim",
    "hierarchy_of",
    "skim",
    "skim_graph",
    "skim_graph_from_links",
    "skim_on",
    "skim_plan",
]

log = logging.getLogger(__name__)

NodeRefs = Sequence[int | str] | ArrayLike


class SkimMethod(StrEnum):
    """How a skim is computed; every method is exact."""

    AUTO = "auto"
    DIJKSTRA = "dijkstra"
    CH = "ch"


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Skim:
    """A least-cost origin-destination matrix, with attributes summed along the paths.

    Attributes
    ----------
    values
        ``values[i, j]``: least `metric` from ``origins[i]`` to ``destinations[j]``,
        float64[n_orig, n_dest], ``inf`` where there is no path.
    origins, destinations
        External node ids in row and column order, int64.
    metric
        The cost minimised, with its unit (``time_h``, ``length_km``, ...).
    sums
        Other attributes summed along the chosen least-cost paths, each shaped like
        `values` (``inf`` where unreachable, NaN where an attribute is missing on a link).
    method
        How it was computed (``dijkstra`` or ``ch``).
    """

    values: FloatArray
    origins: IntArray
    destinations: IntArray
    metric: str
    sums: Mapping[str, FloatArray] = field(default_factory=dict)
    method: str = "dijkstra"

    def __post_init__(self) -> None:
        shape = (np.asarray(self.origins).size, np.asarray(self.destinations).size)
        if self.values.shape != shape:
            raise ValidationError(f"skim values have shape {self.values.shape}; ids give {shape}")
        for name, arr in self.sums.items():
            if arr.shape != shape:
                raise ValidationError(f"skim sum {name!r} has shape {arr.shape}; need {shape}")
        for arr in (self.values, *self.sums.values()):
            arr.flags.writeable = False

    def __repr__(self) -> str:
        n_o, n_d = self.values.shape
        unreach = float(np.isinf(self.values).mean()) if self.values.size else 0.0
        sums = f" (+{','.join(self.sums)})" if self.sums else ""
        return f"<Skim {self.metric}{sums} {n_o}x{n_d}, {unreach:.0%} unreachable>"

    def __getitem__(self, name: str) -> FloatArray:
        """The matrix of the metric or of a summed attribute, by name."""
        if name == self.metric:
            return self.values
        if name in self.sums:
            return self.sums[name]
        raise KeyError(f"{name!r}: this skim has {[self.metric, *self.sums]}")

    @property
    def names(self) -> tuple[str, ...]:
        """The metric's name, then the summed attributes' names."""
        return (self.metric, *self.sums)

    def matrices(self) -> dict[str, FloatArray]:
        """Every matrix by name, the metric first."""
        return {name: self[name] for name in self.names}

    def to_frame(self) -> pd.DataFrame:
        """A long table: ``origin``, ``destination``, then one column per matrix."""
        n_o, n_d = self.values.shape
        data: dict[str, Any] = {
            "origin": np.repeat(np.asarray(self.origins, np.int64), n_d),
            "destination": np.tile(np.asarray(self.destinations, np.int64), n_o),
        }
        for name in self.names:
            data[name] = self[name].ravel()
        return pd.DataFrame(data)


_CH_MIN_ZONES = 800
"""Origins and destinations from which building a hierarchy beats one Dijkstra per origin.
Measured on chicago-regional (12,982 nodes, 2 cores): 600 zones Dijkstra 0.39 s vs CH
0.53 s; 1,000 zones 0.63 s vs 0.61 s; 1,790 zones 1.20 s vs 0.71 s."""


def auto_method(graph: SkimGraph, n_origins: int, n_destinations: int) -> SkimMethod:
    """What ``method="auto"`` runs: contraction hierarchies once a hierarchy is built for
    the graph (queries are cheap) or enough zones share its preprocessing, else Dijkstra."""
    zones = min(n_origins, n_destinations)
    if hierarchy_built(graph) and zones >= 64:
        return SkimMethod.CH
    if zones >= _CH_MIN_ZONES and graph.n_nodes >= 2000:
        return SkimMethod.CH
    return SkimMethod.DIJKSTRA


def skim_on(
    graph: SkimGraph,
    origins: IntArray,
    destinations: IntArray,
    *,
    method: SkimMethod | str = SkimMethod.AUTO,
) -> tuple[FloatArray, FloatArray, str]:
    """Least-cost matrix and summed attributes between node indices of `graph`.

    Returns (values float64[o, d], sums float64[k, o, d], method used). Used by
    :func:`skim` and by the Dask backend; the inputs are assumed valid.
    """
    how = SkimMethod(method)
    o = np.ascontiguousarray(origins, dtype=np.int64)
    d = np.ascontiguousarray(destinations, dtype=np.int64)
    if how is SkimMethod.AUTO:
        how = auto_method(graph, o.size, d.size)
    if how is SkimMethod.CH:
        values, sums = hierarchy_of(graph).many_to_many(o, d)
        return values, sums, how.value
    from corridor.kernels.skim import skim_dijkstra

    cost, attrs, scale, attr_scales = graph.kernel_arrays
    values, sums = skim_dijkstra(
        graph.indptr,
        graph.heads,
        graph.tails,
        cost,
        attrs,
        graph.blocked,
        o,
        d,
        n_blocks(o.size),
    )
    if scale != 1.0:
        values /= scale
    if sums.shape[0] and (attr_scales != 1.0).any():
        sums /= attr_scales[:, None, None]
    return values, sums, how.value


def dijkstra_skim(
    graph: SkimGraph, origins: IntArray, destinations: IntArray
) -> tuple[FloatArray, FloatArray]:
    """:func:`skim_on` by Dijkstra, (values, sums) only."""
    values, sums, _ = skim_on(graph, origins, destinations, method=SkimMethod.DIJKSTRA)
    return values, sums


def resolve_nodes(network: Network, refs: NodeRefs, *, role: str) -> IntArray:
    """Node ids for a list of node ids or place names, reporting every unknown one.

    Raises
    ------
    UnknownNodeError
        Listing all the unknown ids and names.
    """
    items = list(np.asarray(refs, dtype=object).ravel()) if not isinstance(refs, str) else [refs]
    from corridor.paths.router import router_for

    router = router_for(network)
    out: list[int] = []
    unknown: list[object] = []
    errors: list[UnknownNodeError] = []
    for item in items:
        value = item.item() if isinstance(item, np.generic) else item
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            out.append(router.resolve(value, role))
        except UnknownNodeError as exc:
            unknown.append(value)
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]  # its own message: ambiguous, outside coverage, or suggestions
    if unknown:
        why = "; ".join(" ".join(str(e).split()) for e in errors[:3])
        raise UnknownNodeError(unknown, role=f"{role}(s)", detail=why)
    return np.asarray(out, dtype=np.int64)


def skim(
    network: Network,
    origins: NodeRefs,
    destinations: NodeRefs | None = None,
    *,
    cost: str = "time_h",
    modes: str | Mode | Iterable[str | Mode] | None = None,
    sums: Sequence[str] = ("length_km",),
    method: SkimMethod | str = SkimMethod.AUTO,
) -> Skim:
    """Compute the least-cost origin-destination matrix.

    Parameters
    ----------
    network
        Network to route on.
    origins, destinations
        Node ids or place names, giving row and column order; `destinations` defaults to
        `origins`.
    cost
        What to minimise: ``time_h`` (free-flow), ``length_km`` or a numeric links column
        (finite and >= 0 on usable links).
    modes
        Modes whose links may be used; None or "any" for all.
    sums
        Link attributes summed along each least-cost path (``length_km``, ``time_h``,
        ``toll_usd``, ...).
    method
        ``"dijkstra"``, ``"ch"`` (contraction hierarchies) or ``"auto"`` (hierarchies from
        800 zones on 2,000+ nodes, or once one is built; see :func:`auto_method`).

    Returns
    -------
    Skim
        ``values[i, j]`` is the least cost from ``origins[i]`` to ``destinations[j]``,
        ``inf`` where no path exists; ``sums[name]`` the attribute along that path.

    Raises
    ------
    UnknownNodeError
        If an origin or destination is not in the network (all are listed).
    SchemaError
        If `cost` or a `sums` column is missing or not numeric, or a cost is negative.

    Notes
    -----
    A pair in one country takes the least cost over that country's own links where they
    connect it (:mod:`corridor.paths.skim_domestic`), as :func:`corridor.route` does.

    Dijkstra: O(|origins| (n + m) log n), in parallel over origins. Contraction
    hierarchies: preprocessing once per graph (cached), then per origin and destination an
    upward search over a small part of the graph.

    Examples
    --------
    >>> import corridor
    >>> s = corridor.skim(corridor.examples.toy(), ["A", "B"], ["D"], modes="road")
    >>> s
    <Skim time_h (+length_km) 2x1, 0% unreachable>
    >>> s.values.round(3).tolist(), s["length_km"].tolist()
    ([[4.112], [2.912]], [[353.0], [233.0]])
    """
    if isinstance(method, str) and method not in {m.value for m in SkimMethod}:
        raise ValidationError(f"method {method!r}: use one of {[m.value for m in SkimMethod]}")
    o_ids = resolve_nodes(network, origins, role="origin")
    d_ids = (
        o_ids if destinations is None else resolve_nodes(network, destinations, role="destination")
    )
    plan = skim_plan(network, o_ids, d_ids, cost=cost, modes=modes, sums=sums)
    graph = plan.graph
    turns = f", obeying {plan.turns} turn restrictions" if plan.turns else ""
    log.info("skim %s: %d x %d on %r%s", cost, o_ids.size, d_ids.size, graph, turns)
    values, sums_arr, used = skim_on(graph, plan.origins, plan.destinations, method=method)
    changed = keep_domestic(
        network, plan, o_ids, d_ids, values, sums_arr, cost=cost, modes=modes, run=dijkstra_skim
    )
    if changed:
        log.info("skim: %d domestic pairs kept in their country", changed)
    values, sums_arr = plan.finish(values, sums_arr)
    return Skim(
        values=values,
        origins=o_ids,
        destinations=d_ids,
        metric=cost,
        sums={name: sums_arr[i] for i, name in enumerate(graph.attr_names)},
        method=used,
    )


def finite_or_nan(x: float) -> float | None:
    """A float for JSON: None for NaN and infinity."""
    return None if not math.isfinite(x) else float(x)
