"""Place names: case, alternate names, transliterations, country qualifiers, suggestions."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor
from corridor.model.lookup import PlaceIndex, name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zabaikalsk", "Zabaykal'sk"),
        ("Zabaikalsk", "ZABAYKALSK"),
        ("Khorgos", "Horgos"),
        ("Sükhbaatar", "Sukhbaatar"),
        ("Ürümqi", "Urumqi"),
        ("Pogranichny", "Pogranichnyy"),
        ("Ulaanbaatar", "Ulanbaatar"),
        ("Nizhny Novgorod", "Nizhniy-Novgorod"),
    ],
)
def test_transliterations_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_distinct_places_keep_distinct_keys() -> None:
    assert name_key("Kazan") != name_key("Kazakh")
    assert name_key("Omsk") != name_key("Tomsk")


@pytest.fixture
def places() -> PlaceIndex:
    nodes = corridor.Network(
        pd.DataFrame(
            {
                "node_id": [1, 2, 3, 4],
                "name": ["Brest", "Brest", "Zabaykalsk", "Khorgos"],
                "alt_names": ["", "", "Zabaikalsk;Забайкальск", "Horgos;Qorgas"],
                "kind": ["city", "city", "border_crossing", "city"],
                "country": ["FR", "BY", "RU", "KZ"],
                "lon": [-4.5, 23.7, 117.3, 80.4],
                "lat": [48.4, 52.1, 49.6, 44.2],
                "population": [140_000, 340_000, 0, 10_000],
                "country_a": ["", "", "RU", ""],
                "country_b": ["", "", "CN", ""],
            }
        ),
        pd.DataFrame(
            {
                "link_id": [1],
                "a_node": [1],
                "b_node": [2],
                "mode": ["road"],
                "length_km": [2000.0],
                "speed_kmh": [90.0],
            }
        ),
    ).nodes
    return PlaceIndex(nodes)


def test_resolve_by_name_alt_name_and_id(places: PlaceIndex) -> None:
    assert places.resolve("zabaikalsk") == 3
    assert places.resolve("Забайкальск") == 3
    assert places.resolve("Zabaykal'sk") == 3
    assert places.resolve("horgos") == 4
    assert places.resolve(4) == 4
    assert places.resolve("4") == 4


def test_homonyms_prefer_population_and_accept_a_country(places: PlaceIndex) -> None:
    assert places.resolve("Brest") == 2  # the larger one
    assert places.resolve("Brest, FR") == 1
    assert places.resolve("Brest (BY)") == 2


def test_unknown_name_lists_closest(places: PlaceIndex) -> None:
    with pytest.raises(corridor.UnknownNodeError) as err:
        places.resolve("Zabaikalk", role="origin")
    assert "origin" in str(err.value) and "Zabaykalsk" in str(err.value)
    assert err.value.suggestions
    with pytest.raises(corridor.UnknownNodeError, match="node id"):
        places.resolve(77)


def test_prefix_search(places: PlaceIndex) -> None:
    assert places.search("bre")["node_id"].tolist() == [2, 1]
