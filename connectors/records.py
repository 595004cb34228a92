"""The plain records every connector yields; ``connectors.writer`` turns them into rows.

Money is ``Decimal``; times are time-zone aware; a quantity below zero is a return.

Every amount of an order record (its lines, shipping, fees, discounts and refunds) is in the
record's ``currency`` and excludes tax; the tax is given beside it (``tax``, ``shipping_tax``,
each line's and refund's ``tax``). A connector whose platform reports amounts in the shop's
currency (Shopify's ``shop_money``) gives them so; one that gives only the customer's currency
gives that, and the writer converts with a dated, recorded rate (``models.ExchangeRate``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ImageRecord:
    url: str
    width: int | None = None
    height: int | None = None


@dataclass
class ProductRecord:
    external_id: str
    title: str = ""
    sku: str = ""
    description: str = ""
    price: Decimal | None = None
    currency: str = ""
    images: list[ImageRecord] = field(default_factory=list)
    gtin: str = ""
    brand: str = ""
    mpn: str = ""
    stock_tracked: bool = False
    stock_quantity: int | None = None
    status: str = "active"  # active | draft | archived
    unit_cost: Decimal | None = None
    category: str = ""


@dataclass(slots=True)  # slots: hundreds of thousands per import, cheaper to make and read
class OrderLineRecord:
    line_key: str
    quantity: int
    unit_price: Decimal
    sku: str = ""
    description: str = ""
    unit_cost: Decimal | None = None  # at the time of sale; None: the product's, else estimated
    product_external_id: str = ""  # matched to a product of the same source when given, else by SKU
    tax: Decimal = Decimal("0")  # the tax on the line, after discounts (``unit_price`` excludes it)


@dataclass(slots=True)
class RefundRecord:
    """Money given back on an order, on the day it happened.

    ``amount`` (excluding tax) and ``tax`` are in the order record's currency. ``paid_amount``
    and ``paid_currency``: what was actually paid back, when that was another currency (a
    Shopify refund transaction in the customer's currency); the rate between the two is recorded.
    """

    external_id: str
    refunded_at: datetime.datetime
    amount: Decimal
    tax: Decimal = Decimal("0")
    paid_amount: Decimal | None = None
    paid_currency: str = ""
    restocked: list[dict] = field(default_factory=list)  # [{"line_key": ..., "quantity": int}]
    # The shop-currency value of one unit of the paid (or the record's) currency, and its day: set by
    # the writer when it converts; else derived from the two amounts.
    rate: Decimal | None = None
    rate_date: datetime.date | None = None


@dataclass(slots=True)  # slots: hundreds of thousands per import, cheaper to make and read
class OrderRecord:
    external_id: str
    placed_at: datetime.datetime
    lines: list[OrderLineRecord] = field(default_factory=list)
    channel: str = ""
    customer_country: str = ""
    status: str = "completed"  # completed | pending | cancelled | refunded
    currency: str = ""  # of every amount below
    discounts: Decimal = Decimal("0")
    # A total without dates, for sources that give no refund records: stored as one refund on
    # the order's day. Ignored when ``refund_records`` are given.
    refunds: Decimal = Decimal("0")
    shipping: Decimal = Decimal("0")
    fees: Decimal = Decimal("0")  # paid by the merchant (payment, marketplace): a cost
    customer_fees: Decimal = Decimal("0")  # charged to the customer (gift wrap): revenue
    tax: Decimal = Decimal("0")  # the order's whole tax: lines, shipping and fees
    shipping_tax: Decimal = Decimal("0")
    prices_include_tax: bool | None = None
    presentment_currency: str = ""  # the customer's currency, when the platform says
    refund_records: list[RefundRecord] = field(default_factory=list)


@dataclass
class AnalyticsRecord:
    date: datetime.date
    product_key: str = ""  # the product's external id in the same source; empty for the whole shop
    views: int = 0
    sessions: int = 0
    add_to_carts: int = 0
    purchases: int = 0


Record = ProductRecord | OrderRecord | AnalyticsRecord


@dataclass
class Page:
    """One page of one stream, and where the stream continues after it.

    ``cursor`` is saved only once the page is written, so a sync that dies resumes at the
    first page not yet written. ``pages_expected`` is how many pages this run will read
    from the stream, counting from where it started (e.g. the source's total pages minus
    the pages a resumed run skips), when the source says; it drives the progress bar.
    """

    stream: str  # "products" | "orders" | "analytics"
    records: list[Record]
    cursor: dict
    pages_expected: int | None = None
