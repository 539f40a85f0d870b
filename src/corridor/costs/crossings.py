"""Border-crossing stops of the cost graph: delay, fee, spread and opening hours.

An arc entering a ``border_crossing`` node carries that crossing's median delay
(``delay_p50_h``) and fee for the arc's mode and the direction implied by its tail's
country (country_a -> a_to_b, country_b -> b_to_a; otherwise the slower of the two
directions), with its P10/P90 spread and its opening hours (``hours``). Only the rows in
force on the network's date are read (:meth:`Network.open_crossings`); links into a
crossing-mode closed that day are already gone (:meth:`Network.open_links`). A crossing
without figures for the mode costs the profile's fallback delay and no fee. Opening
hours are read on the departure's clock: a crossing's local time zone is not modelled
(an [assumption]; e.g. Kraskino's 09:00-19:00 Vladivostok time for a trip leaving Moscow
is off by 7 h).
:func:`barred_links` keeps a profile off crossings reserved to other vehicles (e.g.
Kukuryki, trucks only: no car or bus arcs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.costs.profiles import Profile
from corridor.model.dated import crossing_mode_of
from corridor.model.hours import parse_hours
from corridor.model.network import Network
from corridor.model.schema import NodeKind

__all__ = ["barred_links", "crossing_stops"]


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
        Mode of each arc (rail and air arcs take the rail and air figures, all others
        the road ones).
    profile
        Picks freight or passenger delays, the fallback delay and the fee factor.

    Returns
    -------
    tuple
        Per arc: median delay h, fee US$, delay P10 and P90 h (NaN where unknown or for
        passenger delays), opening hours from and to (NaN where open 24 h or unknown), and
        the ``network.crossings`` row used (-1 if none); zeros and -1 on arcs that do not
        enter a crossing.
    """
    m = tail.size
    delay = np.zeros(m)
    fee = np.zeros(m)
    p10 = np.full(m, np.nan)
    p90 = np.full(m, np.nan)
    ofrom = np.full(m, np.nan)
    oto = np.full(m, np.nan)
    row = np.full(m, -1, np.int64)
    nodes = network.nodes.set_index("node_id").loc[node_ids]
    is_bc = (nodes["kind"] == NodeKind.BORDER_CROSSING).to_numpy()
    enter = is_bc[head]
    if not enter.any():
        return delay, fee, p10, p90, ofrom, oto, row
    country = nodes["country"].to_numpy()
    ca = nodes["country_a"].to_numpy()
    cb = nodes["country_b"].to_numpy()
    idx = np.flatnonzero(enter)
    t_cc, h = country[tail[idx]], head[idx]
    direction = np.where(
        t_cc == ca[h], "a_to_b", np.where(t_cc == cb[h], "b_to_a", "either")
    ).astype(object)
    cmode = np.where(
        arc_mode[idx] == "rail", "rail", np.where(arc_mode[idx] == "air", "air", "road")
    ).astype(object)
    arcs = pd.DataFrame({"arc": idx, "node_id": node_ids[h], "mode": cmode, "direction": direction})
    table = _rows_in_force(network)
    passenger = profile.crossing.delay == "passenger"
    fallback = profile.crossing.fallback_delay_h
    if passenger:
        table["use_h"] = table["passenger_delay_h"].fillna(fallback)
    else:
        table["use_h"] = table["delay_p50_h"]
    cols = ["node_id", "mode", "direction", "row", "use_h", "fee_usd"]
    cols += ["delay_p10_h", "delay_p90_h", "delay_p50_h", "open_from_h", "open_to_h"]
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
        # spread of the freight figure
        p10[a] = found["delay_p10_h"].to_numpy(dtype=np.float64)
        p90[a] = found["delay_p90_h"].to_numpy(dtype=np.float64)
    ofrom[a] = pd.to_numeric(found["open_from_h"], errors="coerce").to_numpy(dtype=np.float64)
    oto[a] = pd.to_numeric(found["open_to_h"], errors="coerce").to_numpy(dtype=np.float64)
    row[a] = np.where(hit, found["row"].fillna(-1).to_numpy(), -1).astype(np.int64)
    return delay, fee, p10, p90, ofrom, oto, row


def _rows_in_force(network: Network) -> pd.DataFrame:
    """The crossing rows in force on the network's date, with their row in the full
    table (``row``) and their opening hours parsed (``open_from_h``, ``open_to_h``)."""
    full = network.crossings.reset_index(drop=True)
    full["row"] = np.arange(len(full), dtype=np.int64)
    table = full[network.open_crossings()].copy()
    window = [parse_hours(str(h)) for h in table["hours"]]
    table["open_from_h"] = np.array([w[0] for w in window], dtype=np.float64)
    table["open_to_h"] = np.array([w[1] for w in window], dtype=np.float64)
    return table


def barred_links(network: Network, kind: str, vehicle: str = "") -> BoolArray:
    """Links a vehicle may not use: those into a crossing-mode reserved to others.

    Parameters
    ----------
    network
        The network; its crossing rows in force on its date decide.
    kind
        The profile's kind, ``"freight"`` or ``"passenger"``.
    vehicle
        The profile's id (``"car"`` may use crossings reserved to passenger cars).

    Returns
    -------
    numpy.ndarray
        bool per row of ``network.links``: True where the link touches a border crossing
        whose rows in force for the link's mode all have ``vehicles`` other than ``all``,
        `kind` and `vehicle` (e.g. a car on the road into Kukuryki, reserved to trucks, or
        a bus into Kuźnica, open to passenger cars only).

    Examples
    --------
    >>> import corridor
    >>> barred_links(corridor.examples.toy(), "passenger").any()
    np.False_
    """
    links = network.links
    out = np.zeros(len(links), dtype=bool)
    rows = network.crossings[network.open_crossings()]
    if not len(rows) or not len(links):
        return out
    allowed = rows["vehicles"].isin(["all", kind] + ([vehicle] if vehicle else [])).to_numpy()
    keys = pd.MultiIndex.from_frame(rows[["node_id", "mode"]])
    barred = keys.unique().difference(keys[allowed].unique())
    if not len(barred):
        return out
    cmode = crossing_mode_of(links["mode"])
    for end in ("a_node", "b_node"):
        pairs = pd.MultiIndex.from_arrays([links[end].to_numpy(), cmode])
        out |= np.asarray(pairs.isin(barred), dtype=bool)
    return out
