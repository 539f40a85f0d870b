"""Freight zones and sea gateways, each represented by one city node of the network.

Zones are Chinese province groups, Russian federal districts, the neighbours as single
zones and the EU as two zones (the network reaches Germany and Poland). Each zone names
its representative city and country; :func:`zone_nodes` finds that city among the
network's ``city`` nodes (never by a bare name: the country is part of the key, so a
homonym elsewhere cannot be picked). Proxies (population, GDP share, production shares)
spread a trade lane's tonnes over the zones of a group (:mod:`.demand`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corridor.analysis.freight.files import read_yaml, require
from corridor.errors import UnknownNodeError, ValidationError
from corridor.model.network import Network

__all__ = ["Port", "Zone", "ZoneSet", "load_zones", "zone_nodes"]


@dataclass(frozen=True, slots=True)
class Zone:
    """A demand zone.

    Attributes
    ----------
    id, name
        Identity.
    group
        The trading partner the statistics report it under (CN, RU, EU, ...).
    node, country
        The representative city (network node name) and its country.
    proxies
        Proxy name -> value (population, GDP share, production shares).
    """

    id: str
    name: str
    group: str
    node: str
    country: str
    proxies: dict[str, float] = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Port:
    """A sea gateway: a port city of the network."""

    id: str
    name: str
    node: str
    country: str


@dataclass(frozen=True, slots=True)
class ZoneSet:
    """Zones, ports and the sources of the proxies."""

    zones: tuple[Zone, ...]
    ports: tuple[Port, ...]
    proxy_sources: dict[str, str] = field(hash=False, compare=False)
    source: str = "<zones>"

    def groups(self) -> tuple[str, ...]:
        """The groups, in order of first appearance."""
        return tuple(dict.fromkeys(z.group for z in self.zones))

    def shares(self, group: str, proxy: str) -> tuple[tuple[Zone, ...], np.ndarray]:
        """The zones of `group` and their shares of it by `proxy` (summing to 1).

        Raises
        ------
        ValidationError
            If the group has no zones, the proxy is unknown, or its values sum to 0.
        """
        members = tuple(z for z in self.zones if z.group == group)
        if not members:
            raise ValidationError(
                f"{self.source}: no zone in group {group!r}; groups are {list(self.groups())}"
            )
        if proxy not in self.proxy_sources:
            raise ValidationError(
                f"{self.source}: unknown proxy {proxy!r}; proxies are {sorted(self.proxy_sources)}"
            )
        w = np.array([z.proxies.get(proxy, 0.0) for z in members], dtype=np.float64)
        if not w.sum() > 0:
            raise ValidationError(f"{self.source}: proxy {proxy!r} sums to 0 over group {group!r}")
        return members, w / w.sum()


def load_zones(path: str | Path | None = None) -> ZoneSet:
    """The zones and ports from `path`, or the bundled ``data/zones.yaml``.

    Raises
    ------
    DataSourceError
        If the file cannot be read or parsed.
    ValidationError
        Naming the file, row and field at fault (missing, negative proxy, duplicate id).
    """
    data, label = read_yaml(path, "zones.yaml")
    proxies = data.get("proxies")
    if not isinstance(proxies, dict) or not proxies:
        raise ValidationError(f"{label}: needs a mapping 'proxies' (proxy -> its source)")
    rows = data.get("zones")
    if not isinstance(rows, list) or not rows:
        raise ValidationError(f"{label}: needs a non-empty list 'zones'")
    zones: list[Zone] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        where = f"{label}: zone {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where}: must be a mapping")
        zid = str(require(row, "id", where, str))
        if zid in seen:
            raise ValidationError(f"{where} ({zid}): id given twice")
        seen.add(zid)
        values: dict[str, float] = {}
        for name in proxies:
            v = float(require(row, name, f"{where} ({zid})", (int, float)))
            if not v >= 0:
                raise ValidationError(f"{where} ({zid}): proxy {name} must be >= 0, got {v!r}")
            values[str(name)] = v
        zones.append(
            Zone(
                id=zid,
                name=str(row.get("name", zid)),
                group=str(require(row, "group", where, str)),
                node=str(require(row, "node", where, str)),
                country=str(require(row, "country", where, str)),
                proxies=values,
            )
        )
    ports: list[Port] = []
    for i, row in enumerate(data.get("ports") or [], start=1):
        where = f"{label}: port {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where}: must be a mapping")
        pid = str(require(row, "id", where, str))
        if pid in seen:
            raise ValidationError(f"{where} ({pid}): id given twice")
        seen.add(pid)
        ports.append(
            Port(
                id=pid,
                name=str(row.get("name", pid)),
                node=str(require(row, "node", where, str)),
                country=str(require(row, "country", where, str)),
            )
        )
    return ZoneSet(
        zones=tuple(zones),
        ports=tuple(ports),
        proxy_sources={str(k): str(v) for k, v in proxies.items()},
        source=label,
    )


def zone_nodes(network: Network, places: tuple[Zone | Port, ...]) -> np.ndarray:
    """Node ids of the cities representing `places`, int64, in order.

    Raises
    ------
    UnknownNodeError
        Listing every place whose city (name and country) is not a city of the network.
    """
    nodes = network.nodes
    cities = nodes[nodes["kind"] == "city"]
    key = dict(
        zip(
            zip(cities["name"].astype(str), cities["country"].astype(str), strict=True),
            cities["node_id"].astype(np.int64),
            strict=True,
        )
    )
    out = np.empty(len(places), dtype=np.int64)
    missing: list[str] = []
    for i, p in enumerate(places):
        found = key.get((p.node, p.country))
        if found is None:
            missing.append(f"{p.id}: {p.node} ({p.country})")
            out[i] = -1
        else:
            out[i] = found
    if missing:
        raise UnknownNodeError(missing, role="freight zone city")
    return out
