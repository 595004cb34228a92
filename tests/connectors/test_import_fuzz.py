"""Keep it so (issue 14): malformed orders and products files, generated, never answer 500 nor import half.

Hypothesis builds files from a valid Online Retail or products file: cells replaced by
hostile values (dates in year 1 or 9999, a million-digit number, ``--5``, NUL, quotes,
separators, formulas), then encoded (UTF-8, UTF-16, Windows-1252), possibly cut short or
with bytes flipped, and packed (plain, .gz, .zip, or written as an XLSX workbook). Each file
goes through the import service and, for a share of them, the upload view. Asserted: no
exception and no 500; never "an unexpected error"; a rejected file writes nothing; a file
holding a value that is certainly bad is rejected, and when its lines are known (no damage,
no quoted line break) every such line is named.

Derandomized, so CI sees the same files every run: ``ECHANNEL_FUZZ_EXAMPLES`` (default 100 per
stream, a third of it through the view) raises the number for a run by hand.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from connectors.files.importer import Status, orders_file_import, products_file_import
from connectors.models import Order, OrderLine, Product
from tests.journey.factories import SMEFactory, SMEUserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ECHANNEL_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

ORDERS_HEADER = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]
PRODUCTS_HEADER = ["SKU", "Title", "Price", "Stock", "Status"]

# Values that are certainly a bad row in these columns, whatever the rest of the file.
CERTAINLY_BAD = {
    "orders": {
        "Quantity": ["--5", "1e1000000", "NaN", "six", "1" * 30],
        "InvoiceDate": ["0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59-01:00", "2010-13-45 08:26:00", "1989-12-31"],
        "UnitPrice": ["1e26", "9" * 30, "-1", "NaN", "1e-1000000"],
    },
    "products": {"Price": ["1e26", "9" * 30, "-5", "abc"], "Stock": ["--5", "1e1000000", "2.5"]},
}
# Values that may or may not be acceptable where they land.
HOSTILE = [
    "",
    " ",
    "0",
    "-0",
    "12,50",
    "(12.50)",
    "£2.55",
    "1 234,50",
    "=1+1",
    "@SUM(A1)",
    "+33 6",
    '"',
    'a"b',
    ",",
    ";",
    "\t",
    "\n",
    "\r",
    "a\r\nb",
    "\x00",
    "\ufeff",
    "é",
    "𝟘",
    "\u202e",
    "x" * 600,
    "31/02/2026",
    "02/03/2010 08:26",
    "2010-12-01T08:26:00Z",
    "1e3",
    "1_000",
    "٣",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
PACKINGS = ["plain", "gzip", "zip", "xlsx"]


def _row(stream: str, number: int) -> list[str]:
    if stream == "orders":
        order = str(536365 + number // 2)
        return [order, f"SKU{number}", f"ITEM {number}", "6", "2010-12-01 08:26:00", "2.55", "17850", "United Kingdom"]
    return [f"SKU{number}", f"Item {number}", "9.50", "3", "active"]


@st.composite
def malformed_files(draw, stream: str):
    header = ORDERS_HEADER if stream == "orders" else PRODUCTS_HEADER
    rows = [_row(stream, number) for number in range(draw(st.integers(1, 6)))]
    certainly_bad: set[int] = set()  # indexes of rows holding a certainly bad value
    changes = draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, len(header) - 1), st.booleans()), max_size=6))
    for row_index, column, certain in changes:
        if row_index >= len(rows):
            continue
        choices = CERTAINLY_BAD[stream].get(header[column])
        if certain and choices:
            rows[row_index][column] = draw(st.sampled_from(choices))
            certainly_bad.add(row_index)
        else:
            rows[row_index][column] = draw(st.sampled_from(HOSTILE))
    if draw(st.booleans()):  # a ragged row
        rows[draw(st.integers(0, len(rows) - 1))].extend(draw(st.lists(st.sampled_from(HOSTILE), max_size=3)))
    packing = draw(st.sampled_from(PACKINGS))
    encoding = draw(st.sampled_from(ENCODINGS))
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "flip", "garbage"]))
    if packing == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append([_typed(ILLEGAL_CHARACTERS_RE.sub("", value)) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
        lines_known = True
    else:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, *rows])
        content = text.getvalue().encode(encoding, errors="replace")
        lines_known = not any(("\n" in cell or "\r" in cell or '"' in cell) for row in rows for cell in row)
    if damage != "none":
        lines_known = False
        position = draw(st.integers(0, max(0, len(content) - 1)))
        if damage == "cut":
            content = content[:position]
        elif damage == "flip":
            content = content[:position] + bytes([content[position] ^ 0xFF]) + content[position + 1 :]
        else:
            content = content[:position] + draw(st.binary(min_size=1, max_size=20)) + content[position:]
    name = "fuzz.xlsx" if packing == "xlsx" else "fuzz.csv"
    if packing == "gzip":
        content, name = gzip.compress(content), name + ".gz"
    elif packing == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, content)
        content, name = buffer.getvalue(), name.replace(".csv", ".zip")
    if packing != "plain" and draw(st.integers(0, 5)) == 0:  # the archive itself damaged
        lines_known = False
        content = content[: draw(st.integers(0, len(content)))]
    return {
        "name": name,
        "content": content,
        "bad_lines": {index + 2 for index in certainly_bad},  # the header is line 1
        "lines_known": lines_known,
    }


def _typed(value: str):
    """Numbers as numbers in a workbook, as a spreadsheet would hold them (when they are plain)."""
    try:
        return int(value) if value.isdigit() and len(value) < 15 else value
    except ValueError:
        return value


def _stored() -> tuple[int, int, int]:
    return Order.objects.count(), OrderLine.objects.count(), Product.objects.count()


def _check(stream: str, case: dict, result, before: tuple) -> None:
    assert result.status != Status.FAILED, result.message
    assert "unexpected error" not in result.message
    if result.status != Status.IMPORTED:
        assert _stored() == before, "a rejected file wrote something"
    if case["bad_lines"] and case["lines_known"]:
        assert result.status in (Status.INVALID, Status.UNREADABLE, Status.UNKNOWN_LAYOUT), case
        if result.status == Status.INVALID:
            named = {error.line for error in result.errors}
            assert case["bad_lines"] <= named, (case["bad_lines"], [str(error) for error in result.errors])
    if result.status == Status.INVALID:
        assert result.error_count >= len(result.errors) > 0
        assert all(error.line >= 1 and error.reason for error in result.errors)
    elif result.status in (Status.UNREADABLE, Status.UNKNOWN_LAYOUT):
        assert result.message


@pytest.mark.parametrize("stream", ["orders", "products"])
def test_malformed_files_through_the_import_service(stream):
    sme = SMEFactory()
    importer = orders_file_import if stream == "orders" else products_file_import

    @FUZZ
    @given(case=malformed_files(stream))
    def run(case):
        before = _stored()
        with translation.override("en"):
            result = importer(
                sme=sme, path_or_file=SimpleUploadedFile(case["name"], case["content"]), filename=case["name"]
            )
        _check(stream, case, result, before)

    run()


def test_malformed_files_through_the_upload_view(client):
    owner = SMEUserFactory(sme=SMEFactory())
    client.force_login(owner)
    url = f"/en/portal/smes/{owner.sme.slug}/data/upload/"

    @settings(FUZZ, max_examples=max(1, EXAMPLES // 3))
    @given(case=malformed_files("orders"), stream=st.sampled_from(["orders", "products"]))
    def run(case, stream):
        before = _stored()
        upload = SimpleUploadedFile(case["name"], case["content"], content_type="application/octet-stream")
        response = client.post(url, {"file": upload, "stream": stream})  # an error would be raised here
        assert response.status_code in (302, 422), response.status_code
        if response.status_code == 422:
            assert _stored() == before
            assert "unexpected error" not in response.content.decode()

    run()


def test_the_fuzz_meets_dates_of_every_kind():
    """The generator's certainly-bad dates are the probe's: year 1 and 9999 with an offset, before 1990."""
    dates = CERTAINLY_BAD["orders"]["InvoiceDate"]
    assert "0001-01-01T00:30:00+01:00" in dates and "9999-12-31T23:59:59-01:00" in dates
    assert datetime.date.fromisoformat(dates[3]) < datetime.date(1990, 1, 1)
