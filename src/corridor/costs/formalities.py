"""Border formalities on the cost graph: who may cross where, and at what time and fee.

The network's ``formalities`` table (:data:`corridor.model.schema.FORMALITY_COLUMNS`) has a
row per crossing node, mode, direction and vehicle. A profile crosses a road crossing as
its ``road_vehicle`` (car, bus or truck) and a rail crossing as a passenger or freight
train (by its ``kind``). For an arc entering a crossing node:

An airport's passport control (mode ``air``) is crossed as a ``flight``.

* ``allowed`` false: the arc is left out of the profile's cost graph (e.g. no private car
  enters North Korea);
* ``time_h`` and ``fee_usd`` are added to the crossing's stop (on top of its delay and fee);
* ``transit_allowed`` false and ``barred_origins`` are rules of a trip, not of the graph:
  :func:`transit_arcs` gives the arcs a trip between two countries may use, and
  :class:`corridor.paths.Router` searches only those;
* ``visa`` and ``documents`` are listed on the route's border stop
  (:func:`formality_note`).

A network without the table (or a crossing without a row) costs and forbids nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.costs.profiles import Profile
from corridor.model.network import Network
from corridor.model.schema import NodeKind, Vehicle

__all__ = [
    "FormalityArcs",
    "barred_reasons",
    "formality_arcs",
    "formality_notes",
    "transit_arcs",
    "vehicle_of",
]


def vehicle_of(profile: Profile, mode: str) -> Vehicle:
    """How a profile crosses a border on `mode` (ferries carry road vehicles; a flight's
    travellers pass the arrival airport's passport control)."""
    if mode == "air":
        return Vehicle.FLIGHT
    if mode == "rail":
        return Vehicle.PASSENGER_TRAIN if profile.kind == "passenger" else Vehicle.FREIGHT_TRAIN
    if profile.road_vehicle is not None:
        return Vehicle(profile.road_vehicle)
    return Vehicle.CAR if profile.kind == "passenger" else Vehicle.TRUCK


@dataclass(frozen=True, eq=False, repr=False)
class FormalityArcs:
    """Formalities of each line-haul arc (zeros, True and -1 off crossings).

    Attributes
    ----------
    time_h, fee_usd
        Added to the arc's stop.
    allowed
        Whether the profile may use the arc at all.
    transit_ok
        Whether it may use the arc to enter a country that is neither the trip's origin
        nor its destination.
    enters
        Country entered on the arc ("" where it does not enter a crossing, or its
        direction is unknown).
    barred
        ';'-separated origin countries barred on the arc ("" for none).
    row
        Row of ``network.formalities`` used, -1 if none.
    """

    time_h: FloatArray
    fee_usd: FloatArray
    allowed: BoolArray
    transit_ok: BoolArray
    enters: np.ndarray
    barred: np.ndarray
    row: IntArray


def formality_arcs(
    network: Network,
    node_ids: IntArray,
    tail: IntArray,
    head: IntArray,
    arc_mode: np.ndarray,
    profile: Profile,
) -> FormalityArcs:
    """Formalities of arcs entering a crossing, for `profile`.

    Parameters
    ----------
    network
        The network whose ``formalities`` table gives the rules.
    node_ids
        External id of each node index, sorted.
    tail, head
        Node index of each arc's ends.
    arc_mode
        Mode of each arc.
    profile
        Gives the vehicle (:func:`vehicle_of`).
    """
    m = tail.size
    out = FormalityArcs(
        time_h=np.zeros(m),
        fee_usd=np.zeros(m),
        allowed=np.ones(m, bool),
        transit_ok=np.ones(m, bool),
        enters=np.full(m, "", dtype=object),
        barred=np.full(m, "", dtype=object),
        row=np.full(m, -1, np.int64),
    )
    nodes = network.nodes.set_index("node_id").reindex(node_ids)
    enter = (nodes["kind"] == NodeKind.BORDER_CROSSING).to_numpy()[head]
    if not enter.any():
        return out
    idx = np.flatnonzero(enter)
    country = nodes["country"].to_numpy()
    ca, cb = nodes["country_a"].to_numpy(), nodes["country_b"].to_numpy()
    t_cc, h = country[tail[idx]], head[idx]
    a_side, b_side = t_cc == ca[h], (t_cc == cb[h]) & (t_cc != ca[h])
    out.enters[idx] = np.where(a_side, cb[h], np.where(b_side, ca[h], ""))
    table = network.formalities
    if not len(table):
        return out
    direction = np.where(a_side, "a_to_b", np.where(b_side, "b_to_a", "either"))
    cmode = np.where(
        arc_mode[idx] == "rail", "rail", np.where(arc_mode[idx] == "air", "air", "road")
    )
    vehicle = np.asarray([vehicle_of(profile, str(x)).value for x in cmode], dtype=object)
    arcs = pd.DataFrame(
        {
            "arc": idx,
            "node_id": node_ids[h],
            "mode": cmode,
            "direction": direction,
            "vehicle": vehicle,
        }
    )
    table = table.reset_index(drop=True)
    table["row"] = np.arange(len(table), dtype=np.int64)
    found = arcs.merge(table, on=["node_id", "mode", "direction", "vehicle"], how="inner")
    a = found["arc"].to_numpy(dtype=np.int64)
    out.time_h[a] = found["time_h"].to_numpy(dtype=np.float64)
    out.fee_usd[a] = found["fee_usd"].to_numpy(dtype=np.float64)
    out.allowed[a] = found["allowed"].to_numpy(dtype=bool)
    out.transit_ok[a] = found["transit_allowed"].to_numpy(dtype=bool)
    out.barred[a] = found["barred_origins"].to_numpy(dtype=object)
    out.row[a] = found["row"].to_numpy(dtype=np.int64)
    return out


def transit_arcs(
    enters: np.ndarray,
    transit_ok: BoolArray,
    barred: np.ndarray,
    ends: tuple[str, ...],
    origin: str,
) -> BoolArray:
    """Which arcs a trip may use under the transit rules.

    Parameters
    ----------
    enters, transit_ok, barred
        Per arc, as in :class:`FormalityArcs` (the cost graph's ``enters_country``,
        ``transit_ok`` and ``barred_origins``).
    ends
        Countries of the trip's origin and destination.
    origin
        Country of the trip's origin (where its vehicle is taken to be registered).

    Returns
    -------
    numpy.ndarray
        bool per arc: False where the arc enters a third country the profile may not
        transit, or its crossing bars vehicles from the trip's origin.

    Examples
    --------
    >>> enters = np.array(["", "CN", "CN", "PL"], dtype=object)
    >>> ok = np.array([True, False, False, True])
    >>> barred = np.array(["", "", "", "RU"], dtype=object)
    >>> transit_arcs(enters, ok, barred, ("RU", "KZ"), "RU").tolist()
    [True, False, False, False]
    >>> transit_arcs(enters, ok, barred, ("CN", "KZ"), "KZ").tolist()
    [True, True, True, True]
    """
    third = (enters != "") & ~np.isin(enters.astype(str), list(ends))
    keep = ~(third & ~np.asarray(transit_ok, dtype=bool))
    if origin:
        hit = np.asarray([origin in str(b).split(";") for b in barred], dtype=bool)
        keep &= ~hit
    return np.asarray(keep, dtype=bool)


def formality_notes(table: pd.DataFrame) -> list[str]:
    """Visa and documents of each formalities row, for a route's border stop.

    Examples
    --------
    >>> t = pd.DataFrame({"visa": ["", "e-visa"], "documents": ["TIR carnet; CMR", ""]})
    >>> formality_notes(t)
    ['documents: TIR carnet; CMR', 'visa: e-visa']
    """
    out = []
    for visa, docs in zip(table["visa"].tolist(), table["documents"].tolist(), strict=True):
        parts = [f"visa: {visa}"] if visa else []
        parts += [f"documents: {docs}"] if docs else []
        out.append("; ".join(parts))
    return out


def barred_reasons(
    network: Network, profile: Profile, *, origin: str = "", ends: tuple[str, ...] = ()
) -> str:
    """The rules closing crossings to `profile` on a trip (for a no-path message).

    Lists crossings closed to its vehicles, those barring vehicles from the trip's
    `origin` country and those it may not take into a third country (not in `ends`);
    "" if none.
    """
    table = network.formalities
    if not len(table):
        return ""
    vehicles = {vehicle_of(profile, m).value for m in profile.modes if m in ("road", "rail", "air")}
    mine = table[table["vehicle"].isin(vehicles)]
    nodes = network.nodes.set_index("node_id")
    entered = np.where(
        mine["direction"] == "a_to_b",
        nodes["country_b"].reindex(mine["node_id"]).to_numpy(),
        nodes["country_a"].reindex(mine["node_id"]).to_numpy(),
    )
    barred = np.asarray([origin in str(b).split(";") for b in mine["barred_origins"]], bool)
    third = ~np.isin(entered.astype(str), list(ends)) & ~mine["transit_allowed"].to_numpy(bool)
    found: list[str] = []
    for why, sel in (
        (f"barred to vehicles from {origin}", barred & bool(origin)),
        ("no transit", third & bool(ends)),
        ("closed", ~mine["allowed"].to_numpy(bool)),
    ):
        for node_id, vehicle in zip(
            mine.loc[sel, "node_id"], mine.loc[sel, "vehicle"], strict=True
        ):
            name = str(nodes.at[node_id, "name"])
            found.append(f"{name} ({vehicle}: {why})")
    uniq = list(dict.fromkeys(found))
    more = f" and {len(uniq) - 6} more" if len(uniq) > 6 else ""
    return ", ".join(uniq[:6]) + more
