"""Numba kernels: arrays and scalars in, arrays out. Compiled lazily on first call.

Importing this package defers one cost numba would otherwise add to every fresh process:
at the first dispatch (even from the on-disk cache) numba loads its implementation
registries, and :mod:`numba.np.arraymath` probes for BLAS at import by importing
``scipy.linalg.cython_blas``, which imports all of :mod:`scipy.linalg` (about 0.2 s on
the project's 2-core machine). No kernel here calls BLAS (no ``np.dot``, ``@`` or
``np.linalg``), so :func:`_defer_blas_probe` imports ``arraymath`` with the probe
answered by whether scipy is installed (a spec lookup that imports nothing of
``scipy.linalg``). Numba's own ``ensure_blas`` is restored at once, so a BLAS call
compiled later still imports scipy's BLAS exactly as numba intends.
"""

from __future__ import annotations

import importlib.util
import sys

__all__: list[str] = []


def _defer_blas_probe() -> None:
    """Import ``numba.np.arraymath`` without its import-time ``scipy.linalg`` probe.

    A no-op if ``arraymath`` is already imported or numba's layout is not the one this
    was written against (numba 0.5x-0.6x: ``numba.np.linalg.ensure_blas``).
    """
    if "numba.np.arraymath" in sys.modules:
        return
    try:
        import numba.np.linalg as linalg
    except ImportError:  # pragma: no cover - numba is a hard dependency
        return
    real = getattr(linalg, "ensure_blas", None)
    if real is None:  # pragma: no cover - a numba without this hook
        return
    have_scipy = importlib.util.find_spec("scipy") is not None

    def _probe() -> None:
        if not have_scipy:
            raise ImportError("scipy 0.16+ is required for linear algebra")

    linalg.ensure_blas = _probe
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        linalg.ensure_blas = real


_defer_blas_probe()
