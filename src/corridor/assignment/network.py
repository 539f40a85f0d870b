"""The assignment problem's inputs: a link table with delay functions and classes of demand.

:class:`AssignmentNetwork` holds what equilibrium assignment needs per link (end nodes,
capacity, free-flow time, volume-delay function, toll, length) and which nodes are zones.
It comes from a TNTP file (:func:`corridor.read_tntp_network`) or from a corridor
:class:`~corridor.model.network.Network` (:func:`assignment_network`), which turns every
road border crossing into a pair of crossing links with a queueing delay function.

:class:`TrafficClass` is one class of users: its OD matrix, passenger-car equivalent,
value of time, toll factor and the links it may use.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from corridor._typing import BoolArray, FloatArray, IntArray
from corridor.errors import SchemaError, UnknownNodeError, ValidationError
from corridor.graph.compile import link_time_h
from corridor.model.network import Network
from corridor.model.schema import Mode, NodeKind
from corridor.units import HOURS_PER_DAY

from .vdf import VDF_CODES, VolumeDelay

__all__ = ["AssignmentNetwork", "TrafficClass", "assignment_network"]

log = logging.getLogger(__name__)


def _rows(mask: NDArray[np.bool_], limit: int = 5) -> str:
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(int(i) + 1) for i in idx[:limit])
    return shown + (f" ... ({idx.size} links)" if idx.size > limit else "")


def _vdf_codes(names: NDArray[np.object_], problems: list[str]) -> NDArray[np.int8]:
    known = {v.value: code for v, code in VDF_CODES.items()}
    lower = np.char.lower(names.astype(str))
    bad = ~np.isin(lower, list(known))
    if bad.any():
        problems.append(
            f"links.vdf: link row(s) {_rows(bad)} name unknown functions "
            f"{sorted(set(lower[bad].tolist()))[:5]}; use one of {list(known)}"
        )
        return np.zeros(names.size, np.int8)
    return np.asarray([known[v] for v in lower.tolist()], dtype=np.int8)


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class AssignmentNetwork:
    """Links with volume-delay functions, and the zones that demand starts and ends at.

    Parameters
    ----------
    node_ids
        Every node id, int64[n] (sorted on construction).
    link_ids
        Link ids, int64[m] (TNTP: 1..m in file order).
    a_node, b_node
        Tail and head node of each link, int64[m]; links are directed.
    capacity
        Capacity per link, float64[m] > 0, vehicles (PCE) per period of the demand.
    free_flow_time
        Free-flow time per link, float64[m] >= 0, in `time_unit`.
    alpha, beta
        Delay-function parameters per link (see :mod:`corridor.assignment.vdf`).
    vdf
        Delay function per link: names ("bpr", "conical", "akcelik") or their codes
        int8[m] (0, 1, 2); default BPR.
    length
        Length per link (unit of the source; km for corridor networks).
    toll
        Money charged per vehicle per link; converted to time with each class's value of
        time.
    link_type
        Free integer tag per link (TNTP `link_type`), usable for class permissions.
    zones
        Zone node ids in the order of the OD matrices' rows and columns.
    no_through
        Node ids that paths may start or end at but never pass through (TNTP: the zones
        numbered below the first-thru node).
    time_unit
        Unit of `free_flow_time` and of reported times ("min", "h", ...).
    turns
        Turn restrictions by link id (columns ``kind``, ``from_link``, ``via_node``,
        ``via_links``, ``to_link`` as in a corridor network's ``turns`` table); the
        all-or-nothing loads obey them (see :mod:`corridor.assignment.turns`). Empty by
        default.
    name, source
        A label, and the file it was read from (for messages).

    Raises
    ------
    SchemaError
        Listing every problem: unequal lengths, capacity <= 0, negative or non-finite
        times or parameters, unknown delay-function codes, conical alpha <= 1.
    UnknownNodeError
        If a link end or zone is not among `node_ids`.
    """

    node_ids: IntArray
    link_ids: IntArray
    a_node: IntArray
    b_node: IntArray
    capacity: FloatArray
    free_flow_time: FloatArray
    alpha: FloatArray
    beta: FloatArray
    vdf: NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    length: FloatArray = field(default_factory=lambda: np.zeros(0))
    toll: FloatArray = field(default_factory=lambda: np.zeros(0))
    link_type: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    zones: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    no_through: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    time_unit: str = "min"
    turns: pd.DataFrame = field(default_factory=pd.DataFrame)
    name: str = "network"
    source: str | None = None

    def __post_init__(self) -> None:
        m = int(np.asarray(self.a_node).size)
        ints = ("link_ids", "a_node", "b_node", "link_type", "zones", "no_through", "node_ids")
        floats = ("capacity", "free_flow_time", "alpha", "beta", "length", "toll")
        defaults = {"vdf": 0, "length": 0.0, "toll": 0.0, "link_type": 0}
        problems: list[str] = []
        for name in (*ints, *floats, "vdf"):
            arr = np.asarray(getattr(self, name))
            if name == "vdf" and arr.dtype.kind in "UO":
                arr = _vdf_codes(arr, problems)
            if name in defaults and arr.size == 0 and m:
                arr = np.full(m, defaults[name])
            dtype = np.int64 if name in ints else (np.int8 if name == "vdf" else np.float64)
            arr = np.ascontiguousarray(arr, dtype=dtype).ravel()
            if name == "node_ids":
                arr = np.unique(arr)
            if name not in ("zones", "no_through", "node_ids") and arr.size != m:
                problems.append(f"links.{name}: has {arr.size} values for {m} links")
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)
        if len(self.turns):
            need = {"kind", "from_link", "via_node", "via_links", "to_link"}
            lacking = sorted(need - set(self.turns.columns))
            if lacking:
                problems.append(f"turns: missing column(s) {lacking}")
        if not problems:
            problems += self._check_values()
        if problems:
            raise SchemaError(problems, source=self.source)
        for role, ids in (
            ("link end", np.concatenate([self.a_node, self.b_node])),
            ("zone", self.zones),
            ("no-through node", self.no_through),
        ):
            missing = np.setdiff1d(ids, self.node_ids)
            if missing.size:
                raise UnknownNodeError(missing.tolist(), role=f"{role} id(s)")
        if np.unique(self.zones).size != self.zones.size:
            raise ValidationError("zones: ids repeat; each zone must appear once")

    def _check_values(self) -> list[str]:
        problems: list[str] = []
        checks: list[tuple[str, NDArray[np.bool_], str]] = [
            ("capacity", ~(self.capacity > 0), "capacity must be > 0 (use a large value)"),
            ("free_flow_time", ~(self.free_flow_time >= 0), "must be finite and >= 0"),
            ("free_flow_time", np.isinf(self.free_flow_time), "must be finite"),
            ("alpha", ~(self.alpha >= 0) | np.isinf(self.alpha), "must be finite and >= 0"),
            ("beta", ~(self.beta >= 0) | np.isinf(self.beta), "must be finite and >= 0"),
            ("toll", ~np.isfinite(self.toll), "must be finite"),
            ("vdf", ~np.isin(self.vdf, list(VDF_CODES.values())), "unknown delay-function code"),
        ]
        conical = self.vdf == VDF_CODES[VolumeDelay.CONICAL]
        checks.append(("alpha", conical & ~(self.alpha > 1), "conical needs alpha > 1"))
        akcelik = self.vdf == VDF_CODES[VolumeDelay.AKCELIK]
        checks.append(
            ("alpha", akcelik & ~((self.alpha > 0) & (self.beta > 0)), "Akcelik needs J, T > 0")
        )
        for col, bad, text in checks:
            if bad.any():
                problems.append(f"links.{col}: link row(s) {_rows(bad)}: {text}")
        loops = self.a_node == self.b_node
        if loops.any():
            problems.append(f"links: link row(s) {_rows(loops)} start and end at the same node")
        return problems

    def __repr__(self) -> str:
        return (
            f"<AssignmentNetwork {self.name!r}: {self.n_nodes} nodes, {self.n_links} links, "
            f"{self.zones.size} zones>"
        )

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_ids.size)

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.a_node.size)

    def to_frame(self) -> pd.DataFrame:
        """The link table, one row per link in link order."""
        names = {code: v.value for v, code in VDF_CODES.items()}
        return pd.DataFrame(
            {
                "link_id": self.link_ids,
                "a_node": self.a_node,
                "b_node": self.b_node,
                "capacity": self.capacity,
                "free_flow_time": self.free_flow_time,
                "vdf": [names[int(c)] for c in self.vdf],
                "alpha": self.alpha,
                "beta": self.beta,
                "length": self.length,
                "toll": self.toll,
                "link_type": self.link_type,
            }
        )


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class TrafficClass:
    """One class of users and its demand.

    Parameters
    ----------
    demand
        OD matrix, float64[z, z] >= 0, vehicles per period; rows are origins.
    name
        Label, e.g. "car" or "truck".
    zones
        Zone node ids of the rows/columns; default: the network's zones.
    pce
        Passenger-car equivalents per vehicle (> 0); volumes in the delay functions are
        in PCE.
    value_of_time
        Money per unit of time (> 0); a toll of ``v`` costs ``v / value_of_time`` time.
    toll_factor
        Multiplier of the link toll for this class (e.g. 3 for trucks).
    distance_cost
        Money per unit of the network's link length (>= 0, default 0), e.g. a vehicle's
        operating cost per km; a link of length ``l`` then costs
        ``l * distance_cost / value_of_time`` time on top of its toll. With
        ``value_of_time=1``, `toll_factor` and `distance_cost` are the TNTP "generalized
        cost weights" (time units per toll unit and per length unit).
    allowed
        bool[m] per link of the network, True where this class may drive; default all.

    Raises
    ------
    ValidationError
        If `demand` is not square, has NaN, infinite or negative entries (naming the
        origin rows), `pce`/`value_of_time` are not positive or `toll_factor`/`distance_cost`
        are negative or not finite.
    """

    demand: FloatArray
    name: str = "car"
    zones: IntArray | None = None
    pce: float = 1.0
    value_of_time: float = 1.0
    toll_factor: float = 1.0
    distance_cost: float = 0.0
    allowed: BoolArray | None = None

    def __post_init__(self) -> None:
        d = np.array(self.demand, dtype=np.float64)
        if d.ndim != 2 or d.shape[0] != d.shape[1]:
            raise ValidationError(
                f"class {self.name!r}: OD matrix has shape {d.shape}; it must be square "
                "(zones x zones)"
            )
        bad = ~np.isfinite(d) | (d < 0)
        if bad.any():
            rows = sorted({int(r) for r in np.nonzero(bad)[0]})
            vals = d[bad][:5].tolist()
            raise ValidationError(
                f"class {self.name!r}: OD matrix has negative or non-finite demand {vals} in "
                f"origin row(s) {[r + 1 for r in rows[:5]]}; demand must be finite and >= 0"
            )
        numbers = (self.pce, self.value_of_time, self.toll_factor, self.distance_cost)
        if not (
            all(np.isfinite(numbers))
            and self.pce > 0
            and self.value_of_time > 0
            and self.toll_factor >= 0
            and self.distance_cost >= 0
        ):
            raise ValidationError(
                f"class {self.name!r}: need finite pce > 0, value_of_time > 0, toll_factor >= 0 "
                f"and distance_cost >= 0, got {self.pce}, {self.value_of_time}, "
                f"{self.toll_factor}, {self.distance_cost}"
            )
        d.flags.writeable = False
        object.__setattr__(self, "demand", d)
        if self.zones is not None:
            z = np.asarray(self.zones, dtype=np.int64).ravel()
            if z.size != d.shape[0]:
                raise ValidationError(
                    f"class {self.name!r}: {z.size} zone ids for a {d.shape[0]}x{d.shape[1]} "
                    "OD matrix; give one id per row"
                )
            object.__setattr__(self, "zones", z)
        if self.allowed is not None:
            object.__setattr__(self, "allowed", np.asarray(self.allowed, dtype=bool).ravel())

    def __repr__(self) -> str:
        z = self.demand.shape[0]
        return (
            f"<TrafficClass {self.name!r}: {z}x{z} zones, {self.demand.sum():,.1f} trips, "
            f"pce={self.pce:g}>"
        )

    @property
    def total(self) -> float:
        """Total trips."""
        return float(self.demand.sum())


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossingDelay:
    """How a corridor border crossing becomes an assignment link.

    Parameters
    ----------
    delay_parameter
        Akcelik's J (0.1 for a well-run server, up to ~1 for erratic service).
    period_h
        Flow period T in hours over which queues build up.
    """

    delay_parameter: float = 0.5
    period_h: float = 1.0


def assignment_network(
    network: Network,
    *,
    alpha: float = 0.15,
    beta: float = 4.0,
    crossing: CrossingDelay | None = None,
) -> AssignmentNetwork:
    """Build an assignment network from the road links of a corridor network.

    Parameters
    ----------
    network
        The network. Road links that are not `oneway` give one link each way; closed links
        are dropped. Free-flow time is ``length_km / speed_kmh`` (hours).
    alpha, beta
        BPR parameters of road links. Links without a capacity (NaN) get a constant time.
    crossing
        Delay function parameters of border crossings.

    Returns
    -------
    AssignmentNetwork
        In hours and vehicles per hour. Every border-crossing node ``C`` with a road row in
        ``network.crossings`` is split in two: ``C`` keeps the links to the side of
        ``country_a`` and a new node ``C'`` (id ``-C - 1``, or lower if taken) takes the
        links to the other side; the links ``C -> C'`` (direction a_to_b) and ``C' -> C``
        (b_to_a) have free-flow time ``delay_h``, capacity ``capacity_veh_day / 24`` and the
        Akcelik function (a constant time if the capacity is unknown); their toll is
        ``fee_usd``. All nodes may be passed through; zones are the city nodes.

    Raises
    ------
    ValidationError
        If the network has no road links.

    Notes
    -----
    The network's turn restrictions are kept (``turns``): all-or-nothing loads obey those
    between road links, as routes and skims do.
    """
    crossing = crossing or CrossingDelay()
    links = network.links
    use = (links["mode"] == Mode.ROAD).to_numpy() & network.open_links()
    if not use.any():
        raise ValidationError(f"{network.name}: no open road links to assign on")
    road = links[use]
    two = ~road["oneway"].to_numpy()
    a = np.concatenate([road["a_node"].to_numpy(), road["b_node"].to_numpy()[two]])
    b = np.concatenate([road["b_node"].to_numpy(), road["a_node"].to_numpy()[two]])

    def both(values: ArrayLike) -> FloatArray:
        v = np.asarray(values, dtype=np.float64)
        return np.concatenate([v, v[two]])

    ids = np.concatenate([road["link_id"].to_numpy(), road["link_id"].to_numpy()[two]])
    cap = both(road["capacity_veh_h"].to_numpy())
    uncapped = ~(cap > 0)
    t0 = both(link_time_h(road))
    length = both(road["length_km"].to_numpy())
    toll = both(road["toll_usd"].to_numpy())
    nodes = network.nodes
    country = dict(
        zip(nodes["node_id"].to_numpy().tolist(), nodes["country"].tolist(), strict=True)
    )
    node_ids = nodes["node_id"].to_numpy(dtype=np.int64)
    extra: dict[str, list[float]] = {k: [] for k in ("a", "b", "t0", "cap", "toll", "id")}
    new_nodes: list[int] = []
    rows = network.crossings
    rows = rows[(rows["mode"] == Mode.ROAD).to_numpy()] if len(rows) else rows
    kinds = dict(zip(nodes["node_id"].tolist(), nodes["kind"].tolist(), strict=True))
    for node in sorted(set(rows["node_id"].tolist()) if len(rows) else set()):
        if kinds.get(node) != NodeKind.BORDER_CROSSING:
            continue
        side_a = str(nodes.loc[nodes["node_id"] == node, "country_a"].iloc[0])
        twin = -int(node) - 1 if node >= 0 else int(node) - 1
        while twin in set(node_ids.tolist()) or twin in new_nodes:
            twin -= 1
        new_nodes.append(twin)
        # links on side b now end or start at the twin
        at_tail = a == node
        at_head = b == node
        other_tail = np.array([country.get(int(v), "") for v in b[at_tail]], dtype=object)
        other_head = np.array([country.get(int(v), "") for v in a[at_head]], dtype=object)
        tail_idx = np.flatnonzero(at_tail)[other_tail != side_a]
        head_idx = np.flatnonzero(at_head)[other_head != side_a]
        a[tail_idx] = twin
        b[head_idx] = twin
        for _, row in rows[rows["node_id"] == node].iterrows():
            forward = row["direction"] == "a_to_b"
            extra["a"].append(node if forward else twin)
            extra["b"].append(twin if forward else node)
            extra["t0"].append(float(row["delay_h"]))
            per_day = float(row["capacity_veh_day"])
            extra["cap"].append(per_day / HOURS_PER_DAY if per_day > 0 else np.nan)
            extra["toll"].append(float(row["fee_usd"]))
            extra["id"].append(-1)
    k = len(extra["a"])
    cx_cap = np.asarray(extra["cap"], dtype=np.float64)
    vdf = np.concatenate(
        [
            np.zeros(a.size, np.int8),
            np.where(cx_cap > 0, VDF_CODES[VolumeDelay.AKCELIK], 0).astype(np.int8),
        ]
    )
    all_cap = np.concatenate([np.where(uncapped, 1.0, cap), np.where(cx_cap > 0, cx_cap, 1.0)])
    all_alpha = np.concatenate(
        [np.where(uncapped, 0.0, alpha), np.where(cx_cap > 0, crossing.delay_parameter, 0.0)]
    )
    all_beta = np.concatenate([np.full(a.size, beta), np.full(k, crossing.period_h)])
    cities = nodes.loc[nodes["kind"] == NodeKind.CITY, "node_id"].to_numpy(dtype=np.int64)
    net = AssignmentNetwork(
        node_ids=np.concatenate([node_ids, np.asarray(new_nodes, dtype=np.int64)]),
        link_ids=np.concatenate([ids, np.asarray(extra["id"], dtype=np.int64)]),
        a_node=np.concatenate([a, np.asarray(extra["a"], dtype=np.int64)]),
        b_node=np.concatenate([b, np.asarray(extra["b"], dtype=np.int64)]),
        capacity=all_cap,
        free_flow_time=np.concatenate([t0, np.asarray(extra["t0"])]),
        alpha=all_alpha,
        beta=all_beta,
        vdf=vdf,
        length=np.concatenate([length, np.zeros(k)]),
        toll=np.concatenate([toll, np.asarray(extra["toll"])]),
        link_type=np.concatenate([np.zeros(a.size, np.int64), np.ones(k, np.int64)]),
        zones=np.sort(cities),
        time_unit="h",
        turns=network.turns,
        name=network.name,
        source=network.source,
    )
    log.info("assignment network from %r: %d links, %d crossing links", network, net.n_links, k)
    return net
