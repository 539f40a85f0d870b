"""Networks built in code for tests (beside the fixtures in conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import corridor


def random_network(seed: int, n: int = 40) -> corridor.Network:
    """A seeded random road network of `n` cities in Kazakhstan with populations."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(60, 70, n)
    lat = rng.uniform(40, 45, n)
    nodes = pd.DataFrame(
        {
            "node_id": np.arange(100, 100 + n),
            "name": [f"P{i}" for i in range(n)],
            "kind": ["city"] * n,
            "country": ["KZ"] * n,
            "lon": lon,
            "lat": lat,
            "population": rng.integers(0, 100_000, n),
        }
    )
    m = 2 * n
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = a != b
    a, b = a[keep], b[keep]
    links = pd.DataFrame(
        {
            "link_id": np.arange(a.size),
            "a_node": 100 + a,
            "b_node": 100 + b,
            "mode": "road",
            "length_km": rng.uniform(10, 300, a.size).round(1),
            "speed_kmh": rng.choice([60.0, 80.0, 100.0], a.size),
        }
    )
    return corridor.Network(nodes, links, name=f"random{seed}")
