"""Mutation corpus and budgets for the fuzz tests (issue 13).

A mutation is a short list of operations drawn by hypothesis and applied to a valid seed
file: truncation, bit flips, byte insertion and deletion, numbers replaced by extremes
(``inf``, ``nan``, ``1e19``, ``-1``, 5,000 digits), text re-encoded (Latin-1, UTF-16, a
BOM, a lone surrogate's bytes), values nested hundreds of levels deep and tokens swapped
for ones of the wrong type. Every fuzz test states the property of issue 13: the call
either succeeds or raises a :class:`corridor.CorridorError` (CLI: exit 2 and one line;
API: JSON with a 4xx or 503), never another exception, and within bounds of time and memory.

Bounds (issue 13's done-when): every case is timed with a monotonic clock and fails past
:data:`HANG_S` seconds (SIGALRM interrupts it where Python code runs; the clock catches a
case whose alarm was swallowed), and the process's peak resident memory during the case
(Linux ``VmHWM``, reset before each case through ``/proc/self/clear_refs``) fails it past
:data:`MAX_RSS_BYTES`. Cases run in the pytest process itself (CliRunner, TestClient), so
that is the process measured. A watchdog thread ends the whole run (exit 3, with the
stack) if the resident memory passes :data:`ABORT_RSS_BYTES`, before a runaway case could
take the shared machine down with it. :data:`STATS` keeps the largest figures seen; the
conftest prints them at the end of a run.

Budgets: ``CORRIDOR_FUZZ_SCALE`` multiplies every test's example count (default 1: the CI
subset, about 2,800 cases in all; ``make fuzz`` sets 10: about 28,000).
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import re
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import corridor

T = TypeVar("T")

SCALE = float(os.environ.get("CORRIDOR_FUZZ_SCALE", "1"))
HANG_S = 30.0  # a case running longer than this is a hang (issue 13's bound)
MAX_RSS_BYTES = 2 * 1024**3  # no process over 2 GB (issue 13's bound)
ABORT_RSS_BYTES = 3 * 1024**3  # [assumption] the watchdog's line: well past the bound
STATS: dict[str, float] = {"cases": 0, "max_case_s": 0.0, "max_peak_rss_bytes": 0}
"""Largest case time and peak resident memory seen in this process, and the case count."""

EXTREMES = (
    b"inf",
    b"-inf",
    b"nan",
    b"NaN",
    b"1e19",
    b"-1",
    b"0",
    b"-0",
    b"1e-300",
    b"1e308",
    b"9" * 5000,
    b"2262-04-12",
    b"0001-01-01",
    b"3000-01-01",
    b"2023-13-01",
    b"",
    b"\xc2\xb2",  # the superscript two
    b"\xed\xa0\x80",  # a lone surrogate, as (invalid) UTF-8
    b"null",
    b"[]",
    b"{}",
    b"x" + b" " * 2000,
)
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def budget(n: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Hypothesis settings for a fuzz test of `n` cases (times ``CORRIDOR_FUZZ_SCALE``)."""
    return settings(
        max_examples=max(1, round(n * SCALE)),
        deadline=None,
        derandomize=True,  # the CI subset is the same every run; `make fuzz` explores more
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    )


_OP = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 64)),
    st.tuples(st.just("number"), st.integers(0, 10_000), st.sampled_from(EXTREMES)),
    st.tuples(st.just("encode"), st.sampled_from(["latin-1", "utf-16", "bom", "cp1251"])),
    st.tuples(st.just("nest"), st.floats(0, 1), st.sampled_from([40, 900, 5000])),
    st.tuples(st.just("zero"), st.floats(0, 1), st.integers(1, 4096)),
)

MUTATIONS = st.lists(_OP, min_size=1, max_size=4)
"""A strategy of mutation lists to pass to :func:`mutate`."""


def mutate(data: bytes, ops: list[tuple[Any, ...]]) -> bytes:
    """Apply the mutation operations `ops` (from :data:`MUTATIONS`) to `data`, in order."""
    out = bytearray(data)
    for op in ops:
        kind = op[0]
        at = int(op[1] * len(out)) if kind in ("truncate", "flip", "insert", "delete") else 0
        if kind == "truncate":
            del out[at:]
        elif kind == "flip" and out:
            out[min(at, len(out) - 1)] ^= 1 << op[2]
        elif kind == "insert":
            out[at:at] = op[2]
        elif kind == "delete":
            del out[at : at + op[2]]
        elif kind == "number":
            hits = list(_NUMBER.finditer(bytes(out)))
            if hits:
                m = hits[op[1] % len(hits)]
                out[m.start() : m.end()] = op[2]
        elif kind == "encode":
            text = bytes(out).decode("utf-8", errors="replace")
            if op[1] == "bom":
                out = bytearray(b"\xef\xbb\xbf" + bytes(out))
            else:
                out = bytearray(text.encode(op[1], errors="replace"))
        elif kind == "nest":
            pos = int(op[1] * len(out))
            out[pos:pos] = b"[" * op[2] + b"]" * op[2]
        elif kind == "zero" and out:
            pos = int(op[1] * len(out))
            out[pos : pos + op[2]] = bytes(len(out[pos : pos + op[2]]))
    return bytes(out)


class HangError(Exception):
    """A fuzz case ran past :data:`HANG_S`."""


class MemoryBoundError(Exception):
    """A fuzz case took the process's resident memory past :data:`MAX_RSS_BYTES`."""


def _status_kib(field: str) -> int | None:
    """A ``kB`` field of ``/proc/self/status`` (``VmHWM``, ``VmRSS``), None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset the process's peak RSS (``VmHWM``) to its current RSS; False if unsupported."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def peak_rss_bytes() -> int:
    """Peak resident memory of this process since the last :func:`reset_peak_rss`."""
    kib = _status_kib("VmHWM")
    if kib is None:  # no procfs: the lifetime peak (ru_maxrss is KiB on Linux, B on macOS)
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kib = kib // 1024 if sys.platform == "darwin" else kib
    return kib * 1024


def children_peak_rss_bytes() -> int:
    """Largest peak resident memory of any waited-for child process (0 if none ran)."""
    kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (kib // 1024 if sys.platform == "darwin" else kib) * 1024


_watchdog_started = threading.Event()


def _watch_memory(limit: int, period_s: float = 0.05) -> None:
    while True:
        kib = _status_kib("VmRSS")
        if kib is not None and kib * 1024 > limit:
            sys.stderr.write(
                f"\nfuzz watchdog: resident memory {kib / 1024**2:.2f} GiB passed "
                f"{limit / 1024**3:g} GiB; ending the run (stacks follow)\n"
            )
            faulthandler.dump_traceback(all_threads=True)
            os._exit(3)
        time.sleep(period_s)


def _start_watchdog() -> None:
    if not _watchdog_started.is_set() and _status_kib("VmRSS") is not None:
        _watchdog_started.set()
        threading.Thread(
            target=_watch_memory, args=(ABORT_RSS_BYTES,), name="fuzz-rss", daemon=True
        ).start()


@contextlib.contextmanager
def no_hang(seconds: float = HANG_S, max_rss_bytes: int = MAX_RSS_BYTES) -> Iterator[None]:
    """
    Run one fuzz case within the bounds of time and memory, failing it past either.

    SIGALRM interrupts a case at `seconds` where Python code runs (main thread, POSIX only);
    the case's wall time is also checked on return, so a swallowed alarm still fails it.
    The peak resident memory during the case must stay at or under `max_rss_bytes`.
    """
    _start_watchdog()

    def ring(_sig: int, _frame: object) -> None:
        raise HangError(f"a fuzz case ran longer than {seconds:g} s")

    measured = reset_peak_rss()
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        elapsed = time.monotonic() - start
        peak = peak_rss_bytes()
        STATS["cases"] += 1
        STATS["max_case_s"] = max(STATS["max_case_s"], elapsed)
        STATS["max_peak_rss_bytes"] = max(STATS["max_peak_rss_bytes"], peak)
    if elapsed > seconds:
        raise HangError(f"a fuzz case took {elapsed:.1f} s (bound {seconds:g} s)")
    if measured and peak > max_rss_bytes:
        gib, bound = peak / 1024**3, max_rss_bytes / 1024**3
        msg = f"a fuzz case peaked at {gib:.2f} GiB resident (bound {bound:g} GiB)"
        raise MemoryBoundError(msg)


def summary() -> str:
    """One line with the case count and the largest case time and peak memory seen."""
    return (
        f"fuzz bounds: {STATS['cases']:.0f} cases, longest {STATS['max_case_s']:.2f} s "
        f"(bound {HANG_S:g} s), peak RSS {STATS['max_peak_rss_bytes'] / 1024**2:.0f} MiB "
        f"(bound {MAX_RSS_BYTES / 1024**2:.0f} MiB), children's peak "
        f"{children_peak_rss_bytes() / 1024**2:.0f} MiB"
    )


def clean(fn: Callable[[], T]) -> T | corridor.CorridorError:
    """Run `fn`: its result, or the CorridorError it raised; any other exception fails."""
    with no_hang():
        try:
            return fn()
        except corridor.CorridorError as exc:
            message = str(exc)
            assert len(message) < 20_000, f"unbounded message ({len(message)} characters)"
            return exc
