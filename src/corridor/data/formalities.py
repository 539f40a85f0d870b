"""Border formalities of the embedded network: recipe rules -> one row per crossing,
mode, direction and vehicle.

``formalities.yaml`` states rules for a direction between two countries (``from`` ->
``to``), a mode and a list of vehicles, optionally narrowed to named crossings (their
recipe ``key``). Each crossing node, for each of its modes (the rows of the ``crossings``
table), each direction and each vehicle of that mode (road: car, bus, truck; rail:
passenger_train, freight_train), takes the most specific matching rule: one naming the
crossing beats one for the country pair; among equals the later rule wins. A combination
no rule matches takes the ``default`` of its mode, which says so in its provenance.
A rule's ``origins_only`` (country codes) bars the vehicles of every other trip-origin
country of the network: it is stored as ``barred_origins``, the network's countries outside
the list added to the rule's own ``barred_origins``.

*Air.* An airport's passport control (a crossing node of mode ``air``, one direction: into
the airport's country from the country left) has one vehicle, ``flight``. Where no
``mode: air`` rule matches, it takes the entry rules of the passenger-train rule for the
same direction between the two countries (visa, documents, transit; the nationality is
that of the country left, as for every rule), with no extra time or fee (passport
control is the crossing's delay) and never ``domestic_transit``: a domestic trip may pass
the EAEU's land borders, not fly abroad and back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from corridor.model.schema import Vehicle

__all__ = ["VEHICLES_BY_MODE", "formality_rows"]

VEHICLES_BY_MODE: dict[str, tuple[Vehicle, ...]] = {
    "road": (Vehicle.CAR, Vehicle.BUS, Vehicle.TRUCK),
    "rail": (Vehicle.PASSENGER_TRAIN, Vehicle.FREIGHT_TRAIN),
    "air": (Vehicle.FLIGHT,),
}

_FIELDS = (
    "allowed",
    "transit_allowed",
    "domestic_transit",
    "barred_origins",
    "visa",
    "documents",
    "time_h",
    "fee_usd",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


_FREIGHT = frozenset({Vehicle.TRUCK, Vehicle.FREIGHT_TRAIN})


def _documents(value: Any, vehicle: Vehicle | None) -> str:
    """The rule's documents for `vehicle`: an entry saying "for freight" (a consignment
    note, a cargo declaration) is left out for cars, buses and passenger trains."""
    items = value if isinstance(value, list | tuple) else ([] if value is None else [value])
    if vehicle is not None and vehicle not in _FREIGHT:
        items = [d for d in items if "for freight" not in str(d)]
    return "; ".join(str(d) for d in items)


def _barred(rule: dict[str, Any], countries: frozenset[str]) -> str:
    """The rule's barred trip origins: its ``barred_origins`` and, when it names
    ``origins_only``, every country of the network outside that list (";"-joined, sorted)."""
    named = _text(rule.get("barred_origins")).replace(" ", "").replace(",", ";")
    barred = {c for c in named.split(";") if c}
    only = rule.get("origins_only")
    if only:
        allowed = {str(c).strip() for c in (only if isinstance(only, list | tuple) else [only])}
        barred |= set(countries) - allowed
    return ";".join(sorted(barred))


def _row_of(
    rule: dict[str, Any],
    where: str,
    problems: list[str],
    vehicle: Vehicle | None = None,
    countries: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    source = str(rule.get("source", "")).strip()
    if len(source) < 3:
        problems.append(f"formalities {where}: every rule needs a source (or '[assumption] ...')")
    return {
        "allowed": bool(rule.get("allowed", True)),
        "transit_allowed": bool(rule.get("transit_allowed", True)),
        "domestic_transit": bool(rule.get("domestic_transit", False)),
        "barred_origins": _barred(rule, countries),
        "visa": _text(rule.get("visa")),
        "documents": _documents(rule.get("documents"), vehicle),
        "time_h": float(rule.get("time_h", 0.0) or 0.0),
        "fee_usd": float(rule.get("fee_usd", 0.0) or 0.0),
        "provenance": f"{rule.get('id', where)}: {source}",
    }


def _train_rule(rules: list[dict[str, Any]], c_from: str, c_to: str) -> int | None:
    """Index of the last country-pair passenger-train rule from `c_from` into `c_to`."""
    found: int | None = None
    for i, rule in enumerate(rules):
        if (
            rule.get("from") == c_from
            and rule.get("to") == c_to
            and rule.get("mode") == "rail"
            and Vehicle.PASSENGER_TRAIN.value in (rule.get("vehicles") or [])
            and not rule.get("crossings")
        ):
            found = i
    return found


def formality_rows(
    doc: dict[str, Any], nodes: pd.DataFrame, crossings: pd.DataFrame, problems: list[str]
) -> pd.DataFrame:
    """The formalities table of the built network.

    Parameters
    ----------
    doc
        The ``formalities.yaml`` document (``defaults`` by mode, ``rules``).
    nodes
        The built nodes table (crossing nodes carry ``key``, ``country_a``, ``country_b``).
    crossings
        The built crossings table: which crossing nodes have which modes.
    problems
        Recipe problems found are appended here.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`corridor.model.schema.FORMALITY_COLUMNS`, sorted by node, mode,
        direction and vehicle; empty if `doc` is.
    """
    rules = doc.get("rules") or []
    if not rules:
        return pd.DataFrame()
    defaults = doc.get("defaults") or {}
    keys = set(nodes["key"].astype(str).str.removeprefix("X:"))
    for i, rule in enumerate(rules):
        where = f"rule {rule.get('id', i + 1)}"
        if rule.get("mode") not in VEHICLES_BY_MODE:
            problems.append(f"formalities {where}: mode must be road, rail or air")
        unknown = set(rule.get("vehicles") or []) - {v.value for v in Vehicle}
        if unknown or not rule.get("vehicles"):
            problems.append(f"formalities {where}: unknown or missing vehicles {sorted(unknown)}")
        missing = set(rule.get("crossings") or []) - keys
        if missing:
            problems.append(f"formalities {where}: unknown crossing keys {sorted(missing)}")
    table = nodes.set_index("node_id")
    countries = frozenset(
        str(c)
        for col in ("country", "country_a", "country_b")
        if col in nodes.columns
        for c in nodes[col].dropna().unique()
        if str(c)
    )
    rows: list[dict[str, Any]] = []
    present = (
        set(crossings[["node_id", "mode", "direction"]].itertuples(index=False, name=None))
        if "direction" in crossings.columns
        else None
    )
    for node_id, mode in crossings[["node_id", "mode"]].drop_duplicates().itertuples(index=False):
        node = table.loc[node_id]
        key = str(node["key"]).removeprefix("X:")
        ends = {"a_to_b": (node["country_a"], node["country_b"])}
        ends["b_to_a"] = ends["a_to_b"][::-1]
        for direction, (c_from, c_to) in ends.items():
            if mode == "air" and present is not None and (node_id, mode, direction) not in present:
                continue
            for vehicle in VEHICLES_BY_MODE.get(str(mode), ()):
                best: tuple[int, int] | None = None
                for i, rule in enumerate(rules):
                    if (
                        rule.get("from") != c_from
                        or rule.get("to") != c_to
                        or rule.get("mode") != mode
                        or vehicle.value not in (rule.get("vehicles") or [])
                    ):
                        continue
                    named = rule.get("crossings")
                    if named and key not in named:
                        continue
                    rank = (1 if named else 0, i)
                    if best is None or rank > best:
                        best = rank
                train = _train_rule(rules, c_from, c_to) if mode == "air" else None
                if best is None and train is not None:
                    fields = _row_of(
                        rules[train], f"rule {train + 1}", problems, vehicle, countries
                    )
                    fields.update(time_h=0.0, fee_usd=0.0, domestic_transit=False)
                    fields["provenance"] = (
                        f"air entry by the passenger-train rules {fields['provenance']}"
                    )
                elif best is None:
                    fields = _row_of(
                        defaults.get(mode, {}), f"default {mode}", problems, vehicle, countries
                    )
                else:
                    fields = _row_of(
                        rules[best[1]], f"rule {best[1] + 1}", problems, vehicle, countries
                    )
                rows.append(
                    {
                        "node_id": int(node_id),
                        "mode": str(mode),
                        "direction": direction,
                        "vehicle": vehicle.value,
                        **fields,
                    }
                )
    out = pd.DataFrame(
        rows, columns=["node_id", "mode", "direction", "vehicle", *_FIELDS, "provenance"]
    )
    return out.sort_values(["node_id", "mode", "direction", "vehicle"], kind="stable").reset_index(
        drop=True
    )
