"""Scenario comparison: what a project changes for freight, travellers and places.

:func:`compare` takes two networks (a base and a scenario applied to it) and computes,
for the same set of places:

* **OD changes** for each profile (default: truck40 and container40 freight, car and bus
  travellers): least-generalised-cost paths before and after, with time, money, CO2 and
  the border crossings used. Every pair is searched (one Dijkstra per origin on the
  profile's expanded cost graph); the pairs shown in reports (the headline pairs and the
  largest changes) are also built as full :class:`~corridor.paths.route.Route` objects
  with legs and stops, whose door-to-door times include drivers' breaks and rests.
* **Accessibility**: population of the network's cities reachable within 8, 24 and 48 h
  by car (crossing formalities included), per place.
* **Winners and losers**: per place and per country, the mean change in generalised cost
  and time over the place's OD pairs, and the accessibility gain.

Freight is added when requested: where the freight demand model is available, by
:func:`corridor.analysis.freight.comparison.compare_freight` (demand by commodity and mode,
assignment with congested border crossings, impacts and appraisal: ``extra`` tables
``freight_by_commodity_mode``, ``freight_crossings``, ``freight_impacts``, ``appraisal``,
``appraisal_sensitivity`` and more); otherwise by :mod:`corridor.analysis.flows` (gravity
demand and multi-class assignment: ``crossing_loads``, ``link_flows``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridor import defaults
from corridor.analysis.flows import FlowOptions, compare_flows
from corridor.analysis.pairs import METRICS, PairPaths, default_places, pair_paths
from corridor.analysis.pairs import accessibility as place_accessibility
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.paths.html import table_html
from corridor.paths.router import Router, router_for
from corridor.paths.types import Route
from corridor.progress import Progress, ProgressCallback

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CompareOptions", "Comparison", "PairPaths", "compare", "default_places"]

log = logging.getLogger(__name__)

DEFAULT_HEADLINE: tuple[tuple[str, str], ...] = (
    ("Moscow", "Yekaterinburg"),
    ("Kazan", "Yekaterinburg"),
    ("Moscow", "Tyumen"),
    ("Nizhny Novgorod", "Yekaterinburg"),
    ("Moscow", "Kazan"),
    ("Moscow", "Novosibirsk"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareOptions:
    """What :func:`compare` computes.

    Attributes
    ----------
    places
        OD places (names or ids); default :func:`default_places`.
    n_places
        How many of the largest served cities the default takes.
    corridor_ends
        Corridor tags whose end cities join the default places.
    profiles
        Profiles compared (freight and travellers).
    optimize
        Objective of the searched paths: generalized, time, cost or co2.
    hours
        Accessibility thresholds, h.
    access_profile
        Profile of the accessibility times.
    headline
        Pairs always shown in full (skipped when a place is not in the network).
    top_changes
        How many of the largest changes per profile are shown in full.
    flows
        Assumptions of the freight-flow comparison (gravity demand, multi-class
        assignment, crossing loads); None to skip it.
    tourism
        Add the tourism tables (:func:`corridor.compare_tourism`: visits by direction,
        mode, purpose, top OD pairs and land crossings, before/after) to
        :attr:`Comparison.extra`, when the networks hold the tourism model's zones; the
        scenarios given to :func:`compare` supply their demand edits (visa regimes,
        ``scale_demand``).
    """

    places: tuple[str | int, ...] | None = None
    n_places: int = defaults.COMPARE_PLACES
    corridor_ends: tuple[str, ...] = ("M-12", "WE-WC")
    profiles: tuple[str, ...] = defaults.COMPARE_PROFILES
    optimize: str = "generalized"
    hours: tuple[float, ...] = (8.0, 24.0, 48.0)
    access_profile: str = "car"
    headline: tuple[tuple[str, str], ...] = DEFAULT_HEADLINE
    top_changes: int = defaults.COMPARE_TOP_CHANGES
    flows: FlowOptions | None = field(default_factory=FlowOptions)
    tourism: bool = True

    def __post_init__(self) -> None:
        if self.n_places < 2 or self.top_changes < 0 or not self.profiles or not self.hours:
            raise ValidationError(
                "compare needs n_places >= 2, top_changes >= 0, and some profiles and hours"
            )


@dataclass(frozen=True, eq=False, repr=False)
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    base, other
        Names of the two networks.
    od
        One row per (profile, origin, destination) pair with before/after time_h,
        cost_usd, co2_kg, length_km, generalized_usd, crossings, and their changes.
    detail
        The rows shown in full (headline pairs and largest changes), with ``route_key``
        into `routes`; ``time_h`` as :attr:`corridor.Route.time_h` defines it (freight
        door to door; travellers without overnight stops), with its split
        (``driving_h``, ``breaks_h``, ``overnight_h``, ``waiting_h``) and ``elapsed_h``.
    routes
        Full routes by key ``"<before|after>/<profile>/<origin>/<destination>"``.
    accessibility
        Per place: population within each threshold before and after, and the gain.
    by_place, by_country
        Winners and losers.
    options
        What was computed.
    extra
        Further tables added by other analyses (e.g. link flows), by name.
    """

    base: str
    other: str
    od: pd.DataFrame
    detail: pd.DataFrame
    routes: dict[str, Route]
    accessibility: pd.DataFrame
    by_place: pd.DataFrame
    by_country: pd.DataFrame
    options: CompareOptions
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"<Comparison {self.base} -> {self.other}: {len(self.od)} OD rows, "
            f"{len(self.routes)} routes, {len(self.accessibility)} places>"
        )

    def routes_geodataframe(self) -> gpd.GeoDataFrame:
        """The routes shown in full as LineStrings (EPSG:4326), one row per route.

        Columns: ``key``, ``when`` (before/after), ``profile``, ``origin``, ``destination``,
        the route's totals, and ``geometry``.
        """
        import geopandas as gpd

        rows, geometry = [], []
        for key, r in sorted(self.routes.items()):
            when, profile = key.split("/", 2)[:2]
            rows.append(
                {
                    "key": key,
                    "when": when,
                    "profile": profile,
                    "origin": r.origin_name,
                    "destination": r.destination_name,
                    **r.totals(),
                }
            )
            geometry.append(r.geometry)
        return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geometry, crs="EPSG:4326")

    def _repr_html_(self) -> str:
        head = self.headline()
        cols = [c for c in ("profile", "origin", "destination") if c in head]
        deltas = [c for c in ("d_time_h", "d_cost_usd", "d_co2_kg") if c in head]
        befores = [c for c in ("time_h_before", "time_h_after") if c in head]
        shown = head[cols + befores + deltas]
        labels = {
            "time_h_before": "time before (h)",
            "time_h_after": "time after (h)",
            "d_time_h": "Δ time (h)",
            "d_cost_usd": "Δ cost (US$)",
            "d_co2_kg": "Δ CO2 (kg)",
        }
        return table_html(
            [labels.get(c, c) for c in shown.columns],
            list(shown.itertuples(index=False, name=None)),
            caption=f"{self.base} → {self.other}: headline pairs ({len(self.od):,} OD rows)",
        )

    def headline(self) -> pd.DataFrame:
        """The headline rows of :attr:`detail` (the pairs asked for in the options)."""
        return self.detail[self.detail["headline"]].reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, for writing to CSV/Parquet."""
        out = {
            "od": self.od,
            "detail": self.detail,
            "accessibility": self.accessibility,
            "by_place": self.by_place,
            "by_country": self.by_country,
        }
        out.update(self.extra)
        return out


def _od_table(profile: str, before: PairPaths, after: PairPaths, names: pd.Series) -> pd.DataFrame:
    n = before.place_ids.size
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    label = dict(zip(names.index.tolist(), names.tolist(), strict=True))
    frame: dict[str, Any] = {
        "profile": profile,
        "origin_id": before.place_ids[i],
        "destination_id": before.place_ids[j],
        "origin": [label[k] for k in before.place_ids[i].tolist()],
        "destination": [label[k] for k in before.place_ids[j].tolist()],
    }
    for m in METRICS:
        b = before.metrics[m][i, j]
        a = after.metrics[m][i, j]
        frame[f"{m}_before"] = b
        frame[f"{m}_after"] = a
        with np.errstate(invalid="ignore"):
            frame[f"d_{m}"] = np.where(np.isfinite(a) & np.isfinite(b), a - b, np.nan)
    frame["crossings_before"] = [
        " / ".join(before.crossings[x][y]) for x, y in zip(i, j, strict=True)
    ]
    frame["crossings_after"] = [
        " / ".join(after.crossings[x][y]) for x, y in zip(i, j, strict=True)
    ]
    frame["crossing_changed"] = np.array(frame["crossings_before"]) != np.array(
        frame["crossings_after"]
    )
    return pd.DataFrame(frame)


def compare(
    base: Network,
    other: Network,
    *,
    options: CompareOptions | None = None,
    progress: ProgressCallback | None = None,
    scenarios: tuple[Any, Any] | None = None,
) -> Comparison:
    """Compare two networks for freight, travellers and places.

    Parameters
    ----------
    base, other
        The network before and after (e.g. two scenarios applied to the embedded network).
    options
        Places, profiles, objective, thresholds; see :class:`CompareOptions`.
    scenarios
        The two scenarios behind the networks, if any: the freight model reads their demand
        settings and the appraisal their investment cost.
    progress
        Called before each step with a :class:`~corridor.progress.Progress` of phase
        ``"compare"``, counting ``"steps"`` (two per profile for the paths before and after,
        two for accessibility, one for the shown routes, one for freight flows if asked),
        with the step in ``message``; and once more at the end with ``done == total``.

    Returns
    -------
    Comparison
        OD changes, routes of the shown pairs, accessibility, winners and losers.

    Raises
    ------
    UnknownNodeError
        If a place is not in both networks.
    ValidationError
        If an option is invalid (e.g. an unknown profile).
    """
    opts = options or CompareOptions()
    router = router_for(base)
    if opts.places is None:
        place_ids = default_places(base, opts.n_places, opts.corridor_ends)
    else:
        place_ids = np.asarray(
            [router.places.resolve(p, role="place") for p in opts.places], dtype=np.int64
        )
    missing = sorted(set(place_ids.tolist()) - set(other.nodes["node_id"].tolist()))
    if missing:
        raise ValidationError(f"places {missing[:5]} are not in the network {other.name!r}")
    names = base.nodes.set_index("node_id")["name"]
    steps = 2 * len(opts.profiles) + 3 + (0 if opts.flows is None else 1)

    def say(message: str, done: int) -> None:
        if progress is not None:
            progress(Progress("compare", done, steps, unit="steps", message=message))

    tables: list[pd.DataFrame] = []
    paths: dict[tuple[str, str], PairPaths] = {}
    done = 0
    for prof in opts.profiles:
        for label, net in (("before", base), ("after", other)):
            say(f"{prof}: paths {label}", done)
            paths[(prof, label)] = pair_paths(net, prof, place_ids, opts.optimize)
            done += 1
        tables.append(_od_table(prof, paths[(prof, "before")], paths[(prof, "after")], names))
    od = pd.concat(tables, ignore_index=True)
    say("accessibility", done)
    acc_b = place_accessibility(base, opts.access_profile, place_ids, opts.hours)
    acc_a = place_accessibility(other, opts.access_profile, place_ids, opts.hours)
    done += 2
    accessibility = _merge_access(acc_b, acc_a, base, opts.hours)
    say("routes of the shown pairs", done)
    detail, routes = _detail(base, other, od, paths, opts)
    done += 1
    by_place, by_country = _winners(od, accessibility, opts)
    extra: dict[str, pd.DataFrame] = {}
    if opts.flows is not None:
        from corridor.analysis.freight.comparison import compare_freight, freight_model_available

        if freight_model_available(base, other):  # the freight model replaces the gravity flows
            say("freight: demand by commodity, assignment with border congestion, appraisal", done)
            base_sc, other_sc = scenarios or (None, None)
            extra.update(compare_freight(base, other, base_sc, other_sc))
        else:
            say("freight flows: gravity demand and assignment", done)
            flows = compare_flows(base, other, options=opts.flows)
            extra["crossing_loads"] = flows.crossings
            extra["link_flows"] = flows.links
        done += 1
    if opts.tourism:
        extra.update(_tourism_tables(base, other, scenarios))
    say("done", done)
    log.info(
        "compared %s -> %s: %d OD rows, %d routes", base.name, other.name, len(od), len(routes)
    )
    return Comparison(
        base=base.name,
        other=other.name,
        od=od,
        detail=detail,
        routes=routes,
        accessibility=accessibility,
        by_place=by_place,
        by_country=by_country,
        options=opts,
        extra=extra,
    )


def _tourism_tables(
    base: Network, other: Network, scenarios: tuple[Any, Any] | None
) -> dict[str, pd.DataFrame]:
    """The tourism tables, or none when the networks lack the model's zones."""
    from corridor.analysis.tourism.api import compare_tourism, ensure_zones

    if not (ensure_zones(base) and ensure_zones(other)):
        log.info("tourism: the networks lack the tourism zones; no tourism tables")
        return {}
    base_sc, other_sc = scenarios or (None, None)
    return compare_tourism(base, other, base_sc, other_sc)


def _merge_access(
    before: pd.DataFrame, after: pd.DataFrame, network: Network, hours: Sequence[float]
) -> pd.DataFrame:
    nodes = network.nodes.set_index("node_id")
    out = pd.DataFrame(
        {
            "node_id": before["node_id"],
            "place": nodes.loc[before["node_id"], "name"].to_numpy(),
            "country": nodes.loc[before["node_id"], "country"].to_numpy(),
            "population": nodes.loc[before["node_id"], "population"].to_numpy(),
        }
    )
    for h in hours:
        col = f"pop_within_{h:g}h"
        out[f"{col}_before"] = before[col].to_numpy()
        out[f"{col}_after"] = after[col].to_numpy()
        out[f"d_{col}"] = out[f"{col}_after"] - out[f"{col}_before"]
    return out


def _detail(
    base: Network,
    other: Network,
    od: pd.DataFrame,
    paths: dict[tuple[str, str], PairPaths],
    opts: CompareOptions,
) -> tuple[pd.DataFrame, dict[str, Route]]:
    """Full routes before and after for the headline pairs and the largest changes."""
    router_b, router_a = router_for(base), router_for(other)
    want: list[tuple[str, int, int, bool]] = []
    for o_name, d_name in opts.headline:
        try:
            o = router_b.places.resolve(o_name)
            d = router_b.places.resolve(d_name)
        except LookupError:
            continue
        for prof in opts.profiles:
            want.append((prof, o, d, True))
    for prof in opts.profiles:
        rows = od[(od["profile"] == prof) & od["d_generalized_usd"].notna()]
        top = rows.reindex(rows["d_generalized_usd"].abs().sort_values(ascending=False).index)
        top = top[top["d_generalized_usd"].abs() > 1e-6].head(opts.top_changes)
        pairs = zip(top["origin_id"].tolist(), top["destination_id"].tolist(), strict=True)
        want += [(prof, int(o), int(d), False) for o, d in pairs]
    seen: set[tuple[str, int, int]] = set()
    routes: dict[str, Route] = {}
    records: list[dict[str, Any]] = []
    for prof, o, d, headline in want:
        if (prof, o, d) in seen:
            continue
        seen.add((prof, o, d))
        rec: dict[str, Any] = {"profile": prof, "headline": headline}
        for label, router in (("before", router_b), ("after", router_a)):
            r = _full_route(router, prof, o, d, opts.optimize)
            key = f"{label}/{prof}/{o}/{d}"
            if r is not None:
                routes[key] = r
            rec.update(_route_record(r, label, key))
        rec["origin"] = router_b.labels.name(o)
        rec["destination"] = router_b.labels.name(d)
        for m in _ROUTE_METRICS:
            rec[f"d_{m}"] = rec[f"{m}_after"] - rec[f"{m}_before"]
        records.append(rec)
    cols = ["profile", "origin", "destination", "headline"]
    detail = pd.DataFrame(records)
    if len(detail):
        detail = detail[cols + [c for c in detail.columns if c not in cols]]
    return detail, routes


_ROUTE_METRICS = (
    "time_h",
    "cost_usd",
    "co2_kg",
    "length_km",
    "driving_h",
    "breaks_h",
    "overnight_h",
    "waiting_h",
    "elapsed_h",
)
"""What the detail table keeps of each route shown in full (before, after, change)."""


def _full_route(router: Router, prof: str, o: int, d: int, optimize: str) -> Route | None:
    """The route behind a comparison cell: exactly what :func:`corridor.route` gives."""
    try:
        return router.route(o, d, profile=prof, optimize=optimize)
    except LookupError:
        return None


def _route_record(r: Route | None, label: str, key: str) -> dict[str, Any]:
    if r is None:
        return {f"{m}_{label}": math.inf for m in _ROUTE_METRICS} | {
            f"crossings_{label}": "",
            f"route_{label}": "",
        }
    crossings = " / ".join(s.name for s in r.stops if s.kind == "border_crossing")
    return {
        **{f"{m}_{label}": float(getattr(r, m)) for m in _ROUTE_METRICS},
        f"crossings_{label}": crossings,
        f"route_{label}": key,
    }


def _winners(
    od: pd.DataFrame, access: pd.DataFrame, opts: CompareOptions
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean change per place over its OD pairs (as origin or destination), and by country."""
    both = pd.concat(
        [
            od.rename(columns={"origin_id": "node_id"})[
                ["node_id", "profile", "d_time_h", "d_generalized_usd"]
            ],
            od.rename(columns={"destination_id": "node_id"})[
                ["node_id", "profile", "d_time_h", "d_generalized_usd"]
            ],
        ]
    )
    per = both.groupby(["node_id", "profile"])[["d_time_h", "d_generalized_usd"]].mean()
    wide = pd.DataFrame(per.unstack("profile"))
    level0 = wide.columns.get_level_values(0).tolist()
    level1 = wide.columns.get_level_values(1).tolist()
    wide.columns = pd.Index([f"{m}_{p}" for m, p in zip(level0, level1, strict=True)])
    longest = f"d_pop_within_{max(opts.hours):g}h"
    mid = f"d_pop_within_{sorted(opts.hours)[len(opts.hours) // 2]:g}h"
    keep = list(dict.fromkeys(["node_id", "place", "country", "population", mid, longest]))
    by_place = access[keep].merge(wide.reset_index(), on="node_id", how="left")
    by_place["mean_d_time_h"] = (
        per["d_time_h"].groupby("node_id").mean().reindex(by_place["node_id"]).to_numpy()
    )
    by_place["mean_d_generalized_usd"] = (
        per["d_generalized_usd"].groupby("node_id").mean().reindex(by_place["node_id"]).to_numpy()
    )
    by_place = by_place.sort_values("mean_d_generalized_usd", kind="stable").reset_index(drop=True)
    # by country: population-weighted means over its places
    w = by_place["population"].clip(lower=1).astype(float)
    tmp = pd.DataFrame(
        {
            "country": by_place["country"],
            "w": w,
            "population": by_place["population"],
            "wt": w * by_place["mean_d_time_h"].fillna(0.0),
            "wg": w * by_place["mean_d_generalized_usd"].fillna(0.0),
            mid: by_place[mid],
            longest: by_place[longest],
        }
    )
    sums = tmp.groupby("country").sum()
    by_country = pd.DataFrame(
        {
            "places": tmp.groupby("country").size(),
            "population": sums["population"],
            "mean_d_time_h": sums["wt"] / sums["w"],
            "mean_d_generalized_usd": sums["wg"] / sums["w"],
            mid: sums[mid],
            longest: sums[longest],
        }
    )
    by_country = by_country.reset_index().sort_values("mean_d_generalized_usd", kind="stable")
    return by_place, by_country.reset_index(drop=True)
