"""The UNESCAP time/cost-distance (TCD) analysis of door-to-door routes.

For each route, cumulative cost (US$) and cumulative time (h) are tabulated against
cumulative distance (km): a link (line-haul leg) is a sloped segment, a node (border
crossing, gauge change, transfer, terminal handling) a vertical step with no distance.
Road and rail alternatives (one route per profile) go on one chart, so the break-even
distance, where the cheaper-per-km mode's higher fixed steps are paid off, can be read
from it. This module computes the table; :mod:`corridor.report.charts` draws the chart.

Reference: UNESCAP, Time/cost-distance methodology (2004),
https://www.unescap.org/resources/timecost-distance-methodology ; Beresford & Dubey (1990),
as improved by Banomyong (2000).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridor import defaults
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.model.validate import Optimize
from corridor.paths.route import route
from corridor.paths.types import DepartLike, Leg, ProfileLike, Route

__all__ = ["TCD", "tcd", "tcd_table"]

log = logging.getLogger(__name__)

_TABLE_COLUMNS = [
    "route",
    "step",
    "kind",
    "label",
    "mode",
    "distance_km",
    "time_h",
    "cost_usd",
    "cum_distance_km",
    "cum_time_h",
    "cum_cost_usd",
]


def _route_label(r: Route) -> str:
    km: dict[str, float] = {}
    for leg in r.legs:
        km[leg.mode] = km.get(leg.mode, 0.0) + leg.length_km
    main = max(km, key=lambda m: km[m]) if km else "none"
    return f"{r.profile} ({main})"


def tcd_table(routes: Sequence[Route]) -> pd.DataFrame:
    """The TCD table: one row per link or node of each route, with cumulative sums.

    Each route starts with a row at (0 km, 0 h, $0). The last row of a route has the
    route's totals.
    """
    rows: list[dict[str, Any]] = []
    for r in routes:
        name = _route_label(r)
        km = h = usd = 0.0
        rows.append(
            dict(
                zip(
                    _TABLE_COLUMNS,
                    [name, 0, "start", r.origin_name, "", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                    strict=True,
                )
            )
        )
        for step, item in enumerate(r.sequence(), start=1):
            if isinstance(item, Leg):
                d, t, c = item.length_km, item.time_h, item.cost_usd
                kind, label, mode = "link", f"{item.from_name} - {item.to_name}", item.mode
                if item.ref:
                    label += f" ({item.ref})"
            else:
                d, t, c = 0.0, item.time_h + item.wait_h, item.cost_usd
                kind, label, mode = "node", f"{item.kind}: {item.name}", ""
            km, h, usd = km + d, h + t, usd + c
            rows.append(
                dict(
                    zip(
                        _TABLE_COLUMNS,
                        [name, step, kind, label, mode, d, t, c, km, h, usd],
                        strict=True,
                    )
                )
            )
    return pd.DataFrame(rows, columns=_TABLE_COLUMNS)


@dataclass(frozen=True, eq=False)
class TCD:
    """A time/cost-distance analysis.

    Attributes
    ----------
    routes
        One route per profile.
    table
        See :func:`tcd_table`.
    """

    routes: tuple[Route, ...]
    table: pd.DataFrame

    def __repr__(self) -> str:
        names = ", ".join(_route_label(r) for r in self.routes)
        return f"<TCD {len(self.routes)} routes: {names}>"

    def to_dict(self) -> dict[str, Any]:
        """``{"routes": [...], "table": [...]}``, JSON-ready."""
        table = self.table.round(4)
        return {
            "routes": [r.to_dict() for r in self.routes],
            "table": table.to_dict(orient="records"),
        }


def tcd(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    profiles: Iterable[ProfileLike] = defaults.TCD_PROFILES,
    optimize: Optimize | str = defaults.TCD_OBJECTIVE,
    modes: str | Iterable[str | Mode] | None = "any",
    depart: DepartLike | None = None,
) -> TCD:
    """UNESCAP time/cost-distance analysis of one route per profile.

    Parameters
    ----------
    network
        The network.
    origin, destination
        Node ids or place names.
    profiles
        One route per profile; the default compares road (truck40) and rail with road
        legs (container40).
    optimize
        Objective of each route.
    modes
        Narrow the profiles' modes.
    depart
        Departure time, as for :func:`corridor.route`.

    Returns
    -------
    TCD
        The routes and the table behind the chart; draw it with
        :func:`corridor.write_tcd_chart`.

    Raises
    ------
    ValidationError
        If no profile is given.
    NoPathError
        If a profile cannot reach the destination.

    Examples
    --------
    >>> import corridor
    >>> t = tcd(corridor.examples.toy(), "A", "D")
    >>> t.table.groupby("route")["cum_distance_km"].max().round(0).to_dict()
    {'container40 (rail)': 370.0, 'truck40 (road)': 353.0}
    """
    chosen = list(profiles)
    if not chosen:
        raise ValidationError("tcd needs at least one profile")
    routes = tuple(
        route(
            network,
            origin,
            destination,
            modes=modes,
            optimize=optimize,
            profile=p,
            depart=depart,
        )
        for p in chosen
    )
    return TCD(routes=routes, table=tcd_table(routes))
