"""Sea legs as a lane table, and the door-to-door sea chains built on them.

The network has no sea links. ``data/sea_lanes.yaml`` gives port-to-port time and rate
per lane (container lanes per FEU, bulk lanes per tonne), each used in both directions
(the back-haul rate where given), and a handling cost and dwell time at each port. A sea
chain from zone o to zone d through ports a and b is::

    money = access[o, a] + handling + lane[a, b] + handling + access[b, d]
    time  = the same sum of times

where the access legs are the cheaper (by money) of truck and rail for containers, and of
truck and wagon for bulk, per tonne. :func:`sea_chains` returns every lane's chain for
every pair; the mode choice keeps the chain of least generalised cost per commodity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corridor._typing import FloatArray
from corridor.analysis.freight.files import read_yaml, require
from corridor.errors import ValidationError

__all__ = ["SeaChains", "SeaLane", "load_sea_lanes", "sea_chains"]


@dataclass(frozen=True, slots=True)
class SeaLane:
    """One direction of a sea lane between two gateway ports."""

    cargo: str
    origin_port: str
    destination_port: str
    time_h: float
    cost_usd: float  # per FEU (container) or per tonne (bulk)
    source: str


@dataclass(frozen=True, slots=True)
class SeaLanes:
    """The lanes and the port handling per cargo class."""

    lanes: tuple[SeaLane, ...]
    handling_cost: dict[str, float]  # per FEU (container) or per tonne (bulk), each port
    handling_time_h: dict[str, float]
    source: str


@dataclass(frozen=True, eq=False)
class SeaChains:
    """Door-to-door sea chains for one cargo class.

    Attributes
    ----------
    money_usd_per_t, time_h
        ``(n_lanes, n, n)``: each lane's chain between every pair of places (``inf`` where
        an access leg is missing).
    ports
        ``(origin_port, destination_port)`` of each lane.
    """

    money_usd_per_t: FloatArray
    time_h: FloatArray
    ports: tuple[tuple[str, str], ...]


def load_sea_lanes(path: str | Path | None = None, year: int | None = None) -> SeaLanes:
    """The sea lanes of `year` from `path`, or the bundled ``data/sea_lanes.yaml``.

    A lane may carry ``by_year: {<year>: {time_h, cost_usd, reverse_cost_usd, source}}``
    (e.g. 2023, before the Red Sea diversions); other years use its main values.

    Raises
    ------
    DataSourceError
        If the file cannot be read or parsed.
    ValidationError
        Naming the file, lane and field that is missing or not positive.
    """
    data, label = read_yaml(path, "sea_lanes.yaml")
    handling = data.get("handling")
    if not isinstance(handling, dict) or {"container", "bulk"} - set(handling):
        raise ValidationError(f"{label}: needs 'handling' with 'container' and 'bulk' entries")
    cost = {
        "container": float(
            require(handling["container"], "cost_usd", f"{label}: handling.container", (int, float))
        ),
        "bulk": float(
            require(handling["bulk"], "cost_usd_per_t", f"{label}: handling.bulk", (int, float))
        ),
    }
    time = {
        k: float(require(handling[k], "time_h", f"{label}: handling.{k}", (int, float)))
        for k in ("container", "bulk")
    }
    lanes: list[SeaLane] = []
    for i, row in enumerate(data.get("lanes") or [], start=1):
        where = f"{label}: lane {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where}: must be a mapping")
        cargo = str(require(row, "cargo", where, str))
        by_year = row.get("by_year") or {}
        if year is not None and year in by_year:
            override = by_year[year]
            if not isinstance(override, dict) or "source" not in override:
                raise ValidationError(f"{where}: by_year.{year} needs its values and a source")
            row = {**row, **override}
        if cargo not in ("container", "bulk"):
            raise ValidationError(f"{where}: cargo must be 'container' or 'bulk', got {cargo!r}")
        key = "cost_usd" if cargo == "container" else "cost_usd_per_t"
        rate = float(require(row, key, where, (int, float)))
        back = float(row.get("reverse_cost_usd", rate)) if cargo == "container" else rate
        hours = float(require(row, "time_h", where, (int, float)))
        if not (rate > 0 and back > 0 and hours > 0):
            raise ValidationError(f"{where}: {key}, reverse rate and time_h must be positive")
        source = str(require(row, "source", where, str))
        to = str(require(row, "to", where, str))
        for origin in require(row, "from", where, list):
            lanes.append(SeaLane(cargo, str(origin), to, hours, rate, source))
            lanes.append(SeaLane(cargo, to, str(origin), hours, back, source))
    if not lanes:
        raise ValidationError(f"{label}: needs a non-empty list 'lanes'")
    return SeaLanes(tuple(lanes), cost, time, label)


def sea_chains(
    lanes: SeaLanes,
    cargo: str,
    port_index: dict[str, int],
    access_money_usd_per_t: FloatArray,
    access_time_h: FloatArray,
    *,
    feu_t: float,
) -> SeaChains:
    """Every lane's door-to-door chain between all places (see the module docstring).

    Parameters
    ----------
    lanes
        The sea lanes.
    cargo
        ``"container"`` or ``"bulk"``.
    port_index
        Port id -> row/column of the access matrices.
    access_money_usd_per_t, access_time_h
        ``(n, n)`` land access between every place and every port, per tonne.
    feu_t
        Tonnes per FEU, to turn container rates per box into rates per tonne.

    Returns
    -------
    SeaChains

    Raises
    ------
    ValidationError
        If a lane names a port that is not in `port_index`.
    """
    chosen = [ln for ln in lanes.lanes if ln.cargo == cargo]
    per_t = 1.0 / feu_t if cargo == "container" else 1.0
    hand_money = 2.0 * lanes.handling_cost[cargo] * per_t
    hand_time = 2.0 * lanes.handling_time_h[cargo]
    n = access_money_usd_per_t.shape[0]
    money = np.full((len(chosen), n, n), np.inf)
    time = np.full((len(chosen), n, n), np.inf)
    ports: list[tuple[str, str]] = []
    for k, ln in enumerate(chosen):
        missing = [p for p in (ln.origin_port, ln.destination_port) if p not in port_index]
        if missing:
            raise ValidationError(
                f"{lanes.source}: lane {ln.origin_port}->{ln.destination_port} names unknown "
                f"port(s) {missing}; ports are {sorted(port_index)}"
            )
        a, b = port_index[ln.origin_port], port_index[ln.destination_port]
        money[k] = (
            access_money_usd_per_t[:, a][:, None]
            + (hand_money + ln.cost_usd * per_t)
            + access_money_usd_per_t[b, :][None, :]
        )
        time[k] = (
            access_time_h[:, a][:, None] + (hand_time + ln.time_h) + access_time_h[b, :][None, :]
        )
        ports.append((ln.origin_port, ln.destination_port))
    return SeaChains(money, time, tuple(ports))
