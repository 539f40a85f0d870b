"""The lazy public namespace: ``import corridor`` loads nothing heavy, names resolve.

``corridor/__init__.py`` names every public object three times: in its
``TYPE_CHECKING`` imports (for type checkers), in ``_EXPORTS`` (what ``__getattr__``
imports on first use) and in ``__all__``. These tests keep the three in step, so a
merge that adds an eager import or forgets a name fails here.
"""

from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys

import corridor

INIT = pathlib.Path(corridor.__file__)


def _type_checking_imports() -> dict[str, tuple[str, str]]:
    tree = ast.parse(INIT.read_text())
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
    )
    out: dict[str, tuple[str, str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            out[alias.asname or alias.name] = (str(node.module), alias.name)
    return out


def test_no_eager_imports_outside_type_checking() -> None:
    tree = ast.parse(INIT.read_text())
    eager = [
        ast.unparse(n)
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
        and not ast.unparse(n).startswith(("import importlib", "import typing"))
    ]
    assert eager == []


def test_three_lists_agree() -> None:
    typed = _type_checking_imports()
    lazy = dict(corridor._WHERE)
    for sub in corridor._SUBMODULES:
        lazy[sub] = ("corridor", sub)
    assert typed == lazy
    assert set(corridor.__all__) == set(lazy) | {"__version__"}


def test_every_name_resolves_to_its_module() -> None:
    for name, (module, attr) in corridor._WHERE.items():
        value = getattr(corridor, name)
        assert value is getattr(sys.modules[module], attr), name


def test_import_is_light() -> None:
    probe = (
        "import sys, json, corridor\n"
        "heavy = ['numpy', 'pandas', 'pyarrow', 'numba', 'shapely', 'scipy', 'pydantic']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_kernels_defer_the_blas_probe() -> None:
    """Loading the kernels does not import scipy.linalg (numba's BLAS probe)."""
    probe = (
        "import sys, json, corridor.kernels.dijkstra, numba.np.arraymath as a\n"
        "print(json.dumps(['scipy.linalg' in sys.modules, a._HAVE_BLAS]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [False, True]
