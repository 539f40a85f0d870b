"""Circuity audit of the road network: road length over great-circle length between places.

For the largest places of the network (cities with a road link, by GeoNames population),
every pair's least road length is compared with its great-circle length. A ratio above
:data:`CIRCUITY_MAX` is a missing road, a wrong alignment or a real geographic detour. The
notes of :mod:`corridor.analysis.circuity_notes` explain pairs over the limit: real detours
(``geography``: a sea, mountains, a border without a road crossing) and roads known to be
missing from the network (``gap``, reported as a warning until added). Any other pair over
the limit is a failure of ``corridor data check``.

Road lengths come from one many-to-many skim on the project's own search
(:func:`corridor.paths.skim.skim`, least ``length_km`` over road links, both directions as
the links allow), taken on the network as of the check date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.analysis.data_check import Check
from corridor.errors import ValidationError
from corridor.model.network import Network

__all__ = [
    "AUDIT_PLACES",
    "CIRCUITY_MAX",
    "CircuityAudit",
    "CircuityNote",
    "CircuityPair",
    "audit_circuity",
    "check_circuity",
    "largest_places",
]

log = logging.getLogger(__name__)

CIRCUITY_MAX = 1.6
"""Road length / great-circle length above which a pair needs a stated geographic reason."""

AUDIT_PLACES = 100
"""How many of the largest places the audit pairs up."""


@dataclass(frozen=True, slots=True)
class CircuityNote:
    """Why the pairs between two groups of places may exceed the circuity limit.

    A group lists recipe keys (``"Pyongyang/KP"``) or ISO country codes (``"CN"``: any
    place of that country). ``kind`` is ``"geography"`` for a real detour (a sea, a
    mountain range, a border with no road crossing) or ``"gap"`` for a road that exists
    but is not yet in the network (reported as a warning until it is added).
    """

    a: tuple[str, ...]
    b: tuple[str, ...]
    reason: str
    kind: str = "geography"

    def __post_init__(self) -> None:
        if self.kind not in {"geography", "gap"}:
            raise ValidationError(f"circuity note kind {self.kind!r}: use 'geography' or 'gap'")

    def covers(self, x: str, y: str) -> bool:
        """Whether the pair ``x``-``y`` (recipe keys, either order) falls under this note."""
        return (_member(x, self.a) and _member(y, self.b)) or (
            _member(y, self.a) and _member(x, self.b)
        )


def _member(key: str, group: tuple[str, ...]) -> bool:
    country = key.rpartition("/")[2]
    return key in group or country in group


@dataclass(frozen=True, slots=True)
class CircuityPair:
    """One pair of audited places over the limit, with the note that explains it if any."""

    origin: str
    destination: str
    road_km: float
    great_circle_km: float
    circuity: float
    kind: str | None
    reason: str | None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (``road_km`` and ``circuity`` None where no road joins the pair)."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "road_km": round(self.road_km, 1) if np.isfinite(self.road_km) else None,
            "great_circle_km": round(self.great_circle_km, 1),
            "circuity": round(self.circuity, 3) if np.isfinite(self.circuity) else None,
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class CircuityAudit:
    """The outcome of :func:`audit_circuity`.

    Attributes
    ----------
    places
        Recipe keys of the audited places, largest first.
    n_pairs
        Number of unordered pairs audited.
    over
        Every pair over the limit, worst first, with the note that explains it if any.
    stale
        Notes that explain no pair over the limit (the detour is gone or a place left the
        audit): to be removed.
    limit
        The circuity limit applied.
    median_circuity
        Median road / great-circle ratio over all audited pairs.
    """

    places: tuple[str, ...]
    n_pairs: int
    over: tuple[CircuityPair, ...]
    stale: tuple[CircuityNote, ...]
    limit: float
    median_circuity: float

    @property
    def failures(self) -> tuple[CircuityPair, ...]:
        """Pairs over the limit that no note explains."""
        return tuple(p for p in self.over if p.kind is None)

    @property
    def gaps(self) -> tuple[CircuityPair, ...]:
        """Pairs over the limit because of a road known to be missing."""
        return tuple(p for p in self.over if p.kind == "gap")

    @property
    def passed(self) -> bool:
        """True if every pair over the limit is explained by a note."""
        return not self.failures

    def to_frame(self) -> pd.DataFrame:
        """The pairs over the limit, one row each."""
        columns = ["origin", "destination", "road_km", "great_circle_km", "circuity"]
        return pd.DataFrame([p.to_dict() for p in self.over], columns=[*columns, "kind", "reason"])

    def __repr__(self) -> str:
        return (
            f"<CircuityAudit {len(self.places)} places, {self.n_pairs} pairs, "
            f"{len(self.over)} over {self.limit:g} ({len(self.gaps)} known gaps, "
            f"{len(self.failures)} unexplained)>"
        )


def largest_places(network: Network, n: int = AUDIT_PLACES) -> pd.DataFrame:
    """The `n` most populous cities of `network` that touch a road link.

    Ties in population are broken by recipe key (or node id), so the choice is stable.
    Returns the rows of ``network.nodes``, largest first.
    """
    links = network.links
    road = links[links["mode"] == "road"]
    on_road = np.union1d(road["a_node"].to_numpy(), road["b_node"].to_numpy())
    nodes = network.nodes
    cities = nodes[(nodes["kind"] == "city") & nodes["node_id"].isin(on_road)]
    key = "key" if "key" in cities else "node_id"
    order = cities.sort_values(["population", key], ascending=[False, True], kind="stable")
    return order.head(n).reset_index(drop=True)


def audit_circuity(
    network: Network,
    *,
    n_places: int = AUDIT_PLACES,
    limit: float = CIRCUITY_MAX,
    notes: tuple[CircuityNote, ...] | None = None,
) -> CircuityAudit:
    """Audit road circuity between every pair of the `n_places` largest places.

    Parameters
    ----------
    network
        The network, usually already taken as of a date (``net.as_of(...)``).
    n_places
        How many of the largest cities to pair up (see :func:`largest_places`).
    limit
        Road length / great-circle length above which a pair needs a note.
    notes
        Notes explaining pairs over the limit; None for the shipped ones
        (:data:`corridor.analysis.circuity_notes.NOTES`).

    Returns
    -------
    CircuityAudit
        Pairs over the limit (with their note where one applies) and stale notes.

    Raises
    ------
    ValidationError
        If `n_places` < 2 or `limit` is not above 1.

    Notes
    -----
    One skim of least road length, ``n_places`` x ``n_places`` (Dijkstra from each origin
    or contraction hierarchies, as :func:`corridor.paths.skim.skim` chooses); a pair counts
    by its shorter direction. Pairs with no road path have circuity ``inf``. The first
    note covering a pair explains it.
    """
    from corridor.paths.skim import skim
    from corridor.units import haversine_km

    if n_places < 2 or not limit > 1.0:
        raise ValidationError(
            f"circuity audit needs n_places >= 2 and limit > 1 (got {n_places}, {limit})"
        )
    if notes is None:
        from corridor.analysis.circuity_notes import NOTES

        notes = NOTES
    places = largest_places(network, n_places)
    ids = places["node_id"].to_numpy(dtype=np.int64)
    keys = (places["key"] if "key" in places else places["node_id"].astype(str)).tolist()
    road_km = skim(network, ids, ids, cost="length_km", modes="road").values
    road_km = np.minimum(road_km, road_km.T)
    lon = places["lon"].to_numpy(dtype=np.float64)
    lat = places["lat"].to_numpy(dtype=np.float64)
    gc_km = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    i, j = np.triu_indices(len(ids), k=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(gc_km[i, j] > 0.0, road_km[i, j] / gc_km[i, j], 1.0)
    over: list[CircuityPair] = []
    used: set[int] = set()
    for k in np.flatnonzero(~(ratio <= limit)):
        a, b = keys[i[k]], keys[j[k]]
        hit = next((n for n, note in enumerate(notes) if note.covers(a, b)), None)
        if hit is not None:
            used.add(hit)
        over.append(
            CircuityPair(
                origin=a,
                destination=b,
                road_km=float(road_km[i[k], j[k]]),
                great_circle_km=float(gc_km[i[k], j[k]]),
                circuity=float(ratio[k]),
                kind=None if hit is None else notes[hit].kind,
                reason=None if hit is None else notes[hit].reason,
            )
        )
    over.sort(key=lambda p: -p.circuity if np.isfinite(p.circuity) else -np.inf)
    finite = ratio[np.isfinite(ratio)]
    audit = CircuityAudit(
        places=tuple(keys),
        n_pairs=len(ratio),
        over=tuple(over),
        stale=tuple(note for n, note in enumerate(notes) if n not in used),
        limit=limit,
        median_circuity=float(np.median(finite)) if finite.size else float("nan"),
    )
    log.info("%r", audit)
    return audit


def check_circuity(network: Network) -> list[Check]:
    """The circuity audit as checks of ``corridor data check``.

    An error check fails on any pair over the limit that no note explains; warnings report
    the pairs on known road gaps and stale notes.
    """
    audit = audit_circuity(network)
    geo = len(audit.over) - len(audit.gaps) - len(audit.failures)

    def show(pairs: tuple[CircuityPair, ...]) -> str:
        return "; ".join(
            f"{p.origin}-{p.destination} {p.circuity:.2f} ({p.road_km:,.0f}/"
            f"{p.great_circle_km:,.0f} km)"
            for p in pairs[:5]
        )

    return [
        Check(
            f"road circuity of the {len(audit.places)} largest places",
            audit.passed,
            f"{audit.n_pairs:,} pairs, median road/great-circle {audit.median_circuity:.2f}; "
            f"{len(audit.over)} over {audit.limit:g}: {geo} with a geographic reason, "
            f"{len(audit.gaps)} on known network gaps, {len(audit.failures)} unexplained"
            + (f" ({show(audit.failures)})" if audit.failures else ""),
        ),
        Check(
            "road circuity: known network gaps",
            not audit.gaps,
            f"{len(audit.gaps)} pairs over {audit.limit:g} on roads not yet modelled"
            + (f", worst: {show(audit.gaps)}" if audit.gaps else "")
            + " (corridor.analysis.circuity_notes)",
            "warning",
        ),
        Check(
            "road circuity notes not stale",
            not audit.stale,
            f"{len(audit.stale)} note(s) explain no pair over the limit"
            + (f": {[n.reason[:60] for n in audit.stale]}" if audit.stale else ""),
            "warning",
        ),
    ]
