"""Charts: drawn on Figure objects (no pyplot state), written atomically, format by suffix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.report.charts import (
    draw_accessibility_changes,
    draw_tcd,
    draw_time_changes,
    figure_png,
    write_tcd_chart,
)

_NO_PYPLOT_PROBE = """
import json, sys, tempfile, pathlib
import corridor
from corridor.report.charts import draw_tcd, write_tcd_chart
t = corridor.tcd(corridor.examples.toy(), "A", "D")
fig = draw_tcd(t)
with tempfile.TemporaryDirectory() as tmp:
    write_tcd_chart(t, pathlib.Path(tmp) / "t.png")
print(json.dumps({"pyplot": "matplotlib.pyplot" in sys.modules,
                  "figure": type(fig).__module__ + "." + type(fig).__name__}))
"""


def test_charts_use_no_pyplot() -> None:
    """No pyplot, so no global figure state and no backend switch (``matplotlib.use``)."""
    out = subprocess.run(
        [sys.executable, "-c", _NO_PYPLOT_PROBE], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {
        "pyplot": False,
        "figure": "matplotlib.figure.Figure",
    }


def test_tcd_chart_has_a_line_per_route_on_both_panels(toy: corridor.Network) -> None:
    t = corridor.tcd(toy, "A", "D")
    fig = draw_tcd(t)
    ax_cost, ax_time = fig.axes
    labels = sorted(t.table["route"].unique())
    for ax in (ax_cost, ax_time):
        assert sorted(text.get_text() for text in ax.get_legend().get_texts()) == labels
    assert [a.get_text() for a in ax_time.texts] == ["C", "E"]  # the crossing, the gauge break
    assert figure_png(fig)[:4] == b"\x89PNG"


def test_tcd_chart_format_follows_the_suffix(toy: corridor.Network, tmp_path: Path) -> None:
    t = corridor.tcd(toy, "A", "D", profiles=["truck40"])
    assert write_tcd_chart(t, tmp_path / "t.svg").read_text().lstrip().startswith("<?xml")
    assert write_tcd_chart(t, tmp_path / "t.pdf").read_bytes()[:4] == b"%PDF"
    assert write_tcd_chart(t, tmp_path / "t").read_bytes()[:4] == b"\x89PNG"


def test_unwritable_tcd_chart_raises_and_leaves_no_file(
    toy: corridor.Network, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    t = corridor.tcd(toy, "A", "D", profiles=["truck40"])
    with pytest.raises(corridor.DataSourceError, match="cannot"):
        write_tcd_chart(t, blocker / "t.png")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_comparison_charts(toy: corridor.Network) -> None:
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    c = compare(
        toy,
        toy.with_links(links),
        options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None),
    )
    times = draw_time_changes(c)
    assert times is not None
    (ax,) = times.axes
    assert len(ax.patches) == len(c.detail)
    (ax,) = draw_accessibility_changes(c).axes
    assert ax.get_title() == "Accessibility gains by place (car)"
