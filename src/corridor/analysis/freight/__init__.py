"""Freight demand by commodity, mode choice and calibration (issue 16, demand side).

Public entry points: :func:`freight_flows` (annual tonnes, TEU and vehicles by zone pair,
commodity and mode: the contract the assignment modules consume) and
:func:`calibrate_freight`. Data with sources: ``data/*.yaml`` and DATA.md.
"""

from corridor.analysis.freight.calibrate import FreightCalibration
from corridor.analysis.freight.fit import calibrate_freight
from corridor.analysis.freight.flows import FreightFlows, FreightInputs, freight_flows
from corridor.analysis.freight.mode_choice import FreightParams, load_params

__all__ = [
    "FreightCalibration",
    "FreightFlows",
    "FreightInputs",
    "FreightParams",
    "calibrate_freight",
    "freight_flows",
    "load_params",
]
