"""Checks of a crossings table: percentiles in order, hours readable, status periods apart
and alike in both directions (each problem a message, all reported together)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from corridor.model.hours import hours_problem

__all__ = ["check_crossing_rows"]

_PCTS = ("delay_p10_h", "delay_p50_h", "delay_p90_h")


def check_crossing_rows(crossings: pd.DataFrame) -> list[str]:
    """Percentiles in order, hours readable, periods apart and alike in both directions."""
    problems: list[str] = []
    p10, p50, p90 = (crossings[c].to_numpy(dtype=np.float64) for c in _PCTS)
    disorder = (p10 > p50) | (p50 > p90)
    if disorder.any():
        problems.append(
            "crossings.delay_p10_h/delay_p50_h/delay_p90_h: rows "
            f"{(np.flatnonzero(disorder)[:5] + 1).tolist()} are not p10 <= p50 <= p90"
        )
    hours = crossings["hours"].tolist()
    bad_hours = [(i + 1, why) for i, h in enumerate(hours) if (why := hours_problem(h))]
    if bad_hours:
        shown = "; ".join(f"row {i}: {why}" for i, why in bad_hours[:3])
        problems.append(f"crossings.hours: {shown}")
    backwards = crossings["opened"].notna() & crossings["closed"].notna()
    backwards &= crossings["closed"] <= crossings["opened"]
    if backwards.any():
        problems.append(
            f"crossings.closed: rows {(np.flatnonzero(backwards.to_numpy())[:5] + 1).tolist()} "
            "close before they open"
        )
    start = crossings["opened"].fillna(pd.Timestamp.min).tolist()
    end = crossings["closed"].fillna(pd.Timestamp.max).tolist()
    spans: dict[tuple[int, str, str], list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
    node_ids, modes = crossings["node_id"].tolist(), crossings["mode"].tolist()
    directions = crossings["direction"].tolist()
    for node, mode, direction, a, b in zip(node_ids, modes, directions, start, end, strict=True):
        spans.setdefault((int(node), str(mode), str(direction)), []).append((a, b))
    overlap: set[int] = set()
    signature: dict[tuple[int, str], set[tuple[tuple[pd.Timestamp, pd.Timestamp], ...]]] = {}
    for (node, mode, _direction), periods in spans.items():
        periods.sort()
        if any(p[1] > q[0] for p, q in itertools.pairwise(periods)):
            overlap.add(node)
        signature.setdefault((node, mode), set()).add(tuple(periods))
    if overlap:
        problems.append(
            "crossings: rows of one (node_id, mode, direction) overlap in time (each needs "
            f"a 'closed' date on or before the next 'opened') for nodes {sorted(overlap)[:5]}"
        )
    unlike = sorted({node for (node, _mode), sigs in signature.items() if len(sigs) > 1})
    if unlike:
        problems.append(
            "crossings: the two directions of a crossing-mode must open and close on the "
            f"same dates (nodes {unlike[:5]}); give both directions the same periods"
        )
    return problems
