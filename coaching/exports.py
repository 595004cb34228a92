"""The progress sheet as XLSX (openpyxl): one row per contact, a summary row per SME, and a summary sheet per SME.

Headers and choice labels are in the reader's language; dates and times in each SME's
launchpad time zone (written as naive local values, which is what spreadsheets show).
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from journey.models import SME

from .selectors import contacts_for, summaries


def _local(moment, zone: str):
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None


def _header(sheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(50, len(title) + 4))


def progress_workbook(smes: QuerySet[SME], *, language: str) -> bytes:
    """The workbook for these SMEs (already scoped to what the reader may see)."""
    with translation.override(language):
        book = Workbook()
        summary = book.active
        summary.title = gettext("Summary")[:31]
        _header(summary, [gettext("SME"), gettext("Launchpad"), gettext("Stage"), gettext("Account manager"),
                          gettext("Last contact"), gettext("Next session"), gettext("Open actions"),
                          gettext("Contacts logged")])  # fmt: skip
        for row in summaries(smes):
            zone = row.sme.launchpad.time_zone
            manager = row.sme.primary_account_manager
            next_session = (
                f"{_local(row.next_session.starts_at, zone):%Y-%m-%d %H:%M} {row.next_session.get_kind_display()}"
                if row.next_session
                else ""
            )
            summary.append([
                row.sme.name, row.sme.launchpad.name, row.sme.get_stage_display(),
                manager.get_full_name() if manager else "", _local(row.last_contact, zone), next_session,
                row.open_actions, row.contacts,
            ])  # fmt: skip
            summary.cell(summary.max_row, 5).number_format = "yyyy-mm-dd hh:mm"

        sheet = book.create_sheet(gettext("Progress sheet")[:31])
        _header(sheet, [gettext("SME"), gettext("Date and time"), gettext("Channel"), gettext("Who took part"),
                        gettext("Summary"), gettext("Follow-up"), gettext("Next contact date"),
                        gettext("Logged by")])  # fmt: skip
        for contact in contacts_for(smes):
            sheet.append([
                contact.sme.name, _local(contact.happened_at, contact.sme.launchpad.time_zone),
                contact.get_channel_display(), contact.participants, contact.summary, contact.follow_up,
                contact.next_contact_on, contact.author.get_full_name() or contact.author.email,
            ])  # fmt: skip
            sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
            sheet.cell(sheet.max_row, 7).number_format = "yyyy-mm-dd"
        _sme_sheets(book, smes)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = "".join(" " if char in "[]:*?/\\" else char for char in name).strip()[:28] or "SME"
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:26]} {n}", n + 1
    taken.add(title.lower())
    return title


def _sme_sheets(book: Workbook, smes: QuerySet[SME]) -> None:
    """A summary sheet per SME: stage, account manager, last contact, next session, open actions, then its contacts."""
    taken = {sheet.title.lower() for sheet in book.worksheets}
    contacts: dict[int, list] = {}
    for contact in contacts_for(smes):
        contacts.setdefault(contact.sme_id, []).append(contact)
    for row in summaries(smes):
        sme, zone = row.sme, row.sme.launchpad.time_zone
        sheet = book.create_sheet(_sheet_title(sme.name, taken))
        manager = sme.primary_account_manager
        sheet.append([sme.name])
        sheet["A1"].font = Font(bold=True, size=13)
        for label, value in (
            (gettext("Launchpad"), sme.launchpad.name),
            (gettext("Stage"), sme.get_stage_display()),
            (gettext("Account manager"), manager.get_full_name() if manager else ""),
            (gettext("Last contact"), _local(row.last_contact, zone)),
            (gettext("Next session"), _local(row.next_session.starts_at, zone) if row.next_session else None),
            (gettext("Open actions"), row.open_actions),
            (gettext("Contacts logged"), row.contacts),
        ):
            sheet.append([label, value])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            if hasattr(value, "hour"):
                sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
        sheet.append([])
        sheet.append([gettext("Date and time"), gettext("Channel"), gettext("Who took part"), gettext("Summary"),
                      gettext("Follow-up"), gettext("Next contact date")])  # fmt: skip
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for contact in contacts.get(sme.pk, []):
            sheet.append([
                _local(contact.happened_at, zone), contact.get_channel_display(), contact.participants,
                contact.summary, contact.follow_up, contact.next_contact_on,
            ])  # fmt: skip
            sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd hh:mm"
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 28
        sheet.column_dimensions["D"].width = 50
