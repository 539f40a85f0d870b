"""Earliest-arrival connection scan (CSA) on a timetable of connections (numba).

Arrays in, arrays out; no logging. A connection c runs from ``dep_stop[c]`` at
``dep_t[c]`` to ``arr_stop[c]`` at ``arr_t[c]`` on trip ``trip[c]``; connections are
sorted by departure time (ties by arrival time), so one forward scan suffices
(Dibbelt, Pajor, Strasser & Wagner, "Connection Scan Algorithm", JEA 2018).

Model (shared with the brute-force check in the tests):

- at each stop two labels: ``arr`` (earliest arrival, for destinations) and ``ready``
  (earliest time one may board *another* vehicle there);
- arriving by vehicle at time t at stop s gives ``arr[s] <= t`` and
  ``ready[s] <= t + change_t[s]`` (the stop's minimum transfer time);
- after a vehicle leg (or at the start) one footpath s -> s2 of duration d may be walked:
  ``arr[s2], ready[s2] <= t + d``; footpaths are not chained;
- a trip is boarded at a connection whose ``can_board`` flag is set when ``ready`` at its
  stop is <= its departure; once aboard one stays on, and may alight where ``can_alight``.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["earliest_arrival"]


@nb.njit(cache=True, nogil=True)
def earliest_arrival(
    dep_stop,
    arr_stop,
    dep_t,
    arr_t,
    trip,
    can_board,
    can_alight,
    n_trips,
    fp_ptr,
    fp_to,
    fp_t,
    change_t,
    sources,
    depart,
    first,
    targets,
    arr,
    ready,
    arr_conn,
    arr_from,
    ready_conn,
    ready_from,
    board,
):
    """One earliest-arrival query.

    Inputs: connections (dep_stop, arr_stop int32[c]; dep_t, arr_t float64[c] seconds;
    trip int32[c]; can_board, can_alight bool[c]), footpaths in CSR (fp_ptr int64[n+1],
    fp_to int32[k], fp_t float64[k] seconds), change_t float64[n], sources int64[s] (all
    start at `depart`), first (index of the first connection departing at or after
    `depart`), targets int64[t] (the scan stops once no connection can improve them).

    Outputs, written in place (sized n stops or n_trips trips): arr, ready float64 (inf =
    unreachable); arr_conn, ready_conn int64 (the vehicle connection behind the label, -1
    for the start); arr_from, ready_from int64 (the stop walked from, -1 if none);
    board int64[n_trips] (the connection where each trip was boarded, -1 if not).
    """
    arr[:] = np.inf
    ready[:] = np.inf
    arr_conn[:] = -1
    arr_from[:] = -1
    ready_conn[:] = -1
    ready_from[:] = -1
    board[:] = -1
    for i in range(sources.size):
        s = sources[i]
        arr[s] = depart
        ready[s] = depart
        arr_from[s] = -1
    for i in range(sources.size):
        s = sources[i]
        for k in range(fp_ptr[s], fp_ptr[s + 1]):
            s2 = fp_to[k]
            t = depart + fp_t[k]
            if t < arr[s2]:
                arr[s2] = t
                arr_conn[s2] = -1
                arr_from[s2] = s
            if t < ready[s2]:
                ready[s2] = t
                ready_conn[s2] = -1
                ready_from[s2] = s
    best = np.inf
    for i in range(targets.size):
        if arr[targets[i]] < best:
            best = arr[targets[i]]
    for c in range(first, dep_t.size):
        if dep_t[c] >= best:
            break
        tr = trip[c]
        if board[tr] == -1:
            if not can_board[c] or ready[dep_stop[c]] > dep_t[c]:
                continue
            board[tr] = c
        if not can_alight[c]:
            continue
        s = arr_stop[c]
        t = arr_t[c]
        if t < arr[s]:
            arr[s] = t
            arr_conn[s] = c
            arr_from[s] = -1
        if t + change_t[s] < ready[s]:
            ready[s] = t + change_t[s]
            ready_conn[s] = c
            ready_from[s] = -1
        for k in range(fp_ptr[s], fp_ptr[s + 1]):
            s2 = fp_to[k]
            t2 = t + fp_t[k]
            if t2 < arr[s2]:
                arr[s2] = t2
                arr_conn[s2] = c
                arr_from[s2] = s
            if t2 < ready[s2]:
                ready[s2] = t2
                ready_conn[s2] = c
                ready_from[s2] = s
        for i in range(targets.size):
            if arr[targets[i]] < best:
                best = arr[targets[i]]
    return best
