"""The progress sheet: logging a contact in a few seconds, editing one's own, history, the timeline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import Contact, ContactRevision
from journey.models import StageChange

from .conftest import login

pytestmark = pytest.mark.django_db


def _post_contact(client, sme, **overrides):
    data = {
        "happened_at": "2026-03-02T10:30",
        "channel": "video",
        "participants": "Morag, Sarah",
        "summary": "Went through the first month's sales.",
        "follow_up": "Send the Shopify guide.",
        "next_contact_on": "2026-03-16",
        **overrides,
    }
    return client.post(reverse("coaching:contact_add", kwargs={"slug": sme.slug}), data)


def test_the_account_manager_logs_a_contact_in_the_launchpads_time_zone(client, sme, manager):
    login(client, manager)
    response = _post_contact(client, sme)
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.author == manager and contact.channel == "video"
    # 10:30 in London in March (GMT) is 10:30 UTC; the French launchpad would read it as 09:30 UTC.
    assert contact.happened_at == datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.UTC)
    page = client.get(reverse("coaching:sme", kwargs={"slug": sme.slug}))
    assert "Went through the first month" in page.content.decode()


def test_a_contact_in_paris_is_read_in_paris_time(client, french_sme, french_manager):
    login(client, french_manager)
    _post_contact(client, french_sme, happened_at="2026-07-02T10:30", next_contact_on="")
    assert Contact.objects.get().happened_at == datetime.datetime(2026, 7, 2, 8, 30, tzinfo=datetime.UTC)


def test_bad_input_is_explained(client, sme, manager):
    login(client, manager)
    response = _post_contact(client, sme, summary="", next_contact_on="2026-03-01")
    assert response.status_code == 200
    assert Contact.objects.count() == 0
    assert "The next contact cannot be before this one." in response.content.decode()


def test_only_the_author_edits_and_every_edit_keeps_the_earlier_values(client, sme, manager, colleague):
    sme.collaborators.add(colleague)
    contact = services.contact_log(sme=sme, by=manager, channel="phone", summary="First call")
    with pytest.raises(PermissionDenied):
        services.contact_update(contact=contact, by=colleague, summary="Rewritten")
    login(client, colleague)
    url = reverse("coaching:contact_edit", kwargs={"slug": sme.slug, "pk": contact.pk})
    assert client.get(url).status_code == 403

    login(client, manager)
    response = client.post(
        url,
        {"happened_at": timezone.localtime(contact.happened_at).strftime("%Y-%m-%dT%H:%M"), "channel": "phone",
         "summary": "First call: agreed the onboarding dates"},
    )  # fmt: skip
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.summary == "First call: agreed the onboarding dates"
    revision = ContactRevision.objects.get(contact=contact)
    assert revision.previous["summary"] == "First call" and revision.edited_by == manager
    assert "First call" in client.get(url).content.decode()  # the history is shown


def test_people_who_may_not_change_the_sme_cannot_log_contacts(client, sme, colleague, french_manager, sme_user):
    for person in (colleague, french_manager, sme_user):
        with pytest.raises(PermissionDenied):
            services.contact_log(sme=sme, by=person, channel="phone", summary="x")
    login(client, colleague)
    assert _post_contact(client, sme).status_code == 403
    login(client, french_manager)  # another launchpad: cannot even see the SME
    assert _post_contact(client, sme).status_code == 404
    assert Contact.objects.count() == 0


def test_the_timeline_merges_contacts_sessions_and_stage_changes(client, sme, manager, session):
    services.contact_log(
        sme=sme, by=manager, channel="email", summary="Sent the agenda",
        happened_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    StageChange.objects.create(
        sme=sme, transition="start_screening", from_stage="enquiry", to_stage="screening", by=manager,
        at=timezone.now() - datetime.timedelta(days=3),
    )  # fmt: skip
    login(client, manager)
    html = client.get(reverse("coaching:sme", kwargs={"slug": sme.slug})).content.decode()
    session_at = html.index("First consultation")
    contact_at = html.index("Sent the agenda")
    stage_at = html.index("Stage: Screening")
    assert session_at < contact_at < stage_at  # newest first


def test_the_sme_user_sees_sessions_and_plan_but_not_the_progress_sheet(client, sme, manager, sme_user, session):
    services.contact_log(sme=sme, by=manager, channel="phone", summary="Internal note about pricing")
    login(client, sme_user)
    html = client.get(reverse("coaching:sme", kwargs={"slug": sme.slug})).content.decode()
    assert "Internal note about pricing" not in html
    assert "First consultation" in html or "Première consultation" in html
    assert client.get(reverse("coaching:export_sme", kwargs={"slug": sme.slug})).status_code == 403


def test_an_sme_user_cannot_open_another_companys_coaching(client, other_sme, sme_user):
    login(client, sme_user)
    assert client.get(reverse("coaching:sme", kwargs={"slug": other_sme.slug})).status_code == 404


def test_the_panel_appears_on_the_portal_and_admin_sme_pages(client, sme, manager, session):
    login(client, manager)
    portal = client.get(reverse("journey:sme_detail", kwargs={"slug": sme.slug})).content.decode()
    assert 'data-testid="coaching-panel"' in portal
    admin = client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
    assert 'data-testid="coaching-panel"' in admin
    assert reverse("coaching:sme", kwargs={"slug": sme.slug}) in admin
