"""Which links differ between two networks, and how.

One rule, used by the comparison report and the web service alike: a link is open when
it exists on its network's date (:meth:`corridor.Network.open_links`: no ``closed`` date
on an undated network, ``opened <= date < closed`` on one taken :meth:`~Network.as_of`).
A link open only after the change is *added* (a new id) or *reopened* (an id that was
there, closed, before); a link open only before is *closed* (closed or deleted after).
Links open in both are *faster* or *slower* by their speed, and otherwise *toll_changed*
by their toll. Speeds and tolls are compared with one absolute tolerance, in their own
units (km/h and US$).

Examples
--------
>>> import corridor
>>> before = corridor.examples.toy()
>>> links = before.links.copy()
>>> links.loc[links["link_id"] == 11, "speed_kmh"] = 130.0
>>> link_changes(before, before.with_links(links))[["link_id", "change"]]
   link_id  change
0       11  faster
"""

from __future__ import annotations

import logging
from enum import StrEnum

import numpy as np
import pandas as pd
import shapely

from corridor._typing import FloatArray, IntArray
from corridor.errors import ValidationError
from corridor.model.network import Network

__all__ = ["DEFAULT_TOLERANCE", "LinkChange", "link_changes"]

log = logging.getLogger(__name__)

DEFAULT_TOLERANCE = 1e-9
"""Largest difference in ``speed_kmh`` (km/h) or ``toll_usd`` (US$) that is no change."""

_COLUMNS = [
    "link_id",
    "mode",
    "ref",
    "name",
    "length_km",
    "change",
    "speed_kmh_before",
    "speed_kmh_after",
    "toll_usd_before",
    "toll_usd_after",
]


class LinkChange(StrEnum):
    """How a link differs between two networks (see :func:`link_changes`).

    The order of the members is the order of the rows of :func:`link_changes`.
    """

    ADDED = "added"
    """Open after; no link of this id before."""
    REOPENED = "reopened"
    """Open after; closed before."""
    CLOSED = "closed"
    """Open before; closed or missing after."""
    FASTER = "faster"
    """Open in both; speed higher after."""
    SLOWER = "slower"
    """Open in both; speed lower after."""
    TOLL_CHANGED = "toll_changed"
    """Open in both at the same speed; toll different after."""


def link_changes(
    before: Network,
    after: Network,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    geometry: bool = False,
) -> pd.DataFrame:
    """The links that differ between two networks, one row per changed link.

    Parameters
    ----------
    before, after
        The network before and after the change (e.g. two scenarios applied to one
        base network). Links are matched by ``link_id``.
    tolerance
        Largest absolute difference in ``speed_kmh`` (km/h) or ``toll_usd`` (US$) that
        is not a change; must be finite and non-negative.
    geometry
        Add a ``geometry`` column: the link's polyline (lon/lat) from `after` if it is
        there, else from `before`; a straight line between its end nodes where the links
        table has none.

    Returns
    -------
    pandas.DataFrame
        Columns ``link_id`` (int64), ``mode``, ``ref``, ``name`` (str), ``length_km``
        (float64; these four from `after` where the link is there, else from `before`),
        ``change`` (categorical of the :class:`LinkChange` values), ``speed_kmh_before``,
        ``speed_kmh_after``, ``toll_usd_before``, ``toll_usd_after`` (float64, NaN where
        the link is not open in that network) and, if asked, ``geometry``. Rows are
        ordered by change (the order of :class:`LinkChange`), then by ``link_id``, on a
        RangeIndex.

    Raises
    ------
    ValidationError
        If `tolerance` is negative or not finite.

    Notes
    -----
    One row per link, so a link both faster and re-tolled is *faster*; its tolls are in
    the row. A missing toll counts as US$ 0. Speeds are compared only where both are
    finite. The work is O(n log n) in the number of links (index joins).

    Examples
    --------
    >>> import corridor
    >>> before = corridor.examples.toy()
    >>> links = before.links.copy()
    >>> links.loc[links["link_id"] == 20, "closed"] = pd.Timestamp("2026-01-01")
    >>> links.loc[links["link_id"] == 30, "toll_usd"] = 5.0
    >>> changes = link_changes(before, before.with_links(links))
    >>> changes[["link_id", "change", "toll_usd_before", "toll_usd_after"]]
       link_id        change  toll_usd_before  toll_usd_after
    0       20        closed              0.0             NaN
    1       30  toll_changed              0.0             5.0
    """
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise ValidationError(f"tolerance must be finite and >= 0, got {tolerance!r}")
    cols = ["link_id", "mode", "ref", "name", "length_km", "speed_kmh", "toll_usd", "closed"]
    b = before.links[cols].set_index("link_id")
    a = after.links[cols].set_index("link_id")
    open_b = b.index[before.open_links()]
    open_a = a.index[after.open_links()]
    opened = open_a.difference(open_b)
    gone = open_b.difference(open_a)
    common = open_a.intersection(open_b)

    sb = b.loc[common, "speed_kmh"].to_numpy(np.float64)
    sa = a.loc[common, "speed_kmh"].to_numpy(np.float64)
    tb = b.loc[common, "toll_usd"].fillna(0.0).to_numpy(np.float64)
    ta = a.loc[common, "toll_usd"].fillna(0.0).to_numpy(np.float64)
    both_finite = np.isfinite(sb) & np.isfinite(sa)
    with np.errstate(invalid="ignore"):
        faster = both_finite & (sa - sb > tolerance)
        slower = both_finite & (sb - sa > tolerance)
    retolled = ~faster & ~slower & (np.abs(ta - tb) > tolerance)

    kinds = {
        LinkChange.ADDED: opened[~opened.isin(b.index)],
        LinkChange.REOPENED: opened[opened.isin(b.index)],
        LinkChange.CLOSED: gone,
        LinkChange.FASTER: common[faster],
        LinkChange.SLOWER: common[slower],
        LinkChange.TOLL_CHANGED: common[retolled],
    }
    ids = np.concatenate([np.sort(idx.to_numpy(np.int64)) for idx in kinds.values()])
    change = np.concatenate(
        [np.full(len(idx), kind.value, dtype=object) for kind, idx in kinds.items()]
    )

    info = pd.concat([a, b[~b.index.isin(a.index)]]).loc[ids]
    out = pd.DataFrame(
        {
            "link_id": ids,
            "mode": info["mode"].astype(str).to_numpy(),
            "ref": info["ref"].astype(str).to_numpy(),
            "name": info["name"].astype(str).to_numpy(),
            "length_km": info["length_km"].to_numpy(np.float64),
            "change": pd.Categorical(change, categories=[k.value for k in LinkChange]),
            "speed_kmh_before": _where_open(b, open_b, ids, "speed_kmh"),
            "speed_kmh_after": _where_open(a, open_a, ids, "speed_kmh"),
            "toll_usd_before": _where_open(b, open_b, ids, "toll_usd"),
            "toll_usd_after": _where_open(a, open_a, ids, "toll_usd"),
        },
        columns=_COLUMNS,
    )
    if geometry:
        out["geometry"] = _geometries(before, after, ids)
    log.info(
        "link changes %s -> %s: %s",
        before.name,
        after.name,
        ", ".join(f"{len(idx)} {kind}" for kind, idx in kinds.items() if len(idx)) or "none",
    )
    return out


def _where_open(
    links: pd.DataFrame, open_ids: pd.Index[int], ids: IntArray, column: str
) -> FloatArray:
    """`column` of `ids` in `links` (indexed by link_id), NaN where not open; tolls NaN->0."""
    values = links[column]
    if column == "toll_usd":
        values = values.fillna(0.0)
    return values.reindex(open_ids).reindex(ids).to_numpy(np.float64)


def _geometries(before: Network, after: Network, ids: IntArray) -> list[shapely.Geometry]:
    """Polylines of `ids`: `after`'s if there, else `before`'s; straight lines if None."""
    out: list[shapely.Geometry] = []
    tables: list[tuple[dict[int, tuple[int, int, object]], pd.DataFrame]] = []
    for net in (after, before):
        links = net.links
        rows = zip(
            links["a_node"].tolist(),
            links["b_node"].tolist(),
            links["geometry"].tolist(),
            strict=True,
        )
        tables.append(
            (
                dict(zip(links["link_id"].tolist(), rows, strict=True)),
                net.nodes.set_index("node_id")[["lon", "lat"]],
            )
        )
    for lid in ids.tolist():
        rows_of, xy = next((r, x) for r, x in tables if lid in r)
        a, b, geom = rows_of[lid]
        if geom is None:
            geom = shapely.LineString(
                [xy.loc[a].to_numpy(np.float64), xy.loc[b].to_numpy(np.float64)]
            )
        out.append(geom)
    return out
