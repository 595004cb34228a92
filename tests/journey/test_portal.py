"""The portal: SME users see their own company, staff land in the admin, nobody sees more than scoping allows."""

import pytest

from journey.models import SME, Stage, StageChange
from tests.journey.factories import (
    AccountManagerFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    SMEFactory,
    SMEUserFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    sme = SMEFactory()
    response = client.get(f"/fr/portal/smes/{sme.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=")


def test_sme_user_lands_on_their_own_company(client):
    user = SMEUserFactory()
    ContactPersonFactory(sme=user.sme, name="Morag MacLeod", job_title="Founder")
    client.force_login(user)
    response = client.get("/en/portal/", follow=True)
    assert response.redirect_chain[-1][0] == f"/en/portal/smes/{user.sme.slug}/"
    page = response.content.decode()
    assert user.sme.name in page
    assert "Morag MacLeod" in page
    assert "Edit in the staff admin" not in page


def test_sme_user_cannot_see_another_company(client):
    user = SMEUserFactory()
    other = SMEFactory()
    client.force_login(user)
    assert client.get(f"/en/portal/smes/{other.slug}/").status_code == 404


def test_staff_land_in_the_admin(client):
    client.force_login(CoordinatorFactory())
    response = client.get("/en/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_account_manager_sees_an_assigned_sme_with_an_edit_link(client):
    manager = AccountManagerFactory()
    sme = SMEFactory(launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    page = client.get(f"/en/portal/smes/{sme.slug}/").content.decode()
    assert f"/admin/smes/edit/{sme.pk}/" in page
    assert manager.get_full_name() in page


def test_account_manager_does_not_see_the_other_launchpads_smes(client):
    manager = AccountManagerFactory()
    french = SMEFactory(launchpad__france=True)
    client.force_login(manager)
    assert client.get(f"/en/portal/smes/{french.slug}/").status_code == 404


def test_a_refused_company_page_is_a_helpful_not_found_page_in_the_readers_language(client):
    user = SMEUserFactory()
    client.force_login(user)
    response = client.get(f"/fr/portal/smes/{SMEFactory().slug}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert '<html lang="fr">' in page
    assert "/fr/portal/" in page


def test_sme_user_sees_where_they_are_in_the_journey(client):
    user = SMEUserFactory()
    SME.objects.filter(pk=user.sme.pk).update(stage=Stage.DATA_COLLECTION)
    StageChange.objects.create(
        sme=user.sme, transition="finish_onboarding", from_stage="onboarding", to_stage="data_collection"
    )
    client.force_login(user)
    page = client.get(f"/fr/portal/smes/{user.sme.slug}/").content.decode()
    assert '<strong data-testid="sme-stage">' in page
    assert '<li class="current">' in page
    assert '<li class="done">' in page


def test_an_overdue_sme_sees_its_due_date_how_long_overdue_and_since_when_it_is_in_the_programme(client):
    import datetime

    from django.utils import timezone

    user = SMEUserFactory()
    entered = timezone.now() - datetime.timedelta(days=150)
    SME.objects.filter(pk=user.sme.pk).update(stage=Stage.DATA_COLLECTION, stage_entered_at=entered)
    # Its history began long before its record was created (an import, the demo).
    StageChange.objects.create(
        sme=user.sme, transition="start_screening", from_stage="enquiry", to_stage="screening",
        at=datetime.datetime(2025, 3, 4, 10, tzinfo=datetime.UTC),
    )  # fmt: skip
    sme = SME.objects.select_related("launchpad").get(pk=user.sme.pk)
    client.force_login(user)
    page = client.get(f"/en/portal/smes/{sme.slug}/").content.decode()
    due = sme.stage_due_on.strftime("%d/%m/%Y")
    assert f'<span data-testid="stage-due">due on {due}</span>' in page
    assert f"overdue by {sme.days_overdue} days" in page and sme.days_overdue > 50
    assert '<dd data-testid="in-programme-since">04/03/2025</dd>' in page
    french = client.get(f"/fr/portal/smes/{sme.slug}/").content.decode()
    assert f"en retard de {sme.days_overdue} jours" in french


def test_an_sme_on_time_shows_its_due_date_without_the_overdue_flag(client):
    user = SMEUserFactory()
    client.force_login(user)
    page = client.get(f"/en/portal/smes/{user.sme.slug}/").content.decode()
    assert 'data-testid="stage-due"' in page
    assert 'data-testid="overdue"' not in page


def test_staff_reading_the_company_page_are_offered_the_workspace_in_staff_wording(client):
    manager = AccountManagerFactory()
    sme = SMEFactory(launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    page = client.get(f"/en/portal/smes/{sme.slug}/").content.decode()
    assert f'href="/en/portal/smes/{sme.slug}/workspace/"' in page
    assert "Their account manager" in page and "Your account manager" not in page
    client.force_login(SMEUserFactory(sme=sme))
    page = client.get(f"/en/portal/smes/{sme.slug}/").content.decode()
    assert "/workspace/" not in page and "Your account manager" in page
