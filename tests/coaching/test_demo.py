"""The demo's coaching fits each SME's journey and a reload duplicates nothing."""

import itertools

import pytest

from coaching import demo as coaching_demo
from coaching.conditions import CHECKS
from coaching.models import Contact, DriftAlert, Plan, PlanAction, Session
from journey import demo as journey_demo
from journey.models import SME, StageChange

pytestmark = pytest.mark.django_db

# The condition each stage's exit needs, and the stages from which it must already hold.
PAST = {
    "first_consultation_held": "enrol",
    "onboarding_reviews_recorded": "finish_onboarding",
    "plan_shared": "start_intensive",
    "monthly_sessions_held": "start_growth_review",
    "growth_review_held": "start_aftercare",
}


def _counts():
    return [model.objects.count() for model in (Contact, Session, Plan, PlanAction, DriftAlert)]


def test_demo_coaching_is_consistent_with_each_journey_and_idempotent():
    journey_demo.load()
    assert coaching_demo.load() == 24
    first = _counts()
    assert all(first[:4])
    for sme in SME.objects.filter(slug__in=[item.slug for item in journey_demo.SMES]):
        steps = set(StageChange.objects.filter(sme=sme).values_list("transition", flat=True))
        for key, step in PAST.items():
            if step in steps:
                assert CHECKS[key](sme) is None, (sme.slug, key)
        if "start_planning" in steps and "start_intensive" not in steps:
            assert sme.plans.get().status == "draft"
        assert sme.coaching_contacts.exists()
        # Notes vary: never the same summary twice in a row, and not one fortnightly text on repeat.
        summaries = list(sme.coaching_contacts.order_by("happened_at").values_list("summary", flat=True))
        assert all(a != b for a, b in itertools.pairwise(summaries)), sme.slug
        if len(summaries) >= 8:
            assert len(set(summaries)) >= 6, (sme.slug, summaries)
    assert DriftAlert.objects.filter(sme__slug__in=coaching_demo.QUIET, reason="no_contact").count() >= 2
    assert coaching_demo.load() == 0
    assert _counts() == first
    # A market is named with its article in French sentences ("pour le Royaume-Uni"), never bare.
    french_actions = PlanAction.objects.filter(plan__sme__launchpad__code="fr").values_list("title", flat=True)
    assert any("pour le Royaume-Uni" in t or "pour l'Allemagne" in t for t in french_actions)
    assert not any(t.endswith(("pour Royaume-Uni", "pour Allemagne")) for t in french_actions)
