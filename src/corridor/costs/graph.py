"""Network + profile -> the expanded "cost graph": a CSR graph whose arcs carry every cost term.

Turn costs become arcs of an expanded graph, so that plain shortest-path and label-setting
kernels see them:

* **Ports.** Each node is split into one *port* per way of arriving: one road port
  (ferries land on it: ro-ro) and one rail port per track gauge touching the node. A link
  runs from its tail's port to its head's port of the same kind.
* **Gauge breaks.** Where rail links of different gauges meet, the rail ports are joined
  by transshipment arcs carrying the profile's ``gauge_break`` time and cost. Rail links
  without a gauge fit any gauge (joined by free arcs).
* **Border crossings.** An arc entering a ``border_crossing`` node carries that crossing's
  delay and fee for the arc's mode and the direction implied by its tail's country
  (country_a -> a_to_b, country_b -> b_to_a; otherwise the larger delay of the two).
* **Transfers.** A ``transfer`` link joins every port at its tail to every port at its
  head and carries the profile's ``transfer`` handling (road <-> rail at a terminal),
  plus, where it has a length (terminal access), road haulage at the profile's road rates;
  between rail ports of two different known gauges it is a transshipment and carries the
  ``gauge_break`` handling instead. Transfer links joining nodes in two countries are
  left out (logged): they would let a route bypass the border crossing between them.
* **Air.** Flight links (mode ``air``, class ``flight``) take the link's block time,
  ``fare_usd`` per traveller and ICAO-method CO2 per passenger (``co2_pax_kg``,
  ``co2_wtw_pax_kg``) instead of per-km rates; a ``boarding`` link stops for its
  ``processing_h`` plus the profile's schedule wait for its ``flights_week``
  (:class:`~corridor.costs.profiles.Boarding`), a stop of kind ``BOARDING``. An
  international flight enters the arrival airport's passport control, a border crossing
  like any other. Airport access links (transfer, class ``airport``) are used only by
  profiles that fly.
* **Terminals.** Each node has a source hub (arcs out to its ports, carrying origin
  handling for the port's mode) and a sink hub (arcs in from its ports, carrying
  destination handling). A route runs from the origin's source hub to the destination's
  sink hub; hubs have arcs only one way, so no path passes through one.

Every arc carries separate line-haul and stop parts (``length_km``, ``move_h``,
``line_usd``, ``co2_kg`` and ``stop_h``, ``stop_usd``), so a route's totals are sums over
its arcs. All arrays are built vectorised from the links table: the line-haul arcs here
(their speeds, rates and CO2 per link in :mod:`corridor.costs.linehaul`),
the crossing figures in :mod:`corridor.costs.crossings` and the transfer, gauge-change and
terminal arcs in :mod:`corridor.costs.stops`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._typing import BoolArray, FloatArray, Int32Array, IntArray
from corridor.costs.crossings import barred_links, crossing_stops
from corridor.costs.formalities import formality_arcs
from corridor.costs.linehaul import line_rates, link_speeds
from corridor.costs.profiles import ModeParams, Profile
from corridor.costs.stops import (
    RAIL_PORT,
    ROAD_PORT,
    TRANSFER_PORT,
    Arcs,
    StopKind,
    gauge_change_arcs,
    terminal_arcs,
    transfer_arcs,
)
from corridor.errors import ValidationError
from corridor.graph.index import build_csr
from corridor.model.network import Network
from corridor.model.schema import Mode, NodeKind

__all__ = ["CostGraph", "StopKind", "compile_cost_graph"]

log = logging.getLogger(__name__)

Int8Array = NDArray[np.int8]
StrArray = NDArray[np.str_]


OBJECTIVES = ("time", "cost", "co2", "generalized", "distance")


@dataclass(frozen=True, eq=False, repr=False)
class CostGraph:
    """The expanded CSR graph of one network for one profile.

    Attributes
    ----------
    node_ids
        External id of each original node index (sorted), int64[n].
    vertex_node
        Original node index of each expanded vertex, int64[V].
    vertex_port
        Port kind of each vertex (0 road, 1 rail, 2 transfer-only, -1 source hub,
        -2 sink hub), int8[V].
    vertex_gauge_mm
        Gauge of rail ports (0 unknown or not rail), float64[V].
    indptr, heads, tails
        CSR arrays over the V vertices and m arcs.
    length_km, move_h, line_usd, co2_kg, co2_ttw_kg
        Line-haul part of each arc (zero on stop-only arcs); CO2 well-to-wheel and
        tank-to-wheel.
    stop_h, stop_usd, stop_kind
        Stop part of each arc (crossing delay and fee, gauge break, transfer, terminal).
    delay_p10_h, delay_p90_h
        10th and 90th percentiles of crossing delays (NaN where unknown), for
        reliability; the median is ``stop_h``.
    open_from_h, open_to_h
        Crossing opening hours (hour of day; NaN where open 24 h or unknown).
    link_row
        Row in ``network.links`` of link and transfer arcs, -1 otherwise, int64[m].
    forward
        Whether a link arc runs a_node -> b_node.
    driving
        Whether the arc's move is road driving subject to the drivers' rules.
    mode
        Mode of each arc's move ("" for stop-only arcs).
    crossing_row
        Row in ``network.crossings`` used for the arc's stop, -1 if none.
    formality_row
        Row in ``network.formalities`` whose time and fee the arc's stop includes, -1 if
        none.
    enters_country
        Country entered on an arc into a border crossing ("" otherwise).
    transit_ok
        Whether the profile may take the arc to enter a third country (neither the trip's
        origin nor its destination).
    barred_origins
        ';'-separated trip-origin countries barred on the arc ("" for none).
    profile
        The profile compiled for.
    """

    node_ids: IntArray
    vertex_node: IntArray
    vertex_port: Int8Array
    vertex_gauge_mm: FloatArray
    indptr: IntArray
    heads: Int32Array
    tails: Int32Array
    length_km: FloatArray
    move_h: FloatArray
    line_usd: FloatArray
    co2_kg: FloatArray
    co2_ttw_kg: FloatArray
    stop_h: FloatArray
    stop_usd: FloatArray
    stop_kind: Int8Array
    delay_p10_h: FloatArray
    delay_p90_h: FloatArray
    open_from_h: FloatArray
    open_to_h: FloatArray
    link_row: IntArray
    forward: BoolArray
    driving: BoolArray
    mode: StrArray
    crossing_row: IntArray
    formality_row: IntArray
    enters_country: np.ndarray
    transit_ok: BoolArray
    barred_origins: np.ndarray
    profile: Profile

    def __repr__(self) -> str:
        return (
            f"<CostGraph {self.profile.id}: {self.n_vertices} vertices "
            f"({self.node_ids.size} nodes), {self.n_arcs} arcs>"
        )

    @property
    def n_vertices(self) -> int:
        """Number of expanded vertices."""
        return int(self.vertex_node.size)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.heads.size)

    @property
    def time_h(self) -> FloatArray:
        """Move plus stop time of each arc, h (drivers' rests excluded)."""
        return np.asarray(self.move_h + self.stop_h, dtype=np.float64)

    @property
    def rest_per_driving_h(self) -> float:
        """Long-run drivers' breaks and rest per hour of driving (0 without rules).

        A day of ``L`` h driving with a break ``b`` after every ``B`` h and a daily rest
        ``R`` takes ``L + b (ceil(L/B) - 1) + R`` h, so each driving hour brings
        ``(R + b (ceil(L/B) - 1)) / L`` h of rest (1.31 h for the EU/AETR rules); with a
        weekly rest ``W`` within ``w`` h, R is replaced by ``((n - 1) R + W) / n`` where
        ``n = floor(w / day length)`` driving days fit in a week. For travellers, whose
        headline time leaves the overnight stops out, only the breaks count.
        """
        dr = self.profile.drivers
        if dr is None:
            return 0.0
        limit = dr.max_driving_h_per_day
        breaks = max(math.ceil(limit / dr.break_after_h - 1e-9) - 1, 0)
        if self.profile.kind == "passenger":
            return float(dr.break_h * breaks / limit)
        rest = dr.daily_rest_h
        day_h = limit + dr.break_h * breaks + dr.daily_rest_h
        if dr.weekly_rest_within_h > 0:
            n = max(math.floor(dr.weekly_rest_within_h / day_h), 1)
            rest = ((n - 1) * dr.daily_rest_h + max(dr.weekly_rest_h, dr.daily_rest_h)) / n
        return float((rest + dr.break_h * breaks) / limit)

    @property
    def search_time_h(self) -> FloatArray:
        """Time each arc is searched with, h: driving time grossed up by
        :attr:`rest_per_driving_h` (so that long road hauls are not preferred for
        ignoring rests), plus move time of other modes and stop time. Reported times come
        from the exact timeline instead."""
        factor = 1.0 + self.driving * self.rest_per_driving_h
        return np.asarray(self.move_h * factor + self.stop_h, dtype=np.float64)

    @property
    def cost_usd(self) -> FloatArray:
        """Line-haul plus stop money of each arc, US$."""
        return np.asarray(self.line_usd + self.stop_usd, dtype=np.float64)

    def weight(self, objective: str) -> FloatArray:
        """Arc weights for an objective: time, cost, co2, generalized or distance.

        Time is :attr:`search_time_h`; generalised cost is money + value of time x that
        time (US$).
        """
        if objective == "time":
            return self.search_time_h
        if objective == "cost":
            return self.cost_usd
        if objective == "co2":
            return self.co2_kg
        if objective == "generalized":
            return np.asarray(
                self.cost_usd + self.profile.vot_usd_per_h * self.search_time_h,
                dtype=np.float64,
            )
        if objective == "distance":
            return self.length_km
        raise ValidationError(f"unknown objective {objective!r}; use one of {list(OBJECTIVES)}")

    def source_vertex(self, node_index: int) -> int:
        """The source hub of an original node index."""
        return int(self.vertex_node.size - 2 * self.node_ids.size + node_index)

    def sink_vertex(self, node_index: int) -> int:
        """The sink hub of an original node index."""
        return int(self.vertex_node.size - self.node_ids.size + node_index)


def _mode_table(profile: Profile) -> dict[str, ModeParams]:
    out: dict[str, ModeParams] = {}
    for mode in ("road", "rail", "ferry", "air"):
        params = profile.params(mode)
        if params is not None:
            out[mode] = params
    return out


def _usable(network: Network, profile: Profile, params: dict[str, ModeParams]) -> BoolArray:
    links = network.links
    modes = links["mode"].to_numpy()
    ok = np.isin(modes, list(profile.modes)) & network.open_links()
    ok &= ~barred_links(network, profile.kind, profile.id)
    if "air" not in profile.modes:
        ok &= ~((modes == Mode.TRANSFER.value) & (links["class"].to_numpy() == "airport"))
    for mode, p in params.items():
        if p.classes is not None:
            ok &= ~((modes == mode) & ~np.isin(links["class"].to_numpy(), list(p.classes)))
    country = network.nodes.set_index("node_id")["country"]
    abroad = (modes == Mode.TRANSFER.value) & (
        country.reindex(links["a_node"]).to_numpy() != country.reindex(links["b_node"]).to_numpy()
    )
    if (ok & abroad).any():
        log.warning(
            "transfer links %s join two countries; left out so that no route bypasses a "
            "border crossing (join terminals across a border through a crossing node)",
            links.loc[ok & abroad, "link_id"].tolist()[:5],
        )
    return np.asarray(ok & ~abroad, dtype=bool)


def compile_cost_graph(network: Network, profile: Profile) -> CostGraph:
    """Compile the expanded cost graph of `network` for `profile` (anew on each call;
    :class:`corridor.paths.Router` keeps the graphs of a network).

    Parameters
    ----------
    network
        The network; only links that exist on its date are used
        (:meth:`Network.open_links`; take :meth:`Network.as_of` for another date).
    profile
        The vehicle or traveller profile.

    Returns
    -------
    CostGraph
        Arrays of the expanded graph; see the module docstring.

    Examples
    --------
    >>> import corridor
    >>> from corridor.costs import load_profile
    >>> g = compile_cost_graph(corridor.examples.toy(), load_profile("truck40"))
    >>> g.n_arcs > 0
    True
    """
    params = _mode_table(profile)
    links = network.links
    node_ids = np.sort(network.nodes["node_id"].to_numpy(dtype=np.int64))
    n = node_ids.size
    rows = np.flatnonzero(_usable(network, profile, params))
    sub = links.iloc[rows]
    a = np.searchsorted(node_ids, sub["a_node"].to_numpy())
    b = np.searchsorted(node_ids, sub["b_node"].to_numpy())
    two = ~sub["oneway"].to_numpy()
    tail = np.concatenate([a, b[two]]).astype(np.int64)
    head = np.concatenate([b, a[two]]).astype(np.int64)
    arc_row = np.concatenate([rows, rows[two]]).astype(np.int64)
    fwd = np.concatenate([np.ones(rows.size, bool), np.zeros(int(two.sum()), bool)])
    mode = links["mode"].to_numpy()[arc_row].astype(str)
    gauge = np.nan_to_num(links["gauge_mm"].to_numpy(dtype=np.float64)[arc_row], nan=0.0)
    is_transfer = mode == Mode.TRANSFER.value
    pkind = np.where(mode == "rail", RAIL_PORT, ROAD_PORT)
    pgauge = np.where(mode == "rail", gauge, 0.0)

    # ports: one per (node, kind, gauge) touched by a non-transfer link
    ends = pd.DataFrame(
        {
            "node": np.concatenate([tail[~is_transfer], head[~is_transfer]]),
            "kind": np.concatenate([pkind[~is_transfer], pkind[~is_transfer]]),
            "gauge": np.concatenate([pgauge[~is_transfer], pgauge[~is_transfer]]),
        }
    )
    tnodes = np.unique(np.concatenate([tail[is_transfer], head[is_transfer]]))
    bare = np.setdiff1d(tnodes, ends["node"].to_numpy())
    # a city with an airport access link also gets a transfer port: a trip that starts
    # there and flies leaves through it, without the origin handling of a road or rail
    # departure (the boarding stop holds the time at the airport)
    access = is_transfer & (links["class"].to_numpy()[arc_row] == "airport")
    bare = np.union1d(bare, np.concatenate([tail[access], head[access]]))
    ends = pd.concat(
        [ends, pd.DataFrame({"node": bare, "kind": TRANSFER_PORT, "gauge": 0.0})],
        ignore_index=True,
    )
    ports = ends.drop_duplicates().sort_values(["node", "kind", "gauge"], kind="stable")
    ports = ports.reset_index(drop=True)
    ports["vertex"] = np.arange(len(ports), dtype=np.int64)
    n_ports = len(ports)

    def port_of(node: IntArray, kind: IntArray, g: FloatArray) -> IntArray:
        q = pd.DataFrame({"node": node, "kind": kind, "gauge": g})
        return q.merge(ports, on=["node", "kind", "gauge"], how="left")["vertex"].to_numpy(
            dtype=np.int64
        )

    parts: list[Arcs] = []

    # 1. line-haul arcs (crossing stops on arcs entering a crossing node)
    lh = ~is_transfer
    t_l, h_l, row_l, mode_l = tail[lh], head[lh], arc_row[lh], mode[lh]
    length = links["length_km"].to_numpy(dtype=np.float64)[row_l]
    speed = link_speeds(links, params)[row_l]
    node_lon = network.nodes.set_index("node_id")["lon"]
    mid_lon = (
        node_lon.reindex(links["a_node"].to_numpy(), fill_value=np.nan).to_numpy(np.float64)
        + node_lon.reindex(links["b_node"].to_numpy(), fill_value=np.nan).to_numpy(np.float64)
    ) / 2.0
    per_km, g_ttw, g_wtw = line_rates(links, row_l, mode_l, params, mid_lon[row_l])
    toll = _tolls(links, profile.toll_column)[row_l] * profile.toll_factor
    units = profile.load.amount
    delay, fee, p10, p90, ofrom, oto, crow = crossing_stops(
        network, node_ids, t_l, h_l, mode_l, profile
    )
    nodes_bc = network.nodes.set_index("node_id").loc[node_ids, "kind"].to_numpy()
    is_bc_head = nodes_bc[h_l] == NodeKind.BORDER_CROSSING
    form = formality_arcs(network, node_ids, t_l, h_l, mode_l, profile)
    stop_kind = np.where(is_bc_head, StopKind.BORDER_CROSSING, StopKind.NONE)
    move_h = length / speed
    line_usd = per_km * length + toll
    co2_wtw = g_wtw * units * length / 1000.0
    co2_ttw = g_ttw * units * length / 1000.0
    stop_h = delay + form.time_h
    if (mode_l == Mode.AIR.value).any():
        air = _air_terms(links, row_l, mode_l, profile)
        fly = air["flight"]
        move_h = np.where(fly & np.isfinite(air["block_h"]), air["block_h"], move_h)
        line_usd = np.where(fly, line_usd + air["fare_usd"] * units, line_usd)
        co2_wtw = np.where(fly & air["has_co2"], air["co2_wtw"] * units, co2_wtw)
        co2_ttw = np.where(fly & air["has_co2"], air["co2_ttw"] * units, co2_ttw)
        board = air["boarding"]
        stop_h = np.where(board, stop_h + air["boarding_h"], stop_h)
        stop_kind = np.where(board, StopKind.BOARDING, stop_kind)
    lh_arcs: Arcs = {
        "tail": port_of(t_l, pkind[lh], pgauge[lh]),
        "head": port_of(h_l, pkind[lh], pgauge[lh]),
        "length_km": length,
        "move_h": move_h,
        "line_usd": line_usd,
        "co2_kg": co2_wtw,
        "co2_ttw_kg": co2_ttw,
        "stop_h": stop_h,
        "stop_usd": fee + form.fee_usd,
        "stop_kind": stop_kind,
        "delay_p10_h": p10,
        "delay_p90_h": p90,
        "open_from_h": ofrom,
        "open_to_h": oto,
        "link_row": row_l,
        "forward": fwd[lh],
        "driving": (mode_l == "road") & (profile.drivers is not None),
        "mode": mode_l,
        "crossing_row": crow,
        "formality_row": form.row,
        "enters_country": form.enters,
        "transit_ok": form.transit_ok,
        "barred_origins": form.barred,
    }
    if not form.allowed.all():
        log.info(
            "%s: %d crossing arcs closed to it by the formalities",
            profile.id,
            int((~form.allowed).sum()),
        )
    parts.append({key: value[form.allowed] for key, value in lh_arcs.items()})

    # 2. transfer links: every port at the tail to every port at the head
    if is_transfer.any():
        transfers = pd.DataFrame(
            {
                "tnode": tail[is_transfer],
                "hnode": head[is_transfer],
                "row": arc_row[is_transfer],
                "fwd": fwd[is_transfer],
            }
        )
        parts.append(transfer_arcs(links, ports, transfers, profile))

    # 3. gauge changes between rail ports of one node
    gauge_changes = gauge_change_arcs(ports, profile)
    if gauge_changes is not None:
        parts.append(gauge_changes)

    # 4. terminal handling: source hub -> ports, ports -> sink hub
    parts += terminal_arcs(ports, n, profile)
    p_node = ports["node"].to_numpy(dtype=np.int64)
    p_kind = ports["kind"].to_numpy()

    for part in parts[1:]:  # stop-only arcs: no formalities
        k = part["tail"].size
        part.setdefault("formality_row", np.full(k, -1, np.int64))
        part.setdefault("enters_country", np.full(k, "", dtype=object))
        part.setdefault("transit_ok", np.ones(k, bool))
        part.setdefault("barred_origins", np.full(k, "", dtype=object))
    cols = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    n_vertices = n_ports + 2 * n
    csr = build_csr(cols["tail"], cols["head"], n_vertices)
    cols = {key: value[csr.order] for key, value in cols.items()}
    indptr = csr.indptr
    vertex_node = np.concatenate([p_node, np.arange(n), np.arange(n)]).astype(np.int64)
    vertex_port = np.concatenate(
        [p_kind.astype(np.int8), np.full(n, -1, np.int8), np.full(n, -2, np.int8)]
    )
    vertex_gauge = np.concatenate([ports["gauge"].to_numpy(dtype=np.float64), np.zeros(2 * n)])
    f64 = {
        key: np.ascontiguousarray(cols[key], dtype=np.float64)
        for key in (
            "length_km",
            "move_h",
            "line_usd",
            "co2_kg",
            "co2_ttw_kg",
            "stop_h",
            "stop_usd",
            "delay_p10_h",
            "delay_p90_h",
            "open_from_h",
            "open_to_h",
        )
    }
    graph = CostGraph(
        node_ids=node_ids,
        vertex_node=vertex_node,
        vertex_port=vertex_port,
        vertex_gauge_mm=vertex_gauge,
        indptr=indptr,
        heads=cols["head"].astype(np.int32),
        tails=cols["tail"].astype(np.int32),
        stop_kind=cols["stop_kind"].astype(np.int8),
        link_row=cols["link_row"].astype(np.int64),
        forward=cols["forward"].astype(bool),
        driving=cols["driving"].astype(bool),
        mode=cols["mode"].astype(str),
        crossing_row=cols["crossing_row"].astype(np.int64),
        formality_row=cols["formality_row"].astype(np.int64),
        enters_country=cols["enters_country"].astype(object),
        transit_ok=cols["transit_ok"].astype(bool),
        barred_origins=cols["barred_origins"].astype(object),
        profile=profile,
        **f64,
    )
    log.info("compiled %r", graph)
    return graph


def _air_terms(
    links: pd.DataFrame, rows: IntArray, modes: np.ndarray, profile: Profile
) -> dict[str, np.ndarray]:
    """Per line-haul arc: which are flights and boardings, and their block time, fare,
    CO2 per passenger and boarding time (processing + schedule wait)."""

    def col(name: str) -> FloatArray:
        if name not in links.columns:
            return np.full(rows.size, np.nan)
        return np.asarray(links[name].to_numpy(dtype=np.float64)[rows], dtype=np.float64)

    is_air = modes == Mode.AIR.value
    cls = links["class"].to_numpy()[rows]
    block = col("block_h")
    flight = is_air & (cls == "flight")
    boarding = is_air & (cls == "boarding")
    wait = profile.boarding.wait_h(col("flights_week")) if profile.boarding else 0.0
    co2_ttw, co2_wtw = col("co2_pax_kg"), col("co2_wtw_pax_kg")
    return {
        "flight": flight,
        "boarding": boarding,
        "block_h": block,
        "fare_usd": np.nan_to_num(col("fare_usd")),
        "has_co2": np.isfinite(co2_ttw) & np.isfinite(co2_wtw),
        "co2_ttw": np.nan_to_num(co2_ttw),
        "co2_wtw": np.nan_to_num(co2_wtw),
        "boarding_h": np.nan_to_num(col("processing_h")) + wait,
    }


def _tolls(links: pd.DataFrame, column: str) -> FloatArray:
    """Toll per link for a profile's vehicle class, US$: `column`, and ``toll_usd`` where
    the network has no such column or no figure for a link."""
    base = links["toll_usd"].to_numpy(dtype=np.float64)
    if column == "toll_usd" or column not in links.columns:
        return base
    own = links[column].to_numpy(dtype=np.float64)
    return np.asarray(np.where(np.isnan(own), base, own), dtype=np.float64)
