"""Package hygiene: import is cheap (no JIT, no web, plot or cluster stack); __all__ is complete."""

from __future__ import annotations

import json
import subprocess
import sys
import types

import corridor

_IMPORT_PROBE = """
import json, pathlib, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
import corridor
package = pathlib.Path(corridor.__file__).parent
ours = [p for p in opened if p.startswith(str(package)) and not p.endswith((".py", ".pyc"))]
data = [p for p in opened if p.endswith((".parquet", ".gpkg", ".yaml", ".csv", ".omx", ".pbf"))]
kernels = [m for m in sys.modules if m.startswith("corridor.kernels")]
compiled = [n for m in kernels for n, f in vars(sys.modules[m]).items()
            if hasattr(f, "signatures") and f.signatures]
heavy = [m for m in ("fastapi", "matplotlib", "dask") if m in sys.modules]
print(json.dumps({"ours": ours, "data": data, "compiled": compiled, "heavy": heavy}))
"""


def test_import_does_no_io_and_no_jit() -> None:
    """``import corridor`` stays cheap: proven by what it does, not by a timer.

    It opens no data file (the embedded network loads on first use), compiles no numba
    kernel (they compile on first call and are cached on disk) and does not pull in the web,
    plotting or cluster stacks.
    """
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True
    )
    probe = json.loads(out.stdout)
    assert probe == {"ours": [], "data": [], "compiled": [], "heavy": []}


def test_all_matches_public_namespace() -> None:
    public = {
        name
        for name, value in vars(corridor).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= set(corridor.__all__)
    for name in corridor.__all__:
        assert hasattr(corridor, name), name
