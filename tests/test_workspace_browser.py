"""End to end in a real browser, on the demo programme: staff open an SME's workspace from their dashboard.

Sarah Mitchell (UK account manager, English) opens Brighton Bean Roasters — overdue in data
collection, hers — from "SMEs you follow"; Camille Laurent (French account manager) opens
Voilerie Bretonne in French. Screenshots go to test-output/screenshots/ (look at them).
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser import CHROMIUM, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


@pytest.fixture
def demo():
    """The whole demo programme as ``load_demo`` builds it: SMEs, coaching, order histories, reports, badges."""
    call_command("load_demo", stdout=StringIO())


def _kinds(browser_page) -> set[str]:
    items = browser_page.locator("[data-testid=timeline-events] > li")
    return set(items.evaluate_all("items => items.map(item => item.dataset.kind)"))


def test_account_manager_opens_the_workspace_from_the_dashboard_in_english(live_server, page, demo):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD

    sign_in(page, live_server, email="sarah.mitchell@uk.e-channel.example", password=DEMO_PASSWORD, language="en")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    with page.expect_navigation():
        page.get_by_test_id("my-smes-panel").get_by_role("link", name="Brighton Bean Roasters").click()
    expect(page).to_have_url(f"{live_server.url}/en/portal/smes/brighton-bean-roasters/workspace/")
    expect(page.get_by_test_id("sme-name")).to_have_text("Brighton Bean Roasters")

    # Journey: stage, since when, a real due date, overdue by how long, and the step buttons.
    expect(page.get_by_test_id("stage")).to_have_text("Data collection")
    expect(page.get_by_test_id("stage-since")).to_have_text(DATE)
    expect(page.get_by_test_id("stage-due")).to_contain_text(DATE)
    expect(page.get_by_test_id("overdue")).to_have_text(re.compile(r"Overdue by \d+ days"))
    expect(page.locator("[data-transition=start_planning]")).to_be_visible()
    # Coaching, the toolkit and badges at a glance, in staff wording.
    expect(page.get_by_test_id("last-contact")).to_contain_text(DATE)
    expect(page.get_by_test_id("drift-alerts")).to_contain_text("overdue since")
    expect(page.get_by_test_id("workspace-toolkit")).to_contain_text("Brighton Bean Roasters's toolkit")
    expect(page.get_by_test_id("readiness")).to_contain_text("months of orders")
    expect(page.get_by_test_id("inventory-score")).to_contain_text("/100")
    expect(page.get_by_test_id("last-month-sales")).to_contain_text("£")
    expect(page.get_by_test_id("opportunities-count")).to_contain_text("to push")
    expect(page.locator("[data-testid=tools-open] [data-tool=inventory]")).to_contain_text("open")
    expect(page.get_by_test_id("badges-held").locator("li")).not_to_have_count(0)
    assert "Your account manager" not in page.content()
    # The timeline: 25 a page, every kind of event, newest first.
    events = page.get_by_test_id("timeline-events").locator("> li")
    expect(events).to_have_count(25)
    assert {"contact", "stage", "session"} <= _kinds(page)
    screenshot(page, "10-workspace-am-en.png")

    with page.expect_navigation():
        page.get_by_test_id("timeline-pages").get_by_role("link", name="Older").click()
    expect(page.get_by_test_id("timeline-pages")).to_contain_text("Page 2 of")
    screenshot(page, "11-workspace-am-en-page-2.png")

    # Only the contacts.
    page.get_by_test_id("timeline-filter").locator("input[name=kind][value=contact]").check()
    with page.expect_navigation():
        page.get_by_test_id("timeline-filter").get_by_role("button", name="Filter").click()
    assert _kinds(page) == {"contact"}
    screenshot(page, "12-workspace-am-en-contacts.png")


def test_french_account_manager_reads_the_workspace_in_french(live_server, page, demo):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD

    sign_in(page, live_server, email="camille.laurent@fr.e-channel.example", password=DEMO_PASSWORD, language="fr")
    response = page.goto(f"{live_server.url}/fr/portal/smes/voilerie-bretonne/workspace/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_test_id("stage")).to_have_text("Accompagnement intensif")
    expect(page.get_by_test_id("stage-due")).to_contain_text(DATE)
    expect(page.get_by_test_id("workspace-coaching")).to_contain_text("Dernier contact")
    expect(page.get_by_test_id("workspace-toolkit")).to_contain_text("Boîte à outils de Voilerie Bretonne")
    expect(page.get_by_test_id("last-month-sales")).to_contain_text("€")
    expect(page.get_by_test_id("workspace-timeline")).to_contain_text("Historique")
    expect(page.get_by_test_id("blocked-transitions")).to_contain_text("séances mensuelles")
    assert "Votre gestionnaire" not in page.content()
    screenshot(page, "13-workspace-am-fr.png")
