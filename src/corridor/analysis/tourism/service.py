"""Level of service between tourism zones: per mode, the least-generalised-cost path of
each zone pair by the mode's profile (air, train, bus, car) and the crossings it passes.

One :func:`~corridor.analysis.pairs.pair_paths` per mode (one Dijkstra per zone on the
profile's cost graph), so a pair's cost is the one :func:`corridor.route` reports with that
profile: fares, tolls, fuel, value of time, waits for flights, border formalities.
A car's cost is shared by its travellers (the profile's load).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from corridor._typing import FloatArray, IntArray
from corridor.analysis.pairs import pair_paths
from corridor.analysis.tourism.config import TourismParams
from corridor.costs import load_profile
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.paths.router import router_for

__all__ = ["LevelOfService", "level_of_service"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class LevelOfService:
    """Costs between zones by mode.

    Attributes
    ----------
    zones, countries
        Zone place names and their countries, in the params' order.
    node_ids
        The network nodes the zones are mapped to.
    population
        The nodes' population (GeoNames, as in the network), persons.
    lon, lat
        The nodes' coordinates, degrees (for maps).
    modes
        Mode names, the first axis of the arrays.
    cost_usd
        One-way generalised cost per traveller (money + value of time), ``(mode, o, d)``;
        ``inf`` where the mode cannot make the trip.
    time_h
        Door-to-door time, same shape.
    crossings
        ``crossings[m][o][d]``: land border crossings (and passport controls) passed.
    network
        Name of the network.
    date
        The network's date (``None`` for every period at once).
    """

    zones: tuple[str, ...]
    countries: tuple[str, ...]
    node_ids: IntArray
    population: FloatArray
    lon: FloatArray
    lat: FloatArray
    modes: tuple[str, ...]
    cost_usd: FloatArray
    time_h: FloatArray
    crossings: tuple[tuple[tuple[tuple[str, ...], ...], ...], ...]
    network: str
    date: str | None

    def __repr__(self) -> str:
        return (
            f"<LevelOfService {len(self.zones)} zones x {len(self.modes)} modes "
            f"on {self.network!r}>"
        )


def level_of_service(network: Network, params: TourismParams) -> LevelOfService:
    """Price every zone pair by every mode of `params` on `network`.

    Parameters
    ----------
    network
        The network (e.g. a scenario applied to the embedded one).
    params
        Zones and modes (their profiles).

    Returns
    -------
    LevelOfService

    Raises
    ------
    ValidationError
        If a zone's place is not in the network (naming the zone and the params file).
    """
    router = router_for(network)
    ids: list[int] = []
    missing: list[str] = []
    for zone in params.zones:
        try:
            ids.append(int(router.resolve(zone.place, "place")))
        except LookupError:
            missing.append(zone.place)
    if missing:
        raise ValidationError(
            f"{params.source}: zones {missing[:5]} are not places of network "
            f"{network.name!r}; map each zone to a network place (corridor info lists them)"
        )
    node_ids = np.asarray(ids, dtype=np.int64)
    nodes = network.nodes.set_index("node_id")
    population = nodes.loc[node_ids, "population"].to_numpy(dtype=np.float64)
    population = np.where(np.isfinite(population) & (population > 0), population, 1.0)
    n = len(ids)
    cost = np.full((len(params.modes), n, n), np.inf)
    time_h = np.full_like(cost, np.inf)
    crossings: list[tuple[tuple[tuple[str, ...], ...], ...]] = []
    for k, spec in enumerate(params.modes):
        travellers = float(load_profile(spec.profile).load.amount)
        paths = pair_paths(network, spec.profile, node_ids, "generalized")
        cost[k] = paths.metrics["generalized_usd"] / travellers
        time_h[k] = paths.metrics["time_h"]
        crossings.append(tuple(tuple(tuple(c) for c in row) for row in paths.crossings))
    eye = np.eye(n, dtype=bool)
    cost[:, eye] = np.inf  # no visits within a zone
    log.info(
        "tourism level of service: %d zones x %d modes on %s", n, len(params.modes), network.name
    )
    return LevelOfService(
        zones=tuple(z.place for z in params.zones),
        countries=tuple(z.country for z in params.zones),
        node_ids=node_ids,
        population=population,
        lon=nodes.loc[node_ids, "lon"].to_numpy(dtype=np.float64),
        lat=nodes.loc[node_ids, "lat"].to_numpy(dtype=np.float64),
        modes=tuple(m.mode for m in params.modes),
        cost_usd=cost,
        time_h=time_h,
        crossings=tuple(crossings),
        network=network.name,
        date=None if network.date is None else str(network.date.date()),
    )
