"""The scenario-comparison report: one self-contained HTML file, PNG charts and data tables.

Everything is embedded (SVG maps drawn from the networks' own geometry and country
outlines, charts as PNG data URIs), so the page works offline with no CDN or tile server.
Files are written to a temporary folder first and moved into place at the end, so a
failed run leaves an earlier report intact.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from corridor.analysis.compare import Comparison
from corridor.analysis.link_changes import LinkChange, link_changes
from corridor.atomic import atomic_dir
from corridor.model.network import Network
from corridor.paths.types import Leg, Route, Stop
from corridor.report.charts import draw_accessibility_changes, draw_time_changes, figure_png
from corridor.report.summary import Summary, summarize_comparison
from corridor.report.svg import MapFrame, escape, polyline_path

__all__ = ["write_compare_report"]

log = logging.getLogger(__name__)

_MODE_COLOURS = {
    "road": "#d95f02",
    "rail": "#1b9e77",
    "ferry": "#7570b3",
    "transfer": "#999999",
    "air": "#e7298a",
}
_CHANGE_COLOURS = {
    LinkChange.ADDED: "#1a9641",
    LinkChange.REOPENED: "#66bd63",
    LinkChange.CLOSED: "#d7191c",
    LinkChange.FASTER: "#a6d96a",
    LinkChange.SLOWER: "#fdae61",
    LinkChange.TOLL_CHANGED: "#2b83ba",
}


def _geoms(network: Network) -> list[shapely.Geometry]:
    nodes = network.nodes.set_index("node_id")
    out: list[shapely.Geometry] = []
    for geom, a, b in zip(
        network.links["geometry"], network.links["a_node"], network.links["b_node"], strict=True
    ):
        if geom is None:
            geom = shapely.LineString(
                [
                    nodes.loc[a, ["lon", "lat"]].to_numpy(float),
                    nodes.loc[b, ["lon", "lat"]].to_numpy(float),
                ]
            )
        out.append(geom)
    return out


def _svg_map(
    network: Network,
    frame: MapFrame,
    outlines: Iterable[shapely.Geometry],
    colour_by: dict[int, str] | None,
    title: str,
    dots: pd.DataFrame | None = None,
) -> str:
    """One SVG map: outlines, links (coloured by mode or by change), optional place dots."""
    parts = [
        f'<svg class="map" viewBox="0 0 {frame.width} {frame.height}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}">',
        f'<rect width="{frame.width}" height="{frame.height}" fill="#eef3f7"/>',
    ]
    box = frame.box()
    for poly in outlines:
        clipped = poly.intersection(box)
        if not clipped.is_empty:
            parts.append(
                f'<path d="{polyline_path(frame, clipped)}" fill="#fbfaf6" '
                'stroke="#b7b2a6" stroke-width="0.6"/>'
            )
    links = network.links
    is_open = network.open_links()
    geoms = _geoms(network)
    order = np.argsort(
        [0 if colour_by is None or lid not in colour_by else 1 for lid in links["link_id"]],
        kind="stable",
    )
    for k in order:
        lid = int(links["link_id"].iloc[k])
        if not is_open[k] and (colour_by is None or lid not in colour_by):
            continue
        mode = str(links["mode"].iloc[k])
        if colour_by is None:
            colour, width = _MODE_COLOURS.get(mode, "#555"), 1.2
        elif lid in colour_by:
            colour, width = colour_by[lid], 3.2
        else:
            colour, width = "#c9c9c9", 0.8
        label = escape(f"{links['ref'].iloc[k]} {links['name'].iloc[k]}".strip())
        parts.append(
            f'<path class="link" data-link="{lid}" d="{polyline_path(frame, geoms[k])}" '
            f'fill="none" stroke="{colour}" stroke-width="{width}"><title>{label}'
            "</title></path>"
        )
    if dots is not None:
        x, y = frame.xy(dots["lon"].to_numpy(), dots["lat"].to_numpy())
        for xi, yi, r, c, t in zip(x, y, dots["r"], dots["colour"], dots["title"], strict=True):
            parts.append(
                f'<circle cx="{xi:.1f}" cy="{yi:.1f}" r="{r:.1f}" fill="{c}" '
                f'stroke="#333" stroke-width="0.5"><title>{escape(t)}</title></circle>'
            )
            if c != "#bbbbbb" and 0 <= xi <= frame.width and 0 <= yi <= frame.height:
                name = escape(str(t).split(":", 1)[0])
                parts.append(
                    f'<text x="{xi + r + 2:.1f}" y="{yi + 4:.1f}" font-size="12" '
                    f'fill="#222">{name}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _charts(comparison: Comparison) -> dict[str, bytes]:
    charts: dict[str, bytes] = {}
    times = draw_time_changes(comparison)
    if times is not None:
        charts["time_savings.png"] = figure_png(times)
    charts["accessibility.png"] = figure_png(draw_accessibility_changes(comparison))
    return charts


def _table(
    frame: pd.DataFrame,
    *,
    cls: str = "",
    link_cols: tuple[str, ...] = (),
    digits: int = 2,
    limit: int | None = None,
) -> str:
    shown = frame if limit is None else frame.head(limit)
    head = "".join(f"<th>{escape(c)}</th>" for c in shown.columns)
    rows: list[str] = []
    for rec in shown.itertuples(index=False):
        cells: list[str] = []
        for name, value in zip(shown.columns, rec, strict=True):
            if name in link_cols and value:
                cells.append(f'<td><a href="#route-{escape(value)}">{escape(value)}</a></td>')
            elif isinstance(value, float | np.floating):
                text = "—" if not np.isfinite(value) else f"{value:,.{digits}f}"
                cells.append(f'<td class="num">{text}</td>')
            elif isinstance(value, int | np.integer) and not isinstance(value, bool):
                cells.append(f'<td class="num">{int(value):,}</td>')
            else:
                cells.append(f"<td>{escape(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if limit is not None and len(frame) > limit:
        more = f'<p class="note">{len(frame) - limit:,} more rows in the CSV/Parquet files.</p>'
    return (
        f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
        f"</tbody></table>{more}"
    )


def _route_section(key: str, route: Route) -> str:
    rows: list[str] = []
    for item in route.sequence():
        if isinstance(item, Leg):
            rows.append(
                f"<tr><td>leg</td><td>{escape(item.from_name)} → {escape(item.to_name)}</td>"
                f"<td>{escape(item.mode)}</td><td>{escape((item.ref + ' ' + item.name).strip())}"
                f'</td><td class="num">{item.length_km:,.0f}</td>'
                f'<td class="num">{item.time_h:,.2f}</td>'
                f'<td class="num">{item.cost_usd:,.0f}</td><td class="num">{item.co2_kg:,.0f}'
                "</td></tr>"
            )
        elif isinstance(item, Stop):
            rows.append(
                f"<tr class='stop'><td>{escape(item.kind)}</td><td>{escape(item.name)}</td>"
                f"<td></td><td>{escape(item.detail)}</td><td class='num'>{item.at_km:,.0f}</td>"
                f"<td class='num'>{item.time_h + item.wait_h:,.2f}</td>"
                f"<td class='num'>{item.cost_usd:,.0f}</td><td></td></tr>"
            )
    tot = route.totals()
    return (
        f'<section class="route" id="route-{escape(key)}"><h4>{escape(key)}: '
        f"{escape(route.origin_name)} → {escape(route.destination_name)}</h4>"
        f"<p>{tot['length_km']:,.0f} km, {route.time_h:,.1f} h "
        f"({escape(route.time_definition)}), "
        f"US$ {route.cost_usd:,.0f}, {route.co2_kg / 1000:,.2f} t CO2 (well-to-wheel)</p>"
        f'<p class="note">driving {route.driving_h:,.1f} h, other moves '
        f"{route.moving_h:,.1f} h, breaks {route.breaks_h:,.1f} h, overnight "
        f"{route.overnight_h:,.1f} h, waiting {route.waiting_h:,.1f} h; door to door "
        f"{route.elapsed_h:,.1f} h</p>"
        "<table><thead><tr><th>item</th><th>where</th><th>mode</th><th>ref / detail</th>"
        "<th>km</th><th>h</th><th>US$</th><th>kg CO2</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222}
header{background:#12355b;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
main{padding:10px 28px 40px;max-width:1280px}
h2{border-bottom:2px solid #12355b;padding-bottom:3px;margin-top:34px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:12.5px}
th,td{border:1px solid #d6d6d6;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f3f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.stop td{background:#fff8e6}
.maps{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:14px}
.maps figure:last-child{grid-column:1/-1}
.maps figure{margin:0}.map{width:100%;height:auto;border:1px solid #ccc}
figcaption{font-size:12px;color:#555}.note{color:#666;font-size:12px}
img.chart{max-width:100%;border:1px solid #ddd}
.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:18px;height:4px;margin-right:4px;vertical-align:middle}
"""


def write_compare_report(
    comparison: Comparison,
    base: Network,
    other: Network,
    out_dir: str | os.PathLike[str],
    *,
    outlines: Iterable[shapely.Geometry] = (),
    assumptions: Iterable[str] = (),
    sources: Iterable[str] = (),
    force: bool = False,
    summary: Summary | None = None,
) -> Path:
    """Write ``report.html``, the charts as PNG and every table as CSV and Parquet.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.analysis.compare.compare`.
    base, other
        The two networks compared (for the maps).
    out_dir
        Output folder; replaced as a whole only once everything is written, and only if
        it is a report folder corridor wrote (marker ``.corridor-output``, or the
        ``report.html`` and ``od.csv`` of a report written before markers existed).
    outlines
        Country polygons (lon/lat) drawn under the network.
    assumptions, sources
        Lines for the report's assumptions and sources section.
    force
        Replace what is at `out_dir` even if corridor did not write it.
    summary
        The executive summary (:func:`corridor.summarize_comparison`); computed if None.

    Returns
    -------
    Path
        The path of ``report.html``.

    Raises
    ------
    OutputExistsError
        If `out_dir` holds something that is not a corridor report, unless `force`.
    """
    target = Path(out_dir)
    changes = link_changes(base, other)
    if summary is None:
        summary = summarize_comparison(comparison, base, other, link_table=changes)
    charts = _charts(comparison)
    geoms = _geoms(base) + _geoms(other)
    frame = MapFrame.around(geoms, width=1000)
    outline_list = list(outlines)
    colours = {
        int(lid): _CHANGE_COLOURS[LinkChange(change)]
        for lid, change in zip(changes["link_id"].tolist(), changes["change"].tolist(), strict=True)
    }
    acc = comparison.accessibility.merge(
        base.nodes[["node_id", "lon", "lat"]], on="node_id", how="left"
    )
    gain_col = next(c for c in acc.columns if c.startswith("d_pop_within_"))
    gains = acc[gain_col].to_numpy(dtype=float)
    scale = max(1.0, float(np.nanmax(np.abs(gains))) if gains.size else 1.0)
    dots = pd.DataFrame(
        {
            "lon": acc["lon"],
            "lat": acc["lat"],
            "r": 2.5 + 9.0 * np.sqrt(np.abs(gains) / scale),
            "colour": np.where(gains > 0, "#1a9641", np.where(gains < 0, "#d7191c", "#bbbbbb")),
            "title": [
                f"{p}: {g / 1e6:+.2f} M people ({gain_col})"
                for p, g in zip(acc["place"], gains, strict=True)
            ],
        }
    )
    # the difference map shows both networks' links, zoomed on the changed ones
    extra = base.links[~base.links["link_id"].isin(other.links["link_id"])]
    union = Network(other.nodes, pd.concat([other.links, extra], ignore_index=True))
    changed = [
        g
        for g, lid in zip(_geoms(union), union.links["link_id"], strict=True)
        if int(lid) in colours
    ]
    diff_frame = MapFrame.around(changed, width=1000, pad=0.6) if changed else frame
    maps = [
        (
            _svg_map(base, frame, outline_list, None, f"before: {comparison.base}"),
            f"Before: {escape(comparison.base)} (road orange, rail green)",
        ),
        (
            _svg_map(other, frame, outline_list, None, f"after: {comparison.other}"),
            f"After: {escape(comparison.other)}",
        ),
        (
            _svg_map(
                union,
                diff_frame,
                outline_list,
                colours,
                "difference",
                dots,
            ),
            "Difference: changed links (added green, reopened mid green, faster light green, "
            "slower orange, closed red, toll changed blue); dots: change in population "
            "reachable by car",
        ),
    ]
    legend = "".join(
        f'<span><i style="background:{c}"></i>{k.value.replace("_", " ")}</span>'
        for k, c in _CHANGE_COLOURS.items()
    )
    detail_cols = [
        "profile",
        "origin",
        "destination",
        "time_h_before",
        "time_h_after",
        "d_time_h",
        "driving_h_after",
        "breaks_h_after",
        "overnight_h_before",
        "overnight_h_after",
        "waiting_h_after",
        "cost_usd_before",
        "cost_usd_after",
        "co2_kg_before",
        "co2_kg_after",
        "crossings_before",
        "crossings_after",
        "route_before",
        "route_after",
    ]
    detail = comparison.detail
    detail_show = detail[[c for c in detail_cols if c in detail.columns]] if len(detail) else detail
    headline = comparison.headline()
    headline_show = (
        headline[[c for c in detail_cols if c in headline.columns]] if len(headline) else headline
    )
    acc_cols = [c for c in comparison.accessibility.columns if c != "node_id"]
    by_place = comparison.by_place.drop(columns=["node_id"])
    extra_html = "".join(
        f"<h2>{escape(name.replace('_', ' ').capitalize())}</h2>" + _table(table, limit=60)
        for name, table in comparison.extra.items()
    )
    body = [
        f"<header><h1>Scenario comparison: {escape(comparison.base)} → "
        f"{escape(comparison.other)}</h1><div>corridor report, generated "
        f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}</div></header><main>",
        "<section id='summary'><h2>Summary</h2>",
        *[
            f"<h3>{escape(t)}</h3><ul>" + "".join(f"<li>{escape(x)}</li>" for x in xs) + "</ul>"
            for t, xs in summary.by_topic()
        ],
        "</section>",
        "<h2>Headline</h2>",
        _table(headline_show, cls="headline", link_cols=("route_before", "route_after"))
        if len(headline_show)
        else "<p>No headline pair is in this network.</p>",
        "<h2>Maps</h2><div class='legend'>" + legend + "</div><div class='maps'>",
        *[f"<figure>{svg}<figcaption>{cap}</figcaption></figure>" for svg, cap in maps],
        "</div>",
        "<h2>Changed links</h2>",
        _table(changes, limit=80),
        "<h2>Charts</h2>",
        *[
            f'<p><img class="chart" alt="{name}" src="data:image/png;base64,'
            f'{base64.b64encode(png).decode()}"></p>'
            for name, png in charts.items()
        ],
        "<h2>OD pairs with the largest changes</h2>",
        _table(detail_show, link_cols=("route_before", "route_after")),
        "<h2>Accessibility by place</h2>",
        _table(comparison.accessibility[acc_cols], digits=0, limit=80),
        "<h2>Winners and losers by place</h2>",
        _table(by_place, limit=80),
        "<h2>Winners and losers by country</h2>",
        _table(comparison.by_country),
        extra_html,
        "<h2>Routes behind the numbers</h2>",
        *[_route_section(k, r) for k, r in sorted(comparison.routes.items())],
        "<h2>Assumptions</h2><ul>",
        *[f"<li>{escape(a)}</li>" for a in assumptions],
        "</ul>",
        "<h2>Sources</h2><ul>",
        *[f"<li>{escape(s)}</li>" for s in sources],
        "</ul>",
        "</main>",
    ]
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        '<meta name="generator" content="corridor">'
        f"<title>corridor: {escape(comparison.base)} → {escape(comparison.other)}</title>"
        f"<style>{_CSS}</style></head><body>" + "".join(body) + "</body></html>"
    )
    with atomic_dir(
        target, force=force, what="scenario comparison report", layout=("report.html", "od.csv")
    ) as tmp:
        (tmp / "report.html").write_text(page, encoding="utf-8")
        for name, png in charts.items():
            (tmp / name).write_bytes(png)
        tables = {**comparison.tables(), "changed_links": changes}
        for name, table in tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False)
            table.to_parquet(tmp / f"{name}.parquet", index=False)
    log.info("wrote the comparison report to %s", target)
    return target / "report.html"
