"""Reading the freight model's YAML files: bundled ones by name, or a user's file.

Every loader of the package reads through :func:`read_yaml`, so a missing file, broken
YAML or a top level that is not a mapping gives one kind of error, naming the file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from corridor.errors import DataSourceError, ValidationError

__all__ = ["bundled_path", "read_yaml", "require"]


def bundled_path(name: str) -> str:
    """A readable label for a bundled data file (``bundled:freight/<name>``)."""
    return f"bundled:freight/{name}"


def read_yaml(path: str | Path | None, default: str) -> tuple[dict[str, Any], str]:
    """Parse `path`, or the bundled file `default` when `path` is None.

    Parameters
    ----------
    path
        A YAML file, or None for the bundled one.
    default
        File name in ``corridor/analysis/freight/data``.

    Returns
    -------
    tuple
        The mapping and the label of where it came from (for error messages).

    Raises
    ------
    DataSourceError
        If the file cannot be read, is not YAML, or its top level is not a mapping.
    """
    if path is None:
        label = bundled_path(default)
        text = (resources.files("corridor.analysis.freight") / "data" / default).read_text(
            encoding="utf-8"
        )
    else:
        label = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DataSourceError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = None if mark is None else int(mark.line) + 1
        raise DataSourceError(label, f"not valid YAML ({exc}); fix the syntax", row=row) from None
    if not isinstance(data, dict):
        raise DataSourceError(label, "the top level must be a mapping of keys to values")
    return data, label


def require(row: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    """``row[key]`` checked to be present and of `kind`, or a ValidationError naming `where`.

    Raises
    ------
    ValidationError
        If the key is missing or of the wrong type.
    """
    if key not in row:
        raise ValidationError(f"{where}: missing field {key!r}; add it")
    value = row[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ValidationError(f"{where}: field {key!r} must be {names}, got {value!r}")
    return value
