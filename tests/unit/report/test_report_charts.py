"""Charts: drawn on Figure objects (no pyplot state), written atomically, format by suffix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_hex

import corridor
from corridor.analysis.compare import CompareOptions, compare
from corridor.report.charts import (
    draw_accessibility_changes,
    draw_country_changes,
    draw_crossing_loads,
    draw_pair_changes,
    draw_tcd,
    draw_time_changes,
    figure_png,
    write_tcd_chart,
)
from corridor.report.palette import GAIN, LESS, LOSS, MORE
from corridor.report.summary import touched_pairs

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


def test_comparison_charts_show_gains_and_losses_as_what_they_are(
    toy: corridor.Network,
) -> None:
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0  # B-C faster: gains
    links.loc[links["link_id"] == 10, "speed_kmh"] = 40.0  # A-B slower: losses
    c = compare(
        toy,
        toy.with_links(links),
        options=CompareOptions(places=("A", "B", "D"), profiles=("car",), flows=None),
    )
    rows = touched_pairs(c)
    fig = draw_pair_changes(rows, column="d_time_h")
    assert fig is not None
    ax = fig.axes[0]
    shown = rows[rows["d_time_h"].abs() > 1e-9]
    assert len(ax.patches) == len(shown)
    widths = [p.get_width() for p in ax.patches]
    colours = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert any(w < 0 for w in widths) and any(w > 0 for w in widths)
    for w, colour in zip(widths, colours, strict=True):
        assert colour == (GAIN if w < 0 else LOSS)  # a fall in time is a gain
    # sorted by size, labelled with names
    assert [abs(w) for w in widths] == sorted((abs(w) for w in widths), reverse=True)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all(" → " in t and "(car)" in t for t in labels)
    times = draw_time_changes(c)
    assert times is not None


def test_no_change_draws_no_chart(toy: corridor.Network) -> None:
    c = compare(toy, toy, options=CompareOptions(places=("A", "D"), profiles=("car",), flows=None))
    assert draw_accessibility_changes(c) is None
    assert draw_pair_changes(touched_pairs(c)) is None
    assert draw_country_changes(c.by_country) is None


def test_crossing_load_chart_sums_directions() -> None:
    table = pd.DataFrame(
        {
            "crossing": ["X", "X", "Y", "Y", "Z"],
            "truck_veh_h_before": [10.0, 5.0, 0.0, 1.0, 3.0],
            "truck_veh_h_after": [4.0, 3.0, 6.0, 2.0, 3.0],
        }
    )
    fig = draw_crossing_loads(table)
    assert fig is not None
    ax = fig.axes[0]
    got = {
        t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert got == {"X": -8.0, "Y": 7.0}  # Z does not change
    colours = {
        t.get_text(): to_hex(p.get_facecolor())
        for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert colours == {"X": LESS, "Y": MORE}
