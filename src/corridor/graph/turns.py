"""Turn restrictions: an edge-based (arc-to-arc) expansion of a CSR graph.

The graph is a compiled network graph (:func:`compile_turn_graph`) or any other CSR graph
whose arcs stand for links, such as a profile's cost graph (:func:`expand_turns`).

A node-based graph cannot say "no left turn from A into B at X". Here each state of the
expanded graph is an arc of the compiled graph (having just driven along it); moving to a
next arc is a *transition*, and restrictions delete or force transitions. Restrictions
with via ways (``from -> via_1 -> ... -> via_k -> to``) need memory of more than one arc:
they become extra *shadow* states, one per proper prefix of their arc sequence, built as
an Aho-Corasick automaton over arcs, so that overlapping restrictions are all honoured.

Rules:

- ``no``: the sequence from_link, via_links..., to_link may not be driven;
- ``only``: after from_link, via_links..., the next link must be to_link (with several
  ``only`` restrictions on the same approach, one of their to_links); arcs that are not
  links (a cost graph's arcs into a destination hub) are never restricted, so a trip may
  always end where it arrives;
- U-turns (an arc followed by its own reverse) are allowed only at dead ends, unless
  ``u_turns=True``;
- every vertex also has a *start* state (transitions to the arcs leaving it) and an
  *end* state (reached at zero cost from every arc entering it), so a route between two
  vertices is one shortest path between two states.

The cost of a transition is the cost of the arc it enters (zero into an end state).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.graph.compile import Graph, compile_graph
from corridor.graph.index import build_csr
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = [
    "ArcGraph",
    "TurnGraph",
    "compile_turn_graph",
    "expand_turns",
    "restriction_patterns",
]

log = logging.getLogger(__name__)

Pattern = tuple[tuple[int, ...], int, str]  # (from arc + via arcs, to arc, "no"/"only")


@dataclass(frozen=True, eq=False, repr=False)
class ArcGraph:
    """Any CSR graph whose arcs may stand for network links: what turns are applied to.

    A compiled :class:`~corridor.graph.compile.Graph` has one vertex per node; a profile's
    cost graph has several (ports and hubs) per node. Restrictions are matched on links
    and on the node their vertices belong to.

    Attributes
    ----------
    node_ids
        External id of each node index, sorted int64[n].
    vertex_node
        Node index of each vertex, int64[V].
    indptr, heads, tails
        CSR arrays over the V vertices (int64[V+1], int32[m], int32[m]).
    link_row
        Row in ``network.links`` of each arc's link, -1 for arcs that are not links.
    forward
        True where the arc runs a_node -> b_node.
    """

    node_ids: IntArray
    vertex_node: IntArray
    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    link_row: IntArray
    forward: BoolArray

    @classmethod
    def of(cls, graph: Graph) -> ArcGraph:
        """The arcs of a compiled graph (vertex i is node i)."""
        return cls(
            node_ids=graph.node_ids,
            vertex_node=np.arange(graph.n_nodes, dtype=np.int64),
            indptr=graph.indptr,
            heads=graph.heads,
            tails=graph.tails,
            link_row=graph.link_row,
            forward=graph.forward,
        )

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return int(self.indptr.size - 1)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.heads.size)


@dataclass(frozen=True, eq=False, repr=False)
class TurnGraph:
    """The expanded graph of a CSR graph under turn restrictions.

    Attributes
    ----------
    indptr, heads, cost
        CSR arrays over states.
    tails
        State each transition leaves, int32[t].
    entered
        Base arc each transition enters (its head state's arc), -1 into an end state.
    state_arc
        The base graph's CSR slot of each state; -1 for start and end states.
    start_state, end_state
        Per base vertex (node index of a compiled graph), its start and end state.
    n_patterns
        Restrictions applied (as arc sequences); `n_skipped` could not be placed (their
        links are not in the graph or do not meet as stated).
    """

    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    entered: IntArray
    cost: FloatArray
    state_arc: IntArray
    start_state: IntArray
    end_state: IntArray
    n_patterns: int
    n_skipped: int

    def __repr__(self) -> str:
        return (
            f"<TurnGraph {self.state_arc.size} states, {self.heads.size} transitions, "
            f"{self.n_patterns} restrictions>"
        )

    def with_cost(self, arc_cost: FloatArray) -> TurnGraph:
        """The same expansion with another cost per base arc (each transition costs the
        arc it enters; nothing into an end state)."""
        into = self.entered
        cost = np.where(into >= 0, np.asarray(arc_cost, np.float64)[into], 0.0)
        return replace(self, cost=np.ascontiguousarray(cost, dtype=np.float64))

    def arcs_of(self, transitions: IntArray) -> IntArray:
        """The base arcs driven along a path given as transition slots."""
        arcs = self.entered[np.asarray(transitions, dtype=np.int64)]
        return np.asarray(arcs[arcs >= 0], dtype=np.int64)


def _arcs_by_link(arcs: ArcGraph, links: pd.DataFrame) -> dict[int, list[int]]:
    slots = np.flatnonzero(arcs.link_row >= 0)
    ids = links["link_id"].to_numpy()[arcs.link_row[slots]]
    order = np.argsort(ids, kind="stable")
    out: dict[int, list[int]] = {}
    for slot, lid in zip(slots[order].tolist(), ids[order].tolist(), strict=True):
        out.setdefault(int(lid), []).append(int(slot))
    return out


def restriction_patterns(
    turns: pd.DataFrame, links: pd.DataFrame, arcs: ArcGraph
) -> tuple[list[Pattern], int]:
    """The turn table as arc sequences of `arcs`; also the count of rows that do not fit."""
    if not len(turns):
        return [], 0
    by_link = _arcs_by_link(arcs, links)
    tails = arcs.tails
    heads = arcs.heads
    head_node = arcs.vertex_node[heads]
    node_ids = arcs.node_ids
    patterns: list[Pattern] = []
    skipped = 0
    for kind, f, via, vias, t in zip(
        turns["kind"],
        turns["from_link"],
        turns["via_node"],
        turns["via_links"],
        turns["to_link"],
        strict=True,
    ):
        pos = int(np.searchsorted(node_ids, via))
        if pos >= node_ids.size or node_ids[pos] != via:
            skipped += 1
            continue
        seq = [a for a in by_link.get(int(f), []) if head_node[a] == pos]
        if len(seq) != 1:
            skipped += 1
            continue
        path = [seq[0]]
        at = int(heads[seq[0]])
        ok = True
        for text in [v for v in str(vias).split(";") if v.strip()]:
            step = [a for a in by_link.get(int(text), []) if tails[a] == at]
            if len(step) != 1:
                ok = False
                break
            path.append(step[0])
            at = int(heads[step[0]])
        to = [a for a in by_link.get(int(t), []) if tails[a] == at]
        if not ok or len(to) != 1:
            skipped += 1
            continue
        patterns.append((tuple(path), to[0], str(kind)))
    return patterns, skipped


def compile_turn_graph(
    network: Network,
    *,
    modes: str | Mode | Iterable[str | Mode] | None = None,
    weight: str | FloatArray = "time_h",
    u_turns: bool = False,
) -> TurnGraph:
    """Expand the compiled graph of `network` so that its turn restrictions hold.

    Parameters
    ----------
    network
        The network; ``network.turns`` holds the restrictions (may be empty).
    modes, weight
        As for :func:`corridor.graph.compile_graph`.
    u_turns
        Allow U-turns everywhere (default: only at dead ends).

    Returns
    -------
    TurnGraph
        Its vertices are the compiled graph's node indices (computed anew on each call;
        :class:`corridor.paths.Router` keeps them).
    """
    graph = compile_graph(network, modes=modes, weight=weight)
    turn_graph = expand_turns(
        ArcGraph.of(graph),
        network.turns[network.open_turns()],
        network.links,
        graph.cost,
        u_turns=u_turns,
    )
    log.info("compiled %r on %r", turn_graph, graph)
    return turn_graph


def expand_turns(
    arcs: ArcGraph,
    turns: pd.DataFrame,
    links: pd.DataFrame,
    arc_cost: FloatArray,
    *,
    u_turns: bool = False,
) -> TurnGraph:
    """The edge-based expansion of any CSR graph under a turns table.

    Parameters
    ----------
    arcs
        The graph (a compiled graph, or a profile's cost graph).
    turns, links
        The restrictions and the links table that ``arcs.link_row`` indexes.
    arc_cost
        Cost of each arc, float64[m].
    u_turns
        Allow U-turns everywhere (default: only where no other link leaves).

    Notes
    -----
    O(sum over vertices of in-degree x out-degree) transitions, vectorised; the few shadow
    states of via-way restrictions are built in Python.
    """
    patterns, skipped = restriction_patterns(turns, links, arcs)
    m = arcs.n_arcs
    n = arcs.n_vertices
    indptr, heads = arcs.indptr, arcs.heads.astype(np.int64)
    twin = _twins(arcs)
    out_deg = np.diff(indptr)
    # links leaving each vertex other than the way back: none means a dead end
    link_out = np.bincount(arcs.tails[arcs.link_row >= 0], minlength=n).astype(np.int64)
    dead_end_at = link_out[heads] - (twin >= 0).astype(np.int64) <= 0
    # plain transitions a -> b for every b leaving head(a)
    reps = out_deg[heads]
    src = np.repeat(np.arange(m, dtype=np.int64), reps)
    start = np.repeat(indptr[heads], reps)
    offset = np.arange(src.size, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    dst = start + offset
    keep = np.ones(src.size, bool)
    if not u_turns:
        keep &= (twin[src] != dst) | dead_end_at[src]
    # trie of restriction prefixes (length >= 2) -> shadow states
    trie: dict[tuple[int, ...], int] = {}
    rules: dict[tuple[int, ...], list[tuple[str, int]]] = {}
    for seq, to, kind in patterns:
        rules.setdefault(seq, []).append((kind, to))
        for k in range(2, len(seq) + 1):
            trie.setdefault(seq[:k], m + len(trie))
    # plain states: bans from via-node restrictions
    plain_rules = {seq[0]: r for seq, r in rules.items() if len(seq) == 1}
    not_link = arcs.link_row < 0  # hub and stop arcs of a cost graph: never restricted
    if plain_rules:
        keep &= _allowed(src, dst, plain_rules) | not_link[dst]
    src, dst = src[keep], dst[keep]
    target = dst.copy()
    if trie:
        pair_key = {seq: sid for seq, sid in trie.items() if len(seq) == 2}
        lookup = pd.Series(list(pair_key.values()), index=pd.MultiIndex.from_tuples(pair_key))
        idx = pd.MultiIndex.from_arrays([src, dst])
        hit = lookup.reindex(idx).to_numpy()
        found = ~pd.isna(hit)
        target[found] = hit[found].astype(np.int64)
    # shadow states' transitions
    s_src: list[int] = []
    s_dst: list[int] = []
    for seq, sid in trie.items():
        last = seq[-1]
        applicable = [r for k in range(len(seq)) for r in rules.get(seq[k:], [])]
        for b in range(int(indptr[heads[last]]), int(indptr[heads[last] + 1])):
            if not u_turns and twin[last] == b and not dead_end_at[last]:
                continue
            if not not_link[b] and not _ok(applicable, b):
                continue
            s_src.append(sid)
            s_dst.append(_goto(trie, (*seq, b)))
    n_states = m + len(trie)
    start_state = np.arange(n, dtype=np.int64) + n_states
    end_state = start_state + n
    # start -> arcs leaving the vertex; arcs -> end state of their head
    st_src = np.repeat(start_state, out_deg)
    st_dst = np.arange(m, dtype=np.int64)
    state_arc = np.concatenate(
        [np.arange(m), [seq[-1] for seq in trie], np.full(2 * n, -1)]
    ).astype(np.int64)
    arc_states = np.arange(n_states, dtype=np.int64)
    e_src = arc_states
    e_dst = end_state[heads[state_arc[arc_states]]]
    all_src = np.concatenate([src, np.asarray(s_src, np.int64), st_src, e_src])
    all_dst = np.concatenate([target, np.asarray(s_dst, np.int64), st_dst, e_dst])
    total = n_states + 2 * n
    csr = build_csr(all_src, all_dst, total)
    heads_t = csr.heads
    turn_graph = TurnGraph(
        indptr=csr.indptr,
        heads=heads_t,
        tails=csr.tails,
        entered=np.ascontiguousarray(state_arc[heads_t], dtype=np.int64),
        cost=np.zeros(0),
        state_arc=state_arc,
        start_state=start_state,
        end_state=end_state,
        n_patterns=len(patterns),
        n_skipped=skipped,
    ).with_cost(arc_cost)
    if skipped:
        log.info("%d turn restriction(s) do not fit the graph and were left out", skipped)
    return turn_graph


def _twins(arcs: ArcGraph) -> IntArray:
    """For each link arc, the arc of the same link in the other direction (-1 if none or
    if the link has more than one arc each way, as transfer links of a cost graph do)."""
    twin = np.full(arcs.n_arcs, -1, np.int64)
    idx = np.flatnonzero(arcs.link_row >= 0)
    order = idx[np.lexsort((arcs.forward[idx], arcs.link_row[idx]))]
    rows = arcs.link_row[order]
    if rows.size < 2:
        return twin
    _, first, count = np.unique(rows, return_index=True, return_counts=True)
    two = first[count == 2]
    a, b = order[two], order[two + 1]
    apart = arcs.forward[a] != arcs.forward[b]
    twin[a[apart]] = b[apart]
    twin[b[apart]] = a[apart]
    return twin


def _ok(rules: list[tuple[str, int]], b: int) -> bool:
    if any(kind == "no" and to == b for kind, to in rules):
        return False
    only = {to for kind, to in rules if kind == "only"}
    return not only or b in only


def _allowed(
    src: IntArray, dst: IntArray, plain_rules: dict[int, list[tuple[str, int]]]
) -> np.ndarray:
    keep = np.ones(src.size, bool)
    touched = np.flatnonzero(np.isin(src, list(plain_rules)))
    for i in touched.tolist():
        keep[i] = _ok(plain_rules[int(src[i])], int(dst[i]))
    return keep


def _goto(trie: dict[tuple[int, ...], int], seq: tuple[int, ...]) -> int:
    """The state after driving `seq`: its longest suffix that is a trie node, else its last arc."""
    for k in range(len(seq) - 1):
        sid = trie.get(seq[k:])
        if sid is not None:
            return sid
    return seq[-1]
