"""What a network holds, counted once for ``corridor info`` and ``/api/health``."""

from __future__ import annotations

from typing import Any

from corridor.model.network import Network

__all__ = ["network_summary"]


def network_summary(network: Network) -> dict[str, Any]:
    """Counts of nodes, links, border crossings and turn restrictions.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        ``name``, ``nodes``, ``links``; ``crossings``: land border-crossing places (nodes
        of kind ``border_crossing``, airports' passport controls apart), the number a
        reader means by "crossings"; ``airports`` (airports with an access link) and
        ``airport_passport_controls``;
        ``crossing_rows``: rows of the crossings table (one per crossing, mode and
        direction, which is what ``len(network.crossings)`` counts); ``turn_restrictions``;
        and ``links_by_mode``, ``length_km_by_mode``, ``nodes_by_kind``,
        ``nodes_by_country``.
    """
    links, nodes, rows = network.links, network.nodes, network.crossings
    # an airport's passport control is a border-crossing node with air rows only
    air_only = set(rows.loc[rows["mode"] == "air", "node_id"]) - set(
        rows.loc[rows["mode"] != "air", "node_id"]
    )
    land = (nodes["kind"] == "border_crossing") & ~nodes["node_id"].isin(air_only)
    crossings = int(land.sum())
    access = links[(links["mode"] == "transfer") & (links["class"] == "airport")]
    airports = (nodes["kind"] == "airport") & nodes["node_id"].isin(access["b_node"])
    return {
        "name": network.name,
        "nodes": len(nodes),
        "links": len(links),
        "crossings": crossings,
        "border_crossings": crossings,
        "airports": int(airports.sum()),
        "airport_passport_controls": len(air_only),
        "crossing_rows": len(network.crossings),
        "turn_restrictions": len(network.turns),
        "length_km_by_mode": {
            str(k): round(float(v), 1) for k, v in links.groupby("mode")["length_km"].sum().items()
        },
        "links_by_mode": {str(k): int(v) for k, v in links["mode"].value_counts().items()},
        "nodes_by_kind": {str(k): int(v) for k, v in nodes["kind"].value_counts().items()},
        "nodes_by_country": {str(k): int(v) for k, v in nodes["country"].value_counts().items()},
    }
