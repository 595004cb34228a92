"""The new-market entry plan: versions, sharing, the SME's decisions on actions, add to plan, the PDF."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from coaching import services
from coaching.models import ActionStatusChange, Plan, PlanStatus
from journey import hooks
from toolkit import findings, milestones

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(sme, manager):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.plan_update(plan=plan, by=manager, title="Knitwear for Germany", objectives="Sell online in Germany")
    services.market_save(plan=plan, by=manager, country="DE", segment="Gift buyers", channel="Etsy",
                         orientation="b2c", evidence="12% of orders already ship to Germany")  # fmt: skip
    services.action_save(plan=plan, by=manager, title="Translate the product pages", owner_type="external",
                         due_on=datetime.date(2026, 6, 30))  # fmt: skip
    return plan


def test_plan_update_changes_only_the_wording(manager, draft):
    with pytest.raises(TypeError, match="status"):
        services.plan_update(plan=draft, by=manager, title="Changed", status=PlanStatus.SHARED)
    with pytest.raises(TypeError, match="version"):
        services.plan_update(plan=draft, by=manager, version=7)
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.title) == (PlanStatus.DRAFT, 1, "Knitwear for Germany")
    services.plan_update(plan=draft, by=manager, summary="Two markets", training="Export webinar")
    draft.refresh_from_db()
    assert (draft.summary, draft.training) == ("Two markets", "Export webinar")
    assert draft.objectives == "Sell online in Germany"


def test_sharing_freezes_and_editing_starts_the_next_version(sme, manager, draft):
    services.plan_share(plan=draft, by=manager)
    assert draft.status == PlanStatus.SHARED and draft.shared_at
    with pytest.raises(ValidationError):
        services.plan_update(plan=draft, by=manager, title="Changed")
    with pytest.raises(ValidationError):
        services.action_save(plan=draft, by=manager, title="Another", owner_type="sme_staff")
    following = services.plan_draft_ensure(sme=sme, by=manager)
    assert following.version == 2 and following.title == "Knitwear for Germany"
    assert following.markets.get().country == "DE"
    (carried,) = following.actions.all()
    assert services.plan_draft_ensure(sme=sme, by=manager) == following  # one draft at a time

    # Meanwhile the SME accepts the action on the shared version; sharing v2 carries the decision.
    original = draft.actions.get()
    assert carried.key == original.key
    services.action_set_status(action=original, by=manager, status="accepted")
    services.plan_update(plan=following, by=manager, title="Knitwear for Germany and Austria")
    services.plan_share(plan=following, by=manager)
    draft.refresh_from_db()
    carried.refresh_from_db()
    assert draft.status == PlanStatus.SUPERSEDED and carried.status == "accepted"
    assert services.plan_current(sme) == following


def test_the_sme_accepts_or_rejects_proposed_actions_in_the_portal(client, sme, manager, sme_user, draft):
    services.plan_share(plan=draft, by=manager)
    action = draft.actions.get()
    login(client, sme_user)
    page = client.get(reverse("coaching:plan", kwargs={"slug": sme.slug}))
    assert page.status_code == 200 and "Knitwear for Germany" in page.content.decode()
    url = reverse("coaching:action_status", kwargs={"slug": sme.slug, "pk": action.pk})
    client.post(url, {"status": "rejected"})
    action.refresh_from_db()
    assert action.status == "rejected"
    client.post(url, {"status": "done"})  # not allowed from rejected
    action.refresh_from_db()
    assert action.status == "rejected"
    history = list(ActionStatusChange.objects.filter(key=action.key).values_list("from_status", "to_status", "by"))
    assert history == [("", "proposed", manager.pk), ("proposed", "rejected", sme_user.pk)]


def test_each_action_row_has_one_primary_choice_and_the_negative_ones_apart(client, sme, manager, sme_user, draft):
    """Plan rows carried 2-4 identical solid buttons (issue 18)."""
    services.plan_share(plan=draft, by=manager)
    action = draft.actions.get()
    login(client, sme_user)
    page = client.get(reverse("coaching:plan", kwargs={"slug": sme.slug})).content.decode()
    row = page.split(f'data-testid="action-{action.pk}"', 1)[1].split("</tr>", 1)[0]
    primary = row.split('data-testid="status-primary"', 1)
    assert len(primary) == 2 and ">Accept<" in primary[1].split("</button>", 1)[0] + "<"
    assert row.count('class="button"') == 1  # one solid button
    menu = row.split('data-testid="status-more"', 1)[1]
    assert 'value="rejected" class="button negative"' in menu
    assert 'value="no_action" class="button negative"' in menu


def test_the_sme_never_sees_a_draft(client, sme, sme_user, draft):
    login(client, sme_user)
    page = client.get(reverse("coaching:plan", kwargs={"slug": sme.slug})).content.decode()
    assert "Knitwear for Germany" not in page
    assert client.get(reverse("coaching:plan_version", kwargs={"slug": sme.slug, "version": 1})).status_code == 404
    assert client.get(reverse("coaching:plan_pdf", kwargs={"slug": sme.slug, "version": 1})).status_code == 404
    assert client.get(reverse("coaching:plan_edit", kwargs={"slug": sme.slug})).status_code == 403


def test_another_launchpads_manager_cannot_edit_the_plan(client, sme, french_manager, colleague, draft):
    login(client, french_manager)
    assert client.get(reverse("coaching:plan", kwargs={"slug": sme.slug})).status_code == 404
    with pytest.raises(PermissionDenied):
        services.plan_update(plan=draft, by=french_manager, title="x")
    login(client, colleague)  # same launchpad, not assigned: reads the shared plan, edits nothing
    assert client.get(reverse("coaching:plan_edit", kwargs={"slug": sme.slug})).status_code == 403
    assert client.post(reverse("coaching:plan_share", kwargs={"slug": sme.slug})).status_code == 403


@pytest.mark.parametrize(("language", "heading"), [("en", "Target markets"), ("fr", "Marchés cibles")])
def test_the_pdf_in_the_readers_language(client, sme, manager, sme_user, draft, language, heading):
    services.plan_share(plan=draft, by=manager)
    login(client, sme_user)
    response = client.get(f"/{language}/portal/coaching/smes/{sme.slug}/plan/v1/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())  # a table cell may wrap a title over two lines
    assert "Knitwear for Germany" in text
    assert "Translate the product pages" in text
    if language == "en":
        assert heading in text
    else:
        assert "Version 1" in text


def test_plan_editing_through_the_page_and_sharing(client, sme, manager):
    login(client, manager)
    url = reverse("coaching:plan_edit", kwargs={"slug": sme.slug})
    assert client.get(url).status_code == 200
    data = {
        "title": "Candles for France", "summary": "", "objectives": "Three stockists", "success_criteria": "",
        "training": "Marketplace course",
        "markets-TOTAL_FORMS": "1", "markets-INITIAL_FORMS": "0", "markets-MIN_NUM_FORMS": "0",
        "markets-MAX_NUM_FORMS": "1000",
        "markets-0-country": "FR", "markets-0-sales_channel": "b2b", "markets-0-segment": "Gift shops",
        "markets-0-channel": "Ankorstore",
        "markets-0-orientation": "b2b", "markets-0-evidence": "",
        "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0", "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-title": "Open an Ankorstore account", "actions-0-detail": "", "actions-0-owner_type": "sme_staff",
        "actions-0-due_on": "2026-09-01",
        "share": "1",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    plan = Plan.objects.get(sme=sme)
    assert plan.status == PlanStatus.SHARED and plan.markets.get().channel == "Ankorstore"
    assert (plan.markets.get().country, plan.markets.get().sales_channel) == ("FR", "b2b")
    assert plan.actions.get().status == "proposed"


def test_add_to_plan_from_a_toolkit_finding(client, sme, manager, colleague, sme_user):
    request = RequestFactory().get("/")
    request.user = manager
    url = findings.plan_url(request, sme)
    assert url == reverse("coaching:plan_add_finding", kwargs={"slug": sme.slug})
    for person in (colleague, sme_user):
        request.user = person
        assert findings.plan_url(request, sme) is None

    login(client, manager)
    fields = findings.finding_fields(kind="market", ref="DE", title="Germany: marketplace sales", detail="Etsy")
    response = client.post(url, {**fields, "next": "/en/portal/smes/hebridean/toolkit/"})
    assert response.status_code == 302 and response["Location"] == "/en/portal/smes/hebridean/toolkit/"
    client.post(url, {**fields, "next": "https://evil.example/"})  # the same finding again: not twice
    draft = services.plan_draft(sme)
    (action,) = draft.actions.all()
    assert (action.finding_kind, action.finding_ref, action.status) == ("market", "DE", "proposed")
    login(client, colleague)
    assert client.post(url, fields).status_code == 403


def test_a_done_action_moves_the_milestone_and_says_so(sme, manager, draft, django_capture_on_commit_callbacks):
    services.plan_share(plan=draft, by=manager)
    action = draft.actions.get()
    seen = []

    def listener(sme, sender):
        seen.append((sender, sme.pk))

    with hooks.override(hooks.MILESTONE_MOVED, listener):
        assert milestones.value(sme, "plan_actions_done") == 0
        services.action_set_status(action=action, by=manager, status="accepted")
        with django_capture_on_commit_callbacks(execute=True):
            services.action_set_status(action=action, by=manager, status="done")
    assert milestones.value(sme, "plan_actions_done") == 1
    assert seen == [("coaching", sme.pk)]
