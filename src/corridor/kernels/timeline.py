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

# the drivers' state, float64[N_STATE]
_SINCE_REST = 0  # h driven since the last daily rest
_SINCE_BREAK = 1  # h driven since the last break
_WEEK_START = 2  # end of the last weekly rest (or start of duty), h
_EXT_USED = 3  # extended (10 h) days used since the last weekly rest
_CAND = 4  # length of the last daily rest an extended day could replace (0: none)
_BREAKS = 5  # breaks taken, h
_RESTS = 6  # daily and weekly rests taken, h
_CAND_BREAK = 7  # h driven since the last break when that rest began
_CAND_AFTER = 8  # h driven since that rest
_CAND_N = 9  # full days (each ended by a candidate rest) in a row before it, that one included
N_STATE = 10


@nb.njit(cache=True, nogil=True)
def _drive(t, dur, state, rules):
    """Drive `dur` hours from time `t`; returns the new time and updates `state`.

    Days are of at most ``rules[0]`` h. A daily rest forced by that limit is remembered
    as a candidate for the extended day (:func:`_extension`) while extensions remain.
    """
    limit, brk_after, brk, rest = rules[0], rules[1], rules[2], rules[3]
    weekly, week_h = rules[4], rules[5]
    ext_h, ext_days = rules[6], rules[7]
    remaining = dur
    while remaining > _EPS:
        chunk = min(remaining, brk_after - state[_SINCE_BREAK], limit - state[_SINCE_REST])
        if chunk < 0.0:
            chunk = 0.0
        t += chunk
        state[_SINCE_BREAK] += chunk
        state[_SINCE_REST] += chunk
        if state[_CAND] > 0.0:
            state[_CAND_AFTER] += chunk
        remaining -= chunk
        if remaining > _EPS:
            if state[_SINCE_REST] >= limit - _EPS:
                pause = rest
                weekly_now = False
                if week_h > 0.0:
                    # weekly rest now if the next day's driving, after a daily rest, would
                    # end later than week_h after the last weekly rest
                    d_next = min(remaining, limit)
                    n_brk = max(math.ceil(d_next / brk_after - _EPS) - 1, 0)
                    next_end = t + rest + d_next + brk * n_brk
                    if next_end - state[_WEEK_START] > week_h + _EPS:
                        pause = max(weekly, rest)
                        state[_WEEK_START] = t + pause
                        state[_EXT_USED] = 0.0
                        weekly_now = True
                if not weekly_now and ext_h > limit and state[_EXT_USED] < ext_days - _EPS:
                    # a full day in a row with the last candidate, or the first
                    state[_CAND_N] = state[_CAND_N] + 1.0 if state[_CAND] > 0.0 else 1.0
                    state[_CAND] = pause
                    state[_CAND_BREAK] = state[_SINCE_BREAK]
                    state[_CAND_AFTER] = 0.0
                else:
                    state[_CAND] = 0.0
                    state[_CAND_N] = 0.0
                t += pause
                state[_RESTS] += pause
                state[_SINCE_REST] = 0.0
                state[_SINCE_BREAK] = 0.0
            elif state[_SINCE_BREAK] >= brk_after - _EPS:
                t += brk
                state[_BREAKS] += brk
                state[_SINCE_BREAK] = 0.0
    return t


@nb.njit(cache=True, nogil=True)
def _extension(state, rules):
    """Hours saved (>= 0), extra breaks (h) and extended days if the last full days
    before the last daily rest are extended to ``rules[6]`` h (EU 561/2006 art. 6(1)) so
    that the road chain ends without that rest.

    The driving after the rest must fit in ``m`` extensions (``m`` h each of
    ``rules[6] - rules[0]``) of the ``m`` full days before it, with ``m`` extended days
    left this week. Each extended day needs one more break where its driving since its
    last break passes ``rules[1]``: known for the last one, assumed for the others (a
    full day ends on a 4.5 h stint after its break).
    """
    limit, brk_after, brk = rules[0], rules[1], rules[2]
    ext_h, ext_days = rules[6], rules[7]
    step = ext_h - limit
    if state[_CAND] <= 0.0 or step <= 0.0:
        return 0.0, 0.0, 0.0
    m = max(math.ceil(state[_CAND_AFTER] / step - _EPS), 1)
    if m > state[_CAND_N] + _EPS or state[_EXT_USED] + m > ext_days + _EPS:
        return 0.0, 0.0, 0.0
    last = min(state[_CAND_AFTER], step)
    extra = (m - 1) * brk + (brk if state[_CAND_BREAK] + last > brk_after + _EPS else 0.0)
    if state[_CAND] - extra <= 0.0:
        return 0.0, 0.0, 0.0
    return state[_CAND] - extra, extra, float(m)


@nb.njit(cache=True, nogil=True)
def _extend(state, rules):
    """Take the extended day of :func:`_extension` at the end of a road chain; returns
    the hours saved."""
    saved, extra, days = _extension(state, rules)
    if saved > 0.0:
        state[_RESTS] -= state[_CAND]
        state[_BREAKS] += extra
        state[_EXT_USED] += days
        state[_CAND] = 0.0
        state[_CAND_N] = 0.0
    return saved


@nb.njit(cache=True, nogil=True)
def _new_driver(t, state):
    """A non-road move ends at `t`: the next road leg starts with a fresh driver."""
    state[_SINCE_REST] = 0.0
    state[_SINCE_BREAK] = 0.0
    state[_WEEK_START] = t
    state[_EXT_USED] = 0.0
    state[_CAND] = 0.0
    state[_CAND_N] = 0.0


@nb.njit(cache=True, nogil=True)
def _rested(t, d_total, state, rules):
    """A stop of `d_total` h ending at `t` counts as the drivers' weekly rest, daily rest
    or break where it is long enough."""
    if rules[5] > 0.0 and d_total >= rules[4] - _EPS:
        state[_WEEK_START] = t
        state[_EXT_USED] = 0.0
        state[_SINCE_REST] = 0.0
        state[_SINCE_BREAK] = 0.0
        state[_CAND] = 0.0
        state[_CAND_N] = 0.0
    elif d_total >= rules[3] - _EPS:
        state[_SINCE_REST] = 0.0
        state[_SINCE_BREAK] = 0.0
        state[_CAND] = 0.0
        state[_CAND_N] = 0.0
    elif d_total >= rules[2] - _EPS and rules[2] > 0.0:
        state[_SINCE_BREAK] = 0.0


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
    8(6): a weekly rest starts at the latest after six 24-hour periods); a new driver
    (after a non-road move) starts a new week.

    Extended days (art. 6(1): 10 h of driving at most twice a week) are used where they
    save a daily rest: when a road chain (up to a non-road move or the end) ends within
    ``m (rules[6] - rules[0])`` h of driving after its last daily rest, the ``m`` full
    days before are extended instead (one more break each where its driving passes
    ``rules[1]`` h since the last break), if ``m`` extended days are left this week.
    An extension that saves no rest only adds a break, so it is not taken. The events
    after the dropped rest end that much earlier (exact at the chain's end; within the
    extra breaks before it), and opening hours are not re-checked for the earlier times.
    """
    n_s = samples.shape[0]
    n_e = kind.size
    break_out = np.zeros(n_s)
    rest_out = np.zeros(n_s)
    open_out = np.zeros(n_s)
    state = np.zeros(N_STATE)
    for s in range(n_s):
        t = t0
        state[:] = 0.0
        state[_WEEK_START] = t0
        open_acc = 0.0
        e_cand = -1  # event in which the candidate rest for an extended day was taken
        for e in range(n_e):
            k = kind[e]
            d = dur[e]
            rest_before = state[_RESTS]
            if k == DRIVE:
                if use_rules:
                    t = _drive(t, d, state, rules)
                    if state[_CAND] > 0.0 and state[_RESTS] > rest_before:
                        e_cand = e
                else:
                    t += d
            elif k == MOVE:
                if use_rules and e_cand >= 0:
                    t -= _shorten(state, rules, out_end, out_rest, s, e_cand, e)
                e_cand = -1
                rest_before = state[_RESTS]
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
                    if state[_CAND] <= 0.0:
                        e_cand = -1
            out_end[s, e] = t - t0
            out_rest[s, e] = state[_RESTS] - rest_before
        if use_rules and e_cand >= 0:
            t -= _shorten(state, rules, out_end, out_rest, s, e_cand, n_e)
        break_out[s] = state[_BREAKS]
        rest_out[s] = state[_RESTS]
        open_out[s] = open_acc
    return break_out, rest_out, open_out


@nb.njit(cache=True, nogil=True)
def _shorten(state, rules, out_end, out_rest, s, e_cand, e_stop):
    """Take the extended day at the end of a road chain (before event `e_stop`): the
    candidate rest of event `e_cand` goes, and the events since end that much earlier
    (exactly so at the chain's end). Returns the hours saved."""
    cand = state[_CAND]
    saved = _extend(state, rules)
    if saved > 0.0:
        out_rest[s, e_cand] -= cand
        for q in range(e_cand, e_stop):
            out_end[s, q] -= saved
    return saved


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
        the daily/weekly rests taken on the way, h (with the path ending at the vertex:
        an extended last day taken, as :func:`simulate` takes it at a route's end).
    out_add float64[n, K]
        Written: `add` summed along each tree path (NaN where unreached).
    """
    n = pred.size
    n_add = add.shape[1]
    done = np.zeros(n, np.bool_)
    stack = np.empty(n, np.int64)
    state = np.zeros(N_STATE)
    raw_t = np.full(n, np.nan)
    raw = np.zeros((n, N_STATE))
    out_t[:] = np.nan
    out_state[:, :] = 0.0
    out_add[:, :] = np.nan
    out_add[source, :] = 0.0
    raw_t[source] = 0.0
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
            t = raw_t[p]
            for q in range(N_STATE):
                state[q] = raw[p, q]
            kind = move_kind[a]
            d = move_h[a]
            if kind == DRIVE:
                if use_rules:
                    t = _drive(t, d, state, rules)
                else:
                    t += d
            elif kind == MOVE:
                if use_rules:
                    t -= _extend(state, rules)
                t += d
                _new_driver(t, state)
            w = stop_h[a]
            if w > 0.0:
                t += w
                if use_rules:
                    _rested(t, w, state, rules)
            raw_t[c] = t
            for q in range(N_STATE):
                raw[c, q] = state[q]
            # the path ends here: its last road chain may end on an extended day
            saved, extra, _ = _extension(state, rules) if use_rules else (0.0, 0.0, 0.0)
            out_t[c] = t - saved
            for q in range(7):
                out_state[c, q] = state[q]
            if saved > 0.0:
                out_state[c, _RESTS] -= state[_CAND]
                out_state[c, _BREAKS] += extra
            for q in range(n_add):
                out_add[c, q] = out_add[p, q] + add[a, q]
            done[c] = True
