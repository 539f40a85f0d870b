"""Dask backend: skims and all-or-nothing loading by blocks of origins, and scenario sweeps.

dask.distributed is imported only when a client is made, so importing this package is cheap.
"""

from corridor.distributed.aon import DaskAon, dask_aon
from corridor.distributed.skim import connect, skim_blocks, skim_distributed
from corridor.distributed.sweep import sweep

__all__ = ["DaskAon", "connect", "dask_aon", "skim_blocks", "skim_distributed", "sweep"]
