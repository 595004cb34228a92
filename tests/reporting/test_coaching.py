"""Coaching figures as of a past moment come from the history, not from today's values."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from coaching import services
from coaching.drift import drift_check_sme
from coaching.models import SME, Contact
from reporting.sections.coaching import coaching_figures

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
T0 = datetime.datetime(2026, 3, 1, 12, tzinfo=UTC)


def _at(days):
    return T0 + datetime.timedelta(days=days)


def test_figures_at_a_past_moment(sme, manager, other_sme, french_sme):
    with mock.patch.object(timezone, "now", return_value=_at(0)):
        contact = services.contact_log(sme=sme, by=manager, channel="phone", summary="Call", happened_at=_at(0))
        session = services.session_schedule(sme=sme, by=manager, kind="first_consultation", starts_at=_at(5),
                                            location="Office")  # fmt: skip
        cancelled = services.session_schedule(sme=sme, by=manager, kind="onboarding_a", starts_at=_at(6),
                                              location="Office")  # fmt: skip
        plan = services.plan_draft_ensure(sme=sme, by=manager)
        action = services.action_save(plan=plan, by=manager, title="Etsy shop", owner_type="sme_staff",
                                      due_on=datetime.date(2026, 3, 20))  # fmt: skip
    with mock.patch.object(timezone, "now", return_value=_at(2)):
        services.plan_share(plan=plan, by=manager)
        services.session_set_status(session=cancelled, by=manager, status="cancelled")
    with mock.patch.object(timezone, "now", return_value=_at(5)):
        services.session_set_status(session=session, by=manager, status="held")
        action = plan.actions.get()
        services.action_set_status(action=action, by=manager, status="accepted")
    with mock.patch.object(timezone, "now", return_value=_at(10)):
        services.contact_update(contact=Contact.objects.get(pk=contact.pk), by=manager, channel="video")
    SME.objects.filter(pk=sme.pk).update(stage="onboarding", stage_entered_at=_at(0))
    sme.refresh_from_db()
    drift_check_sme(sme, now=_at(25))  # action due 20 March: overdue from the 21st
    drift_check_sme(sme, now=_at(40))
    smes = SME.objects.filter(pk__in=[sme.pk, other_sme.pk])

    early = coaching_figures(smes=smes, at=_at(1))
    assert early.contacts_by_channel == {"phone": 1}
    assert early.sessions_by_status == {"scheduled": 2}
    assert early.plans_shared == 0 and not early.actions_by_status_owner

    middle = coaching_figures(smes=smes, at=_at(7))
    assert middle.contacts_by_channel == {"phone": 1}  # edited to video on day 10
    assert middle.sessions_by_status == {"held": 1, "cancelled": 1}
    assert middle.sessions_held_by_kind == {"first_consultation": 1}
    assert middle.plans_shared == 1
    assert middle.actions_by_status_owner == {("accepted", "sme_staff"): 1}
    assert (middle.drift_raised, middle.drift_open) == (0, 0)

    assert coaching_figures(smes=smes, at=_at(11)).contacts_by_channel == {"video": 1}
    late = coaching_figures(smes=smes, at=_at(30))
    assert late.drift_raised >= 1 and late.drift_open >= 1
    # Another launchpad's SME is outside the scope given.
    assert coaching_figures(smes=SME.objects.filter(pk=french_sme.pk), at=_at(30)).plans_shared == 0


def test_the_review_section_counts_the_quarter_and_the_state_at_its_end(sme, manager):
    from reporting import programme as reporting

    with mock.patch.object(timezone, "now", return_value=_at(0)):
        services.contact_log(sme=sme, by=manager, channel="phone", summary="Call", happened_at=_at(0))
        session = services.session_schedule(sme=sme, by=manager, kind="first_consultation", starts_at=_at(5),
                                            location="Office")  # fmt: skip
        plan = services.plan_draft_ensure(sme=sme, by=manager)
        services.action_save(plan=plan, by=manager, title="Say no", owner_type="external",
                             due_on=datetime.date(2026, 4, 20))  # fmt: skip
    with mock.patch.object(timezone, "now", return_value=_at(8)):
        services.contact_log(sme=sme, by=manager, channel="email", summary="Mail", happened_at=_at(8))
        services.session_set_status(session=session, by=manager, status="held")
        services.plan_share(plan=plan, by=manager)
        services.action_set_status(action=plan.actions.get(), by=manager, status="no_action")
    launchpads = (sme.launchpad,)
    first_week = reporting.Scope(
        sme.launchpad.programme, datetime.date(2026, 3, 1), datetime.date(2026, 3, 7), launchpads
    )
    rest = reporting.Scope(sme.launchpad.programme, datetime.date(2026, 3, 8), datetime.date(2026, 3, 31), launchpads)

    def rows(scope, key):
        tables = {table["key"]: table for section in reporting.figures(scope) for table in section["tables"]}
        return {row["key"]: row["total"] for row in tables[key]["rows"]}

    assert rows(first_week, "contacts")["phone"] == 1 and rows(first_week, "contacts")["email"] == 0
    assert rows(rest, "contacts") == {"in_person": 0, "video": 0, "phone": 0, "email": 1, "other": 0}
    assert rows(first_week, "sessions")["held"] == 0 and rows(rest, "sessions")["held"] == 1
    assert rows(first_week, "plans") == {"shared": 0} and rows(rest, "plans") == {"shared": 1}
    assert rows(rest, "actions_status")["no_action"] == 1 and rows(rest, "actions_owner")["external"] == 1


def test_the_programme_dashboard_gets_open_drift_and_contacts_logged(sme, manager, other_sme):
    from coaching.drift import open_drift
    from coaching.models import DriftAlert
    from journey.models import User
    from reporting.sections.coaching import contacts_logged

    DriftAlert.objects.create(sme=sme, reason="no_contact", since=datetime.date(2026, 3, 1), detail="2026-02-08")
    DriftAlert.objects.create(
        sme=other_sme, reason="stage_overdue", since=datetime.date(2026, 2, 1), resolved_at=_at(1)
    )
    # An open stage-overdue alert is left to journey.progress.needs_attention, which computes it live.
    DriftAlert.objects.create(sme=sme, reason="stage_overdue", ref="onboarding", since=datetime.date(2026, 2, 1))
    assert open_drift(SME.objects.all()) == [
        (sme, datetime.date(2026, 3, 1), "No contact for 21 days or more (last: 08/02/2026).")
    ]
    services.contact_log(sme=sme, by=manager, channel="phone", summary="Call", happened_at=_at(0))
    users = User.objects.filter(pk=manager.pk)
    assert contacts_logged(users, _at(-1)) == {manager.pk: 1}
    assert contacts_logged(users, _at(1)) == {}


def test_a_contact_edited_twice_later_counts_with_the_channel_it_had_then(sme, manager):
    """The earliest revision after the moment holds the channel then, however many edits followed."""
    with mock.patch.object(timezone, "now", return_value=_at(0)):
        contact = services.contact_log(sme=sme, by=manager, channel="phone", summary="Call", happened_at=_at(0))
    with mock.patch.object(timezone, "now", return_value=_at(10)):
        services.contact_update(contact=Contact.objects.get(pk=contact.pk), by=manager, channel="video")
    with mock.patch.object(timezone, "now", return_value=_at(12)):
        services.contact_update(contact=Contact.objects.get(pk=contact.pk), by=manager, channel="email")
    smes = SME.objects.filter(pk=sme.pk)
    assert coaching_figures(smes=smes, at=_at(7)).contacts_by_channel == {"phone": 1}
    assert coaching_figures(smes=smes, at=_at(11)).contacts_by_channel == {"video": 1}
    assert coaching_figures(smes=smes, at=_at(13)).contacts_by_channel == {"email": 1}
