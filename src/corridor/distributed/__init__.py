"""Dask backend: skims by blocks of origins and scenario sweeps on a dask.distributed cluster.

dask.distributed is imported only when a client is made, so importing this package is cheap.
"""

from corridor.distributed.skim import connect, skim_blocks, skim_distributed
from corridor.distributed.sweep import sweep

__all__ = ["connect", "skim_blocks", "skim_distributed", "sweep"]
