"""One call to calibrate the freight model on a network: :func:`calibrate_freight`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pandas as pd

from corridor.analysis.freight.calibrate import (
    DEFAULT_FREE,
    FreightCalibration,
    calibrate,
    fit_table,
    write_params,
)
from corridor.analysis.freight.flows import freight_model
from corridor.analysis.freight.mode_choice import FreightParams
from corridor.analysis.freight.targets import load_targets
from corridor.model.network import Network

__all__ = ["bundled_params_path", "calibrate_freight"]


def bundled_params_path() -> Path:
    """The shipped ``params.yaml`` (what ``corridor freight calibrate --save`` rewrites)."""
    return Path(str(resources.files("corridor.analysis.freight") / "data" / "params.yaml"))


def calibrate_freight(
    network: Network,
    *,
    params: FreightParams | None = None,
    free: Sequence[str] = DEFAULT_FREE,
    targets: str | Path | None = None,
    save_to: str | Path | bool | None = None,
) -> FreightCalibration:
    """Fit the mode-choice parameters to the observed targets of their year.

    Parameters
    ----------
    network
        The base network (e.g. :func:`corridor.eurasia`).
    params
        Starting values and fixed parameters; default the shipped ``params.yaml``.
    free
        The parameters to fit (:data:`~.calibrate.DEFAULT_FREE`).
    targets
        A targets YAML; default the bundled ``targets.yaml``.
    save_to
        Write the fitted parameters here (atomically); True for the shipped ``params.yaml``
        (:func:`bundled_params_path`), which :func:`freight_flows` then uses.

    Returns
    -------
    FreightCalibration
        Fitted parameters and the fit per target (fitted and out-of-sample rows).

    Raises
    ------
    ValidationError
        For invalid targets or parameters.
    """
    tg, year = load_targets(targets)
    model, prm, _ = freight_model(network, None, year, params)
    this_year = [t for t in tg if t.year == year]
    cal = calibrate(model, prm, this_year, free=free)
    others = sorted({t.year for t in tg} - {year})
    frames = [cal.table]
    for other in others:  # out-of-sample years: that year's demand, the fitted parameters
        m, _, _ = freight_model(network, None, other, cal.params)
        frames.append(fit_table(m, cal.params, [t for t in tg if t.year == other]))
    if others:
        cal = replace(cal, table=pd.concat(frames, ignore_index=True))
    if save_to is not None and save_to is not False:
        path = bundled_params_path() if save_to is True else Path(save_to)
        written = write_params(cal, path, year=year)
        cal = replace(cal, saved_to=str(written))
    return cal
