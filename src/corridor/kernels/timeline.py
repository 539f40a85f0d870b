"""Timeline of a route: drivers' hours, opening hours and sampled delays (numba).

A route is a sequence of events, each one of
  0 DRIVE  road driving, subject to the drivers' rules;
  1 MOVE   other movement (rail, ferry, transfer link): no driver is with the vehicle, so
           the drivers' clocks restart afterwards (a new truck and driver at the terminal);
  2 WAIT   a stop (crossing, gauge change, transfer, terminal handling).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["DRIVE", "MOVE", "WAIT", "simulate", "tree_walk"]

DRIVE = 0
MOVE = 1
WAIT = 2
_EPS = 1e-9


@nb.njit(cache=True, nogil=True)
def _drive(t, dur, state, rules):
    """Drive `dur` hours from time `t`; returns the new time.

    `state` float64[7] is updated in place: hours driven since the last daily rest and
    since the last break, the end of the last weekly rest (or the start of the driver's
    duty), extended days used this week, whether today is extended (0/1), and the
    breaks and the daily/weekly rests taken so far (h).
    """
    limit, brk_after, brk, rest = rules[0], rules[1], rules[2], rules[3]
    weekly, week_h = rules[4], rules[5]
    ext_h, ext_days = rules[6], rules[7]
    remaining = dur
    while remaining > _EPS:
        today = ext_h if state[4] > 0.5 else limit
        chunk = min(remaining, brk_after - state[1], today - state[0])
        if chunk < 0.0:
            chunk = 0.0
        t += chunk
        state[1] += chunk
        state[0] += chunk
        remaining -= chunk
        if remaining > _EPS:
            if state[0] >= today - _EPS:
                if state[4] < 0.5 and ext_h > limit and state[3] < ext_days - _EPS:
                    # EU 561/2006 art. 6(1): the daily driving time may be extended to
                    # 10 h at most twice in the week; used when the day would end short
                    state[4] = 1.0
                    state[3] += 1.0
                    continue
                pause = rest
                if week_h > 0.0:
                    # weekly rest now if the next day's driving, after a daily rest, would
                    # end later than week_h after the last weekly rest
                    d_next = min(remaining, limit)
                    n_brk = max(math.ceil(d_next / brk_after - _EPS) - 1, 0)
                    next_end = t + rest + d_next + brk * n_brk
                    if next_end - state[2] > week_h + _EPS:
                        pause = max(weekly, rest)
                        state[2] = t + pause
                        state[3] = 0.0
                t += pause
                state[6] += pause
                state[0] = 0.0
                state[1] = 0.0
                state[4] = 0.0
            elif state[1] >= brk_after - _EPS:
                t += brk
                state[5] += brk
                state[1] = 0.0
    return t


@nb.njit(cache=True, nogil=True)
def _new_driver(t, state):
    """A non-road move ends at `t`: the next road leg starts with a fresh driver."""
    state[0] = 0.0
    state[1] = 0.0
    state[2] = t
    state[3] = 0.0
    state[4] = 0.0


@nb.njit(cache=True, nogil=True)
def _rested(t, d_total, state, rules):
    """A stop of `d_total` h ending at `t` counts as the drivers' weekly rest, daily rest
    or break where it is long enough."""
    if rules[5] > 0.0 and d_total >= rules[4] - _EPS:
        state[2] = t
        state[3] = 0.0
        state[0] = 0.0
        state[1] = 0.0
        state[4] = 0.0
    elif d_total >= rules[3] - _EPS:
        state[0] = 0.0
        state[1] = 0.0
        state[4] = 0.0
    elif d_total >= rules[2] - _EPS and rules[2] > 0.0:
        state[1] = 0.0


@nb.njit(cache=True, nogil=True)
def simulate(kind, dur, col, open_from, open_to, samples, t0, rules, use_rules, out_end, out_rest):
    """Run the route's timeline once per row of `samples`.

    Parameters (dtypes)
    -------------------
    kind int8[E], dur float64[E]
        Event kinds (DRIVE, MOVE, WAIT) and durations, h.
    col int64[E]
        Column of `samples` replacing the duration of a WAIT event, -1 to keep `dur`.
    open_from, open_to float64[E]
        Opening hours of WAIT events (hour of day, the departure's clock); NaN = 24 h.
        A stop that is closed on arrival waits until it opens; a window with
        open_from > open_to runs over midnight.
    samples float64[S, K]
        Sampled durations (K >= 1; ignored where `col` is -1).
    t0 float
        Departure, h after midnight (only opening hours depend on it).
    rules float64[8]
        Drivers' rules: max driving per day, break after, break length, daily rest (h),
        weekly rest (h), the longest time from the end of one weekly rest to the start
        of the next (h, 0 = no weekly rest), the extended daily driving (h, 0 = none) and
        how many days a week it may be used.
    use_rules bool
        Whether DRIVE events follow the drivers' rules.
    out_end float64[S, E]
        Written: end time of each event, h after departure.
    out_rest float64[S, E]
        Written: daily and weekly rest taken within each event, h (zero but for DRIVE).

    Returns
    -------
    break_h float64[S], rest_h float64[S], opening_wait_h float64[S]
        Time spent on drivers' breaks, on their daily and weekly rests (the overnight
        stops), and waiting for a stop to open.

    Notes
    -----
    A WAIT of at least the daily rest ends the drivers' day (one of at least the weekly
    rest ends the week); one of at least the break length resets the break clock (drivers
    rest while the truck waits). A daily rest becomes the weekly rest when the next day's
    driving would end more than `rules[5]` h after the last weekly rest (EU 561/2006 art.
    8(6): a weekly rest starts at the latest after six 24-hour periods); a day's driving
    is extended to `rules[6]` h (art. 6(1)) where it would otherwise end in a daily rest,
    at most `rules[7]` times between weekly rests; a new driver (after a non-road move)
    starts a new week.
    """
    n_s = samples.shape[0]
    n_e = kind.size
    break_out = np.zeros(n_s)
    rest_out = np.zeros(n_s)
    open_out = np.zeros(n_s)
    state = np.zeros(7)
    for s in range(n_s):
        t = t0
        state[:] = 0.0
        state[2] = t0
        open_acc = 0.0
        for e in range(n_e):
            k = kind[e]
            d = dur[e]
            rest_before = state[6]
            if k == DRIVE:
                if use_rules:
                    t = _drive(t, d, state, rules)
                else:
                    t += d
            elif k == MOVE:
                t += d
                _new_driver(t, state)
            else:
                if col[e] >= 0:
                    d = samples[s, col[e]]
                a, b = open_from[e], open_to[e]
                if not (math.isnan(a) or math.isnan(b)):
                    hod = t - 24.0 * math.floor(t / 24.0)
                    is_open = (a <= hod < b) if a <= b else (hod >= a or hod < b)
                    if not is_open:
                        wait = a - hod
                        if wait < 0.0:
                            wait += 24.0
                        t += wait
                        open_acc += wait
                        d_total = d + wait
                    else:
                        d_total = d
                else:
                    d_total = d
                t += d
                if use_rules:
                    _rested(t, d_total, state, rules)
            out_end[s, e] = t - t0
            out_rest[s, e] = state[6] - rest_before
        break_out[s] = state[5]
        rest_out[s] = state[6]
        open_out[s] = open_acc
    return break_out, rest_out, open_out


@nb.njit(cache=True, nogil=True)
def tree_walk(
    tails, pred, source, move_kind, move_h, stop_h, rules, use_rules, add, out_t, out_state, out_add
):
    """Walk every path of a one-to-all shortest-path tree on the timeline, in O(n).

    The timeline is a function of the path's prefix, so each vertex's clock and drivers'
    state follow from its tree parent's and the arc between them: the same numbers as
    :func:`simulate` gives for each tree path, with no departure (no opening hours) and
    each stop at its nominal duration.

    Parameters (dtypes)
    -------------------
    tails int32[m]
        Tail vertex of each searched arc.
    pred int64[n]
        Searched arc reaching each vertex in the tree (-1: the source, or unreached).
    source int
        The tree's root.
    move_kind int8[m], move_h float64[m]
        Each arc's move: DRIVE, MOVE or -1 (none), and its hours.
    stop_h float64[m]
        Each arc's stop after the move (WAIT), h; 0 = no stop.
    rules float64[8], use_rules bool
        As for :func:`simulate`.
    add float64[m, K]
        Additive arc values (money, km, ...) to sum along each tree path.
    out_t float64[n]
        Written: hours from departure at each vertex (NaN where unreached).
    out_state float64[n, 7]
        Written: the drivers' state at each vertex; columns 5 and 6 are the breaks and
        the daily/weekly rests taken on the way, h.
    out_add float64[n, K]
        Written: `add` summed along each tree path (NaN where unreached).
    """
    n = pred.size
    n_add = add.shape[1]
    done = np.zeros(n, np.bool_)
    stack = np.empty(n, np.int64)
    state = np.zeros(7)
    out_t[:] = np.nan
    out_state[:, :] = 0.0
    out_add[:, :] = np.nan
    out_add[source, :] = 0.0
    out_t[source] = 0.0
    done[source] = True
    for v0 in range(n):
        if done[v0]:
            continue
        # climb to a vertex already walked (or a dead end: unreached)
        top = 0
        v = v0
        while not done[v] and pred[v] >= 0:
            stack[top] = v
            top += 1
            v = tails[pred[v]]
        if not done[v]:
            for k in range(top):
                done[stack[k]] = True
            done[v] = True
            continue
        # walk back down, parent before child
        while top > 0:
            top -= 1
            c = stack[top]
            a = pred[c]
            p = tails[a]
            t = out_t[p]
            for q in range(7):
                state[q] = out_state[p, q]
            kind = move_kind[a]
            d = move_h[a]
            if kind == DRIVE:
                if use_rules:
                    t = _drive(t, d, state, rules)
                else:
                    t += d
            elif kind == MOVE:
                t += d
                _new_driver(t, state)
            w = stop_h[a]
            if w > 0.0:
                t += w
                if use_rules:
                    _rested(t, w, state, rules)
            out_t[c] = t
            for q in range(7):
                out_state[c, q] = state[q]
            for q in range(n_add):
                out_add[c, q] = out_add[p, q] + add[a, q]
            done[c] = True
