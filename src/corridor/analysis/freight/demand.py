"""Annual freight demand by commodity between zones, from trade-lane totals and proxies.

Each row of ``data/demand.yaml`` is a trade lane: an origin group, a destination group, a
commodity and its tonnes a year, with the statistic it comes from. The lane total ``T`` is
spread over the zones by the lane's proxies (:meth:`ZoneSet.shares`)::

    tonnes[o, d] = T x s_o(origin_proxy) x s_d(destination_proxy)

so that every lane's total is kept exactly (the shares sum to 1 on each side). A scenario's
``scale_demand`` factor multiplies every lane.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.analysis.freight.commodities import Commodity
from corridor.analysis.freight.files import read_yaml, require
from corridor.analysis.freight.zones import ZoneSet
from corridor.errors import ValidationError

__all__ = ["Lane", "demand_table", "load_lanes"]


@dataclass(frozen=True, slots=True)
class Lane:
    """One trade lane's annual tonnes (see the module docstring)."""

    origin: str
    destination: str
    commodity: str
    tonnes_year: float
    origin_proxy: str
    destination_proxy: str
    source: str


def _lane(row: object, where: str) -> Lane:
    if not isinstance(row, dict):
        raise ValidationError(f"{where}: must be a mapping")
    tonnes = float(require(row, "tonnes_year", where, (int, float)))
    if not (np.isfinite(tonnes) and tonnes >= 0):
        raise ValidationError(f"{where}: tonnes_year must be >= 0, got {tonnes!r}")
    return Lane(
        origin=str(require(row, "origin", where, str)),
        destination=str(require(row, "destination", where, str)),
        commodity=str(require(row, "commodity", where, str)),
        tonnes_year=tonnes,
        origin_proxy=str(require(row, "origin_proxy", where, str)),
        destination_proxy=str(require(row, "destination_proxy", where, str)),
        source=str(require(row, "source", where, str)),
    )


def _adjusted(
    base: tuple[Lane, ...], entry: dict[str, Any], year: int, where: str
) -> tuple[Lane, ...]:
    """A year given as another year's lanes with some lanes rescaled or reset."""
    out = list(base)
    matched = [False] * len(out)
    for i, adj in enumerate(entry.get("adjust") or [], start=1):
        at = f"{where}, adjust {i}"
        if not isinstance(adj, dict):
            raise ValidationError(f"{at}: must be a mapping")
        origin = str(require(adj, "origin", at, str))
        destination = str(require(adj, "destination", at, str))
        commodity = str(adj.get("commodity", ""))
        source = str(require(adj, "source", at, str))
        if ("factor" in adj) == ("tonnes_year" in adj):
            raise ValidationError(f"{at}: give exactly one of 'factor' and 'tonnes_year'")
        key = "factor" if "factor" in adj else "tonnes_year"
        value = float(require(adj, key, at, (int, float)))
        if not (np.isfinite(value) and value >= 0):
            raise ValidationError(f"{at}: {key} must be >= 0, got {value!r}")
        hit = [
            k
            for k, ln in enumerate(out)
            if ln.origin == origin
            and ln.destination == destination
            and (not commodity or ln.commodity == commodity)
        ]
        if not hit:
            raise ValidationError(f"{at}: matches no lane of the base year")
        for k in hit:
            ln = out[k]
            tonnes = ln.tonnes_year * value if key == "factor" else value
            out[k] = replace(ln, tonnes_year=tonnes, source=f"{year}: {source}")
            matched[k] = True
    for k, ln in enumerate(out):
        if not matched[k]:
            out[k] = replace(ln, source=f"{year}: [assumption] as the base year; {ln.source}")
    return tuple(out)


def load_lanes(year: int, path: str | Path | None = None) -> tuple[Lane, ...]:
    """The lanes of `year` from `path`, or the bundled ``data/demand.yaml``.

    A year is either a list of lanes or ``{base: <year>, adjust: [...]}``: the base
    year's lanes with some rescaled (``factor``) or reset (``tonnes_year``), each
    adjustment with its source; lanes not adjusted keep the base year's tonnes and say so.

    Raises
    ------
    DataSourceError
        If the file cannot be read or parsed.
    ValidationError
        If `year` is not in the file (lists the years it has) or a row is incomplete or
        negative (naming the file, year, row and field).
    """
    data, label = read_yaml(path, "demand.yaml")
    years = data.get("years")
    if not isinstance(years, dict) or not years:
        raise ValidationError(f"{label}: needs a mapping 'years' (year -> list of lanes)")
    if year not in years:
        have = sorted(int(y) for y in years)
        raise ValidationError(f"{label}: no demand for year {year}; the file has {have}")
    entry = years[year]
    if isinstance(entry, dict):
        base = entry.get("base")
        if not isinstance(base, int) or base == year or not isinstance(years.get(base), list):
            raise ValidationError(
                f"{label}: year {year}: 'base' must name another year that lists its lanes"
            )
        return _adjusted(load_lanes(base, path), entry, year, f"{label}: year {year}")
    if not isinstance(entry, list) or not entry:
        raise ValidationError(f"{label}: year {year} needs a non-empty list of lanes")
    return tuple(
        _lane(row, f"{label}: year {year}, lane {i}") for i, row in enumerate(entry, start=1)
    )


def demand_table(
    lanes: tuple[Lane, ...],
    zones: ZoneSet,
    commodities: tuple[Commodity, ...],
    *,
    factor: float = 1.0,
) -> pd.DataFrame:
    """Zone-to-zone tonnes a year by commodity (see the module docstring).

    Parameters
    ----------
    lanes
        The trade lanes.
    zones
        Zones with their proxies.
    commodities
        The commodity groups a lane may name.
    factor
        Multiplies every lane (a scenario's ``scale_demand``).

    Returns
    -------
    pandas.DataFrame
        ``origin_zone``, ``destination_zone``, ``origin_group``, ``destination_group``,
        ``commodity``, ``tonnes_year``, ``lane`` (row of the lane), one row per non-zero
        cell; zone pairs within one zone are dropped (they never cross the network).

    Raises
    ------
    ValidationError
        If a lane names an unknown commodity, group or proxy.
    """
    known = {c.id for c in commodities}
    frames: list[pd.DataFrame] = []
    for k, lane in enumerate(lanes):
        if lane.commodity not in known:
            raise ValidationError(
                f"lane {k + 1} ({lane.origin}->{lane.destination}): unknown commodity "
                f"{lane.commodity!r}; known: {sorted(known)}"
            )
        try:
            o_zones, s_o = zones.shares(lane.origin, lane.origin_proxy)
            d_zones, s_d = zones.shares(lane.destination, lane.destination_proxy)
        except ValidationError as exc:
            raise ValidationError(
                f"demand lane {k + 1} ({lane.origin}->{lane.destination}, {lane.commodity}): {exc}"
            ) from None
        t = lane.tonnes_year * factor * np.outer(s_o, s_d)
        oi, di = np.nonzero(t > 0)
        frames.append(
            pd.DataFrame(
                {
                    "origin_zone": [o_zones[i].id for i in oi],
                    "destination_zone": [d_zones[j].id for j in di],
                    "origin_group": lane.origin,
                    "destination_group": lane.destination,
                    "commodity": lane.commodity,
                    "tonnes_year": t[oi, di],
                    "lane": k,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    table = table[table["origin_zone"] != table["destination_zone"]]
    return table.reset_index(drop=True)
