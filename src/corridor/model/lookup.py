"""Find nodes by name: case-insensitive, alternate names, transliteration variants."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.errors import UnknownNodeError

__all__ = ["PlaceIndex", "name_key"]

_KIND_RANK = {"city": 0, "port": 1, "terminal": 2, "border_crossing": 3, "junction": 4}
_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*[,(]\s*(?P<cc>[A-Za-z]{2})\s*\)?\s*$")


def name_key(name: str) -> str:
    """Reduce a place name to a key that equates common transliterations.

    Accents, case, punctuation and spaces are dropped (other scripts are kept as they
    are); ``kh`` and ``h``, ``y`` and ``i``, ``j`` and ``i`` are equated and doubled
    letters collapsed, so that Zabaikalsk, Zabaykal'sk and ZABAYKALSK share a key, as do
    Khorgos and Horgos.

    Examples
    --------
    >>> name_key("Zabaykal'sk") == name_key("Zabaikalsk")
    True
    >>> name_key("Sühbaatar") == name_key("Sukhbaatar")
    True
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))
    text = text.replace("kh", "h").replace("y", "i").replace("j", "i").replace("ts", "c")
    return re.sub(r"(.)\1+", r"\1", text)


@dataclass(frozen=True)
class PlaceIndex:
    """Name -> node id index over a nodes table.

    Parameters
    ----------
    nodes
        A conformed nodes table (`node_id`, `name`, `alt_names`, `kind`, `country`,
        `population`).
    """

    nodes: pd.DataFrame
    _keys: dict[str, list[int]] = field(init=False)
    _labels: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        keys: dict[str, list[int]] = {}
        labels: dict[str, str] = {}
        for row, (name, alts) in enumerate(
            zip(self.nodes["name"], self.nodes["alt_names"], strict=True)
        ):
            for i, text in enumerate([name, *[a for a in str(alts).split(";") if a.strip()]]):
                key = name_key(text)
                if not key:
                    continue
                keys.setdefault(key, [])
                if row not in keys[key]:
                    keys[key].append(row)
                if i == 0 or key not in labels:
                    labels.setdefault(key, text.strip())
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_labels", labels)

    def candidates(self, name: str) -> pd.DataFrame:
        """Every node whose name or alternate name matches `name`, best first.

        A trailing country code, as in ``"Brest, BY"`` or ``"Khorgos (KZ)"``, restricts
        the match to that country.
        """
        country = None
        m = _QUALIFIED.match(name)
        if m and name_key(name) not in self._keys:
            name, country = m.group("name"), m.group("cc").upper()
        rows = self._keys.get(name_key(name), [])
        found = self.nodes.iloc[rows]
        if country is not None:
            found = found[found["country"] == country]
        if found.empty:
            return found
        primary = np.array([name_key(n) == name_key(name) for n in found["name"]])
        order = pd.DataFrame(
            {
                "primary": ~primary,
                "kind": found["kind"].map(_KIND_RANK).fillna(9).to_numpy(),
                "pop": -found["population"].to_numpy(),
            }
        )
        ranks = order.sort_values(["primary", "kind", "pop"], kind="stable").index.to_numpy()
        return found.iloc[ranks]

    def resolve(self, place: str | int, *, role: str = "place") -> int:
        """Return the node id for a node id or a place name.

        Raises
        ------
        UnknownNodeError
            If nothing matches; the message lists the closest names.
        """
        ids = self.nodes["node_id"]
        if isinstance(place, (int, np.integer)) or (
            isinstance(place, str) and place.strip().isdigit()
        ):
            node_id = int(place)
            if (ids == node_id).any():
                return node_id
            raise UnknownNodeError([place], role=f"{role} node id")
        found = self.candidates(str(place))
        if found.empty:
            raise UnknownNodeError([place], role=role, suggestions=self.suggest(str(place)))
        return int(found["node_id"].iloc[0])

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The `n` names closest to `name`."""
        close = difflib.get_close_matches(name_key(name), list(self._keys), n=n, cutoff=0.5)
        return [self._labels[k] for k in close]

    def search(self, prefix: str, limit: int = 10) -> pd.DataFrame:
        """Nodes whose name or alternate name starts with `prefix`, by population."""
        key = name_key(prefix)
        rows = sorted({r for k, rs in self._keys.items() if k.startswith(key) for r in rs})
        found = self.nodes.iloc[rows]
        return found.sort_values("population", ascending=False, kind="stable").head(limit)
