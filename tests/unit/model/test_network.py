"""The Network value: validation, immutability, dates, hashing."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor


def test_tables_conform_and_are_read_only(toy: corridor.Network) -> None:
    assert list(toy.links.columns[:4]) == ["link_id", "a_node", "b_node", "oneway"]
    assert toy.links["oneway"].dtype == bool
    assert toy.links["opened"].dtype.kind == "M"
    with pytest.raises(ValueError, match="read-only"):
        toy.links["length_km"].to_numpy()[0] = 1.0


def test_input_frames_are_not_modified(toy: corridor.Network) -> None:
    nodes = toy.nodes.copy()
    before = nodes.copy()
    corridor.Network(nodes, toy.links)
    pd.testing.assert_frame_equal(nodes, before)


def test_crossing_must_join_two_countries(toy: corridor.Network) -> None:
    nodes = toy.nodes.copy()
    nodes.loc[2, "country_b"] = "XA"
    with pytest.raises(corridor.SchemaError, match="must join two different countries"):
        corridor.Network(nodes, toy.links, toy.crossings)


def test_crossing_rows_need_a_crossing_node(toy: corridor.Network) -> None:
    crossings = toy.crossings.copy()
    crossings.loc[0, "node_id"] = 1
    with pytest.raises(corridor.SchemaError, match="not border_crossing nodes"):
        corridor.Network(toy.nodes, toy.links, crossings)


def test_zero_length_only_for_transfers(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links.loc[0, "length_km"] = 0.0
    with pytest.raises(corridor.SchemaError, match="zero length"):
        corridor.Network(toy.nodes, links)
    links.loc[0, "mode"] = "transfer"
    corridor.Network(toy.nodes, links)


def test_turns_must_name_existing_links(toy: corridor.Network) -> None:
    turns = pd.DataFrame(
        {
            "restriction_id": [1],
            "kind": ["no"],
            "from_link": [10],
            "via_node": [2],
            "to_link": [999],
        }
    )
    with pytest.raises(corridor.SchemaError, match=r"turns\.to_link"):
        corridor.Network(toy.nodes, toy.links, turns=turns)


def test_as_of_drops_links_not_yet_open_or_closed(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links["opened"] = pd.to_datetime([None, None, None, "2021-12-03", None, None])
    links["closed"] = pd.to_datetime([None, "2020-01-01", None, None, None, None])
    net = corridor.Network(toy.nodes, links)
    assert set(net.as_of("2019-06-01").links["link_id"]) == {10, 11, 12, 21, 30}
    assert set(net.as_of("2022-01-01").links["link_id"]) == {10, 12, 20, 21, 30}
    assert len(net.links) == 6  # the original is untouched


def test_content_hash_tracks_content(toy: corridor.Network) -> None:
    same = corridor.Network(toy.nodes, toy.links, toy.crossings)
    assert same.content_hash == toy.content_hash
    links = toy.links.copy()
    links.loc[0, "speed_kmh"] = 110.0
    assert toy.with_links(links).content_hash != toy.content_hash


def test_repr(toy: corridor.Network) -> None:
    assert repr(toy) == "<Network 'toy': 5 nodes, 6 links, 1 crossings>"
