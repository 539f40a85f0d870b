"""Isochrone maps: a self-contained SVG and HTML page of :func:`corridor.isochrone`.

The links are coloured by the band of their slower end, so the map needs no tiles,
scripts or network access.
"""

from __future__ import annotations

import html
import math

import numpy as np

from corridor.paths.isochrone import Isochrone
from corridor.report.palette import BANDS, UNREACHED

__all__ = ["render_isochrone_html", "render_isochrone_svg"]

_COLOURS = BANDS
_UNREACHED = UNREACHED


def render_isochrone_svg(iso: Isochrone, *, width: int = 900, height: int = 600) -> str:
    """The isochrone's links and nodes coloured by band, as an inline SVG.

    Parameters
    ----------
    iso
        The result of :func:`corridor.isochrone`.
    width, height
        Size of the drawing, px.

    Returns
    -------
    str
        An ``<svg>`` element (equirectangular projection) framed on the nodes within the
        largest threshold; the 40 most populous cities in it and the origin are labelled,
        and every node has a tooltip with its travel time.

    Examples
    --------
    >>> import corridor
    >>> svg = render_isochrone_svg(corridor.isochrone(corridor.examples.toy(), "A", hours=[2, 5]))
    >>> svg.startswith("<svg"), svg.count("<circle")
    (True, 5)
    """
    nodes = iso.nodes
    ids = nodes["node_id"].to_numpy(dtype=np.int64)
    lon = nodes["lon"].to_numpy(dtype=np.float64)
    lat = nodes["lat"].to_numpy(dtype=np.float64)
    time = nodes["time_h"].to_numpy(dtype=np.float64)
    names = nodes["name"].astype(str).to_numpy()
    kinds = nodes["kind"].astype(str).to_numpy()
    pad = 20.0
    inside = time <= iso.hours[-1]
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

    band_of = {h: _COLOURS[min(i, len(_COLOURS) - 1)] for i, h in enumerate(iso.hours)}
    order = np.argsort(ids)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img">',
        f'<rect width="{width}" height="{height}" fill="#f8f8f4"/>',
    ]
    ia = order[np.searchsorted(ids, iso.links["a_node"].to_numpy(np.int64), sorter=order)]
    ib = order[np.searchsorted(ids, iso.links["b_node"].to_numpy(np.int64), sorter=order)]
    for a, b in zip(ia.tolist(), ib.tolist(), strict=True):
        if not (view[a] or view[b]):
            continue
        worst = max(time[a], time[b])
        colour = next((band_of[h] for h in iso.hours if worst <= h), _UNREACHED)
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
        colour = next((band_of[h] for h in iso.hours if t <= h), _UNREACHED)
        x, y = xy(float(lon[i]), float(lat[i]))
        is_origin = int(ids[i]) == iso.origin
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


def render_isochrone_html(iso: Isochrone) -> str:
    """A self-contained HTML page of an isochrone: the map and a table per band.

    Parameters
    ----------
    iso
        The result of :func:`corridor.isochrone`.

    Returns
    -------
    str
        The page (see :func:`render_isochrone_svg` for the map); it loads no scripts,
        tiles or fonts, so it works offline.

    Examples
    --------
    >>> import corridor
    >>> page = render_isochrone_html(corridor.isochrone(corridor.examples.toy(), "A", hours=[2, 5]))
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page
    (True, False)
    """
    rows = []
    prev = 0.0
    for i, h in enumerate(iso.hours):
        colour = _COLOURS[min(i, len(_COLOURS) - 1)]
        t = iso.nodes["time_h"]
        inside = iso.nodes[(t <= h) & (t > prev if i else t >= 0)]
        names = ", ".join(html.escape(str(n)) for n in inside.sort_values("time_h")["name"])
        rows.append(
            f'<tr><td><span style="background:{colour}">&nbsp;&nbsp;&nbsp;</span> '
            f"{prev:g}-{h:g} h</td><td>{len(inside)}</td>"
            f"<td>{inside['population'].sum():,.0f}</td><td>{names}</td></tr>"
        )
        prev = h
    title = html.escape(f"Isochrones from {iso.origin_name} ({'+'.join(iso.modes)})")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        '<meta name="generator" content="corridor">'
        f"<title>{title}</title><style>body{{font-family:sans-serif;margin:1em}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
        "</style></head><body>"
        f"<h1>{title}</h1>{render_isochrone_svg(iso)}"
        "<table><tr><th>band</th><th>nodes</th><th>population</th><th>places</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
