"""Tourism charts on the small hand-checkable world."""

from __future__ import annotations

import datetime as dt

import numpy as np

from corridor.analysis.tourism.api import TourismResult
from corridor.analysis.tourism.config import FITTED_NAMES, Fitted, parse_params
from corridor.analysis.tourism.model import demand
from corridor.report.tourism_charts import (
    draw_tourism_bars,
    draw_tourism_flows,
    write_tourism_charts,
)
from tests.unit.analysis.tourism.conftest import SMALL, small_los

THETA = np.array([-12.0, -11.0, -0.7, -1.4, 0.0, -0.8, -12.0, -12.0, -12.0])


def _result() -> TourismResult:
    params = parse_params(SMALL, source="small.yaml")
    d = demand(small_los(), params, THETA, on=dt.date(2024, 7, 1))
    n = len(FITTED_NAMES)
    fitted = Fitted(
        2024,
        dict(zip(FITTED_NAMES, THETA.tolist(), strict=True)),
        dict.fromkeys(FITTED_NAMES, 0.1),
        tuple(tuple(r) for r in np.eye(n)),
        "[assumption] test",
    )
    return TourismResult(demand=d, fitted=fitted)


def test_bars_stack_to_the_direction_totals() -> None:
    res = _result()
    fig = draw_tourism_bars(res)
    by_mode, by_purpose = fig.axes[0], fig.axes[1]
    assert [by_mode.get_title(), by_purpose.get_title()] == ["by mode", "by purpose"]
    totals = res.by_direction().set_index("direction")["visits_year"] / 1e6
    for ax in (by_mode, by_purpose):
        labels = [t.get_text() for t in ax.get_xticklabels()]
        tops = {}
        for patch in ax.patches:
            i = round(patch.get_x() + patch.get_width() / 2)
            tops[labels[i]] = max(tops.get(labels[i], 0.0), patch.get_y() + patch.get_height())
        for direction, top in tops.items():
            assert abs(top - totals[direction]) < 1e-9 * max(1.0, totals[direction])


def test_flow_arcs_scale_with_visits(tmp_path) -> None:
    res = _result()
    fig = draw_tourism_flows(res, top=4)
    lines = fig.axes[0].get_lines()
    per = res.demand.visits.sum(axis=(2, 3))
    flows = np.sort(per[per > 0])[::-1][:4]
    assert len(lines) == len(flows)
    widths = np.array([ln.get_linewidth() for ln in lines])
    np.testing.assert_allclose(widths, 0.5 + 6.0 * flows / flows[0])
    files = write_tourism_charts(res, tmp_path / "charts")
    assert [f.name for f in files] == ["tourism_bars.png", "tourism_flows.png"]
    assert all(f.read_bytes()[:4] == b"\x89PNG" for f in files)
