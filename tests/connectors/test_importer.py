"""File upload: orders and products files in every layout, encoding and packaging, all or nothing.

Fixtures in fixtures/files/: a 30-line sample of the UCI Online Retail file (CC BY 4.0, Daqing
Chen et al., UCI Machine Learning Repository) plain and gzipped, Shopify and WooCommerce order
and product exports in their own column names, a French Latin-1 file in our template.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from connectors.files import ahead, importer, passes, reading
from connectors.files.importer import Status, orders_file_import, products_file_import
from connectors.files.layouts import country_code
from connectors.files.template import template_bytes, template_headers
from connectors.models import DataSource, Order, OrderLine, Product, SourceKind, SourceStatus, SyncRun, SyncStatus
from tests.journey.factories import LaunchpadFactory, SMEFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "fixtures" / "files"
LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def english():
    """Reports in English unless a test asks otherwise (an earlier test may leave French active)."""
    with translation.override("en"):
        yield


@pytest.fixture
def sme():
    return SMEFactory(slug="acme")


@pytest.fixture
def french_sme():
    return SMEFactory(slug="poterie", launchpad=LaunchpadFactory(france=True))


def order(external_id: str) -> Order:
    return Order.objects.get(external_id=external_id)


def lines(external_id: str) -> list[tuple]:
    return list(
        OrderLine.objects.filter(order__external_id=external_id)
        .order_by("line_key")
        .values_list("line_key", "sku", "quantity", "unit_price")
    )


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


TEMPLATE_EN = "Order ID,Order date,Status,Currency,Customer country,SKU,Product,Quantity,Unit price\n"


# -- the UCI Online Retail layout ---------------------------------------------------------------


def test_the_online_retail_sample_is_recognised_and_imported(sme):
    result = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv")

    assert result.status == Status.IMPORTED and result.ok
    assert result.layout == "online-retail"
    assert (result.records, result.lines) == (10, 27)  # 30 rows: POST, DOT and D are not order lines
    assert (result.counts.created, result.counts.updated, result.counts.skipped) == (10, 0, 0)
    assert Order.objects.filter(sme=sme).count() == 10
    assert OrderLine.objects.filter(order__sme=sme).count() == 27

    first = order("536365")
    assert first.placed_at == datetime.datetime(2010, 12, 1, 8, 26, tzinfo=LONDON)
    assert (first.currency, first.customer_country, first.status) == ("GBP", "GB", "completed")
    assert lines("536365")[0] == ("1", "85123A", 6, Decimal("2.55"))
    assert len(lines("536365")) == 7
    # A cancellation's lines are returns: negative quantities, the order itself "completed".
    cancelled = order("C536391")
    assert cancelled.status == "completed"
    assert lines("C536391")[0] == ("1", "22556", -12, Decimal("1.65"))
    assert all(quantity < 0 for _, _, quantity, _ in lines("C536391"))
    # Postage is shipping charged, a "Discount" line a discount; neither is an order line.
    assert order("536403").shipping == Decimal("15.00")
    assert order("536403").customer_country == "NL"
    assert lines("536403") == [("1", "22867", 96, Decimal("1.85"))]
    assert order("536544").shipping == Decimal("569.77")
    assert (order("C536379").discounts, lines("C536379")) == (Decimal("27.50"), [])
    assert order("536540").customer_country == "IE"  # EIRE
    assert OrderLine.objects.get(order__external_id="536540", sku="85071C").description == (
        'CHARLIE+LOLA"EXTREMELY BUSY" SIGN'
    )

    run = result.run
    assert (run.trigger, run.status, run.stream, run.pages) == ("upload", SyncStatus.SUCCEEDED, "orders", 1)
    assert (run.created, run.updated, run.skipped) == (10, 0, 0)
    assert run.source.kind == SourceKind.FILE and run.source.status == SourceStatus.OK


def test_importing_the_same_file_again_creates_nothing(sme):
    orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv")
    again = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv.gz")

    assert again.format.compression == "gzip"
    assert (again.counts.created, again.counts.updated, again.counts.skipped) == (0, 0, 10)
    assert Order.objects.count() == 10 and OrderLine.objects.count() == 27
    assert DataSource.objects.filter(sme=sme).count() == 1
    assert SyncRun.objects.filter(source__sme=sme, status=SyncStatus.SUCCEEDED).count() == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("EIRE", "IE"),
        ("RSA", "ZA"),
        ("USA", "US"),
        ("Channel Islands", ""),
        ("European Community", ""),
        ("Unspecified", ""),
        ("Royaume-Uni", "GB"),
        ("États-Unis", "US"),
        ("fr", "FR"),
        ("Atlantis", ""),
    ],
)
def test_country_names_become_iso_codes_or_stay_blank(name, expected):
    assert country_code(name) == expected


def test_a_scattered_order_is_one_order_with_its_lines_in_file_order(sme, tmp_path, monkeypatch):
    monkeypatch.setattr(passes, "PAGE_SIZE", 2)
    header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    rows = [
        "1,APL,Apple,1,2011-01-03 10:00:00,1.00,,United Kingdom",
        "1,BAN,Banana,2,2011-01-03 10:00:00,2.00,,United Kingdom",
        "2,APL,Apple,1,2011-01-03 11:00:00,1.00,,France",
        "3,CHE,Cherry,1,2011-01-03 12:00:00,3.00,,France",
        "1,CHE,Cherry,3,2011-01-03 10:01:00,3.00,,United Kingdom",
        "4,APL,Apple,1,2011-01-04 09:00:00,1.00,,France",
        "5,APL,Apple,1,2011-01-04 09:30:00,1.00,,France",
    ]
    path = write(tmp_path / "retail.csv", header + "\n".join(rows) + "\n")

    result = orders_file_import(sme=sme, path_or_file=path)

    assert (result.records, result.lines, result.counts.created, result.pages) == (5, 7, 5, 3)
    assert lines("1") == [
        ("1", "APL", 1, Decimal("1.00")),
        ("2", "BAN", 2, Decimal("2.00")),
        ("3", "CHE", 3, Decimal("3.00")),
    ]
    assert order("1").placed_at == datetime.datetime(2011, 1, 3, 10, 0, tzinfo=LONDON)
    again = orders_file_import(sme=sme, path_or_file=path)
    assert (again.counts.created, again.counts.updated, again.counts.skipped) == (0, 0, 5)


def test_month_first_dates_are_recognised_when_only_they_make_sense(sme, tmp_path):
    header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    month_first = header + "1,A,Apple,1,12/1/2010 8:26,1.00,,United Kingdom\n2,A,Apple,1,12/13/2010 9:05,1.00,,France\n"
    orders_file_import(sme=sme, path_or_file=write(tmp_path / "us.csv", month_first))
    assert order("1").placed_at == datetime.datetime(2010, 12, 1, 8, 26, tzinfo=LONDON)
    assert order("2").placed_at == datetime.datetime(2010, 12, 13, 9, 5, tzinfo=LONDON)

    ambiguous = header + "3,A,Apple,1,03/04/2026 10:00,1.00,,United Kingdom\n"
    orders_file_import(sme=sme, path_or_file=write(tmp_path / "uk.csv", ambiguous))
    assert order("3").placed_at == datetime.datetime(2026, 4, 3, 10, 0, tzinfo=LONDON)  # day first


# -- Shopify and WooCommerce exports -----------------------------------------------------------


def test_a_shopify_orders_export_is_recognised_and_imported(sme):
    result = orders_file_import(sme=sme, path_or_file=FILES / "shopify_orders_export.csv")

    assert (result.layout, result.records, result.lines, result.counts.created) == ("shopify", 3, 4, 3)
    first = order("#1001")
    assert first.placed_at == datetime.datetime(2026, 3, 2, 10, 15, 32, tzinfo=UTC)
    assert (first.status, first.currency, first.customer_country, first.channel) == ("completed", "GBP", "GB", "web")
    assert (first.shipping, first.discounts, first.refunds) == (Decimal("4.95"), Decimal("5.00"), Decimal("0.00"))
    assert lines("#1001") == [("1", "MUG-BLUE", 2, Decimal("12.50")), ("2", "TEAPOT-1", 1, Decimal("12.50"))]
    second = order("#1002")
    # "+0100" in the file: the time it says, whatever the SME's time zone.
    assert second.placed_at == datetime.datetime(2026, 3, 5, 17, 40, 12, tzinfo=UTC)
    assert (second.status, second.refunds, second.currency) == ("completed", Decimal("20.00"), "EUR")
    assert second.customer_country == "FR"  # no billing country: the shipping country
    assert order("#1003").status == "cancelled"  # voided, with a cancellation date
    assert order("#1003").channel == "pos"


def test_a_woocommerce_orders_export_is_recognised_even_zipped(sme):
    result = orders_file_import(sme=sme, path_or_file=FILES / "woocommerce_orders_export.zip")

    assert (result.layout, result.records, result.lines) == ("woocommerce", 4, 5)
    assert (result.format.compression, result.format.member) == ("zip", "orders-2026-02.csv")
    first = order("2041")
    # Order amounts repeated on each of its rows count once.
    assert (first.shipping, first.discounts, first.currency) == (Decimal("3.95"), Decimal("2.00"), "GBP")
    assert first.placed_at == datetime.datetime(2026, 2, 10, 9, 12, tzinfo=LONDON)
    assert lines("2041") == [("1", "CANDLE-L", 2, Decimal("15.00")), ("2", "CANDLE-S", 2, Decimal("6.50"))]
    statuses = dict(Order.objects.values_list("external_id", "status"))
    assert statuses == {"2041": "completed", "2042": "completed", "2043": "refunded", "2044": "cancelled"}
    assert order("2043").refunds == Decimal("15.00")
    assert order("2042").customer_country == "FR"


# -- our template, encodings, separators, spreadsheets -----------------------------------------


def test_a_french_latin1_file_in_our_template(french_sme):
    result = orders_file_import(sme=french_sme, path_or_file=FILES / "modele_commandes_fr.csv")

    assert result.status == Status.IMPORTED
    assert result.layout == "template"
    assert (result.format.encoding, result.format.delimiter, result.format.decimal_comma) == ("cp1252", ";", True)
    assert (result.records, result.lines) == (3, 4)
    first = order("F-1001")
    assert first.placed_at == datetime.datetime(2026, 4, 3, 14, 30, tzinfo=PARIS)  # 03/04/2026: 3 April
    assert (first.status, first.currency, first.customer_country, first.channel) == (
        "completed",
        "EUR",
        "GB",
        "boutique en ligne",
    )
    assert first.shipping == Decimal("4.95")
    line = OrderLine.objects.get(order=first, sku="TASSE-01")
    assert (line.description, line.unit_price, line.unit_cost) == (
        "Tasse émaillée bleue",
        Decimal("12.50"),
        Decimal("5.10"),
    )
    second = order("F-1002")
    assert second.placed_at == datetime.datetime(2026, 4, 15, tzinfo=PARIS)
    assert (second.status, second.discounts, second.customer_country) == ("refunded", Decimal("10.00"), "BE")
    assert lines("F-1002") == [("1", "SERV-03", 1, Decimal("1234.50"))]  # "1 234,50"
    third = order("F-1003")
    assert (third.status, third.currency) == ("pending", "EUR")  # no currency: the launchpad's
    assert lines("F-1003") == [("1", "TASSE-01", -1, Decimal("12.50"))]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("cp1252", "cp1252"), ("latin-1", "cp1252")],
)
def test_encodings_are_recognised(sme, tmp_path, encoding, expected):
    text = TEMPLATE_EN + "A-1,2026-04-03,,GBP,France,CB-1,Crème brûlée dish,1,9.99\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", text, encoding))

    assert result.status == Status.IMPORTED
    assert result.format.encoding == expected
    assert OrderLine.objects.get().description == "Crème brûlée dish"


def test_windows_1252_punctuation_and_a_stray_byte_late_in_a_utf8_file(sme, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "SNIFF_BYTES", 64)  # the sample sniffed is pure ASCII
    text = TEMPLATE_EN + "".join(f"A-{n},2026-04-03,,GBP,,SKU-{n},Plain mug,1,9.99\n" for n in range(5))
    text += "B-1,2026-04-03,,GBP,,SKU-B,Mug – “special” €,1,9.99\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", text, "cp1252"))

    assert result.status == Status.IMPORTED and result.format.encoding == "utf-8"
    assert OrderLine.objects.get(sku="SKU-B").description == "Mug – “special” €"


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_separators_are_recognised(sme, tmp_path, separator):
    rows = [TEMPLATE_EN.strip().split(","), ["A-1", "03/04/2026", "", "GBP", "FR", "MUG", "Mug", "2", "12.50"]]
    text = "\n".join(separator.join(row) for row in rows) + "\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.txt", text))

    assert (result.status, result.format.delimiter) == (Status.IMPORTED, separator)
    assert order("A-1").placed_at == datetime.datetime(2026, 4, 3, tzinfo=LONDON)
    assert lines("A-1") == [("1", "MUG", 2, Decimal("12.50"))]


def test_an_xlsx_file_with_typed_cells(sme, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Order ID / N° de commande", "Order date", "SKU", "Product", "Quantity", "Unit price", "Shipping"])
    sheet.append([5001, datetime.datetime(2026, 4, 3, 14, 30), "MUG", "Mug", 2, 12.5, 3.95])
    sheet.append([5001, None, 85123, "Heart", 1.0, "7,50", None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([5002, "2026-04-05", "MUG", "Mug", 1, 12.5, None])
    path = tmp_path / "orders.xlsx"
    workbook.save(path)

    result = orders_file_import(sme=sme, path_or_file=path)

    assert (result.status, result.format.kind, result.records, result.lines) == (Status.IMPORTED, "xlsx", 2, 3)
    assert order("5001").placed_at == datetime.datetime(2026, 4, 3, 14, 30, tzinfo=LONDON)
    assert order("5001").shipping == Decimal("3.95")
    assert lines("5001") == [("1", "MUG", 2, Decimal("12.50")), ("2", "85123", 1, Decimal("7.50"))]


def test_a_blank_date_never_borrows_the_previous_rows(sme, tmp_path):
    header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    rows = "1,APL,Apple,1,03/04/2026 10:00,1.00,,United Kingdom\n1,BAN,Banana,1,,1.00,,United Kingdom\n"
    rows += "2,APL,Apple,1,,1.00,,United Kingdom\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "retail.csv", header + rows))

    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (4, "InvoiceDate", "This order has no date on any of its lines.")
    ]


def test_a_spreadsheet_quantity_must_be_whole(sme, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Order ID", "Order date", "SKU", "Quantity", "Unit price"])
    workbook.active.append(["A-1", "2026-04-03", "MUG", 1.5, 12.5])
    workbook.save(tmp_path / "orders.xlsx")

    result = orders_file_import(sme=sme, path_or_file=tmp_path / "orders.xlsx")

    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == [
        (2, "Quantity", "1.5", "Not a whole number.")
    ]


def test_an_uploaded_file_even_unseekable(sme):
    content = (FILES / "woocommerce_orders_export.csv").read_bytes()
    upload = SimpleUploadedFile("orders.csv", content, content_type="text/csv")
    assert orders_file_import(sme=sme, path_or_file=upload).counts.created == 4

    class Stream(io.RawIOBase):  # a pipe, say: read once, no seeking
        def __init__(self):
            self.data = io.BytesIO(gzip.compress(content))

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    result = orders_file_import(sme=sme, path_or_file=Stream())
    assert (result.format.compression, result.counts.skipped) == ("gzip", 4)


def test_a_file_that_is_not_a_table_is_unreadable(sme, tmp_path):
    empty = orders_file_import(sme=sme, path_or_file=write(tmp_path / "empty.csv", ""))
    assert (empty.status, empty.message) == (Status.UNREADABLE, "The file is empty.")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert orders_file_import(sme=sme, path_or_file=binary).status == Status.UNREADABLE
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert orders_file_import(sme=sme, path_or_file=broken).status == Status.UNREADABLE
    assert not Order.objects.exists()


# -- bad rows: nothing is written, every bad row is named --------------------------------------

BAD_ROWS = (
    TEMPLATE_EN
    + "A-1,2026-04-03,,GBP,FR,MUG,Mug,2,12.50\n"
    + "A-2,2026-04-03,,GBP,FR,MUG,Mug,two,12.50\n"
    + "A-3,31/02/2026,,GBP,FR,MUG,Mug,1,12.50\n"
    + "A-4,2026-04-03,lost,GBP,FR,MUG,Mug,1,-3\n"
    + ",2026-04-03,,EURO,FR,MUG,Mug,1.5,12.50\n"
)


def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row(sme, tmp_path):
    path = write(tmp_path / "orders.csv", BAD_ROWS)

    result = orders_file_import(sme=sme, path_or_file=path)

    assert result.status == Status.INVALID and not result.ok
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == [
        (3, "Quantity", "two", "Not a number."),
        (4, "Order date", "31/02/2026", "Not a valid date read day first (DD/MM/YYYY)."),
        (5, "Status", "lost", "Unknown order status: use completed, pending, cancelled or refunded."),
        (5, "Unit price", "-3", "Must be zero or more."),
        (6, "Order ID", "", "A value is required."),
        (6, "Currency", "EURO", "Not a currency code such as GBP or EUR."),
        (6, "Quantity", "1.5", "Not a whole number."),
    ]
    assert result.error_count == 7
    assert str(result.errors[0]) == "Line 3, column “Quantity”, value “two”: Not a number."
    assert result.message == "Nothing was imported: 7 problems to fix in the file."
    run = SyncRun.objects.get(source__sme=sme)
    assert run.status == SyncStatus.FAILED and run.created == 0
    assert run.errors[0]["reason"] == result.message and len(run.errors) == 8
    assert DataSource.objects.get(sme=sme).status == SourceStatus.NEW  # the data already there is still fine


def test_the_bad_row_report_is_in_the_users_language(sme, tmp_path):
    path = write(tmp_path / "orders.csv", BAD_ROWS)

    with translation.override("fr"):
        result = orders_file_import(sme=sme, path_or_file=path)
        first = str(result.errors[0])
    also = orders_file_import(sme=sme, path_or_file=path, language="fr")

    assert [e.reason for e in result.errors] == [
        "Ce n'est pas un nombre.",
        "Ce n'est pas une date valide lue jour d'abord (JJ/MM/AAAA).",
        "Statut de commande inconnu : indiquez terminée, en attente, annulée ou remboursée.",
        "Doit être supérieur ou égal à zéro.",
        "Une valeur est obligatoire.",
        "Ce n'est pas un code de devise comme GBP ou EUR.",
        "Ce n'est pas un nombre entier.",
    ]
    assert first == "Ligne 3, colonne « Quantity », valeur « two » : Ce n'est pas un nombre."
    assert result.message == "Rien n'a été importé : 7 problèmes à corriger dans le fichier."
    assert [e.reason for e in also.errors] == [e.reason for e in result.errors]
    assert not Order.objects.exists()


def test_the_report_lists_a_thousand_bad_rows_and_counts_the_rest(sme, tmp_path):
    rows = "".join(f"A-{n},2026-04-03,,GBP,,MUG,Mug,x,1\n" for n in range(1005))
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", TEMPLATE_EN + rows))

    assert (len(result.errors), result.error_count, result.unlisted_errors) == (1000, 1005, 5)
    assert result.errors[-1].line == 1001


def test_an_order_without_a_date_on_any_line_is_a_bad_row(sme, tmp_path):
    text = TEMPLATE_EN + "A-1,,,GBP,,MUG,Mug,1,1\nA-1,,,GBP,,CUP,Cup,1,1\nA-2,2026-04-03,,GBP,,MUG,Mug,1,1\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", text))

    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (2, "Order date", "This order has no date on any of its lines.")
    ]


def test_a_value_with_an_unquoted_separator_is_reported(sme, tmp_path):
    text = TEMPLATE_EN + "A-1,2026-04-03,,GBP,,MUG,Mug,1,12,50\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", text))

    assert result.status == Status.INVALID
    assert (result.errors[0].line, result.errors[0].value) == (2, "50")


def test_a_failure_while_writing_writes_nothing(sme, monkeypatch):
    monkeypatch.setattr(passes, "PAGE_SIZE", 3)
    calls = []

    def failing(source, stream, records):
        calls.append(len(records))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(source, stream, records)

    original = importer.write_page
    monkeypatch.setattr(importer, "write_page", failing)

    result = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv")

    assert result.status == Status.FAILED
    assert "RuntimeError" in result.message
    assert not Order.objects.exists()
    assert result.run.status == SyncStatus.FAILED


def test_a_failure_while_building_a_page_writes_nothing(sme, monkeypatch):
    """Pages are built in a helper thread while the one before is written: its error is the import's."""
    monkeypatch.setattr(passes, "PAGE_SIZE", 3)
    built = []
    original = passes.OrderBuilder.record

    def failing(builder):
        built.append(builder.order_id)
        if len(built) == 5:
            raise RuntimeError("out of memory")
        return original(builder)

    monkeypatch.setattr(passes.OrderBuilder, "record", failing)

    result = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv")

    assert result.status == Status.FAILED
    assert "RuntimeError" in result.message
    assert not Order.objects.exists() and not OrderLine.objects.exists()


def test_pages_built_ahead_come_in_order_and_the_helper_stops_when_left_early():
    import threading

    with ahead.built_ahead(iter([[1], [2], [3]])) as pages:
        assert list(pages) == [[1], [2], [3]]

    def endless():
        n = 0
        while True:
            n += 1
            yield [n]

    with ahead.built_ahead(endless()) as pages:
        assert next(pages) == [1]
    assert not [thread for thread in threading.enumerate() if thread.name == "import-pages"]

    def broken():
        yield [1]
        raise ValueError("bad page")

    with pytest.raises(ValueError, match="bad page"), ahead.built_ahead(broken()) as pages:
        list(pages)


def test_prices_plain_or_not_are_stored_to_the_penny(sme, tmp_path):
    text = TEMPLATE_EN + "".join(
        f"P-1,2026-04-03,,GBP,,SKU-{n},Thing,1,{price}\n"
        for n, price in enumerate(["3", "2.5", "0.85", "2.555", '"1,234.50"', "£4.10", "0012.30"], start=1)
    )

    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", text))

    assert result.status == Status.IMPORTED, result.errors
    assert [price for *_, price in lines("P-1")] == [
        Decimal(price) for price in ["3", "2.50", "0.85", "2.56", "1234.50", "4.10", "12.30"]
    ]


def test_a_negative_or_too_large_plain_price_is_still_refused(sme, tmp_path):
    text = TEMPLATE_EN + "P-1,2026-04-03,,GBP,,MUG,Mug,1,-2.50\nP-2,2026-04-03,,GBP,,MUG,Mug,1,12345678901.00\n"

    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "orders.csv", text))

    assert result.status == Status.INVALID
    assert [(error.line, error.reason) for error in result.errors] == [
        (2, "Must be zero or more."),
        (3, "The number is too large."),
    ]


def test_a_dry_run_checks_and_counts_but_writes_nothing(sme):
    dry = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv", dry_run=True)

    assert (dry.status, dry.records, dry.lines, dry.counts.created, dry.existing) == (Status.CHECKED, 10, 27, 10, 0)
    assert dry.ok and dry.run is None
    assert not Order.objects.exists() and not SyncRun.objects.exists() and not DataSource.objects.exists()

    orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv")
    again = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv", dry_run=True)
    assert (again.counts.created, again.existing) == (0, 10)


# -- an unknown layout, mapped by the user -----------------------------------------------------

OWN_LAYOUT = (
    "Ref commande,Jour,Article,Nb,PU,Pays\nX-1,05/04/2026,MUG,2,12.50,Belgium\nX-1,05/04/2026,CUP,1,4.00,Belgium\n"
)


def test_an_unknown_layout_asks_for_a_mapping_then_imports(sme, tmp_path):
    path = write(tmp_path / "export.csv", OWN_LAYOUT)

    unknown = orders_file_import(sme=sme, path_or_file=path)

    assert unknown.status == Status.UNKNOWN_LAYOUT
    assert unknown.headers == ["Ref commande", "Jour", "Article", "Nb", "PU", "Pays"]
    required = [spec.name for spec in unknown.fields if spec.required]
    assert required == ["order_id", "placed_at", "quantity", "unit_price"]
    assert not Order.objects.exists()

    incomplete = orders_file_import(sme=sme, path_or_file=path, mapping={"order_id": "Ref commande", "sku": "Nope"})
    assert incomplete.status == Status.UNKNOWN_LAYOUT
    assert "The file has no column “Nope”." in incomplete.message
    assert "Choose the column that holds: Order date." in incomplete.message

    mapping = {
        "order_id": "Ref commande",
        "placed_at": "Jour",
        "sku": "Article",
        "quantity": "Nb",
        "unit_price": "PU",
        "customer_country": "Pays",
    }
    result = orders_file_import(sme=sme, path_or_file=path, mapping=mapping)
    assert (result.status, result.layout, result.counts.created) == (Status.IMPORTED, "mapping", 1)
    assert order("X-1").customer_country == "BE"
    assert lines("X-1") == [("1", "MUG", 2, Decimal("12.50")), ("2", "CUP", 1, Decimal("4.00"))]


def test_a_named_layout_the_file_is_not_in(sme):
    result = orders_file_import(sme=sme, path_or_file=FILES / "shopify_orders_export.csv", layout="online-retail")
    assert result.status == Status.UNKNOWN_LAYOUT
    assert result.message.startswith("This file is not in the Online Retail (UCI) layout")


# -- the template --------------------------------------------------------------------------------


def test_the_template_downloads_in_both_languages_and_imports(sme, tmp_path):
    english = template_bytes("orders", "csv", "en").decode("utf-8-sig")
    french = template_bytes("orders", "csv", "fr").decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Order ID,Order date,Status,Currency")
    assert french.splitlines()[0].startswith("N° de commande;Date de commande;Statut;Devise")
    assert template_headers("products", "fr")[:3] == ["Identifiant produit", "Référence", "Titre"]

    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes("orders", "xlsx", "fr")))
    assert workbook.sheetnames == ["Commandes", "Aide"]
    help_rows = list(workbook["Aide"].iter_rows(values_only=True))
    assert help_rows[0] == ("Colonne", "Obligatoire", "Quoi écrire", "Exemple")
    assert help_rows[1][:2] == ("N° de commande", "oui")

    filled = french + "T-1;03/04/2026;;;France;;MUG;Tasse;2;12,50;;;;;\r\n"
    result = orders_file_import(sme=sme, path_or_file=write(tmp_path / "modele.csv", filled, "utf-8-sig"))
    assert (result.status, result.layout) == (Status.IMPORTED, "template")
    assert lines("T-1") == [("1", "MUG", 2, Decimal("12.50"))]


# -- the command ---------------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_counts(sme):
    out = io.StringIO()
    call_command("import_orders_file", str(FILES / "online_retail_sample.csv"), "--sme", "acme", stdout=out)
    assert "Imported 10 orders, 27 lines in 1 pages: 10 created, 0 updated, 0 unchanged." in out.getvalue()
    assert SyncRun.objects.get().trigger == "command"

    out = io.StringIO()
    call_command("import_orders_file", str(FILES / "online_retail_sample.csv.gz"), "--sme", "acme", stdout=out)
    assert "0 created, 0 updated, 10 unchanged." in out.getvalue()

    out = io.StringIO()
    call_command("import_orders_file", str(FILES / "online_retail_sample.csv"), "--sme=acme", "--dry-run", stdout=out)
    assert "Dry run, nothing written: 10 orders, 27 lines; 0 new, 10 already imported" in out.getvalue()


def test_the_command_prints_the_bad_rows_and_fails(sme, tmp_path):
    path = write(tmp_path / "orders.csv", BAD_ROWS)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 7 problems"):
        call_command("import_orders_file", str(path), "--sme", "acme", "--layout", "template", stdout=out)
    assert "Line 3, column “Quantity”, value “two”: Not a number." in out.getvalue()
    assert not Order.objects.exists()

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_orders_file", str(path), "--sme", "acme", "--language", "fr", stdout=out)
    assert "Ligne 3, colonne « Quantity », valeur « two » : Ce n'est pas un nombre." in out.getvalue()


def test_the_command_exits_non_zero_with_one_clear_line(sme, tmp_path, capsys, monkeypatch):
    from django.core.management import ManagementUtility, base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)  # keep the test's transaction
    for argv, message in [
        (["--sme", "nobody", str(FILES / "online_retail_sample.csv")], "No SME with the slug 'nobody'."),
        (["--sme", "acme", str(tmp_path / "missing.csv")], f"No such file: {tmp_path / 'missing.csv'}"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            ManagementUtility(["manage.py", "import_orders_file", *argv]).execute()
        assert exit_.value.code == 1
        assert capsys.readouterr().err.strip() == f"CommandError: {message}"


def test_the_command_maps_an_unknown_layout(sme, tmp_path):
    path = write(tmp_path / "export.csv", OWN_LAYOUT)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Unknown layout"):
        call_command("import_orders_file", str(path), "--sme", "acme", stdout=out)
    assert "Columns in the file: 'Ref commande', 'Jour'" in out.getvalue()
    maps = ["--map=order_id=Ref commande", "--map=placed_at=Jour", "--map=quantity=Nb", "--map=unit_price=PU"]
    call_command("import_orders_file", str(path), "--sme", "acme", *maps, stdout=io.StringIO())
    assert Order.objects.get().external_id == "X-1"


# -- products ------------------------------------------------------------------------------------


def test_a_products_file_in_our_template(sme):
    result = products_file_import(sme=sme, path_or_file=FILES / "products_template.csv")

    assert (result.status, result.layout, result.records, result.counts.created) == (Status.IMPORTED, "template", 3, 3)
    mug = Product.objects.get(sku="MUG-BLUE")
    assert (mug.external_id, mug.title, mug.price, mug.currency, mug.gtin) == (
        "MUG-BLUE",
        "Blue mug",
        Decimal("12.50"),
        "GBP",
        "5012345678900",
    )
    assert (mug.stock_tracked, mug.stock_quantity, mug.unit_cost, mug.status) == (True, 24, Decimal("5.10"), "active")
    assert [image["url"] for image in mug.images] == [
        "https://shop.example/mug.jpg",
        "https://shop.example/mug-side.jpg",
    ]
    teapot = Product.objects.get(sku="TEAPOT-1")
    assert (teapot.status, teapot.stock_tracked, teapot.stock_quantity) == ("draft", False, None)
    towel = Product.objects.get(sku="TOWEL-3")
    assert (towel.external_id, towel.price, towel.status) == ("P-77", Decimal("1234.00"), "archived")

    again = products_file_import(sme=sme, path_or_file=FILES / "products_template.csv")
    assert (again.counts.created, again.counts.skipped) == (0, 3)


def test_shopify_and_woocommerce_product_exports(sme):
    shopify = products_file_import(sme=sme, path_or_file=FILES / "shopify_products_export.csv")
    woo = products_file_import(sme=sme, path_or_file=FILES / "woocommerce_products_export.csv")

    assert (shopify.layout, shopify.counts.created, woo.layout, woo.counts.created) == ("shopify", 3, "woocommerce", 3)
    titles = dict(Product.objects.values_list("external_id", "title"))
    assert titles["blue-mug"] == "Blue mug"
    assert titles["tea-towel:TOWEL-GREEN"] == "Tea towel - Green"
    mug = Product.objects.get(external_id="blue-mug")
    assert (mug.stock_tracked, mug.stock_quantity, mug.unit_cost, len(mug.images)) == (True, 24, Decimal("5.10"), 2)
    green = Product.objects.get(external_id="tea-towel:TOWEL-GREEN")
    assert green.images[0]["url"] == "https://cdn.shopify.example/towel-green.jpg"
    assert (green.price, green.stock_tracked) == (Decimal("8.50"), False)
    small = Product.objects.get(external_id="102")
    assert (small.price, small.stock_tracked) == (Decimal("5.50"), False)  # the sale price
    soap = Product.objects.get(external_id="103")
    assert (soap.status, soap.stock_tracked, soap.stock_quantity) == ("draft", True, 0)


def test_a_products_file_with_a_repeated_sku_imports_nothing(sme, tmp_path):
    text = "SKU,Title,Price\nMUG,Mug,12\nCUP,Cup,abc\nMUG,Mug again,13\n"
    result = products_file_import(sme=sme, path_or_file=write(tmp_path / "products.csv", text))

    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (3, "Price", "Not a number."),
        (4, "SKU", "The same product is already on line 2."),
    ]
    assert not Product.objects.exists()


def test_orders_imported_after_products_point_at_them(sme):
    products_file_import(sme=sme, path_or_file=FILES / "products_template.csv")
    orders_file_import(sme=sme, path_or_file=FILES / "shopify_orders_export.csv")

    line = OrderLine.objects.get(order__external_id="#1001", sku="MUG-BLUE")
    assert line.product == Product.objects.get(sku="MUG-BLUE")


def test_the_fixture_files_are_what_they_claim():
    with gzip.open(FILES / "online_retail_sample.csv.gz", "rt") as handle:
        assert handle.read() == (FILES / "online_retail_sample.csv").read_text()
    with zipfile.ZipFile(FILES / "woocommerce_orders_export.zip") as archive:
        assert archive.read("orders-2026-02.csv") == (FILES / "woocommerce_orders_export.csv").read_bytes()
    rows = list(csv.reader((FILES / "online_retail_sample.csv").open()))
    assert len(rows) == 31


def test_the_writers_raw_line_insert_names_every_column():
    """connectors.writer inserts order lines without the ORM: a new OrderLine column must be added there."""
    from connectors import writer

    columns = {field.name for field in OrderLine._meta.concrete_fields if not field.primary_key}
    assert set(writer.LINE_COLUMNS) == columns


def test_online_retail_adjustments_are_not_product_sales(sme, tmp_path):
    """Issue 5: POST/DOT/C2 shipping, AMAZONFEE/BANK CHARGES fees, M/D/S/B/CRUK/PADS adjustments — no product lines."""
    from connectors.models import Order, OrderLine

    header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    rows = [
        "580001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,2,2011-11-01 09:00:00,2.55,17850.0,United Kingdom",
        "580001,POST,POSTAGE,1,2011-11-01 09:00:00,18.00,17850.0,United Kingdom",
        "580001,M,Manual,1,2011-11-01 09:00:00,5.00,17850.0,United Kingdom",
        "580001,S,SAMPLES,-1,2011-11-01 09:00:00,3.00,17850.0,United Kingdom",
        "580001,PADS,PADS TO MATCH ALL CUSHIONS,1,2011-11-01 09:00:00,0.001,17850.0,United Kingdom",
    ]
    path = tmp_path / "adjustments.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    result = orders_file_import(sme=sme, path_or_file=path)
    assert result.status == "imported"
    order = Order.objects.get(sme=sme, external_id="580001")
    assert list(OrderLine.objects.filter(order=order).values_list("sku", flat=True)) == ["85123A"]
    assert order.shipping == Decimal("18.00")
    # M +5.00 is a negative discount, S −3.00 a discount of 3.00, PADS 0.001 rounds to 0.00.
    assert order.discounts == Decimal("-2.00")


# -- the parts of the importer -----------------------------------------------------------------


def test_the_import_records_its_run_on_the_source_it_is_given(sme):
    """The services give the import its data source; the import never looks for one of its own then."""
    given = DataSource.objects.create(sme=sme, kind=SourceKind.FILE, base_url="")
    result = orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv", source=given)
    assert result.status == Status.IMPORTED
    assert result.run.source == given
    assert set(Order.objects.values_list("source", flat=True)) == {given.pk}


def test_the_upload_service_hands_the_import_the_smes_file_source(sme):
    from connectors.services import file_source_for, file_upload_import

    upload = SimpleUploadedFile("retail.csv", (FILES / "online_retail_sample.csv").read_bytes())
    result = file_upload_import(sme=sme, uploaded=upload)
    assert result.status == Status.IMPORTED
    assert result.run.source == file_source_for(sme=sme)
    assert DataSource.objects.filter(sme=sme).count() == 1


def test_the_file_import_package_is_in_no_import_cycle():
    """connectors/files imports nothing that imports it back (it was in a cycle with connectors.services)."""
    import grimp

    graph = grimp.build_graph("connectors", "journey")
    ours = sorted(module for module in graph.modules if module.startswith("connectors.files"))
    cycles = [
        (module, other)
        for module in ours
        for other in sorted(graph.modules)
        if other.startswith("connectors")
        and other != module
        and graph.find_shortest_chain(importer=module, imported=other)
        and graph.find_shortest_chain(importer=other, imported=module)
    ]
    assert ours and cycles == []
