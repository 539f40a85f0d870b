"""Network -> CSR graphs; the only place that maps node ids to indices."""

from corridor.graph.compile import Graph, compile_graph, link_time_h, parse_modes
from corridor.graph.index import NodeIndex
from corridor.graph.search import SearchGraph, search_graph

__all__ = [
    "Graph",
    "NodeIndex",
    "SearchGraph",
    "compile_graph",
    "link_time_h",
    "parse_modes",
    "search_graph",
]
