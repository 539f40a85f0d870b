"""Accessibility: population reachable within T hours, and Hansen accessibility.

Both come from a time skim from the origins to every populated node:

* cumulative opportunities: ``P_i(T) = sum_j pop_j [t_ij <= T]`` (the origin's own
  population included, at t = 0);
* Hansen (1959): ``A_i = sum_j pop_j f(t_ij)`` with a deterrence function f
  (:class:`~corridor.assignment.demand.Deterrence`: exponential, power or combined).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from corridor.assignment.demand import Deterrence
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.skim import NodeRefs, Skim, resolve_nodes, skim

__all__ = ["hansen_accessibility", "population_within"]

log = logging.getLogger(__name__)


def _populated(network: Network) -> tuple[np.ndarray, np.ndarray]:
    nodes = network.nodes
    pop = nodes["population"].fillna(0).to_numpy(dtype=np.float64)
    keep = pop > 0
    return nodes["node_id"].to_numpy(dtype=np.int64)[keep], pop[keep]


def _origins(network: Network, origins: NodeRefs | None) -> np.ndarray:
    if origins is None:
        ids, _ = _populated(network)
        return ids
    return resolve_nodes(network, origins, role="origin")


def _time_skim(
    network: Network,
    origins: np.ndarray,
    destinations: np.ndarray,
    modes: str | Mode | Iterable[str | Mode] | None,
) -> Skim:
    return skim(network, origins, destinations, cost="time_h", modes=modes, sums=())


def population_within(
    network: Network,
    origins: NodeRefs | None = None,
    *,
    hours: Sequence[float],
    modes: str | Mode | Iterable[str | Mode] | None = "road",
) -> pd.DataFrame:
    """Population reachable within each threshold, by free-flow time.

    Parameters
    ----------
    network
        The network; node ``population`` is the opportunity.
    origins
        Node ids or place names; default every populated node.
    hours
        Thresholds, h.
    modes
        Modes whose links may be used.

    Returns
    -------
    DataFrame
        ``origin``, ``name``, then ``pop_within_<T>h`` per threshold (the origin's own
        population included).

    Raises
    ------
    ValidationError
        If a threshold is not positive and finite.
    UnknownNodeError
        If an origin is not in the network.

    Examples
    --------
    >>> import corridor
    >>> population_within(corridor.examples.toy(), ["A"], hours=[2, 5])
       origin name  pop_within_2h  pop_within_5h
    0       1    A      1200000.0      1700000.0
    """
    hs = [float(h) for h in hours]
    if not hs or not all(h > 0 and math.isfinite(h) for h in hs):
        raise ValidationError(f"hours must be positive and finite, got {list(hours)}")
    o = _origins(network, origins)
    dest, pop = _populated(network)
    names = network.nodes.set_index("node_id")["name"]
    out = pd.DataFrame({"origin": o, "name": names.loc[o].to_numpy()})
    if dest.size == 0:
        for h in hs:
            out[f"pop_within_{h:g}h"] = 0.0
        return out
    t = _time_skim(network, o, dest, modes).values
    for h in hs:
        out[f"pop_within_{h:g}h"] = (pop[None, :] * (t <= h)).sum(axis=1)
    log.info("population within %s h from %d origins", hs, o.size)
    return out


def hansen_accessibility(
    network: Network,
    origins: NodeRefs | None = None,
    *,
    deterrence: Deterrence | None = None,
    modes: str | Mode | Iterable[str | Mode] | None = "road",
) -> pd.DataFrame:
    """Hansen accessibility ``A_i = sum_j population_j f(time_h_ij)``.

    Parameters
    ----------
    network
        The network; node ``population`` is the opportunity.
    origins
        Node ids or place names; default every populated node.
    deterrence
        f of free-flow time in hours; default exponential with beta = 0.1 per hour.
    modes
        Modes whose links may be used.

    Returns
    -------
    DataFrame
        ``origin``, ``name``, ``accessibility`` (persons, weighted), ``reachable_population``.

    Raises
    ------
    UnknownNodeError
        If an origin is not in the network.

    Examples
    --------
    >>> import corridor
    >>> from corridor.assignment.demand import Deterrence
    >>> net = corridor.examples.toy()
    >>> a = hansen_accessibility(net, ["D"], deterrence=Deterrence(beta=0.0))
    >>> a["accessibility"].tolist()
    [1700000.0]
    """
    det = deterrence or Deterrence()
    o = _origins(network, origins)
    dest, pop = _populated(network)
    names = network.nodes.set_index("node_id")["name"]
    out = pd.DataFrame({"origin": o, "name": names.loc[o].to_numpy()})
    if dest.size == 0:
        out["accessibility"] = 0.0
        out["reachable_population"] = 0.0
        return out
    t = _time_skim(network, o, dest, modes).values
    out["accessibility"] = (pop[None, :] * det(t)).sum(axis=1)
    out["reachable_population"] = (pop[None, :] * np.isfinite(t)).sum(axis=1)
    log.info("Hansen accessibility (%s) for %d origins", det.kind.value, o.size)
    return out
