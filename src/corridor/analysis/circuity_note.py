"""A reason why pairs of places may exceed the road circuity limit (see
:mod:`corridor.analysis.circuity`; the notes themselves are in
:mod:`corridor.analysis.circuity_notes`)."""

from __future__ import annotations

from dataclasses import dataclass

from corridor.errors import ValidationError

__all__ = ["CircuityNote"]


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
