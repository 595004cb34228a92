"""How far a file import run by a task has got, for the data page's progress bar.

An import writes everything in one transaction, so its ``SyncRun`` row cannot show progress
to other connections until it ends. The task reports the share of the file checked so far in
the cache instead (in production the shared cache, ``CACHE_URL``); ``run_status`` reads it.
"""

from __future__ import annotations

from django.core.cache import cache

TIMEOUT = 6 * 60 * 60  # an import never runs this long; the key then goes by itself


def _key(run_id: int) -> str:
    return f"connectors:run-progress:{run_id}"


def report(run_id: int, fraction: float) -> None:
    """Record that the run has read ``fraction`` (0 to 1) of its file."""
    cache.set(_key(run_id), min(99, max(0, round(100 * fraction))), TIMEOUT)


def reported(run_id: int) -> int | None:
    """The per cent done last reported for the run, if any."""
    return cache.get(_key(run_id))


def forget(run_id: int) -> None:
    cache.delete(_key(run_id))
