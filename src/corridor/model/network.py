"""The Network value: nodes, links and border-crossing tables, validated on construction."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import numpy as np
import pandas as pd
import shapely

from corridor._typing import BoolArray
from corridor.errors import SchemaError
from corridor.model.hours import hours_problem
from corridor.model.schema import (
    CROSSING_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    TURN_COLUMNS,
    Mode,
    NodeKind,
    conform,
)

__all__ = ["Network", "links_open_on", "open_on"]


_PCTS = ("delay_p10_h", "delay_p50_h", "delay_p90_h")
_RENAMED = {"delay_h": "delay_p50_h", "delay_min_h": "delay_p10_h", "delay_max_h": "delay_p90_h"}


def _dupes(series: pd.Series) -> list[Any]:
    return sorted(set(series[series.duplicated()].tolist()))


class Network:
    """An immutable transport network.

    Parameters
    ----------
    nodes
        One row per node; columns in :data:`corridor.model.schema.NODE_COLUMNS`.
    links
        One row per link; columns in :data:`corridor.model.schema.LINK_COLUMNS`. A link
        that is not `oneway` can be used in both directions.
    crossings
        Border-crossing figures per node, mode and direction
        (:data:`corridor.model.schema.CROSSING_COLUMNS`); may be empty.
    turns
        Turn restrictions (:data:`corridor.model.schema.TURN_COLUMNS`); may be empty.
    name
        A label for reports.
    source
        The file the network was read from, used in error messages.
    date
        The day the network stands on (see :meth:`as_of`), or None for the network as
        recorded: then a link with any ``closed`` date is closed.

    Raises
    ------
    SchemaError
        Listing every problem found: missing or mistyped columns, values out of range,
        duplicate ids, links to missing nodes, crossings on nodes that are not crossings.

    Notes
    -----
    The tables are copied and conformed to the schema on construction, their arrays made
    read-only, and every read of :attr:`nodes`, :attr:`links`, :attr:`crossings` or
    :attr:`turns` returns a fresh shallow copy: assigning a column to it changes that copy
    only and writing into its values raises, so nothing derived from a network (graphs,
    indexes, held by :class:`corridor.paths.Router`) can go stale. Edits return a new
    Network (:meth:`with_links`, :meth:`with_nodes`, :meth:`with_crossings`).
    """

    __slots__ = (
        "__weakref__",
        "_crossings",
        "_hash",
        "_links",
        "_nodes",
        "_turns",
        "date",
        "name",
        "source",
    )

    name: str
    source: str | None
    date: pd.Timestamp | None
    _nodes: pd.DataFrame
    _links: pd.DataFrame
    _crossings: pd.DataFrame
    _turns: pd.DataFrame
    _hash: str | None

    def __init__(
        self,
        nodes: pd.DataFrame,
        links: pd.DataFrame,
        crossings: pd.DataFrame | None = None,
        turns: pd.DataFrame | None = None,
        *,
        name: str = "network",
        source: str | None = None,
        date: pd.Timestamp | None = None,
    ) -> None:
        empty = pd.DataFrame()
        tables: list[pd.DataFrame] = []
        problems: list[str] = []
        if crossings is not None and "delay_h" in crossings and "delay_p50_h" not in crossings:
            problems.append(
                "crossings: columns delay_h/delay_min_h/delay_max_h were replaced by "
                "delay_p50_h (median), delay_p10_h and delay_p90_h (10th/90th percentiles); "
                "rename them (the old min/max are not percentiles: review the spread)"
            )
            crossings = crossings.rename(columns=_RENAMED)
        for frame, columns, label in (
            (nodes, NODE_COLUMNS, "nodes"),
            (links, LINK_COLUMNS, "links"),
            (empty if crossings is None else crossings, CROSSING_COLUMNS, "crossings"),
            (empty if turns is None else turns, TURN_COLUMNS, "turns"),
        ):
            table, found = conform(frame, columns, label)
            tables.append(table)
            problems += found
        node_t, link_t, crossing_t, turn_t = tables
        if not problems:
            problems += _check_relations(node_t, link_t, crossing_t)
            problems += _check_turns(turn_t, link_t)
        if problems:
            raise SchemaError(problems, source=source)
        for frame in tables:
            for col in frame.columns:
                arr = frame[col].to_numpy()
                if isinstance(arr, np.ndarray):
                    arr.flags.writeable = False
        object.__setattr__(self, "_nodes", node_t)
        object.__setattr__(self, "_links", link_t)
        object.__setattr__(self, "_crossings", crossing_t)
        object.__setattr__(self, "_turns", turn_t)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "date", None if date is None else pd.Timestamp(date))
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"Network is immutable; use with_links()/with_nodes() ({key})")

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"Network is immutable ({key})")

    @property
    def nodes(self) -> pd.DataFrame:
        """The nodes table (a read-only shallow copy)."""
        copy: pd.DataFrame = self._nodes.copy(deep=False)
        return copy

    @property
    def links(self) -> pd.DataFrame:
        """The links table (a read-only shallow copy)."""
        copy: pd.DataFrame = self._links.copy(deep=False)
        return copy

    @property
    def crossings(self) -> pd.DataFrame:
        """The border-crossing table (a read-only shallow copy)."""
        copy: pd.DataFrame = self._crossings.copy(deep=False)
        return copy

    @property
    def turns(self) -> pd.DataFrame:
        """The turn-restriction table (a read-only shallow copy)."""
        copy: pd.DataFrame = self._turns.copy(deep=False)
        return copy

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self._nodes)

    @property
    def n_links(self) -> int:
        """Number of links."""
        return len(self._links)

    @property
    def n_turns(self) -> int:
        """Number of turn restrictions."""
        return len(self._turns)

    def __repr__(self) -> str:
        n_bc = int((self._nodes["kind"] == NodeKind.BORDER_CROSSING).sum())
        on = "" if self.date is None else f" on {self.date.date()}"
        return (
            f"<Network {self.name!r}{on}: {len(self._nodes)} nodes, {len(self._links)} links, "
            f"{n_bc} crossings>"
        )

    @property
    def content_hash(self) -> str:
        """A hash of the tables' content (geometry and date included); equal networks have
        equal hashes. Computed once: the content cannot change."""
        found = self._hash
        if found is None:
            h = hashlib.sha256()
            links = self._links.drop(columns="geometry")
            for frame in (self._nodes, links, self._crossings, self._turns):
                h.update(
                    pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes()
                )
            geoms = self._links["geometry"].to_numpy()
            present = np.asarray([isinstance(g, shapely.Geometry) for g in geoms], dtype=bool)
            h.update(present.tobytes())
            if present.any():
                h.update(b"".join(shapely.to_wkb(geoms[present]).tolist()))
            h.update(str(self.date).encode())
            found = h.hexdigest()
            object.__setattr__(self, "_hash", found)
        return found

    def _copy(self, **tables: pd.DataFrame) -> Network:
        parts = {
            "nodes": self._nodes,
            "links": self._links,
            "crossings": self._crossings,
            "turns": self._turns,
        } | tables
        return Network(**parts, name=self.name, source=self.source, date=self.date)

    def with_links(self, links: pd.DataFrame) -> Network:
        """Return a copy of this network with `links` replaced."""
        return self._copy(links=links)

    def with_nodes(self, nodes: pd.DataFrame) -> Network:
        """Return a copy of this network with `nodes` replaced."""
        return self._copy(nodes=nodes)

    def with_crossings(self, crossings: pd.DataFrame) -> Network:
        """Return a copy of this network with the crossing table replaced."""
        return self._copy(crossings=crossings)

    def with_turns(self, turns: pd.DataFrame) -> Network:
        """Return a copy of this network with the turn-restriction table replaced."""
        return self._copy(turns=turns)

    def as_of(self, date: str | pd.Timestamp) -> Network:
        """Return the network as it stood on `date`.

        One rule, :func:`open_on` (opened <= date < closed), decides for links, crossing
        rows and turn restrictions: links not open that day are dropped, and so are the
        links of a mode into a crossing whose rows for that mode are all closed that day
        (closed, suspended or not yet opened); crossing rows and turn restrictions not
        in force are dropped, as are restrictions on dropped links. The result remembers
        its date, so a link that closes later stays open in every search on it, and its
        :meth:`open_links` are all its links.

        Raises
        ------
        ValidationError
            If `date` is not a date.
        """
        from corridor.model.validate import parse_date

        when = parse_date(date, field="as_of")
        links = self._links
        kept = links[_links_open(links, self._crossings, when)]
        turns = self._turns
        if len(turns):
            ok = turns["from_link"].isin(kept["link_id"]) & turns["to_link"].isin(kept["link_id"])
            turns = turns[ok.to_numpy() & open_on(turns, when)]
        crossings = self._crossings
        crossings = crossings[open_on(crossings, when)]
        return Network(
            self._nodes,
            kept,
            crossings,
            turns,
            name=f"{self.name}@{when.date()}",
            source=self.source,
            date=when,
        )

    def open_links(self) -> BoolArray:
        """Which rows of :attr:`links` exist on the network's :attr:`date`.

        A link exists if it is open by :func:`links_open_on` and, where it touches a
        border crossing that has rows for the link's mode, one of those rows is open
        (:meth:`open_crossings`): a crossing closed on a day has no arcs on that day.
        """
        return _links_open(self._links, self._crossings, self.date)

    def open_crossings(self) -> BoolArray:
        """Which rows of :attr:`crossings` are in force on the network's :attr:`date`
        (:func:`open_on`; on an undated network, the rows without a ``closed`` date)."""
        return open_on(self._crossings, self.date)

    def open_turns(self) -> BoolArray:
        """Which rows of :attr:`turns` are in force on the network's :attr:`date`
        (:func:`open_on`; on an undated network, the rows without a ``closed`` date)."""
        return open_on(self._turns, self.date)


def open_on(table: pd.DataFrame, date: pd.Timestamp | None) -> BoolArray:
    """Which rows of a dated table exist on a date: the one rule for links, crossings
    and turn restrictions.

    Parameters
    ----------
    table
        A table with ``opened`` and ``closed`` columns (NaT: no such date).
    date
        The day; None for an undated table, where every row without a ``closed``
        date exists (whatever its ``opened``).

    Returns
    -------
    numpy.ndarray
        bool per row: ``opened <= date < closed``, a missing ``opened`` meaning always
        open and a missing ``closed`` meaning never closed.

    Examples
    --------
    >>> t = pd.DataFrame({"opened": pd.to_datetime(["2020-01-01", None]),
    ...                   "closed": pd.to_datetime([None, "2026-11-30"])})
    >>> open_on(t, pd.Timestamp("2025-01-01")).tolist()
    [True, True]
    >>> open_on(t, pd.Timestamp("2026-11-30")).tolist()
    [True, False]
    >>> open_on(t, None).tolist()
    [True, False]
    """
    if not len(table):
        return np.zeros(0, dtype=bool)
    closed = table["closed"]
    if date is None:
        return np.asarray(closed.isna().to_numpy(), dtype=bool)
    opened = table["opened"]
    ok = (opened.isna() | (opened <= date)) & (closed.isna() | (closed > date))
    return np.asarray(ok.to_numpy(), dtype=bool)


def links_open_on(links: pd.DataFrame, date: pd.Timestamp | None) -> BoolArray:
    """Which links are open on a date by their own dates (:func:`open_on`).

    :meth:`Network.open_links` adds the crossings' dates to this.

    Examples
    --------
    >>> t = pd.DataFrame({"opened": pd.to_datetime(["2020-01-01", None]),
    ...                   "closed": pd.to_datetime([None, "2026-11-30"])})
    >>> links_open_on(t, pd.Timestamp("2025-01-01")).tolist()
    [True, True]
    >>> links_open_on(t, None).tolist()
    [True, False]
    """
    return open_on(links, date)


def _crossing_mode(link_mode: pd.Series) -> np.ndarray:
    """The crossings-table mode a link's mode crosses as ('' for transfer links)."""
    mode = link_mode.to_numpy().astype(str)
    return np.where(mode == Mode.RAIL, "rail", np.where(mode == Mode.TRANSFER, "", "road"))


def _links_open(
    links: pd.DataFrame, crossings: pd.DataFrame, date: pd.Timestamp | None
) -> BoolArray:
    ok = links_open_on(links, date)
    if not len(crossings) or not len(links):
        return ok
    keys = pd.MultiIndex.from_frame(crossings[["node_id", "mode"]])
    live = keys[open_on(crossings, date)]
    shut = keys.unique().difference(live.unique())
    if not len(shut):
        return ok
    mode = _crossing_mode(links["mode"])
    for end in ("a_node", "b_node"):
        pairs = pd.MultiIndex.from_arrays([links[end].to_numpy(), mode])
        ok = ok & ~np.asarray(pairs.isin(shut), dtype=bool)
    return np.asarray(ok, dtype=bool)


def _check_relations(
    nodes: pd.DataFrame, links: pd.DataFrame, crossings: pd.DataFrame
) -> list[str]:
    problems: list[str] = []
    if len(nodes) == 0:
        problems.append("nodes: the table is empty; a network needs at least one node")
    for table, frame, key in (("nodes", nodes, "node_id"), ("links", links, "link_id")):
        dup = _dupes(frame[key])
        if dup:
            problems.append(f"{table}.{key}: duplicate ids {dup[:5]}; ids must be unique")
    known = nodes["node_id"]
    for end in ("a_node", "b_node"):
        missing = ~links[end].isin(known)
        if missing.any():
            rows = ", ".join(str(i + 1) for i in np.flatnonzero(missing.to_numpy())[:5])
            ids = sorted(set(links.loc[missing, end].tolist()))[:5]
            problems.append(
                f"links.{end}: data row(s) {rows} refer to missing node ids {ids}; "
                "add the nodes or fix the ids"
            )
    loops = links["a_node"] == links["b_node"]
    if loops.any():
        problems.append(
            f"links: link ids {links.loc[loops, 'link_id'].tolist()[:5]} start and end "
            "at the same node; remove them"
        )
    transfer = links["mode"] == Mode.TRANSFER
    zero = (links["length_km"] == 0) & ~transfer
    if zero.any():
        problems.append(
            f"links.length_km: link ids {links.loc[zero, 'link_id'].tolist()[:5]} have "
            "zero length; only transfer links may be 0 km"
        )
    crossing_ids = set(nodes.loc[nodes["kind"] == NodeKind.BORDER_CROSSING, "node_id"])
    if len(crossings):
        stray = ~crossings["node_id"].isin(crossing_ids)
        if stray.any():
            problems.append(
                f"crossings.node_id: {sorted(set(crossings.loc[stray, 'node_id']))[:5]} "
                "are not border_crossing nodes"
            )
        problems += _check_crossing_rows(crossings)
    bc = nodes[nodes["kind"] == NodeKind.BORDER_CROSSING]
    lacking = bc[
        (bc["country_a"] == "") | (bc["country_b"] == "") | (bc["country_a"] == bc["country_b"])
    ]
    if len(lacking):
        problems.append(
            f"nodes.country_a/country_b: border crossings {lacking['node_id'].tolist()[:5]} "
            "must join two different countries"
        )
    return problems


def _check_crossing_rows(crossings: pd.DataFrame) -> list[str]:
    """Percentiles in order, hours readable, periods apart and alike in both directions."""
    problems: list[str] = []
    p10, p50, p90 = (crossings[c].to_numpy(dtype=np.float64) for c in _PCTS)
    disorder = (p10 > p50) | (p50 > p90)
    if disorder.any():
        problems.append(
            "crossings.delay_p10_h/delay_p50_h/delay_p90_h: rows "
            f"{(np.flatnonzero(disorder)[:5] + 1).tolist()} are not p10 <= p50 <= p90"
        )
    hours = crossings["hours"].tolist()
    bad_hours = [(i + 1, why) for i, h in enumerate(hours) if (why := hours_problem(h))]
    if bad_hours:
        shown = "; ".join(f"row {i}: {why}" for i, why in bad_hours[:3])
        problems.append(f"crossings.hours: {shown}")
    backwards = crossings["opened"].notna() & crossings["closed"].notna()
    backwards &= crossings["closed"] <= crossings["opened"]
    if backwards.any():
        problems.append(
            f"crossings.closed: rows {(np.flatnonzero(backwards.to_numpy())[:5] + 1).tolist()} "
            "close before they open"
        )
    start = crossings["opened"].fillna(pd.Timestamp.min).tolist()
    end = crossings["closed"].fillna(pd.Timestamp.max).tolist()
    spans: dict[tuple[int, str, str], list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
    node_ids, modes = crossings["node_id"].tolist(), crossings["mode"].tolist()
    directions = crossings["direction"].tolist()
    for node, mode, direction, a, b in zip(node_ids, modes, directions, start, end, strict=True):
        spans.setdefault((int(node), str(mode), str(direction)), []).append((a, b))
    overlap: set[int] = set()
    signature: dict[tuple[int, str], set[tuple[tuple[pd.Timestamp, pd.Timestamp], ...]]] = {}
    for (node, mode, _direction), periods in spans.items():
        periods.sort()
        if any(p[1] > q[0] for p, q in itertools.pairwise(periods)):
            overlap.add(node)
        signature.setdefault((node, mode), set()).add(tuple(periods))
    if overlap:
        problems.append(
            "crossings: rows of one (node_id, mode, direction) overlap in time (each needs "
            f"a 'closed' date on or before the next 'opened') for nodes {sorted(overlap)[:5]}"
        )
    unlike = sorted({node for (node, _mode), sigs in signature.items() if len(sigs) > 1})
    if unlike:
        problems.append(
            "crossings: the two directions of a crossing-mode must open and close on the "
            f"same dates (nodes {unlike[:5]}); give both directions the same periods"
        )
    return problems


def _check_turns(turns: pd.DataFrame, links: pd.DataFrame) -> list[str]:
    problems: list[str] = []
    if not len(turns):
        return problems
    for col in ("from_link", "to_link"):
        missing = ~turns[col].isin(links["link_id"])
        if missing.any():
            problems.append(
                f"turns.{col}: restrictions {turns.loc[missing, 'restriction_id'].tolist()[:5]} "
                "refer to links not in the network"
            )
    return problems
