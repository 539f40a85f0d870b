"""Fair timing for the benchmarks: interleaved samples, min and median, the machine's load.

Every benchmark times ours and each anchor on the same data in the same run, alternating
A B A B (the order flips every round, so neither side always runs on a warmer cache), and
prints min and median of several samples with the load average and the settings. OpenMP
libraries (AequilibraE's Cython kernels, numba's omp layer) are told not to spin-wait:
``OMP_WAIT_POLICY=PASSIVE`` must be set before they are imported, so every benchmark
imports this module first.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@dataclass(frozen=True)
class Samples:
    """Seconds of repeated runs of one task."""

    seconds: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def cell(self, scale: float = 1.0, unit: str = "s") -> str:
        """``min / median`` in the given unit."""
        return f"{self.min * scale:.4g} / {self.median * scale:.4g} {unit}"


def interleave(tasks: Mapping[str, Callable[[int], object]], samples: int) -> dict[str, Samples]:
    """Time each task `samples` times, alternating between them.

    Parameters
    ----------
    tasks
        Name -> function of the sample number (e.g. to pick that sample's source node).
    samples
        Runs per task.

    Returns
    -------
    dict
        Name -> its samples.
    """
    names = list(tasks)
    times: dict[str, list[float]] = {n: [] for n in names}
    for k in range(samples):
        for name in names if k % 2 == 0 else reversed(names):
            t = time.perf_counter()
            tasks[name](k)
            times[name].append(time.perf_counter() - t)
    return {n: Samples(tuple(v)) for n, v in times.items()}


def machine() -> str:
    """One line: load average, CPUs and the OpenMP setting, for every benchmark's header."""
    one, five, fifteen = os.getloadavg()
    return (
        f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs; "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}"
    )
