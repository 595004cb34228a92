"""End to end in a real browser: a French SME user signs in, lands on their company and switches to English.

Playwright's sync API drives Debian's Chromium (``apt-get install chromium``); the test is skipped when
it is not installed. ``playwright install`` is never needed: the browser is launched from
/usr/bin/chromium. Screenshots are written to test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from tests.browser import (  # the constants and helpers shared by the browser tests
    CHROMIUM,
    OTHER_SME_NAME,
    OTHER_SME_SLUG,
    SME_EMAIL,
    SME_NAME,
    SME_SLUG,
    screenshot,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    # The live server runs in another thread, so the data must be committed; the serialized rollback
    # brings back what the migrations created (Wagtail's root page, locale, collection) if an earlier
    # transactional test flushed it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def sme_user(demo_data):
    user = next(user for user in demo_data["sme_users"] if user.email == SME_EMAIL)
    assert user.preferred_language == "fr", "the demo gives French SMEs French as their language"
    return user


# --- tests ------------------------------------------------------------------------------------------


def test_french_sme_user_signs_in_and_switches_to_english(live_server, page, sme_user):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD

    stylesheets = []
    page.on(
        "response",
        lambda response: stylesheets.append((response.url, response.status)) if "/static/" in response.url else None,
    )

    sign_in(page, live_server, email=SME_EMAIL, password=DEMO_PASSWORD, language="fr")

    # Signing in lands on the French page of their own company.
    expect(page).to_have_url(f"{live_server.url}/fr/portal/smes/{SME_SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(SME_NAME)
    expect(page.get_by_test_id("sme-name")).to_have_text(SME_NAME)
    expect(page.get_by_test_id("portal-link")).to_be_visible()
    expect(page.get_by_test_id("switch-fr")).to_have_count(0)
    assert any(url.endswith("/static/css/site.css") and status == 200 for url, status in stylesheets), (
        f"the stylesheet did not load: {stylesheets}"
    )
    screenshot(page, "01-portal-fr.png")

    # The language switcher keeps the reader on the same page, in English.
    switch = page.get_by_test_id("switch-en")
    expect(switch).to_have_attribute("lang", "en")
    with page.expect_navigation():
        switch.click()
    expect(page).to_have_url(f"{live_server.url}/en/portal/smes/{SME_SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("sme-name")).to_have_text(SME_NAME)
    expect(page.get_by_test_id("switch-fr")).to_be_visible()
    expect(page.get_by_test_id("switch-en")).to_have_count(0)
    screenshot(page, "02-portal-en.png")

    # ... and the choice is remembered on the account.
    sme_user.refresh_from_db()
    assert sme_user.preferred_language == "en"
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get("django_language") == "en"


def test_sme_user_cannot_open_another_company(live_server, page, sme_user):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD

    sign_in(page, live_server, email=SME_EMAIL, password=DEMO_PASSWORD, language="fr")
    expect(page).to_have_url(re.compile(rf"/fr/portal/smes/{SME_SLUG}/$"))

    response = page.goto(f"{live_server.url}/en/portal/smes/{OTHER_SME_SLUG}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_test_id("sme-name")).to_have_count(0)
    assert OTHER_SME_NAME not in page.content()
    screenshot(page, "03-other-company-404.png")

    # Their own company is still there.
    response = page.goto(f"{live_server.url}/en/portal/smes/{SME_SLUG}/")
    assert response is not None
    assert response.status == 200
    expect(page.get_by_test_id("sme-name")).to_have_text(SME_NAME)


def test_french_sme_user_signing_in_on_the_english_page_continues_in_french(live_server, page, sme_user):
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD

    sign_in(page, live_server, email=SME_EMAIL, password=DEMO_PASSWORD, language="en")

    # The language they chose last time wins over the one of the sign-in page.
    expect(page).to_have_url(f"{live_server.url}/fr/portal/smes/{SME_SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_test_id("sme-name")).to_have_text(SME_NAME)
    sme_user.refresh_from_db()
    assert sme_user.preferred_language == "fr"


@pytest.mark.parametrize(("language", "heading"), [("en", "SMEs needing attention"), ("fr", "PME à surveiller")])
def test_the_coordinator_sees_the_overdue_smes_under_needing_attention(live_server, page, demo_data, language,
                                                                       heading):  # fmt: skip
    """The programme dashboard renders on the demo (it answered 500 when an SME was overdue) and lists them."""
    from playwright.sync_api import expect

    from journey.demo import DEMO_PASSWORD
    from journey.models import User
    from journey.services import user_set_preferred_language

    coordinator = User.objects.get(email="coordinator@e-channel.example")
    user_set_preferred_language(user=coordinator, language=language)
    sign_in(page, live_server, email=coordinator.email, password=DEMO_PASSWORD, language=language)
    response = page.goto(f"{live_server.url}/admin/programme/dashboard/")
    assert response.status == 200
    attention = page.get_by_test_id("attention")
    expect(attention.locator("h2")).to_contain_text(heading)
    expect(attention.locator('tr[data-sme="brighton-bean-roasters"]')).to_be_visible()
    expect(attention.locator('tr[data-sme="outillage-picard"]')).to_be_visible()
    expect(attention.get_by_test_id("attention-count")).to_have_text("2")
    attention.scroll_into_view_if_needed()
    screenshot(page, f"04-programme-dashboard-{language}.png")
