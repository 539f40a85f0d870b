"""Observed figures the freight model is calibrated to, or checked against, as linear sums.

Each row of ``data/targets.yaml`` says what the model must sum (``kind``) and over which
flows; :func:`target_weights` turns it into a weight per demand row and mode, so that the
model's value of the target is ``sum(W * tonnes)`` for any parameters (what makes
calibration a cheap loop). Kinds:

``rail_teu``
    TEU by container train between the ``origin`` group and the ``destination`` groups,
    both directions.
``rail_tonnes``
    Tonnes by rail (container and wagon) from ``origin`` to the ``destination`` groups,
    optionally of one ``commodity``, and only on paths through a crossing between the two
    ``via`` countries when given.
``crossing``
    Tonnes by rail from ``origin`` to ``destination`` through the named crossing.
``transit``
    Tonnes by land from ``origin`` to any group other than ``through`` on paths that enter
    the country ``through``.

``teu_share``
    The share of ``modes`` in the TEU of containerised goods from ``origin`` to the
    ``destination`` groups (a ratio: :func:`target_base` gives its denominator).
``tonnes_share``
    The share of ``modes`` in the tonnes of all goods from ``origin`` to the
    ``destination`` groups (a ratio, as ``teu_share``).

Any target may name ``modes`` (a subset of :data:`MODES`) to count only those modes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corridor._typing import FloatArray
from corridor.analysis.freight.commodities import MODES
from corridor.analysis.freight.files import read_yaml, require
from corridor.analysis.freight.model import FreightModel
from corridor.errors import ValidationError

__all__ = [
    "KINDS",
    "SHARES",
    "Target",
    "load_targets",
    "target_base",
    "target_value",
    "target_weights",
]

KINDS = ("rail_teu", "rail_tonnes", "crossing", "transit", "teu_share", "tonnes_share")
SHARES = ("teu_share", "tonnes_share")


@dataclass(frozen=True, slots=True)
class Target:
    """One observed figure (see the module docstring)."""

    id: str
    role: str  # "fit" or "check"
    kind: str
    value: float
    tolerance: float
    source: str
    origin: str
    destination: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    commodity: str = ""
    crossing: str = ""
    through: str = ""
    year: int = 0
    modes: tuple[str, ...] = ()


def load_targets(path: str | Path | None = None) -> tuple[tuple[Target, ...], int]:
    """The targets and their year from `path`, or the bundled ``data/targets.yaml``.

    Raises
    ------
    DataSourceError
        If the file cannot be read or parsed.
    ValidationError
        Naming the file, the target and the field at fault.
    """
    data, label = read_yaml(path, "targets.yaml")
    year = int(require(data, "year", label, int))
    rows = data.get("targets")
    if not isinstance(rows, list) or not rows:
        raise ValidationError(f"{label}: needs a non-empty list 'targets'")
    out: list[Target] = []
    for i, row in enumerate(rows, start=1):
        where = f"{label}: target {i}"
        if not isinstance(row, dict):
            raise ValidationError(f"{where}: must be a mapping")
        tid = str(require(row, "id", where, str))
        where = f"{where} ({tid})"
        kind = str(require(row, "kind", where, str))
        if kind not in KINDS:
            raise ValidationError(f"{where}: kind must be one of {list(KINDS)}, got {kind!r}")
        role = str(require(row, "role", where, str))
        if role not in ("fit", "check"):
            raise ValidationError(f"{where}: role must be 'fit' or 'check', got {role!r}")
        value = float(require(row, "value", where, (int, float)))
        tol = float(require(row, "tolerance", where, (int, float)))
        modes = tuple(str(m) for m in row.get("modes", []))
        if set(modes) - set(MODES):
            raise ValidationError(f"{where}: unknown modes {sorted(set(modes) - set(MODES))}")
        if kind in SHARES and not (0 < value < 1 and modes):
            raise ValidationError(f"{where}: a {kind} needs modes and a value in (0, 1)")
        if not (value > 0 and 0 < tol < 1):
            raise ValidationError(f"{where}: value must be > 0 and tolerance in (0, 1)")
        if role == "fit" and int(row.get("year", year)) != year:
            raise ValidationError(f"{where}: a fit target must be of the fit year {year}")
        dest = row.get("destination", [])
        out.append(
            Target(
                id=tid,
                role=role,
                kind=kind,
                value=value,
                tolerance=tol,
                source=str(require(row, "source", where, str)),
                origin=str(require(row, "origin", where, str)),
                destination=tuple(str(d) for d in (dest if isinstance(dest, list) else [dest])),
                via=tuple(str(v) for v in row.get("via", [])),
                commodity=str(row.get("commodity", "")),
                crossing=str(row.get("crossing", "")),
                through=str(row.get("through", "")),
                year=int(row.get("year", year)),
                modes=modes,
            )
        )
    return tuple(out), year


def target_weights(model: FreightModel, target: Target) -> FloatArray:
    """Weights ``(rows, modes)``: the target's model value is ``sum(W * tonnes)``.

    Raises
    ------
    ValidationError
        If a ``crossing`` target names a crossing the network does not have.
    """
    w = _weights(model, target)
    if target.modes:
        w[:, [m not in target.modes for m in MODES]] = 0.0
    return w


def target_base(model: FreightModel, target: Target) -> FloatArray | None:
    """The denominator weights of a ratio target (a share), None for the others."""
    if target.kind not in SHARES:
        return None
    return _teu_weights(
        model, target, both_ways=False, modes=MODES, tonnes=target.kind == "tonnes_share"
    )


def _teu_weights(
    model: FreightModel,
    target: Target,
    *,
    both_ways: bool,
    modes: tuple[str, ...],
    tonnes: bool = False,
) -> FloatArray:
    d = model.demand
    og = d["origin_group"].to_numpy()
    dg = d["destination_group"].to_numpy()
    per_teu = d["commodity"].map({c: x.tonnes_per_teu for c, x in model.commodities.items()})
    teu = np.where(np.isfinite(per_teu.to_numpy(float)), 1.0 / per_teu.to_numpy(float), 0.0)
    if tonnes:
        teu = np.ones(len(d))
    rows = (og == target.origin) & np.isin(dg, target.destination)
    if both_ways:
        rows |= np.isin(og, target.destination) & (dg == target.origin)
    w = np.zeros((len(d), len(MODES)))
    for m in modes:
        w[rows, MODES.index(m)] = teu[rows]
    return w


def _weights(model: FreightModel, target: Target) -> FloatArray:
    d = model.demand
    og = d["origin_group"].to_numpy()
    dg = d["destination_group"].to_numpy()
    w = np.zeros((len(d), len(MODES)))
    rail = np.array([m.startswith("rail") for m in MODES])
    if target.kind in SHARES:
        return _teu_weights(
            model, target, both_ways=False, modes=MODES, tonnes=target.kind == "tonnes_share"
        )
    if target.kind == "rail_teu":
        per_teu = d["commodity"].map({c: x.tonnes_per_teu for c, x in model.commodities.items()})
        teu = np.where(np.isfinite(per_teu.to_numpy(float)), 1.0 / per_teu.to_numpy(float), 0.0)
        rows = ((og == target.origin) & np.isin(dg, target.destination)) | (
            np.isin(og, target.destination) & (dg == target.origin)
        )
        w[rows, MODES.index("rail_container")] = teu[rows]
        return w
    rows = (og == target.origin) & (
        np.isin(dg, target.destination) if target.destination else dg != target.through
    )
    if target.commodity:
        rows &= d["commodity"].to_numpy() == target.commodity
    if target.kind == "crossing":
        ids = [k for k, v in model.crossings.items() if v.name == target.crossing]
        if not ids:
            raise ValidationError(
                f"target {target.id}: no crossing named {target.crossing!r} in the network"
            )
        wanted = set(ids)
        for r in np.nonzero(rows)[0]:
            for k in np.nonzero(rail)[0]:
                if wanted & set(model.paths[r][k]):
                    w[r, k] = 1.0
        return w
    if target.kind == "transit":
        land = np.array([m != "sea" for m in MODES])
        for r in np.nonzero(rows & (og != target.through))[0]:
            for k in np.nonzero(land)[0]:
                if any(
                    target.through in (model.crossings[c].country_a, model.crossings[c].country_b)
                    for c in model.paths[r][k]
                ):
                    w[r, k] = 1.0
        return w
    # rail_tonnes
    if not target.via:
        w[np.ix_(rows, rail)] = 1.0
        return w
    pair = set(target.via)
    for r in np.nonzero(rows)[0]:
        for k in np.nonzero(rail)[0]:
            if any(
                {model.crossings[c].country_a, model.crossings[c].country_b} == pair
                for c in model.paths[r][k]
            ):
                w[r, k] = 1.0
    return w


def target_value(weights: FloatArray, tonnes: FloatArray, base: FloatArray | None = None) -> float:
    """``sum(weights * tonnes)``, divided by ``sum(base * tonnes)`` for a ratio target."""
    value = float(np.sum(weights * tonnes))
    if base is None:
        return value
    total = float(np.sum(base * tonnes))
    return value / total if total > 0 else 0.0
