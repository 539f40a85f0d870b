"""Multi-class freight assignment with congested border crossings.

What is assigned, and how (stated in every report that uses it):

* **Demand.** An OD table with the freight model's columns (:data:`OD_COLUMNS`): annual
  tonnes, TEU and vehicles by origin and destination node, commodity and mode. Road, rail,
  ``rail_container`` and ``rail_wagon`` rows are assigned; other modes (sea) are carried
  through unassigned. Vehicles are the table's ``vehicles_year`` (trucks, trains) or, where
  it has none, tonnes / ``tonnes_per_truck``, TEU / ``teu_per_train`` for containers and
  tonnes / ``tonnes_per_bulk_train`` for bulk (``assign.yaml``).
* **Networks.** Road and rail, each joining the expanded cost graphs
  (:mod:`corridor.costs.graph`) of its profiles: road on ``truck40``; rail on
  ``container40`` (container trains) and ``grain-wagon`` (wagonload), both restricted to rail
  (line-haul by link, gauge-break transshipment, terminal handling at the rail ends,
  crossing clearance delay and fee by mode and direction). The rail profiles share the
  crossings' capacity. Each zone is joined to its node's origin and destination hubs and may
  not be passed through.
* **Classes.** One per (mode, commodity): trucks or trains a day, with the commodity's value
  of time (cargo value per tonne x 0.8 %/day, Hummels & Schaur 2013) times the tonnes per
  vehicle, and money per vehicle (a train pays the profile's per-container rates times its
  containers).
* **Congestion.** Every road and rail crossing row (one mode, one direction) has a capacity
  in vehicles a day (:func:`~corridor.analysis.freight.congestion.crossing_capacities`) and
  Akcelik's queueing delay on top of its clearance time
  (:mod:`~corridor.analysis.freight.congestion`); all arcs entering a crossing row share it.
  Road and rail links themselves are not congested by freight ([assumption]: the binding
  constraints on these corridors are the borders and gauge-change yards).
* **Equilibrium.** Wardrop user equilibrium for every class, by biconjugate Frank-Wolfe
  (:func:`corridor.assignment.assign`) to a relative gap of ``rel_gap``: a crossing that fills
  up diverts traffic to others until no class can lower its generalised cost by switching.

Not modelled: a profile's transit bans by country of origin (the router's
``barred_origins``), opening hours, and road/rail congestion between borders.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.analysis.freight.congestion import (
    CrossingData,
    crossing_capacities,
    load_crossing_data,
    queue_delay_h,
    queue_length_veh,
)
from corridor.analysis.freight.flows import OD_COLUMNS
from corridor.assignment.equilibrium import assign
from corridor.assignment.network import AssignmentNetwork, TrafficClass
from corridor.assignment.options import Algorithm, AssignmentOptions
from corridor.assignment.results import ConvergenceWarning
from corridor.assignment.vdf import VDF_CODES, VolumeDelay
from corridor.costs.graph import CostGraph
from corridor.costs.stops import StopKind
from corridor.errors import UnknownNodeError, ValidationError
from corridor.model.network import Network
from corridor.paths.router import router_for
from corridor.units import HOURS_PER_DAY

__all__ = [
    "OD_COLUMNS",
    "FreightAssignOptions",
    "FreightAssignment",
    "assign_freight",
    "check_od",
    "vehicles_year",
]

log = logging.getLogger(__name__)

HOURS_PER_YEAR = 365.0 * HOURS_PER_DAY
_GROUPS = {"road": ("road",), "rail": ("rail", "rail_container", "rail_wagon")}
"""Network groups and the OD modes they carry (the freight model's modes, and plain rail)."""
ASSIGNED_MODES = tuple(m for modes in _GROUPS.values() for m in modes)
_EPS = 1e-9  # h, added to every arc in the skims so that zero-cost arcs stay edges


@dataclass(frozen=True, slots=True, kw_only=True)
class FreightAssignOptions:
    """Options of :func:`assign_freight`.

    Attributes
    ----------
    road_profile, rail_profile, wagon_profile
        Profiles whose cost graphs carry trucks, container trains (modes ``rail`` and
        ``rail_container``) and wagonload trains (``rail_wagon``); rail profiles are
        restricted to rail links. An OD table's ``profile`` column, where given, wins.
    parameters
        The assignment parameter file (default: the bundled ``assign.yaml``).
    capacity_factor, delay_factor, vot_factor
        Multipliers of every crossing's capacity, of its clearance delay, and of the
        values of time (1 = as published; for sensitivity tests and Monte Carlo draws).
    delay_parameter, period_h
        Akcelik's J and T (h); None takes the parameter file's.
    rel_gap, max_iter
        Equilibrium stopping rule.
    """

    road_profile: str = "truck40"
    rail_profile: str = "container40"
    wagon_profile: str = "grain-wagon"
    parameters: str | None = None
    capacity_factor: float = 1.0
    delay_factor: float = 1.0
    vot_factor: float = 1.0
    delay_parameter: float | None = None
    period_h: float | None = None
    rel_gap: float = 1e-4
    max_iter: int = 300

    def __post_init__(self) -> None:
        bad = [
            name
            for name in ("capacity_factor", "delay_factor", "vot_factor", "rel_gap")
            if not (np.isfinite(getattr(self, name)) and getattr(self, name) > 0)
        ]
        for name in ("delay_parameter", "period_h"):
            value = getattr(self, name)
            if value is not None and not (np.isfinite(value) and value > 0):
                bad.append(name)
        if bad or self.max_iter < 1:
            raise ValidationError(
                f"freight assignment options {bad or ['max_iter']} must be positive; fix them"
            )


@dataclass(frozen=True, eq=False, repr=False)
class FreightAssignment:
    """Equilibrium freight loads: crossings, classes and OD costs.

    Attributes
    ----------
    crossings
        One row per road or rail crossing row (mode and direction) in force: ``crossing``,
        ``countries``, ``mode``, ``direction``, ``gauge_change``, ``gauges`` (mm, side a /
        side b: trains per gauge pair), ``open``, ``vehicles_day``
        (trucks or trains), ``trucks_day``, ``trains_day``, ``teu_year``, ``tonnes_year``,
        ``capacity_veh_day``, ``v_c``, ``clearance_h``, ``queue_h`` (Akcelik delay at the
        load), ``queue_veh`` (mean vehicles waiting) and ``capacity_source``.
    crossing_commodity
        Vehicles a day, tonnes and TEU a year per crossing row and class (long table:
        ``crossing``, ``mode``, ``direction``, ``class_mode`` the OD's mode, ``commodity``).
    classes
        One row per (mode, commodity): ``tonnes_year``, ``vehicles_year``,
        ``tonnes_per_vehicle``, ``vot_usd_h`` (per vehicle), ``vehicle_h_year``,
        ``tonne_h_year``, ``cost_usd_year`` (money: line-haul, tolls, fees, handling),
        ``toll_usd_year``, ``fee_usd_year``, ``queue_vehicle_h_year``, ``co2_wtw_kg_year``,
        ``co2_ttw_kg_year``, ``generalized_usd_year`` and ``unserved_tonnes_year`` (OD rows of
        the class that the mode's network cannot join, e.g. a city without a railway).
    od
        The input rows with ``vehicles_year`` as assigned, ``served`` and, where served,
        ``time_h`` and ``generalized_usd`` per vehicle on the least-cost path at equilibrium.
    validation
        Per crossing and mode with published throughput: model and published tonnes, trains
        or trucks a year, their ratio, year and source (validation, not fitted).
    convergence
        Per mode: ``rel_gap``, ``iterations``, ``converged``.
    options
        What was computed.
    """

    crossings: pd.DataFrame
    crossing_commodity: pd.DataFrame
    classes: pd.DataFrame
    od: pd.DataFrame
    validation: pd.DataFrame
    convergence: pd.DataFrame
    options: FreightAssignOptions = field(default_factory=FreightAssignOptions)

    def __repr__(self) -> str:
        t = float(self.classes["tonnes_year"].sum()) if len(self.classes) else 0.0
        return (
            f"<FreightAssignment {len(self.classes)} classes, {t / 1e6:,.1f} Mt/yr, "
            f"{len(self.crossings)} crossing rows>"
        )

    @property
    def converged(self) -> bool:
        """Whether every mode's equilibrium reached its target gap."""
        return bool(self.convergence["converged"].all()) if len(self.convergence) else True


def check_od(od: pd.DataFrame, *, source: str = "freight OD table") -> pd.DataFrame:
    """Check an OD table against :data:`OD_COLUMNS`; return a clean copy.

    Raises
    ------
    ValidationError
        Naming the missing columns, or the rows with negative or non-finite quantities.
    """
    missing = [c for c in OD_COLUMNS if c not in od.columns]
    if missing:
        raise ValidationError(
            f"{source}: missing column(s) {missing}; the table needs {list(OD_COLUMNS)}"
        )
    out = od.reset_index(drop=True).copy()
    for col in ("tonnes_year", "teu_year", "vehicles_year"):
        values = pd.to_numeric(out[col], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            rows = (np.flatnonzero(bad)[:5] + 1).tolist()
            raise ValidationError(
                f"{source}: {col} is negative or not finite in row(s) {rows}; "
                "quantities must be >= 0"
            )
        out[col] = values
    for col in ("origin_node", "destination_node"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
        if out[col].isna().any():
            rows = (np.flatnonzero(out[col].isna().to_numpy())[:5] + 1).tolist()
            raise ValidationError(f"{source}: {col} is not a node id in row(s) {rows}")
        out[col] = out[col].astype(np.int64)
    out["mode"] = out["mode"].astype(str).str.lower()
    out["commodity"] = out["commodity"].astype(str)
    return out


def vehicles_year(od: pd.DataFrame, data: CrossingData) -> FloatArray:
    """Vehicles a year per OD row as assigned: trucks on road, trains on rail, NaN otherwise.

    The row's ``vehicles_year`` where positive (the freight model counts trucks and trains);
    otherwise trucks are tonnes / ``tonnes_per_truck`` and trains TEU / ``teu_per_train``
    where the row has TEU, else tonnes / ``tonnes_per_bulk_train``.
    """
    mode = od["mode"].to_numpy(dtype=str)
    tonnes = od["tonnes_year"].to_numpy(dtype=float)
    teu = od["teu_year"].to_numpy(dtype=float)
    given = od["vehicles_year"].to_numpy(dtype=float)
    trucks = np.where(given > 0, given, tonnes / data.tonnes_per_truck)
    trains = np.where(teu > 0, teu / data.teu_per_train, tonnes / data.tonnes_per_bulk_train)
    trains = np.where(given > 0, given, trains)
    rail = np.isin(mode, ("rail", "rail_container", "rail_wagon"))
    return np.where(mode == "road", trucks, np.where(rail, trains, np.nan))


def _profiles(od: pd.DataFrame, opts: FreightAssignOptions) -> np.ndarray:
    """The cost profile each OD row is assigned on: the table's ``profile`` if it has one,
    else the options' profile for the row's mode."""
    default = {
        "road": opts.road_profile,
        "rail": opts.rail_profile,
        "rail_container": opts.rail_profile,
        "rail_wagon": opts.wagon_profile,
    }
    mode = od["mode"].astype(str)
    out = mode.map(default).fillna("")
    if "profile" in od.columns:
        given = od["profile"].fillna("").astype(str)
        out = given.where(given != "", out)
    return np.asarray(out.to_numpy(dtype=object))


@dataclass(frozen=True, slots=True)
class _GroupNet:
    """One network group's assignment network (road; or rail, whose profiles share it)."""

    net: AssignmentNetwork
    graphs: tuple[CostGraph, ...]
    profiles: tuple[str, ...]
    zones: IntArray  # node ids of the zones
    src: IntArray  # [graph, zone]: source hub vertex in the combined numbering
    sink: IntArray  # [graph, zone]
    allowed: BoolArray  # [graph, link]: which links the classes of that graph may use
    connector: BoolArray  # links joining zones to hubs (left out of the skims)
    res_arc: IntArray  # the shared crossing links (entry node -> exit node of a crossing row)
    res_row: IntArray  # crossings row of each shared link
    money: FloatArray  # US$ per profile unit on each link (0 on added links)
    toll: FloatArray
    fee: FloatArray
    co2_wtw: FloatArray
    co2_ttw: FloatArray


def _arc_tolls(network: Network, cg: CostGraph) -> FloatArray:
    links = network.links.reset_index(drop=True)
    col = cg.profile.toll_column if cg.profile.toll_column in links.columns else "toll_usd"
    per_link = links[col].fillna(0.0).to_numpy(dtype=float) * cg.profile.toll_factor
    is_link = (cg.link_row >= 0) & (cg.mode == "road")
    out = np.zeros(cg.n_arcs)
    out[is_link] = per_link[cg.link_row[is_link]]
    return out


def _group_network(
    network: Network,
    graphs: list[CostGraph],
    profiles: list[str],
    zones: IntArray,
    caps: pd.DataFrame,
    opts: FreightAssignOptions,
    data: CrossingData,
) -> _GroupNet:
    """Join the cost graphs of a group into one assignment network with shared crossings.

    Every crossing row with a capacity becomes one shared link ``R_in -> R_out`` (clearance
    plus Akcelik queue); each graph's arcs into that crossing are re-pointed to ``R_in``
    (keeping their move), and ``R_out`` leads to each graph's crossing port. Classes keep
    to their own graph's links (``allowed``), so they share only the crossings.
    """
    capped = caps.index[(caps["capacity_veh_day"] > 0).to_numpy()]
    rows = np.unique(
        np.concatenate(
            [
                cg.crossing_row[
                    (cg.stop_kind == StopKind.BORDER_CROSSING) & np.isin(cg.crossing_row, capped)
                ]
                for cg in graphs
            ]
        )
    ).astype(np.int64)
    k = rows.size
    v_total = sum(cg.n_vertices for cg in graphs)
    r_in = v_total + np.arange(k, dtype=np.int64)
    r_out = v_total + k + np.arange(k, dtype=np.int64)
    z_nodes = v_total + 2 * k + np.arange(zones.size, dtype=np.int64)
    a_parts, b_parts, t0_parts, money_parts, toll_parts, fee_parts = [], [], [], [], [], []
    wtw_parts, ttw_parts, owner_parts, conn_parts = [], [], [], []
    clearance = np.zeros(k)
    src = np.zeros((len(graphs), zones.size), np.int64)
    sink = np.zeros((len(graphs), zones.size), np.int64)
    exits: list[tuple[int, int, int]] = []  # (graph, row position, head vertex)
    offset = 0
    for g, cg in enumerate(graphs):
        n_nodes = cg.node_ids.size
        ni = np.searchsorted(cg.node_ids, zones)
        src[g] = offset + cg.n_vertices - 2 * n_nodes + ni
        sink[g] = offset + cg.n_vertices - n_nodes + ni
        tails = cg.tails.astype(np.int64) + offset
        heads = cg.heads.astype(np.int64) + offset
        t0 = cg.search_time_h.copy()
        cx = np.flatnonzero(
            (cg.stop_kind == StopKind.BORDER_CROSSING) & np.isin(cg.crossing_row, rows)
        )
        pos = np.searchsorted(rows, cg.crossing_row[cx])
        np.maximum.at(clearance, pos, cg.stop_h[cx])
        exits += sorted({(g, int(p), int(h)) for p, h in zip(pos, heads[cx], strict=True)})
        t0[cx] = cg.search_time_h[cx] - cg.stop_h[cx]  # the move into the crossing
        heads = heads.copy()
        heads[cx] = r_in[pos]
        a_parts += [tails, z_nodes, sink[g]]
        b_parts += [heads, src[g], z_nodes]
        zeros_z = np.zeros(zones.size)
        t0_parts += [t0, zeros_z, zeros_z]
        money_parts += [cg.cost_usd, zeros_z, zeros_z]
        toll_parts += [_arc_tolls(network, cg), zeros_z, zeros_z]
        fee_parts += [
            np.where(cg.stop_kind == StopKind.BORDER_CROSSING, cg.stop_usd, 0.0),
            zeros_z,
            zeros_z,
        ]
        wtw_parts += [cg.co2_kg, zeros_z, zeros_z]
        ttw_parts += [cg.co2_ttw_kg, zeros_z, zeros_z]
        m_g = cg.n_arcs + 2 * zones.size
        owner_parts.append(np.full(m_g, g, np.int64))
        conn_parts.append(
            np.concatenate([np.zeros(cg.n_arcs, bool), np.ones(2 * zones.size, bool)])
        )
        offset += cg.n_vertices
    ex = np.asarray(exits, dtype=np.int64).reshape(-1, 3)
    n_ex = ex.shape[0]
    zeros_e = np.zeros(n_ex)
    # shared crossing links, then the exits to each graph's ports
    a_all = np.concatenate([*a_parts, r_in, r_out[ex[:, 1]]])
    b_all = np.concatenate([*b_parts, r_out, ex[:, 2]])
    m_base = sum(p.size for p in t0_parts)
    row_caps = caps["capacity_veh_day"].reindex(rows).to_numpy(dtype=float)
    j = opts.delay_parameter or data.delay_parameter
    period = opts.period_h or data.period_h
    n_links = m_base + k + n_ex
    owner = np.concatenate([*owner_parts, np.full(k, -1, np.int64), ex[:, 0]])
    allowed = np.stack([(owner == g) | (owner == -1) for g in range(len(graphs))])
    connector = np.concatenate([*conn_parts, np.zeros(k + n_ex, bool)])
    vdf = np.zeros(n_links, np.int8)
    vdf[m_base : m_base + k] = VDF_CODES[VolumeDelay.AKCELIK]
    capacity = np.ones(n_links)
    capacity[m_base : m_base + k] = row_caps * opts.capacity_factor / HOURS_PER_DAY
    alpha = np.zeros(n_links)
    alpha[m_base : m_base + k] = j
    beta = np.zeros(n_links)
    beta[m_base : m_base + k] = period
    t0_all = np.concatenate([*t0_parts, clearance * opts.delay_factor, zeros_e])
    pad = np.zeros(k + n_ex)
    net = AssignmentNetwork(
        node_ids=np.arange(v_total + 2 * k + zones.size, dtype=np.int64),
        link_ids=np.arange(n_links, dtype=np.int64),
        a_node=a_all,
        b_node=b_all,
        capacity=capacity,
        free_flow_time=t0_all,
        alpha=alpha,
        beta=beta,
        vdf=vdf,
        toll=np.concatenate([*money_parts, pad]),
        zones=z_nodes,
        no_through=z_nodes,
        time_unit="h",
        name=f"{network.name}/{'+'.join(profiles)}",
    )
    return _GroupNet(
        net=net,
        graphs=tuple(graphs),
        profiles=tuple(profiles),
        zones=zones,
        src=src,
        sink=sink,
        allowed=allowed,
        connector=connector,
        res_arc=m_base + np.arange(k, dtype=np.int64),
        res_row=rows,
        money=np.concatenate([*money_parts, pad]),
        toll=np.concatenate([*toll_parts, pad]),
        fee=np.concatenate([*fee_parts, pad]),
        co2_wtw=np.concatenate([*wtw_parts, pad]),
        co2_ttw=np.concatenate([*ttw_parts, pad]),
    )


def _skim(gn: _GroupNet, g: int, weight: FloatArray) -> FloatArray:
    """Least `weight` from each zone's source hub to each zone's sink hub on graph `g`.

    The zone connectors are left out, so that no path passes through a zone, as in the
    assignment's all-or-nothing loads; links graph `g` may not use are left out too.
    """
    net = gn.net
    n = int(net.node_ids.size)
    keep = gn.allowed[g] & ~gn.connector & np.isfinite(weight)
    a, b, w = net.a_node[keep], net.b_node[keep], weight[keep] + _EPS
    order = np.lexsort((w, b, a))
    a, b, w = a[order], b[order], w[order]
    first = np.ones(a.size, bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    graph = csr_matrix((w[first], (a[first], b[first])), shape=(n, n))
    dist = dijkstra(graph, directed=True, indices=gn.src[g])
    return np.asarray(dist[:, gn.sink[g]], dtype=np.float64)


def _class_tables(
    sub: pd.DataFrame, gn: _GroupNet, data: CrossingData, opts: FreightAssignOptions
) -> tuple[list[TrafficClass], pd.DataFrame, FloatArray, IntArray]:
    """Classes (one per mode and commodity) with OD matrices in vehicles per hour."""
    zi = {int(zid): i for i, zid in enumerate(gn.zones.tolist())}
    classes, rows, per_unit, graph_of = [], [], [], []
    for (mode, name), grp in sub.groupby(["mode", "commodity"], sort=True):
        g = gn.profiles.index(str(grp["profile_used"].iloc[0]))
        o = grp["origin_node"].map(zi).to_numpy(dtype=np.int64)
        d = grp["destination_node"].map(zi).to_numpy(dtype=np.int64)
        demand = np.zeros((gn.zones.size, gn.zones.size))
        np.add.at(demand, (o, d), grp["vehicles_assigned"].to_numpy() / HOURS_PER_YEAR)
        tonnes = float(grp["tonnes_year"].sum())
        veh = float(grp["vehicles_assigned"].sum())
        t_per_v = tonnes / veh if veh > 0 else data.tonnes_per_truck
        vot = data.vot_usd_per_t_h(str(name)) * t_per_v * opts.vot_factor
        unit_t = float(gn.graphs[g].profile.load.amount)
        units = 1.0 if mode == "road" else t_per_v / unit_t  # a truck pays per truck
        per_unit.append(units)
        graph_of.append(g)
        classes.append(
            TrafficClass(
                demand=demand,
                name=f"{mode}/{name}",
                zones=gn.net.zones,
                value_of_time=max(vot, 1e-6),
                toll_factor=units,
                allowed=gn.allowed[g],
            )
        )
        rows.append(
            {
                "mode": str(mode),
                "commodity": str(name),
                "tonnes_year": tonnes,
                "teu_year": float(grp["teu_year"].sum()),
                "vehicles_year": veh,
                "tonnes_per_vehicle": t_per_v,
                "vot_usd_h": vot,
            }
        )
    return classes, pd.DataFrame(rows), np.asarray(per_unit), np.asarray(graph_of, np.int64)


def assign_freight(
    network: Network,
    od: pd.DataFrame,
    *,
    options: FreightAssignOptions | None = None,
    data: CrossingData | None = None,
) -> FreightAssignment:
    """Assign road and rail freight to equilibrium with congested border crossings.

    Parameters
    ----------
    network
        The network (e.g. a scenario applied to the embedded one).
    od
        OD table with :data:`OD_COLUMNS` (e.g. ``freight_flows(network).od``).
    options
        Profiles, multipliers and stopping rule; see :class:`FreightAssignOptions`.
    data
        Parameters already read (default: read ``options.parameters``).

    Returns
    -------
    FreightAssignment
        Crossing loads against capacity and published throughput, per-class totals and
        OD costs at equilibrium.

    Raises
    ------
    ValidationError
        If the OD table or the options are invalid.
    UnknownNodeError
        If an OD node is not in the network.

    Notes
    -----
    See the module docstring. OD pairs a mode cannot join on `network` are kept with
    ``served = False`` and left out of the assignment.
    """
    opts = options or FreightAssignOptions()
    data = data or load_crossing_data(opts.parameters)
    table = check_od(od)
    nodes = set(network.nodes["node_id"].tolist())
    ends = np.concatenate([table["origin_node"].to_numpy(), table["destination_node"].to_numpy()])
    unknown = sorted(set(ends.tolist()) - nodes)
    if unknown:
        raise UnknownNodeError(unknown, role="freight OD node")
    table["vehicles_assigned"] = vehicles_year(table, data)
    table["profile_used"] = _profiles(table, opts)
    table["served"] = False
    table["time_h"] = np.nan
    table["generalized_usd"] = np.nan
    caps = crossing_capacities(network, data)
    router = router_for(network)
    class_rows: list[pd.DataFrame] = []
    cx_loads: list[pd.DataFrame] = []
    conv: list[dict[str, object]] = []
    for group, modes in _GROUPS.items():
        sub = table[table["mode"].isin(modes) & (table["vehicles_assigned"] > 0)]
        sub = sub[sub["origin_node"] != sub["destination_node"]]
        if not len(sub):
            continue
        profiles = sorted(set(sub["profile_used"]))
        graphs = [
            router.cost_graph(p, modes="rail" if group == "rail" else "any") for p in profiles
        ]
        zones = np.unique(np.concatenate([sub["origin_node"], sub["destination_node"]]))
        gn = _group_network(
            network,
            graphs,
            profiles,
            zones.astype(np.int64),
            caps[caps["mode"] == group],
            opts,
            data,
        )
        zi = {int(zid): i for i, zid in enumerate(zones.tolist())}
        oi = sub["origin_node"].map(zi).to_numpy(dtype=np.int64)
        di = sub["destination_node"].map(zi).to_numpy(dtype=np.int64)
        gi = sub["profile_used"].map({p: i for i, p in enumerate(profiles)}).to_numpy(np.int64)
        free = gn.net.free_flow_time + gn.net.toll / 1e6
        reach = np.stack([np.isfinite(_skim(gn, g, free)) for g in range(len(graphs))])
        ok = reach[gi, oi, di]
        if (~ok).any():
            log.info("%s: %d OD rows cannot be joined; left out", group, int((~ok).sum()))
        sub = sub[ok]
        if not len(sub):
            continue
        table.loc[sub.index, "served"] = True
        classes, crow, per_unit, graph_of = _class_tables(sub, gn, data, opts)
        aopts = AssignmentOptions(
            algorithm=Algorithm.BFW, rel_gap=opts.rel_gap, max_iter=opts.max_iter
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # reported as `converged`
            res = assign(gn.net, classes, options=aopts)
        conv.append(
            {
                "mode": group,
                "rel_gap": res.rel_gap,
                "iterations": res.iterations,
                "converged": res.converged,
            }
        )
        flow_y = res.class_flow * HOURS_PER_YEAR  # vehicles a year per class and link
        time = res.time
        queue_t = np.zeros_like(time)
        queue_t[gn.res_arc] = time[gn.res_arc] - gn.net.free_flow_time[gn.res_arc]
        crow["vehicle_h_year"] = flow_y @ time
        crow["tonne_h_year"] = crow["vehicle_h_year"] * crow["tonnes_per_vehicle"]
        crow["queue_vehicle_h_year"] = flow_y @ queue_t
        crow["cost_usd_year"] = (flow_y @ gn.money) * per_unit
        crow["toll_usd_year"] = (flow_y @ gn.toll) * per_unit
        crow["fee_usd_year"] = (flow_y @ gn.fee) * per_unit
        crow["co2_wtw_kg_year"] = (flow_y @ gn.co2_wtw) * per_unit
        crow["co2_ttw_kg_year"] = (flow_y @ gn.co2_ttw) * per_unit
        crow["generalized_usd_year"] = (
            crow["cost_usd_year"] + crow["vot_usd_h"] * crow["vehicle_h_year"]
        )
        class_rows.append(crow)
        # OD costs on the equilibrium costs: generalised (h-equivalent) and the time along it
        for c, tc in enumerate(classes):
            w = np.where(gn.allowed[graph_of[c]], res.class_cost[c], np.inf)
            gc_h = _skim(gn, graph_of[c], w)
            t_h = (_skim(gn, graph_of[c], w + 1e-6 * time) - gc_h) / 1e-6
            mode, name = tc.name.split("/", 1)
            rows = sub[(sub["mode"] == mode) & (sub["commodity"] == name)]
            o = rows["origin_node"].map(zi).to_numpy(dtype=np.int64)
            d = rows["destination_node"].map(zi).to_numpy(dtype=np.int64)
            table.loc[rows.index, "generalized_usd"] = gc_h[o, d] * tc.value_of_time
            table.loc[rows.index, "time_h"] = t_h[o, d]
        # crossing loads per row and class
        flows = res.class_flow[:, gn.res_arc] * HOURS_PER_DAY  # vehicles a day
        frame = pd.DataFrame(flows.T, columns=[tc.name for tc in classes])
        frame["row"] = gn.res_row
        long = frame.melt(id_vars=["row"], var_name="class", value_name="vehicles_day")
        keys = crow["mode"] + "/" + crow["commodity"]
        tpv = dict(zip(keys, crow["tonnes_per_vehicle"], strict=True))
        teu_share = dict(zip(keys, crow["teu_year"] / crow["vehicles_year"], strict=True))
        long["tonnes_year"] = long["vehicles_day"] * 365.0 * long["class"].map(tpv)
        long["teu_year"] = long["vehicles_day"] * 365.0 * long["class"].map(teu_share)
        split = long["class"].str.split("/", n=1)
        long["class_mode"] = split.str[0]
        long["commodity"] = split.str[1]
        cx_loads.append(long.drop(columns="class"))
    classes_df = _classes_frame(class_rows, table)
    crossings, by_commodity = _crossings_frame(caps, cx_loads, opts, data)
    return FreightAssignment(
        crossings=crossings,
        crossing_commodity=by_commodity,
        classes=classes_df,
        od=table,
        validation=_validation(crossings, data),
        convergence=pd.DataFrame(conv, columns=["mode", "rel_gap", "iterations", "converged"]),
        options=opts,
    )


_CLASS_COLS = [
    "mode",
    "commodity",
    "tonnes_year",
    "teu_year",
    "vehicles_year",
    "tonnes_per_vehicle",
    "vot_usd_h",
    "vehicle_h_year",
    "tonne_h_year",
    "queue_vehicle_h_year",
    "cost_usd_year",
    "toll_usd_year",
    "fee_usd_year",
    "co2_wtw_kg_year",
    "co2_ttw_kg_year",
    "generalized_usd_year",
]


def _classes_frame(rows: list[pd.DataFrame], od: pd.DataFrame) -> pd.DataFrame:
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=_CLASS_COLS)
    unserved = od[~od["served"] & od["mode"].isin(ASSIGNED_MODES)]
    lost = unserved.groupby(["mode", "commodity"], as_index=False).agg(
        unserved_tonnes_year=("tonnes_year", "sum")
    )
    merged = out[_CLASS_COLS].merge(lost, on=["mode", "commodity"], how="outer")
    totals = [c for c in _CLASS_COLS if c.endswith("_year")] + ["unserved_tonnes_year"]
    merged[totals] = merged[totals].astype(float).fillna(0.0)
    return merged.sort_values(["mode", "commodity"]).reset_index(drop=True)


def _crossings_frame(
    caps: pd.DataFrame,
    loads: list[pd.DataFrame],
    opts: FreightAssignOptions,
    data: CrossingData,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    long = (
        pd.concat(loads, ignore_index=True)
        if loads
        else pd.DataFrame(
            columns=["row", "class_mode", "commodity", "vehicles_day", "tonnes_year", "teu_year"]
        )
    )
    per_row = long.groupby("row")[["vehicles_day", "tonnes_year", "teu_year"]].sum()
    out = caps.copy()
    out["vehicles_day"] = per_row["vehicles_day"].reindex(out.index).fillna(0.0).to_numpy()
    out["tonnes_year"] = per_row["tonnes_year"].reindex(out.index).fillna(0.0).to_numpy()
    out["teu_year"] = per_row["teu_year"].reindex(out.index).fillna(0.0).to_numpy()
    out["trucks_day"] = np.where(out["mode"] == "road", out["vehicles_day"], 0.0)
    out["trains_day"] = np.where(out["mode"] == "rail", out["vehicles_day"], 0.0)
    out["capacity_veh_day"] = out["capacity_veh_day"] * opts.capacity_factor
    out["v_c"] = out["vehicles_day"] / out["capacity_veh_day"]
    out["clearance_h"] = out["delay_p50_h"] * opts.delay_factor
    j = opts.delay_parameter or data.delay_parameter
    period = opts.period_h or data.period_h
    out["queue_h"] = queue_delay_h(
        out["vehicles_day"].to_numpy(dtype=float),
        out["capacity_veh_day"].to_numpy(dtype=float),
        delay_parameter=j,
        period_h=period,
    )
    out["queue_veh"] = queue_length_veh(out["vehicles_day"].to_numpy(), out["queue_h"].to_numpy())
    cols = [
        "crossing",
        "countries",
        "mode",
        "direction",
        "gauge_change",
        "gauges",
        "open",
        "vehicles_day",
        "trucks_day",
        "trains_day",
        "teu_year",
        "tonnes_year",
        "capacity_veh_day",
        "v_c",
        "clearance_h",
        "queue_h",
        "queue_veh",
        "capacity_source",
    ]
    out = out.rename_axis("crossings_row").reset_index()
    out = out[["crossings_row", *cols]].sort_values(
        ["tonnes_year", "crossing"], ascending=[False, True]
    )
    by_comm = long.merge(
        caps[["crossing", "mode", "direction"]], left_on="row", right_index=True, how="left"
    )
    by_comm = by_comm[
        [
            *("crossing", "mode", "direction", "class_mode", "commodity"),
            *("vehicles_day", "tonnes_year", "teu_year"),
        ]
    ]
    return out.reset_index(drop=True), by_comm.reset_index(drop=True)


def _validation(crossings: pd.DataFrame, data: CrossingData) -> pd.DataFrame:
    """Model loads (both directions) against published throughput; never fitted."""
    both = crossings.groupby(["crossing", "mode"], as_index=False)[
        ["tonnes_year", "vehicles_day"]
    ].sum()
    pub = data.throughput.merge(both, on=["crossing", "mode"], how="left")
    pub["model_tonnes_year"] = pub.pop("tonnes_year_y")
    pub["published_tonnes_year"] = pub.pop("tonnes_year_x")
    model_veh = pub.pop("vehicles_day") * 365.0
    pub["model_vehicles_year"] = model_veh
    pub["published_vehicles_year"] = pub["trains_year"].fillna(pub["trucks_year"])
    pub["tonnes_ratio"] = pub["model_tonnes_year"] / pub["published_tonnes_year"]
    pub["vehicles_ratio"] = pub["model_vehicles_year"] / pub["published_vehicles_year"]
    cols = [
        "crossing",
        "mode",
        "model_tonnes_year",
        "published_tonnes_year",
        "tonnes_ratio",
        "model_vehicles_year",
        "published_vehicles_year",
        "vehicles_ratio",
        "year",
        "source",
    ]
    return pub[cols]
