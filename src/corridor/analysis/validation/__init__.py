"""The model against published figures: the shipped table and its evaluation.

:func:`load_published` reads the table (``published.yaml`` beside this package);
:func:`validate_published` answers every figure's query on a network and classifies it
as pass, miss, known discrepancy, or known discrepancy that now passes.
"""

from corridor.analysis.validation.evaluate import (
    FigureCheck,
    Observation,
    Status,
    Validation,
    observe,
    validate_published,
)
from corridor.analysis.validation.table import (
    Band,
    FigureQuery,
    Metric,
    PublishedFigure,
    load_published,
    parse_published,
)

__all__ = [
    "Band",
    "FigureCheck",
    "FigureQuery",
    "Metric",
    "Observation",
    "PublishedFigure",
    "Status",
    "Validation",
    "load_published",
    "observe",
    "parse_published",
    "validate_published",
]
