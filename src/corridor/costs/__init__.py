"""Generalised cost per leg and stop: profiles, and the expanded cost graph."""

from corridor.costs.graph import OBJECTIVES, CostGraph, StopKind, compile_cost_graph
from corridor.costs.profiles import BUILTIN_PROFILES, Profile, list_profiles, load_profile

__all__ = [
    "BUILTIN_PROFILES",
    "OBJECTIVES",
    "CostGraph",
    "Profile",
    "StopKind",
    "compile_cost_graph",
    "list_profiles",
    "load_profile",
]
