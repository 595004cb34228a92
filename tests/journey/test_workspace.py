"""The staff SME workspace: its registry, the merged and paginated timeline, the stage facts, and who may open it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from journey import hooks, workspace
from journey.models import SME, Stage, StageChange
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEUserFactory,
    sme_at,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def sme(manager):
    return sme_at(Stage.ENQUIRY, launchpad=manager.launchpad, primary_account_manager=manager, name="Welsh Slate Gifts")


@pytest.fixture
def fake_kinds():
    """Two kinds of events with known times: "odd" every 2 h from 1 h ago, "even" every 2 h from 2 h ago."""
    calls = []

    def source(kind, offsets):
        def events(sme, limit):
            calls.append((kind, limit))
            return [
                workspace.Event(at=NOW - datetime.timedelta(hours=h), kind=kind, title=f"{kind} {h}")
                for h in offsets[:limit]
            ]

        return events

    odd, even = list(range(1, 60, 2)), list(range(2, 21, 2))  # 30 odd, 10 even
    kinds = [
        workspace.TimelineKind("odd", "Odd", source("odd", odd), lambda sme: len(odd), order=1),
        workspace.TimelineKind("even", "Even", source("even", even), lambda sme: len(even), order=2),
    ]
    with hooks.override(hooks.TIMELINE_KINDS, *hooks.get(hooks.TIMELINE_KINDS), lambda: kinds):
        yield calls


def _titles(page):
    return [event.title for event in page.events if event.kind in ("odd", "even")]


def test_the_timeline_merges_every_kind_newest_first_and_pages_through_it(sme, fake_kinds):
    first = workspace.timeline_page(sme, kinds=["odd", "even"], page=1, per_page=10)
    assert _titles(first) == [f"{'odd' if h % 2 else 'even'} {h}" for h in range(1, 11)]
    assert (first.total, first.num_pages, first.has_previous, first.has_next) == (40, 4, False, True)
    third = workspace.timeline_page(sme, kinds=["odd", "even"], page=3, per_page=10)
    # Past the last "even" event (20 h ago) only "odd" ones are left.
    assert _titles(third) == [f"odd {h}" for h in range(21, 40, 2)]
    # A page never asks a kind for more than page × per page events.
    assert max(limit for _kind, limit in fake_kinds) == 30


def test_the_timeline_filters_by_kind_and_survives_any_page_number(sme, fake_kinds):
    page = workspace.timeline_page(sme, kinds=["even", "nonsense"], page=1, per_page=4)
    assert _titles(page) == ["even 2", "even 4", "even 6", "even 8"]
    assert page.total == 10
    assert {kind.key: (count, selected) for kind, count, selected in page.kinds}["even"] == (10, True)
    assert "odd" not in {kind for kind, _limit in fake_kinds}
    assert workspace.timeline_page(sme, kinds=["even"], page="999", per_page=4).number == 3
    assert workspace.timeline_page(sme, kinds=["even"], page="abc", per_page=4).number == 1
    assert workspace.timeline_page(sme, kinds=["even"], page="-2", per_page=4).number == 1


def test_stage_facts_come_from_the_stage_log_not_from_when_the_record_was_made(sme, manager):
    entered = datetime.datetime(2026, 1, 10, 15, 0, tzinfo=datetime.UTC)
    StageChange.objects.create(
        sme=sme,
        transition="start_screening",
        from_stage=Stage.ENQUIRY,
        to_stage=Stage.SCREENING,
        by=manager,
        at=entered,
    )
    # The record itself says another day (as the demo's records once did): the log wins.
    SME.objects.filter(pk=sme.pk).update(stage=Stage.SCREENING, stage_entered_at=entered + datetime.timedelta(days=30))
    facts = workspace.stage_facts(
        SME.objects.get(pk=sme.pk), now=datetime.datetime(2026, 2, 20, 12, tzinfo=datetime.UTC)
    )
    assert facts.since == entered
    assert facts.due_on == datetime.date(2026, 2, 10)  # screening lasts a month
    assert (facts.days_overdue, facts.overdue) == (10, True)
    on_time = workspace.stage_facts(
        SME.objects.get(pk=sme.pk), now=datetime.datetime(2026, 2, 10, 12, tzinfo=datetime.UTC)
    )
    assert (on_time.days_overdue, on_time.overdue) == (0, False)


def test_workspace_shows_stage_due_date_steps_and_blocked_steps_in_english_and_french(client, manager):
    sme = sme_at(Stage.SCREENING, launchpad=manager.launchpad, primary_account_manager=manager, name="Slate Co")
    SME.objects.filter(pk=sme.pk).update(stage_entered_at=NOW - datetime.timedelta(days=40))
    client.force_login(manager)
    page = client.get(reverse("journey:sme_workspace", args=[sme.slug])).content.decode()
    assert 'data-testid="stage">Screening<' in page
    assert "Overdue by" in page and "days" in page
    assert 'data-blocked="pass_screening"' in page
    assert "The screening checklist has not been started." in page
    assert 'data-transition="withdraw"' in page  # a step that needs a reason, behind its form
    assert "Their account manager: Sarah Mitchell" in page
    assert "Your account manager" not in page
    with translation.override("fr"):
        french = client.get(reverse("journey:sme_workspace", args=[sme.slug])).content.decode()
    assert "En retard de" in french and "jours" in french
    assert "Son gestionnaire de compte : Sarah Mitchell" in french
    assert "Votre" not in french


def test_firing_a_step_from_the_workspace_comes_back_to_it(client, manager):
    sme = sme_at(Stage.ENQUIRY, launchpad=manager.launchpad, primary_account_manager=manager)
    client.force_login(manager)
    url = reverse("journey:sme_workspace", args=[sme.slug])
    response = client.post(
        reverse("smes:transition", args=[sme.pk]), {"transition": "start_screening", "next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert SME.objects.get(pk=sme.pk).stage == Stage.SCREENING
    page = response.content.decode()
    assert "Enquiry → Screening" in page
    # An address elsewhere is not followed.
    response = client.post(
        reverse("smes:transition", args=[sme.pk]), {"transition": "pass_screening", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("smes:inspect", args=[sme.pk])


def test_the_other_launchpads_account_manager_sees_it_only_once_shared_and_then_acts(client, sme):
    french = AccountManagerFactory(launchpad=LaunchpadFactory(france=True))
    client.force_login(french)
    url = reverse("journey:sme_workspace", args=[sme.slug])
    assert client.get(url).status_code == 404  # not shared with them: scoping hides it entirely
    sme.collaborators.add(french)
    page = client.get(url).content.decode()
    assert 'data-transition="start_screening"' in page  # a cross-launchpad collaborator may move it


def test_a_colleague_of_the_same_launchpad_reads_without_step_buttons_and_is_refused_a_step(client, sme):
    colleague = AccountManagerFactory(launchpad=sme.launchpad)
    client.force_login(colleague)
    response = client.get(reverse("journey:sme_workspace", args=[sme.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-transition=" not in page and "data-override=" not in page
    assert 'data-testid="no-steps"' in page
    client.post(reverse("smes:transition", args=[sme.pk]), {"transition": "start_screening"})
    assert SME.objects.get(pk=sme.pk).stage == Stage.ENQUIRY


def test_sme_users_and_visitors_do_not_get_the_workspace(client, sme):
    url = reverse("journey:sme_workspace", args=[sme.slug])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(SMEUserFactory(sme=sme))
    assert client.get(url).status_code == 403  # their own company: the portal page is theirs, not this one
    client.force_login(SMEUserFactory())
    assert client.get(url).status_code == 404  # another company: not even visible


def test_the_launchpad_manager_and_coordinators_see_override_forms(client, sme):
    SME.objects.filter(pk=sme.pk).update(stage=Stage.SCREENING)
    client.force_login(LaunchpadManagerFactory(launchpad=sme.launchpad))
    page = client.get(reverse("journey:sme_workspace", args=[sme.slug])).content.decode()
    assert 'data-override="pass_screening"' in page
    # Coordinators see every SME and may move and override too.
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("journey:sme_workspace", args=[sme.slug])).content.decode()
    assert 'data-override="pass_screening"' in page


def test_the_sme_list_and_the_dashboard_lead_to_the_workspace(client, sme, manager):
    client.force_login(manager)
    url = reverse("journey:sme_workspace", args=[sme.slug])
    assert f'href="{url}"' in client.get(reverse("smes:index")).content.decode()
    assert f'href="{url}"' in client.get(reverse("smes:index"), {"q": "Welsh"}).content.decode()
    assert f'href="{url}"' in client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'href="{url}"' in client.get(reverse("smes:inspect", args=[sme.pk])).content.decode()
