"""A toy network for the freight assignment tests: parallel border crossings between XA and XB."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

import corridor

ORIGIN, DESTINATION = 1, 2


def parallel_crossings(
    delays_h: Sequence[float],
    capacities_day: Sequence[float],
    *,
    fees_usd: Sequence[float] | None = None,
    lengths_km: Sequence[float] | None = None,
    mode: str = "road",
) -> corridor.Network:
    """O (country XA) and D (XB) joined by one road route through each crossing.

    Route ``i`` is O -> C_i -> D, two trunk roads of ``lengths_km[i] / 2`` each (default
    100 km), and crossing ``C_i`` has clearance ``delays_h[i]`` and capacity
    ``capacities_day[i]`` trucks a day each way. With ``mode="rail"`` the routes are 1520 mm
    main lines and the capacities trains a day.
    """
    rail = mode == "rail"
    k = len(delays_h)
    fees = list(fees_usd) if fees_usd is not None else [0.0] * k
    lengths = list(lengths_km) if lengths_km is not None else [100.0] * k
    cx = [10 + i for i in range(k)]
    nodes = pd.DataFrame(
        {
            "node_id": [ORIGIN, DESTINATION, *cx],
            "name": ["Origo", "Destino", *[f"Cross {i}" for i in range(k)]],
            "kind": ["city", "city", *["border_crossing"] * k],
            "country": ["XA", "XB", *["XA"] * k],
            "lon": [0.0, 2.0, *[1.0] * k],
            "lat": [0.0, 0.0, *[0.1 * i for i in range(k)]],
            "population": [1_000_000, 1_000_000, *[0] * k],
            "country_a": ["", "", *["XA"] * k],
            "country_b": ["", "", *["XB"] * k],
        }
    )
    links = pd.DataFrame(
        {
            "link_id": [100 + i for i in range(k)] + [200 + i for i in range(k)],
            "a_node": [ORIGIN] * k + cx,
            "b_node": cx + [DESTINATION] * k,
            "mode": [mode] * (2 * k),
            "class": ["mainline" if rail else "trunk"] * (2 * k),
            "length_km": [x / 2 for x in lengths] * 2,
            "speed_kmh": [80.0] * (2 * k),
            "gauge_mm": [1520.0 if rail else None] * (2 * k),
            "provenance": ["toy"] * (2 * k),
        }
    )
    crossings = pd.DataFrame(
        {
            "node_id": [c for c in cx for _ in range(2)],
            "mode": [mode] * (2 * k),
            "direction": ["a_to_b", "b_to_a"] * k,
            "delay_p50_h": [d for d in delays_h for _ in range(2)],
            "fee_usd": [f for f in fees for _ in range(2)],
            "capacity_veh_day": [c for c in capacities_day for _ in range(2)],
        }
    )
    return corridor.Network(nodes, links, crossings, name="parallel-crossings")


def od_table(rows: Sequence[tuple[int, int, str, float]], mode: str = "road") -> pd.DataFrame:
    """OD rows (origin, destination, commodity, vehicles a year) at 20 t per vehicle."""
    return pd.DataFrame(
        {
            "origin_zone": [str(o) for o, _, _, _ in rows],
            "destination_zone": [str(d) for _, d, _, _ in rows],
            "origin_node": [o for o, _, _, _ in rows],
            "destination_node": [d for _, d, _, _ in rows],
            "commodity": [c for _, _, c, _ in rows],
            "mode": [mode] * len(rows),
            "tonnes_year": [20.0 * v for _, _, _, v in rows],
            "teu_year": [0.0] * len(rows),
            "vehicles_year": [float(v) for _, _, _, v in rows],
        }
    )
