"""Turn restrictions in assignment: all-or-nothing loading on the edge-based expansion.

Assignment is link-based: volumes, delay functions, the objective and the line search all
live on links. Only the path search must know the turns. So where an
:class:`~corridor.assignment.network.AssignmentNetwork` carries a turns table that bans or
forces turns, :func:`expand` builds, once, the expansion of its CSR graph by
:func:`corridor.graph.turns.expand_turns` and reshapes it for the loaders:

* each state is a link (or a shadow state of a via-way restriction) just driven along;
  a transition costs the link it enters, so each class's search cost is its link cost
  gathered through ``entered``;
* each zone is one vertex: transitions from it enter the links leaving the zone's node,
  and every link entering that node has a free transition into it. Zone vertices are
  blocked (a path may start or end there, never pass through), so no path slips past a
  restriction by "arriving" and "departing" again; no-through nodes (TNTP's first-thru
  node) lose their onward transitions the same way;
* a load on the expansion returns volumes per transition; each link's volume is the sum
  over transitions entering it (``np.bincount`` over ``entered``).

The all-or-nothing kernels, their Dask blocks and the whole Frank-Wolfe family run
unchanged on the expanded arrays; path-based gradient projection searches the expansion
too and keeps its paths as links (it skips the free arcs into zone vertices).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.graph.index import build_csr
from corridor.graph.turns import ArcGraph, expand_turns

__all__ = ["TurnExpansion", "expand"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, eq=False)
class TurnExpansion:
    """The graph the all-or-nothing loads run on when turns are restricted.

    Attributes
    ----------
    indptr, heads, tails
        CSR arrays over states and zone vertices.
    entered
        CSR link each transition enters, -1 into a zone vertex, int64[t].
    blocked
        True at zone vertices.
    zones
        Vertex of each zone, int64[z].
    n_patterns
        Restrictions applied.
    """

    indptr: IntArray
    heads: NDArray[np.int32]
    tails: NDArray[np.int32]
    entered: IntArray
    blocked: BoolArray
    zones: IntArray
    n_patterns: int

    def costs(self, link_cost: FloatArray) -> FloatArray:
        """Transition costs from one class's link costs (CSR order)."""
        valid = self.entered >= 0
        out = np.zeros(self.entered.size)
        out[valid] = link_cost[self.entered[valid]]
        return out

    def link_flows(self, transition_flows: FloatArray, n_links: int) -> FloatArray:
        """Volumes per CSR link from volumes per transition."""
        valid = self.entered >= 0
        return np.bincount(
            self.entered[valid], weights=transition_flows[valid], minlength=n_links
        ).astype(np.float64)


def expand(
    *,
    node_ids: IntArray,
    indptr: IntArray,
    heads: NDArray[np.int32],
    tails: NDArray[np.int32],
    link_ids: IntArray,
    blocked: BoolArray,
    zones: IntArray,
    turns: pd.DataFrame,
) -> TurnExpansion | None:
    """The expansion of an assignment graph under `turns`, or None if none applies.

    Parameters
    ----------
    node_ids
        Sorted node ids (index = node index).
    indptr, heads, tails
        The CSR graph over node indices (links sorted by tail).
    link_ids
        Network link id of each CSR link (both directions of a two-way road share one;
        -1 for links that stand for no network link, such as border-crossing queues).
    blocked
        No-through nodes, bool[n].
    zones
        Zone node indices, int64[z].
    turns
        Restrictions by link id (the ``turns`` table of a corridor network).
    """
    known = np.unique(link_ids[link_ids >= 0])
    if len(turns):  # only restrictions between links of this graph can bind
        turns = turns[turns["from_link"].isin(known) & turns["to_link"].isin(known)]
    if not len(turns):
        return None
    m = int(heads.size)
    link_row = np.where(link_ids >= 0, np.searchsorted(known, link_ids), -1).astype(np.int64)
    # the first arc of a link in CSR order counts as its forward direction
    forward = np.ones(m, bool)
    order = np.lexsort((np.arange(m), link_row))
    rows = link_row[order]
    repeat = np.zeros(m, bool)
    repeat[1:] = (rows[1:] == rows[:-1]) & (rows[1:] >= 0)
    forward[order[repeat]] = False
    arcs = ArcGraph(
        node_ids=node_ids,
        vertex_node=np.arange(node_ids.size, dtype=np.int64),
        indptr=indptr,
        heads=heads,
        tails=tails,
        link_row=link_row,
        forward=forward,
    )
    tg = expand_turns(arcs, turns, pd.DataFrame({"link_id": known}), np.zeros(m))
    if not tg.n_patterns:
        return None
    n = node_ids.size
    n_states = int(tg.state_arc.size - 2 * n)
    src = tg.tails.astype(np.int64)
    dst = tg.heads.astype(np.int64)
    zone_vertex = np.full(n, -1, np.int64)
    zone_vertex[zones] = n_states + np.arange(zones.size)
    # start and end states of zone nodes become the zone's vertex; others are dropped
    is_start = (src >= n_states) & (src < n_states + n)
    is_end = dst >= n_states + n
    src = np.where(is_start, zone_vertex[np.clip(src - n_states, 0, n - 1)], src)
    dst = np.where(is_end, zone_vertex[np.clip(dst - n_states - n, 0, n - 1)], dst)
    keep = (src >= 0) & (dst >= 0)
    # no passing through a no-through node: a state arriving there may only end
    arrived_at = np.where(src < n_states, heads[tg.state_arc[np.minimum(src, n_states - 1)]], -1)
    through = (src < n_states) & (dst < n_states) & blocked[np.maximum(arrived_at, 0)]
    keep &= ~through
    src, dst, entered = src[keep], dst[keep], tg.entered[keep]
    total = n_states + zones.size
    csr = build_csr(src, dst, total)
    by_src, ptr = csr.order, csr.indptr
    vertex_blocked = np.zeros(total, bool)
    vertex_blocked[n_states:] = True
    out = TurnExpansion(
        indptr=ptr,
        heads=np.ascontiguousarray(dst[by_src], dtype=np.int32),
        tails=np.ascontiguousarray(src[by_src], dtype=np.int32),
        entered=np.ascontiguousarray(entered[by_src], dtype=np.int64),
        blocked=vertex_blocked,
        zones=np.arange(n_states, total, dtype=np.int64),
        n_patterns=tg.n_patterns,
    )
    log.info(
        "assignment obeys %d turn restriction(s): %d states, %d transitions",
        tg.n_patterns,
        total,
        out.heads.size,
    )
    return out
