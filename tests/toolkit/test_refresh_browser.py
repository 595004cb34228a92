"""The nightly refresh's progress page and the dashboard at scale, in a real browser, in English and French."""

from __future__ import annotations

import pytest

from connectors import demo_scale as connectors_scale
from journey import demo_scale as journey_scale
from journey.services import user_set_preferred_language
from tests.browser import CHROMIUM, screenshot
from tests.journey.factories import PASSWORD, CoordinatorFactory, LaunchpadFactory, LaunchpadManagerFactory
from toolkit import refresh

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def programme(settings):
    settings.TOOLKIT_REFRESH_CHUNK = 4
    settings.TOOLKIT_REFRESH_ATTEMPTS = 1
    uk = LaunchpadFactory()
    fr = LaunchpadFactory(france=True, programme=uk.programme)
    journey_scale.load(40)
    connectors_scale.load(factor=0.002)
    run, chunks = refresh.programme_refresh_start()
    refresh.chunk_refresh(run.pk, chunks[0])
    from toolkit.models import SMERefresh

    SMERefresh.objects.filter(run=run, sme_id=chunks[1][0]).update(
        status="failed", attempts=1, error="SyncFailed: Shopify (https://shop.example): 401 Unauthorized"
    )
    coordinator = CoordinatorFactory()
    manager = LaunchpadManagerFactory(launchpad=fr)
    user_set_preferred_language(user=manager, language="fr")
    return {"coordinator": coordinator, "manager": manager}


def _sign_in(tab, live_server, user, language):
    tab.goto(f"{live_server.url}/{language}/accounts/login/")
    tab.fill("#id_username", user.email)
    tab.fill("#id_password", PASSWORD)
    with tab.expect_navigation():
        tab.click("form.form button[type=submit]")


def test_progress_and_dashboard_in_english_and_french(live_server, page, programme):
    from playwright.sync_api import expect

    _sign_in(page, live_server, programme["coordinator"], "en")
    page.goto(f"{live_server.url}/admin/refresh/")
    expect(page.locator("h1")).to_contain_text("Nightly refresh")
    expect(page.locator('[data-status="done"]')).to_contain_text("4")
    expect(page.locator('[data-testid="refresh-failed"]')).to_contain_text("401 Unauthorized")
    screenshot(page, "h22-refresh-en.png")
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator('[data-testid="my-smes-more"]')).to_contain_text("The 30 most urgent are shown; 10 other")
    screenshot(page, "h22-dashboard-en.png")

    page.context.clear_cookies()
    _sign_in(page, live_server, programme["manager"], "fr")
    page.goto(f"{live_server.url}/admin/refresh/")
    expect(page.locator("h1")).to_contain_text("Actualisation de nuit")
    expect(page.locator('[data-status="waiting"]')).to_contain_text("En attente")
    screenshot(page, "h22-refresh-fr.png")
