"""Annual freight demand by commodity between zones, from trade-lane totals and proxies.

Each row of ``data/demand.yaml`` is a trade lane: an origin group, a destination group, a
commodity and its tonnes a year, with the statistic it comes from. The lane total ``T`` is
spread over the zones by the lane's proxies (:meth:`ZoneSet.shares`)::

    tonnes[o, d] = T x s_o(origin_proxy) x s_d(destination_proxy)

so that every lane's total is kept exactly (the shares sum to 1 on each side). A scenario's
``scale_demand`` factor multiplies every lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def load_lanes(year: int, path: str | Path | None = None) -> tuple[Lane, ...]:
    """The lanes of `year` from `path`, or the bundled ``data/demand.yaml``.

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
    rows = years[year]
    if not isinstance(rows, list) or not rows:
        raise ValidationError(f"{label}: year {year} needs a non-empty list of lanes")
    out: list[Lane] = []
    for i, row in enumerate(rows, start=1):
        where = f"{label}: year {year}, lane {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where}: must be a mapping")
        tonnes = float(require(row, "tonnes_year", where, (int, float)))
        if not (np.isfinite(tonnes) and tonnes >= 0):
            raise ValidationError(f"{where}: tonnes_year must be >= 0, got {tonnes!r}")
        out.append(
            Lane(
                origin=str(require(row, "origin", where, str)),
                destination=str(require(row, "destination", where, str)),
                commodity=str(require(row, "commodity", where, str)),
                tonnes_year=tonnes,
                origin_proxy=str(require(row, "origin_proxy", where, str)),
                destination_proxy=str(require(row, "destination_proxy", where, str)),
                source=str(require(row, "source", where, str)),
            )
        )
    return tuple(out)


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
        o_zones, s_o = zones.shares(lane.origin, lane.origin_proxy)
        d_zones, s_d = zones.shares(lane.destination, lane.destination_proxy)
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
