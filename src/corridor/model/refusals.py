"""The errors a place lookup raises when it will not answer, with what to type instead.

Each message says what was found (in the network, in GeoNames), why that is not an
answer, and how to name the place meant.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridor.errors import AmbiguousPlaceError, OutsideCoverageError, UnknownNodeError
from corridor.model.resolution import Candidate

__all__ = ["ambiguous", "not_in_network", "outside_coverage"]


def _at(c: Candidate) -> str:
    return f"{c.label()} at {c.lat:.2f} N, {c.lon:.2f} E"


def ambiguous(
    query: str,
    role: str,
    inside: Sequence[Candidate],
    outside: Sequence[Candidate],
    names: Sequence[str],
) -> AmbiguousPlaceError:
    """A name that a town outside the network bears, as populous as the network's place.

    `names` are the network places' names that no other town bears.
    """
    ids = [str(p.node_id) for p in inside[:3]]
    say = f"{', '.join(repr(n) for n in names)} or node id" if names else "node id"
    which = "which is" if len(outside) == 1 else "which are"
    message = (
        f"{role} {query!r} is ambiguous: the network has "
        f"{'; '.join(_at(p) for p in inside[:3])}, but GeoNames also has "
        f"{'; '.join(_at(t) for t in outside[:3])}, {which} not in the network. "
        f"Name the place you mean: {say} {' / '.join(ids)}."
    )
    return AmbiguousPlaceError(
        query,
        role=role,
        message=message,
        suggestions=list(names) or ids,
        candidates=[c.to_dict() for c in [*inside, *outside]],
    )


def outside_coverage(
    query: str, role: str, what: str, country: str, covered: Sequence[str], *, tail: str = ""
) -> OutsideCoverageError:
    """A place in a country the network does not cover (`what` names it)."""
    return OutsideCoverageError(
        query,
        role=role,
        country=country,
        covered=covered,
        message=(
            f"{role} {query!r}: {what} is outside the network's coverage "
            f"(countries: {', '.join(covered)}){tail}"
        ),
    )


def not_in_network(
    query: str,
    role: str,
    town: Candidate,
    near: Sequence[tuple[Candidate, float]],
    starts: Sequence[str],
) -> UnknownNodeError:
    """A GeoNames town of a covered country that is not a place of the network."""
    parts = []
    if near:
        parts.append(
            "nearest network places: " + ", ".join(f"{p.name} ({d:.0f} km)" for p, d in near)
        )
    if starts:
        parts.append(f"network names that start so: {', '.join(starts)}")
    return UnknownNodeError(
        [query],
        role=role,
        detail=f"GeoNames knows {_at(town)}, which is not a place of the network; "
        + "; ".join(parts),
        suggestions=[*starts, *[p.name for p, _ in near]][:5],
    )
