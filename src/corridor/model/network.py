"""The Network value: nodes, links and border-crossing tables, validated on construction."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
import shapely

from corridor._typing import BoolArray
from corridor.errors import SchemaError
from corridor.model.crossing_checks import check_crossing_rows
from corridor.model.dated import links_open_on, links_open_with_crossings, open_on
from corridor.model.schema import (
    CROSSING_COLUMNS,
    FORMALITY_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    TURN_COLUMNS,
    Mode,
    NodeKind,
    conform,
)

__all__ = ["Network", "links_open_on", "open_on"]


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
    formalities
        Border formalities per crossing node, mode, direction and vehicle
        (:data:`corridor.model.schema.FORMALITY_COLUMNS`); may be empty (then every
        crossing is open to every vehicle without formalities).
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
        "_formalities",
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
    _formalities: pd.DataFrame
    _hash: str | None

    def __init__(
        self,
        nodes: pd.DataFrame,
        links: pd.DataFrame,
        crossings: pd.DataFrame | None = None,
        turns: pd.DataFrame | None = None,
        formalities: pd.DataFrame | None = None,
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
            (empty if formalities is None else formalities, FORMALITY_COLUMNS, "formalities"),
        ):
            table, found = conform(frame, columns, label)
            tables.append(table)
            problems += found
        node_t, link_t, crossing_t, turn_t, formality_t = tables
        if not problems:
            problems += _check_relations(node_t, link_t, crossing_t)
            problems += _check_turns(turn_t, link_t, node_t)
            problems += _check_formalities(formality_t, node_t)
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
        object.__setattr__(self, "_formalities", formality_t)
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
    def formalities(self) -> pd.DataFrame:
        """The border-formalities table (a read-only shallow copy)."""
        copy: pd.DataFrame = self._formalities.copy(deep=False)
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
            if len(self._formalities):
                rows = pd.util.hash_pandas_object(self._formalities.astype(str), index=False)
                h.update(b"formalities" + rows.to_numpy().tobytes())
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
            "formalities": self._formalities,
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

    def with_formalities(self, formalities: pd.DataFrame) -> Network:
        """Return a copy of this network with the border-formalities table replaced."""
        return self._copy(formalities=formalities)

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
        kept = links[links_open_with_crossings(links, self._crossings, when)]
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
            self._formalities,
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
        return links_open_with_crossings(self._links, self._crossings, self.date)

    def open_crossings(self) -> BoolArray:
        """Which rows of :attr:`crossings` are in force on the network's :attr:`date`
        (:func:`open_on`; on an undated network, the rows without a ``closed`` date)."""
        return open_on(self._crossings, self.date)

    def open_turns(self) -> BoolArray:
        """Which rows of :attr:`turns` are in force on the network's :attr:`date`
        (:func:`open_on`; on an undated network, the rows without a ``closed`` date)."""
        return open_on(self._turns, self.date)


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
    air_stop = (links["mode"] == Mode.AIR) & links["class"].isin(("boarding", "arrival"))
    zero = (links["length_km"] == 0) & ~transfer & ~air_stop
    if zero.any():
        problems.append(
            f"links.length_km: link ids {links.loc[zero, 'link_id'].tolist()[:5]} have "
            "zero length; only transfer links and air boarding/arrival links may be 0 km"
        )
    crossing_ids = set(nodes.loc[nodes["kind"] == NodeKind.BORDER_CROSSING, "node_id"])
    if len(crossings):
        stray = ~crossings["node_id"].isin(crossing_ids)
        if stray.any():
            problems.append(
                f"crossings.node_id: {sorted(set(crossings.loc[stray, 'node_id']))[:5]} "
                "are not border_crossing nodes"
            )
        problems += check_crossing_rows(crossings)
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


def _check_turns(turns: pd.DataFrame, links: pd.DataFrame, nodes: pd.DataFrame) -> list[str]:
    problems: list[str] = []
    if not len(turns):
        return problems
    dup = turns["restriction_id"].duplicated(keep=False)
    if dup.any():
        ids = sorted(set(turns.loc[dup, "restriction_id"].tolist()))
        problems.append(
            f"turns.restriction_id: {ids[:5]} appear more than once; give each restriction "
            "one row with its own id"
        )
    dangling = ~turns["via_node"].isin(nodes["node_id"])
    if dangling.any():
        problems.append(
            f"turns.via_node: restrictions {turns.loc[dangling, 'restriction_id'].tolist()[:5]} "
            "name via nodes not in the network; give the node where from_link ends"
        )
    for col in ("from_link", "to_link"):
        missing = ~turns[col].isin(links["link_id"])
        if missing.any():
            problems.append(
                f"turns.{col}: restrictions {turns.loc[missing, 'restriction_id'].tolist()[:5]} "
                "refer to links not in the network"
            )
    return problems


def _check_formalities(formalities: pd.DataFrame, nodes: pd.DataFrame) -> list[str]:
    problems: list[str] = []
    if not len(formalities):
        return problems
    crossing_ids = nodes.loc[nodes["kind"] == NodeKind.BORDER_CROSSING, "node_id"]
    bad = ~formalities["node_id"].isin(crossing_ids)
    if bad.any():
        problems.append(
            f"formalities.node_id: {sorted(set(formalities.loc[bad, 'node_id'].tolist()))[:5]} "
            "are not border-crossing nodes; give formalities for crossings only"
        )
    keys = ["node_id", "mode", "direction", "vehicle"]
    dup = formalities.duplicated(keys)
    if dup.any():
        shown = formalities.loc[dup, keys].head(3).to_dict("records")
        problems.append(f"formalities: duplicate (node, mode, direction, vehicle) rows {shown}")
    return problems
