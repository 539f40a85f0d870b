"""Freight and traffic flows before and after: gravity demand, multi-class assignment.

How the demand is made (stated in every report that uses it):

* zones are the network's cities; each generates and attracts road vehicle trips in
  proportion to its population (`trips_per_1000_day` per 1,000 inhabitants a day), of which
  `truck_share` are trucks; trips that stay within their zone are not assigned;
* a doubly-constrained gravity model (exponential deterrence on free-flow road time, `beta`
  per hour) balanced by IPF distributes them over the base network; the same matrix is then
  assigned in both scenarios, so flows change by route choice only (no induced demand);
* the assessed period is the design hour, `design_hour_share` of a day's trips;
* cars may not use a crossing reserved to goods vehicles, nor trucks one reserved to
  travellers (the crossings table's ``vehicles``; e.g. Kukuryki, Kuźnica); a pair a class
  cannot join in either network is left out of that class's demand (``unserved``);
* road links without a capacity get one from their lanes and class (per lane and direction,
  pcu/h: motorway 2,000, trunk 1,700, primary 1,400, other 1,000; a two-lane road has one lane
  each way); border crossings keep their measured capacity (trucks/day / 24), or none;
* cars and trucks (`truck_pce` car units) are assigned together to user equilibrium by
  biconjugate Frank-Wolfe to a relative gap of `rel_gap`; trucks pay the links' toll, cars
  the car toll where the network gives one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.assignment.demand import Deterrence, DeterrenceKind, FurnessOptions, gravity
from corridor.assignment.equilibrium import assign
from corridor.assignment.network import AssignmentNetwork, TrafficClass, assignment_network
from corridor.assignment.options import Algorithm, AssignmentOptions
from corridor.costs.crossings import barred_links
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import NodeKind
from corridor.paths.skim import skim

__all__ = ["FlowOptions", "FlowResult", "compare_flows", "with_road_capacity"]

log = logging.getLogger(__name__)

_LANE_CAPACITY = {"motorway": 2000.0, "trunk": 1700.0, "primary": 1400.0}


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowOptions:
    """Assumptions of :func:`compare_flows` (see the module docstring)."""

    trips_per_1000_day: float = 2.0
    truck_share: float = 0.25
    truck_pce: float = 2.5
    car_vot_usd_h: float = 8.0
    truck_vot_usd_h: float = 40.0
    beta_per_h: float = 0.15
    design_hour_share: float = 0.1
    rel_gap: float = 1e-4
    max_iter: int = 300

    def __post_init__(self) -> None:
        if not (
            self.trips_per_1000_day > 0
            and 0 <= self.truck_share <= 1
            and self.truck_pce > 0
            and self.car_vot_usd_h > 0
            and self.truck_vot_usd_h > 0
            and self.beta_per_h > 0
            and 0 < self.design_hour_share <= 1
        ):
            raise ValidationError("flow options must be positive (shares within 0..1)")

    def describe(self) -> list[str]:
        """The assumptions, one sentence each."""
        return [
            f"Demand: {self.trips_per_1000_day:g} inter-city road vehicle trips per 1,000 "
            f"inhabitants a day, {self.truck_share:.0%} trucks ({self.truck_pce:g} pcu), "
            f"design hour {self.design_hour_share:.0%} of the day.",
            f"Distribution: doubly-constrained gravity model, exponential deterrence "
            f"beta = {self.beta_per_h:g} per hour of free-flow road time, IPF on the base network; "
            "the same matrix is assigned in both scenarios (no induced demand).",
            f"Assignment: cars (value of time ${self.car_vot_usd_h:g}/h) and trucks "
            f"(${self.truck_vot_usd_h:g}/h) to user equilibrium, biconjugate Frank-Wolfe to a "
            f"relative gap of {self.rel_gap:g}; BPR on roads (capacity from lanes and class where "
            "missing), Akcelik queues at border crossings with a measured capacity.",
        ]


@dataclass(frozen=True, eq=False, repr=False)
class FlowResult:
    """Link flows and crossing loads before and after.

    Attributes
    ----------
    links
        One row per directed road link: ``link_id``, ``a_node``, ``b_node``, car and truck
        flows (veh/h) before and after and their change.
    crossings
        One row per border crossing and direction: truck and car flows before and after,
        capacity (veh/h, NaN if unknown) and the volume/capacity ratio after.
    trips
        Total trips assigned (veh/h) per class.
    unserved
        Trips (veh/h) between zones that one of the two networks cannot join by road; they
        are left out of both assignments so that the two are comparable.
    converged
        Whether both assignments reached the target gap.
    """

    links: pd.DataFrame
    crossings: pd.DataFrame
    trips: dict[str, float]
    unserved: float
    converged: bool

    def __repr__(self) -> str:
        return (
            f"<FlowResult {len(self.links)} links, {len(self.crossings)} crossing rows, "
            f"{sum(self.trips.values()):,.0f} veh/h>"
        )


def with_road_capacity(network: Network) -> Network:
    """The network with a capacity on every road link that lacks one (see module docstring)."""
    links = network.links.copy()
    road = (links["mode"] == "road").to_numpy() & links["capacity_veh_h"].isna().to_numpy()
    per_lane = links["class"].map(_LANE_CAPACITY).fillna(1000.0).to_numpy(dtype=float)
    lanes_each_way = np.maximum(links["lanes"].to_numpy(dtype=float) / 2.0, 1.0)
    links.loc[road, "capacity_veh_h"] = (per_lane * lanes_each_way)[road]
    return network.with_links(links)


#: The two classes as the crossings table's ``vehicles`` sees them: (profile kind, vehicle).
_VEHICLES = {"car": ("passenger", "car"), "truck": ("freight", "truck")}


def _barred_ids(network: Network, name: str) -> np.ndarray:
    """Ids of road links class `name` may not use (into crossings reserved to others)."""
    kind, vehicle = _VEHICLES[name]
    links = network.links
    return np.asarray(links.loc[barred_links(network, kind, vehicle), "link_id"], dtype=np.int64)


def _class_reach(network: Network, zones: np.ndarray, name: str) -> np.ndarray:
    """Which zone pairs class `name` can join by road (finite time), bool[z, z]."""
    barred = _barred_ids(network, name)
    net = network
    if barred.size:  # closed by the date rule (a closing day long past), turns kept valid
        links = network.links.copy()
        links.loc[links["link_id"].isin(barred).to_numpy(), "closed"] = pd.Timestamp("1900-01-01")
        net = network.with_links(links)
    return np.asarray(
        np.isfinite(skim(net, zones, cost="time_h", modes="road", sums=()).values), dtype=bool
    )


def _classes(
    an: AssignmentNetwork, network: Network, trips: dict[str, np.ndarray], opts: FlowOptions
) -> list[TrafficClass]:
    car_factor = 1.0
    links = network.links
    if "toll_car_usd" in links.columns and float(links["toll_usd"].sum()) > 0:
        car_factor = float(links["toll_car_usd"].astype(float).sum() / links["toll_usd"].sum())
    return [
        TrafficClass(
            demand=trips["car"],
            name="car",
            zones=an.zones,
            pce=1.0,
            value_of_time=opts.car_vot_usd_h,
            toll_factor=car_factor,
            allowed=~np.isin(an.link_ids, _barred_ids(network, "car")),
        ),
        TrafficClass(
            demand=trips["truck"],
            name="truck",
            zones=an.zones,
            pce=opts.truck_pce,
            value_of_time=opts.truck_vot_usd_h,
            allowed=~np.isin(an.link_ids, _barred_ids(network, "truck")),
        ),
    ]


def compare_flows(
    base: Network, other: Network, *, options: FlowOptions | None = None
) -> FlowResult:
    """Gravity demand on the base network, assigned in both; link and crossing flow changes.

    Raises
    ------
    ValidationError
        If a network has no road links or the options are invalid.
    """
    opts = options or FlowOptions()
    nets = [with_road_capacity(base), with_road_capacity(other)]
    ans = [assignment_network(n) for n in nets]
    zones = ans[0].zones
    cities = base.nodes.set_index("node_id").loc[zones]
    cost = skim(nets[0], zones, cost="time_h", modes="road", sums=()).values
    reach = np.isfinite(cost).sum(axis=1) > 1
    pop = cities["population"].to_numpy(dtype=float) * reach
    per_hour = pop / 1000.0 * opts.trips_per_1000_day * opts.design_hour_share
    matrix = gravity(
        cost,
        per_hour,
        deterrence=Deterrence(kind=DeterrenceKind.EXPONENTIAL, beta=opts.beta_per_h),
        options=FurnessOptions(tol=1e-6),
    )
    trips = np.array(matrix.trips)
    np.fill_diagonal(trips, 0.0)  # trips within a zone do not use the corridor network
    # per class: a pair either network cannot join for that class (e.g. a car where the
    # only crossing is for trucks) is left out of both assignments
    share = {"car": 1.0 - opts.truck_share, "truck": opts.truck_share}
    by_class: dict[str, np.ndarray] = {}
    unserved = 0.0
    for name in ("car", "truck"):
        both = _class_reach(nets[0], zones, name) & _class_reach(nets[1], zones, name)
        demand = trips * share[name]
        unserved += float(demand[~both].sum())
        demand[~both] = 0.0
        by_class[name] = demand
    aopts = AssignmentOptions(algorithm=Algorithm.BFW, rel_gap=opts.rel_gap, max_iter=opts.max_iter)
    results = []
    for an, net in zip(ans, nets, strict=True):
        import warnings

        from corridor.assignment.results import ConvergenceWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # reported as `converged`
            results.append(assign(an, _classes(an, net, by_class, opts), options=aopts))
    frames = []
    for label, an, res in zip(("before", "after"), ans, results, strict=True):
        names = list(res.class_names)
        frames.append(
            pd.DataFrame(
                {
                    "link_id": an.link_ids,
                    "a_node": an.a_node,
                    "b_node": an.b_node,
                    "link_type": an.link_type,
                    "capacity_veh_h": an.capacity,
                    f"car_veh_h_{label}": res.class_flow[names.index("car")],
                    f"truck_veh_h_{label}": res.class_flow[names.index("truck")],
                }
            )
        )
    key = ["link_id", "a_node", "b_node", "link_type"]
    merged = frames[0].merge(frames[1], on=key, how="outer", suffixes=("", "_after_net"))
    for col in ("car_veh_h_before", "truck_veh_h_before", "car_veh_h_after", "truck_veh_h_after"):
        merged[col] = merged[col].fillna(0.0)
    merged["capacity_veh_h"] = merged["capacity_veh_h"].fillna(
        merged.pop("capacity_veh_h_after_net")
    )
    merged["d_car_veh_h"] = merged["car_veh_h_after"] - merged["car_veh_h_before"]
    merged["d_truck_veh_h"] = merged["truck_veh_h_after"] - merged["truck_veh_h_before"]
    crossings = _crossing_loads(merged, base, opts)
    links = merged[merged["link_type"] == 0].drop(columns="link_type").reset_index(drop=True)
    links = links.reindex(links["d_truck_veh_h"].abs().sort_values(ascending=False).index)
    return FlowResult(
        links=links.reset_index(drop=True),
        crossings=crossings,
        trips={name: float(demand.sum()) for name, demand in by_class.items()},
        unserved=unserved,
        converged=all(r.converged for r in results),
    )


def _crossing_loads(merged: pd.DataFrame, network: Network, opts: FlowOptions) -> pd.DataFrame:
    nodes = network.nodes.set_index("node_id")
    rows = merged[merged["link_type"] == 1].reset_index(drop=True)
    crossing_ids = nodes.index[nodes["kind"] == NodeKind.BORDER_CROSSING]
    a = rows["a_node"].to_numpy(dtype=np.int64)
    b = rows["b_node"].to_numpy(dtype=np.int64)
    at_a = np.isin(a, crossing_ids)
    node = np.where(at_a, a, b)
    info = nodes.loc[node]
    cap = rows["capacity_veh_h"].to_numpy(dtype=float)
    cap = np.where(np.isfinite(cap) & (cap != 1.0), cap, np.nan)  # 1.0 marks "no capacity"
    after_pcu = rows["car_veh_h_after"].to_numpy(dtype=float) + opts.truck_pce * rows[
        "truck_veh_h_after"
    ].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "crossing": info["name"].to_numpy(),
            "countries": (info["country_a"] + "-" + info["country_b"]).to_numpy(),
            "direction": np.where(at_a, "a_to_b", "b_to_a"),
            "truck_veh_h_before": rows["truck_veh_h_before"].to_numpy(),
            "truck_veh_h_after": rows["truck_veh_h_after"].to_numpy(),
            "car_veh_h_before": rows["car_veh_h_before"].to_numpy(),
            "car_veh_h_after": rows["car_veh_h_after"].to_numpy(),
            "capacity_veh_h": cap,
            "v_c_after": after_pcu / cap,
        }
    )
    frame = frame.sort_values("truck_veh_h_after", ascending=False, kind="stable")
    return frame.reset_index(drop=True)
