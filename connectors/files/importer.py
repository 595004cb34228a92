"""Import an orders or products file for an SME: check every row first, then write it all or nothing.

1. Open and sniff the table (``reading``), recognise its layout by its headers (``layouts``)
   or take the user's column mapping; an unknown layout returns the file's headers and the
   fields we need, so the user can map them.
2. First pass, streaming, holding no model object: parse and check every row and collect
   each problem as (line as the user sees it, column header, value, reason in the user's
   language). Any problem: nothing is written and the report names the bad rows (the first
   ``MAX_LISTED_ERRORS``, and how many more). A products file's checked values are spooled to
   a temporary file as they go, so it is parsed only once.
3. Writing, only for a clean file: products from the spool, ``passes.PAGE_SIZE`` at a time through
   ``connectors.writer.write_page`` inside one transaction, so a failure writes nothing.
   An orders file (the big ones) is not spooled: rows are grouped into orders (consecutive
   rows of one order id; an id met again further down joins the same order) and its pages
   are written while pass 1 reads on, inside the same transaction, rolled back if pass 1
   finds a bad row; see ``PagesAhead`` and ``_import_orders``. The import is recorded as a
   ``SyncRun`` of the SME's file source (a rejected file too, as a failed run naming its
   first problems).

Memory is bounded by a page (plus the ids of the orders in the file, and any order whose
rows are scattered), never by the file. Re-importing a file changes nothing: an order's
external id is its id in the file, a line's key its position within the order.

The parts, each read without the others: ``rows`` (a column's rule and its error message),
``passes`` (rows grouped into records, a page at a time), ``ahead`` (the helper thread that
builds pages while this one writes), ``reading`` (the table, over ``streams`` and ``cells``).
This module chooses the layout, holds the transaction and its savepoints, and records the run
on the file source its caller gives (``connectors.services``): it never imports the services.
Why the speed techniques: ``docs/decisions/0002`` to ``0004``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from journey.models import SME

from ..models import DataSource, Order, Product, SourceKind, SourceStatus, SyncRun, SyncStatus, SyncTrigger
from ..writer import Counts, check_constraints_per_statement, write_page
from . import layouts, passes
from .ahead import PagesAhead, built_ahead, from_helper
from .layouts import ORDERS, PRODUCTS, FieldSpec, Layout
from .passes import Spool, check_orders, check_products, order_pages, product_pages, rows_again
from .reading import FileFormatError, Table, TableFormat
from .rows import OrderRowReader, ProductRowReader, RowError

logger = logging.getLogger(__name__)


class Status:
    IMPORTED = "imported"  # written (or nothing to change)
    CHECKED = "checked"  # dry run of a clean file: nothing written
    INVALID = "invalid"  # bad rows: nothing written, see errors
    UNKNOWN_LAYOUT = "unknown_layout"  # map the columns (headers, fields) and try again
    UNREADABLE = "unreadable"  # not a table we can read (message)
    FAILED = "failed"  # an unexpected error while writing: nothing written (message)
    BUSY = "busy"  # another import for the same SME ran at the same time: nothing written (message)


@dataclass
class ImportResult:
    status: str
    stream: str
    layout: str = ""  # the layout's name: online-retail, shopify, woocommerce, template, mapping
    layout_label: str = ""
    format: TableFormat | None = None
    records: int = 0  # orders (or products) in the file
    lines: int = 0  # order lines in the file
    counts: Counts = field(default_factory=Counts)
    existing: int = 0  # dry run: records of the file already imported (updated if changed)
    pages: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # all bad cells, listed or not
    headers: list[str] = field(default_factory=list)  # the file's, for the mapping form
    fields: list[FieldSpec] = field(default_factory=list)  # ours, for the mapping form
    message: str = ""
    run: SyncRun | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Status.IMPORTED, Status.CHECKED)

    @property
    def unlisted_errors(self) -> int:
        return self.error_count - len(self.errors)


# -- the services ------------------------------------------------------------------------------


def orders_file_import(
    *,
    sme: SME,
    path_or_file,
    layout: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    trigger: str = SyncTrigger.UPLOAD,
    language: str | None = None,
    filename: str = "",
    run: SyncRun | None = None,
    progress=None,
    source: DataSource | None = None,
) -> ImportResult:
    """Import an orders file (CSV or XLSX, plain, .gz or .zip) for ``sme``: everything or nothing.

    ``layout``: "auto" (recognised by the headers), "online-retail", "shopify", "woocommerce"
    or "template". ``mapping`` ({our field: their header}) imports any other layout. The
    report's reasons are in ``language`` (default: the active language). ``run``: a queued
    ``SyncRun`` to record the import on (a task's), else one is created; ``progress(fraction)``
    is called now and then with how much of the file the check has read. ``source``: the SME's
    file source the import is recorded on (``connectors.services.file_source_for``); without it,
    the SME's is looked up, and created if the import writes.
    """
    job = _Job(trigger, run, progress, source)
    return _import(ORDERS, sme, path_or_file, layout, mapping, dry_run, job, language, filename)


def products_file_import(
    *,
    sme: SME,
    path_or_file,
    layout: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    trigger: str = SyncTrigger.UPLOAD,
    language: str | None = None,
    filename: str = "",
    run: SyncRun | None = None,
    progress=None,
    source: DataSource | None = None,
) -> ImportResult:
    """Import a products file for ``sme``, like ``orders_file_import`` (layouts: shopify, woocommerce, template)."""
    job = _Job(trigger, run, progress, source)
    return _import(PRODUCTS, sme, path_or_file, layout, mapping, dry_run, job, language, filename)


def file_layout_problem(
    *, stream: str, path_or_file, mapping: dict | None = None, filename: str = "", language: str | None = None
) -> ImportResult | None:
    """What to tell the user at once about a file to be imported by a task: unreadable, or a layout to map.

    Only the header and a sample of rows are read. ``None``: the file opens and its layout is known.
    """
    if language:
        with translation.override(language):
            return file_layout_problem(stream=stream, path_or_file=path_or_file, mapping=mapping, filename=filename)
    try:
        table = Table(path_or_file, name=filename)
    except FileFormatError as error:
        return ImportResult(Status.UNREADABLE, stream, message=str(error))
    with table:
        chosen = _choose_layout(stream, table, "auto", mapping or None)
    return chosen if isinstance(chosen, ImportResult) else None


@dataclass
class _Job:
    """How an import is recorded: its trigger, the run given by a task (else one is created), its progress."""

    trigger: str
    run: SyncRun | None = None
    progress: object = None  # progress(fraction of the file read) or None
    source: DataSource | None = None  # the SME's file source, given by the caller (connectors.services)

    def source_for(self, sme: SME, *, create: bool = True) -> DataSource | None:
        """The SME's file source: the one given, else found (and created when ``create``)."""
        if self.source is None:
            lookup = {"sme": sme, "kind": SourceKind.FILE, "base_url": ""}
            if create:
                self.source = DataSource.objects.get_or_create(**lookup)[0]
            else:  # a dry run looks, never creates
                return DataSource.objects.filter(**lookup).first()
        return self.source

    def start(self, source: DataSource, stream: str, **fields) -> SyncRun:
        """The import's run, running (the given one, or a new one)."""
        if self.run is None:
            return SyncRun.objects.create(
                source=source, trigger=self.trigger, status=SyncStatus.RUNNING, stream=stream, **fields
            )
        run = self.run
        run.source, run.status, run.stream, run.started_at = source, SyncStatus.RUNNING, stream, timezone.now()
        for name, value in fields.items():
            setattr(run, name, value)
        run.save()
        return run


def _import(stream, sme, path_or_file, layout_name, mapping, dry_run, job, language, filename) -> ImportResult:
    if language:
        with translation.override(language):
            return _import(stream, sme, path_or_file, layout_name, mapping, dry_run, job, None, filename)
    try:
        table = Table(path_or_file, name=filename)
    except FileFormatError as error:
        return ImportResult(Status.UNREADABLE, stream, message=str(error))
    table.progress = job.progress
    with table, _collector_paused():
        try:
            return _import_table(stream, sme, table, layout_name, mapping, dry_run, job)
        except OperationalError as error:  # e.g. SQLite locked by a simultaneous import before ours began
            if not _is_contention(error):
                raise
            result = ImportResult(Status.BUSY, stream, message=_busy_message())
            if job.run is not None:
                job.run.errors = [{"stream": stream, "reason": result.message}]
                job.run.status, job.run.finished_at = SyncStatus.FAILED, timezone.now()
                job.run.save()
            return result


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while the rows stream through.

    An import allocates millions of short-lived tuples and, for each page, tens of thousands
    of records that live until the page is written: every collection of the oldest generation
    walks them all, which cost half of the writing pass. The import makes no reference cycles
    (memory stays bounded by a page, see bench/import_online_retail.py); the collector is back on
    at the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _choose_layout(stream, table, layout_name, mapping) -> tuple[Layout, dict] | ImportResult:
    headers = table.headers
    unknown = ImportResult(
        Status.UNKNOWN_LAYOUT, stream, format=table.format, headers=headers, fields=layouts.fields_for(stream)
    )
    if mapping:
        ours = {spec.name for spec in layouts.fields_for(stream)}
        present = {layouts.normalise(header) for header in headers}
        problems = []
        for name, header in mapping.items():
            if name not in ours:
                problems.append(gettext("“%(field)s” is not one of our fields.") % {"field": name})
            elif header and layouts.normalise(header) not in present:
                problems.append(gettext("The file has no column “%(header)s”.") % {"header": header})
        required = [spec for spec in layouts.fields_for(stream) if spec.required and not mapping.get(spec.name)]
        if stream == PRODUCTS and not (mapping.get("sku") or mapping.get("external_id")):
            required.append(layouts.PRODUCT_FIELDS[1])
        for spec in required:
            problems.append(gettext("Choose the column that holds: %(field)s.") % {"field": spec.label})
        if problems:
            unknown.message = " ".join(problems)
            return unknown
        chosen = layouts.mapped_layout(stream, mapping)
        return chosen, layouts.resolve(chosen, headers)
    if layout_name and layout_name != "auto":
        chosen = layouts.layout_named(stream, layout_name)
        if chosen is None:
            unknown.message = gettext("There is no layout called “%(name)s”.") % {"name": layout_name}
            return unknown
        found = layouts.resolve(chosen, headers)
        missing = [name for name in chosen.required if name not in found]
        if missing:
            labels = {spec.name: str(spec.label) for spec in layouts.fields_for(stream)}
            unknown.message = gettext("This file is not in the %(layout)s layout: no column for %(fields)s.") % {
                "layout": chosen.label,
                "fields": ", ".join(labels.get(name, name) for name in missing),
            }
            return unknown
        return chosen, found
    detected = layouts.detect(stream, headers)
    if detected is None:
        unknown.message = gettext("The columns of this file are not in a layout we know: say which column holds what.")
        return unknown
    return detected


def _import_table(stream, sme, table, layout_name, mapping, dry_run, job) -> ImportResult:
    chosen = _choose_layout(stream, table, layout_name, mapping)
    if isinstance(chosen, ImportResult):
        return chosen
    layout, found = chosen
    reader_class = OrderRowReader if stream == ORDERS else ProductRowReader
    options = {"layout": layout, "headers": table.headers, "found": found, "table_format": table.format, "sme": sme}
    result = ImportResult(Status.INVALID, stream, layout=layout.name, layout_label=str(layout.label))
    result.format = table.format
    reader = reader_class(**options)
    spool = None if dry_run or stream == ORDERS else Spool()  # orders: see _import_orders
    try:
        return _check_and_write(stream, sme, table, reader, spool, dry_run, job, result)
    finally:
        if spool is not None:
            spool.close()


def _check_and_write(stream, sme, table, reader, spool, dry_run, job, result) -> ImportResult:
    if stream == ORDERS and not dry_run:
        return _import_orders(sme, table, reader, job, result)
    try:
        if stream == ORDERS:
            checked = check_orders(table, reader)  # a dry run: orders are written by _import_orders
        else:
            checked = check_products(table, reader, spool)
    except FileFormatError as error:
        result.status, result.message = Status.UNREADABLE, str(error)
        return result
    result.records, result.lines = checked.records, checked.lines
    source = job.source_for(sme, create=not dry_run)
    if reader.errors.count:
        result.errors, result.error_count = reader.errors.listed, reader.errors.count
        result.message = gettext("Nothing was imported: %(count)s problems to fix in the file.") % {
            "count": reader.errors.count
        }
        if not dry_run:
            result.run = _record_rejection(source, job, stream, result)
        return result
    if dry_run:
        result.status = Status.CHECKED
        model = Order if stream == ORDERS else Product
        for start in range(0, len(checked.ids) if source else 0, passes.PAGE_SIZE):
            ids = checked.ids[start : start + passes.PAGE_SIZE]
            result.existing += model.objects.filter(source=source, external_id__in=ids).count()
        result.counts = Counts(created=checked.records - result.existing)
        result.pages = -(-checked.records // passes.PAGE_SIZE)
        return result
    checked.ids = []  # not needed any more: free it before the writing pass
    run = job.start(source, stream, pages_expected=-(-result.records // passes.PAGE_SIZE))
    result.run = run
    pages = product_pages(spool, reader)  # orders are written by _import_orders
    counts = Counts()
    try:
        with transaction.atomic(), built_ahead(pages) as pages:
            _lock_source(source)
            check_constraints_per_statement()  # the foreign key checks page by page, while the next page is built
            for page in pages:
                counts += write_page(source, stream, page)
                result.pages += 1
    except (_Busy, IntegrityError, OperationalError) as error:
        if not isinstance(error, _Busy) and not _is_contention(error):
            logger.exception("Import of a %s file for SME %s failed", stream, sme.pk)
            return _failed(run, result, stream, error)
        return _busy(run, result, stream)
    except Exception as error:
        logger.exception("Import of a %s file for SME %s failed", stream, sme.pk)
        return _failed(run, result, stream, error)
    return _imported(run, result, source, counts)


def _failed(run: SyncRun, result: ImportResult, stream: str, error: Exception) -> ImportResult:
    """An unexpected error stopped the writing (rolled back): the run fails, saying what kind of error."""
    result.status, result.pages = Status.FAILED, 0
    result.message = gettext("The import stopped on an unexpected error (%(kind)s): nothing was imported.") % {
        "kind": type(error).__name__
    }
    run.errors = [{"stream": stream, "reason": result.message}]
    run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
    run.save()
    return result


def _imported(run: SyncRun, result: ImportResult, source: DataSource, counts: Counts) -> ImportResult:
    """Every page written: the run succeeds with its counts, and the source is marked working."""
    result.status = Status.IMPORTED
    result.counts = counts
    run.status, run.finished_at = SyncStatus.SUCCEEDED, timezone.now()
    run.pages_expected = run.pages_expected or result.pages
    run.pages, run.created, run.updated, run.skipped = result.pages, counts.created, counts.updated, counts.skipped
    run.save()
    source.status, source.last_success_at = SourceStatus.OK, run.finished_at
    source.save(update_fields=["status", "last_success_at"])
    return result


class _Rejected(Exception):
    """Pass 1 found bad rows: what was written ahead is rolled back."""


MAX_SAVEPOINTS = 32  # a page from the 32nd on rolls back to the 32nd's savepoint


def _import_orders(sme, table, reader, job, result) -> ImportResult:
    """Check and write an orders file at once: pages are written while pass 1 reads on (``PagesAhead``).

    Pass 1 runs in a helper thread and hands each page of orders as soon as it may; this thread
    writes them in the import's transaction, each after a savepoint, while the helper reads on.
    Then: bad rows roll everything back; a page to redo (a scattered order, day/month dates
    read the wrong way) is rolled back to its savepoint; what is left is written from the file
    read again (rarely: most files are written whole while pass 1 reads them).
    """
    source = job.source_for(sme)
    run = job.start(source, ORDERS)
    result.run = run
    counts = Counts()
    checked: list = []  # [(pass 1's Checked, the PagesAhead)] once pass 1 is done
    marks: list[tuple] = []  # per page written ahead: (savepoint, its first line, counts and pages before it)

    def check(hand) -> None:
        ahead = PagesAhead(reader, hand)
        done = check_orders(table, reader, ahead)
        ahead.finish()
        hand((None, (done, ahead)))

    try:
        with transaction.atomic():
            _lock_source(source)
            check_constraints_per_statement()  # the foreign key checks page by page, while pass 1 reads on
            with from_helper(check) as handed:
                for first_line, page in handed:
                    if first_line is None:
                        checked.append(page)
                        continue
                    if len(marks) < MAX_SAVEPOINTS:
                        marks.append((transaction.savepoint(), first_line, dataclasses.replace(counts), result.pages))
                    counts += write_page(source, ORDERS, page)
                    result.pages += 1
            done, ahead = checked[0]
            result.records, result.lines = done.records, done.lines
            if reader.errors.count:
                raise _Rejected
            resume = ahead.resume_line
            if ahead.redo_from is not None:
                ahead.redo_from = min(ahead.redo_from, len(marks) - 1)  # the page of the savepoint rolled back to
                savepoint, resume, counts, result.pages = marks[ahead.redo_from]
                transaction.savepoint_rollback(savepoint)
            if resume is not None:
                rows = (row for row in rows_again(table, reader, resume) if not ahead.kept(row))
                with built_ahead(order_pages(rows, reader, done.scattered)) as pages:
                    for page in pages:
                        counts += write_page(source, ORDERS, page)
                        result.pages += 1
    except _Rejected:
        result.pages, result.counts = 0, Counts()
        result.errors, result.error_count = reader.errors.listed, reader.errors.count
        result.message = gettext("Nothing was imported: %(count)s problems to fix in the file.") % {
            "count": reader.errors.count
        }
        run.errors = [{"stream": ORDERS, "reason": result.message}]
        run.errors += [{"stream": ORDERS, "reason": str(error)} for error in result.errors[:20]]
        run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
        run.save()
        return result
    except FileFormatError as error:
        result.pages = 0
        result.status, result.message = Status.UNREADABLE, str(error)
        if job.run is None:
            run.delete()  # as when the file cannot be opened: no run
            result.run = None
        else:  # a task's run: it says why
            run.errors = [{"stream": ORDERS, "reason": result.message}]
            run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
            run.save()
        return result
    except (_Busy, IntegrityError, OperationalError) as error:
        if not isinstance(error, _Busy) and not _is_contention(error):
            logger.exception("Import of an orders file for SME %s failed", sme.pk)
            return _failed(run, result, ORDERS, error)
        return _busy(run, result, ORDERS)
    except Exception as error:
        logger.exception("Import of an orders file for SME %s failed", sme.pk)
        return _failed(run, result, ORDERS, error)
    return _imported(run, result, source, counts)


class _Busy(Exception):
    """Another import for the same SME holds its file source."""


def _lock_source(source: DataSource) -> None:
    """Hold the SME's file source for the import's transaction; another import holding it: ``_Busy``.

    Two imports of one file at once would both insert the same orders, and the second would
    fail on the unique (source, id) at the first one's commit. PostgreSQL: a row lock, refused at
    once (NOWAIT). SQLite writes one transaction at a time anyway (see ``_is_contention``).
    """
    try:
        with transaction.atomic():
            list(DataSource.objects.select_for_update(nowait=True).filter(pk=source.pk).values_list("pk"))
    except DatabaseError as error:
        raise _Busy from error


def _is_contention(error: Exception) -> bool:
    """A unique key taken by a simultaneous import, or the database's lock refused (SQLite's "locked")."""
    return isinstance(error, IntegrityError) or "lock" in str(error).lower()


def _busy_message() -> str:
    return gettext(
        "Another import of this company's data was running at the same time: nothing was imported from this file. "
        "Wait until it has finished, then import the file again if it is still needed."
    )


def _busy(run: SyncRun, result: ImportResult, stream: str) -> ImportResult:
    """Another import of this SME's data ran at the same time: this one wrote nothing, and says so."""
    result.status, result.pages, result.counts = Status.BUSY, 0, Counts()
    result.message = _busy_message()
    run.errors = [{"stream": stream, "reason": result.message}]
    run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
    run.save()
    return result


def _record_rejection(source: DataSource, job: _Job, stream: str, result: ImportResult) -> SyncRun:
    """A rejected file leaves a failed run with the first problems (the source's status is left as it was)."""
    now = timezone.now()
    errors = [{"stream": stream, "reason": result.message}]
    errors += [{"stream": stream, "reason": str(error)} for error in result.errors[:20]]
    run = job.start(source, stream)
    run.status, run.finished_at, run.errors = SyncStatus.FAILED, now, errors
    run.save()
    return run
