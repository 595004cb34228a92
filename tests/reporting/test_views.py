"""The coordinators' screens: reviews (scoping, publishing, corrections), their exports, the programme dashboard."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from journey.models import Role, Stage, StageChange
from reporting import programme as reporting
from reporting.models import QuarterlyReview, ReviewStatus
from tests.journey.factories import PASSWORD, LaunchpadFactory, ProgrammeFactory, SMEFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def programme():
    programme = ProgrammeFactory(start_date=datetime.date(2025, 1, 1))
    uk = LaunchpadFactory(programme=programme)
    france = LaunchpadFactory(programme=programme, france=True)
    for launchpad, name, day in ((uk, "Thames Teas", 5), (uk, "Kentish Kites", 6), (france, "Savons d’Arles", 7)):
        sme = SMEFactory(launchpad=launchpad, name=name)
        StageChange.objects.create(
            sme=sme, transition="enrol", from_stage=Stage.ASSESSMENT, to_stage=Stage.ONBOARDING,
            at=datetime.datetime(2025, 10, day, 10, tzinfo=LONDON),
        )  # fmt: skip
        type(sme).objects.filter(pk=sme.pk).update(created_at=datetime.datetime(2025, 9, 1, tzinfo=LONDON))
    return programme


def _login(client, **fields):
    user = UserFactory(**fields)
    client.login(email=user.email, password=PASSWORD)
    return user


@pytest.fixture
def review(programme):
    return reporting.review_create(programme, 2)


def test_a_coordinator_reads_both_launchpads_and_the_total(client, review):
    _login(client, role=Role.COORDINATOR)
    page = client.get(f"/admin/programme/{review.pk}/").content.decode()
    assert "UK launchpad" in page and "France launchpad" in page
    assert "<svg" in page.split('data-testid="review-status"')[1]  # the enrolments chart
    row = page.split('data-row="cumulative"')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == ["1", "2", "<strong>3</strong>"]


def test_a_launchpad_manager_reads_only_their_launchpad_and_cannot_publish(client, review):
    france = review.programme.launchpads.get(code="fr")
    _login(client, role=Role.LAUNCHPAD_MANAGER, launchpad=france)
    page = client.get(f"/admin/programme/{review.pk}/").content.decode()
    assert "France launchpad" in page and "UK launchpad" not in page
    assert "Thames Teas" not in page
    # Wagtail's admin answers a refusal by sending the person back to the dashboard with a message.
    assert client.post(f"/admin/programme/{review.pk}/publish/").status_code in (302, 403)
    client.post(f"/admin/programme/{review.pk}/lessons/", {"text_en": "x", "text_fr": "y"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert not review.programme.lessons.exists()
    xlsx = load_workbook(io.BytesIO(client.get(f"/admin/programme/{review.pk}/xlsx/").content))
    assert [sheet.title for sheet in xlsx.worksheets] == ["France launchpad", "Lessons learned"]


def test_account_managers_and_sme_users_see_no_reports(client, review):
    uk = review.programme.launchpads.get(code="uk")
    _login(client, role=Role.ACCOUNT_MANAGER, launchpad=uk)
    for url in ("/admin/programme/", f"/admin/programme/{review.pk}/", f"/admin/programme/{review.pk}/pdf/",
                "/admin/programme/dashboard/"):  # fmt: skip
        assert client.get(url).status_code in (302, 403), url


def test_the_coordinator_writes_records_lessons_and_publishes(client, review):
    coordinator = _login(client, role=Role.COORDINATOR)
    response = client.post(
        f"/admin/programme/{review.pk}/edit/",
        {
            "challenges_en": "Summer slowed enrolment.",
            "challenges_fr": "L’été a ralenti les inscriptions.",
            "exchange_en": "Joint meetings.",
            "exchange_fr": "Réunions communes.",
            "operations_uk_en": "Two SMEs enrolled.",
            "operations_uk_fr": "Deux PME inscrites.",
            "operations_fr_en": "One SME enrolled.",
            "operations_fr_fr": "Une PME inscrite.",
        },
    )
    assert response.status_code == 302
    client.post(
        f"/admin/programme/{review.pk}/lessons/", {"text_en": "Log every call.", "text_fr": "Noter chaque appel."}
    )
    assert client.post(f"/admin/programme/{review.pk}/lessons/", {"text_en": "Only English"}).status_code == 302
    assert review.programme.lessons.count() == 1
    client.post(f"/admin/programme/{review.pk}/publish/")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.published_by == coordinator
    assert review.operations.get(launchpad__code="fr").text_fr == "Une PME inscrite."
    # Frozen: the edit form refuses, and a correction is a new draft version.
    client.post(f"/admin/programme/{review.pk}/edit/", {"challenges_en": "Rewritten"})
    review.refresh_from_db()
    assert review.challenges_en == "Summer slowed enrolment."
    response = client.post(f"/admin/programme/{review.pk}/correct/")
    correction = QuarterlyReview.objects.get(supersedes=review)
    assert response.url.endswith(f"/admin/programme/{correction.pk}/edit/")
    assert correction.challenges_fr == "L’été a ralenti les inscriptions."


@pytest.mark.parametrize(("language", "heading"), [("en", "Lessons learned"), ("fr", "Leçons tirées")])
def test_the_pdf_holds_the_figures_and_the_register_in_the_readers_language(client, review, language, heading):
    from journey.services import user_set_preferred_language

    user_set_preferred_language(user=_login(client, role=Role.COORDINATOR), language=language)
    reporting.lesson_add(review, text_en="Log every call.", text_fr="Noter chaque appel.")
    response = client.get(f"/admin/programme/{review.pk}/pdf/", HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert heading in text
    assert ("Noter chaque appel." if language == "fr" else "Log every call.") in text
    assert ("Inscriptions cumulées" if language == "fr" else "Cumulative enrolments") in text


def test_the_spreadsheet_has_a_figures_sheet_per_launchpad_the_total_and_the_register(client, review):
    _login(client, role=Role.COORDINATOR)
    reporting.lesson_add(review, text_en="Log every call.", text_fr="Noter chaque appel.")
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/programme/{review.pk}/xlsx/").content))
    assert [sheet.title for sheet in workbook.worksheets] == [
        "France launchpad",
        "UK launchpad",
        "Programme total",
        "Lessons learned",
    ]

    def value(sheet, label):
        return next(row[1] for row in workbook[sheet].iter_rows(values_only=True) if row and row[0] == label)

    assert value("UK launchpad", "Cumulative enrolments") == 2
    assert value("France launchpad", "Cumulative enrolments") == 1
    assert value("Programme total", "Cumulative enrolments") == 3
    register = list(workbook["Lessons learned"].iter_rows(values_only=True))
    assert register[1][:3] == (1, 2, "Log every call.")


def test_the_dashboard_shows_enrolments_the_funnel_and_the_upcoming_review(client, programme):
    _login(client, role=Role.COORDINATOR)
    page = client.get("/admin/programme/dashboard/").content.decode()
    assert "<svg" in page and "<title" in page
    funnel = page.split('data-stage="onboarding"')[1].split("</tr>")[0]
    assert "<td>0</td>" in funnel  # the fixture's SMEs stay in enquiry: only stage changes were logged
    assert 'data-testid="upcoming-review"' in page
    # Coaching adds its column of activity per account manager.
    assert "Contacts logged in the last 90 days" in page


def test_a_published_review_keeps_the_enrolment_chart_as_it_was(programme):
    review = reporting.review_publish(reporting.review_create(programme, 2), by=UserFactory())
    series = review.frozen["enrolments"]["series"]
    assert review.frozen["enrolments"]["months"] == list(range(1, 13))
    assert (series["uk"][-1], series["fr"][-1]) == (2, 1)
    assert (series["uk"][8], series["fr"][8]) == (0, 0)  # month 9 ended before the October enrolments


@pytest.mark.parametrize(("language", "heading"), [("en", "SMEs needing attention"), ("fr", "PME à surveiller")])
def test_the_dashboard_lists_an_overdue_sme_under_needing_attention_per_launchpad(client, programme, language,
                                                                                    heading):  # fmt: skip
    from django.utils import timezone

    from journey.models import SME

    late = SME.objects.get(name="Savons d’Arles")
    SME.objects.filter(pk=late.pk).update(
        stage=Stage.ONBOARDING, stage_entered_at=timezone.now() - datetime.timedelta(days=200)
    )
    from journey.services import user_set_preferred_language

    user_set_preferred_language(user=_login(client, role=Role.COORDINATOR), language=language)
    response = client.get("/admin/programme/dashboard/")
    assert response.status_code == 200
    section = response.content.decode().split('data-testid="attention"')[1].split("</section>")[0]
    assert heading in section
    assert '<span data-testid="attention-count">1</span>' in section
    table = section.split('data-launchpad="fr"')[1].split("</table>")[0]
    assert "Savons d’Arles" in table
    assert 'data-launchpad="uk"' not in section  # the UK launchpad has none: it says so


@pytest.mark.parametrize("late", [1, 30])
def test_the_dashboard_queries_do_not_grow_with_the_smes(client, programme, late, django_assert_max_num_queries):
    """A fixed number of queries whether one SME or thirty need attention (no query per SME or per row)."""
    from django.utils import timezone

    from coaching.models import DriftAlert
    from journey.models import SME

    uk = programme.launchpads.get(code="uk")
    manager = UserFactory(role=Role.ACCOUNT_MANAGER, launchpad=uk)
    for number in range(late):
        sme = SMEFactory(launchpad=uk, name=f"Late {number}", primary_account_manager=manager)
        SME.objects.filter(pk=sme.pk).update(
            stage=Stage.ONBOARDING, stage_entered_at=timezone.now() - datetime.timedelta(days=200 + number)
        )
        DriftAlert.objects.create(sme=sme, reason="no_contact", since=datetime.date(2026, 3, 1), detail="2026-02-08")
    _login(client, role=Role.COORDINATOR)
    client.get("/admin/programme/dashboard/")
    # 25, plus the live Outcomes section's fixed five queries per launchpad (coaching.outcomes).
    with django_assert_max_num_queries(35):
        response = client.get("/admin/programme/dashboard/")
    assert f'<span data-testid="attention-count">{late}</span>' in response.content.decode()


def test_a_draft_left_after_its_quarter_stays_the_next_task_until_published(client, programme):
    # Review 2 covers October–December 2025; on 7 January 2026 review 3 is the next by the calendar.
    today = datetime.date(2026, 1, 7)
    assert reporting.next_review(programme, today)[0] == 3
    draft = reporting.review_create(programme, 2)
    due = reporting.review_due(programme, today)
    assert (due.number, due.end, due.overdue) == (2, datetime.date(2025, 12, 31), True)
    _login(client, role=Role.COORDINATOR)
    page = client.get("/admin/programme/").content.decode()
    section = page.split('data-testid="upcoming-review"')[1].split("</section>")[0]
    assert "Overdue: review 2" in section and f"/admin/programme/{draft.pk}/" in section
    assert "Start the draft of review" not in section
    reporting.review_publish(draft, by=UserFactory())
    due = reporting.review_due(programme, today)
    assert (due.number, due.overdue) == (3, False)


def test_a_corrected_version_in_draft_does_not_make_a_published_review_overdue(programme):
    published = reporting.review_publish(reporting.review_create(programme, 2), by=UserFactory())
    correction = reporting.review_correct(published)
    assert correction.status == ReviewStatus.DRAFT
    due = reporting.review_due(programme, datetime.date(2026, 1, 7))
    assert (due.number, due.overdue) == (3, False)
