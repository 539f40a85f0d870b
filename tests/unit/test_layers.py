"""The package's import graph: no module imports itself back, even lazily."""

from __future__ import annotations

import grimp
import networkx as nx


def test_no_import_cycle_between_modules() -> None:
    graph = grimp.build_graph("corridor")
    g = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            g.add_edge(module, imported)
    # a package's __init__ re-exporting its own modules is not a cycle of code
    for module in list(g.nodes):
        for imported in list(g.successors(module)):
            if module.startswith(imported + ".") or imported.startswith(module + "."):
                g.remove_edge(module, imported)
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"
