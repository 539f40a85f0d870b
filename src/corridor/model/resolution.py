"""How a place name was resolved: the place chosen, how it matched, what else it names."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Candidate", "Match", "Resolution", "population_text"]


class Match(StrEnum):
    """How a query found its place."""

    EXACT = "exact"  # the place's own name (case, diacritics, punctuation aside)
    ALTERNATE = "alternate"  # a curated alternate name or spelling variant
    QUALIFIED = "qualified"  # a name narrowed by a country ("Khorgos, KZ")
    FUZZY = "fuzzy"  # one letter off a name: reported, never silent
    ID = "id"  # a node id


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a name matched, in the network or not.

    Parameters
    ----------
    name
        The place's name (GeoNames name for a place outside the network).
    country
        ISO 3166-1 alpha-2 code.
    population
        Inhabitants (0 when unknown).
    lat, lon
        Position in degrees (WGS 84).
    node_id
        The node, or None for a place outside the network.
    key
        The node's recipe key ("" outside the network).
    kind
        Node kind ("city" outside the network).
    geonameid
        GeoNames id (0 when none).
    """

    name: str
    country: str
    population: int
    lat: float
    lon: float
    node_id: int | None = None
    key: str = ""
    kind: str = "city"
    geonameid: int = 0

    @property
    def in_network(self) -> bool:
        """Whether the place is a node of the network."""
        return self.node_id is not None

    def label(self) -> str:
        """``"Khorgos (Horgos), CN (pop. 71k)"``."""
        return f"{self.name}, {self.country} ({population_text(self.population)})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return {
            "node_id": self.node_id,
            "name": self.name,
            "key": self.key,
            "kind": self.kind,
            "country": self.country,
            "population": self.population,
            "lat": self.lat,
            "lon": self.lon,
            "geonameid": self.geonameid,
            "in_network": self.in_network,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """A place name resolved to one node, with how it matched and what else it names.

    Parameters
    ----------
    query
        The text (or id) asked for.
    place
        The place chosen. Its population is the node's, or, for a node placed by
        coordinates without one, that of the GeoNames town it is.
    match
        How it was found.
    candidates
        Every place the query matched, the chosen one first, then the other network
        places by population, then the GeoNames towns of that name outside the network
        (``node_id`` None).
    note
        One line for the user when the answer needs saying (an ambiguous name, a
        corrected spelling); "" when the name is its place's own and unambiguous.
    """

    query: str
    place: Candidate
    match: Match
    candidates: tuple[Candidate, ...] = ()
    note: str = ""

    @property
    def node_id(self) -> int:
        """The node chosen."""
        if self.place.node_id is None:  # never: a Resolution always names a node
            raise ValueError("a Resolution names a network node")
        return self.place.node_id

    def __repr__(self) -> str:
        return (
            f"<Resolution {self.query!r} -> {self.place.name}, {self.place.country} ({self.match})>"
        )

    def to_dict(self) -> dict[str, Any]:
        """``{query, node_id, name, key, country, population, match, note, candidates}``."""
        return {
            "query": self.query,
            "node_id": self.node_id,
            "name": self.place.name,
            "key": self.place.key,
            "kind": self.place.kind,
            "country": self.place.country,
            "population": self.place.population,
            "match": self.match.value,
            "note": self.note,
            "candidates": [c.to_dict() for c in self.candidates],
        }


def population_text(n: int) -> str:
    """``"pop. 71k"``, ``"pop. 1.24M"``; ``"pop. unknown"`` for 0.

    Examples
    --------
    >>> population_text(71446), population_text(1148), population_text(1241012)
    ('pop. 71k', 'pop. 1.1k', 'pop. 1.24M')
    """
    if n <= 0:
        return "pop. unknown"
    if n >= 1_000_000:
        return f"pop. {n / 1e6:.3g}M"
    if n >= 10_000:
        return f"pop. {n / 1e3:.0f}k"
    if n >= 1_000:
        return f"pop. {n / 1e3:.1f}k"
    return f"pop. {n}"
