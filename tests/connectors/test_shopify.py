"""The Shopify connector against Shopify's published sample answers (fixtures/, MIT: SHOPIFY_LICENSE.txt)."""

from __future__ import annotations

import copy
import datetime
import json
import logging
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses
from django.utils import translation

from connectors.base import ConnectorError
from connectors.http import ShopRetry
from connectors.models import DataSource, Order, OrderLine, Product, SourceStatus, SyncStatus
from connectors.shopify.client import bucket_wait
from connectors.shopify.connector import ShopifyConnector
from connectors.sync import source_sync
from tests.journey.factories import SMEFactory

from .loopback import loopback_server

FIXTURES = Path(__file__).parent / "fixtures"
SHOP = "https://my-shop.myshopify.com"
API = f"{SHOP}/admin/api/2026-10/"
TOKEN = "shpat_0123456789abcdef-secret"
SERVER_DATE = "Mon, 23 Nov 2026 10:00:00 GMT"
# This run's start by the shop's clock, less the minute of overlap.
NEXT_SINCE = "2026-11-23T09:59:00+00:00"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def product_pages() -> list[list[dict]]:
    """Page 1: the iPod with four variants; page 2: a single-variant product in draft, with sized images."""
    ipod = fixture("shopify_product.json")["product"]
    single = copy.deepcopy(fixture("shopify_products.json")[1])
    single.update(id=2, title="Gift card", status="draft", product_type="", vendor="")
    single["images"][0].update(width=1024, height=768)
    single["variants"][0].update(
        id=1001, title="Default Title", sku="GIFT", barcode="5012345678900", inventory_management=None, price="25.00"
    )
    return [[ipod], [single]]


def order_pages() -> list[list[dict]]:
    """Page 1: the order with three lines; page 2: the same shop's other sample, refunded in part."""
    first = fixture("shopify_order.json")["order"]
    second = copy.deepcopy(fixture("shopify_orders.json")["orders"][0])
    second.update(id=450789470, source_name="pos", shipping_lines=[{"price": "4.50"}, {"price": "1.00"}])
    second["shipping_address"]["country_code"] = "fr"
    second["line_items"] = [
        {"id": 1, "variant_id": 1001, "sku": "GIFT", "name": "Gift card", "quantity": 2, "price": "25.00"}
    ]
    second["refunds"] = [
        {"transactions": [{"kind": "refund", "status": "success", "amount": "10.00"}]},
        {"transactions": [{"kind": "refund", "status": "failure", "amount": "99.00"}]},
    ]
    return [[first], [second]]


class FakeShopify:
    """Answers like a shop's Admin REST API: listings page by page through ``Link``, and records the queries.

    ``failures[(resource, page)]`` is a list of statuses (or exceptions) served before the page itself.
    """

    def __init__(self, mock: responses.RequestsMock, pages: dict[str, list[list[dict]]]):
        self.pages = pages
        self.failures: dict[tuple[str, int], list] = {}
        self.call_limit = "1/40"
        self.queries: dict[str, list[dict]] = {}
        mock.add_callback(responses.GET, re.compile(re.escape(API) + r"\w+\.json"), callback=self)

    def __call__(self, request):
        resource = urlsplit(request.url).path.rsplit("/", 1)[-1].removesuffix(".json")
        params = dict(parse_qsl(urlsplit(request.url).query))
        self.queries.setdefault(resource, []).append(params)
        headers = {"Date": SERVER_DATE, "X-Shopify-Shop-Api-Call-Limit": self.call_limit}
        if resource == "shop":
            return 200, headers, json.dumps({"shop": {"id": 1, "name": "My shop", "currency": "GBP"}})
        number = int(params["page_info"].rsplit("-", 1)[1]) if "page_info" in params else 1
        pending = self.failures.get((resource, number))
        if pending:
            failure = pending.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure, {**headers, "Retry-After": "1"}, json.dumps({"errors": "Try again"})
        pages = self.pages.get(resource) or [[]]
        if number < len(pages):
            headers["Link"] = f'<{API}{resource}.json?limit=250&page_info={resource}-{number + 1}>; rel="next"'
        return 200, headers, json.dumps({resource: pages[number - 1]})


@pytest.fixture(autouse=True)
def rest_connector(monkeypatch):
    """These tests cover the legacy REST connector: syncs here use it (the registry's is GraphQL's)."""
    from connectors import registry

    monkeypatch.setitem(registry.CONNECTORS, "shopify", "connectors.shopify.connector.ShopifyConnector")


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def shop(mock):
    return FakeShopify(mock, {"products": product_pages(), "orders": order_pages()})


@pytest.fixture
def source(db):
    source = DataSource(sme=SMEFactory(), kind="shopify", base_url=SHOP)
    source.credentials = {"token": TOKEN}
    source.save()
    return source


def read(connector, stream, cursor=None):
    return list(connector.pages(stream, cursor))


# Mapping


def test_check_reads_the_shop_with_the_token_and_learns_its_currency(source, shop, mock):
    connector = ShopifyConnector(source)
    connector.check()
    assert connector.currency == "GBP"
    request = mock.calls[0].request
    assert request.url == f"{API}shop.json"
    assert request.headers["X-Shopify-Access-Token"] == TOKEN


def test_the_api_version_comes_from_the_options(source, mock):
    source.options = {"api_version": "2025-01"}
    mock.get(f"{SHOP}/admin/api/2025-01/shop.json", json={"shop": {"currency": "EUR"}})
    ShopifyConnector(source).check()
    assert len(mock.calls) == 1


def test_products_give_one_record_per_variant(source, shop):
    connector = ShopifyConnector(source)
    connector.check()
    first, second = read(connector, "products")
    assert [r.external_id for r in first.records] == ["808950810", "49148385", "39072856", "457924702"]
    pink = first.records[0]
    assert pink.title == "IPod Nano - 8GB - Pink"
    assert (pink.sku, pink.price, pink.currency) == ("IPOD2008PINK", Decimal("199.00"), "GBP")
    assert (pink.brand, pink.category, pink.status) == ("Apple", "Cult Products", "active")
    assert pink.description.startswith("It's the small iPod with one very big idea: Video.")
    assert "<p>" not in pink.description
    assert (pink.stock_tracked, pink.stock_quantity) == (True, 10)
    assert pink.images[0].url.endswith("ipod-nano.png?0") and pink.images[0].width is None

    (gift,) = second.records
    assert gift.title == "Gift card"  # no " - Default Title"
    assert (gift.gtin, gift.status, gift.price) == ("5012345678900", "draft", Decimal("25.00"))
    assert (gift.stock_tracked, gift.stock_quantity) == (False, None)
    assert (gift.images[0].width, gift.images[0].height) == (1024, 768)


def test_orders_map_lines_money_country_status_and_channel(source, shop):
    first, second = read(ShopifyConnector(source), "orders")
    (order,) = first.records
    assert order.external_id == "450789469"
    assert order.placed_at == datetime.datetime(2008, 1, 10, 16, 0, tzinfo=datetime.UTC)
    assert order.placed_at.utcoffset() is not None
    assert (order.customer_country, order.currency, order.channel) == ("US", "USD", "web")
    assert order.status == "pending"  # authorized, not yet paid
    assert [(line.line_key, line.sku, line.quantity, line.unit_price) for line in order.lines] == [
        ("466157049", "IPOD2008GREEN", 1, Decimal("199.00")),
        ("518995019", "IPOD2008RED", 1, Decimal("199.00")),
        ("703073504", "IPOD2008BLACK", 1, Decimal("199.00")),
    ]
    assert order.lines[0].product_external_id == "39072856"

    (refunded,) = second.records
    assert refunded.status == "completed"  # partially refunded
    assert (refunded.discounts, refunded.shipping, refunded.tax) == (
        Decimal("10.00"),
        Decimal("5.50"),
        Decimal("11.94"),
    )
    # One successful refund (the failed one gave nothing back) of 10.00 paid, tax included: without
    # lines, its tax is split like the order's (11.94 of 598.94).
    (refund,) = refunded.refund_records
    assert (refund.amount, refund.tax, refund.paid_amount) == (Decimal("9.80"), Decimal("0.20"), Decimal("10.00"))
    assert (refunded.customer_country, refunded.channel) == ("FR", "pos")
    for amount in (refunded.discounts, refund.amount, refunded.shipping, refunded.lines[0].unit_price):
        assert isinstance(amount, Decimal)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"financial_status": "paid"}, "completed"),
        ({"financial_status": "pending", "fulfillment_status": "fulfilled"}, "completed"),
        ({"financial_status": "refunded"}, "refunded"),
        ({"financial_status": "paid", "cancelled_at": "2024-01-01T00:00:00Z"}, "cancelled"),
        ({"financial_status": "voided"}, "cancelled"),
        ({"financial_status": "pending"}, "pending"),
        ({"financial_status": "authorized"}, "pending"),
    ],
)
def test_order_statuses(fields, status):
    from connectors.shopify.connector import order_status

    assert order_status(fields) == status


def test_inventory_items_give_costs_and_levels_fill_missing_quantities(source, mock):
    ipod = fixture("shopify_product.json")["product"]
    for variant, item_id in zip(ipod["variants"], (808950810, 49148385, 39072856, 457924702), strict=True):
        variant["inventory_item_id"] = item_id
    ipod["variants"][2]["inventory_quantity"] = None  # green: from the levels of two locations
    items = fixture("shopify_inventory_items.json")
    items["inventory_items"][0]["cost"] = "120.50"
    items["inventory_items"][1]["tracked"] = False  # black
    shop = FakeShopify(mock, {"products": [[ipod]]})
    shop.pages.update(inventory_items=[items["inventory_items"]])
    shop.pages.update(inventory_levels=[fixture("shopify_inventory_levels.json")["inventory_levels"]])

    (page,) = read(ShopifyConnector(source), "products")
    by_sku = {record.sku: record for record in page.records}
    assert by_sku["IPOD2008GREEN"].unit_cost == Decimal("120.50")
    assert by_sku["IPOD2008GREEN"].stock_quantity == 27 + 3
    assert (by_sku["IPOD2008BLACK"].stock_tracked, by_sku["IPOD2008BLACK"].stock_quantity) == (False, None)
    assert by_sku["IPOD2008PINK"].stock_quantity == 10
    assert shop.queries["inventory_items"][0]["ids"] == "39072856,49148385,457924702,808950810"
    # Levels only for the variant without a quantity.
    assert shop.queries["inventory_levels"][0]["inventory_item_ids"] == "39072856"


def test_without_the_inventory_scope_products_still_come_from_the_variants(source, mock):
    ipod = fixture("shopify_product.json")["product"]
    ipod["variants"][0]["inventory_item_id"] = 808950810
    shop = FakeShopify(mock, {"products": [[ipod]]})
    shop.failures[("inventory_items", 1)] = [403]
    (page,) = read(ShopifyConnector(source), "products")
    assert page.records[0].stock_quantity == 10


# Pagination, cursors, incremental syncs


def test_pages_follow_the_link_header_and_end_with_the_next_starting_point(source, shop):
    first, second = read(ShopifyConnector(source), "orders")
    assert shop.queries["orders"] == [
        {"limit": "250", "status": "any"},
        {"limit": "250", "page_info": "orders-2"},  # Shopify refuses filters beside page_info
    ]
    assert first.cursor == {"page_info": "orders-2", "since": None, "started_at": "2026-11-23T10:00:00+00:00"}
    assert second.cursor == {"since": NEXT_SINCE}
    assert first.pages_expected is None and second.pages_expected is None


def test_the_next_sync_only_asks_for_what_changed(source, shop):
    connector = ShopifyConnector(source)
    *_, last = read(connector, "products")
    read(connector, "products", last.cursor)
    assert shop.queries["products"][2] == {"limit": "250", "updated_at_min": NEXT_SINCE}


def test_a_run_resumes_from_a_saved_mid_stream_cursor(source, shop):
    cursor = {"page_info": "orders-2", "since": "2026-01-01T00:00:00+00:00", "started_at": "2026-11-22T08:00:00+00:00"}
    (page,) = read(ShopifyConnector(source), "orders", cursor)
    assert shop.queries["orders"] == [{"limit": "250", "page_info": "orders-2"}]
    assert page.records[0].external_id == "450789470"
    # The resumed run keeps its original start: nothing changed meanwhile is missed.
    assert page.cursor == {"since": "2026-11-22T07:59:00+00:00"}


def test_a_saved_cursor_shopify_no_longer_takes_starts_this_runs_changes_over(source, shop):
    shop.failures[("orders", 2)] = [400]
    cursor = {"page_info": "orders-2", "since": "2026-01-01T00:00:00+00:00", "started_at": "2026-11-22T08:00:00+00:00"}
    pages = read(ShopifyConnector(source), "orders", cursor)
    assert shop.queries["orders"][1:] == [
        {"limit": "250", "status": "any", "updated_at_min": "2026-01-01T00:00:00+00:00"},
        {"limit": "250", "page_info": "orders-2"},
    ]
    assert len(pages) == 2 and pages[-1].cursor == {"since": "2026-11-22T07:59:00+00:00"}


# Rate limits, retries, failures


@pytest.mark.parametrize(("header", "seconds"), [("1/40", 0), ("31/40", 0), ("32/40", 0.5), ("39/40", 4), ("79/80", 4)])
def test_bucket_wait(header, seconds):
    assert bucket_wait(header) == seconds


def test_a_nearly_full_bucket_slows_the_client_down(source, shop):
    slept = []
    shop.call_limit = "38/40"
    read(ShopifyConnector(source, sleep=slept.append), "orders")
    assert slept == [3.5, 3.5]  # drains to below 32 at 2 calls a second, after each page


def test_a_429_is_retried_after_retry_after(source, shop):
    shop.failures[("orders", 1)] = [429]
    first, _ = read(ShopifyConnector(source), "orders")
    assert first.records[0].external_id == "450789469"
    assert len(shop.queries["orders"]) == 3


def test_a_500_is_retried(source, shop):
    shop.failures[("products", 2)] = [500, 503]
    pages = read(ShopifyConnector(source), "products")
    assert len(pages) == 2 and len(shop.queries["products"]) == 4


def test_a_shop_that_keeps_failing_gives_a_clear_error(source, shop):
    shop.failures[("orders", 1)] = [500] * 10
    with pytest.raises(ConnectorError, match=r"kept failing \(error 500\), even after several attempts"):
        read(ShopifyConnector(source), "orders")
    assert len(shop.queries["orders"]) == 6  # the first call and five retries


def test_a_timeout_gives_a_clear_error(source, shop):
    shop.failures[("orders", 1)] = [requests.exceptions.ReadTimeout("read timed out")]
    with pytest.raises(ConnectorError, match="did not answer in time"):
        read(ShopifyConnector(source), "orders")


def test_truncated_json_gives_a_clear_error(source, mock):
    mock.get(f"{API}products.json", body='{"products": [{"id": 632910392, "title": "IPod Na')
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        read(ShopifyConnector(source), "products")


def test_an_answer_of_the_wrong_shape_gives_the_same_error(source, mock):
    mock.get(f"{API}orders.json", json={"order": {}})
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        read(ShopifyConnector(source), "orders")


@pytest.mark.parametrize("status", [401, 403])
def test_invalid_credentials_give_a_clear_error_without_the_token(source, mock, caplog, status):
    mock.get(f"{API}shop.json", status=status, json={"errors": "[API] Invalid API key or access token"})
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConnectorError, match="Shopify refused the access token") as error:
        ShopifyConnector(source).check()
    assert TOKEN not in str(error.value) and TOKEN not in caplog.text


def test_the_message_is_in_the_language_of_the_person(source, mock):
    mock.get(f"{API}shop.json", status=401)
    with translation.override("fr"), pytest.raises(ConnectorError, match="Shopify a refusé le jeton d'accès"):
        ShopifyConnector(source).check()


def test_a_shop_that_does_not_exist(source, mock):
    mock.get(f"{API}shop.json", status=404, json={"errors": "Not Found"})
    with pytest.raises(ConnectorError, match=r"There is no Shopify shop at my-shop\.myshopify\.com"):
        ShopifyConnector(source).check()


def test_an_address_that_does_not_resolve(source, mock):
    mock.get(f"{API}shop.json", body=requests.exceptions.ConnectionError("Name or service not known"))
    with pytest.raises(ConnectorError, match=r"my-shop\.myshopify\.com cannot be reached"):
        ShopifyConnector(source).check()


def test_a_redirect_is_not_followed_with_the_token(source, mock):
    mock.get(f"{API}shop.json", status=301, headers={"Location": "https://elsewhere.example/admin"})
    with pytest.raises(ConnectorError, match=r"another address \(elsewhere.example\)"):
        ShopifyConnector(source).check()
    assert len(mock.calls) == 1


def test_missing_or_unreadable_credentials(source):
    source.credentials = {}
    with pytest.raises(ConnectorError, match="access token is missing"):
        ShopifyConnector(source).check()
    source.credentials_token = "not-a-fernet-token"
    with pytest.raises(ConnectorError, match="stored credentials cannot be read"):
        ShopifyConnector(source).check()


def test_shopifys_decimal_retry_after_is_honoured_by_the_real_retry(source, settings):
    """Shopify sends ``Retry-After: 2.0``; urllib3 alone would raise ``InvalidHeader`` instead of waiting."""
    assert ShopRetry().parse_retry_after("2.0") == 2.0
    assert ShopRetry().parse_retry_after("3") == 3

    def script(index, path):
        if index == 0:
            return 429, {"Retry-After": "0.05"}, b'{"errors": "Exceeded 2 calls per second"}'
        return 200, {}, b'{"shop": {"currency": "EUR"}}'

    with loopback_server(script) as (base_url, seen):
        source.base_url = base_url
        connector = ShopifyConnector(source)
        connector.check()
    assert connector.currency == "EUR" and len(seen) == 2


# End to end through the sync engine


def test_a_sync_writes_products_and_orders_and_a_resync_only_skips(source, shop):
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert (run.pages, run.created, run.updated, run.skipped) == (4, 7, 0, 0)
    assert Product.objects.filter(source=source).count() == 5
    assert Order.objects.filter(source=source).count() == 2 and OrderLine.objects.count() == 4
    assert Product.objects.get(external_id="808950810").currency == "GBP"
    line = OrderLine.objects.get(order__external_id="450789470")
    assert line.product == Product.objects.get(external_id="1001")  # by variant id
    source.refresh_from_db()
    assert source.status == SourceStatus.OK
    assert source.cursor == {"products": {"since": NEXT_SINCE}, "orders": {"since": NEXT_SINCE}}

    again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED
    assert (again.created, again.updated, again.skipped) == (0, 0, 7)
    assert shop.queries["orders"][-2] == {"limit": "250", "status": "any", "updated_at_min": NEXT_SINCE}
    assert Product.objects.count() == 5 and Order.objects.count() == 2 and OrderLine.objects.count() == 4


def test_a_sync_that_fails_on_page_2_keeps_page_1_and_resumes_there(source, shop):
    shop.failures[("orders", 2)] = [500] * 6
    first = source_sync(source=source, trigger="manual")
    assert first.status == SyncStatus.FAILED
    assert first.errors == [
        {
            "stream": "orders",
            "reason": "The shop at my-shop.myshopify.com kept failing (error 500), even after several attempts. "
            "The next sync will try again.",
        }
    ]
    assert (first.pages, first.created) == (3, 6)
    assert list(Order.objects.values_list("external_id", flat=True)) == ["450789469"]
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILING
    assert source.cursor["orders"] == {
        "page_info": "orders-2",
        "since": None,
        "started_at": "2026-11-23T10:00:00+00:00",
    }

    shop.queries.clear()
    second = source_sync(source=source, trigger="manual")
    assert second.status == SyncStatus.SUCCEEDED
    assert shop.queries["orders"] == [{"limit": "250", "page_info": "orders-2"}]
    assert (second.created, second.skipped) == (1, 5)  # the new order; the products read again are unchanged
    assert Order.objects.count() == 2
