"""`compare` puts the freight model's tables in `Comparison.extra` when the model is there."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

import corridor
from corridor.analysis.freight import comparison
from corridor.scenario.spec import parse_scenario

from .toy import DESTINATION, ORIGIN, od_table, parallel_crossings


def test_compare_uses_the_freight_model_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Any]] = []

    def fake_flows(network: corridor.Network, *, scenario: Any = None, year: int = 2024) -> Any:
        calls.append((network.name, scenario))
        od = od_table([(ORIGIN, DESTINATION, "containers", 365.0 * 70)])
        return SimpleNamespace(od=od)

    monkeypatch.setattr(comparison, "_flows_function", lambda: fake_flows)
    monkeypatch.setattr(comparison, "freight_model_available", lambda *networks: True)
    before = parallel_crossings([5.0, 8.0], [40.0, 200.0])
    after = parallel_crossings([5.0, 8.0], [80.0, 200.0])
    sc_a = parse_scenario("name: a\nappraisal: {investment_cost_usd: 0, source: base}\n")
    sc_b = parse_scenario(
        "name: b\nedits: [{scale_demand: 2}]\n"
        "appraisal: {investment_cost_usd: 1.0e6, source: 'toy'}\n"
    )
    opts = corridor.CompareOptions(
        places=("Origo", "Destino"), profiles=("truck40",), headline=(), hours=(24.0,)
    )
    result = corridor.compare(before, after, options=opts, scenarios=(sc_a, sc_b))
    assert [s for _, s in calls] == [None, None]  # the networks have the edits already
    for key in comparison.KEYS:
        assert isinstance(result.extra[key], pd.DataFrame)
    assert "crossing_loads" not in result.extra  # the gravity flows are replaced
    by = result.extra["freight_by_commodity_mode"].iloc[0]
    assert by["tonnes_year_after"] == pytest.approx(2 * by["tonnes_year_before"])
    ap = result.extra["appraisal"].set_index("item")["value"]
    assert ap["investment_usd"] == 1.0e6
    # the appraisal values the base demand on both networks: doubled capacity, users gain,
    # while the impact tables carry the scenario's own (doubled) demand and its queues
    assert ap["user_usd"] > 0
    fixed = result.extra["freight_impacts_fixed_demand"].set_index("mode").loc["all"]
    own = result.extra["freight_impacts"].set_index("mode").loc["all"]
    assert fixed["saved_vehicle_h_year"] > 0 > own["saved_vehicle_h_year"]
