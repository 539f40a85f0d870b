"""What a scenario changes in the network itself: links and border crossings, in words.

:func:`corridor.link_changes` says which links are added, closed, faster, slower or tolled
differently. This module adds the border crossings: a crossing is *closed* for a mode when
it has links of that mode open before and none after, *opened* the other way round, and
*delay changed*, *fee changed*, *traveller delay changed*, *capacity changed* or
*vehicles changed* when its median clearance delay, fee, travellers' delay, capacity or the
vehicles it admits (freight, passenger, all) differ for a mode and direction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.analysis.link_changes import link_changes
from corridor.model.network import Network

__all__ = ["crossing_changes", "network_changes"]

_COMPARED_NUMBERS = ("delay_p50_h", "fee_usd", "passenger_delay_h", "capacity_veh_day")
_COMPARED_TEXT = ("vehicles",)
_CHANGE_WORDS = {
    "delay_p50_h": "delay changed",
    "fee_usd": "fee changed",
    "passenger_delay_h": "traveller delay changed",
    "capacity_veh_day": "capacity changed",
    "vehicles": "vehicles changed",
}

_CROSSING_COLUMNS = [
    "node_id",
    "crossing",
    "countries",
    "mode",
    "direction",
    "change",
    "delay_p50_h_before",
    "delay_p50_h_after",
    "fee_usd_before",
    "fee_usd_after",
    "passenger_delay_h_before",
    "passenger_delay_h_after",
    "capacity_veh_day_before",
    "capacity_veh_day_after",
    "vehicles_before",
    "vehicles_after",
]


def _open_modes(network: Network, node_ids: np.ndarray) -> pd.DataFrame:
    links = network.links[["a_node", "b_node", "mode"]].assign(open=network.open_links())
    links = links[links["open"]]
    ends = pd.concat(
        [
            links[["a_node", "mode"]].rename(columns={"a_node": "node_id"}),
            links[["b_node", "mode"]].rename(columns={"b_node": "node_id"}),
        ]
    )
    return ends[ends["node_id"].isin(node_ids)].drop_duplicates()


def crossing_changes(before: Network, after: Network) -> pd.DataFrame:
    """Border crossings closed, opened, or with another delay or fee, by mode and direction.

    Parameters
    ----------
    before, after
        The two networks.

    Returns
    -------
    pandas.DataFrame
        One row per change: ``node_id``, ``crossing`` (name), ``countries`` ("KZ–CN"),
        ``mode``, ``direction`` (a_to_b, b_to_a, or "both" for a closure), ``change``
        (closed, opened, delay changed, fee changed, traveller delay changed, capacity
        changed, vehicles changed), and the figures compared before and after (NaN for
        closures and openings).
    """
    nodes = before.nodes.set_index("node_id")
    crossing_ids = nodes.index[nodes["kind"] == "border_crossing"].to_numpy()
    rows: list[dict[str, object]] = []

    def label(node: int) -> tuple[str, str]:
        rec = nodes.loc[node]
        return str(rec["name"]), f"{rec['country_a']}–{rec['country_b']}"

    ob = _open_modes(before, crossing_ids)
    oa = _open_modes(after, crossing_ids)
    both = ob.merge(oa, how="outer", indicator=True)
    for node, mode, side in zip(
        both["node_id"].tolist(), both["mode"].tolist(), both["_merge"].tolist(), strict=True
    ):
        if side == "both":
            continue
        name, countries = label(int(node))
        rows.append(
            {
                "node_id": int(node),
                "crossing": name,
                "countries": countries,
                "mode": str(mode),
                "direction": "both",
                "change": "closed" if side == "left_only" else "opened",
            }
        )
    keys = ["node_id", "mode", "direction"]
    cb, ca = before.crossings, after.crossings
    numeric = [c for c in _COMPARED_NUMBERS if c in cb and c in ca]
    text = [c for c in _COMPARED_TEXT if c in cb and c in ca]
    cols = numeric + text
    if len(cb) == len(ca) and (cb[keys].to_numpy() == ca[keys].to_numpy()).all():
        pair = cb[keys].copy()
        for col in cols:
            pair[f"{col}_before"] = cb[col].to_numpy()
            pair[f"{col}_after"] = ca[col].to_numpy()
    else:  # rows added or removed: compare the last row of each key
        pair = (
            cb.groupby(keys)[cols]
            .last()
            .reset_index()
            .merge(
                ca.groupby(keys)[cols].last().reset_index(),
                on=keys,
                suffixes=("_before", "_after"),
                how="inner",
            )
        )
    kinds: list[tuple[str, np.ndarray]] = []
    for col in numeric:
        b = pair[f"{col}_before"].to_numpy(dtype=float)
        a = pair[f"{col}_after"].to_numpy(dtype=float)
        kinds.append((_CHANGE_WORDS[col], ~np.isclose(b, a, equal_nan=True)))
    for col in text:
        b = pair[f"{col}_before"].astype(str).to_numpy()
        a = pair[f"{col}_after"].astype(str).to_numpy()
        kinds.append((_CHANGE_WORDS[col], b != a))
    for word, mask in kinds:
        changed = pair[mask].assign(change=word).drop_duplicates(subset=keys, keep="last")
        for item in changed.to_dict("records"):
            name, countries = label(int(item["node_id"]))
            rows.append(
                {**{str(k): v for k, v in item.items()}, "crossing": name, "countries": countries}
            )
    out = pd.DataFrame(rows, columns=_CROSSING_COLUMNS)
    return out.sort_values(["crossing", "mode", "direction"], kind="stable").reset_index(drop=True)


def network_changes(before: Network, after: Network) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The changed links (:func:`corridor.link_changes`) and :func:`crossing_changes`."""
    return link_changes(before, after), crossing_changes(before, after)
