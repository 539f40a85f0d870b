"""The service's changed-link features: corridor.link_changes in the web UI's words."""

from __future__ import annotations

import pandas as pd
import shapely

import corridor
from corridor.service.state import NetworkState, diff_networks


def test_diff_networks_maps_the_link_change_words(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links.loc[links["link_id"] == 10, "closed"] = pd.Timestamp("2026-01-01")
    before = toy.with_links(links)  # link 10 reopens after
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 40.0
    links.loc[links["link_id"] == 12, "toll_usd"] = 9.0
    links.loc[links["link_id"] == 21, "closed"] = pd.Timestamp("2026-01-01")
    new = links[links["link_id"] == 30].assign(link_id=40, a_node=2, b_node=5, geometry=None)
    after = toy.with_links(pd.concat([links, new], ignore_index=True))
    feats, summary = diff_networks(NetworkState(toy, 0), before, after)
    got = {f["properties"]["link_id"]: f["properties"]["change"] for f in feats}
    assert got == {10: "reopened", 11: "slower", 12: "toll", 21: "closed", 40: "added"}
    assert list(got) == sorted(got)  # features by link id
    assert summary == {"reopened": 1, "slower": 1, "toll": 1, "closed": 1, "added": 1}
    coords = {f["properties"]["link_id"]: f["geometry"]["coordinates"] for f in feats}
    assert coords[40] == [[1.0, 0.0], [1.5, 0.5]]  # a new link: straight between its nodes
    assert coords[11] == shapely.get_coordinates(shapely.LineString([(1, 0), (2, 0)])).tolist()
