"""Parameter draws: reproducible by seed, the fitted vector first, ordered percentiles,
and the same on a Dask cluster as here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from corridor.analysis.tourism.config import FITTED_NAMES, Fitted
from corridor.analysis.tourism.draws import STD_CAP, draw_thetas, tourism_draws

from .conftest import small_los

DAY = dt.date(2024, 7, 1)


def _fitted(std: float = 0.2) -> Fitted:
    values = dict(
        zip(FITTED_NAMES, [-12.0, -11.0, -0.7, -1.4, 0.0, -0.8, -12.0, -12.0, -12.0], strict=True)
    )
    n = len(FITTED_NAMES)
    corr = np.eye(n)
    corr[0, 1] = corr[1, 0] = 0.5
    return Fitted(
        2024,
        values,
        {k: std for k in FITTED_NAMES},
        tuple(tuple(r) for r in corr),
        "[assumption] test",
    )


def test_draws_reproducible_and_centred() -> None:
    f = _fitted()
    a, b = draw_thetas(f, 4000, 7), draw_thetas(f, 4000, 7)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, draw_thetas(f, 4000, 8))
    np.testing.assert_array_equal(a[0], f.vector())
    np.testing.assert_allclose(a.mean(axis=0), f.vector(), atol=0.03)
    np.testing.assert_allclose(a.std(axis=0), 0.2, rtol=0.08)
    assert np.corrcoef(a[:, 0], a[:, 1])[0, 1] == pytest.approx(0.5, abs=0.05)
    wide = draw_thetas(_fitted(std=float("inf")), 2000, 1)
    assert wide.std(axis=0).max() == pytest.approx(STD_CAP, rel=0.1)


def test_change_percentiles_ordered(small_params) -> None:
    before, after = small_los(bus_ab=100.0), small_los(bus_ab=50.0)
    res = tourism_draws(small_params, _fitted(), before, after, n=40, seed=3, day=DAY)
    s = res.summary.set_index("headline")
    assert (s["p10"] <= s["p50"]).all() and (s["p50"] <= s["p90"]).all()
    assert s.loc["ru_cn_visits_year_change", "p10"] > 0  # cheaper bus, more visits: always
    again = tourism_draws(small_params, _fitted(), before, after, n=40, seed=3, day=DAY)
    pd.testing.assert_frame_equal(res.draws, again.draws)


def test_dask_runner_gives_identical_draws(small_params) -> None:
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    from corridor.distributed.tourism import tourism_dask_runner

    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    client: Any = distributed.Client(cluster, set_as_default=False)
    try:
        los_b, los_a = small_los(), small_los(air_ab=250.0)
        local = tourism_draws(small_params, _fitted(), los_b, los_a, n=12, seed=5, day=DAY)
        remote = tourism_draws(
            small_params,
            _fitted(),
            los_b,
            los_a,
            n=12,
            seed=5,
            day=DAY,
            runner=tourism_dask_runner(client=client),
        )
    finally:
        client.close()
        cluster.close()
    pd.testing.assert_frame_equal(local.draws, remote.draws, check_exact=True)


def test_drawn_fixed_parameters_pivot_on_the_calibrated_base(small_params) -> None:
    from corridor.analysis.tourism.draws import _anchor
    from corridor.analysis.tourism.model import demand

    los = small_los()
    theta = np.array(_fitted().vector())
    drawn = small_params.with_values({"visa": -0.95, "logsum_coefficient": 0.7})
    assert drawn.regime_utility["group_visa_free"] == -0.95
    th = _anchor(theta, drawn, small_params, los, DAY, (), 1.0)
    ref = demand(los, small_params, theta, on=DAY).visits.sum(axis=(2, 3))
    got = demand(los, drawn, th, on=DAY).visits.sum(axis=(2, 3))
    assert got[0, 1:].sum() == pytest.approx(ref[0, 1:].sum(), rel=1e-6)  # RU->CN
    assert got[1:, 0].sum() == pytest.approx(ref[1:, 0].sum(), rel=1e-6)  # CN->RU
    assert not np.allclose(th, theta)
