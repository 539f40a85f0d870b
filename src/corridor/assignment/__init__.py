"""Demand and equilibrium assignment: gravity/IPF, AON, MSA, Frank-Wolfe, path-based."""

from corridor.assignment.equilibrium import AonKernel, assign
from corridor.assignment.gap import relative_gap
from corridor.assignment.network import (
    AssignmentNetwork,
    CrossingDelay,
    TrafficClass,
    assignment_network,
)
from corridor.assignment.options import Algorithm, AssignmentOptions
from corridor.assignment.results import AssignmentResult, Convergence, ConvergenceWarning
from corridor.assignment.vdf import VolumeDelay, link_travel_time

__all__ = [
    "Algorithm",
    "AonKernel",
    "AssignmentNetwork",
    "AssignmentOptions",
    "AssignmentResult",
    "Convergence",
    "ConvergenceWarning",
    "CrossingDelay",
    "TrafficClass",
    "VolumeDelay",
    "assign",
    "assignment_network",
    "link_travel_time",
    "relative_gap",
]
