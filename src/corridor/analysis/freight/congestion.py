"""Border-crossing capacity and queueing delay for the freight assignment.

A land border crossing (and the gauge-change yard at it) serves one mode, in one direction,
at a capacity ``c`` in vehicles a day: trucks for a road crossing, trains for a rail one.
Above the measured clearance delay (the crossings table's ``delay_p50_h``) each vehicle waits
a queueing delay that grows with the load ``x`` (vehicles a day). We use Akcelik's
time-dependent form (Akcelik 1991, "Travel time functions for transport planning purposes",
Australian Road Research 21(3)), the one :mod:`corridor.assignment.vdf` implements:

    d(x) = T/4 * ((z - 1) + sqrt((z - 1)^2 + 8 J z / (c T))),   z = x / c,

with ``c`` per hour, ``T`` the flow period (h) and ``J`` the delay parameter. It is
increasing and convex, stays finite above capacity (where it grows like a queue that builds
over ``T``), and at ``z = 1`` equals ``sqrt(J T / (2 c))``. The mean queue (vehicles waiting)
follows from Little's law, ``x / 24 * d``.

Capacities come, in this order, from the network's ``capacity_veh_day`` (e.g. Zabaikalsk-
Manzhouli rail 20 and Zamyn-Uud-Erenhot 7 trains/day, CPMM 2023), from ``assign.yaml``'s
``capacities`` (e.g. Dostyk-Alashankou 14 trains/day, KTZ 2025), or from a per-mode default
marked [assumption]. Published throughput (``assign.yaml``'s ``throughput``) is kept apart: it
validates the model and is never fitted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from corridor._typing import FloatArray
from corridor.assignment.vdf import link_travel_time
from corridor.errors import DataSourceError, ValidationError
from corridor.model.dated import crossing_mode_of
from corridor.model.network import Network
from corridor.units import HOURS_PER_DAY

__all__ = [
    "CrossingData",
    "crossing_capacities",
    "load_crossing_data",
    "queue_delay_h",
    "queue_length_veh",
]

log = logging.getLogger(__name__)

PARAMETERS = Path(__file__).with_name("assign.yaml")
"""The bundled assignment parameters (vehicle sizes, delay function, capacities, values)."""

_MODES = ("road", "rail")


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossingData:
    """The assignment's parameter file, checked.

    Attributes
    ----------
    teu_per_train, tonnes_per_teu, tonnes_per_bulk_train, tonnes_per_truck
        Vehicle sizes.
    delay_parameter, period_h
        Akcelik's J and T (h).
    default_capacity_veh_day, default_capacity_source
        Per mode (road, rail): capacity where none is published, and its source.
    capacities
        ``crossing``, ``mode``, ``capacity_veh_day``, ``year``, ``source``.
    throughput
        ``crossing``, ``mode``, ``tonnes_year``, ``trains_year``, ``trucks_year``, ``year``,
        ``source`` (NaN where not published).
    vot_pct_per_day, vot_default_usd_per_t
        Value of time: share of the cargo value per day, and the value of an unmatched
        commodity.
    commodity_values
        ``match`` (tuple of lower-case keywords), ``usd_per_t``, ``source``.
    source
        The file read.
    """

    teu_per_train: float
    tonnes_per_teu: float
    tonnes_per_bulk_train: float
    tonnes_per_truck: float
    delay_parameter: float
    period_h: float
    default_capacity_veh_day: dict[str, float]
    default_capacity_source: dict[str, str]
    capacities: pd.DataFrame
    throughput: pd.DataFrame
    vot_pct_per_day: float
    vot_default_usd_per_t: float
    commodity_values: tuple[tuple[tuple[str, ...], float, str], ...]
    source: str

    def value_usd_per_t(self, commodity: str) -> float:
        """Cargo value per tonne of a commodity (first row whose keyword it contains)."""
        name = commodity.lower()
        for words, value, _ in self.commodity_values:
            if any(w in name for w in words):
                return value
        return self.vot_default_usd_per_t

    def vot_usd_per_t_h(self, commodity: str) -> float:
        """Value of time per tonne and hour of a commodity, US$."""
        return self.value_usd_per_t(commodity) * self.vot_pct_per_day / 100.0 / HOURS_PER_DAY


def _positive(where: str, value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        out = float("nan")
    if not (np.isfinite(out) and out > 0):
        raise ValidationError(f"{where}: must be a positive number, got {value!r}; fix the value")
    return out


def _need(where: str, data: Any, key: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise ValidationError(f"{where}: missing field {key!r}; add it")
    return data[key]


def _source(where: str, row: dict[str, Any]) -> str:
    text = str(row.get("source", "")).strip()
    if not text:
        raise ValidationError(
            f"{where}: no source; give the publication, year and URL, or '[assumption] ...'"
        )
    return text


def load_crossing_data(path: str | Path | None = None) -> CrossingData:
    """Read and check the assignment parameter file (default: the bundled ``assign.yaml``).

    Parameters
    ----------
    path
        A YAML file laid out as the bundled one.

    Returns
    -------
    CrossingData
        The parameters.

    Raises
    ------
    DataSourceError
        If the file cannot be read.
    ValidationError
        Naming the file, the entry and the field that is missing, not positive, of an
        unknown mode, or without a source.
    """
    file = Path(path) if path is not None else PARAMETERS
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataSourceError(file, f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{file}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValidationError(f"{file}: expected a mapping with vehicles, delay, capacities, ...")
    veh = _need(str(file), data, "vehicles")
    sizes = {
        k: _positive(f"{file}: vehicles.{k}", _need(f"{file}: vehicles", veh, k))
        for k in ("teu_per_train", "tonnes_per_teu", "tonnes_per_bulk_train", "tonnes_per_truck")
    }
    delay = _need(str(file), data, "delay")
    if str(delay.get("function", "akcelik")).lower() != "akcelik":
        raise ValidationError(f"{file}: delay.function: only 'akcelik' is implemented")
    j = _positive(
        f"{file}: delay.delay_parameter", _need(f"{file}: delay", delay, "delay_parameter")
    )
    t = _positive(f"{file}: delay.period_h", _need(f"{file}: delay", delay, "period_h"))
    defaults = _need(str(file), data, "default_capacity")
    dcap: dict[str, float] = {}
    dsrc: dict[str, str] = {}
    for mode in _MODES:
        row = _need(f"{file}: default_capacity", defaults, mode)
        dcap[mode] = _positive(
            f"{file}: default_capacity.{mode}.capacity_veh_day", row.get("capacity_veh_day")
        )
        dsrc[mode] = _source(f"{file}: default_capacity.{mode}", row)
    caps = []
    for i, row in enumerate(data.get("capacities") or []):
        where = f"{file}: capacities[{i}]"
        mode = str(_need(where, row, "mode"))
        if mode not in _MODES:
            raise ValidationError(f"{where}.mode: {mode!r} is not one of {list(_MODES)}")
        caps.append(
            {
                "crossing": str(_need(where, row, "crossing")),
                "mode": mode,
                "capacity_veh_day": _positive(
                    f"{where}.capacity_veh_day", row.get("capacity_veh_day")
                ),
                "year": row.get("year"),
                "source": _source(where, row),
            }
        )
    flows = []
    for i, row in enumerate(data.get("throughput") or []):
        where = f"{file}: throughput[{i}]"
        mode = str(_need(where, row, "mode"))
        if mode not in _MODES:
            raise ValidationError(f"{where}.mode: {mode!r} is not one of {list(_MODES)}")
        rec: dict[str, Any] = {"crossing": str(_need(where, row, "crossing")), "mode": mode}
        given = False
        for k in ("tonnes_year", "trains_year", "trucks_year"):
            rec[k] = _positive(f"{where}.{k}", row[k]) if k in row else np.nan
            given = given or k in row
        if not given:
            raise ValidationError(f"{where}: give tonnes_year, trains_year or trucks_year")
        rec["year"] = row.get("year")
        rec["source"] = _source(where, row)
        flows.append(rec)
    vot = _need(str(file), data, "value_of_time")
    values = []
    for i, row in enumerate(vot.get("commodities") or []):
        where = f"{file}: value_of_time.commodities[{i}]"
        words = _need(where, row, "match")
        if isinstance(words, str):
            words = [words]
        values.append(
            (
                tuple(str(w).lower() for w in words),
                _positive(f"{where}.usd_per_t", row.get("usd_per_t")),
                _source(where, row),
            )
        )
    cap_cols = ["crossing", "mode", "capacity_veh_day", "year", "source"]
    flow_cols = ["crossing", "mode", "tonnes_year", "trains_year", "trucks_year", "year", "source"]
    return CrossingData(
        teu_per_train=sizes["teu_per_train"],
        tonnes_per_teu=sizes["tonnes_per_teu"],
        tonnes_per_bulk_train=sizes["tonnes_per_bulk_train"],
        tonnes_per_truck=sizes["tonnes_per_truck"],
        delay_parameter=j,
        period_h=t,
        default_capacity_veh_day=dcap,
        default_capacity_source=dsrc,
        capacities=pd.DataFrame(caps, columns=cap_cols),
        throughput=pd.DataFrame(flows, columns=flow_cols),
        vot_pct_per_day=_positive(f"{file}: value_of_time.pct_per_day", vot.get("pct_per_day")),
        vot_default_usd_per_t=_positive(
            f"{file}: value_of_time.default_usd_per_t", vot.get("default_usd_per_t")
        ),
        commodity_values=tuple(values),
        source=str(file),
    )


def crossing_capacities(network: Network, data: CrossingData) -> pd.DataFrame:
    """Capacity of every open road and rail crossing row of a network, with its source.

    Parameters
    ----------
    network
        The network; its crossings table's rows in force on its date are used.
    data
        The parameters (:func:`load_crossing_data`).

    Returns
    -------
    pandas.DataFrame
        One row per ``network.crossings`` row in force (index: that row's position):
        ``node_id``, ``crossing`` (name), ``countries``, ``mode``, ``direction``,
        ``delay_p50_h``, ``gauge_change`` (bool), ``gauges`` (e.g. "1520/1435" on rail),
        ``open`` (whether an open link of the mode reaches the crossing: a closed crossing's
        rows stay, closed), ``capacity_veh_day`` and
        ``capacity_source`` (the network, the YAML's source, or the default's). A crossing
        with no clearance delay and no published capacity gets none (NaN): it is not
        congested.

    Notes
    -----
    A YAML capacity naming a crossing the network does not have is skipped (logged).
    """
    cx = network.crossings.reset_index(drop=True)
    keep = network.open_crossings() & cx["mode"].isin(_MODES).to_numpy()
    rows = cx[keep]
    nodes = network.nodes.set_index("node_id")
    info = nodes.loc[rows["node_id"].to_numpy()]
    out = pd.DataFrame(
        {
            "node_id": rows["node_id"].to_numpy(dtype=np.int64),
            "crossing": info["name"].to_numpy(dtype=object),
            "countries": (info["country_a"] + "-" + info["country_b"]).to_numpy(dtype=object),
            "mode": rows["mode"].to_numpy(dtype=object),
            "direction": rows["direction"].to_numpy(dtype=object),
            "delay_p50_h": rows["delay_p50_h"].to_numpy(dtype=float),
        },
        index=rows.index,
    )
    ga = rows.get("gauge_a_mm", pd.Series(np.nan, index=rows.index)).to_numpy(dtype=float)
    gb = rows.get("gauge_b_mm", pd.Series(np.nan, index=rows.index)).to_numpy(dtype=float)
    out["gauge_change"] = np.isfinite(ga) & np.isfinite(gb) & (ga != gb)
    out["gauges"] = [
        f"{a:.0f}/{b:.0f}" if np.isfinite(a) and np.isfinite(b) else ""
        for a, b in zip(ga, gb, strict=True)
    ]
    links = network.links[network.open_links()]
    lmode = crossing_mode_of(links["mode"])
    served = pd.MultiIndex.from_arrays(
        [
            np.concatenate([links["a_node"].to_numpy(), links["b_node"].to_numpy()]),
            np.concatenate([lmode, lmode]),
        ]
    )
    here = pd.MultiIndex.from_arrays([out["node_id"].to_numpy(), out["mode"].to_numpy()])
    out["open"] = np.asarray(here.isin(served), dtype=bool)
    cap = np.array(rows.get("capacity_veh_day", pd.Series(np.nan, index=rows.index)), dtype=float)
    source = np.where(cap > 0, "network crossings table (see DATA.md)", "").astype(object)
    known = set(nodes["name"].astype(str))
    for rec in data.capacities.itertuples(index=False):
        if rec.crossing not in known:  # another network (a test's, a user's): not an error
            log.info("%s: crossing %r not in %r; skipped", data.source, rec.crossing, network.name)
            continue
        hit = ((out["crossing"] == rec.crossing) & (out["mode"] == rec.mode)).to_numpy()
        fill = hit & ~(cap > 0)
        cap[fill] = rec.capacity_veh_day
        source[fill] = rec.source
    # the default only where the crossing clears traffic at all: a crossing with no clearance
    # delay (inside a customs union, e.g. Krasnoye-Redki) is not a bottleneck
    clears = out["delay_p50_h"].to_numpy(dtype=float) > 0
    for mode in _MODES:
        fill = (out["mode"] == mode).to_numpy() & ~(cap > 0) & clears
        cap[fill] = data.default_capacity_veh_day[mode]
        source[fill] = data.default_capacity_source[mode]
    out["capacity_veh_day"] = cap
    out["capacity_source"] = source
    return out


def queue_delay_h(
    load_veh_day: FloatArray | float,
    capacity_veh_day: FloatArray | float,
    *,
    delay_parameter: float,
    period_h: float,
) -> FloatArray:
    """Queueing delay above the clearance time at a crossing (Akcelik; see module docstring).

    Parameters
    ----------
    load_veh_day, capacity_veh_day
        Vehicles a day arriving, and served at most (> 0, or NaN for an uncongested
        crossing, whose delay is 0); arrays broadcast.
    delay_parameter, period_h
        Akcelik's J and the flow period T in hours.

    Returns
    -------
    FloatArray
        Delay per vehicle, h (0 at no load).

    Raises
    ------
    ValidationError
        If a capacity, J or T is not positive.

    Examples
    --------
    At capacity the delay is ``sqrt(J T / (2 c))`` with ``c`` per hour:

    >>> round(float(queue_delay_h(24.0, 24.0, delay_parameter=0.5, period_h=2.0)[()]), 4)
    0.7071
    """
    x, c = np.broadcast_arrays(
        np.asarray(load_veh_day, dtype=np.float64), np.asarray(capacity_veh_day, dtype=np.float64)
    )
    uncapped = np.isnan(c)
    if not (np.all((c > 0) | uncapped) and delay_parameter > 0 and period_h > 0):
        raise ValidationError("queue delay needs capacities (or NaN for none), J and T > 0")
    out = link_travel_time(
        "akcelik",
        x / HOURS_PER_DAY,
        free_flow_time=np.zeros(x.shape),
        capacity=np.where(uncapped, 1.0, c) / HOURS_PER_DAY,
        alpha=np.full(x.shape, delay_parameter),
        beta=np.full(x.shape, period_h),
    )
    return np.where(uncapped, 0.0, np.asarray(out, dtype=np.float64))


def queue_length_veh(load_veh_day: FloatArray, delay_h: FloatArray) -> FloatArray:
    """Mean number of vehicles waiting (Little's law: arrivals per hour x delay)."""
    return np.asarray(np.asarray(load_veh_day) / HOURS_PER_DAY * np.asarray(delay_h), dtype=float)
