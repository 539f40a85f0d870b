"""The executive summary of a comparison: sentences written from its numbers.

Nothing here is templated text with numbers dropped in whatever they are: each sentence is
chosen by what the numbers say (no change, gains, losses, lost connections, a crossing
taking the diverted traffic), and says for whom (the profile) and where (the pairs, the
crossings, the places and countries). The same :class:`Summary` opens the HTML report,
the CLI's print of ``corridor scenario compare`` and its ``--json``.

The pairs a scenario *touches* (:func:`touched_pairs`) are those whose least-cost path
changes in time, money or border crossings, or that can be made in only one of the two
networks: a pair whose route uses a changed link or crossing either changes or was tied.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.analysis.compare import Comparison
from corridor.costs.profiles import load_profile
from corridor.errors import CorridorError
from corridor.model.network import Network
from corridor.report.labels import (
    format_number,
    format_signed,
    profile_label,
    road_label,
    unit_of,
)
from corridor.report.network_changes import crossing_changes

__all__ = [
    "TOLERANCE_H",
    "TOLERANCE_USD",
    "Finding",
    "Summary",
    "extra_keys",
    "extra_triples",
    "profile_kind",
    "summarize_comparison",
    "touched_pairs",
]

TOLERANCE_USD = 0.5
"""A change in generalised cost below this (US$ per trip) is no change [assumption: half a
dollar, below the rounding of every figure shown]."""
TOLERANCE_H = 0.01
"""A change in time below this (h, 36 s) is no change [assumption]."""

_TOPICS = ("network", "logistics", "travellers", "tourism", "places")
_TOPIC_TITLES = {
    "network": "What changes in the network",
    "logistics": "Logistics",
    "travellers": "Travellers",
    "tourism": "Tourism",
    "places": "Places and countries",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One sentence of the summary and what it is about.

    Attributes
    ----------
    topic
        network, logistics, travellers, tourism or places.
    text
        The sentence.
    """

    topic: str
    text: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The executive summary of a comparison.

    Attributes
    ----------
    title
        "base → other".
    findings
        The sentences, in reading order (network, logistics, travellers, tourism, places).
    touched
        The OD rows the scenario touches, all profiles (see :func:`touched_pairs`).
    """

    title: str
    findings: tuple[Finding, ...]
    touched: pd.DataFrame

    def __repr__(self) -> str:
        return f"<Summary {self.title}: {len(self.findings)} findings>"

    def sentences(self) -> list[str]:
        """Every sentence, in order."""
        return [f.text for f in self.findings]

    def by_topic(self) -> list[tuple[str, list[str]]]:
        """(topic title, sentences) for each topic that has any, in reading order."""
        return [
            (_TOPIC_TITLES[t], [f.text for f in self.findings if f.topic == t])
            for t in _TOPICS
            if any(f.topic == t for f in self.findings)
        ]

    def to_dict(self) -> dict[str, object]:
        """``title``, ``sentences`` and ``findings`` (topic, text) as JSON-ready data."""
        return {
            "title": self.title,
            "sentences": self.sentences(),
            "findings": [{"topic": f.topic, "text": f.text} for f in self.findings],
        }


def profile_kind(profile: str) -> str:
    """ "freight" or "passenger" (a profile that cannot be loaded counts as passenger)."""
    try:
        return str(load_profile(profile).kind)
    except (CorridorError, OSError):
        return "passenger"


def touched_pairs(comparison: Comparison, places: Iterable[str | int] = ()) -> pd.DataFrame:
    """The OD rows the scenario touches, plus every pair between `places`.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.compare`.
    places
        Place names or ids asked for by the user: their pairs are kept whether or not
        they change (column ``asked``).

    Returns
    -------
    pandas.DataFrame
        Rows of :attr:`Comparison.od` with ``changed`` (bool), ``asked`` (bool) and
        ``status`` ("gain", "loss", "new connection", "lost connection", "same cost,
        other crossings" or "unchanged"), sorted by profile and the size of the change.
    """
    od = comparison.od
    fb = np.isfinite(od["generalized_usd_before"].to_numpy(dtype=float))
    fa = np.isfinite(od["generalized_usd_after"].to_numpy(dtype=float))
    d_gen = od["d_generalized_usd"].to_numpy(dtype=float)
    d_time = od["d_time_h"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        moved = (np.abs(np.nan_to_num(d_gen)) > TOLERANCE_USD) | (
            np.abs(np.nan_to_num(d_time)) > TOLERANCE_H
        )
    crossing = od["crossing_changed"].to_numpy(dtype=bool) & fb & fa
    reach = fb != fa
    changed = moved | crossing | reach
    asked_set = {str(p) for p in places}
    asked = np.zeros(len(od), dtype=bool)
    if asked_set:
        o = od["origin"].astype(str).isin(asked_set) | od["origin_id"].astype(str).isin(asked_set)
        d = od["destination"].astype(str).isin(asked_set) | od["destination_id"].astype(str).isin(
            asked_set
        )
        asked = (o & d).to_numpy()
    status = np.select(
        [reach & fa, reach & fb, moved & (d_gen < 0), moved & (d_gen > 0), crossing, moved],
        ["new connection", "lost connection", "gain", "loss", "same cost, other crossings", "gain"],
        default="unchanged",
    )
    out = od.assign(changed=changed, asked=asked, status=status)[changed | asked]
    size = np.where(
        out["status"].isin(["new connection", "lost connection"]),
        np.inf,
        out["d_generalized_usd"].abs().fillna(0.0),
    )
    out = out.assign(_size=size).sort_values(
        ["profile", "_size"], ascending=[True, False], kind="stable"
    )
    result: pd.DataFrame = out.drop(columns="_size").reset_index(drop=True)
    return result


def _pct(change: float, before: float) -> str:
    """A relative change in per cent, with as many decimals as it needs ("" without a base)."""
    if not before or not math.isfinite(before) or not math.isfinite(change):
        return ""
    p = 100.0 * change / before
    digits = 0 if abs(p) >= 10 else 1 if abs(p) >= 1 else 2
    text = format_signed(p, digits)
    return "0%" if text == "0" else f"{text}%"


def _money(value: float) -> str:
    text = format_signed(value, 0)
    return "US$0" if text == "0" else text.replace("+", "+US$").replace("−", "−US$")


def _hours(value: float) -> str:
    return f"{format_signed(value, 1)} h"


def _crossing_set(text: object) -> list[str]:
    return [c for c in str(text or "").split(" / ") if c]


def _via(row: pd.Series) -> str:
    before, after = _crossing_set(row["crossings_before"]), _crossing_set(row["crossings_after"])
    gone = [c for c in before if c not in after]
    new = [c for c in after if c not in before]
    if new and gone:
        return f", now crossing at {' and '.join(new)} instead of {' and '.join(gone)}"
    if new:
        return f", now crossing at {' and '.join(new)}"
    if gone:
        return f", no longer crossing at {' and '.join(gone)}"
    return ""


def _profile_findings(
    comparison: Comparison, touched: pd.DataFrame, profile: str, topic: str
) -> list[Finding]:
    od = comparison.od[comparison.od["profile"] == profile]
    label = profile_label(profile)
    label_cap = label[:1].upper() + label[1:]
    n = int(
        (np.isfinite(od["generalized_usd_before"]) | np.isfinite(od["generalized_usd_after"])).sum()
    )
    rows = touched[(touched["profile"] == profile) & touched["changed"]]
    if not len(rows):
        return [Finding(topic, f"{label_cap}: none of the {n:,} OD pairs compared changes.")]
    parts = [f"{label_cap}: {len(rows):,} of {n:,} OD pairs change ({len(rows) / max(n, 1):.0%})"]
    groups = []
    for status, word in (("gain", "gain"), ("loss", "lose")):
        g = rows[rows["status"] == status]
        if len(g):
            money = float(g["d_cost_usd"].mean())
            hours = _hours(float(g["d_time_h"].mean()))
            tail = (
                f"{hours} per trip at the same money cost"
                if format_signed(money, 0) == "0"
                else f"{hours} and {_money(money)} in money cost per trip"
            )
            groups.append(f"{len(g):,} {word}, on average {tail}")
    lost = int((rows["status"] == "lost connection").sum())
    new = int((rows["status"] == "new connection").sum())
    if lost:
        groups.append(f"{lost:,} can no longer be made")
    if new:
        groups.append(f"{new:,} can be made that could not before")
    same = int((rows["status"] == "same cost, other crossings").sum())
    if same:
        groups.append(f"{same:,} keep their cost but cross the border elsewhere")
    text = parts[0] + ": " + "; ".join(groups) + "."
    moved = rows[rows["status"].isin(["gain", "loss"])]
    if len(moved):
        top = moved.iloc[int(np.argmax(moved["d_generalized_usd"].abs().to_numpy()))]
        word = "gain" if top["d_generalized_usd"] < 0 else "loss"
        text += (
            f" Largest {word}: {top['origin']} → {top['destination']}, "
            f"{_hours(float(top['d_time_h']))} ({format_number(float(top['time_h_before']), 1)} → "
            f"{format_number(float(top['time_h_after']), 1)} h)"
            + (
                ""
                if _money(float(top["d_cost_usd"])) == "US$0"
                else f" and {_money(float(top['d_cost_usd']))} in money cost"
            )
            + f"{_via(top)}."
        )
    return [Finding(topic, text)]


def _mode_shift(comparison: Comparison, touched: pd.DataFrame, profile: str) -> Finding | None:
    """The change in the main mode's share of km over the changed pairs built in full."""
    rows = touched[(touched["profile"] == profile) & touched["changed"]]
    km: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    n = 0
    for o, d in zip(rows["origin_id"].tolist(), rows["destination_id"].tolist(), strict=True):
        before = comparison.routes.get(f"before/{profile}/{o}/{d}")
        after = comparison.routes.get(f"after/{profile}/{o}/{d}")
        if before is None or after is None:
            continue
        n += 1
        for when, route in (("before", before), ("after", after)):
            for leg in route.legs:
                km[when][leg.mode] = km[when].get(leg.mode, 0.0) + float(leg.length_km)
    tb, ta = sum(km["before"].values()), sum(km["after"].values())
    if tb <= 0 or ta <= 0 or len(set(km["before"]) | set(km["after"])) < 2:
        return None
    main = max(km["before"], key=lambda m: km["before"][m])
    sb, sa = km["before"].get(main, 0.0) / tb, km["after"].get(main, 0.0) / ta
    if abs(sa - sb) < 0.005:
        return None
    return Finding(
        "logistics",
        f"Mode split, {profile_label(profile)}: over the {n} changed pairs built in full, "
        f"{main} carries {sb:.1%} of the km before and {sa:.1%} after "
        f"({format_signed((sa - sb) * 100, 1)} points).",
    )


def _crossing_load_findings(table: pd.DataFrame) -> list[Finding]:
    need = {"crossing", "truck_veh_h_before", "truck_veh_h_after"}
    if not need <= set(table.columns) or not len(table):
        return []
    cols = [c for c in table.columns if c.endswith(("_before", "_after")) and "veh_h" in c]
    per = table.groupby("crossing", sort=False)[cols].sum()
    per["d"] = per["truck_veh_h_after"] - per["truck_veh_h_before"]
    moved = per[per["d"].abs() > 0.05]
    if not len(moved):
        return [
            Finding(
                "logistics",
                "Assigned road freight at the border crossings is the same in both networks "
                f"(no crossing's trucks per design hour change by more than 0.05 over "
                f"{len(per)} crossings).",
            )
        ]
    top = moved.reindex(moved["d"].abs().sort_values(ascending=False).index).head(3)
    items = []
    for name, r in top.iterrows():
        items.append(
            f"{name} {format_signed(float(r['d']), 1)} "
            f"({format_number(float(r['truck_veh_h_before']), 1)} → "
            f"{format_number(float(r['truck_veh_h_after']), 1)})"
        )
    return [
        Finding(
            "logistics",
            "Crossing loads (assigned trucks per design hour, both directions): "
            + "; ".join(items)
            + f"; {len(moved)} of {len(per)} crossings change.",
        )
    ]


def _accessibility_findings(comparison: Comparison) -> list[Finding]:
    acc = comparison.accessibility
    cols = [c for c in acc.columns if c.startswith("d_pop_within_")]
    if not cols:
        return []
    col = next((c for c in cols if c == "d_pop_within_24h"), cols[len(cols) // 2])
    hours = col.removeprefix("d_pop_within_")
    d = acc[col].to_numpy(dtype=float)
    moved = np.abs(np.nan_to_num(d)) >= 1
    if not moved.any():
        return [
            Finding(
                "places",
                f"Car accessibility: no place's population within {hours.replace('h', ' h')} "
                "changes.",
            )
        ]
    text = (
        f"Car accessibility: the population reachable within {hours.replace('h', ' h')} "
        f"changes for {int(moved.sum())} of {len(acc)} places"
    )
    items = []
    i_max, i_min = int(np.nanargmax(d)), int(np.nanargmin(d))
    if d[i_max] >= 1:
        items.append(f"most gained: {acc['place'].iloc[i_max]} {format_signed(d[i_max], 0)} people")
    if d[i_min] <= -1:
        items.append(f"most lost: {acc['place'].iloc[i_min]} {format_signed(d[i_min], 0)} people")
    return [Finding("places", text + "; " + ", ".join(items) + ".")]


def _country_findings(comparison: Comparison) -> list[Finding]:
    bc = comparison.by_country
    if "mean_d_generalized_usd" not in bc or not len(bc):
        return []
    d = bc["mean_d_generalized_usd"].to_numpy(dtype=float)
    moved = np.abs(np.nan_to_num(d)) >= 0.05
    if not moved.any():
        return []
    part = (
        bc[moved]
        .reindex(bc[moved]["mean_d_generalized_usd"].abs().sort_values(ascending=False).index)
        .head(4)
    )
    items = [
        f"{r['country']} {_money(float(r['mean_d_generalized_usd']))} "
        f"({int(r['places'])} place{'s' if int(r['places']) != 1 else ''})"
        for _, r in part.iterrows()
    ]
    return [
        Finding(
            "places",
            "By country (mean change in generalised cost per trip over the pairs of its "
            "places, all profiles, population-weighted): " + "; ".join(items) + ".",
        )
    ]


_CROSSING_FIGURES = {
    "delay changed": ("delay_p50_h", "h", "median clearance delay"),
    "fee changed": ("fee_usd", "US$", "fee"),
    "traveller delay changed": ("passenger_delay_h", "h", "travellers' clearance"),
    "capacity changed": ("capacity_veh_day", "vehicles/day", "capacity"),
    "vehicles changed": ("vehicles", "", "vehicles admitted"),
}


def _network_findings(base: Network, other: Network, links: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    if len(links):
        parts = []
        for kind, grp in links.groupby("change", observed=True, sort=False):
            if not len(grp):
                continue
            # a link the base has closed (a counterfactual "without" scenario) opens
            verb = "opened (closed in the base)" if kind == "reopened" else str(kind)
            verb = verb.replace("_", " ")
            ground = grp[grp["mode"] != "air"]
            flights = len(grp) - len(ground)
            items = []
            if len(ground):
                names = (
                    ground.assign(
                        label=[
                            f"{m} {road_label(r, n)}"
                            for m, r, n in zip(
                                ground["mode"], ground["ref"], ground["name"], strict=True
                            )
                        ]
                    )
                    .groupby("label")["length_km"]
                    .sum()
                    .sort_values(ascending=False)
                )
                shown = ", ".join(
                    f"{label} ({format_number(float(km), 0)} km)"
                    for label, km in names.head(3).items()
                )
                more = f" and {len(names) - 3} more" if len(names) > 3 else ""
                items.append(
                    f"{len(ground)} road, rail or ferry link{'s' if len(ground) != 1 else ''} "
                    f"{verb}: {shown}{more}"
                )
            if flights:
                items.append(f"{flights} flight{'s' if flights != 1 else ''} {verb}")
            parts.append("; ".join(items))
        out.append(Finding("network", "Links: " + "; ".join(parts) + "."))
    cx = crossing_changes(base, other)
    if len(cx):
        nodes = base.nodes.set_index("node_id")
        items = []
        for (name, change), grp in cx.groupby(["crossing", "change"], sort=False):
            modes = "/".join(sorted(set(grp["mode"].astype(str))))
            if change in ("closed", "opened"):
                items.append(f"{name} {change} to {modes} traffic")
                continue
            col, unit, what = _CROSSING_FIGURES[str(change)]
            dirs = []
            for r in grp.to_dict("records"):
                rec = nodes.loc[int(r["node_id"])]
                a, b = str(rec["country_a"]), str(rec["country_b"])
                arrow = f"{a} → {b}" if r["direction"] == "a_to_b" else f"{b} → {a}"
                b_val, a_val = r[f"{col}_before"], r[f"{col}_after"]
                if unit:
                    dirs.append(
                        f"{arrow} {format_number(float(b_val), 1)} → "
                        f"{format_number(float(a_val), 1)} {unit}"
                    )
                else:
                    dirs.append(f"{arrow} {b_val} → {a_val}")
            items.append(f"{name} ({modes}): {what} " + ", ".join(dirs))
        out.append(Finding("network", "Border crossings: " + "; ".join(items) + "."))
    if not out:
        out.append(Finding("network", "The two networks have the same links and crossings."))
    return out


_EXTRA_TOPICS = (("tourism_", "tourism"), ("freight_", "logistics"), ("appraisal", "logistics"))


def extra_triples(table: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    """(before, after, change) column names of each metric in a table of :attr:`extra`.

    Handles ``x_before``/``x_after``/``d_x`` (or ``x_change``), and plain ``before``/
    ``after``/``change`` columns.
    """
    cols = list(table.columns)
    out: list[tuple[str, str, str | None]] = []
    if "before" in cols and "after" in cols:
        out.append(("before", "after", "change" if "change" in cols else None))
    for c in cols:
        if c.endswith("_before"):
            stem = c[: -len("_before")]
            if f"{stem}_after" in cols:
                change = next(
                    (x for x in (f"d_{stem}", f"{stem}_change", f"change_{stem}") if x in cols),
                    None,
                )
                out.append((c, f"{stem}_after", change))
    return out


def extra_keys(table: pd.DataFrame) -> list[str]:
    """The columns that name a row of an extra table (its text columns)."""
    return [
        c
        for c in table.columns
        if (
            table[c].dtype == object
            or isinstance(table[c].dtype, pd.CategoricalDtype)
            or pd.api.types.is_string_dtype(table[c])
        )
        and not c.endswith("_id")
    ]


_SENTENCE_TITLES = {
    "tourism_by_direction": "Tourism, visits by direction",
    "tourism_by_mode": "Tourism, visits by mode",
    "tourism_by_purpose": "Tourism, visits by purpose",
    "tourism_top_od": "Tourism destinations (the trips that change most)",
    "tourism_crossings": "Tourism, travellers at the border crossings",
    "freight_by_commodity_mode": "Freight by commodity and mode",
    "freight_crossings": "Freight at the border crossings",
    "freight_impacts": "Freight impacts",
    "appraisal_sensitivity": "Appraisal sensitivity",
}
_SKIPPED = (
    "tourism_by_purpose",
    "appraisal_sensitivity",
    "appraisal_parameters",
    "freight_od",
    # the base demand on both networks: the appraisal's input, stated by its own sentence
    # (a generic sentence would read its unchanged tonnes as "no row changes")
    "freight_impacts_fixed_demand",
    "freight_crossings_fixed_demand",
    "freight_od_fixed_demand",
    "freight_validation",
    "freight_convergence",
    "appraisal_benefits",
)
"""Tables rendered in the report but not summarised (inputs, diagnostics, per-OD rows)."""


def _row_labels(table: pd.DataFrame) -> list[str]:
    keys = extra_keys(table)
    if not keys:
        return [str(i + 1) for i in range(len(table))]
    if {"origin", "destination"} <= set(keys):
        rest = [k for k in keys if k not in ("origin", "destination")]
        return [
            f"{r['origin']} → {r['destination']}" + "".join(f", {r[k]}" for k in rest)
            for r in table[keys].astype(str).to_dict("records")
        ]
    labels = table[keys].astype(str).agg(" ".join, axis=1).tolist()
    return [label.replace("->", " → ") for label in labels]


def _total_row(table: pd.DataFrame) -> pd.Series | None:
    """The row that totals the others (a key column equal to "all" or "total"), if any."""
    for key in extra_keys(table):
        hit = table[table[key].astype(str).str.lower().isin(["all", "total"])]
        if len(hit) == 1 and all(
            str(v).lower() in ("all", "total", "") for v in hit[extra_keys(table)].iloc[0]
        ):
            return hit.iloc[0]
    return None


def _appraisal_findings(table: pd.DataFrame) -> list[Finding]:
    if not {"item", "value"} <= set(table.columns):
        return []
    raw = dict(zip(table["item"].astype(str), pd.to_numeric(table["value"]), strict=True))
    v = {k: float(x) for k, x in raw.items() if math.isfinite(float(x))}  # NaN: not defined
    parts = []
    if "benefit_usd_year" in v:
        parts.append(f"benefits {_money(v['benefit_usd_year'])} a year")
    if "npv_usd" in v:
        parts.append(f"net present value {_money(v['npv_usd'])}")
    if "bcr" in v:
        parts.append(f"benefit-cost ratio {v['bcr']:.2f}")
    if "first_year_return" in v:
        parts.append(f"first-year return {v['first_year_return']:.1%}")
    if v.get("investment_usd"):
        parts.append(f"against an investment of US${v['investment_usd']:,.0f}")
    elif "investment_usd" in v:
        parts.append("no investment cost given (a ratio needs one)")
    if not parts:
        items = [f"{k} {format_number(float(x), 2)}" for k, x in list(v.items())[:4]]
        parts = items
    return [Finding("logistics", "Appraisal: " + ", ".join(parts) + ".")]


def _freight_impact_findings(table: pd.DataFrame) -> list[Finding]:
    total = _total_row(table)
    if total is None:
        return []
    items = []
    for stem, what, unit, scale in (
        ("tonnes_year", "tonnes", "t", 1.0),
        ("vehicle_h_year", "vehicle-hours", "h", 1.0),
        ("cost_usd_year", "money cost", "US$", 1.0),
        ("co2_wtw_kg_year", "CO2 well to wheel", "t", 1e-3),
    ):
        b, a = f"{stem}_before", f"{stem}_after"
        if b in total and a in total:
            vb, va = float(total[b]) * scale, float(total[a]) * scale
            pct = _pct(va - vb, vb)
            pct = f", {pct}" if pct else ""
            items.append(f"{what} {format_number(vb, 0)} → {format_number(va, 0)} {unit}{pct}")
    if not items:
        return []
    return [Finding("logistics", "Freight a year, all classes: " + "; ".join(items) + ".")]


def _freight_crossing_findings(table: pd.DataFrame) -> list[Finding]:
    cols = [
        c for c in ("trucks_day", "trains_day") if f"{c}_before" in table and f"{c}_after" in table
    ]
    if "crossing" not in table or not cols:
        return []
    per = table.groupby("crossing", sort=False)[
        [f"{c}_{w}" for c in cols for w in ("before", "after")]
    ].sum()
    b: pd.Series = per[[f"{c}_before" for c in cols]].sum(axis=1)
    a: pd.Series = per[[f"{c}_after" for c in cols]].sum(axis=1)
    d: pd.Series = a - b
    moved = d[d.abs() > 0.05]
    if not len(moved):
        return [
            Finding(
                "logistics",
                "Freight at the border crossings: no crossing's trucks or trains a day change.",
            )
        ]
    top = moved.reindex(moved.abs().sort_values(ascending=False).index).head(3)
    closed = set()
    if "closed_after" in table:
        closed = set(table.loc[table["closed_after"].astype(bool), "crossing"].astype(str))
    items = [
        f"{name}{' (closed)' if str(name) in closed else ''} {format_number(float(b[name]), 1)} → "
        f"{format_number(float(a[name]), 1)} ({format_signed(float(d[name]), 1)})"
        for name in top.index
    ]
    what = " and ".join(c.split("_")[0] for c in cols)
    return [
        Finding(
            "logistics",
            f"Freight at the border crossings ({what} a day, both directions): "
            + "; ".join(items)
            + f"; {len(moved)} crossings change.",
        )
    ]


def _mode_share_findings(table: pd.DataFrame) -> list[Finding]:
    need = {"mode", "tonnes_year_before", "tonnes_year_after"}
    if not need <= set(table.columns):
        return []
    per = table.groupby("mode")[["tonnes_year_before", "tonnes_year_after"]].sum()
    tb, ta = float(per["tonnes_year_before"].sum()), float(per["tonnes_year_after"].sum())
    if tb <= 0 or ta <= 0:
        return []
    items = [
        f"{mode} {float(sb) / tb:.1%} → {float(sa) / ta:.1%}"
        for mode, sb, sa in zip(
            per.index, per["tonnes_year_before"], per["tonnes_year_after"], strict=True
        )
    ]
    text = "Freight mode split (share of tonnes a year): " + ", ".join(items)
    if "d_mode_share" in table and "commodity" in table and len(table):
        k = int(np.nanargmax(np.abs(table["d_mode_share"].to_numpy(dtype=float))))
        row = table.iloc[k]
        if abs(float(row["d_mode_share"])) >= 0.001:
            text += (
                f"; the largest shift: {row['commodity']} by {row['mode']} "
                f"{format_signed(float(row['d_mode_share']) * 100, 1)} points"
            )
    return [Finding("logistics", text + ".")]


def _tourism_mode_findings(table: pd.DataFrame) -> list[Finding]:
    need = {"mode", "visits_year_before", "visits_year_after"}
    if not need <= set(table.columns):
        return []
    per = table.groupby("mode")[["visits_year_before", "visits_year_after"]].sum()
    d = per["visits_year_after"] - per["visits_year_before"]
    if not (d.abs() >= 0.5).any():
        return [Finding("tourism", "Tourism by mode: no mode's visits change.")]
    per = per.assign(d=d).reindex(d.abs().sort_values(ascending=False).index)
    items = []
    for mode, b, a in zip(
        per.index,
        per["visits_year_before"].tolist(),
        per["visits_year_after"].tolist(),
        strict=True,
    ):
        if abs(a - b) < 0.5:
            continue
        pct = _pct(a - b, b)
        items.append(f"{mode} {format_signed(a - b, 0)}" + (f" ({pct})" if pct else ""))
    return [
        Finding(
            "tourism",
            "Tourism by mode (visits a year, all directions): " + ", ".join(items) + ".",
        )
    ]


_SPECIFIC = {
    "tourism_by_mode": _tourism_mode_findings,
    "appraisal": _appraisal_findings,
    "freight_impacts": _freight_impact_findings,
    "freight_crossings": _freight_crossing_findings,
    "freight_by_commodity_mode": _mode_share_findings,
}


def _extra_findings(name: str, table: pd.DataFrame) -> list[Finding]:
    """Sentences for a table of :attr:`Comparison.extra` (specific, else generic)."""
    topic = next((t for prefix, t in _EXTRA_TOPICS if name.startswith(prefix)), None)
    if topic is None or not len(table) or name in _SKIPPED:
        return []
    if name in _SPECIFIC:
        try:
            found = _SPECIFIC[name](table)
        except (KeyError, TypeError, ValueError):  # a shape this version does not know
            found = []
        if found:
            return found
    triples = extra_triples(table)
    if not triples:
        return []
    b, a, _change = triples[0]
    total = _total_row(table)
    rows = table if total is None else table.drop(index=total.name)
    before = pd.to_numeric(rows[b], errors="coerce").to_numpy(dtype=float)
    after = pd.to_numeric(rows[a], errors="coerce").to_numpy(dtype=float)
    change = after - before
    labels = _row_labels(rows)
    metric = (
        b
        if b != "before"
        else (next((k for k in table.columns if k in ("metric", "item", "unit")), "value"))
    )
    unit, digits = unit_of(str(metric))
    title = _SENTENCE_TITLES.get(name, name.replace("_", " ").capitalize())
    moved = np.abs(np.nan_to_num(change)) > 10 ** (-digits) / 2
    if not moved.any():
        return [Finding(topic, f"{title}: no row changes ({len(rows)} rows).")]
    order = np.argsort(-np.abs(np.nan_to_num(change)))[: min(3, int(moved.sum()))]
    items = []
    for i in order:
        pct = _pct(change[i], before[i])
        pct = f", {pct}" if pct else ""
        items.append(
            f"{labels[i]} {format_number(before[i], digits)} → {format_number(after[i], digits)}"
            f" ({format_signed(change[i], digits)}{pct})"
        )
    text = f"{title}"
    additive = unit.endswith("/year") or unit in ("t", "visits", "trips", "vehicles/h")
    if additive and b != "before" and not name.endswith("_top_od"):
        tb, ta = float(np.nansum(before)), float(np.nansum(after))
        pct = _pct(ta - tb, tb)
        pct = f", {pct}" if pct else ""
        text += f": total {format_number(tb, digits)} → {format_number(ta, digits)} {unit}{pct}"
    text += ("; " if text != title else ": ") + "largest changes: " + "; ".join(items)
    if unit and (not additive or name.endswith("_top_od")):
        text += f" ({unit})"
    return [Finding(topic, text + ".")]


def summarize_comparison(
    comparison: Comparison,
    base: Network,
    other: Network,
    *,
    places: Sequence[str | int] = (),
    link_table: pd.DataFrame | None = None,
) -> Summary:
    """The executive summary of `comparison`: what changes, for whom and where.

    Parameters
    ----------
    comparison
        The result of :func:`corridor.compare`.
    base, other
        The two networks compared.
    places
        Places the user asked for (their pairs are kept in :attr:`Summary.touched`).
    link_table
        :func:`corridor.link_changes` of the two networks, if already computed.

    Returns
    -------
    Summary
        Sentences by topic and the touched pairs.

    Examples
    --------
    >>> import corridor
    >>> toy = corridor.examples.toy()
    >>> links = toy.links.copy()
    >>> links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
    >>> fast = toy.with_links(links)
    >>> c = corridor.compare(toy, fast, options=corridor.CompareOptions(
    ...     places=("A", "B", "D"), profiles=("car",), flows=None))
    >>> s = summarize_comparison(c, toy, fast)
    >>> s.sentences()[0]
    'Links: 1 road, rail or ferry link faster: road R2 Bravo road (115 km).'
    >>> s.sentences()[1].split(". ")[1]
    'Largest gain: A → D, −0.2 h (5.4 → 5.2 h).'

    """
    from corridor.analysis.link_changes import link_changes

    links = link_changes(base, other) if link_table is None else link_table
    touched = touched_pairs(comparison, places)
    findings: list[Finding] = _network_findings(base, other, links)
    kinds = {p: profile_kind(p) for p in comparison.options.profiles}
    for p in comparison.options.profiles:
        if kinds[p] == "freight":
            findings += _profile_findings(comparison, touched, p, "logistics")
            shift = _mode_shift(comparison, touched, p)
            if shift is not None:
                findings.append(shift)
    if "crossing_loads" in comparison.extra:
        findings += _crossing_load_findings(comparison.extra["crossing_loads"])
    for name, table in comparison.extra.items():
        findings += [f for f in _extra_findings(name, table) if f.topic == "logistics"]
    for p in comparison.options.profiles:
        if kinds[p] != "freight":
            findings += _profile_findings(comparison, touched, p, "travellers")
    for name, table in comparison.extra.items():
        findings += [f for f in _extra_findings(name, table) if f.topic == "tourism"]
    findings += _accessibility_findings(comparison)
    findings += _country_findings(comparison)
    return Summary(
        title=f"{comparison.base} → {comparison.other}",
        findings=tuple(findings),
        touched=touched,
    )
