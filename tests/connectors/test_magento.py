"""The Magento 2 connector against a local REST API answering as the Magento 2 REST reference documents."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from connectors.base import ConnectorError
from connectors.magento.connector import MagentoConnector
from connectors.models import DataSource, Order, OrderLine, Product, Refund, SyncStatus
from connectors.restapi import next_since
from connectors.sync import source_sync
from tests.journey.factories import SMEFactory

from .loopback import loopback_server
from .magento_fake import TOKEN, FakeMagento


@pytest.fixture
def fake():
    return FakeMagento()


@pytest.fixture
def shop(fake):
    with loopback_server(fake, headers_seen=fake.headers_seen) as (base_url, _):
        yield base_url


@pytest.fixture
def source(db, shop):
    source = DataSource(sme=SMEFactory(), kind="magento", base_url=shop)
    source.credentials = {"token": TOKEN}
    source.save()
    return source


def read(source, stream, cursor=None, page_size=2):
    connector = MagentoConnector(source)
    connector.page_size = page_size
    return list(connector.pages(stream, cursor))


def records(pages):
    return [record for page in pages for record in page.records]


def test_check_sends_the_bearer_token_and_remembers_the_base_currency(source, fake):
    MagentoConnector(source).check()
    assert fake.headers_seen[0]["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(fake.queries)
    source.refresh_from_db()
    assert source.options["currency"] == "GBP"


def test_a_wrong_token_or_a_missing_permission_is_said_plainly(source, fake):
    fake.denied.add("orders")
    with pytest.raises(ConnectorError, match="the integration may read sales, products and inventory"):
        MagentoConnector(source).check()


def test_no_magento_2_at_the_address(source, fake):
    fake.data.pop("products")
    with pytest.raises(ConnectorError, match="There is no Magento shop at 127"):
        MagentoConnector(source).check()


def test_orders_in_base_currency_with_credit_memos_and_countries(source):
    first, euros, cancelled = records(read(source, "orders"))
    assert first.placed_at == datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)
    assert (first.currency, first.customer_country, first.status, first.channel) == (
        "GBP",
        "GB",
        "completed",
        "Default Store View",
    )
    assert (first.tax, first.discounts, first.shipping, first.shipping_tax) == (
        Decimal("8.0"),
        Decimal("5.0"),
        Decimal("5.0"),
        Decimal("1.0"),
    )
    (line,) = first.lines
    assert (line.line_key, line.quantity, line.unit_price, line.tax, line.sku) == (
        "11",
        2,
        Decimal("20.0"),
        Decimal("7.0"),
        "KNIT-HAT",
    )
    # A configurable's child item repeats its parent's line: only the parent is kept.
    assert [line.line_key for line in euros.lines] == ["21"]
    assert (euros.currency, euros.presentment_currency, euros.customer_country) == ("GBP", "EUR", "FR")
    (memo,) = euros.refund_records
    assert (memo.external_id, memo.amount, memo.tax) == ("7", Decimal("10.00"), Decimal("2.00"))
    assert memo.refunded_at == datetime.datetime(2026, 4, 5, 8, 0, tzinfo=datetime.UTC)
    assert memo.restocked == [{"line_key": "21", "quantity": 1}]
    assert cancelled.status == "cancelled"


def test_products_take_their_stock_from_msi_source_items_or_else_their_stock_item(source, fake):
    hat, scarf = records(read(source, "products"))
    assert (hat.sku, hat.stock_quantity, hat.unit_cost, hat.status) == ("KNIT-HAT", 17, Decimal("8.0000"), "active")
    assert hat.description == "Hebridean wool."
    assert hat.images[0].url.endswith("/media/catalog/product/k/n/knit-hat.jpg")
    assert (scarf.status, scarf.stock_quantity) == ("draft", 0)  # no source item for it: its stock item
    fake.msi = False
    hat, scarf = records(read(source, "products"))
    assert (hat.stock_quantity, scarf.stock_quantity) == (3, 0)


def test_pages_go_past_the_last_id_never_by_page_number(source, fake):
    pages = read(source, "orders")
    assert [[r.external_id for r in page.records] for page in pages] == [["1", "2"], ["3"]]
    queries = fake.queries["orders"]
    key = "searchCriteria[filter_groups][0][filters][0]"
    assert [(q[f"{key}[field]"], q[f"{key}[condition_type]"], q[f"{key}[value]"]) for q in queries] == [
        ("entity_id", "gt", "0"),
        ("entity_id", "gt", "2"),
    ]
    assert all(q["searchCriteria[currentPage]"] == "1" for q in queries)
    assert pages[-1].cursor == {"since": next_since(pages[0].cursor["started_at"])}


def test_the_next_run_asks_for_what_changed(source, fake):
    pages = read(source, "orders", {"since": "2026-04-01T09:10:00+00:00"})
    key = "searchCriteria[filter_groups][1][filters][0]"
    query = fake.queries["orders"][0]
    assert (query[f"{key}[field]"], query[f"{key}[condition_type]"], query[f"{key}[value]"]) == (
        "updated_at",
        "gteq",
        "2026-04-01 09:10:00",
    )
    assert [r.external_id for r in records(pages)] == ["2", "3"]


def test_429_and_5xx_are_retried_truncated_json_is_not_written(source, fake):
    fake.failures[("orders", 1)] = [429, 503]
    assert len(records(read(source, "orders"))) == 3
    fake.failures[("products", 1)] = ["truncated"]
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        read(source, "products")


def test_a_sync_that_dies_resumes_without_loss_or_duplicate(source, fake, monkeypatch):
    original = MagentoConnector.__init__

    def small_pages(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.page_size = 1

    monkeypatch.setattr(MagentoConnector, "__init__", small_pages)
    fake.failures[("orders", 4)] = [500] * 6  # the check reads orders once, then pages 1 and 2 pass
    first = source_sync(source=source, trigger="manual")
    assert first.status == SyncStatus.FAILED
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["1", "2"]
    second = source_sync(source=source, trigger="manual")
    assert second.status == SyncStatus.SUCCEEDED, second.errors
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["1", "2", "3"]
    assert OrderLine.objects.count() == 3 and Refund.objects.count() == 1 and Product.objects.count() == 2
    third = source_sync(source=source, trigger="manual")
    assert third.status == SyncStatus.SUCCEEDED and third.created == 0
