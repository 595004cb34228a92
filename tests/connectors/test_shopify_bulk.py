"""Shopify bulk operations: a first sync by ``bulkOperationRunQuery`` and its JSONL file, resumable,
restarted cleanly after a failed or expired operation, a cut-off download made again; zero lost and
zero duplicated orders, and the same money as the paged queries."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from connectors.models import DataSource, Order, OrderLine, Product, Refund, SyncStatus
from connectors.shopify import bulk
from connectors.sync import source_sync
from tests.journey.factories import SMEFactory

from .shopify_graphql_server import FakeShopifyGraphQL, shopify_server
from .test_shopify_graphql import GRAPHQL_ORDERS, order_node, product_node

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    fake = FakeShopifyGraphQL()
    fake.products = [product_node(n, f"2026-03-{n:02}T00:00:00Z") for n in range(1, 6)]
    fake.orders = [order_node(2000 + n, f"2026-03-{n:02}T12:00:00Z") for n in range(1, 8)]
    fake.orders += [dict(GRAPHQL_ORDERS[1]), dict(GRAPHQL_ORDERS[2])]  # two refunded orders, one in euros
    return fake


@pytest.fixture
def served(shop, monkeypatch):
    monkeypatch.setattr("connectors.shopify.bulk.RECORDS_PER_PAGE", 4)
    waits = []
    monkeypatch.setattr("connectors.shopify.graphql.time.sleep", waits.append)
    monkeypatch.setattr("connectors.shopify.bulk.time.sleep", waits.append)
    with (
        shopify_server(shop) as base,
        override_settings(
            CONNECTORS_HTTP_TIMEOUT=(2, 0.5), CONNECTORS_SHOPIFY_BULK=True, CONNECTORS_SHOPIFY_BULK_POLL_SECONDS=0.01
        ),
    ):
        shop.base_url, shop.waits = base, waits
        yield shop


def shopify_source(shop) -> DataSource:
    source = DataSource(sme=SMEFactory(), kind="shopify", base_url=shop.base_url)
    source.credentials = {"token": shop.token}
    source.save()
    return source


def counts(source) -> tuple[int, int, int]:
    return (
        Product.objects.filter(source=source).count(),
        Order.objects.filter(source=source).count(),
        Refund.objects.filter(order__source=source).count(),
    )


def roots(shop) -> list[str]:
    return [root for root, _ in shop.seen]


def order_ids(source) -> list[str]:
    return sorted(Order.objects.filter(source=source).values_list("external_id", flat=True))


EVERY_ORDER = sorted([str(2000 + n) for n in range(1, 8)] + ["1002", "1003"])


def test_bulk_operations_are_the_default_for_a_first_sync():
    from config.settings import base

    assert base.CONNECTORS_SHOPIFY_BULK is True
    assert bulk.wanted({}) is settings.CONNECTORS_SHOPIFY_BULK


def test_a_first_sync_reads_the_history_by_bulk_operation_then_pages_the_changes(served):
    source = shopify_source(served)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert counts(source) == (5, 9, 2)
    assert order_ids(source) == EVERY_ORDER
    assert [op["root"] for op in served.bulk_ops] == ["products", "orders"]
    # No paged query of orders or products: two bulk operations, their polls, and the refunded orders whole.
    assert "orders" not in roots(served) and "products" not in roots(served)
    assert roots(served).count("nodes") == 2  # two pages of orders hold a refunded one
    source.refresh_from_db()
    # The next sync starts (with the overlap) from when Shopify created the operation.
    assert source.cursor["orders"]["since"] < "2026-12-02T10:00:00+00:00"
    assert set(source.cursor["orders"]) == {"since"}
    served.seen.clear()
    with override_settings(CONNECTORS_SHOPIFY_BULK_AFTER_DAYS=10_000):
        again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED and again.created == 0
    assert "orders" in roots(served) and "bulkOperationRunQuery" not in roots(served)
    assert counts(source) == (5, 9, 2)


def test_bulk_gives_the_same_money_as_the_paged_queries(served):
    by_bulk = shopify_source(served)
    source_sync(source=by_bulk, trigger="manual")
    paged = shopify_source(served)
    with override_settings(CONNECTORS_SHOPIFY_BULK=False):
        source_sync(source=paged, trigger="manual")

    def money(source):
        orders = Order.objects.filter(source=source).order_by("external_id")
        return (
            [(o.external_id, o.status, o.currency, o.tax, o.discounts, o.shipping, o.customer_country) for o in orders]
            + [
                (r.order.external_id, r.amount, r.tax, r.currency, r.original_amount, r.refunded_at)
                for r in Refund.objects.filter(order__source=source).order_by("order__external_id")
            ]
            + sorted(
                (line.order.external_id, line.sku, line.quantity, line.unit_price)
                for line in OrderLine.objects.filter(order__source=source)
            )
        )

    assert money(by_bulk) == money(paged) and len(money(paged)) > 9
    products = [
        (p.external_id, p.sku, p.unit_cost, p.stock_quantity, p.title)
        for p in Product.objects.filter(source=by_bulk).order_by("external_id")
    ]
    assert products == [
        (p.external_id, p.sku, p.unit_cost, p.stock_quantity, p.title)
        for p in Product.objects.filter(source=paged).order_by("external_id")
    ]


def test_a_sync_that_dies_while_the_operation_runs_picks_up_the_same_operation(served):
    source = shopify_source(served)
    served.bulk_polls = 10**6  # the operation never ends while the first sync waits
    with override_settings(CONNECTORS_SHOPIFY_BULK_WAIT_SECONDS=0):
        run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED and "still preparing" in run.errors[0]["reason"]
    source.refresh_from_db()
    assert source.cursor["products"]["bulk"]["id"] == "gid://shopify/BulkOperation/0"
    served.bulk_polls = 0
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert [op["root"] for op in served.bulk_ops] == ["products", "orders"]  # not a second products operation
    assert counts(source) == (5, 9, 2) and order_ids(source) == EVERY_ORDER


def test_a_sync_that_dies_between_pages_goes_on_after_what_was_written(served):
    source = shopify_source(served)
    state = {"on": True}
    # The refunded orders' query fails (every attempt) after the first page of orders was written.
    unavailable = (503, {}, b'{"errors": "Unavailable"}')
    served.faults.append(lambda n, root: unavailable if state["on"] and root == "nodes" else None)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED, run.errors
    source.refresh_from_db()
    assert source.cursor["orders"]["bulk"]["done"] == 4 and counts(source) == (5, 4, 0)
    state["on"] = False
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert run.created == 5 and run.updated == 0
    assert counts(source) == (5, 9, 2) and order_ids(source) == EVERY_ORDER
    assert len(served.bulk_ops) == 2  # the same operation's file, downloaded again


@pytest.mark.parametrize("outcome", ["FAILED", "CANCELED", "EXPIRED"])
def test_a_failed_or_expired_operation_is_started_again_cleanly(served, outcome):
    served.bulk_outcomes = [outcome]
    source = shopify_source(served)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert [op["status"] for op in served.bulk_ops] == [outcome, "COMPLETED", "COMPLETED"]
    assert counts(source) == (5, 9, 2) and order_ids(source) == EVERY_ORDER


def test_an_operation_shopify_no_longer_knows_is_started_again(served):
    source = shopify_source(served)
    lost = {"id": "gid://shopify/BulkOperation/99", "started_at": "2026-12-01T00:00:00+00:00", "done": 0}
    source.cursor = {"products": {"bulk": lost}}
    source.save()
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert counts(source) == (5, 9, 2)


def test_a_file_no_longer_served_starts_a_new_operation(served):
    served.expired_files = {0}
    source = shopify_source(served)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert len(served.bulk_ops) == 3 and counts(source) == (5, 9, 2)


def test_a_cut_off_download_is_made_again(served):
    served.download_faults.append(lambda n, number: served.jsonl(number)[:300] if n == 0 else None)
    source = shopify_source(served)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert served.downloads == 3 and counts(source) == (5, 9, 2)


def test_a_download_cut_off_every_time_fails_clearly_and_the_next_sync_resumes(served):
    state = {"on": True}
    served.download_faults.append(lambda n, number: served.jsonl(number)[:-5] if state["on"] else None)
    source = shopify_source(served)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED and "downloaded whole" in run.errors[0]["reason"]
    assert served.downloads == bulk.DOWNLOAD_TRIES and counts(source) == (0, 0, 0)
    state["on"] = False
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED and counts(source) == (5, 9, 2)
    assert len(served.bulk_ops) == 2


def test_a_long_unsynced_history_reads_by_bulk_from_its_starting_point(served):
    source = shopify_source(served)
    long_ago = (timezone.now() - datetime.timedelta(days=400)).isoformat()
    recent = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    source.cursor = {"orders": {"since": long_ago}, "products": {"since": recent}}
    source.save()
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert [(op["root"], op["since"]) for op in served.bulk_ops] == [("orders", long_ago)]
    assert "products" in roots(served)  # a recent starting point: paged


def test_the_jsonl_file_is_put_back_together_whatever_the_order_of_its_lines():
    lines = [
        '{"id": "gid://shopify/Product/1", "title": "Mug"}',
        '{"id": "gid://shopify/Product/2", "title": "Cup"}',
        '{"id": "gid://shopify/ProductVariant/21", "sku": "CUP", "__parentId": "gid://shopify/Product/2"}',
        '{"id": "gid://shopify/MediaImage/5", "__parentId": "gid://shopify/ProductVariant/21"}',
        '{"id": "gid://shopify/MediaImage/4", "__parentId": "gid://shopify/Product/1"}',
    ]
    mug, cup = bulk.assemble(iter(lines))
    assert mug["media"] == {"nodes": [{"id": "gid://shopify/MediaImage/4"}]} and "variants" not in mug
    (variant,) = cup["variants"]["nodes"]
    assert variant["sku"] == "CUP" and variant["media"]["nodes"] == [{"id": "gid://shopify/MediaImage/5"}]
    with pytest.raises(ValueError):
        bulk.assemble(iter(['{"id": "gid://shopify/LineItem/1", "__parentId": "gid://shopify/Order/9"}']))


def test_the_bulk_query_keeps_to_shopifys_limits():
    for stream in ("orders", "products"):
        query = bulk.bulk_query(stream, None)
        assert query.count("edges") <= 5 and "first:" not in query
