"""The hooks the apps above the toolkit use: data milestones, unlock hints, the plan target."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from journey import hooks
from tests.journey.factories import SMEFactory
from toolkit import findings, milestones, unlocks
from toolkit.models import ToolAccess
from toolkit.services import report_refresh, tool_close, tool_open, tools_open

from .factories import build_small_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return build_small_shop()


def test_milestones_read_the_stored_report_and_are_unknown_before_it(shop):
    assert milestones.value(shop, "inventory_score") is None
    assert milestones.value(shop, "months_of_data") is None
    stored = report_refresh(sme=shop)
    assert milestones.value(shop, "months_of_data") == stored.document["readiness"]["months"] > 2
    assert milestones.value(shop, "inventory_score") == stored.document["inventory"]["score"]
    assert milestones.value(shop, "no_such_milestone") is None


def test_a_refresh_announces_that_milestones_may_have_moved(shop):
    seen = []

    def listener(sme, sender):
        seen.append((sender, sme.pk))

    with hooks.override(hooks.MILESTONE_MOVED, listener):
        report_refresh(sme=shop)
    assert seen == [("toolkit", shop.pk)]


def test_a_registered_milestone_is_available_and_computed():
    sme = SMEFactory()

    def more():
        return [milestones.Milestone("test_count", "test count", lambda s: s.pk * 2)]

    with hooks.override(hooks.MILESTONES, milestones.toolkit_milestones, more):
        assert {"inventory_score", "months_of_data", "test_count"} == set(milestones.available())
        assert milestones.value(sme, "test_count") == sme.pk * 2
    assert "test_count" not in milestones.available()


def test_unlock_hints_come_from_every_provider_and_skip_empty_ones():
    sme = SMEFactory()

    def by_badge(s, tool):
        return "Earn the market badge" if tool == "market" else None

    with hooks.override(hooks.UNLOCK_HINTS):
        hooks.register(hooks.UNLOCK_HINTS, by_badge)
        hooks.register(hooks.UNLOCK_HINTS, by_badge)  # registered once only
        assert unlocks.hints(sme, "market") == ["Earn the market badge"]
        assert unlocks.hints(sme, "growth") == []
    assert by_badge not in hooks.get(hooks.UNLOCK_HINTS)


def test_no_plan_target_means_no_add_to_plan_url_and_findings_are_checked():
    sme = SMEFactory()
    request = RequestFactory().get("/")
    with hooks.override(hooks.PLAN_TARGET):
        assert findings.plan_url(request, sme) is None
    with hooks.override(hooks.PLAN_TARGET, lambda req, s: None, lambda req, s: f"/plan/{s.slug}/"):
        assert findings.plan_url(request, sme) == f"/plan/{sme.slug}/"  # the first answer wins
    assert findings.finding_fields(kind="fix", ref="MUG", title="Add a photo") == {
        "kind": "fix",
        "ref": "MUG",
        "title": "Add a photo",
        "detail": "",
    }
    with pytest.raises(ValueError):
        findings.finding_fields(kind="rumour", ref="x", title="y")


def test_access_a_badge_granted_ends_when_it_expires_without_any_check_running():
    sme = SMEFactory()
    now = timezone.now()
    tool_open(sme=sme, tool="market", via="badge", expires_at=now + datetime.timedelta(days=1))
    assert "market" in tools_open(sme, now=now)
    assert "market" not in tools_open(sme, now=now + datetime.timedelta(days=1, seconds=1))
    # A renewed badge moves the end; the inventory tool is open whatever happens.
    tool_open(sme=sme, tool="market", via="badge", expires_at=now + datetime.timedelta(days=30))
    assert tools_open(sme, now=now + datetime.timedelta(days=2)) == {"inventory", "market"}


def test_an_account_managers_opening_outranks_a_badges_and_survives_its_closing():
    sme = SMEFactory()
    tool_open(sme=sme, tool="growth", via="badge", expires_at=timezone.now() + datetime.timedelta(hours=1))
    tool_open(sme=sme, tool="growth")  # the account manager opens it for good
    access = ToolAccess.objects.get(sme=sme, tool="growth")
    assert (access.via, access.expires_at) == ("account_manager", None)
    assert tool_close(sme=sme, tool="growth", via="badge") is False
    assert "growth" in tools_open(sme, now=timezone.now() + datetime.timedelta(days=365))
    # A badge's later opening never downgrades it.
    tool_open(sme=sme, tool="growth", via="badge", expires_at=timezone.now())
    assert ToolAccess.objects.get(sme=sme, tool="growth").via == "account_manager"


def test_closing_withdraws_only_what_that_way_opened():
    sme = SMEFactory()
    tool_open(sme=sme, tool="planning", via="badge")
    assert tool_close(sme=sme, tool="planning", via="badge") is True
    assert "planning" not in tools_open(sme)
