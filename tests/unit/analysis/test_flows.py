"""Freight-flow comparison: gravity demand assigned before and after, crossing loads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.analysis.flows import FlowOptions, compare_flows, with_road_capacity


def test_capacity_from_lanes_and_class(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links["lanes"] = [4, 2, 2, 0, 0, 2]
    cap = with_road_capacity(toy.with_links(links)).links.set_index("link_id")["capacity_veh_h"]
    assert cap[10] == 2 * 2000.0  # motorway, 2 lanes each way
    assert cap[11] == 1700.0  # trunk, one lane each way
    assert np.isnan(cap[20])  # rail keeps none


def test_closing_a_road_moves_its_flow(toy: corridor.Network) -> None:
    spur = pd.DataFrame(
        {
            "link_id": [31],
            "a_node": [1],
            "b_node": [5],
            "mode": ["road"],
            "class": ["primary"],
            "length_km": [90.0],
            "speed_kmh": [60.0],
        }
    )
    base = toy.with_links(pd.concat([toy.links, spur], ignore_index=True))
    links = base.links.copy()
    links.loc[links["link_id"] == 11, "closed"] = pd.Timestamp("2020-01-01")
    closed = base.with_links(links)
    opts = FlowOptions(trips_per_1000_day=20.0)
    res = compare_flows(base, closed, options=opts)
    assert res.converged
    by = res.links.groupby("link_id")[
        ["car_veh_h_before", "car_veh_h_after", "truck_veh_h_after"]
    ].sum()
    assert by.loc[11, "car_veh_h_before"] > 0
    assert 11 not in by.index or by.loc[11, ["car_veh_h_after", "truck_veh_h_after"]].sum() == 0
    assert by.loc[31, "car_veh_h_after"] > by.loc[31, "car_veh_h_before"]  # the detour via E
    assert res.unserved == 0.0
    # demand: 20 trips per 1,000 people a day, design hour 10 %, 25 % trucks; the trips
    # that leave their zone are at most that
    pop = toy.nodes.loc[toy.nodes["kind"] == "city", "population"].sum()
    assert 0 < sum(res.trips.values()) < pop / 1000 * 20 * 0.1
    assert res.trips["truck"] == pytest.approx(0.25 * sum(res.trips.values()))
    # every A-D and B-D trip crosses at C, in both directions, before and after
    cross = res.crossings.set_index("direction")
    assert set(cross.index) == {"a_to_b", "b_to_a"}
    assert cross.loc["a_to_b", "truck_veh_h_after"] == pytest.approx(
        cross.loc["a_to_b", "truck_veh_h_before"], rel=1e-6
    )


def test_pairs_cut_off_by_the_scenario_are_reported_not_assigned(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links.loc[links["link_id"] == 12, "closed"] = pd.Timestamp("2020-01-01")  # D cut off by road
    res = compare_flows(toy, toy.with_links(links), options=FlowOptions(trips_per_1000_day=20.0))
    assert res.unserved > 0
    d_links = res.links[(res.links["a_node"] == 4) | (res.links["b_node"] == 4)]
    assert (d_links[["car_veh_h_before", "car_veh_h_after"]].to_numpy() == 0).all()


def test_each_class_uses_only_the_crossings_open_to_it(toy: corridor.Network) -> None:
    # a second crossing F between B and D: C for trucks only, F for travellers only
    nodes = pd.concat(
        [
            toy.nodes,
            pd.DataFrame(
                {
                    "node_id": [6],
                    "name": ["F"],
                    "kind": ["border_crossing"],
                    "country": ["XA"],
                    "lon": [toy.nodes["lon"].mean()],
                    "lat": [toy.nodes["lat"].mean()],
                    "country_a": ["XA"],
                    "country_b": ["XB"],
                    "name_a": ["f"],
                    "name_b": ["f"],
                }
            ),
        ],
        ignore_index=True,
    )
    extra = pd.DataFrame(
        {
            "link_id": [40, 41],
            "a_node": [2, 6],
            "b_node": [6, 4],
            "mode": ["road", "road"],
            "class": ["primary", "primary"],
            "length_km": [60.0, 60.0],
            "speed_kmh": [60.0, 60.0],
            "country": ["XA", "XB"],
        }
    )
    links = pd.concat([toy.links, extra], ignore_index=True)
    rows = []
    for node, vehicles in ((3, "freight"), (6, "passenger")):
        for d in ("a_to_b", "b_to_a"):
            rows.append(
                {
                    "node_id": node,
                    "mode": "road",
                    "direction": d,
                    "delay_p50_h": 1.0,
                    "vehicles": vehicles,
                }
            )
    net = corridor.Network(nodes, links, pd.DataFrame(rows), name="two gates")
    res = compare_flows(net, net, options=FlowOptions(trips_per_1000_day=20.0))
    cross = res.crossings.groupby("crossing")[["truck_veh_h_after", "car_veh_h_after"]].sum()
    assert cross.loc["C", "truck_veh_h_after"] > 0 and cross.loc["C", "car_veh_h_after"] == 0
    assert cross.loc["F", "car_veh_h_after"] > 0 and cross.loc["F", "truck_veh_h_after"] == 0
    assert res.unserved == 0.0
