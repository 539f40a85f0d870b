"""The relative gap of any set of link volumes: one convergence test for every solver.

A benchmark that compares two assignment libraries must judge both by the same test on
their final volumes, not by what each reports about itself. :func:`relative_gap`
recomputes ``(TSTT - SPTT) / TSTT`` (see :mod:`corridor.assignment.equilibrium`) from
per-class link volumes, whoever computed them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from corridor.errors import ValidationError

from .aon import aon_classes, prepare
from .equilibrium import _as_classes, _gap, _times
from .network import AssignmentNetwork, TrafficClass

__all__ = ["relative_gap"]


def relative_gap(
    network: AssignmentNetwork,
    demand: TrafficClass | Sequence[TrafficClass],
    class_flow: ArrayLike,
) -> float:
    """``(TSTT - SPTT) / TSTT`` of given volumes.

    Parameters
    ----------
    network
        The assignment network.
    demand
        The traffic class(es) the volumes are for.
    class_flow
        Vehicles per class and link in the network's link order, float[c, m] (or float[m]
        for one class).

    Returns
    -------
    float
        The relative gap: total generalised cost at the volumes' link costs against the
        all-or-nothing total on the same costs; 0 at an exact equilibrium.

    Raises
    ------
    ValidationError
        If `class_flow` does not have one row per class and one column per link, or has
        negative or non-finite values.

    Examples
    --------
    Two parallel links with times ``1 + x1`` and ``2 + x2``; 3 trips split 2 : 1 are at
    equilibrium, 3 : 0 is not (the second link would cost 2 < 4):

    >>> import numpy as np
    >>> net = AssignmentNetwork(
    ...     node_ids=np.array([1, 2]), link_ids=np.array([1, 2]), a_node=np.array([1, 1]),
    ...     b_node=np.array([2, 2]), capacity=np.array([1.0, 2.0]),
    ...     free_flow_time=np.array([1.0, 2.0]), alpha=np.array([1.0, 1.0]),
    ...     beta=np.array([1.0, 1.0]), zones=np.array([1, 2]))
    >>> cars = TrafficClass(demand=np.array([[0.0, 3.0], [0.0, 0.0]]))
    >>> relative_gap(net, cars, [2.0, 1.0]), relative_gap(net, cars, [3.0, 0.0])
    (0.0, 0.5)
    """
    classes = _as_classes(demand)
    problem = prepare(network, classes)
    flows = np.atleast_2d(np.asarray(class_flow, dtype=np.float64))
    shape = (len(classes), network.n_links)
    if flows.shape != shape:
        raise ValidationError(
            f"class_flow has shape {flows.shape}; give one row per class and one column per "
            f"link, {shape}"
        )
    if not np.isfinite(flows).all() or (flows < 0).any():
        raise ValidationError("class_flow has negative or non-finite volumes")
    g = flows[:, problem.perm] * problem.pce[:, None]
    time = _times(problem, g.sum(axis=0))
    _, sptt = aon_classes(problem, time)
    return _gap(problem, g, time, sptt)
