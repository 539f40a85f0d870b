"""Attaching a detailed network to a corridor network at named places."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor
from corridor.io.merge import MergeOptions, attach


def city(ids: list[int], *, lon0: float = 0.0) -> corridor.Network:
    """A three-street town just east of (lon0, 0), with a turn restriction."""
    nodes = pd.DataFrame(
        {
            "node_id": ids,
            "name": ["Main / First", "Main / Second", "Harbour"],
            "kind": "junction",
            "country": "XA",
            "lon": [lon0 + 0.01, lon0 + 0.02, lon0 + 0.03],
            "lat": [0.0, 0.0, 0.01],
        }
    )
    links = pd.DataFrame(
        {
            "link_id": [0, 1, 2],
            "a_node": [ids[0], ids[1], ids[0]],
            "b_node": [ids[1], ids[2], ids[2]],
            "mode": "road",
            "length_km": [1.1, 1.6, 3.5],
            "speed_kmh": 30.0,
        }
    )
    turns = pd.DataFrame(
        {
            "restriction_id": [0],
            "kind": ["no"],
            "from_link": [0],
            "via_node": [ids[1]],
            "to_link": [1],
        }
    )
    return corridor.Network(nodes, links, turns=turns, name="town")


def test_door_to_door_route_through_the_connector(toy: corridor.Network) -> None:
    merged = attach(toy, city([101, 102, 103]), ["A"])
    assert len(merged.nodes) == len(toy.nodes) + 3
    conn = merged.links[merged.links["class"] == "connector"].iloc[0]
    assert (conn["a_node"], conn["b_node"]) == (1, 101)  # A is nearest to Main / First
    assert conn["length_km"] == pytest.approx(1.112, abs=0.01)
    route = corridor.route(merged, "Harbour", "D", modes="road")
    assert route.node_ids[0] == 103
    assert route.node_ids[-1] == 4
    assert conn["link_id"] in route.link_ids
    # the town's restriction still holds after its link ids moved
    turns = merged.turns
    assert len(turns) == 1
    moved = int(turns["from_link"].iloc[0])
    assert moved > toy.links["link_id"].max()
    detour = corridor.route_restricted(merged, "A", "Harbour", optimize="distance")
    assert detour.node_ids == (1, 101, 103)


def test_clashing_node_ids_are_shifted(toy: corridor.Network) -> None:
    merged = attach(toy, city([1, 2, 3]), {"A": 1})
    assert merged.nodes["node_id"].is_unique
    conn = merged.links[merged.links["class"] == "connector"].iloc[0]
    assert conn["a_node"] == 1
    assert conn["b_node"] == 1 + 5  # shifted past the toy's largest id, 5


def test_errors(toy: corridor.Network) -> None:
    far = city([101, 102, 103], lon0=40.0)
    with pytest.raises(corridor.ValidationError, match="within 25 km of 'A'"):
        attach(toy, far, ["A"])
    with pytest.raises(corridor.UnknownNodeError):
        attach(toy, city([101, 102, 103]), ["Atlantis"])
    with pytest.raises(corridor.ValidationError, match="no rail links"):
        attach(toy, city([101, 102, 103]), ["A"], options=MergeOptions(mode="rail"))
