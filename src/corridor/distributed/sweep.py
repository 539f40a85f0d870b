"""Scenario sweeps: many scenario callables run as tasks on a dask.distributed cluster."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from corridor.distributed.skim import connect
from corridor.errors import ValidationError

__all__ = ["sweep"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def sweep(
    scenarios: Mapping[str, Callable[[], T]],
    *,
    client: Any = None,
    scheduler: str | None = None,
) -> dict[str, T]:
    """Run every scenario callable as a Dask task and collect the results by name.

    Parameters
    ----------
    scenarios
        Name -> a function of no arguments (e.g. ``functools.partial(run, spec)``); it must
        be picklable to run on a cluster of processes.
    client
        A connected ``distributed.Client``.
    scheduler
        Or the scheduler's address, ``tcp://HOST:PORT``.

    Returns
    -------
    dict
        Name -> result, in the order of `scenarios`.

    Raises
    ------
    ValidationError
        If a scenario is not callable, or neither or both of client and scheduler are given.
    Exception
        The first scenario's own error, with a note naming the scenario.
    """
    bad = [name for name, fn in scenarios.items() if not callable(fn)]
    if bad:
        raise ValidationError(f"scenarios {bad[:5]} are not callable; pass functions of no args")
    with connect(client, scheduler) as c:
        futures = {name: c.submit(fn, pure=False) for name, fn in scenarios.items()}
        log.info("sweep: %d scenarios on %s", len(futures), c)
        c.gather(list(futures.values()), errors="skip")
        for name, fut in futures.items():
            if fut.status == "error":
                exc = fut.exception()
                exc.add_note(f"in scenario {name!r}")
                raise exc
        return {name: fut.result() for name, fut in futures.items()}
