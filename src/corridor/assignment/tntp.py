"""Assignment inputs from TNTP files (the Transportation Networks collection).

:mod:`corridor.io.tntp` parses and checks the files into plain tables; this module turns
them into an :class:`~corridor.assignment.network.AssignmentNetwork` with BPR delay
functions ``t = t0 (1 + b (x / capacity)^power)`` and a
:class:`~corridor.assignment.network.TrafficClass`. Zones are nodes 1..zones; those
numbered below the first-thru node may start and end paths but are never passed through.
"""

from __future__ import annotations

import logging
import os

import numpy as np

from corridor.io.tntp import TntpNetwork, read_tntp_demand, read_tntp_net

from .network import AssignmentNetwork, TrafficClass

__all__ = ["read_tntp_network", "read_tntp_trips", "tntp_assignment_network"]

log = logging.getLogger(__name__)


def tntp_assignment_network(net: TntpNetwork) -> AssignmentNetwork:
    """The assignment network of a parsed ``*_net.tntp`` file.

    Parameters
    ----------
    net
        From :func:`corridor.io.tntp.read_tntp_net`.

    Returns
    -------
    AssignmentNetwork
        Links in file order with ids 1..m, BPR delay functions, nodes 1..n (plus any other
        id used by a link), zones 1..z, and zones below the first-thru node marked as not
        passable. Times are in the file's unit (``time_unit="min"``).
    """
    links = net.links
    a = links["a_node"].to_numpy(dtype=np.int64)
    b = links["b_node"].to_numpy(dtype=np.int64)
    node_ids = np.union1d(np.arange(1, net.n_nodes + 1, dtype=np.int64), np.concatenate([a, b]))
    return AssignmentNetwork(
        node_ids=node_ids,
        link_ids=np.arange(1, len(links) + 1, dtype=np.int64),
        a_node=a,
        b_node=b,
        capacity=links["capacity"].to_numpy(dtype=np.float64),
        length=links["length"].to_numpy(dtype=np.float64),
        free_flow_time=links["free_flow_time"].to_numpy(dtype=np.float64),
        alpha=links["b"].to_numpy(dtype=np.float64),
        beta=links["power"].to_numpy(dtype=np.float64),
        toll=links["toll"].to_numpy(dtype=np.float64),
        link_type=links["link_type"].to_numpy(dtype=np.int64),
        zones=np.arange(1, net.n_zones + 1, dtype=np.int64),
        no_through=np.arange(1, min(net.first_thru_node, net.n_zones + 1), dtype=np.int64),
        time_unit="min",
        name=net.name,
        source=net.source,
    )


def read_tntp_network(
    path: str | os.PathLike[str], *, name: str | None = None
) -> AssignmentNetwork:
    """Read a ``*_net.tntp`` link file.

    Parameters
    ----------
    path
        The file.
    name
        Label; default: the file name without ``_net.tntp``.

    Returns
    -------
    AssignmentNetwork
        Links in file order with ids 1..m, BPR delay functions, nodes 1..n (plus any other
        id used by a link), zones 1..z, and zones below the first-thru node marked as not
        passable. Times are in the file's unit (``time_unit="min"``).

    Raises
    ------
    DataSourceError
        Naming the file and line: missing metadata, a line with too few or non-numeric
        fields, capacity <= 0, negative time or parameters, a link count that differs from
        ``<NUMBER OF LINKS>``, or zones beyond the nodes.
    """
    return tntp_assignment_network(read_tntp_net(path, name=name))


def read_tntp_trips(
    path: str | os.PathLike[str],
    *,
    name: str = "car",
    zones: int | None = None,
    toll_weight: float = 0.0,
    distance_weight: float = 0.0,
) -> TrafficClass:
    """Read a ``*_trips.tntp`` OD matrix.

    Parameters
    ----------
    path
        The file.
    name
        Name of the traffic class.
    zones
        Expected number of zones (e.g. the network's); checked against the metadata.
    toll_weight, distance_weight
        The problem's "generalized cost weights" (the collection's README for each network):
        time units per toll unit and per length unit, e.g. 0.1 min/cent and 0.25 min/mile for
        chicago-regional. A link then costs ``time + toll_weight * toll + distance_weight *
        length``. The default 0 solves the time-only problem: the file's toll column never
        enters the cost unless a weight is given.

    Returns
    -------
    TrafficClass
        Demand float64[z, z] with zone ids 1..z.

    Raises
    ------
    DataSourceError
        Naming the file and line: an origin or destination outside 1..z, a value that is
        negative or not a number, an entry before the first ``Origin`` line, or a zone
        count that does not match `zones`.
    ValidationError
        If a weight is negative or not finite.
    """
    demand = read_tntp_demand(path, zones=zones)
    z = demand.shape[0]
    return TrafficClass(
        demand=demand,
        name=name,
        zones=np.arange(1, z + 1, dtype=np.int64),
        value_of_time=1.0,
        toll_factor=toll_weight,
        distance_cost=distance_weight,
    )
