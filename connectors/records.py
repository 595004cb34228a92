"""The plain records every connector yields; ``connectors.writer`` turns them into rows.

Money is ``Decimal``; times are time-zone aware; a quantity below zero is a return.
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
    unit_cost: Decimal | None = None
    product_external_id: str = ""  # matched to a product of the same source when given, else by SKU


@dataclass(slots=True)  # slots: hundreds of thousands per import, cheaper to make and read
class OrderRecord:
    external_id: str
    placed_at: datetime.datetime
    lines: list[OrderLineRecord] = field(default_factory=list)
    channel: str = ""
    customer_country: str = ""
    status: str = "completed"  # completed | pending | cancelled | refunded
    currency: str = ""
    discounts: Decimal = Decimal("0")
    refunds: Decimal = Decimal("0")
    shipping: Decimal = Decimal("0")
    fees: Decimal = Decimal("0")


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
