"""The timeline kernel: drivers' hours by hand-checked cases, the split of time, and the
tree walk against walking each tree path on its own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from corridor.kernels.timeline import _EPS, DRIVE, MOVE, WAIT, simulate, tree_walk

# EU 561/2006 / AETR, one driver: 9 h a day (10 h twice a week), 45 min after 4.5 h,
# 11 h daily rest, 45 h weekly rest within 144 h of the last
EU = np.array([9.0, 4.5, 0.75, 11.0, 45.0, 144.0, 10.0, 2.0])
# the car profile's rules: 12 h a day, 15 min every 2 h, a 9 h night stop
CAR = np.array([12.0, 2.0, 0.25, 9.0, 0.0, 0.0, 0.0, 0.0])


def run(kind: list[int], dur: list[float], rules: np.ndarray) -> tuple[float, float, float]:
    """(elapsed, breaks, rests) of one walk without a departure time."""
    k = np.array(kind, np.int8)
    d = np.array(dur, np.float64)
    e = k.size
    ends = np.zeros((1, e))
    nights = np.zeros((1, e))
    nan = np.full(e, np.nan)
    brk, rest, _ = simulate(
        k, d, np.full(e, -1, np.int64), nan, nan, np.zeros((1, 1)), 0.0, rules, True, ends, nights
    )
    assert nights.sum() == pytest.approx(rest[0])
    return float(ends[0, -1]), float(brk[0]), float(rest[0])


def test_a_ten_hour_car_drive_has_no_overnight_stop() -> None:
    # breaks after 2, 4, 6 and 8 h of driving; no night stop before 12 h of driving
    elapsed, breaks, rests = run([DRIVE], [10.0], CAR)
    assert (elapsed, breaks, rests) == pytest.approx((11.0, 1.0, 0.0))


def test_two_days_of_driving_use_the_10_hour_extension_twice() -> None:
    # 9 h days would take 9 + 9 + 2 h with two 11 h rests. Extending both days to 10 h
    # (art. 6(1), twice a week) ends the trip on day 2: 4.5 + 0.75 + 4.5 + 0.75 + 1 h,
    # 11 h rest, the same again. 20 h driving, 4 breaks (3 h), one 11 h rest.
    elapsed, breaks, rests = run([DRIVE], [20.0], EU)
    assert (elapsed, breaks, rests) == pytest.approx((34.0, 3.0, 11.0))


def test_one_extension_saves_the_night_of_a_9_5_hour_drive() -> None:
    # 4.5 + 0.75 + 4.5 + 0.75 + 0.5 h: one extended day, no rest
    elapsed, breaks, rests = run([DRIVE], [9.5], EU)
    assert (elapsed, breaks, rests) == pytest.approx((11.0, 1.5, 0.0))


def test_an_extension_that_saves_no_rest_is_not_taken() -> None:
    # 30 h: 9 + 9 + 9 + 3 h needs three rests with or without two extensions (10 + 10 +
    # 9 + 1), and extending would only add breaks: 3 breaks, 3 rests
    elapsed, breaks, rests = run([DRIVE], [30.0], EU)
    assert breaks == pytest.approx(3 * 0.75)
    assert rests == pytest.approx(3 * 11.0)
    assert elapsed == pytest.approx(30.0 + breaks + rests)


def test_the_extension_ends_at_a_rail_terminal() -> None:
    # 9.5 h by road to the railhead: extended day, no rest; then the train
    elapsed, breaks, rests = run([DRIVE, MOVE], [9.5, 20.0], EU)
    assert (elapsed, breaks, rests) == pytest.approx((31.0, 1.5, 0.0))


def test_a_long_border_queue_is_the_daily_rest() -> None:
    # 8 h driving (one break), a 12 h queue (>= 11 h: the drivers' daily rest), 8 h more
    elapsed, breaks, rests = run([DRIVE, WAIT, DRIVE], [8.0, 12.0, 8.0], EU)
    assert (breaks, rests) == pytest.approx((1.5, 0.0))
    assert elapsed == pytest.approx(8.0 + 12.0 + 8.0 + 1.5)


def test_a_rail_leg_brings_a_fresh_driver() -> None:
    # 9 h by road then rail then 9 h by road: no rest, the second truck has its own driver
    elapsed, breaks, rests = run([DRIVE, MOVE, DRIVE], [9.0, 30.0, 9.0], EU)
    assert (breaks, rests) == pytest.approx((1.5, 0.0))
    assert elapsed == pytest.approx(49.5)


events = st.lists(
    st.tuples(st.sampled_from([DRIVE, MOVE, WAIT]), st.floats(0.0, 30.0)), min_size=1, max_size=12
)


@given(events, st.sampled_from(["eu", "car"]))
@example([(DRIVE, 3.93e-10)], "eu")  # a drive shorter than the resolution (found by hypothesis)
def test_the_split_adds_up(evs: list[tuple[int, float]], which: str) -> None:
    rules = EU if which == "eu" else CAR
    kind = [k for k, _ in evs]
    dur = [d for _, d in evs]
    elapsed, breaks, rests = run(kind, dur, rules)
    moved = sum(d for k, d in evs if k != WAIT)
    waited = sum(d for k, d in evs if k == WAIT)
    # the walk drops what is left of a leg below the kernel's resolution (_EPS h per event)
    tol = _EPS * len(evs)
    assert elapsed == pytest.approx(moved + waited + breaks + rests, abs=tol)
    assert breaks >= 0.0 and rests >= 0.0


def _random_tree(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A random tree on n vertices rooted at 0: (tails of the arcs, pred arc per vertex)."""
    parent = np.array([-1] + [int(rng.integers(0, v)) for v in range(1, n)])
    order = rng.permutation(np.arange(1, n))  # arcs in a random order
    tails = np.zeros(n - 1, np.int64)
    pred = np.full(n, -1, np.int64)
    for a, v in enumerate(order.tolist()):
        tails[a] = parent[v]
        pred[v] = a
    return tails, pred


@pytest.mark.parametrize("seed", range(5))
def test_tree_walk_equals_walking_each_path(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    tails, pred = _random_tree(rng, n)
    m = tails.size
    move_kind = rng.choice(np.array([-1, DRIVE, DRIVE, DRIVE, MOVE], np.int8), size=m)
    move_h = np.where(move_kind >= 0, rng.uniform(0.0, 6.0, m), 0.0)
    stop_h = np.where(rng.random(m) < 0.3, rng.uniform(0.0, 14.0, m), 0.0)
    add = np.column_stack([rng.uniform(0, 100, m), move_h])
    out_t = np.empty(n)
    out_state = np.empty((n, 7))
    out_add = np.empty((n, 2))
    tree_walk(tails, pred, 0, move_kind, move_h, stop_h, EU, True, add, out_t, out_state, out_add)
    for v in range(1, n):
        path = []
        u = v
        while pred[u] >= 0:
            path.append(int(pred[u]))
            u = int(tails[pred[u]])
        path.reverse()
        kind: list[int] = []
        dur: list[float] = []
        for a in path:
            if move_kind[a] >= 0:
                kind.append(int(move_kind[a]))
                dur.append(float(move_h[a]))
            if stop_h[a] > 0:
                kind.append(WAIT)
                dur.append(float(stop_h[a]))
        elapsed, breaks, rests = run(kind, dur, EU) if kind else (0.0, 0.0, 0.0)
        assert out_t[v] == pytest.approx(elapsed, abs=1e-9)
        assert out_state[v, 5] == pytest.approx(breaks, abs=1e-9)
        assert out_state[v, 6] == pytest.approx(rests, abs=1e-9)
        assert out_add[v] == pytest.approx(add[path].sum(axis=0))


def test_tree_walk_leaves_unreached_vertices_nan() -> None:
    tails = np.array([0], np.int64)
    pred = np.array([-1, 0, -1], np.int64)  # vertex 2 unreached
    out_t = np.empty(3)
    out_state = np.empty((3, 7))
    out_add = np.empty((3, 1))
    kind = np.array([DRIVE], np.int8)
    one = np.array([1.0])
    tree_walk(
        tails, pred, 0, kind, one, np.zeros(1), EU, True, one[:, None], out_t, out_state, out_add
    )
    assert out_t[1] == pytest.approx(1.0)
    assert np.isnan(out_t[2]) and np.isnan(out_add[2, 0])
