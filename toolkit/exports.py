"""Downloads of the toolkit's tables as XLSX and CSV, in the reader's language.

XLSX keeps numbers as numbers and dates as dates (with a number format), so the reader's
spreadsheet formats them itself. CSV is written for the reader's spreadsheet: in French
``;`` between fields and a decimal comma, in English ``,`` and a decimal point; always UTF-8
with a byte-order mark, so Excel reads accents correctly when the file is opened directly.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import formats, translation
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .tables import Column, Context, Table, column_labels, yes_no

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
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
    book = Workbook()
    sheet = book.active
    # A sheet name holds at most 31 characters and none of : \ / ? * [ ].
    sheet.title = "".join(ch for ch in str(table.title) if ch not in ":\\/?*[]")[:31] or "Sheet1"
    labels = column_labels(table, ctx.document)
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    words = _yes_no_words()
    for row in table.rows(ctx):
        sheet.append([_cell(column, row.get(column.key), words) for column in table.columns])
    for index, (column, label) in enumerate(zip(table.columns, labels, strict=True), start=1):
        letter = get_column_letter(index)
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        cells = sheet.iter_rows(min_row=2, max_row=min(sheet.max_row, 200), min_col=index, max_col=index)
        width = max([len(label)] + [len(str(c.value or "")) for (c,) in cells])
        sheet.column_dimensions[letter].width = min(max(10, width + 2), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_value(column: Column, value, *, french: bool, words: dict) -> str:
    value = _cell(column, value, words)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%m/%Y") if column.kind == "month" else value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        text = f"{value:.2f}" if column.kind in ("money", "number", "points") else str(value)
        return text.replace(".", ",") if french else text
    return str(value)


def csv_bytes(table: Table, ctx: Context) -> bytes:
    french = _french()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow(column_labels(table, ctx.document))
    words = _yes_no_words()
    for row in table.rows(ctx):
        writer.writerow(
            [_csv_value(column, row.get(column.key), french=french, words=words) for column in table.columns]
        )
    return out.getvalue().encode("utf-8-sig")


def render(table: Table, ctx: Context, extension: str) -> bytes:
    return xlsx(table, ctx) if extension == "xlsx" else csv_bytes(table, ctx)


__all__ = ["CONTENT_TYPES", "FORMATS", "csv_bytes", "file_name", "formats", "render", "xlsx"]
