"""Dask backend for skims, assignment and scenario sweeps."""
