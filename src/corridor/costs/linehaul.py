"""Line-haul terms of each link for a profile: speed, money per km and CO2 per unit-km.

* **Speed.** The link's line speed x the profile's ``speed_factor``, within the profile's
  caps. On rail, where the link carries them: the commercial freight speed
  (``freight_km_per_day`` x ``freight_speed_share`` / 24) for profiles with ``km_per_day``,
  and the timetabled passenger speed for profiles with a ``service`` (``fastest``: the fast
  trains where they run, else the regular trains). Links without them fall back to the
  profile's ``km_per_day`` or the capped line speed.
* **Money.** The profile's ``cost_per_km_usd``, or the rate of the link's country in
  ``cost_per_km_usd_by_country`` (e.g. the published Russian grain tariff).
* **CO2.** On rail with a ``traction``: by the link's ``electrified`` column and country
  (:mod:`corridor.costs.traction`); otherwise the profile's flat figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._typing import FloatArray, IntArray
from corridor.costs.profiles import ModeParams
from corridor.costs.traction import rail_co2_g_per_unit_km
from corridor.model.schema import Mode

__all__ = ["line_rates", "link_speeds"]

StrArray = NDArray[np.str_]


def _column(links: pd.DataFrame, name: str) -> FloatArray:
    """A numeric links column as float64, all NaN where the network has none."""
    if name not in links.columns:
        return np.full(len(links), np.nan)
    return np.asarray(pd.to_numeric(links[name], errors="coerce"), dtype=np.float64)


def link_speeds(links: pd.DataFrame, params: dict[str, ModeParams]) -> FloatArray:
    """Speed of each link for the profile, km/h.

    The line speed x ``speed_factor`` within the caps; on rail, where the link carries
    them, the commercial freight speed (``freight_km_per_day`` x ``freight_speed_share``
    / 24) for profiles with ``km_per_day`` and the timetabled passenger speed for profiles
    with a ``service`` (``fastest``: the fast trains' speed where they run, else the
    regular trains').
    """
    speed = links["speed_kmh"].to_numpy(dtype=np.float64).copy()
    modes = links["mode"].to_numpy()
    classes = links["class"].to_numpy()
    for mode, p in params.items():
        sel = modes == mode
        if not sel.any():
            continue
        cap = np.full(int(sel.sum()), p.speed_cap_kmh)
        for cls, kmh in p.class_max_speed_kmh.items():
            cap = np.where(classes[sel] == cls, np.minimum(cap, kmh), cap)
        base = np.minimum(speed[sel] * p.speed_factor, cap)
        if mode == Mode.RAIL.value:
            if p.km_per_day is not None:
                line = _column(links, "freight_km_per_day")[sel] * p.freight_speed_share / 24.0
                base = np.where(np.isfinite(line) & (line > 0), line, base)
            if p.service is not None:
                timed = _column(links, "passenger_kmh")[sel]
                if p.service == "fastest":
                    timed = np.fmax(timed, _column(links, "passenger_fast_kmh")[sel])
                base = np.where(np.isfinite(timed) & (timed > 0), timed, base)
        speed[sel] = base
    return speed


def line_rates(
    links: pd.DataFrame,
    rows: IntArray,
    modes: StrArray,
    params: dict[str, ModeParams],
    lons: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Money (US$ per km) and CO2 (TTW, WTW g per unit-km) of the line-haul arcs.

    `rows` are the arcs' rows in `links`, `modes` their modes and `lons` the longitudes
    of their links' midpoints (for grid zones). Money is the link country's rate where the
    profile gives one; CO2 on rail with a ``traction`` follows the link's ``electrified``
    column, country and grid zone (:func:`corridor.costs.traction.rail_co2_g_per_unit_km`),
    otherwise the flat figures.
    """
    per_km = np.zeros(rows.size)
    g_ttw = np.zeros(rows.size)
    g_wtw = np.zeros(rows.size)
    country = links["country"].to_numpy(dtype=object)[rows]
    for m_name, p in params.items():
        sel = modes == m_name
        if not sel.any():
            continue
        rates = p.cost_per_km_usd_by_country
        per_km[sel] = [rates.get(str(c), p.cost_per_km_usd) for c in country[sel]]
        if p.traction is not None and m_name == Mode.RAIL.value:
            electric = links["electrified"].to_numpy(dtype=bool)[rows[sel]]
            g_ttw[sel], g_wtw[sel] = rail_co2_g_per_unit_km(
                electric,
                country[sel],
                diesel_fuel_g_per_unit_km=p.traction.diesel_fuel_g_per_unit_km,
                electric_kwh_per_unit_km=p.traction.electric_kwh_per_unit_km,
                lons=None if lons is None else lons[sel],
            )
        else:
            g_ttw[sel], g_wtw[sel] = p.flat_co2_g_per_unit_km
    return per_km, g_ttw, g_wtw
