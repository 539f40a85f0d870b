"""Shared fixtures (toy networks built in code) and the hypothesis profile.

Property tests have no per-example deadline: a loaded 2-core CI machine is slow, and speed is
proven by ``bench/``, never by tests. Under ``CI`` the examples are derandomized, so a CI
failure reproduces exactly on a developer's machine with ``CI=true``.
"""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import settings

import corridor

settings.register_profile("corridor", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("corridor")


@pytest.fixture
def toy() -> corridor.Network:
    return corridor.examples.toy()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run with fuzz cases, print their count and the largest time and memory seen."""
    fuzz = sys.modules.get("tests.fuzz_support")
    if fuzz is not None and fuzz.STATS["cases"]:
        terminalreporter.write_line(fuzz.summary())
