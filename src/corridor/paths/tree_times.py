"""Times of every path of a shortest-path tree, walked on the exact timeline.

A route's reported times come from walking its path on the timeline
(:func:`corridor.paths.assemble.walk`); matrices and accessibility need the same numbers for
every destination of a tree at once. :func:`tree_times` gives them in one pass over the tree
(:func:`corridor.kernels.timeline.tree_walk`), so that skims, accessibility and route tables
share one definition of ``time_h`` (:func:`corridor.paths.types.time_definition`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.costs.graph import CostGraph
from corridor.graph.search import SearchGraph

__all__ = ["TreeTimes", "tree_arcs", "tree_times"]

ADDITIVE = ("cost_usd", "co2_kg", "length_km", "driving_h", "moving_h", "stop_h")
"""Arc values summed along the tree, in the columns of :attr:`TreeTimes.sums`."""


@dataclass(frozen=True, eq=False)
class TreeTimes:
    """Per searched vertex: the timeline and totals of its tree path from the source.

    Attributes
    ----------
    elapsed_h
        Door to door, h (NaN where unreached).
    breaks_h, overnight_h
        Drivers' breaks, and daily and weekly rests, on the way, h.
    sums
        float64[n, 6]: the :data:`ADDITIVE` arc values summed along the path.
    excludes_overnight
        Whether the headline time leaves the overnight stops out (travellers).
    """

    elapsed_h: FloatArray
    breaks_h: FloatArray
    overnight_h: FloatArray
    sums: FloatArray
    excludes_overnight: bool

    @property
    def time_h(self) -> FloatArray:
        """The headline time, h, as :attr:`corridor.Route.time_h` defines it."""
        if self.excludes_overnight:
            return np.asarray(self.elapsed_h - self.overnight_h, np.float64)
        return self.elapsed_h

    def column(self, name: str) -> FloatArray:
        """One of the :data:`ADDITIVE` sums, or ``waiting_h`` (stops and waits)."""
        if name == "waiting_h":
            return np.asarray(self.sums[:, ADDITIVE.index("stop_h")], np.float64)
        return np.asarray(self.sums[:, ADDITIVE.index(name)], np.float64)


@dataclass(frozen=True, eq=False)
class TreeArcs:
    """A cost graph's arcs as the tree walk sees them, on the searched graph's arcs."""

    move_kind: np.ndarray
    move_h: FloatArray
    stop_h: FloatArray
    add: FloatArray
    rules: FloatArray
    use_rules: bool
    excludes_overnight: bool


def tree_arcs(cg: CostGraph, search: SearchGraph) -> TreeArcs:
    """The timeline events and additive values of each searched arc (reusable per tree)."""
    from corridor.kernels.timeline import DRIVE, MOVE

    moves = (cg.length_km > 0.0) | (cg.move_h > 0.0)
    kind = np.where(moves, np.where(cg.driving, DRIVE, MOVE), -1).astype(np.int8)
    drive_h = np.where(moves & cg.driving, cg.move_h, 0.0)
    other_h = np.where(moves & ~cg.driving, cg.move_h, 0.0)
    add = np.column_stack(
        [cg.cost_usd, cg.co2_kg, cg.length_km, drive_h, other_h, cg.stop_h]
    ).astype(np.float64)
    stop_h = np.asarray(cg.stop_h, np.float64)
    move_h = np.asarray(cg.move_h, np.float64)
    if search.entered is not None:
        e = search.entered
        has = e >= 0
        base = np.where(has, e, 0)
        kind = np.where(has, kind[base], -1).astype(np.int8)
        move_h = np.where(has, move_h[base], 0.0)
        stop_h = np.where(has, stop_h[base], 0.0)
        add = np.where(has[:, None], add[base], 0.0)
    rules = np.zeros(8)
    dr = cg.profile.drivers
    if dr is not None:
        rules[:] = dr.as_array()
    return TreeArcs(
        move_kind=np.ascontiguousarray(kind),
        move_h=np.ascontiguousarray(move_h, dtype=np.float64),
        stop_h=np.ascontiguousarray(stop_h, dtype=np.float64),
        add=np.ascontiguousarray(add, dtype=np.float64),
        rules=rules,
        use_rules=dr is not None,
        excludes_overnight=cg.profile.kind == "passenger",
    )


def tree_times(search: SearchGraph, arcs: TreeArcs, pred: IntArray, source: int) -> TreeTimes:
    """Walk every path of a one-to-all tree (``pred`` from
    :func:`corridor.kernels.dijkstra.dijkstra` on `search`, rooted at `source`).

    Each vertex gets exactly what :func:`corridor.paths.assemble.walk` gives for its tree
    path without a departure time.
    """
    from corridor.kernels.timeline import tree_walk

    n = search.n_vertices
    out_t = np.empty(n)
    out_state = np.empty((n, 7))
    out_add = np.empty((n, arcs.add.shape[1]))
    tree_walk(
        np.asarray(search.tails, dtype=np.int64),
        np.asarray(pred, dtype=np.int64),
        int(source),
        arcs.move_kind,
        arcs.move_h,
        arcs.stop_h,
        arcs.rules,
        arcs.use_rules,
        arcs.add,
        out_t,
        out_state,
        out_add,
    )
    return TreeTimes(
        elapsed_h=out_t,
        breaks_h=np.ascontiguousarray(out_state[:, 5]),
        overnight_h=np.ascontiguousarray(out_state[:, 6]),
        sums=out_add,
        excludes_overnight=arcs.excludes_overnight,
    )
