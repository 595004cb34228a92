"""Magento 2 / Adobe Commerce: products and orders, incrementally by ``updated_at``, page after page by id.

Each request asks for the records past the last id written (``entity_id gt n``, sorted by
it, ``currentPage=1``), AND, for an incremental run, changed since the last run
(``updated_at gteq``, UTC as Magento keeps it). Per page of orders, their credit memos (the
dated refunds) in one request (``order_id in``); per page of products, their stock from the
MSI source items when the store has MSI (else the product's legacy ``stock_item``).

Amounts are the ``base_*`` ones (the store's base currency) and exclude tax; the tax is beside.

Cursor: ``{"after_id": n, "since": ..., "started_at": ...}`` while paginating; after the last
page ``{"since": ...}`` (this run's start by the shop's clock, less a minute).
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
from .client import PAGE_SIZE, MagentoClient, NoInventoryApi, search_criteria

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ORDER_STATES = {
    "complete": "completed",
    "processing": "completed",
    "closed": "refunded",
    "canceled": "cancelled",
    "new": "pending",
    "pending_payment": "pending",
    "payment_review": "pending",
    "holded": "pending",
}


def text(value: Any) -> str:
    return "" if value is None else html.unescape(str(value)).strip()


def utc(value: str | None) -> datetime.datetime | None:
    """A Magento time ("2026-03-10 10:00:00", UTC as Magento stores it)."""
    return aware(value.replace(" ", "T"), naive_is_utc=True) if value else None


def magento_time(moment: str) -> str:
    return datetime.datetime.fromisoformat(moment).astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


# Adobe Commerce's gift wrapping, charged to the customer (its extension attributes on the order).
GIFT_WRAPPING = ("gw_base_price", "gw_items_base_price", "gw_card_base_price")


def map_credit_memo(memo: dict) -> RefundRecord:
    """A credit memo: what was given back (goods, shipping, adjustments) without tax, and the tax, in the
    base currency; what was paid back in the order's currency beside it when that is another one."""
    tax = money(memo.get("base_tax_amount"))
    base, paid = text(memo.get("base_currency_code")), text(memo.get("order_currency_code"))
    other = bool(paid and base and paid != base)
    return RefundRecord(
        external_id=str(memo["entity_id"]),
        refunded_at=utc(memo.get("created_at")),
        amount=(money(memo.get("base_grand_total")) - tax).quantize(CENT),
        tax=tax.quantize(CENT),
        paid_amount=money(memo.get("grand_total")) if other else None,
        paid_currency=paid[:3] if other else "",
        restocked=[
            {"line_key": str(item.get("order_item_id")), "quantity": int(money(item.get("qty")))}
            for item in memo.get("items") or []
            if (memo.get("extension_attributes") or {}).get("return_to_stock_items")
        ],
    )


def _country(order: dict) -> str:
    for assignment in (order.get("extension_attributes") or {}).get("shipping_assignments") or []:
        country = ((assignment.get("shipping") or {}).get("address") or {}).get("country_id")
        if country:
            return text(country).upper()[:2]
    return text((order.get("billing_address") or {}).get("country_id")).upper()[:2]


def map_order(order: dict, memos: list[dict] = ()) -> OrderRecord:
    """An order in the store's base currency; the items without a parent (a configurable's child
    repeats its parent's line)."""
    lines = [
        OrderLineRecord(
            line_key=str(item["item_id"]),
            quantity=int(money(item.get("qty_ordered"))),
            unit_price=money(item.get("base_price")),
            sku=text(item.get("sku"))[:100],
            description=text(item.get("name"))[:500],
            product_external_id=text(item.get("product_id")),
            tax=money(item.get("base_tax_amount")),
        )
        for item in order.get("items") or []
        if not item.get("parent_item_id")
    ]
    base, presented = text(order.get("base_currency_code")), text(order.get("order_currency_code"))
    return OrderRecord(
        external_id=str(order["entity_id"]),
        placed_at=utc(order.get("created_at")),
        lines=lines,
        channel=text(order.get("store_name")).splitlines()[-1][:100] if order.get("store_name") else "",
        customer_country=_country(order),
        # A guest order has no customer_id: then its e-mail (kept only as a pseudonymous key).
        customer_ref=customer_ref("id", order.get("customer_id")) or customer_ref("email", order.get("customer_email")),
        status=ORDER_STATES.get(text(order.get("state")), "pending"),
        currency=base[:3],
        presentment_currency=presented[:3] if presented and presented != base else "",
        prices_include_tax=False,
        tax=money(order.get("base_tax_amount")),
        discounts=abs(money(order.get("base_discount_amount"))),
        shipping=money(order.get("base_shipping_amount")),
        shipping_tax=money(order.get("base_shipping_tax_amount")),
        customer_fees=sum(
            (money((order.get("extension_attributes") or {}).get(name)) for name in GIFT_WRAPPING), Decimal(0)
        ),
        refund_records=[map_credit_memo(memo) for memo in memos],
    )


def _attribute(product: dict, code: str) -> Any:
    return next(
        (a.get("value") for a in product.get("custom_attributes") or [] if a.get("attribute_code") == code), None
    )


def map_product(product: dict, *, base_url: str, currency: str = "", stock: int | None = None) -> ProductRecord:
    legacy = (product.get("extension_attributes") or {}).get("stock_item") or {}
    if stock is None and legacy.get("manage_stock") is not False and "qty" in legacy:
        stock = int(money(legacy.get("qty")))
    return ProductRecord(
        external_id=str(product["id"]),
        title=text(product.get("name"))[:500],
        sku=text(product.get("sku"))[:100],
        description=html.unescape(strip_tags(text(_attribute(product, "description")))).strip(),
        price=money(product.get("price"), None),
        currency=currency,
        images=[
            ImageRecord(url=f"{base_url}/media/catalog/product{entry['file']}")
            for entry in product.get("media_gallery_entries") or []
            if entry.get("file") and entry.get("media_type", "image") == "image"
        ],
        gtin=text(_attribute(product, "gtin") or _attribute(product, "ean"))[:20],
        stock_tracked=stock is not None,
        stock_quantity=stock,
        status="active" if integer(product.get("status")) == 1 else "draft",
        unit_cost=money(_attribute(product, "cost"), None),
    )


class MagentoConnector(Connector):
    kind = "magento"
    streams = ("products", "orders")
    url_help = _("Your store's address, for example https://www.my-shop.co.uk: the REST API answers under /rest/V1/.")
    connect_fields = (
        ConnectField(
            "token",
            _("Integration access token"),
            _(
                "In the Magento admin: System → Extensions → Integrations → Add New Integration; under API, "
                "allow Sales → Operations → Orders (with Actions → View and Credit Memos), Catalog → Inventory → "
                "Products and Stores → Inventory, then Activate and copy the Access Token."
            ),
        ),
    )

    def __init__(self, source, *, session=None):
        super().__init__(source)
        self._session = session
        self._client: MagentoClient | None = None
        self.page_size = PAGE_SIZE
        self.currency = (source.options or {}).get("currency", "")
        self._msi: bool | None = None

    @property
    def client(self) -> MagentoClient:
        if self._client is None:
            if not self.source.base_url:
                raise ConnectorError(gettext("The shop's address is missing."))
            token = stored_credentials(self.source).get("token")
            if not token:
                raise ConnectorError(gettext("The access token is missing: please enter it again."))
            self._client = MagentoClient(base_url=self.source.base_url, token=token, session=self._session)
        return self._client

    def check(self) -> None:
        """The token reads products and orders; remembers the store's base currency."""
        self.client.search("products", search_criteria([], sort="entity_id", size=1))
        orders, _, _ = self.client.search("orders", search_criteria([], sort="entity_id", size=1))
        currency = text(orders[0].get("base_currency_code")) if orders else ""
        if currency and not (self.source.options or {}).get("currency"):
            self.source.options = {**(self.source.options or {}), "currency": currency}
            self.currency = currency
            if self.source.pk:
                self.source.save(update_fields=["options"])

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        since = cursor.get("since")
        started_at = cursor.get("started_at")
        after_id = integer(cursor.get("after_id")) or 0
        while True:
            groups = [[("entity_id", "gt", str(after_id))]]
            if since:
                groups.append([("updated_at", "gteq", magento_time(since))])
            items, total, response = self.client.search(
                stream, search_criteria(groups, sort="entity_id", size=self.page_size)
            )
            started_at = started_at or server_time(response).isoformat()
            key = "entity_id" if stream == "orders" else "id"
            try:
                ids = [int(item[key]) for item in items]
            except (KeyError, TypeError, ValueError):
                raise self.client.unexpected_answer() from None
            if ids != sorted(ids) or (ids and ids[0] <= after_id):
                raise self.client.unexpected_answer()
            records = self._records(stream, items)
            more = len(items) >= self.page_size and (total is None or total > len(items))
            if ids:
                after_id = ids[-1]
            after = {"after_id": after_id, "since": since, "started_at": started_at} if more else None
            yield Page(stream=stream, records=records, cursor=after or {"since": next_since(started_at)})
            if not more:
                return

    def _records(self, stream: str, items: list[dict]) -> list:
        if not items:
            return []
        try:
            if stream == "orders":
                ids = ",".join(str(item["entity_id"]) for item in items)
                memos, _, _ = self.client.search(
                    "creditmemos", search_criteria([[("order_id", "in", ids)]], sort="entity_id", size=1000)
                )
                by_order: dict[str, list[dict]] = {}
                for memo in memos:
                    by_order.setdefault(str(memo.get("order_id")), []).append(memo)
                return [map_order(order, by_order.get(str(order["entity_id"]), [])) for order in items]
            stock = self._stock([text(item.get("sku")) for item in items])
            return [
                map_product(
                    item, base_url=self.client.base_url, currency=self.currency, stock=stock.get(text(item.get("sku")))
                )
                for item in items
            ]
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("Magento at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None

    def _stock(self, skus: list[str]) -> dict[str, int]:
        """Each SKU's quantity over its sources (MSI), or {} where the store has no MSI."""
        if self._msi is False or not skus:
            return {}
        params = search_criteria([[("sku", "in", ",".join(skus))]], sort="sku", size=1000)
        try:
            rows, _, _ = self.client.search("inventory/source-items", params)
        except NoInventoryApi:
            self._msi = False  # no MSI (Magento before 2.3, or its modules off): the products' stock items
            return {}
        self._msi = True
        quantities: dict[str, int] = {}
        for row in rows:
            quantities[text(row.get("sku"))] = quantities.get(text(row.get("sku")), 0) + int(money(row.get("quantity")))
        return quantities
