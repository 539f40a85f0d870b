"""Reading and writing networks and results."""

from corridor.io.files import read_network, write_network

__all__ = ["read_network", "write_network"]
