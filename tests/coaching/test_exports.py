"""The progress sheet as XLSX: one row per contact, a summary row per SME, headers in the reader's language."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from coaching import services

from .conftest import login
from .factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(sme, other_sme, manager, colleague, french_sme, french_manager):
    ContactFactory(sme=sme, author=manager, channel="video", summary="Kick-off",
                           happened_at=datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC))  # fmt: skip
    ContactFactory(sme=sme, author=manager, channel="phone", summary="Follow-up call",
                           happened_at=datetime.datetime(2026, 7, 8, 9, 0, tzinfo=datetime.UTC))  # fmt: skip
    ContactFactory(sme=other_sme, author=colleague, channel="email", summary="Candles agenda",
                           happened_at=datetime.datetime(2026, 7, 2, 9, 0, tzinfo=datetime.UTC))  # fmt: skip
    ContactFactory(sme=french_sme, author=french_manager, channel="in_person", summary="Visite",
                           happened_at=datetime.datetime(2026, 7, 3, 9, 0, tzinfo=datetime.UTC))  # fmt: skip


def _book(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_one_smes_progress_sheet(client, sme, manager, logged):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.action_save(plan=plan, by=manager, title="Etsy shop", owner_type="sme_staff")
    services.plan_share(plan=plan, by=manager)
    services.session_schedule(sme=sme, by=manager, kind="monthly_1", location="Office",
                              starts_at=timezone.now() + datetime.timedelta(days=3))  # fmt: skip
    login(client, manager)
    book = _book(client.get(reverse("coaching:export_sme", kwargs={"slug": sme.slug})))
    summary, sheet, own = book.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("SME", "Date and time", "Channel")
    assert [(r[0], r[2], r[4]) for r in rows[1:]] == [
        ("Hebridean Knitwear", "Video call", "Kick-off"),
        ("Hebridean Knitwear", "Phone", "Follow-up call"),
    ]
    # 09:00 UTC in July is 10:00 in London.
    assert rows[1][1] == datetime.datetime(2026, 7, 1, 10, 0)
    (header, row) = list(summary.iter_rows(values_only=True))
    assert header == ("SME", "Launchpad", "Stage", "Account manager", "Last contact", "Next session",
                      "Open actions", "Contacts logged")  # fmt: skip
    assert row[0] == "Hebridean Knitwear" and row[3] == "Sarah Mitchell" and row[6] == 1 and row[7] == 2
    assert row[4] == datetime.datetime(2026, 7, 8, 10, 0) and "Monthly intensive review 1" in row[5]
    # The SME's own summary sheet: its figures, then its contacts.
    assert own.title == "Hebridean Knitwear"
    facts = {r[0]: r[1] for r in own.iter_rows(min_row=2, max_row=8, values_only=True)}
    assert facts["Account manager"] == "Sarah Mitchell" and facts["Open actions"] == 1
    assert facts["Last contact"] == datetime.datetime(2026, 7, 8, 10, 0)
    assert [r[3] for r in own.iter_rows(min_row=11, values_only=True)] == ["Kick-off", "Follow-up call"]


def test_a_launchpads_progress_sheet_in_french_scoped_to_the_reader(client, french_manager, manager, logged):
    french_manager.preferred_language = "fr"
    login(client, french_manager)
    book = _book(client.get("/fr/portal/coaching/launchpads/fr/progress.xlsx"))
    with translation.override("fr"):
        expected = gettext("Date and time")
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[0][1] == expected
    assert [r[4] for r in rows[1:]] == ["Visite"]
    # Another launchpad's SMEs are not visible to her: nothing to export.
    assert client.get("/fr/portal/coaching/launchpads/uk/progress.xlsx").status_code == 404
    login(client, manager)
    book = _book(client.get("/en/portal/coaching/launchpads/uk/progress.xlsx"))
    assert sorted(r[4] for r in list(book.worksheets[1].iter_rows(values_only=True))[1:]) == [
        "Candles agenda", "Follow-up call", "Kick-off"
    ]  # fmt: skip
    assert len(book.worksheets) == 2 + len({r[0] for r in list(book.worksheets[1].iter_rows(values_only=True))[1:]})


def test_sme_users_get_no_export(client, sme, sme_user, logged):
    login(client, sme_user)
    assert client.get("/en/portal/coaching/launchpads/uk/progress.xlsx").status_code == 403
    assert client.get(reverse("coaching:export_sme", kwargs={"slug": sme.slug})).status_code == 403


def test_every_text_from_a_person_is_a_string_cell_never_a_formula(client, sme, manager, logged):
    at = datetime.datetime(2026, 7, 9, 9, 0, tzinfo=datetime.UTC)
    ContactFactory(sme=sme, author=manager, summary='=HYPERLINK("http://x.example","y")', participants="=1+1",
                   happened_at=at)  # fmt: skip
    login(client, manager)
    book = _book(client.get(reverse("coaching:export_sme", kwargs={"slug": sme.slug})))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    formulas = [cell for cell in cells if str(cell.value).startswith("=")]
    assert len(formulas) == 4  # the summary and the participants, on the progress sheet and the SME's own
    assert {cell.data_type for cell in formulas} == {"s"}
    assert {cell.data_type for cell in cells} <= {"s", "n", "d"}
    dated = book.worksheets[1]["B2"]
    assert dated.is_date and dated.number_format == "yyyy-mm-dd hh:mm"


def test_the_launchpad_export_reads_the_same_number_of_times_for_any_number_of_smes(
    client, manager, sme, other_sme, logged
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.journey.factories import SMEFactory

    login(client, manager)
    url = reverse("coaching:export_launchpad", kwargs={"code": "uk"})
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as few:
        _book(client.get(url))
    for n in range(6):
        extra = SMEFactory(launchpad=sme.launchpad, primary_account_manager=manager, name=f"Extra {n}")
        ContactFactory(sme=extra, author=manager, summary=f"Call {n}")
    with CaptureQueriesContext(connection) as many:
        book = _book(client.get(url))
    assert len(book.worksheets) >= 2 + 6 + 2
    assert len(many) == len(few)
