"""The staff SME workspace with every app's part: coaching, toolkit, syncs and badges, and its query budget.

The page is journey's, its sections and timeline kinds come from the apps above it
(``journey.workspace``), so these tests live at the top, like the demo's.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coaching.models import (
    ActionStatus,
    Channel,
    Contact,
    DriftAlert,
    DriftReason,
    OwnerType,
    Plan,
    PlanAction,
    PlanStatus,
    Session,
    SessionKind,
    SessionStatus,
)
from connectors.models import DataSource, SourceKind, SyncRun, SyncStatus, SyncTrigger
from journey.models import SME, Stage, StageChange
from learning.models import BadgeAward, BadgeClass
from tests.journey.factories import AccountManagerFactory, LaunchpadFactory, SMEFactory
from toolkit.models import Tool, ToolAccess, ToolkitReport

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _report(sme, *, estimated: bool) -> ToolkitReport:
    """A stored report with what the workspace reads: readiness, score, months, opportunities."""
    months = [
        {"month": "2026-09", "partial": False, "orders": 40, "sales": 3100.0, "profit": 900.0, "cost_estimated": False},
        {
            "month": "2026-10",
            "partial": False,
            "orders": 52,
            "sales": 4321.5,
            "profit": 1234.25,
            "cost_estimated": estimated,
        },
        {"month": "2026-11", "partial": True, "orders": 9, "sales": 700.0, "profit": 10.0, "cost_estimated": False},
    ]
    document = {
        "as_of": "2026-11-05",
        "readiness": {"level": "good", "months": 14.6},
        "inventory": {"score": 73.5},
        "planning": {"months": months},
        "market": {"opportunities": [{"label": "Slate coaster"}, {"label": "Slate clock"}, {"label": "Slate sign"}]},
    }
    return ToolkitReport.objects.create(sme=sme, as_of=datetime.date(2026, 11, 5), computed_at=NOW, document=document)


@pytest.fixture
def manager():
    return AccountManagerFactory(launchpad=LaunchpadFactory(), first_name="Sarah", last_name="Mitchell")


@pytest.fixture
def sme(manager):
    sme = SMEFactory(launchpad=manager.launchpad, primary_account_manager=manager, name="Welsh Slate Gifts")
    SME.objects.filter(pk=sme.pk).update(stage=Stage.INTENSIVE, stage_entered_at=NOW - datetime.timedelta(days=10))
    return SME.objects.get(pk=sme.pk)


def _history(sme, manager, *, n: int, start: int = 0):
    """``n`` of each kind of event: stage changes, contacts, sessions, plan versions, sync runs, badges."""
    source, _ = DataSource.objects.get_or_create(sme=sme, kind=SourceKind.FILE)
    for i in range(start, start + n):
        at = NOW - datetime.timedelta(days=400 - i)
        StageChange.objects.create(
            sme=sme,
            transition="start_intensive",
            from_stage=Stage.PLANNING,
            to_stage=Stage.INTENSIVE,
            by=manager,
            at=at,
        )
        Contact.objects.create(sme=sme, happened_at=at, channel=Channel.PHONE, summary=f"Call {i}", author=manager)
        Session.objects.create(
            sme=sme, kind=SessionKind.PERIODIC_REVIEW, starts_at=at, organiser=manager, status=SessionStatus.HELD
        )
        Plan.objects.create(
            sme=sme,
            version=i + 1,
            status=PlanStatus.SUPERSEDED,
            title=f"Plan {i}",
            created_by=manager,
            created_at=at,
            shared_at=at,
            shared_by=manager,
        )
        SyncRun.objects.create(
            source=source, trigger=SyncTrigger.UPLOAD, status=SyncStatus.SUCCEEDED, started_at=at, created=1200 + i
        )
        badge = BadgeClass.objects.create(
            slug=f"badge-{i}", name=f"Badge {i}", description="d", criteria_text="c", opens_tool=Tool.MARKET
        )
        BadgeAward.objects.create(badge_class=badge, sme=sme, recipient_email="owner@slate.test", awarded_at=at)


def _open(client, sme, **params):
    return client.get(reverse("journey:sme_workspace", args=[sme.slug]), params)


def test_the_workspace_shows_every_app_part_for_staff(client, sme, manager):
    plan = Plan.objects.create(
        sme=sme,
        version=1,
        status=PlanStatus.SHARED,
        title="Entering France",
        created_by=manager,
        shared_at=NOW - datetime.timedelta(days=20),
        shared_by=manager,
    )
    PlanAction.objects.create(
        plan=plan,
        title="Translate the product pages",
        owner_type=OwnerType.EXTERNAL,
        due_on=datetime.date(2026, 3, 1),
        status=ActionStatus.ACCEPTED,
    )
    PlanAction.objects.create(plan=plan, title="Done already", owner_type=OwnerType.SME_STAFF, status=ActionStatus.DONE)
    Contact.objects.create(
        sme=sme, happened_at=NOW - datetime.timedelta(days=3), channel=Channel.VIDEO, summary="Review", author=manager
    )
    Session.objects.create(
        sme=sme, kind=SessionKind.MONTHLY_2, starts_at=NOW + datetime.timedelta(days=4), organiser=manager
    )
    DriftAlert.objects.create(
        sme=sme, reason=DriftReason.ACTION_OVERDUE, ref="x", detail="Translate the product pages", since=NOW.date()
    )
    _report(sme, estimated=True)
    ToolAccess.objects.create(sme=sme, tool=Tool.PLANNING, opened_by=manager)
    badge = BadgeClass.objects.create(
        slug="catalogue", name="Catalogue keeper", description="d", criteria_text="c", opens_tool=Tool.PLANNING
    )
    BadgeAward.objects.create(badge_class=badge, sme=sme, recipient_email="owner@slate.test")
    revoked = BadgeClass.objects.create(slug="gone", name="Revoked one", description="d", criteria_text="c")
    BadgeAward.objects.create(badge_class=revoked, sme=sme, recipient_email="owner@slate.test", revoked_at=NOW)

    client.force_login(manager)
    page = " ".join(_open(client, sme).content.decode().split())  # whitespace as the reader sees it
    # Coaching: last contact, next session, open actions with owner and due date, drift alerts with their reason.
    assert "Video call · Sarah Mitchell" in page
    assert "Monthly intensive review 2" in page
    assert "Translate the product pages — An external provider (often paid) · " in page
    assert "due 01/03/2026" in page
    assert "Done already" not in page.split('data-testid="open-actions"')[1].split("</ul>")[0]
    assert "1 open plan action" in page
    assert "Plan action “Translate the product pages” past due since" in page
    # The toolkit: readiness, score, last complete month (October, not the partial November), estimated profit.
    assert "Welsh Slate Gifts's toolkit" in page
    assert "good · 14 months of orders" in page
    assert "73.5/100" in page
    assert "Sales, October 2026" in page and "£4,321.50" in page
    assert "Profit, October 2026" in page and "£1,234.25" in page
    assert 'data-testid="profit-estimated"' in page
    assert "3 products to push" in page
    assert "2 tools open" in page  # inventory always, planning opened
    # Badges: held ones only.
    held = page.split('data-testid="badges-held"')[1].split("</ul>")[0]
    assert "Catalogue keeper" in held and "Revoked one" not in held
    # Timeline: every kind, each with its count in the filter.
    for label in ("Stage changes (0)", "Contacts (1)", "Sessions (1)", "Plan versions (1)", "Badges (2)"):
        assert label in page
    assert "Your" not in page.replace("Your account", "")  # staff wording

    with translation.override("fr"):
        french = " ".join(_open(client, sme).content.decode().split())
    assert "Boîte à outils de Welsh Slate Gifts" in french
    assert "Ventes, octobre 2026" in french and "4 321,50 £" in french  # narrow and no-break spaces, split above
    assert "73,5/100" in french
    assert "estimé : une partie du coût" in french  # split() took the no-break space as a space
    assert "1 action du plan en cours" in french


def test_a_month_with_known_costs_is_not_marked_estimated(client, sme, manager):
    _report(sme, estimated=False)
    client.force_login(manager)
    assert 'data-testid="profit-estimated"' not in _open(client, sme).content.decode()


def test_the_timeline_pages_through_a_long_history_and_filters_by_kind(client, sme, manager):
    _history(sme, manager, n=10)  # 60 events
    client.force_login(manager)
    first = _open(client, sme).content.decode()
    assert "Page 1 of 3 · 60 events" in first
    assert first.count('<li class="kind-') == 25
    last = _open(client, sme, page=3).content.decode()
    assert last.count('<li class="kind-') == 10
    assert "Call 0" in last and "Call 9" not in last  # oldest last
    only_syncs = _open(client, sme, kind="sync").content.decode()
    assert only_syncs.count('data-kind="sync"') == 10 and 'data-kind="contact"' not in only_syncs
    assert "File upload: succeeded" in only_syncs and "1,209 created" in only_syncs
    two = _open(client, sme, kind=["contact", "badge"]).content.decode()
    assert "Page 1 of 1 · 20 events" in two
    assert set(part.split('"')[0] for part in two.split('data-kind="')[1:]) == {"contact", "badge"}
    # Bad input is a page, never an error.
    assert _open(client, sme, page="nope", kind="bogus").status_code == 200


def test_the_workspace_query_count_is_bounded_whatever_the_history(client, sme, manager, django_assert_max_num_queries):
    _report(sme, estimated=True)
    _history(sme, manager, n=5)
    client.force_login(manager)
    with django_assert_max_num_queries(45) as few:
        assert _open(client, sme).status_code == 200
    _history(sme, manager, n=40, start=5)
    with django_assert_max_num_queries(45) as many:
        assert _open(client, sme, page=2).status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries) + 2
