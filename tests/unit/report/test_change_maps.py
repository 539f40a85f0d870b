"""Change maps: labels never overlap, the scale bar is as long as it says, the zoom frames
what changed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.report.change_maps import (
    EARTH_KM_PER_DEG,
    MapLayers,
    draw_change_map,
    nice_length_km,
    place_labels,
    zoom_extent,
)
from corridor.report.network_changes import crossing_changes


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def layers() -> MapLayers:
    toy = corridor.examples.toy()
    links = toy.links.copy()
    links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    after = toy.with_links(links)
    return MapLayers(
        base=toy,
        other=after,
        link_changes=corridor.link_changes(toy, after),
        crossing_changes=crossing_changes(toy, after),
    )


def test_scale_bar_is_as_long_as_its_label(layers: MapLayers) -> None:
    fig = draw_change_map(layers)
    ax = fig.axes[0]
    (bar,) = [line for line in ax.lines if line.get_gid() == "scale-bar"]
    (label,) = [t for t in ax.texts if t.get_gid() == "scale-label"]
    (x0, x1), (lat, _) = bar.get_xdata(), bar.get_ydata()
    km = float(label.get_text().split(" km")[0].replace(",", ""))
    # along its parallel the bar is km long; the great circle between its ends is shorter
    # by at most a hair at this length (independent truth: haversine)
    assert km == pytest.approx(EARTH_KM_PER_DEG * math.cos(math.radians(lat)) * (x1 - x0))
    assert _haversine_km(x0, lat, x1, lat) == pytest.approx(km, rel=2e-3)


def test_labels_do_not_overlap() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rng = np.random.default_rng(7)
    pts = pd.DataFrame(
        {
            "name": [f"Place number {i}" for i in range(60)],
            "lon": rng.uniform(0, 10, 60),
            "lat": rng.uniform(0, 5, 60),
            "weight": 1.0,
        }
    )
    fig = Figure(figsize=(6, 3))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.5, 10.5)
    ax.set_ylim(-0.5, 5.5)
    done = place_labels(ax, pts)
    assert 5 < len(done) < 60  # crowded: some labelled, some dropped
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == len(done)
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (done[i], done[j])
    frame = ax.get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in boxes)


def test_zoom_frames_the_changed_links(layers: MapLayers) -> None:
    box = zoom_extent(layers)
    assert box is not None
    lon0, lat0, lon1, lat1 = box
    links = layers.other.links
    geom = links.loc[links["link_id"] == 11, "geometry"].iloc[0]
    nodes = layers.other.nodes.set_index("node_id")
    if geom is None:
        row = links[links["link_id"] == 11].iloc[0]
        xy = nodes.loc[[row["a_node"], row["b_node"]], ["lon", "lat"]].to_numpy()
    else:
        xy = np.asarray(geom.coords)
    assert (xy[:, 0] >= lon0).all() and (xy[:, 0] <= lon1).all()
    assert (xy[:, 1] >= lat0).all() and (xy[:, 1] <= lat1).all()
    unchanged = MapLayers(
        base=layers.base,
        other=layers.base,
        link_changes=corridor.link_changes(layers.base, layers.base),
        crossing_changes=crossing_changes(layers.base, layers.base),
    )
    assert zoom_extent(unchanged) is None


def test_nice_lengths() -> None:
    for span in (3.0, 47.0, 740.0, 5000.0, 12_345.0):
        n = nice_length_km(span)
        assert n <= span / 5
        mantissa = n / 10 ** math.floor(math.log10(n))
        assert round(mantissa, 6) in (1.0, 2.0, 2.5, 5.0)
