"""Results of an assignment: link volumes by class, times and the convergence table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from corridor._typing import FloatArray, IntArray
from corridor.errors import ValidationError

from .options import AssignmentOptions

__all__ = ["AssignmentResult", "Convergence", "ConvergenceWarning"]


class ConvergenceWarning(UserWarning):
    """An assignment stopped (iteration or time limit) before reaching its target gap."""


@dataclass(frozen=True, slots=True, repr=False)
class Convergence:
    """The convergence table: one entry per iteration.

    Attributes
    ----------
    iteration
        1, 2, ...
    rel_gap
        ``(TSTT - SPTT) / TSTT`` of the solution at that iteration, where TSTT is the total
        generalised cost of all trips on current link costs and SPTT the all-or-nothing
        total on the same costs (so the gap is >= 0 and 0 exactly at equilibrium).
    objective
        Beckmann objective: sum over links of the integral of the delay function from 0 to
        the volume, plus fixed costs (tolls / value of time) times class volumes.
    seconds
        Wall time since the start of the assignment.
    step
        Step size taken from that solution (FW family; NaN on the last row, where the run
        stopped; 1 for gp sweeps).
    """

    iteration: IntArray
    rel_gap: FloatArray
    objective: FloatArray
    seconds: FloatArray
    step: FloatArray

    def __post_init__(self) -> None:
        n = self.iteration.size
        for name in ("rel_gap", "objective", "seconds", "step"):
            if getattr(self, name).size != n:
                raise ValidationError(f"convergence.{name} has the wrong length")
            getattr(self, name).flags.writeable = False
        self.iteration.flags.writeable = False

    def __repr__(self) -> str:
        if not self.iteration.size:
            return "<Convergence: 0 iterations>"
        return (
            f"<Convergence: {self.iteration.size} iterations, gap {self.rel_gap[-1]:.3g}, "
            f"{self.seconds[-1]:.2f} s>"
        )

    def __len__(self) -> int:
        return int(self.iteration.size)

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame (iteration, rel_gap, objective, seconds, step)."""
        return pd.DataFrame(
            {
                "iteration": self.iteration,
                "rel_gap": self.rel_gap,
                "objective": self.objective,
                "seconds": self.seconds,
                "step": self.step,
            }
        )

    def first_below(self, gap: float) -> tuple[int, float] | None:
        """(iteration, seconds) of the first entry with ``rel_gap <= gap``; None if none."""
        hit = np.flatnonzero(self.rel_gap <= gap)
        if not hit.size:
            return None
        k = int(hit[0])
        return int(self.iteration[k]), float(self.seconds[k])


@dataclass(frozen=True, slots=True, repr=False)
class AssignmentResult:
    """Link volumes and times of an assignment.

    Attributes
    ----------
    link_ids, a_node, b_node
        The network's links, in its order.
    class_names
        Names of the traffic classes.
    class_flow
        Volume per class and link, float64[c, m], vehicles of that class per period.
    flow_pce
        Total volume per link in passenger-car equivalents, float64[m].
    time
        Congested travel time per link at `flow_pce`, in `time_unit`.
    class_cost
        Generalised cost per class and link (time plus toll / value of time).
    convergence
        The convergence table.
    converged
        Whether the target relative gap was reached.
    options
        The options used.
    time_unit
        Unit of `time` and `class_cost`.
    """

    link_ids: IntArray
    a_node: IntArray
    b_node: IntArray
    class_names: tuple[str, ...]
    class_flow: FloatArray
    flow_pce: FloatArray
    time: FloatArray
    class_cost: FloatArray
    convergence: Convergence
    converged: bool
    options: AssignmentOptions
    time_unit: str = "min"

    def __post_init__(self) -> None:
        for arr in (self.class_flow, self.flow_pce, self.time, self.class_cost):
            arr.flags.writeable = False

    def __repr__(self) -> str:
        state = "converged" if self.converged else "NOT converged"
        return (
            f"<AssignmentResult {self.options.algorithm}: {self.link_ids.size} links, "
            f"{len(self.class_names)} class(es), gap {self.rel_gap:.3g} after "
            f"{self.iterations} iterations, {state}>"
        )

    @property
    def rel_gap(self) -> float:
        """The last relative gap."""
        return float(self.convergence.rel_gap[-1]) if len(self.convergence) else float("nan")

    @property
    def iterations(self) -> int:
        """Iterations run."""
        return len(self.convergence)

    @property
    def tstt(self) -> float:
        """Total system travel time: sum over links of PCE volume times travel time."""
        return float(self.flow_pce @ self.time)

    def to_frame(self) -> pd.DataFrame:
        """One row per link: ids, ``flow_<class>`` (vehicles), ``flow_pce`` and ``time``."""
        data: dict[str, object] = {
            "link_id": self.link_ids,
            "a_node": self.a_node,
            "b_node": self.b_node,
        }
        for k, name in enumerate(self.class_names):
            data[f"flow_{name}"] = self.class_flow[k]
        data["flow_pce"] = self.flow_pce
        data["time"] = self.time
        return pd.DataFrame(data)
