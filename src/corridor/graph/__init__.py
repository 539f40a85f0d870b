"""Network -> CSR graphs; the only place that maps node ids to indices."""

from corridor.graph.compile import Graph, compile_graph, link_time_h, parse_modes

__all__ = ["Graph", "compile_graph", "link_time_h", "parse_modes"]
