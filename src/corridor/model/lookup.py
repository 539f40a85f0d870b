"""Find nodes by name without ever merging two places.

A name is looked up in four steps, and the first that finds something decides:

1. exact: the node's own name, ignoring case, diacritics and punctuation;
2. alternate: its curated alternate names (``alt_names``) and the curated spelling
   variants of the gazetteer (Zabaykal'sk/Zabaikalsk, St/Saint Petersburg);
3. qualified: ``"Khorgos, KZ"``, ``"Khorgos (Kazakhstan)"`` narrow a name to a country;
4. fuzzy: a name one letter off (insertion, deletion, substitution or swap) from a
   single place's name is accepted and reported ("Chongqingg -> Chongqing (closest
   spelling)"); it is never tried on the name of a real town (GeoNames), so Jining is not
   corrected to Yining.

A name several places bear resolves to the most populous and says so in a note, the
GeoNames towns of 15,000+ people outside the network (in the covered countries)
included: "Changsha" is the network's city of 3 million, "also Changsha, CN (pop. 47k),
not in the network". When such a town is at least as populous as every network place of
that name, the name is refused with the names that tell them apart (Suzhou: say "Suzhou
(Anhui)"): answering for the wrong town is worse than asking. A name found only in
GeoNames says whether the town lies outside the network's coverage (Tashkent) or is
simply not one of its places (with the nearest that are).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from corridor.budget import clipped
from corridor.errors import UnknownNodeError
from corridor.model.gazetteer import Gazetteer, distance_km
from corridor.model.names import name_key, one_edit
from corridor.model.refusals import ambiguous, not_in_network, outside_coverage
from corridor.model.resolution import Candidate, Match, Resolution

__all__ = ["PlaceIndex", "name_key"]

_KIND_RANK = {"city": 0, "port": 1, "terminal": 2, "border_crossing": 3, "junction": 4}
_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<c1>[^,()]+?)|\(\s*(?P<c2>[^()]+?)\s*\))\s*$")
_NODE_ID = re.compile(r"[0-9]+")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
MAX_NAME_CHARS = 200
"""Longest place name or id looked up; longer input is refused before any matching
[assumption: the longest name in GeoNames' cities500 has under 100 characters]."""
SAME_PLACE_KM = 30.0  # nodes (or a node and a town) of one country this close are one place
TWIN_KM = 10.0  # a node placed by coordinates this close to a GeoNames town is that town
FUZZY_MIN_LETTERS = 5  # shorter names are too close to each other to correct a typo


@dataclass(frozen=True)
class PlaceIndex:
    """Name -> node index over a nodes table.

    Parameters
    ----------
    nodes
        A conformed nodes table (`node_id`, `name`, `alt_names`, `kind`, `country`,
        `population`, `lat`, `lon`; `key` and `geonameid` when present).
    gazetteer
        World cities and spelling variants; without it there are no spelling variants,
        no check against towns outside the network and no coverage message.

    Examples
    --------
    >>> import corridor
    >>> PlaceIndex(corridor.examples.toy().nodes).lookup("a").match.value
    'exact'
    """

    nodes: pd.DataFrame
    gazetteer: Gazetteer | None = None
    _exact: dict[str, list[int]] = field(init=False, repr=False)
    _alternate: dict[str, list[int]] = field(init=False, repr=False)
    _labels: dict[str, str] = field(init=False, repr=False)
    _places: tuple[Candidate, ...] = field(init=False, repr=False)
    _covered: tuple[str, ...] = field(init=False, repr=False)
    _arrays: tuple[np.ndarray, ...] = field(init=False, repr=False)
    _sides: dict[int | None, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        nodes = self.nodes.reset_index(drop=True)
        object.__setattr__(self, "nodes", nodes)
        exact: dict[str, list[int]] = {}
        alternate: dict[str, list[int]] = {}
        labels: dict[str, str] = {}
        gaz = self.gazetteer
        for row, (name, alts) in enumerate(zip(nodes["name"], nodes["alt_names"], strict=True)):
            texts = [str(name), *[a.strip() for a in str(alts).split(";") if a.strip()]]
            for i, text in enumerate(texts):
                key = name_key(text)
                if not key:
                    continue
                labels.setdefault(key, text)
                target = exact if i == 0 else alternate
                keys = {key} if gaz is None else gaz.spellings(key)
                for k in sorted(keys):
                    into = target if k == key else alternate
                    if row not in into.setdefault(k, []):
                        into[k].append(row)
        for k, rows in exact.items():  # a node found by its own name is not also "alternate"
            if k in alternate:
                alternate[k] = [r for r in alternate[k] if r not in rows]
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_alternate", alternate)
        object.__setattr__(self, "_labels", labels)
        n = len(nodes)
        key_col = nodes["key"].astype(str) if "key" in nodes else pd.Series([""] * n)
        gid_col = nodes["geonameid"] if "geonameid" in nodes else pd.Series([0] * n)
        places = tuple(
            Candidate(
                name=str(nm),
                country=str(cc),
                population=int(pop),
                lat=float(la),
                lon=float(lo),
                node_id=int(nid),
                key=str(k),
                kind=str(kd),
                geonameid=int(g),
            )
            for nm, cc, pop, la, lo, nid, k, kd, g in zip(
                nodes["name"],
                nodes["country"],
                nodes["population"].fillna(0),
                nodes["lat"],
                nodes["lon"],
                nodes["node_id"],
                key_col,
                nodes["kind"],
                gid_col.fillna(0),
                strict=True,
            )
        )
        object.__setattr__(self, "_places", places)
        arrays = (
            np.array([p.lat for p in places], dtype=np.float64),
            np.array([p.lon for p in places], dtype=np.float64),
            np.array([p.geonameid for p in places], dtype=np.int64),
            np.array([p.kind in ("city", "port") for p in places], dtype=bool),
            np.array([p.country for p in places], dtype=object),
        )
        object.__setattr__(self, "_arrays", arrays)
        sides: dict[int | None, frozenset[str]] = {}
        if "country_a" in nodes and "country_b" in nodes:
            for p, a, b in zip(places, nodes["country_a"], nodes["country_b"], strict=True):
                if p.kind == "border_crossing":
                    sides[p.node_id] = frozenset({p.country, str(a), str(b)} - {"", "nan"})
        object.__setattr__(self, "_sides", sides)
        object.__setattr__(self, "_covered", tuple(sorted(set(nodes["country"].astype(str)))))

    @property
    def covered_countries(self) -> tuple[str, ...]:
        """The countries of the network's nodes (ISO codes, sorted)."""
        return self._covered

    # -- the lookup ----------------------------------------------------------------------

    def lookup(self, place: str | int, *, role: str = "place") -> Resolution:
        """Resolve a node id or a place name, saying how it matched.

        Parameters
        ----------
        place
            A node id, or a name (optionally qualified by a country: ``"Brest, BY"``).
        role
            What the place is used as, for messages ("origin", "destination").

        Returns
        -------
        Resolution
            The node chosen, the match kind, the other places of that name and a note.

        Raises
        ------
        UnknownNodeError
            If nothing matches; the message lists the closest names.
        AmbiguousPlaceError
            If a town outside the network bears the name too.
        OutsideCoverageError
            If the name is a town in a country the network does not cover.
        """
        if isinstance(place, (int, np.integer)):
            return self._by_id(int(place), str(place), role)
        query = str(place).strip()
        if len(query) > MAX_NAME_CHARS:
            raise UnknownNodeError(
                [clipped(query, 40)],
                role=role,
                detail=f"longer than {MAX_NAME_CHARS} characters; no place name is that long",
            )
        if _NODE_ID.fullmatch(query):  # ASCII digits only: '²'.isdigit() is True too
            return self._by_id(int(query), query, role)
        key = name_key(query)
        if not key:
            raise UnknownNodeError([place], role=role)
        rows = self._matches(key)
        if rows:
            return self._choose(query, key, rows, role, country=None, match=None)
        m = _QUALIFIED.match(query)
        qualifier = (m.group("c1") or m.group("c2")) if m else None
        code = self._country(qualifier) if qualifier else None
        if m and code is not None:
            base = name_key(m.group("name"))
            if code not in self._covered:
                self._outside(query, base, role, code)
            rows = [r for r in self._matches(base) if self._places[r].country == code]
            if rows:
                return self._choose(query, base, rows, role, country=code, match=Match.QUALIFIED)
            key = base
        known = self._not_in_network(query, key, role, code)
        return known if known is not None else self._fuzzy(query, key, role, code)

    def resolve(self, place: str | int, *, role: str = "place") -> int:
        """Return the node id for a node id or a place name (see :meth:`lookup`).

        Raises
        ------
        UnknownNodeError
            If nothing matches, the name is ambiguous or outside the coverage.
        """
        return self.lookup(place, role=role).node_id

    def candidates(self, name: str) -> pd.DataFrame:
        """Every node whose name, alternate name or spelling variant is `name`, best first."""
        key = name_key(name)
        rows = self._ranked(key, self._matches(key))
        return self.nodes.iloc[rows]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The `n` names closest to `name`."""
        keys = list(self._exact) + [k for k in self._alternate if k not in self._exact]
        close = difflib.get_close_matches(name_key(name), keys, n=n, cutoff=0.5)
        return list(dict.fromkeys(self._label(k) for k in close))

    def search(self, prefix: str, limit: int = 10) -> pd.DataFrame:
        """Nodes whose name or alternate name starts with `prefix`, by population."""
        key = name_key(prefix)
        rows = sorted(
            {
                r
                for index in (self._exact, self._alternate)
                for k, rs in index.items()
                if k.startswith(key)
                for r in rs
            }
        )
        found = self.nodes.iloc[rows]
        return found.sort_values("population", ascending=False, kind="stable").head(limit)

    # -- steps -----------------------------------------------------------------------------

    def _by_id(self, node_id: int, query: str, role: str) -> Resolution:
        if not _INT64_MIN <= node_id <= _INT64_MAX:  # would overflow the id column
            raise UnknownNodeError([clipped(query, 40)], role=f"{role} node id")
        hit = np.flatnonzero(self.nodes["node_id"].to_numpy() == node_id)
        if not hit.size:
            raise UnknownNodeError([query], role=f"{role} node id")
        return Resolution(query, self._places[int(hit[0])], Match.ID, (self._places[int(hit[0])],))

    def _label(self, key: str) -> str:
        """A name with key `key`: as written on a node, else the name of its first node."""
        found = self._labels.get(key)
        if found is not None:
            return found
        rows = self._matches(key)
        return self._places[rows[0]].name if rows else key

    def _ids(self, key: str) -> set[int | None]:
        return {self._places[r].node_id for r in self._matches(key)}

    def _matches(self, key: str) -> list[int]:
        return list(dict.fromkeys(self._exact.get(key, []) + self._alternate.get(key, [])))

    def _ranked(self, key: str, rows: list[int]) -> list[int]:
        exact = set(self._exact.get(key, []))

        def rank(r: int) -> tuple[int, int, int, int]:
            p = self._places[r]
            return (-p.population, r not in exact, _KIND_RANK.get(p.kind, 9), p.node_id or 0)

        return sorted(rows, key=rank)

    def _country(self, text: str) -> str | None:
        if self.gazetteer is not None:
            return self.gazetteer.country_code(text)
        text = text.strip()
        return text.upper() if len(text) == 2 and text.isalpha() else None

    def _twins(self, town: Candidate) -> list[Candidate]:
        """The towns and ports of the network that are the GeoNames `town`.

        Its GeoNames id, or no id (placed by coordinates) and within TWIN_KM: a name
        known only to GeoNames must not reach a node merely near it (Baoshan, a district
        of Shanghai, is not Shanghai; Huocheng county is not the Qingshuihe junction).
        """
        lat, lon, gid, kind, countries = self._arrays
        country = countries == town.country
        same = (gid == town.geonameid) & (gid != 0)
        d = distance_km(town.lat, town.lon, lat, lon)
        near = (gid == 0) & country & (d <= TWIN_KM)
        return [self._places[i] for i in np.flatnonzero(kind & (same | near))]

    def _same_place(self, node: Candidate, city: Candidate) -> bool:
        """Whether a node is a GeoNames town: its id, or its country within SAME_PLACE_KM."""
        if node.geonameid and node.geonameid == city.geonameid:
            return True
        if city.country not in self._countries_of(node):
            return False
        d = distance_km(node.lat, node.lon, [city.lat], [city.lon])
        return bool(d[0] <= SAME_PLACE_KM)

    def _countries_of(self, node: Candidate) -> frozenset[str]:
        """A node's country; both countries for a border crossing (it lies on the line)."""
        return self._sides.get(node.node_id, frozenset({node.country}))

    def _towns(self, key: str, country: str | None) -> list[Candidate]:
        """GeoNames towns of the covered countries with name key `key`, largest first."""
        if self.gazetteer is None:
            return []
        return [
            t
            for t in self.gazetteer.cities_named(key)
            if t.country in self._covered and (country is None or t.country == country)
        ]

    def _choose(
        self,
        query: str,
        key: str,
        rows: list[int],
        role: str,
        *,
        country: str | None,
        match: Match | None,
    ) -> Resolution:
        inside = [self._places[r] for r in self._ranked(key, rows)]
        exact = {self._places[r].node_id for r in self._exact.get(key, [])}
        got = self._settle(query, inside, self._towns(key, country), role)
        if match is None:
            match = Match.EXACT if got.place.node_id in exact else Match.ALTERNATE
        return Resolution(query, got.place, match, got.candidates, got.note)

    def _settle(
        self, query: str, inside: list[Candidate], towns: list[Candidate], role: str
    ) -> Resolution:
        """Choose among the network places of a name, given the GeoNames towns of it.

        A town that is one of the network places lends it its population when the node
        has none; the others are homonyms outside the network. The most populous place
        wins, and the note names the rest; if a homonym outside the network is at least
        as populous as every network place, the name is refused (AmbiguousPlaceError).
        """
        min_pop = self.gazetteer.min_population if self.gazetteer is not None else 0
        twin_pop: dict[int | None, int] = {}
        outside = []
        for t in towns:
            owners = [p for p in inside if self._same_place(p, t)]
            for p in owners:
                twin_pop[p.node_id] = max(twin_pop.get(p.node_id, 0), t.population)
            if not owners and t.population >= min_pop:
                outside.append(t)
        order = {p.node_id: i for i, p in enumerate(inside)}  # ties: the given order
        places = sorted(
            (replace(p, population=max(p.population, twin_pop.get(p.node_id, 0))) for p in inside),
            key=lambda p: (-p.population, order[p.node_id]),
        )
        if outside and outside[0].population >= places[0].population:
            self._ambiguous(query, places, outside, role)
        chosen = places[0]
        also = [f"also {p.label()}" for p in places[1:] if not self._same_as(chosen, p)]
        also += [f"also {t.label()}, not in the network" for t in outside]
        note = ""
        if also:
            more = f"; and {len(also) - 3} more" if len(also) > 3 else ""
            note = (
                f"{query} → {chosen.label()}, the most populous of that name; "
                f"{'; '.join(also[:3])}{more}"
            )
        return Resolution(query, chosen, Match.EXACT, (*places, *outside), note)

    def _same_as(self, a: Candidate, b: Candidate) -> bool:
        """Whether two nodes are one place (a town and its station or border post)."""
        if not self._countries_of(a) & self._countries_of(b):
            return False
        d = distance_km(a.lat, a.lon, [b.lat], [b.lon])
        return bool(d[0] <= SAME_PLACE_KM)

    def _unambiguous_names(self, node: Candidate) -> list[str]:
        """Names of a node that no GeoNames town outside the network bears."""
        row = next(i for i, p in enumerate(self._places) if p.node_id == node.node_id)
        alts = str(self.nodes["alt_names"].iloc[row]).split(";")
        out = []
        for text in [node.name, *[a.strip() for a in alts if a.strip()]]:
            k = name_key(text)
            rivals = [
                t
                for t in self._towns(k, None)
                if not self._same_place(node, t)
                and t.population >= (self.gazetteer.min_population if self.gazetteer else 0)
            ]
            if not rivals and len(self._matches(k)) == 1:
                out.append(text)
        return out[:2]

    def _ambiguous(
        self, query: str, inside: list[Candidate], outside: list[Candidate], role: str
    ) -> None:
        names = [n for p in inside[:3] for n in self._unambiguous_names(p)]
        raise ambiguous(query, role, inside, outside, names)

    def _outside(self, query: str, key: str, role: str, code: str) -> None:
        name = self.gazetteer.country_name(code) if self.gazetteer is not None else code
        here = [self._places[r] for r in self._matches(key)]
        has = f"; the network has {', '.join(p.label() for p in here[:3])}" if here else ""
        what = f"{name} ({code})"
        raise outside_coverage(query, role, what, code, self._covered, tail=has)

    def _not_in_network(
        self, query: str, key: str, role: str, code: str | None
    ) -> Resolution | None:
        """Answer for a name found in GeoNames only (a real name, never taken for a typo).

        A name borne only by towns of uncovered countries is outside the coverage; a
        town that is a node under another name (see :meth:`_twins`) resolves to it,
        reported, unless a more populous town bears the name too; any other town is not
        a place of the network, and the error names the nearest network towns.
        """
        if self.gazetteer is None:
            return None
        towns = [t for t in self.gazetteer.cities_named(key) if code is None or t.country == code]
        if not towns:
            return self._alternate_of(query, key, role, code)
        if all(t.country not in self._covered for t in towns):
            cc = towns[0].country
            what = f"{towns[0].name} ({cc}, {self.gazetteer.country_name(cc)})"
            raise outside_coverage(query, role, what, cc, self._covered)
        found = self._towns(key, code)
        inside = list(dict.fromkeys(p for t in found for p in self._twins(t)))
        if inside:
            got = self._settle(query, inside, found, role)
            note = f"{query} → {got.place.label()} (GeoNames name of this place)"
            if got.note:
                note += "; " + got.note.split("; ", 1)[1]
            return Resolution(query, got.place, Match.ALTERNATE, got.candidates, note)
        near = self._nearest(found[0].lat, found[0].lon)
        raise not_in_network(query, role, found[0], near, self._starting(key))

    def _alternate_of(self, query: str, key: str, role: str, code: str | None) -> Resolution | None:
        """Explain a GeoNames alternate name of a million-city (Toshkent, Constantinople).

        Such names are not curated, so they never resolve silently: the city of the
        network is named in the error, a city elsewhere is outside the coverage.
        """
        if self.gazetteer is None:
            return None
        cities = [
            t for t in self.gazetteer.cities_also_named(key) if code is None or t.country == code
        ]
        if not cities:
            return None
        top = cities[0]
        if all(t.country not in self._covered for t in cities):
            cc = top.country
            what = (
                f"{top.name} ({cc}, {self.gazetteer.country_name(cc)}), of which it is a "
                "GeoNames alternate name,"
            )
            raise outside_coverage(query, role, what, cc, self._covered)
        here = [p for t in cities for p in self._twins(t)]
        near = [] if here else [p for p, _ in self._nearest(top.lat, top.lon)]
        where = (
            "which is in the network under that name"
            if here
            else "which is not a place of the network; nearest: " + ", ".join(p.name for p in near)
        )
        raise UnknownNodeError(
            [query],
            role=role,
            detail=f"GeoNames gives it as another name of {top.label()}, {where}",
            suggestions=[p.name for p in (here or near)][:5],
        )

    def _starting(self, key: str, n: int = 3) -> list[str]:
        """Names of the most populous nodes with a name that starts with `key`."""
        rows = {
            r
            for idx in (self._exact, self._alternate)
            for k, rs in idx.items()
            if k.startswith(key)
            for r in rs
        }
        best = sorted(rows, key=lambda r: (-self._places[r].population, r))[:n]
        return [self._places[r].name for r in best]

    def _nearest(self, lat: float, lon: float, n: int = 3) -> list[tuple[Candidate, float]]:
        towns = [p for p in self._places if p.kind in ("city", "port")]
        if not towns:
            return []
        d = distance_km(lat, lon, [p.lat for p in towns], [p.lon for p in towns])
        order = np.argsort(d, kind="stable")[:n]
        return [(towns[i], float(d[i])) for i in order]

    def _fuzzy(self, query: str, key: str, role: str, code: str | None) -> Resolution:
        close: list[str] = []
        if len(key) >= FUZZY_MIN_LETTERS:
            keys = set(self._exact) | set(self._alternate)
            close = sorted(k for k in keys if one_edit(key, k))
        rows = list(dict.fromkeys(r for k in close for r in self._matches(k)))
        if code is not None:
            rows = [r for r in rows if self._places[r].country == code]
        if rows:
            ranked = [self._places[r] for r in self._ranked(key, rows)]
            if all(self._same_as(ranked[0], p) for p in ranked[1:]):
                best = next(k for k in close if ranked[0].node_id in self._ids(k))
                got = self._choose(query, best, rows, role, country=code, match=Match.FUZZY)
                note = f"{query} → {got.place.label()} (closest spelling)"
                return Resolution(query, got.place, Match.FUZZY, got.candidates, note)
        suggestions = list(dict.fromkeys(self._label(k) for k in close))[:5]
        suggestions = suggestions or self.suggest(query)
        raise UnknownNodeError([query], role=role, suggestions=suggestions)
