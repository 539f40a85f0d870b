"""Turn restrictions: an edge-based (arc-to-arc) expansion of a compiled graph.

A node-based graph cannot say "no left turn from A into B at X". Here each state of the
expanded graph is an arc of the compiled graph (having just driven along it); moving to a
next arc is a *transition*, and restrictions delete or force transitions. Restrictions
with via ways (``from -> via_1 -> ... -> via_k -> to``) need memory of more than one arc:
they become extra *shadow* states, one per proper prefix of their arc sequence, built as
an Aho-Corasick automaton over arcs, so that overlapping restrictions are all honoured.

Rules:

- ``no``: the sequence from_link, via_links..., to_link may not be driven;
- ``only``: after from_link, via_links..., the next link must be to_link (with several
  ``only`` restrictions on the same approach, one of their to_links);
- U-turns (an arc followed by its own reverse) are allowed only at dead ends, unless
  ``u_turns=True``;
- every network node also has a *start* state (transitions to the arcs leaving it) and
  an *end* state (reached at zero cost from every arc entering it), so a route between
  two nodes is one shortest path between two states.

The cost of a transition is the cost of the arc it enters (zero into an end state).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import FloatArray, Int32Array, IntArray
from corridor.graph.compile import Graph, compile_graph
from corridor.model.network import Network
from corridor.model.schema import Mode

__all__ = ["TurnGraph", "compile_turn_graph", "restriction_patterns"]

log = logging.getLogger(__name__)

Pattern = tuple[tuple[int, ...], int, str]  # (from arc + via arcs, to arc, "no"/"only")


@dataclass(frozen=True, eq=False, repr=False)
class TurnGraph:
    """The expanded graph of a compiled graph under turn restrictions.

    Attributes
    ----------
    base
        The compiled node-based graph.
    indptr, heads, cost
        CSR arrays over states.
    state_arc
        The base graph's CSR slot of each state; -1 for start and end states.
    start_state, end_state
        Per base node index, its start and end state.
    n_patterns
        Restrictions applied (as arc sequences); `n_skipped` could not be placed (their
        links are not in the graph or do not meet as stated).
    """

    base: Graph
    indptr: IntArray
    heads: Int32Array
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


def _arcs_by_link(graph: Graph, links: pd.DataFrame) -> dict[int, list[int]]:
    ids = links["link_id"].to_numpy()[graph.link_row]
    order = np.argsort(ids, kind="stable")
    out: dict[int, list[int]] = {}
    for slot, lid in zip(order.tolist(), ids[order].tolist(), strict=True):
        out.setdefault(int(lid), []).append(int(slot))
    return out


def restriction_patterns(network: Network, graph: Graph) -> tuple[list[Pattern], int]:
    """The turn table as arc sequences of `graph`; also the count of rows that do not fit."""
    turns = network.turns
    if not len(turns):
        return [], 0
    by_link = _arcs_by_link(graph, network.links)
    tails = graph.tails
    heads = graph.heads
    node_ids = graph.node_ids
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
        seq = [a for a in by_link.get(int(f), []) if heads[a] == pos]
        if len(seq) != 1:
            skipped += 1
            continue
        arcs = [seq[0]]
        at = pos
        ok = True
        for text in [v for v in str(vias).split(";") if v.strip()]:
            step = [a for a in by_link.get(int(text), []) if tails[a] == at]
            if len(step) != 1:
                ok = False
                break
            arcs.append(step[0])
            at = int(heads[step[0]])
        to = [a for a in by_link.get(int(t), []) if tails[a] == at]
        if not ok or len(to) != 1:
            skipped += 1
            continue
        patterns.append((tuple(arcs), to[0], str(kind)))
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
        Cached on the network per (modes, weight, u_turns).

    Notes
    -----
    O(sum over nodes of in-degree x out-degree) transitions, vectorised; the few shadow
    states of via-way restrictions are built in Python.
    """
    graph = compile_graph(network, modes=modes, weight=weight)
    key = ("turn-graph", graph.modes, graph.weight, id(graph), u_turns)
    cached = network._cache.get(key)
    if isinstance(cached, TurnGraph):
        return cached
    patterns, skipped = restriction_patterns(network, graph)
    m = graph.n_arcs
    n = graph.n_nodes
    indptr, heads = graph.indptr, graph.heads.astype(np.int64)
    twin = _twins(graph)
    # plain transitions a -> b for every b leaving head(a)
    out_deg = np.diff(indptr)
    reps = out_deg[heads]
    src = np.repeat(np.arange(m, dtype=np.int64), reps)
    start = np.repeat(indptr[heads], reps)
    offset = np.arange(src.size, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    dst = start + offset
    keep = np.ones(src.size, bool)
    if not u_turns:
        is_u = twin[src] == dst
        dead_end = out_deg[heads[src]] - (twin[src] >= 0).astype(np.int64) <= 0
        keep &= ~is_u | dead_end
    # trie of restriction prefixes (length >= 2) -> shadow states
    trie: dict[tuple[int, ...], int] = {}
    rules: dict[tuple[int, ...], list[tuple[str, int]]] = {}
    for seq, to, kind in patterns:
        rules.setdefault(seq, []).append((kind, to))
        for k in range(2, len(seq) + 1):
            trie.setdefault(seq[:k], m + len(trie))
    # plain states: bans from via-node restrictions
    plain_rules = {seq[0]: r for seq, r in rules.items() if len(seq) == 1}
    if plain_rules:
        keep &= _allowed(src, dst, plain_rules)
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
            if not u_turns and twin[last] == b and out_deg[heads[last]] > 1:
                continue
            if not _ok(applicable, b):
                continue
            s_src.append(sid)
            s_dst.append(_goto(trie, (*seq, b)))
    n_states = m + len(trie)
    start_state = np.arange(n, dtype=np.int64) + n_states
    end_state = start_state + n
    # start -> arcs leaving the node; arcs -> end state of their head
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
    arc_cost = np.concatenate([graph.cost, np.zeros(1)])
    into = np.where(state_arc[all_dst] >= 0, state_arc[all_dst], m)
    cost = arc_cost[into]
    order = np.argsort(all_src, kind="stable")
    ptr = np.zeros(total + 1, np.int64)
    np.cumsum(np.bincount(all_src, minlength=total), out=ptr[1:])
    turn_graph = TurnGraph(
        base=graph,
        indptr=ptr,
        heads=np.ascontiguousarray(all_dst[order], dtype=np.int32),
        cost=np.ascontiguousarray(cost[order], dtype=np.float64),
        state_arc=state_arc,
        start_state=start_state,
        end_state=end_state,
        n_patterns=len(patterns),
        n_skipped=skipped,
    )
    if skipped:
        log.info("%d turn restriction(s) do not fit the %r and were left out", skipped, graph)
    log.info("compiled %r", turn_graph)
    network._cache[key] = turn_graph
    return turn_graph


def _twins(graph: Graph) -> IntArray:
    """For each arc, the arc of the same link in the other direction (-1 if none)."""
    twin = np.full(graph.n_arcs, -1, np.int64)
    order = np.lexsort((graph.forward, graph.link_row))
    rows = graph.link_row[order]
    pair = np.flatnonzero(rows[:-1] == rows[1:])
    a, b = order[pair], order[pair + 1]
    twin[a] = b
    twin[b] = a
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
