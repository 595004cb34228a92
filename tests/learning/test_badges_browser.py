"""The learner's badge page in a real browser, in English and in French: the wallet's QR code loads,
the credential file downloads, LinkedIn and sharing are offered. Screenshots go to
test-output/screenshots/ (look at them: a page that renders is not the same as a page that is right)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 900}, accept_downloads=True)
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            connections.close_all()


@pytest.fixture
def holder(live_server, settings):
    from cms.services import site_ensure_home
    from learning import services
    from learning.models import BadgeClass
    from tests.journey.factories import SMEUserFactory

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    site_ensure_home()
    learner = SMEUserFactory(email="holder@e-channel.test")
    badge = BadgeClass.objects.create(
        slug="market-scout",
        name_en="Market scout",
        name_fr="Éclaireur de marchés",
        description_en="Compares markets with data.",
        description_fr="Compare les marchés avec des données.",
        criteria_text_en="Completed the market assessment course.",
        criteria_text_fr="A suivi la formation sur l'évaluation des marchés.",
        colour="#2f6f9f",
        opens_tool="market",
    )
    services.badge_award(badge_class=badge, sme=learner.sme)
    return learner


@pytest.mark.parametrize(
    ("language", "wallet", "linkedin"),
    [
        ("en", "Add to a wallet", "Add to my LinkedIn profile"),
        ("fr", "Ajouter à un portefeuille", "Ajouter à mon profil LinkedIn"),
    ],
)
def test_badge_page_wallet_actions_in_the_browser(live_server, page, holder, language, wallet, linkedin):
    from playwright.sync_api import expect

    from tests.journey.factories import PASSWORD

    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("#id_username", holder.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    page.goto(f"{live_server.url}/{language}/portal/learning/badges/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    box = page.get_by_test_id("wallet")
    expect(box.get_by_role("heading")).to_have_text(wallet)
    expect(page.get_by_test_id("wallet-qr")).to_be_visible()
    # The QR code and the badge's picture are drawn on request: wait until every image has loaded.
    page.wait_for_function("() => [...document.images].every(image => image.complete && image.naturalWidth > 0)")
    expect(page.get_by_test_id("linkedin")).to_have_text(linkedin)
    assert (
        page.get_by_test_id("linkedin")
        .get_attribute("href")
        .startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
    )
    with page.expect_download() as download:
        page.get_by_test_id("wallet-file").click()
    token = Path(download.value.path()).read_text()
    assert token.count(".") == 2 and download.value.suggested_filename.endswith(".jwt")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"badges-wallet-{language}.png"), full_page=True)
