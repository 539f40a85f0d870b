"""Charts, drawn with matplotlib's object API only.

Every chart is a :class:`matplotlib.figure.Figure` made directly (no pyplot, so no global
figure manager and no ``matplotlib.use``): it is safe in threads and in the web service,
and is freed with its last reference. matplotlib is imported on first use, so
``import corridor`` does not pull it in.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.analysis.compare import Comparison
from corridor.analysis.tcd import TCD
from corridor.atomic import STAMP, atomic_file
from corridor.budget import clipped, quoted
from corridor.errors import DataSourceError, ValidationError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "draw_accessibility_changes",
    "draw_tcd",
    "draw_time_changes",
    "figure_png",
    "write_tcd_chart",
]

log = logging.getLogger(__name__)


def _figure(width_in: float, height_in: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in))


def draw_tcd(tcd: TCD) -> Figure:
    """The time/cost-distance chart: cumulative cost and time against distance.

    Parameters
    ----------
    tcd
        The result of :func:`corridor.tcd`.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the distance axis: cumulative cost (US$) above, cumulative
        time (h) below, one line per route; nodes (crossings, gauge changes, transfers)
        are dots, and border crossings and gauge changes are labelled on the time panel.

    Examples
    --------
    >>> import corridor
    >>> fig = draw_tcd(corridor.tcd(corridor.examples.toy(), "A", "D"))
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['cumulative cost, US$', 'cumulative time, h']
    """
    fig = _figure(10, 8)
    ax_cost, ax_time = fig.subplots(2, 1, sharex=True)
    for name, part in tcd.table.groupby("route", sort=False):
        x = part["cum_distance_km"].to_numpy()
        for ax, col in ((ax_cost, "cum_cost_usd"), (ax_time, "cum_time_h")):
            (line,) = ax.plot(x, part[col].to_numpy(), label=str(name), lw=1.8)
            nodes = part[part["kind"] == "node"]
            ax.plot(
                nodes["cum_distance_km"].to_numpy(),
                nodes[col].to_numpy(),
                "o",
                ms=3,
                color=line.get_color(),
            )
        crossings = part[part["label"].str.startswith(("border_crossing", "gauge_change"))]
        for _, row in crossings.iterrows():
            ax_time.annotate(
                str(row["label"]).split(": ", 1)[1],
                (row["cum_distance_km"], row["cum_time_h"]),
                fontsize=7,
                xytext=(3, -8),
                textcoords="offset points",
            )
    o, d = tcd.routes[0].origin_name, tcd.routes[0].destination_name
    ax_cost.set_title(f"Time/cost-distance: {o} → {d}")
    ax_cost.set_ylabel("cumulative cost, US$")
    ax_time.set_ylabel("cumulative time, h")
    ax_time.set_xlabel("cumulative distance, km")
    for ax in (ax_cost, ax_time):
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def write_tcd_chart(tcd: TCD, path: str | Path, *, force: bool = False) -> Path:
    """Draw the time/cost-distance chart (see :func:`draw_tcd`) to a PNG, SVG or PDF file.

    Parameters
    ----------
    tcd
        The result of :func:`corridor.tcd`.
    path
        Output file; its suffix picks the format (PNG if it has none). The file is
        written to a temporary name and renamed, so a failed write leaves no partial file.
    force
        Replace what is at `path` even if corridor did not write it.

    Returns
    -------
    Path
        `path`.

    Raises
    ------
    DataSourceError
        If the file cannot be written.
    ValidationError
        If the suffix names no format matplotlib can write.

    Examples
    --------
    >>> import corridor, tempfile, pathlib
    >>> t = corridor.tcd(corridor.examples.toy(), "A", "D")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_tcd_chart(t, pathlib.Path(tmp) / "tcd.png")
    ...     out.read_bytes()[:4]
    b'\\x89PNG'
    """
    out = Path(path)
    fig = draw_tcd(tcd)
    fmt = (out.suffix or ".png").lstrip(".").lower()
    formats = sorted(fig.canvas.get_supported_filetypes())
    if fmt not in formats:
        raise ValidationError(
            f"{clipped(str(out))}: cannot draw a chart as {quoted(fmt, 20)}; "
            f"use one of the suffixes .{', .'.join(formats)} (e.g. tcd.png)"
        )
    try:
        with atomic_file(out, force=force) as tmp:
            key = {"png": "Software", "svg": "Creator", "pdf": "Creator"}.get(fmt)
            fig.savefig(tmp, dpi=120, format=fmt, metadata={key: STAMP} if key else None)
    except DataSourceError:
        raise
    except OSError as exc:
        raise DataSourceError(out, f"cannot write the chart: {exc.strerror or exc}") from None
    log.info("wrote %s", out)
    return out


def draw_time_changes(comparison: Comparison, *, top: int = 25) -> Figure | None:
    """Bars of the change in door-to-door time of the OD pairs that changed most.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.compare`.
    top
        Most bars: the largest savings first.

    Returns
    -------
    matplotlib.figure.Figure or None
        One bar per OD pair and profile (green a saving, red a loss), or None if the
        comparison has no detail rows.
    """
    detail = comparison.detail
    if not len(detail):
        return None
    shown = detail.assign(
        pair=detail["origin"] + " → " + detail["destination"] + " (" + detail["profile"] + ")"
    )
    shown = shown[np.isfinite(shown["d_time_h"])].sort_values("d_time_h").head(top)
    fig = _figure(8, max(2.5, 0.32 * len(shown) + 1))
    ax = fig.subplots()
    colours = ["#1a9641" if v < 0 else "#d7191c" for v in shown["d_time_h"]]
    ax.barh(shown["pair"], shown["d_time_h"], color=colours)
    ax.axvline(0, color="#333", lw=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("change in door-to-door time, h (negative = saving)")
    ax.set_title(f"Time change by OD pair: {comparison.base} → {comparison.other}")
    return fig


def draw_accessibility_changes(comparison: Comparison, *, top: int = 20) -> Figure:
    """Bars of the change in population reachable, for the places that changed most.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.compare`.
    top
        Most bars, by the size of the change.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per place, in million people, for the 24 h threshold if there is one
        (else the first threshold).
    """
    acc = comparison.accessibility
    col = next((c for c in acc.columns if c.startswith("d_pop_within_24")), None)
    col = col or next(c for c in acc.columns if c.startswith("d_pop_within_"))
    shown = acc.reindex(acc[col].abs().sort_values(ascending=False).index).head(top)
    fig = _figure(8, max(2.5, 0.32 * len(shown) + 1))
    ax = fig.subplots()
    ax.barh(shown["place"], shown[col] / 1e6, color="#2b83ba")
    ax.invert_yaxis()
    ax.set_xlabel(f"change in population reachable ({col.removeprefix('d_pop_within_')}), million")
    ax.set_title("Accessibility gains by place (car)")
    return fig


def figure_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """`fig` as PNG bytes, cropped to its content.

    Parameters
    ----------
    fig
        The figure.
    dpi
        Resolution, dots per inch.

    Returns
    -------
    bytes
        The PNG file's content.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()
