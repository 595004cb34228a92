"""The progress sheet as XLSX (openpyxl): one row per contact, a summary row per SME, and a summary sheet per SME.

Headers and choice labels are in the reader's language; dates and times in each SME's
launchpad time zone (written as naive local values, which is what spreadsheets show).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from journey import spreadsheets
from journey.models import SME
from journey.spreadsheets import xlsx_append

from .selectors import contacts_for, summaries


def _local(moment, zone: str):
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None


def _widths(titles: list[str]) -> list[int]:
    return [max(14, min(50, len(title) + 4)) for title in titles]


def progress_workbook(smes: QuerySet[SME], *, language: str) -> bytes:
    """The workbook for these SMEs (already scoped to what the reader may see)."""
    with translation.override(language):
        book = spreadsheets.xlsx_workbook()
        titles = [gettext("SME"), gettext("Launchpad"), gettext("Stage"), gettext("Account manager"),
                  gettext("Last contact"), gettext("Next session"), gettext("Open actions"),
                  gettext("Contacts logged")]  # fmt: skip
        summary = spreadsheets.xlsx_sheet(book, gettext("Summary"), titles, widths=_widths(titles))
        for row in summaries(smes):
            zone = row.sme.launchpad.time_zone
            manager = row.sme.primary_account_manager
            next_session = (
                f"{_local(row.next_session.starts_at, zone):%Y-%m-%d %H:%M} {row.next_session.get_kind_display()}"
                if row.next_session
                else ""
            )
            xlsx_append(summary, [
                row.sme.name, row.sme.launchpad.name, row.sme.get_stage_display(),
                manager.get_full_name() if manager else "", _local(row.last_contact, zone), next_session,
                row.open_actions, row.contacts,
            ])  # fmt: skip
            summary.cell(summary.max_row, 5).number_format = "yyyy-mm-dd hh:mm"

        titles = [gettext("SME"), gettext("Date and time"), gettext("Channel"), gettext("Who took part"),
                  gettext("Summary"), gettext("Follow-up"), gettext("Next contact date"),
                  gettext("Logged by")]  # fmt: skip
        sheet = spreadsheets.xlsx_sheet(book, gettext("Progress sheet"), titles, widths=_widths(titles))
        for contact in contacts_for(smes):
            xlsx_append(sheet, [
                contact.sme.name, _local(contact.happened_at, contact.sme.launchpad.time_zone),
                contact.get_channel_display(), contact.participants, contact.summary, contact.follow_up,
                contact.next_contact_on, contact.author.get_full_name() or contact.author.email,
            ])  # fmt: skip
            sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
            sheet.cell(sheet.max_row, 7).number_format = "yyyy-mm-dd"
        _sme_sheets(book, smes)
    return spreadsheets.xlsx_bytes(book)


def _sme_sheets(book: Workbook, smes: QuerySet[SME]) -> None:
    """A summary sheet per SME: stage, account manager, last contact, next session, open actions, then its contacts."""
    taken = {sheet.title.lower() for sheet in book.worksheets}
    contacts: dict[int, list] = {}
    for contact in contacts_for(smes):
        contacts.setdefault(contact.sme_id, []).append(contact)
    for row in summaries(smes):
        sme, zone = row.sme, row.sme.launchpad.time_zone
        sheet = spreadsheets.xlsx_sheet(book, sme.name, taken=taken, widths={"A": 22, "B": 28, "D": 50})
        manager = sme.primary_account_manager
        xlsx_append(sheet, [sme.name])
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
            xlsx_append(sheet, [label, value])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            if hasattr(value, "hour"):
                sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
        sheet.append([])
        xlsx_append(sheet, [gettext("Date and time"), gettext("Channel"), gettext("Who took part"),
                            gettext("Summary"), gettext("Follow-up"), gettext("Next contact date")],
                    bold=True)  # fmt: skip
        for contact in contacts.get(sme.pk, []):
            xlsx_append(sheet, [
                _local(contact.happened_at, zone), contact.get_channel_display(), contact.participants,
                contact.summary, contact.follow_up, contact.next_contact_on,
            ])  # fmt: skip
            sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd hh:mm"
