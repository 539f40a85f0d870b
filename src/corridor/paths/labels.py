"""What route assembly reads of a network, prepared once per network."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from corridor.model.network import Network

__all__ = ["Labels"]


@dataclass(frozen=True, eq=False, repr=False)
class Labels:
    """Names, refs and coordinates of one network, as plain lookups.

    Attributes
    ----------
    network
        The network.
    nodes
        The nodes table indexed by ``node_id``.
    names
        Display name per node id; unnamed junctions (common in OSM imports) show as
        ``"node <id>"``.
    refs, link_names
        ``ref`` and ``name`` of each links row, as lists (pandas cell access is slow).
    coords
        (lon, lat) per node id.
    """

    network: Network
    nodes: pd.DataFrame
    names: pd.Series
    refs: list[str]
    link_names: list[str]
    coords: dict[int, tuple[float, float]]

    @classmethod
    def of(cls, network: Network) -> Labels:
        """The labels of a network."""
        nodes = network.nodes.set_index("node_id")
        names = pd.Series(
            [
                str(name) if isinstance(name, str) and name.strip() else f"node {node}"
                for node, name in zip(nodes.index, nodes["name"], strict=True)
            ],
            index=nodes.index,
        )
        links = network.links
        coords = dict(
            zip(
                nodes.index.tolist(),
                zip(nodes["lon"].tolist(), nodes["lat"].tolist(), strict=True),
                strict=True,
            )
        )
        return cls(
            network=network,
            nodes=nodes,
            names=names,
            refs=[str(x) for x in links["ref"].tolist()],
            link_names=[str(x) for x in links["name"].tolist()],
            coords=coords,
        )

    def name(self, node_id: int) -> str:
        """Display name of a node id."""
        return str(self.names[node_id])
