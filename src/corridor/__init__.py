"""corridor: Eurasia's transit-transport corridors, computable.

Load a network, find least-cost routes on it and print them::

    >>> import corridor
    >>> net = corridor.examples.toy()
    >>> corridor.route(net, "A", "D", modes="road").totals()
    {'length_km': 353.0, 'time_h': 4.1125}

Importing corridor does no I/O and compiles nothing; kernels compile on first use.
"""

from corridor import examples
from corridor.errors import (
    CorridorError,
    DataSourceError,
    NoPathError,
    OptionalDependencyError,
    SchemaError,
    UnknownNodeError,
    ValidationError,
)
from corridor.graph import Graph, compile_graph
from corridor.io import read_network, write_network
from corridor.model import Mode, Network, NodeKind, PlaceIndex
from corridor.paths import Leg, Optimize, Route, Router, route

__version__ = "0.1.0"

__all__ = [
    "CorridorError",
    "DataSourceError",
    "Graph",
    "Leg",
    "Mode",
    "Network",
    "NoPathError",
    "NodeKind",
    "Optimize",
    "OptionalDependencyError",
    "PlaceIndex",
    "Route",
    "Router",
    "SchemaError",
    "UnknownNodeError",
    "ValidationError",
    "__version__",
    "compile_graph",
    "examples",
    "read_network",
    "route",
    "write_network",
]
