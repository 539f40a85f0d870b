"""Links of the embedded network: one per section of each recipe route (and gauge).

*Lengths.* A route may anchor published cumulative distances at places (``Place@KM``); the
sections between two anchors share the published distance in proportion to their geodesic
length. Other sections are geodesic length x a circuity factor by mode and terrain. The
``provenance`` of each link says which.

A link touching a border crossing belongs to the country of its other end, which must be
one of the crossing's two sides; a link between two countries without a crossing node is
a problem.

*Rail attributes.* A rail route may carry ``electrified`` (traction), ``freight_km_per_day``
(commercial speed of container/block trains), ``passenger_kmh`` (timetabled average speed of
regular long-distance trains, stops included) and ``passenger_fast_kmh`` (the same for fast
day trains such as Sapsan or Lastochka), with ``rail_source`` naming where they come from.
``sections`` overrides them between two of the route's places (``from``/``to``, each with
its own ``source``). They become the link columns of the same names (NaN where not given)
and their sources are appended to each link's provenance.
"""

from __future__ import annotations

import itertools
from typing import Any

from corridor.data.draft import Draft, path_km
from corridor.data.recipe import recipe_date, stable_id

__all__ = ["RAIL_ATTRIBUTES", "add_routes"]

RAIL_ATTRIBUTES: tuple[str, ...] = ("freight_km_per_day", "passenger_kmh", "passenger_fast_kmh")
"""Numeric rail-only route attributes that become link columns (NaN where not given)."""

_RAIL_BOUNDS: dict[str, tuple[float, float]] = {
    "freight_km_per_day": (50.0, 2500.0),
    "passenger_kmh": (10.0, 200.0),
    "passenger_fast_kmh": (30.0, 350.0),
}


def add_routes(draft: Draft) -> None:
    """Add the links of every route in ``routes.yaml`` (after the places and crossings)."""
    doc = draft.recipe.routes
    for route in doc["routes"]:
        _add_route(draft, route, doc)


def _point(draft: Draft, key: str) -> tuple[float, float]:
    """(lon, lat) of the node with recipe key `key`."""
    node = draft.nodes[key]
    return (float(node["lon"]), float(node["lat"]))


def _add_route(draft: Draft, route: dict[str, Any], doc: dict[str, Any]) -> None:
    """Add one link per section of `route` and gauge (one per gauge on dual-gauge lines)."""
    rid = route["id"]
    mode = route["mode"]
    cls = route["class"]
    class_spec = doc["classes"][mode].get(cls)
    if class_spec is None:
        draft.problems.append(f"routes.yaml route {rid}: unknown {mode} class {cls!r}")
        return
    speed = float(route.get("speed_kmh", class_spec["speed_kmh"]))
    low, high = class_spec["bounds"]
    if not low <= speed <= high:
        draft.problems.append(
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
        if key not in draft.nodes:
            draft.problems.append(f"routes.yaml route {rid}: unknown place {key!r}")
            return
        keys.append(key)
        if km:
            anchors[i] = float(km)
    via = [_point(draft, str(v)) for v in route.get("via", [])]
    geo = []
    shapes = []
    for i in range(len(keys) - 1):
        pts = [_point(draft, keys[i]), *(via if len(keys) == 2 else []), _point(draft, keys[i + 1])]
        shapes.append(pts)
        geo.append(path_km(pts))
    lengths, provs = _lengths(draft, rid, keys, geo, anchors, route, circuity, mode, terrain)
    gauges = route.get("gauge_mm")
    gauge_list: list[float | None]
    if mode != "rail":
        gauge_list = [None]
    elif isinstance(gauges, list):
        gauge_list = [float(g) for g in gauges]
    elif gauges is None:
        draft.problems.append(f"routes.yaml route {rid}: rail route without gauge_mm")
        return
    else:
        gauge_list = [float(gauges)]
    rail = _rail_attributes(draft, route, keys) if mode == "rail" else None
    tags = ";".join(sorted(route.get("corridors", [])))
    usd_per_rub = float(doc["usd_per_rub"])
    toll = route.get("toll_rub") or {}
    total_km = sum(lengths)
    for i in range(len(keys) - 1):
        a, b = keys[i], keys[i + 1]
        country = _link_country(draft, rid, a, b)
        for gauge in gauge_list:
            gtag = "" if gauge is None else f"|{gauge:g}"
            share = lengths[i] / total_km if total_km > 0 else 0.0
            attrs = rail[i] if rail is not None else {}
            prov = provs[i] + (f"; rail: {attrs['source']}" if attrs.get("source") else "")
            draft.links.append(
                {
                    "link_id": stable_id(f"{rid}|{a}|{b}{gtag}"),
                    "a_node": draft.nodes[a]["node_id"],
                    "b_node": draft.nodes[b]["node_id"],
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
                    "electrified": bool(attrs.get("electrified", route.get("electrified", False))),
                    "country": country,
                    "corridors": tags,
                    "opened": recipe_date(route.get("opened")),
                    "closed": recipe_date(route.get("closed")),
                    "provenance": prov,
                    "geometry": shapes[i],
                    "route_id": rid,
                    "toll_car_usd": round(float(toll.get("car", 0.0)) * usd_per_rub * share, 2),
                    **{k: float(attrs.get(k, float("nan"))) for k in RAIL_ATTRIBUTES},
                }
            )


def _rail_attributes(draft: Draft, route: dict[str, Any], keys: list[str]) -> list[dict[str, Any]]:
    """Rail attributes of each section of `route`: the route's, overridden by its
    ``sections`` entries between their ``from`` and ``to`` places."""
    rid = route["id"]
    base: dict[str, Any] = {k: route[k] for k in (*RAIL_ATTRIBUTES, "electrified") if k in route}
    if route.get("rail_source"):
        base["source"] = str(route["rail_source"])
    out = [dict(base) for _ in range(len(keys) - 1)]
    for sec in route.get("sections", []):
        lo = keys.index(sec["from"]) if sec.get("from") in keys else -1
        hi = keys.index(sec["to"]) if sec.get("to") in keys else -1
        if lo < 0 or hi <= lo:
            draft.problems.append(
                f"routes.yaml route {rid}: section {sec.get('from')!r} - {sec.get('to')!r} "
                "must name two of the route's places in order"
            )
            continue
        if not sec.get("source"):
            draft.problems.append(f"routes.yaml route {rid}: section {sec['from']} has no source")
        for s in range(lo, hi):
            for k in (*RAIL_ATTRIBUTES, "electrified"):
                if k in sec:
                    out[s][k] = sec[k]
            src = f"{sec['from']} - {sec['to']}: {sec.get('source', '')}"
            out[s]["source"] = f"{out[s]['source']}; {src}" if out[s].get("source") else src
    for attrs in out:
        for k, (low, high) in _RAIL_BOUNDS.items():
            if k in attrs and not low <= float(attrs[k]) <= high:
                draft.problems.append(
                    f"routes.yaml route {rid}: {k} {attrs[k]} outside [{low:g}, {high:g}]"
                )
    return out


def _lengths(
    draft: Draft,
    rid: str,
    keys: list[str],
    geo: list[float],
    anchors: dict[int, float],
    route: dict[str, Any],
    circuity: float,
    mode: str,
    terrain: str,
) -> tuple[list[float], list[str]]:
    """Length, km, and length provenance of each section: published where anchored,
    geodesic x circuity otherwise."""
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
            draft.problems.append(f"routes.yaml route {rid}: anchors must increase")
            continue
        if published < span:
            draft.problems.append(
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
            draft.problems.append(
                f"routes.yaml route {rid}: zero-length section {keys[s]} - {keys[s + 1]}"
            )
    if source and not marks:
        provs = [f"{p}; route facts: {source}" for p in provs]
    return lengths, provs


def _link_country(draft: Draft, rid: str, a: str, b: str) -> str:
    """The country a link a-b belongs to (beside a crossing, that of its other end)."""
    na, nb = draft.nodes[a], draft.nodes[b]
    if na["kind"] == "border_crossing" and nb["kind"] == "border_crossing":
        draft.problems.append(f"routes.yaml route {rid}: link joins two crossings {a}, {b}")
        return str(na["country"])
    for cross, other in ((na, nb), (nb, na)):
        if cross["kind"] == "border_crossing":
            if other["country"] not in (cross["country_a"], cross["country_b"]):
                draft.problems.append(
                    f"routes.yaml route {rid}: {other['key']} ({other['country']}) is on "
                    f"neither side of crossing {cross['key']}"
                )
            return str(other["country"])
    if na["country"] != nb["country"]:
        draft.problems.append(
            f"routes.yaml route {rid}: link {a} - {b} crosses a border without a crossing node"
        )
    return str(na["country"])
