"""Tourism parameter draws as Dask tasks: a runner for
:func:`corridor.analysis.tourism.api.tourism_uncertainty`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from corridor.distributed.sweep import sweep

__all__ = ["tourism_dask_runner"]


def tourism_dask_runner(
    scheduler: str | None = None, *, client: Any = None
) -> Callable[[Mapping[str, Callable[[], Any]]], dict[str, Any]]:
    """A runner that evaluates the named draws as tasks on a Dask cluster.

    Parameters
    ----------
    scheduler
        The scheduler's address, ``tcp://HOST:PORT``.
    client
        Or a connected ``distributed.Client``.

    Returns
    -------
    callable
        ``runner(tasks) -> results by name``; the draws are fixed before they are sent, so
        the results equal a local run's.
    """

    def run(tasks: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
        return sweep(tasks, client=client, scheduler=scheduler)

    return run
