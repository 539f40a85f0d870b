"""The declared schema of a network's tables: columns, dtypes, units and allowed values.

A :class:`Column` says what a column holds. :func:`check_table` checks a table against
a schema and returns *every* problem found (column, rows, how to fix) so that they can
be reported together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

__all__ = [
    "CROSSING_COLUMNS",
    "FORMALITY_COLUMNS",
    "LINK_COLUMNS",
    "NODE_COLUMNS",
    "TURN_COLUMNS",
    "VEHICLES",
    "Column",
    "Direction",
    "Kind",
    "Mode",
    "NodeKind",
    "Vehicle",
    "check_table",
    "conform",
]


class Mode(StrEnum):
    """Transport mode of a link."""

    ROAD = "road"
    RAIL = "rail"
    FERRY = "ferry"
    TRANSFER = "transfer"
    AIR = "air"


class NodeKind(StrEnum):
    """What a node is."""

    CITY = "city"
    JUNCTION = "junction"
    BORDER_CROSSING = "border_crossing"
    TERMINAL = "terminal"
    PORT = "port"
    AIRPORT = "airport"


class Direction(StrEnum):
    """Direction through a border crossing, relative to its sides a and b."""

    A_TO_B = "a_to_b"
    B_TO_A = "b_to_a"


class Vehicle(StrEnum):
    """Who crosses a border, for its formalities: the vehicle on a road crossing, the
    train (and its travellers or cargo) on a rail crossing, the traveller off a flight at
    an airport's passport control."""

    CAR = "car"
    BUS = "bus"
    TRUCK = "truck"
    PASSENGER_TRAIN = "passenger_train"
    FREIGHT_TRAIN = "freight_train"
    FLIGHT = "flight"


class Kind(StrEnum):
    """Storage kind of a column."""

    INT = "int64"
    FLOAT = "float64"
    BOOL = "bool"
    STR = "str"
    DATE = "date"
    GEOMETRY = "geometry"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        Column name; ends in its unit where it has one.
    kind
        Storage kind.
    doc
        What it holds.
    required
        Whether the column must be present (optional ones are filled with `default`).
    nullable
        Whether NaN / NaT / empty values are allowed.
    minimum, maximum
        Inclusive bounds for numbers.
    choices
        Allowed values for strings.
    default
        Fill value when an optional column is absent.
    """

    name: str
    kind: Kind
    doc: str
    required: bool = True
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    default: object = None


_MODES = tuple(m.value for m in Mode)
_KINDS = tuple(k.value for k in NodeKind)

NODE_COLUMNS: tuple[Column, ...] = (
    Column("node_id", Kind.INT, "unique node id", minimum=0),
    Column("name", Kind.STR, "English name"),
    Column(
        "alt_names",
        Kind.STR,
        "alternate names and transliterations, ';'-separated",
        required=False,
        default="",
    ),
    Column(
        "kind",
        Kind.STR,
        "city, junction, border_crossing, terminal, port or airport",
        choices=_KINDS,
    ),
    Column("country", Kind.STR, "ISO 3166-1 alpha-2 code of the node's country"),
    Column("lon", Kind.FLOAT, "longitude, degrees (WGS 84)", minimum=-180.0, maximum=180.0),
    Column("lat", Kind.FLOAT, "latitude, degrees (WGS 84)", minimum=-90.0, maximum=90.0),
    Column(
        "population",
        Kind.INT,
        "inhabitants (GeoNames); 0 if not a place",
        required=False,
        minimum=0,
        default=0,
    ),
    Column(
        "country_a",
        Kind.STR,
        "border crossing: country of side a (else empty)",
        required=False,
        default="",
    ),
    Column(
        "country_b",
        Kind.STR,
        "border crossing: country of side b (else empty)",
        required=False,
        default="",
    ),
    Column("name_a", Kind.STR, "border crossing: name of side a", required=False, default=""),
    Column("name_b", Kind.STR, "border crossing: name of side b", required=False, default=""),
    Column(
        "provenance", Kind.STR, "source of the coordinates and facts", required=False, default=""
    ),
)

LINK_COLUMNS: tuple[Column, ...] = (
    Column("link_id", Kind.INT, "unique link id", minimum=0),
    Column("a_node", Kind.INT, "from node id"),
    Column("b_node", Kind.INT, "to node id"),
    Column(
        "oneway",
        Kind.BOOL,
        "true if usable only from a_node to b_node",
        required=False,
        default=False,
    ),
    Column("mode", Kind.STR, "road, rail, ferry, transfer or air", choices=_MODES),
    Column(
        "class",
        Kind.STR,
        "link class: motorway, trunk, primary, mainline, ...",
        required=False,
        default="",
    ),
    Column(
        "ref", Kind.STR, "route reference, e.g. 'M-12', 'G30', 'AH6'", required=False, default=""
    ),
    Column("name", Kind.STR, "route or line name", required=False, default=""),
    Column("length_km", Kind.FLOAT, "length, km", minimum=0.0),
    Column(
        "speed_kmh",
        Kind.FLOAT,
        "free-flow or line speed, km/h (air: great-circle km over block time)",
        minimum=1e-9,
        maximum=1000.0,
    ),
    Column(
        "lanes",
        Kind.INT,
        "road lanes in both directions (0 if not a road)",
        required=False,
        minimum=0,
        default=0,
    ),
    Column(
        "capacity_veh_h",
        Kind.FLOAT,
        "capacity, vehicles per hour (NaN if unknown)",
        required=False,
        nullable=True,
        minimum=0.0,
        default=np.nan,
    ),
    Column(
        "toll_usd",
        Kind.FLOAT,
        "toll per vehicle for the whole link, US$",
        required=False,
        minimum=0.0,
        default=0.0,
    ),
    Column(
        "gauge_mm",
        Kind.FLOAT,
        "track gauge, mm (NaN if not rail)",
        required=False,
        nullable=True,
        minimum=500.0,
        maximum=2000.0,
        default=np.nan,
    ),
    Column("electrified", Kind.BOOL, "rail line is electrified", required=False, default=False),
    Column(
        "country",
        Kind.STR,
        "ISO 3166-1 alpha-2 code of the link's country",
        required=False,
        default="",
    ),
    Column(
        "corridors",
        Kind.STR,
        "corridor tags, ';'-separated (e.g. 'WE-WC;M-12')",
        required=False,
        default="",
    ),
    Column(
        "opened",
        Kind.DATE,
        "date opened (NaT if long established)",
        required=False,
        nullable=True,
        default=pd.NaT,
    ),
    Column(
        "closed",
        Kind.DATE,
        "date closed (NaT if open)",
        required=False,
        nullable=True,
        default=pd.NaT,
    ),
    Column("provenance", Kind.STR, "where length and facts come from", required=False, default=""),
    Column(
        "geometry",
        Kind.GEOMETRY,
        "polyline from a_node to b_node (WGS 84)",
        required=False,
        nullable=True,
        default=None,
    ),
)

VEHICLES = ("all", "freight", "passenger", "car")
"""Who may use a crossing-mode: every vehicle, goods vehicles only (e.g. Kukuryki, trucks
only), travellers only (cars and buses) or passenger cars only (e.g. Kuźnica since Nov
2025, no coaches); compared with a profile's ``kind`` and, for ``car``, its ``id``."""

CROSSING_COLUMNS: tuple[Column, ...] = (
    Column("node_id", Kind.INT, "the border-crossing node"),
    Column("mode", Kind.STR, "road, rail or air", choices=_MODES),
    Column("direction", Kind.STR, "a_to_b or b_to_a", choices=tuple(d.value for d in Direction)),
    Column(
        "delay_p50_h",
        Kind.FLOAT,
        "median clearance time (both sides' controls and the queue), h",
        minimum=0.0,
    ),
    Column(
        "delay_p10_h",
        Kind.FLOAT,
        "10th percentile of the clearance time, h (NaN: no spread known)",
        required=False,
        nullable=True,
        minimum=0.0,
        default=np.nan,
    ),
    Column(
        "delay_p90_h",
        Kind.FLOAT,
        "90th percentile of the clearance time, h (NaN: no spread known)",
        required=False,
        nullable=True,
        minimum=0.0,
        default=np.nan,
    ),
    Column(
        "fee_usd",
        Kind.FLOAT,
        "fees and payments per vehicle, US$",
        required=False,
        minimum=0.0,
        default=0.0,
    ),
    Column(
        "gauge_a_mm",
        Kind.FLOAT,
        "rail gauge on side a, mm",
        required=False,
        nullable=True,
        default=np.nan,
    ),
    Column(
        "gauge_b_mm",
        Kind.FLOAT,
        "rail gauge on side b, mm",
        required=False,
        nullable=True,
        default=np.nan,
    ),
    Column(
        "capacity_veh_day",
        Kind.FLOAT,
        "trucks or trains per day in the row's direction (NaN if unknown)",
        required=False,
        nullable=True,
        minimum=0.0,
        default=np.nan,
    ),
    Column(
        "passenger_delay_h",
        Kind.FLOAT,
        "formalities for travellers, h",
        required=False,
        nullable=True,
        minimum=0.0,
        default=np.nan,
    ),
    Column(
        "vehicles",
        Kind.STR,
        "who may cross: all, freight (goods vehicles), passenger (cars and buses) or car",
        required=False,
        choices=VEHICLES,
        default="all",
    ),
    Column(
        "hours",
        Kind.STR,
        "opening hours: '24/7', 'HH:MM-HH:MM local' (the crossing's local time), "
        "or empty if not published",
        required=False,
        default="",
    ),
    Column(
        "opened",
        Kind.DATE,
        "first day of this period of operation for the mode (NaT if long established)",
        required=False,
        nullable=True,
        default=pd.NaT,
    ),
    Column(
        "closed",
        Kind.DATE,
        "first day the mode no longer operates (closure or suspension; NaT if open)",
        required=False,
        nullable=True,
        default=pd.NaT,
    ),
    Column(
        "status",
        Kind.STR,
        "what ended (or holds) this period: e.g. 'suspended: COVID-19', 'closed by Poland'",
        required=False,
        default="",
    ),
    Column("provenance", Kind.STR, "source of the figures", required=False, default=""),
)
"""A crossing's table has one row per node, mode, direction and *period* of operation:
``opened <= day < closed`` (the date rule of links), periods of one (node, mode,
direction) not overlapping. A suspension is the gap between a period that closed and the
next that opened; a (node, mode) with rows but none open on a day has no arcs that day."""

FORMALITY_COLUMNS: tuple[Column, ...] = (
    Column("node_id", Kind.INT, "the border-crossing node"),
    Column("mode", Kind.STR, "road, rail or air", choices=("road", "rail", "air")),
    Column("direction", Kind.STR, "a_to_b or b_to_a", choices=tuple(d.value for d in Direction)),
    Column(
        "vehicle",
        Kind.STR,
        "car, bus, truck, passenger_train, freight_train or flight",
        choices=tuple(v.value for v in Vehicle),
    ),
    Column("allowed", Kind.BOOL, "whether it may cross here in this direction"),
    Column(
        "transit_allowed",
        Kind.BOOL,
        "whether it may enter here to transit the country entered (a trip that neither "
        "starts nor ends there)",
        required=False,
        default=True,
    ),
    Column(
        "domestic_transit",
        Kind.BOOL,
        "whether a trip that starts and ends in one of the two countries may pass here "
        "(out and back in) where that shortens it, e.g. Russian trips on the R-254 through "
        "Petropavl (EAEU, no customs)",
        required=False,
        default=False,
    ),
    Column(
        "barred_origins",
        Kind.STR,
        "';'-separated countries (ISO2) of trip origins barred here: the vehicle is taken to "
        "be registered where the trip starts",
        required=False,
        default="",
    ),
    Column(
        "visa",
        Kind.STR,
        "what travellers (or the driver) need to enter, for citizens of the country left",
        required=False,
        default="",
    ),
    Column(
        "documents",
        Kind.STR,
        "documents for the vehicle, cargo or traveller, ';'-separated",
        required=False,
        default="",
    ),
    Column(
        "time_h",
        Kind.FLOAT,
        "time of these formalities on top of the crossing's delay, h",
        required=False,
        minimum=0.0,
        default=0.0,
    ),
    Column(
        "fee_usd",
        Kind.FLOAT,
        "fees of these formalities per vehicle (per traveller on a bus or train), US$",
        required=False,
        minimum=0.0,
        default=0.0,
    ),
    Column("provenance", Kind.STR, "source of each rule", required=False, default=""),
)


TURN_COLUMNS: tuple[Column, ...] = (
    Column("restriction_id", Kind.INT, "unique id (e.g. the OSM relation id)", minimum=0),
    Column(
        "kind",
        Kind.STR,
        "'no' (this turn is banned) or 'only' (the only turn allowed)",
        choices=("no", "only"),
    ),
    Column("from_link", Kind.INT, "link arriving at the via"),
    Column(
        "via_node",
        Kind.INT,
        "node where from_link ends (the via node, or the first node of the via links)",
    ),
    Column(
        "via_links",
        Kind.STR,
        "';'-separated link ids of via ways, in travel order (empty for a via node)",
        required=False,
        default="",
    ),
    Column("to_link", Kind.INT, "link leaving the via"),
    Column(
        "opened",
        Kind.DATE,
        "first day the restriction applies (NaT if always)",
        required=False,
        nullable=True,
        default=pd.NaT,
    ),
    Column(
        "closed",
        Kind.DATE,
        "first day it no longer applies (NaT if still in force)",
        required=False,
        nullable=True,
        default=pd.NaT,
    ),
    Column("provenance", Kind.STR, "source, e.g. 'osm relation 123'", required=False, default=""),
)


def _rows(mask: np.ndarray, index: pd.Index) -> str:
    bad = index[np.asarray(mask, dtype=bool)]
    shown = ", ".join(str(int(i) + 1) for i in bad[:5])
    more = f" ... ({len(bad)} rows)" if len(bad) > 5 else ""
    return f"data row(s) {shown}{more}"


FIRST_DATE = pd.Timestamp("1800-01-01")
"""Earliest date accepted in a date column [assumption: the first railways opened in the 1820s]."""
LAST_DATE = pd.Timestamp("2200-12-31")
"""Latest date accepted in a date column [assumption: no plan reaches further]."""


def _dates(series: pd.Series, col: Column) -> tuple[pd.Series, str | None]:
    """A date column as datetime64[ns]: text that is no date, or a date outside
    FIRST_DATE..LAST_DATE, is a problem (never silently NaT)."""
    given = series.notna() & (series.astype(str).str.strip() != "")
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        parsed = pd.to_datetime(series.where(given, None), errors="coerce", format="mixed")
    else:
        parsed = pd.to_datetime(series, errors="coerce")
    parsed = pd.Series(parsed, index=series.index)
    bad = (given & parsed.isna()).to_numpy()
    if bad.any():
        shown = [str(v)[:20] for v in series[bad].head(3).tolist()]
        return series, f"{_rows(bad, series.index)} are not dates ({shown}); use YYYY-MM-DD"
    far = (parsed.notna() & ((parsed < FIRST_DATE) | (parsed > LAST_DATE))).to_numpy()
    if far.any():
        return series, (
            f"{_rows(far, series.index)} are outside {FIRST_DATE:%Y}..{LAST_DATE:%Y}; "
            "give a date in that range, or leave it empty"
        )
    return parsed.astype("datetime64[ns]"), None


def _coerce(series: pd.Series, col: Column) -> tuple[pd.Series, str | None]:
    """Convert a column to its storage kind; return (converted, problem or None)."""
    try:
        if col.kind is Kind.INT:
            if series.isna().any():
                return series, "has missing values; give every row an integer"
            num = pd.to_numeric(series, errors="raise")
            values = np.asarray(num, dtype=np.float64)
            if not np.all(np.mod(values, 1.0) == 0):
                return series, "has non-integer values; use whole numbers"
            if num.dtype.kind == "u" or num.dtype == object or num.dtype.kind == "f":
                big = np.abs(values) >= 2.0**63  # beyond int64: would wrap around
                if big.any():
                    return series, (
                        f"{_rows(big, series.index)} are beyond the 64-bit integer range "
                        "(about 9.2e18); renumber the ids"
                    )
            return num.astype(np.int64), None
        if col.kind is Kind.FLOAT:
            return pd.to_numeric(series, errors="raise").astype(np.float64), None
        if col.kind is Kind.BOOL:
            if series.dtype == bool:
                return series, None
            text = series.astype(str).str.strip().str.lower()
            mapping = {
                "true": True,
                "1": True,
                "yes": True,
                "false": False,
                "0": False,
                "no": False,
                "1.0": True,
                "0.0": False,
            }
            bad = ~text.isin(list(mapping))
            if bad.any():
                return series, f"{_rows(bad.to_numpy(), series.index)} are not true/false"
            return text.map(mapping).astype(bool), None
        if col.kind is Kind.STR:
            return series.fillna("").astype(str), None
        if col.kind is Kind.DATE:
            return _dates(series, col)
    except (ValueError, TypeError) as exc:
        return series, f"cannot be read as {col.kind.value}: {exc}"
    return series, None


def conform(
    frame: pd.DataFrame, columns: tuple[Column, ...], table: str
) -> tuple[pd.DataFrame, list[str]]:
    """Return `frame` with the schema's columns in order and dtype, plus every problem found.

    Optional columns that are absent are filled with their default. Extra columns are kept
    after the declared ones. The input is not modified.
    """
    problems: list[str] = []
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    src = frame.reset_index(drop=True)
    if len(src) == 0 and len(src.columns) == 0:
        src = pd.DataFrame({c.name: pd.Series([], dtype=object) for c in columns})
    for col in columns:
        where = f"{table}.{col.name}"
        if col.name not in src.columns:
            if col.required:
                problems.append(f"{where}: required column is missing ({col.doc}); add it")
                continue
            if col.kind is Kind.GEOMETRY:
                out[col.name] = pd.Series([None] * len(src), dtype=object)
            else:
                out[col.name] = pd.Series([col.default] * len(src), index=out.index)
            if col.kind is not Kind.GEOMETRY:
                out[col.name], _ = _coerce(out[col.name], col)
            continue
        raw = src[col.name]
        if not col.required and not col.nullable and raw.isna().any():
            raw = raw.astype(object).where(raw.notna(), col.default)  # empty optional cells
        series, problem = _coerce(raw, col)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        out[col.name] = series
        problems.extend(_check_values(series, col, where))
    for extra in src.columns:
        if extra not in out.columns and not any(c.name == extra for c in columns):
            out[extra] = src[extra]
    return out, problems


def _check_values(series: pd.Series, col: Column, where: str) -> list[str]:
    problems: list[str] = []
    if col.kind in (Kind.INT, Kind.FLOAT):
        values = series.to_numpy(dtype=np.float64)
        nan = np.isnan(values)
        if nan.any() and not col.nullable:
            problems.append(f"{where}: {_rows(nan, series.index)} are NaN or empty; give a number")
        if col.kind is Kind.FLOAT and np.isinf(values).any():
            problems.append(f"{where}: {_rows(np.isinf(values), series.index)} are infinite")
        if col.minimum is not None:
            low = ~nan & (values < col.minimum)
            if low.any():
                problems.append(f"{where}: {_rows(low, series.index)} are below {col.minimum:g}")
        if col.maximum is not None:
            high = ~nan & (values > col.maximum)
            if high.any():
                problems.append(f"{where}: {_rows(high, series.index)} are above {col.maximum:g}")
    if col.kind is Kind.STR and col.choices is not None:
        bad = ~series.isin(col.choices)
        if bad.any():
            vals = sorted(set(series[bad].tolist()))[:5]
            problems.append(
                f"{where}: {_rows(bad.to_numpy(), series.index)} have {vals}; "
                f"use one of {list(col.choices)}"
            )
    if col.kind is Kind.DATE and not col.nullable and series.isna().any():
        problems.append(f"{where}: {_rows(series.isna().to_numpy(), series.index)} have no date")
    return problems


def check_table(frame: pd.DataFrame, columns: tuple[Column, ...], table: str) -> list[str]:
    """Return every problem of `frame` against `columns` (empty if it conforms)."""
    return conform(frame, columns, table)[1]
