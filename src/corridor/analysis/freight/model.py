"""The freight model's arrays: demand rows with every mode's door-to-door cost and path.

:func:`build_model` prices every demand row (zone pair and commodity) once for each mode:
land modes from the Router's profile searches (:mod:`.skims`), sea from the lane table
(:mod:`.sea`, the cheapest chain in generalised cost for the commodity). Mode shares
for any parameters are then one vectorised nested logit (:meth:`FreightModel.shares`),
which is what calibration iterates on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.analysis.freight.commodities import MODES, Commodity
from corridor.analysis.freight.mode_choice import (
    FreightParams,
    generalised_cost,
    mode_shares,
    mode_utilities,
)
from corridor.analysis.freight.sea import SeaLanes, sea_chains
from corridor.analysis.freight.skims import land_skim
from corridor.analysis.freight.zones import ZoneSet, zone_nodes
from corridor.errors import ValidationError
from corridor.model.network import Network

__all__ = ["CrossingInfo", "FreightModel", "build_model"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CrossingInfo:
    """A border crossing as the reports name it."""

    node_id: int
    name: str
    country_a: str
    country_b: str


@dataclass(frozen=True, eq=False)
class FreightModel:
    """Demand rows priced by mode (see the module docstring).

    Attributes
    ----------
    demand
        One row per zone pair and commodity: ``origin_zone``, ``destination_zone``,
        ``origin_group``, ``destination_group``, ``origin_node``, ``destination_node``,
        ``commodity``, ``tonnes_year`` (and ``origin_country``, the origin city's country,
        from which the direction of each crossing on a path follows).
    money_usd_per_t, time_h
        ``(rows, len(MODES))`` door to door; ``inf`` where the mode cannot join the pair.
    paths
        ``paths[r][m]``: node ids of the border crossings on the row's path by mode m
        (empty for sea, whose land legs are not traced).
    sea_ports
        The sea chain's ports per row (``"port_a->port_b"``, "" where none).
    commodities
        The commodity groups, by id.
    crossings
        Crossing node id -> its name and countries.
    """

    demand: pd.DataFrame
    money_usd_per_t: FloatArray
    time_h: FloatArray
    paths: tuple[tuple[tuple[int, ...], ...], ...]
    sea_ports: tuple[str, ...]
    commodities: dict[str, Commodity]
    crossings: dict[int, CrossingInfo]

    def __post_init__(self) -> None:
        shape = (len(self.demand), len(MODES))
        if self.money_usd_per_t.shape != shape or self.time_h.shape != shape:
            raise ValidationError(f"cost arrays must be {shape}, got {self.money_usd_per_t.shape}")
        unknown = sorted(set(self.demand["commodity"]) - set(self.commodities))
        if unknown:
            raise ValidationError(f"demand names unknown commodities {unknown}")

    def __repr__(self) -> str:
        return (
            f"<FreightModel {len(self.demand)} rows, {self.demand['tonnes_year'].sum():,.0f} t/yr>"
        )

    def generalised_costs(self, params: FreightParams) -> FloatArray:
        """Generalised cost per tonne ``(rows, modes)`` under `params` (its ``cv``)."""
        out = np.full_like(self.money_usd_per_t, np.inf)
        cv = np.array([params.cv[m] for m in MODES])
        codes = self.demand["commodity"].to_numpy()
        for cid, com in self.commodities.items():
            rows = codes == cid
            if rows.any():
                vot = com.vot_usd_per_t_h * (1.0 + com.reliability_ratio * cv)
                out[rows] = self.money_usd_per_t[rows] + vot * self.time_h[rows]
        return out

    def shares(self, params: FreightParams) -> FloatArray:
        """Mode shares ``(rows, modes)``; each row sums to 1 where any mode is available."""
        gc = self.generalised_costs(params)
        v = np.full_like(gc, -np.inf)
        codes = self.demand["commodity"].to_numpy()
        for cid, com in self.commodities.items():
            rows = codes == cid
            if rows.any():
                v[rows] = mode_utilities(gc[rows], com, params)
        og = self.demand["origin_group"].to_numpy()
        dg = self.demand["destination_group"].to_numpy()
        for key, value in params.asc.items():  # mode@group: trade to or from a group
            if "@" in key and value != 0.0:
                mode, _, group = key.partition("@")
                rows = (og == group) | (dg == group)
                v[rows, MODES.index(mode)] += value  # -inf stays -inf
        return mode_shares(v, params)

    def tonnes(self, params: FreightParams) -> FloatArray:
        """Tonnes a year ``(rows, modes)``: each row's tonnes times its mode shares."""
        return self.demand["tonnes_year"].to_numpy(np.float64)[:, None] * self.shares(params)


def _crossing_info(network: Network) -> dict[int, CrossingInfo]:
    nodes = network.nodes
    rows = nodes[nodes["kind"] == "border_crossing"]
    return {
        int(r["node_id"]): CrossingInfo(
            int(r["node_id"]), str(r["name"]), str(r["country_a"]), str(r["country_b"])
        )
        for r in rows.to_dict(orient="records")
    }


def build_model(
    network: Network,
    demand: pd.DataFrame,
    zones: ZoneSet,
    commodities: tuple[Commodity, ...],
    sea: SeaLanes,
    params: FreightParams,
) -> FreightModel:
    """Price every demand row by every mode (see the module docstring).

    Parameters
    ----------
    network
        The network (a scenario's, applied).
    demand
        From :func:`corridor.analysis.freight.demand.demand_table`.
    zones
        Zones and ports.
    commodities
        The commodity groups.
    sea
        The sea lanes.
    params
        For the sea chain's choice of ports (its ``cv`` and the commodities' value of time).

    Returns
    -------
    FreightModel

    Raises
    ------
    UnknownNodeError
        If a zone's or port's city is not in the network.
    """
    places = zones.zones + zones.ports
    place_nodes = zone_nodes(network, places)
    nodes = np.unique(place_nodes)
    at = {int(v): i for i, v in enumerate(nodes)}
    place_pos = {p.id: at[int(n)] for p, n in zip(places, place_nodes, strict=True)}
    skims = {m: land_skim(network, nodes, m) for m in ("road", "rail_container", "rail_wagon")}
    road, railc, wagon = skims["road"], skims["rail_container"], skims["rail_wagon"]
    # sea access per tonne: the cheaper land leg by money
    feu_t = road.load_t
    c_money = np.fmin(road.money_usd / road.load_t, railc.money_usd / railc.load_t)
    c_time = np.where(
        road.money_usd / road.load_t <= railc.money_usd / railc.load_t, road.time_h, railc.time_h
    )
    b_money = np.fmin(road.money_usd / road.load_t, wagon.money_usd / wagon.load_t)
    b_time = np.where(
        road.money_usd / road.load_t <= wagon.money_usd / wagon.load_t, road.time_h, wagon.time_h
    )
    port_index = {p.id: place_pos[p.id] for p in zones.ports}
    chains = {
        "container": sea_chains(sea, "container", port_index, c_money, c_time, feu_t=feu_t),
        "bulk": sea_chains(sea, "bulk", port_index, b_money, b_time, feu_t=feu_t),
    }
    oi = demand["origin_zone"].map(place_pos).to_numpy(np.int64)
    di = demand["destination_zone"].map(place_pos).to_numpy(np.int64)
    n_rows = len(demand)
    money = np.full((n_rows, len(MODES)), np.inf)
    time = np.full((n_rows, len(MODES)), np.inf)
    for k, m in enumerate(MODES[:3]):
        sk = skims[m]
        money[:, k] = sk.money_usd[oi, di] / sk.load_t
        time[:, k] = sk.time_h[oi, di]
    sea_ports = np.full(n_rows, "", dtype=object)
    codes = demand["commodity"].to_numpy()
    by_id = {c.id: c for c in commodities}
    for cid, com in by_id.items():
        rows = np.nonzero(codes == cid)[0]
        ch = chains[com.handling]
        if rows.size == 0 or not ch.ports:
            continue
        cm = ch.money_usd_per_t[:, oi[rows], di[rows]]
        ct = ch.time_h[:, oi[rows], di[rows]]
        gc = generalised_cost(cm, ct, com, params.cv["sea"])
        best = np.argmin(gc, axis=0)
        pick = np.arange(rows.size)
        ok = np.isfinite(gc[best, pick])
        money[rows[ok], 3] = cm[best, pick][ok]
        time[rows[ok], 3] = ct[best, pick][ok]
        sea_ports[rows[ok]] = [f"{ch.ports[b][0]}->{ch.ports[b][1]}" for b in best[ok]]
    paths = tuple(
        tuple(skims[m].crossings[o][d] if m != "sea" else () for m in MODES)
        for o, d in zip(oi.tolist(), di.tolist(), strict=True)
    )
    table = demand.copy()
    country = {z.id: z.country for z in zones.zones}
    table["origin_country"] = demand["origin_zone"].map(country).fillna("").astype(str)
    table["origin_node"] = nodes[oi]
    table["destination_node"] = nodes[di]
    log.info("freight model: %d rows, %d places", n_rows, nodes.size)
    return FreightModel(
        demand=table.reset_index(drop=True),
        money_usd_per_t=money,
        time_h=time,
        paths=paths,
        sea_ports=tuple(str(s) for s in sea_ports),
        commodities=by_id,
        crossings=_crossing_info(network),
    )
