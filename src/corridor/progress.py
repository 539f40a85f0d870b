"""One progress type for every long operation: imports, assignment, comparisons.

Long operations take ``progress: ProgressCallback | None`` and call it with a
:class:`Progress` now and then; the CLI draws it with rich and the service can stream it.

Examples
--------
>>> seen: list[Progress] = []
>>> report: ProgressCallback = seen.append
>>> report(Progress("ways", 10, 100))
>>> seen[0].fraction
0.1
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["Progress", "ProgressCallback"]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a long operation has come.

    Attributes
    ----------
    phase
        What is being done, e.g. "ways", "nodes", "assign", "compare".
    done
        Units of work done in this phase.
    total
        Units in the phase, or None when unknown (a stream).
    unit
        What is counted, e.g. "objects", "iterations", "steps".
    message
        A short human-readable line about the current step ("" if none).
    values
        Figures of the current step, e.g. ``{"rel_gap": 1e-5}`` for an assignment.
    """

    phase: str
    done: int
    total: int | None = None
    unit: str = "objects"
    message: str = ""
    values: Mapping[str, float] = field(default_factory=dict)

    @property
    def fraction(self) -> float | None:
        """Share of the phase done, 0..1, or None when the total is unknown."""
        if self.total is None or self.total <= 0:
            return None
        return min(1.0, self.done / self.total)


ProgressCallback = Callable[[Progress], None]
