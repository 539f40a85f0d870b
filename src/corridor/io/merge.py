"""Attach a detailed network (e.g. an OSM import of a city) to a corridor network.

The detailed network is added beside the base one and joined to it by short connector
links at named places or crossings, so that a route can run door to door: from a street
in the city, through the connector, onto the corridor.

Ids: detailed node ids are kept unless they clash with base ids, in which case all of
them are shifted by one offset (``node_offset`` in the result's provenance); detailed
link ids are always shifted past the base's largest link id, and its turn restrictions
follow them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor.errors import ValidationError
from corridor.model.lookup import PlaceIndex
from corridor.model.network import Network
from corridor.model.schema import LINK_COLUMNS, conform
from corridor.units import haversine_km

__all__ = ["MergeOptions", "attach"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeOptions:
    """How connectors are made.

    Parameters
    ----------
    mode
        Mode of the detailed links to connect to, and of the connectors.
    connector_speed_kmh
        Speed on connectors.
    max_km
        The nearest detailed node must be at most this far from the place.
    """

    mode: str = "road"
    connector_speed_kmh: float = 30.0
    max_km: float = 25.0

    def __post_init__(self) -> None:
        if not (self.connector_speed_kmh > 0 and self.max_km > 0):
            raise ValidationError("connector_speed_kmh and max_km must be positive")


def attach(
    base: Network,
    detail: Network,
    at: Sequence[str | int] | Mapping[str | int, int],
    *,
    options: MergeOptions | None = None,
) -> Network:
    """Join `detail` to `base` at the given places.

    Parameters
    ----------
    base
        The corridor network.
    detail
        The detailed network (its turn restrictions are kept).
    at
        Base places (names or node ids) to join at, each to the nearest `detail` node of
        the chosen mode; or a mapping from base place to a `detail` node id.
    options
        Connector mode, speed and search radius.

    Returns
    -------
    Network
        Both networks plus one two-way connector link (class ``connector``) per place.

    Raises
    ------
    UnknownNodeError
        If a place is not in `base` or a given detail node is not in `detail`.
    ValidationError
        If no detailed node of the mode lies within ``max_km`` of a place.

    Examples
    --------
    >>> import corridor
    >>> base = corridor.examples.toy()
    >>> merged = attach(base, base.with_nodes(base.nodes), ["A"])
    >>> len(merged.links) == 2 * len(base.links) + 1
    True
    """
    opts = options or MergeOptions()
    places = PlaceIndex(base.nodes)
    targets = at if isinstance(at, Mapping) else {p: None for p in at}
    if not targets:
        raise ValidationError("give at least one place to attach at")
    nodes_d, links_d, turns_d, node_shift = _shifted(base, detail)
    used = links_d["mode"] == opts.mode
    cand = np.unique(np.concatenate([links_d.loc[used, "a_node"], links_d.loc[used, "b_node"]]))
    if not cand.size:
        raise ValidationError(f"the detailed network has no {opts.mode} links to attach to")
    xy_d = nodes_d.set_index("node_id").loc[cand, ["lon", "lat"]].to_numpy(dtype=np.float64)
    xy_b = dict(
        zip(
            base.nodes["node_id"].tolist(),
            zip(base.nodes["lon"].tolist(), base.nodes["lat"].tolist(), strict=True),
            strict=True,
        )
    )
    rows = []
    next_id = int(links_d["link_id"].max()) + 1 if len(links_d) else _next_link_id(base)
    for place, node in targets.items():
        b_id = places.resolve(place, role="place")
        bx, by = xy_b[b_id]
        if node is None:
            dist = haversine_km(bx, by, xy_d[:, 0], xy_d[:, 1])
            k = int(np.argmin(dist))
            if dist[k] > opts.max_km:
                raise ValidationError(
                    f"no {opts.mode} node of {detail.name!r} within {opts.max_km:g} km of "
                    f"{place!r} (nearest: {dist[k]:.1f} km); raise max_km or check the place"
                )
            d_id = int(cand[k])
            km = float(dist[k])
        else:
            d_id = int(node) + node_shift
            hit = nodes_d[nodes_d["node_id"] == d_id]
            if not len(hit):
                from corridor.errors import UnknownNodeError

                raise UnknownNodeError([node], role="detail node id(s)")
            km = float(haversine_km(bx, by, hit["lon"].iloc[0], hit["lat"].iloc[0]))
        rows.append(
            {
                "link_id": next_id,
                "a_node": b_id,
                "b_node": d_id,
                "oneway": False,
                "mode": opts.mode,
                "class": "connector",
                "name": f"connector {place}",
                "length_km": max(km, 0.001),
                "speed_kmh": opts.connector_speed_kmh,
                "provenance": f"merge connector to {detail.name} (great-circle length)",
            }
        )
        next_id += 1
    connectors = conform(pd.DataFrame(rows), LINK_COLUMNS, "links")[0]
    links = pd.concat([base.links, links_d, connectors], ignore_index=True)
    for col in links.columns:
        if links[col].dtype == object and col != "geometry":
            links[col] = links[col].where(links[col].notna(), "")
    nodes = pd.concat([base.nodes, nodes_d], ignore_index=True)
    for col in nodes.columns:
        if nodes[col].dtype == object:
            nodes[col] = nodes[col].where(nodes[col].notna(), "")
    turns = (
        pd.concat([t for t in (base.turns, turns_d) if len(t)], ignore_index=True)
        if (len(base.turns) or len(turns_d))
        else pd.DataFrame()
    )
    if len(turns):
        turns["restriction_id"] = np.arange(len(turns), dtype=np.int64)
    log.info(
        "attached %r to %r at %d place(s), node id shift %d", detail, base, len(rows), node_shift
    )
    return Network(
        nodes, links, base.crossings, turns, name=f"{base.name}+{detail.name}", source=None
    )


def _next_link_id(base: Network) -> int:
    return int(base.links["link_id"].max()) + 1 if len(base.links) else 0


def _shifted(
    base: Network, detail: Network
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Detail tables with ids moved clear of the base's."""
    nodes = detail.nodes.copy()
    links = detail.links.copy()
    turns = detail.turns.copy()
    clash = np.isin(nodes["node_id"].to_numpy(), base.nodes["node_id"].to_numpy()).any()
    node_shift = 0
    if clash:
        node_shift = int(base.nodes["node_id"].max()) + 1 - int(nodes["node_id"].min())
        nodes["node_id"] = nodes["node_id"] + node_shift
        links["a_node"] = links["a_node"] + node_shift
        links["b_node"] = links["b_node"] + node_shift
        if len(turns):
            turns["via_node"] = turns["via_node"] + node_shift
    link_shift = _next_link_id(base) - (int(links["link_id"].min()) if len(links) else 0)
    link_shift = max(link_shift, 0)
    links["link_id"] = links["link_id"] + link_shift
    if len(turns):
        turns["from_link"] = turns["from_link"] + link_shift
        turns["to_link"] = turns["to_link"] + link_shift
        turns["via_links"] = turns["via_links"].map(
            lambda s: ";".join(str(int(x) + link_shift) for x in str(s).split(";") if x.strip())
        )
    return nodes, links, turns, node_shift
