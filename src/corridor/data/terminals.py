"""Terminals of the embedded network: where road and rail meet.

A terminal node (kind ``terminal``) sits beside each main city (population >= 300,000
served by road and rail), beside every gauge-break border town and at the line terminals
named in ``places.csv``. It is joined to the road network by a ``transfer`` link (class
``terminal``, 0 km when it shares the city's point) and to the rail network by a short rail
``siding`` link.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from corridor.data.draft import Draft, geodesic_km
from corridor.data.recipe import stable_id

__all__ = ["MAIN_CITY_POPULATION", "SIDING_KM", "TERMINAL_ROAD_RADIUS_KM", "add_terminals"]

log = logging.getLogger(__name__)

MAIN_CITY_POPULATION = 300_000
TERMINAL_ROAD_RADIUS_KM = 60.0
SIDING_KM = 2.0


def add_terminals(draft: Draft) -> None:
    """Add terminals, their sidings and their transfer links (after the routes).

    A city or junction with rail links gets a terminal if it is a main city served by
    road too, or is listed under ``terminals`` in ``routes.yaml``; its rail links must
    have one gauge. A terminal node of the recipe gets only its transfer link.
    """
    modes_at: dict[int, set[str]] = {}
    gauge_at: dict[int, set[float]] = {}
    for link in draft.links:
        for end in ("a_node", "b_node"):
            modes_at.setdefault(link[end], set()).add(link["mode"])
            if link["mode"] == "rail":
                gauge_at.setdefault(link[end], set()).add(link["gauge_mm"])
    road_nodes = [n for n in draft.nodes.values() if "road" in modes_at.get(n["node_id"], ())]
    listed = set(draft.recipe.routes.get("terminals", []))
    for key in sorted(draft.nodes):
        node = draft.nodes[key]
        nid = node["node_id"]
        modes = modes_at.get(nid, set())
        if node["kind"] == "terminal":
            _transfer(draft, node, road_nodes, modes)
            continue
        if node["kind"] not in ("city", "junction") or "rail" not in modes:
            continue
        main = node["population"] >= MAIN_CITY_POPULATION and "road" in modes
        if not (main or key in listed):
            continue
        gauges = gauge_at.get(nid, set())
        if len(gauges) != 1:
            draft.problems.append(f"terminal at {key}: rail gauges {sorted(gauges)} not unique")
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
        draft.nodes[tkey] = terminal
        gauge = next(iter(gauges))
        draft.links.append(
            _terminal_link(
                draft,
                terminal,
                node,
                "rail",
                SIDING_KM,
                "nominal 2 km terminal siding (assumption)",
            )
            | {"gauge_mm": gauge, "class": "siding"}
        )
        _transfer(draft, terminal, road_nodes, {"rail"})


def _transfer(
    draft: Draft,
    terminal: dict[str, Any],
    road_nodes: list[dict[str, Any]],
    modes: set[str],
) -> None:
    """Join `terminal` by a transfer link to the nearest road node of its country in reach."""
    best = None
    best_km = TERMINAL_ROAD_RADIUS_KM
    for node in road_nodes:
        if node["kind"] == "border_crossing" or node["country"] != terminal["country"]:
            continue
        d = geodesic_km(terminal["lat"], terminal["lon"], node["lat"], node["lon"])
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
    draft.links.append(_terminal_link(draft, terminal, best, "transfer", km, prov))


def _terminal_link(
    draft: Draft, terminal: dict[str, Any], node: dict[str, Any], mode: str, km: float, prov: str
) -> dict[str, Any]:
    """The link row joining `terminal` to `node` by `mode` (transfer, or a rail siding)."""
    spec = draft.recipe.routes["classes"]
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
