"""Every coaching page opens for those who may see it and refuses the others (journey.scoping)."""

import pytest
from django.urls import reverse

from coaching import services

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(sme, manager):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.action_save(plan=plan, by=manager, title="Open an Etsy shop", owner_type="sme_staff")
    return services.plan_share(plan=plan, by=manager)


def _urls(sme, session):
    kwargs = {"slug": sme.slug}
    return {
        "sme": reverse("coaching:sme", kwargs=kwargs),
        "session": reverse("coaching:session", kwargs={**kwargs, "pk": session.pk}),
        "ics": reverse("coaching:session_ics", kwargs={**kwargs, "pk": session.pk}),
        "plan": reverse("coaching:plan", kwargs=kwargs),
        "pdf": reverse("coaching:plan_pdf", kwargs={**kwargs, "version": 1}),
        "session_edit": reverse("coaching:session_edit", kwargs={**kwargs, "pk": session.pk}),
        "plan_edit": reverse("coaching:plan_edit", kwargs=kwargs),
        "contact_add": reverse("coaching:contact_add", kwargs=kwargs),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", {"sme": 200, "session": 200, "ics": 200, "plan": 200, "pdf": 200, "session_edit": 200,
                     "plan_edit": 200, "contact_add": 200}),
        ("sme_user", {"sme": 200, "session": 200, "ics": 200, "plan": 200, "pdf": 200, "session_edit": 403,
                      "plan_edit": 403, "contact_add": 403}),
        ("colleague", {"sme": 200, "session": 200, "ics": 200, "plan": 200, "pdf": 200, "session_edit": 403,
                       "plan_edit": 403, "contact_add": 403}),
        ("coordinator", {"sme": 200, "session": 200, "ics": 200, "plan": 200, "pdf": 200, "session_edit": 403,
                         "plan_edit": 403, "contact_add": 403}),
        ("french_manager", {"sme": 404, "session": 404, "ics": 404, "plan": 404, "pdf": 404, "session_edit": 404,
                            "plan_edit": 404, "contact_add": 404}),
    ],
)  # fmt: skip
def test_pages_by_role(client, request, sme, session, shared, who, expected):
    login(client, request.getfixturevalue(who))
    got = {name: client.get(url).status_code for name, url in _urls(sme, session).items()}
    assert got == expected


def test_the_session_page_shows_the_record_to_the_sme_and_the_form_to_its_staff(client, sme, manager, sme_user,
                                                                                 session):  # fmt: skip
    services.session_record(session=session, by=manager, notes="Agreed to test Etsy first")
    login(client, sme_user)
    html = client.get(_urls(sme, session)["session"]).content.decode()
    assert "Agreed to test Etsy first" in html and "<textarea" not in html
    assert client.post(_urls(sme, session)["session"], {"notes": "x"}).status_code == 403
    login(client, manager)
    html = client.get(_urls(sme, session)["session"]).content.decode()
    assert "<textarea" in html


def test_a_formal_review_asks_the_six_questions(client, sme, manager):
    import datetime

    from django.utils import timezone

    review = services.session_schedule(sme=sme, by=manager, kind="monthly_1", location="Office",
                                       starts_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip
    login(client, manager)
    html = client.get(reverse("coaching:session", kwargs={"slug": sme.slug, "pk": review.pk})).content.decode()
    assert "Are you on track with your plan?" in html
    assert "How is the programme supporting you" in html
    response = client.post(reverse("coaching:session", kwargs={"slug": sme.slug, "pk": review.pk}),
                           {"answer_on_track": "Mostly", "notes": "Good"})  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.answer_on_track == "Mostly"


def test_the_admin_dashboard_shows_the_drift_panel_to_staff(client, manager, coordinator, sme, french_sme):
    for person, launchpads in ((manager, ["uk"]), (coordinator, ["fr", "uk"])):
        login(client, person)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert 'data-testid="drift-panel"' in html
        links = [reverse("coaching:export_launchpad", kwargs={"code": code}) for code in launchpads]
        assert html.count('data-testid="launchpad-export"') == len(links)
        assert all(link in html for link in links)


def test_the_monthly_reviews_show_their_due_days_once_the_plan_is_shared(client, sme, manager, shared):
    import datetime

    from coaching.models import Plan

    Plan.objects.filter(pk=shared.pk).update(shared_at=datetime.datetime(2026, 1, 31, 12, tzinfo=datetime.UTC))
    login(client, manager)
    html = client.get(reverse("coaching:sme", kwargs={"slug": sme.slug})).content.decode()
    listing = html[html.index('data-testid="monthly-reviews"') :]
    # One month after 31 January is 28 February; then monthly from the sharing day.
    for day in ("28/02/2026", "31/03/2026", "30/04/2026", "31/05/2026"):
        assert f"due {day}" in listing
    assert "?kind=monthly_1" in listing
