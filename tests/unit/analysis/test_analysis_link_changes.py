"""link_changes on hand-made edits of the toy network: every kind, the tolerance, geometry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

import corridor
from corridor.analysis.link_changes import DEFAULT_TOLERANCE, LinkChange, link_changes

CLOSED_ON = pd.Timestamp("2026-01-01")


def edited(net: corridor.Network, **edits: dict[int, float | pd.Timestamp]) -> corridor.Network:
    """`net` with ``column={link_id: value}`` edits applied to copies of its links."""
    links = net.links.copy()
    for column, values in edits.items():
        for lid, value in values.items():
            links.loc[links["link_id"] == lid, column] = value
    return net.with_links(links)


def with_new_link(net: corridor.Network) -> corridor.Network:
    """`net` plus road link 40 from B to E, 90 km at 70 km/h, with a polyline."""
    row = net.links[net.links["link_id"] == 30].copy()
    row["link_id"], row["a_node"], row["b_node"] = 40, 2, 5
    row["length_km"], row["speed_kmh"], row["ref"], row["name"] = 90.0, 70.0, "N4", "New road"
    row["geometry"] = [shapely.LineString([(1.0, 0.0), (1.2, 0.3), (1.5, 0.5)])]
    return net.with_links(pd.concat([net.links, row], ignore_index=True))


def test_no_change_is_an_empty_table_with_the_columns(toy: corridor.Network) -> None:
    out = link_changes(toy, toy)
    assert out.empty and out.index.equals(pd.RangeIndex(0))
    assert out.columns.tolist() == [
        "link_id",
        "mode",
        "ref",
        "name",
        "length_km",
        "change",
        "speed_kmh_before",
        "speed_kmh_after",
        "toll_usd_before",
        "toll_usd_after",
    ]
    assert out["link_id"].dtype == np.int64
    assert list(out["change"].cat.categories) == [k.value for k in LinkChange]


def test_every_kind_by_hand(toy: corridor.Network) -> None:
    closed_20 = edited(toy, closed={20: CLOSED_ON})
    before = closed_20  # rail A-E closed before: it reopens after
    after = edited(
        with_new_link(toy),
        speed_kmh={10: 120.0, 11: 60.0, 12: 80.0},
        toll_usd={12: 7.5, 10: 3.0},
        closed={21: CLOSED_ON},
    )
    after = after.with_links(after.links[after.links["link_id"] != 30])  # deleted: closed
    out = link_changes(before, after)
    got = dict(zip(out["link_id"], out["change"].astype(str), strict=True))
    assert got == {
        40: "added",
        20: "reopened",
        21: "closed",
        30: "closed",
        10: "faster",  # faster and re-tolled: one row, the speed wins
        11: "slower",
        12: "toll_changed",
    }
    assert out["link_id"].tolist() == [40, 20, 21, 30, 10, 11, 12]  # by kind, then id
    row = out.set_index("link_id")
    assert row.loc[40, ["ref", "name", "mode"]].tolist() == ["N4", "New road", "road"]
    assert row.loc[40, "length_km"] == 90.0
    assert np.isnan(row.loc[40, "speed_kmh_before"]) and row.loc[40, "speed_kmh_after"] == 70.0
    assert np.isnan(row.loc[20, "speed_kmh_before"]) and row.loc[20, "speed_kmh_after"] == 60.0
    assert row.loc[21, "speed_kmh_before"] == 60.0 and np.isnan(row.loc[21, "speed_kmh_after"])
    assert row.loc[30, "name"] == "Echo road"  # only in `before`: described from there
    assert (row.loc[10, "speed_kmh_before"], row.loc[10, "speed_kmh_after"]) == (100.0, 120.0)
    assert (row.loc[10, "toll_usd_before"], row.loc[10, "toll_usd_after"]) == (0.0, 3.0)
    assert (row.loc[12, "toll_usd_before"], row.loc[12, "toll_usd_after"]) == (0.0, 7.5)


def test_changes_are_symmetric(toy: corridor.Network) -> None:
    after = edited(with_new_link(toy), speed_kmh={11: 90.0})
    forward = link_changes(toy, after).set_index("link_id")["change"].astype(str)
    backward = link_changes(after, toy).set_index("link_id")["change"].astype(str)
    assert forward.to_dict() == {40: "added", 11: "faster"}
    assert backward.to_dict() == {40: "closed", 11: "slower"}


def test_tolerance_is_absolute_in_the_columns_units(toy: corridor.Network) -> None:
    after = edited(toy, speed_kmh={10: 100.0 + DEFAULT_TOLERANCE / 2, 11: 80.5})
    after = edited(after, toll_usd={12: 0.25})
    assert link_changes(toy, after)["link_id"].tolist() == [11, 12]
    assert link_changes(toy, after, tolerance=0.3)["link_id"].tolist() == [11]
    assert link_changes(toy, after, tolerance=1.0).empty
    for bad in (-1.0, np.inf, np.nan):
        with pytest.raises(corridor.ValidationError, match="tolerance"):
            link_changes(toy, after, tolerance=bad)


def test_geometry_from_the_tables_or_straight_between_the_nodes(toy: corridor.Network) -> None:
    after = edited(with_new_link(toy), closed={11: CLOSED_ON})
    out = link_changes(toy, after, geometry=True).set_index("link_id")
    assert out.columns[-1] == "geometry"
    assert shapely.get_coordinates(out.at[40, "geometry"]).tolist() == [
        [1.0, 0.0],
        [1.2, 0.3],
        [1.5, 0.5],
    ]
    assert shapely.get_coordinates(out.at[11, "geometry"]).tolist() == [[1.0, 0.0], [2.0, 0.0]]
    assert "geometry" not in link_changes(toy, after).columns


def test_change_accepts_the_plain_string() -> None:
    assert LinkChange("toll_changed") is LinkChange.TOLL_CHANGED
    assert LinkChange.ADDED == "added"
