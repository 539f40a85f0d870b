"""Readable words for column names, profiles and numbers (one header map for every table).

A column name such as ``d_generalized_usd_container40`` becomes
"Δ generalised cost, rail container (US$)": the unit comes from the name's suffix
(the project's naming rule puts it there), the profile from a known suffix, and "before",
"after" and the ``d_`` prefix become words. Numbers are formatted by their unit.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "PROFILE_LABELS",
    "column_label",
    "format_number",
    "format_signed",
    "profile_label",
    "road_label",
    "unit_of",
]

PROFILE_LABELS = {
    "car": "car",
    "bus": "coach",
    "train": "train",
    "air": "air",
    "traveller": "traveller (coach, train or air)",
    "truck20": "truck, 20-ft container",
    "truck40": "truck, 40-ft container",
    "container20": "rail, 20-ft container",
    "container40": "rail, 40-ft container",
    "grain-wagon": "grain wagon",
}
"""Short names of the bundled profiles (their YAML ``name`` in fewer words)."""

# suffix -> (unit shown, decimals); longest suffixes first
_UNITS: tuple[tuple[str, str, int], ...] = (
    ("_veh_h", "vehicles/h", 1),
    ("_veh_day", "vehicles/day", 0),
    ("_tonnes_year", "t/year", 0),
    ("_visits_year", "visits/year", 0),
    ("_trips_year", "trips/year", 0),
    ("_passages_year", "passages/year", 0),
    ("_teu_year", "TEU/year", 0),
    ("_usd_year", "US$/year", 0),
    ("_kg_year", "kg/year", 0),
    ("_h_year", "per year", 0),
    ("_trucks_day", "trucks/day", 1),
    ("_trains_day", "trains/day", 1),
    ("_day", "per day", 1),
    ("_year", "per year", 0),
    ("_days", "days", 1),
    ("_musd", "US$ million", 1),
    ("_usd", "US$", 0),
    ("_kg", "kg", 0),
    ("_km", "km", 0),
    ("_kmh", "km/h", 0),
    ("_h", "h", 1),
    ("_pct", "%", 1),
    ("_share", "share", 3),
    ("_mm", "mm", 0),
)

_WORDS = {
    "time": "time",
    "cost": "cost",
    "co2": "CO2",
    "length": "length",
    "generalized": "generalised cost",
    "driving": "driving",
    "breaks": "breaks",
    "overnight": "overnight stops",
    "waiting": "waiting",
    "elapsed": "door to door",
    "truck": "trucks",
    "car": "cars",
    "capacity": "capacity",
    "v_c": "volume/capacity",
    "pop": "population",
    "mean": "mean",
    "crossing": "crossing",
    "countries": "countries",
    "direction": "direction",
    "origin": "from",
    "destination": "to",
    "place": "place",
    "country": "country",
    "population": "population",
    "places": "places",
    "profile": "profile",
    "mode": "mode",
    "ref": "road or line",
    "name": "name",
    "change": "change",
    "speed": "speed",
    "toll": "toll",
    "crossings": "crossings",
    "change_pct": "change",
    "mode_share": "mode share",
    "induced_tonnes": "induced tonnes",
    "queue": "queue",
    "trucks": "trucks",
    "trains": "trains",
    "passages": "passages",
    "visits": "visits",
    "tonnes": "tonnes",
    "item": "item",
    "value": "value",
    "unit": "unit",
    "note": "note",
    "purpose": "purpose",
    "commodity": "commodity",
}

_POP_WITHIN = re.compile(r"^(d_)?pop_within_([\d.]+)h(?:_(before|after))?$")


def profile_label(profile: str) -> str:
    """A profile's short name (its id if it has none).

    Examples
    --------
    >>> profile_label("container40"), profile_label("my-truck")
    ('rail, 40-ft container', 'my-truck')
    """
    return PROFILE_LABELS.get(profile, profile)


def unit_of(column: str) -> tuple[str, int]:
    """The unit a column's name ends in and the decimals it is shown with.

    Examples
    --------
    >>> unit_of("d_time_h_car"), unit_of("cost_usd_before"), unit_of("crossing")
    (('h', 1), ('US$', 0), ('', 2))
    """
    core = _strip(column)[0]
    if _POP_WITHIN.match(column):
        return "people", 0
    if core in ("population", "places"):
        return "", 0
    for suffix, unit, digits in _UNITS:
        if core.endswith(suffix) or core == suffix.lstrip("_"):
            return unit, digits
    return "", 2


def _strip(column: str) -> tuple[str, str, str, bool]:
    """(core, when, profile, delta) of a column name."""
    name = column
    delta = name.startswith("d_")
    if delta:
        name = name[2:]
    elif name.endswith("_change") and name != "_change":
        delta, name = True, name[: -len("_change")]
    profile = ""
    for p in sorted(PROFILE_LABELS, key=len, reverse=True):
        if name.endswith("_" + p):
            profile, name = p, name[: -len(p) - 1]
            break
    when = ""
    for w in ("before", "after"):
        if name.endswith("_" + w):
            when, name = w, name[: -len(w) - 1]
    if name.startswith("mean_d_"):
        name, delta = "mean_" + name[7:], True
    return name, when, profile, delta


def column_label(column: str) -> str:
    """A table header in words, with its unit.

    Examples
    --------
    >>> column_label("d_generalized_usd_container40")
    'Δ generalised cost, rail, 40-ft container (US$)'
    >>> column_label("time_h_before"), column_label("d_pop_within_24h")
    ('time before (h)', 'Δ population within 24 h (people)')
    >>> column_label("truck_veh_h_after"), column_label("origin")
    ('trucks after (vehicles/h)', 'from')
    >>> column_label("visits_year_before"), column_label("d_tonnes_year")
    ('visits before (visits/year)', 'Δ tonnes (t/year)')
    >>> column_label("visits_year_change"), column_label("change_pct")
    ('Δ visits (visits/year)', 'change (%)')
    >>> column_label("trucks_day_after"), column_label("vehicle_h_year_before")
    ('trucks after (trucks/day)', 'vehicle-hours before (per year)')
    """
    m = _POP_WITHIN.match(column)
    if m:
        delta, hours, when = m.groups()
        text = f"population within {hours} h" + (f" {when}" if when else "")
        return ("Δ " if delta else "") + text + " (people)"
    core, when, profile, delta = _strip(column)
    unit, _ = unit_of(column)
    stem = core
    hours = False
    for suffix, _u, _d in _UNITS:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            hours = suffix == "_h_year"
            break
        if stem == suffix.lstrip("_") and "_" in stem:  # visits_year, tonnes_year
            stem = stem.split("_", 1)[0]
            break
    words = _WORDS.get(stem)
    if words is None:
        parts = stem.split("_")
        words = " ".join(_WORDS.get(p, p) for p in parts if p)
    if hours:  # vehicle_h_year: vehicle-hours a year
        words += "-hours"
    text = ("Δ " if delta else "") + words
    if delta and words.startswith("mean "):
        text = "mean Δ " + words[5:]
    if profile:
        text += f", {profile_label(profile)}"
    if when:
        text += f" {when}"
    if unit and unit not in ("share",):
        text += f" ({unit})"
    return text


def format_number(value: float, digits: int) -> str:
    """`value` with thousands separators and `digits` decimals ("—" when not finite).

    Examples
    --------
    >>> format_number(12345.678, 1), format_number(float("inf"), 0)
    ('12,345.7', '—')
    """
    if not math.isfinite(value):
        return "—"
    return f"{value:,.{digits}f}"


def format_signed(value: float, digits: int) -> str:
    """A change with its sign (a true minus sign), "0" when it rounds to nothing.

    Examples
    --------
    >>> format_signed(-3.14159, 1), format_signed(2.0, 0), format_signed(0.001, 1)
    ('−3.1', '+2', '0')
    """
    if not math.isfinite(value):
        return "—"
    text = f"{value:+,.{digits}f}"
    if float(text.replace(",", "")) == 0:
        return "0"
    return text.replace("-", "−")


def road_label(ref: str, name: str) -> str:
    """A road or line's reference and name, without saying the reference twice.

    Examples
    --------
    >>> road_label("R-258", "R-258 Baikal"), road_label("M-12", "Moscow-Kazan")
    ('R-258 Baikal', 'M-12 Moscow-Kazan')
    >>> road_label("", "Turksib")
    'Turksib'
    """
    ref, name = str(ref or "").strip(), str(name or "").strip()
    if not ref or ref in name.split() or name.startswith(ref):
        return name or ref
    if not name or name in ref:
        return ref
    return f"{ref} {name}"
