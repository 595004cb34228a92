"""Squarespace Commerce: products (one record per variant, stock from the Inventory API) and orders.

Orders (``GET /1.0/commerce/orders``, 50 a page, by modification date): a first sync lists them
all, page after page by ``cursor``; every later sync asks for the window ``modifiedAfter`` (the
last run's start less a minute) to ``modifiedBefore`` (this run's start) — Squarespace requires
both together, in ISO 8601 UTC, and a cursor never goes with them — then follows its cursor. The
cursor of the next page is saved with each page written, so a sync that dies resumes at the
first page not written. Squarespace's cursors are dynamic and may expire: a cursor refused (400)
restarts its listing or window from the beginning, which writes nothing twice (orders are
written by their id). Test-mode orders are not sales and are left out.

Products (``GET /v2/commerce/products``, every type) are read in full at each sync, each page's
stock from ``GET /1.0/commerce/inventory/{variant ids}`` (``quantity``, ``isUnlimited``): stock
changes never touch a product's ``modifiedOn``, so a window would miss them.

Money. Every amount is a ``{"currency", "value"}`` with the value a string, in the site's one
currency. ``priceTaxInterpretation`` says whether prices include tax (``INCLUSIVE``, usual in the
UK and France) or not (``EXCLUSIVE``). The Orders API gives the tax of the whole order only
(``taxTotal``): it is shared between goods, shipping and any other charge in proportion to their
amounts (one rate for the order, as a VAT shop's usual case), and taken out of each when prices
include it. Squarespace has no fee lines: what ``grandTotal`` holds beyond goods less discounts,
shipping and tax is a charge to the customer (``customer_fees``).

Refunds. The Orders API gives ``refundedTotal`` (tax included) and no date per refund; the
Transactions API has those but needs another permission of the key, so it is not read. The total
is recorded as one refund, its tax in the order's tax share, dated at the order's ``modifiedOn``
(a refund modifies the order: its last change is the latest refund's time, or later). A later
refund of the same order moves that date to its own. A ``CANCELED`` order is cancelled, as on
every platform; one refunded in full is ``refunded``.
"""

from __future__ import annotations

import datetime
import html
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..base import ConnectField, Connector, ConnectorError
from ..records import ImageRecord, OrderLineRecord, OrderRecord, Page, ProductRecord, RefundRecord, customer_ref
from ..restapi import RequestRefused, aware, money, next_since, shop_address, stored_credentials
from .client import SquarespaceClient

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ORDERS = "1.0/commerce/orders"
PRODUCTS = "v2/commerce/products"
INVENTORY = "1.0/commerce/inventory"
PRODUCT_TYPES = "PHYSICAL,SERVICE,GIFT_CARD,DIGITAL"
INVENTORY_IDS_MAX = 50  # ids per "Retrieve specific inventory" request
STATUSES = {"PENDING": "completed", "FULFILLED": "completed", "CANCELED": "cancelled"}


def text(value: Any) -> str:
    return "" if value is None else html.unescape(str(value)).strip()


def amount(value: Any) -> Decimal:
    """A Squarespace money object's value (a string) as ``Decimal``; absent → 0."""
    return money(value.get("value")) if isinstance(value, dict) else Decimal(0)


def squarespace_time(moment: datetime.datetime) -> str:
    """ISO 8601 UTC as the Orders API asks for it: ``2026-04-10T12:00:00.000Z``."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` shared in proportion to ``weights``, in cents, the rounding left on the largest share."""
    whole = sum(weights, Decimal(0))
    if not whole:
        return [Decimal(0) for _ in weights]
    parts = [(total * weight / whole).quantize(CENT) for weight in weights]
    if parts:
        largest = max(range(len(parts)), key=lambda i: abs(weights[i]))
        parts[largest] += total.quantize(CENT) - sum(parts, Decimal(0))
    return parts


def map_order(order: dict) -> OrderRecord:
    """An order, every amount without tax and the tax beside it (see the module's "Money")."""
    included = text(order.get("priceTaxInterpretation")).upper() == "INCLUSIVE"
    items = order.get("lineItems") or []
    gross_lines = [amount(item.get("unitPricePaid")) * int(item.get("quantity") or 0) for item in items]
    subtotal = amount(order.get("subtotal")) if order.get("subtotal") else sum(gross_lines, Decimal(0))
    discounts, shipping = amount(order.get("discountTotal")), amount(order.get("shippingTotal"))
    tax, grand = amount(order.get("taxTotal")), amount(order.get("grandTotal"))
    goods = subtotal - discounts
    # What the customer paid beyond goods, shipping (and tax when it is added): a charge of its own.
    fees = max(grand - goods - shipping - (Decimal(0) if included else tax), Decimal(0))
    goods_tax, shipping_tax, fees_tax = _shares(tax, [goods, shipping, fees])
    lines_tax = _shares(goods_tax, gross_lines)
    # With prices including tax, each amount loses its share of the tax.
    whole = goods + shipping + fees
    factor = (whole - tax) / whole if included and whole else Decimal(1)
    if included:
        discounts, shipping, fees = (discounts * factor).quantize(CENT), shipping - shipping_tax, fees - fees_tax
    lines = []
    for item, line_tax in zip(items, lines_tax, strict=True):
        quantity = int(item.get("quantity") or 0)
        unit = amount(item.get("unitPricePaid"))
        lines.append(
            OrderLineRecord(
                line_key=text(item.get("id")),
                quantity=quantity,
                unit_price=(unit * factor).quantize(CENT) if included else unit,
                sku=text(item.get("sku"))[:100],
                description=text(item.get("productName"))[:500],
                product_external_id=text(item.get("variantId")),
                tax=line_tax,
            )
        )
    refunded = amount(order.get("refundedTotal"))
    modified = aware(order.get("modifiedOn"), naive_is_utc=True) or aware(order["createdOn"], naive_is_utc=True)
    refunds = []
    if refunded:
        refund_tax = (refunded * tax / grand).quantize(CENT) if grand else Decimal(0)
        refunds.append(RefundRecord("refunded-total", modified, (refunded - refund_tax).quantize(CENT), refund_tax))
    status = STATUSES.get(text(order.get("fulfillmentStatus")).upper(), "pending")
    if status == "completed" and grand and refunded >= grand:
        status = "refunded"
    shipping_address, billing = order.get("shippingAddress") or {}, order.get("billingAddress") or {}
    currency = (order.get("grandTotal") or {}).get("currency") or (order.get("subtotal") or {}).get("currency")
    return OrderRecord(
        external_id=text(order["id"]),
        placed_at=aware(order["createdOn"], naive_is_utc=True),
        lines=lines,
        channel=text(order.get("channelName") or order.get("channel"))[:100],
        customer_country=text(shipping_address.get("countryCode") or billing.get("countryCode")).upper()[:2],
        status=status,
        currency=text(currency).upper()[:3],
        prices_include_tax=included if order.get("priceTaxInterpretation") else None,
        tax=tax,
        discounts=discounts,
        shipping=shipping,
        shipping_tax=shipping_tax,
        customer_fees=fees,
        refund_records=refunds,
        customer_ref=customer_ref("email", order.get("customerEmail")),  # the Orders API names no customer id
    )


def map_variants(product: dict, stock: dict[str, dict], currency: str = "") -> list[ProductRecord]:
    """One product record per variant (what an order line names by ``variantId``)."""
    name = text(product.get("name"))
    description = html.unescape(strip_tags(text(product.get("description")))).strip()
    images = [ImageRecord(url=image["url"]) for image in product.get("images") or [] if image.get("url")]
    variants = product.get("variants") or []
    records = []
    for variant in variants:
        attributes = variant.get("attributes") or {}
        title = name + (f" ({', '.join(text(v) for v in attributes.values())})" if attributes else "")
        pricing = variant.get("pricing") or {}
        price = pricing.get("salePrice") if pricing.get("onSale") else pricing.get("basePrice")
        level = stock.get(text(variant.get("id")))
        own = variant.get("stock") or {}
        if level is not None:  # the Inventory API: physical and service variants
            unlimited, quantity = bool(level.get("isUnlimited")), level.get("quantity")
        else:  # gift cards and downloads have no inventory item: the variant's own stock, if any
            unlimited, quantity = bool(own.get("unlimited", True)), own.get("quantity")
        image = (variant.get("image") or {}).get("url")
        records.append(
            ProductRecord(
                external_id=text(variant["id"]),
                title=title[:500],
                sku=text(variant.get("sku"))[:100],
                description=description,
                price=amount(price) if isinstance(price, dict) else None,
                currency=text((price or {}).get("currency") if isinstance(price, dict) else currency)[:3],
                images=[ImageRecord(url=image), *images] if image else images,
                stock_tracked=not unlimited and quantity is not None,
                stock_quantity=None if unlimited or quantity is None else int(quantity),
                status="active" if product.get("isVisible", True) else "draft",
                category=text(product.get("type")).lower()[:100],
            )
        )
    return records


class SquarespaceConnector(Connector):
    kind = "squarespace"
    streams = ("products", "orders")
    url_required = False
    url_label = _("Site address (optional)")
    url_help = _(
        "Your site's address, for example https://www.my-shop.co.uk. It may be left empty: the API key "
        "names its site, and the address is read from Squarespace."
    )
    connect_fields = (
        ConnectField(
            "key",
            _("API key"),
            _(
                "In Squarespace: Settings → Advanced → Developer API keys → Generate key; give it the "
                "read-only permission for Orders, Products and Inventory, then copy the key (Squarespace "
                "shows it only once)."
            ),
        ),
    )

    def __init__(self, source, *, session=None):
        super().__init__(source)
        self._session = session
        self._client: SquarespaceClient | None = None
        self.currency = (source.options or {}).get("currency", "")

    def address(self) -> str:
        return shop_address(settings.CONNECTORS_SQUARESPACE_API_ROOT)  # the API, whatever the site's address

    @property
    def client(self) -> SquarespaceClient:
        if self._client is None:
            key = stored_credentials(self.source).get("key")
            if not key:
                raise ConnectorError(gettext("The API key is missing: please enter it again."))
            self._client = SquarespaceClient(key=key, session=self._session)
        return self._client

    def check(self) -> None:
        """The key's site (its address and currency, remembered), then one page of each API it must read."""
        site = self.client.website()
        currency, address = text(site.get("currency")).upper()[:3], text(site.get("url"))
        options = dict(self.source.options or {})
        if currency and not options.get("currency"):
            options["currency"] = currency
            self.currency = currency
        if address:
            options["site"] = address
            if not self.source.base_url and not self.source.pk:
                self.source.base_url = address.rstrip("/")  # a source being connected: named by its site
        if options != (self.source.options or {}):
            self.source.options = options
            if self.source.pk:
                self.source.save(update_fields=["options"])
        self.client.listing(ORDERS, "result", {})
        self.client.listing(PRODUCTS, "products", {"type": PRODUCT_TYPES})
        self.client.listing(INVENTORY, "inventory", {})

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = dict(cursor or {})
        if stream == "orders":
            yield from self._orders(cursor)
        else:
            yield from self._products(cursor)

    def _listing(self, path: str, key: str, first: dict, cursor: dict) -> Iterator[tuple[list[dict], str | None]]:
        """The listing's pages from ``cursor["page"]`` (else from ``first``); a refused cursor restarts it."""
        page = cursor.get("page")
        restarted = False
        while True:
            try:
                items, following, _ = self.client.listing(path, key, {"cursor": page} if page else first)
            except RequestRefused:
                if not page or restarted:  # refused without a cursor, or again after a restart: not an expiry
                    raise
                logger.info("Squarespace at %s refused a page cursor: the listing restarts", self.client.address)
                page, restarted = None, True
                continue
            yield items, following
            if following is None:
                return
            page = following

    def _orders(self, cursor: dict) -> Iterator[Page]:
        since = cursor.get("since")
        started_at = cursor.get("started_at") or timezone.now().astimezone(datetime.UTC).isoformat()
        first: dict = {}
        if since:
            first = {
                "modifiedAfter": squarespace_time(datetime.datetime.fromisoformat(since)),
                "modifiedBefore": squarespace_time(datetime.datetime.fromisoformat(started_at)),
            }
        for items, following in self._listing(ORDERS, "result", first, cursor):
            records = self._map(items, "orders")
            after = {"since": since, "started_at": started_at, "page": following} if following else None
            yield Page(stream="orders", records=records, cursor=after or {"since": next_since(started_at)})

    def _products(self, cursor: dict) -> Iterator[Page]:
        for items, following in self._listing(PRODUCTS, "products", {"type": PRODUCT_TYPES}, cursor):
            records = self._map(items, "products")
            yield Page(stream="products", records=records, cursor={"page": following} if following else {})

    def _map(self, items: list[dict], stream: str) -> list:
        try:
            if stream == "orders":
                return [map_order(order) for order in items if not order.get("testmode")]
            stock = self._stock([text(v.get("id")) for item in items for v in item.get("variants") or []])
            return [record for item in items for record in map_variants(item, stock, self.currency)]
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError):
            logger.exception("Squarespace at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None

    def _stock(self, variant_ids: list[str]) -> dict[str, dict]:
        """Each variant's inventory item (physical and service variants), by variant id."""
        levels: dict[str, dict] = {}
        ids = [variant_id for variant_id in variant_ids if variant_id]
        for start in range(0, len(ids), INVENTORY_IDS_MAX):
            chunk = ",".join(ids[start : start + INVENTORY_IDS_MAX])
            items, _, _ = self.client.listing(f"{INVENTORY}/{chunk}", "inventory", {})
            levels.update({text(item.get("variantId")): item for item in items})
        return levels
