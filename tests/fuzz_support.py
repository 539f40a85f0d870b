"""Mutation corpus and budgets for the fuzz tests (issue 13).

A mutation is a short list of operations drawn by hypothesis and applied to a valid seed
file: truncation, bit flips, byte insertion and deletion, numbers replaced by extremes
(``inf``, ``nan``, ``1e19``, ``-1``, 5,000 digits), text re-encoded (Latin-1, UTF-16, a
BOM, a lone surrogate's bytes), values nested hundreds of levels deep and tokens swapped
for ones of the wrong type. Every fuzz test states the property of issue 13: the call
either succeeds or raises a :class:`corridor.CorridorError` (CLI: exit 2 and one line;
API: JSON with a 4xx or 503), never another exception, and within a bound of time.

Budgets: ``CORRIDOR_FUZZ_SCALE`` multiplies every test's example count (default 1: the CI
subset, about 2,800 cases in all; ``make fuzz`` sets 10: about 28,000).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import corridor

T = TypeVar("T")

SCALE = float(os.environ.get("CORRIDOR_FUZZ_SCALE", "1"))
HANG_S = 30.0  # a case running longer than this is a hang (issue 13's bound)

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


@contextlib.contextmanager
def no_hang(seconds: float = HANG_S) -> Iterator[None]:
    """Fail a case that runs longer than `seconds` (SIGALRM; main thread, POSIX only)."""

    def ring(_sig: int, _frame: object) -> None:
        raise HangError(f"a fuzz case ran longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def clean(fn: Callable[[], T]) -> T | corridor.CorridorError:
    """Run `fn`: its result, or the CorridorError it raised; any other exception fails."""
    with no_hang():
        try:
            return fn()
        except corridor.CorridorError as exc:
            message = str(exc)
            assert len(message) < 20_000, f"unbounded message ({len(message)} characters)"
            return exc
