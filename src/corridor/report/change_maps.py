"""Static maps of what a scenario changes: an overview and a zoom, drawn with matplotlib.

Each map draws, from the bottom up: country outlines (Natural Earth), every link of either
network faintly in its mode's colour, the changed links in their change's colour (closed
ones dashed), the changed border crossings, the before (dashed) and after (solid) routes
of the pairs that changed most, the places, and a scale bar. Colours are
:mod:`corridor.report.palette`'s.

Places are labelled greedily by priority (changed crossings and route ends first, then by
population): each label tries eight positions around its point and is dropped when none
is free of the labels and markers already placed, so no two labels overlap.

The projection is equirectangular with the horizontal axis shrunk by the cosine of the
map's middle latitude; the scale bar is true along its own parallel and says which.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import shapely

from corridor.model.network import Network
from corridor.paths.types import Route
from corridor.report.palette import AFTER, BEFORE, CHANGE_COLOURS, MODE_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["EARTH_KM_PER_DEG", "MapLayers", "draw_change_map", "nice_length_km", "zoom_extent"]

EARTH_KM_PER_DEG = 111.195
"""Length of one degree of a great circle, km (mean Earth radius 6,371.0 km, IUGG)."""

Extent = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True, kw_only=True)
class MapLayers:
    """What a change map draws (everything in lon/lat, EPSG:4326).

    Attributes
    ----------
    base, other
        The two networks.
    link_changes
        :func:`corridor.link_changes` of the two.
    crossing_changes
        :func:`corridor.report.network_changes.crossing_changes` of the two.
    outlines
        Country polygons.
    routes
        (before, after, label) of the pairs to draw, either route may be None.
    extra_crossings
        Names of further crossings to mark and label (e.g. the ones traffic moves to).
    """

    base: Network
    other: Network
    link_changes: pd.DataFrame
    crossing_changes: pd.DataFrame
    outlines: Sequence[shapely.Geometry] = ()
    routes: Sequence[tuple[Route | None, Route | None, str]] = ()
    extra_crossings: Sequence[str] = ()


def nice_length_km(span_km: float) -> float:
    """A round scale-bar length of about a fifth of `span_km` (1, 2, 2.5 or 5 x 10^k).

    Examples
    --------
    >>> nice_length_km(5000.0), nice_length_km(740.0), nice_length_km(13.0)
    (1000.0, 100.0, 2.5)
    """
    target = max(span_km / 5.0, 1e-6)
    k = 10.0 ** math.floor(math.log10(target))
    return max(m * k for m in (1.0, 2.0, 2.5, 5.0) if m * k <= target)


def _union_links(base: Network, other: Network) -> pd.DataFrame:
    """Links of both networks (each id once), with geometry, mode and open flags."""
    nodes = base.nodes.set_index("node_id")[["lon", "lat"]]
    nodes = pd.concat([nodes, other.nodes.set_index("node_id")[["lon", "lat"]]])
    nodes = nodes[~nodes.index.duplicated()]
    a = base.links.assign(open_before=base.open_links())
    b = other.links.assign(open_after=other.open_links())
    merged = a.merge(b[["link_id", "open_after"]], on="link_id", how="outer")
    extra = b[~b["link_id"].isin(a["link_id"])].drop(columns="open_after")
    merged = merged.set_index("link_id")
    merged.update(extra.set_index("link_id"))
    for col in ("a_node", "b_node", "mode", "geometry"):
        fill = extra.set_index("link_id")[col]
        merged[col] = merged[col].where(merged[col].notna(), fill.reindex(merged.index))
    merged = merged.reset_index()
    merged["open_before"] = merged["open_before"].fillna(False).astype(bool)
    merged["open_after"] = merged["open_after"].fillna(False).astype(bool)
    missing = merged["geometry"].isna()
    if missing.any():
        ends_a = nodes.loc[merged.loc[missing, "a_node"]].to_numpy(float)
        ends_b = nodes.loc[merged.loc[missing, "b_node"]].to_numpy(float)
        merged.loc[missing, "geometry"] = list(
            shapely.linestrings(np.stack([ends_a, ends_b], axis=1))
        )
    return merged


def _segments(geoms: Iterable[shapely.Geometry]) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for g in geoms:
        if g is None:
            continue
        for part in getattr(g, "geoms", [g]):
            xy = shapely.get_coordinates(part)
            if len(xy) >= 2:
                out.append(xy)
    return out


def zoom_extent(layers: MapLayers, *, min_deg: float = 5.0, pad: float = 0.35) -> Extent | None:
    """The box around what changed (links, crossings, the crossings traffic moves to).

    Parameters
    ----------
    layers
        What the map draws.
    min_deg
        Smallest height of the box, degrees of latitude (its width follows at the map's
        aspect, at least as wide as high on the ground).
    pad
        Margin around the changes, as a share of their extent.

    Returns
    -------
    tuple or None
        (lon0, lat0, lon1, lat1), or None when nothing changed.
    """
    pts: list[np.ndarray] = []
    union = _union_links(layers.base, layers.other)
    changed = union[union["link_id"].isin(layers.link_changes["link_id"])]
    pts += _segments(changed["geometry"])
    nodes = layers.base.nodes.set_index("node_id")
    ids = set(layers.crossing_changes["node_id"].tolist())
    ids |= set(nodes.index[nodes["name"].isin(list(layers.extra_crossings))].tolist())
    if ids:
        pts.append(nodes.loc[sorted(ids), ["lon", "lat"]].to_numpy(float))
    if not pts:
        return None
    xy = np.vstack(pts)
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    k = math.cos(math.radians((y0 + y1) / 2))
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    x0, x1, y0, y1 = x0 - dx, x1 + dx, y0 - dy, y1 + dy
    h = max(y1 - y0, min_deg)
    w = max(x1 - x0, 1.6 * h / k)  # at least 1.6 times as wide as high on the ground
    h = max(h, (x1 - x0) * k / 2.2)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _overlaps(box: Any, boxes: Sequence[Any]) -> bool:
    return any(box.overlaps(b) for b in boxes)


_HA = Literal["left", "center", "right"]
_VA = Literal["bottom", "center", "top"]
_OFFSETS: tuple[tuple[int, int, _HA, _VA], ...] = (
    (5, 4, "left", "bottom"),
    (-5, 4, "right", "bottom"),
    (5, -4, "left", "top"),
    (-5, -4, "right", "top"),
    (7, 0, "left", "center"),
    (-7, 0, "right", "center"),
    (0, 7, "center", "bottom"),
    (0, -7, "center", "top"),
)


def place_labels(
    ax: Axes,
    points: pd.DataFrame,
    *,
    fontsize: float = 8.0,
    obstacles: Sequence[Any] = (),
) -> list[str]:
    """Label points greedily without overlaps; return the names labelled.

    Parameters
    ----------
    ax
        The axes (with its limits set).
    points
        ``name``, ``lon``, ``lat``, ``weight`` (bold for weight >= 2), in priority order.
    fontsize
        Label size, points.
    obstacles
        Artists labels must not cover (e.g. the legend).

    Returns
    -------
    list of str
        The names that found a free place, in the order placed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure):
        return []
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    ax.apply_aspect()
    frame = ax.get_window_extent(renderer)
    lonlat = points[["lon", "lat"]].to_numpy(float)
    xy = ax.transData.transform(lonlat)
    marks = [Bbox.from_extents(x - 2.5, y - 2.5, x + 2.5, y + 2.5) for x, y in xy]
    placed: list[Any] = [a.get_window_extent(renderer) for a in obstacles]
    done: list[str] = []
    for (x, y), (lon, lat), name, weight in zip(
        xy, lonlat, points["name"], points["weight"], strict=True
    ):
        if not frame.contains(x, y):
            continue
        own = Bbox.from_extents(x - 2.5, y - 2.5, x + 2.5, y + 2.5)
        others = [m for m in marks if not np.allclose(m.extents, own.extents)]
        text = ax.annotate(
            str(name),
            (lon, lat),
            xycoords="data",
            fontsize=fontsize,
            fontweight="bold" if weight >= 2 else "normal",
            color="#222",
            zorder=9,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.7},
        )
        for dx, dy, ha, va in _OFFSETS:
            text.set_position((dx, dy))
            text.set_horizontalalignment(ha)
            text.set_verticalalignment(va)
            text.xyann = (dx, dy)
            text.set_anncoords("offset points")
            box = text.get_window_extent(renderer)
            inside = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
            )
            if inside and not _overlaps(box, placed) and not _overlaps(box, others):
                placed.append(box)
                done.append(str(name))
                break
        else:
            text.remove()
    return done


def _scale_bar(ax: Axes, extent: Extent) -> tuple[float, float]:
    """Draw a scale bar at the lower left; return (length_km, latitude)."""
    lon0, lat0, lon1, lat1 = extent
    lat = lat0 + 0.07 * (lat1 - lat0)
    km_per_deg = EARTH_KM_PER_DEG * math.cos(math.radians(lat))
    span_km = (lon1 - lon0) * km_per_deg
    length = nice_length_km(span_km)
    x0 = lon0 + 0.04 * (lon1 - lon0)
    x1 = x0 + length / km_per_deg
    ax.plot(
        [x0, x1], [lat, lat], color="#222", lw=3, solid_capstyle="butt", zorder=10, gid="scale-bar"
    )
    ax.plot([x0, x0], [lat, lat + 0.012 * (lat1 - lat0)], color="#222", lw=1, zorder=10)
    ax.plot([x1, x1], [lat, lat + 0.012 * (lat1 - lat0)], color="#222", lw=1, zorder=10)
    ax.text(
        (x0 + x1) / 2,
        lat + 0.02 * (lat1 - lat0),
        f"{length:,.0f} km (at {abs(lat):.0f}°{'N' if lat >= 0 else 'S'})",
        ha="center",
        va="bottom",
        fontsize=8,
        zorder=10,
        gid="scale-label",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
    )
    return length, lat


def draw_change_map(
    layers: MapLayers,
    *,
    extent: Extent | None = None,
    title: str = "",
    max_labels: int = 30,
    width_in: float = 11.0,
) -> Figure:
    """One map of what changed (see the module docstring for the layers).

    Parameters
    ----------
    layers
        What to draw.
    extent
        (lon0, lat0, lon1, lat1); default: the base network's places with a margin.
    title
        Map title.
    max_labels
        Most place labels tried (crossings and route ends first, then by population).
    width_in
        Figure width, inches (the height follows from the extent).

    Returns
    -------
    matplotlib.figure.Figure
        The map; its axes has the scale bar (artists with gid ``scale-bar`` and
        ``scale-label``) and the place labels as its annotations.
    """
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    base, other = layers.base, layers.other
    nodes = base.nodes
    if extent is None:
        lon, lat = nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float)
        extent = (lon.min() - 1.5, lat.min() - 1.5, lon.max() + 1.5, lat.max() + 1.5)
    lon0, lat0, lon1, lat1 = extent
    k = math.cos(math.radians((lat0 + lat1) / 2))
    aspect = (lat1 - lat0) / ((lon1 - lon0) * k)
    fig = Figure(figsize=(width_in, max(3.0, min(width_in * aspect, 12.0)) + 0.6))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.92))
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / k, adjustable="box")
    ax.set_facecolor("#dfeaf2")
    ax.set_xticks([])
    ax.set_yticks([])
    box = shapely.box(lon0 - 1, lat0 - 1, lon1 + 1, lat1 + 1)
    polys = []
    for g in layers.outlines:
        clipped = g.intersection(box)
        for part in getattr(clipped, "geoms", [clipped]):
            if isinstance(part, shapely.Polygon) and not part.is_empty:
                polys.append(np.asarray(part.exterior.coords))
    ax.add_collection(
        PolyCollection(polys, facecolors="#f7f5ee", edgecolors="#b9b4a8", linewidths=0.5, zorder=1)
    )
    union = _union_links(base, other)
    union = union[union["open_before"] | union["open_after"]]
    changed_ids = set(layers.link_changes["link_id"].tolist())
    # air links are straight lines across the map: drawn only where they change
    backdrop = union[~union["mode"].isin(["air", "transfer"]) | union["link_id"].isin(changed_ids)]
    handles: list[Any] = []
    for mode, part in backdrop.groupby("mode", sort=False):
        segs = _segments(part["geometry"])
        ax.add_collection(
            LineCollection(
                segs,
                colors=MODE_COLOURS.get(str(mode), "#777"),
                linewidths=0.7,
                alpha=0.55,
                zorder=2,
            )
        )
        handles.append(
            Line2D([], [], color=MODE_COLOURS.get(str(mode), "#777"), lw=1.2, label=f"{mode}")
        )
    changes = layers.link_changes.merge(union[["link_id", "geometry"]], on="link_id")
    for kind, part in changes.groupby("change", observed=True, sort=False):
        colour = CHANGE_COLOURS.get(str(kind), "#000")
        style = "--" if str(kind) == "closed" else "-"
        ax.add_collection(
            LineCollection(
                _segments(part["geometry"]),
                colors=colour,
                linewidths=3.2,
                linestyles=style,
                zorder=5,
                capstyle="round",
            )
        )
        handles.append(
            Line2D(
                [], [], color=colour, lw=3, ls=style, label=f"link {str(kind).replace('_', ' ')}"
            )
        )
    for before, after, _label in layers.routes:
        for route, colour, style, _when in (
            (before, BEFORE, "--", "before"),
            (after, AFTER, "-", "after"),
        ):
            if route is None:
                continue
            ax.add_collection(
                LineCollection(
                    _segments(leg.geometry for leg in route.legs),
                    colors=colour,
                    linewidths=1.8,
                    linestyles=style,
                    zorder=6,
                )
            )
    if layers.routes:
        handles += [
            Line2D([], [], color=BEFORE, lw=1.8, ls="--", label="route before"),
            Line2D([], [], color=AFTER, lw=1.8, label="route after"),
        ]
    idx = nodes.set_index("node_id")
    cx_ids = list(dict.fromkeys(layers.crossing_changes["node_id"].tolist()))
    extra_ids = idx.index[idx["name"].isin(list(layers.extra_crossings))].tolist()
    if cx_ids:
        pts = idx.loc[cx_ids]
        ax.scatter(
            pts["lon"],
            pts["lat"],
            s=110,
            marker="X",
            color=CHANGE_COLOURS["crossing"],
            edgecolors="white",
            linewidths=0.8,
            zorder=8,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="X",
                ls="",
                color=CHANGE_COLOURS["crossing"],
                markersize=9,
                label="crossing changed",
            )
        )
    if extra_ids:
        pts = idx.loc[extra_ids]
        ax.scatter(
            pts["lon"],
            pts["lat"],
            s=60,
            marker="o",
            facecolors="none",
            edgecolors=CHANGE_COLOURS["crossing"],
            linewidths=1.5,
            zorder=8,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="none",
                mec=CHANGE_COLOURS["crossing"],
                markersize=8,
                label="crossing taking diverted traffic",
            )
        )
    inside = nodes[(nodes["lon"].between(lon0, lon1)) & (nodes["lat"].between(lat0, lat1))]
    cities = inside[inside["kind"] == "city"].sort_values("population", ascending=False)
    ends: list[str] = []
    for before, after, _label in layers.routes:
        for r in (before, after):
            if r is not None:
                ends += [r.origin_name, r.destination_name]
    top = cities.head(max(60, max_labels * 2))
    size = 4 + 26 * np.sqrt(top["population"].clip(lower=0).to_numpy(float) / 2.5e7)
    ax.scatter(
        top["lon"], top["lat"], s=size, color="white", edgecolors="#333", linewidths=0.6, zorder=7
    )
    first = pd.concat(
        [
            idx.loc[cx_ids + extra_ids, ["name", "lon", "lat"]].assign(weight=3.0),
            cities[cities["name"].isin(ends)][["name", "lon", "lat"]].assign(weight=2.0),
            top[["name", "lon", "lat"]].assign(weight=1.0),
        ]
    ).drop_duplicates("name")
    _scale_bar(ax, extent)
    obstacles: list[Any] = [t for t in ax.texts if t.get_gid() == "scale-label"]
    if handles:
        obstacles.append(ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.9))
    place_labels(
        ax,
        first.head(max_labels + len(cx_ids) + len(extra_ids)).reset_index(drop=True),
        obstacles=obstacles,
    )
    if title:
        fig.suptitle(title, fontsize=12, x=0.01, ha="left")
    return fig
