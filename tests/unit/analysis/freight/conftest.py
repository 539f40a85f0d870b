"""Synthetic freight models built in code (no network): costs, demand and paths by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.analysis.freight.commodities import MODES, Commodity
from corridor.analysis.freight.model import CrossingInfo, FreightModel


def commodity(cid: str = "boxes", handling: str = "container", **kw: object) -> Commodity:
    values: dict[str, object] = {
        "id": cid,
        "name": cid,
        "handling": handling,
        "value_usd_per_t": 2400.0,
        "vot_pct_per_day": 1.0,
        "reliability_ratio": 0.5,
        "tonnes_per_teu": 10.0 if handling == "container" else float("nan"),
        "modes": ("road", "rail_container", "sea")
        if handling == "container"
        else ("road", "rail_wagon", "sea"),
        "source": "test",
    }
    values.update(kw)
    return Commodity(**values)  # type: ignore[arg-type]


def synthetic_model(n_rows: int = 60, seed: int = 7) -> FreightModel:
    """Rows A->B and A->C, random costs; crossings: road X3 (A-D), container X1, wagon X2."""
    rng = np.random.default_rng(seed)
    goods = commodity()
    bulk = commodity("ore", "bulk", value_usd_per_t=300.0, vot_pct_per_day=0.6)
    codes = np.where(np.arange(n_rows) % 2 == 0, goods.id, bulk.id)
    dest = np.where(np.arange(n_rows) % 3 == 0, "C", "B")
    demand = pd.DataFrame(
        {
            "origin_zone": [f"a{i}" for i in range(n_rows)],
            "destination_zone": [f"{d.lower()}{i}" for i, d in enumerate(dest)],
            "origin_group": "A",
            "destination_group": dest,
            "origin_node": np.arange(n_rows, dtype=np.int64),
            "destination_node": np.arange(n_rows, dtype=np.int64) + 1000,
            "commodity": codes,
            "tonnes_year": rng.uniform(1e5, 1e6, n_rows),
        }
    )
    money = rng.uniform(20.0, 400.0, (n_rows, len(MODES)))
    time = rng.uniform(24.0, 900.0, (n_rows, len(MODES)))
    paths = tuple(((3,), (1,), (2,), ()) for _ in range(n_rows))
    return FreightModel(
        demand=demand,
        money_usd_per_t=money,
        time_h=time,
        paths=paths,
        sea_ports=tuple("" for _ in range(n_rows)),
        commodities={goods.id: goods, bulk.id: bulk},
        crossings={
            1: CrossingInfo(1, "X1", "A", "B"),
            2: CrossingInfo(2, "X2", "A", "C"),
            3: CrossingInfo(3, "X3", "A", "D"),
        },
    )
