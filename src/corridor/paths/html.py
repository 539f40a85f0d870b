"""Small HTML pieces for Jupyter's ``_repr_html_``: a table and a route sketch in SVG.

Plain data in, escaped HTML out; nothing here knows the path types, so the types can use it
without an import cycle.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

__all__ = ["route_sketch_svg", "table_html"]

_STYLE = (
    "border-collapse:collapse;font-size:12px;margin:4px 0;"
    "font-family:system-ui,-apple-system,Segoe UI,sans-serif"
)
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:{align}"


def _cell(value: object) -> tuple[str, str]:
    """A value as shown in a table cell, and its alignment."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–", "right"
    if isinstance(value, bool):
        return ("yes" if value else "no"), "left"
    if isinstance(value, int):
        return f"{value:,}", "right"
    if isinstance(value, float):
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
        return f"{value:,.{digits}f}", "right"
    return html.escape(str(value)), "left"


def table_html(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str = "",
    swatches: Sequence[str] = (),
) -> str:
    """An HTML table with a header row; numbers right-aligned and rounded for reading.

    Parameters
    ----------
    columns
        Header labels (escaped).
    rows
        One sequence of values per row, in column order.
    caption
        A caption above the table (escaped).
    swatches
        Colours of a small square before each row's first cell (to tie rows to a sketch).
    """
    head = "".join(
        f'<th style="{_CELL.format(align="left")}">{html.escape(c)}</th>' for c in columns
    )
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            text, align = _cell(value)
            if c == 0 and r < len(swatches):
                text = (
                    f'<span style="display:inline-block;width:10px;height:10px;'
                    f'background:{html.escape(swatches[r])};margin-right:4px"></span>{text}'
                )
            cells.append(f'<td style="{_CELL.format(align=align)}">{text}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption style='text-align:left;font-weight:600'>{html.escape(caption)}</caption>"
    return (
        f'<table style="{_STYLE}">{cap if caption else ""}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def route_sketch_svg(
    lines: Sequence[Sequence[tuple[float, float]]],
    labels: Sequence[tuple[float, float, str]],
    *,
    width: int = 360,
    height: int = 220,
    colours: Sequence[str] = ("#1f77b4",),
) -> str:
    """An inline SVG sketch of polylines in lon/lat, with labelled points.

    Longitudes are scaled by the cosine of the mean latitude (an equirectangular view,
    good enough for a thumbnail; not a map projection to measure on).

    Parameters
    ----------
    lines
        Polylines as (lon, lat) pairs, drawn in `colours` in turn.
    labels
        Points (lon, lat, text) drawn as dots with their text.
    width, height
        Size of the sketch, px.
    colours
        Stroke colours, cycled over the lines.
    """
    points = [p for line in lines for p in line] + [(x, y) for x, y, _ in labels]
    if not points:
        return ""
    lat0 = math.radians(sum(y for _, y in points) / len(points))
    kx = max(math.cos(lat0), 0.1)
    xs = [x * kx for x, _ in points]
    ys = [y for _, y in points]
    pad = 24.0
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = min((width - 2 * pad) / span, (height - 2 * pad) / span)
    x0 = min(xs) - ((width - 2 * pad) / scale - (max(xs) - min(xs))) / 2
    y1 = max(ys) + ((height - 2 * pad) / scale - (max(ys) - min(ys))) / 2

    def xy(lon: float, lat: float) -> str:
        return f"{pad + (lon * kx - x0) * scale:.1f},{pad + (y1 - lat) * scale:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="background:#f7f7f4">'
    ]
    for k, line in enumerate(lines):
        if len(line) >= 2:
            path = " ".join(xy(x, y) for x, y in line)
            colour = colours[k % len(colours)]
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
    for lon, lat, text in labels:
        cx, cy = xy(lon, lat).split(",")
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="#222"/>')
        parts.append(
            f'<text x="{float(cx) + 5:.1f}" y="{float(cy) - 5:.1f}" font-size="11" '
            f'font-family="sans-serif">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
