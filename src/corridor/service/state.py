"""What the service keeps per network: lookups, GeoJSON and response caches.

Everything here is built once when the app starts; requests only read it, except the
least-recently-used caches (guarded by their own locks). Searches take no lock: the
network's :class:`corridor.Router` gives each worker thread its own scratch arrays, so
fresh searches run in parallel (the numba kernels release the GIL).
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd
import shapely

import corridor
from corridor.service.shapes import AREA_DEFINITION, Reach, band_polygons

__all__ = ["LRU", "NetworkState", "diff_networks", "records"]

K = TypeVar("K")
V = TypeVar("V")

_DIGITS = 5  # ~1 m in lon/lat: enough for a map


class LRU(Generic[K, V]):
    """A thread-safe least-recently-used mapping of at most `size` items (0 = keep none)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        """The value for `key` (marking it recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: K, value: V) -> None:
        """Store `value`, dropping the least recently used items beyond the size."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def _xy(coords: Any) -> list[list[float]]:
    arr = np.round(np.asarray(coords, dtype=np.float64)[:, :2], _DIGITS)
    return [[float(x), float(y)] for x, y in arr.tolist()]


def records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (NaN and infinity become null)."""
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return out


class NetworkState:
    """Lookups and GeoJSON of one served network.

    Parameters
    ----------
    network
        The network served.
    route_cache_size
        Responses kept per kind of request.
    """

    def __init__(self, network: corridor.Network, route_cache_size: int) -> None:
        self.network = network
        self.places = corridor.PlaceIndex(network.nodes)
        nodes = network.nodes
        self.node_xy: dict[int, tuple[float, float]] = {
            int(i): (round(float(x), _DIGITS), round(float(y), _DIGITS))
            for i, x, y in zip(nodes["node_id"], nodes["lon"], nodes["lat"], strict=True)
        }
        self.node_name: dict[int, str] = dict(
            zip(nodes["node_id"].astype(int).tolist(), nodes["name"].astype(str), strict=True)
        )
        self.node_kind: dict[int, str] = dict(
            zip(nodes["node_id"].astype(int).tolist(), nodes["kind"].astype(str), strict=True)
        )
        links = network.links
        self.link_geom: dict[int, tuple[int, int, list[list[float]]]] = {}
        for lid, a, b, geom in zip(
            links["link_id"].tolist(),
            links["a_node"].tolist(),
            links["b_node"].tolist(),
            links["geometry"].tolist(),
            strict=True,
        ):
            if geom is None:
                xy = [list(self.node_xy[int(a)]), list(self.node_xy[int(b)])]
            else:
                xy = _xy(shapely.get_coordinates(geom))
            self.link_geom[int(lid)] = (int(a), int(b), xy)
        self.profiles = {p.id: p for p in corridor.list_profiles()}
        self.resolved: LRU[str, corridor.Resolution] = LRU(4096)
        self.responses: LRU[tuple[Any, ...], bytes] = LRU(route_cache_size)
        self.raw_responses: LRU[tuple[str, str], bytes] = LRU(route_cache_size)
        self.network_geojson = json.dumps(self._network_geojson()).encode()
        lon, lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()
        self.bbox = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))

    def lookup(self, place: str | int, role: str) -> corridor.Resolution:
        """How a place name or id resolves (:func:`corridor.lookup_place`; cached).

        Raises
        ------
        UnknownNodeError
            If no node has that name or id, or the name is ambiguous or outside coverage.
        """
        key = f"{role}\t{str(place).strip()}"
        found = self.resolved.get(key)
        if found is None:
            found = corridor.lookup_place(self.network, place, role=role)
            self.resolved.put(key, found)
        return found

    def resolve(self, place: str | int, role: str) -> int:
        """Node id of a place name or id (see :meth:`lookup`).

        Raises
        ------
        UnknownNodeError
            If no node has that name or id.
        """
        return self.lookup(place, role).node_id

    def route_json(self, r: corridor.Route) -> dict[str, Any]:
        """``Route.to_dict()`` with each stop's position and GeoJSON of legs and stops."""
        d = r.to_dict()
        features: list[dict[str, Any]] = []
        for i, (leg, shape) in enumerate(zip(d["legs"], r.legs, strict=True)):
            coords = [[round(x, _DIGITS), round(y, _DIGITS)] for x, y in shape.coords()] or [
                list(self.node_xy[int(leg["from_node"])]),
                list(self.node_xy[int(leg["to_node"])]),
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coords},
                    "properties": {
                        "kind": "leg",
                        "seq": i,
                        "mode": leg["mode"],
                        "name": leg["name"] or leg["ref"],
                        "length_km": leg["length_km"],
                        "time_h": leg["time_h"],
                    },
                }
            )
        for stop in d["stops"]:
            lon, lat = self.node_xy[int(stop["node_id"])]
            stop["lon"], stop["lat"] = lon, lat
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "kind": stop["kind"],
                        "name": stop["name"],
                        "detail": stop["detail"],
                        "time_h": stop["time_h"],
                    },
                }
            )
        if r.profile is None:
            # no stops without a profile: still mark the border crossings passed
            for nid in d["node_ids"]:
                if self.node_kind.get(int(nid)) == "border_crossing":
                    lon, lat = self.node_xy[int(nid)]
                    features.append(
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [lon, lat]},
                            "properties": {
                                "kind": "border_crossing",
                                "name": self.node_name[int(nid)],
                                "detail": "passed (no delay without a profile)",
                                "time_h": 0.0,
                            },
                        }
                    )
        d["features"] = {"type": "FeatureCollection", "features": features}
        return d

    def _network_geojson(self) -> dict[str, Any]:
        net = self.network
        links = net.links
        feats: list[dict[str, Any]] = []
        for lid, mode, cls, ref, name, closed in zip(
            links["link_id"].tolist(),
            links["mode"].astype(str),
            links["class"].astype(str),
            links["ref"].astype(str),
            links["name"].astype(str),
            (~net.open_links()).tolist(),
            strict=True,
        ):
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": self.link_geom[lid][2]},
                    "properties": {
                        "link_id": lid,
                        "mode": mode,
                        "class": cls,
                        "ref": ref,
                        "name": name,
                        "closed": bool(closed),
                    },
                }
            )
        nodes = net.nodes
        kinds = nodes["kind"].astype(str)
        # terminals named apart from their city (Małaszewicze, not "Brest terminal")
        own_name = kinds.eq("terminal") & ~nodes["name"].astype(str).str.endswith(" terminal")
        shown = nodes[kinds.isin(["city", "border_crossing", "port"]) | own_name]
        for nid, name, kind, country, pop in zip(
            shown["node_id"].astype(int).tolist(),
            shown["name"].astype(str),
            shown["kind"].astype(str),
            shown["country"].astype(str),
            shown["population"].fillna(0).astype(float).tolist(),
            strict=True,
        ):
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": list(self.node_xy[nid])},
                    "properties": {
                        "node_id": nid,
                        "name": name,
                        "kind": kind,
                        "country": country,
                        "population": pop,
                    },
                }
            )
        return {"type": "FeatureCollection", "features": feats}

    def isochrone(
        self,
        origin: int,
        hours: list[float],
        modes: str,
        profile: str | None = None,
        network: corridor.Network | None = None,
    ) -> dict[str, Any]:
        """:func:`corridor.isochrone` from `origin` as JSON, with links and nodes as GeoJSON
        and the area within each threshold as polygons (:func:`band_polygons`).

        `network` is the served network on another date (:meth:`corridor.Network.as_of`);
        default the served one.
        """
        net = self.network if network is None else network
        iso = corridor.isochrone(net, origin, hours=hours, modes=modes, profile=profile)
        hs = list(iso.hours)
        frame = iso.nodes
        ids = frame["node_id"].to_numpy(dtype=np.int64)
        t = frame["time_h"].to_numpy(dtype=np.float64)
        time_of = dict(zip(ids.tolist(), t.tolist(), strict=True))
        feats: list[dict[str, Any]] = []
        links = net.links
        usable = set(iso.modes)
        for lid, a, b, mode, closed in zip(
            links["link_id"].tolist(),
            links["a_node"].tolist(),
            links["b_node"].tolist(),
            links["mode"].astype(str),
            (~net.open_links()).tolist(),
            strict=True,
        ):
            if mode not in usable or closed:
                continue
            worst = max(time_of.get(int(a), math.inf), time_of.get(int(b), math.inf))
            lb = next((i for i, h in enumerate(hs) if worst <= h), -1)
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": self.link_geom[lid][2]},
                    "properties": {"kind": "link", "band": lb, "mode": mode},
                }
            )
        kinds = frame["kind"].astype(str).tolist()
        for nid, tt, kind in zip(ids.tolist(), t.tolist(), kinds, strict=True):
            if kind not in ("city", "border_crossing", "port"):
                continue
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": list(self.node_xy[nid])},
                    "properties": {
                        "kind": "node",
                        "name": self.node_name[nid],
                        "time_h": round(tt, 3) if math.isfinite(tt) else None,
                        "band": next((i for i, h in enumerate(hs) if tt <= h), -1),
                    },
                }
            )
        counts, pops = iso.counts(), iso.population()
        lon, lat = self.node_xy[int(iso.origin)]
        return {
            "origin": {"node_id": iso.origin, "name": iso.origin_name, "lon": lon, "lat": lat},
            "as_of": None if net.date is None else str(net.date.date()),
            "polygons": _band_features(net, iso),
            "area_definition": AREA_DEFINITION,
            "modes": list(iso.modes),
            "profile": iso.profile,
            "time_definition": iso.time_definition,
            "hours": hs,
            "bands": [{"hours": h, "nodes": counts[h], "population": pops[h]} for h in hs],
            "unreachable": int(np.isinf(t).sum()),
            "features": {"type": "FeatureCollection", "features": feats},
        }


_ALONG_MODES = ("road", "rail")


def _band_features(net: corridor.Network, iso: corridor.Isochrone) -> dict[str, Any]:
    """The area within each threshold, a GeoJSON Polygon/MultiPolygon per band (nested)."""
    links = net.links
    # one can leave a road or a railway along the way, not a flight or a ferry: those
    # add their ends only (as reached nodes)
    along = [m for m in iso.modes if m in _ALONG_MODES]
    use = net.open_links() & links["mode"].astype(str).isin(along).to_numpy()
    links = links[use]
    nodes = iso.nodes
    t_node = nodes["time_h"].to_numpy(dtype=np.float64)
    by_id = pd.Series(t_node, index=nodes["node_id"].to_numpy(dtype=np.int64))
    t_a = links["a_node"].map(by_id).fillna(math.inf).to_numpy(dtype=np.float64)
    t_b = links["b_node"].map(by_id).fillna(math.inf).to_numpy(dtype=np.float64)
    speed = links["speed_kmh"].to_numpy(dtype=np.float64)
    length = links["length_km"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_link = np.where(speed > 0, length / speed, 0.0)
    t_link = np.where(np.isfinite(t_link), t_link, 0.0)
    reached = np.isfinite(t_node)
    reach = Reach(
        lines=links["geometry"].to_numpy(dtype=object),
        time_a_h=t_a,
        time_b_h=t_b,
        link_time_h=t_link,
        node_lon=nodes["lon"].to_numpy(dtype=np.float64)[reached],
        node_lat=nodes["lat"].to_numpy(dtype=np.float64)[reached],
        node_time_h=t_node[reached],
    )
    polys = band_polygons(reach, iso.hours)
    counts, pops = iso.counts(), iso.population()
    feats = []
    for i, (h, poly) in enumerate(zip(iso.hours, polys, strict=True)):
        geom = json.loads(shapely.to_geojson(shapely.set_precision(poly, 10**-_DIGITS)))
        feats.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {
                    "kind": "band",
                    "band": i,
                    "within_h": float(h),
                    "nodes": int(counts[h]),
                    "population": float(pops[h]),
                    "origin": iso.origin_name,
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


# the web UI's words for the link changes (its colours are keyed by them)
_CHANGE_WORDS: dict[str, str] = {
    corridor.LinkChange.ADDED: "added",
    corridor.LinkChange.REOPENED: "reopened",
    corridor.LinkChange.CLOSED: "closed",
    corridor.LinkChange.FASTER: "faster",
    corridor.LinkChange.SLOWER: "slower",
    corridor.LinkChange.TOLL_CHANGED: "toll",
}


def diff_networks(
    state: NetworkState, base: corridor.Network, other: corridor.Network
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """GeoJSON features of the links whose state differs between two networks.

    Links come from :func:`corridor.link_changes`; their ``change`` property keeps the
    service's words (*added*, *reopened*, *closed*, *faster*, *slower*, *toll*). Crossings
    whose delay or fee changed are points (*crossing*).
    """
    changes = corridor.link_changes(base, other, geometry=True).sort_values(
        "link_id", kind="stable"
    )
    feats: list[dict[str, Any]] = []
    for lid, change, geom in zip(
        changes["link_id"].tolist(),
        changes["change"].tolist(),
        changes["geometry"].tolist(),
        strict=True,
    ):
        if lid in state.link_geom:
            coords = state.link_geom[lid][2]
        else:
            coords = _xy(shapely.get_coordinates(geom))
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {"kind": "link", "change": _CHANGE_WORDS[change], "link_id": lid},
            }
        )
    key = ["node_id", "mode", "direction"]
    cb = base.crossings[base.open_crossings()].set_index(key)[["delay_p50_h", "fee_usd"]]
    co = other.crossings[other.open_crossings()].set_index(key)[["delay_p50_h", "fee_usd"]]
    joined = cb.add_suffix("_b").join(co.add_suffix("_o"), how="outer")
    moved: set[int] = set()
    ids = joined.index.get_level_values("node_id").to_numpy(dtype=np.int64)
    cols = ["delay_p50_h_b", "delay_p50_h_o", "fee_usd_b", "fee_usd_o"]
    values = joined[cols].to_numpy(np.float64)
    for nid, (d_b, d_o, f_b, f_o) in zip(ids.tolist(), values.tolist(), strict=True):
        if not (_same(d_b, d_o) and _same(f_b, f_o)):
            moved.add(int(nid))
    for nid in sorted(moved):
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(state.node_xy[nid])},
                "properties": {"kind": "crossing", "change": "crossing", "name": _name(state, nid)},
            }
        )
    summary: dict[str, int] = {}
    for f in feats:
        c = str(f["properties"]["change"])
        summary[c] = summary.get(c, 0) + 1
    return feats, summary


def _same(x: float, y: float) -> bool:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    try:
        return math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _name(state: NetworkState, nid: int) -> str:
    return state.node_name.get(nid, str(nid))
