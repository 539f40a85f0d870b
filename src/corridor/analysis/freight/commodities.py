"""Commodity groups of the freight model: value, value of time, reliability, handling.

The bundled ``data/commodities.yaml`` gives each group with its sources. A group is
either containerised (``handling: container``: counted in TEU, moved in containers by
truck, container train or ship) or bulk (``handling: bulk``: wagons, trucks and bulk
ships). The value of time per tonne-hour is ``value_usd_per_t x vot_pct_per_day / 100 / 24``
(Hummels and Schaur 2013 express it as a share of the cargo value per day).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corridor.analysis.freight.files import read_yaml, require
from corridor.errors import ValidationError

__all__ = ["MODES", "Commodity", "load_commodities"]

MODES: tuple[str, ...] = ("road", "rail_container", "rail_wagon", "sea")
"""The freight modes, in the order of every utility and share array."""


@dataclass(frozen=True, slots=True)
class Commodity:
    """One commodity group.

    Attributes
    ----------
    id, name
        Identity.
    handling
        ``"container"`` or ``"bulk"``.
    value_usd_per_t
        Cargo value, US$ per tonne.
    vot_pct_per_day
        Value of time, % of the cargo value per day.
    reliability_ratio
        Value of an hour of standard deviation over the value of an hour of mean time.
    tonnes_per_teu
        Tonnes of cargo per loaded TEU (containerised groups; NaN for bulk).
    modes
        The modes it may use (a subset of :data:`MODES`).
    source
        Where the figures come from.
    """

    id: str
    name: str
    handling: str
    value_usd_per_t: float
    vot_pct_per_day: float
    reliability_ratio: float
    tonnes_per_teu: float
    modes: tuple[str, ...]
    source: str

    @property
    def vot_usd_per_t_h(self) -> float:
        """Value of time, US$ per tonne-hour."""
        return self.value_usd_per_t * self.vot_pct_per_day / 100.0 / 24.0


def load_commodities(path: str | Path | None = None) -> tuple[Commodity, ...]:
    """The commodity groups from `path`, or the bundled file.

    Parameters
    ----------
    path
        A commodities YAML; None for ``data/commodities.yaml``.

    Returns
    -------
    tuple of Commodity

    Raises
    ------
    DataSourceError
        If the file cannot be read or parsed.
    ValidationError
        Naming the file, the row and the field that is missing or out of range.
    """
    data, label = read_yaml(path, "commodities.yaml")
    rows = data.get("commodities")
    if not isinstance(rows, list) or not rows:
        raise ValidationError(f"{label}: needs a non-empty list 'commodities'")
    out: list[Commodity] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        where = f"{label}: commodity {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where}: must be a mapping, got {row!r}")
        cid = str(require(row, "id", where, str))
        where = f"{label}: commodity {i} ({cid})"
        if cid in seen:
            raise ValidationError(f"{where}: id given twice; ids must be unique")
        seen.add(cid)
        handling = str(require(row, "handling", where, str))
        if handling not in ("container", "bulk"):
            raise ValidationError(
                f"{where}: handling must be 'container' or 'bulk', got {handling!r}"
            )
        numbers = {}
        for key in ("value_usd_per_t", "vot_pct_per_day", "reliability_ratio"):
            value = float(require(row, key, where, (int, float)))
            if not value >= 0 or (key != "reliability_ratio" and value <= 0):
                raise ValidationError(f"{where}: {key} must be positive, got {value!r}")
            numbers[key] = value
        teu = float("nan")
        if handling == "container":
            teu = float(require(row, "tonnes_per_teu", where, (int, float)))
            if not teu > 0:
                raise ValidationError(f"{where}: tonnes_per_teu must be positive, got {teu!r}")
        modes = require(row, "modes", where, list)
        bad = [m for m in modes if m not in MODES]
        if bad or not modes:
            raise ValidationError(
                f"{where}: unknown or no modes {bad or modes!r}; choose from {list(MODES)}"
            )
        source = str(require(row, "source", where, str))
        out.append(
            Commodity(
                id=cid,
                name=str(row.get("name", cid)),
                handling=handling,
                value_usd_per_t=numbers["value_usd_per_t"],
                vot_pct_per_day=numbers["vot_pct_per_day"],
                reliability_ratio=numbers["reliability_ratio"],
                tonnes_per_teu=teu,
                modes=tuple(modes),
                source=source,
            )
        )
    return tuple(out)
