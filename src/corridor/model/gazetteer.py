"""What a place lookup knows beyond the network: world cities and spelling variants.

A :class:`Gazetteer` holds the GeoNames cities of 15,000 people or more of every country
and a curated table of spelling variants (romanisations, abbreviations). The place
lookup uses it to tell a typo from a real town that is not in the network, to refuse a
name that a larger town outside the network also bears, and to say that a place lies
outside the network's coverage. It is built by :func:`corridor.data.load_gazetteer`
(the model does no I/O).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.typing import ArrayLike

from corridor._typing import FloatArray
from corridor.errors import ValidationError
from corridor.model.names import name_key
from corridor.model.resolution import Candidate

__all__ = ["CITY_COLUMNS", "Gazetteer", "distance_km"]

CITY_COLUMNS = ("geonameid", "name", "country", "population", "lat", "lon")
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def distance_km(lat: float, lon: float, lats: ArrayLike, lons: ArrayLike) -> FloatArray:
    """Great-circle (haversine) distances in km from one point to many."""
    p1, p2 = np.radians(lat), np.radians(np.asarray(lats, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lons, dtype=np.float64) - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


@dataclass(frozen=True)
class Gazetteer:
    """World cities and curated spelling variants, for the place lookup.

    Parameters
    ----------
    cities
        One row per city: `geonameid`, `name`, `country` (ISO 3166-1 alpha-2),
        `population`, `lat`, `lon` (GeoNames), and optionally `key`, the precomputed
        :func:`name_key` of `name`, and `alt_keys`, the ``;``-joined keys of its GeoNames
        alternate names (used only to explain a name, never to resolve one silently).
    countries
        English country name by ISO code.
    variants
        Groups of spellings of one name (``("Zabaykal'sk", "Zabaikalsk")``); a place
        bearing one spelling is found by every other.
    min_population
        Cities below this population are not counted as homonyms that make a name
        ambiguous.
    """

    cities: pd.DataFrame
    countries: Mapping[str, str]
    variants: tuple[tuple[str, ...], ...] = ()
    min_population: int = 15_000
    _key_sorted: npt.NDArray[np.object_] = field(init=False, repr=False)
    _key_rows: npt.NDArray[np.intp] = field(init=False, repr=False)
    _by_alt: dict[str, tuple[int, ...]] = field(init=False, repr=False)
    _spellings: dict[str, frozenset[str]] = field(init=False, repr=False)
    _codes: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        missing = [c for c in CITY_COLUMNS if c not in self.cities.columns]
        if missing:
            raise ValidationError(f"gazetteer cities lack column(s) {missing}")
        cities = self.cities.sort_values(
            "population", ascending=False, kind="stable", ignore_index=True
        )
        object.__setattr__(self, "cities", cities)
        keys = (
            cities["key"].to_numpy(dtype=object)
            if "key" in cities
            else np.array([name_key(str(n)) for n in cities["name"]], dtype=object)
        )
        # name keys in sorted order and the row each came from (stable, so rows of one
        # key stay most populous first): a lookup is two binary searches, and the
        # Candidate records are built only for the rows a lookup asks about
        order = np.argsort(keys, kind="stable")
        object.__setattr__(self, "_key_rows", order)
        object.__setattr__(self, "_key_sorted", keys[order])
        by_alt: dict[str, list[int]] = {}
        if "alt_keys" in cities:
            alt = cities["alt_keys"].fillna("").astype(str)
            for row, text in zip(
                np.flatnonzero(alt.str.len().to_numpy() > 0).tolist(),
                alt[alt.str.len() > 0].tolist(),
                strict=True,
            ):
                for k in text.split(";"):
                    if k:
                        by_alt.setdefault(k, []).append(row)
        object.__setattr__(self, "_by_alt", {k: tuple(v) for k, v in by_alt.items()})
        spellings: dict[str, set[str]] = {}
        for group in self.variants:
            group_keys = {name_key(v) for v in group} - {""}
            for k in group_keys:
                spellings.setdefault(k, set()).update(group_keys)
        object.__setattr__(self, "_spellings", {k: frozenset(v) for k, v in spellings.items()})
        codes = {code.lower(): code for code in self.countries}
        codes.update({name_key(n): code for code, n in self.countries.items()})
        object.__setattr__(self, "_codes", codes)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self.cities)} cities, {len(self.variants)} variant groups>"

    def cities_named(self, key: str) -> tuple[Candidate, ...]:
        """Cities whose GeoNames name has the name key `key`, most populous first."""
        lo = int(np.searchsorted(self._key_sorted, key, side="left"))
        hi = int(np.searchsorted(self._key_sorted, key, side="right"))
        return tuple(self._candidate(r) for r in self._key_rows[lo:hi].tolist())

    def cities_also_named(self, key: str) -> tuple[Candidate, ...]:
        """Cities of a million or more with a GeoNames alternate name of key `key`."""
        return tuple(self._candidate(r) for r in self._by_alt.get(key, ()))

    def _candidate(self, row: int) -> Candidate:
        """The city in row `row` of :attr:`cities` as a lookup candidate."""
        g, n, c, p, la, lo = self.cities.iloc[row][list(CITY_COLUMNS)].tolist()
        return Candidate(str(n), str(c), int(p), float(la), float(lo), geonameid=int(g))

    def spellings(self, key: str) -> frozenset[str]:
        """Name keys of every curated spelling variant of `key` (with `key` itself)."""
        return self._spellings.get(key, frozenset()) | {key}

    def country_code(self, text: str) -> str | None:
        """The ISO code for a country code or English country name, else None."""
        text = text.strip()
        if len(text) == 2 and text.isalpha():
            return self._codes.get(text.lower(), text.upper())
        return self._codes.get(name_key(text))

    def country_name(self, code: str) -> str:
        """English name of a country code (the code itself when unknown)."""
        return str(self.countries.get(code, code))
