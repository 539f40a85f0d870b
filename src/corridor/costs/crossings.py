"""Border-crossing stops of the cost graph: delay, fee, spread and opening hours.

An arc entering a ``border_crossing`` node carries that crossing's delay and fee for the
arc's mode and the direction implied by its tail's country (country_a -> a_to_b,
country_b -> b_to_a; otherwise the slower of the two directions). A crossing without
figures for the mode costs the profile's fallback delay and no fee.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor._typing import FloatArray, IntArray
from corridor.costs.profiles import Profile
from corridor.model.network import Network
from corridor.model.schema import NodeKind

__all__ = ["crossing_stops"]


def crossing_stops(
    network: Network,
    node_ids: IntArray,
    tail: IntArray,
    head: IntArray,
    arc_mode: np.ndarray,
    profile: Profile,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, IntArray]:
    """Delay, fee, spread, opening hours and crossings row of arcs entering a crossing.

    Parameters
    ----------
    network
        The network whose ``crossings`` table gives the figures.
    node_ids
        External id of each node index, sorted.
    tail, head
        Node index of each arc's ends.
    arc_mode
        Mode of each arc (rail arcs take the rail figures, all others the road ones).
    profile
        Picks freight or passenger delays, the fallback delay and the fee factor.

    Returns
    -------
    tuple
        Per arc: delay h, fee US$, delay spread min and max h (NaN where unknown or for
        passenger delays), opening hours from and to (NaN where open 24 h or unknown), and
        the ``network.crossings`` row used (-1 if none); zeros and -1 on arcs that do not
        enter a crossing.
    """
    m = tail.size
    delay = np.zeros(m)
    fee = np.zeros(m)
    dmin = np.full(m, np.nan)
    dmax = np.full(m, np.nan)
    ofrom = np.full(m, np.nan)
    oto = np.full(m, np.nan)
    row = np.full(m, -1, np.int64)
    nodes = network.nodes.set_index("node_id").loc[node_ids]
    is_bc = (nodes["kind"] == NodeKind.BORDER_CROSSING).to_numpy()
    enter = is_bc[head]
    if not enter.any():
        return delay, fee, dmin, dmax, ofrom, oto, row
    country = nodes["country"].to_numpy()
    ca = nodes["country_a"].to_numpy()
    cb = nodes["country_b"].to_numpy()
    idx = np.flatnonzero(enter)
    t_cc, h = country[tail[idx]], head[idx]
    direction = np.where(
        t_cc == ca[h], "a_to_b", np.where(t_cc == cb[h], "b_to_a", "either")
    ).astype(object)
    cmode = np.where(arc_mode[idx] == "rail", "rail", "road").astype(object)
    arcs = pd.DataFrame({"arc": idx, "node_id": node_ids[h], "mode": cmode, "direction": direction})
    table = network.crossings.reset_index(drop=True).copy()
    table["row"] = np.arange(len(table), dtype=np.int64)
    passenger = profile.crossing.delay == "passenger"
    fallback = profile.crossing.fallback_delay_h
    if passenger:
        table["use_h"] = table["passenger_delay_h"].fillna(fallback)
    else:
        table["use_h"] = table["delay_h"]
    for col in ("open_from_h", "open_to_h"):
        if col not in table.columns:
            table[col] = np.nan
    cols = ["node_id", "mode", "direction", "row", "use_h", "fee_usd"]
    cols += ["delay_min_h", "delay_max_h", "delay_h", "open_from_h", "open_to_h"]
    # the direction-specific row, or (unknown direction) the slower of the two
    slowest = table.sort_values("use_h", ascending=False, kind="stable").drop_duplicates(
        ["node_id", "mode"]
    )
    slowest = slowest.assign(direction="either")
    both = pd.concat([table[cols], slowest[cols]], ignore_index=True)
    found = arcs.merge(both, on=["node_id", "mode", "direction"], how="left")
    found = found.sort_values("arc", kind="stable")
    hit = found["row"].notna().to_numpy()
    a = found["arc"].to_numpy()
    delay[a] = np.where(hit, found["use_h"].to_numpy(dtype=np.float64), fallback)
    fee[a] = np.where(hit, found["fee_usd"].to_numpy(dtype=np.float64), 0.0)
    fee[a] *= profile.crossing.fee_factor
    if not passenger:
        # spread of the freight figure, scaled to the delay used
        dmin[a] = found["delay_min_h"].to_numpy(dtype=np.float64)
        dmax[a] = found["delay_max_h"].to_numpy(dtype=np.float64)
    ofrom[a] = pd.to_numeric(found["open_from_h"], errors="coerce").to_numpy(dtype=np.float64)
    oto[a] = pd.to_numeric(found["open_to_h"], errors="coerce").to_numpy(dtype=np.float64)
    row[a] = np.where(hit, found["row"].fillna(-1).to_numpy(), -1).astype(np.int64)
    return delay, fee, dmin, dmax, ofrom, oto, row
