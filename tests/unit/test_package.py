"""Package hygiene: import is cheap (no I/O, no JIT) and __all__ matches the namespace."""

from __future__ import annotations

import subprocess
import sys
import types

import corridor


def test_import_compiles_nothing_and_is_quick() -> None:
    code = (
        "import time, sys; t = time.perf_counter(); import corridor; "
        "dt = time.perf_counter() - t; "
        "mods = [m for m in sys.modules if m.startswith('corridor.kernels')]; "
        "compiled = [n for m in mods for n, f in vars(sys.modules[m]).items() "
        "            if hasattr(f, 'signatures') and f.signatures]; "
        "print(dt, len(compiled))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, compiled = out.stdout.split()
    assert int(compiled) == 0
    assert float(seconds) < 3.0  # generous for a loaded 2-core CI machine; ~0.4 s when idle


def test_all_matches_public_namespace() -> None:
    public = {
        name
        for name, value in vars(corridor).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= set(corridor.__all__)
    for name in corridor.__all__:
        assert hasattr(corridor, name), name
