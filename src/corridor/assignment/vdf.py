"""Volume-delay functions: BPR, conical (Spiess) and Akcelik (for queues at border crossings).

Each link of an :class:`~corridor.assignment.network.AssignmentNetwork` names its function
and two parameters, ``alpha`` and ``beta``; with volume ``x``, capacity ``c``, free-flow
time ``t0`` and ``z = x / c``:

========  ==================================================================  ============
vdf       travel time                                                         parameters
========  ==================================================================  ============
bpr       ``t0 * (1 + alpha * z**beta)``                                      alpha >= 0,
                                                                              beta >= 0
conical   ``t0 * (2 + sqrt(a^2 (1-z)^2 + b^2) - a (1-z) - b)``,               alpha > 1
          ``a = alpha``, ``b = (2a - 1) / (2a - 2)``  (Spiess 1990)
akcelik   ``t0 + T/4 * ((z-1) + sqrt((z-1)^2 + 8 J z / (c T)))``,             alpha = J > 0,
          ``J = alpha``, ``T = beta`` (Akcelik 1991)                          beta = T > 0
========  ==================================================================  ============

All three are increasing and convex in ``x``. The Akcelik form stays finite above capacity
and grows like a queue, so it suits a border crossing's clearance lane; its period ``T``
and capacity ``c`` must use the network's time unit (hours for corridor networks).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from corridor._typing import FloatArray
from corridor.errors import ValidationError

__all__ = ["VDF_CODES", "VolumeDelay", "link_travel_time"]


class VolumeDelay(StrEnum):
    """Volume-delay function of a link."""

    BPR = "bpr"
    CONICAL = "conical"
    AKCELIK = "akcelik"


VDF_CODES: dict[VolumeDelay, int] = {
    VolumeDelay.BPR: 0,
    VolumeDelay.CONICAL: 1,
    VolumeDelay.AKCELIK: 2,
}
"""Kernel code of each function (see :mod:`corridor.kernels.assign`)."""


def link_travel_time(
    vdf: VolumeDelay | str,
    volume: FloatArray,
    *,
    free_flow_time: FloatArray,
    capacity: FloatArray,
    alpha: FloatArray,
    beta: FloatArray,
) -> FloatArray:
    """Travel time of links at the given volumes (vectorised).

    Parameters
    ----------
    vdf
        The function, one of :class:`VolumeDelay`.
    volume, free_flow_time, capacity, alpha, beta
        Arrays of equal length (or scalars that broadcast).

    Returns
    -------
    FloatArray
        Travel time in the unit of `free_flow_time`.

    Raises
    ------
    ValidationError
        If `vdf` is not a known function.

    Examples
    --------
    >>> import numpy as np
    >>> link_travel_time("bpr", np.array([100.0]), free_flow_time=np.array([10.0]),
    ...                  capacity=np.array([100.0]), alpha=np.array([0.15]),
    ...                  beta=np.array([4.0]))
    array([11.5])
    """
    from corridor.kernels.assign import link_times

    try:
        code = VDF_CODES[VolumeDelay(str(vdf).lower())]
    except ValueError:
        raise ValidationError(
            f"unknown volume-delay function {vdf!r}; use one of {[v.value for v in VolumeDelay]}"
        ) from None
    x, t0, cap, a, b = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (volume, free_flow_time, capacity, alpha, beta))
    )
    out = np.empty(x.size)
    kind = np.full(x.size, code, np.int8)
    link_times(
        kind,
        t0.ravel().copy(),
        a.ravel().copy(),
        b.ravel().copy(),
        cap.ravel().copy(),
        x.ravel().copy(),
        out,
    )
    return out.reshape(x.shape)
