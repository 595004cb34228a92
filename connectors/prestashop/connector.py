"""PrestaShop: products and orders, incrementally by ``date_upd``, page after page by id.

A listing is read in ascending id order (``sort=[id_ASC]``), each page asking for the ids past
the last one written (``filter[id]=[n+1,…]``, ``limit=count``): a record deleted meanwhile
cannot make the read skip one, and a record is never written twice in a run. An incremental
run adds ``filter[date_upd]=[since,9999-12-31 23:59:59]`` with ``date=1``; PrestaShop keeps its dates in the
shop's time zone (``PS_TIMEZONE``), so the bounds are written in it.

Per page of orders, three more requests: the customers (their default group tells B2B from
B2C), the delivery addresses (their country's ISO code) and the order slips (the dated
refunds). Per page of products, their combinations and ``stock_availables``. Countries,
currencies, order states and groups are read once a run.

Cursor of a stream, saved after each written page:

- while paginating: ``{"after_id": n, "since": ..., "started_at": ...}``;
- after the last page: ``{"since": ...}``: the next run's starting point (this run's start by
  the shop's clock, less a minute of overlap).

Money: every amount of an order record excludes tax, as PrestaShop keeps both (``*_tax_excl``
and ``*_tax_incl``); the tax is the difference. Gift wrapping is charged to the customer
(revenue); PrestaShop records no fee paid by the merchant.
"""

from __future__ import annotations

import datetime
import html
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..base import ConnectField, Connector, ConnectorError
from ..records import ImageRecord, OrderLineRecord, OrderRecord, Page, ProductRecord, RefundRecord, customer_ref
from ..restapi import integer, money, next_since, server_time, stored_credentials
from .client import PAGE_SIZE, PermissionMissing, PrestaShopClient

logger = logging.getLogger(__name__)

NO_END = "9999-12-31 23:59:59"
LAST_ID = 4294967295  # PrestaShop's ids are unsigned 32-bit integers
CENT = Decimal("0.01")
PS_TAX_EXC = "1"  # a group's price_display_method: prices shown without tax, PrestaShop's B2B groups
# PrestaShop's own order states, used when the key may not read the configuration.
DEFAULT_STATES = {"PS_OS_CANCELED": "6", "PS_OS_REFUND": "7", "PS_OS_ERROR": "8"}
CONFIGURATION = ("PS_TIMEZONE", "PS_CURRENCY_DEFAULT", "PS_LANG_DEFAULT", *DEFAULT_STATES)


def text(value: Any) -> str:
    return "" if value is None else html.unescape(str(value)).strip()


def plain(value: str | None) -> str:
    return html.unescape(strip_tags(value or "")).strip()


def translated(value: Any, language: str = "") -> str:
    """A multilingual field: a plain string (one language asked or installed), else ``[{"id", "value"}]``."""
    if isinstance(value, list):
        chosen = next((item for item in value if str(item.get("id")) == language), value[0] if value else {})
        return text(chosen.get("value"))
    return text(value)


@dataclass
class ShopFacts:
    """What the orders and products refer to by id: read once a run."""

    time_zone: datetime.tzinfo = datetime.UTC
    currency: str = ""  # the shop's default currency
    language: str = ""
    currencies: dict[str, str] = field(default_factory=dict)  # id -> ISO code
    countries: dict[str, str] = field(default_factory=dict)  # id -> ISO code
    states: dict[str, str] = field(default_factory=dict)  # id -> our status
    b2b_groups: set[str] = field(default_factory=set)
    # Per page of orders:
    address_countries: dict[str, str] = field(default_factory=dict)  # id_address -> id_country
    customer_groups: dict[str, str] = field(default_factory=dict)  # id_customer -> id_default_group

    def local(self, value: str | None) -> datetime.datetime | None:
        """A PrestaShop date ("2026-03-10 11:00:00", the shop's time zone) as an aware datetime."""
        if not value or value.startswith("0000"):
            return None
        return datetime.datetime.fromisoformat(value).replace(tzinfo=self.time_zone)

    def shop_time(self, moment: str) -> str:
        """An ISO time as PrestaShop writes its dates, in the shop's time zone."""
        return datetime.datetime.fromisoformat(moment).astimezone(self.time_zone).strftime("%Y-%m-%d %H:%M:%S")


def state_statuses(states: list[dict], configuration: dict[str, str]) -> dict[str, str]:
    """Each order state as our status: the shop's cancelled, payment-error and refunded states by its
    configuration; a state that counts the order as validated (``logable``) is a sale; others wait."""
    cancelled = {configuration.get(name) or DEFAULT_STATES[name] for name in ("PS_OS_CANCELED", "PS_OS_ERROR")}
    refunded = configuration.get("PS_OS_REFUND") or DEFAULT_STATES["PS_OS_REFUND"]
    statuses = {}
    for state in states:
        id_ = str(state.get("id"))
        if id_ in cancelled:
            statuses[id_] = "cancelled"
        elif id_ == refunded:
            statuses[id_] = "refunded"
        else:
            statuses[id_] = "completed" if str(state.get("logable")) == "1" else "pending"
    return statuses


def _difference(order: dict, name: str) -> Decimal:
    return money(order.get(f"{name}_tax_incl")) - money(order.get(f"{name}_tax_excl"))


def map_slip(slip: dict, facts: ShopFacts) -> RefundRecord:
    """An order slip (a credit note): the goods and shipping refunded, without tax, and the tax."""
    amount = money(slip.get("total_products_tax_excl")) + money(slip.get("total_shipping_tax_excl"))
    gross = money(slip.get("total_products_tax_incl")) + money(slip.get("total_shipping_tax_incl"))
    return RefundRecord(
        external_id=str(slip["id"]),
        refunded_at=facts.local(slip.get("date_add")),
        amount=amount.quantize(CENT),
        tax=(gross - amount).quantize(CENT),
    )


def map_line(row: dict) -> OrderLineRecord:
    quantity = int(row.get("product_quantity") or 0)
    excl = money(row.get("unit_price_tax_excl"))
    product_id = text(row.get("product_id"))
    return OrderLineRecord(
        line_key=str(row["id"]),
        quantity=quantity,
        unit_price=excl,
        sku=text(row.get("product_reference"))[:100],
        description=text(row.get("product_name"))[:500],
        product_external_id="" if product_id in ("", "0") else product_id,
        tax=((money(row.get("unit_price_tax_incl")) - excl) * quantity).quantize(CENT),
    )


def map_order(order: dict, facts: ShopFacts, slips: list[dict] = ()) -> OrderRecord:
    """An order with its rows (``associations.order_rows``) and slips, every amount in the order's currency."""
    group = facts.customer_groups.get(str(order.get("id_customer")), "")
    country = facts.countries.get(facts.address_countries.get(str(order.get("id_address_delivery")), ""), "")
    rows = (order.get("associations") or {}).get("order_rows") or []
    return OrderRecord(
        external_id=str(order["id"]),
        placed_at=facts.local(order.get("date_add")),
        lines=[map_line(row) for row in rows],
        channel="B2B" if group in facts.b2b_groups else "B2C",
        customer_country=country.upper()[:2],
        customer_ref=customer_ref("id", order.get("id_customer")),
        status=facts.states.get(str(order.get("current_state")), "pending"),
        currency=facts.currencies.get(str(order.get("id_currency")), "")[:3],
        prices_include_tax=False,  # every amount below is the tax-excluded one
        tax=(money(order.get("total_paid_tax_incl")) - money(order.get("total_paid_tax_excl"))).quantize(CENT),
        discounts=money(order.get("total_discounts_tax_excl")),
        shipping=money(order.get("total_shipping_tax_excl")),
        shipping_tax=_difference(order, "total_shipping").quantize(CENT),
        customer_fees=money(order.get("total_wrapping_tax_excl")),
        refund_records=[map_slip(slip, facts) for slip in slips],
    )


def image_url(base_url: str, image_id: str) -> str:
    """A product image's public address, by PrestaShop's image folders (``img/p/1/2/12.jpg``)."""
    return f"{base_url}/img/p/{'/'.join(image_id)}/{image_id}.jpg"


def map_product(
    product: dict, facts: ShopFacts, *, base_url: str, combinations: list[dict] = (), stock: list[dict] = ()
) -> ProductRecord:
    """A product; with combinations, its stock is theirs added up, and a reference, barcode or cost
    missing on the product is the combinations' when they all agree."""

    def shared(name: str) -> str:
        values = {text(c.get(name)) for c in combinations} - {"", "0", "0.000000"}
        return values.pop() if len(values) == 1 else ""

    product_id = str(product["id"])
    attribute_rows = [row for row in stock if text(row.get("id_product_attribute")) not in ("", "0")]
    rows = attribute_rows or [row for row in stock if text(row.get("id_product_attribute")) in ("", "0")]
    quantities = [integer(row.get("quantity")) for row in rows]
    tracked = bool(rows) and all(quantity is not None for quantity in quantities)
    cost = money(product.get("wholesale_price"), None)
    if not cost:
        cost = money(shared("wholesale_price"), None) or None
    images = (product.get("associations") or {}).get("images") or []
    return ProductRecord(
        external_id=product_id,
        title=translated(product.get("name"), facts.language)[:500],
        sku=(text(product.get("reference")) or shared("reference"))[:100],
        description=plain(translated(product.get("description"), facts.language)),
        price=money(product.get("price"), None),
        currency=facts.currency,
        images=[ImageRecord(url=image_url(base_url, str(image["id"]))) for image in images if image.get("id")],
        gtin=(text(product.get("ean13")) or shared("ean13"))[:20],
        brand=text(product.get("manufacturer_name"))[:200],
        mpn=(text(product.get("mpn")) or shared("mpn"))[:100],  # PrestaShop 1.7.7+
        stock_tracked=tracked,
        stock_quantity=sum(quantities) if tracked else None,
        status="active" if str(product.get("active")) == "1" else "draft",
        unit_cost=cost,
    )


def _or(ids) -> str:
    """PrestaShop's OR filter: ``[1|5|9]``."""
    return "[" + "|".join(sorted({str(id_) for id_ in ids if str(id_) not in ("", "0")}, key=int)) + "]"


class PrestaShopConnector(Connector):
    kind = "prestashop"
    streams = ("products", "orders")
    url_label = _("Shop address")
    url_help = _(
        "Your shop's address, for example https://www.my-shop.fr: the webservice answers under "
        "https://www.my-shop.fr/api/."
    )
    connect_fields = (
        ConnectField(
            "key",
            _("Webservice key"),
            _(
                "In your PrestaShop back office: Advanced Parameters → Webservice → Add new webservice key. "
                "Enable the webservice, generate a key and tick “View (GET)” for addresses, combinations, "
                "configurations, countries, currencies, customers, groups, order_slip, order_states, orders, "
                "products and stock_availables. A key that may only read changes nothing in your shop."
            ),
        ),
    )

    def __init__(self, source, *, session=None):
        super().__init__(source)
        self._session = session
        self._client: PrestaShopClient | None = None
        self._facts: ShopFacts | None = None
        self.page_size = PAGE_SIZE

    @property
    def client(self) -> PrestaShopClient:
        if self._client is None:
            if not self.source.base_url:
                raise ConnectorError(gettext("The shop's address is missing."))
            key = stored_credentials(self.source).get("key")
            if not key:
                raise ConnectorError(gettext("The webservice key is missing: please enter it again."))
            self._client = PrestaShopClient(base_url=self.source.base_url, key=key, session=self._session)
        return self._client

    def check(self) -> None:
        """The key reads orders and products, on PrestaShop 1.7 or later; remembers the shop's currency."""
        self.client.listing("orders", {"display": "[id]", "limit": 1})
        if self.client.too_old():
            raise self.client.too_old_error()
        self.client.listing("products", {"display": "[id]", "limit": 1})
        facts = self.facts
        options = dict(self.source.options or {})
        if facts.currency and not options.get("currency"):
            options["currency"] = facts.currency
            self.source.options = options
            if self.source.pk:
                self.source.save(update_fields=["options"])

    # What the records refer to.

    def _configuration(self) -> dict[str, str]:
        try:
            rows, _ = self.client.listing(
                "configurations", {"display": "[name,value]", "filter[name]": "[" + "|".join(CONFIGURATION) + "]"}
            )
        except PermissionMissing:
            logger.info("PrestaShop at %s: the key may not read the configuration, defaults used", self.client.address)
            return {}
        configuration: dict[str, str] = {}
        for row in rows:
            configuration.setdefault(text(row.get("name")), text(row.get("value")))
        return configuration

    def _ids(self, resource: str, value: str, *, only: str | None = None) -> dict[str, str]:
        """``{id: value}`` of every record of ``resource``, or of those in ``only`` (an OR filter)."""
        if only == "[]":
            return {}
        params = {"display": f"[id,{value}]"}
        if only is not None:
            params["filter[id]"] = only
        rows, _ = self.client.listing(resource, params)
        return {str(row.get("id")): text(row.get(value)) for row in rows}

    @property
    def facts(self) -> ShopFacts:
        if self._facts is None:
            configuration = self._configuration()
            zone_name = configuration.get("PS_TIMEZONE") or (self.source.options or {}).get("time_zone")
            try:
                time_zone = ZoneInfo(zone_name or settings.TIME_ZONE)
            except (ZoneInfoNotFoundError, ValueError):
                time_zone = ZoneInfo(settings.TIME_ZONE)
            currencies = self._ids("currencies", "iso_code")
            states, _ = self.client.listing("order_states", {"display": "[id,logable]"})
            groups, _ = self.client.listing("groups", {"display": "[id,price_display_method]"})
            b2b = {str(group.get("id")) for group in groups if str(group.get("price_display_method")) == PS_TAX_EXC}
            b2b |= {str(group) for group in (self.source.options or {}).get("b2b_groups") or []}
            self._facts = ShopFacts(
                time_zone=time_zone,
                currency=currencies.get(configuration.get("PS_CURRENCY_DEFAULT", ""), "")
                or (self.source.options or {}).get("currency", ""),
                language=configuration.get("PS_LANG_DEFAULT", ""),
                currencies=currencies,
                countries=self._ids("countries", "iso_code"),
                states=state_statuses(states, configuration),
                b2b_groups=b2b,
            )
        return self._facts

    # Pages.

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        cursor = cursor or {}
        since = cursor.get("since")
        started_at = cursor.get("started_at")
        after_id = integer(cursor.get("after_id")) or 0  # a cursor not of ours reads from the start
        facts = self.facts
        resource = "orders" if stream == "orders" else "products"
        while True:
            params = {"sort": "[id_ASC]", "limit": self.page_size, "filter[id]": f"[{after_id + 1},{LAST_ID}]"}
            if since:
                # Changed since the last run, by the shop's clock; no upper bound, so a record changed
                # during this run is read now (or, if it is behind our place, by the next run).
                params.update({"filter[date_upd]": f"[{facts.shop_time(since)},{NO_END}]", "date": 1})
            items, response = self.client.listing(resource, params)
            started_at = started_at or server_time(response).isoformat()
            ids = self._id_list(items)
            if ids != sorted(ids) or (ids and ids[0] <= after_id):
                raise self.client.unexpected_answer()  # not the listing asked for: never write it
            records = self._records(stream, items)
            more = len(items) >= self.page_size
            if ids:
                after_id = ids[-1]
            after = {"after_id": after_id, "since": since, "started_at": started_at} if more else None
            yield Page(stream=stream, records=records, cursor=after or {"since": next_since(started_at)})
            if not more:
                return

    def _id_list(self, items: list[dict]) -> list[int]:
        try:
            return [int(item["id"]) for item in items]
        except (KeyError, TypeError, ValueError):
            raise self.client.unexpected_answer() from None

    def _records(self, stream: str, items: list[dict]) -> list:
        if not items:
            return []
        try:
            if stream == "orders":
                return self._orders(items)
            return self._products(items)
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("PrestaShop at %s: a %s record has an unexpected shape", self.client.address, stream)
            raise self.client.unexpected_answer() from None

    def _orders(self, orders: list[dict]) -> list[OrderRecord]:
        facts = self.facts
        ids = [order["id"] for order in orders]
        customers = _or(order.get("id_customer") for order in orders)
        addresses = _or(order.get("id_address_delivery") for order in orders)
        facts.customer_groups = self._ids("customers", "id_default_group", only=customers)
        facts.address_countries = self._ids("addresses", "id_country", only=addresses)
        slips, _ = self.client.listing("order_slip", {"filter[id_order]": _or(ids), "sort": "[id_ASC]"})
        by_order: dict[str, list[dict]] = {}
        for slip in slips:
            by_order.setdefault(str(slip.get("id_order")), []).append(slip)
        return [map_order(order, facts, by_order.get(str(order["id"]), [])) for order in orders]

    def _products(self, products: list[dict]) -> list[ProductRecord]:
        facts = self.facts
        ids = _or(product["id"] for product in products)
        with_combinations = _or(
            product["id"] for product in products if (product.get("associations") or {}).get("combinations")
        )
        combinations: dict[str, list[dict]] = {}
        if with_combinations != "[]":
            rows, _ = self.client.listing("combinations", {"filter[id_product]": with_combinations})
            for row in rows:
                combinations.setdefault(str(row.get("id_product")), []).append(row)
        stock: dict[str, list[dict]] = {}
        rows, _ = self.client.listing(
            "stock_availables", {"display": "[id,id_product,id_product_attribute,quantity]", "filter[id_product]": ids}
        )
        for row in rows:
            stock.setdefault(str(row.get("id_product")), []).append(row)
        return [
            map_product(
                product,
                facts,
                base_url=self.client.base_url,
                combinations=combinations.get(str(product["id"]), []),
                stock=stock.get(str(product["id"]), []),
            )
            for product in products
        ]
