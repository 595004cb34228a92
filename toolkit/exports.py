"""Downloads of the toolkit's tables as XLSX and CSV, in the reader's language.

XLSX keeps numbers as numbers and dates as dates (with a number format), so the reader's
spreadsheet formats them itself. CSV is written for the reader's spreadsheet: in French
``;`` between fields and a decimal comma, in English ``,`` and a decimal point; always UTF-8
with a byte-order mark, so Excel reads accents correctly when the file is opened directly.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, translation
from django.utils.text import slugify

from journey import spreadsheets
from journey.spreadsheets import Verbatim

from .tables import Column, Context, Table, column_labels, yes_no

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {"xlsx": spreadsheets.XLSX_CONTENT_TYPE, "csv": spreadsheets.CSV_CONTENT_TYPE}
NUMBER_FORMATS = {
    "int": "#,##0",
    "money": "#,##0.00",
    "number": "#,##0.00",
    "pct": "0.0",
    "points": "0.00",
    "date": "DD/MM/YYYY",
    "month": "MM/YYYY",
}


def _french() -> bool:
    return (translation.get_language() or "en").startswith("fr")


def _cell(column: Column, value, words: dict | None = None):
    """A value as the spreadsheet should hold it: numbers, dates, or text (yes and no in the reader's words)."""
    if value is None:
        return None
    if column.kind == "bool":
        return (words or _yes_no_words())[bool(value)]
    if column.kind == "month":
        year, month = str(value).split("-")
        return datetime.date(int(year), int(month), 1)
    if column.kind == "text":
        return str(value)
    return value


def _yes_no_words() -> dict[bool, str]:
    return {True: yes_no(True), False: yes_no(False)}


def file_name(table: Table, ctx: Context, extension: str) -> str:
    """ "stock-checks-<sme>.xlsx", with the period when the table follows the month picker."""
    parts = [str(table.filename), ctx.sme.slug]
    if table.periodic and ctx.period is not None:
        parts.append(ctx.period.key.replace("_", "-"))
    return f"{slugify('-'.join(parts))}.{extension}"


def xlsx(table: Table, ctx: Context) -> bytes:
    """The table as one sheet (journey.spreadsheets: text never becomes a formula)."""
    book = spreadsheets.xlsx_workbook()
    labels = column_labels(table, ctx.document)
    sheet = spreadsheets.xlsx_sheet(book, str(table.title), labels)
    words = _yes_no_words()
    for row in table.rows(ctx):
        spreadsheets.xlsx_append(sheet, [_cell(column, row.get(column.key), words) for column in table.columns])
    for index, column in enumerate(table.columns, start=1):
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    spreadsheets.xlsx_fit_columns(sheet)
    return spreadsheets.xlsx_bytes(book)


def _csv_value(column: Column, value, *, french: bool, words: dict):
    """A cell for the CSV: numbers and dates formatted here (written as they are), text as the helper makes it inert."""
    value = _cell(column, value, words)
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return Verbatim(value.strftime("%m/%Y") if column.kind == "month" else value.strftime("%d/%m/%Y"))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = f"{value:.2f}" if column.kind in ("money", "number", "points") else str(value)
        return Verbatim(text.replace(".", ",") if french else text)
    return str(value)


def csv_bytes(table: Table, ctx: Context) -> bytes:
    french = _french()
    words = _yes_no_words()
    rows = [column_labels(table, ctx.document)]
    rows += [
        [_csv_value(column, row.get(column.key), french=french, words=words) for column in table.columns]
        for row in table.rows(ctx)
    ]
    return spreadsheets.csv_bytes(rows, delimiter=";" if french else ",")


def render(table: Table, ctx: Context, extension: str) -> bytes:
    return xlsx(table, ctx) if extension == "xlsx" else csv_bytes(table, ctx)


__all__ = ["CONTENT_TYPES", "FORMATS", "csv_bytes", "file_name", "formats", "render", "xlsx"]
