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


#: The four dated cases of :func:`dated_network`: (opened, closed) of each element.
DATED_CASES: dict[str, tuple[str | None, str | None]] = {
    "opened_past": ("2020-01-01", None),
    "opens_future": ("2026-01-01", None),
    "closed_past": (None, "2022-01-01"),
    "closes_future": (None, "2026-01-01"),
}


def dated_network() -> corridor.Network:
    """A star of dated elements around a hub city ``H`` (Kazakhstan), for the date rule.

    For each case of :data:`DATED_CASES` (``opened_past``, ``opens_future``, ``closed_past``,
    ``closes_future``) there are three spokes from ``H``, each the only way to its end city:

    * ``L:<case>``: one road link with the case's dates;
    * ``C:<case>``: undated road links through a border crossing into China whose road rows
      carry the case's dates;
    * ``T:<case>``: undated road links through a junction where a turn restriction with the
      case's dates bans the turn towards the end city (reachable only while it is *not* in
      force).

    Every spoke is 100 km of 100 km/h road (crossing spokes 2 x 50 km, 1 h delay).
    """
    cases = list(DATED_CASES)
    rows: list[dict[str, object]] = [
        {"node_id": 1, "name": "H", "kind": "city", "country": "KZ", "lon": 70.0, "lat": 45.0}
    ]
    links: list[dict[str, object]] = []
    crossings: list[dict[str, object]] = []
    turns: list[dict[str, object]] = []

    def city(nid: int, name: str, country: str, lon: float, lat: float) -> None:
        rows.append(
            {
                "node_id": nid,
                "name": name,
                "kind": "city",
                "country": country,
                "lon": lon,
                "lat": lat,
                "population": 10_000,
            }
        )

    def link(lid: int, a: int, b: int, km: float, **dates: object) -> None:
        links.append(
            {
                "link_id": lid,
                "a_node": a,
                "b_node": b,
                "mode": "road",
                "length_km": km,
                "speed_kmh": 100.0,
                "country": "KZ" if lid < 300 else "CN",
                **dates,
            }
        )

    for i, case in enumerate(cases):
        opened, closed = (pd.Timestamp(d) if d else pd.NaT for d in DATED_CASES[case])
        # links
        city(10 + i, f"L:{case}", "KZ", 71.0 + i * 0.1, 45.0)
        link(100 + i, 1, 10 + i, 100.0, opened=opened, closed=closed)
        # crossings
        x, c = 20 + i, 30 + i
        rows.append(
            {
                "node_id": x,
                "name": f"X:{case}",
                "kind": "border_crossing",
                "country": "KZ",
                "lon": 70.0 + i * 0.1,
                "lat": 46.0,
                "country_a": "KZ",
                "country_b": "CN",
                "name_a": "a",
                "name_b": "b",
            }
        )
        city(c, f"C:{case}", "CN", 70.0 + i * 0.1, 46.5)
        link(200 + i, 1, x, 50.0)
        link(300 + i, x, c, 50.0)
        for direction in ("a_to_b", "b_to_a"):
            crossings.append(
                {
                    "node_id": x,
                    "mode": "road",
                    "direction": direction,
                    "delay_p50_h": 1.0,
                    "passenger_delay_h": 1.0,
                    "opened": opened,
                    "closed": closed,
                }
            )
        # turns
        v, t = 40 + i, 50 + i
        rows.append(
            {
                "node_id": v,
                "name": f"V:{case}",
                "kind": "junction",
                "country": "KZ",
                "lon": 69.0 - i * 0.1,
                "lat": 45.0,
            }
        )
        city(t, f"T:{case}", "KZ", 69.0 - i * 0.1, 44.5)
        link(240 + i, 1, v, 50.0)
        link(250 + i, v, t, 50.0)
        turns.append(
            {
                "restriction_id": 900 + i,
                "kind": "no",
                "from_link": 240 + i,
                "via_node": v,
                "to_link": 250 + i,
                "opened": opened,
                "closed": closed,
            }
        )
    return corridor.Network(
        pd.DataFrame(rows).fillna(
            {"population": 0, "country_a": "", "country_b": "", "name_a": "", "name_b": ""}
        ),
        pd.DataFrame(links),
        pd.DataFrame(crossings),
        pd.DataFrame(turns),
        name="dated",
    )
