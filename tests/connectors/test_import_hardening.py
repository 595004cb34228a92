"""Issue 14, items 1, 6 and 10: what an outside probe broke in file imports, and stays fixed.

Dates out of any plausible range, numbers that cost minutes, files that cost gigabytes,
damaged files, NUL bytes and two imports at once: each is a named bad row or a clear message,
nothing is written, and no upload answers 500.
"""

from __future__ import annotations

import datetime
import gzip
import importlib
import io
import threading
import tracemalloc
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from connectors import progress
from connectors.files import cells, importer, passes
from connectors.files.importer import Status, orders_file_import
from connectors.models import DataSource, Order, OrderLine, Product, SourceKind, SyncRun, SyncStatus
from connectors.records import OrderLineRecord, OrderRecord, RecordError
from connectors.sync import source_sync
from connectors.writer import write_page
from tests.connectors.scripted import ScriptedConnector
from tests.journey.factories import SMEFactory, SMEUserFactory

pytestmark = pytest.mark.django_db

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
GOOD = "536365,85123A,HEART HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sme():
    return SMEFactory(slug="acme")


@pytest.fixture
def owner(sme):
    return SMEUserFactory(sme=sme)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def orders_csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode()


def post(client, sme, name, content, **data):
    return client.post(f"/en/portal/smes/{sme.slug}/data/upload/", {"file": upload(name, content), **data})


def nothing_written():
    return not Order.objects.exists() and not OrderLine.objects.exists() and not Product.objects.exists()


# -- 1. dates --------------------------------------------------------------------------------------

OUT_OF_RANGE = [
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "1989-12-31 23:00:00",
    "01/01/0001 10:00",
    "31/12/2099 10:00",
]


@pytest.mark.parametrize("date", OUT_OF_RANGE)
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_date_out_of_range_is_a_named_bad_row_and_nothing_is_written(sme, date, dry_run):
    content = orders_csv(GOOD, f"536366,71053,LANTERN,6,{date},3.39,17850.0,United Kingdom\n")
    result = orders_file_import(sme=sme, path_or_file=upload("dates.csv", content), dry_run=dry_run)
    assert result.status == Status.INVALID
    assert [(error.line, error.column, error.value) for error in result.errors] == [(3, "InvoiceDate", date)]
    assert result.errors[0].reason.startswith("The date must be between 1990-01-01 and ")
    assert nothing_written()


def test_a_date_two_days_ahead_is_refused_one_day_ahead_is_not(sme):
    tomorrow = (timezone.now() + datetime.timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    later = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    content = orders_csv(f"1,A,MUG,1,{tomorrow},2.00,,United Kingdom\n", f"2,A,MUG,1,{later},2.00,,United Kingdom\n")
    result = orders_file_import(sme=sme, path_or_file=upload("ahead.csv", content))
    assert [(error.line, error.value) for error in result.errors] == [(3, later)]


@override_settings(CONNECTORS_EARLIEST_DATE=datetime.date(2011, 1, 1), CONNECTORS_DAYS_AHEAD=0)
def test_the_bounds_are_settings(sme):
    result = orders_file_import(sme=sme, path_or_file=upload("old.csv", orders_csv(GOOD)))
    assert result.status == Status.INVALID
    assert "between 2011-01-01 and" in result.errors[0].reason


def test_a_spreadsheet_date_out_of_range_is_named(sme, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["1", "A", "MUG", 1, datetime.datetime(2010, 12, 1, 8, 26), 2.55, "", "United Kingdom"])
    sheet.append(["2", "A", "MUG", 1, datetime.datetime(1900, 1, 1), 2.55, "", "United Kingdom"])
    sheet.append(["3", "A", "MUG", 1, 79999, 2.55, "", "United Kingdom"])  # a serial date in 2118
    workbook.save(tmp_path / "dates.xlsx")
    result = orders_file_import(sme=sme, path_or_file=tmp_path / "dates.xlsx")
    assert [(error.line, error.column) for error in result.errors] == [(3, "InvoiceDate"), (4, "InvoiceDate")]
    assert nothing_written()


def test_the_upload_of_a_year_one_order_names_it_and_answers_422(client, owner):
    client.force_login(owner)
    content = b"InvoiceNo,InvoiceDate,StockCode,Quantity,UnitPrice\n1,0001-01-01T00:30:00+01:00,A,1,2\n"
    response = post(client, owner.sme, "year1.csv", content)
    assert response.status_code == 422
    table = response.content.decode().split('data-testid="bad-rows"')[1].split("</table>")[0]
    assert "<td>2</td><td>InvoiceDate</td><td>0001-01-01T00:30:00+01:00</td>" in table
    assert nothing_written()
    assert client.get(f"/en/portal/smes/{owner.sme.slug}/data/").status_code == 200


def test_the_writer_refuses_a_page_with_a_date_out_of_range_from_any_source(sme):
    source = DataSource.objects.create(sme=sme, kind=SourceKind.FILE)
    good = OrderRecord("ok", datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC), [OrderLineRecord("1", 1, Decimal(1))])
    bad = OrderRecord("#1001", datetime.datetime(1, 1, 1, tzinfo=datetime.UTC), [OrderLineRecord("1", 1, Decimal(1))])
    with pytest.raises(RecordError, match="Order #1001 has the date 0001-01-01 00:00:00"):
        write_page(source, "orders", [good, bad])
    assert nothing_written()


def test_a_shop_sending_a_date_out_of_range_fails_its_sync_naming_the_order(scripted):
    source = DataSource.objects.create(sme=SMEFactory(), kind="scripted", base_url="https://shop.example")
    far = OrderRecord("#9999", datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC))
    ScriptedConnector.SCRIPT = {"orders": [[far]]}
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED
    assert run.errors[0]["reason"].startswith("Order #9999 has the date 9999-12-31")
    assert not Order.objects.exists()


def test_the_migration_removes_stored_orders_out_of_range_and_names_them(client, owner):
    """An order stored before dates were checked: removed, named on the data page, which then answers."""
    source = DataSource.objects.create(sme=owner.sme, kind=SourceKind.FILE)
    kept = Order.objects.create(
        sme=owner.sme, source=source, external_id="kept", placed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    for external_id, placed_at in (("year1", "0001-01-01 00:30:00+01:00"), ("year9999", "9999-12-31 23:59:59-01:00")):
        order = Order.objects.create(sme=owner.sme, source=source, external_id=external_id, placed_at=timezone.now())
        OrderLine.objects.create(order=order, line_key="1", quantity=1, unit_price=1)
        with connection.cursor() as cursor:  # as a file once stored them, below what the ORM lets through
            value = (
                placed_at
                if connection.vendor == "postgresql"
                else placed_at[:19].replace("0001-01-01 00", "0000-12-31 23")
            )
            cursor.execute("UPDATE connectors_order SET placed_at = %s WHERE id = %s", [value, order.pk])
    migration = importlib.import_module("connectors.migrations.0003_orders_out_of_range_quarantined")
    migration.quarantine(django_apps, SimpleNamespace(connection=connection))  # all RunPython gives it
    assert list(Order.objects.values_list("external_id", flat=True)) == [kept.external_id]
    assert OrderLine.objects.count() == 0
    run = SyncRun.objects.get(source=source)
    assert run.status == SyncStatus.FAILED
    assert [error["reason"].split(" had the date")[0] for error in run.errors] == ["Order year1", "Order year9999"]
    client.force_login(owner)
    page = client.get(f"/en/portal/smes/{owner.sme.slug}/data/")
    assert page.status_code == 200
    assert "Order year1 had the date" in page.content.decode()


# -- 6 and 10. numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price", "column", "reason"),
    [
        ("1e1000000", "2.55", "Quantity", "The number is too large."),
        ("--5", "2.55", "Quantity", "Not a number."),
        ("6", "1e26", "UnitPrice", "The number is too large."),
        ("6", "1" * 30, "UnitPrice", "The number is too large."),
        ("6", "1e-1000000", "UnitPrice", "The number is too large."),
        ("1" * 30, "2.55", "Quantity", "The number is too large."),
        ("6", "NaN", "UnitPrice", "Not a number."),
    ],
)
def test_numbers_are_read_with_bounded_digits_and_named(sme, quantity, price, column, reason):
    content = orders_csv(GOOD, f"536366,71053,LANTERN,{quantity},2010-12-01 08:26:00,{price},,United Kingdom\n")
    result = orders_file_import(sme=sme, path_or_file=upload("numbers.csv", content))
    assert result.status == Status.INVALID, result.message
    assert [(error.line, error.column, error.reason) for error in result.errors] == [(3, column, reason)]
    assert nothing_written()


@pytest.mark.parametrize("text", ["1e1000000", "1E+100", "9" * 30, "1e26", "0." + "1" * 25, "1" * 41])
def test_numbers_beyond_the_bounds_are_refused_from_their_text(text):
    """Refused before ``Decimal`` or ``int`` builds them: a million-digit integer took 28 s to make."""
    with pytest.raises(cells.NumberTooLarge):
        cells.parse_decimal(text, False)
    with pytest.raises(cells.NumberTooLarge):
        cells.parse_integer(text, False)


def test_a_products_file_with_a_huge_price_is_named_not_a_500(client, owner):
    client.force_login(owner)
    content = b"SKU,Title,Price\nMUG-1,Mug,9.50\nMUG-2,Big mug,100000000000000000000000000\n"
    response = post(client, owner.sme, "products.csv", content, stream="products")
    assert response.status_code == 422
    assert "<td>3</td><td>Price</td>" in response.content.decode()
    assert nothing_written()


def test_a_spreadsheet_cell_of_ten_to_the_thirty_is_named(sme, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["1", "A", "MUG", 10**30, datetime.datetime(2010, 12, 1), 2.55, "", "United Kingdom"])
    sheet.append(["2", "A", "MUG", 1, datetime.datetime(2010, 12, 1), 1e30, "", "United Kingdom"])
    workbook.save(tmp_path / "big.xlsx")
    result = orders_file_import(sme=sme, path_or_file=tmp_path / "big.xlsx")
    assert [(error.line, error.column, error.reason) for error in result.errors] == [
        (2, "Quantity", "The number is too large."),
        (3, "UnitPrice", "The number is too large."),
    ]


# -- 6. resource exhaustion ------------------------------------------------------------------------


@override_settings(CONNECTORS_UPLOAD_MAX_BYTES=10_000)
def test_an_upload_above_the_limit_is_refused_before_it_is_read(client, owner, monkeypatch):
    def never(**kwargs):
        raise AssertionError("a file above the limit was imported")

    monkeypatch.setattr("connectors.views.file_upload_import", never)
    client.force_login(owner)
    content = orders_csv(*[GOOD] * 2000)  # about 150 KB
    response = post(client, owner.sme, "big.csv", content)
    assert response.status_code == 413
    assert "The file is too large: at most 1 MB may be uploaded." in response.content.decode()  # 10 KB, shown as 1 MB
    assert nothing_written()


def test_the_upload_limit_is_fifty_megabytes_by_default(settings):
    assert settings.CONNECTORS_UPLOAD_MAX_BYTES == 50 * 1024 * 1024


XML = '<?xml version="1.0" encoding="UTF-8"?>'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _workbook_with_one_shared_string(size: int, text: bytes = b"x") -> bytes:
    """A minimal valid XLSX whose one cell is a shared string: ``text`` repeated to ``size`` bytes.

    Written part by part, streamed: neither the test nor the zip holds the cell (it compresses well).
    """
    parts = {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="{PACKAGE}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CONTENT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CONTENT}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'{XML}<worksheet xmlns="{MAIN}"><dimension ref="A1"/>'
            '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part_text in parts.items():
            archive.writestr(name, part_text)
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(f'{XML}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            chunk = text * max(1, min(size, 1024 * 1024) // len(text))
            for _ in range(max(1, size // len(chunk))):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return buffer.getvalue()


def test_a_small_workbook_holding_a_huge_cell_is_refused_with_little_memory(sme):
    content = _workbook_with_one_shared_string(300 * 1024 * 1024)
    assert len(content) < 1024 * 1024  # 300 MB of one cell compress to a few hundred KB
    tracemalloc.start()
    try:
        result = orders_file_import(sme=sme, path_or_file=upload("cell.xlsx", content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.status == Status.UNREADABLE
    assert "its part xl/sharedStrings.xml is more than 64 MB" in result.message
    assert peak < 20 * 1024 * 1024


def test_a_sparse_sheet_reaching_column_xfd_is_refused_before_its_rows_are_read(sme, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet["XFD2"] = "far"
    sheet["A1048576"] = "low"
    workbook.save(tmp_path / "sparse.xlsx")
    result = orders_file_import(sme=sme, path_or_file=tmp_path / "sparse.xlsx")
    assert result.status == Status.UNREADABLE
    assert result.message == "Line 1 has 16,384 columns: at most 500 are read."


@override_settings(CONNECTORS_IMPORT_MAX_ROWS=5)
def test_rows_beyond_the_cap_stop_the_reading(sme):
    result = orders_file_import(sme=sme, path_or_file=upload("rows.csv", orders_csv(*[GOOD] * 10)))
    assert result.status == Status.UNREADABLE
    assert result.message == "The file has more than 5 rows: split it into smaller files."
    assert nothing_written()


@override_settings(CONNECTORS_IMPORT_MAX_COLUMNS=10)
def test_a_csv_line_with_too_many_columns_is_named(sme):
    content = orders_csv(GOOD, GOOD.strip() + "," * 20 + "\n")
    result = orders_file_import(sme=sme, path_or_file=upload("wide.csv", content))
    assert result.message == "Line 3 has 28 columns: at most 10 are read."
    assert nothing_written()


@override_settings(CONNECTORS_IMPORT_MAX_CELL_CHARS=1000)
def test_a_cell_or_a_line_beyond_the_caps_is_named(sme):
    content = orders_csv(GOOD, GOOD, f'536366,71053,"{"x" * 2000}",6,2010-12-01 08:26:00,2.55,,UK\n')
    result = orders_file_import(sme=sme, path_or_file=upload("cell.csv", content))
    assert result.status == Status.UNREADABLE
    assert result.message.startswith("Line 4 cannot be read as CSV: field larger than field limit")
    content = orders_csv(GOOD, "x," * 9000 + "\n")  # 18,000 bytes: over 4 bytes a character at most
    result = orders_file_import(sme=sme, path_or_file=upload("line.csv", content))
    assert result.message == "Line 3 is too long: more than 4,000 characters."


@override_settings(CONNECTORS_IMPORT_MAX_UNPACKED_BYTES=1024 * 1024)
def test_a_gzip_bomb_stops_at_the_unpacked_limit(sme):
    content = gzip.compress(orders_csv(*[GOOD] * 30_000))  # 2.3 MB unpacked
    result = orders_file_import(sme=sme, path_or_file=upload("bomb.csv.gz", content))
    assert result.status == Status.UNREADABLE
    assert "too large once decompressed" in result.message
    assert nothing_written()


# -- 10. damaged files, NUL bytes, two imports at once ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.csv", b"\xff\xfe" + orders_csv(GOOD).decode().encode("utf-16-le")[:-1], "cannot be read as utf-16 text"),
        ("cut.csv.gz", gzip.compress(orders_csv(GOOD, GOOD))[:-12], "The compressed file is damaged"),
        (
            "nul.csv",
            orders_csv(GOOD * 2000, "536366,71053,LAN\x00TERN,6,2010-12-01 08:26:00,2.55,,UK\n"),
            "Line 2002 holds a NUL",
        ),
    ],
)
def test_a_damaged_file_is_a_clear_message_never_a_500(client, owner, name, content, message):
    result = orders_file_import(sme=owner.sme, path_or_file=upload(name, content))
    assert result.status == Status.UNREADABLE
    assert message in result.message
    client.force_login(owner)
    response = post(client, owner.sme, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert nothing_written()


def test_a_nul_character_in_a_spreadsheet_row_is_named(sme, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["1", "A", "MUG", 1, datetime.datetime(2010, 12, 1), 2.55, "", "United Kingdom"])
    sheet.append(["2", "A", "BOWL", 1, datetime.datetime(2010, 12, 1), 2.55, "", "United Kingdom"])
    workbook.save(tmp_path / "nul.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(tmp_path / "nul.xlsx") as source, zipfile.ZipFile(buffer, "w") as damaged:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b">BOWL<", b">BO&#0;WL<")  # XML forbids it: a damaged row
            damaged.writestr(info, data)
    result = orders_file_import(sme=sme, path_or_file=upload("nul.xlsx", buffer.getvalue()))
    assert result.status == Status.UNREADABLE
    assert result.message.startswith("Row 3 of the spreadsheet cannot be read")
    assert nothing_written()


# Serialized rollback: the flush after a transactional test otherwise re-creates the content types
# with new ids (post_migrate), and every later browser test, which restores the migrated rows, then
# collides with them on PostgreSQL.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_imports_of_one_file_leave_the_loser_a_clear_message(monkeypatch):
    sme = SMEFactory()
    content = orders_csv(*[f"{n},A,MUG,1,2010-12-01 08:26:00,2.00,,United Kingdom\n" for n in range(1, 200)])
    both_writing = threading.Barrier(2, timeout=2)
    write = importer.write_page

    def write_together(source, stream, page):
        try:  # the two imports' first pages are written at the same time, where they can
            both_writing.wait()
        except threading.BrokenBarrierError:
            pass
        return write(source, stream, page)

    monkeypatch.setattr(importer, "write_page", write_together)
    results = []

    def run():
        try:
            with translation.override("en"):
                results.append(orders_file_import(sme=sme, path_or_file=upload("same.csv", content)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(result.status for result in results)
    assert len(statuses) == 2  # neither raised
    assert Status.IMPORTED in statuses
    assert all(result.status in (Status.IMPORTED, Status.BUSY) for result in results), [r.message for r in results]
    for result in results:
        if result.status == Status.BUSY:
            assert result.message.startswith("Another import of this company's data was running at the same time")
    assert Order.objects.filter(sme=sme).count() == 199


# -- 6. large imports run as a task, with the sync's progress bar ----------------------------------


def test_a_large_file_is_imported_by_a_task_with_progress(
    client, owner, tmp_path, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.CONNECTORS_IMPORT_INLINE_MAX_BYTES = (
        1000  # the settings fixture only: mixed with override_settings, it leaks
    )
    settings.CONNECTORS_IMPORT_DIR = str(tmp_path)
    reported = []
    monkeypatch.setattr(passes, "PROGRESS_ROWS", 100)
    monkeypatch.setattr(progress, "report", lambda run_id, fraction: reported.append(fraction))
    client.force_login(owner)
    content = orders_csv(*[f"{n},A,MUG,1,2010-12-01 08:26:00,2.00,,United Kingdom\n" for n in range(1, 1000)])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, owner.sme, "large.csv", content)
    assert response.status_code == 302
    run = SyncRun.objects.get(source__sme=owner.sme)
    assert response["Location"].endswith(f"/data/?run={run.pk}")
    assert run.status == SyncStatus.SUCCEEDED
    assert run.trigger == "upload"
    assert Order.objects.filter(sme=owner.sme).count() == 999
    assert len(reported) == 9 and reported == sorted(reported) and 0 < reported[0] < reported[-1] <= 1
    assert list(tmp_path.iterdir()) == []  # the stored file is gone


def test_a_large_file_with_bad_rows_fails_its_run_naming_them(
    client, owner, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.CONNECTORS_IMPORT_INLINE_MAX_BYTES = (
        100  # the settings fixture only: mixed with override_settings, it leaks
    )
    settings.CONNECTORS_IMPORT_DIR = str(tmp_path)
    client.force_login(owner)
    content = orders_csv(GOOD, "536366,71053,LANTERN,six,2010-12-01 08:26:00,3.39,,United Kingdom\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, owner.sme, "bad.csv", content).status_code == 302
    run = SyncRun.objects.get(source__sme=owner.sme)
    assert run.status == SyncStatus.FAILED
    assert "Line 3, column “Quantity”, value “six”" in run.errors[1]["reason"]
    assert nothing_written()


def test_a_large_file_of_an_unknown_layout_asks_for_its_columns_at_once(client, owner, tmp_path, settings):
    settings.CONNECTORS_IMPORT_INLINE_MAX_BYTES = (
        10  # the settings fixture only: mixed with override_settings, it leaks
    )
    settings.CONNECTORS_IMPORT_DIR = str(tmp_path)
    client.force_login(owner)
    response = post(client, owner.sme, "mine.csv", b"ref;when;item;qty;each\nA1;2026-03-01;MUG;2;9.50\n")
    assert response.status_code == 422
    assert 'data-testid="mapping-form"' in response.content.decode()
    assert not SyncRun.objects.exists()


def test_the_run_status_shows_the_progress_a_task_reported(client, owner):
    source = DataSource.objects.create(sme=owner.sme, kind=SourceKind.FILE)
    run = SyncRun.objects.create(source=source, trigger="upload", status=SyncStatus.RUNNING)
    progress.report(run.pk, 0.42)
    client.force_login(owner)
    assert client.get(f"/en/portal/smes/{owner.sme.slug}/data/runs/{run.pk}/").json()["progress"] == 42
