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
from journey.spreadsheets import xlsx_stream_append

from .selectors import contacts_for, summaries


def _local(moment, zone: str):
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None


def _widths(titles: list[str]) -> list[int]:
    return [max(14, min(50, len(title) + 4)) for title in titles]


DATE_TIME, DATE = "yyyy-mm-dd hh:mm", "yyyy-mm-dd"
TITLE = Font(bold=True, size=13)


def progress_workbook(smes: QuerySet[SME], *, language: str) -> bytes:
    """The workbook for these SMEs (already scoped to what the reader may see).

    Written in openpyxl's write-only mode from two reads (the SMEs' summaries, their contacts),
    whatever the number of SMEs: every row goes to the file as it is made.
    """
    with translation.override(language):
        rows = summaries(smes)
        timeline = list(contacts_for(smes))  # in the database's order: by SME name, then time
        contacts: dict[int, list] = {}
        for contact in timeline:
            contacts.setdefault(contact.sme_id, []).append(contact)
        book = spreadsheets.xlsx_stream_workbook()
        titles = [gettext("SME"), gettext("Launchpad"), gettext("Stage"), gettext("Account manager"),
                  gettext("Last contact"), gettext("Next session"), gettext("Open actions"),
                  gettext("Contacts logged")]  # fmt: skip
        summary = spreadsheets.xlsx_stream_sheet(book, gettext("Summary"), titles, widths=_widths(titles))
        for row in rows:
            zone = row.sme.launchpad.time_zone
            manager = row.sme.primary_account_manager
            next_session = (
                f"{_local(row.next_session.starts_at, zone):%Y-%m-%d %H:%M} {row.next_session.get_kind_display()}"
                if row.next_session
                else ""
            )
            xlsx_stream_append(summary, [
                row.sme.name, row.sme.launchpad.name, row.sme.get_stage_display(),
                manager.get_full_name() if manager else "", _local(row.last_contact, zone), next_session,
                row.open_actions, row.contacts,
            ], formats={4: DATE_TIME})  # fmt: skip

        titles = [gettext("SME"), gettext("Date and time"), gettext("Channel"), gettext("Who took part"),
                  gettext("Summary"), gettext("Follow-up"), gettext("Next contact date"),
                  gettext("Logged by")]  # fmt: skip
        sheet = spreadsheets.xlsx_stream_sheet(book, gettext("Progress sheet"), titles, widths=_widths(titles))
        for contact in timeline:
            xlsx_stream_append(sheet, [
                contact.sme.name, _local(contact.happened_at, contact.sme.launchpad.time_zone),
                contact.get_channel_display(), contact.participants, contact.summary, contact.follow_up,
                contact.next_contact_on, contact.author.get_full_name() or contact.author.email,
            ], formats={1: DATE_TIME, 6: DATE})  # fmt: skip
        _sme_sheets(book, rows, contacts)
    return spreadsheets.xlsx_bytes(book)


def _sme_sheets(book: Workbook, rows: list, contacts: dict[int, list]) -> None:
    """A summary sheet per SME: stage, account manager, last contact, next session, open actions, then its contacts."""
    taken = {sheet.title.lower() for sheet in book.worksheets}
    bold = {0: spreadsheets.BOLD}
    for row in rows:
        sme, zone = row.sme, row.sme.launchpad.time_zone
        sheet = spreadsheets.xlsx_stream_sheet(book, sme.name, taken=taken, widths={"A": 22, "B": 28, "D": 50})
        manager = sme.primary_account_manager
        xlsx_stream_append(sheet, [sme.name], fonts={0: TITLE})
        for label, value in (
            (gettext("Launchpad"), sme.launchpad.name),
            (gettext("Stage"), sme.get_stage_display()),
            (gettext("Account manager"), manager.get_full_name() if manager else ""),
            (gettext("Last contact"), _local(row.last_contact, zone)),
            (gettext("Next session"), _local(row.next_session.starts_at, zone) if row.next_session else None),
            (gettext("Open actions"), row.open_actions),
            (gettext("Contacts logged"), row.contacts),
        ):
            formats = {1: DATE_TIME} if hasattr(value, "hour") else None
            xlsx_stream_append(sheet, [label, value], fonts=bold, formats=formats)
        sheet.append([])
        xlsx_stream_append(sheet, [gettext("Date and time"), gettext("Channel"), gettext("Who took part"),
                                   gettext("Summary"), gettext("Follow-up"), gettext("Next contact date")],
                           bold=True)  # fmt: skip
        for contact in contacts.get(sme.pk, []):
            xlsx_stream_append(sheet, [
                _local(contact.happened_at, zone), contact.get_channel_display(), contact.participants,
                contact.summary, contact.follow_up, contact.next_contact_on,
            ], formats={0: DATE_TIME})  # fmt: skip
