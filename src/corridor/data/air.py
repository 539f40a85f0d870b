"""Air for travellers in the embedded network: airports, their access and direct flights.

``air.yaml`` (:mod:`corridor.data.recipe`) lists airports and routes; this step of the build
adds, after the routes and terminals:

* an **airport** node per airport (kind ``airport``, in its city's country), joined to the
  city it serves by a ``transfer`` link of class ``airport`` whose length and speed give the
  published or assumed access time and whose ``fare_usd`` is the access fare per traveller;
* per directed flight and period of operation, a ``boarding`` link (mode ``air``, 0 km)
  from the departure airport to a *gate* node of that flight (kind ``airport``), carrying
  ``processing_h`` (check-in and security before a domestic or international departure)
  and ``flights_week``, and a ``flight`` link from the gate onwards with the block time
  (``block_h``; ``speed_kmh`` = great-circle km / block h), the fare (``fare_usd``,
  ``fare_low_usd``) and the CO2 per passenger (``co2_pax_kg`` tank-to-wake by the ICAO
  method, ``co2_wtw_pax_kg`` well-to-wake);
* for an international flight, the flight ends at the arrival airport's **passport
  control**: a ``border_crossing`` node per (arrival airport, country left) with
  ``country_a`` the country left and ``country_b`` the airport's, a crossings row (mode
  ``air``, ``a_to_b``) whose delay is the passport control time, and an ``arrival`` link
  (0 km) to the airport. The formalities of the crossing (visa, documents) then follow
  from ``formalities.yaml`` by direction and nationality (:mod:`corridor.data.formalities`),
  and the domestic rule (:mod:`corridor.graph.borders`) keeps domestic trips off it.

Flight and boarding links carry the route's ``ref`` (``"VVO-HRB"``, both directions;
``route_id`` ``"air:VVO-HRB"``), so that a scenario closes a route with
``close_links: {links: {ref: VVO-HRB, mode: air}}``. All links of a flight are one-way
(block times differ by direction). Periods
(``opened``/``closed``) become the links' dates, so a suspended route has no links on a
day in its gap.

CO2 per passenger follows the ICAO Carbon Emissions Calculator methodology:
``3.16 x fuel_kg_per_km x (gcd_km + correction) x pax_share / (seats x load_factor)``, the
correction being 50 km below 550 km, 100 km up to 5,500 km and 125 km beyond
(:func:`icao_co2_pax_kg`); the aircraft class parameters are in ``air.yaml``.
"""

from __future__ import annotations

from typing import Any

from corridor.data.draft import Draft, geodesic_km
from corridor.data.recipe import recipe_date, stable_id

__all__ = ["AIRPORT_ACCESS_CLASS", "add_air", "icao_co2_pax_kg", "icao_distance_km"]

AIRPORT_ACCESS_CLASS = "airport"
"""Class of the transfer links between an airport and its city."""

_ROUTE_BLOCK_BOUNDS = (0.3, 14.0)


def icao_distance_km(gcd_km: float) -> float:
    """Great-circle distance plus the ICAO correction for routing and stacking, km.

    Examples
    --------
    >>> icao_distance_km(500.0), icao_distance_km(1000.0), icao_distance_km(6000.0)
    (550.0, 1100.0, 6125.0)
    """
    if gcd_km < 550.0:
        return gcd_km + 50.0
    if gcd_km <= 5500.0:
        return gcd_km + 100.0
    return gcd_km + 125.0


def icao_co2_pax_kg(gcd_km: float, aircraft: dict[str, Any], kg_co2_per_kg_fuel: float) -> float:
    """CO2 per economy passenger of one flight, kg, by the ICAO calculator's method.

    Parameters
    ----------
    gcd_km
        Great-circle distance between the airports, km.
    aircraft
        ``fuel_kg_per_km``, ``seats``, ``load_factor`` and ``pax_share`` (passengers'
        share of the payload) of the aircraft class flown.
    kg_co2_per_kg_fuel
        3.16 for jet kerosene.

    Examples
    --------
    >>> a = {"fuel_kg_per_km": 3.0, "seats": 150, "load_factor": 0.8, "pax_share": 1.0}
    >>> round(icao_co2_pax_kg(1000.0, a, 3.16), 2)  # 3.16 x 3 x 1100 / 120
    86.9
    """
    fuel_kg = float(aircraft["fuel_kg_per_km"]) * icao_distance_km(gcd_km)
    pax = float(aircraft["seats"]) * float(aircraft["load_factor"])
    return kg_co2_per_kg_fuel * fuel_kg * float(aircraft["pax_share"]) / pax


def _aircraft(doc: dict[str, Any], gcd_km: float) -> tuple[str, dict[str, Any]]:
    classes: list[tuple[str, dict[str, Any]]] = sorted(
        doc["co2"]["classes"].items(), key=lambda kv: float(kv[1]["max_km"])
    )
    for name, spec in classes:
        if gcd_km <= float(spec["max_km"]):
            return name, spec
    return classes[-1]


def _fares(doc: dict[str, Any], gcd_km: float, international: bool) -> tuple[float, float]:
    """(low, typical) one-way economy fare, US$, by the fare rule of ``air.yaml``:
    ``base_usd + usd_per_km x gcd_km`` (domestic or international), the low fare
    ``low_share`` of it."""
    rule = doc["fares"]["international" if international else "domestic"]
    typical = float(rule["base_usd"]) + float(rule["usd_per_km"]) * gcd_km
    return round(float(doc["fares"]["low_share"]) * typical, 0), round(typical, 0)


def _link(
    key: str,
    a: dict[str, Any],
    b: dict[str, Any],
    *,
    cls: str,
    length_km: float,
    speed_kmh: float,
    country: str,
    name: str,
    provenance: str,
    period: dict[str, Any],
    extra: dict[str, float],
    ref: str,
    mode: str = "air",
) -> dict[str, Any]:
    nan = float("nan")
    row: dict[str, Any] = {
        "link_id": stable_id(key),
        "a_node": a["node_id"],
        "b_node": b["node_id"],
        "oneway": mode == "air",
        "mode": mode,
        "class": cls,
        "ref": ref,
        "name": name,
        "length_km": round(length_km, 3),
        "speed_kmh": speed_kmh,
        "lanes": 0,
        "capacity_veh_h": nan,
        "toll_usd": 0.0,
        "gauge_mm": nan,
        "electrified": False,
        "country": country,
        "corridors": "",
        "opened": recipe_date(period.get("opened")),
        "closed": recipe_date(period.get("closed")),
        "provenance": provenance,
        "geometry": [(a["lon"], a["lat"]), (b["lon"], b["lat"])],
        "route_id": f"air:{ref}",
        "toll_car_usd": 0.0,
        "freight_km_per_day": nan,
        "passenger_kmh": nan,
        "passenger_fast_kmh": nan,
    }
    for col in AIR_COLUMNS:
        row[col] = float(extra.get(col, nan))
    return row


AIR_COLUMNS: tuple[str, ...] = (
    "block_h",
    "flights_week",
    "processing_h",
    "fare_usd",
    "fare_low_usd",
    "co2_pax_kg",
    "co2_wtw_pax_kg",
)
"""Numeric link columns of air (and airport access) links, NaN elsewhere."""


def add_air(draft: Draft) -> None:
    """Add airports, their access links and the flights of ``air.yaml`` (after the
    terminals); a recipe without ``air.yaml`` adds nothing but the empty air columns."""
    doc = draft.recipe.air
    for link in draft.links:
        for col in AIR_COLUMNS:
            link.setdefault(col, float("nan"))
    if not doc:
        return
    airports = _add_airports(draft, doc)
    proc = doc["processing"]
    for i, route in enumerate(doc.get("routes") or []):
        where = f"air.yaml route {i + 1} ({route.get('a')}-{route.get('b')})"
        a, b = airports.get(str(route.get("a"))), airports.get(str(route.get("b")))
        if a is None or b is None:
            draft.problems.append(f"{where}: unknown airport; list it under airports")
            continue
        if len(str(route.get("source", "")).strip()) < 3:
            draft.problems.append(f"{where}: every route needs a source (or '[assumption] ...')")
        blocks = route.get("block_h")
        if not isinstance(blocks, list) or len(blocks) != 2:
            draft.problems.append(f"{where}: block_h must be [a->b, b->a] hours")
            continue
        weekly = float(route.get("flights_week", 0) or 0)
        if not weekly > 0:
            draft.problems.append(f"{where}: flights_week must be > 0")
            continue
        gcd = geodesic_km(a["lat"], a["lon"], b["lat"], b["lon"])
        periods = route.get("periods") or [{}]
        for (dep, arr), block in zip(((a, b), (b, a)), blocks, strict=True):
            if not _ROUTE_BLOCK_BOUNDS[0] <= float(block) <= _ROUTE_BLOCK_BOUNDS[1]:
                draft.problems.append(
                    f"{where}: block time {block} h outside {_ROUTE_BLOCK_BOUNDS}"
                )
                continue
            for k, period in enumerate(periods):
                _add_flight(draft, doc, proc, route, dep, arr, float(block), weekly, gcd, k, period)


def _add_airports(draft: Draft, doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(doc.get("airports") or []):
        iata = str(item.get("iata", ""))
        where = f"air.yaml airport {i + 1} ({iata})"
        city = draft.nodes.get(str(item.get("city", "")))
        if city is None:
            draft.problems.append(f"{where}: city {item.get('city')!r} is not a place key")
            continue
        access = item.get("access") or {}
        if not access.get("source") or not float(access.get("time_h", 0)) > 0:
            draft.problems.append(f"{where}: access needs time_h > 0 and a source")
            continue
        key = f"A:{iata}"
        node = {
            "node_id": stable_id(key),
            "name": f"{item['name']} airport ({iata})",
            "alt_names": iata,
            "kind": "airport",
            "country": city["country"],
            "lon": round(float(item["lon"]), 5),
            "lat": round(float(item["lat"]), 5),
            "population": 0,
            "country_a": "",
            "country_b": "",
            "name_a": "",
            "name_b": "",
            "provenance": (
                f"airport {iata} serving {city['name']}; coordinates: airport reference point, "
                "air.yaml [assumption] ~1 km"
            ),
            "geonameid": 0,
            "key": key,
        }
        draft.nodes[key] = node
        out[iata] = node
        km = float(access.get("km", 0.0))
        hours = float(access["time_h"])
        draft.links.append(
            _link(
                f"air-access|{iata}",
                city,
                node,
                cls=AIRPORT_ACCESS_CLASS,
                length_km=km,
                speed_kmh=max(km, 1e-3) / hours,
                country=str(city["country"]),
                name=f"{city['name']} - {iata} access",
                provenance=f"airport access {hours:g} h, {km:g} km: {access['source']}",
                period={},
                extra={"fare_usd": float(access.get("fare_usd", 0.0))},
                ref=iata,
                mode="transfer",
            )
        )
    return out


def _passport_control(
    draft: Draft, arr: dict[str, Any], left: str, proc: dict[str, Any]
) -> dict[str, Any]:
    """The passport-control node of `arr` for arrivals from `left` (made once)."""
    iata = str(arr["alt_names"])
    key = f"X:air:{iata}:{left}"
    if key in draft.nodes:
        return draft.nodes[key]
    node = {
        **arr,
        "node_id": stable_id(key),
        "name": f"{iata} passport control (arrivals from {left})",
        "alt_names": "",
        "kind": "border_crossing",
        "country": left,
        "country_a": left,
        "country_b": arr["country"],
        "name_a": f"flights from {left}",
        "name_b": str(arr["name"]),
        "provenance": f"entry formalities of flights from {left} at {arr['name']}",
        "key": key,
    }
    draft.nodes[key] = node
    hours = float(proc["passport_control_h"])
    draft.crossing_rows.append(
        {
            "node_id": node["node_id"],
            "mode": "air",
            "direction": "a_to_b",
            "delay_p50_h": hours,
            "delay_p10_h": float(proc["passport_control_p10_h"]),
            "delay_p90_h": float(proc["passport_control_p90_h"]),
            "fee_usd": 0.0,
            "gauge_a_mm": float("nan"),
            "gauge_b_mm": float("nan"),
            "capacity_veh_day": float("nan"),
            "passenger_delay_h": hours,
            "vehicles": "passenger",
            "hours": "",
            "opened": None,
            "closed": None,
            "status": "",
            "provenance": f"air.yaml processing.passport_control_h: {proc['source']}",
        }
    )
    draft.links.append(
        _link(
            f"air-arrival|{iata}|{left}",
            node,
            arr,
            cls="arrival",
            length_km=0.0,
            speed_kmh=1.0,
            country=str(arr["country"]),
            name=f"{iata} arrivals from {left}",
            provenance="passport control to the arrival hall (0 km)",
            period={},
            extra={},
            ref=f"{iata}-arrivals",
        )
    )
    return node


def _add_flight(
    draft: Draft,
    doc: dict[str, Any],
    proc: dict[str, Any],
    route: dict[str, Any],
    dep: dict[str, Any],
    arr: dict[str, Any],
    block: float,
    weekly: float,
    gcd: float,
    k: int,
    period: dict[str, Any],
) -> None:
    d_iata, a_iata = str(dep["alt_names"]), str(arr["alt_names"])
    international = dep["country"] != arr["country"]
    gate_key = f"G:{d_iata}-{a_iata}"
    gate = draft.nodes.get(gate_key)
    if gate is None:
        gate = {
            **dep,
            "node_id": stable_id(gate_key),
            "name": f"{d_iata} gate for {a_iata}",
            "alt_names": "",
            "provenance": f"departure gate of the {d_iata}-{a_iata} flights (at {dep['name']})",
            "key": gate_key,
        }
        draft.nodes[gate_key] = gate
    processing = float(proc["international_h" if international else "domestic_h"])
    fare_low, fare = _fares(doc, gcd, international)
    if "fare_usd" in route:
        fare_low, fare = (float(x) for x in route["fare_usd"])
    cls_name, aircraft = _aircraft(doc, gcd)
    co2 = icao_co2_pax_kg(gcd, aircraft, float(doc["co2"]["kg_co2_per_kg_fuel"]))
    wtw = co2 * float(doc["co2"]["wtw_factor"])
    tag = f"{d_iata}-{a_iata}#{k}"
    ref = f"{route['a']}-{route['b']}"  # both directions: a scenario drops a route by ref
    dates = "; ".join(f"{x} {period[x]}" for x in ("opened", "closed") if period.get(x))
    draft.links.append(
        _link(
            f"air-boarding|{tag}",
            dep,
            gate,
            cls="boarding",
            length_km=0.0,
            speed_kmh=1.0,
            country=str(dep["country"]),
            name=f"{d_iata} boarding for {a_iata}",
            provenance=(
                f"processing {processing:g} h ({'international' if international else 'domestic'}"
                f"): {proc['source']}; {weekly:g} flights a week: {route['source']}"
            ),
            period=period,
            extra={"processing_h": processing, "flights_week": weekly},
            ref=ref,
        )
    )
    head = _passport_control(draft, arr, str(dep["country"]), proc) if international else arr
    fare_note = f"fare {fare_low:g}-{fare:g} US$: " + (
        "air.yaml route" if "fare_usd" in route else doc["fares"]["rule"]
    )
    draft.links.append(
        _link(
            f"air-flight|{tag}",
            gate,
            head,
            cls="flight",
            length_km=gcd,
            speed_kmh=round(gcd / block, 3),
            country=str(dep["country"]),
            name=f"flight {d_iata}-{a_iata}",
            provenance=(
                f"block {block:g} h, {weekly:g} a week{'; ' + dates if dates else ''}: "
                f"{route['source']}; length: great-circle {gcd:.1f} km from the airports' "
                f"coordinates; CO2 {co2:.1f} kg per passenger ({cls_name}): "
                f"{doc['co2']['method']}, {aircraft['source']}; well-to-wake x"
                f"{float(doc['co2']['wtw_factor']):g}: {doc['co2']['wtw_source']}; {fare_note}"
            ),
            period=period,
            extra={
                "block_h": block,
                "flights_week": weekly,
                "fare_usd": fare,
                "fare_low_usd": fare_low,
                "co2_pax_kg": round(co2, 3),
                "co2_wtw_pax_kg": round(wtw, 3),
            },
            ref=ref,
        )
    )
