"""corridor.budget: the memory budget, nesting depth and safe quoting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.budget import check_depth, check_memory, clipped, memory_budget_bytes, quoted
from corridor.errors import ValidationError


def test_budget_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORRIDOR_MAX_MEMORY_GB", raising=False)
    assert memory_budget_bytes() == 2 * 2**30
    monkeypatch.setenv("CORRIDOR_MAX_MEMORY_GB", "0.5")
    assert memory_budget_bytes() == 2**29
    check_memory(2**29, what="x", option="--x")  # at the budget: accepted
    with pytest.raises(ValidationError, match="--x"):
        check_memory(2**29 + 1, what="x", option="--x")
    for bad in ("nope", "-1", "0", "nan", "inf"):
        monkeypatch.setenv("CORRIDOR_MAX_MEMORY_GB", bad)
        with pytest.raises(ValidationError, match="CORRIDOR_MAX_MEMORY_GB"):
            memory_budget_bytes()


@pytest.mark.parametrize("n", [float("nan"), float("inf")])
def test_unbounded_estimates_are_refused(n: float) -> None:
    with pytest.raises(ValidationError, match="unbounded"):
        check_memory(n, what="x", option="--x")


def _nested(depth: int) -> object:
    value: object = 1
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


@given(st.integers(0, 80))
def test_depth_limit_is_exact(depth: int) -> None:
    if depth <= 32:
        check_depth(_nested(depth), where="f")
    else:
        with pytest.raises(ValidationError, match="32 levels"):
            check_depth(_nested(depth), where="f")


def test_depth_check_does_not_recurse() -> None:
    check_depth(_nested(20_000), where="f", limit=30_000)  # no RecursionError


@given(st.text() | st.binary())
def test_quoted_is_short_printable_ascii_safe(value: str | bytes) -> None:
    text = quoted(value, limit=20)
    assert text.isprintable() and len(text) <= 20 * 10 + 40
    assert "\n" not in text


def test_clipped() -> None:
    assert clipped("a" * 10, 4) == "aaaa... (10 characters)"


def test_every_error_message_is_bounded() -> None:
    from corridor.errors import MAX_MESSAGE_CHARS, DataSourceError

    err = DataSourceError("f.txt", "value " + "9" * 50_000 + " is bad", row=3)
    text = str(err)
    assert len(text) < MAX_MESSAGE_CHARS + 60 and text.startswith("f.txt (row 3): value 999")
    assert text.endswith("(message cut: 50028 characters)")
    assert err.reason.endswith(" is bad")  # the fields keep the whole value
    assert str(ValidationError("short")) == "short"
