"""Scenario edits: frozen values, each a pure function from a network to a new network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
import shapely

from corridor.errors import ValidationError
from corridor.model.lookup import PlaceIndex
from corridor.model.network import Network
from corridor.units import haversine_km

__all__ = [
    "AddFlight",
    "AddRoute",
    "AsOf",
    "CloseCrossing",
    "CloseLinks",
    "DropFlight",
    "Edit",
    "LinkSelector",
    "ReopenLinks",
    "ScaleDemand",
    "SetCrossing",
    "SetLinks",
    "SetVisa",
]


_LONG_AGO = pd.Timestamp("1900-01-01")
"""Closing date used when an edit closes something for good."""


class Edit(Protocol):
    """An edit: `apply(network) -> network`, never modifying its argument."""

    def apply(self, network: Network) -> Network:
        """Return the edited network."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkSelector:
    """Which links an edit touches; every given criterion must hold (logical and).

    Attributes
    ----------
    link_ids
        Explicit link ids.
    ref
        Route reference, e.g. "M-12" (exact, case-insensitive).
    corridor
        A corridor tag, e.g. "WE-WC".
    mode
        "road", "rail", ...
    between
        Two place names: links on the least-distance path of the same mode(s) between them.
    """

    link_ids: tuple[int, ...] = ()
    ref: str | None = None
    corridor: str | None = None
    mode: str | None = None
    between: tuple[str, str] | None = None

    def select(self, network: Network) -> np.ndarray:
        """Boolean mask over ``network.links``; raises if nothing matches."""
        links = network.links
        mask = np.ones(len(links), bool)
        if self.link_ids:
            unknown = sorted(set(self.link_ids) - set(links["link_id"].tolist()))
            if unknown:
                raise ValidationError(f"link ids {unknown[:5]} are not in the network")
            mask &= links["link_id"].isin(self.link_ids).to_numpy()
        if self.ref is not None:
            mask &= (links["ref"].str.casefold() == self.ref.casefold()).to_numpy()
        if self.corridor is not None:
            wanted = self.corridor.casefold()
            tags = [str(t).casefold().split(";") for t in links["corridors"]]
            mask &= np.array([wanted in t for t in tags], dtype=bool)
        if self.mode is not None:
            mask &= (links["mode"] == self.mode).to_numpy()
        if self.between is not None:
            mask &= _links_between(network, self.between, self.mode)
        if not mask.any():
            raise ValidationError(f"no link matches {self.describe()}")
        return mask

    def describe(self) -> str:
        """A short human description."""
        parts = [
            f"{k}={v!r}"
            for k in ("link_ids", "ref", "corridor", "mode", "between")
            if (v := getattr(self, k))
        ]
        return "links(" + ", ".join(parts) + ")"


def _links_between(network: Network, places: tuple[str, str], mode: str | None) -> np.ndarray:
    from corridor.errors import NoPathError
    from corridor.model.validate import Optimize
    from corridor.paths.router import router_for

    router = router_for(network)
    a = router.resolve(places[0], "place")
    b = router.resolve(places[1], "place")
    try:
        found = router.plain(a, b, modes=mode, optimize=Optimize.DISTANCE)
    except NoPathError:
        raise ValidationError(
            f"no {mode or 'any'} path between {places[0]} and {places[1]}"
        ) from None
    return np.asarray(network.links["link_id"].isin(found.link_ids).to_numpy(), dtype=bool)


@dataclass(frozen=True, slots=True)
class AsOf:
    """The network as it stood on a date (links and crossings by their opened/closed dates)."""

    date: pd.Timestamp

    def apply(self, network: Network) -> Network:
        """Return ``network.as_of(date)``."""
        return network.as_of(self.date)


@dataclass(frozen=True, slots=True)
class CloseLinks:
    """Close the selected links from a date (default: a date before every record)."""

    links: LinkSelector
    date: pd.Timestamp = _LONG_AGO

    def apply(self, network: Network) -> Network:
        """Set `closed` on the selected links."""
        mask = self.links.select(network)
        links = network.links.copy()
        links.loc[mask, "closed"] = self.date
        return network.with_links(links)


@dataclass(frozen=True, slots=True)
class ReopenLinks:
    """Clear the `closed` date of the selected links."""

    links: LinkSelector

    def apply(self, network: Network) -> Network:
        """Set `closed` to NaT on the selected links."""
        mask = self.links.select(network)
        links = network.links.copy()
        links.loc[mask, "closed"] = pd.NaT
        return network.with_links(links)


@dataclass(frozen=True, slots=True, kw_only=True)
class SetLinks:
    """Set speed, capacity, toll or lanes on the selected links (None leaves a field alone)."""

    links: LinkSelector
    speed_kmh: float | None = None
    capacity_veh_h: float | None = None
    toll_usd: float | None = None
    lanes: int | None = None

    def apply(self, network: Network) -> Network:
        """Return the network with the fields set."""
        mask = self.links.select(network)
        links = network.links.copy()
        for field in ("speed_kmh", "capacity_veh_h", "toll_usd", "lanes"):
            value = getattr(self, field)
            if value is not None:
                links.loc[mask, field] = value
        return network.with_links(links)


def _crossing_id(network: Network, crossing: str) -> int:
    nodes = network.nodes
    index = PlaceIndex(nodes[nodes["kind"] == "border_crossing"])
    return index.resolve(crossing, role="border crossing")


@dataclass(frozen=True, slots=True)
class CloseCrossing:
    """Close a border crossing for one mode (or all): its links of that mode are closed."""

    crossing: str
    mode: str | None = None

    def apply(self, network: Network) -> Network:
        """Close every link of the mode that touches the crossing node."""
        node = _crossing_id(network, self.crossing)
        links = network.links.copy()
        touch = (links["a_node"] == node) | (links["b_node"] == node)
        if self.mode is not None:
            touch &= links["mode"] == self.mode
        if not touch.any():
            raise ValidationError(f"crossing {self.crossing!r} has no {self.mode or ''} links")
        links.loc[touch, "closed"] = _LONG_AGO
        return network.with_links(links)


@dataclass(frozen=True, slots=True, kw_only=True)
class SetCrossing:
    """Change a crossing's delay or fee for a mode and direction ("both" for either)."""

    crossing: str
    mode: str
    direction: str = "both"
    delay_h: float | None = None
    delay_factor: float | None = None
    fee_usd: float | None = None
    vehicles: str | None = None
    passenger_delay_h: float | None = None
    hours: str | None = None

    def apply(self, network: Network) -> Network:
        """Return the network with the crossing rows changed."""
        node = _crossing_id(network, self.crossing)
        rows = network.crossings.copy()
        mask = (rows["node_id"] == node) & (rows["mode"] == self.mode)
        if self.direction != "both":
            mask &= rows["direction"] == self.direction
        if not mask.any():
            raise ValidationError(
                f"crossing {self.crossing!r} has no {self.mode} figures for {self.direction}"
            )
        if self.delay_factor is not None:
            for col in ("delay_p10_h", "delay_p50_h", "delay_p90_h"):
                rows.loc[mask, col] = rows.loc[mask, col] * self.delay_factor
        if self.delay_h is not None:
            # the median becomes delay_h; the percentiles keep their order around it
            rows.loc[mask, "delay_p50_h"] = self.delay_h
            rows.loc[mask, "delay_p10_h"] = rows.loc[mask, "delay_p10_h"].clip(upper=self.delay_h)
            rows.loc[mask, "delay_p90_h"] = rows.loc[mask, "delay_p90_h"].clip(lower=self.delay_h)
        if self.fee_usd is not None:
            rows.loc[mask, "fee_usd"] = self.fee_usd
        if self.vehicles is not None:  # who may cross: all, passenger, freight, car ...
            rows.loc[mask, "vehicles"] = self.vehicles
        if self.passenger_delay_h is not None:
            rows.loc[mask, "passenger_delay_h"] = self.passenger_delay_h
        if self.hours is not None:  # "24/7" or "HH:MM-HH:MM local" (corridor.model.hours)
            rows.loc[mask, "hours"] = self.hours
        return network.with_crossings(rows)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddRoute:
    """Add a route through an ordered list of places: one link between each pair.

    Lengths are great-circle distance x `circuity` unless `length_km` gives the total
    (then shared in proportion to great-circle distance).
    """

    places: tuple[str, ...]
    mode: str
    speed_kmh: float
    link_class: str = ""
    ref: str = ""
    name: str = ""
    lanes: int = 0
    opened: pd.Timestamp | None = None
    length_km: float | None = None
    circuity: float = 1.2
    toll_usd: float = 0.0
    gauge_mm: float | None = None
    capacity_veh_h: float | None = None

    def apply(self, network: Network) -> Network:
        """Return the network with the new links appended (ids after the largest)."""
        from corridor.data.gazetteer import load_gazetteer

        # the same lookup as routes: a name a larger town outside the network bears is refused
        index = PlaceIndex(network.nodes, gazetteer=load_gazetteer())
        ids = [index.resolve(p, role="place") for p in self.places]
        nodes = network.nodes.set_index("node_id").loc[ids]
        lon, lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()
        gc = haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:])
        if self.length_km is not None:
            lengths = gc / gc.sum() * self.length_km
            provenance = f"scenario: published total {self.length_km:g} km shared by distance"
        else:
            lengths = gc * self.circuity
            provenance = f"scenario: great-circle x circuity {self.circuity:g}"
        start = int(network.links["link_id"].max()) + 1 if len(network.links) else 0
        new = pd.DataFrame(
            {
                "link_id": np.arange(start, start + len(ids) - 1),
                "a_node": ids[:-1],
                "b_node": ids[1:],
                "mode": self.mode,
                "class": self.link_class,
                "ref": self.ref,
                "name": self.name,
                "length_km": lengths,
                "speed_kmh": self.speed_kmh,
                "lanes": self.lanes,
                "toll_usd": self.toll_usd * lengths / lengths.sum(),
                "gauge_mm": np.nan if self.gauge_mm is None else self.gauge_mm,
                "electrified": False,
                "capacity_veh_h": np.nan if self.capacity_veh_h is None else self.capacity_veh_h,
                "opened": self.opened if self.opened is not None else pd.NaT,
                "country": nodes["country"].to_numpy()[:-1],
                "provenance": provenance,
                "geometry": [
                    shapely.LineString([(lon[i], lat[i]), (lon[i + 1], lat[i + 1])])
                    for i in range(len(ids) - 1)
                ],
            }
        )
        links = pd.concat([network.links, new], ignore_index=True)
        return network.with_links(links)


@dataclass(frozen=True, slots=True)
class ScaleDemand:
    """Scale the scenario's demand by a factor (read by demand models, not the network)."""

    factor: float

    def apply(self, network: Network) -> Network:
        """Demand is not part of the network: returns it unchanged."""
        return network


VISA_REGIMES: tuple[str, ...] = ("visa", "e_visa", "group_visa_free", "visa_free")
"""Visa regimes a :class:`SetVisa` edit may set (most to least restrictive)."""


@dataclass(frozen=True, slots=True)
class SetVisa:
    """Set the visa regime for individuals of one country entering another from a date.

    Read by the tourism model (:mod:`corridor.analysis.tourism`); the network is
    unchanged. ``group_visa_free`` exempts organised groups only (and border day trips).
    """

    from_country: str
    to_country: str
    regime: str
    from_date: dt.date

    def __post_init__(self) -> None:
        if self.regime not in VISA_REGIMES:
            raise ValidationError(
                f"visa regime {self.regime!r} is not one of {', '.join(VISA_REGIMES)}"
            )
        if self.from_country == self.to_country:
            raise ValidationError(
                f"a visa rule joins two countries (got {self.from_country} twice)"
            )

    def apply(self, network: Network) -> Network:
        """Demand-side: returns the network unchanged."""
        return network


@dataclass(frozen=True, slots=True)
class DropFlight:
    """Drop a direct air route (both directions): its boarding and flight links close.

    `route` is the pair of IATA codes as the network's flight links carry it in ``ref``
    (e.g. ``"VVO-HRB"``); the reverse spelling (``"HRB-VVO"``) is accepted.
    """

    route: str
    date: pd.Timestamp = _LONG_AGO

    def apply(self, network: Network) -> Network:
        """Close every air link of the route from `date`."""
        links = network.links
        a, _, b = self.route.upper().partition("-")
        refs = {f"{a}-{b}", f"{b}-{a}"}
        mask = (links["mode"] == "air") & links["ref"].str.upper().isin(refs)
        if not mask.any():
            known = sorted(set(links.loc[links["mode"] == "air", "ref"]))[:8]
            raise ValidationError(
                f"no flight {self.route!r} in the network; flights are named by IATA "
                f"pairs such as {', '.join(known)}"
            )
        out = links.copy()
        out.loc[mask, "closed"] = self.date
        return network.with_links(out)


def _airport(network: Network, iata: str) -> pd.Series:
    nodes = network.nodes
    hit = nodes[(nodes["kind"] == "airport") & (nodes["alt_names"].astype(str) == iata)]
    if hit.empty:
        known = sorted(set(nodes.loc[nodes["kind"] == "airport", "alt_names"].astype(str)) - {""})
        raise ValidationError(
            f"no airport {iata!r} in the network; airports are named by IATA code, "
            f"e.g. {', '.join(known[:8])}"
        )
    return hit.iloc[0]


def _passport_control(
    network: Network, nodes: pd.DataFrame, arr: pd.Series, left: str, next_id: int
) -> tuple[int, dict[str, pd.DataFrame]]:
    """The passport control at `arr` for arrivals from `left`: the network's, or a new one
    copied from another airport's control for arrivals from `left` into the same country.
    Returns its node id and the rows to append (nodes, crossings, formalities, links)."""
    iata = str(arr["alt_names"])
    name = f"{iata} passport control (arrivals from {left})"
    hit = nodes[(nodes["kind"] == "border_crossing") & (nodes["name"] == name)]
    if not hit.empty:
        return int(hit.iloc[0]["node_id"]), {}
    like = nodes[
        (nodes["kind"] == "border_crossing")
        & (nodes["country_a"] == left)
        & (nodes["country_b"] == arr["country"])
        & nodes["name"].str.contains("passport control", regex=False)
    ]
    if like.empty:
        raise ValidationError(
            f"no passport control for flights from {left} into {arr['country']} to copy for "
            f"{iata}; add the route to air.yaml instead"
        )
    template = like.iloc[0]
    node = template.copy()
    node["node_id"] = next_id
    node["name"] = name
    node["lon"], node["lat"] = arr["lon"], arr["lat"]
    node["name_b"] = arr["name"]
    node["provenance"] = f"scenario add_flight: entry formalities as at {template['name']}"
    crossings = network.crossings[network.crossings["node_id"] == template["node_id"]].copy()
    crossings["node_id"] = next_id
    formalities = network.formalities[network.formalities["node_id"] == template["node_id"]].copy()
    formalities["node_id"] = next_id
    return next_id, {
        "nodes": pd.DataFrame([node]),
        "crossings": crossings,
        "formalities": formalities,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class AddFlight:
    """Add a direct air route between two airports (both directions), as the embedded
    network's flights are built (:mod:`corridor.data.air`): per direction a gate node, a
    ``boarding`` link with the processing time of the departure airport's other flights
    (domestic or international alike) and the frequency, and a ``flight`` link with the
    block time, fare and ICAO-method CO2; an international flight ends at the arrival
    airport's passport control (copied from another airport's for the same countries
    where it has none).
    """

    a: str
    b: str
    block_h: tuple[float, float]
    flights_week: float
    fare_usd: float | None = None
    opened: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise ValidationError(f"add_flight: a flight joins two airports (got {self.a} twice)")
        if len(self.block_h) != 2 or not all(0.3 <= float(h) <= 14.0 for h in self.block_h):
            raise ValidationError(
                f"add_flight {self.a}-{self.b}: block_h is [a->b, b->a] hours, each in 0.3-14"
            )
        if not self.flights_week > 0:
            raise ValidationError(f"add_flight {self.a}-{self.b}: flights_week must be > 0")

    def apply(self, network: Network) -> Network:
        """Return the network with the route's nodes and links appended."""
        from corridor.data.air import icao_co2_pax_kg
        from corridor.data.recipe import read_recipe

        doc = read_recipe().air
        ap = {k: _airport(network, k) for k in (self.a, self.b)}
        coords = {int(r["node_id"]): (float(r["lon"]), float(r["lat"])) for r in ap.values()}
        nodes = network.nodes
        links = network.links
        next_node = int(nodes["node_id"].max()) + 1
        next_link = int(links["link_id"].max()) + 1
        add: dict[str, list[pd.DataFrame]] = {
            "nodes": [],
            "crossings": [],
            "formalities": [],
            "links": [],
        }
        ref = f"{self.a}-{self.b}"
        for (d, a), block in zip(((self.a, self.b), (self.b, self.a)), self.block_h, strict=True):
            dep, arr = ap[d], ap[a]
            international = dep["country"] != arr["country"]
            gcd = float(haversine_km(dep["lon"], dep["lat"], arr["lon"], arr["lat"]))
            rule = doc["fares"]["international" if international else "domestic"]
            fare = (
                self.fare_usd
                if self.fare_usd is not None
                else float(rule["base_usd"]) + float(rule["usd_per_km"]) * gcd
            )
            classes = sorted(doc["co2"]["classes"].values(), key=lambda c: float(c["max_km"]))
            aircraft = next((c for c in classes if gcd <= float(c["max_km"])), classes[-1])
            co2 = icao_co2_pax_kg(gcd, aircraft, float(doc["co2"]["kg_co2_per_kg_fuel"]))
            proc = doc["processing"]["international_h" if international else "domestic_h"]
            gate = dep.copy()
            gate["node_id"] = next_node
            gate["name"] = f"{d} gate for {a}"
            gate["alt_names"] = ""
            gate["provenance"] = f"scenario add_flight {ref}: departure gate at {dep['name']}"
            add["nodes"].append(pd.DataFrame([gate]))
            coords[next_node] = (float(dep["lon"]), float(dep["lat"]))
            next_node += 1
            head = int(arr["node_id"])
            if international:
                head, rows = _passport_control(network, nodes, arr, str(dep["country"]), next_node)
                coords[head] = (float(arr["lon"]), float(arr["lat"]))
                if rows:
                    next_node += 1
                    for k, v in rows.items():
                        add[k].append(v)
                    add["links"].append(
                        _air_row(
                            network,
                            coords,
                            self.opened,
                            next_link,
                            head,
                            int(arr["node_id"]),
                            "arrival",
                            0.0,
                            1.0,
                            f"{a}-arrivals",
                            str(arr["country"]),
                            {},
                            f"{a} arrivals from {dep['country']}",
                        )
                    )
                    next_link += 1
            add["links"].append(
                _air_row(
                    network,
                    coords,
                    self.opened,
                    next_link,
                    int(dep["node_id"]),
                    int(gate["node_id"]),
                    "boarding",
                    0.0,
                    1.0,
                    ref,
                    str(dep["country"]),
                    {"processing_h": float(proc), "flights_week": self.flights_week},
                    f"{d} boarding for {a}",
                )
            )
            add["links"].append(
                _air_row(
                    network,
                    coords,
                    self.opened,
                    next_link + 1,
                    int(gate["node_id"]),
                    head,
                    "flight",
                    gcd,
                    gcd / float(block),
                    ref,
                    str(dep["country"]),
                    {
                        "block_h": float(block),
                        "flights_week": self.flights_week,
                        "fare_usd": round(fare, 0),
                        "fare_low_usd": round(float(doc["fares"]["low_share"]) * fare, 0),
                        "co2_pax_kg": round(co2, 3),
                        "co2_wtw_pax_kg": round(co2 * float(doc["co2"]["wtw_factor"]), 3),
                    },
                    f"flight {d}-{a}",
                )
            )
            next_link += 2
        out = network.with_nodes(pd.concat([nodes, *add["nodes"]], ignore_index=True))
        if add["crossings"]:
            out = out.with_crossings(
                pd.concat([network.crossings, *add["crossings"]], ignore_index=True)
            )
            out = out.with_formalities(
                pd.concat([network.formalities, *add["formalities"]], ignore_index=True)
            )
        return out.with_links(pd.concat([links, *add["links"]], ignore_index=True))


def _air_row(
    network: Network,
    coords: dict[int, tuple[float, float]],
    opened: pd.Timestamp | None,
    link_id: int,
    a_node: int,
    b_node: int,
    cls: str,
    length_km: float,
    speed_kmh: float,
    ref: str,
    country: str,
    extra: dict[str, float],
    name: str,
) -> pd.DataFrame:
    """One air link row with the network's columns (NaN where air links have none)."""
    pts = [coords[n] for n in (a_node, b_node)]
    row: dict[str, object] = {c: np.nan for c in network.links.columns}
    row.update(
        {
            "link_id": link_id,
            "a_node": a_node,
            "b_node": b_node,
            "oneway": True,
            "mode": "air",
            "class": cls,
            "ref": ref,
            "name": name,
            "length_km": round(length_km, 3),
            "speed_kmh": speed_kmh,
            "lanes": 0,
            "toll_usd": 0.0,
            "toll_car_usd": 0.0,
            "electrified": False,
            "country": country,
            "corridors": "",
            "opened": opened if opened is not None else pd.NaT,
            "closed": pd.NaT,
            "provenance": f"scenario add_flight {ref}",
            "route_id": f"air:{ref}",
            "geometry": shapely.LineString(pts),
            **extra,
        }
    )
    frame = pd.DataFrame([row])
    return frame.astype(
        {
            c: network.links[c].dtype
            for c in frame.columns
            if c in network.links and c != "geometry"
        },
        errors="ignore",
    )
