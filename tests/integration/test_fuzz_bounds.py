"""The fuzz harness's own bounds: a case past its time or memory bound fails (issue 13)."""

from __future__ import annotations

import contextlib
import sys
import time

import numpy as np
import pytest
from tests import fuzz_support
from tests.fuzz_support import HangError, MemoryBoundError, no_hang

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the peak-RSS reset needs Linux procfs"
)


def _touch_64_mib() -> float:
    return float(np.ones(64 * 1024**2 // 8).sum())


def _sleep_forever() -> None:
    while True:
        time.sleep(0.01)


def _swallow_alarms_for(seconds: float) -> None:
    # code that catches every Exception (as a sloppy library might) eats the alarm
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(Exception):
            time.sleep(0.01)


def _bounded(fn: object, **bounds: float) -> None:
    with no_hang(**bounds):  # type: ignore[arg-type]
        fn()  # type: ignore[operator]


def test_a_case_past_its_memory_bound_fails() -> None:
    # the bound is what is resident now, where the peak is reset to before the case (the
    # peak so far may be far above it after earlier tests, and 64 MiB would stay under it)
    fuzz_support.reset_peak_rss()
    bound = fuzz_support.peak_rss_bytes() + 16 * 1024**2
    with pytest.raises(MemoryBoundError, match="GiB resident"):
        _bounded(_touch_64_mib, max_rss_bytes=bound)


def test_the_peak_is_reset_before_each_case() -> None:
    _bounded(_touch_64_mib)
    # the 64 MiB of the case before are not held against this one
    _bounded(lambda: None, max_rss_bytes=fuzz_support.peak_rss_bytes() + 32 * 1024**2)


def test_an_alarm_interrupts_a_hanging_case() -> None:
    with pytest.raises(HangError, match="longer than"):
        _bounded(_sleep_forever, seconds=0.05)


def test_a_swallowed_alarm_still_fails_the_case() -> None:
    # the wall clock checked on return fails the case all the same
    with pytest.raises(HangError, match="took"):
        _bounded(lambda: _swallow_alarms_for(0.3), seconds=0.05)


def test_stats_count_cases() -> None:
    before = fuzz_support.STATS["cases"]
    _bounded(lambda: None)
    assert fuzz_support.STATS["cases"] == before + 1
    assert "cases" in fuzz_support.summary()
