"""Exceptions raised by corridor.

Every error derives from :class:`CorridorError` and from the matching builtin, so
callers may catch either::

    CorridorError(Exception)
    ├── ValidationError(ValueError)          input breaks a documented schema or invariant
    │   ├── SchemaError                      a table column is missing, mistyped or out of range
    │   └── UnknownNodeError(LookupError)    ids or place names not in the network
    │       ├── AmbiguousPlaceError          a name that a town outside the network bears too
    │       └── OutsideCoverageError         a real place in a country the network does not cover
    ├── NoPathError(LookupError)             destination unreachable under the chosen modes
    ├── DataSourceError(OSError)             a file cannot be read: names the file and row
    │   └── OutputExistsError(FileExistsError) an output path holds something corridor did not write
    └── OptionalDependencyError(ImportError) an optional package is missing: says how to install

Messages say what is wrong, show a few offending values, and say how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousPlaceError",
    "CorridorError",
    "DataSourceError",
    "NoPathError",
    "OptionalDependencyError",
    "OutputExistsError",
    "OutsideCoverageError",
    "SchemaError",
    "UnknownNodeError",
    "ValidationError",
]


def _shown(values: Sequence[object], limit: int = 5) -> str:
    text = ", ".join(repr(v) for v in list(values)[:limit])
    return text + (f" ... ({len(values)} in all)" if len(values) > limit else "")


MAX_MESSAGE_CHARS = 4000
"""Longest message an error shows; the rest is cut (a value quoted whole could be huge)."""


class CorridorError(Exception):
    """Base class for every error raised by corridor.

    Its message is at most :data:`MAX_MESSAGE_CHARS` characters: the head is kept and
    the cut noted, so a message never carries unbounded input, whatever it quotes.
    """

    def __str__(self) -> str:
        text = super().__str__()
        if len(text) <= MAX_MESSAGE_CHARS:
            return text
        return f"{text[:MAX_MESSAGE_CHARS]}... (message cut: {len(text)} characters)"


class ValidationError(CorridorError, ValueError):
    """Input data break a documented schema or invariant."""


class SchemaError(ValidationError):
    """One or more problems with a table, all reported together.

    Parameters
    ----------
    problems
        One line per problem, each naming the table, column and rows.
    source
        The file the table came from, if any.
    """

    def __init__(self, problems: Sequence[str], *, source: str | None = None) -> None:
        where = f"{source}: " if source else ""
        head = f"{where}{len(problems)} problem(s) in network data:"
        super().__init__("\n  - ".join([head, *problems]))
        self.problems = list(problems)
        self.source = source


class UnknownNodeError(ValidationError, LookupError):
    """Node ids or place names that are not in the network.

    Parameters
    ----------
    ids
        The unknown ids or names.
    role
        What they were used as ("origin", "destination", "a_node", ...).
    suggestions
        Close matches to offer the user.
    detail
        What else is known about the name (a town of that name outside the network).
    """

    def __init__(
        self,
        ids: Sequence[object],
        *,
        role: str,
        suggestions: Sequence[str] = (),
        detail: str = "",
    ) -> None:
        msg = f"{len(ids)} {role} not in the network: {_shown(ids)}"
        if detail:
            msg += f" ({detail})"
        if suggestions:
            msg += f"; did you mean {', '.join(suggestions)}?"
        super().__init__(msg)
        self.ids = list(ids)
        self.role = role
        self.suggestions = list(suggestions)


class AmbiguousPlaceError(UnknownNodeError):
    """A place name that several places bear, at least one of them outside the network.

    Resolving it to the network's place could silently answer for the wrong town, so the
    lookup refuses and says how to name the intended place.

    Parameters
    ----------
    name
        The name asked for.
    role
        What it was used as ("origin", "destination", ...).
    message
        The full explanation: the places in and outside the network, and what to type.
    suggestions
        Unambiguous names (or node ids) of the network's places of that name.
    candidates
        Every place of that name, as plain dicts (``in_network`` tells which is which).
    """

    def __init__(
        self,
        name: str,
        *,
        role: str,
        message: str,
        suggestions: Sequence[str] = (),
        candidates: Sequence[dict[str, object]] = (),
    ) -> None:
        ValidationError.__init__(self, message)
        self.ids: list[object] = [name]
        self.role = role
        self.suggestions = list(suggestions)
        self.candidates = list(candidates)


class OutsideCoverageError(UnknownNodeError):
    """A real place that lies in a country the network does not cover.

    Parameters
    ----------
    name
        The name asked for.
    role
        What it was used as.
    country
        ISO 3166-1 alpha-2 code of the place found (GeoNames).
    covered
        The countries of the network's nodes.
    message
        The full explanation.
    """

    def __init__(
        self, name: str, *, role: str, country: str, covered: Sequence[str], message: str
    ) -> None:
        ValidationError.__init__(self, message)
        self.ids: list[object] = [name]
        self.role = role
        self.suggestions: list[str] = []
        self.country = country
        self.covered = list(covered)


class NoPathError(CorridorError, LookupError):
    """No path joins the origin and the destination under the given options."""


class DataSourceError(CorridorError, OSError):
    """A file cannot be read or written.

    Parameters
    ----------
    path
        The file.
    reason
        What is wrong and how to fix it.
    row
        The 1-based row or feature, when one is to blame.
    """

    def __init__(self, path: object, reason: str, *, row: int | None = None) -> None:
        at = f" (row {row})" if row is not None else ""
        super().__init__(f"{path}{at}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.row = row


class OutputExistsError(DataSourceError, FileExistsError):
    """An output path holds something corridor did not write, so it is left alone.

    Parameters
    ----------
    path
        The output path.
    reason
        What is there ("is a folder not written by corridor", ...).
    """

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(
            path,
            f"{reason}; left as it is. Write somewhere else, move it away, or pass --force "
            "(force=True) to replace it",
        )


class OptionalDependencyError(CorridorError, ImportError):
    """An optional dependency is needed for this feature."""

    def __init__(self, package: str, feature: str, extra: str) -> None:
        super().__init__(
            f"{feature} needs the package {package!r}; install it with "
            f"`pip install 'corridor[{extra}]'`"
        )
        self.package = package
