"""What route assembly reads of a network, prepared once per network."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from corridor._typing import FloatArray, IntArray
from corridor.costs.formalities import formality_notes
from corridor.model.network import Network
from corridor.model.schema import NodeKind

__all__ = ["Labels"]


@dataclass(frozen=True, eq=False, repr=False)
class Labels:
    """Names, refs, shapes and coordinates of one network, as plain lookups.

    Route assembly reads a few values per arc; pandas cell access costs microseconds
    each, so everything it reads is laid out once here as dicts, lists and arrays.

    Attributes
    ----------
    network
        The network.
    names
        Display name per node id; unnamed junctions (common in OSM imports) show as
        ``"node <id>"``.
    countries
        (country_a, country_b) per border-crossing node id.
    coords
        (lon, lat) per node id.
    link_ids
        ``link_id`` of each links row, int64.
    refs, link_names
        ``ref`` and ``name`` of each links row.
    link_xy
        Coordinates of each links row's geometry (a -> b), None where it has none.
    crossing_direction
        ``direction`` of each crossings row.
    formality_notes
        Visa and documents of each formalities row ("" where none).
    boarding_notes
        What an air boarding stop includes, by links row: processing before the
        departure and the flights a week behind the schedule wait.
    """

    network: Network
    names: dict[int, str]
    countries: dict[int, tuple[str, str]]
    coords: dict[int, tuple[float, float]]
    link_ids: IntArray
    refs: list[str]
    link_names: list[str]
    link_xy: list[FloatArray | None]
    crossing_direction: list[str]
    formality_notes: list[str] = field(default_factory=list)
    boarding_notes: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, network: Network) -> Labels:
        """The labels of a network."""
        nodes = network.nodes
        ids = [int(x) for x in nodes["node_id"].tolist()]
        names = {
            node: str(name) if isinstance(name, str) and name.strip() else f"node {node}"
            for node, name in zip(ids, nodes["name"].tolist(), strict=True)
        }
        bc = (nodes["kind"] == NodeKind.BORDER_CROSSING).to_numpy()
        countries = {
            int(node): (str(a), str(b))
            for node, a, b in zip(
                nodes["node_id"].to_numpy()[bc],
                nodes["country_a"].to_numpy()[bc],
                nodes["country_b"].to_numpy()[bc],
                strict=True,
            )
        }
        coords = dict(
            zip(ids, zip(nodes["lon"].tolist(), nodes["lat"].tolist(), strict=True), strict=True)
        )
        links = network.links
        link_xy: list[FloatArray | None] = [
            np.asarray(shapely.get_coordinates(g), dtype=np.float64)
            if isinstance(g, shapely.Geometry)
            else None
            for g in links["geometry"].tolist()
        ]
        return cls(
            network=network,
            names=names,
            countries=countries,
            coords=coords,
            link_ids=np.asarray(links["link_id"].to_numpy(), dtype=np.int64),
            refs=[str(x) for x in links["ref"].tolist()],
            link_names=[str(x) for x in links["name"].tolist()],
            link_xy=link_xy,
            crossing_direction=[str(x) for x in network.crossings["direction"].tolist()],
            formality_notes=formality_notes(network.formalities),
            boarding_notes=_boarding_notes(links),
        )

    def name(self, node_id: int) -> str:
        """Display name of a node id."""
        return self.names[int(node_id)]


def _boarding_notes(links: pd.DataFrame) -> dict[int, str]:
    """Links row -> "check-in and security 2.5 h + schedule wait (4 flights/week)"."""
    if "processing_h" not in links.columns:
        return {}
    rows = np.flatnonzero(((links["mode"] == "air") & (links["class"] == "boarding")).to_numpy())
    proc = links["processing_h"].to_numpy(dtype=np.float64)
    weekly = links["flights_week"].to_numpy(dtype=np.float64)
    return {
        int(r): f"check-in and security {proc[r]:g} h + schedule wait ({weekly[r]:g} flights/week)"
        for r in rows.tolist()
    }
