"""WooCommerce: products and orders, incrementally by ``modified_after``.

A listing is read in ascending id order by ``offset`` (a documented collection parameter),
each request starting one record early, on the last record already written: the page that
comes back must begin at or before that record. When records before our place were deleted
meanwhile, the listing has moved back under us: the page then begins past it, and we step
back a page at a time until it does not, so no record is ever skipped (numbered pages would
skip one per deletion). Records at or below the last id written are dropped (no duplicate);
a record created during the run gets a higher id and comes at the end. WooCommerce orders
cannot be sorted by date modified without a plug-in, hence the ids.

Cursor of a stream, saved after each written page:

- while paginating: ``{"after_id": n, "offset": o, "since": ..., "started_at": ...}``: the
  highest id written, the offset of the next record after it when last seen, the
  ``modified_after`` of this run, and when the run started by the shop's clock;
- after the last page: ``{"since": ...}``: where the next run starts (this run's start,
  less a minute of overlap), so it only reads what changed.

A cursor saved by the numbered-pages version (``{"page": n, ...}``) reads its run's listing
again from the start (the records already written are counted as unchanged).
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
from django.utils.translation import gettext_lazy as _

from ..base import ConnectField, Connector, ConnectorError
from ..records import ImageRecord, OrderLineRecord, OrderRecord, Page, ProductRecord, RefundRecord, customer_ref
from ..restapi import aware, integer, money, next_since, server_time, stored_credentials
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


CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")
# Per-unit cost of goods on an order line: WooCommerce Cost of Goods (``_wc_cog_item_cost``); the
# line's total cost where only that is kept (``_wc_cog_item_total_cost``).
UNIT_COST_META = "_wc_cog_item_cost"
TOTAL_COST_META = "_wc_cog_item_total_cost"
# What the merchant paid the payment provider, as its gateway plugin records it on the order.
MERCHANT_FEE_META = ("_stripe_fee", "_paypal_transaction_fee", "_ppcp_paypal_fees", "_wcpay_transaction_fee")


def _meta(item: dict) -> dict:
    return {m.get("key"): m.get("value") for m in item.get("meta_data") or [] if isinstance(m, dict)}


def _unit_cost(line: dict, quantity: int) -> Decimal | None:
    meta = _meta(line)
    cost = money(meta.get(UNIT_COST_META), None)
    if cost is None and quantity:
        total = money(meta.get(TOTAL_COST_META), None)
        cost = None if total is None else (total / quantity).quantize(CENT)
    return cost


def map_line(line: dict) -> OrderLineRecord:
    quantity = int(line.get("quantity") or 0)
    # ``subtotal``: the line before order discounts, excluding tax (whether or not the shop's prices
    # include it); the discount is the order's ``discount_total``, the tax the line's ``total_tax``.
    subtotal = money(line.get("subtotal"), None)
    if subtotal is not None and quantity:
        unit_price = (subtotal / quantity).quantize(PRICE_PLACES)
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
        unit_cost=_unit_cost(line, quantity),
        product_external_id=str(product_id) if product_id else "",
        tax=money(line.get("total_tax")),
    )


def _tax_share(order: dict) -> Decimal:
    """The share of the order's total that is tax, to split a refund known only by its total."""
    total = money(order.get("total"))
    return money(order.get("total_tax")) / total if total else Decimal(0)


def map_refund(refund: dict, order: dict) -> RefundRecord:
    """A refund, from the order's refunds endpoint (dated, with its lines) or, without it, from the
    order's own summary (``{"id", "total"}``: no date, so the order's last change, and the tax split
    like the order's). Refund totals include tax: the tax is taken out."""
    gross = abs(money(refund.get("amount") if refund.get("amount") not in (None, "") else refund.get("total")))
    lines = refund.get("line_items") or []
    shipping = refund.get("shipping_lines") or []
    fees = refund.get("fee_lines") or []
    itemised = lines or shipping or fees
    if itemised:
        tax = abs(sum((money(item.get("total_tax")) for item in (*lines, *shipping, *fees)), Decimal(0)))
    else:
        tax = (gross * _tax_share(order)).quantize(CENT)
    moment = refund.get("date_created_gmt") or order.get("date_modified_gmt") or order.get("date_created_gmt")
    return RefundRecord(
        external_id=str(refund["id"]),
        refunded_at=aware(moment, naive_is_utc=True),
        amount=(gross - tax).quantize(CENT),
        tax=tax.quantize(CENT),
        # A refund's line is an item of its own: WooCommerce names the order's line it gives back in
        # its _refunded_item_id meta (the order line's key); older refunds without it keep their id.
        restocked=[
            {
                "line_key": str(_meta(line).get("_refunded_item_id") or line.get("id")),
                "quantity": abs(int(line.get("quantity") or 0)),
            }
            for line in lines
            if refund.get("api_restock") or _meta(line).get("_restock_refunded_items")
        ],
    )


def map_order(order: dict, refunds: list | None = None) -> OrderRecord:
    """An order, every amount excluding tax: WooCommerce keeps line, shipping, fee and discount totals
    without tax (``*_tax`` beside them) whatever ``prices_include_tax`` says. ``fee_lines`` are what the
    customer was charged (gift wrap, cash on delivery): revenue. ``refunds``: the order's refunds from
    its refunds endpoint, when read; else the order's summary of them."""
    country = (order.get("shipping") or {}).get("country") or (order.get("billing") or {}).get("country") or ""
    shipping_lines = order.get("shipping_lines")
    meta = _meta(order)
    return OrderRecord(
        external_id=str(order["id"]),
        placed_at=aware(order.get("date_created_gmt") or order["date_created"], naive_is_utc=True),
        lines=[map_line(line) for line in order.get("line_items") or []],
        channel=text(order.get("created_via"))[:100],
        customer_country=country.strip().upper()[:2],
        # A guest's customer_id is 0: then the billing e-mail (kept only as a pseudonymous key).
        customer_ref=customer_ref("id", order.get("customer_id"))
        or customer_ref("email", (order.get("billing") or {}).get("email")),
        status=ORDER_STATUSES.get(order.get("status") or "", "pending"),
        currency=text(order.get("currency"))[:3],
        prices_include_tax=order.get("prices_include_tax") if "prices_include_tax" in order else None,
        tax=money(order.get("total_tax")),
        discounts=money(order.get("discount_total")),
        shipping=_total(shipping_lines) if shipping_lines else money(order.get("shipping_total")),
        shipping_tax=money(order.get("shipping_tax")),
        customer_fees=_total(order.get("fee_lines")),
        fees=sum((money(meta.get(key)) for key in MERCHANT_FEE_META), Decimal(0)),
        refund_records=[
            map_refund(refund, order) for refund in (order.get("refunds") or [] if refunds is None else refunds)
        ],
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
    url_help = _("Your shop's address, for example https://www.my-shop.fr")
    connect_fields = (
        ConnectField(
            "key",
            _("WooCommerce consumer key"),
            _(
                "In WordPress: WooCommerce → Settings → Advanced → REST API → Add key, with “Read” permissions. "
                "The key starts with ck_."
            ),
        ),
        ConnectField(
            "secret",
            _("WooCommerce consumer secret"),
            _("Shown once, beside the key, when the key is created. It starts with cs_."),
        ),
    )

    def __init__(self, source, *, session=None):
        super().__init__(source)
        self._session = session
        self._client: WooCommerceClient | None = None
        self.page_size = PAGE_SIZE
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
        self.client.get_listing("products", {"per_page": 1})

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        since = cursor.get("since")
        started_at = cursor.get("started_at")
        after_id = cursor.get("after_id")
        offset = int(cursor.get("offset") or 0) if after_id is not None else 0
        size = self.page_size
        params = {"per_page": size, "orderby": "id", "order": "asc"}
        if since:
            params.update(modified_after=gmt_param(since), dates_are_gmt="true")
        pages_read = 0
        while True:
            # One record of overlap: the page should start on the last record written.
            ask = max(offset - 1, 0) if after_id is not None else offset
            items, total, response = self.client.get_listing(stream, {**params, "offset": ask})
            started_at = started_at or server_time(response).isoformat()
            ids = self._ids(items)
            if after_id is not None and ask > 0 and (not ids or ids[0] > after_id):
                # Records before our place were deleted: step back until nothing can be skipped.
                logger.info("WooCommerce at %s: %s listing moved back, stepping back", self.client.address, stream)
                offset = max(ask - size, 0) + 1
                continue
            fresh = [item for item, id_ in zip(items, ids, strict=True) if after_id is None or id_ > after_id]
            records = self._records(stream, fresh)
            if ids:
                after_id = max(ids[-1], after_id or 0)
            offset = ask + len(items)
            more = offset < total if total is not None else len(items) >= size
            pages_read += 1
            expected = None
            if total is not None:
                expected = pages_read + (-(-max(total - offset, 0) // (size - 1)) if more else 0)
            if more:
                after = {"after_id": after_id, "offset": offset, "since": since, "started_at": started_at}
            else:
                after = {"since": next_since(started_at)}
            yield Page(stream=stream, records=records, cursor=after, pages_expected=expected)
            if not more:
                return

    def _ids(self, items: list) -> list[int]:
        try:
            return [int(item["id"]) for item in items]
        except (KeyError, TypeError, ValueError):
            raise self.client.unexpected_answer() from None

    def _refunds(self, order: dict) -> list | None:
        """The order's refunds with their dates and lines (its refunds endpoint), when it has any."""
        if not order.get("refunds"):
            return None
        refunds, _, _ = self.client.get_listing(f"orders/{order['id']}/refunds", {"per_page": PAGE_SIZE})
        return refunds or None  # none listed there: the order's own summary

    def _records(self, stream: str, items: list) -> list:
        try:
            if stream == "orders":
                return [map_order(order, self._refunds(order)) for order in items]
            return [map_product(product, currency=self.currency) for product in items]
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("WooCommerce at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None
