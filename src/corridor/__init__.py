"""corridor: Eurasia's transit-transport corridors, computable.

Load a network, find least-cost routes on it and print them::

    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> corridor.route(net, "A", "D", modes="road").totals()
    {'length_km': 353.0, 'time_h': 4.1125, 'cost_usd': None, 'co2_kg': None}

Importing corridor does no I/O and compiles nothing; kernels compile on first use.
"""

from corridor import examples
from corridor.analysis.accessibility import hansen_accessibility, population_within
from corridor.analysis.compare import CompareOptions, Comparison, compare
from corridor.analysis.cpmm import CPMM, cpmm
from corridor.analysis.data_check import Check, check_network
from corridor.analysis.link_changes import LinkChange, link_changes
from corridor.analysis.reliability import Reliability, reliability
from corridor.analysis.tcd import TCD, tcd
from corridor.analysis.validation import (
    FigureCheck,
    PublishedFigure,
    Validation,
    load_published,
    validate_published,
)
from corridor.assignment import (
    AssignmentNetwork,
    AssignmentOptions,
    AssignmentResult,
    ConvergenceWarning,
    CrossingDelay,
    TrafficClass,
    assign,
    assignment_network,
)
from corridor.assignment.demand import (
    Deterrence,
    FurnessOptions,
    TripMatrix,
    calibrate_gravity,
    gravity,
)
from corridor.assignment.tntp import read_tntp_network, read_tntp_trips
from corridor.atomic import atomic_file, write_text_atomic
from corridor.costs import Profile, list_profiles, load_profile
from corridor.data import build_eurasia, country_outlines, eurasia
from corridor.distributed import DaskAon, dask_aon, skim_distributed
from corridor.errors import (
    AmbiguousPlaceError,
    CorridorError,
    DataSourceError,
    NoPathError,
    OptionalDependencyError,
    OutsideCoverageError,
    SchemaError,
    UnknownNodeError,
    ValidationError,
)
from corridor.export import export as export_results
from corridor.export import read_matrices, read_skim, write_matrices, write_skim
from corridor.export.omx import Matrices
from corridor.export.tntp import write_tntp_flow
from corridor.graph import Graph, compile_graph
from corridor.io import read_network, write_network
from corridor.io.gtfs import Feed, read_gtfs
from corridor.io.merge import MergeOptions, attach
from corridor.io.osm import ImportProgress, OsmOptions, read_osm
from corridor.model import Mode, Network, NodeKind, PlaceIndex, Resolution, name_key
from corridor.paths import (
    Leg,
    Optimize,
    Route,
    Router,
    RouteSet,
    Stop,
    lookup_place,
    route,
    router_for,
)
from corridor.paths.alternatives import alternatives
from corridor.paths.isochrone import Isochrone, isochrone
from corridor.paths.pareto import pareto
from corridor.paths.profile_skim import profile_skim
from corridor.paths.skim import Skim, SkimMethod, skim
from corridor.paths.timetable import build_timetable, plan_trip
from corridor.paths.trip import Timetable, Trip, TripLeg, TripOptions
from corridor.paths.turns import route_restricted
from corridor.progress import Progress, ProgressCallback
from corridor.report.charts import write_tcd_chart
from corridor.report.compare_report import write_compare_report
from corridor.report.isochrone_map import render_isochrone_html
from corridor.report.maps import write_network_map
from corridor.scenario import Scenario, bundled_scenarios, get_scenario, load_scenario

__version__ = "0.1.0"

__all__ = [
    "CPMM",
    "TCD",
    "AmbiguousPlaceError",
    "AssignmentNetwork",
    "AssignmentOptions",
    "AssignmentResult",
    "Check",
    "CompareOptions",
    "Comparison",
    "ConvergenceWarning",
    "CorridorError",
    "CrossingDelay",
    "DaskAon",
    "DataSourceError",
    "Deterrence",
    "Feed",
    "FigureCheck",
    "FurnessOptions",
    "Graph",
    "ImportProgress",
    "Isochrone",
    "Leg",
    "LinkChange",
    "Matrices",
    "MergeOptions",
    "Mode",
    "Network",
    "NoPathError",
    "NodeKind",
    "Optimize",
    "OptionalDependencyError",
    "OsmOptions",
    "OutsideCoverageError",
    "PlaceIndex",
    "Profile",
    "Progress",
    "ProgressCallback",
    "PublishedFigure",
    "Reliability",
    "Resolution",
    "Route",
    "RouteSet",
    "Router",
    "Scenario",
    "SchemaError",
    "Skim",
    "SkimMethod",
    "Stop",
    "Timetable",
    "TrafficClass",
    "Trip",
    "TripLeg",
    "TripMatrix",
    "TripOptions",
    "UnknownNodeError",
    "Validation",
    "ValidationError",
    "__version__",
    "alternatives",
    "assign",
    "assignment_network",
    "atomic_file",
    "attach",
    "build_eurasia",
    "build_timetable",
    "bundled_scenarios",
    "calibrate_gravity",
    "check_network",
    "compare",
    "compile_graph",
    "country_outlines",
    "cpmm",
    "dask_aon",
    "eurasia",
    "examples",
    "export_results",
    "get_scenario",
    "gravity",
    "hansen_accessibility",
    "isochrone",
    "link_changes",
    "list_profiles",
    "load_profile",
    "load_published",
    "load_scenario",
    "lookup_place",
    "name_key",
    "pareto",
    "plan_trip",
    "population_within",
    "profile_skim",
    "read_gtfs",
    "read_matrices",
    "read_network",
    "read_osm",
    "read_skim",
    "read_tntp_network",
    "read_tntp_trips",
    "reliability",
    "render_isochrone_html",
    "route",
    "route_restricted",
    "router_for",
    "skim",
    "skim_distributed",
    "tcd",
    "validate_published",
    "write_compare_report",
    "write_matrices",
    "write_network",
    "write_network_map",
    "write_skim",
    "write_tcd_chart",
    "write_text_atomic",
    "write_tntp_flow",
]
