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
    # The currency ``amount`` and ``tax`` are written in when it is not the order record's (a file's
    # "Refund currency" column): the writer converts them at the rate of the refund's day and keeps
    # what was paid back in ``paid_amount`` / ``paid_currency``.
    currency: str = ""


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
    # Who ordered, as the platform knows them (its customer id, else the e-mail): optional, never
    # stored. The writer keeps only a pseudonymous key of it (``customer_key``, see
    # docs/decisions/0016-customer-key.md); a connector that does not know leaves it empty.
    customer_ref: str = ""
    customer_key: str = ""  # set by the writer from ``customer_ref``


def customer_ref(kind: str, value) -> str:
    """A raw customer identity for ``OrderRecord.customer_ref``: ``kind`` ("id", "email") and the value,
    or "" when there is none (a guest's id 0, a blank e-mail)."""
    value = "" if value is None else str(value).strip()
    if not value or value == "0":
        return ""
    return f"{kind}:{value.lower() if kind == 'email' else value}"


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
        values = [record.date] if stream == "analytics" else [record.placed_at]
        if stream == "orders":
            values += [refund.refunded_at for refund in record.refund_records]
        value = next((value for value in values if not date_in_range(value, bounds)), None)
        if value is not None:
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
