"""Isochrones: least travel time from one place to every node, banded by thresholds.

:func:`isochrone` runs one Dijkstra from the origin (the skim kernel, so distance along
the fastest path comes with it) and labels each node with the smallest threshold it is
within. :func:`corridor.report.isochrone_map.render_isochrone_html` draws the result as a
self-contained page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridor import defaults
from corridor._typing import FloatArray
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.model.schema import Mode
from corridor.paths.html import table_html
from corridor.paths.profile_skim import profile_skim
from corridor.paths.skim import resolve_nodes, skim_graph, skim_on, skim_plan
from corridor.paths.types import ProfileLike

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FREE_FLOW", "Isochrone", "isochrone"]

FREE_FLOW = "free-flow link time (no profile: no breaks, rests or border delays)"

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False, repr=False, kw_only=True)
class Isochrone:
    """Travel times from one origin to every node, with threshold bands.

    Attributes
    ----------
    origin, origin_name
        The origin node and its name.
    hours
        Thresholds, h, ascending.
    nodes
        One row per node: ``node_id``, ``name``, ``kind``, ``country``, ``lon``, ``lat``,
        ``population``, ``time_h`` (inf = unreachable), ``length_km`` along the fastest
        path, and ``band`` (the smallest threshold within reach, NaN if none).
    modes
        Modes used.
    links
        ``a_node``, ``b_node`` and ``mode`` of the usable links, for drawing.
    profile
        The profile whose routes the times are (None: free-flow link times).
    time_definition
        What ``time_h`` counts, in words (as :attr:`corridor.Route.time_definition`).
    """

    origin: int
    origin_name: str
    hours: tuple[float, ...]
    nodes: pd.DataFrame = field(compare=False)
    modes: tuple[str, ...]
    links: pd.DataFrame = field(compare=False)
    profile: str | None = None
    time_definition: str = FREE_FLOW

    def __repr__(self) -> str:
        counts = ", ".join(f"{h:g} h: {n}" for h, n in self.counts().items())
        return f"<Isochrone from {self.origin_name}: nodes within {counts}>"

    def counts(self) -> dict[float, int]:
        """Number of nodes within each threshold (cumulative, origin included)."""
        t = self.nodes["time_h"].to_numpy()
        return {h: int((t <= h).sum()) for h in self.hours}

    def population(self) -> dict[float, float]:
        """Population within each threshold (cumulative, origin included)."""
        t = self.nodes["time_h"].to_numpy()
        pop = self.nodes["population"].to_numpy(dtype=np.float64)
        return {h: float(pop[t <= h].sum()) for h in self.hours}

    def to_frame(self) -> pd.DataFrame:
        """The node table, nearest first."""
        return self.nodes.sort_values("time_h", kind="stable").reset_index(drop=True)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The node table as points (EPSG:4326), nearest first; unreachable nodes included
        with ``time_h`` inf and ``band`` NaN."""
        import geopandas as gpd

        frame = self.to_frame()
        return gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
        )

    def _repr_html_(self) -> str:
        counts, population = self.counts(), self.population()
        rows = [[f"≤ {h:g} h", counts[h], population[h]] for h in self.hours]
        table = table_html(
            ["within", "nodes", "population"],
            rows,
            caption=f"from {self.origin_name} by {', '.join(self.modes)}",
        )
        frame = self.to_frame()
        reached = frame[np.isfinite(frame["time_h"]) & (frame["population"] > 0)].head(8)
        nearest = table_html(
            ["place", "time_h", "length_km"],
            list(reached[["name", "time_h", "length_km"]].itertuples(index=False, name=None)),
            caption="nearest populated places",
        )
        return f"<div style='display:flex;gap:12px'>{table}{nearest}</div>"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: per threshold the node count, population and nodes."""
        frame = self.to_frame()
        bands = []
        for h in self.hours:
            inside = frame[frame["time_h"] <= h]
            bands.append(
                {
                    "hours": h,
                    "nodes": len(inside),
                    "population": float(inside["population"].sum()),
                    "places": [
                        {
                            "node_id": int(i),
                            "name": str(n),
                            "time_h": round(float(t), 4),
                            "length_km": round(float(k), 3),
                        }
                        for i, n, t, k in zip(
                            inside["node_id"].to_numpy(),
                            inside["name"].to_numpy(),
                            inside["time_h"].to_numpy(),
                            inside["length_km"].to_numpy(),
                            strict=True,
                        )
                    ],
                }
            )
        return {
            "origin": {"node_id": self.origin, "name": self.origin_name},
            "modes": list(self.modes),
            "profile": self.profile,
            "time_definition": self.time_definition,
            "bands": bands,
            "unreachable": int(np.isinf(frame["time_h"]).sum()),
        }


def isochrone(
    network: Network,
    origin: int | str,
    *,
    hours: Sequence[float] = defaults.ISOCHRONE_HOURS,
    modes: str | Mode | Iterable[str | Mode] | None = "road",
    profile: ProfileLike | None = None,
) -> Isochrone:
    """Free-flow travel time from `origin` to every node, banded by `hours`.

    Parameters
    ----------
    network
        The network.
    origin
        Node id or place name.
    hours
        Thresholds, h (positive; sorted on use).
    modes
        Modes whose links may be used (with a profile: whose nodes are listed; the
        routes use the profile's modes).
    profile
        Time each node's fastest route for this profile, as :func:`corridor.route`
        times it: border crossings, breaks and rests included. None: free-flow link
        times.

    Returns
    -------
    Isochrone
        Times and bands for every node (``inf`` where no path exists).

    Raises
    ------
    UnknownNodeError
        If the origin is not in the network.
    ValidationError
        If no threshold is given or one is not positive and finite.

    Examples
    --------
    >>> import corridor
    >>> iso = isochrone(corridor.examples.toy(), "A", hours=[2, 5])
    >>> iso.counts()
    {2.0: 2, 5.0: 5}
    """
    hs = tuple(sorted({float(h) for h in hours}))
    if not hs or not all(h > 0 and math.isfinite(h) for h in hs):
        raise ValidationError(f"hours must be positive and finite, got {list(hours)}")
    o_id = int(resolve_nodes(network, [origin], role="origin")[0])
    every = skim_graph(network, cost="time_h", modes=modes, sums=("length_km",)).node_ids
    plan = skim_plan(network, [o_id], every, cost="time_h", modes=modes, sums=("length_km",))
    values, sums, _ = skim_on(plan.graph, plan.origins, plan.destinations, method="dijkstra")
    values, sums = plan.finish(values, sums)
    t: FloatArray = values[0]
    length = sums[0, 0]
    definition, prof_id = FREE_FLOW, None
    if profile is not None:
        # each node's fastest route for the profile, timed as `route` times it
        # (border crossings, breaks and rests included)
        sk = profile_skim(network, [o_id], every, profile=profile, optimize="time")
        mats = sk.matrices()
        t, length = mats["time_h"][0], mats["length_km"][0]
        definition = sk.method.partition("time_h = ")[2] or definition
        prof_id = str(getattr(profile, "id", profile))
    nodes = network.nodes.set_index("node_id").loc[every].reset_index()
    frame = nodes[["node_id", "name", "kind", "country", "lon", "lat", "population"]].copy()
    frame["population"] = frame["population"].fillna(0).astype(np.float64)
    frame["time_h"] = t
    frame["length_km"] = length
    edges = np.searchsorted(np.asarray(hs), t)  # index of the first threshold >= t
    frame["band"] = [hs[i] if i < len(hs) else np.nan for i in edges]
    links = network.links
    from corridor.model.validate import plain_modes

    mode_set = plain_modes(modes)
    use = links["mode"].isin([m.value for m in mode_set]).to_numpy() & network.open_links()
    name = str(network.nodes.set_index("node_id").at[o_id, "name"])
    iso = Isochrone(
        origin=o_id,
        origin_name=name,
        hours=hs,
        nodes=frame,
        modes=tuple(m.value for m in mode_set),
        links=links.loc[use, ["a_node", "b_node", "mode"]].reset_index(drop=True),
        profile=prof_id,
        time_definition=definition,
    )
    log.info("%r", iso)
    return iso
