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
    links, nodes = net.links, net.nodes
    # an airport's passport control is a border-crossing node with air rows only
    air_only = set(net.crossings.loc[net.crossings["mode"] == "air", "node_id"]) - set(
        net.crossings.loc[net.crossings["mode"] != "air", "node_id"]
    )
    crossing = (nodes["kind"] == "border_crossing") & ~nodes["node_id"].isin(air_only)
    summary: dict[str, Any] = {
        "name": net.name,
        "nodes": len(nodes),
        "links": len(links),
        "length_km_by_mode": {
            k: round(float(v), 1) for k, v in links.groupby("mode")["length_km"].sum().items()
        },
        "links_by_mode": {str(k): int(v) for k, v in links["mode"].value_counts().items()},
        "nodes_by_kind": {str(k): int(v) for k, v in nodes["kind"].value_counts().items()},
        "nodes_by_country": {str(k): int(v) for k, v in nodes["country"].value_counts().items()},
        "border_crossings": int(crossing.sum()),
        "airport_passport_controls": len(air_only),
        "airports": int(
            ((nodes["kind"] == "airport") & nodes["node_id"].isin(_access_ends(links))).sum()
        ),
        "crossing_rows": len(net.crossings),
        "turn_restrictions": len(net.turns),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    console.print(
        f"[bold]{net.name}[/]: {len(nodes):,} nodes, {len(links):,} links, "
        f"{summary['border_crossings']:,} border crossings ({summary['crossing_rows']:,} "
        f"mode/direction rows), {summary['turn_restrictions']:,} turn restrictions; "
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


def _access_ends(links: Any) -> list[int]:
    """Airport nodes: the far ends of airport access links (class ``airport``)."""
    access = links[(links["mode"] == "transfer") & (links["class"] == "airport")]
    return [int(x) for x in access["b_node"].tolist()]
