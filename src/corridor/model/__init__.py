"""The network model: tables, schema and place lookup (no I/O)."""

from corridor.model.lookup import PlaceIndex, name_key
from corridor.model.network import Network
from corridor.model.schema import Direction, Mode, NodeKind

__all__ = ["Direction", "Mode", "Network", "NodeKind", "PlaceIndex", "name_key"]
