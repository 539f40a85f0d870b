"""Numba kernels: arrays and scalars in, arrays out. Compiled lazily on first call."""
