"""A path's arcs -> a Route: legs, stops, timeline, totals and geometry.

On a profile's cost graph (:func:`profile_route`) border crossings, gauge breaks,
transfers and terminal handling become stops, and the path is walked on a timeline
(:mod:`corridor.kernels.timeline`) that adds drivers' breaks and rests and, given a
departure, waits for crossings' opening hours. On a compiled graph (:func:`plain_route`)
links cost their free-flow time.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from corridor._typing import FloatArray, IntArray
from corridor.costs.graph import CostGraph, StopKind
from corridor.graph.compile import Graph, link_time_h
from corridor.model.validate import parse_depart
from corridor.paths.labels import Labels
from corridor.paths.types import DepartLike, Leg, Route, Stop, Timeline

__all__ = ["Walk", "plain_route", "profile_route", "walk", "walked_cost"]

_STOP_NAMES = {
    StopKind.BORDER_CROSSING: "border_crossing",
    StopKind.GAUGE_CHANGE: "gauge_change",
    StopKind.TRANSFER: "transfer",
    StopKind.ORIGIN: "terminal",
    StopKind.DESTINATION: "terminal",
    StopKind.BOARDING: "boarding",
}


def _triangle(mode_h: float, low: float, high: float) -> tuple[float, float, float]:
    lo = mode_h if math.isnan(low) else min(low, mode_h)
    hi = mode_h if math.isnan(high) else max(high, mode_h)
    return lo, mode_h, hi


@dataclass(frozen=True, eq=False)
class Walk:
    """A path on a cost graph walked on the timeline: its events and when each ends.

    Attributes
    ----------
    ev_arc
        Position in the path of each event's arc.
    ev_stop
        True where the event is a stop (else driving or moving along the arc).
    timeline
        The events as the timeline kernel sees them.
    end_h
        Hours from departure at which each event ends.
    ev_rest_h
        Daily and weekly rest taken within each event, h.
    breaks_h
        Drivers' breaks taken, h.
    overnight_h
        Drivers' daily and weekly rests taken, h.
    opening_wait_h
        Waits for stops to open, h (with a departure time only).
    excludes_overnight
        Whether the headline time leaves the overnight stops out (travellers' profiles).
    """

    ev_arc: list[int]
    ev_stop: list[bool]
    timeline: Timeline
    end_h: FloatArray
    ev_rest_h: FloatArray
    breaks_h: float
    overnight_h: float
    opening_wait_h: float
    excludes_overnight: bool

    @property
    def elapsed_h(self) -> float:
        """Door-to-door time, h: every drive, move, stop, break and rest."""
        return float(self.end_h[-1]) if self.end_h.size else 0.0

    @property
    def driving_h(self) -> float:
        """Road driving, h."""
        return float(self.timeline.dur_h[self.timeline.kind == 0].sum())

    @property
    def moving_h(self) -> float:
        """Movement other than road driving (rail, ferry, terminal links), h."""
        return float(self.timeline.dur_h[self.timeline.kind == 1].sum())

    @property
    def waiting_h(self) -> float:
        """Stops (crossings, gauge changes, transfers, terminals) and opening waits, h."""
        rest = self.elapsed_h - self.driving_h - self.moving_h - self.breaks_h
        return _clean(rest - self.overnight_h)

    @property
    def time_h(self) -> float:
        """The headline time, h: :attr:`elapsed_h`, less :attr:`overnight_h` where
        :attr:`excludes_overnight`."""
        if self.excludes_overnight:
            return self.elapsed_h - self.overnight_h
        return self.elapsed_h


def walk(cg: CostGraph, slots: IntArray, when: pd.Timestamp | None) -> Walk:
    """Walk a path (arc slots of `cg`) on the timeline from a departure (or none)."""
    from corridor.kernels.timeline import DRIVE, MOVE, WAIT, simulate

    prof = cg.profile
    length = cg.length_km[slots]
    move = cg.move_h[slots]
    kind = cg.stop_kind[slots]
    stop_h = cg.stop_h[slots]
    stop_usd = cg.stop_usd[slots]
    # events: (arc position, is_stop)
    ev_arc: list[int] = []
    ev_stop: list[bool] = []
    ev_kind: list[int] = []
    ev_dur: list[float] = []
    ev_col: list[int] = []
    ev_open: list[tuple[float, float]] = []
    triangle: list[tuple[float, float, float]] = []
    for i, e in enumerate(slots.tolist()):
        if length[i] > 0.0 or move[i] > 0.0:
            ev_arc.append(i)
            ev_stop.append(False)
            ev_kind.append(DRIVE if cg.driving[e] else MOVE)
            ev_dur.append(float(move[i]))
            ev_col.append(-1)
            ev_open.append((math.nan, math.nan))
        k = int(kind[i])
        crossing = k == StopKind.BORDER_CROSSING
        if k != StopKind.NONE and (crossing or stop_h[i] > 0.0 or stop_usd[i] > 0.0):
            ev_arc.append(i)
            ev_stop.append(True)
            ev_kind.append(WAIT)
            ev_dur.append(float(stop_h[i]))
            if crossing:
                ev_col.append(len(triangle))
                triangle.append(_triangle(float(stop_h[i]), cg.delay_p10_h[e], cg.delay_p90_h[e]))
            else:
                ev_col.append(-1)
            if when is None:
                ev_open.append((math.nan, math.nan))
            else:
                ev_open.append((float(cg.open_from_h[e]), float(cg.open_to_h[e])))
    rules = np.zeros(8)
    if prof.drivers is not None:
        rules[:] = prof.drivers.as_array()
    t0 = 0.0 if when is None else when.hour + when.minute / 60.0 + when.second / 3600.0
    tri = np.array(triangle, dtype=np.float64).reshape(-1, 3)
    opens = np.array(ev_open, dtype=np.float64).reshape(-1, 2)
    timeline = Timeline(
        kind=np.array(ev_kind, dtype=np.int8),
        dur_h=np.array(ev_dur, dtype=np.float64),
        open_from_h=np.ascontiguousarray(opens[:, 0]),
        open_to_h=np.ascontiguousarray(opens[:, 1]),
        crossing=np.array(ev_col, dtype=np.int64),
        triangle=tri,
        rules=rules,
        use_rules=prof.drivers is not None,
        t0_h=t0,
        depart=when,
    )
    samples = tri[:, 1].reshape(1, -1) if tri.size else np.zeros((1, 1))
    ends = np.zeros((1, len(ev_arc)))
    nights = np.zeros((1, len(ev_arc)))
    brk, rest, opening = simulate(
        timeline.kind,
        timeline.dur_h,
        timeline.crossing,
        timeline.open_from_h,
        timeline.open_to_h,
        np.ascontiguousarray(samples),
        t0,
        rules,
        timeline.use_rules,
        ends,
        nights,
    )
    return Walk(
        ev_arc,
        ev_stop,
        timeline,
        np.asarray(ends[0], np.float64),
        np.asarray(nights[0], np.float64),
        float(brk[0]),
        float(rest[0]),
        float(opening[0]),
        prof.kind == "passenger",
    )


def walked_cost(cg: CostGraph, slots: IntArray, *, goal: str, depart: DepartLike | None) -> float:
    """Headline time (goal "time") or generalised cost (else) of a path as walked on the
    timeline: what :func:`profile_route` would report, without assembling it."""
    hours = walk(cg, slots, parse_depart(depart)).time_h
    if goal == "time":
        return hours
    money = float(cg.line_usd[slots].sum() + cg.stop_usd[slots].sum())
    return money + cg.profile.vot_usd_per_h * hours


def profile_route(
    labels: Labels,
    cg: CostGraph,
    slots: IntArray,
    *,
    optimize: str,
    cost: float,
    depart: DepartLike | None,
) -> Route:
    """Legs, stops, timeline and totals of a path on a cost graph (one pass over its arcs)."""
    prof = cg.profile
    when = parse_depart(depart)
    names = labels.names
    node_of = cg.node_ids[cg.vertex_node]
    tail_node = node_of[cg.tails[slots]]
    head_node = node_of[cg.heads[slots]]
    length = cg.length_km[slots]
    move = cg.move_h[slots]
    stop_h = cg.stop_h[slots]
    stop_usd = cg.stop_usd[slots]
    lrow = cg.link_row[slots]
    arc_mode = [str(m) for m in cg.mode[slots].tolist()]
    walked = walk(cg, slots, when)
    is_link = lrow >= 0
    blocks = _arc_xy(
        labels, lrow[is_link], cg.forward[slots][is_link], tail_node[is_link], head_node[is_link]
    )
    block_of = (np.cumsum(is_link) - 1).tolist()
    ev_arc, ev_stop, timeline, end = walked.ev_arc, walked.ev_stop, walked.timeline, walked.end_h
    start = None if when is None else when.to_pydatetime()

    def at(hours: float) -> str | None:
        if start is None:
            return None
        return (start + dt.timedelta(seconds=round(hours * 3600.0))).isoformat()

    legs: list[Leg] = []
    stops: list[Stop] = []
    km = 0.0
    seq = 0
    n_ev = len(ev_arc)
    j = 0
    while j < n_ev:
        i = ev_arc[j]
        start_h = float(end[j - 1]) if j > 0 else 0.0
        if ev_stop[j]:
            stops.append(
                _stop(labels, cg, slots, i, tail_node, head_node)(
                    at_km=km,
                    wait_h=_clean(float(end[j]) - start_h - float(stop_h[i])),
                    arrive=at(start_h),
                    seq=seq,
                )
            )
            seq += 1
            j += 1
            continue
        row = int(lrow[i])
        group = _leg_key(labels, row, arc_mode[i])
        first = j
        while (
            j + 1 < n_ev
            and not ev_stop[j + 1]
            and _leg_key(labels, int(lrow[ev_arc[j + 1]]), arc_mode[ev_arc[j + 1]]) == group
        ):
            j += 1
        arcs = np.array([ev_arc[x] for x in range(first, j + 1)], dtype=np.int64)
        leg_km = float(length[arcs].sum())
        leg_h = float(end[j]) - start_h
        leg_night = _clean(float(walked.ev_rest_h[first : j + 1].sum()))
        leg_rest = _clean(leg_h - float(move[arcs].sum()))
        leg_shape = _line(
            [blocks[block_of[p]] for p in arcs.tolist() if lrow[p] >= 0],
            labels.coords[int(tail_node[arcs[0]])],
        )
        legs.append(
            Leg(
                link_ids=tuple(int(labels.link_ids[r]) for r in lrow[arcs].tolist() if r >= 0),
                from_node=int(tail_node[arcs[0]]),
                to_node=int(head_node[arcs[-1]]),
                from_name=names[int(tail_node[arcs[0]])],
                to_name=names[int(head_node[arcs[-1]])],
                mode=group[0],
                ref=group[1],
                name=group[2],
                length_km=leg_km,
                time_h=leg_h - leg_night if walked.excludes_overnight else leg_h,
                cost_usd=float(cg.line_usd[slots[arcs]].sum()),
                co2_kg=float(cg.co2_kg[slots[arcs]].sum()),
                rest_h=leg_rest,
                breaks_h=_clean(leg_rest - leg_night),
                overnight_h=leg_night,
                start_km=km,
                seq=seq,
                geometry=leg_shape,
            )
        )
        km += leg_km
        seq += 1
        j += 1
    path_nodes = np.concatenate([[tail_node[0]], head_node]) if slots.size else tail_node
    keep = np.ones(path_nodes.size, bool)
    keep[1:] = path_nodes[1:] != path_nodes[:-1]
    node_ids = tuple(int(x) for x in path_nodes[keep])
    geometry = _line(blocks, labels.coords[node_ids[0]])
    elapsed = walked.elapsed_h
    return Route(
        origin=node_ids[0],
        destination=node_ids[-1],
        origin_name=names[node_ids[0]],
        destination_name=names[node_ids[-1]],
        node_ids=node_ids,
        legs=tuple(legs),
        optimize=optimize,
        cost=cost,
        geometry=geometry,
        stops=tuple(stops),
        profile=prof.id,
        elapsed_h=elapsed,
        cost_usd=float(cg.line_usd[slots].sum() + stop_usd.sum()),
        co2_kg=float(cg.co2_kg[slots].sum()),
        co2_ttw_kg=float(cg.co2_ttw_kg[slots].sum()),
        rest_h=walked.breaks_h + walked.overnight_h,
        driving_h=walked.driving_h,
        moving_h=walked.moving_h,
        breaks_h=walked.breaks_h,
        overnight_h=walked.overnight_h,
        waiting_h=walked.waiting_h,
        excludes_overnight=walked.excludes_overnight,
        vot_usd_per_h=prof.vot_usd_per_h,
        cargo_t=prof.cargo_t,
        depart=None if when is None else when.isoformat(),
        arrive=at(elapsed),
        timeline=timeline,
    )


def _clean(hours: float) -> float:
    """Zero for float noise and negatives."""
    return hours if hours > 1e-9 else 0.0


def _leg_key(labels: Labels, row: int, mode: str) -> tuple[str, str, str]:
    if row < 0:
        return (str(mode), "", "")
    return (str(mode), labels.refs[row], labels.link_names[row])


class _StopFactory:
    """Builds a Stop once the timeline-dependent fields are known."""

    def __init__(self, **fields: Any) -> None:
        self.fields = fields

    def __call__(self, **more: Any) -> Stop:
        return Stop(**self.fields, **more)


def _stop(
    labels: Labels,
    cg: CostGraph,
    slots: IntArray,
    i: int,
    tail_node: IntArray,
    head_node: IntArray,
) -> _StopFactory:
    e = int(slots[i])
    k = StopKind(int(cg.stop_kind[e]))
    node = int(tail_node[i]) if k == StopKind.ORIGIN else int(head_node[i])
    detail = ""
    formalities = ""
    if k == StopKind.BORDER_CROSSING:
        f_row = int(cg.formality_row[e])
        formalities = labels.formality_notes[f_row] if f_row >= 0 else ""
        row = int(cg.crossing_row[e])
        if row >= 0:
            direction = labels.crossing_direction[row]
            pair = labels.countries[node]
            if direction == "b_to_a":
                pair = pair[::-1]
            detail = f"{cg.mode[e]} {direction} {pair[0]}->{pair[1]}"
        else:
            detail = f"{cg.mode[e]}: no figure in the network, profile fallback"
    elif k == StopKind.GAUGE_CHANGE:
        g_from = cg.vertex_gauge_mm[cg.tails[e]]
        g_to = cg.vertex_gauge_mm[cg.heads[e]]
        detail = f"{g_from:.0f} -> {g_to:.0f} mm"
    elif k == StopKind.BOARDING:
        detail = labels.boarding_notes.get(int(cg.link_row[e]), "")
    elif k == StopKind.TRANSFER:
        ports = {0: "road", 1: "rail", 2: "terminal"}
        detail = (
            f"{ports.get(int(cg.vertex_port[cg.tails[e]]), '?')} -> "
            f"{ports.get(int(cg.vertex_port[cg.heads[e]]), '?')}"
        )
    else:
        side = "origin" if k == StopKind.ORIGIN else "destination"
        vertex = cg.heads[e] if k == StopKind.ORIGIN else cg.tails[e]
        port = {0: "road", 1: "rail", 2: "terminal"}.get(int(cg.vertex_port[vertex]), "?")
        detail = f"{side} ({port})"
    return _StopFactory(
        kind=_STOP_NAMES[k],
        node_id=node,
        name=labels.names[node],
        time_h=float(cg.stop_h[e]),
        cost_usd=float(cg.stop_usd[e]),
        detail=detail,
        formalities=formalities,
        delay_p10_h=float(cg.delay_p10_h[e]),
        delay_p90_h=float(cg.delay_p90_h[e]),
    )


def _arc_xy(
    labels: Labels, rows: IntArray, forward: np.ndarray, tails: IntArray, heads: IntArray
) -> list[FloatArray]:
    """Coordinates of each link arc of a path, in travel direction (straight where the
    link has no geometry)."""
    coords = labels.coords
    shapes = labels.link_xy
    out: list[FloatArray] = []
    for row, fwd, a, b in zip(
        rows.tolist(), forward.tolist(), tails.tolist(), heads.tolist(), strict=True
    ):
        shape = shapes[row]
        if shape is None:
            out.append(np.array([coords[a], coords[b]], dtype=np.float64))
        else:
            out.append(shape if fwd else shape[::-1])
    return out


def _line(blocks: list[FloatArray], origin: tuple[float, float]) -> shapely.LineString:
    """One polyline through consecutive blocks (each block's first point is the previous
    block's last); a point-like line at `origin` for none."""
    if not blocks:
        return shapely.LineString([origin, origin])
    return shapely.LineString(np.concatenate([blocks[0], *(xy[1:] for xy in blocks[1:])]))


def plain_route(
    labels: Labels, graph: Graph, source: int, slots: IntArray, optimize: str, cost: float
) -> Route:
    """A Route from a path on a compiled graph, given as CSR slots from node index `source`."""
    links = labels.network.links
    rows = graph.link_row[slots]
    fwd = graph.forward[slots]
    node_idx = np.concatenate([[source], graph.heads[slots]]).astype(np.int64)
    node_ids = graph.node_ids[node_idx]
    sub = links.iloc[rows]
    times = link_time_h(sub)
    lengths = sub["length_km"].to_numpy()
    group_cols = list(zip(sub["mode"], sub["ref"], sub["name"], strict=True))
    blocks = _arc_xy(labels, rows, fwd, node_ids[:-1], node_ids[1:])
    legs: list[Leg] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or group_cols[i] != group_cols[start]:
            mode, ref, name = group_cols[start]
            a, b = int(node_ids[start]), int(node_ids[i])
            legs.append(
                Leg(
                    link_ids=tuple(int(x) for x in sub["link_id"].to_numpy()[start:i]),
                    from_node=a,
                    to_node=b,
                    from_name=labels.name(a),
                    to_name=labels.name(b),
                    mode=str(mode),
                    ref=str(ref),
                    name=str(name),
                    length_km=float(lengths[start:i].sum()),
                    time_h=float(times[start:i].sum()),
                    geometry=_line(blocks[start:i], labels.coords[a]),
                )
            )
            start = i
    geometry = _line(blocks, labels.coords[int(node_ids[0])])
    return Route(
        origin=int(node_ids[0]),
        destination=int(node_ids[-1]),
        origin_name=labels.name(int(node_ids[0])),
        destination_name=labels.name(int(node_ids[-1])),
        node_ids=tuple(int(x) for x in node_ids),
        legs=tuple(legs),
        optimize=optimize,
        cost=cost,
        geometry=geometry,
    )
