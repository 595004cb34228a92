"""An SME owner connects a Squarespace site from the data page in a real browser, EN and FR, against the
local Squarespace server: wrong key first, then test, connect and see what came in. Screenshots go to
test-output/screenshots/."""

from __future__ import annotations

import pytest
from django.test import Client

from connectors.models import DataSource, Order
from tests.browser import CHROMIUM, screenshot
from tests.journey.factories import SMEFactory, SMEUserFactory

from .loopback import loopback_server
from .squarespace_fake import KEY, FakeSquarespace

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXTS = {
    "en": {"wrong": "Squarespace refused the API key", "works": "The connection works: Squarespace answered",
           "connected": "Squarespace connected.", "orders": "3 orders"},
    "fr": {"wrong": "Squarespace a refusé la clé d'API", "works": "La connexion fonctionne",
           "connected": "Squarespace", "orders": "3 commandes"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_owner_connects_squarespace_from_the_data_page(live_server, page, settings, language):
    from playwright.sync_api import expect

    fake = FakeSquarespace()
    texts = TEXTS[language]
    sme = SMEFactory(name="Hebridean Knitwear Co")
    client = Client()
    client.force_login(SMEUserFactory(sme=sme))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])  # fmt: skip
    with loopback_server(fake, headers_seen=fake.headers_seen) as (api, _):
        settings.CONNECTORS_SQUARESPACE_API_ROOT = api
        page.goto(f"{live_server.url}/{language}/portal/smes/{sme.slug}/data/")
        with page.expect_navigation():
            page.select_option("#id_platform", "squarespace")  # the page reloads with its fields
        form = page.get_by_test_id("connect-form")
        expect(form).to_have_attribute("data-kind", "squarespace")
        expect(form).to_contain_text("Squarespace:" if language == "en" else "Squarespace\u00a0:")

        page.fill("#id_key", "not-the-key")
        page.get_by_test_id("test-connection").click()
        expect(page.get_by_test_id("connect-error")).to_contain_text(texts["wrong"])

        page.fill("#id_key", KEY)
        page.get_by_test_id("test-connection").click()
        expect(page.get_by_test_id("test-passed")).to_contain_text(texts["works"])
        screenshot(page, f"h17-squarespace-form-{language}.png")
        assert not DataSource.objects.filter(sme=sme).exists()

        page.fill("#id_key", KEY)
        page.get_by_test_id("connect").click()
        expect(page.locator(".messages")).to_contain_text(texts["connected"])
        expect(page.get_by_test_id("sources")).to_contain_text("https://www.hebridean-knitwear.example")
        expect(page.get_by_test_id("arrivals").first).to_contain_text(texts["orders"])
        screenshot(page, f"h17-squarespace-connected-{language}.png")
    assert Order.objects.filter(source__sme=sme, source__kind="squarespace").count() == 3
    assert KEY not in page.content()
