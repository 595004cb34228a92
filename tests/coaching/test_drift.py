"""Drift rules at their boundaries, alerts raised and resolved, the dashboard and the weekly digest."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from coaching import services
from coaching.drift import drift_causes, drift_check_all, drift_check_sme, drift_digest_send
from coaching.models import DriftAlert, SessionKind
from journey.models import SME

from .conftest import login
from .factories import ContactFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def _stage(sme, stage, entered):
    SME.objects.filter(pk=sme.pk).update(stage=stage, stage_entered_at=entered)
    sme.refresh_from_db()


def _contact(sme, manager, when):
    return ContactFactory(sme=sme, author=manager, happened_at=when)


def _reasons(sme, now):
    return {(c.reason, c.ref): c.since for c in drift_causes(sme, now=now)}


@pytest.mark.parametrize(("days", "flagged"), [(20, False), (21, True), (22, True)])
def test_no_contact_for_21_days(sme, manager, days, flagged):
    _stage(sme, "onboarding", at("2026-01-01"))
    _contact(sme, manager, at("2026-03-01", 9))
    now = at("2026-03-01", 23) + datetime.timedelta(days=days)
    reasons = _reasons(sme, now)
    assert (("no_contact", "") in reasons) is flagged
    if flagged:
        assert reasons[("no_contact", "")] == datetime.date(2026, 3, 22)


@override_settings(COACHING_NO_CONTACT_DAYS=7)
def test_the_number_of_days_is_a_setting_and_a_held_session_counts_as_contact(sme, manager):
    _stage(sme, "onboarding", at("2026-01-01"))
    _contact(sme, manager, at("2026-03-01"))
    assert ("no_contact", "") in _reasons(sme, at("2026-03-08"))
    SessionFactory(sme=sme, organiser=manager, kind=SessionKind.ONBOARDING_A, starts_at=at("2026-03-05"),
                           status="held", location="Office")  # fmt: skip
    assert ("no_contact", "") not in _reasons(sme, at("2026-03-11"))
    assert ("no_contact", "") in _reasons(sme, at("2026-03-12"))


def test_contact_days_count_in_the_launchpads_time_zone(french_sme, french_manager):
    _stage(french_sme, "onboarding", at("2026-01-01"))
    # 23:30 UTC on 28 February is already 1 March in Paris.
    _contact(french_sme, french_manager, datetime.datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    assert ("no_contact", "") not in _reasons(french_sme, at("2026-03-21"))
    assert _reasons(french_sme, at("2026-03-22"))[("no_contact", "")] == datetime.date(2026, 3, 22)


def test_applicants_and_paused_smes_are_not_flagged_for_contact(sme, manager):
    _stage(sme, "screening", at("2026-01-01"))
    assert ("no_contact", "") not in _reasons(sme, at("2026-01-25"))
    _stage(sme, "paused", at("2026-01-01"))
    assert _reasons(sme, at("2027-01-01")) == {}


def _shared_plan(sme, manager, when):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.plan_share(plan=plan, by=manager)
    plan.shared_at = when
    plan.save()
    return plan


@pytest.mark.parametrize(("day", "flagged"), [("2026-02-10", False), ("2026-02-11", True)])
def test_the_first_monthly_review_is_due_a_month_after_the_plan_is_shared(sme, manager, day, flagged):
    _stage(sme, "intensive", at("2026-01-10"))
    _shared_plan(sme, manager, at("2026-01-10"))
    _contact(sme, manager, at(day, 8))
    reasons = _reasons(sme, at(day))
    assert (("monthly_overdue", "monthly_1") in reasons) is flagged
    if flagged:
        assert reasons[("monthly_overdue", "monthly_1")] == datetime.date(2026, 2, 11)


def test_then_monthly(sme, manager):
    _stage(sme, "intensive", at("2026-01-10"))
    _shared_plan(sme, manager, at("2026-01-10"))
    _contact(sme, manager, at("2026-03-10", 8))
    SessionFactory(sme=sme, organiser=manager, kind=SessionKind.MONTHLY_1, starts_at=at("2026-02-09"),
                           status="held", location="Office")  # fmt: skip
    assert ("monthly_overdue", "monthly_2") not in _reasons(sme, at("2026-03-10"))
    assert ("monthly_overdue", "monthly_2") in _reasons(sme, at("2026-03-11"))


@pytest.mark.parametrize(("status", "day", "flagged"), [
    ("accepted", "2026-06-30", False), ("accepted", "2026-07-01", True), ("in_progress", "2026-07-01", True),
    ("proposed", "2026-07-01", False), ("done", "2026-07-01", False),
])  # fmt: skip
def test_an_accepted_action_past_due(sme, manager, status, day, flagged):
    _stage(sme, "aftercare", at("2026-06-01"))
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    action = services.action_save(plan=plan, by=manager, title="Open a shop on Etsy", owner_type="sme_staff",
                                  due_on=datetime.date(2026, 6, 30))  # fmt: skip
    services.plan_share(plan=plan, by=manager)
    action.refresh_from_db()
    action.status = status
    action.save()
    _contact(sme, manager, at(day, 8))
    reasons = _reasons(sme, at(day))
    assert (("action_overdue", str(action.key)) in reasons) is flagged


@pytest.mark.parametrize(("day", "flagged"), [("2026-02-28", False), ("2026-03-01", True)])
def test_a_stage_overdue(sme, manager, day, flagged):
    _stage(sme, "planning", at("2026-01-31"))  # one month: due 28 February
    _contact(sme, manager, at(day, 8))
    assert (("stage_overdue", "planning") in _reasons(sme, at(day))) is flagged


def test_alerts_are_raised_once_and_resolved_when_the_cause_goes(sme, manager):
    _stage(sme, "onboarding", at("2026-03-01"))
    _contact(sme, manager, at("2026-03-01"))
    assert drift_check_sme(sme, now=at("2026-03-22")) == (1, 0)
    assert drift_check_sme(sme, now=at("2026-03-23")) == (0, 0)
    alert = DriftAlert.objects.get()
    assert alert.reason == "no_contact" and alert.resolved_at is None and alert.raised_at == at("2026-03-22")
    _contact(sme, manager, at("2026-03-24"))
    assert drift_check_all(now=at("2026-03-25")) == {"raised": 0, "resolved": 1}
    alert.refresh_from_db()
    assert alert.resolved_at == at("2026-03-25")
    # Lapsing again is a new episode.
    drift_check_all(now=at("2026-04-20"))
    assert DriftAlert.objects.filter(resolved_at__isnull=True).count() == 1
    assert DriftAlert.objects.count() == 2


def test_the_dashboard_lists_alerts_most_urgent_first_and_only_ones_own(client, sme, other_sme, manager,
                                                                        french_manager, french_sme):  # fmt: skip
    for one in (sme, other_sme, french_sme):
        _stage(one, "onboarding", at("2026-01-01"))
    DriftAlert.objects.create(sme=sme, reason="no_contact", since=datetime.date(2026, 3, 10), detail="2026-02-17")
    DriftAlert.objects.create(sme=sme, reason="stage_overdue", ref="onboarding", since=datetime.date(2026, 2, 1))
    DriftAlert.objects.create(sme=other_sme, reason="stage_overdue", ref="onboarding", since=datetime.date(2026, 1, 1))
    DriftAlert.objects.create(sme=french_sme, reason="stage_overdue", ref="onboarding", since=datetime.date(2026, 1, 1))
    login(client, manager)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('data-testid="drift-panel"') :]
    assert "Cotswold" not in panel and "Biscuiterie" not in panel  # not hers
    # One row per SME, its reasons oldest first: the stage's overdue is computed live from its due day
    # (onboarding entered 1 January, 4 months: overdue since 2 May), not read from a stored alert.
    assert panel.split("</section>")[0].count("<tr data-sme=") == 1
    assert panel.index("No contact for 21 days or more") < panel.index("Stage “Onboarding” was due on 01/05/2026")


def test_the_weekly_digest_goes_to_each_account_manager_in_their_language(sme, manager, french_manager, french_sme):
    DriftAlert.objects.create(sme=sme, reason="stage_overdue", ref="onboarding", since=datetime.date(2026, 2, 1))
    DriftAlert.objects.create(sme=french_sme, reason="stage_overdue", ref="planning", since=datetime.date(2026, 2, 1))
    assert drift_digest_send() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Hebridean Knitwear" in by_address[manager.email].body
    assert "Biscuiterie" in by_address[french_manager.email].body
    assert "Hebridean" not in by_address[french_manager.email].body
