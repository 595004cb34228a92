"""Test helpers: a dump of every table's rows as text, and the figures of a published review."""

import io
import json
import re

from django.db import connection
from openpyxl import load_workbook
from pypdf import PdfReader


def table_dump(skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every row of every table in the database, each as one line of text (lower case)."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in skip:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = [" | ".join("" if value is None else str(value) for value in row).lower() for row in cursor]
    return out


def found_in_dump(dump: dict[str, list[str]], needle: str) -> dict[str, int]:
    """Where ``needle`` (or its JSON-escaped form, as SQLite keeps JSON) is in the dump: table -> rows."""
    forms = {needle.lower(), json.dumps(needle)[1:-1].lower()}
    hits = {table: sum(any(form in line for form in forms) for line in lines) for table, lines in dump.items()}
    return {table: count for table, count in hits.items() if count}


PAGE_NUMBER = re.compile(r"\b\d+ / \d+\b")
NUMBER = re.compile(r"-?\d[\d,.  ]*%?")


def pdf_figures(content: bytes, ignore: tuple[str, ...] = ()) -> list[str]:
    """Every number printed in the PDF, in order, leaving out lines that contain any of ``ignore``."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    lines = [line for line in text.splitlines() if not any(word in line for word in ignore)]
    # Page numbers in the footer ("3 / 7") change when a note adds a page: they are not figures.
    return NUMBER.findall(PAGE_NUMBER.sub("", "\n".join(lines)))


def xlsx_figures(content: bytes, ignore_sheets: tuple[str, ...] = ()) -> dict[str, list]:
    """Every number in the workbook, by sheet, in order."""
    book = load_workbook(io.BytesIO(content), data_only=True)
    return {
        sheet.title: [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, int | float)]
        for sheet in book.worksheets
        if sheet.title not in ignore_sheets
    }


def make_enquiry(launchpad, *, email, name, phone="", language="en", sme=None, **fields):
    """An enquiry as the questionnaire saves it (first choice of every question)."""
    from django.utils import timezone

    from journey.models import Enquiry

    def first(field):
        return Enquiry._meta.get_field(field).choices[0][0]

    values = {
        "launchpad": launchpad,
        "sme": sme,
        "language": language,
        "company_name": f"{name} Ltd",
        "country": launchpad.country,
        "town": "Angers",
        "headcount": 3,
        "turnover": first("turnover"),
        "sector": first("sector"),
        "products": "Soap",
        "market_orientation": first("market_orientation"),
        "shop_platform": first("shop_platform"),
        "analytics": first("analytics"),
        "experience": first("experience"),
        "goals": "Sell abroad.",
        "contact_name": name,
        "contact_email": email,
        "contact_phone": phone,
        "consent_at": timezone.now(),
        **fields,
    }
    return Enquiry.objects.create(**values)
