"""Shopify on the GraphQL Admin API: the same money as the REST mapping, cursor pages, cost throttling,
the 60-day limit without read_all_orders, and the fault cases against a local server."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from connectors.models import DataSource, Order, Product, Refund, SyncStatus
from connectors.registry import connector_class
from connectors.shopify.connector import map_order
from connectors.shopify.graphql import ShopifyGraphQLConnector, order_fields, product_fields, throttle_wait
from connectors.sync import source_sync
from tests.journey.factories import SMEFactory

from .shopify_graphql_server import FakeShopifyGraphQL, cursor_of, shopify_server
from .test_money import SHOPIFY_ORDERS

pytestmark = pytest.mark.django_db


def bag(amount: str, presented: str | None = None, currency: str = "GBP") -> dict:
    """A ``MoneyBag``: the amount in the shop's currency and in the customer's."""
    return {
        "shopMoney": {"amount": amount, "currencyCode": "GBP"},
        "presentmentMoney": {"amount": presented or amount, "currencyCode": currency},
    }


def tax(amount: str, rate: float = 0.2, presented: str | None = None, currency: str = "GBP") -> dict:
    return {"rate": rate, "priceSet": bag(amount, presented, currency)}


# The three sales of test_money.py, as the GraphQL Admin API gives them.
GRAPHQL_ORDERS = [
    {
        "id": "gid://shopify/Order/1001", "legacyResourceId": "1001", "createdAt": "2026-03-10T10:00:00Z",
        "updatedAt": "2026-03-10T10:00:00Z", "cancelledAt": None, "displayFinancialStatus": "PAID",
        "displayFulfillmentStatus": "UNFULFILLED", "currencyCode": "GBP", "presentmentCurrencyCode": "GBP",
        "taxesIncluded": True, "sourceName": "web", "shippingAddress": {"countryCodeV2": "GB"}, "billingAddress": None,
        "totalTaxSet": bag("8.00"), "totalDiscountsSet": bag("6.00"), "subtotalPriceSet": bag("42.00"),
        "totalPriceSet": bag("48.00"), "currentTotalAdditionalFeesSet": None,
        "lineItems": {"nodes": [
            {"id": "gid://shopify/LineItem/11", "quantity": 2, "sku": "MUG", "name": "Mug",
             "variant": {"legacyResourceId": "501"}, "originalUnitPriceSet": bag("24.00"),
             "discountAllocations": [{"allocatedAmountSet": bag("6.00")}], "taxLines": [tax("7.00")]},
        ]},
        "shippingLines": {"nodes": [{"originalPriceSet": bag("6.00"), "taxLines": [tax("1.00")]}]},
        "refunds": [],
    },
    {
        "id": "gid://shopify/Order/1002", "legacyResourceId": "1002", "createdAt": "2026-03-20T10:00:00Z",
        "updatedAt": "2026-04-05T08:00:00Z", "cancelledAt": None, "displayFinancialStatus": "PARTIALLY_REFUNDED",
        "displayFulfillmentStatus": "FULFILLED", "currencyCode": "GBP", "presentmentCurrencyCode": "GBP",
        "taxesIncluded": False, "sourceName": "web", "shippingAddress": {"countryCodeV2": "GB"},
        "billingAddress": None, "totalTaxSet": bag("6.40"), "totalDiscountsSet": bag("0.00"),
        "subtotalPriceSet": bag("30.00"), "totalPriceSet": bag("38.40"),
        "currentTotalAdditionalFeesSet": bag("2.00"),
        "lineItems": {"nodes": [
            {"id": "gid://shopify/LineItem/21", "quantity": 3, "sku": "TEA", "name": "Tea",
             "variant": {"legacyResourceId": "502"}, "originalUnitPriceSet": bag("10.00"),
             "discountAllocations": [], "taxLines": [tax("6.00")]},
        ]},
        "shippingLines": {"nodes": []},
        "refunds": [
            {"id": "gid://shopify/Refund/71", "legacyResourceId": "71", "createdAt": "2026-04-05T08:00:00Z",
             "refundLineItems": {"nodes": [
                 {"quantity": 1, "restockType": "NO_RESTOCK", "lineItem": {"id": "gid://shopify/LineItem/21"},
                  "subtotalSet": bag("10.00"), "totalTaxSet": bag("2.00")}]},
             "orderAdjustments": {"nodes": []},
             "transactions": {"nodes": [{"kind": "REFUND", "status": "SUCCESS", "amountSet": bag("12.00")}]}},
        ],
    },
    {
        "id": "gid://shopify/Order/1003", "legacyResourceId": "1003", "createdAt": "2026-04-12T09:00:00Z",
        "updatedAt": "2026-05-03T08:00:00Z", "cancelledAt": None, "displayFinancialStatus": "PARTIALLY_REFUNDED",
        "displayFulfillmentStatus": "FULFILLED", "currencyCode": "GBP", "presentmentCurrencyCode": "EUR",
        "taxesIncluded": False, "sourceName": "web", "shippingAddress": {"countryCodeV2": "FR"},
        "billingAddress": None, "totalTaxSet": bag("8.50", "10.00", "EUR"), "totalDiscountsSet": bag("0.00"),
        "subtotalPriceSet": bag("42.50", "50.00", "EUR"), "totalPriceSet": bag("51.00", "60.00", "EUR"),
        "currentTotalAdditionalFeesSet": None,
        "lineItems": {"nodes": [
            {"id": "gid://shopify/LineItem/31", "quantity": 1, "sku": "SCARF", "name": "Scarf",
             "variant": {"legacyResourceId": "503"}, "originalUnitPriceSet": bag("42.50", "50.00", "EUR"),
             "discountAllocations": [], "taxLines": [tax("8.50", 0.2, "10.00", "EUR")]},
        ]},
        "shippingLines": {"nodes": []},
        "refunds": [
            {"id": "gid://shopify/Refund/72", "legacyResourceId": "72", "createdAt": "2026-05-03T08:00:00Z",
             "refundLineItems": {"nodes": [
                 {"quantity": 1, "restockType": "NO_RESTOCK", "lineItem": {"id": "gid://shopify/LineItem/31"},
                  "subtotalSet": bag("17.20", "20.00", "EUR"), "totalTaxSet": bag("3.44", "4.00", "EUR")}]},
             "orderAdjustments": {"nodes": []},
             "transactions": {"nodes": [
                 {"kind": "REFUND", "status": "SUCCESS", "amountSet": bag("20.64", "24.00", "EUR")}]}},
        ],
    },
]  # fmt: skip


def product_node(n: int, updated: str, *, cost: str | None = "8.00", quantity: int | None = 12) -> dict:
    return {
        "id": f"gid://shopify/Product/{n}", "legacyResourceId": str(n), "title": f"Mug {n}",
        "descriptionHtml": "<p>Hand-thrown &amp; glazed</p>", "vendor": "Harbour Pottery", "productType": "Mugs",
        "status": "ACTIVE", "updatedAt": updated,
        "media": {"nodes": [
            {"id": f"gid://shopify/MediaImage/{n}1",
             "image": {"url": f"https://cdn.example/{n}-a.jpg", "width": 1200, "height": 1200}},
            {"id": f"gid://shopify/MediaImage/{n}2",
             "image": {"url": f"https://cdn.example/{n}-b.jpg", "width": 800, "height": 800}},
            {"id": f"gid://shopify/Video/{n}3"},  # a video: not an image
        ]},
        "variants": {"nodes": [
            {"legacyResourceId": f"{n}01", "title": "Default Title", "sku": f"MUG-{n}", "price": "24.00",
             "barcode": "5012345678900", "inventoryQuantity": quantity,
             "media": {"nodes": [{"id": f"gid://shopify/MediaImage/{n}2"}]},
             "inventoryItem": {"legacyResourceId": f"{n}09", "tracked": True,
                               "unitCost": {"amount": cost, "currencyCode": "GBP"} if cost else None}},
        ]},
    }  # fmt: skip


def order_node(n: int, updated: str) -> dict:
    node = json.loads(json.dumps(GRAPHQL_ORDERS[0]))
    node.update(id=f"gid://shopify/Order/{n}", legacyResourceId=str(n), updatedAt=updated)
    return node


# --- the money mapping: the same records as from REST -----------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2])
def test_graphql_orders_give_the_same_records_as_rest(index):
    assert map_order(order_fields(GRAPHQL_ORDERS[index])) == map_order(SHOPIFY_ORDERS[index])


def test_the_refund_in_euros_keeps_its_currency_and_amounts():
    record = map_order(order_fields(GRAPHQL_ORDERS[2]))
    (refund,) = record.refund_records
    assert (refund.amount, refund.tax, refund.paid_amount, refund.paid_currency) == (
        Decimal("17.20"), Decimal("3.44"), Decimal("24.00"), "EUR"
    )  # fmt: skip
    assert record.presentment_currency == "EUR" and record.currency == "GBP" and record.customer_country == "FR"


def test_products_take_unit_cost_stock_and_the_variant_image_first():
    product, items = product_fields(product_node(7, "2026-03-01T00:00:00Z"))
    from connectors.shopify.connector import map_product

    (record,) = map_product(product, currency="GBP", items=items, levels={})
    assert (record.external_id, record.sku, record.title, record.unit_cost) == (
        "701",
        "MUG-7",
        "Mug 7",
        Decimal("8.00"),
    )
    assert record.stock_tracked and record.stock_quantity == 12 and record.description == "Hand-thrown & glazed"
    assert [image.url for image in record.images] == ["https://cdn.example/7-b.jpg", "https://cdn.example/7-a.jpg"]


def test_throttle_wait_from_the_cost_extension():
    cost = {"requestedQueryCost": 500, "throttleStatus": {"currentlyAvailable": 100.0, "restoreRate": 50.0}}
    assert throttle_wait(cost) == 8.0
    assert throttle_wait({"requestedQueryCost": 50, "throttleStatus": cost["throttleStatus"]}) == 0.0
    assert throttle_wait(None) == 0.0


# --- against the local server --------------------------------------------------------------------------------


@pytest.fixture
def shop():
    fake = FakeShopifyGraphQL()
    fake.products = [product_node(n, f"2026-03-{n:02}T00:00:00Z") for n in range(1, 6)]
    fake.orders = [order_node(1000 + n, f"2026-03-{n:02}T12:00:00Z") for n in range(1, 8)]
    return fake


@pytest.fixture
def served(shop, monkeypatch):
    monkeypatch.setattr("connectors.shopify.graphql.ORDERS_PER_PAGE", 3)
    monkeypatch.setattr("connectors.shopify.graphql.PAGE_SIZES", {"orders": 3, "products": 2})
    waits = []
    monkeypatch.setattr("connectors.shopify.graphql.time.sleep", waits.append)
    with shopify_server(shop) as base, override_settings(CONNECTORS_HTTP_TIMEOUT=(2, 0.5)):
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


def test_the_registry_syncs_shopify_over_graphql():
    assert connector_class("shopify") is ShopifyGraphQLConnector


def test_a_sync_pages_by_cursor_and_a_resync_reads_only_changes(served):
    source = shopify_source(served)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert counts(source) == (5, 7, 0) and run.pages == 3 + 3
    assert [v["after"] for root, v in served.seen if root == "orders"] == [None, cursor_of(3), cursor_of(6)]
    source.refresh_from_db()
    assert source.options["orders_last_60_days"] is False and source.options["currency"] == "GBP"
    since = source.cursor["orders"]["since"]
    served.seen.clear()
    served.orders[0]["updatedAt"] = "2099-01-01T00:00:00Z"
    again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED and again.created == 0
    queries = [v["query"] for root, v in served.seen if root == "orders"]
    assert queries == [f"updated_at:>='{since}'"]
    assert counts(source) == (5, 7, 0)


def test_without_read_all_orders_the_data_page_says_only_60_days_are_seen(client, served):
    from tests.journey.factories import SMEUserFactory

    served.scopes = ("read_products", "read_orders", "read_inventory")
    source = shopify_source(served)
    source_sync(source=source, trigger="manual")
    source.refresh_from_db()
    assert source.options["orders_last_60_days"] is True
    client.force_login(SMEUserFactory(sme=source.sme))
    page = client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()
    assert 'data-testid="orders-60-days"' in page and "read_all_orders" in page
    french = client.get(f"/fr/portal/smes/{source.sme.slug}/data/").content.decode()
    assert "60 derniers jours" in french


def test_a_throttled_query_waits_for_the_bucket_then_goes_on(served):
    served.available, served.cost, served.restore_rate = 120.0, 100, 50.0
    run = source_sync(source=shopify_source(served), trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert served.waits and all(wait > 0 for wait in served.waits)
    assert counts(run.source) == (5, 7, 0)


def test_a_bucket_that_never_refills_gives_a_clear_error(served):
    served.available, served.cost, served.restore_rate = 10.0, 100, 0.0
    run = source_sync(source=shopify_source(served), trigger="manual")
    assert run.status == SyncStatus.FAILED and "slow down" in run.errors[0]["reason"]


def test_a_429_and_a_500_are_retried(served):
    served.faults.append(lambda n, root: (429, {"Retry-After": "0.0"}, b'{"errors": "Throttled"}') if n == 2 else None)
    served.faults.append(lambda n, root: (500, {}, b'{"errors": "Internal"}') if n == 4 else None)
    run = source_sync(source=shopify_source(served), trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors


@pytest.mark.parametrize(
    "fault, message",
    [
        ((503, {}, b'{"errors": "Unavailable"}'), "kept failing (error 503)"),
        ((200, {}, b'{"data": {"orders": {"pageInfo": {"hasNextPage": tr'), "cut off"),
        ((401, {}, b'{"errors": "[API] Invalid API key or access token"}'), "refused the access token"),
    ],
)
def test_a_sync_that_dies_resumes_with_zero_lost_and_zero_duplicated(served, fault, message):
    source = shopify_source(served)
    state = {"on": True}
    # The second page of orders fails (every attempt) until the shop recovers.
    served.faults.append(
        lambda n, root: (
            fault
            if state["on"] and root == "orders" and sum(seen == "orders" for seen, _ in served.seen) == 1
            else None
        )
    )
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED and message in run.errors[0]["reason"], run.errors
    assert counts(source) == (5, 3, 0)
    state["on"] = False
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED and run.created == 4 and run.updated == 0
    assert counts(source) == (5, 7, 0)
    assert sorted(Order.objects.filter(source=source).values_list("external_id", flat=True)) == [
        str(1000 + n) for n in range(1, 8)
    ]


def test_an_expired_cursor_reads_the_runs_changes_again(served):
    source = shopify_source(served)
    source.cursor = {"orders": {"after": "expired-cursor", "since": None, "started_at": "2026-12-01T00:00:00+00:00"}}
    source.save()
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert counts(source) == (5, 7, 0)


def test_access_denied_is_said_in_the_users_language(served):
    denied = {"errors": [{"message": "Access denied for orders field.", "extensions": {"code": "ACCESS_DENIED"}}]}
    served.faults.append(lambda n, root: (200, {}, json.dumps(denied).encode()) if root == "orders" else None)
    with translation.override("fr"):
        run = source_sync(source=shopify_source(served), trigger="manual")
    assert run.status == SyncStatus.FAILED and "Shopify a refusé" in run.errors[0]["reason"]
