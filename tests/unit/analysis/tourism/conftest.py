# ruff: noqa: E501  (the YAML rows of the small world stay one per line)
"""A small hand-checkable tourism world: three zones, two modes, two purposes."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.analysis.tourism.config import TourismParams, parse_params
from corridor.analysis.tourism.service import LevelOfService

SMALL = """
zones:
  - {place: A, country: RU, market_population: 1000000, leisure_index: 1.0, source: "[assumption] test"}
  - {place: B, country: CN, market_population: 2000000, leisure_index: 2.0, border_town: true, source: "[assumption] test"}
  - {place: C, country: CN, market_population: 500000, leisure_index: 1.0, source: "[assumption] test"}
markets:
  - {from: RU, to: CN, calibrated: true, asc: 0.0, source: "fitted"}
  - {from: CN, to: RU, calibrated: true, asc: 0.0, source: "fitted"}
modes:
  - {mode: air, profile: air, nest: air, asc: 0.0, source: "[assumption] test"}
  - {mode: bus, profile: bus, nest: ground, asc: -0.5, source: "[assumption] test"}
nests:
  air: {dissimilarity: 1.0, source: "one"}
  ground: {dissimilarity: 1.0, source: "one"}
purposes:
  - {purpose: leisure, modes: [air, bus], attraction: leisure, cost_scale: 1.0, asc: 0.0, exempt: [visa_free], destinations: all, nights: 5, source: "[assumption] test"}
  - {purpose: business, modes: [air, bus], attraction: population, cost_scale: 0.5, asc: 0.0, exempt: [visa_free], destinations: all, nights: 2, source: "[assumption] test"}
visa:
  - {from: RU, to: CN, regime: visa, from_date: 2000-01-01, source: "[assumption] test"}
  - {from: CN, to: RU, regime: e_visa, from_date: 2000-01-01, source: "[assumption] test"}
regime_utility:
  visa: {value: -0.87, source: "Neumayer 2010"}
  e_visa: {value: -0.43, source: "[assumption]"}
  group_visa_free: {value: -0.87, source: "[assumption]"}
  visa_free: {value: 0.0, source: "none"}
fixed:
  logsum_coefficient: {value: 0.8, source: "[assumption]"}
  attraction_exponent: {value: 1.0, source: "[assumption]"}
  round_trip_factor: {value: 2.0, source: "[assumption]"}
spending:
  - {origin: RU, usd_per_day: 100.0, source: "[assumption]"}
  - {origin: CN, usd_per_day: 50.0, source: "[assumption]"}
"""


@pytest.fixture
def small_params() -> TourismParams:
    return parse_params(SMALL, source="small.yaml")


def small_los(air_ab: float = 300.0, bus_ab: float = 100.0) -> LevelOfService:
    """One-way generalised cost per traveller: air and bus between the three zones."""
    inf = np.inf
    air = np.array([[inf, air_ab, 400.0], [air_ab, inf, 200.0], [400.0, 200.0, inf]])
    bus = np.array([[inf, bus_ab, inf], [bus_ab, inf, 50.0], [inf, 50.0, inf]])
    none = ((),) * 3
    return LevelOfService(
        zones=("A", "B", "C"),
        countries=("RU", "CN", "CN"),
        node_ids=np.array([1, 2, 3]),
        population=np.array([100000.0, 200000.0, 50000.0]),
        lon=np.array([127.5, 127.5, 126.6]),
        lat=np.array([50.3, 50.2, 45.8]),
        modes=("air", "bus"),
        cost_usd=np.stack([air, bus]),
        time_h=np.stack([air / 100, bus / 10]),
        crossings=(
            (none, none, none),
            (((), ("X",), ()), (("X",), (), ()), ((), (), ())),
        ),
        network="small",
        date=None,
    )


@pytest.fixture
def los() -> LevelOfService:
    return small_los()
