"""`corridor info`: what a network holds, by mode, kind and country."""

from __future__ import annotations

import json
from typing import Any

from rich.table import Table

import corridor
from corridor.cli.common import JsonOpt, NetworkOpt, console, guard, load_network

__all__ = ["info_cmd"]


def info_cmd(network: NetworkOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of nodes and links by mode, country and kind; crossings and turn restrictions."""
    net: corridor.Network = guard(as_json, lambda: load_network(network))
    summary: dict[str, Any] = corridor.network_summary(net)
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    console.print(
        f"[bold]{net.name}[/]: {summary['nodes']:,} nodes, {summary['links']:,} links, "
        f"{summary['crossings']:,} border crossings ({summary['crossing_rows']:,} "
        f"by mode and direction), {summary['turn_restrictions']:,} turn restrictions; "
        f"{summary['airports']:,} airports with {summary['airport_passport_controls']:,} "
        "passport controls"
    )
    table = Table("mode", "links", "length_km")
    for mode, count in summary["links_by_mode"].items():
        table.add_row(mode, f"{count:,}", f"{summary['length_km_by_mode'].get(mode, 0):,.0f}")
    console.print(table)
    kinds = Table("kind", "nodes")
    for kind, count in summary["nodes_by_kind"].items():
        kinds.add_row(kind, f"{count:,}")
    console.print(kinds)
    countries = Table("country", "nodes")
    for cc, count in summary["nodes_by_country"].items():
        countries.add_row(cc, f"{count:,}")
    console.print(countries)
