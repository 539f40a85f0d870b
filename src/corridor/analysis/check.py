"""The outcome of one data check (shared by the network checks and the circuity audit)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Check"]


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check."""

    name: str
    passed: bool
    detail: str
    severity: str = "error"

    def __post_init__(self) -> None:
        object.__setattr__(self, "passed", bool(self.passed))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "name": self.name,
            "passed": bool(self.passed),
            "detail": self.detail,
            "severity": self.severity,
        }
