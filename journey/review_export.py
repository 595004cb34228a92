"""A quarterly review as a spreadsheet: a figures sheet per launchpad, the totals, the lessons register."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

BOLD = Font(bold=True)


def _sheet_title(text: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def review_workbook(review, figures: list[dict], lessons: list[dict], launchpads) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    columns = [(launchpad.code, launchpad.name) for launchpad in launchpads]
    sheets = [(code, name) for code, name in columns]
    if len(columns) > 1:
        sheets.append(("__total__", gettext("Programme total")))
    for code, name in sheets:
        sheet = workbook.create_sheet(_sheet_title(name))
        sheet.append([str(review), gettext("as of %(date)s") % {"date": review.period_end.strftime("%d/%m/%Y")}])
        sheet.append([])
        for section in figures:
            sheet.append([section["title"]])
            sheet.cell(sheet.max_row, 1).font = BOLD
            for table in section["tables"]:
                sheet.append([table["title"]])
                if table["kind"] == "counts":
                    for row in table["rows"]:
                        value = row["total"] if code == "__total__" else row["values"].get(code, 0)
                        sheet.append([row["label"], value])
                else:
                    sheet.append(table["columns"])
                    for row in table["rows"]:
                        if code == "__total__" or row.get("launchpad") == code:
                            sheet.append(row["cells"])
                sheet.append([])
        sheet.column_dimensions["A"].width = 48
    register = workbook.create_sheet(_sheet_title(gettext("Lessons learned")))
    register.append([gettext("Lesson"), gettext("Review"), gettext("Lesson learned"), gettext("Follow-up")])
    for cell in register[1]:
        cell.font = BOLD
    for lesson in lessons:
        register.append([lesson["number"], lesson["review"], lesson["text"], lesson["follow_up"]])
    register.column_dimensions["C"].width = 80
    register.column_dimensions["D"].width = 60
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
