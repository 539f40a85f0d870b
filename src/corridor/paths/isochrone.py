"""Isochrones: least travel time from one place to every node, banded by thresholds.

:func:`isochrone` runs one Dijkstra from the origin (the skim kernel, so distance along
the fastest path comes with it) and labels each node with the smallest threshold it is
within. :meth:`Isochrone.to_html` draws the result as a self-contained page (an inline SVG
of the links coloured by band; no tiles, scripts or network access).
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridor._typing import FloatArray
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.skim import resolve_nodes, skim_graph, skim_on, skim_plan

__all__ = ["Isochrone", "isochrone"]

log = logging.getLogger(__name__)

_COLOURS = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027", "#7f0000")
_UNREACHED = "#bbbbbb"


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Isochrone:
    """Travel times from one origin to every node, with threshold bands.

    Attributes
    ----------
    origin, origin_name
        The origin node and its name.
    hours
        Thresholds, h, ascending.
    nodes
        One row per node: ``node_id``, ``name``, ``kind``, ``country``, ``lon``, ``lat``,
        ``population``, ``time_h`` (inf = unreachable), ``length_km`` along the fastest
        path, and ``band`` (the smallest threshold within reach, NaN if none).
    modes
        Modes used.
    links
        ``a_node``, ``b_node`` and ``mode`` of the usable links, for drawing.
    """

    origin: int
    origin_name: str
    hours: tuple[float, ...]
    nodes: pd.DataFrame = field(compare=False)
    modes: tuple[str, ...]
    links: pd.DataFrame = field(compare=False)

    def __repr__(self) -> str:
        counts = ", ".join(f"{h:g} h: {n}" for h, n in self.counts().items())
        return f"<Isochrone from {self.origin_name}: nodes within {counts}>"

    def counts(self) -> dict[float, int]:
        """Number of nodes within each threshold (cumulative, origin included)."""
        t = self.nodes["time_h"].to_numpy()
        return {h: int((t <= h).sum()) for h in self.hours}

    def population(self) -> dict[float, float]:
        """Population within each threshold (cumulative, origin included)."""
        t = self.nodes["time_h"].to_numpy()
        pop = self.nodes["population"].to_numpy(dtype=np.float64)
        return {h: float(pop[t <= h].sum()) for h in self.hours}

    def to_frame(self) -> pd.DataFrame:
        """The node table, nearest first."""
        return self.nodes.sort_values("time_h", kind="stable").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: per threshold the node count, population and nodes."""
        frame = self.to_frame()
        bands = []
        for h in self.hours:
            inside = frame[frame["time_h"] <= h]
            bands.append(
                {
                    "hours": h,
                    "nodes": len(inside),
                    "population": float(inside["population"].sum()),
                    "places": [
                        {
                            "node_id": int(i),
                            "name": str(n),
                            "time_h": round(float(t), 4),
                            "length_km": round(float(k), 3),
                        }
                        for i, n, t, k in zip(
                            inside["node_id"].to_numpy(),
                            inside["name"].to_numpy(),
                            inside["time_h"].to_numpy(),
                            inside["length_km"].to_numpy(),
                            strict=True,
                        )
                    ],
                }
            )
        return {
            "origin": {"node_id": self.origin, "name": self.origin_name},
            "modes": list(self.modes),
            "bands": bands,
            "unreachable": int(np.isinf(frame["time_h"]).sum()),
        }

    def to_svg(self, width: int = 900, height: int = 600) -> str:
        """The links coloured by band (equirectangular projection, inline SVG).

        The view is framed on the nodes within the largest threshold; the 40 most populous
        cities in it are labelled.
        """
        nodes = self.nodes
        ids = nodes["node_id"].to_numpy(dtype=np.int64)
        lon = nodes["lon"].to_numpy(dtype=np.float64)
        lat = nodes["lat"].to_numpy(dtype=np.float64)
        time = nodes["time_h"].to_numpy(dtype=np.float64)
        names = nodes["name"].astype(str).to_numpy()
        kinds = nodes["kind"].astype(str).to_numpy()
        pad = 20.0
        inside = time <= self.hours[-1]
        if inside.sum() < 2:
            inside = np.ones(ids.size, bool)
        lon0, lon1 = float(lon[inside].min()), float(lon[inside].max())
        lat0, lat1 = float(lat[inside].min()), float(lat[inside].max())
        margin_x, margin_y = 0.08 * (lon1 - lon0) + 0.05, 0.08 * (lat1 - lat0) + 0.05
        lon0, lon1, lat0, lat1 = lon0 - margin_x, lon1 + margin_x, lat0 - margin_y, lat1 + margin_y
        view = (lon >= lon0) & (lon <= lon1) & (lat >= lat0) & (lat <= lat1)
        pops = nodes["population"].to_numpy(dtype=np.float64)
        cities = np.flatnonzero(inside & (kinds == "city"))
        labelled = set(cities[np.argsort(-pops[cities], kind="stable")][:40].tolist())
        kx = math.cos(math.radians((lat0 + lat1) / 2))
        span_x = max((lon1 - lon0) * kx, 1e-9)
        span_y = max(lat1 - lat0, 1e-9)
        scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)

        def xy(lo: float, la: float) -> tuple[float, float]:
            return pad + (lo - lon0) * kx * scale, height - pad - (la - lat0) * scale

        band_of = {h: _COLOURS[min(i, len(_COLOURS) - 1)] for i, h in enumerate(self.hours)}
        order = np.argsort(ids)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img">',
            f'<rect width="{width}" height="{height}" fill="#f8f8f4"/>',
        ]
        ia = order[np.searchsorted(ids, self.links["a_node"].to_numpy(np.int64), sorter=order)]
        ib = order[np.searchsorted(ids, self.links["b_node"].to_numpy(np.int64), sorter=order)]
        for a, b in zip(ia.tolist(), ib.tolist(), strict=True):
            if not (view[a] or view[b]):
                continue
            worst = max(time[a], time[b])
            colour = next((band_of[h] for h in self.hours if worst <= h), _UNREACHED)
            x1, y1 = xy(lon[a], lat[a])
            x2, y2 = xy(lon[b], lat[b])
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        for i in range(ids.size):
            if not view[i]:
                continue
            t = float(time[i])
            colour = next((band_of[h] for h in self.hours if t <= h), _UNREACHED)
            x, y = xy(float(lon[i]), float(lat[i]))
            is_origin = int(ids[i]) == self.origin
            r = 6 if is_origin else 3
            label = f"{names[i]}: {t:.1f} h" if math.isfinite(t) else f"{names[i]}: no path"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}" stroke="#333">'
                f"<title>{html.escape(label)}</title></circle>"
            )
            if i in labelled or is_origin:
                parts.append(
                    f'<text x="{x + 5:.1f}" y="{y - 5:.1f}" font-size="11">'
                    f"{html.escape(str(names[i]))}</text>"
                )
        parts.append("</svg>")
        return "\n".join(parts)

    def to_html(self) -> str:
        """A self-contained HTML page: the map, a legend and a table per band (offline)."""
        rows = []
        prev = 0.0
        for i, h in enumerate(self.hours):
            colour = _COLOURS[min(i, len(_COLOURS) - 1)]
            t = self.nodes["time_h"]
            inside = self.nodes[(t <= h) & (t > prev if i else t >= 0)]
            names = ", ".join(html.escape(str(n)) for n in inside.sort_values("time_h")["name"])
            rows.append(
                f'<tr><td><span style="background:{colour}">&nbsp;&nbsp;&nbsp;</span> '
                f"{prev:g}-{h:g} h</td><td>{len(inside)}</td>"
                f"<td>{inside['population'].sum():,.0f}</td><td>{names}</td></tr>"
            )
            prev = h
        title = html.escape(f"Isochrones from {self.origin_name} ({'+'.join(self.modes)})")
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>body{{font-family:sans-serif;margin:1em}}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
            "</style></head><body>"
            f"<h1>{title}</h1>{self.to_svg()}"
            "<table><tr><th>band</th><th>nodes</th><th>population</th><th>places</th></tr>"
            + "".join(rows)
            + "</table></body></html>\n"
        )


def isochrone(
    network: Network,
    origin: int | str,
    hours: Sequence[float] = (6.0, 12.0, 24.0),
    *,
    modes: str | Mode | Iterable[str | Mode] | None = "road",
) -> Isochrone:
    """Free-flow travel time from `origin` to every node, banded by `hours`.

    Parameters
    ----------
    network
        The network.
    origin
        Node id or place name.
    hours
        Thresholds, h (positive; sorted on use).
    modes
        Modes whose links may be used.

    Returns
    -------
    Isochrone
        Times and bands for every node (``inf`` where no path exists).

    Raises
    ------
    UnknownNodeError
        If the origin is not in the network.
    ValidationError
        If no threshold is given or one is not positive and finite.

    Examples
    --------
    >>> import corridor
    >>> iso = isochrone(corridor.examples.toy(), "A", hours=[2, 5])
    >>> iso.counts()
    {2.0: 2, 5.0: 5}
    """
    hs = tuple(sorted({float(h) for h in hours}))
    if not hs or not all(h > 0 and math.isfinite(h) for h in hs):
        raise ValidationError(f"hours must be positive and finite, got {list(hours)}")
    o_id = int(resolve_nodes(network, [origin], role="origin")[0])
    every = skim_graph(network, cost="time_h", modes=modes, sums=("length_km",)).node_ids
    plan = skim_plan(network, [o_id], every, cost="time_h", modes=modes, sums=("length_km",))
    values, sums, _ = skim_on(plan.graph, plan.origins, plan.destinations, method="dijkstra")
    values, sums = plan.finish(values, sums)
    t: FloatArray = values[0]
    nodes = network.nodes.set_index("node_id").loc[every].reset_index()
    frame = nodes[["node_id", "name", "kind", "country", "lon", "lat", "population"]].copy()
    frame["population"] = frame["population"].fillna(0).astype(np.float64)
    frame["time_h"] = t
    frame["length_km"] = sums[0, 0]
    edges = np.searchsorted(np.asarray(hs), t)  # index of the first threshold >= t
    frame["band"] = [hs[i] if i < len(hs) else np.nan for i in edges]
    links = network.links
    from corridor._validate import parse_modes

    mode_set = parse_modes(modes)
    use = links["mode"].isin([m.value for m in mode_set]).to_numpy() & network.open_links()
    name = str(network.nodes.set_index("node_id").at[o_id, "name"])
    iso = Isochrone(
        origin=o_id,
        origin_name=name,
        hours=hs,
        nodes=frame,
        modes=tuple(m.value for m in mode_set),
        links=links.loc[use, ["a_node", "b_node", "mode"]].reset_index(drop=True),
    )
    log.info("%r", iso)
    return iso
