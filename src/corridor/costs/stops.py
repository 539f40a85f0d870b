"""Stop arcs of the cost graph: transfers, gauge changes and terminal handling.

Each function returns the columns of a block of arcs (``tail``, ``head`` vertices and every
cost column of :class:`~corridor.costs.graph.CostGraph`) that
:func:`~corridor.costs.graph.compile_cost_graph` stacks with the line-haul arcs. The
`ports` table has one row per vertex that a link can arrive at: ``node`` (node index),
``kind`` (:data:`ROAD_PORT`, :data:`RAIL_PORT` or :data:`TRANSFER_PORT`), ``gauge`` (mm, 0
if unknown or not rail) and ``vertex``.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.costs.profiles import Profile

__all__ = [
    "PORT_MODE",
    "RAIL_PORT",
    "ROAD_PORT",
    "TRANSFER_PORT",
    "Arcs",
    "StopKind",
    "gauge_change_arcs",
    "stop_part",
    "terminal_arcs",
    "transfer_arcs",
]

ROAD_PORT, RAIL_PORT, TRANSFER_PORT = 0, 1, 2
PORT_MODE = {ROAD_PORT: "road", RAIL_PORT: "rail", TRANSFER_PORT: "transfer"}

Arcs = dict[str, np.ndarray]


class StopKind(IntEnum):
    """What an arc's stop part is."""

    NONE = 0
    BORDER_CROSSING = 1
    GAUGE_CHANGE = 2
    TRANSFER = 3
    ORIGIN = 4
    DESTINATION = 5
    BOARDING = 6


def stop_part(
    tail: IntArray,
    head: IntArray,
    k: int,
    kind: StopKind,
    time_h: float,
    cost_usd: float,
    *,
    length_km: FloatArray | None = None,
    move_h: FloatArray | None = None,
    link_row: IntArray | None = None,
    forward: BoolArray | None = None,
    mode: str = "",
) -> Arcs:
    """Columns of `k` arcs `tail` -> `head` that each stop for `time_h` and `cost_usd`.

    Line-haul money and CO2 are zero; `length_km` and `move_h` default to zero, `link_row`
    to -1 (no link), `forward` to True and `mode` to "" (a stop-only arc).
    """
    zeros = np.zeros(k)
    nan = np.full(k, np.nan)
    return {
        "tail": np.asarray(tail, dtype=np.int64),
        "head": np.asarray(head, dtype=np.int64),
        "length_km": zeros if length_km is None else length_km,
        "move_h": zeros if move_h is None else move_h,
        "line_usd": zeros,
        "co2_kg": zeros,
        "co2_ttw_kg": zeros,
        "stop_h": np.full(k, time_h),
        "stop_usd": np.full(k, cost_usd),
        "stop_kind": np.full(k, int(kind)),
        "delay_p10_h": nan,
        "delay_p90_h": nan,
        "open_from_h": nan,
        "open_to_h": nan,
        "link_row": np.full(k, -1, np.int64) if link_row is None else link_row,
        "forward": np.ones(k, bool) if forward is None else forward,
        "driving": np.zeros(k, bool),
        "mode": np.full(k, mode, dtype=object),
        "crossing_row": np.full(k, -1, np.int64),
    }


def transfer_arcs(
    links: pd.DataFrame,
    ports: pd.DataFrame,
    arcs: pd.DataFrame,
    profile: Profile,
) -> Arcs:
    """Arcs of transfer links: every port at the tail node to every port at the head node.

    Parameters
    ----------
    links
        The network's links table.
    ports
        The ports table (see the module docstring).
    arcs
        One row per directed transfer arc: ``tnode``, ``hnode`` (node indices), ``row``
        (row in `links`) and ``fwd`` (runs a_node -> b_node).
    profile
        Gives the transfer handling, the road rates of terminal access and the
        transshipment between rail gauges.

    Returns
    -------
    Arcs
        The arcs' columns. Each carries the profile's ``transfer`` handling; where the link
        has a length (terminal access) it is also a road haul priced and emitting at the
        profile's road rates; an airport access link (class ``airport``) carries instead its
        own time and its ``fare_usd`` per traveller, no handling, and no CO2 (the airport
        train or bus: [assumption] ~1 kg per traveller, under 1 % of a flight's, left
        out); between rail ports of two known, different gauges it is a
        transshipment and carries the ``gauge_break`` handling instead.
    """
    units = profile.load.amount
    pv = ports[["node", "vertex", "kind", "gauge"]]
    tr = arcs.merge(
        pv.rename(columns={"node": "tnode", "vertex": "tv", "kind": "tk", "gauge": "tg"}),
        on="tnode",
    )
    tr = tr.merge(
        pv.rename(columns={"node": "hnode", "vertex": "hv", "kind": "hk", "gauge": "hg"}),
        on="hnode",
    )
    k = len(tr)
    handling = profile.transfer
    t_len = links["length_km"].to_numpy(dtype=np.float64)[tr["row"].to_numpy()]
    t_speed = links["speed_kmh"].to_numpy(dtype=np.float64)[tr["row"].to_numpy()]
    part = stop_part(
        tr["tv"].to_numpy(),
        tr["hv"].to_numpy(),
        k,
        StopKind.TRANSFER,
        handling.time_h if handling else 0.0,
        handling.cost_usd if handling else 0.0,
        length_km=t_len,
        move_h=t_len / t_speed,
        link_row=tr["row"].to_numpy(dtype=np.int64),
        forward=tr["fwd"].to_numpy(dtype=bool),
        mode="transfer",
    )
    # an airport access link (class "airport") carries its own time (length / speed) and
    # fare per traveller (fare_usd), not the terminal handling nor road haulage rates
    access = (
        links["class"].to_numpy()[tr["row"].to_numpy()] == "airport"
        if "class" in links.columns
        else np.zeros(k, bool)
    )
    fare = (
        np.nan_to_num(links["fare_usd"].to_numpy(dtype=np.float64)[tr["row"].to_numpy()])
        if "fare_usd" in links.columns
        else np.zeros(k)
    )
    # a transfer link with a length is a road haul between a terminal and its town:
    # priced and emitting at the profile's road rates (its declared ones, even where
    # the search is kept to other modes), so it is never a free bypass of a line
    dray = profile.road
    if dray is not None:
        part["line_usd"] = dray.cost_per_km_usd * t_len
        g_ttw, g_wtw = dray.flat_co2_g_per_unit_km
        part["co2_kg"] = g_wtw * units * t_len / 1000.0
        part["co2_ttw_kg"] = g_ttw * units * t_len / 1000.0
    if access.any():
        part["line_usd"] = np.where(access, fare * units, part["line_usd"])
        part["co2_kg"] = np.where(access, 0.0, part["co2_kg"])
        part["co2_ttw_kg"] = np.where(access, 0.0, part["co2_ttw_kg"])
        part["stop_h"] = np.where(access, 0.0, part["stop_h"])
        part["stop_usd"] = np.where(access, 0.0, part["stop_usd"])
        part["stop_kind"] = np.where(access, StopKind.NONE, part["stop_kind"])
    # a transfer between rail ports of two known, different gauges is a transshipment
    tg, hg = tr["tg"].to_numpy(), tr["hg"].to_numpy()
    regauge = (
        (tr["tk"].to_numpy() == RAIL_PORT)
        & (tr["hk"].to_numpy() == RAIL_PORT)
        & (tg > 0)
        & (hg > 0)
        & (tg != hg)
    )
    regauge_with = profile.gauge_break
    if regauge.any() and regauge_with is not None:
        part["stop_h"] = np.where(regauge, regauge_with.time_h, part["stop_h"])
        part["stop_usd"] = np.where(regauge, regauge_with.cost_usd, part["stop_usd"])
        part["stop_kind"] = np.where(regauge, StopKind.GAUGE_CHANGE, part["stop_kind"])
    return part


def gauge_change_arcs(ports: pd.DataFrame, profile: Profile) -> Arcs | None:
    """Arcs between every two rail ports of one node, or None if no node has two.

    Between two known gauges an arc carries the profile's ``gauge_break`` handling; a
    port of unknown gauge (rail links without ``gauge_mm``) is joined by free arcs.
    """
    rail = ports[ports["kind"] == RAIL_PORT]
    pairs = rail.merge(rail, on="node", suffixes=("_p", "_q"))
    pairs = pairs[pairs["vertex_p"] != pairs["vertex_q"]]
    if not len(pairs):
        return None
    known = (pairs["gauge_p"] > 0).to_numpy() & (pairs["gauge_q"] > 0).to_numpy()
    gb = profile.gauge_break
    gb_h = gb.time_h if gb else 0.0
    gb_usd = gb.cost_usd if gb else 0.0
    part = stop_part(
        pairs["vertex_p"].to_numpy(),
        pairs["vertex_q"].to_numpy(),
        len(pairs),
        StopKind.GAUGE_CHANGE,
        gb_h,
        gb_usd,
    )
    part["stop_h"] = np.where(known, part["stop_h"], 0.0)
    part["stop_usd"] = np.where(known, part["stop_usd"], 0.0)
    part["stop_kind"] = np.where(known, part["stop_kind"], StopKind.NONE)
    return part


def terminal_arcs(ports: pd.DataFrame, n: int, profile: Profile) -> list[Arcs]:
    """Arcs from each node's source hub to its ports, and from its ports to its sink hub.

    Parameters
    ----------
    ports
        The ports table (see the module docstring); its vertices come first.
    n
        Number of nodes: source hubs are vertices ``len(ports) + node``, sink hubs
        ``len(ports) + n + node``.
    profile
        Gives the origin and destination handling per port mode.

    Returns
    -------
    list of Arcs
        The origin arcs, then the destination arcs.
    """
    n_ports = len(ports)
    p_node = ports["node"].to_numpy(dtype=np.int64)
    p_kind = ports["kind"].to_numpy()
    p_vertex = ports["vertex"].to_numpy(dtype=np.int64)
    parts: list[Arcs] = []
    for which, kind_code in (("origin", StopKind.ORIGIN), ("destination", StopKind.DESTINATION)):
        table = getattr(profile.terminal, which)
        h_time = np.zeros(n_ports)
        h_cost = np.zeros(n_ports)
        for code, name in PORT_MODE.items():
            handling = table.get(name)
            if handling is not None:
                h_time[p_kind == code] = handling.time_h
                h_cost[p_kind == code] = handling.cost_usd
        hub = n_ports + p_node if which == "origin" else n_ports + n + p_node
        t_v, h_v = (hub, p_vertex) if which == "origin" else (p_vertex, hub)
        part = stop_part(t_v, h_v, n_ports, kind_code, 0.0, 0.0)
        part["stop_h"], part["stop_usd"] = h_time, h_cost
        parts.append(part)
    return parts
