"""Self-contained offline HTML maps: inline SVG, no tile server, no CDN, no network access.

The map projects longitude/latitude with an equirectangular projection scaled by the cosine
of the mid latitude, draws country outlines (a GeoJSON dict, e.g. Natural Earth) in grey,
links coloured by mode, border crossings as red circles and terminals as small squares.
A few lines of inline JavaScript add wheel zoom, drag to pan and a hover label.
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from corridor.atomic import write_text_atomic
from corridor.model.network import Network
from corridor.report.palette import MODE_COLOURS, STOP_COLOURS

__all__ = ["MODE_COLOURS", "network_map_html", "write_network_map"]


_SCRIPT = """
(function(){
const svg=document.getElementById('map');let vb=svg.viewBox.baseVal;
let drag=null;const tip=document.getElementById('tip');
svg.addEventListener('wheel',e=>{e.preventDefault();const r=svg.getBoundingClientRect();
const k=e.deltaY<0?0.8:1.25;const mx=vb.x+(e.clientX-r.left)/r.width*vb.width;
const my=vb.y+(e.clientY-r.top)/r.height*vb.height;vb.x=mx-(mx-vb.x)*k;vb.y=my-(my-vb.y)*k;
vb.width*=k;vb.height*=k;},{passive:false});
svg.addEventListener('mousedown',e=>{drag=[e.clientX,e.clientY];});
window.addEventListener('mouseup',()=>{drag=null;});
svg.addEventListener('mousemove',e=>{const t=e.target.getAttribute('data-t');
tip.textContent=t||'';tip.style.display=t?'block':'none';tip.style.left=(e.pageX+12)+'px';
tip.style.top=(e.pageY+12)+'px';if(!drag)return;const r=svg.getBoundingClientRect();
vb.x-=(e.clientX-drag[0])/r.width*vb.width;vb.y-=(e.clientY-drag[1])/r.height*vb.height;
drag=[e.clientX,e.clientY];});
})();
"""


class _Projection:
    def __init__(self, lon: np.ndarray, lat: np.ndarray, width: float) -> None:
        pad = 2.0
        self.lon0, self.lon1 = float(lon.min()) - pad, float(lon.max()) + pad
        self.lat0, self.lat1 = float(lat.min()) - pad, float(lat.max()) + pad
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2.0))
        self.scale = width / ((self.lon1 - self.lon0) * self.k)
        self.width = width
        self.height = (self.lat1 - self.lat0) * self.scale

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - self.lon0) * self.k * self.scale,
            (self.lat1 - lat) * self.scale,
        )

    def path(self, coords: Any) -> str:
        pts = [self.xy(float(c[0]), float(c[1])) for c in coords]
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def _rings(geometry: dict[str, Any]) -> list[Any]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates", [])
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for poly in coords for ring in poly]
    return []


def network_map_html(
    network: Network,
    *,
    outlines: dict[str, Any] | None = None,
    title: str | None = None,
    width: float = 1600.0,
) -> str:
    """Return a self-contained HTML page with an SVG map of `network`.

    Parameters
    ----------
    network
        The network to draw.
    outlines
        A GeoJSON FeatureCollection of country polygons drawn underneath (optional).
    title
        Page title; default: the network's name.
    width
        Width of the SVG drawing in user units.
    """
    nodes = network.nodes
    proj = _Projection(nodes["lon"].to_numpy(), nodes["lat"].to_numpy(), width)
    parts: list[str] = []
    if outlines:
        parts.append('<g fill="#f2f0eb" stroke="#b9b4a8" stroke-width="0.6">')
        for feat in outlines.get("features", []):
            name = html.escape(str(feat.get("properties", {}).get("name", "")))
            d = "".join(proj.path(r) + "Z" for r in _rings(feat.get("geometry", {})))
            if d:
                parts.append(f'<path d="{d}" data-t="{name}"/>')
        parts.append("</g>")
    links = network.links
    order = {"transfer": 0, "road": 1, "rail": 2, "ferry": 3, "air": 4}
    ranked = links.assign(
        _o=links["mode"].map(order).fillna(9), closed=~network.open_links()
    ).sort_values("_o", kind="stable")
    parts.append('<g fill="none" stroke-linecap="round">')
    cols: dict[str, list[Any]] = {
        c: ranked[c].tolist()
        for c in ("geometry", "mode", "ref", "name", "length_km", "speed_kmh", "gauge_mm", "closed")
    }
    for i, geom in enumerate(cols["geometry"]):
        if geom is None:
            continue
        mode = str(cols["mode"][i])
        colour = MODE_COLOURS.get(mode, "#555")
        w = 1.4 if mode == "rail" else 1.8
        dash = ' stroke-dasharray="4,3"' if cols["closed"][i] else ""
        gauge = float(cols["gauge_mm"][i])
        text = (
            f"{mode} {cols['ref'][i]} {cols['name'][i]}: {float(cols['length_km'][i]):,.0f} km "
            f"at {float(cols['speed_kmh'][i]):g} km/h"
        )
        if mode == "rail" and gauge == gauge:
            text += f", {gauge:g} mm"
        parts.append(
            f'<path d="{proj.path(geom.coords)}" stroke="{colour}" stroke-width="{w}"{dash} '
            f'data-t="{html.escape(text)}"/>'
        )
    parts.append("</g>")
    kinds = nodes["kind"].to_numpy()
    parts.append('<g stroke="#333" stroke-width="0.4">')
    ncols: dict[str, list[Any]] = {
        c: nodes[c].tolist() for c in ("lon", "lat", "name", "population", "country_a", "country_b")
    }
    for i in range(len(nodes)):
        x, y = proj.xy(float(ncols["lon"][i]), float(ncols["lat"][i]))
        name = html.escape(str(ncols["name"][i]))
        if kinds[i] == "border_crossing":
            label = html.escape(
                f"{ncols['name'][i]} ({ncols['country_a'][i]}–{ncols['country_b'][i]})"
            )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{STOP_COLOURS["border_crossing"]}" '
                f'data-t="{label}"/>'
            )
        elif kinds[i] == "terminal":
            parts.append(
                f'<rect x="{x - 2:.1f}" y="{y - 2:.1f}" width="4" height="4" '
                f'fill="{STOP_COLOURS["terminal"]}" data-t="{name}"/>'
            )
        else:
            r = 1.5 + min(3.0, math.log10(max(int(ncols["population"][i]), 1)) / 2.5)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#fff" data-t="{name}"/>'
            )
    parts.append("</g>")
    heading = html.escape(title or f"corridor network: {network.name}")
    n_cross = int((kinds == "border_crossing").sum())
    legend = " ".join(
        f'<span style="color:{c}">&#9632; {m}</span>' for m, c in MODE_COLOURS.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="generator" content="corridor">'
        f"<title>{heading}</title><style>body{{margin:0;font:13px sans-serif}}"
        "header{padding:6px 10px;background:#fafafa;border-bottom:1px solid #ddd}"
        "svg{width:100vw;height:calc(100vh - 60px);background:#dfe9f2;cursor:grab}"
        "#tip{position:absolute;display:none;background:#fff;border:1px solid #999;"
        "padding:2px 5px;pointer-events:none}</style></head><body>"
        f"<header><b>{heading}</b> — {len(nodes):,} nodes, {len(links):,} links, "
        f"{n_cross} border crossings (dark red dots). {legend} "
        "<small>Country outlines: Natural Earth (public domain); places: GeoNames (CC BY 4.0). "
        "Wheel to zoom, drag to pan.</small></header>"
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {proj.width:.0f} {proj.height:.0f}">'
        + "".join(parts)
        + '</svg><div id="tip"></div><script>'
        + _SCRIPT
        + "</script></body></html>\n"
    )


def write_network_map(
    network: Network,
    out: str | os.PathLike[str],
    *,
    outlines: dict[str, Any] | None = None,
    title: str | None = None,
    force: bool = False,
) -> Path:
    """Write :func:`network_map_html` to `out` (via a temporary file and a rename).

    `out` is replaced only if it is an HTML page corridor wrote, unless `force`.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputExistsError
        If `out` holds something corridor did not write, unless `force`.
    """
    page = network_map_html(network, outlines=outlines, title=title)
    return write_text_atomic(out, page, force=force)
