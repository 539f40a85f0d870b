"""The one date rule: which rows of a dated table (links, crossings, turns) exist on a day.

A row exists on day ``d`` if ``opened <= d < closed`` (a missing ``opened`` meaning always
open, a missing ``closed`` never closed); on an undated network, the rows without a
``closed`` date exist. Links also need their border crossing open for their mode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor._typing import BoolArray
from corridor.model.schema import Mode

__all__ = ["crossing_mode_of", "links_open_on", "links_open_with_crossings", "open_on"]


def open_on(table: pd.DataFrame, date: pd.Timestamp | None) -> BoolArray:
    """Which rows of a dated table exist on a date: the one rule for links, crossings
    and turn restrictions.

    Parameters
    ----------
    table
        A table with ``opened`` and ``closed`` columns (NaT: no such date).
    date
        The day; None for an undated table, where every row without a ``closed``
        date exists (whatever its ``opened``).

    Returns
    -------
    numpy.ndarray
        bool per row: ``opened <= date < closed``, a missing ``opened`` meaning always
        open and a missing ``closed`` meaning never closed.

    Examples
    --------
    >>> t = pd.DataFrame({"opened": pd.to_datetime(["2020-01-01", None]),
    ...                   "closed": pd.to_datetime([None, "2026-11-30"])})
    >>> open_on(t, pd.Timestamp("2025-01-01")).tolist()
    [True, True]
    >>> open_on(t, pd.Timestamp("2026-11-30")).tolist()
    [True, False]
    >>> open_on(t, None).tolist()
    [True, False]
    """
    if not len(table):
        return np.zeros(0, dtype=bool)
    closed = table["closed"]
    if date is None:
        return np.asarray(closed.isna().to_numpy(), dtype=bool)
    opened = table["opened"]
    ok = (opened.isna() | (opened <= date)) & (closed.isna() | (closed > date))
    return np.asarray(ok.to_numpy(), dtype=bool)


def links_open_on(links: pd.DataFrame, date: pd.Timestamp | None) -> BoolArray:
    """Which links are open on a date by their own dates (:func:`open_on`).

    :meth:`Network.open_links` adds the crossings' dates to this.

    Examples
    --------
    >>> t = pd.DataFrame({"opened": pd.to_datetime(["2020-01-01", None]),
    ...                   "closed": pd.to_datetime([None, "2026-11-30"])})
    >>> links_open_on(t, pd.Timestamp("2025-01-01")).tolist()
    [True, True]
    >>> links_open_on(t, None).tolist()
    [True, False]
    """
    return open_on(links, date)


def crossing_mode_of(link_mode: pd.Series) -> np.ndarray:
    """The crossings-table mode a link's mode crosses as ('' for transfer links)."""
    mode = link_mode.to_numpy().astype(str)
    return np.where(
        mode == Mode.RAIL,
        "rail",
        np.where(mode == Mode.TRANSFER, "", np.where(mode == Mode.AIR, "air", "road")),
    )


def links_open_with_crossings(
    links: pd.DataFrame, crossings: pd.DataFrame, date: pd.Timestamp | None
) -> BoolArray:
    """Which links exist on a date: open by their own dates (:func:`links_open_on`) and,
    where a link touches a border crossing with rows for the link's mode, one of those
    rows open (:func:`open_on`): a crossing-mode closed on a day has no links that day."""
    ok = links_open_on(links, date)
    if not len(crossings) or not len(links):
        return ok
    keys = pd.MultiIndex.from_frame(crossings[["node_id", "mode"]])
    live = keys[open_on(crossings, date)]
    shut = keys.unique().difference(live.unique())
    if not len(shut):
        return ok
    mode = crossing_mode_of(links["mode"])
    for end in ("a_node", "b_node"):
        pairs = pd.MultiIndex.from_arrays([links[end].to_numpy(), mode])
        ok = ok & ~np.asarray(pairs.isin(shut), dtype=bool)
    return np.asarray(ok, dtype=bool)
