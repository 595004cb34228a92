"""The sync engine: run a connector, write page after page, remember where it got to.

Each page and the stream's cursor after it are stored in one database transaction, so a
sync that dies (network, crash, deploy) loses nothing and the next run resumes at the first
page not yet written. Every run leaves a ``SyncRun`` with its counts, pages and errors.

A running run beats a heartbeat with every page it writes. A run whose worker was killed
stops beating: after ``CONNECTORS_SYNC_HEARTBEAT_EXPIRY`` it is marked interrupted
(``runs_interrupt_stale``) and a new sync may start, resuming from the saved cursors. Should
the old worker wake up after all, its next page finds its run no longer running and stops
without writing (the heartbeat is the run's lease).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from journey import hooks

from .base import ConnectorError
from .models import DataSource, SourceStatus, SyncRun, SyncStatus
from .records import RecordError
from .registry import connector_for
from .writer import write_page

logger = logging.getLogger(__name__)


def notify_success(source: DataSource, run: SyncRun) -> None:
    """Tell the apps above that a sync or import ended well (the ``SYNC_SUCCEEDED`` hook: the toolkit refreshes)."""
    for callback in hooks.get(hooks.SYNC_SUCCEEDED):
        callback(source, run)


class Superseded(Exception):
    """This run was marked interrupted while its worker was silent: another may be running now."""


def heartbeat_expiry() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "CONNECTORS_SYNC_HEARTBEAT_EXPIRY", 30 * 60))


def runs_interrupt_stale(*, source: DataSource | None = None) -> int:
    """Mark queued or running runs without a heartbeat for too long as interrupted; returns how many."""
    stale = SyncRun.objects.filter(
        status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING], heartbeat_at__lt=timezone.now() - heartbeat_expiry()
    )
    if source is not None:
        stale = stale.filter(source=source)
    count = 0
    for run in stale:
        reason = gettext(
            "This sync stopped giving signs of life (its worker was stopped or lost). The next sync resumes "
            "from the last page written."
        )
        updated = SyncRun.objects.filter(pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at).update(
            status=SyncStatus.INTERRUPTED,
            finished_at=timezone.now(),
            errors=[*run.errors, {"stream": run.stream, "reason": reason}],
        )
        if updated:
            logger.warning("Sync run %s of data source %s interrupted: no heartbeat", run.pk, run.source_id)
            count += 1
    return count


def _beat(run: SyncRun) -> None:
    """Renew the run's lease; ``Superseded`` when it was interrupted meanwhile."""
    run.heartbeat_at = timezone.now()
    if not SyncRun.objects.filter(pk=run.pk, status=SyncStatus.RUNNING).update(heartbeat_at=run.heartbeat_at):
        raise Superseded


def source_sync(*, source: DataSource, trigger: str, run: SyncRun | None = None) -> SyncRun:
    """Sync every stream of ``source`` from its saved cursors; returns the finished ``SyncRun``.

    Never raises for a failing source: the reason is recorded on the run and the source is
    marked as failing, so a nightly sync of many sources goes on past a broken one.
    """
    run = run or SyncRun(source=source, trigger=trigger)
    run.status = SyncStatus.RUNNING
    run.started_at = run.heartbeat_at = timezone.now()
    run.save()
    try:
        connector = connector_for(source)
        connector.check()
        for stream in connector.streams:
            run.stream = stream
            pages_before = run.pages
            for page in connector.pages(stream, source.cursor.get(stream)):
                with transaction.atomic():
                    _beat(run)
                    counts = write_page(source, stream, page.records)
                    source.cursor = {**source.cursor, stream: page.cursor}
                    source.save(update_fields=["cursor"])
                    run.pages += 1
                    run.created += counts.created
                    run.updated += counts.updated
                    run.skipped += counts.skipped
                    if page.pages_expected is not None:
                        run.pages_expected = pages_before + page.pages_expected
                    run.save(update_fields=["stream", "pages", "created", "updated", "skipped", "pages_expected"])
    except Superseded:
        logger.warning("Sync run %s of data source %s was interrupted meanwhile: stopped", run.pk, source.pk)
        run.refresh_from_db()
        return run
    except (ConnectorError, RecordError) as error:  # RecordError: a record out of range, named
        run.errors = [*run.errors, {"stream": run.stream, "reason": str(error)}]
    except Exception as error:  # a bug or an unexpected answer: keep the run honest, log for the team
        logger.exception("Sync of data source %s failed", source.pk)
        run.errors = [
            *run.errors,
            {
                "stream": run.stream,
                "reason": gettext("The sync stopped on an unexpected error (%(kind)s). It will resume from here.")
                % {"kind": type(error).__name__},
            },
        ]
    run.finished_at = timezone.now()
    run.status = SyncStatus.FAILED if run.errors else SyncStatus.SUCCEEDED
    run.save()
    if run.errors:
        source.status = SourceStatus.FAILING
        source.save(update_fields=["status"])
    else:
        source.status = SourceStatus.OK
        source.last_success_at = run.finished_at
        source.save(update_fields=["status", "last_success_at"])
        notify_success(source, run)
    return run
