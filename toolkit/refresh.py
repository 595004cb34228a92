"""The nightly refresh of every SME, fanned out over the Celery workers (issue 22).

``programme_refresh_start`` writes one ``SMERefresh`` row per SME with data (one INSERT …
SELECT-sized bulk write, whatever the programme's size) and queues the SMEs in chunks of
``TOOLKIT_REFRESH_CHUNK``: every worker takes chunks from the broker's queue, so adding
workers adds throughput, and nothing is locked but the one row an SME's refresh claims.

Within a chunk each SME is claimed (``waiting`` → ``running`` by a conditional UPDATE: two
deliveries of a chunk never refresh an SME twice), synced (its connected shops, not its
uploaded files) and its toolkit report recomputed, under a time limit of its own
(``TOOLKIT_REFRESH_SME_SECONDS``). A failure, or a timeout, is recorded on its row and the
chunk goes on; the SME is queued again alone, later, until ``TOOLKIT_REFRESH_ATTEMPTS``, then
left ``failed`` with the reason for the staff's progress page.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import signal
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from connectors.models import UNSYNCED_STATUSES, DataSource, SourceKind, SyncStatus
from connectors.sync import source_sync
from journey.models import SME

from .models import ProgrammeRefresh, RefreshStatus, SMERefresh
from .services import report_refresh

logger = logging.getLogger(__name__)


def chunk_size() -> int:
    return getattr(settings, "TOOLKIT_REFRESH_CHUNK", 20)


def sme_seconds() -> int:
    return getattr(settings, "TOOLKIT_REFRESH_SME_SECONDS", 300)


def max_attempts() -> int:
    return getattr(settings, "TOOLKIT_REFRESH_ATTEMPTS", 3)


class RefreshTimeout(Exception):
    """An SME's refresh ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: int):
    """Raise ``RefreshTimeout`` in this block after ``seconds`` (a worker process's main thread; elsewhere no limit).

    Celery's own limits apply to a whole task, that is a whole chunk; this one is per SME,
    so one slow shop costs its own SME and not the rest of its chunk.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise RefreshTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def smes_to_refresh():
    """SMEs with at least one data source that is not disabled."""
    return SME.objects.filter(
        pk__in=DataSource.objects.exclude(status__in=UNSYNCED_STATUSES).values("sme_id")
    ).order_by("pk")


def programme_refresh_start(
    *, now: datetime.datetime | None = None, smes=None
) -> tuple[ProgrammeRefresh, list[list[int]]]:
    """Record a new programme refresh; returns it and its chunks of SME ids, for the caller to queue.

    ``smes`` narrows it to some SMEs (the benchmark's sample); by default every SME with data.
    """
    run = ProgrammeRefresh.objects.create(started_at=now or timezone.now())
    queryset = smes_to_refresh() if smes is None else smes_to_refresh().filter(pk__in=smes)
    ids = list(queryset.values_list("pk", flat=True))
    SMERefresh.objects.bulk_create([SMERefresh(run=run, sme_id=pk) for pk in ids], batch_size=2000)
    run.smes = len(ids)
    run.save(update_fields=["smes"])
    size = chunk_size()
    return run, [ids[start : start + size] for start in range(0, len(ids), size)]


def _claim(item_id: int, now: datetime.datetime) -> bool:
    """Take the SME's row for this worker; False when another has it (a repeated delivery) or it is over."""
    stale = now - datetime.timedelta(seconds=2 * sme_seconds())  # a worker killed mid-refresh
    return bool(
        SMERefresh.objects.filter(pk=item_id)
        .filter(Q(status=RefreshStatus.WAITING) | Q(status=RefreshStatus.RUNNING, started_at__lt=stale))
        .update(status=RefreshStatus.RUNNING, started_at=now, finished_at=None)
    )


class SyncFailed(Exception):
    """A shop of the SME could not be synced; the message says which and why."""


def sme_refresh(sme: SME) -> None:
    """Sync the SME's connected shops, then recompute its toolkit report; raise ``SyncFailed`` if a sync failed.

    The report is recomputed even then, from the data already stored: a failing shop leaves
    yesterday's orders, not yesterday's report. Each sync commits page by page, as always;
    the report is written in a transaction of its own, so a timeout never leaves half of it.
    """
    failures = []
    sources = sme.data_sources.exclude(kind=SourceKind.FILE).exclude(status__in=UNSYNCED_STATUSES)
    for source in sources:
        run = source_sync(source=source, trigger="schedule")
        if run.status != SyncStatus.SUCCEEDED:
            reasons = "; ".join(error.get("reason", "") for error in run.errors) or run.get_status_display()
            failures.append(f"{source}: {reasons}")
    with transaction.atomic():
        report_refresh(sme=sme)
    if failures:
        raise SyncFailed(" · ".join(failures))


@dataclass
class ChunkResult:
    done: int = 0
    failed: int = 0
    retry: list[int] | None = None  # SME ids to queue again


def chunk_refresh(run_id: int, sme_ids: list[int]) -> ChunkResult:
    """Refresh the SMEs of one chunk, each under its own time limit; one failure never stops the rest."""
    result = ChunkResult(retry=[])
    items = dict(SMERefresh.objects.filter(run_id=run_id, sme_id__in=sme_ids).values_list("sme_id", "pk"))
    smes = SME.objects.in_bulk(list(items))
    for sme_id in sme_ids:
        item_id = items.get(sme_id)
        if item_id is None or not _claim(item_id, timezone.now()):
            continue
        try:
            with time_limit(sme_seconds()):
                sme_refresh(smes[sme_id])
        except Exception as error:
            attempts = SMERefresh.objects.get(pk=item_id).attempts + 1
            final = attempts >= max_attempts()
            reason = f"{type(error).__name__}: {error}"[:2000]
            logger.warning("Refresh of SME %s failed (attempt %s): %s", sme_id, attempts, reason)
            SMERefresh.objects.filter(pk=item_id).update(
                status=RefreshStatus.FAILED if final else RefreshStatus.WAITING,
                attempts=attempts,
                error=reason,
                finished_at=timezone.now() if final else None,
            )
            result.failed += final
            if not final:
                result.retry.append(sme_id)
        else:
            SMERefresh.objects.filter(pk=item_id).update(
                status=RefreshStatus.DONE, attempts=F("attempts") + 1, error="", finished_at=timezone.now()
            )
            result.done += 1
    return result


@dataclass
class Progress:
    run: ProgrammeRefresh | None
    counts: dict[str, int]
    total: int
    per_minute: float | None
    failed: list[SMERefresh]


def refresh_progress(smes, *, failed_limit: int = 50) -> Progress:
    """The latest programme refresh as seen over ``smes`` (the reader's scope): counts by status, the failures.

    Two queries whatever the programme's size: one aggregate, one page of failures.
    """
    run = ProgrammeRefresh.objects.first()
    if run is None:
        return Progress(None, {status: 0 for status in RefreshStatus.values}, 0, None, [])
    items = SMERefresh.objects.filter(run=run, sme__in=smes)
    aggregate = items.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in RefreshStatus.values},
        first=Min("started_at"),
        last=Max("finished_at"),
    )
    counts = {status: aggregate[status] for status in RefreshStatus.values}
    per_minute = None
    if (
        counts[RefreshStatus.DONE]
        and aggregate["first"]
        and aggregate["last"]
        and aggregate["last"] > aggregate["first"]
    ):
        minutes = (aggregate["last"] - aggregate["first"]).total_seconds() / 60
        per_minute = counts[RefreshStatus.DONE] / minutes
    failed = list(
        items.filter(status=RefreshStatus.FAILED)
        .select_related("sme", "sme__launchpad")
        .order_by("sme__name")[:failed_limit]
    )
    return Progress(run, counts, sum(counts.values()), per_minute, failed)
