"""TCD table and chart, CPMM indicators, break-even distance and reliability, by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.analysis.cpmm import break_even
from corridor.analysis.reliability import sample_quantiles, sample_triangular
from tests.unit.costs.test_costs import ROAD, profile


def test_tcd_table_steps_and_totals(toy: corridor.Network, tmp_path: Path) -> None:
    out = tmp_path / "tcd.png"
    result = corridor.tcd(toy, "A", "D")
    assert corridor.write_tcd_chart(result, out) == out
    assert out.stat().st_size > 10_000 and out.read_bytes()[:4] == b"\x89PNG"
    table = result.table
    for r in result.routes:
        part = table[table["route"].str.startswith(str(r.profile))]
        last = part.iloc[-1]
        assert last["cum_distance_km"] == pytest.approx(r.length_km)
        assert last["cum_time_h"] == pytest.approx(r.time_h)
        assert last["cum_cost_usd"] == pytest.approx(r.cost_usd)
        nodes = part[part["kind"] == "node"]
        assert (nodes["distance_km"] == 0).all()  # nodes are vertical steps
        assert (np.diff(part["cum_distance_km"].to_numpy()) >= 0).all()
    rail = table[table["route"] == "container40 (rail)"]
    gauge = rail[rail["label"] == "gauge_change: E"].iloc[0]
    assert (gauge["time_h"], gauge["cost_usd"], gauge["cum_distance_km"]) == (4.25, 150.0, 180.0)


def test_break_even_by_hand() -> None:
    be = break_even("truck40", "container40")
    # F_rail = 150 + 150 (rail terminals), F_road = 0; c_road 1.89, c_rail 0.70 $/km
    assert be.distance_km == pytest.approx(300.0 / (1.89 - 0.70))
    assert math.isinf(break_even("truck40", "grain-wagon").distance_km)  # 5.44 $/wagon-km
    with pytest.raises(corridor.ValidationError, match="road profile and a rail profile"):
        break_even("train", "truck40")


def test_cpmm_indicators_by_hand() -> None:
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    c = corridor.cpmm(ROAD, "P", "T", profile=p)
    assert list(c.crossings["name"]) == ["R"]
    assert c.crossings["tfi1_h"].iloc[0] == 6.0 and c.crossings["tfi2_usd"].iloc[0] == 200.0
    # cost 855 for 300 km and 10 t -> per 500 km and 20 t
    assert c.tfi3_usd_per_500km_20t == pytest.approx(855.0 * 500 / 300 * 20 / 10)
    assert c.swd_kmh == pytest.approx(300 / 12.0)
    assert c.swod_kmh == pytest.approx(100.0)
    assert c.delay_h == pytest.approx(9.0)


def test_triangular_sampler_matches_the_distribution() -> None:
    rng = np.random.default_rng(7)
    x = sample_triangular(np.array([[1.0, 2.0, 6.0], [3.0, 3.0, 3.0]]), 200_000, rng)
    assert (x[:, 1] == 3.0).all()
    assert x[:, 0].min() >= 1.0 and x[:, 0].max() <= 6.0
    assert x[:, 0].mean() == pytest.approx((1 + 2 + 6) / 3, abs=0.01)
    assert np.median(x[:, 0]) == pytest.approx(6 - math.sqrt(10), abs=0.02)


def test_quantile_sampler_reproduces_p10_p50_p90() -> None:
    rng = np.random.default_rng(11)
    pcts = np.array([[1.0, 2.0, 6.0], [3.0, 3.0, 3.0], [0.2, 4.0, 5.0]])
    x = sample_quantiles(pcts, 400_000, rng)
    assert (x[:, 1] == 3.0).all()
    for k in (0, 2):
        got = np.quantile(x[:, k], [0.1, 0.5, 0.9])
        assert got == pytest.approx(pcts[k], abs=0.02)
    # the lower tail of a wide low side is floored at 0 h, the upper tail continues the slope
    assert x[:, 2].min() >= 0.0 and (x[:, 2] == 0.0).any()
    assert x[:, 0].max() <= 6.0 + (6.0 - 2.0) / 4 + 1e-9


def test_reliability_quantiles_are_analytic_and_seeded() -> None:
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    r = corridor.route(ROAD, "P", "T", profile=p)
    # fixed part 12 - 6 = 6 h; crossing delay P10 3, P50 6, P90 20 h: the draws give them back
    rel = corridor.reliability(r, n=200_000, seed=1)
    assert rel.p50_h == pytest.approx(6.0 + 6.0, abs=0.05)
    assert rel.p90_h == pytest.approx(6.0 + 20.0, abs=0.1)
    # tails continue the slopes: Q(0) = 3 - (6 - 3) / 4, Q(1) = 20 + (20 - 6) / 4
    assert rel.min_h >= 6.0 + 2.25 - 1e-9 and rel.max_h <= 6.0 + 23.5 + 1e-9
    again = corridor.reliability(r, n=200_000, seed=1)
    assert again == rel
    with pytest.raises(corridor.ValidationError, match="needs a route found with a profile"):
        corridor.reliability(corridor.route(ROAD, "P", "T"))


def test_reliability_with_departure_gives_arrival_times() -> None:
    p = profile(modes=["road"], rail=None, transfer=None, gauge_break=None)
    r = corridor.route(ROAD, "P", "T", profile=p, depart="2026-12-01T08:00")
    rel = corridor.reliability(r, n=2_000, seed=3)
    assert rel.p50_arrive is not None and rel.p50_arrive.startswith("2026-12-0")
    assert rel.p90_arrive is not None and rel.p90_arrive >= rel.p50_arrive
