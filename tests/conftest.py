"""Shared fixtures: toy networks built in code."""

from __future__ import annotations

import pytest

import corridor


@pytest.fixture
def toy() -> corridor.Network:
    return corridor.examples.toy()
