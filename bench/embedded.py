"""Start-up benchmark: ``import corridor`` and loading the embedded Eurasian network.

The embedded network should load in well under half a second. This measures, each in a
fresh interpreter (so nothing is cached in memory) and best of ``--repeat`` runs:

* ``import corridor`` (no I/O, no JIT: a test checks that separately);
* ``corridor.data.read_store`` of the packaged network: parquet read plus schema
  validation of every table, against the anchor of reading the same parquet files with
  ``pyarrow.parquet.read_table`` and nothing else (the floor for any parquet reader);
* the first route on it (``corridor.route(net, "Moscow", "Kazan")``), which compiles the
  graph and loads the numba kernels from their on-disk cache.

Run: ``.venv/bin/python bench/embedded.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

PROBES = {
    "import corridor": ("", "import corridor"),
    "pyarrow read of the same files (anchor)": (
        "import pathlib, pyarrow.parquet as pq, corridor.data\n"
        "files = sorted(pathlib.Path(corridor.data.EMBEDDED_DIR).glob('*.parquet'))",
        "[pq.read_table(p) for p in files]",
    ),
    "read_store (read + validate)": (
        "import corridor.data",
        "corridor.data.read_store(corridor.data.EMBEDDED_DIR)",
    ),
    "first route Moscow-Kazan": (
        "import corridor; net = corridor.eurasia()",
        "corridor.route(net, 'Moscow', 'Kazan')",
    ),
}


def _time(setup: str, stmt: str) -> float:
    code = f"import time\n{setup}\nt = time.perf_counter()\n{stmt}\nprint(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the best time of each probe and read_store's ratio to the anchor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    best = {name: min(_time(*probe) for _ in range(args.repeat)) for name, probe in PROBES.items()}
    print(f"{'probe':44s} {'best s':>8s}")
    for name, seconds in best.items():
        print(f"{name:44s} {seconds:8.3f}")
    anchor = best["pyarrow read of the same files (anchor)"]
    ours = best["read_store (read + validate)"]
    print(f"read_store / raw pyarrow read: {ours / anchor:.1f}x; target < 0.5 s: {ours < 0.5}")


if __name__ == "__main__":
    main()
