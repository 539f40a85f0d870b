"""The Network value: nodes, links and border-crossing tables, validated on construction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridor.errors import SchemaError
from corridor.model.schema import (
    CROSSING_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    TURN_COLUMNS,
    Mode,
    NodeKind,
    conform,
)

__all__ = ["Network"]


def _dupes(series: pd.Series) -> list[Any]:
    return sorted(set(series[series.duplicated()].tolist()))


@dataclass(frozen=True, eq=False, repr=False)
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

    Raises
    ------
    SchemaError
        Listing every problem found: missing or mistyped columns, values out of range,
        duplicate ids, links to missing nodes, crossings on nodes that are not crossings.

    Notes
    -----
    The tables are copied, conformed to the schema and made read-only; edits return a
    new Network (:meth:`with_links`, :meth:`with_nodes`).
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    crossings: pd.DataFrame = field(default_factory=pd.DataFrame)
    turns: pd.DataFrame = field(default_factory=pd.DataFrame)
    name: str = "network"
    source: str | None = None
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        nodes, problems = conform(self.nodes, NODE_COLUMNS, "nodes")
        links, link_problems = conform(self.links, LINK_COLUMNS, "links")
        problems += link_problems
        crossings, crossing_problems = conform(self.crossings, CROSSING_COLUMNS, "crossings")
        problems += crossing_problems
        turns, turn_problems = conform(self.turns, TURN_COLUMNS, "turns")
        problems += turn_problems
        if not problems:
            problems += _check_relations(nodes, links, crossings)
            problems += _check_turns(turns, links)
        if problems:
            raise SchemaError(problems, source=self.source)
        for frame in (nodes, links, crossings, turns):
            for col in frame.columns:
                arr = frame[col].to_numpy()
                if isinstance(arr, np.ndarray):
                    arr.flags.writeable = False
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "crossings", crossings)
        object.__setattr__(self, "turns", turns)

    def __repr__(self) -> str:
        return (
            f"<Network {self.name!r}: {len(self.nodes)} nodes, {len(self.links)} links, "
            f"{int((self.nodes['kind'] == NodeKind.BORDER_CROSSING).sum())} crossings>"
        )

    @property
    def content_hash(self) -> str:
        """A hash of the tables' content; equal networks have equal hashes."""
        if "hash" not in self._cache:
            h = hashlib.sha256()
            tables = (self.nodes, self.links.drop(columns="geometry"), self.crossings, self.turns)
            for frame in tables:
                h.update(
                    pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes()
                )
            self._cache["hash"] = h.hexdigest()
        value: str = self._cache["hash"]
        return value

    def with_links(self, links: pd.DataFrame) -> Network:
        """Return a copy of this network with `links` replaced."""
        return Network(self.nodes, links, self.crossings, self.turns, name=self.name)

    def with_nodes(self, nodes: pd.DataFrame) -> Network:
        """Return a copy of this network with `nodes` replaced."""
        return Network(nodes, self.links, self.crossings, self.turns, name=self.name)

    def with_crossings(self, crossings: pd.DataFrame) -> Network:
        """Return a copy of this network with the crossing table replaced."""
        return Network(self.nodes, self.links, crossings, self.turns, name=self.name)

    def as_of(self, date: str | pd.Timestamp) -> Network:
        """Return the network as it stood on `date`.

        Links not yet opened or already closed are dropped, as are crossing figures for a
        mode not yet opened, and turn restrictions on dropped links.
        """
        when = pd.Timestamp(date)
        links = self.links
        keep = (links["opened"].isna() | (links["opened"] <= when)) & (
            links["closed"].isna() | (links["closed"] > when)
        )
        kept = links[keep.to_numpy()]
        turns = self.turns
        if len(turns):
            ok = turns["from_link"].isin(kept["link_id"]) & turns["to_link"].isin(kept["link_id"])
            turns = turns[ok.to_numpy()]
        crossings = self.crossings
        crossings = crossings[
            (crossings["opened"].isna() | (crossings["opened"] <= when)).to_numpy()
        ]
        return Network(self.nodes, kept, crossings, turns, name=f"{self.name}@{when.date()}")


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
        twice = crossings.duplicated(["node_id", "mode", "direction"])
        if twice.any():
            problems.append(
                "crossings: duplicate (node_id, mode, direction) rows for nodes "
                f"{sorted(set(crossings.loc[twice, 'node_id']))[:5]}"
            )
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
