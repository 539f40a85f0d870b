"""Small networks built in code, for examples, doctests and tests."""

from __future__ import annotations

import pandas as pd

from corridor.model.network import Network

__all__ = ["toy"]


def toy() -> Network:
    """A five-node network: road and rail between A and D, a border crossing at C.

    Road A-B-C-D (motorway A-B at 100 km/h), rail A-E-D (1520 mm then 1435 mm), terminals
    joined by transfer links. C is a crossing between two made-up countries.

    Examples
    --------
    >>> toy()
    <Network 'toy': 5 nodes, 6 links, 1 crossings>
    """
    nodes = pd.DataFrame(
        {
            "node_id": [1, 2, 3, 4, 5],
            "name": ["A", "B", "C", "D", "E"],
            "alt_names": ["Alpha", "Bravo", "Charlie;Charly", "Delta", "Echo"],
            "kind": ["city", "city", "border_crossing", "city", "junction"],
            "country": ["XA", "XA", "XA", "XB", "XA"],
            "lon": [0.0, 1.0, 2.0, 3.0, 1.5],
            "lat": [0.0, 0.0, 0.0, 0.0, 0.5],
            "population": [1_000_000, 200_000, 0, 500_000, 0],
            "country_a": ["", "", "XA", "", ""],
            "country_b": ["", "", "XB", "", ""],
            "name_a": ["", "", "C-west", "", ""],
            "name_b": ["", "", "C-east", "", ""],
        }
    )
    links = pd.DataFrame(
        {
            "link_id": [10, 11, 12, 20, 21, 30],
            "a_node": [1, 2, 3, 1, 5, 5],
            "b_node": [2, 3, 4, 5, 4, 3],
            "mode": ["road", "road", "road", "rail", "rail", "road"],
            "class": ["motorway", "trunk", "trunk", "mainline", "mainline", "primary"],
            "ref": ["M1", "R2", "R2", "L1", "L1", "P3"],
            "name": [
                "Alpha motorway",
                "Bravo road",
                "Bravo road",
                "Echo line",
                "Echo line",
                "Echo road",
            ],
            "length_km": [120.0, 115.0, 118.0, 180.0, 190.0, 70.0],
            "speed_kmh": [100.0, 80.0, 80.0, 60.0, 60.0, 50.0],
            "gauge_mm": [None, None, None, 1520.0, 1435.0, None],
            "provenance": ["toy"] * 6,
        }
    )
    crossings = pd.DataFrame(
        {
            "node_id": [3, 3],
            "mode": ["road", "road"],
            "direction": ["a_to_b", "b_to_a"],
            "delay_p50_h": [5.0, 3.0],
            "fee_usd": [100.0, 80.0],
        }
    )
    return Network(nodes, links, crossings, name="toy")
