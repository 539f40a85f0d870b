"""The embedded Eurasian corridor network and the recipe that builds it.

>>> import corridor
>>> net = corridor.eurasia()
>>> net.name
'eurasia'

The shipped tables are in ``corridor/data/eurasia-net`` (Parquet, one file per table); the
recipe in ``corridor/data/recipe``; :func:`build_eurasia` regenerates the former from the
latter byte for byte. Sources and licences: DATA.md at the repository root.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from corridor.data.build import RECIPE_DIR, build_network, read_recipe
from corridor.data.store import read_store, write_store
from corridor.model.network import Network

__all__ = [
    "EMBEDDED_DIR",
    "OUTLINES_FILE",
    "RECIPE_DIR",
    "build_eurasia",
    "build_network",
    "country_outlines",
    "eurasia",
    "read_recipe",
    "read_store",
    "write_store",
]

EMBEDDED_DIR = Path(__file__).resolve().parent / "eurasia-net"
OUTLINES_FILE = Path(__file__).resolve().parent / "outlines.json"


def eurasia() -> Network:
    """The embedded Eurasian corridor network (roads, railways, crossings, terminals).

    Raises
    ------
    DataSourceError
        If the packaged tables are missing (rebuild them with ``corridor data build``).
    """
    return read_store(EMBEDDED_DIR)


def build_eurasia(
    out: str | os.PathLike[str] | None = None,
    *,
    recipe: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> Path:
    """Build the network from the recipe and write it to `out` (default: the packaged folder).

    Parameters
    ----------
    out
        Output folder; replaced only if it is a network folder corridor wrote.
    recipe
        Recipe folder (default: the packaged recipe).
    force
        Replace what is at `out` even if corridor did not write it.

    Returns
    -------
    Path
        The folder written.
    """
    net = build_network(read_recipe(None if recipe is None else Path(recipe)))
    return write_store(net, out if out is not None else EMBEDDED_DIR, force=force)


def country_outlines() -> dict[str, Any]:
    """Simplified Natural Earth country outlines (public domain) as a GeoJSON dict."""
    data: dict[str, Any] = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    return data
