"""In a real browser: an SME owner connects Google Analytics 4 from the data page, with a key file,
in French then English, against the local Google of ``tests/connectors/google_server.py``; the
page then names the analytics items that match no product. Screenshots in test-output/screenshots/."""

from __future__ import annotations

import datetime
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from tests.browser import CHROMIUM, SME_EMAIL, SME_SLUG, screenshot, sign_in
from tests.connectors.google_server import FakeGoogle, day, google_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROPERTY = "314159265"


@pytest.fixture
def google(tmp_path):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key = {
        "type": "service_account",
        "project_id": "biscuiterie",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": "reader@biscuiterie.iam.gserviceaccount.com",
        "client_id": "42",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    key_path = tmp_path / "biscuiterie-0123456789ab.json"
    key_path.write_text(json.dumps(key))
    not_a_key = tmp_path / "notes.json"
    not_a_key.write_text('{"type": "authorized_user", "client_id": "x"}')
    fake = FakeGoogle(public_key=private.public_key(), property_id=PROPERTY)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    fake.items = {(day(yesterday), "GHOST-TIN-1"): (30, 3, 1), (day(yesterday), "GHOST-TIN-2"): (12, 1, 0)}
    fake.sessions = {day(yesterday): 140}
    with google_server(fake) as base:
        with override_settings(CONNECTORS_GA4_TOKEN_URI=f"{base}/token", CONNECTORS_GA4_API_ROOT=f"{base}/v1beta"):
            yield fake, key, key_path, not_a_key


def test_an_sme_owner_connects_google_analytics_with_a_key_file(live_server, google, request):
    from playwright.sync_api import expect

    from connectors.models import DataSource, ProductAnalytics
    from journey.demo import DEMO_PASSWORD

    fake, key, key_path, not_a_key = google
    request.getfixturevalue("demo_data")
    tab = request.getfixturevalue("page")
    sign_in(tab, live_server, email=SME_EMAIL, password=DEMO_PASSWORD, language="fr")
    tab.goto(f"{live_server.url}/fr/portal/smes/{SME_SLUG}/data/#connect-shop")
    with tab.expect_navigation():
        tab.select_option("#id_platform", "ga4")
    form = tab.get_by_test_id("connect-form")
    expect(form).to_have_attribute("data-kind", "ga4")
    expect(tab.locator("#id_url")).to_have_count(0)
    expect(tab.get_by_text("IAM et administration", exact=False).first).to_be_visible()

    # A file that is not a service-account key: said in French, nothing asked of Google.
    tab.fill("#id_property", PROPERTY)
    tab.set_input_files("#id_key", str(not_a_key))
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_text("Ce n'est pas une clé de compte de service")).to_be_visible()
    assert fake.reports == []

    # The key: the test runs one tiny report, saves nothing and shows the key nowhere.
    tab.set_input_files("#id_key", str(key_path))
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_test_id("test-passed")).to_contain_text("Google Analytics 4 a répondu")
    expect(tab.locator("#id_property")).to_have_value(PROPERTY)
    assert len(fake.reports) == 1 and fake.reports[0]["limit"] == 1
    assert not DataSource.objects.filter(sme__slug=SME_SLUG, kind="ga4").exists()
    assert key["client_email"] not in tab.content() and "PRIVATE KEY" not in tab.content()
    tab.get_by_test_id("connect-shop").scroll_into_view_if_needed()
    screenshot(tab, "30-connect-ga4-tested-fr.png")

    tab.set_input_files("#id_key", str(key_path))
    with tab.expect_navigation():
        tab.get_by_test_id("connect").click()
    expect(tab.get_by_text(f"Propriété Google Analytics {PROPERTY} connectée")).to_be_visible()
    source = DataSource.objects.get(sme__slug=SME_SLUG, kind="ga4")
    assert source.options["property"] == PROPERTY
    assert ProductAnalytics.objects.filter(source=source).count() == 3  # two items and the day's sessions
    row = tab.locator(f"[data-source='{source.pk}']")
    expect(row.get_by_test_id("unmatched-items")).to_contain_text("GHOST-TIN-1")
    assert "PRIVATE KEY" not in tab.content()
    screenshot(tab, "31-connected-ga4-fr.png")

    # In English: the same page, and the unmatched items named.
    tab.goto(f"{live_server.url}/en/portal/smes/{SME_SLUG}/data/")
    row = tab.locator(f"[data-source='{source.pk}']")
    expect(row.get_by_test_id("unmatched-items")).to_contain_text("2 analytics items match no product")
    expect(row).to_contain_text(f"Property {PROPERTY}")
    screenshot(tab, "32-connected-ga4-en.png")
    tab.goto(f"{live_server.url}/en/portal/smes/{SME_SLUG}/data/?platform=ga4#connect-shop")
    tab.fill("#id_property", "G-12345")
    tab.set_input_files("#id_key", str(key_path))
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_text("The property ID is a number")).to_be_visible()
    tab.get_by_test_id("connect-shop").scroll_into_view_if_needed()
    screenshot(tab, "33-connect-ga4-bad-property-en.png")
