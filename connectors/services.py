"""Writes of the connectors app: adding sources and asking for syncs."""

from __future__ import annotations

from django.db import transaction

from journey.models import SME

from .models import DataSource, SourceKind, SyncRun, SyncStatus, SyncTrigger
from .sync import runs_interrupt_stale
from .tasks import sync_source_task


def source_add(*, sme: SME, kind: str, base_url: str = "", credentials: dict | None = None, options=None) -> DataSource:
    """Connect a shop or analytics property to the SME (or update the credentials of the same one)."""
    source, _ = DataSource.objects.get_or_create(sme=sme, kind=kind, base_url=base_url.rstrip("/"))
    if credentials is not None:
        source.credentials = credentials
    if options is not None:
        source.options = options
    source.save()
    return source


def file_source_for(*, sme: SME) -> DataSource:
    """The SME's uploaded-files source (one per SME)."""
    source, _ = DataSource.objects.get_or_create(sme=sme, kind=SourceKind.FILE, base_url="")
    return source


def source_sync_request(*, source: DataSource, trigger: str = SyncTrigger.MANUAL) -> SyncRun:
    """Queue a sync (or return the one already queued or running for this source).

    A queued or running run without a heartbeat for too long is marked interrupted first, so a
    killed worker never leaves "Sync now" dead: the new run resumes from the saved cursors.
    """
    runs_interrupt_stale(source=source)
    active = source.runs.filter(status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING]).first()
    if active:
        return active
    run = SyncRun.objects.create(source=source, trigger=trigger, status=SyncStatus.QUEUED)
    transaction.on_commit(lambda: sync_source_task.delay(source.pk, trigger, run.pk))
    return run


def file_upload_import(*, sme: SME, uploaded, stream: str = "orders", mapping: dict | None = None, language=None):
    """Import an uploaded orders or products file (all or nothing); tell the toolkit when data changed."""
    from .files.importer import Status, orders_file_import, products_file_import
    from .sync import notify_success

    importer = orders_file_import if stream == "orders" else products_file_import
    result = importer(
        sme=sme, path_or_file=uploaded, mapping=mapping or None, language=language, filename=uploaded.name
    )
    if result.status == Status.IMPORTED and result.run is not None:
        notify_success(result.run.source, result.run)
    return result
