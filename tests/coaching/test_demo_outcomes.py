"""The demo shows outcomes: new markets opened after sharing, answered three ways; a reload adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from coaching.models import OutcomeConfirmation, OutcomeEvent, TrackedMarket
from connectors.models import Order
from learning.models import BadgeAward

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (TrackedMarket, OutcomeEvent, OutcomeConfirmation, Order, BadgeAward)]


def test_demo_smes_open_new_markets_and_answer_three_ways():
    call_command("load_demo", stdout=StringIO())
    first = OutcomeEvent.objects.filter(kind="first_sale").select_related("market", "sme")
    opened = {event.sme.slug for event in first if event.market.baseline_orders == 0}
    assert len(opened) >= 4  # two SMEs per launchpad
    assert {event.answer for event in first} >= {"confirmed", "anyway", "unconfirmed"}
    assert OutcomeEvent.objects.filter(kind="established").exists()
    for event in first:  # opened after the plan was shared, and detected after it happened
        assert event.occurred_at >= event.market.tracked_since and event.detected_at >= event.occurred_at
    assert BadgeAward.objects.filter(badge_class__slug="first-sale-new-market").count() >= 4
    counts = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == counts
