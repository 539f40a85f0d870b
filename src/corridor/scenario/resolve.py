"""A scenario from what a user types, and the network it stands for."""

from __future__ import annotations

from pathlib import Path

from corridor.model.network import Network
from corridor.scenario.bundled import get_scenario
from corridor.scenario.spec import Scenario, load_scenario

__all__ = ["resolve_scenario", "scenario_network"]


def resolve_scenario(ref: str | Path | Scenario) -> Scenario:
    """A bundled scenario by name, or one read from a YAML file (a Scenario is returned as is).

    Parameters
    ----------
    ref
        A bundled scenario's name, or a path ending in ``.yaml``/``.yml`` (or any
        existing file).

    Raises
    ------
    ValidationError
        If `ref` names no bundled scenario or the file is not a valid scenario.
    """
    if isinstance(ref, Scenario):
        return ref
    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return load_scenario(path)
    return get_scenario(str(ref))


def scenario_network(scenario: Scenario, network: str | Path | None = None) -> Network:
    """`scenario` applied to its base: the embedded network, its ``base`` file, or `network`.

    Picklable with :func:`functools.partial`, so that Dask tasks can build their networks.

    Raises
    ------
    DataSourceError
        If the base network file cannot be read.
    """
    from corridor.data import eurasia
    from corridor.io.files import read_network

    if network is not None:
        base = read_network(network)
    elif scenario.base in ("eurasia", ""):
        base = eurasia()
    else:
        base = read_network(scenario.base)
    return scenario.apply(base)
