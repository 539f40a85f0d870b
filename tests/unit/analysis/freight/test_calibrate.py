"""Calibration recovers known parameters from synthetic targets; the fit table is honest."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.analysis.freight.calibrate import calibrate, fit_table, params_yaml
from corridor.analysis.freight.mode_choice import FreightParams
from corridor.analysis.freight.targets import Target, target_base, target_value, target_weights
from corridor.errors import ValidationError

from .conftest import synthetic_model

CV = {"road": 0.1, "rail_container": 0.2, "rail_wagon": 0.3, "sea": 0.2}
START = FreightParams(beta=3.0, asc={}, lambda_land=0.7, cv=CV, year=2024)
TRUE = START.with_values(
    {"rail_container:container": 0.8, "road:bulk": -0.6, "rail_wagon:bulk": 1.1}
)
FREE = ("rail_container:container", "road:bulk", "rail_wagon:bulk")


def _with_value(t: Target, value: float) -> Target:
    from dataclasses import replace

    return replace(t, value=value)


def synthetic_targets() -> tuple[object, list[Target]]:
    model = synthetic_model()
    specs = [
        Target("teu_ab", "fit", "rail_teu", 1.0, 0.01, "synthetic", "A", ("B", "C")),
        Target("rail_ab", "fit", "rail_tonnes", 1.0, 0.01, "synthetic", "A", ("B",), ("A", "B")),
        Target("rail_ac_ore", "fit", "rail_tonnes", 1.0, 0.01, "s", "A", ("C",), commodity="ore"),
        Target("road_via_d", "fit", "transit", 1.0, 0.01, "synthetic", "A", through="D"),
        Target("x1", "check", "crossing", 1.0, 0.25, "synthetic", "A", ("B",), crossing="X1"),
    ]
    tonnes = model.tonnes(TRUE)
    return model, [_with_value(t, target_value(target_weights(model, t), tonnes)) for t in specs]


def test_recovers_known_constants_from_synthetic_targets() -> None:
    model, targets = synthetic_targets()
    cal = calibrate(model, START, targets, free=FREE, ridge=0.0)  # type: ignore[arg-type]
    for key in FREE:
        assert cal.params.asc[key] == pytest.approx(TRUE.asc[key], abs=1e-4)
    assert cal.converged and cal.fit_ok
    assert np.abs(cal.table["error_pct"]).max() < 1e-3


def test_recovers_beta_too() -> None:
    model, targets = synthetic_targets()
    truth = TRUE.with_values({"beta": 2.2})
    tonnes = model.tonnes(truth)  # type: ignore[attr-defined]
    targets = [_with_value(t, target_value(target_weights(model, t), tonnes)) for t in targets]
    extra = Target(
        "rail_ab_box", "fit", "rail_tonnes", 1.0, 0.01, "s", "A", ("B",), commodity="boxes"
    )
    targets.append(_with_value(extra, target_value(target_weights(model, extra), tonnes)))  # type: ignore[arg-type]
    cal = calibrate(model, START, targets, free=(*FREE, "beta"), ridge=0.0)  # type: ignore[arg-type]
    assert cal.params.beta == pytest.approx(2.2, abs=1e-3)


def test_recovers_from_a_share_target() -> None:
    model, targets = synthetic_targets()
    share = Target(
        "road_share", "fit", "teu_share", 0.5, 0.01, "s", "A", ("B", "C"), modes=("road",)
    )
    truth = TRUE.with_values({"road:container": -0.4})
    tonnes = model.tonnes(truth)  # type: ignore[attr-defined]
    value = target_value(target_weights(model, share), tonnes, target_base(model, share))  # type: ignore[arg-type]
    # by hand: TEU by road over TEU by all modes, containers A -> B, C
    d = model.demand  # type: ignore[attr-defined]
    boxes = (d["commodity"] == "boxes").to_numpy()
    assert value == pytest.approx(tonnes[boxes, 0].sum() / tonnes[boxes].sum())
    targets = [_with_value(t, target_value(target_weights(model, t), tonnes)) for t in targets]  # type: ignore[arg-type]
    targets.append(_with_value(share, value))
    cal = calibrate(model, START, targets, free=(*FREE, "road:container"), ridge=0.0)  # type: ignore[arg-type]
    assert cal.params.asc["road:container"] == pytest.approx(-0.4, abs=1e-4)
    row = cal.table.set_index("id").loc["road_share"]
    assert row["model"] == pytest.approx(value, rel=1e-6)


def test_check_targets_are_reported_not_fitted() -> None:
    model, targets = synthetic_targets()
    wrong = [_with_value(t, t.value * 3.0) if t.role == "check" else t for t in targets]
    cal = calibrate(model, START, wrong, free=FREE, ridge=0.0)  # type: ignore[arg-type]
    check = cal.table[cal.table["role"] == "check"].iloc[0]
    assert check["error_pct"] == pytest.approx(100.0 * (1 / 3 - 1), abs=1e-2)
    assert not check["within"]
    assert "rail_container:container" in params_yaml(cal, year=2024)


def test_crossing_weight_selects_rail_paths_through_it() -> None:
    model = synthetic_model()
    t = Target("x1", "check", "crossing", 1.0, 0.25, "s", "A", ("B",), crossing="X1")
    w = target_weights(model, t)
    to_b = (model.demand["destination_group"] == "B").to_numpy()
    assert w[to_b, 1].all() and w[to_b, 2].sum() == 0  # X1 is on rail_container paths only
    assert w[~to_b].sum() == 0 and w[:, 0].sum() == 0  # road is not rail


def test_bad_inputs_are_refused() -> None:
    model, targets = synthetic_targets()
    with pytest.raises(ValidationError, match="unknown or no free"):
        calibrate(model, START, targets, free=("plane:container",))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no target with role 'fit'"):
        calibrate(model, START, [t for t in targets if t.role == "check"])  # type: ignore[arg-type]
    nobody = Target("none", "fit", "rail_tonnes", 1.0, 0.1, "s", "Z", ("B",))
    with pytest.raises(ValidationError, match="select no demand"):
        calibrate(model, START, [nobody])  # type: ignore[arg-type]
    bad = Target("gone", "check", "crossing", 1.0, 0.1, "s", "A", ("B",), crossing="nowhere")
    with pytest.raises(ValidationError, match="no crossing named"):
        fit_table(model, START, [bad])  # type: ignore[arg-type]
