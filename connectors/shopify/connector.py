"""Shopify: products (one record per variant) and orders, incrementally by ``updated_at_min``.

Cursor of a stream, saved after each written page:

- while paginating: ``{"page_info": ..., "since": ..., "started_at": ...}``: the next page
  (Shopify's opaque cursor, which carries the run's filters), the ``updated_at_min`` of this
  run, and when the run started by the shop's clock;
- after the last page: ``{"since": ...}``: where the next run starts (this run's start,
  less a minute of overlap), so it only reads what changed.

Inventory items (unit cost, whether stock is tracked) are read for each page of products;
inventory levels only for variants whose ``inventory_quantity`` the API did not give.
Without the ``read_inventory`` scope, products are still read, from the variants alone.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext

from ..base import Connector, ConnectorError
from ..records import ImageRecord, OrderLineRecord, OrderRecord, Page, ProductRecord, RefundRecord, customer_ref
from ..restapi import AccessRefused, RequestRefused, aware, integer, money, next_since, server_time, stored_credentials
from .client import DEFAULT_API_VERSION, PAGE_SIZE, ShopifyClient

logger = logging.getLogger(__name__)

PRODUCT_STATUSES = {"active": "active", "unlisted": "active", "draft": "draft", "archived": "archived"}
INVENTORY_ITEMS_PER_CALL = 100  # Shopify's maximum for inventory_items.json?ids=
LEVELS_ITEMS_PER_CALL = 50  # and for inventory_levels.json?inventory_item_ids=


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def plain(body_html: str | None) -> str:
    """The product description without its HTML tags and entities."""
    return html.unescape(strip_tags(body_html or "")).strip()


def order_status(order: dict) -> str:
    """Our status from Shopify's cancellation, payment and fulfilment states."""
    financial = order.get("financial_status") or ""
    if order.get("cancelled_at") or financial == "voided":
        return "cancelled"
    if financial == "refunded":
        return "refunded"
    if financial in ("paid", "partially_refunded") or order.get("fulfillment_status") == "fulfilled":
        return "completed"
    return "pending"  # pending, authorized, partially_paid, expired, unpaid


CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")


def shop_money(item: dict, name: str) -> Decimal:
    """``name``'s amount in the shop's currency: ``name_set.shop_money`` where given (the amount Shopify
    reports for the shop), else the plain field (which the REST API gives in the shop's currency)."""
    shop = ((item.get(f"{name}_set") or {}).get("shop_money") or {}).get("amount")
    return money(item.get(name) if shop is None else shop)


def _sum(items, name: str) -> Decimal:
    return sum((shop_money(item, name) for item in items or []), Decimal("0"))


def _without_tax_factor(gross: Decimal, tax: Decimal, rates: Decimal) -> Decimal:
    """What share of an amount that includes ``tax`` is not tax (by the tax itself, else by the rates)."""
    if gross:
        return (gross - tax) / gross
    return 1 / (1 + rates)


def _line(line: dict, included: bool) -> tuple[OrderLineRecord, Decimal]:
    """The line (price excluding tax, before discounts; its tax) and its discount excluding tax."""
    quantity = int(line.get("quantity") or 0)
    gross = shop_money(line, "price") * quantity
    discount = _sum(line.get("discount_allocations"), "amount")
    tax_lines = line.get("tax_lines") or []
    tax = _sum(tax_lines, "price")
    if included and tax:  # Shopify's tax is on the discounted price, which included it
        rates = sum((money(t.get("rate")) for t in tax_lines), Decimal("0"))
        factor = _without_tax_factor(gross - discount, tax, rates)
        gross, discount = gross * factor, discount * factor
    unit_price = (gross / quantity).quantize(PRICE_PLACES) if quantity else shop_money(line, "price")
    record = OrderLineRecord(
        line_key=str(line["id"]),
        quantity=quantity,
        unit_price=unit_price,
        sku=text(line.get("sku")),
        description=text(line.get("name") or line.get("title"))[:500],
        product_external_id=str(line["variant_id"]) if line.get("variant_id") else "",
        tax=tax,
    )
    return record, discount


def _paid_back(refund: dict) -> tuple[Decimal | None, str]:
    """The successful refund transactions' amount and currency (the customer's), if any."""
    paid = [t for t in refund.get("transactions") or [] if t.get("kind") == "refund" and t.get("status") == "success"]
    if not paid:
        return None, ""
    return sum((money(t.get("amount")) for t in paid), Decimal("0")), text(paid[0].get("currency"))[:3]


def map_refund(refund: dict, order: dict, included: bool, position: int = 1) -> RefundRecord:
    """A refund in the shop's currency, excluding tax: its lines (``subtotal_set``, which includes the tax
    when the prices did), its adjustments (shipping refunded, discrepancies: negative amounts), and
    else what was paid back, split like the order's total and converted at the order's own rate."""
    lines = refund.get("refund_line_items") or []
    adjustments = refund.get("order_adjustments") or []
    tax = _sum(lines, "total_tax") - _sum(adjustments, "tax_amount")
    amount = _sum(lines, "subtotal") - (_sum(lines, "total_tax") if included else 0) - _sum(adjustments, "amount")
    paid, paid_currency = _paid_back(refund)
    if not lines and not adjustments and paid:
        total = shop_money(order, "total_price")
        presented = money(((order.get("total_price_set") or {}).get("presentment_money") or {}).get("amount"))
        rate = total / presented if presented else Decimal(1)
        gross = paid * rate
        tax = (gross * shop_money(order, "total_tax") / total).quantize(CENT) if total else Decimal(0)
        amount = gross - tax
    restocked = [
        {"line_key": str(line.get("line_item_id")), "quantity": int(line.get("quantity") or 0)}
        for line in lines
        if line.get("restock_type") in ("return", "cancel", "legacy_restock") or line.get("restock")
    ]
    return RefundRecord(
        external_id=str(refund.get("id") or position),
        refunded_at=aware(refund.get("processed_at") or refund.get("created_at") or order["created_at"]),
        amount=amount.quantize(CENT),
        tax=tax.quantize(CENT),
        paid_amount=paid,
        paid_currency=paid_currency,
        restocked=restocked,
    )


def map_order(order: dict) -> OrderRecord:
    """An order in the shop's currency (``*_set.shop_money``), every amount excluding tax.

    With ``taxes_included`` (the usual case in the UK and France) prices, discounts and shipping
    include VAT: it is taken out of each, by the tax Shopify reports on it.
    """
    shipping, billing = order.get("shipping_address") or {}, order.get("billing_address") or {}
    country = shipping.get("country_code") or billing.get("country_code")
    included = bool(order.get("taxes_included"))
    lines, discounts = [], Decimal("0")
    for line in order.get("line_items") or []:
        record, discount = _line(line, included)
        lines.append(record)
        discounts += discount
    if not any(line.get("discount_allocations") for line in order.get("line_items") or []):
        discounts = shop_money(order, "total_discounts")  # older API versions: the order's total only
        if included and discounts:
            subtotal = shop_money(order, "subtotal_price")
            lines_tax = sum((line.tax for line in lines), Decimal("0"))
            discounts *= _without_tax_factor(subtotal, lines_tax, Decimal(0)) if subtotal else 1
    shipping_lines = order.get("shipping_lines") or []
    shipping_tax = sum((_sum(line.get("tax_lines"), "price") for line in shipping_lines), Decimal("0"))
    shipping_charged = _sum(shipping_lines, "price") - (shipping_tax if included else 0)
    currency = text(order.get("currency"))[:3]
    presentment = text(order.get("presentment_currency"))[:3]
    return OrderRecord(
        external_id=str(order["id"]),
        placed_at=aware(order["created_at"]),
        lines=lines,
        channel=text(order.get("source_name"))[:100],
        customer_country=text(country).upper()[:2],
        customer_ref=customer_ref("id", (order.get("customer") or {}).get("id")),
        status=order_status(order),
        currency=currency,
        presentment_currency=presentment if presentment != currency else "",
        prices_include_tax=included if "taxes_included" in order else None,
        tax=shop_money(order, "total_tax"),
        discounts=discounts.quantize(CENT),
        shipping=shipping_charged.quantize(CENT),
        shipping_tax=shipping_tax,
        # Charged to the customer beyond goods and shipping (API 2023-04+): revenue on its own line.
        customer_fees=shop_money(order, "current_total_additional_fees"),
        refund_records=[
            refund
            for n, item in enumerate(order.get("refunds") or [], start=1)
            if (refund := map_refund(item, order, included, n)).amount or refund.tax or refund.restocked
        ],
    )


def map_product(product: dict, *, currency: str, items: dict, levels: dict) -> list[ProductRecord]:
    """One record per variant; ``items`` and ``levels`` are inventory data by inventory item id."""
    shown = sorted((i for i in product.get("images") or [] if i.get("src")), key=lambda i: i.get("position") or 0)
    images = [ImageRecord(url=i["src"], width=integer(i.get("width")), height=integer(i.get("height"))) for i in shown]
    image_ids = [image.get("id") for image in shown]
    common = {
        "description": plain(product.get("body_html")),
        "currency": currency,
        "brand": text(product.get("vendor"))[:200],
        "status": PRODUCT_STATUSES.get(product.get("status") or "active", "draft"),
        "category": text(product.get("product_type"))[:300],
    }
    title = text(product.get("title"))
    records = []
    for variant in product.get("variants") or []:
        variant_title = text(variant.get("title"))
        item = items.get(variant.get("inventory_item_id"), {})
        tracked = item.get("tracked")
        if tracked is None:
            tracked = bool(variant.get("inventory_management"))
        quantity = integer(variant.get("inventory_quantity"))
        if quantity is None:
            quantity = levels.get(variant.get("inventory_item_id"))
        variant_images = images
        if variant.get("image_id") and variant["image_id"] in image_ids:  # the variant's own picture first
            index = image_ids.index(variant["image_id"])
            variant_images = [images[index], *images[:index], *images[index + 1 :]]
        records.append(
            ProductRecord(
                external_id=str(variant["id"]),
                title=(title if variant_title in ("", "Default Title") else f"{title} - {variant_title}")[:500],
                sku=text(variant.get("sku"))[:100],
                price=money(variant.get("price"), None),
                images=list(variant_images),
                gtin=text(variant.get("barcode"))[:20],
                stock_tracked=tracked,
                stock_quantity=quantity if tracked else None,
                unit_cost=money(item.get("cost"), None),
                **common,
            )
        )
    return records


def shop_token(source) -> str:
    """The source's Admin API access token, after checking it has an address; else a message to show."""
    if not source.base_url:
        raise ConnectorError(gettext("The shop's address is missing."))
    token = stored_credentials(source).get("token")
    if not token:
        raise ConnectorError(gettext("The access token is missing: please enter it again."))
    return token


class ShopifyConnector(Connector):
    kind = "shopify"
    streams = ("products", "orders")

    def __init__(self, source, *, sleep: Callable[[float], Any] | None = None, session=None):
        super().__init__(source)
        self._sleep = sleep
        self._session = session
        self._client: ShopifyClient | None = None
        self.currency = (source.options or {}).get("currency", "")
        self.read_inventory = (source.options or {}).get("inventory", True)

    @property
    def client(self) -> ShopifyClient:
        if self._client is None:
            token = shop_token(self.source)
            self._client = ShopifyClient(
                base_url=self.source.base_url,
                token=token,
                api_version=(self.source.options or {}).get("api_version") or DEFAULT_API_VERSION,
                sleep=self._sleep,
                session=self._session,
            )
        return self._client

    def check(self) -> None:
        shop = self.client.get_object("shop", "shop")
        if not isinstance(shop, dict):
            raise self.client.unexpected_answer()
        self.currency = text(shop.get("currency"))[:3] or self.currency

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        since = cursor.get("since")
        started_at = cursor.get("started_at")
        first = {"limit": PAGE_SIZE}
        if stream == "orders":
            first["status"] = "any"  # Shopify lists only open orders by default
        if since:
            first["updated_at_min"] = since
        # Resuming: the opaque cursor carries the filters, and Shopify takes nothing else beside it.
        params = {"limit": PAGE_SIZE, "page_info": cursor["page_info"]} if cursor.get("page_info") else first
        resuming = params is not first
        while True:
            try:
                items, page_info, response = self.client.get_page(stream, params)
            except RequestRefused:
                if not resuming:
                    raise
                # A saved cursor Shopify no longer takes: read this run's changes again from the start
                # (what was written is skipped as unchanged).
                logger.info("Shopify at %s: saved %s cursor refused, starting over", self.client.address, stream)
                params, resuming = first, False
                continue
            resuming = False
            started_at = started_at or server_time(response).isoformat()
            records = self._records(stream, items)
            if page_info:
                after = {"page_info": page_info, "since": since, "started_at": started_at}
            else:
                after = {"since": next_since(started_at)}
            yield Page(stream=stream, records=records, cursor=after, pages_expected=None)
            if not page_info:
                return
            params = {"limit": PAGE_SIZE, "page_info": page_info}

    def _records(self, stream: str, items: list) -> list:
        try:
            if stream == "orders":
                return [map_order(order) for order in items]
            items_by_id, levels = self._inventory(items)
            return [
                record
                for product in items
                for record in map_product(product, currency=self.currency, items=items_by_id, levels=levels)
            ]
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("Shopify at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None

    def _inventory(self, products: list) -> tuple[dict, dict]:
        """Inventory items (cost, tracked) and, where variants lack a quantity, levels summed over locations."""
        variants = [variant for product in products for variant in product.get("variants") or []]
        item_ids = sorted({v["inventory_item_id"] for v in variants if v.get("inventory_item_id")})
        if not (self.read_inventory and item_ids):
            return {}, {}
        missing = sorted(
            {
                v["inventory_item_id"]
                for v in variants
                if v.get("inventory_item_id") and v.get("inventory_quantity") is None
            }
        )
        items, levels = {}, {}
        try:
            for chunk in _chunks(item_ids, INVENTORY_ITEMS_PER_CALL):
                ids = ",".join(str(i) for i in chunk)
                for item in self.client.get_all("inventory_items", {"ids": ids, "limit": PAGE_SIZE}):
                    items[item["id"]] = item
            for chunk in _chunks(missing, LEVELS_ITEMS_PER_CALL):
                ids = ",".join(str(i) for i in chunk)
                for level in self.client.get_all("inventory_levels", {"inventory_item_ids": ids, "limit": PAGE_SIZE}):
                    if level.get("available") is not None:
                        key = level["inventory_item_id"]
                        levels[key] = levels.get(key, 0) + int(level["available"])
        except AccessRefused:
            # The token lacks read_inventory: go on with what the variants say.
            logger.info(
                "Shopify at %s: no access to inventory; stock and costs from variants only", self.client.address
            )
            self.read_inventory = False
            return items, levels
        return items, levels
