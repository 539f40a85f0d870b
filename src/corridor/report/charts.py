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
import pandas as pd

from corridor.analysis.compare import Comparison
from corridor.analysis.tcd import TCD
from corridor.atomic import STAMP, atomic_file
from corridor.budget import clipped, quoted
from corridor.errors import DataSourceError, ValidationError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "draw_accessibility_changes",
    "draw_country_changes",
    "draw_crossing_loads",
    "draw_pair_changes",
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

    Routes take the palette's alternative-route colours (:data:`corridor.report.palette.
    ALTERNATIVES`), as in the web planner's chart.

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
    from corridor.report.palette import ALTERNATIVES

    for i, (name, part) in enumerate(tcd.table.groupby("route", sort=False)):
        x = part["cum_distance_km"].to_numpy()
        colour = ALTERNATIVES[i % len(ALTERNATIVES)]
        for ax, col in ((ax_cost, "cum_cost_usd"), (ax_time, "cum_time_h")):
            (line,) = ax.plot(x, part[col].to_numpy(), label=str(name), lw=1.8, color=colour)
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


def _diverging_bars(
    labels: list[str],
    values: np.ndarray,
    *,
    xlabel: str,
    title: str,
    better_when_negative: bool | None = True,
    fmt: str = "{:+,.1f}",
) -> Figure:
    """Horizontal bars of signed changes, coloured by what they are.

    ``better_when_negative`` True: a fall is a gain (blue) and a rise a loss (red); False:
    the other way; None: neither (a load), orange for more and purple for less.
    """
    from corridor.report.palette import GAIN, LESS, LOSS, MORE, NEUTRAL

    fig = _figure(8.5, max(2.4, 0.3 * len(values) + 1.2))
    ax = fig.subplots()
    if better_when_negative is None:
        colours = [MORE if v > 0 else LESS if v < 0 else NEUTRAL for v in values]
    else:
        good = values < 0 if better_when_negative else values > 0
        colours = [
            NEUTRAL if v == 0 else GAIN if g else LOSS for v, g in zip(values, good, strict=True)
        ]
    y = np.arange(len(values))
    ax.barh(y, values, color=colours)
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(0, color="#333", lw=0.8)
    ax.invert_yaxis()
    span = float(np.nanmax(np.abs(values))) if len(values) else 1.0
    span = span or 1.0
    ax.set_xlim(
        -1.25 * span if (values < 0).any() else -0.05 * span,
        1.25 * span if (values > 0).any() else 0.05 * span,
    )
    for yi, v in zip(y, values, strict=True):
        ax.annotate(
            fmt.format(v).replace("-", "\u2212"),
            (v, yi),
            xytext=(3 if v >= 0 else -3, 0),
            textcoords="offset points",
            ha="left" if v >= 0 else "right",
            va="center",
            fontsize=7.5,
        )
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(axis="x", alpha=0.3)
    if better_when_negative is not None:
        from matplotlib.patches import Patch

        ax.legend(
            handles=[Patch(color=GAIN, label="gain"), Patch(color=LOSS, label="loss")],
            fontsize=8,
            loc="lower right",
        )
    else:
        from matplotlib.patches import Patch

        ax.legend(
            handles=[Patch(color=MORE, label="more"), Patch(color=LESS, label="less")],
            fontsize=8,
            loc="lower right",
        )
    fig.tight_layout()
    return fig


def draw_pair_changes(
    rows: pd.DataFrame,
    *,
    column: str = "d_time_h",
    top: int = 15,
    title: str = "",
) -> Figure | None:
    """Bars of the change of each OD pair that changed most, gains and losses apart.

    Parameters
    ----------
    rows
        OD rows (e.g. :func:`corridor.report.summary.touched_pairs`) with ``profile``,
        ``origin``, ``destination`` and `column`.
    column
        The change shown: ``d_time_h``, ``d_cost_usd``, ``d_generalized_usd``...
    top
        Most bars, by the size of the change.
    title
        Chart title.

    Returns
    -------
    matplotlib.figure.Figure or None
        Blue bars for gains (a fall in time or cost), red for losses; None when no pair
        changes.
    """
    from corridor.report.labels import column_label, profile_label

    finite = rows[np.isfinite(rows[column].to_numpy(dtype=float))]
    finite = finite[finite[column].abs() > 1e-9]
    if not len(finite):
        return None
    shown = finite.reindex(finite[column].abs().sort_values(ascending=False).index).head(top)
    labels = [
        f"{o} → {d} ({profile_label(str(p))})"
        for o, d, p in zip(shown["origin"], shown["destination"], shown["profile"], strict=True)
    ]
    digits = 0 if column.endswith("_usd") else 1
    return _diverging_bars(
        labels,
        shown[column].to_numpy(dtype=float),
        xlabel=column_label(column),
        title=title or f"{column_label(column)}: the pairs that change most",
        fmt="{:+,.0f}" if digits == 0 else "{:+,.1f}",
    )


def draw_time_changes(comparison: Comparison, *, top: int = 25) -> Figure | None:
    """Bars of the change in time of the detail pairs (see :func:`draw_pair_changes`).

    Parameters
    ----------
    comparison
        The result of :func:`corridor.compare`.
    top
        Most bars, by the size of the change.

    Returns
    -------
    matplotlib.figure.Figure or None
        One bar per OD pair and profile (blue a saving, red a loss), or None if no detail
        pair changes.
    """
    return draw_pair_changes(
        comparison.detail,
        top=top,
        title=f"Change in time by OD pair: {comparison.base} → {comparison.other}",
    )


def draw_accessibility_changes(comparison: Comparison, *, top: int = 20) -> Figure | None:
    """Bars of the change in population reachable, for the places that changed most.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.compare`.
    top
        Most bars, by the size of the change.

    Returns
    -------
    matplotlib.figure.Figure or None
        One bar per place, in people, for the 24 h threshold if there is one (else the
        middle one): blue a gain, red a loss; None when no place changes.
    """
    acc = comparison.accessibility
    cols = [c for c in acc.columns if c.startswith("d_pop_within_")]
    col = next((c for c in cols if c == "d_pop_within_24h"), cols[len(cols) // 2])
    moved = acc[acc[col].abs() >= 1]
    if not len(moved):
        return None
    shown = moved.reindex(moved[col].abs().sort_values(ascending=False).index).head(top)
    hours = col.removeprefix("d_pop_within_").replace("h", " h")
    return _diverging_bars(
        shown["place"].astype(str).tolist(),
        shown[col].to_numpy(dtype=float),
        xlabel=f"change in population reachable by car within {hours} (people)",
        title=f"Change in population reachable by car within {hours}",
        better_when_negative=False,
        fmt="{:+,.0f}",
    )


def draw_crossing_loads(table: pd.DataFrame, *, top: int = 15) -> Figure | None:
    """Bars of the change in assigned trucks per design hour at each border crossing.

    Parameters
    ----------
    table
        ``crossing_loads`` of :attr:`Comparison.extra` (``crossing``,
        ``truck_veh_h_before``, ``truck_veh_h_after``, one row per direction).
    top
        Most bars.

    Returns
    -------
    matplotlib.figure.Figure or None
        Orange more trucks, purple fewer (both directions summed); None when none changes.
    """
    if not {"crossing", "truck_veh_h_before", "truck_veh_h_after"} <= set(table.columns):
        return None
    per = table.groupby("crossing", sort=False)[["truck_veh_h_before", "truck_veh_h_after"]].sum()
    d = per["truck_veh_h_after"] - per["truck_veh_h_before"]
    d = d[d.abs() > 0.05]
    if not len(d):
        return None
    d = d.reindex(d.abs().sort_values(ascending=False).index).head(top)
    return _diverging_bars(
        [str(x) for x in d.index],
        d.to_numpy(dtype=float),
        xlabel="change in assigned trucks per design hour, both directions (vehicles/h)",
        title="Border crossings: where the trucks go",
        better_when_negative=None,
    )


def draw_country_changes(by_country: pd.DataFrame) -> Figure | None:
    """Bars of the mean change in generalised cost per trip, by country.

    Parameters
    ----------
    by_country
        :attr:`Comparison.by_country`.

    Returns
    -------
    matplotlib.figure.Figure or None
        Blue a gain, red a loss; None when no country changes.
    """
    col = "mean_d_generalized_usd"
    if col not in by_country:
        return None
    moved = by_country[by_country[col].abs() >= 0.05]
    if not len(moved):
        return None
    moved = moved.reindex(moved[col].abs().sort_values(ascending=False).index)
    return _diverging_bars(
        [f"{c} ({int(n)} places)" for c, n in zip(moved["country"], moved["places"], strict=True)],
        moved[col].to_numpy(dtype=float),
        xlabel="mean change in generalised cost per trip, all profiles (US$)",
        title="Who gains and who loses, by country",
        fmt="{:+,.0f}",
    )


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
