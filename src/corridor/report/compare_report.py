"""The scenario-comparison report: one self-contained HTML page that answers first.

The page opens with the executive summary (:func:`corridor.summarize_comparison`: what
changes for logistics, travellers, tourism and places, in sentences written from the
numbers) and the charts that carry it; then a table of contents and collapsible sections:
maps (an overview and a zoom on what changed), the network changes, the OD pairs the
scenario touches (every number links to the route behind it), border-crossing loads, the
tourism, freight and appraisal tables other analyses add to :attr:`Comparison.extra`,
accessibility, winners and losers, and the routes themselves (collapsed). Headers are words
with units (:func:`corridor.report.labels.column_label`), places are names, never ids.

Everything is embedded (charts and maps as PNG data URIs), so the page works offline; it
fits a 1,280 px window and prints to PDF (A4 landscape, the routes left out of print).
Files are written to a temporary folder first and moved into place at the end, so a
failed run leaves an earlier report intact.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from corridor.analysis.compare import Comparison
from corridor.analysis.link_changes import link_changes
from corridor.atomic import atomic_dir
from corridor.model.network import Network
from corridor.paths.types import Leg, Route, Stop
from corridor.report.change_maps import MapLayers, draw_change_map, zoom_extent
from corridor.report.charts import (
    draw_accessibility_changes,
    draw_country_changes,
    draw_crossing_loads,
    draw_pair_changes,
    figure_png,
)
from corridor.report.labels import (
    column_label,
    format_number,
    format_signed,
    profile_label,
    road_label,
    unit_of,
)
from corridor.report.network_changes import crossing_changes
from corridor.report.summary import Summary, summarize_comparison
from corridor.report.svg import escape

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["EXTRA_TITLES", "write_compare_report"]

log = logging.getLogger(__name__)

EXTRA_TITLES = {
    "tourism_by_direction": "Tourism: visits by direction",
    "tourism_by_mode": "Tourism: visits by mode",
    "tourism_by_purpose": "Tourism: visits by purpose",
    "tourism_top_od": "Tourism: the destinations that change most",
    "tourism_crossings": "Tourism: travellers at border crossings",
    "freight_by_commodity_mode": "Freight: tonnes by commodity and mode",
    "freight_crossings": "Freight: tonnes at border crossings",
    "freight_impacts": "Freight: impacts",
    "appraisal": "Appraisal",
    "appraisal_sensitivity": "Appraisal: sensitivity",
}
"""Section titles of the tables of :attr:`Comparison.extra` the report knows by name (any
other table is shown under its name)."""

_EXTRA_LIMIT = 50
_PAIR_LIMIT = 40
_SKIP_COLUMNS = {"node_id", "link_id", "origin_id", "destination_id", "a_node", "b_node"}


@dataclass(frozen=True, slots=True)
class _Figure:
    file: str
    png: bytes
    caption: str
    section: str


def _png_tag(fig: _Figure, cls: str = "chart") -> str:
    data = base64.b64encode(fig.png).decode()
    return (
        f'<figure class="{cls}"><img alt="{escape(fig.caption)}" '
        f'src="data:image/png;base64,{data}"><figcaption>{escape(fig.caption)} '
        f'<a href="#{fig.section}">(details)</a></figcaption></figure>'
    )


def _cell(value: object, column: str) -> str:
    if isinstance(value, bool | np.bool_):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, float | np.floating | int | np.integer):
        _, digits = unit_of(column)
        v = float(value)
        if column.startswith(("d_", "mean_d_")) or "_change" in column or column == "change":
            text = format_signed(v, digits)
        else:
            text = format_number(v, digits)
        return f'<td class="num">{text}</td>'
    if value is None or (isinstance(value, float) and value != value):
        return "<td></td>"
    return f"<td>{escape(value)}</td>"


def _table(
    frame: pd.DataFrame,
    *,
    limit: int | None = None,
    labels: dict[str, str] | None = None,
    links: dict[str, Sequence[str | None]] | None = None,
    csv: str = "",
) -> str:
    """An HTML table with readable headers; `links` gives an anchor per row for a column."""
    cols = [
        c
        for c in frame.columns
        if c not in _SKIP_COLUMNS and not str(c).endswith(("_id", "_node", "_idx"))
    ]
    shown = frame[cols] if limit is None else frame[cols].head(limit)
    heads = "".join(
        f'<th scope="col">{escape((labels or {}).get(c) or column_label(c))}</th>' for c in cols
    )
    rows: list[str] = []
    records = shown.to_dict("records")
    for i, rec in enumerate(records):
        cells: list[str] = []
        for c in cols:
            cell = _cell(rec[c], c)
            anchor = (links or {}).get(c)
            if anchor is not None and i < len(anchor) and anchor[i]:
                head, _, rest = cell.partition(">")
                cell = f'{head}><a href="#{anchor[i]}">{rest[:-5]}</a></td>'
            cells.append(cell)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if limit is not None and len(frame) > limit:
        where = f" in {csv}.csv and {csv}.parquet" if csv else " in the CSV files"
        more = f'<p class="note">{len(frame) - limit:,} more rows{where}.</p>'
    return (
        f'<div class="table-wrap"><table><thead><tr>{heads}</tr></thead><tbody>'
        f"{''.join(rows)}</tbody></table></div>{more}"
    )


def _section(sid: str, title: str, body: str, *, open_: bool = True, note: str = "") -> str:
    lead = f'<p class="lead">{escape(note)}</p>' if note else ""
    return (
        f'<details class="section" id="{sid}"{" open" if open_ else ""}>'
        f"<summary><h2>{escape(title)}</h2></summary>{lead}{body}</details>"
    )


_STOP_WORDS = {
    "border_crossing": "border crossing",
    "gauge_change": "gauge change",
    "transfer": "transfer",
    "terminal": "terminal",
}


def _route_block(anchor: str, key: str, route: Route) -> str:
    when, profile = key.split("/", 2)[:2]
    rows: list[str] = []
    for item in route.sequence():
        if isinstance(item, Leg):
            rows.append(
                f"<tr><td>{escape(item.mode)}</td><td>{escape(item.from_name)} → "
                f"{escape(item.to_name)}</td><td>{escape(road_label(item.ref, item.name))}</td>"
                f'<td class="num">{item.start_km:,.0f}</td>'
                f'<td class="num">{item.length_km:,.0f}</td>'
                f'<td class="num">{item.time_h:,.2f}</td>'
                f'<td class="num">{format_number(item.cost_usd, 0)}</td>'
                f'<td class="num">{format_number(item.co2_kg, 0)}</td></tr>'
            )
        elif isinstance(item, Stop):
            note = "" if item.detail in ("", item.name) else item.detail
            rows.append(
                f"<tr class='stop'><td>{escape(_STOP_WORDS.get(item.kind, item.kind))}</td>"
                f"<td>{escape(item.name)}</td><td>{escape(note)}</td>"
                f"<td class='num'>{item.at_km:,.0f}</td><td></td>"
                f"<td class='num'>{item.time_h + item.wait_h:,.2f}</td>"
                f"<td class='num'>{format_number(item.cost_usd, 0)}</td><td></td></tr>"
            )
    tot = route.totals()
    head = (
        f"{when} · {profile_label(profile)} · {route.origin_name} → {route.destination_name}: "
        f"{tot['length_km']:,.0f} km, {route.time_h:,.1f} h, US${route.cost_usd:,.0f}, "
        f"{route.co2_kg / 1000:,.2f} t CO2"
    )
    return (
        f'<details class="route" id="{anchor}"><summary>{escape(head)}</summary>'
        f'<p class="note">Time: {escape(route.time_definition)}. Driving '
        f"{route.driving_h:,.1f} h, other moves {route.moving_h:,.1f} h, breaks "
        f"{route.breaks_h:,.1f} h, overnight {route.overnight_h:,.1f} h, waiting "
        f"{route.waiting_h:,.1f} h; door to door {route.elapsed_h:,.1f} h. CO2 well to wheel.</p>"
        '<div class="table-wrap"><table><thead><tr><th>mode or stop</th><th>where</th>'
        "<th>road, line or note</th><th>at km</th><th>length (km)</th><th>time (h)</th>"
        "<th>cost (US$)</th><th>CO2 (kg)</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></details>"
    )


def _route_anchors(comparison: Comparison) -> dict[str, str]:
    return {key: f"route-{i + 1}" for i, key in enumerate(sorted(comparison.routes))}


def _pair_table(
    rows: pd.DataFrame,
    mask: np.ndarray,
    shown: list[str],
    labels: dict[str, str],
    links: dict[str, Sequence[str | None]],
) -> str:
    """The rows of `mask`, their route links kept row by row."""
    keep: list[int] = np.flatnonzero(mask).tolist()
    picked: dict[str, Sequence[str | None]] = {k: [v[i] for i in keep] for k, v in links.items()}
    return _table(
        rows.iloc[keep][shown],
        limit=_PAIR_LIMIT,
        labels=labels,
        links=picked,
        csv="touched_pairs",
    )


def _pairs_section(summary: Summary, anchors: dict[str, str]) -> str:
    touched = summary.touched
    if not len(touched):
        return "<p>No OD pair changes.</p>"
    parts: list[str] = []
    cols = [
        "origin",
        "destination",
        "status",
        "time_h_before",
        "time_h_after",
        "d_time_h",
        "cost_usd_before",
        "cost_usd_after",
        "d_cost_usd",
        "d_co2_kg",
        "d_length_km",
        "crossings_before",
        "crossings_after",
    ]
    labels = {
        "status": "what changes",
        "crossings_before": "crossings before",
        "crossings_after": "crossings after",
    }
    for profile, rows in touched.groupby("profile", sort=False):
        keys = [
            (f"before/{profile}/{o}/{d}", f"after/{profile}/{o}/{d}")
            for o, d in zip(rows["origin_id"], rows["destination_id"], strict=True)
        ]
        before = [anchors.get(k[0]) for k in keys]
        after = [anchors.get(k[1]) for k in keys]
        links: dict[str, Sequence[str | None]] = {
            "time_h_before": before,
            "cost_usd_before": before,
            "time_h_after": after,
            "cost_usd_after": after,
        }
        changed = rows["changed"].to_numpy(dtype=bool)
        n_changed = int(changed.sum())
        n_asked = int((~changed).sum())
        shown = [c for c in cols if c in rows.columns]

        name = escape(profile_label(str(profile)))
        html = f"<h3>{name}: {n_changed:,} pair{'s' if n_changed != 1 else ''} change</h3>"
        if n_changed:
            html += _pair_table(rows, changed, shown, labels, links)
        if n_asked:
            html += (
                f'<details class="asked"><summary>{n_asked:,} pairs asked for do not change'
                f"</summary>{_pair_table(rows, ~changed, shown, labels, links)}</details>"
            )
        parts.append(html)
    return "".join(parts)


def _crossing_load_table(table: pd.DataFrame, network: Network) -> pd.DataFrame:
    t = table.copy()
    if {"truck_veh_h_before", "truck_veh_h_after"} <= set(t.columns):
        t["d_truck_veh_h"] = t["truck_veh_h_after"] - t["truck_veh_h_before"]
    if {"car_veh_h_before", "car_veh_h_after"} <= set(t.columns):
        t["d_car_veh_h"] = t["car_veh_h_after"] - t["car_veh_h_before"]
    if "countries" in t and "direction" in t:
        pairs = t["countries"].astype(str).str.split("-", n=1, expand=True)
        if pairs.shape[1] == 2:
            fwd = pairs[0] + " → " + pairs[1]
            back = pairs[1] + " → " + pairs[0]
            t["direction"] = np.where(t["direction"] == "b_to_a", back, fwd)
            t = t.drop(columns="countries")
    flows = [c for c in t.columns if c.endswith(("_before", "_after"))]
    busy = t[flows].fillna(0).abs().sum(axis=1) > 0 if flows else pd.Series(True, index=t.index)
    t = t[busy]
    if "d_truck_veh_h" in t:
        t = t.reindex(t["d_truck_veh_h"].abs().sort_values(ascending=False, kind="stable").index)
    return t.reset_index(drop=True)


def _direction_words(table: pd.DataFrame) -> pd.DataFrame:
    """``a_to_b`` / ``b_to_a`` beside ``countries`` "RU-CN" become "RU → CN" / "CN → RU"."""
    if not {"countries", "direction"} <= set(table.columns):
        return table
    ends = table["countries"].astype(str).str.split(r"[-–]", n=1, expand=True, regex=True)
    if ends.shape[1] != 2:
        return table
    fwd, back = ends[0] + " → " + ends[1], ends[1] + " → " + ends[0]
    d = table["direction"].astype(str)
    words = np.where(d == "a_to_b", fwd, np.where(d == "b_to_a", back, d))
    return table.assign(direction=words)


def _link_flow_table(table: pd.DataFrame, network: Network, other: Network) -> pd.DataFrame:
    links = pd.concat([network.links, other.links]).drop_duplicates("link_id")
    links = links.set_index("link_id")
    names = network.nodes.set_index("node_id")["name"]
    t = table.copy()
    d = [c for c in t.columns if c.startswith("d_")]
    size = t[d].abs().sum(axis=1) if d else pd.Series(0.0, index=t.index)
    t = (
        t.assign(_size=size)[size > 1e-6]
        .sort_values("_size", ascending=False)
        .drop(columns="_size")
    )
    road = [
        road_label(str(links.at[lid, "ref"]), str(links.at[lid, "name"]))
        if lid in links.index
        else ""
        for lid in t["link_id"]
    ]
    frm = [str(names.get(a, "")) for a in t["a_node"]] if "a_node" in t else [""] * len(t)
    to = [str(names.get(b, "")) for b in t["b_node"]] if "b_node" in t else [""] * len(t)
    front = pd.DataFrame({"road or line": road, "from": frm, "to": to}, index=t.index)
    return pd.concat([front, t], axis=1).reset_index(drop=True)


_COLLAPSED = (
    "freight_od",
    "appraisal_benefits",
    "appraisal_parameters",
    "freight_validation",
    "freight_convergence",
    "link_flows",
)
"""Extra tables shown collapsed: per-OD rows, inputs and diagnostics."""


def _extra_sections(
    comparison: Comparison, base: Network, other: Network
) -> list[tuple[str, str, str]]:
    """(id, title, html) for each table of `extra` that has rows."""
    out: list[tuple[str, str, str]] = []
    order = [k for k in EXTRA_TITLES if k in comparison.extra]
    order += [k for k in comparison.extra if k not in EXTRA_TITLES]
    for name in order:
        table = comparison.extra[name]
        if not len(table):
            continue
        sid = "x-" + name.replace("_", "-")
        if name == "crossing_loads":
            shown = _crossing_load_table(table, base)
            if not len(shown):
                continue
            title = "Border crossings: assigned road traffic in the design hour"
            html = _table(
                shown,
                limit=_EXTRA_LIMIT,
                labels={"crossing": "crossing", "direction": "direction"},
                csv=name,
            )
        elif name == "link_flows":
            shown = _link_flow_table(table, base, other)
            if not len(shown):
                continue
            title = "Link flows: the largest changes in the design hour"
            html = _table(shown, limit=30, csv=name)
        else:
            title = EXTRA_TITLES.get(name, name.replace("_", " ").capitalize())
            html = _table(_direction_words(table), limit=_EXTRA_LIMIT, csv=name)
        out.append((sid, title, html))
    return out


def _accessibility_table(comparison: Comparison) -> pd.DataFrame:
    acc = comparison.accessibility
    d = [c for c in acc.columns if c.startswith("d_pop_within_")]
    size = acc[d].abs().sum(axis=1)
    return (
        acc.assign(_size=size)
        .sort_values(["_size", "population"], ascending=False, kind="stable")
        .drop(columns="_size")
        .reset_index(drop=True)
    )


def _figures(
    comparison: Comparison, summary: Summary, layers: MapLayers
) -> tuple[list[_Figure], list[_Figure]]:
    """(maps, charts) as PNG."""

    def png(fig: Figure | None, file: str, caption: str, section: str) -> list[_Figure]:
        return [] if fig is None else [_Figure(file, figure_png(fig), caption, section)]

    maps = png(
        draw_change_map(layers, title=f"Overview: {comparison.base} → {comparison.other}"),
        "map_overview.png",
        "Overview: the whole network, what changed highlighted",
        "maps",
    )
    zoom = zoom_extent(layers)
    if zoom is not None:
        maps = (
            png(
                draw_change_map(layers, extent=zoom, title="Zoom: where the network changes"),
                "map_zoom.png",
                "Zoom on what changed: changed links and crossings, the routes of the pairs that "
                "change most before (dashed) and after (solid)",
                "maps",
            )
            + maps
        )
    changed = summary.touched[summary.touched["changed"]]
    charts: list[_Figure] = []
    charts += png(
        draw_pair_changes(
            changed, column="d_time_h", title="Change in time: the OD pairs that change most"
        ),
        "od_time_changes.png",
        "Change in time of the OD pairs that change most (blue a saving, red a loss)",
        "pairs",
    )
    charts += png(
        draw_pair_changes(
            changed,
            column="d_cost_usd",
            title="Change in money cost: the OD pairs that change most",
        ),
        "od_cost_changes.png",
        "Change in money cost per trip of the OD pairs that change most",
        "pairs",
    )
    if "crossing_loads" in comparison.extra:
        charts += png(
            draw_crossing_loads(comparison.extra["crossing_loads"]),
            "crossing_loads.png",
            "Assigned trucks per design hour at the border crossings (orange more, purple fewer)",
            "x-crossing-loads",
        )
    charts += png(
        draw_accessibility_changes(comparison),
        "accessibility.png",
        "Change in the population reachable by car (blue a gain, red a loss)",
        "accessibility",
    )
    charts += png(
        draw_country_changes(comparison.by_country),
        "countries.png",
        "Mean change in generalised cost per trip by country",
        "winners",
    )
    return maps, charts


def _layers(
    comparison: Comparison,
    base: Network,
    other: Network,
    summary: Summary,
    links: pd.DataFrame,
    outlines: Sequence[shapely.Geometry],
) -> MapLayers:
    routes: list[tuple[Route | None, Route | None, str]] = []
    moved = summary.touched[summary.touched["status"].isin(["gain", "loss"])]
    seen: set[tuple[object, object]] = set()
    extra: list[str] = []
    for rec in moved.to_dict("records"):
        pair = (rec["origin_id"], rec["destination_id"])
        kb = f"before/{rec['profile']}/{pair[0]}/{pair[1]}"
        ka = f"after/{rec['profile']}/{pair[0]}/{pair[1]}"
        if kb in comparison.routes and ka in comparison.routes and pair not in seen:
            seen.add(pair)
            routes.append((comparison.routes[kb], comparison.routes[ka], f"{rec['origin']}"))
            before = set(str(rec["crossings_before"]).split(" / "))
            extra += [c for c in str(rec["crossings_after"]).split(" / ") if c and c not in before]
        if len(routes) >= 2:
            break
    return MapLayers(
        base=base,
        other=other,
        link_changes=links,
        crossing_changes=crossing_changes(base, other),
        outlines=outlines,
        routes=routes,
        extra_crossings=tuple(dict.fromkeys(extra)),
    )


_CSS = """
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#fff}
header{background:#12355b;color:#fff;padding:16px 28px}
header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}
main{padding:8px 28px 40px;max-width:1240px;margin:0 auto}
h2{display:inline;font-size:19px;margin:0}h3{font-size:15px;margin:18px 0 6px}
#summary h2{display:block;border-bottom:2px solid #12355b;padding-bottom:3px;margin:18px 0 8px}
#summary ul{margin:4px 0 10px;padding-left:20px}#summary li{margin:3px 0;max-width:1100px}
details.section{border-top:1px solid #d6d6d6;padding:10px 0}
details.section>summary{cursor:pointer;list-style-position:outside;padding:4px 0}
nav.toc{background:#f4f6f8;border:1px solid #dde3e9;padding:8px 16px;margin:18px 0}
nav.toc ol{columns:2;margin:4px 0;padding-left:22px}nav.toc a{color:#12355b}
.key-charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px}
.key-charts figure.map{grid-column:1/-1}
figure{margin:0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:12px;color:#555}
.maps{display:grid;grid-template-columns:1fr;gap:14px}
.table-wrap{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;margin:6px 0 12px;font-size:12.5px}
th,td{border:1px solid #d6d6d6;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}td.num{text-align:right;
font-variant-numeric:tabular-nums;white-space:nowrap}
td a{color:#12355b}tr.stop td{background:#fff8e6}
.note,.lead{color:#555;font-size:12.5px}
details.route{margin:4px 0;border:1px solid #e3e3e3;padding:4px 8px}
details.route>summary{cursor:pointer}details.route:target{outline:2px solid #e69f00}
@page{size:A4 landscape;margin:12mm}
@media print{
body{font-size:11px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
header{background:none;color:#000;padding:0 0 6px;border-bottom:2px solid #000}
main{padding:0;max-width:none}nav.toc,.noprint,#routes{display:none}
details.section>summary{list-style:none}
figure,tr,li{break-inside:avoid}h2,h3{break-after:avoid}
.key-charts{grid-template-columns:repeat(2,minmax(0,1fr))}
.table-wrap{overflow:visible}table{font-size:9.5px}
}
"""

_SCRIPT = """
(function(){
function openTarget(){var id=decodeURIComponent(location.hash.slice(1));
var t=id&&document.getElementById(id);if(!t)return;
for(var e=t;e;e=e.parentElement){if(e.tagName==='DETAILS')e.open=true;}
t.scrollIntoView();}
window.addEventListener('hashchange',openTarget);openTarget();
window.addEventListener('beforeprint',function(){
document.querySelectorAll('details.section').forEach(function(d){d.open=true;});});
})();
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
    """Write ``report.html``, the charts and maps as PNG and every table as CSV and Parquet.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.analysis.compare.compare`.
    base, other
        The two networks compared (for the maps and the network changes).
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
        The executive summary (:func:`corridor.summarize_comparison`); computed if None
        (then only the pairs that change are shown, none asked for).

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
    links = link_changes(base, other)
    if summary is None:
        summary = summarize_comparison(comparison, base, other, link_table=links)
    layers = _layers(comparison, base, other, summary, links, list(outlines))
    maps, charts = _figures(comparison, summary, layers)
    anchors = _route_anchors(comparison)
    key_figures = (maps[:1] + charts)[:4]

    findings = "".join(
        f"<h3>{escape(title)}</h3><ul>"
        + "".join(f"<li>{escape(text)}</li>" for text in texts)
        + "</ul>"
        for title, texts in summary.by_topic()
    )
    figure_html = "".join(
        _png_tag(f, "map" if f.file.startswith("map_") else "chart") for f in key_figures
    )
    sections: list[tuple[str, str, str, bool, str]] = []
    sections.append(
        (
            "maps",
            "Maps",
            '<div class="maps">' + "".join(_png_tag(f, "map") for f in maps) + "</div>",
            True,
            "Links in their mode's colour; changed links in their change's colour (closed "
            "dashed); crossings that change marked ✕, crossings the diverted traffic takes "
            "circled. Equirectangular, scale true along the bar's parallel.",
        )
    )
    link_table = links.assign(
        road=[road_label(r, n) for r, n in zip(links["ref"], links["name"], strict=True)]
    )[
        [
            "road",
            "mode",
            "change",
            "length_km",
            "speed_kmh_before",
            "speed_kmh_after",
            "toll_usd_before",
            "toll_usd_after",
        ]
    ]
    cx = layers.crossing_changes
    network_html = (
        "<h3>Links</h3>"
        + (
            _table(link_table, limit=80, labels={"road": "road or line"}, csv="changed_links")
            if len(links)
            else "<p>No link changes.</p>"
        )
        + "<h3>Border crossings</h3>"
        + (
            _table(cx, labels={"crossing": "crossing", "countries": "countries"})
            if len(cx)
            else "<p>No crossing changes.</p>"
        )
    )
    sections.append(("network", "What changes in the network", network_html, True, ""))
    sections.append(
        (
            "pairs",
            "OD pairs the scenario touches",
            '<div class="key-charts">'
            + "".join(_png_tag(f) for f in charts if f.section == "pairs")
            + "</div>"
            + _pairs_section(summary, anchors),
            True,
            "Pairs whose least-cost path changes in time, money or crossings, or can be made "
            "in one network only, plus the pairs asked for. Times and costs per trip (one "
            "vehicle, container or traveller); each before/after figure links to its route "
            "where the route was built in full.",
        )
    )
    for sid, title, html in _extra_sections(comparison, base, other):
        figs = "".join(_png_tag(f) for f in charts if f.section == sid)
        shut = sid.removeprefix("x-").replace("-", "_") in _COLLAPSED
        sections.append((sid, title, figs + html, not shut, ""))
    sections.append(
        (
            "accessibility",
            "Accessibility by place",
            "".join(_png_tag(f) for f in charts if f.section == "accessibility")
            + _table(_accessibility_table(comparison), limit=60, csv="accessibility"),
            True,
            "Population of the network's cities reachable by car within each threshold, "
            "crossing formalities included; places that change first.",
        )
    )
    by_place = comparison.by_place
    sections.append(
        (
            "winners",
            "Winners and losers",
            "".join(_png_tag(f) for f in charts if f.section == "winners")
            + "<h3>By country</h3>"
            + _table(comparison.by_country)
            + "<h3>By place</h3>"
            + _table(by_place, limit=60, csv="by_place"),
            True,
            "Mean change over a place's OD pairs (as origin and as destination); countries "
            "weight their places by population.",
        )
    )
    routes_html = "".join(
        _route_block(anchors[k], k, comparison.routes[k]) for k in sorted(comparison.routes)
    )
    sections.append(
        (
            "routes",
            f"Routes behind the numbers ({len(comparison.routes)})",
            routes_html or "<p>No route was built in full.</p>",
            False,
            "Each route leg by leg with its stops; not printed (see detail.csv).",
        )
    )
    method = (
        "<h3>Assumptions</h3><ul>"
        + "".join(f"<li>{escape(a)}</li>" for a in assumptions)
        + "</ul><h3>Sources</h3><ul>"
        + "".join(f"<li>{escape(s)}</li>" for s in sources)
        + "</ul>"
    )
    sections.append(("method", "Assumptions and sources", method, True, ""))

    toc = (
        '<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>'
        '<li><a href="#summary">Summary</a></li>'
        + "".join(f'<li><a href="#{sid}">{escape(title)}</a></li>' for sid, title, *_ in sections)
        + "</ol></nav>"
    )
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = (
        f"<header><h1>What {escape(comparison.other)} changes, against "
        f"{escape(comparison.base)}</h1><p>corridor scenario comparison, generated {generated}; "
        f"{len(comparison.od):,} OD rows over {comparison.od['origin_id'].nunique():,} places, "
        f"profiles {escape(', '.join(profile_label(p) for p in comparison.options.profiles))}"
        "</p></header><main>"
        f'<section id="summary"><h2>Summary</h2>{findings}'
        f'<div class="key-charts">{figure_html}</div></section>'
        + toc
        + "".join(
            _section(sid, title, html, open_=open_, note=note)
            for sid, title, html, open_, note in sections
        )
        + "</main>"
    )
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="corridor">'
        f"<title>corridor: {escape(comparison.base)} → {escape(comparison.other)}</title>"
        f"<style>{_CSS}</style></head><body>{body}<script>{_SCRIPT}</script></body></html>"
    )
    with atomic_dir(
        target, force=force, what="scenario comparison report", layout=("report.html", "od.csv")
    ) as tmp:
        (tmp / "report.html").write_text(page, encoding="utf-8")
        for fig in maps + charts:
            (tmp / fig.file).write_bytes(fig.png)
        tables = {
            **comparison.tables(),
            "changed_links": links,
            "changed_crossings": layers.crossing_changes,
            "touched_pairs": summary.touched,
        }
        for name, table in tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False)
            table.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "summary.txt").write_text("\n".join(summary.sentences()) + "\n", encoding="utf-8")
    log.info("wrote the comparison report to %s", target)
    return target / "report.html"
