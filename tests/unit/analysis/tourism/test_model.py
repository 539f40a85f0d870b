"""The tourism model against hand-computed cases."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from corridor.analysis.tourism.config import FITTED_NAMES
from corridor.analysis.tourism.model import VisaOverride, demand, regimes_on
from corridor.analysis.tourism.tables import by_direction, crossing_passages

from .conftest import small_los

DAY = dt.date(2024, 7, 1)
# asc CN->RU, asc RU->CN, business CN, business RU, shopping, beta per 100 US$
THETA = np.array([-14.0, -13.0, -1.0, -2.0, 0.0, -0.5, -12.0, -12.0, -12.0])


def _hand_visits_a_to_b_leisure(beta: float, regime_u: float) -> float:
    """Zone A (RU) leisure visits to B, computed with math only."""
    # modes (air, bus) from A: to B air 300 bus 100; to C air 400, no bus
    v_air_b = 0.0 + beta * 2 * 300 / 100
    v_bus_b = -0.5 + beta * 2 * 100 / 100
    ls_b = math.log(math.exp(v_air_b) + math.exp(v_bus_b))
    ls_c = 0.0 + beta * 2 * 400 / 100
    u_b = -13.0 + math.log(2.0 * 200000) + 0.8 * ls_b + regime_u
    u_c = -13.0 + math.log(1.0 * 50000) + 0.8 * ls_c + regime_u
    p_b = math.exp(u_b) / (1 + math.exp(u_b) + math.exp(u_c))
    return 1_000_000 * p_b


def test_visits_match_hand_computation(small_params, los) -> None:
    d = demand(los, small_params, THETA, on=DAY)
    got = d.visits[0, 1, 0, :].sum()
    assert got == pytest.approx(_hand_visits_a_to_b_leisure(-0.5, -0.87), rel=1e-12)
    # mode split of A->B leisure: binary logit of the mode utilities
    v_air, v_bus = -0.5 * 6, -0.5 - 0.5 * 2
    p_air = math.exp(v_air) / (math.exp(v_air) + math.exp(v_bus))
    assert d.visits[0, 1, 0, 0] / got == pytest.approx(p_air, rel=1e-12)


def test_no_domestic_visits_and_unavailable_modes(small_params, los) -> None:
    d = demand(los, small_params, THETA, on=DAY)
    assert d.visits[1, 2].sum() == 0.0  # B and C are both in CN
    assert d.visits[0, 2, :, 1].sum() == 0.0  # no bus A->C
    # A->C by air only: the log-sum is the air utility itself
    assert d.logsum[0, 0, 2] == pytest.approx(-0.5 * 2 * 400 / 100)


def test_visa_free_override_raises_visits_by_the_regime_utility(small_params, los) -> None:
    base = demand(los, small_params, THETA, on=DAY)
    free = demand(
        los,
        small_params,
        THETA,
        on=DAY,
        overrides=[VisaOverride("RU", "CN", "visa_free", dt.date(2024, 1, 1))],
    )
    got = free.visits[0, 1, 0].sum()
    assert got == pytest.approx(_hand_visits_a_to_b_leisure(-0.5, 0.0), rel=1e-12)
    assert got / base.visits[0, 1, 0].sum() == pytest.approx(
        math.exp(0.87) * (1 + sum_exp(base, 0)) / (1 + sum_exp(free, 0)), rel=1e-12
    )
    # an override dated after the day changes nothing
    later = demand(
        los,
        small_params,
        THETA,
        on=DAY,
        overrides=[VisaOverride("RU", "CN", "visa_free", dt.date(2025, 1, 1))],
    )
    np.testing.assert_array_equal(later.visits, base.visits)


def sum_exp(d, k: int) -> float:
    u = d.utility[k, 0]
    return float(np.exp(u[np.isfinite(u)]).sum())


def test_cheaper_bus_raises_logsum_and_visits(small_params) -> None:
    before = demand(small_los(bus_ab=100.0), small_params, THETA, on=DAY)
    after = demand(small_los(bus_ab=50.0), small_params, THETA, on=DAY)
    dls = after.logsum[0, 0, 1] - before.logsum[0, 0, 1]
    assert dls > 0
    # destination utility moves by phi x the log-sum change, nothing else
    du = after.utility[0, 0, 1] - before.utility[0, 0, 1]
    assert du == pytest.approx(0.8 * dls, rel=1e-12)
    assert after.visits[0, 1].sum() > before.visits[0, 1].sum()


def test_demand_factor_scales_and_tables_add_up(small_params, los) -> None:
    d1 = demand(los, small_params, THETA, on=DAY)
    d2 = demand(los, small_params, THETA, on=DAY, demand_factor=1.5)
    np.testing.assert_allclose(d2.visits, 1.5 * d1.visits)
    table = by_direction(d1)
    assert table["visits_year"].sum() == pytest.approx(d1.visits.sum())
    spend_ru_cn = table.set_index("direction").loc["RU->CN", "spend_usd_year"]
    hand = 100.0 * (5 * d1.visits[0, :, 0].sum() + 2 * d1.visits[0, :, 1].sum())
    assert spend_ru_cn == pytest.approx(hand)
    x = crossing_passages(d1)
    bus_ab = d1.visits[0, 1, :, 1].sum() + d1.visits[1, 0, :, 1].sum()
    assert x.set_index(["crossing", "mode"]).loc[("X", "bus"), "passages_year"] == (
        pytest.approx(2 * bus_ab)
    )


def test_regimes_take_the_latest_rule(small_params) -> None:
    r = regimes_on(small_params, DAY)
    assert r[("RU", "CN")] == "visa" and r[("CN", "RU")] == "e_visa"


def test_bad_theta_is_refused(small_params, los) -> None:
    from corridor.errors import ValidationError

    with pytest.raises(ValidationError, match="theta needs"):
        demand(los, small_params, THETA[:3], on=DAY)
    assert len(FITTED_NAMES) == THETA.size


def test_groups_travel_visa_free_under_an_agreement_in_force(los) -> None:
    from corridor.analysis.tourism.config import parse_params

    from .conftest import SMALL

    group = (
        "  - {purpose: group_tour, modes: [air, bus], attraction: leisure, cost_scale: 1.0,"
        " asc: 0.0, exempt: [group_visa_free, visa_free], destinations: all, nights: 7,"
        ' source: "[assumption] test"}\n'
    )
    agreement = (
        "group_agreements:\n"
        '  - {from: RU, to: CN, from_date: 2000-12-29, until: 2020-02-01, source: "test"}\n'
        '  - {from: RU, to: CN, from_date: 2023-08-01, source: "test"}\n'
    )
    assert SMALL.count("\nvisa:\n") == 1
    text = SMALL.replace("\nvisa:\n", "\n" + agreement + "visa:\n", 1)
    text = text.replace("  - {purpose: business", group + "  - {purpose: business", 1)
    params = parse_params(text, source="groups.yaml")
    k_group = [p.purpose for p in params.purposes].index("group_tour")
    k_leisure = [p.purpose for p in params.purposes].index("leisure")
    for day, penalty in ((DAY, 0.0), (dt.date(2021, 7, 1), -0.87), (dt.date(2019, 7, 1), 0.0)):
        d = demand(los, params, THETA, on=day)
        # same modes, attraction and cost scale: the utilities differ by the visa term only
        diff = d.utility[k_group, 0, 1] - d.utility[k_leisure, 0, 1]
        assert diff == pytest.approx(penalty - (-0.87)), day
