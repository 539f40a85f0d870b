"""Visitor (tourism) demand between China, Russia, Mongolia and Kazakhstan.

A calibrated generation / destination / nested mode-choice model (:mod:`.model`) on the
least-generalised-cost paths of the air, train, bus and car profiles (:mod:`.service`),
with visa regimes as border resistance; calibrated to published statistics
(:mod:`.calibrate`), with parameter draws for P10/P50/P90 (:mod:`.draws`).
Parameters and their sources: ``params.yaml``; calibrated values: ``fitted.yaml``.
"""

from corridor.analysis.tourism.api import (
    TourismResult,
    compare_tourism,
    tourism,
    tourism_uncertainty,
)
from corridor.analysis.tourism.calibration import Calibration, calibrate
from corridor.analysis.tourism.config import (
    Fitted,
    TourismParams,
    load_fitted,
    load_params,
    parse_fitted,
    parse_params,
)
from corridor.analysis.tourism.draws import TourismDraws, tourism_draws
from corridor.analysis.tourism.fitted_io import write_fitted

__all__ = [
    "Calibration",
    "Fitted",
    "TourismDraws",
    "TourismParams",
    "TourismResult",
    "calibrate",
    "compare_tourism",
    "load_fitted",
    "load_params",
    "parse_fitted",
    "parse_params",
    "tourism",
    "tourism_draws",
    "tourism_uncertainty",
    "write_fitted",
]
