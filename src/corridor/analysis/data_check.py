"""Integrity checks of a corridor network (used by ``corridor data check`` and the tests).

Each check returns a :class:`Check` with a pass/fail flag and a one-line detail. The
published totals are compared with the least-length path over the links tagged with the
corridor, taken on the network as of :data:`CHECK_DATE` (every dated link open). Lengths
and connectivity come from the project's own search (:mod:`corridor.paths.skim` graphs,
:mod:`corridor.kernels.dijkstra`), links taken both ways; of parallel links the shortest
counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.analysis.check import Check
from corridor.model.network import Network

if TYPE_CHECKING:
    from corridor.paths.skim import SkimGraph

__all__ = [
    "CHECK_DATE",
    "PUBLISHED",
    "SPEED_BOUNDS",
    "Check",
    "Published",
    "check_network",
    "corridor_length_km",
]

CHECK_DATE = "2027-01-01"


@dataclass(frozen=True, slots=True)
class Published:
    """A published length of a corridor between two places (recipe keys)."""

    corridor: str
    origin: str
    destination: str
    length_km: float
    source: str
    tolerance: float = 0.03
    severity: str = "error"


PUBLISHED: tuple[Published, ...] = (
    Published("M-12", "Moscow/RU", "Kazan/RU", 811.0, "asiacity.news; lifelines (M-12 810-811 km)"),
    Published("M-12", "Dyurtyuli/RU", "Achit/RU", 275.3, "news-pravda.com 2025-07-16"),
    Published("M-12", "Yekaterinburg/RU", "Tyumen/RU", 306.0, "news.mail.ru (R-351 ~306 km)"),
    Published(
        "WE-WC",
        "X:sagarchin-zhaisan",
        "X:nurzholy-khorgos",
        2787.0,
        "survincity; en.wikipedia Western Europe-Western China (Kazakhstan part)",
    ),
    Published(
        "G30",
        "X:nurzholy-khorgos",
        "Lianyungang/CN",
        4395.0,
        "G30 Lianyungang-Khorgos (facts §3.2)",
    ),
    # WE-WC, section by section: published 8,445 km = RU 2,233 + KZ 2,787 + CN 3,425
    # (survincity 2013; en.wikipedia; kazan.vibirai.ru 2016: 2.3 + 2.8 + 3.4 thousand km).
    # The CN 3,425 km is not Khorgos-Lianyungang (G30 4,395 km): along the G30 it ends
    # between Weinan and Sanmenxia, so the published total follows the corridor to Xi'an.
    Published(
        "WE-WC",
        "Saint Petersburg/RU",
        "X:sagarchin-zhaisan",
        2233.0,
        "survincity 2013 (Russian part); today's M-11 + M-12 + R-239 via Orenburg; the 2016 "
        "plan (vibirai) ran Kazan-Ufa-Kumertau-Sagarchin, not modelled",
        tolerance=0.10,
        severity="warning",
    ),
    Published(
        "WE-WC-2013",
        "Saint Petersburg/RU",
        "X:sagarchin-zhaisan",
        2233.0,
        "survincity 2013 (Russian part) on the roads of 2013: M-10, M-7, R-239 via Orenburg",
        tolerance=0.10,
        severity="warning",
    ),
    Published(
        "WE-WC",
        "X:nurzholy-khorgos",
        "Xi'an/CN",
        3425.0,
        "en.wikipedia WE-WC (Chinese part 3,425 km), read as the G30 from Khorgos to the Xi'an "
        "area: Khorgos-Lianyungang on the G30 is 4,395 km",
        tolerance=0.05,
        severity="warning",
    ),
    Published(
        "WE-WC",
        "Saint Petersburg/RU",
        "Xi'an/CN",
        8445.0,
        "en.wikipedia WE-WC total (2,233 + 2,787 + 3,425), which follows the corridor from "
        "St Petersburg to the Xi'an area; to Lianyungang the modelled corridor is ~9,570 km",
        tolerance=0.03,
        severity="warning",
    ),
    Published(
        "Trans-Siberian",
        "Moscow/RU",
        "Vladivostok/RU",
        9289.0,
        "en.wikipedia Trans-Siberian Railway",
    ),
    Published(
        "China-Laos", "Kunming/CN", "Vientiane/LA", 1035.0, "people.cn; cgtn (opened 2021-12-03)"
    ),
    Published(
        "Trans-Mongolian",
        "Ulan-Ude/RU",
        "Beijing/CN",
        2217.5,
        "route table of en.wikipedia Trans-Mongolian Railway (Thomas 2011): Ulan-Ude-border "
        "258 km, border-Zamyn-Uud 1,113 km, Zamyn-Uud-Erenhot 4.5 km (facts), Erenhot-Beijing "
        "842 km",
    ),
)

SPEED_BOUNDS: dict[tuple[str, str], tuple[float, float]] = {
    ("road", "motorway"): (80.0, 130.0),
    ("road", "expressway"): (80.0, 120.0),
    ("road", "trunk"): (60.0, 100.0),
    ("road", "primary"): (40.0, 90.0),
    ("road", "secondary"): (30.0, 70.0),
    ("rail", "mixed"): (90.0, 200.0),
    ("rail", "mainline"): (40.0, 100.0),
    ("rail", "secondary"): (25.0, 70.0),
    ("rail", "siding"): (5.0, 30.0),
    ("transfer", "terminal"): (5.0, 50.0),
    ("transfer", "airport"): (5.0, 120.0),
    ("air", "flight"): (
        250.0,
        950.0,
    ),  # block speed: short hops spend half the block taxiing and climbing
    ("air", "boarding"): (1.0, 1.0),
    ("air", "arrival"): (1.0, 1.0),
}

NAMED_ROUTES = (
    "M-12",
    "WE-WC",
    "WE-WC-2013",
    "G30",
    "Trans-Siberian",
    "China-Laos",
    "Trans-Mongolian",
    "Trans-Manchurian",
    "China-Europe",
)


def _both_ways(net: Network, links: pd.DataFrame, cost: FloatArray) -> SkimGraph:
    """`links` in both directions over every node of `net`, as the project's search graph.

    Parallel links stay separate arcs, so a search takes the least of them.
    """
    from corridor.paths.skim import skim_graph_from_links

    a = links["a_node"].to_numpy(dtype=np.int64)
    b = links["b_node"].to_numpy(dtype=np.int64)
    return skim_graph_from_links(
        np.concatenate([a, b]),
        np.concatenate([b, a]),
        np.concatenate([cost, cost]),
        node_ids=net.nodes["node_id"].to_numpy(dtype=np.int64),
        metric="length_km",
    )


def _pieces(net: Network, links: pd.DataFrame) -> int:
    """Number of connected pieces that `links` form (taken both ways) over the nodes they
    touch: one-to-all searches from a node not yet reached until every node is."""
    from corridor.kernels.dijkstra import dijkstra

    graph = _both_ways(net, links, np.zeros(len(links)))
    used = graph.index_of(np.unique(np.concatenate([links["a_node"], links["b_node"]])))
    reached = np.zeros(graph.n_nodes, dtype=bool)
    dist = np.empty(graph.n_nodes)
    pred = np.empty(graph.n_nodes, dtype=np.int64)
    pieces = 0
    for v in used:
        if reached[v]:
            continue
        dijkstra(graph.indptr, graph.heads, graph.cost, int(v), dist, pred)
        reached |= np.isfinite(dist)
        pieces += 1
    return pieces


def _node_of(net: Network, key: str) -> int | None:
    if "key" not in net.nodes:
        return None
    hit = net.nodes.loc[net.nodes["key"] == key, "node_id"]
    return int(hit.iloc[0]) if len(hit) else None


def corridor_length_km(net: Network, corridor: str, origin: int, destination: int) -> float:
    """Least length, km, from `origin` to `destination` over links tagged `corridor`.

    Links are taken in both directions; of parallel links the shortest counts. Returns
    ``inf`` if no path joins the two nodes.

    Raises
    ------
    UnknownNodeError
        If `origin` or `destination` is not a node of `net`.
    """
    from corridor.kernels.dijkstra import dijkstra_to, new_workspace

    tags = net.links["corridors"].str.split(";")
    on = tags.apply(lambda t: corridor in t).to_numpy()
    links = net.links[on]
    graph = _both_ways(net, links, links["length_km"].to_numpy(dtype=np.float64))
    o, d = graph.index_of([origin, destination], role="corridor end")
    km, _ = dijkstra_to(
        graph.indptr, graph.heads, graph.cost, int(o), int(d), new_workspace(graph.n_nodes)
    )
    return km


def check_network(net: Network) -> list[Check]:
    """Run every integrity check on `net` and return their outcomes.

    The road circuity audit (:mod:`corridor.analysis.circuity`) runs on the network as of
    :data:`CHECK_DATE`.
    """
    now = net.as_of(CHECK_DATE)
    out: list[Check] = []
    out += _check_connected(now)
    out += _check_crossings(net)
    out += _check_named_routes(now)
    out += _check_published(now)
    out += _check_links(net)
    out += _check_gauges(net)
    out += _check_terminals(net)
    out += _check_air(net)
    out += _check_size(net)
    out += _check_circuity(now)
    return out


def _check_air(net: Network) -> list[Check]:
    """Airports reach their city; flights carry a block time, a source and a fare."""
    nodes, links = net.nodes, net.links
    airports = nodes[nodes["kind"] == "airport"]
    if not len(airports):
        return []
    access = links[(links["mode"] == "transfer") & (links["class"] == "airport")]
    served = set(access["b_node"]) | set(access["a_node"])
    flights = links[(links["mode"] == "air") & (links["class"] == "flight")]
    gates = set(links.loc[links["class"] == "boarding", "b_node"])
    lonely = [
        str(n)
        for nid, n in zip(airports["node_id"], airports["name"], strict=True)
        if nid not in served and nid not in gates
    ]
    no_coords = airports[~(np.isfinite(airports["lon"]) & np.isfinite(airports["lat"]))]
    cols = [c for c in ("block_h", "fare_usd", "co2_pax_kg") if c in flights.columns]
    missing = ~np.isfinite(flights[cols].to_numpy(dtype=np.float64)).all(axis=1)
    unsourced = flights["provenance"].str.len().to_numpy() < 10
    bad = flights.loc[missing | unsourced, "name"].tolist()
    return [
        Check(
            "airports reach their city",
            not lonely and not len(no_coords),
            f"{len(airports)} airport and gate nodes, {len(access)} access links; "
            f"without access: {lonely[:5]}; without coordinates: {len(no_coords)}",
        ),
        Check(
            "flights carry block time, fare, CO2 and source",
            len(cols) == 3 and not bad,
            f"{len(flights)} flight links; incomplete: {bad[:5]}",
        ),
    ]


def _check_circuity(net: Network) -> list[Check]:
    from corridor.analysis.circuity import check_circuity

    return check_circuity(net)


def _check_connected(net: Network) -> list[Check]:
    out = []
    for mode in ("road", "rail"):
        links = net.links[net.links["mode"] == mode]
        used = np.unique(np.concatenate([links["a_node"], links["b_node"]]))
        pieces = _pieces(net, links)
        out.append(
            Check(
                f"{mode} network connected",
                pieces == 1,
                f"{used.size} nodes with {mode} links form {pieces} component(s)",
            )
        )
    return out


def _check_crossings(net: Network) -> list[Check]:
    nodes = net.nodes.set_index("node_id")
    bad: list[str] = []
    crossings = nodes[nodes["kind"] == "border_crossing"]
    in_force = net.crossings[net.open_crossings()]  # one period per crossing-mode and direction
    for nid, row in crossings.iterrows():
        touching = net.links[(net.links["a_node"] == nid) | (net.links["b_node"] == nid)]
        modes = set(in_force.loc[in_force["node_id"] == nid, "mode"])
        for mode in sorted(modes):
            sides = set(touching.loc[touching["mode"] == mode, "country"])
            if sides != {row["country_a"], row["country_b"]}:
                bad.append(f"{row['name']} ({mode}: link countries {sorted(sides)})")
        if set(touching["mode"]) - modes:
            bad.append(f"{row['name']} (links of modes without crossing figures)")
        rows = in_force[in_force["node_id"] == nid]
        # an airport's passport control is entered one way: from the country left
        if len(rows) != 2 * len(modes - {"air"}) + len(modes & {"air"}):
            bad.append(f"{row['name']} (needs both directions per mode)")
    return [
        Check(
            "every crossing joins two countries",
            not bad,
            f"{len(crossings)} crossings"
            + (
                f"; bad: {bad[:5]}"
                if bad
                else ", each with links from both countries in each of its modes"
            ),
        )
    ]


def _check_named_routes(net: Network) -> list[Check]:
    tags = net.links["corridors"].str.split(";")
    out = []
    for name in NAMED_ROUTES:
        on = tags.apply(lambda t, n=name: n in t).to_numpy()
        links = net.links[on]
        if links.empty:
            out.append(Check(f"route {name} continuous", False, "no links carry the tag"))
            continue
        pieces = _pieces(net, links)
        out.append(
            Check(
                f"route {name} continuous",
                pieces == 1,
                f"{len(links)} links, {links['length_km'].sum():,.0f} km, {pieces} piece(s)",
            )
        )
    return out


def _check_published(net: Network) -> list[Check]:
    out = []
    for pub in PUBLISHED:
        o, d = _node_of(net, pub.origin), _node_of(net, pub.destination)
        if o is None or d is None:
            name = f"{pub.corridor} {pub.origin} - {pub.destination}"
            out.append(Check(name, False, "end places not in the network", pub.severity))
            continue
        names = net.nodes.set_index("node_id")["name"]
        name = f"{pub.corridor} {names[o]} - {names[d]}"
        km = corridor_length_km(net, pub.corridor, o, d)
        err = (km - pub.length_km) / pub.length_km
        out.append(
            Check(
                f"length {name}",
                bool(np.isfinite(km) and abs(err) <= pub.tolerance),
                f"modelled {km:,.1f} km vs published {pub.length_km:,.0f} km ({err:+.1%}, "
                f"tolerance {pub.tolerance:.0%}); {pub.source}",
                pub.severity,
            )
        )
    return out


def _check_links(net: Network) -> list[Check]:
    links = net.links
    lo = np.minimum(links["a_node"], links["b_node"])
    hi = np.maximum(links["a_node"], links["b_node"])
    key = pd.DataFrame(
        {
            "lo": lo,
            "hi": hi,
            "mode": links["mode"],
            "gauge": links["gauge_mm"].fillna(0),
            "opened": links["opened"].fillna(pd.Timestamp(0)),
            "closed": links["closed"].fillna(pd.Timestamp.max),
        }
    )
    dup = key.duplicated(keep=False)
    air_stop = (links["mode"] == "air") & links["class"].isin(("boarding", "arrival"))
    zero = (links["length_km"] <= 0) & (links["mode"] != "transfer") & ~air_stop
    speed_bad = []
    for (mode, cls), group in links.groupby(["mode", "class"]):
        bounds = SPEED_BOUNDS.get((str(mode), str(cls)))
        if bounds is None:
            speed_bad.append(f"{mode}/{cls}: no bounds")
            continue
        out = group[(group["speed_kmh"] < bounds[0]) | (group["speed_kmh"] > bounds[1])]
        if len(out):
            speed_bad.append(f"{mode}/{cls}: {out['link_id'].tolist()[:3]}")
    stretch = _stretch(net)
    return [
        Check(
            "no duplicate links",
            not dup.any(),
            f"{int(dup.sum())} links share ends, mode, gauge and dates",
        ),
        Check(
            "no zero-length links", not zero.any(), f"{int(zero.sum())} non-transfer links at 0 km"
        ),
        Check(
            "speeds within class bounds",
            not speed_bad,
            "; ".join(speed_bad) if speed_bad else f"{links['class'].nunique()} classes in bounds",
        ),
        Check(
            "lengths not shorter than geodesic",
            stretch[0] == 0,
            f"{stretch[0]} links shorter than their straight line; median length/geodesic "
            f"{stretch[1]:.2f}",
        ),
    ]


def _stretch(net: Network) -> tuple[int, float]:
    from corridor.units import haversine_km

    nodes = net.nodes.set_index("node_id")
    links = net.links[net.links["mode"] != "transfer"]
    a = nodes.loc[links["a_node"]]
    b = nodes.loc[links["b_node"]]
    geo = haversine_km(
        a["lon"].to_numpy(), a["lat"].to_numpy(), b["lon"].to_numpy(), b["lat"].to_numpy()
    )
    ratio = links["length_km"].to_numpy() / np.maximum(geo, 1e-9)
    short = int(((links["length_km"].to_numpy() < geo * 0.999) & (geo > 0.01)).sum())
    return short, float(np.median(ratio[geo > 0.01]))


def _check_gauges(net: Network) -> list[Check]:
    rail = net.links[net.links["mode"] == "rail"]
    ends = pd.concat(
        [
            pd.DataFrame({"node": rail["a_node"], "gauge": rail["gauge_mm"]}),
            pd.DataFrame({"node": rail["b_node"], "gauge": rail["gauge_mm"]}),
        ]
    )
    missing = rail["gauge_mm"].isna().sum()
    per = ends.groupby("node")["gauge"].nunique()
    breaks = per[per > 1].index
    kinds = net.nodes.set_index("node_id").loc[breaks, "kind"]
    bad = kinds[~kinds.isin(["border_crossing", "terminal", "port"])]
    return [
        Check(
            "gauge breaks only at crossings, terminals and ports",
            bad.empty and missing == 0,
            f"{len(breaks)} gauge-break nodes "
            f"({ {str(k): int(v) for k, v in kinds.value_counts().items()} }); "
            f"{len(bad)} elsewhere; {int(missing)} rail links without gauge",
        )
    ]


def _check_terminals(net: Network) -> list[Check]:
    nodes = net.nodes
    terminals = nodes.loc[nodes["kind"] == "terminal", "node_id"]
    links = net.links
    no_rail = []
    no_road = []
    for nid in terminals:
        touching = links[(links["a_node"] == nid) | (links["b_node"] == nid)]
        if not (touching["mode"] == "rail").any():
            no_rail.append(int(nid))
        if not (touching["mode"] == "transfer").any():
            no_road.append(int(nid))
    names = nodes.set_index("node_id").loc[no_road, "name"].tolist() if no_road else []
    transfers = links[(links["mode"] == "transfer") & (links["class"] != "airport")]
    kinds = nodes.set_index("node_id")["kind"]
    stray = transfers[
        (kinds.loc[transfers["a_node"]].to_numpy() != "terminal")
        & (kinds.loc[transfers["b_node"]].to_numpy() != "terminal")
    ]
    return [
        Check(
            "terminals join road and rail",
            not no_rail and not stray.size,
            f"{len(terminals)} terminals; {len(no_rail)} without rail; "
            f"{len(stray)} transfer links not at a terminal",
        ),
        Check(
            "terminals reach a road",
            not no_road,
            f"{len(no_road)} terminal(s) with no road node within reach: {names[:5]}",
            "warning",
        ),
    ]


def _check_size(net: Network) -> list[Check]:
    places = int(net.nodes["kind"].isin(["city", "junction", "port"]).sum())
    crossings = int((net.nodes["kind"] == "border_crossing").sum())
    return [
        Check("more than 400 places", places > 400, f"{places} cities, junctions and ports"),
        Check("more than 800 links", len(net.links) > 800, f"{len(net.links)} links"),
        Check("at least 30 crossings", crossings >= 30, f"{crossings} border crossings"),
    ]
