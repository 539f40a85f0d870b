"""Tables of a :class:`~corridor.analysis.tourism.model.Demand`: visits by direction,
purpose, mode, OD pair and land crossing, with spending.

A land crossing counts two passages per visit through it (out and back); a visit whose
path passes two crossings (a transit) counts at each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor import defaults
from corridor.analysis.tourism.model import Demand

__all__ = [
    "by_direction",
    "by_mode",
    "by_purpose",
    "crossing_passages",
    "long_table",
    "top_od",
]

LAND_MODES: tuple[str, ...] = ("rail", "bus", "car")
"""Modes whose travellers use land crossings."""


def _spend(d: Demand) -> np.ndarray:
    """Spending per visit, US$, ``(origin, purpose)``: nights x spend a day of the origin."""
    per_day = np.asarray([d.usd_per_day.get(c, np.nan) for c in d.countries])
    out: np.ndarray = per_day[:, None] * np.asarray(d.nights)[None, :]
    return out


def long_table(d: Demand, *, min_visits: float = 0.5) -> pd.DataFrame:
    """One row per origin, destination, purpose and mode with at least `min_visits`.

    Columns: origin, destination, origin_country, destination_country, purpose, mode,
    visits_year, spend_usd_year, cost_usd (one-way generalised), time_h.
    """
    o, dd, p, m = np.nonzero(d.visits >= min_visits)
    v = d.visits[o, dd, p, m]
    spend = _spend(d)[o, p] * v
    z = np.asarray(d.zones, dtype=object)
    c = np.asarray(d.countries, dtype=object)
    return pd.DataFrame(
        {
            "origin": z[o],
            "destination": z[dd],
            "origin_country": c[o],
            "destination_country": c[dd],
            "purpose": np.asarray(d.purposes, dtype=object)[p],
            "mode": np.asarray(d.modes, dtype=object)[m],
            "visits_year": v,
            "spend_usd_year": spend,
            "cost_usd": d.los.cost_usd[m, o, dd],
            "time_h": d.los.time_h[m, o, dd],
        }
    )


def by_direction(d: Demand) -> pd.DataFrame:
    """Visits and spending per ordered country pair, with the visa regime."""
    spend = (d.visits.sum(axis=3) * _spend(d)[:, None, :]).sum(axis=2)
    per = d.visits.sum(axis=(2, 3))
    c = np.asarray(d.countries)
    rows = []
    for a in dict.fromkeys(d.countries):
        for b in dict.fromkeys(d.countries):
            if a == b:
                continue
            mask = np.ix_(c == a, c == b)
            visits = float(per[mask].sum())
            if visits <= 0:
                continue
            rows.append(
                {
                    "direction": f"{a}->{b}",
                    "from_country": a,
                    "to_country": b,
                    "visits_year": visits,
                    "spend_usd_year": float(spend[mask].sum()),
                    "visa_regime": d.regimes.get((a, b), "visa"),
                }
            )
    return pd.DataFrame(rows)


def by_purpose(d: Demand) -> pd.DataFrame:
    """Visits per direction and purpose."""
    c = np.asarray(d.countries)
    rows = []
    for a in dict.fromkeys(d.countries):
        for b in dict.fromkeys(d.countries):
            if a == b:
                continue
            block = d.visits[np.ix_(c == a, c == b)].sum(axis=(0, 1, 3))
            for k, p in enumerate(d.purposes):
                if block[k] > 0:
                    rows.append(
                        {"direction": f"{a}->{b}", "purpose": p, "visits_year": float(block[k])}
                    )
    return pd.DataFrame(rows, columns=["direction", "purpose", "visits_year"])


def by_mode(d: Demand) -> pd.DataFrame:
    """Visits per direction and mode, with the mode's share of the direction."""
    c = np.asarray(d.countries)
    rows = []
    for a in dict.fromkeys(d.countries):
        for b in dict.fromkeys(d.countries):
            if a == b:
                continue
            block = d.visits[np.ix_(c == a, c == b)].sum(axis=(0, 1, 2))
            total = block.sum()
            for k, m in enumerate(d.modes):
                if block[k] > 0:
                    rows.append(
                        {
                            "direction": f"{a}->{b}",
                            "mode": m,
                            "visits_year": float(block[k]),
                            "share": float(block[k] / total),
                        }
                    )
    return pd.DataFrame(rows, columns=["direction", "mode", "visits_year", "share"])


def top_od(d: Demand, n: int = defaults.TOURISM_TOP_OD) -> pd.DataFrame:
    """The `n` origin-destination pairs with the most visits (all purposes and modes)."""
    per = d.visits.sum(axis=(2, 3))
    flat = np.argsort(per, axis=None)[::-1][:n]
    o, dd = np.unravel_index(flat, per.shape)
    keep = per[o, dd] > 0
    o, dd = o[keep], dd[keep]
    air = d.modes.index("air") if "air" in d.modes else None
    share = d.visits[o, dd, :, air].sum(axis=1) / per[o, dd] if air is not None else np.nan
    return pd.DataFrame(
        {
            "origin": np.asarray(d.zones, dtype=object)[o],
            "destination": np.asarray(d.zones, dtype=object)[dd],
            "visits_year": per[o, dd],
            "air_share": share,
        }
    )


def crossing_passages(d: Demand) -> pd.DataFrame:
    """Passages a year at each land crossing by land mode (2 per visit through it)."""
    acc: dict[tuple[str, str], float] = {}
    per = d.visits.sum(axis=2)  # (o, d, mode)
    for k, mode in enumerate(d.modes):
        if mode not in LAND_MODES:
            continue
        o_idx, d_idx = np.nonzero(per[:, :, k] > 0)
        for i, j in zip(o_idx.tolist(), d_idx.tolist(), strict=True):
            for name in d.los.crossings[k][i][j]:
                acc[(name, mode)] = acc.get((name, mode), 0.0) + 2.0 * float(per[i, j, k])
    rows = [{"crossing": c, "mode": m, "passages_year": v} for (c, m), v in acc.items()]
    out = pd.DataFrame(rows, columns=["crossing", "mode", "passages_year"])
    return out.sort_values("passages_year", ascending=False, ignore_index=True)
