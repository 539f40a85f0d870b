"""The network model: tables, schema and place lookup (no I/O)."""

from corridor.model.gazetteer import Gazetteer
from corridor.model.lookup import PlaceIndex, name_key
from corridor.model.network import Network
from corridor.model.resolution import Candidate, Match, Resolution
from corridor.model.schema import Direction, Mode, NodeKind

__all__ = [
    "Candidate",
    "Direction",
    "Gazetteer",
    "Match",
    "Mode",
    "Network",
    "NodeKind",
    "PlaceIndex",
    "Resolution",
    "name_key",
]
