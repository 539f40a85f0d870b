"""Package hygiene: import is cheap (no JIT, no web, plot or cluster stack); __all__ is complete."""

from __future__ import annotations

import subprocess
import sys
import types

import corridor


def test_import_compiles_nothing_and_is_quick() -> None:
    code = (
        "import sys; import corridor; "
        "mods = [m for m in sys.modules if m.startswith('corridor.kernels')]; "
        "compiled = [n for m in mods for n, f in vars(sys.modules[m]).items() "
        "            if hasattr(f, 'signatures') and f.signatures]; "
        "heavy = [m for m in ('fastapi', 'matplotlib', 'dask') if m in sys.modules]; "
        "print(len(compiled), ','.join(heavy) or '-')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    compiled, heavy = out.stdout.split()
    assert int(compiled) == 0
    assert heavy == "-"  # the web, plotting and cluster stacks load only when used


def test_all_matches_public_namespace() -> None:
    public = {
        name
        for name, value in vars(corridor).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= set(corridor.__all__)
    for name in corridor.__all__:
        assert hasattr(corridor, name), name
