"""Scenario files and edits applied purely to a base network."""

from corridor.scenario.bundled import bundled_scenarios, get_scenario
from corridor.scenario.edits import (
    AddFlight,
    AddRoute,
    AsOf,
    CloseCrossing,
    CloseLinks,
    DropFlight,
    LinkSelector,
    ReopenLinks,
    ScaleDemand,
    SetCrossing,
    SetLinks,
    SetVisa,
)
from corridor.scenario.resolve import resolve_scenario, scenario_network
from corridor.scenario.spec import Scenario, load_scenario, parse_scenario

__all__ = [
    "AddFlight",
    "AddRoute",
    "AsOf",
    "CloseCrossing",
    "CloseLinks",
    "DropFlight",
    "LinkSelector",
    "ReopenLinks",
    "ScaleDemand",
    "Scenario",
    "SetCrossing",
    "SetLinks",
    "SetVisa",
    "bundled_scenarios",
    "get_scenario",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
    "scenario_network",
]
