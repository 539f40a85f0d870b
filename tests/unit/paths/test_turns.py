"""Turn-restricted routing against hand-checked cases and a brute-force search over histories."""

from __future__ import annotations

import heapq
import itertools

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.graph.turns import compile_turn_graph
from corridor.paths.turns import restricted_costs, route_restricted


def network(
    links: list[tuple[int, int, int, float, bool]],
    turns: list[tuple[str, int, int, str, int]] = (),  # type: ignore[assignment]
    coords: dict[int, tuple[float, float]] | None = None,
) -> corridor.Network:
    """links: (link_id, a, b, length_km, oneway); turns: (kind, from, via, vias, to)."""
    ids = sorted({a for _, a, _, _, _ in links} | {b for _, _, b, _, _ in links})
    xy = coords or {i: (0.01 * k, 0.0) for k, i in enumerate(ids)}
    nodes = pd.DataFrame(
        {
            "node_id": ids,
            "name": [f"n{i}" for i in ids],
            "kind": "junction",
            "country": "XX",
            "lon": [xy[i][0] for i in ids],
            "lat": [xy[i][1] for i in ids],
        }
    )
    frame = pd.DataFrame(links, columns=["link_id", "a_node", "b_node", "length_km", "oneway"])
    frame["mode"] = "road"
    frame["speed_kmh"] = 60.0
    table = pd.DataFrame(
        [(k, *row) for k, row in enumerate(turns)],
        columns=["restriction_id", "kind", "from_link", "via_node", "via_links", "to_link"],
    )
    return corridor.Network(nodes, frame, turns=table if len(table) else pd.DataFrame())


# W=1, X=5, N=7, E=8: W-X 1 km, X-N 1 km, X-E 1 km, E-N 3 km
PLUS = [(1, 1, 5, 1.0, False), (2, 5, 7, 1.0, False), (3, 5, 8, 1.0, False), (4, 8, 7, 3.0, False)]


def test_no_left_turn_forces_the_detour() -> None:
    free = network(PLUS)
    assert route_restricted(free, 1, 7, optimize="distance").length_km == pytest.approx(2.0)
    banned = network(PLUS, [("no", 1, 5, "", 2)])
    r = route_restricted(banned, 1, 7, optimize="distance")
    assert r.link_ids == (1, 3, 4)
    assert r.length_km == pytest.approx(5.0)
    assert r.cost == pytest.approx(5.0)
    u = route_restricted(banned, 1, 7, optimize="distance", u_turns=True)
    assert u.link_ids == (1, 3, 3, 2)  # on to E, turn round, back and right
    assert u.length_km == pytest.approx(4.0)
    # the other way round is not restricted
    assert route_restricted(banned, 7, 1, optimize="distance").link_ids == (2, 1)
    # corridor.route obeys the network's turn restrictions too
    assert corridor.route(banned, 1, 7, optimize="distance").link_ids == (1, 3, 4)


def test_only_straight_on() -> None:
    net = network(PLUS, [("only", 1, 5, "", 3)])
    assert route_restricted(net, 1, 7, optimize="distance").link_ids == (1, 3, 4)
    assert route_restricted(net, 1, 8, optimize="distance").link_ids == (1, 3)


def test_via_way_restriction_and_no_path() -> None:
    net = network(PLUS, [("no", 1, 5, "", 2), ("no", 1, 5, "3", 4)])
    with pytest.raises(corridor.NoPathError, match="turn restrictions"):
        route_restricted(net, 1, 7, optimize="distance")
    u = route_restricted(net, 1, 7, optimize="distance", u_turns=True)
    assert u.link_ids == (1, 3, 3, 2)
    # a via way binds only when the whole sequence is driven
    no_2 = [x for x in PLUS if x[0] != 2]
    only_via = network(no_2, [("no", 1, 5, "3", 4)])
    with pytest.raises(corridor.NoPathError):
        route_restricted(only_via, 1, 7, optimize="distance")
    assert route_restricted(only_via, 5, 7, optimize="distance").link_ids == (3, 4)
    assert route_restricted(only_via, 1, 8, optimize="distance").link_ids == (1, 3)


def test_dead_end_u_turn_is_allowed() -> None:
    # a cul-de-sac 5-9 and a restriction that makes turning there the only way
    links = [*PLUS, (5, 5, 9, 0.5, False)]
    net = network(links, [("no", 1, 5, "", 2), ("no", 1, 5, "", 3)])
    r = route_restricted(net, 1, 7, optimize="distance")
    assert r.link_ids == (1, 5, 5, 2)
    assert r.length_km == pytest.approx(3.0)


# ---------------------------------------------------------------------------------------
# brute force: Dijkstra over the last K links driven, checking every restriction directly


def brute_force(
    net: corridor.Network,
    origin: int,
    u_turns: bool,
    arc_cost: dict[tuple[int, int, int], float] | None = None,
) -> dict[int, float]:
    """Least cost to every node over histories of links; `arc_cost` by (link, tail, head)
    replaces the free-flow time (length at 60 km/h)."""
    links = net.links
    out: dict[int, list[tuple[int, int, float]]] = {}
    for lid, a, b, length, one in zip(
        links["link_id"],
        links["a_node"],
        links["b_node"],
        links["length_km"],
        links["oneway"],
        strict=True,
    ):
        for tail, head in [(int(a), int(b))] + ([] if one else [(int(b), int(a))]):
            c = float(length) / 60.0 if arc_cost is None else arc_cost[(int(lid), tail, head)]
            out.setdefault(tail, []).append((int(lid), head, c))
    rules = (
        [
            (str(k), int(f), int(v), [int(x) for x in str(vias).split(";") if x], int(t))
            for k, f, v, vias, t in zip(
                net.turns["kind"],
                net.turns["from_link"],
                net.turns["via_node"],
                net.turns["via_links"],
                net.turns["to_link"],
                strict=True,
            )
        ]
        if len(net.turns)
        else []
    )
    depth = 1 + max((len(r[3]) for r in rules), default=0)

    def allowed(hist: tuple[tuple[int, int], ...], lid: int, node: int) -> bool:
        last_link, here = hist[-1]
        if lid == last_link and not u_turns:
            others = [x for x in out.get(here, []) if x[0] != last_link]
            if others:
                return False
        only: set[int] = set()
        for kind, f, via, vias, to in rules:
            need = [f, *vias]
            if len(hist) < len(need):
                continue
            tail = hist[-len(need) :]
            if [h[0] for h in tail] != need:
                continue
            # from_link must arrive at the via node
            if tail[0][1] != via:
                continue
            if kind == "no" and lid == to:
                return False
            if kind == "only":
                only.add(to)
        return not only or lid in only

    best: dict[int, float] = {origin: 0.0}
    seen: set[tuple[tuple[int, int], ...]] = set()
    heap: list[tuple[float, int, tuple[tuple[int, int], ...]]] = []
    tie = itertools.count()
    for lid, b, c in out.get(origin, []):
        heapq.heappush(heap, (c, next(tie), ((lid, b),)))  # type: ignore[arg-type]
    while heap:
        cost, _, hist = heapq.heappop(heap)
        if hist in seen:
            continue
        seen.add(hist)
        here = hist[-1][1]
        best.setdefault(here, cost)
        for lid, b, c in out.get(here, []):
            if allowed(hist, lid, b):
                nxt = (*hist, (lid, b))[-depth:]
                if nxt not in seen:
                    heapq.heappush(heap, (cost + c, next(tie), nxt))  # type: ignore[arg-type]
    return best


def random_network(rng: np.random.Generator, rows: int = 3, cols: int = 4) -> corridor.Network:
    node = {(r, c): 10 * r + c + 1 for r in range(rows) for c in range(cols)}
    coords = {v: (0.01 * c, 0.01 * r) for (r, c), v in node.items()}
    links: list[tuple[int, int, int, float, bool]] = []
    for (r, c), v in node.items():
        for dr, dc in ((0, 1), (1, 0)):
            w = node.get((r + dr, c + dc))
            if w is not None and rng.random() < 0.9:
                a, b = (v, w) if rng.random() < 0.5 else (w, v)
                links.append(
                    (len(links) + 1, a, b, float(rng.uniform(0.5, 2.0)), bool(rng.random() < 0.25))
                )
    arcs = [(lid, a, b) for lid, a, b, _, _ in links] + [
        (lid, b, a) for lid, a, b, _, one in links if not one
    ]
    leaving: dict[int, list[tuple[int, int, int]]] = {}
    for arc in arcs:
        leaving.setdefault(arc[1], []).append(arc)
    turns: list[tuple[str, int, int, str, int]] = []
    for _ in range(int(rng.integers(2, 8))):
        f = arcs[int(rng.integers(len(arcs)))]
        options = [x for x in leaving.get(f[2], []) if x[0] != f[0]]
        if not options:
            continue
        step = options[int(rng.integers(len(options)))]
        kind = "only" if rng.random() < 0.3 else "no"
        if rng.random() < 0.4:  # via way
            nxt = [x for x in leaving.get(step[2], []) if x[0] != step[0]]
            if nxt:
                to = nxt[int(rng.integers(len(nxt)))]
                turns.append((kind, f[0], f[2], str(step[0]), to[0]))
                continue
        turns.append((kind, f[0], f[2], "", step[0]))
    return network(links, turns, coords)


@pytest.mark.parametrize("u_turns", [False, True])
def test_random_networks_match_brute_force(u_turns: bool) -> None:
    rng = np.random.default_rng(8)
    checked = 0
    differs = 0
    for _ in range(18):
        net = random_network(rng)
        tg = compile_turn_graph(net, modes="road", weight="time_h", u_turns=u_turns)
        free = corridor.compile_graph(net, modes="road")
        for o_idx, o in enumerate(free.node_ids.tolist()):
            expected = brute_force(net, int(o), u_turns)
            got = restricted_costs(tg, o_idx)
            want = np.array([expected.get(int(v), np.inf) for v in free.node_ids])
            np.testing.assert_allclose(got, want, rtol=1e-12)
            checked += want.size
            from corridor.kernels.dijkstra import dijkstra

            dist = np.empty(free.n_nodes)
            dijkstra(
                free.indptr, free.heads, free.cost, o_idx, dist, np.empty(free.n_nodes, np.int64)
            )
            assert np.all(got >= dist - 1e-12)  # restrictions never shorten a route
            differs += int(np.sum(got > dist + 1e-12))
        # the route's own links obey the restrictions and cost what was reported
        pairs = [(a, b) for a in free.node_ids[:4] for b in free.node_ids[-4:]]
        for a, b in pairs:
            try:
                r = route_restricted(net, int(a), int(b), u_turns=u_turns)
            except corridor.NoPathError:
                assert np.isinf(brute_force(net, int(a), u_turns).get(int(b), np.inf))
                continue
            assert r.time_h == pytest.approx(brute_force(net, int(a), u_turns)[int(b)])
    assert checked > 500
    assert differs > 10  # the restrictions did bite


def test_turn_graph_without_restrictions_equals_plain_graph() -> None:
    rng = np.random.default_rng(3)
    net = random_network(rng)
    plain = net.with_links(net.links)  # drops nothing; turns kept by with_links
    empty = corridor.Network(plain.nodes, plain.links)
    tg = compile_turn_graph(empty, modes="road", u_turns=True)
    assert tg.n_patterns == 0
    free = corridor.compile_graph(empty, modes="road")
    from corridor.kernels.dijkstra import dijkstra

    for o in range(free.n_nodes):
        dist = np.empty(free.n_nodes)
        dijkstra(free.indptr, free.heads, free.cost, o, dist, np.empty(free.n_nodes, np.int64))
        np.testing.assert_allclose(restricted_costs(tg, o), dist)


def test_skim_obeys_turns_and_matches_routes() -> None:
    net = network(PLUS, [("no", 1, 5, "", 2)])
    ids = [1, 5, 7, 8]
    for method in ("dijkstra", "ch"):
        sk = corridor.skim(net, ids, cost="length_km", sums=("time_h",), method=method)
        for i, a in enumerate(ids):
            for j, b in enumerate(ids):
                r = route_restricted(net, a, b, optimize="distance")
                assert sk.values[i, j] == pytest.approx(r.length_km)
                assert sk["time_h"][i, j] == pytest.approx(r.time_h)
        assert sk.values[0, 2] == pytest.approx(5.0)  # 1 -> 5 -> 8 -> 7, not straight on
        assert np.all(np.diag(sk.values) == 0.0)
    with pytest.raises(corridor.UnknownNodeError):
        corridor.skim(net, [99])


@pytest.mark.parametrize("method", ["dijkstra", "ch"])
def test_skims_on_random_restricted_networks_match_brute_force(method: str) -> None:
    rng = np.random.default_rng(21)
    bit = 0
    for _ in range(10):
        net = random_network(rng)
        ids = corridor.compile_graph(net, modes="road").node_ids
        sk = corridor.skim(net, ids, modes="road", sums=("length_km",), method=method)
        plain = corridor.skim(corridor.Network(net.nodes, net.links), ids, modes="road")
        for i, o in enumerate(ids.tolist()):
            expected = brute_force(net, int(o), u_turns=False)
            want = np.array([expected.get(int(v), np.inf) for v in ids])
            want[i] = 0.0
            np.testing.assert_allclose(sk.values[i], want, rtol=1e-12)
        bit += int(np.sum(sk.values > plain.values + 1e-12))
        # the summed distance is the distance of the route the router finds
        for a, b in [(ids[0], ids[-1]), (ids[-1], ids[0]), (ids[1], ids[-2])]:
            i, j = int(np.flatnonzero(ids == a)[0]), int(np.flatnonzero(ids == b)[0])
            if np.isfinite(sk.values[i, j]):
                r = route_restricted(net, int(a), int(b))
                assert sk.values[i, j] == pytest.approx(r.time_h)
                assert sk["length_km"][i, j] == pytest.approx(r.length_km)
    assert bit > 5  # the restrictions did bite


def test_isochrone_obeys_turns() -> None:
    net = network(PLUS, [("no", 1, 5, "", 2)])
    iso = corridor.isochrone(net, 1, hours=[100.0])
    got = iso.nodes.set_index("node_id")["length_km"]
    assert got[7] == pytest.approx(5.0) and got[8] == pytest.approx(2.0)


def test_profile_routes_obey_turns() -> None:
    banned = network(PLUS, [("no", 1, 5, "", 2)])
    free = network(PLUS)
    for profile in ("car", "truck40"):
        r = corridor.route(banned, 1, 7, profile=profile, optimize="distance")
        assert [leg.link_ids for leg in r.legs] and r.length_km == pytest.approx(5.0)
        assert corridor.route(free, 1, 7, profile=profile).length_km == pytest.approx(2.0)
    # every alternative and every Pareto route obeys the ban too
    alts = corridor.alternatives(banned, 1, 7, profile="car", k=3)
    assert alts.routes and all(r.length_km == pytest.approx(5.0) for r in alts.routes)
    front = corridor.pareto(banned, 1, 7, profile="car", criteria=("time", "cost"))
    assert front.routes and all(r.length_km == pytest.approx(5.0) for r in front.routes)


def test_profile_routes_on_random_restricted_networks_match_brute_force() -> None:
    rng = np.random.default_rng(5)
    compared = 0
    differs = 0
    for _ in range(12):
        net = random_network(rng)
        plain = corridor.Network(net.nodes, net.links)
        ids = corridor.compile_graph(net, modes="road").node_ids
        for a, b in [(ids[0], ids[-1]), (ids[-1], ids[0]), (ids[2], ids[-3]), (ids[5], ids[1])]:
            # every link runs at 60 km/h, so the least-time search gives least distance
            want = 60.0 * brute_force(net, int(a), u_turns=False).get(int(b), np.inf)
            try:
                got = corridor.route(net, int(a), int(b), profile="car", optimize="distance")
            except corridor.NoPathError:
                assert np.isinf(want)
                continue
            assert got.length_km == pytest.approx(want, rel=1e-9)
            compared += 1
            free = corridor.route(plain, int(a), int(b), profile="car", optimize="distance")
            differs += int(got.length_km > free.length_km + 1e-9)
    assert compared > 30
    assert differs > 0  # the restrictions did bite


def test_unnamed_junctions_show_their_id() -> None:
    base = network(PLUS, [("only", 1, 5, "", 3), ("no", 3, 8, "", 4)])
    net = corridor.Network(base.nodes.assign(name=""), base.links, turns=base.turns)
    r = corridor.route(net, 1, 8)
    assert (r.legs[0].from_name, r.legs[-1].to_name) == ("node 1", "node 8")
    with pytest.raises(corridor.NoPathError, match="from node 1 to node 7 that obeys"):
        corridor.route(net, 1, 7)  # only on to 8, where 4 is banned and U-turns are not allowed
