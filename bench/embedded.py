"""Start-up benchmark: ``import corridor`` and loading the embedded Eurasian network.

The embedded network should load in well under half a second. This measures, each in a
fresh interpreter (so nothing is cached in memory) and best of ``--repeat`` runs:

* ``import corridor`` (no I/O, no JIT: a test checks that separately);
* ``corridor.data.read_store`` of the packaged network: parquet read plus schema
  validation of every table, against the anchor of reading the same parquet files with
  ``pyarrow.parquet.read_table`` and nothing else (the floor for any parquet reader);
* the first route on it (``corridor.route(net, "Moscow", "Kazan")``), which compiles the
  graph and loads the numba kernels from their on-disk cache.

Then what a user waits for (issue 14 part 6), each a whole fresh process timed from
outside, wall clock from ``fork`` to exit (interpreter start, imports, work, exit), like
hyperfine: ``--samples`` runs per command, the commands interleaved A B C A B C (order
flipped every round, bench/harness.py), min and median printed with the load average:

* the floor: ``python -c "import numpy"`` (no corridor command can start faster);
* ``python -m corridor --help`` (target <= 0.3 s);
* ``python -m corridor route Moscow Kazan --profile car`` (target <= 0.6 s);
* ``python -c "import corridor"`` (the lazy namespace: a few ms above the interpreter);
* ``python -c "import pandas, pyarrow.parquet, numba"``: the libraries any route needs
  (the network is pandas tables read from parquet, the searches numba kernels), the floor
  for ``corridor route``.

The numba kernels' disk cache must be warm (one untimed run of each command first).

Then the main job (what ``make run`` runs), warm: ``python -m corridor scenario compare
m12-before m12-east --out DIR`` in a fresh process, after one untimed run (numba's disk
cache and the OS file cache filled; nothing else persists between runs), ``--job-samples``
runs (default 3; each takes seconds), wall clock fork to exit and CPU (user + system)
printed with the load average; target <= 2 s. ``--job-src A --job-src B`` interleaves
the job from two checkouts' ``src`` folders (A B A B ...) for a before/after comparison.

Run: ``.venv/bin/python bench/embedded.py [--repeat 5] [--samples 10] [--job-samples 3]``,
or only the main job: ``bench/embedded.py --job-only [--job-src SRC ...]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from harness import Samples, interleave, machine

SRC = str(Path(__file__).resolve().parents[1] / "src")

# name -> argv after the interpreter; target seconds (None: the floor or a reference)
COMMANDS: dict[str, tuple[tuple[str, ...], float | None]] = {
    'python -c "import numpy" (floor)': (("-c", "import numpy"), None),
    'python -c "import corridor"': (("-c", "import corridor"), None),
    "import pandas, pyarrow.parquet, numba (libs)": (
        ("-c", "import pandas, pyarrow.parquet, numba"),
        None,
    ),
    "corridor --help": (("-m", "corridor", "--help"), 0.3),
    "corridor route Moscow Kazan --profile car": (
        ("-m", "corridor", "route", "Moscow", "Kazan", "--profile", "car"),
        0.6,
    ),
}

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


def _env(src: str) -> dict[str, str]:
    """`src` first on the path, so the commands run that tree's code.

    ``PYTHONDONTWRITEBYTECODE`` is dropped: an installed package has its ``.pyc`` files,
    and without them every fresh process compiles corridor's ~150 modules from source
    (about 0.1 s), which no user waits for.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["COLUMNS"] = "80"
    return env


def _run(argv: tuple[str, ...], env: dict[str, str]) -> float:
    """Run one fresh process; return its CPU seconds (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def time_commands(samples: int, src: str = SRC) -> tuple[dict[str, Samples], dict[str, Samples]]:
    """Wall time of each command in :data:`COMMANDS`, fresh processes, interleaved.

    Parameters
    ----------
    samples
        Fresh processes per command.
    src
        The ``src`` folder whose code runs (default: this checkout's).

    Returns
    -------
    tuple of dict
        Command name -> its wall-clock samples (seconds, fork to exit), and -> its CPU
        samples (user + system seconds of the process; on a shared machine this is closer
        to what an idle one would show than the wall clock).
    """
    env = _env(src)
    for argv, _ in COMMANDS.values():  # warm the numba disk cache and the OS file cache
        _run(argv, env)
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}

    def task(name: str, argv: tuple[str, ...]) -> Callable[[int], object]:
        return lambda _k: cpu[name].append(_run(argv, env))

    tasks = {name: task(name, argv) for name, (argv, _) in COMMANDS.items()}
    wall = interleave(tasks, samples)
    return wall, {name: Samples(tuple(v)) for name, v in cpu.items()}


def print_commands(samples: int, src: str = SRC) -> None:
    """Print min / median of each command, its margin over the floor and its target."""
    print(f"\nfresh processes from {src}, {samples} samples each, interleaved; {machine()}")
    t0 = time.perf_counter()
    timed, cpu = time_commands(samples, src)
    floor = timed['python -c "import numpy" (floor)']
    print(
        f"{'command':42s} {'wall min':>8s} {'median':>7s} {'- floor':>7s} {'cpu min':>7s}  target"
    )
    for name, got in timed.items():
        target = COMMANDS[name][1]
        verdict = (
            ""
            if target is None
            else f"<= {target:.1f} s: {'met' if got.min <= target else 'MISSED'}"
        )
        print(
            f"{name:42s} {got.min:8.3f} {got.median:7.3f} {got.min - floor.min:7.3f}"
            f" {cpu[name].min:7.3f}  {verdict}"
        )
    print(
        f"({time.perf_counter() - t0:.0f} s; wall = fork to exit, floor = python -c"
        " 'import numpy'; cpu = user + system of the process)"
    )


JOB: tuple[str, ...] = ("-m", "corridor", "scenario", "compare", "m12-before", "m12-east")
JOB_TARGET_S = 2.0


def print_main_job(samples: int, srcs: list[str]) -> None:
    """Time the main job warm from each of `srcs`, interleaved; print min / median."""
    import tempfile

    print(f"\nmain job warm ({' '.join(JOB[1:])} --out DIR), {samples} samples; {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        argv = (*JOB, "--out", str(Path(tmp) / "out"))
        envs = {src: _env(src) for src in srcs}
        for env in envs.values():  # the untimed first run: after it, the job is warm
            _run(argv, env)
        cpu: dict[str, list[float]] = {src: [] for src in srcs}

        def task(src: str) -> Callable[[int], object]:
            return lambda _k: cpu[src].append(_run(argv, envs[src]))

        wall = interleave({src: task(src) for src in srcs}, samples)
    print(f"{'src':42s} {'wall min':>8s} {'median':>7s} {'cpu min':>7s}  target")
    for src, got in wall.items():
        verdict = f"<= {JOB_TARGET_S:.1f} s: {'met' if got.min <= JOB_TARGET_S else 'MISSED'}"
        print(f"{src[-42:]:42s} {got.min:8.3f} {got.median:7.3f} {min(cpu[src]):7.3f}  {verdict}")
    print(f"(after: {machine()})")


def main() -> None:
    """Print the best time of each probe and read_store's ratio to the anchor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--samples", type=int, default=10, help="fresh processes per command")
    parser.add_argument("--commands-only", action="store_true", help="only the fresh commands")
    parser.add_argument("--src", default=SRC, help="src folder to run (e.g. an older checkout's)")
    parser.add_argument("--job-samples", type=int, default=3, help="runs of the main job")
    parser.add_argument("--job-only", action="store_true", help="only the main job")
    parser.add_argument(
        "--job-src", action="append", help="src folder(s) for the main job (repeatable)"
    )
    args = parser.parse_args()
    if args.job_only:
        print_main_job(args.job_samples, args.job_src or [args.src])
        return
    if args.commands_only:
        print_commands(args.samples, args.src)
        return
    best = {name: min(_time(*probe) for _ in range(args.repeat)) for name, probe in PROBES.items()}
    print(f"{'probe':44s} {'best s':>8s}")
    for name, seconds in best.items():
        print(f"{name:44s} {seconds:8.3f}")
    anchor = best["pyarrow read of the same files (anchor)"]
    ours = best["read_store (read + validate)"]
    print(f"read_store / raw pyarrow read: {ours / anchor:.1f}x; target < 0.5 s: {ours < 0.5}")
    print_commands(args.samples)
    print_main_job(args.job_samples, args.job_src or [SRC])


if __name__ == "__main__":
    main()
