"""User-equilibrium assignment: AON, MSA, FW, conjugate/biconjugate FW, gradient projection.

All algorithms solve Beckmann's program: minimise, over link volumes ``x`` from feasible
class flows ``g_c`` (``x = sum_c g_c`` in PCE),

    sum_a integral_0^{x_a} t_a(v) dv + sum_c sum_a f_{c,a} g_{c,a}

where ``f_{c,a}`` is the fixed cost ((toll x factor + length x distance cost) / value of
time) of class ``c``. Each class uses the least generalised cost ``t_a(x_a) + f_{c,a}`` on
its permitted links, so the optimum is Wardrop's user equilibrium for every class.
(Volumes are handled in PCE, which keeps the multi-class problem a symmetric one with this
potential.)

**Relative gap.** Every algorithm reports, at each iteration,

    rel_gap = (TSTT - SPTT) / TSTT

where TSTT is the total generalised cost of all trips at the current costs
(``sum_c sum_a g_{c,a} (t_a + f_{c,a})``) and SPTT the all-or-nothing total on the same
costs (``sum_c sum_od d_{c,od} * least cost``), so that ``rel_gap >= 0`` with equality only
at equilibrium. This is the standard definition used in the TNTP collection, by
AequilibraE and in Boyce, Ralevic-Dekic & Bar-Gera (2004).
"""

from __future__ import annotations

import logging
import time as _time
import warnings
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from corridor._typing import FloatArray
from corridor.errors import ValidationError
from corridor.model.network import Network
from corridor.progress import Progress, ProgressCallback

from .aon import AonKernel, Problem, WarmTrees, aon_classes, prepare
from .network import AssignmentNetwork, TrafficClass, assignment_network
from .options import Algorithm, AssignmentOptions
from .results import AssignmentResult, Convergence, ConvergenceWarning

__all__ = ["AonKernel", "assign"]

log = logging.getLogger(__name__)

_ALPHA_MAX = 0.99999  # CFW: cap on the weight of the previous target point
_LINE_TOL = 1e-13
_BETA_MAX = 1e6  # BFW: above this the new AON point has no say and the direction degenerates


class _Tracker:
    """Collects the convergence table and decides when to stop."""

    def __init__(self, options: AssignmentOptions, progress: ProgressCallback | None) -> None:
        self.options = options
        self.progress = progress
        self.start = _time.perf_counter()
        self.rows: list[tuple[int, float, float, float, float]] = []

    def record(self, gap: float, objective: float, step: float) -> bool:
        """Add a row; return True when the run should stop."""
        k = len(self.rows) + 1
        seconds = _time.perf_counter() - self.start
        self.rows.append((k, gap, objective, seconds, step))
        log.debug("iteration %d: gap %.3e objective %.10g (%.2f s)", k, gap, objective, seconds)
        if self.progress is not None:
            self.progress(
                Progress(
                    "assign",
                    k,
                    self.options.max_iter,
                    unit="iterations",
                    values={
                        "rel_gap": gap,
                        "objective": objective,
                        "seconds": seconds,
                        "target_gap": self.options.rel_gap,
                    },
                )
            )
        limit = self.options.time_limit_s
        return (
            self.converged or k >= self.options.max_iter or (limit is not None and seconds >= limit)
        )

    @property
    def converged(self) -> bool:
        return bool(self.rows) and self.rows[-1][1] <= self.options.rel_gap

    def set_last_step(self, step: float) -> None:
        k, gap, obj, sec, _ = self.rows[-1]
        self.rows[-1] = (k, gap, obj, sec, step)

    def table(self) -> Convergence:
        arr = np.asarray(self.rows, dtype=np.float64).reshape(-1, 5)
        return Convergence(
            iteration=arr[:, 0].astype(np.int64),
            rel_gap=arr[:, 1].copy(),
            objective=arr[:, 2].copy(),
            seconds=arr[:, 3].copy(),
            step=arr[:, 4].copy(),
        )


def _times(problem: Problem, x: FloatArray) -> FloatArray:
    from corridor.kernels.assign import link_times

    out = np.empty(x.size)
    link_times(*problem.vdf_args(), x, out)
    return out


def _derivs(problem: Problem, x: FloatArray) -> FloatArray:
    from corridor.kernels.assign import link_derivs

    out = np.empty(x.size)
    link_derivs(*problem.vdf_args(), x, out)
    return out


def _objective(problem: Problem, g: FloatArray) -> float:
    from corridor.kernels.assign import beckmann

    x = g.sum(axis=0)
    return float(beckmann(*problem.vdf_args(), x)) + float(np.sum(problem.fixed * g))


def _gap(problem: Problem, g: FloatArray, time: FloatArray, sptt: FloatArray) -> float:
    tstt = float(np.sum(g * (time[None, :] + problem.fixed)))
    if tstt <= 0.0:
        return 0.0
    return max((tstt - float(sptt.sum())) / tstt, 0.0)


def _quad(h: FloatArray, u: FloatArray, v: FloatArray) -> float:
    """u' H v with the diagonal Hessian h (u, v: total-volume directions)."""
    return float(np.dot(h * u, v))


def _conjugate_target(
    algorithm: Algorithm,
    problem: Problem,
    g: FloatArray,
    y: FloatArray,
    s1: FloatArray | None,
    s2: FloatArray | None,
    tau: float,
    tau2: float,
) -> FloatArray:
    """Target point of CFW/BFW: a convex combination of y and the previous targets.

    The direction ``s - x`` is made conjugate (w.r.t. the Hessian at ``x``) to the previous
    direction ``s1 - x`` (CFW) and also to ``tau s1 + (1 - tau) s2 - x``, the previous-but-one
    direction moved to the current point (BFW), as in Mitradjieva & Lindberg (2013). The
    2x2 conjugacy system is solved exactly; when its solution is not a convex
    combination, BFW falls back to CFW and CFW to plain FW. A previous step of 1 (``tau``
    or the one before, ``tau2``) makes the matching direction vanish, so it is not used.
    """
    if s1 is None or tau >= 1.0:
        return y
    x = g.sum(axis=0)
    h = _derivs(problem, x)
    d_fw = y.sum(axis=0) - x
    d1 = s1.sum(axis=0) - x
    if algorithm is Algorithm.BFW and s2 is not None and 0.0 < tau < 1.0 and tau2 < 1.0:
        d2 = tau * s1.sum(axis=0) + (1.0 - tau) * s2.sum(axis=0) - x
        m11, m12, m22 = _quad(h, d1, d1), _quad(h, d1, d2), _quad(h, d2, d2)
        r1, r2 = -_quad(h, d1, d_fw), -_quad(h, d2, d_fw)
        det = m11 * m22 - m12 * m12
        # both directions must be well away from zero and from parallel
        if m22 > 1e-10 * m11 and det > 1e-8 * m11 * m22:
            a = (r1 * m22 - r2 * m12) / det
            b = (m11 * r2 - m12 * r1) / det
            beta1, beta2 = a + b * tau, b * (1.0 - tau)
            # a convex combination that keeps some weight on the new AON point y
            if beta1 >= 0.0 and beta2 >= 0.0 and beta1 + beta2 < _BETA_MAX:
                total = 1.0 + beta1 + beta2
                return (y + beta1 * s1 + beta2 * s2) / total
    m11 = _quad(h, d1, d1)
    if m11 <= 0.0:
        return y
    a = -_quad(h, d1, d_fw) / m11
    if a <= 0.0:
        return y
    alpha = min(a / (1.0 + a), _ALPHA_MAX)
    return alpha * s1 + (1.0 - alpha) * y


def _line_step(problem: Problem, g: FloatArray, s: FloatArray) -> float:
    from corridor.kernels.assign import line_search

    d = s - g
    x = g.sum(axis=0)
    fixed_dot = float(np.sum(problem.fixed * d))
    return float(line_search(*problem.vdf_args(), x, d.sum(axis=0), fixed_dot, _LINE_TOL))


def _frank_wolfe_family(
    problem: Problem, options: AssignmentOptions, tracker: _Tracker, aon: AonKernel | None
) -> FloatArray:
    algorithm = Algorithm(options.algorithm)
    free = _times(problem, np.zeros(problem.n_links))
    warm = WarmTrees(problem)
    g, _ = aon_classes(problem, free, threads=options.threads, kernel=aon, warm=warm)
    s1: FloatArray | None = None
    s2: FloatArray | None = None
    tau = tau2 = 1.0
    k = 0
    while True:
        k += 1
        time = _times(problem, g.sum(axis=0))
        y, sptt = aon_classes(problem, time, threads=options.threads, kernel=aon, warm=warm)
        stop = tracker.record(_gap(problem, g, time, sptt), _objective(problem, g), np.nan)
        if stop or algorithm is Algorithm.AON:
            log.debug("%d of %d trees grown afresh", warm.fresh, k * int(problem.zones.size))
            return g
        if algorithm is Algorithm.MSA:
            step = 1.0 / (k + 1)
            s = y
        else:
            s = y
            if algorithm in (Algorithm.CFW, Algorithm.BFW):
                s = _conjugate_target(algorithm, problem, g, y, s1, s2, tau, tau2)
                x = g.sum(axis=0)
                if np.linalg.norm(s.sum(axis=0) - x) < 1e-9 * np.linalg.norm(y.sum(axis=0) - x):
                    s = y  # a vanishing conjugate direction: take the plain FW one
            step = _line_step(problem, g, s)
            if step <= 0.0 and s is not y:
                s = y
                step = _line_step(problem, g, s)
        tracker.set_last_step(step)
        g = g + step * (s - g)
        s2, s1, tau2, tau = s1, s, tau, step


def _gradient_projection(
    problem: Problem, options: AssignmentOptions, tracker: _Tracker, aon: AonKernel | None
) -> FloatArray:
    from corridor.kernels.assign_paths import gp_equalize, gp_link_flows, gp_sweep

    free = _times(problem, np.zeros(problem.n_links))
    # raises NoPathError early if some demand cannot be served
    warm = WarmTrees(problem)  # the gap's loads, one per iteration
    sweep_trees = WarmTrees(problem)  # the sweeps' trees, one per origin and sweep
    aon_classes(problem, free, threads=options.threads, kernel=aon, warm=warm)
    c, z, _ = problem.demand.shape
    m = problem.n_links
    pairs = int(np.count_nonzero(problem.demand))
    cap_paths = max(16, 2 * pairs)
    paths = (
        np.full(c * z * z, -1, np.int64),
        np.zeros(cap_paths, np.int64),
        np.zeros(cap_paths, np.int32),
        np.zeros(cap_paths),
        np.full(cap_paths, -1, np.int64),
        np.zeros(cap_paths * 8, np.int32),
    )
    counts = np.zeros(2, np.int64)
    ex = problem.expansion
    if ex is None:
        graph = (problem.indptr, problem.heads, problem.tails, np.arange(m, dtype=np.int64))
        blocked, zones = problem.blocked, problem.zones
    else:  # search the turn expansion; paths are still kept as links
        graph = (ex.indptr, ex.heads, ex.tails, ex.entered)
        blocked, zones = ex.blocked, ex.zones
    x = np.zeros(m)
    g = np.zeros((c, m))
    t = free.copy()
    dt = _derivs(problem, x)
    while True:
        state = (x, g, t, dt, *problem.vdf_args())
        paths = gp_sweep(
            *graph,
            blocked,
            zones,
            problem.fixed,
            problem.allowed,
            problem.demand,
            state,
            paths,
            counts,
            options.inner_sweeps,
            sweep_trees.orders,
            sweep_trees.counts,
        )
        if options.path_passes:
            gp_equalize(problem.fixed, problem.demand, state, paths, options.path_passes)
        # rebuild volumes from the path flows so rounding does not accumulate
        g, used = gp_link_flows(paths, c, z, m)
        x = g.sum(axis=0)
        t = _times(problem, x)
        dt = _derivs(problem, x)
        _, sptt = aon_classes(problem, t, threads=options.threads, kernel=aon, warm=warm)
        if tracker.record(_gap(problem, g, t, sptt), _objective(problem, g), 1.0):
            log.info("gradient projection: %d paths in use", used)
            return np.asarray(g)


def _as_classes(
    demand: TrafficClass | Sequence[TrafficClass] | ArrayLike,
) -> list[TrafficClass]:
    if isinstance(demand, TrafficClass):
        return [demand]
    if isinstance(demand, Sequence) and demand and isinstance(demand[0], TrafficClass):
        classes = [tc for tc in demand if isinstance(tc, TrafficClass)]
        if len(classes) != len(demand):
            raise ValidationError("demand: mix of TrafficClass and other values; give classes")
        return classes
    return [TrafficClass(demand=np.asarray(demand, dtype=np.float64))]


def assign(
    network: AssignmentNetwork | Network,
    demand: TrafficClass | Sequence[TrafficClass] | ArrayLike,
    *,
    options: AssignmentOptions | None = None,
    progress: ProgressCallback | None = None,
    aon: AonKernel | None = None,
) -> AssignmentResult:
    """Find the user equilibrium of one or more classes of demand.

    Parameters
    ----------
    network
        An :class:`AssignmentNetwork` (e.g. from :func:`corridor.read_tntp_network`)
        or a corridor :class:`~corridor.model.network.Network`, converted with
        :func:`~corridor.assignment.network.assignment_network` (road links, border
        crossings as queueing links; zones are the city nodes, times in hours).
    demand
        A :class:`TrafficClass`, a sequence of them (multi-class), or a plain zones x zones
        OD matrix for a single class of cars.
    options
        Algorithm, target gap and limits; default: biconjugate Frank-Wolfe to 1e-4.
    progress
        Called once per iteration with a :class:`~corridor.progress.Progress` of phase
        ``"assign"``: ``done`` the iteration (from 1), ``total`` the most iterations,
        unit ``"iterations"``, and ``values`` the iteration's ``rel_gap`` (at its start),
        Beckmann ``objective``, wall ``seconds`` since the start and the ``target_gap``.
    aon
        All-or-nothing loader replacing the built-in numba one, e.g. one that runs blocks of
        origins on a Dask cluster (see :data:`corridor.assignment.aon.AonKernel`). The
        path-based ``gp`` uses it for the gap only; its sweeps stay local.

    Returns
    -------
    AssignmentResult
        Volumes by class, times and the convergence table. ``converged`` is False (and a
        :class:`ConvergenceWarning` is issued) if the iteration or time limit stopped the
        run first.

    Raises
    ------
    ValidationError
        If an OD matrix does not fit the zones, or demand or options are invalid.
    UnknownNodeError
        If a zone is not a node of the network.
    NoPathError
        If some demand cannot reach its destination.

    Notes
    -----
    The relative gap is ``(TSTT - SPTT) / TSTT``: total generalised cost on current costs
    against the all-or-nothing total on the same costs (see the module docstring).
    ``aon`` runs one iteration. ``msa``, ``fw``, ``cfw`` and ``bfw`` share one loop: an
    all-or-nothing load on current costs (parallel over origins with numba prange), a
    target point (conjugate for cfw/bfw) and a step (1/k for msa, exact line search by
    bisection on the objective's slope otherwise). ``gp`` is path-based gradient projection
    with Gauss-Seidel sweeps over origins; use it for gaps below ~1e-6.

    Examples
    --------
    Two parallel links with times ``1 + x1`` and ``2 + x2`` share 3 trips 2 : 1:

    >>> import numpy as np
    >>> net = AssignmentNetwork(
    ...     node_ids=np.array([1, 2]), link_ids=np.array([1, 2]), a_node=np.array([1, 1]),
    ...     b_node=np.array([2, 2]), capacity=np.array([1.0, 2.0]),
    ...     free_flow_time=np.array([1.0, 2.0]), alpha=np.array([1.0, 1.0]),
    ...     beta=np.array([1.0, 1.0]), zones=np.array([1, 2]))
    >>> res = assign(net, [[0.0, 3.0], [0.0, 0.0]],
    ...              options=AssignmentOptions(algorithm="gp", rel_gap=1e-10))
    >>> res.class_flow.round(6).tolist()
    [[2.0, 1.0]]
    """
    options = options or AssignmentOptions()
    if isinstance(network, Network):
        network = assignment_network(network)
    classes = _as_classes(demand)
    problem = prepare(network, classes)
    log.info(
        "assign %s on %r: %d class(es), %.1f PCE trips, target gap %.1e",
        options.algorithm,
        network,
        len(classes),
        float(problem.demand.sum()),
        options.rel_gap,
    )
    threads = options.threads
    import numba

    before = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(min(threads, int(vars(numba.config)["NUMBA_NUM_THREADS"])))
    try:
        tracker = _Tracker(options, progress)
        if options.algorithm is Algorithm.GP:
            g = _gradient_projection(problem, options, tracker, aon)
        else:
            g = _frank_wolfe_family(problem, options, tracker, aon)
    finally:
        numba.set_num_threads(before)
    table = tracker.table()
    converged = tracker.converged
    x = g.sum(axis=0)
    time = _times(problem, x)
    cost = time[None, :] + problem.fixed
    result = AssignmentResult(
        link_ids=network.link_ids,
        a_node=network.a_node,
        b_node=network.b_node,
        class_names=problem.names,
        class_flow=problem.to_network_order(g / problem.pce[:, None]),
        flow_pce=problem.to_network_order(x),
        time=problem.to_network_order(time),
        class_cost=problem.to_network_order(cost),
        convergence=table,
        converged=converged,
        options=options,
        time_unit=network.time_unit,
    )
    log.info("%r", result)
    if not converged and options.algorithm is not Algorithm.AON:
        warnings.warn(
            f"assignment stopped at relative gap {result.rel_gap:.3g} after "
            f"{result.iterations} iterations, above the target {options.rel_gap:g}; raise "
            "max_iter or time_limit_s, or use algorithm='gp'",
            ConvergenceWarning,
            stacklevel=2,
        )
    return result
