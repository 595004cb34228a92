"""Staff pages whose query count does not grow with the programme (issue 22).

Each page is requested by an account manager, a launchpad manager and the coordinator with
the scale demo at 10 SMEs, then at 40: the count must be the same. A page that runs one
query per SME (or per row of a list that grows) fails here, long before it is slow at 1,000.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching import demo_scale as coaching_scale
from connectors import demo_scale as connectors_scale
from journey import demo_scale as journey_scale
from journey.models import Role, User
from reporting.models import QuarterlyReview
from tests.journey.factories import CoordinatorFactory, LaunchpadFactory, LaunchpadManagerFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 40


def _grow(n: int) -> None:
    """The scale demo at ``n`` SMEs, with tiny order histories (the pages here count SMEs, not lines)."""
    journey_scale.load(n)
    connectors_scale.load(factor=0.002)
    coaching_scale.load()


@pytest.fixture
def programme():
    uk = LaunchpadFactory()
    fr = LaunchpadFactory(france=True, programme=uk.programme)
    programme = uk.programme
    programme.start_date = timezone.localdate() - datetime.timedelta(days=600)
    programme.save()
    people = {
        "coordinator": CoordinatorFactory(),
        "launchpad_manager": LaunchpadManagerFactory(launchpad=uk),
    }
    _grow(SMALL)
    people["account_manager"] = User.objects.get(email=f"am02@uk.{journey_scale.MANAGER_DOMAIN}")
    # A draft quarterly review, its figures computed as the coordinator reads it.
    review = QuarterlyReview.objects.create(
        programme=programme,
        number=1,
        month_number=12,
        period_start=programme.start_date,
        period_end=timezone.localdate(),
    )
    return {"people": people, "review": review, "launchpads": (uk, fr)}


def _pages(review) -> dict[str, tuple[str, set[str]]]:
    """Page name → (address, the roles that may open it)."""
    staff = {Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER, Role.COORDINATOR}
    managers = {Role.LAUNCHPAD_MANAGER, Role.COORDINATOR}
    # An SME every role here may open: the account manager's own (am02@uk follows SMEs 3, 43, 83 …).
    workspace = reverse("journey:sme_workspace", kwargs={"slug": journey_scale.slug_for(3)})
    return {
        "SME list": ("/admin/smes/", staff),
        "SME list, filtered": ("/admin/smes/?stage=intensive&overdue=true", staff),
        "SME list, page 2": ("/admin/smes/?p=2", staff),
        "dashboard": ("/admin/", staff),
        "programme dashboard": (reverse("reviews:dashboard"), managers),
        "draft review": (reverse("reviews:detail", args=[review.pk]), managers),
        "SME workspace": (workspace, staff),
        "progress sheet export": (reverse("coaching:export_launchpad", kwargs={"code": "uk"}), managers),
    }


def _count(client, user, address) -> tuple[int, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    return response.status_code, len(queries)


def test_staff_pages_run_as_many_queries_at_40_smes_as_at_10(client, programme):
    review = programme["review"]
    people = programme["people"]
    pages = _pages(review)
    small = {}
    for name, (address, roles) in pages.items():
        for role, user in people.items():
            if role in roles:
                # Once to warm the per-process caches (content types, site, translations), then counted.
                _count(client, user, address)
                small[name, role] = _count(client, user, address)
    _grow(LARGE)
    grew = []
    for (name, role), (status, before) in small.items():
        address = pages[name][0]
        after_status, after = _count(client, people[role], address)
        assert (status, after_status) == (200, 200), f"{name} as {role}: HTTP {status} then {after_status}"
        if after != before:
            grew.append(f"{name} as {role}: {before} queries at {SMALL} SMEs, {after} at {LARGE}")
    assert not grew, "\n".join(grew)


def test_the_dashboard_reads_only_the_most_urgent_smes_and_in_the_same_order(programme, client, monkeypatch):
    from journey import progress
    from journey.admin import MySMEsPanel
    from journey.models import SME

    _grow(LARGE)
    everyone = [row["sme"].slug for row in progress.by_urgency(SME.objects.all())]
    for limit in (1, 7, 25):
        assert [row["sme"].slug for row in progress.by_urgency(SME.objects.all(), limit=limit)] == everyone[:limit]
    monkeypatch.setattr(MySMEsPanel, "rows", 5)
    client.force_login(programme["people"]["coordinator"])
    page = client.get("/admin/").content.decode()
    assert f"All SMEs ({LARGE})" in page
    assert f"The 5 most urgent are shown; {LARGE - 5} other SMEs are in" in page
