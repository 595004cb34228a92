"""A quarterly review as a spreadsheet: a figures sheet per launchpad, the totals, the lessons register."""

from __future__ import annotations

from django.utils.translation import gettext

from journey import spreadsheets
from journey.spreadsheets import xlsx_append


def review_workbook(review, figures: list[dict], lessons: list[dict], launchpads) -> bytes:
    workbook = spreadsheets.xlsx_workbook()
    columns = [(launchpad.code, launchpad.name) for launchpad in launchpads]
    sheets = [(code, name) for code, name in columns]
    if len(columns) > 1:
        sheets.append(("__total__", gettext("Programme total")))
    for code, name in sheets:
        sheet = spreadsheets.xlsx_sheet(workbook, name, widths={"A": 48})
        xlsx_append(sheet, [str(review), gettext("as of %(date)s") % {"date": review.period_end.strftime("%d/%m/%Y")}])
        sheet.append([])
        for section in figures:
            xlsx_append(sheet, [section["title"]], bold=True)
            for table in section["tables"]:
                xlsx_append(sheet, [table["title"]])
                if table["kind"] == "counts":
                    for row in table["rows"]:
                        value = row["total"] if code == "__total__" else row["values"].get(code, 0)
                        xlsx_append(sheet, [row["label"], value])
                else:
                    xlsx_append(sheet, table["columns"])
                    for row in table["rows"]:
                        if code == "__total__" or row.get("launchpad") == code:
                            xlsx_append(sheet, row["cells"])
                sheet.append([])
    register = spreadsheets.xlsx_sheet(
        workbook,
        gettext("Lessons learned"),
        [gettext("Lesson"), gettext("Review"), gettext("Lesson learned"), gettext("Follow-up")],
        widths={"C": 80, "D": 60},
    )
    for lesson in lessons:
        xlsx_append(register, [lesson["number"], lesson["review"], lesson["text"], lesson["follow_up"]])
    if review.erasures:
        # Personal data erased after publication (privacy): noted, the figures above unchanged.
        erased = spreadsheets.xlsx_sheet(
            workbook, gettext("Personal data"), [gettext("Erased on"), gettext("Note")], widths={"A": 14, "B": 80}
        )
        for day in review.erasures:
            xlsx_append(erased, [day, gettext("A person's data erased on request; the figures are as published.")])
    return spreadsheets.xlsx_bytes(workbook)
