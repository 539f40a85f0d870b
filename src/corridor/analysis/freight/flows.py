"""The public freight answer: annual tonnes, TEU and vehicles by zone pair, commodity and mode.

:func:`freight_flows` builds the demand (:mod:`.demand`), prices every mode
(:mod:`.model`), splits each pair's tonnes by the nested logit (:mod:`.mode_choice`) with
the fitted parameters (``data/params.yaml``, or `params`) and returns a
:class:`FreightFlows`. Units: ``teu_year`` = tonnes / the commodity's tonnes per TEU
(containerised groups; 0 for bulk); ``vehicles_year`` counts what the network carries:
trucks on road (``TRUCK_T`` tonnes each), trains on rail (container trains of
``TEU_PER_TRAIN`` TEU, bulk trains of ``BULK_T_PER_TRAIN`` tonnes); NaN for sea (ships are
not network vehicles).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.analysis.freight.commodities import MODES, load_commodities
from corridor.analysis.freight.demand import demand_table, load_lanes
from corridor.analysis.freight.mode_choice import FreightParams, load_params
from corridor.analysis.freight.model import FreightModel, build_model
from corridor.analysis.freight.sea import load_sea_lanes
from corridor.analysis.freight.skims import LAND_PROFILES
from corridor.analysis.freight.zones import load_zones
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.scenario.resolve import resolve_scenario
from corridor.scenario.spec import Scenario

__all__ = [
    "BULK_T_PER_TRAIN",
    "TEU_PER_TRAIN",
    "TRUCK_T",
    "FreightFlows",
    "FreightInputs",
    "flows_from_model",
    "freight_flows",
    "freight_model",
]

log = logging.getLogger(__name__)

TRUCK_T = 20.0
"""Tonnes per truck: the truck40 profile's load (CAREC CPMM '20-ton cargo' normalisation)."""
TEU_PER_TRAIN = 2.07e6 / 19_000
"""TEU per container train: China-Europe Railway Express 2024, ~2.07 M TEU on ~19,000 trains
(China State Railway Group), about 109."""
BULK_T_PER_TRAIN = 4_000.0
"""Tonnes per bulk train [assumption: ~60 hopper or gondola wagons of ~68 t]."""

OD_COLUMNS = (
    "origin_zone",
    "destination_zone",
    "origin_node",
    "destination_node",
    "commodity",
    "mode",
    "tonnes_year",
    "teu_year",
    "vehicles_year",
)
"""Columns of the freight model's OD table (``FreightFlows.od``), the assignment's input."""


@dataclass(frozen=True, eq=False, repr=False)
class FreightFlows:
    """Annual freight flows by zone pair, commodity and mode.

    Attributes
    ----------
    od
        One row per zone pair, commodity and mode with tonnes > 0: the columns of
        ``OD_COLUMNS`` plus ``origin_group``, ``destination_group``, ``cost_usd_per_t``,
        ``time_h``, ``crossings`` (tuple of crossing node ids on the path, travel order;
        empty for sea), ``directions`` (the same crossings' directions, ``"RU->CN"``) and
        ``sea_ports``.
    crossings
        Crossing node id -> name and countries, for :attr:`by_crossing`.
    year
        The demand year.
    scenario
        The scenario's name ("" for the base network).
    params
        The mode-choice parameters used.
    """

    od: pd.DataFrame
    crossings: dict[int, tuple[str, str, str]]
    year: int
    scenario: str
    params: FreightParams

    def __repr__(self) -> str:
        t = self.od["tonnes_year"].sum()
        name = self.scenario or "base"
        return f"<FreightFlows {self.year} {name}: {len(self.od)} rows, {t / 1e6:,.1f} Mt/yr>"

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`od`."""
        return self.od.copy()

    @property
    def by_commodity_mode(self) -> pd.DataFrame:
        """Tonnes a year by commodity (rows) and mode (columns), with a ``total``."""
        table = self.od.pivot_table(
            index="commodity", columns="mode", values="tonnes_year", aggfunc="sum", fill_value=0.0
        )
        table = table.reindex(columns=[m for m in MODES if m in table.columns])
        table["total"] = table.sum(axis=1)
        return table

    @property
    def by_mode(self) -> pd.DataFrame:
        """Tonnes, TEU and vehicles a year by mode."""
        out = self.od.groupby("mode")[["tonnes_year", "teu_year", "vehicles_year"]].sum(min_count=1)
        return out.reindex([m for m in MODES if m in out.index])

    @property
    def by_crossing(self) -> pd.DataFrame:
        """Tonnes, TEU and vehicles a year through each border crossing, by direction and mode.

        Columns ``crossing_node``, ``crossing``, ``countries``, ``direction``
        (``"RU->CN"``), ``mode``, ``tonnes_year``, ``teu_year``, ``vehicles_year``, sorted
        by tonnes.
        """
        land = self.od[self.od["crossings"].map(len) > 0]
        ex = land.explode(["crossings", "directions"])
        if ex.empty:
            return pd.DataFrame(
                columns=[
                    "crossing_node",
                    "crossing",
                    "countries",
                    "direction",
                    "mode",
                    "tonnes_year",
                    "teu_year",
                    "vehicles_year",
                ]
            )
        g = (
            ex.groupby(["crossings", "directions", "mode"])[
                ["tonnes_year", "teu_year", "vehicles_year"]
            ]
            .sum()
            .reset_index()
            .rename(columns={"crossings": "crossing_node", "directions": "direction"})
        )
        g["crossing_node"] = g["crossing_node"].astype(np.int64)
        g.insert(1, "crossing", [self.crossings[int(c)][0] for c in g["crossing_node"]])
        g.insert(
            2,
            "countries",
            [
                f"{self.crossings[int(c)][1]}-{self.crossings[int(c)][2]}"
                for c in g["crossing_node"]
            ],
        )
        return g.sort_values("tonnes_year", ascending=False, kind="stable").reset_index(drop=True)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary: totals by mode, commodity x mode and crossing."""
        bcm = self.by_commodity_mode
        return {
            "year": self.year,
            "scenario": self.scenario,
            "tonnes_year": float(self.od["tonnes_year"].sum()),
            "by_mode": {
                m: {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
                for m, row in self.by_mode.iterrows()
            },
            "by_commodity_mode": {
                str(c): {str(m): float(v) for m, v in row.items()} for c, row in bcm.iterrows()
            },
            "by_crossing": [
                {
                    "crossing": str(r["crossing"]),
                    "countries": str(r["countries"]),
                    "direction": str(r["direction"]),
                    "mode": str(r["mode"]),
                    "tonnes_year": float(r["tonnes_year"]),
                    "teu_year": float(r["teu_year"]),
                    "vehicles_year": float(r["vehicles_year"]),
                }
                for r in self.by_crossing.to_dict(orient="records")
            ],
            "params": {"beta": self.params.beta, "asc": self.params.asc, "year": self.params.year},
        }


def _directions(
    origin_country: str, crossings: tuple[int, ...], info: dict[int, tuple[str, str, str]]
) -> tuple[str, ...]:
    """``"A->B"`` for each crossing of a path, walking from the origin's country."""
    here = origin_country
    out = []
    for c in crossings:
        _, a, b = info[c]
        src, dst = (b, a) if here == b else (a, b)
        out.append(f"{src}->{dst}")
        here = dst
    return tuple(out)


def flows_from_model(
    model: FreightModel, params: FreightParams, *, year: int, scenario: str = ""
) -> FreightFlows:
    """Split the model's demand by mode under `params` into a :class:`FreightFlows`."""
    tonnes = model.tonnes(params)
    r, m = np.nonzero(tonnes > 0)
    d = model.demand.iloc[r].reset_index(drop=True)
    modes = np.asarray(MODES, dtype=object)[m]
    t = tonnes[r, m]
    per_teu = d["commodity"].map({c: x.tonnes_per_teu for c, x in model.commodities.items()})
    container = d["commodity"].map(
        {c: x.handling == "container" for c, x in model.commodities.items()}
    )
    teu = np.where(container.to_numpy(bool), t / per_teu.to_numpy(np.float64), 0.0)
    vehicles = np.select(
        [modes == "road", modes == "rail_container", modes == "rail_wagon"],
        [t / TRUCK_T, teu / TEU_PER_TRAIN, t / BULK_T_PER_TRAIN],
        default=np.nan,
    )
    # container goods on wagons (vehicles & machinery) count in bulk trains
    od = pd.DataFrame(
        {
            "origin_zone": d["origin_zone"],
            "destination_zone": d["destination_zone"],
            "origin_node": d["origin_node"].astype(np.int64),
            "destination_node": d["destination_node"].astype(np.int64),
            "commodity": d["commodity"],
            "mode": modes,
            "tonnes_year": t,
            "teu_year": teu,
            "vehicles_year": vehicles,
            "origin_group": d["origin_group"],
            "destination_group": d["destination_group"],
            "profile": [LAND_PROFILES.get(str(x), "") for x in modes],
            "cost_usd_per_t": model.money_usd_per_t[r, m],
            "time_h": model.time_h[r, m],
            "crossings": [model.paths[i][j] for i, j in zip(r.tolist(), m.tolist(), strict=True)],
            "sea_ports": [
                model.sea_ports[i] if MODES[j] == "sea" else ""
                for i, j in zip(r.tolist(), m.tolist(), strict=True)
            ],
        }
    )
    info = {k: (v.name, v.country_a, v.country_b) for k, v in model.crossings.items()}
    origin_country = (
        d["origin_country"].astype(str).tolist() if "origin_country" in d else [""] * len(d)
    )
    od["directions"] = [
        _directions(oc, cs, info) for oc, cs in zip(origin_country, od["crossings"], strict=True)
    ]
    return FreightFlows(od=od, crossings=info, year=year, scenario=scenario, params=params)


@dataclass(frozen=True, slots=True, kw_only=True)
class FreightInputs:
    """The model's input files; None for each bundled one (``analysis/freight/data``).

    Attributes
    ----------
    demand, zones, commodities, sea_lanes
        YAML files in the bundled files' formats (see their headers and DATA.md).
    """

    demand: str | Path | None = None
    zones: str | Path | None = None
    commodities: str | Path | None = None
    sea_lanes: str | Path | None = None


def freight_model(
    network: Network,
    scenario: str | Path | Scenario | None = None,
    year: int = 2024,
    params: FreightParams | None = None,
    *,
    inputs: FreightInputs | None = None,
) -> tuple[FreightModel, FreightParams, str]:
    """The priced model behind :func:`freight_flows` (for calibration and reuse).

    Returns
    -------
    tuple
        The model, the parameters and the scenario's name.
    """
    sc = None if scenario is None else resolve_scenario(scenario)
    net = network if sc is None else sc.apply(network)
    factor = 1.0 if sc is None else sc.demand_factor
    prm = params if params is not None else load_params()
    files = inputs or FreightInputs()
    commodities = load_commodities(files.commodities)
    zones = load_zones(files.zones)
    lanes = load_lanes(year, files.demand)
    demand = demand_table(lanes, zones, commodities, factor=factor)
    sea = load_sea_lanes(files.sea_lanes, year=year)
    model = build_model(net, demand, zones, commodities, sea, prm)
    return model, prm, "" if sc is None else sc.name


def freight_flows(
    network: Network,
    scenario: str | Path | Scenario | None = None,
    year: int = 2024,
    params: FreightParams | None = None,
    *,
    inputs: FreightInputs | None = None,
) -> FreightFlows:
    """Annual freight flows by zone pair, commodity and mode.

    Parameters
    ----------
    network
        The base network (e.g. :func:`corridor.eurasia`).
    scenario
        A bundled scenario name, a scenario YAML, a :class:`corridor.Scenario`, or None.
        Its edits are applied to `network` and its ``scale_demand`` multiplies the demand.
    year
        The demand year (``data/demand.yaml`` has 2024).
    params
        Mode-choice parameters; default the fitted ``data/params.yaml``.
    inputs
        Replacement input files (demand, zones, commodities, sea lanes).

    Returns
    -------
    FreightFlows

    Raises
    ------
    ValidationError
        For an unknown scenario or year, or invalid data (naming file, row and field).
    DataSourceError
        If an input file cannot be read or is not YAML.
    UnknownNodeError
        If a zone's city is not in the network.

    Notes
    -----
    Tonnes by commodity and zone pair are conserved by the mode split wherever a mode is
    available; a pair no mode can join is dropped and logged. Three one-to-many searches
    per place (one per land profile), then one vectorised nested logit.
    """
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValidationError(f"year must be an integer, got {year!r}")
    model, prm, name = freight_model(network, scenario, year, params, inputs=inputs)
    flows = flows_from_model(model, prm, year=year, scenario=name)
    lost = model.demand["tonnes_year"].sum() - flows.od["tonnes_year"].sum()
    if lost > 1e-6 * max(1.0, model.demand["tonnes_year"].sum()):
        log.warning("freight: %.0f t/yr between zones no mode can join are left out", lost)
    return flows
