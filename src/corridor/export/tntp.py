"""Write the TNTP formats of the Transportation Networks collection.

* ``*_trips.tntp``: an OD matrix, ``Origin i`` blocks of ``j : trips;`` (zones 1..z);
* ``*_flow.tntp``: an assignment's link volumes and times, ``From To Volume Cost``.

Both are read back by :mod:`corridor.io.tntp` (and :func:`corridor.read_tntp_trips`).
Writers go through a temporary file that is renamed into place.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from corridor._typing import IntArray
from corridor.assignment.network import TrafficClass
from corridor.assignment.results import AssignmentResult
from corridor.atomic import write_text_atomic
from corridor.errors import ValidationError

__all__ = ["write_tntp_flow", "write_tntp_trips"]

log = logging.getLogger(__name__)


def write_tntp_trips(
    demand: TrafficClass | ArrayLike,
    path: str | os.PathLike[str],
    *,
    zones: IntArray | None = None,
    force: bool = False,
) -> Path:
    """Write an OD matrix as a ``*_trips.tntp`` file (zones numbered 1..z in row order).

    Parameters
    ----------
    demand
        A :class:`~corridor.assignment.network.TrafficClass` or a square matrix of trips.
    path
        Output file; written atomically.
    zones
        Ignored unless given: must be 1..z, as TNTP numbers zones consecutively.
    force
        Replace what is at `path` even if corridor did not write it.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValidationError
        If the matrix is not square or has negative or non-finite values, or `zones` is
        not 1..z.
    """
    tc = demand if isinstance(demand, TrafficClass) else TrafficClass(demand=np.asarray(demand))
    d = tc.demand
    z = d.shape[0]
    if zones is not None and not np.array_equal(np.asarray(zones), np.arange(1, z + 1)):
        raise ValidationError("TNTP numbers zones 1..z; renumber the zones before writing")
    out = [f"<NUMBER OF ZONES> {z}", f"<TOTAL OD FLOW> {d.sum()!r}", "<END OF METADATA>", "", ""]
    for i in range(z):
        out.append(f"Origin \t{i + 1}")
        cells = [f"{j + 1:5d} : {float(d[i, j])!r};" for j in range(z)]
        out.extend("".join(cells[k : k + 5]) for k in range(0, z, 5))
        out.append("")
    return write_text_atomic(Path(path), "\n".join(out) + "\n", force=force)


def write_tntp_flow(
    result: AssignmentResult, path: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write link volumes (PCE) and times as a ``*_flow.tntp`` file (From To Volume Cost).

    Parameters
    ----------
    result
        An assignment result.
    path
        Output file; written atomically.
    force
        Replace what is at `path` even if corridor did not write it.

    Returns
    -------
    Path
        The file written.
    """
    lines = ["From \tTo \tVolume \tCost "]
    lines.extend(
        f"{int(a)} \t{int(b)} \t{float(f)!r} \t{float(t)!r} "
        for a, b, f, t in zip(
            result.a_node, result.b_node, result.flow_pce, result.time, strict=True
        )
    )
    return write_text_atomic(Path(path), "\n".join(lines) + "\n", force=force)
