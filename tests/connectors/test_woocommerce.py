"""The WooCommerce connector against the REST API v3 documentation's sample answers.

fixtures/woocommerce_v3_*.json come from woocommerce/woocommerce-rest-api-docs (Apache-2.0,
WOOCOMMERCE_DOCS_LICENSE.txt).
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import time
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from connectors.base import ConnectorError
from connectors.models import DataSource, Order, OrderLine, Product, SourceStatus, SyncStatus
from connectors.sync import source_sync
from connectors.woocommerce.connector import ORDER_STATUSES, WooCommerceConnector
from tests.journey.factories import SMEFactory

from .loopback import loopback_server
from .woocommerce_fake import API, KEY, SECRET, SHOP, FakeWooCommerce, fixture, order_pages

NEXT_SINCE = "2026-11-23T09:59:00+00:00"


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    """Two records a page, so the sample data spans a few pages."""
    monkeypatch.setattr("connectors.woocommerce.connector.PAGE_SIZE", 2)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def shop(mock):
    products = fixture("woocommerce_v3_products_list.json")
    return FakeWooCommerce(mock, {"products": [products], "orders": order_pages()})


@pytest.fixture
def source(db):
    source = DataSource(sme=SMEFactory(), kind="woocommerce", base_url=SHOP, options={"currency": "USD"})
    source.credentials = {"key": KEY, "secret": SECRET}
    source.save()
    return source


def read(connector, stream, cursor=None):
    return list(connector.pages(stream, cursor))


# Authentication and mapping


def test_check_authenticates_with_basic_auth_over_https(source, shop):
    WooCommerceConnector(source).check()
    assert shop.queries["products"] == [{"per_page": "1"}]
    assert shop.auth == ["Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()]


def test_plain_http_is_refused_except_for_a_test_server_on_this_machine(source):
    source.base_url = "http://www.my-shop.fr"
    with pytest.raises(ConnectorError, match="https://"):
        WooCommerceConnector(source).check()

    def script(index, path):
        return 200, {"X-WP-TotalPages": "0"}, b"[]"

    headers = []
    with loopback_server(script, headers_seen=headers) as (base_url, seen):
        source.base_url = base_url
        WooCommerceConnector(source).check()
    # Even to the test server the key goes in the Authorization header, never in the URL.
    assert KEY not in seen[0] and SECRET not in seen[0]
    assert headers[0]["Authorization"] == "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()


def test_products_map_names_prices_images_stock_status_and_categories(source, shop):
    (page,) = read(WooCommerceConnector(source), "products")
    premium, idea = page.records  # in id order
    assert (idea.external_id, idea.title) == ("799", "Ship Your Idea")
    assert idea.price is None  # the sample's empty price
    assert premium.price == Decimal("21.99") and premium.currency == "USD"
    assert idea.description.startswith("Pellentesque habitant morbi tristique")
    assert "<p>" not in idea.description
    assert [image.url.rsplit("/", 1)[-1] for image in idea.images] == [
        "T_4_front-11.jpg",
        "T_4_back-10.jpg",
        "T_3_front-10.jpg",
        "T_3_back-10.jpg",
    ]
    assert idea.images[0].width is None
    assert (idea.stock_tracked, idea.stock_quantity) == (False, None)
    assert (idea.status, idea.category) == ("active", "Clothing, T-shirts")


@pytest.mark.parametrize(
    ("status", "ours"), [("publish", "active"), ("draft", "draft"), ("pending", "draft"), ("private", "draft")]
)
def test_product_statuses_and_tracked_stock(source, mock, status, ours):
    product = {"id": 5, "name": "Mug", "status": status, "price": "9.5", "manage_stock": True, "stock_quantity": 7}
    FakeWooCommerce(mock, {"products": [[product]]})
    (record,) = read(WooCommerceConnector(source), "products")[0].records
    assert (record.status, record.stock_tracked, record.stock_quantity, record.price) == (ours, True, 7, Decimal("9.5"))


def test_orders_map_lines_money_country_status_and_channel(source, shop):
    records = [record for page in read(WooCommerceConnector(source), "orders") for record in page.records]
    refunded, order, with_fee, cancelled = records  # in id order: 723, 727, 730, 731
    assert order.external_id == "727"
    assert order.placed_at == datetime.datetime(2017, 3, 22, 19, 28, 2, tzinfo=datetime.UTC)  # date_created_gmt
    assert (order.status, order.channel, order.customer_country, order.currency) == (
        "completed",
        "rest-api",
        "US",
        "USD",
    )
    assert (order.discounts, order.shipping, order.refunds, order.fees) == (Decimal("0.00"), Decimal("10.00"), 0, 0)
    assert [(line.line_key, line.quantity, line.unit_price, line.sku) for line in order.lines] == [
        ("315", 2, Decimal("3.00"), ""),
        ("316", 1, Decimal("12.00"), "Bar3"),
    ]
    assert order.lines[1].description == "Ship Your Idea – Color: Black, Size: M Test"
    # Lines link to the WooCommerce product (our products are not variations).
    assert [line.product_external_id for line in order.lines] == ["93", "22"]

    assert (refunded.channel, refunded.customer_country) == ("checkout", "BR")
    # Two refunds of -10.00 and -9.00 on an order without tax, known only by the order's summary:
    # dated at the order's last change.
    assert [(r.amount, r.tax) for r in refunded.refund_records] == [
        (Decimal("10.00"), Decimal("0.00")),
        (Decimal("9.00"), Decimal("0.00")),
    ]
    assert {r.refunded_at for r in refunded.refund_records} == {
        datetime.datetime(2017, 3, 21, 19, 54, 51, tzinfo=datetime.UTC)
    }

    # Fee lines are what the customer paid (gift wrap): revenue, not the shop's costs.
    assert (with_fee.status, with_fee.customer_fees, with_fee.fees, with_fee.discounts) == (
        "pending",
        Decimal("4.25"),
        0,
        Decimal("2.50"),
    )
    assert with_fee.customer_country == "US"  # no shipping country: the billing one
    assert cancelled.status == "cancelled"


def test_order_statuses():
    assert {status: ORDER_STATUSES[status] for status in ("processing", "completed", "on-hold", "pending")} == {
        "processing": "completed",
        "completed": "completed",
        "on-hold": "pending",
        "pending": "pending",
    }
    assert (ORDER_STATUSES["cancelled"], ORDER_STATUSES["refunded"], ORDER_STATUSES["failed"]) == (
        "cancelled",
        "refunded",
        "cancelled",
    )


# Pagination, cursors, incremental syncs


def ids(pages) -> list[list[str]]:
    return [[record.external_id for record in page.records] for page in pages]


def test_a_listing_is_read_by_offset_with_one_record_of_overlap(source, shop):
    pages = read(WooCommerceConnector(source), "orders")
    assert [params["offset"] for params in shop.queries["orders"]] == ["0", "1", "2"]
    assert shop.queries["orders"][0] == {"per_page": "2", "orderby": "id", "order": "asc", "offset": "0"}
    assert ids(pages) == [["723", "727"], ["730"], ["731"]]  # the overlap is read, never written twice
    started = "2026-11-23T10:00:00+00:00"
    assert [page.cursor for page in pages] == [
        {"after_id": 727, "offset": 2, "since": None, "started_at": started},
        {"after_id": 730, "offset": 3, "since": None, "started_at": started},
        {"since": NEXT_SINCE},
    ]
    assert [page.pages_expected for page in pages] == [3, 3, 3]


def test_the_next_sync_only_asks_for_what_changed(source, shop):
    connector = WooCommerceConnector(source)
    *_, last = read(connector, "orders")
    read(connector, "orders", last.cursor)
    assert shop.queries["orders"][3] == {
        "per_page": "2",
        "orderby": "id",
        "order": "asc",
        "modified_after": "2026-11-23T09:59:00",
        "dates_are_gmt": "true",
        "offset": "0",
    }


def test_a_run_resumes_from_a_saved_mid_stream_cursor(source, shop):
    cursor = {"after_id": 727, "offset": 2, "since": "2026-01-01T00:00:00+00:00", "started_at": "2026-11-22T08:00Z"}
    pages = read(WooCommerceConnector(source), "orders", cursor)
    query = shop.queries["orders"][0]
    assert (query["offset"], query["modified_after"]) == ("1", "2026-01-01T00:00:00")
    assert ids(pages) == [["730"], ["731"]]
    assert pages[0].pages_expected == 2  # two pages left of the three
    assert pages[-1].cursor == {"since": "2026-11-22T07:59:00+00:00"}


def test_records_deleted_before_our_place_make_the_read_step_back_and_skip_nothing(source, shop):
    """Numbered pages would skip a record per deletion (issue 14, item 7): 730 and 731 here."""
    connector = WooCommerceConnector(source)
    listing = connector.pages("orders", None)
    first = next(listing)
    shop.pages["orders"] = [[order for page in shop.pages["orders"] for order in page if order["id"] > 727]]
    rest = list(listing)
    assert ids([first, *rest]) == [["723", "727"], ["730", "731"]]
    assert [params["offset"] for params in shop.queries["orders"]] == ["0", "1", "0"]  # stepped back


def test_a_cursor_of_the_numbered_pages_version_reads_its_run_again(source, shop):
    cursor = {"page": 3, "since": "2026-01-01T00:00:00+00:00", "started_at": "2026-11-22T08:00:00+00:00"}
    pages = read(WooCommerceConnector(source), "orders", cursor)
    assert [query["offset"] for query in shop.queries["orders"]] == ["0", "1", "2"]
    assert ids(pages) == [["723", "727"], ["730"], ["731"]]
    assert pages[-1].cursor == {"since": "2026-11-22T07:59:00+00:00"}


def test_an_empty_stream_still_moves_the_starting_point(source, mock):
    FakeWooCommerce(mock, {})
    (page,) = read(WooCommerceConnector(source), "orders")
    assert (page.records, page.cursor, page.pages_expected) == ([], {"since": NEXT_SINCE}, 1)


# Retries and failures


def test_a_429_is_retried(source, shop):
    shop.failures[("orders", 2)] = [429]
    assert len(read(WooCommerceConnector(source), "orders")) == 3
    assert len(shop.queries["orders"]) == 4


def test_a_500_is_retried(source, shop):
    shop.failures[("orders", 1)] = [500, 502]
    assert len(read(WooCommerceConnector(source), "orders")) == 3


def test_a_shop_that_keeps_failing_gives_a_clear_error(source, shop):
    shop.failures[("products", 1)] = [503] * 10
    with pytest.raises(ConnectorError, match=r"www\.my-shop\.fr kept failing \(error 503\)"):
        read(WooCommerceConnector(source), "products")


@pytest.mark.parametrize("timeout", [requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout])
def test_a_timeout_gives_a_clear_error(source, shop, timeout):
    shop.failures[("products", 1)] = [timeout("timed out")]
    with pytest.raises(ConnectorError, match="did not answer in time, even after several attempts"):
        WooCommerceConnector(source).check()


def test_a_server_that_never_answers_in_time_is_retried_then_reported(source, settings):
    """Through a real socket: urllib3 retries the read timeouts, then the connector says so."""
    settings.CONNECTORS_HTTP_TIMEOUT = (2, 0.05)

    def script(index, path):
        time.sleep(0.3)
        return 200, {}, b"[]"

    with loopback_server(script) as (base_url, seen):
        source.base_url = base_url
        with pytest.raises(ConnectorError, match="did not answer in time") as error:
            WooCommerceConnector(source).check()
        assert len(seen) == 6  # the first call and five retries
    assert KEY not in str(error.value) and SECRET not in str(error.value)


def test_truncated_json_gives_a_clear_error(source, mock):
    mock.get(f"{API}orders", body='[{"id": 727, "status": "process', headers={"X-WP-TotalPages": "1"})
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        read(WooCommerceConnector(source), "orders")


def test_an_html_page_instead_of_json_gives_the_same_error(source, mock):
    mock.get(f"{API}products", body="<html><body>Maintenance</body></html>", content_type="text/html")
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        WooCommerceConnector(source).check()


def test_invalid_credentials_give_a_clear_error_without_the_key(source, mock, caplog):
    mock.get(
        f"{API}products",
        status=401,
        json={"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.", "data": {}},
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConnectorError, match="WooCommerce refused the consumer key and secret") as error:
        WooCommerceConnector(source).check()
    for secret in (KEY, SECRET):
        assert secret not in str(error.value) and secret not in caplog.text


def test_a_site_without_woocommerce(source, mock):
    mock.get(f"{API}products", status=404, json={"code": "rest_no_route"})
    with pytest.raises(ConnectorError, match=r"There is no WooCommerce shop at www\.my-shop\.fr"):
        WooCommerceConnector(source).check()


def test_a_shop_that_cannot_be_reached(source, mock):
    mock.get(f"{API}products", body=requests.exceptions.ConnectionError("Failed to resolve 'www.my-shop.fr'"))
    with pytest.raises(ConnectorError, match=r"www\.my-shop\.fr cannot be reached"):
        WooCommerceConnector(source).check()


def test_missing_credentials(source):
    source.credentials = {"key": KEY}
    with pytest.raises(ConnectorError, match="consumer key or secret is missing"):
        WooCommerceConnector(source).check()


# End to end through the sync engine


def test_a_sync_writes_products_and_orders_and_a_resync_only_skips(source, shop):
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert (run.pages, run.pages_expected, run.created, run.updated, run.skipped) == (4, 4, 6, 0, 0)
    assert Product.objects.filter(source=source).count() == 2 and Order.objects.filter(source=source).count() == 4
    assert OrderLine.objects.count() == 8
    assert Product.objects.get(external_id="799").price is None
    source.refresh_from_db()
    assert source.status == SourceStatus.OK
    assert source.cursor == {"products": {"since": NEXT_SINCE}, "orders": {"since": NEXT_SINCE}}

    again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED
    assert (again.created, again.updated, again.skipped) == (0, 0, 6)
    assert shop.queries["orders"][-3]["modified_after"] == "2026-11-23T09:59:00"
    assert Product.objects.count() == 2 and Order.objects.count() == 4 and OrderLine.objects.count() == 8


def test_a_sync_that_fails_on_page_2_keeps_page_1_and_resumes_there(source, shop):
    shop.failures[("orders", 2)] = [500] * 6
    first = source_sync(source=source, trigger="manual")
    assert first.status == SyncStatus.FAILED
    assert first.errors[0]["stream"] == "orders" and "kept failing (error 500)" in first.errors[0]["reason"]
    assert (first.pages, first.created) == (2, 4)
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["723", "727"]
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILING
    assert source.cursor["orders"] == {
        "after_id": 727,
        "offset": 2,
        "since": None,
        "started_at": "2026-11-23T10:00:00+00:00",
    }

    shop.queries.clear()
    second = source_sync(source=source, trigger="manual")
    assert second.status == SyncStatus.SUCCEEDED
    assert [query["offset"] for query in shop.queries["orders"]] == ["1", "2"]
    assert "modified_after" not in shop.queries["orders"][0]  # still the first, full read
    assert (second.created, second.skipped) == (2, 2)  # the two products re-read; no order twice
    assert second.pages_expected == 1 + 2  # products, then the two orders pages left
    assert Order.objects.count() == 4


def test_a_sync_during_deletions_and_insertions_loses_nothing_and_writes_nothing_twice(source, monkeypatch):
    """A real socket, WooCommerce's page size: after each page, three orders already read are deleted
    (every later one moves back three places) and two new ones are placed; issue 14, item 7."""
    import threading

    monkeypatch.setattr("connectors.woocommerce.connector.PAGE_SIZE", 100)

    def order(n):
        # In the shop's own currency (the source's), so no exchange rate is needed.
        return {"id": n, "date_created_gmt": "2026-01-01T10:00:00", "status": "completed", "currency": "USD"}

    store = {n: order(n) for n in range(1, 451)}
    lock, mutations = threading.Lock(), [0]

    def script(index, path):
        params = dict(parse_qsl(urlsplit(path).query))
        if "/orders" not in path:
            return 200, {"X-WP-Total": "0"}, b"[]"
        with lock:
            listing = [store[key] for key in sorted(store)]
            per_page = int(params["per_page"])
            offset = int(params.get("offset", (int(params.get("page", 1)) - 1) * per_page))
            body = listing[offset : offset + per_page]
            total = len(listing)
            if body and mutations[0] < 6:
                mutations[0] += 1
                for victim in [key for key in sorted(store) if key <= body[-1]["id"]][:3]:
                    del store[victim]
                for _ in range(2):
                    new = max(store) + 1
                    store[new] = order(new)
        return 200, {"X-WP-Total": str(total), "X-WP-TotalPages": str(-(-total // per_page))}, json.dumps(body).encode()

    with loopback_server(script) as (base_url, _):
        source.base_url = base_url
        source.save()
        run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    written = set(Order.objects.filter(source=source).values_list("external_id", flat=True))
    assert {str(key) for key in store} <= written  # zero lost
    assert run.created == len(written) and run.updated == run.skipped == 0  # zero written twice
