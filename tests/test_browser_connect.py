"""In a real browser: a French SME connects its PrestaShop shop from the data page (EN and FR).

The shop is the local webservice of ``tests/connectors/prestashop_fake.py``. Screenshots go to
test-output/screenshots/ (git-ignored), as in ``tests/test_browser.py``.
"""

from __future__ import annotations

import datetime

import pytest

from tests.browser import CHROMIUM, SME_EMAIL, SME_SLUG, screenshot, sign_in
from tests.connectors.loopback import loopback_server
from tests.connectors.prestashop_fake import KEY, FakePrestaShop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shop():
    fake = FakePrestaShop()
    with loopback_server(fake, headers_seen=fake.headers_seen) as (base_url, _):
        yield fake, base_url


def test_an_sme_connects_its_prestashop_shop_in_french_then_reads_it_in_english(live_server, shop, request):
    from playwright.sync_api import expect

    from connectors.models import DataSource, ExchangeRate, Order
    from journey.demo import DEMO_PASSWORD

    fake, shop_url = shop
    request.getfixturevalue("demo_data")
    tab = request.getfixturevalue("page")  # the browser fixtures (tests/browser.py, through conftest)
    ExchangeRate.objects.create(day=datetime.date(2026, 4, 1), currency="GBP", base_currency="EUR", rate="1.1765")
    sign_in(tab, live_server, email=SME_EMAIL, password=DEMO_PASSWORD, language="fr")
    tab.goto(f"{live_server.url}/fr/portal/smes/{SME_SLUG}/data/?platform=woocommerce#connect-shop")
    form = tab.get_by_test_id("connect-form")
    expect(form).to_have_attribute("data-kind", "woocommerce")
    expect(tab.locator("#id_secret")).to_be_visible()
    # With JavaScript, choosing the platform shows its fields at once (the button is for browsers without).
    expect(tab.locator(".platform-choose")).to_be_hidden()
    with tab.expect_navigation():
        tab.select_option("#id_platform", "prestashop")
    expect(form).to_have_attribute("data-kind", "prestashop")
    expect(tab.locator("#id_secret")).to_have_count(0)
    expect(tab.locator("#id_token")).to_have_count(0)
    expect(tab.get_by_text("Paramètres avancés → Webservice → Ajouter une nouvelle clé webservice")).to_be_visible()

    # A key without access to the orders: the test says which permission to tick, and saves nothing.
    fake.denied.add("orders")
    tab.fill("#id_url", shop_url)
    tab.fill("#id_key", KEY)
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_test_id("connect-error")).to_contain_text("La clé du webservice n'a pas accès à orders")
    assert not DataSource.objects.filter(sme__slug=SME_SLUG, kind="prestashop").exists()
    tab.get_by_test_id("connect-shop").scroll_into_view_if_needed()
    screenshot(tab, "20-connect-prestashop-permission-fr.png")

    # Ticked: the test passes, then connecting saves the shop and the first sync brings the data in.
    fake.denied.clear()
    tab.fill("#id_key", KEY)
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_test_id("test-passed")).to_contain_text("La connexion fonctionne : PrestaShop a répondu")
    expect(tab.locator("#id_url")).to_have_value(shop_url)
    expect(tab.locator("#id_key")).to_have_value("")  # a key is never sent back to the page
    screenshot(tab, "21-connect-prestashop-tested-fr.png")
    tab.fill("#id_key", KEY)
    with tab.expect_navigation():
        tab.get_by_test_id("connect").click()
    expect(tab.get_by_text("PrestaShop : boutique connectée.")).to_be_visible()
    source = DataSource.objects.get(sme__slug=SME_SLUG, kind="prestashop")
    assert Order.objects.filter(source=source).count() == 4
    row = tab.locator(f"[data-source='{source.pk}']")
    expect(row.get_by_test_id("arrivals")).to_contain_text("3 produits")
    expect(row.get_by_test_id("arrivals")).to_contain_text("4 commandes")
    expect(row.get_by_test_id("arrivals")).to_contain_text("passées du 10/03/2026 au 03/04/2026")
    assert KEY not in tab.content()
    screenshot(tab, "22-connected-prestashop-fr.png")

    # The same page in English; a second sync writes nothing twice.
    tab.goto(f"{live_server.url}/en/portal/smes/{SME_SLUG}/data/")
    with tab.expect_navigation():
        row = tab.locator(f"[data-source='{source.pk}']")
        row.get_by_test_id("sync-now").click()
    row = tab.locator(f"[data-source='{source.pk}']")
    expect(row.get_by_test_id("arrivals")).to_contain_text("3 products")
    expect(row.get_by_test_id("arrivals")).to_contain_text("placed from 10/03/2026 to 03/04/2026")
    assert Order.objects.filter(source=source).count() == 4
    fake.key = "Z" * 32  # the key was revoked in the shop: the English form says so
    tab.goto(f"{live_server.url}/en/portal/smes/{SME_SLUG}/data/?platform=prestashop#connect-shop")
    tab.fill("#id_url", shop_url)
    tab.fill("#id_key", KEY)
    with tab.expect_navigation():
        tab.get_by_test_id("test-connection").click()
    expect(tab.get_by_test_id("connect-error")).to_contain_text("PrestaShop refused the webservice key")
    screenshot(tab, "23-connect-prestashop-en.png")
