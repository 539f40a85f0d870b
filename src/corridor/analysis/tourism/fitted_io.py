"""Writing calibrated tourism parameters (``fitted.yaml``), atomically."""

from __future__ import annotations

from pathlib import Path

import yaml

from corridor.analysis.tourism.config import FITTED_NAMES, Fitted
from corridor.atomic import write_text_atomic

__all__ = ["fitted_yaml", "write_fitted"]


def fitted_yaml(fitted: Fitted, table_note: str = "") -> str:
    """The YAML text of `fitted` (the schema :func:`~.config.parse_fitted` reads)."""
    doc = {
        "year": fitted.year,
        "parameters": {n: round(fitted.values[n], 6) for n in FITTED_NAMES},
        "std": {n: round(fitted.std[n], 6) for n in FITTED_NAMES},
        "correlation": [[round(x, 4) for x in row] for row in fitted.correlation],
        "source": fitted.source + (f"; {table_note}" if table_note else ""),
    }
    head = (
        "# Calibrated tourism parameters (corridor tourism calibrate --write); the year is\n"
        "# that of the statistics fitted. std: standard errors; correlation: of the estimates.\n"
    )
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write_fitted(fitted: Fitted, path: str | Path, *, note: str = "", force: bool = False) -> Path:
    """Write `fitted` to `path` atomically and return the path."""
    out = Path(path)
    write_text_atomic(out, fitted_yaml(fitted, note), force=force)
    return out
