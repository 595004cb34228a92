"""Writes of the connectors app: adding sources, asking for syncs, importing uploaded files."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from journey.models import SME

from . import progress
from .models import DataSource, SourceKind, SourceStatus, SyncRun, SyncStatus, SyncTrigger
from .sync import runs_interrupt_stale
from .tasks import file_import_task, sync_source_task


def source_add(*, sme: SME, kind: str, base_url: str = "", credentials: dict | None = None, options=None) -> DataSource:
    """Connect a shop or analytics property to the SME (or update the credentials of the same one).

    A shop of that platform awaiting connection (``SourceStatus.AWAITING``: the SME said which
    platform it runs, nobody connected it yet) becomes this one, rather than staying beside it.
    """
    base_url = base_url.rstrip("/")
    source = DataSource.objects.filter(sme=sme, kind=kind, base_url=base_url).first()
    if source is None:
        source = DataSource.objects.filter(sme=sme, kind=kind, base_url="", status=SourceStatus.AWAITING).first()
    if source is None:
        source = DataSource(sme=sme, kind=kind, base_url=base_url)
    source.base_url = base_url
    if source.status == SourceStatus.AWAITING:  # connected now: the reviews count it from today
        source.status, source.created_at = SourceStatus.NEW, timezone.now()
    if credentials is not None:
        source.credentials = credentials
    if options is not None:
        source.options = options
    source.save()
    return source


def analytics_source_add(*, sme: SME, property_id: str, key: dict) -> DataSource:
    """Connect the SME's Google Analytics 4 property (one per SME; a new property replaces the old).

    Another property than the one connected: the old one's figures go, and the new one is read
    from the start.
    """
    from .models import SourceKind

    existing = DataSource.objects.filter(sme=sme, kind=SourceKind.GA4, base_url="").first()
    options = {**(existing.options if existing else {}), "property": property_id}
    source = source_add(sme=sme, kind=SourceKind.GA4, credentials={"key": key}, options=options)
    if existing is not None and existing.options.get("property") != property_id:
        source.analytics.all().delete()
        source.cursor = {}
        source.save(update_fields=["cursor"])
    return source


def source_arrivals(sources) -> dict[int, dict]:
    """What came in from each connected source: its products, and its orders with the first and last day.

    ``{source pk: {"products": n, "orders": n, "first": datetime | None, "last": datetime | None}}``,
    for the data page after a sync.
    """
    from django.db.models import Count, Max, Min

    from .models import Order, Product

    ids = [source.pk for source in sources]
    products = dict(
        Product.objects.filter(source_id__in=ids)
        .values("source_id")
        .annotate(n=Count("id"))
        .values_list("source_id", "n")
    )
    figures = {
        source_id: {"products": products.get(source_id, 0), "orders": 0, "first": None, "last": None}
        for source_id in ids
    }
    orders = (
        Order.objects.filter(source_id__in=ids)
        .values("source_id")
        .annotate(n=Count("id"), first=Min("placed_at"), last=Max("placed_at"))
    )
    for row in orders:
        figures[row["source_id"]].update(orders=row["n"], first=row["first"], last=row["last"])
    return figures


def source_currency_set(*, source: DataSource, currency: str) -> DataSource:
    """Set the shop's currency (``options["currency"]``, an ISO 4217 code): the writer stores every amount
    in it from the next sync or import on (``connectors.writer.shop_currency``)."""
    with transaction.atomic():
        source = DataSource.objects.select_for_update().get(pk=source.pk)
        source.options = {**(source.options or {}), "currency": currency}
        source.save(update_fields=["options"])
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
    """Import an uploaded orders or products file (all or nothing); tell the toolkit when data changed.

    A file above ``CONNECTORS_UPLOAD_MAX_BYTES`` is refused unread (the view refuses it even
    before it is received, see ``connectors.uploads``).
    """
    from .files.importer import ImportResult, Status, orders_file_import, products_file_import
    from .sync import notify_success

    if uploaded.size > settings.CONNECTORS_UPLOAD_MAX_BYTES:
        return ImportResult(Status.UNREADABLE, stream, message=upload_too_large_message())
    importer = orders_file_import if stream == "orders" else products_file_import
    result = importer(
        sme=sme,
        path_or_file=uploaded,
        mapping=mapping or None,
        language=language,
        filename=uploaded.name,
        source=file_source_for(sme=sme),
    )
    if result.status == Status.IMPORTED and result.run is not None:
        notify_success(result.run.source, result.run)
    return result


def upload_too_large_message() -> str:
    megabytes = max(1, settings.CONNECTORS_UPLOAD_MAX_BYTES // (1024 * 1024))
    return gettext(
        "The file is too large: at most %(size)s MB may be uploaded. Split it, or compress it (.zip, .gz)."
    ) % {"size": number_format(megabytes)}


def file_upload_queue(
    *, sme: SME, uploaded, stream: str = "orders", mapping: dict | None = None, language: str = ""
) -> SyncRun:
    """Queue the import of an uploaded file as a task (``file_import_run``); its run shows the progress.

    The file is kept in ``CONNECTORS_IMPORT_DIR`` (private: never under MEDIA_ROOT) until the
    task has read it; the workers must see that directory.
    """
    from .files.layouts import ORDERS, PRODUCTS

    stream = PRODUCTS if stream == PRODUCTS else ORDERS
    run = SyncRun.objects.create(
        source=file_source_for(sme=sme), trigger=SyncTrigger.UPLOAD, status=SyncStatus.QUEUED, stream=stream
    )
    suffix = "".join(Path(uploaded.name).suffixes[-2:])[:20]
    stored = _import_storage().save(f"{run.pk}-{secrets.token_hex(8)}{suffix}", uploaded)
    arguments = (run.pk, stored, stream, mapping or {}, language or "", uploaded.name[:200])
    transaction.on_commit(lambda: file_import_task.delay(*arguments))
    return run


def file_import_run(
    *, run_id: int, stored: str, stream: str, mapping: dict, language: str, filename: str
) -> SyncRun | None:
    """The task's part: import the stored file on its queued run, reporting progress, then delete the file."""
    from .files.importer import Status, orders_file_import, products_file_import
    from .sync import notify_success

    storage = _import_storage()
    run = SyncRun.objects.select_related("source__sme__launchpad").filter(pk=run_id).first()
    try:
        if run is None or run.status != SyncStatus.QUEUED:
            return run
        importer = products_file_import if stream == "products" else orders_file_import
        result = importer(
            sme=run.source.sme,
            path_or_file=storage.path(stored),
            mapping=mapping or None,
            language=language or None,
            filename=filename,
            run=run,
            progress=lambda fraction: progress.report(run_id, fraction),
            source=run.source,
        )
        if result.status in (Status.UNREADABLE, Status.UNKNOWN_LAYOUT) and run.status != SyncStatus.FAILED:
            run.errors = [{"stream": stream, "reason": result.message}]  # in the user's language
            run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
            run.save()
        if result.status == Status.IMPORTED:
            notify_success(run.source, run)
        return run
    finally:
        progress.forget(run_id)
        storage.delete(stored)


def _import_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.CONNECTORS_IMPORT_DIR)
