"""Shopify on the GraphQL Admin API: orders, products, variants and inventory items, paged by cursor.

One POST to ``/admin/api/{version}/graphql.json`` per page, with the access token header.
Shopify limits GraphQL by *cost*: every answer's ``extensions.cost`` gives the query's
``requestedQueryCost``, ``actualQueryCost`` and ``throttleStatus`` (``maximumAvailable``,
``currentlyAvailable``, ``restoreRate`` points a second). Before each query the client waits
until the bucket holds the points the previous one asked for; a query refused with the error
code ``THROTTLED`` (HTTP 200) is made again once the bucket has refilled, at most
``THROTTLE_RETRIES`` times. HTTP 429 and 5xx are retried by ``connectors.http`` (the POST only
reads).

Orders and products come in ``UPDATED_AT`` order, filtered by ``updated_at:>=`` the run's
starting point; the cursor saved after each page is Shopify's ``endCursor``. The answers are
turned into the field names the money mapping of ``connectors.shopify.connector`` reads
(``*_set.shop_money``, ``taxes_included``, refunds with their transactions), so every amount
goes through the same rules as before: the shop's currency, tax taken out, refunds dated.

A first sync, or one whose last starting point is long past, reads by bulk operation instead
(``connectors.shopify.bulk``).

Without the ``read_all_orders`` scope Shopify shows an app only the last 60 days of orders;
the check reads the app's scopes and records it in the source's options
(``orders_last_60_days``), which the data page states plainly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import http
from ..base import ConnectField, Connector, ConnectorError
from ..records import Page
from ..restapi import AccessRefused, RequestRefused, ShopClient, next_since, server_time
from .connector import map_order, map_product, shop_token, text

logger = logging.getLogger(__name__)

API_VERSION = "2026-10"  # supported until October 2027 (Shopify keeps each version for twelve months)
ORDERS_PER_PAGE = 25
PRODUCTS_PER_PAGE = 50
THROTTLE_RETRIES = 5

MONEY = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }"
ORDER_FIELDS = f"""
  id legacyResourceId createdAt updatedAt cancelledAt
  displayFinancialStatus displayFulfillmentStatus
  currencyCode presentmentCurrencyCode taxesIncluded sourceName
  shippingAddress {{ countryCodeV2 }} billingAddress {{ countryCodeV2 }}
  totalTaxSet {{ {MONEY} }} totalDiscountsSet {{ {MONEY} }} subtotalPriceSet {{ {MONEY} }}
  totalPriceSet {{ {MONEY} }} currentTotalAdditionalFeesSet {{ {MONEY} }}
  lineItems(first: 100) {{ nodes {{
    id quantity sku name variant {{ legacyResourceId }}
    originalUnitPriceSet {{ {MONEY} }}
    discountAllocations {{ allocatedAmountSet {{ {MONEY} }} }}
    taxLines {{ rate priceSet {{ {MONEY} }} }}
  }} }}
  shippingLines(first: 10) {{ nodes {{ originalPriceSet {{ {MONEY} }} taxLines {{ rate priceSet {{ {MONEY} }} }} }} }}
  refunds(first: 20) {{
    id legacyResourceId createdAt
    refundLineItems(first: 100) {{ nodes {{
      quantity restockType lineItem {{ id }} subtotalSet {{ {MONEY} }} totalTaxSet {{ {MONEY} }}
    }} }}
    orderAdjustments(first: 10) {{ nodes {{ amountSet {{ {MONEY} }} taxAmountSet {{ {MONEY} }} }} }}
    transactions(first: 10) {{ nodes {{ kind status amountSet {{ {MONEY} }} }} }}
  }}
"""
PRODUCT_FIELDS = """
  id legacyResourceId title descriptionHtml vendor productType status updatedAt
  media(first: 20) { nodes { id ... on MediaImage { image { url width height } } } }
  variants(first: 100) { nodes {
    legacyResourceId title sku price barcode inventoryQuantity
    media(first: 1) { nodes { id } }
    inventoryItem { legacyResourceId tracked unitCost { amount currencyCode } }
  } }
"""
QUERIES = {
    "orders": "query Orders($first: Int!, $after: String, $query: String) {"
    " orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
    f" pageInfo {{ hasNextPage endCursor }} nodes {{ {ORDER_FIELDS} }} }} }}",
    "products": "query Products($first: Int!, $after: String, $query: String) {"
    " products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
    f" pageInfo {{ hasNextPage endCursor }} nodes {{ {PRODUCT_FIELDS} }} }} }}",
}
# With the read_customers scope only (``check`` records it): the customer's id, kept as a pseudonymous key.
QUERIES["orders_with_customer"] = QUERIES["orders"].replace(
    " id legacyResourceId createdAt", " id legacyResourceId createdAt customer { legacyResourceId }", 1
)
SHOP_QUERY = "query Shop { shop { name currencyCode } currentAppInstallation { accessScopes { handle } } }"
PAGE_SIZES = {"orders": ORDERS_PER_PAGE, "products": PRODUCTS_PER_PAGE}


class Throttled(ConnectorError):
    """Shopify kept refusing the query for its cost, even after waiting for the bucket."""


def throttle_wait(cost: dict | None, needed: float | None = None) -> float:
    """Seconds until the bucket holds ``needed`` points (default: what the last query asked for)."""
    status = (cost or {}).get("throttleStatus") or {}
    try:
        available = float(status["currentlyAvailable"])
        rate = float(status["restoreRate"])
        needed = float(needed if needed is not None else cost.get("requestedQueryCost") or 0)
    except (KeyError, TypeError, ValueError):
        return 0.0
    if rate <= 0 or available >= needed:
        return 0.0
    return (needed - available) / rate


class ShopifyGraphQLClient(ShopClient):
    platform = "Shopify"

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        api_version: str = API_VERSION,
        sleep: Callable[[float], Any] | None = None,
        session: requests.Session | None = None,
    ):
        session = session or http.session(retry_methods=frozenset({"GET", "HEAD", "POST"}))
        super().__init__(base_url=base_url, session=session)
        self.url = f"{self.base_url}/admin/api/{api_version}/graphql.json"
        self.http.headers["X-Shopify-Access-Token"] = token
        self.http.headers["Accept"] = "application/json"
        self.sleep = sleep or time.sleep
        self.cost: dict | None = None  # the last answer's extensions.cost

    def refused_message(self) -> str:
        return gettext(
            "Shopify refused the access token. Please check it, and that the app may read products, "
            "orders and inventory."
        )

    def query(self, query: str, variables: dict | None = None) -> tuple[dict, requests.Response]:
        """The ``data`` of a query, waiting for the cost bucket as Shopify asks; ``ConnectorError`` otherwise."""
        for _attempt in range(THROTTLE_RETRIES + 1):
            wait = throttle_wait(self.cost)
            if wait > 0:
                logger.info("Shopify at %s: cost bucket low, waiting %.1f s", self.address, wait)
                self.sleep(wait)
            answer, response = self.post(self.url, {"query": query, "variables": variables or {}})
            if not isinstance(answer, dict):
                raise self.unexpected_answer()
            self.cost = (answer.get("extensions") or {}).get("cost") or None
            errors = answer.get("errors") or []
            codes = {((error or {}).get("extensions") or {}).get("code") for error in errors if isinstance(error, dict)}
            if "THROTTLED" in codes:
                continue  # the wait above, computed from this answer's cost, comes first
            if "ACCESS_DENIED" in codes:
                raise AccessRefused(self.refused_message())
            if errors or not isinstance(answer.get("data"), dict):
                logger.warning("Shopify at %s: GraphQL errors %s", self.address, sorted(c or "" for c in codes))
                raise RequestRefused(
                    gettext("Shopify refused the request (%(reason)s).")
                    % {"reason": ", ".join(sorted(c for c in codes if c)) or gettext("unexpected query")}
                )
            return answer["data"], response
        raise Throttled(
            gettext(
                "The shop at %(address)s kept asking us to slow down, even after waiting. The next sync will try again."
            )
            % {"address": self.address}
        )


# --- GraphQL answers in the fields the money mapping reads -------------------------------------------


def _id(gid: Any) -> str:
    """The numeric id at the end of a global id (``gid://shopify/LineItem/123`` → ``123``)."""
    return str(gid or "").rsplit("/", 1)[-1]


def _bag(bag: dict | None) -> dict:
    """A ``MoneyBag`` as REST's ``*_set``: ``{"shop_money": {"amount", "currency_code"}, "presentment_money": ...}``."""
    bag = bag or {}
    out = {}
    for graph, rest in (("shopMoney", "shop_money"), ("presentmentMoney", "presentment_money")):
        money = bag.get(graph)
        if money:
            out[rest] = {"amount": money.get("amount"), "currency_code": money.get("currencyCode")}
    return out


def _nodes(connection: Any) -> list:
    if isinstance(connection, list):
        return connection
    return (connection or {}).get("nodes") or []


def _tax_lines(lines) -> list[dict]:
    return [{"rate": line.get("rate"), "price_set": _bag(line.get("priceSet"))} for line in lines or []]


def order_fields(node: dict) -> dict:
    """A GraphQL ``Order`` with the names of the money mapping (``connectors.shopify.connector.map_order``)."""
    fulfilment = node.get("displayFulfillmentStatus") or ""
    return {
        "id": node.get("legacyResourceId") or _id(node["id"]),
        "created_at": node["createdAt"],
        "cancelled_at": node.get("cancelledAt"),
        "financial_status": (node.get("displayFinancialStatus") or "").lower(),
        "fulfillment_status": "fulfilled" if fulfilment == "FULFILLED" else None,
        "currency": node.get("currencyCode"),
        "presentment_currency": node.get("presentmentCurrencyCode"),
        "taxes_included": node.get("taxesIncluded"),
        "source_name": node.get("sourceName"),
        "customer": {"id": (node.get("customer") or {}).get("legacyResourceId")},
        "shipping_address": {"country_code": (node.get("shippingAddress") or {}).get("countryCodeV2")},
        "billing_address": {"country_code": (node.get("billingAddress") or {}).get("countryCodeV2")},
        "total_tax_set": _bag(node.get("totalTaxSet")),
        "total_discounts_set": _bag(node.get("totalDiscountsSet")),
        "subtotal_price_set": _bag(node.get("subtotalPriceSet")),
        "total_price_set": _bag(node.get("totalPriceSet")),
        "current_total_additional_fees_set": _bag(node.get("currentTotalAdditionalFeesSet")),
        "line_items": [
            {
                "id": _id(line["id"]),
                "quantity": line.get("quantity"),
                "sku": line.get("sku"),
                "name": line.get("name"),
                "variant_id": (line.get("variant") or {}).get("legacyResourceId"),
                "price_set": _bag(line.get("originalUnitPriceSet")),
                "discount_allocations": [
                    {"amount_set": _bag(d.get("allocatedAmountSet"))} for d in line.get("discountAllocations") or []
                ],
                "tax_lines": _tax_lines(line.get("taxLines")),
            }
            for line in _nodes(node.get("lineItems"))
        ],
        "shipping_lines": [
            {"price_set": _bag(line.get("originalPriceSet")), "tax_lines": _tax_lines(line.get("taxLines"))}
            for line in _nodes(node.get("shippingLines"))
        ],
        "refunds": [_refund_fields(refund) for refund in node.get("refunds") or []],
    }


def _refund_fields(refund: dict) -> dict:
    return {
        "id": refund.get("legacyResourceId") or _id(refund.get("id")),
        "created_at": refund.get("createdAt"),
        "refund_line_items": [
            {
                "line_item_id": _id((line.get("lineItem") or {}).get("id")),
                "quantity": line.get("quantity"),
                "restock_type": (line.get("restockType") or "").lower(),
                "subtotal_set": _bag(line.get("subtotalSet")),
                "total_tax_set": _bag(line.get("totalTaxSet")),
            }
            for line in _nodes(refund.get("refundLineItems"))
        ],
        "order_adjustments": [
            {"amount_set": _bag(a.get("amountSet")), "tax_amount_set": _bag(a.get("taxAmountSet"))}
            for a in _nodes(refund.get("orderAdjustments"))
        ],
        # What was paid back, in the customer's currency (REST's transaction amount and currency).
        "transactions": [
            {
                "kind": (t.get("kind") or "").lower(),
                "status": (t.get("status") or "").lower(),
                "amount": ((t.get("amountSet") or {}).get("presentmentMoney") or {}).get("amount"),
                "currency": ((t.get("amountSet") or {}).get("presentmentMoney") or {}).get("currencyCode"),
            }
            for t in _nodes(refund.get("transactions"))
        ],
    }


def product_fields(node: dict) -> tuple[dict, dict]:
    """A GraphQL ``Product`` with the names ``map_product`` reads, and its inventory items by id."""
    images = [
        {"id": media.get("id"), "src": media["image"]["url"], "width": media["image"].get("width"),
         "height": media["image"].get("height"), "position": position}
        for position, media in enumerate(_nodes(node.get("media")), start=1)
        if (media.get("image") or {}).get("url")
    ]  # fmt: skip
    items, variants = {}, []
    for variant in _nodes(node.get("variants")):
        item = variant.get("inventoryItem") or {}
        item_id = item.get("legacyResourceId")
        if item_id:
            items[item_id] = {"tracked": item.get("tracked"), "cost": (item.get("unitCost") or {}).get("amount")}
        media = _nodes(variant.get("media"))
        variants.append(
            {
                "id": variant["legacyResourceId"],
                "title": variant.get("title"),
                "sku": variant.get("sku"),
                "price": variant.get("price"),
                "barcode": variant.get("barcode"),
                "inventory_quantity": variant.get("inventoryQuantity"),
                "inventory_item_id": item_id,
                "image_id": media[0].get("id") if media else None,
            }
        )
    product = {
        "id": node.get("legacyResourceId") or _id(node.get("id")),
        "title": node.get("title"),
        "body_html": node.get("descriptionHtml"),
        "vendor": node.get("vendor"),
        "product_type": node.get("productType"),
        "status": (node.get("status") or "active").lower(),
        "images": images,
        "variants": variants,
    }
    return product, items


class ShopifyGraphQLConnector(Connector):
    """Shopify's products and orders over the GraphQL Admin API (the REST Admin API is legacy)."""

    kind = "shopify"
    streams = ("products", "orders")
    connect_fields = (
        ConnectField(
            "token",
            _("Admin API access token"),
            _(
                "In the Shopify admin: Settings → Apps and sales channels → Develop apps → your app → API "
                "credentials. Give the app read_products, read_orders, read_all_orders and read_inventory: "
                "without read_all_orders, Shopify shows only the last 60 days of orders."
            ),
        ),
    )

    def __init__(self, source, *, sleep: Callable[[float], Any] | None = None, session=None):
        super().__init__(source)
        self._sleep = sleep
        self._session = session
        self._client: ShopifyGraphQLClient | None = None
        self.currency = (source.options or {}).get("currency", "")

    @property
    def client(self) -> ShopifyGraphQLClient:
        if self._client is None:
            token = shop_token(self.source)
            self._client = ShopifyGraphQLClient(
                base_url=self.source.base_url,
                token=token,
                api_version=(self.source.options or {}).get("graphql_version") or API_VERSION,
                sleep=self._sleep,
                session=self._session,
            )
        return self._client

    def check(self) -> None:
        data, _ = self.client.query(SHOP_QUERY)
        shop = data.get("shop")
        if not isinstance(shop, dict):
            raise self.client.unexpected_answer()
        self.currency = text(shop.get("currencyCode"))[:3] or self.currency
        scopes = {
            scope.get("handle")
            for scope in ((data.get("currentAppInstallation") or {}).get("accessScopes") or [])
            if isinstance(scope, dict)
        }
        limited = "read_all_orders" not in scopes
        customers = "read_customers" in scopes
        options = self.source.options or {}
        if self.source.pk and (
            options.get("orders_last_60_days") != limited
            or options.get("currency") != self.currency
            or options.get("read_customers", False) != customers
        ):
            # What the data page says about this shop (its currency; whether older orders are hidden),
            # and whether orders may be asked for their customer (new customers in the outcomes).
            self.source.options = {
                **options,
                "orders_last_60_days": limited,
                "currency": self.currency,
                "read_customers": customers,
            }
            self.source.save(update_fields=["options"])

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        from . import bulk  # bulk reads this module's fields

        if bulk.wanted(cursor):  # a first sync, or a long history: one bulk operation (connectors.shopify.bulk)
            yield from bulk.BulkReader(self, stream).pages(cursor)
            return
        since = cursor.get("since")
        started_at = cursor.get("started_at")
        after = cursor.get("after")
        resuming = bool(after)
        filters = f"updated_at:>='{since}'" if since else None
        while True:
            variables = {"first": PAGE_SIZES[stream], "after": after, "query": filters}
            try:
                data, response = self.client.query(self._query(stream), variables)
            except RequestRefused:
                if not resuming:
                    raise
                # A saved cursor Shopify no longer takes: read this run's changes again from the start.
                logger.info("Shopify at %s: saved %s cursor refused, starting over", self.client.address, stream)
                after, resuming = None, False
                continue
            resuming = False
            started_at = started_at or server_time(response).isoformat()
            connection = data.get(stream)
            if not isinstance(connection, dict):
                raise self.client.unexpected_answer()
            records = self._records(stream, _nodes(connection))
            page_info = connection.get("pageInfo") or {}
            more = bool(page_info.get("hasNextPage")) and page_info.get("endCursor")
            if more:
                saved = {"after": page_info["endCursor"], "since": since, "started_at": started_at}
            else:
                saved = {"since": next_since(started_at)}
            yield Page(stream=stream, records=records, cursor=saved)
            if not more:
                return
            after = page_info["endCursor"]

    def _query(self, stream: str) -> str:
        if stream == "orders" and (self.source.options or {}).get("read_customers"):
            return QUERIES["orders_with_customer"]
        return QUERIES[stream]

    def _records(self, stream: str, nodes: list) -> list:
        try:
            if stream == "orders":
                return [map_order(order_fields(node)) for node in nodes]
            records = []
            for node in nodes:
                product, items = product_fields(node)
                records += map_product(product, currency=self.currency, items=items, levels={})
            return records
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("Shopify at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None
