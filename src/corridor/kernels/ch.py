"""Contraction hierarchies and many-to-many search on them (numba; arrays in, arrays out).

Preprocessing (:func:`contract`, Geisberger, Sanders, Schultes & Delling 2008) removes nodes
one by one in order of a priority (edge difference, contracted neighbours, level), adding a
shortcut u->w of cost c(u,v) + c(v,w) for every pair of neighbours of the removed node v
unless a witness search (a bounded Dijkstra avoiding v) finds a path u->w that is no longer.
A witness search that gives up early only adds a needless shortcut, so results stay exact.
Every arc then points up the hierarchy either from its tail (the upward graph, searched
forward from origins) or from its head (searched backward from destinations).

Many-to-many (:func:`many_to_many`, Knopp et al. 2007): a backward upward search from each
destination leaves (destination, cost) entries in buckets at the nodes it settles; a forward
upward search from each origin scans the buckets of the nodes it settles, and the least sum
is the least cost. Both searches use stall-on-demand. Other link attributes ride along:
shortcuts carry the sums of their two halves, so the sums along each chosen path come out
with the cost.

With many destinations, :func:`many_to_many_sweep` replaces the buckets by RPHAST
(Delling, Goldberg & Werneck 2011): the downward graph is restricted once to the ancestors
of the destinations, and after each origin's upward search one linear sweep over it in
decreasing rank settles every destination; eight origins share each sweep.

Nodes are renumbered by rank. Arrays: ``up_indptr`` int64[N+1], ``up_head`` int64,
``up_w`` float64, ``up_attr`` float64[k, arcs] for the forward (upward) graph, and ``dn_*`` the
same for the backward graph (arcs x->v stored at v with x ranked above v).

The kernels live in one module per problem: :mod:`~corridor.kernels.ch_contract`
(ordering and contraction), :mod:`~corridor.kernels.ch_witness` (witness searches),
:mod:`~corridor.kernels.ch_adjacency` (pooled adjacency lists),
:mod:`~corridor.kernels.ch_upward` (the upward search of queries),
:mod:`~corridor.kernels.ch_buckets` (bucket many-to-many) and
:mod:`~corridor.kernels.ch_sweep` (RPHAST); this module gathers the entry points.
"""

from __future__ import annotations

from corridor.kernels.ch_buckets import many_to_many
from corridor.kernels.ch_contract import contract
from corridor.kernels.ch_sweep import many_to_many_sweep, restrict

__all__ = ["contract", "many_to_many", "many_to_many_sweep", "restrict"]
