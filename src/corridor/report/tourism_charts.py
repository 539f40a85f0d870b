"""Tourism charts: visits by mode and purpose (bars) and a flow map of OD arcs.

Drawn with matplotlib's object API (no pyplot), imported on first use; files are written
atomically (:func:`corridor.atomic.atomic_file`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.analysis.tourism.api import TourismResult
from corridor.atomic import STAMP, atomic_file

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["draw_tourism_bars", "draw_tourism_flows", "write_tourism_charts"]

log = logging.getLogger(__name__)

_PAIRS = (
    "CN->RU",
    "RU->CN",
    "KZ->RU",
    "RU->KZ",
    "CN->KZ",
    "KZ->CN",
    "MN->CN",
    "CN->MN",
    "MN->RU",
    "RU->MN",
)


def _figure(width_in: float, height_in: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in))


def draw_tourism_bars(result: TourismResult) -> Figure:
    """Stacked bars of visits a year per direction: by mode (left) and by purpose (right).

    Examples
    --------
    Two panels, titled by what they split::

        fig = draw_tourism_bars(corridor.tourism(corridor.eurasia()))
        [ax.get_title() for ax in fig.axes]  # ['by mode', 'by purpose']
    """
    fig = _figure(12, 5)
    axes = fig.subplots(1, 2, sharey=True)
    tables = (
        ("by mode", result.by_mode(), "mode"),
        ("by purpose", result.by_purpose(), "purpose"),
    )
    for ax, (title, table, key) in zip(axes, tables, strict=True):
        pivot = table.pivot_table(
            index="direction", columns=key, values="visits_year", aggfunc="sum", fill_value=0.0
        )
        order = [d for d in _PAIRS if d in pivot.index] + sorted(set(pivot.index) - set(_PAIRS))
        pivot = pivot.loc[order]
        bottom = np.zeros(len(pivot))
        x = np.arange(len(pivot))
        for col in pivot.columns:
            values = pivot[col].to_numpy() / 1e6
            ax.bar(x, values, bottom=bottom, label=str(col), width=0.7)
            bottom += values
        ax.set_xticks(x, [str(i) for i in pivot.index], rotation=45, ha="right", fontsize=8)
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("visits a year, million")
    fig.suptitle(f"Visits a year ({result.demand.date}, {result.demand.los.network})")
    fig.tight_layout()
    return fig


def draw_tourism_flows(result: TourismResult, *, top: int = 40) -> Figure:
    """A flow map: the `top` OD pairs as arcs between the zones (lon/lat), line width by
    visits a year, coloured by the origin's country.

    Examples
    --------
    One axis in degrees::

        fig = draw_tourism_flows(corridor.tourism(corridor.eurasia()), top=20)
        fig.axes[0].get_xlabel()  # 'longitude, °'
    """
    d = result.demand
    los = d.los
    per = d.visits.sum(axis=(2, 3))
    order = np.argsort(per, axis=None)[::-1][:top]
    o, k = np.unravel_index(order, per.shape)
    keep = per[o, k] > 0
    o, k = o[keep], k[keep]
    fig = _figure(12, 7)
    ax = fig.subplots()
    colours = {"CN": "tab:red", "RU": "tab:blue", "KZ": "tab:green", "MN": "tab:orange"}
    biggest = float(per[o, k].max()) if o.size else 1.0
    t = np.linspace(0.0, 1.0, 30)
    for i, j in zip(o.tolist(), k.tolist(), strict=True):
        p0 = np.array([los.lon[i], los.lat[i]])
        p2 = np.array([los.lon[j], los.lat[j]])
        mid = 0.5 * (p0 + p2)
        normal = np.array([-(p2 - p0)[1], (p2 - p0)[0]]) * 0.15  # bend to the left
        p1 = mid + normal
        curve = (
            ((1 - t) ** 2)[:, None] * p0 + (2 * (1 - t) * t)[:, None] * p1 + (t**2)[:, None] * p2
        )
        ax.plot(
            curve[:, 0],
            curve[:, 1],
            lw=0.5 + 6.0 * per[i, j] / biggest,
            alpha=0.6,
            color=colours.get(d.countries[i], "grey"),
        )
    ax.scatter(los.lon, los.lat, s=12, color="black", zorder=3)
    for name, x, y in zip(los.zones, los.lon, los.lat, strict=True):
        ax.annotate(name, (x, y), fontsize=6, xytext=(2, 2), textcoords="offset points")
    ax.set_xlabel("longitude, °")
    ax.set_ylabel("latitude, °")
    ax.set_title(f"Top {o.size} OD flows, visits a year (colour: origin country)")
    ax.set_aspect(1.4)
    ax.grid(alpha=0.2)
    fig.tight_layout()
    return fig


def write_tourism_charts(
    result: TourismResult, folder: str | Path, *, force: bool = False, top: int = 40
) -> list[Path]:
    """Write ``tourism_bars.png`` and ``tourism_flows.png`` into `folder` (created).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    OutputExistsError
        If a file exists and is not an earlier corridor output, unless `force`.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in (
        ("tourism_bars.png", draw_tourism_bars(result)),
        ("tourism_flows.png", draw_tourism_flows(result, top=top)),
    ):
        path = out / name
        with atomic_file(path, force=force) as tmp:
            fig.savefig(tmp, dpi=120, format="png", metadata={"Software": STAMP})
        written.append(path)
    log.info("tourism charts: %s", ", ".join(str(p) for p in written))
    return written
