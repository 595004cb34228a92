"""The plain records every connector yields; ``connectors.writer`` turns them into rows.

Money is ``Decimal``; times are time-zone aware; a quantity below zero is a return.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext


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


class RecordError(ValueError):
    """A record no source should send (e.g. an order placed in year 1); the message names it."""


def date_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """The plausible range of every date a source gives: ``CONNECTORS_EARLIEST_DATE`` (UTC midnight)
    to ``CONNECTORS_DAYS_AHEAD`` days ahead of now.

    Anything outside is a mistake in the source (year 1, 9999, a swapped field), and some of it
    cannot even be read back: 0001-01-01T00:30+01:00 is year 0 in UTC.
    """
    earliest = datetime.datetime.combine(settings.CONNECTORS_EARLIEST_DATE, datetime.time(), datetime.UTC)
    return earliest, timezone.now() + datetime.timedelta(days=settings.CONNECTORS_DAYS_AHEAD)


def date_in_range(value: datetime.date, bounds: tuple[datetime.datetime, datetime.datetime]) -> bool:
    """Whether an aware datetime (or a date) lies within ``bounds`` (see ``date_bounds``)."""
    earliest, latest = bounds
    if not isinstance(value, datetime.datetime):
        return earliest.date() <= value <= latest.date()
    try:
        return earliest <= value <= latest
    except (OverflowError, TypeError):  # naive, or an offset that leaves the calendar
        return False


def out_of_range_message(bounds: tuple[datetime.datetime, datetime.datetime]) -> str:
    """Why a date is refused, in the active language (dates in ISO 8601, as files write them)."""
    earliest, latest = bounds
    return gettext("The date must be between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.date().isoformat(),
        "latest": latest.date().isoformat(),
    }


def check_dates(stream: str, records: list) -> None:
    """Refuse a page holding a date outside ``date_bounds``: every source's records pass here
    (``connectors.writer.write_page``), whatever checked them before. Raises ``RecordError``."""
    if stream not in ("orders", "analytics"):
        return
    bounds = date_bounds()
    for record in records:
        value = record.placed_at if stream == "orders" else record.date
        if not date_in_range(value, bounds):
            reason = out_of_range_message(bounds)
            if stream == "orders":
                message = gettext("Order %(id)s has the date %(date)s: %(reason)s") % {
                    "id": record.external_id,
                    "date": value,
                    "reason": reason,
                }
            else:
                message = gettext("The analytics of %(date)s: %(reason)s") % {"date": value, "reason": reason}
            raise RecordError(message)


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
