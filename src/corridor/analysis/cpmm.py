"""ADB/CAREC Corridor Performance Measurement and Monitoring (CPMM) indicators of a route.

* TFI1, time to clear a border-crossing point (h), and TFI2, its cost (US$), for each
  crossing on the route: the delay (with any wait for opening) and the fees.
* TFI3, cost to travel the corridor section, US$ per 500 km per 20 t of cargo:
  ``total cost x (500 / distance_km) x (20 / cargo_t)`` (the normalisation is inferred
  from the published unit).
* TFI4 = SWD, speed with delay: distance / door-to-door time (km/h); SWOD, speed without
  delay: distance / moving time (drivers' rests, stops and waits removed).
* Road/rail break-even distance ``d* = (F_rail - F_road) / (c_road - c_rail)``, with F
  the fixed terminal cost at origin plus destination and c the line-haul cost per km of
  the road and rail profiles.

Sources: https://cpmm.carecprogram.org/2023-report ; https://cpmm.carecprogram.org/?p=133
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridor import defaults
from corridor.costs.profiles import Profile, list_profiles, load_profile
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.model.validate import Optimize
from corridor.paths.route import route
from corridor.paths.types import DepartLike, ProfileLike, Route

__all__ = ["CPMM", "BreakEven", "break_even", "cpmm"]


@dataclass(frozen=True, slots=True)
class BreakEven:
    """Road/rail break-even distance d* = (F_rail - F_road) / (c_road - c_rail).

    ``distance_km`` is inf when rail is not cheaper per km, and 0 when rail's fixed
    costs are not higher.
    """

    road_profile: str
    rail_profile: str
    fixed_road_usd: float
    fixed_rail_usd: float
    road_usd_per_km: float
    rail_usd_per_km: float
    distance_km: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (inf as null)."""
        d = self.distance_km
        return {
            "road_profile": self.road_profile,
            "rail_profile": self.rail_profile,
            "fixed_road_usd": self.fixed_road_usd,
            "fixed_rail_usd": self.fixed_rail_usd,
            "road_usd_per_km": self.road_usd_per_km,
            "rail_usd_per_km": self.rail_usd_per_km,
            "distance_km": None if math.isinf(d) else round(d, 1),
        }


def _fixed(profile: Profile, mode: str) -> float:
    total = 0.0
    for table in (profile.terminal.origin, profile.terminal.destination):
        handling = table.get(mode)  # type: ignore[call-overload]
        if handling is not None:
            total += handling.cost_usd
    return total


def break_even(road: ProfileLike = "truck40", rail: ProfileLike = "container40") -> BreakEven:
    """Break-even distance between a road profile and a rail profile.

    Raises
    ------
    ValidationError
        If `road` has no road parameters or `rail` no rail parameters.

    Examples
    --------
    >>> round(break_even("truck40", "container40").distance_km)
    252
    """
    p_road, p_rail = load_profile(road), load_profile(rail)
    if p_road.road is None or p_rail.rail is None:
        raise ValidationError(
            f"break-even needs a road profile and a rail profile; got {p_road.id!r} "
            f"(road: {p_road.road is not None}) and {p_rail.id!r} (rail: {p_rail.rail is not None})"
        )
    f_road, f_rail = _fixed(p_road, "road"), _fixed(p_rail, "rail")
    c_road, c_rail = p_road.road.cost_per_km_usd, p_rail.rail.cost_per_km_usd
    d = math.inf if c_road <= c_rail else max((f_rail - f_road) / (c_road - c_rail), 0.0)
    return BreakEven(p_road.id, p_rail.id, f_road, f_rail, c_road, c_rail, d)


@dataclass(frozen=True, eq=False)
class CPMM:
    """CPMM indicators of one route.

    Attributes
    ----------
    route
        The route.
    crossings
        One row per border crossing: name, detail, at_km, tfi1_h, tfi2_usd.
    tfi3_usd_per_500km_20t
        Cost per 500 km per 20 t (NaN for travellers).
    swd_kmh, swod_kmh
        Speed with delay (TFI4) and without delay.
    moving_h, delay_h
        Moving time and everything else (stops, waits, drivers' rests).
    break_even
        Road/rail break-even distance.
    """

    route: Route
    crossings: pd.DataFrame
    tfi3_usd_per_500km_20t: float
    swd_kmh: float
    swod_kmh: float
    moving_h: float
    delay_h: float
    break_even: BreakEven

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        tfi3 = self.tfi3_usd_per_500km_20t
        return {
            "route": self.route.to_dict(),
            "crossings": self.crossings.round(4).to_dict(orient="records"),
            "tfi3_usd_per_500km_20t": None if math.isnan(tfi3) else round(tfi3, 2),
            "tfi4_swd_kmh": round(self.swd_kmh, 3),
            "swod_kmh": round(self.swod_kmh, 3),
            "moving_h": round(self.moving_h, 4),
            "delay_h": round(self.delay_h, 4),
            "break_even": self.break_even.to_dict(),
        }


def cpmm(
    network: Network,
    origin: str | int,
    destination: str | int,
    *,
    profile: ProfileLike = defaults.CPMM_PROFILE,
    optimize: Optimize | str = defaults.CPMM_OBJECTIVE,
    modes: str | Iterable[str | Mode] | None = "any",
    road_profile: ProfileLike | None = None,
    rail_profile: ProfileLike | None = None,
    depart: DepartLike | None = None,
) -> CPMM:
    """CAREC CPMM indicators (TFI1-TFI4, SWOD) of a route, and the road/rail break-even.

    Parameters
    ----------
    network
        The network.
    origin, destination
        Node ids or place names.
    profile
        Profile of the route.
    optimize
        Objective of the route.
    modes
        Narrow the profile's modes.
    road_profile, rail_profile
        Profiles compared for the break-even distance. Default: `profile` itself on
        its side (a road-only freight profile is the road side, a rail one the rail
        side) and, on the other, the built-in freight profile of the same load
        (truck20 pairs with container20); else ``truck40`` / ``container40``.
    depart
        Departure time, as for :func:`corridor.route`.

    Returns
    -------
    CPMM

    Raises
    ------
    NoPathError
        If the destination cannot be reached.
    """
    r = route(
        network, origin, destination, modes=modes, optimize=optimize, profile=profile, depart=depart
    )
    prof = load_profile(profile)
    rows = [
        {
            "name": s.name,
            "node_id": s.node_id,
            "detail": s.detail,
            "at_km": s.at_km,
            "tfi1_h": s.time_h + s.wait_h,
            "tfi2_usd": s.cost_usd,
        }
        for s in r.stops
        if s.kind == "border_crossing"
    ]
    table = pd.DataFrame(rows, columns=["name", "node_id", "detail", "at_km", "tfi1_h", "tfi2_usd"])
    moving = r.driving_h + r.moving_h  # the legs' drive and move, no breaks or rests
    km = r.length_km
    tfi3 = r.cost_usd * (500.0 / km) * (20.0 / prof.cargo_t) if km > 0 else math.nan
    return CPMM(
        route=r,
        crossings=table,
        tfi3_usd_per_500km_20t=tfi3,
        swd_kmh=km / r.time_h if r.time_h > 0 else math.nan,
        swod_kmh=km / moving if moving > 0 else math.nan,
        moving_h=moving,
        delay_h=r.time_h - moving,
        break_even=break_even(*break_even_pair(prof, road_profile, rail_profile)),
    )


def break_even_pair(
    profile: Profile, road: ProfileLike | None = None, rail: ProfileLike | None = None
) -> tuple[ProfileLike, ProfileLike]:
    """The road and rail profiles a route's break-even compares (see :func:`cpmm`)."""
    if road is not None and rail is not None:
        return road, rail
    info: dict[str, Any] = profile.summary()
    chosen: dict[str, ProfileLike] = {}
    if info["kind"] == "freight":
        side = "rail" if "rail" in list(info["modes"]) else "road"
        chosen[side] = profile
        other = "road" if side == "rail" else "rail"
        for p in list_profiles():
            s: dict[str, Any] = p.summary()
            other_side = "rail" if "rail" in list(s["modes"]) else "road"
            if s["kind"] == "freight" and other_side == other and s["load"] == info["load"]:
                chosen[other] = p
                break
    return (
        road if road is not None else chosen.get("road", defaults.CPMM_ROAD),
        rail if rail is not None else chosen.get("rail", defaults.CPMM_RAIL),
    )
