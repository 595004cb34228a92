"""The staff SME page (Wagtail admin): stage, due date, the steps one may take, the blocked ones, the timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import SME, Assessment, ScreeningChecklist, Stage, StageChange
from tests.journey.factories import (
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    sme_at,
)

pytestmark = pytest.mark.django_db


def test_sme_page_shows_stage_due_date_and_the_next_step(client, manager):
    sme = sme_at(Stage.ENQUIRY, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    page = client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
    assert "Enquiry" in page
    due = (timezone.localdate(sme.stage_entered_at) + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    assert f"due {due}" in page
    assert 'data-transition="start_screening"' in page
    assert "No stage change yet." in page


def test_firing_a_step_from_the_page_moves_the_sme_and_shows_it_on_the_timeline(client, manager):
    sme = sme_at(Stage.ENQUIRY, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    response = client.post(reverse("smes:transition", args=[sme.pk]), {"transition": "start_screening"}, follow=True)
    assert SME.objects.get(pk=sme.pk).stage == Stage.SCREENING
    page = response.content.decode()
    assert "moved to “Screening”" in page
    assert "Enquiry → Screening" in page
    assert manager.get_full_name() in page


def test_blocked_steps_say_why(client, manager):
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad, primary_account_manager=manager)
    ScreeningChecklist.objects.create(sme=sme, sme_status=Assessment.MEETS)
    client.force_login(manager)
    page = client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
    assert 'data-blocked="pass_screening"' in page
    assert "The screening checklist is missing: location, e-commerce appetite and skills" in page
    # An account manager may not override: no override form.
    assert 'data-override="pass_screening"' not in page


def test_a_refused_step_is_explained_and_changes_nothing(client, manager):
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    response = client.post(reverse("smes:transition", args=[sme.pk]), {"transition": "pass_screening"}, follow=True)
    assert "The screening checklist has not been started." in response.content.decode()
    assert SME.objects.get(pk=sme.pk).stage == Stage.SCREENING
    assert not StageChange.objects.exists()


def test_launchpad_manager_overrides_with_a_reason_and_it_is_logged(client, manager):
    boss = LaunchpadManagerFactory(launchpad=manager.launchpad)
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(boss)
    page = client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
    assert 'data-override="pass_screening"' in page
    response = client.post(
        reverse("smes:transition", args=[sme.pk]),
        {"transition": "pass_screening", "override": "1", "reason": "Checklist done on paper at the fair."},
        follow=True,
    )
    assert SME.objects.get(pk=sme.pk).stage == Stage.ASSESSMENT
    change = StageChange.objects.get()
    assert change.by == boss
    assert change.overridden == [
        {"key": "screening_eligible", "message": "The screening checklist has not been started."}
    ]
    assert "Checklist done on paper at the fair." in response.content.decode()


def test_screening_checklist_form_saves_and_unblocks_the_step(client, manager):
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    answers = {name: Assessment.MEETS for name in ScreeningChecklist.CRITERIA}
    response = client.post(reverse("smes:screening", args=[sme.pk]), {**answers, "notes": "Strong fit."}, follow=True)
    assert "complete, eligible" in response.content.decode()
    assert ScreeningChecklist.objects.get(sme=sme).is_eligible
    client.post(reverse("smes:transition", args=[sme.pk]), {"transition": "pass_screening"})
    assert SME.objects.get(pk=sme.pk).stage == Stage.ASSESSMENT


def test_screening_checklist_is_refused_to_those_who_may_not_change_the_sme(client, manager):
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad)
    client.force_login(manager)  # same launchpad, not assigned
    response = client.get(reverse("smes:screening", args=[sme.pk]))
    assert response.status_code in (302, 403)
    assert not ScreeningChecklist.objects.exists()


def test_coordinator_may_move_but_not_edit(client, manager):
    coordinator = CoordinatorFactory()
    sme = sme_at(Stage.ENQUIRY, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(coordinator)
    page = client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
    assert 'data-transition="start_screening"' in page
    assert reverse("smes:screening", args=[sme.pk]) not in page


def test_list_filters_by_stage_and_overdue(client, manager):
    fresh = sme_at(Stage.DATA_COLLECTION, launchpad=manager.launchpad, name="Fresh Ltd")
    stale = sme_at(Stage.DATA_COLLECTION, launchpad=manager.launchpad, name="Stale Ltd")
    SME.objects.filter(pk=stale.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=120))
    sme_at(Stage.PLANNING, launchpad=manager.launchpad, name="Planner Ltd")
    client.force_login(manager)
    index = reverse("smes:index")
    by_stage = {sme.name for sme in client.get(index, {"stage": "data_collection"}).context["object_list"]}
    assert by_stage == {fresh.name, stale.name}
    overdue = {sme.name for sme in client.get(index, {"overdue": "true"}).context["object_list"]}
    assert overdue == {stale.name}


def test_list_exports_a_spreadsheet(client, manager):
    sme_at(Stage.INTENSIVE, launchpad=manager.launchpad, name="Exported Ltd")
    client.force_login(manager)
    response = client.get(reverse("smes:index"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    header, row = content.splitlines()[:2]
    assert header.startswith("Name,Launchpad,Country,Stage,")
    assert row.startswith("Exported Ltd,UK launchpad,GB,Intensive,")
    xlsx = client.get(reverse("smes:index"), {"export": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_pipeline_panel_counts_smes_per_stage_and_launchpad(client):
    # A four-digit id: links carry it as it is, never with a thousands separator ("1,234").
    uk, fr = LaunchpadFactory(id=1234), LaunchpadFactory(france=True)
    for _ in range(3):
        sme_at(Stage.INTENSIVE, launchpad=uk)
    late = sme_at(Stage.INTENSIVE, launchpad=fr)
    SME.objects.filter(pk=late.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=200))
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Journey pipeline: 4 SMEs, 1 overdue" in page
    row = page.split('data-stage="intensive"')[1].split("</tr>")[0]
    assert 'launchpad=1234">3</a>' in row
    assert f'launchpad={fr.pk}">1</a>' in row
    assert "1 overdue" in row


def test_pipeline_panel_is_scoped_to_the_launchpad(client):
    uk, fr = LaunchpadFactory(), LaunchpadFactory(france=True)
    sme_at(Stage.INTENSIVE, launchpad=uk)
    sme_at(Stage.INTENSIVE, launchpad=fr)
    client.force_login(LaunchpadManagerFactory(launchpad=uk))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Journey pipeline: 1 SME, 0 overdue" in page
    assert "France launchpad" not in page.split('data-testid="pipeline-panel"')[1].split("</section>")[0]


def test_sme_page_shows_the_questionnaire_answers(client, manager):
    from journey.models import Enquiry

    sme = sme_at(Stage.ENQUIRY, launchpad=manager.launchpad, primary_account_manager=manager)
    Enquiry.objects.create(
        sme=sme,
        launchpad=sme.launchpad,
        language="en",
        company_name=sme.name,
        country="GB",
        town="Truro",
        headcount=7,
        turnover="100k_2m",
        sector="crafts",
        products="Hand-thrown stoneware.",
        market_orientation="b2c",
        shop_platform="squarespace",
        analytics="basic",
        experience="some",
        goals="Sell to France.",
        contact_name="Kerensa Pascoe",
        contact_email="kerensa@example.org",
        consent_at=timezone.now(),
    )
    client.force_login(manager)
    page = client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
    section = page.split('data-testid="enquiry-answers"')[1].split("</section>")[0]
    assert "Hand-thrown stoneware." in section
    assert "Web analytics without e-commerce tracking" in section
    assert "Sell to France." in section


def test_not_eligible_is_logged_with_the_unmet_criteria(client, manager):
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad, primary_account_manager=manager)
    answers = {name: Assessment.MEETS for name in ScreeningChecklist.CRITERIA}
    answers.update(sme_status=Assessment.DOES_NOT_MEET, location=Assessment.DOES_NOT_MEET)
    client.force_login(manager)
    client.post(reverse("smes:screening", args=[sme.pk]), answers)
    client.post(reverse("smes:transition", args=[sme.pk]), {"transition": "fail_screening"})
    change = StageChange.objects.get()
    assert change.to_stage == Stage.INELIGIBLE
    assert change.reason == "Does not meet: SME status, location."


def test_the_list_shows_the_stage_due_day_as_a_date_and_how_long_overdue(client, manager):
    stale = sme_at(Stage.DATA_COLLECTION, launchpad=manager.launchpad, name="Stale Ltd")
    entered = timezone.now() - datetime.timedelta(days=120)
    SME.objects.filter(pk=stale.pk).update(stage_entered_at=entered)
    stale = SME.objects.get(pk=stale.pk)
    client.force_login(manager)
    page = client.get(reverse("smes:index")).content.decode()
    row = page.split("Stale Ltd")[-1].split("</tr>")[0]
    assert stale.stage_due_on.strftime("%d/%m/%Y") in row
    assert f"Overdue by {stale.days_overdue} days" in row and stale.days_overdue > 20
    assert "Just now" not in page and " ago" not in row


def test_the_dashboard_panels_agree_an_overdue_sme_needs_attention(client, manager):
    """The pipeline's overdue count and "SMEs needing attention" cover the same SMEs, by the same rule."""
    late = sme_at(Stage.INTENSIVE, launchpad=manager.launchpad, name="Late Ltd", primary_account_manager=manager)
    SME.objects.filter(pk=late.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=200))
    sme_at(Stage.INTENSIVE, launchpad=manager.launchpad, name="On Time Ltd", primary_account_manager=manager)
    # A colleague's overdue SME is neither in her pipeline nor in her attention list.
    other = sme_at(Stage.INTENSIVE, launchpad=manager.launchpad, name="Colleague Ltd")
    SME.objects.filter(pk=other.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=300))
    client.force_login(manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Journey pipeline: 2 SMEs, 1 overdue" in page
    drift = page.split('data-testid="drift-panel"')[1].split("</section>")[0]
    assert '<span data-testid="attention-count">1</span>' in drift
    assert "Late Ltd" in drift and "Colleague Ltd" not in drift
    assert "Stage “Intensive” was due on" in drift
    # Her list: the overdue SME first, with why.
    mine = page.split('data-testid="my-smes-panel"')[1].split("</section>")[0]
    assert mine.index("Late Ltd") < mine.index("On Time Ltd")
    assert "overdue by" in mine.split("Late Ltd")[1].split("</tr>")[0]
