"""The data page in a real browser, EN and FR: a GA4 property with items that match no product, and a
Shopify shop whose app lacks read_all_orders. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from connectors.models import DataSource
from connectors.records import AnalyticsRecord, ProductRecord
from connectors.writer import write_page
from tests.browser import CHROMIUM, screenshot
from tests.journey.factories import SMEFactory, SMEUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_data_page_shows_unmatched_items_and_the_60_day_limit(live_server, page):
    from playwright.sync_api import expect

    sme = SMEFactory(name="Harbour Pottery")
    shop = DataSource.objects.create(
        sme=sme, kind="shopify", base_url="https://harbour-pottery.myshopify.com",
        options={"orders_last_60_days": True, "currency": "GBP"},
    )  # fmt: skip
    write_page(shop, "products", [ProductRecord(external_id="4101", sku="MUG-BLUE", title="Blue mug")])
    ga4 = DataSource.objects.create(sme=sme, kind="ga4", options={"property": "123456789"})
    day = datetime.date.today() - datetime.timedelta(days=1)
    write_page(
        ga4,
        "analytics",
        [AnalyticsRecord(date=day, product_key=key, views=10) for key in ("MUG-BLUE", "GHOST-1", "OLD-SKU-7")],
    )
    client = Client()
    client.force_login(SMEUserFactory(sme=sme))
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    for language in ("en", "fr"):
        page.goto(f"{live_server.url}/{language}/portal/smes/{sme.slug}/data/")
        expect(page.get_by_test_id("unmatched-items")).to_be_visible()
        expect(page.get_by_test_id("orders-60-days")).to_be_visible()
        screenshot(page, f"h17-data-sources-{language}.png")
    expect(page.get_by_test_id("unmatched-items")).to_contain_text("2 articles")
