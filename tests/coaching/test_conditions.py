"""The journey conditions coaching provides, through the journey's own transition service."""

import datetime

import pytest
from django.utils import timezone

from coaching import services
from coaching.models import MONTHLY_KINDS, ONBOARDING_KINDS, SessionKind, SessionStatus
from journey import conditions
from journey.models import SME
from journey.transitions import TransitionRefused, sme_transition

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def _held(sme, manager, kind, **extra):
    return SessionFactory(sme=sme, organiser=manager, kind=kind, status=SessionStatus.HELD,
                                  starts_at=timezone.now() - datetime.timedelta(days=1), **extra)  # fmt: skip


def _messages(sme, key):
    return [f.message for f in conditions.failures(sme, [key])]


def test_every_coaching_condition_is_registered():
    for key in ("first_consultation_held", "onboarding_reviews_recorded", "plan_shared", "monthly_sessions_held",
                "growth_review_held"):  # fmt: skip
        assert conditions.is_registered(key)


def test_enrolment_needs_the_first_consultation_held(sme, manager):
    SME.objects.filter(pk=sme.pk).update(stage="assessment")
    sme.refresh_from_db()
    with pytest.raises(TransitionRefused) as refusal:
        sme_transition(sme=sme, name="enrol", by=manager)
    assert "The first consultation has not been held yet." in refusal.value.messages
    SessionFactory(sme=sme, organiser=manager, kind=SessionKind.FIRST_CONSULTATION, location="x",
                           starts_at=timezone.now())  # scheduled is not held  # fmt: skip
    assert _messages(sme, "first_consultation_held")
    _held(sme, manager, SessionKind.FIRST_CONSULTATION)
    assert sme_transition(sme=sme, name="enrol", by=manager).to_stage == "onboarding"


def test_the_six_onboarding_reviews(sme, manager):
    for kind in ONBOARDING_KINDS[:5]:
        _held(sme, manager, kind)
    (message,) = _messages(sme, "onboarding_reviews_recorded")
    assert "new supply-chain strategy" in message and "product strategy" not in message
    _held(sme, manager, ONBOARDING_KINDS[5])
    assert _messages(sme, "onboarding_reviews_recorded") == []


def test_plan_shared(sme, manager):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    assert _messages(sme, "plan_shared")
    services.plan_share(plan=plan, by=manager)
    assert _messages(sme, "plan_shared") == []
    services.plan_draft_ensure(sme=sme, by=manager)  # a new draft does not unshare
    assert _messages(sme, "plan_shared") == []


def test_four_monthly_reviews_held(sme, manager):
    for kind in MONTHLY_KINDS[:3]:
        _held(sme, manager, kind)
    _held(sme, manager, MONTHLY_KINDS[0])  # the same review twice counts once
    assert _messages(sme, "monthly_sessions_held") == ["3 of the four monthly reviews have been held."]
    _held(sme, manager, MONTHLY_KINDS[3])
    assert _messages(sme, "monthly_sessions_held") == []


def test_growth_review_needs_the_long_term_plan(sme, manager):
    assert _messages(sme, "growth_review_held") == ["The growth review has not been held yet."]
    review = _held(sme, manager, SessionKind.GROWTH_REVIEW)
    assert "long-term plan" in _messages(sme, "growth_review_held")[0]
    services.session_record(session=review, by=manager, long_term_plan="Open Austria and Switzerland in year two")
    assert _messages(sme, "growth_review_held") == []
