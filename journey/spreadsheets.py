"""Every spreadsheet the programme hands out is written here: CSV and XLSX, with no live formula from anybody's text.

A product title, an order id, a contact's summary or a company name typed by an anonymous
visitor can start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; a spreadsheet
opening the file would run it as a formula (CSV or formula injection). Following OWASP's
advice on CSV injection:

* in CSV, such a text cell is written with a leading apostrophe (``'=1+1``), which
  spreadsheets show as text;
* in XLSX, every text cell is a string cell (openpyxl's data type ``"s"``), never a formula;
* numbers and dates stay numbers and dates.

The only formulas an XLSX may hold are those the programme wrote itself, in a workbook
that holds no outside text (``xlsx_bytes(book, formulas=True)``). Headers are bold,
columns are wide enough to read, the header row stays in view.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# The characters a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class Verbatim(str):
    """Text this program wrote itself (a formatted number such as ``-12.50``): written to a CSV as it is."""


def csv_cell(value) -> str:
    """A value as a CSV cell: text that would start a formula gets a leading apostrophe; None is empty."""
    if value is None:
        return ""
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


def csv_bytes(rows: Iterable[Sequence], *, delimiter: str = ",") -> bytes:
    """Rows (the header first) as CSV for a spreadsheet: UTF-8 with a byte-order mark, CRLF, every cell made inert."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def sheet_title(name: str, taken: set[str] | None = None) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, unique in ``taken`` (lower case) if given."""
    base = "".join(" " if char in "[]:*?/\\" else char for char in str(name)).strip()[:31] or "Sheet"
    if taken is None:
        return base
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" {number}"
        title, number = f"{base[: 31 - len(suffix)]}{suffix}", number + 1
    taken.add(title.lower())
    return title


def xlsx_workbook() -> Workbook:
    """An empty workbook (no default sheet): add sheets with ``xlsx_sheet``."""
    book = Workbook()
    book.remove(book.active)
    return book


def xlsx_append(sheet: Worksheet, values: Sequence, *, bold: bool = False) -> int:
    """Append a row, every text a string cell (never a formula); returns the row's number."""
    sheet.append(list(values))
    row = sheet.max_row
    for cell in sheet[row]:
        if cell.data_type == "f":
            cell.data_type = "s"
        if bold:
            cell.font = BOLD
    return row


def xlsx_sheet(
    book: Workbook,
    title: str,
    header: Sequence[str] | None = None,
    *,
    widths: dict[str, float] | Sequence[float] | None = None,
    taken: set[str] | None = None,
) -> Worksheet:
    """A new sheet with a bold header row kept in view, and column widths (by letter, or in order from A)."""
    sheet = book.create_sheet(sheet_title(title, taken))
    if header is not None:
        xlsx_append(sheet, [str(label) for label in header], bold=True)
        sheet.freeze_panes = "A2"
    if widths:
        items = (
            widths.items()
            if isinstance(widths, dict)
            else zip((get_column_letter(index) for index in range(1, len(widths) + 1)), widths, strict=True)
        )
        for letter, width in items:
            sheet.column_dimensions[letter].width = width
    return sheet


def xlsx_fit_columns(sheet: Worksheet, *, minimum: int = 10, maximum: int = 60, sample: int = 200) -> None:
    """Widen each column to its longest value among the first ``sample`` rows, within bounds."""
    for index, cells in enumerate(sheet.iter_cols(max_row=min(sheet.max_row, sample)), start=1):
        width = max((len(str(cell.value)) for cell in cells if cell.value is not None), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(minimum, width + 2), maximum)


def xlsx_bytes(book: Workbook, *, formulas: bool = False) -> bytes:
    """The workbook as XLSX bytes.

    Every formula cell is turned into a string cell first, whoever set it, unless
    ``formulas`` says the workbook's formulas are the programme's own (a worksheet template
    with no outside text in it).
    """
    if not formulas and not book.write_only:  # a write-only book's rows were made inert as they were written
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- write-only workbooks: rows streamed to the file as they come, for sheets of any length --------


def xlsx_stream_workbook() -> Workbook:
    """An empty write-only workbook (openpyxl's ``write_only``): each row goes straight to the file,
    so a sheet of thousands of rows costs no cell objects kept in memory. Add sheets with
    ``xlsx_stream_sheet``, rows with ``xlsx_stream_append``, and save with ``xlsx_bytes``."""
    return Workbook(write_only=True)


def xlsx_stream_sheet(
    book: Workbook,
    title: str,
    header: Sequence[str] | None = None,
    *,
    widths: dict[str, float] | Sequence[float] | None = None,
    taken: set[str] | None = None,
):
    """``xlsx_sheet`` for a write-only workbook: widths and the frozen header are set before any row."""
    sheet = book.create_sheet(sheet_title(title, taken))
    if widths:
        items = (
            widths.items()
            if isinstance(widths, dict)
            else zip((get_column_letter(index) for index in range(1, len(widths) + 1)), widths, strict=True)
        )
        for letter, width in items:
            sheet.column_dimensions[letter].width = width
    if header is not None:
        sheet.freeze_panes = "A2"
        xlsx_stream_append(sheet, [str(label) for label in header], bold=True)
    return sheet


def xlsx_stream_append(
    sheet, values: Sequence, *, bold: bool = False, formats: dict[int, str] | None = None, fonts=None
) -> None:
    """Append a row to a write-only sheet, every text a string cell (never a formula).

    ``formats``: number formats by column index (from 0), applied to values that are set;
    ``fonts``: fonts by column index. A cell is an openpyxl ``WriteOnlyCell`` only where it needs a
    type or a style; other values go as they are.
    """
    row = []
    for index, value in enumerate(values):
        number_format = formats.get(index) if formats and value is not None else None
        font = BOLD if bold else (fonts.get(index) if fonts else None)
        formula = isinstance(value, str) and value.startswith("=")
        if not (formula or number_format or font):
            row.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        if cell.data_type == "f":
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        row.append(cell)
    sheet.append(row)


def xlsx_table(title: str, header: Sequence[str], rows: Iterable[Sequence], **kwargs) -> bytes:
    """A one-sheet workbook: a bold header, the rows, columns fitted to their contents."""
    book = xlsx_workbook()
    sheet = xlsx_sheet(book, title, header)
    for row in rows:
        xlsx_append(sheet, row)
    xlsx_fit_columns(sheet, **kwargs)
    return xlsx_bytes(book)
