"""corridor: Eurasia's transit-transport corridors, computable.

Load a network, find least-cost routes on it and print them::

    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> corridor.route(net, "A", "D", modes="road").totals()
    {'length_km': 353.0, 'time_h': 4.1125, 'cost_usd': None, 'co2_kg': None}

Importing corridor does no I/O and compiles nothing; kernels compile on first use.
The public names load lazily (PEP 562): ``import corridor`` costs a few milliseconds
and ``corridor.route`` imports :mod:`corridor.paths` on first access, so a command
that needs only part of the toolkit pays only for that part.

Adding a public name: import it in the ``TYPE_CHECKING`` block (for type checkers
and readers), add it to ``_EXPORTS`` (module -> names) and to ``__all__``;
``tests/unit/test_package.py`` checks the three agree.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from corridor import defaults, examples
    from corridor.analysis.accessibility import hansen_accessibility, population_within
    from corridor.analysis.compare import CompareOptions, Comparison, compare
    from corridor.analysis.cpmm import CPMM, cpmm
    from corridor.analysis.data_check import Check, check_network
    from corridor.analysis.freight import (
        FreightCalibration,
        FreightFlows,
        FreightInputs,
        FreightParams,
        calibrate_freight,
        freight_flows,
    )
    from corridor.analysis.link_changes import LinkChange, link_changes
    from corridor.analysis.reliability import Reliability, reliability
    from corridor.analysis.summary import network_summary
    from corridor.analysis.tcd import TCD, tcd
    from corridor.analysis.tourism import Calibration as TourismCalibration
    from corridor.analysis.tourism import (
        TourismDraws,
        TourismResult,
        compare_tourism,
        tourism,
        tourism_uncertainty,
    )
    from corridor.analysis.tourism import calibrate as calibrate_tourism
    from corridor.analysis.tourism import load_fitted as load_tourism_fitted
    from corridor.analysis.tourism import load_params as load_tourism_params
    from corridor.analysis.tourism import write_fitted as write_tourism_fitted
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
    from corridor.atomic import atomic_file, check_output, write_text_atomic
    from corridor.costs import Profile, list_profiles, load_profile
    from corridor.data import build_eurasia, country_outlines, eurasia
    from corridor.defaults import error_object
    from corridor.distributed import DaskAon, dask_aon, skim_distributed
    from corridor.distributed.tourism import tourism_dask_runner
    from corridor.errors import (
        AmbiguousPlaceError,
        CorridorError,
        DataSourceError,
        NoPathError,
        OptionalDependencyError,
        OutputExistsError,
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
    from corridor.report.palette import palette_dict
    from corridor.report.summary import Summary, summarize_comparison
    from corridor.report.tourism_charts import write_tourism_charts
    from corridor.scenario import (
        Scenario,
        bundled_scenarios,
        get_scenario,
        load_scenario,
        resolve_scenario,
        scenario_network,
    )

__version__ = "0.1.0"

# public name -> the module that defines it (imported on first access)
_EXPORTS: dict[str, tuple[str, ...]] = {
    "corridor.analysis.accessibility": ("hansen_accessibility", "population_within"),
    "corridor.analysis.compare": ("CompareOptions", "Comparison", "compare"),
    "corridor.analysis.cpmm": ("CPMM", "cpmm"),
    "corridor.analysis.data_check": ("Check", "check_network"),
    "corridor.analysis.freight": (
        "FreightCalibration",
        "FreightFlows",
        "FreightInputs",
        "FreightParams",
        "calibrate_freight",
        "freight_flows",
    ),
    "corridor.analysis.link_changes": ("LinkChange", "link_changes"),
    "corridor.analysis.reliability": ("Reliability", "reliability"),
    "corridor.analysis.summary": ("network_summary",),
    "corridor.analysis.tcd": ("TCD", "tcd"),
    "corridor.analysis.tourism": (
        "TourismDraws",
        "TourismResult",
        "compare_tourism",
        "tourism",
        "tourism_uncertainty",
    ),
    "corridor.distributed.tourism": ("tourism_dask_runner",),
    "corridor.analysis.validation": (
        "FigureCheck",
        "PublishedFigure",
        "Validation",
        "load_published",
        "validate_published",
    ),
    "corridor.assignment": (
        "AssignmentNetwork",
        "AssignmentOptions",
        "AssignmentResult",
        "ConvergenceWarning",
        "CrossingDelay",
        "TrafficClass",
        "assign",
        "assignment_network",
    ),
    "corridor.assignment.demand": (
        "Deterrence",
        "FurnessOptions",
        "TripMatrix",
        "calibrate_gravity",
        "gravity",
    ),
    "corridor.assignment.tntp": ("read_tntp_network", "read_tntp_trips"),
    "corridor.atomic": ("atomic_file", "check_output", "write_text_atomic"),
    "corridor.costs": ("Profile", "list_profiles", "load_profile"),
    "corridor.data": ("build_eurasia", "country_outlines", "eurasia"),
    "corridor.defaults": ("error_object",),
    "corridor.distributed": ("DaskAon", "dask_aon", "skim_distributed"),
    "corridor.errors": (
        "AmbiguousPlaceError",
        "CorridorError",
        "DataSourceError",
        "NoPathError",
        "OptionalDependencyError",
        "OutputExistsError",
        "OutsideCoverageError",
        "SchemaError",
        "UnknownNodeError",
        "ValidationError",
    ),
    "corridor.export": ("read_matrices", "read_skim", "write_matrices", "write_skim"),
    "corridor.export.omx": ("Matrices",),
    "corridor.export.tntp": ("write_tntp_flow",),
    "corridor.graph": ("Graph", "compile_graph"),
    "corridor.io": ("read_network", "write_network"),
    "corridor.io.gtfs": ("Feed", "read_gtfs"),
    "corridor.io.merge": ("MergeOptions", "attach"),
    "corridor.io.osm": ("ImportProgress", "OsmOptions", "read_osm"),
    "corridor.model": ("Mode", "Network", "NodeKind", "PlaceIndex", "Resolution", "name_key"),
    "corridor.paths": (
        "Leg",
        "Optimize",
        "Route",
        "Router",
        "RouteSet",
        "Stop",
        "lookup_place",
        "route",
        "router_for",
    ),
    "corridor.paths.alternatives": ("alternatives",),
    "corridor.paths.isochrone": ("Isochrone", "isochrone"),
    "corridor.paths.pareto": ("pareto",),
    "corridor.paths.profile_skim": ("profile_skim",),
    "corridor.paths.skim": ("Skim", "SkimMethod", "skim"),
    "corridor.paths.timetable": ("build_timetable", "plan_trip"),
    "corridor.paths.trip": ("Timetable", "Trip", "TripLeg", "TripOptions"),
    "corridor.paths.turns": ("route_restricted",),
    "corridor.progress": ("Progress", "ProgressCallback"),
    "corridor.report.charts": ("write_tcd_chart",),
    "corridor.report.compare_report": ("write_compare_report",),
    "corridor.report.isochrone_map": ("render_isochrone_html",),
    "corridor.report.maps": ("write_network_map",),
    "corridor.report.palette": ("palette_dict",),
    "corridor.report.summary": ("Summary", "summarize_comparison"),
    "corridor.report.tourism_charts": ("write_tourism_charts",),
    "corridor.scenario": (
        "Scenario",
        "bundled_scenarios",
        "get_scenario",
        "load_scenario",
        "resolve_scenario",
        "scenario_network",
    ),
}
# public name -> (module, the name it has there)
_ALIASES: dict[str, tuple[str, str]] = {
    "export_results": ("corridor.export", "export"),
    "TourismCalibration": ("corridor.analysis.tourism", "Calibration"),
    "calibrate_tourism": ("corridor.analysis.tourism", "calibrate"),
    "load_tourism_fitted": ("corridor.analysis.tourism", "load_fitted"),
    "load_tourism_params": ("corridor.analysis.tourism", "load_params"),
    "write_tourism_fitted": ("corridor.analysis.tourism", "write_fitted"),
}
_SUBMODULES: tuple[str, ...] = ("defaults", "examples")
_WHERE: dict[str, tuple[str, str]] = {
    **{name: (module, name) for module, names in _EXPORTS.items() for name in names},
    **_ALIASES,
}

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
    "FreightCalibration",
    "FreightFlows",
    "FreightInputs",
    "FreightParams",
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
    "OutputExistsError",
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
    "Summary",
    "Timetable",
    "TourismCalibration",
    "TourismDraws",
    "TourismResult",
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
    "calibrate_freight",
    "calibrate_gravity",
    "calibrate_tourism",
    "check_network",
    "check_output",
    "compare",
    "compare_tourism",
    "compile_graph",
    "country_outlines",
    "cpmm",
    "dask_aon",
    "defaults",
    "error_object",
    "eurasia",
    "examples",
    "export_results",
    "freight_flows",
    "get_scenario",
    "gravity",
    "hansen_accessibility",
    "isochrone",
    "link_changes",
    "list_profiles",
    "load_profile",
    "load_published",
    "load_scenario",
    "load_tourism_fitted",
    "load_tourism_params",
    "lookup_place",
    "name_key",
    "network_summary",
    "palette_dict",
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
    "resolve_scenario",
    "route",
    "route_restricted",
    "router_for",
    "scenario_network",
    "skim",
    "skim_distributed",
    "summarize_comparison",
    "tcd",
    "tourism",
    "tourism_dask_runner",
    "tourism_uncertainty",
    "validate_published",
    "write_compare_report",
    "write_matrices",
    "write_network",
    "write_network_map",
    "write_skim",
    "write_tcd_chart",
    "write_text_atomic",
    "write_tntp_flow",
    "write_tourism_charts",
    "write_tourism_fitted",
]


def __getattr__(name: str) -> _typing.Any:
    """Import a public name on first access and keep it in the module namespace."""
    if name in _SUBMODULES:
        value: _typing.Any = _importlib.import_module(f"corridor.{name}")
    elif name in _WHERE:
        module, attr = _WHERE[name]
        value = getattr(_importlib.import_module(module), attr)
    else:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
