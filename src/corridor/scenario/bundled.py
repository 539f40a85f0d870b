"""Scenarios shipped with corridor (YAML files in ``bundled_files/``)."""

from __future__ import annotations

from importlib import resources

from corridor.errors import ValidationError
from corridor.scenario.spec import Scenario, parse_scenario

__all__ = ["bundled_scenarios", "get_scenario"]


def bundled_scenarios() -> dict[str, Scenario]:
    """Every bundled scenario by name, in file-name order."""
    folder = resources.files("corridor.scenario") / "bundled_files"
    out: dict[str, Scenario] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            sc = parse_scenario(entry.read_text(encoding="utf-8"), source=f"bundled:{entry.name}")
            out[sc.name] = sc
    return out


def get_scenario(name: str) -> Scenario:
    """A bundled scenario by name.

    Raises
    ------
    ValidationError
        If there is no such scenario (lists the names).
    """
    found = bundled_scenarios()
    if name not in found:
        raise ValidationError(f"no bundled scenario {name!r}; choose one of {sorted(found)}")
    return found[name]
