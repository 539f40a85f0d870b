"""Rail CO2 by traction: diesel fuel or grid electricity, GLEC Framework v3 / ISO 14083 style.

A rail leg's emissions follow from its energy use and the emission factor of that energy:

* **Diesel.** ``fuel_g`` of diesel per unit-km (a profile's
  ``rail.traction.diesel_fuel_g_per_unit_km``) emits ``fuel_g x 3.527 g CO2e/g`` at the
  wheel (TTW); well-to-wheel is TTW x 1.30 (the well-to-tank share of diesel).
* **Electric.** ``kwh`` per unit-km (``rail.traction.electric_kwh_per_unit_km``) emits
  nothing at the wheel; its WTW is ``kwh x`` the grid intensity of the link's country
  (g CO2e/kWh, Electricity Maps 2024 yearly averages) or, in Russia, of the grid zone at
  the link's longitude, or a default where the country is not listed.

A link is electric where its ``electrified`` column is true. The factors and their sources
live in ``corridor/costs/traction.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from corridor._typing import FloatArray
from corridor.errors import DataSourceError

__all__ = ["TractionFactors", "rail_co2_g_per_unit_km", "traction_factors"]


@dataclass(frozen=True, slots=True)
class TractionFactors:
    """Emission factors of rail traction energy.

    Attributes
    ----------
    diesel_ttw_g_per_g
        Tank-to-wheel g CO2e per g of diesel burnt.
    diesel_wtw_per_ttw
        Well-to-wheel / tank-to-wheel ratio of diesel.
    grid_g_per_kwh
        Grid intensity by ISO country code, g CO2e per kWh (read-only mapping).
    default_grid_g_per_kwh
        Grid intensity where a country is not listed, g CO2e per kWh.
    grid_zones
        Countries whose grid differs by region: ``((below_lon, g_per_kwh), ...)`` in order
        of longitude (read-only mapping).
    source
        Where the figures come from.
    """

    diesel_ttw_g_per_g: float
    diesel_wtw_per_ttw: float
    grid_g_per_kwh: MappingProxyType[str, float]
    default_grid_g_per_kwh: float
    grid_zones: MappingProxyType[str, tuple[tuple[float, float], ...]]
    source: str

    def grid_of(self, countries: ArrayLike, lons: ArrayLike | None = None) -> FloatArray:
        """Grid intensity of each link, g CO2e per kWh: its country's, or the zone's at
        `lons` (longitude of the link, degrees east; NaN or None for the country's)."""
        codes = np.asarray(countries, dtype=object).ravel()
        get = self.grid_g_per_kwh.get
        default = self.default_grid_g_per_kwh
        out = np.fromiter((get(str(c), default) for c in codes), dtype=np.float64, count=codes.size)
        if lons is None:
            return out
        lon = np.asarray(lons, dtype=np.float64).ravel()
        for country, zones in self.grid_zones.items():
            sel = (codes == country) & np.isfinite(lon)
            limits = np.array([z[0] for z in zones])
            grids = np.array([z[1] for z in zones])
            idx = np.minimum(np.searchsorted(limits, lon[sel], side="right"), len(zones) - 1)
            out[sel] = grids[idx]
        return out


@lru_cache(maxsize=1)
def traction_factors() -> TractionFactors:
    """The packaged traction factors (``corridor/costs/traction.yaml``).

    Raises
    ------
    DataSourceError
        If the packaged file is missing a field.

    Examples
    --------
    >>> f = traction_factors()
    >>> f.grid_g_per_kwh["MN"] > f.grid_g_per_kwh["LA"]
    True
    >>> f.grid_of(["RU", "RU", "RU", "KZ"], [37.6, 82.9, 131.9, 76.9]).tolist()
    [355.0, 391.0, 449.0, 592.0]
    """
    import yaml

    text = resources.files("corridor.costs").joinpath("traction.yaml").read_text()
    doc: dict[str, Any] = yaml.safe_load(text)
    try:
        diesel, elec = doc["diesel"], doc["electricity"]
        return TractionFactors(
            diesel_ttw_g_per_g=float(diesel["ttw_kg_co2e_per_kg"]),
            diesel_wtw_per_ttw=float(diesel["wtw_per_ttw"]),
            grid_g_per_kwh=MappingProxyType(
                {str(k): float(v) for k, v in elec["grid_g_co2e_per_kwh"].items()}
            ),
            default_grid_g_per_kwh=float(elec["default_g_co2e_per_kwh"]),
            grid_zones=MappingProxyType(
                {
                    str(c): tuple(
                        (float(z["below_lon"]), float(z["g_co2e_per_kwh"]))
                        for z in sorted(zones, key=lambda z: float(z["below_lon"]))
                    )
                    for c, zones in (elec.get("grid_zones") or {}).items()
                }
            ),
            source=f"{diesel['source']}; {elec['source']}",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataSourceError("traction.yaml", f"missing or bad field: {exc}") from None


def rail_co2_g_per_unit_km(
    electrified: ArrayLike,
    countries: ArrayLike,
    *,
    diesel_fuel_g_per_unit_km: float,
    electric_kwh_per_unit_km: float,
    lons: ArrayLike | None = None,
    factors: TractionFactors | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Tank-to-wheel and well-to-wheel CO2e of rail links, g per unit-km.

    Parameters
    ----------
    electrified
        Whether each link is electrified (bool per link).
    countries
        ISO country code of each link (selects the grid intensity).
    diesel_fuel_g_per_unit_km
        Diesel burnt per unit (t of cargo or traveller) and km on a diesel link, g.
    electric_kwh_per_unit_km
        Electricity drawn from the grid per unit and km on an electric link, kWh.
    lons
        Longitude of each link's midpoint (selects the grid zone in countries with zones).
    factors
        Emission factors; the packaged ones by default.

    Returns
    -------
    tuple of ndarray
        ``(ttw, wtw)``, g CO2e per unit-km of each link.

    Examples
    --------
    >>> ttw, wtw = rail_co2_g_per_unit_km(
    ...     [True, False], ["MN", "MN"], diesel_fuel_g_per_unit_km=5.0,
    ...     electric_kwh_per_unit_km=0.025)
    >>> ttw.round(2).tolist(), wtw.round(2).tolist()
    ([0.0, 17.64], [18.65, 22.93])
    """
    f = factors if factors is not None else traction_factors()
    electric = np.asarray(electrified, dtype=bool)
    diesel_ttw = diesel_fuel_g_per_unit_km * f.diesel_ttw_g_per_g
    ttw = np.where(electric, 0.0, diesel_ttw)
    wtw = np.where(
        electric,
        electric_kwh_per_unit_km * f.grid_of(countries, lons),
        diesel_ttw * f.diesel_wtw_per_ttw,
    )
    return np.asarray(ttw, dtype=np.float64), np.asarray(wtw, dtype=np.float64)
