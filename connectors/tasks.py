"""Syncs as Celery tasks: nightly for every source, and on demand."""

from celery import shared_task

from .models import UNSYNCED_STATUSES, DataSource, SourceKind, SyncRun, SyncStatus, SyncTrigger
from .sync import runs_interrupt_stale, source_sync


@shared_task
def sync_source_task(source_id: int, trigger: str = SyncTrigger.MANUAL, run_id: int | None = None) -> int:
    """Sync one data source; returns the id of its ``SyncRun``."""
    source = DataSource.objects.get(pk=source_id)
    run = SyncRun.objects.filter(pk=run_id).first() if run_id else None
    if run is not None and run.status != SyncStatus.QUEUED:
        return run.pk  # interrupted while it waited in the queue (a newer run took over), or a repeat delivery
    return source_sync(source=source, trigger=trigger, run=run).pk


@shared_task
def sync_all_sources() -> int:
    """The nightly schedule: queue a sync of every connected source (files are imported, not synced).

    Runs left queued or running by a killed worker are marked interrupted first.
    """
    runs_interrupt_stale()
    sources = DataSource.objects.exclude(kind=SourceKind.FILE).exclude(status__in=UNSYNCED_STATUSES)
    ids = list(sources.values_list("pk", flat=True))
    for source_id in ids:
        sync_source_task.delay(source_id, SyncTrigger.SCHEDULE)
    return len(ids)


@shared_task
def file_import_task(run_id: int, stored: str, stream: str, mapping: dict, language: str, filename: str) -> int | None:
    """Import an uploaded file queued by ``services.file_upload_queue``; returns its run's id."""
    from .services import file_import_run  # services queue this task

    run = file_import_run(
        run_id=run_id, stored=stored, stream=stream, mapping=mapping, language=language, filename=filename
    )
    return run.pk if run else None


@shared_task
def webhook_write_task(delivery_id: int) -> int | None:
    """Write a signed webhook delivery stored by ``webhooks.webhook_receive`` (a no-op once written)."""
    from .webhooks import webhook_write

    delivery = webhook_write(delivery_id)
    return delivery.pk if delivery else None


@shared_task
def webhook_refresh_task(source_id: int) -> tuple[int, int]:
    """After a burst of webhooks: refresh what depends on the source's data once (``webhooks.changes_refresh``)."""
    from .webhooks import changes_refresh

    return changes_refresh(source_id)
