"""WooCommerce: products and orders, incrementally by ``modified_after``.

Pages are read in ascending id order, so a record created or changed during a run can only
push later records one place further (read twice, written once), never hide one.

Cursor of a stream, saved after each written page:

- while paginating: ``{"page": n, "since": ..., "started_at": ...}``: the next page number,
  the ``modified_after`` of this run, and when the run started by the shop's clock;
- after the last page: ``{"since": ...}``: where the next run starts (this run's start,
  less a minute of overlap), so it only reads what changed.
"""

from __future__ import annotations

import datetime
import html
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext

from ..base import Connector, ConnectorError
from ..records import ImageRecord, OrderLineRecord, OrderRecord, Page, ProductRecord
from ..restapi import RequestRefused, aware, integer, money, next_since, server_time, stored_credentials
from .client import PAGE_SIZE, WooCommerceClient

logger = logging.getLogger(__name__)

PRODUCT_STATUSES = {"publish": "active", "draft": "draft", "pending": "draft", "private": "draft", "future": "draft"}
ORDER_STATUSES = {
    "completed": "completed",
    "processing": "completed",  # paid, waiting to be shipped
    "pending": "pending",
    "on-hold": "pending",
    "checkout-draft": "pending",
    "cancelled": "cancelled",
    "failed": "cancelled",
    "trash": "cancelled",
    "refunded": "refunded",
}


def text(value: Any) -> str:
    return "" if value is None else html.unescape(str(value)).strip()


def plain(value: str | None) -> str:
    """A description without its HTML tags and entities."""
    return html.unescape(strip_tags(value or "")).strip()


def gmt_param(since: str) -> str:
    """``modified_after`` as WooCommerce reads it with ``dates_are_gmt``: UTC, no offset."""
    return datetime.datetime.fromisoformat(since).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _total(lines: list | None, field: str = "total") -> Decimal:
    return sum((money(line.get(field)) for line in lines or []), Decimal("0"))


def map_line(line: dict) -> OrderLineRecord:
    quantity = int(line.get("quantity") or 0)
    # The price before order discounts (those are the order's ``discount_total``).
    subtotal = money(line.get("subtotal"), None)
    if subtotal is not None and quantity:
        unit_price = (subtotal / quantity).quantize(Decimal("0.01"))
    else:
        unit_price = money(line.get("price"))
    # Our products are WooCommerce products, not their variations: link the line to its product.
    product_id = line.get("product_id") or line.get("variation_id")
    return OrderLineRecord(
        line_key=str(line["id"]),
        quantity=quantity,
        unit_price=unit_price,
        sku=text(line.get("sku"))[:100],
        description=text(line.get("name"))[:500],
        product_external_id=str(product_id) if product_id else "",
    )


def map_order(order: dict) -> OrderRecord:
    country = (order.get("shipping") or {}).get("country") or (order.get("billing") or {}).get("country") or ""
    shipping_lines = order.get("shipping_lines")
    return OrderRecord(
        external_id=str(order["id"]),
        placed_at=aware(order.get("date_created_gmt") or order["date_created"], naive_is_utc=True),
        lines=[map_line(line) for line in order.get("line_items") or []],
        channel=text(order.get("created_via"))[:100],
        customer_country=country.strip().upper()[:2],
        status=ORDER_STATUSES.get(order.get("status") or "", "pending"),
        currency=text(order.get("currency"))[:3],
        discounts=money(order.get("discount_total")),
        refunds=sum((abs(money(refund.get("total"))) for refund in order.get("refunds") or []), Decimal("0")),
        shipping=_total(shipping_lines) if shipping_lines else money(order.get("shipping_total")),
        fees=_total(order.get("fee_lines")),
    )


def map_product(product: dict, *, currency: str = "") -> ProductRecord:
    tracked = bool(product.get("manage_stock"))
    brands = product.get("brands") or []  # WooCommerce 9.6+
    return ProductRecord(
        external_id=str(product["id"]),
        title=text(product.get("name"))[:500],
        sku=text(product.get("sku"))[:100],
        description=plain(product.get("description")),
        price=money(product.get("price"), None),  # "" for a variable product without a price of its own
        currency=currency,
        images=[ImageRecord(url=image["src"]) for image in product.get("images") or [] if image.get("src")],
        gtin=text(product.get("global_unique_id"))[:20],  # WooCommerce 9.2+
        brand=text(brands[0].get("name"))[:200] if brands and isinstance(brands[0], dict) else "",
        stock_tracked=tracked,
        stock_quantity=integer(product.get("stock_quantity")) if tracked else None,
        status=PRODUCT_STATUSES.get(product.get("status") or "", "draft"),
        category=", ".join(text(category.get("name")) for category in product.get("categories") or [])[:300],
    )


class WooCommerceConnector(Connector):
    kind = "woocommerce"
    streams = ("products", "orders")

    def __init__(self, source, *, session=None):
        super().__init__(source)
        self._session = session
        self._client: WooCommerceClient | None = None
        self.currency = (source.options or {}).get("currency", "")

    @property
    def client(self) -> WooCommerceClient:
        if self._client is None:
            if not self.source.base_url:
                raise ConnectorError(gettext("The shop's address is missing."))
            credentials = stored_credentials(self.source)
            if not (credentials.get("key") and credentials.get("secret")):
                raise ConnectorError(gettext("The consumer key or secret is missing: please enter them again."))
            self._client = WooCommerceClient(
                base_url=self.source.base_url,
                key=credentials["key"],
                secret=credentials["secret"],
                session=self._session,
            )
        return self._client

    def check(self) -> None:
        self.client.get_page("products", {"per_page": 1})

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        since = cursor.get("since")
        started_at = cursor.get("started_at")
        first = page = int(cursor.get("page") or 1)
        params = {"per_page": PAGE_SIZE, "orderby": "id", "order": "asc"}
        if since:
            params.update(modified_after=gmt_param(since), dates_are_gmt="true")
        while True:
            try:
                items, total_pages, response = self.client.get_page(stream, {**params, "page": page})
            except RequestRefused:
                if page == 1 or page != first:
                    raise
                # A saved page past the end (records deleted meanwhile): read this run's changes again.
                logger.info("WooCommerce at %s: saved %s page refused, starting over", self.client.address, stream)
                first = page = 1
                continue
            started_at = started_at or server_time(response).isoformat()
            records = self._records(stream, items)
            if total_pages is None:  # no header (a proxy dropped it): a full page means more may follow
                more = len(items) >= PAGE_SIZE
                expected = None
            else:
                more = page < total_pages
                expected = max(total_pages - first + 1, 1)
            if more:
                after = {"page": page + 1, "since": since, "started_at": started_at}
            else:
                after = {"since": next_since(started_at)}
            yield Page(stream=stream, records=records, cursor=after, pages_expected=expected)
            if not more:
                return
            page += 1

    def _records(self, stream: str, items: list) -> list:
        try:
            if stream == "orders":
                return [map_order(order) for order in items]
            return [map_product(product, currency=self.currency) for product in items]
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("WooCommerce at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None
