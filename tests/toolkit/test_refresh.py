"""The nightly refresh fanned out in chunks: time limits, retries, failures kept apart, progress (issue 22)."""

from __future__ import annotations

import time

import pytest
from django.utils import translation

from connectors import demo_scale as connectors_scale
from journey import demo_scale as journey_scale
from journey.models import SME, User
from tests.journey.factories import CoordinatorFactory, LaunchpadFactory, LaunchpadManagerFactory
from toolkit import refresh
from toolkit.models import ProgrammeRefresh, RefreshStatus, SMERefresh, ToolkitReport
from toolkit.tasks import programme_refresh_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(settings):
    settings.TOOLKIT_REFRESH_CHUNK = 3
    settings.TOOLKIT_REFRESH_ATTEMPTS = 2
    settings.TOOLKIT_REFRESH_RETRY_SECONDS = 0
    uk = LaunchpadFactory()
    LaunchpadFactory(france=True, programme=uk.programme)
    journey_scale.load(24)
    connectors_scale.load(factor=0.002)
    return list(refresh.smes_to_refresh())


def _status(sme) -> str:
    return SMERefresh.objects.get(sme=sme, run=ProgrammeRefresh.objects.first()).status


def test_the_nightly_task_refreshes_every_sme_with_data_in_chunks(programme):
    assert len(programme) >= 6
    programme_refresh_task()  # eager in tests: every chunk runs here
    run = ProgrammeRefresh.objects.get()
    assert run.smes == len(programme)
    assert SMERefresh.objects.filter(run=run, status=RefreshStatus.DONE).count() == len(programme)
    assert ToolkitReport.objects.filter(sme__in=programme).count() == len(programme)
    # SMEs without data are not queued.
    assert not SMERefresh.objects.exclude(sme__in=programme).exists()
    _, chunks = refresh.programme_refresh_start()
    assert [len(chunk) for chunk in chunks[:-1]] == [3] * (len(chunks) - 1)


def test_one_failing_sme_never_stops_the_rest_and_is_retried_then_left_failed(programme, monkeypatch):
    broken = programme[1]
    real = refresh.report_refresh
    calls = []

    def flaky(*, sme):
        calls.append(sme.pk)
        if sme.pk == broken.pk:
            raise ValueError("the shop sent nonsense")
        return real(sme=sme)

    monkeypatch.setattr(refresh, "report_refresh", flaky)
    programme_refresh_task()
    assert _status(broken) == RefreshStatus.FAILED
    item = SMERefresh.objects.get(sme=broken)
    assert item.attempts == 2  # TOOLKIT_REFRESH_ATTEMPTS
    assert "the shop sent nonsense" in item.error
    assert calls.count(broken.pk) == 2
    others = SMERefresh.objects.exclude(sme=broken)
    assert set(others.values_list("status", flat=True)) == {RefreshStatus.DONE}


def test_an_sme_past_its_time_limit_fails_alone(programme, monkeypatch, settings):
    settings.TOOLKIT_REFRESH_SME_SECONDS = 1
    settings.TOOLKIT_REFRESH_ATTEMPTS = 1
    slow = programme[0]
    real = refresh.sme_refresh

    def sometimes_slow(sme):
        if sme.pk == slow.pk:
            time.sleep(3)
        return real(sme)

    monkeypatch.setattr(refresh, "sme_refresh", sometimes_slow)
    started = time.perf_counter()
    programme_refresh_task()
    assert _status(slow) == RefreshStatus.FAILED
    assert "RefreshTimeout" in SMERefresh.objects.get(sme=slow).error
    assert SMERefresh.objects.filter(status=RefreshStatus.DONE).count() == len(programme) - 1
    assert time.perf_counter() - started < 60


def test_a_chunk_delivered_twice_refreshes_nobody_twice(programme, monkeypatch):
    run, chunks = refresh.programme_refresh_start()
    first = refresh.chunk_refresh(run.pk, chunks[0])
    assert first.done == len(chunks[0])
    seen = []
    monkeypatch.setattr(refresh, "sme_refresh", lambda sme: seen.append(sme))
    again = refresh.chunk_refresh(run.pk, chunks[0])
    assert (again.done, seen) == (0, [])


def test_progress_counts_what_each_reader_sees(programme, client, monkeypatch):
    run, chunks = refresh.programme_refresh_start()
    refresh.chunk_refresh(run.pk, chunks[0])
    coordinator = CoordinatorFactory()
    manager = LaunchpadManagerFactory(launchpad=SME.objects.get(slug=journey_scale.slug_for(1)).launchpad)
    account_manager = User.objects.get(email=f"am01@uk.{journey_scale.MANAGER_DOMAIN}")
    whole = refresh.refresh_progress(SME.objects.all())
    assert whole.counts[RefreshStatus.DONE] == 3
    assert whole.total == len(programme)
    from journey.scoping import smes_visible_to

    for user in (manager, account_manager):
        seen = refresh.refresh_progress(smes_visible_to(user))
        assert seen.total == SMERefresh.objects.filter(run=run, sme__in=smes_visible_to(user)).count() < whole.total
    client.force_login(coordinator)
    page = client.get("/admin/refresh/").content.decode()
    assert 'data-status="done"><td>Done</td><td>3</td>' in page
    client.force_login(account_manager)
    assert client.get("/admin/refresh/").status_code == 200
    client.force_login(manager)
    with translation.override("fr"):
        response = client.get("/admin/refresh/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200


def test_no_sme_user_reads_the_progress(programme, client):
    client.force_login(User.objects.filter(role="sme_user").first())
    assert client.get("/admin/refresh/").status_code in (302, 403)
