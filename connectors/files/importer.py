"""Import an orders or products file for an SME: check every row first, then write it all or nothing.

1. Open and sniff the table (``reading``), recognise its layout by its headers (``layouts``)
   or take the user's column mapping; an unknown layout returns the file's headers and the
   fields we need, so the user can map them.
2. First pass, streaming, holding no model object: parse and check every row and collect
   each problem as (line as the user sees it, column header, value, reason in the user's
   language). Any problem: nothing is written and the report names the bad rows (the first
   ``MAX_LISTED_ERRORS``, and how many more). A products file's checked values are spooled to
   a temporary file as they go, so it is parsed only once.
3. Writing, only for a clean file: products from the spool, ``PAGE_SIZE`` at a time through
   ``connectors.writer.write_page`` inside one transaction, so a failure writes nothing.
   An orders file (the big ones) is not spooled: rows are grouped into orders (consecutive
   rows of one order id; an id met again further down joins the same order) and its pages
   are written while pass 1 reads on, inside the same transaction, rolled back if pass 1
   finds a bad row; see ``_PagesAhead`` and ``_import_orders``. The import is recorded as a
   ``SyncRun`` of the SME's file source (a rejected file too, as a failed run naming its
   first problems).

Memory is bounded by a page (plus the ids of the orders in the file, and any order whose
rows are scattered), never by the file. Re-importing a file changes nothing: an order's
external id is its id in the file, a line's key its position within the order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import logging
import pickle
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from queue import Full, Queue
from zoneinfo import ZoneInfo

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from journey.models import SME

from ..models import DataSource, Order, Product, SourceKind, SourceStatus, SyncRun, SyncStatus, SyncTrigger
from ..records import (
    ImageRecord,
    OrderLineRecord,
    OrderRecord,
    ProductRecord,
    RefundRecord,
    date_bounds,
    date_in_range,
    out_of_range_message,
)
from ..services import file_source_for
from ..writer import Counts, check_constraints_per_statement, write_page
from . import layouts, taxes
from .layouts import ORDERS, PRODUCTS, FieldSpec, Layout
from .reading import (
    FileFormatError,
    NumberTooLarge,
    Table,
    TableFormat,
    is_numeric_date,
    parse_decimal,
    parse_integer,
    parse_iso,
)
from .reading import parse_numeric_date as numeric_date

logger = logging.getLogger(__name__)

PAGE_SIZE = 2000
PROGRESS_ROWS = 10_000  # a task's progress is reported every this many rows
MAX_LISTED_ERRORS = 1000
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
MAX_INT = 2**31 - 1
NO_CELL = ("", -1)  # a field the file has no column for
# Amounts exclude tax; the tax is in its own columns (see the README's "Net sales").
AMOUNTS = ("shipping", "discounts", "fees", "refunds", "tax", "shipping_tax", "customer_fees", "refund_tax")


class Status:
    IMPORTED = "imported"  # written (or nothing to change)
    CHECKED = "checked"  # dry run of a clean file: nothing written
    INVALID = "invalid"  # bad rows: nothing written, see errors
    UNKNOWN_LAYOUT = "unknown_layout"  # map the columns (headers, fields) and try again
    UNREADABLE = "unreadable"  # not a table we can read (message)
    FAILED = "failed"  # an unexpected error while writing: nothing written (message)
    BUSY = "busy"  # another import for the same SME ran at the same time: nothing written (message)


@dataclass
class RowError:
    """One bad cell: the line and column header as the user sees them in the file, and why."""

    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return gettext("Line %(line)s, column “%(column)s”, value “%(value)s”: %(reason)s") % {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class ImportResult:
    status: str
    stream: str
    layout: str = ""  # the layout's name: online-retail, shopify, woocommerce, template, mapping
    layout_label: str = ""
    format: TableFormat | None = None
    records: int = 0  # orders (or products) in the file
    lines: int = 0  # order lines in the file
    counts: Counts = field(default_factory=Counts)
    existing: int = 0  # dry run: records of the file already imported (updated if changed)
    pages: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # all bad cells, listed or not
    headers: list[str] = field(default_factory=list)  # the file's, for the mapping form
    fields: list[FieldSpec] = field(default_factory=list)  # ours, for the mapping form
    message: str = ""
    run: SyncRun | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Status.IMPORTED, Status.CHECKED)

    @property
    def unlisted_errors(self) -> int:
        return self.error_count - len(self.errors)


class ErrorLog:
    def __init__(self, cap: int = MAX_LISTED_ERRORS):
        self.cap = cap
        self.listed: list[RowError] = []
        self.count = 0

    def add(self, line: int, column: str, value, reason: str) -> None:
        self.count += 1
        if len(self.listed) < self.cap:
            self.listed.append(RowError(line, column, _shown(value), str(reason)))

    def extend(self, other: ErrorLog) -> None:
        self.count += other.count
        self.listed = sorted(self.listed + other.listed, key=lambda error: error.line)[: self.cap]


def _shown(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


# Reasons, translated when shown (gettext_lazy), so one module-level table serves every language.
REQUIRED = gettext_lazy("A value is required.")
NOT_A_NUMBER = gettext_lazy("Not a number.")
NOT_WHOLE = gettext_lazy("Not a whole number.")
NEGATIVE = gettext_lazy("Must be zero or more.")
TOO_LARGE = gettext_lazy("The number is too large.")
NOT_A_DATE = gettext_lazy("Not a date: write YYYY-MM-DD or DD/MM/YYYY, optionally followed by the time.")
NOT_A_DAY_MONTH_DATE = gettext_lazy("Not a valid date read day first (DD/MM/YYYY).")
NOT_A_MONTH_DAY_DATE = gettext_lazy("Not a valid date read month first (MM/DD/YYYY), as the rest of the file.")
UNKNOWN_STATUS = gettext_lazy("Unknown order status: use completed, pending, cancelled or refunded.")
UNKNOWN_PRODUCT_STATUS = gettext_lazy("Unknown product status: use active, draft or archived.")
NOT_A_CURRENCY = gettext_lazy("Not a currency code such as GBP or EUR.")
NOT_YES_OR_NO = gettext_lazy("Write yes or no (oui or non, TTC or HT).")
TOO_LONG = gettext_lazy("Too long: at most %(max)s characters.")
NO_DATE = gettext_lazy("This order has no date on any of its lines.")
EXTRA_VALUES = gettext_lazy(
    "This line has more values than the header has columns: does a value contain the separator without quotes?"
)
NO_PRODUCT_ID = gettext_lazy("A product needs a SKU or an id.")
DUPLICATE_PRODUCT = gettext_lazy("The same product is already on line %(line)s.")
NOT_A_URL = gettext_lazy("Not a web address (http://… or https://…).")


# -- reading cells -----------------------------------------------------------------------------


def _text(value) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


class RowReader:
    """Reads one kind of row of one file: our fields from the layout's columns, checked."""

    def __init__(self, *, layout: Layout, headers: list[str], found: dict[str, list[int]], table_format, sme: SME):
        self.layout = layout
        self.headers = headers
        self.width = len(headers)
        self.found = found
        self.decimal_comma = table_format.decimal_comma
        self.text_cells = table_format.kind == "csv"  # else cells may be numbers, dates or None (XLSX)
        self.zone = ZoneInfo(sme.launchpad.time_zone)
        self.currency = sme.launchpad.currency
        self.errors = ErrorLog()
        # Day/month order of numeric dates, settled after the first pass when "auto".
        self.date_order = layout.date_order
        self._dmy_only = ErrorLog()  # valid only read day first
        self._mdy_only = ErrorLog()  # valid only read month first
        self._date_cache: tuple = (None, None, None, "")
        self._one_sided: str | None = None
        self.ambiguous = ""  # the last date read was numeric and fits both day/month orders
        self.date_bounds = date_bounds()  # a date outside is a bad row (records.date_bounds)
        self.date_out_of_range = out_of_range_message(self.date_bounds)
        self._countries: dict[str, str] = {}
        self.single = [(name, indexes[0]) for name, indexes in found.items() if len(indexes) == 1]
        self.several = [(name, tuple(indexes)) for name, indexes in found.items() if len(indexes) > 1]
        # A blank field's column, for the report: the first of its columns.
        self.blank = {name: ("", indexes[0]) for name, indexes in found.items()}

    def collect(self, cells: list) -> dict[str, tuple[object, int]]:
        """Per field present on the row: its value (text stripped) and the column it came from.

        A field's columns are tried in turn; the first non-blank cell wins. Blank fields are
        left out (``self.blank`` has their first column, for the report).
        """
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        raw = {}
        for name, index in self.single:
            value = cells[index]
            if value.__class__ is str:
                value = value.strip()
                if value:
                    raw[name] = (value, index)
            elif value is not None:
                raw[name] = (value, index)
        for name, indexes in self.several:
            for index in indexes:
                value = cells[index]
                if value.__class__ is str:
                    value = value.strip()
                    if not value:
                        continue
                elif value is None:
                    continue
                raw[name] = (value, index)
                break
        return raw

    def column(self, index: int) -> str:
        return self.headers[index] if 0 <= index < self.width else ""

    def error(self, line: int, index: int, value, reason) -> None:
        self.errors.add(line, self.column(index), value, reason)

    def check_width(self, line: int, cells: list) -> None:
        """More values than headers (trailing blanks aside): a separator inside an unquoted value."""
        if len(cells) > self.width:
            extra = [cell for cell in cells[self.width :] if isinstance(cell, str) and cell.strip()]
            if extra:
                self.errors.add(line, "", extra[0], EXTRA_VALUES)

    def text(self, line, raw, name, max_length) -> str | None:
        """The field's text ("" if blank; None if too long: an error)."""
        value, index = raw.get(name) or NO_CELL
        if value == "":
            return ""
        value = _text(value)
        if len(value) > max_length:
            self.error(line, index, value, TOO_LONG % {"max": max_length})
            return None
        return value

    def short_text(self, line: int, item: tuple | None, max_length: int) -> str | None:
        """The text of a collected cell (None if blank, or too long: an error)."""
        if item is None:
            return None
        value = item[0] if item[0].__class__ is str else _text(item[0])
        if len(value) > max_length:
            self.error(line, item[1], value, TOO_LONG % {"max": max_length})
            return None
        return value

    def money(self, value, line, index, *, minimum=None) -> Decimal | None:
        try:
            number = parse_decimal(value, self.decimal_comma)
        except NumberTooLarge:
            self.error(line, index, value, TOO_LARGE)
            return None
        if number is None:
            self.error(line, index, value, NOT_A_NUMBER)
            return None
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(number) > MAX_MONEY:
            self.error(line, index, value, TOO_LARGE)
            return None
        if minimum is not None and number < minimum:
            self.error(line, index, value, NEGATIVE)
            return None
        return number

    def integer(self, value, line, index) -> int | None:
        try:
            number = parse_integer(value, self.decimal_comma)
        except NumberTooLarge:
            self.error(line, index, value, TOO_LARGE)
            return None
        if number is None:
            self.error(line, index, value, NOT_WHOLE if parse_decimal(value, self.decimal_comma) else NOT_A_NUMBER)
            return None
        if abs(number) > MAX_INT:
            self.error(line, index, value, TOO_LARGE)
            return None
        return number

    def currency_of(self, line, raw) -> str | None:
        value, index = raw.get("currency") or self.blank.get("currency", NO_CELL)
        if value == "":
            return ""
        code = layouts.currency_code(_text(value))
        if code is None:
            self.error(line, index, value, NOT_A_CURRENCY)
        return code

    def country(self, value: str) -> str:
        code = self._countries.get(value)
        if code is None:
            code = self._countries[value] = layouts.country_code(value)
        return code

    # -- dates ---------------------------------------------------------------------------

    def date(self, value, line: int, index: int) -> datetime.datetime | None:
        """An aware datetime; naive ones are the launchpad's local time. None (and an error) if invalid."""
        if value.__class__ is str and value == self._date_cache[0]:  # consecutive rows often share a date
            _, parsed, one_sided, self.ambiguous = self._date_cache
            if one_sided is not None:
                self._note_one_sided(one_sided, line, index, value)
            return parsed
        self._one_sided, self.ambiguous = None, ""
        parsed = self._parse_date(value, line, index)
        if parsed is None:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.zone)
        if not date_in_range(parsed, self.date_bounds) or (
            self.ambiguous and not self._other_reading_in_range(self.ambiguous)
        ):
            self._one_sided, self.ambiguous = None, ""
            self.error(line, index, value, self.date_out_of_range)
            return None
        if value.__class__ is str:
            self._date_cache = (value, parsed, self._one_sided, self.ambiguous)
        return parsed

    def _other_reading_in_range(self, text: str) -> bool:
        """A date such as 03/04/2026, read month first: within the bounds too (it may be how the file reads)."""
        parsed = numeric_date(text, "mdy")
        return date_in_range(parsed.replace(tzinfo=self.zone) if parsed.tzinfo is None else parsed, self.date_bounds)

    def _note_one_sided(self, only: str, line: int, index: int, value) -> None:
        if only == "dmy":
            self._dmy_only.add(line, self.column(index), value, NOT_A_MONTH_DAY_DATE)
        else:
            self._mdy_only.add(line, self.column(index), value, NOT_A_DAY_MONTH_DATE)

    def _parse_date(self, value, line, index) -> datetime.datetime | None:
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return datetime.datetime(value.year, value.month, value.day)
        if isinstance(value, int | float):  # a spreadsheet date stored as a number
            if 20000 < value < 80000:
                from openpyxl.utils.datetime import from_excel

                return from_excel(value)
            self.error(line, index, value, NOT_A_DATE)
            return None
        parsed = parse_iso(value)
        if parsed is not None:
            return parsed
        if not is_numeric_date(value):
            self.error(line, index, value, NOT_A_DATE)
            return None
        if self.date_order != "auto":
            parsed = numeric_date(value, self.date_order)
            if parsed is None:
                self.error(line, index, value, NOT_A_DAY_MONTH_DATE if self.date_order == "dmy" else NOT_A_DATE)
            return parsed
        # First pass of an "auto" file: both readings are weighed; the file decides at the end.
        day_first, month_first = numeric_date(value, "dmy"), numeric_date(value, "mdy")
        if day_first is None and month_first is None:
            self.error(line, index, value, NOT_A_DATE)
            return None
        if month_first is None or day_first is None:
            self._one_sided = "dmy" if month_first is None else "mdy"
            self._note_one_sided(self._one_sided, line, index, value)
        elif day_first != month_first:
            self.ambiguous = value
        return day_first or month_first

    def settle_date_order(self) -> None:
        """After the first pass: read numeric dates day first unless only month first fits the file."""
        if self.date_order != "auto":
            return
        if not self._mdy_only.count:
            self.date_order = "dmy"
        elif not self._dmy_only.count:
            self.date_order = "mdy"
        elif self._mdy_only.count <= self._dmy_only.count:
            self.date_order = "dmy"
            self.errors.extend(self._mdy_only)
        else:
            self.date_order = "mdy"
            self.errors.extend(self._dmy_only)
        self._date_cache = (None, None, None, "")


# -- orders ------------------------------------------------------------------------------------


# A parsed order row is a plain tuple (cheap to build):
# (order_id, placed_at, values, kind, sku, description, quantity, unit_price, unit_cost) where
# ``placed_at`` is an aware datetime, None, or — for a date like 03/04/2026 in a file whose
# day/month order is not settled yet — its text; ``unit_price`` a Decimal, or the text of a
# plainly written price (see ``PLAIN_PRICE``); ``values`` the order-level values the row
# gives (status, currency, customer_country, channel, amounts) or None; ``kind`` "line", the
# order amount the row adds to ("shipping", "discounts", "fees"), or None for no line at all.
OrderRow = tuple


PLAIN_PRICE = re.compile(r"\d{1,10}(?:\.\d{1,2})?")


class OrderRowReader(RowReader):
    ORDER_VALUES = (
        "status", "currency", "customer_country", "channel", "refunded_at", "prices_include_tax", "refund_currency",
        *AMOUNTS,
    )  # fmt: skip

    def __init__(self, **options):
        super().__init__(**options)
        # Only the fields the file has cost anything per row.
        self.order_values = any(name in self.found for name in self.ORDER_VALUES)
        self.amount_fields = [name for name in AMOUNTS if name in self.found]
        self.amount_codes = self.layout.amount_codes
        self.cancellation_prefix = self.layout.extra.get("cancellation_prefix", "")
        self.zero = Decimal(0)
        # A price written plainly ("2.55", "12"), with a decimal point: zero or more, two decimals at most,
        # below the maximum. Most files' prices are; they skip ``money``.
        self.plain_price = None if self.decimal_comma or not self.text_cells else PLAIN_PRICE.fullmatch

    def parse(self, line: int, cells: list) -> OrderRow | None:
        before = self.errors.count
        if len(cells) > self.width:
            self.check_width(line, cells)
        raw = self.collect(cells)
        item = raw.get("order_id")
        if item is None:
            order_id = None
            self.error(line, self.blank.get("order_id", NO_CELL)[1], "", REQUIRED)
        else:
            order_id = item[0] if item[0].__class__ is str and len(item[0]) <= 100 else self.short_text(line, item, 100)
        item = raw.get("placed_at")
        placed_at = None
        if item is not None:
            placed_at = self.date(item[0], line, item[1])
            if placed_at is not None and self.ambiguous:  # read again once the file's day/month order is known
                placed_at = self.ambiguous
        values = self.order_level(line, raw) if self.order_values else None

        item = raw.get("sku")
        sku = (
            (item[0] if item[0].__class__ is str and len(item[0]) <= 100 else self.short_text(line, item, 100))
            if item
            else ""
        )
        item = raw.get("description")
        description = (
            (item[0] if item[0].__class__ is str and len(item[0]) <= 500 else self.short_text(line, item, 500))
            if item
            else ""
        )
        quantity_item, price_item, cost_item = raw.get("quantity"), raw.get("unit_price"), raw.get("unit_cost")
        kind = None
        quantity, unit_price, unit_cost = 0, self.zero, None
        if quantity_item or price_item or sku or description:
            kind = self.amount_codes.get(sku.upper(), "line") if self.amount_codes and sku else "line"
            if quantity_item is None:
                self.error(line, self.blank.get("quantity", NO_CELL)[1], "", REQUIRED)
            else:
                value = quantity_item[0]
                if (
                    value.__class__ is str
                    and len(value) < 10
                    and (value.isdecimal() or (value[1:].isdecimal() and value[0] == "-"))
                ):
                    quantity = int(value)  # the usual "6", at C speed
                else:
                    quantity = self.integer(value, line, quantity_item[1])
            if price_item is None:
                self.error(line, self.blank.get("unit_price", NO_CELL)[1], "", REQUIRED)
            elif kind == "line" and self.plain_price and self.plain_price(price_item[0]):
                unit_price = price_item[0]  # the usual "2.55": valid as it is, kept as text
            else:
                # Shipping, fee and discount lines may be negative (a credit); goods are priced ≥ 0.
                minimum = self.zero if kind == "line" else None
                unit_price = self.money(price_item[0], line, price_item[1], minimum=minimum)
            if cost_item is not None:
                unit_cost = self.money(cost_item[0], line, cost_item[1], minimum=self.zero)
            if self.cancellation_prefix and order_id and quantity and order_id.startswith(self.cancellation_prefix):
                # A cancellation invoice (UCI: "C536379"): its lines are returns. The order keeps the
                # status "completed" — it is a credit note that happened, not an order that was
                # cancelled or refunded; its negative quantities are what the toolkit counts as returns.
                quantity = -abs(quantity)
        if self.errors.count > before:
            return None
        return (order_id, placed_at, values, kind, sku, description, quantity, unit_price, unit_cost)

    def order_level(self, line: int, raw: dict) -> dict:
        """The order-level values this row gives: status, currency, country, channel, amounts."""
        values = {}
        status_item = raw.get("status")
        if self.layout.status_from is not None:
            cancelled = raw.get("cancelled_at")
            status = self.layout.status_from(
                {
                    "status": _text(status_item[0]) if status_item else "",
                    "cancelled_at": cancelled[0] if cancelled else "",
                }
            )
        else:
            status = layouts.order_status(_text(status_item[0])) if status_item else None
        if status_item and status is None:
            self.error(line, status_item[1], status_item[0], UNKNOWN_STATUS)
        elif status:
            values["status"] = status
        if "currency" in raw:
            currency = self.currency_of(line, raw)
            if currency:
                values["currency"] = currency
        item = raw.get("customer_country")
        if item is not None:
            values["customer_country"] = self.country(_text(item[0]))
        if "channel" in raw:
            channel = self.text(line, raw, "channel", 100)
            if channel:
                values["channel"] = channel
        for name in self.amount_fields:
            item = raw.get(name)
            if item is not None:
                amount = self.money(item[0], line, item[1])
                if amount is not None:
                    # Discounts and refunds are amounts taken off: "-5.00" and "5.00" mean the same.
                    values[name] = abs(amount) if name in ("discounts", "refunds", "refund_tax") else amount
        item = raw.get("refunded_at")
        if item is not None and item[0] not in ("", None):
            refunded_at = self.refund_date(item[0], line, item[1])
            if refunded_at is not None:
                values["refunded_at"] = refunded_at
        item = raw.get("prices_include_tax")
        if item is not None and _text(item[0]).strip():
            included = taxes.yes_no(_text(item[0]))
            if included is None:
                self.error(line, item[1], item[0], NOT_YES_OR_NO)
            else:
                values["prices_include_tax"] = included
        item = raw.get("refund_currency")
        if item is not None and _text(item[0]).strip():
            code = layouts.currency_code(_text(item[0]))
            if code is None:
                self.error(line, item[1], item[0], NOT_A_CURRENCY)
            else:
                values["refund_currency"] = code
        return values

    def refund_date(self, value, line: int, index: int) -> datetime.datetime | None:
        """The refund's day: ISO, a spreadsheet date, or numeric in the file's day/month order (day first
        until the file says otherwise); never the order dates' reading state."""
        if isinstance(value, datetime.datetime | datetime.date):
            parsed = (
                value if isinstance(value, datetime.datetime) else datetime.datetime.combine(value, datetime.time())
            )
        else:
            text = _text(value)
            parsed = parse_iso(text) or (
                numeric_date(text, "mdy" if self.date_order == "mdy" else "dmy") if is_numeric_date(text) else None
            )
        if parsed is None:
            self.error(line, index, value, NOT_A_DATE)
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.zone)


class OrderBuilder:
    """One order's rows → one ``OrderRecord``; order-level values: the first non-blank wins."""

    __slots__ = ("amounts", "currency", "lines", "order_id", "placed_at", "values")

    def __init__(self, order_id: str, currency: str):
        self.order_id = order_id
        self.currency = currency
        self.placed_at = None
        self.values: dict = {}
        self.lines: list[OrderLineRecord] = []
        self.amounts = {"shipping": Decimal(0), "discounts": Decimal(0), "fees": Decimal(0)}

    def add(self, row: OrderRow) -> None:
        _, placed_at, values, kind, sku, description, quantity, unit_price, unit_cost = row
        unit_price = Decimal(unit_price)  # a Decimal, or the text of a plainly written price
        if unit_cost is not None:
            unit_cost = Decimal(unit_cost)
        if self.placed_at is None and placed_at is not None:
            self.placed_at = placed_at
        if values:
            for name, value in values.items():
                self.values.setdefault(name, value)
        if kind == "line":
            # Positional (line_key, quantity, unit_price, sku, description, unit_cost): the hot path.
            self.lines.append(
                OrderLineRecord(str(len(self.lines) + 1), quantity, unit_price, sku, description, unit_cost)
            )
        elif kind is not None:  # a line of shipping, discount or fee (see layouts.ONLINE_RETAIL_AMOUNTS)
            amount = quantity * unit_price
            self.amounts[kind] += amount if kind == "shipping" else -amount

    def record(self) -> OrderRecord:
        values = self.values
        record = OrderRecord(
            external_id=self.order_id,
            placed_at=self.placed_at,
            lines=self.lines,
            channel=values.get("channel", ""),
            customer_country=values.get("customer_country", ""),
            status=values.get("status", "completed"),
            currency=values.get("currency", self.currency),
            discounts=values.get("discounts", Decimal(0)) + self.amounts["discounts"],
            refunds=values.get("refunds", Decimal(0)),
            shipping=values.get("shipping", Decimal(0)) + self.amounts["shipping"],
            fees=values.get("fees", Decimal(0)) + self.amounts["fees"],
            tax=values.get("tax", Decimal(0)),
            shipping_tax=values.get("shipping_tax", Decimal(0)),
            customer_fees=values.get("customer_fees", Decimal(0)),
            refund_records=[
                RefundRecord(
                    "file",
                    values["refunded_at"],
                    values["refunds"],
                    values.get("refund_tax", Decimal(0)),
                    currency=values.get("refund_currency", ""),
                )
            ]
            if values.get("refunds") and "refunded_at" in values
            else [],
            prices_include_tax=values.get("prices_include_tax"),
        )
        taxes.exclude_tax(record, refund_tax=values.get("refund_tax", Decimal(0)))
        return record


@dataclass
class _Checked:
    records: int = 0
    lines: int = 0
    ids: list[str] = field(default_factory=list)  # every record id, in file order (dry run, counts)
    scattered: set[str] = field(default_factory=set)  # order ids whose rows are not all consecutive
    date_order: str = "dmy"  # how numeric dates read, settled by the first pass


class Spool:
    """Pass 1's checked rows, pickled to a temporary file in chunks, read back by pass 2.

    Reading them back costs a fraction of parsing the file again, and never more memory
    than a chunk.
    """

    CHUNK = 5000

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.rows: list = []

    def add(self, row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the rows added so far (callers may append to ``rows`` and flush every ``CHUNK``)."""
        if self.rows:
            pickle.dump(self.rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.rows.clear()

    def __iter__(self):
        self.flush()
        self.file.seek(0)
        while True:
            try:
                chunk = pickle.load(self.file)  # noqa: S301 (our own temporary file)
            except EOFError:
                return
            yield from chunk

    def close(self) -> None:
        self.file.close()


def _check_orders(table: Table, reader: OrderRowReader, ahead: _PagesAhead | None = None) -> _Checked:
    """Pass 1 over an orders file: its rows checked and, with ``ahead``, grouped into orders handed on as it
    goes (a dry run only checks)."""
    checked = _Checked()
    builder = None
    seen: set[str] = set()
    undated: dict[str, int] = {}  # order id → its first line, until a line with a date is met
    current = None
    parse = reader.parse
    progress, count = table.progress, 0
    for line, cells in table.rows():
        if progress is not None:
            count += 1
            if not count % PROGRESS_ROWS:
                progress(table.fraction_read())
        row = parse(line, cells)
        if row is None:
            continue
        order_id, placed_at, kind = row[0], row[1], row[3]
        if order_id != current:
            current = order_id
            if order_id in seen:
                checked.scattered.add(order_id)
                if ahead is not None:
                    builder = ahead.met_again(order_id)
            else:
                seen.add(order_id)
                checked.ids.append(order_id)
                undated[order_id] = line
                if ahead is not None:
                    builder = ahead.start(order_id, line)
        if placed_at is not None and undated:
            undated.pop(order_id, None)
        if kind == "line":
            checked.lines += 1
        if builder is not None and not reader.errors.count:
            builder.add(row)
    reader.settle_date_order()
    checked.date_order = reader.date_order
    date_index = (reader.found.get("placed_at") or [-1])[0]
    for line in undated.values():
        reader.errors.add(line, reader.column(date_index), "", NO_DATE)
    reader.errors.listed.sort(key=lambda error: error.line)
    checked.records = len(checked.ids)
    return checked


def _order_pages(rows: Iterator, reader: OrderRowReader, scattered: set[str]) -> Iterator[list[OrderRecord]]:
    """The checked orders, a page at a time (scattered orders last, whole)."""
    page: list[OrderRecord] = []
    held: dict[str, OrderBuilder] = {}
    builder = None
    for row in rows:
        order_id = row[0]
        if row[1].__class__ is str:  # a day/month date read now the file's order is settled
            row = (order_id, reader.date(row[1], 0, -1), *row[2:])
        if builder is None or order_id != builder.order_id:
            if builder is not None and builder.order_id not in scattered:
                page.append(builder.record())
                if len(page) >= PAGE_SIZE:
                    yield page
                    page = []
            if order_id in scattered:
                builder = held.get(order_id) or held.setdefault(order_id, OrderBuilder(order_id, reader.currency))
            else:
                builder = OrderBuilder(order_id, reader.currency)
        builder.add(row)
    if builder is not None and builder.order_id not in scattered:
        page.append(builder.record())
    for held_builder in held.values():
        if len(page) >= PAGE_SIZE:
            yield page
            page = []
        page.append(held_builder.record())
    if page:
        yield page


def _rows_again(table: Table, reader: OrderRowReader, first_line: int) -> Iterator[OrderRow]:
    """The file's order rows from ``first_line`` on, read again (after pass 1: the file is clean, its dates settled)."""
    parse = reader.parse
    for line, cells in table.rows():
        if line >= first_line:
            row = parse(line, cells)
            if row is not None:
                yield row


class _PagesAhead:
    """Pass 1's orders, a page at a time, handed to the writer while pass 1 reads on.

    Pass 1 is this process's work and writing mostly the database's: done one after the other
    they took the sum of both. So while the file is checked, its orders are already written,
    page by page, inside the import's one transaction, each page after a savepoint. What pass 1
    learns later settles whether they stay:

    - a bad row anywhere: everything is rolled back, nothing was written (``_import_orders``);
    - an order met again after its page was handed (a scattered order): the pages from that one
      on are rolled back and written again after pass 1, from the file read again from that
      page's first line, with the scattered orders whole. A page waits until ``lookahead``
      orders of the next one have been read before it is handed, so an order met again
      shortly after simply gets its rows joined;
    - dates that read both day first and month first ("03/04/2026") in a file whose order is
      settled only at its end: pages are written with the order the dates seen so far point to
      (``guess``; up to ``HELD_PAGES`` pages wait for a date that tells), and from the page that
      first used it, rolled back and written again if the file settles otherwise.

    Once writing ahead cannot help any more (a bad row, a scattered order, dates pointing the
    other way), it stops: the rest is written after pass 1 from the file read again from
    ``resume_line``, leaving out the rows of orders already written (``kept``). Nothing is
    spooled: writing ahead rarely stops, and reading again costs less than spooling every row.
    """

    HELD_PAGES = 2

    def __init__(self, reader: OrderRowReader, hand):
        self.reader = reader
        self.hand = hand  # hand((first line, records)) to the writer
        self.stopped = getattr(hand, "stopped", bool)  # the writer left: stop reading
        self.live = True
        self.lookahead = max(1, PAGE_SIZE // 4)
        self.open: dict[str, OrderBuilder] = {}  # orders not handed yet
        self.pending: list[tuple[int, list[OrderBuilder]]] = []  # full pages not handed yet (first line, orders)
        self.page: list[OrderBuilder] = []
        self.page_start = 0
        self.handed: dict[str, int] = {}  # order id → the number of the page that held it
        self.pages = 0  # handed so far
        self.guess: str | None = None  # how the pages handed read ambiguous day/month dates
        self.guessed_from: int | None = None  # the first page that did
        self.redo_from: int | None = None  # the first handed page to roll back, if any
        self.resume_line: int | None = None  # the first line of the file not handed, if any

    def start(self, order_id: str, line: int) -> OrderBuilder | None:
        """A new order begins on the file's ``line``: its builder (None once writing ahead stopped)."""
        if self.stopped():
            raise _Stopped
        if not self.live:
            return None
        if len(self.page) >= PAGE_SIZE:
            self.pending.append((self.page_start, self.page))
            self.page, self.page_start = [], line
        while self.pending and len(self.page) >= self.lookahead and self._hand_first():
            pass
        if not self.live:
            return None
        builder = self.open[order_id] = OrderBuilder(order_id, self.reader.currency)
        self.page.append(builder)
        return builder

    def met_again(self, order_id: str) -> OrderBuilder | None:
        """An order seen before begins again: its builder if not handed yet, else its page is to be redone."""
        builder = self.open.get(order_id)
        if builder is not None:
            return builder if self.live else None
        page = self.handed.get(order_id)
        if page is not None:
            self.redo_from = page if self.redo_from is None else min(self.redo_from, page)
            self._stop()
        return None

    def finish(self) -> None:
        """After pass 1 (date order settled): hand the rest, or settle what is to be rolled back."""
        reader = self.reader
        if self.guess is not None and self.guess != reader.date_order:
            self.redo_from = min(self.guessed_from, self.redo_from if self.redo_from is not None else self.pages)
            self._stop()
        if not self.live or reader.errors.count:
            self._stop()
            return
        if self.page:
            self.pending.append((self.page_start, self.page))
            self.page = []
        self.guess = reader.date_order
        while self.pending:
            self._hand_first(final=True)

    def kept(self, row) -> bool:
        """Whether a row is of an order written ahead and kept (not to be written again)."""
        page = self.handed.get(row[0])
        return page is not None and (self.redo_from is None or page < self.redo_from)

    def _stop(self) -> None:
        if self.live:
            self.live = False
            self.resume_line = self.pending[0][0] if self.pending else self.page_start
            self.pending, self.page, self.open = [], [], {}

    def _hand_first(self, final: bool = False) -> bool:
        reader = self.reader
        if reader.errors.count:
            self._stop()
            return False
        first_line, builders = self.pending[0]
        if not final and reader.date_order == "auto":
            if self.guess is None and any(builder.placed_at.__class__ is str for builder in builders):
                evidence = reader._mdy_only.count or reader._dmy_only.count
                if not evidence and len(self.pending) < self.HELD_PAGES:
                    return False  # wait for a date that only one order fits
                self.guess, self.guessed_from = self._tally(), self.pages
            if self.guess is not None and self._tally() != self.guess:
                self._stop()  # these pages would most likely be rolled back
                return False
        records = [builder.record() for builder in builders]
        for record in records:
            if record.placed_at.__class__ is str:
                parsed = numeric_date(record.placed_at, self.guess)
                record.placed_at = parsed.replace(tzinfo=reader.zone) if parsed.tzinfo is None else parsed
        del self.pending[0]
        page, handed, open_ = self.pages, self.handed, self.open
        for builder in builders:
            del open_[builder.order_id]
            handed[builder.order_id] = page
        self.hand((first_line, records))
        self.pages += 1
        return True

    def _tally(self) -> str:
        """The day/month order the dates read so far point to (``settle_date_order``'s rule)."""
        reader = self.reader
        return "mdy" if reader._mdy_only.count > reader._dmy_only.count else "dmy"


# -- products ----------------------------------------------------------------------------------

URL = re.compile(r"https?://\S+", re.IGNORECASE)


class ProductRowReader(RowReader):
    def parse(self, line: int, cells: list) -> dict | None:
        """The product fields a row gives (only those present); None if it has errors."""
        before = self.errors.count
        self.check_width(line, cells)
        raw = self.collect(cells)
        blank = self.blank
        row: dict = {"line": line}
        for name, size in (
            ("external_id", 100), ("sku", 100), ("title", 500), ("brand", 200), ("mpn", 100), ("category", 300),
            ("group", 200), ("option", 200), ("option2", 200), ("option3", 200),
        ):  # fmt: skip
            value = self.text(line, raw, name, size)
            if value:
                row[name] = value
        description = self.text(line, raw, "description", 100_000)
        if description:
            row["description"] = description
        value, index = raw.get("gtin") or blank.get("gtin", NO_CELL)
        if value != "":
            gtin = _text(value).replace(" ", "")
            if len(gtin) > 20:
                self.error(line, index, value, TOO_LONG % {"max": 20})
            row["gtin"] = gtin
        for name in ("price", "unit_cost"):
            value, index = raw.get(name) or blank.get(name, NO_CELL)
            if value != "":
                row[name] = self.money(value, line, index, minimum=Decimal(0))
        value, index = raw.get("stock_quantity") or blank.get("stock_quantity", NO_CELL)
        if value != "":
            row["stock_quantity"] = self.integer(value, line, index)
        currency = self.currency_of(line, raw)
        if currency:
            row["currency"] = currency
        for name in ("status", "published"):
            value, index = raw.get(name) or blank.get(name, NO_CELL)
            if value != "":
                status = layouts.product_status(_text(value))
                if status is None:
                    self.error(line, index, value, UNKNOWN_PRODUCT_STATUS)
                row.setdefault("status", status)
        for name in ("stock_tracker", "manage_stock"):
            value, _ = raw.get(name) or blank.get(name, NO_CELL)
            if value != "":
                row["stock_tracked"] = layouts.normalise(_text(value)) in ("shopify", "1", "yes", "true", "oui")
        value, index = raw.get("image_url") or blank.get("image_url", NO_CELL)
        if value != "":
            urls = [url for url in re.split(r"[\s,|]+", _text(value)) if url]
            if not all(URL.fullmatch(url) for url in urls):
                self.error(line, index, value, NOT_A_URL)
            row["images"] = urls
        if not self.layout.group_by and not (row.get("external_id") or row.get("sku")):
            index = (self.found.get("sku") or self.found.get("external_id") or [-1])[0]
            self.error(line, index, "", NO_PRODUCT_ID)
        return row if self.errors.count == before else None


def _product_record(row: dict, currency: str, external_id: str) -> ProductRecord:
    stock = row.get("stock_quantity")
    return ProductRecord(
        external_id=external_id,
        title=row.get("title", ""),
        sku=row.get("sku", ""),
        description=row.get("description", ""),
        price=row.get("price"),
        currency=row.get("currency", currency),
        images=[ImageRecord(url=url) for url in row.get("images", [])],
        gtin=row.get("gtin", ""),
        brand=row.get("brand", ""),
        mpn=row.get("mpn", ""),
        stock_tracked=row.get("stock_tracked", stock is not None),
        stock_quantity=stock if row.get("stock_tracked", stock is not None) else None,
        status=row.get("status", "active"),
        unit_cost=row.get("unit_cost"),
        category=row.get("category", ""),
    )


def _group_products(rows: list[dict], currency: str) -> list[ProductRecord]:
    """A Shopify handle's rows: the first carries the product, variant rows a price, image rows an image."""
    base = rows[0]
    handle = base["group"]
    images = [url for row in rows for url in row.get("images", [])]
    variants = [row for row in rows if "price" in row or "sku" in row]
    records = []
    for position, variant in enumerate(variants, start=1):
        merged = {**{k: v for k, v in base.items() if k not in ("price", "sku", "images", "option")}, **variant}
        options = [variant.get(name) for name in ("option", "option2", "option3") if variant.get(name)]
        label = " / ".join(option for option in options if option != "Default Title")
        merged["title"] = f"{base.get('title', '')} - {label}"[:500] if label else base.get("title", "")
        own = variant.get("images", [])
        merged["images"] = list(dict.fromkeys(own + images))
        key = handle if len(variants) == 1 else f"{handle}:{variant.get('sku') or position}"
        records.append(_product_record(merged, currency, key[:100]))
    return records


def _product_id(row: dict) -> str:
    return row.get("external_id") or row.get("sku") or ""


def _check_products(table: Table, reader: ProductRowReader, spool: Spool | None) -> _Checked:
    checked = _Checked()
    first_line: dict[str, int] = {}
    group_key = reader.layout.group_by
    current_group, group_rows = None, []

    def close_group():
        for record in _group_products(group_rows, ""):
            note(record.external_id, group_rows[0]["line"])

    def note(product_id: str, line: int) -> None:
        if product_id in first_line:
            index = (reader.found.get("sku") or reader.found.get("external_id") or reader.found.get("group") or [-1])[0]
            reader.errors.add(
                line, reader.column(index), product_id, DUPLICATE_PRODUCT % {"line": first_line[product_id]}
            )
        else:
            first_line[product_id] = line
            checked.ids.append(product_id)

    progress, count = table.progress, 0
    for line, cells in table.rows():
        if progress is not None:
            count += 1
            if not count % PROGRESS_ROWS:
                progress(table.fraction_read())
        row = reader.parse(line, cells)
        if row is None:
            continue
        if group_key:
            group = row.get(group_key) or current_group
            if group != current_group and group_rows:
                close_group()
                group_rows = []
            current_group = group
            row[group_key] = group
            group_rows.append(row)
        else:
            note(_product_id(row), line)
        if spool is not None and not reader.errors.count:
            spool.add(row)
    if group_rows:
        close_group()
    checked.records = len(checked.ids)
    return checked


def _product_pages(spool: Spool, reader: ProductRowReader) -> Iterator[list[ProductRecord]]:
    page: list[ProductRecord] = []
    group_key = reader.layout.group_by
    current_group, group_rows = None, []
    for row in spool:
        if group_key:
            group = row.get(group_key) or current_group
            if group != current_group and group_rows:
                page.extend(_group_products(group_rows, reader.currency))
                group_rows = []
            current_group = group
            row[group_key] = group
            group_rows.append(row)
        else:
            page.append(_product_record(row, reader.currency, _product_id(row)))
        if len(page) >= PAGE_SIZE:
            yield page
            page = []
    if group_rows:
        page.extend(_group_products(group_rows, reader.currency))
    if page:
        yield page


# -- the services ------------------------------------------------------------------------------


def orders_file_import(
    *,
    sme: SME,
    path_or_file,
    layout: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    trigger: str = SyncTrigger.UPLOAD,
    language: str | None = None,
    filename: str = "",
    run: SyncRun | None = None,
    progress=None,
) -> ImportResult:
    """Import an orders file (CSV or XLSX, plain, .gz or .zip) for ``sme``: everything or nothing.

    ``layout``: "auto" (recognised by the headers), "online-retail", "shopify", "woocommerce"
    or "template". ``mapping`` ({our field: their header}) imports any other layout. The
    report's reasons are in ``language`` (default: the active language). ``run``: a queued
    ``SyncRun`` to record the import on (a task's), else one is created; ``progress(fraction)``
    is called now and then with how much of the file the check has read.
    """
    job = _Job(trigger, run, progress)
    return _import(ORDERS, sme, path_or_file, layout, mapping, dry_run, job, language, filename)


def products_file_import(
    *,
    sme: SME,
    path_or_file,
    layout: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    trigger: str = SyncTrigger.UPLOAD,
    language: str | None = None,
    filename: str = "",
    run: SyncRun | None = None,
    progress=None,
) -> ImportResult:
    """Import a products file for ``sme``, like ``orders_file_import`` (layouts: shopify, woocommerce, template)."""
    job = _Job(trigger, run, progress)
    return _import(PRODUCTS, sme, path_or_file, layout, mapping, dry_run, job, language, filename)


def file_layout_problem(
    *, stream: str, path_or_file, mapping: dict | None = None, filename: str = "", language: str | None = None
) -> ImportResult | None:
    """What to tell the user at once about a file to be imported by a task: unreadable, or a layout to map.

    Only the header and a sample of rows are read. ``None``: the file opens and its layout is known.
    """
    if language:
        with translation.override(language):
            return file_layout_problem(stream=stream, path_or_file=path_or_file, mapping=mapping, filename=filename)
    try:
        table = Table(path_or_file, name=filename)
    except FileFormatError as error:
        return ImportResult(Status.UNREADABLE, stream, message=str(error))
    with table:
        chosen = _choose_layout(stream, table, "auto", mapping or None)
    return chosen if isinstance(chosen, ImportResult) else None


@dataclass
class _Job:
    """How an import is recorded: its trigger, the run given by a task (else one is created), its progress."""

    trigger: str
    run: SyncRun | None = None
    progress: object = None  # progress(fraction of the file read) or None

    def start(self, source: DataSource, stream: str, **fields) -> SyncRun:
        """The import's run, running (the given one, or a new one)."""
        if self.run is None:
            return SyncRun.objects.create(
                source=source, trigger=self.trigger, status=SyncStatus.RUNNING, stream=stream, **fields
            )
        run = self.run
        run.source, run.status, run.stream, run.started_at = source, SyncStatus.RUNNING, stream, timezone.now()
        for name, value in fields.items():
            setattr(run, name, value)
        run.save()
        return run


def _import(stream, sme, path_or_file, layout_name, mapping, dry_run, job, language, filename) -> ImportResult:
    if language:
        with translation.override(language):
            return _import(stream, sme, path_or_file, layout_name, mapping, dry_run, job, None, filename)
    try:
        table = Table(path_or_file, name=filename)
    except FileFormatError as error:
        return ImportResult(Status.UNREADABLE, stream, message=str(error))
    table.progress = job.progress
    with table, _collector_paused():
        try:
            return _import_table(stream, sme, table, layout_name, mapping, dry_run, job)
        except OperationalError as error:  # e.g. SQLite locked by a simultaneous import before ours began
            if not _is_contention(error):
                raise
            result = ImportResult(Status.BUSY, stream, message=_busy_message())
            if job.run is not None:
                job.run.errors = [{"stream": stream, "reason": result.message}]
                job.run.status, job.run.finished_at = SyncStatus.FAILED, timezone.now()
                job.run.save()
            return result


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while the rows stream through.

    An import allocates millions of short-lived tuples and, for each page, tens of thousands
    of records that live until the page is written: every collection of the oldest generation
    walks them all, which cost half of the writing pass. The import makes no reference cycles
    (memory stays bounded by a page, see bench/import_online_retail.py); the collector is back on
    at the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


_DONE = object()


class _Stopped(Exception):
    """The caller left: the helper's work ends."""


@contextlib.contextmanager
def _from_helper(produce):
    """Run ``produce(hand)`` in a helper thread; the items it hands come out here, in order, as they come.

    At most one handed item waits, so the helper runs at most one item ahead of the caller.
    An error in the helper is raised in the caller; leaving early stops the helper (its next
    ``hand`` raises ``_Stopped``). The language active here is active in the helper too
    (its error reasons are translated as they are collected).
    """
    queue: Queue = Queue(maxsize=1)
    stop = threading.Event()
    language = translation.get_language()

    def hand(item) -> None:
        while not stop.is_set():
            with contextlib.suppress(Full):
                queue.put(item, timeout=0.1)
                return
        raise _Stopped

    hand.stopped = stop.is_set  # for a helper that may go long without handing anything

    def work() -> None:
        try:
            with translation.override(language):
                produce(hand)
            hand(_DONE)
        except _Stopped:
            return
        except BaseException as error:  # raised again in the caller
            with contextlib.suppress(_Stopped):
                hand(_Failed(error))

    def handed() -> Iterator:
        while (item := queue.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item

    thread = threading.Thread(target=work, name="import-pages", daemon=True)
    thread.start()
    try:
        yield handed()
    finally:
        stop.set()
        thread.join()


def _built_ahead(pages: Iterator[list]):
    """``pages`` again, each built in a helper thread while the caller writes the page before.

    Building a page (reading the spool, grouping rows into records) is Python work; writing
    one is mostly the database's (COPY, indexes, foreign key checks), during which this
    process waits with the interpreter free: the thread builds the next page then. At most
    one built page waits, so memory stays bounded by three pages. The thread never touches
    the database.
    """

    def produce(hand) -> None:
        for page in pages:
            hand(page)

    return _from_helper(produce)


def _choose_layout(stream, table, layout_name, mapping) -> tuple[Layout, dict] | ImportResult:
    headers = table.headers
    unknown = ImportResult(
        Status.UNKNOWN_LAYOUT, stream, format=table.format, headers=headers, fields=layouts.fields_for(stream)
    )
    if mapping:
        ours = {spec.name for spec in layouts.fields_for(stream)}
        present = {layouts.normalise(header) for header in headers}
        problems = []
        for name, header in mapping.items():
            if name not in ours:
                problems.append(gettext("“%(field)s” is not one of our fields.") % {"field": name})
            elif header and layouts.normalise(header) not in present:
                problems.append(gettext("The file has no column “%(header)s”.") % {"header": header})
        required = [spec for spec in layouts.fields_for(stream) if spec.required and not mapping.get(spec.name)]
        if stream == PRODUCTS and not (mapping.get("sku") or mapping.get("external_id")):
            required.append(layouts.PRODUCT_FIELDS[1])
        for spec in required:
            problems.append(gettext("Choose the column that holds: %(field)s.") % {"field": spec.label})
        if problems:
            unknown.message = " ".join(problems)
            return unknown
        chosen = layouts.mapped_layout(stream, mapping)
        return chosen, layouts.resolve(chosen, headers)
    if layout_name and layout_name != "auto":
        chosen = layouts.layout_named(stream, layout_name)
        if chosen is None:
            unknown.message = gettext("There is no layout called “%(name)s”.") % {"name": layout_name}
            return unknown
        found = layouts.resolve(chosen, headers)
        missing = [name for name in chosen.required if name not in found]
        if missing:
            labels = {spec.name: str(spec.label) for spec in layouts.fields_for(stream)}
            unknown.message = gettext("This file is not in the %(layout)s layout: no column for %(fields)s.") % {
                "layout": chosen.label,
                "fields": ", ".join(labels.get(name, name) for name in missing),
            }
            return unknown
        return chosen, found
    detected = layouts.detect(stream, headers)
    if detected is None:
        unknown.message = gettext("The columns of this file are not in a layout we know: say which column holds what.")
        return unknown
    return detected


def _import_table(stream, sme, table, layout_name, mapping, dry_run, job) -> ImportResult:
    chosen = _choose_layout(stream, table, layout_name, mapping)
    if isinstance(chosen, ImportResult):
        return chosen
    layout, found = chosen
    reader_class = OrderRowReader if stream == ORDERS else ProductRowReader
    options = {"layout": layout, "headers": table.headers, "found": found, "table_format": table.format, "sme": sme}
    result = ImportResult(Status.INVALID, stream, layout=layout.name, layout_label=str(layout.label))
    result.format = table.format
    reader = reader_class(**options)
    spool = None if dry_run or stream == ORDERS else Spool()  # orders: see _import_orders
    try:
        return _check_and_write(stream, sme, table, reader, spool, dry_run, job, result)
    finally:
        if spool is not None:
            spool.close()


def _check_and_write(stream, sme, table, reader, spool, dry_run, job, result) -> ImportResult:
    if stream == ORDERS and not dry_run:
        return _import_orders(sme, table, reader, job, result)
    try:
        if stream == ORDERS:
            checked = _check_orders(table, reader)  # a dry run: orders are written by _import_orders
        else:
            checked = _check_products(table, reader, spool)
    except FileFormatError as error:
        result.status, result.message = Status.UNREADABLE, str(error)
        return result
    result.records, result.lines = checked.records, checked.lines
    if dry_run:  # look, never create
        source = DataSource.objects.filter(sme=sme, kind=SourceKind.FILE, base_url="").first()
    else:
        source = file_source_for(sme=sme)
    if reader.errors.count:
        result.errors, result.error_count = reader.errors.listed, reader.errors.count
        result.message = gettext("Nothing was imported: %(count)s problems to fix in the file.") % {
            "count": reader.errors.count
        }
        if not dry_run:
            result.run = _record_rejection(source, job, stream, result)
        return result
    if dry_run:
        result.status = Status.CHECKED
        model = Order if stream == ORDERS else Product
        for start in range(0, len(checked.ids) if source else 0, PAGE_SIZE):
            ids = checked.ids[start : start + PAGE_SIZE]
            result.existing += model.objects.filter(source=source, external_id__in=ids).count()
        result.counts = Counts(created=checked.records - result.existing)
        result.pages = -(-checked.records // PAGE_SIZE)
        return result
    checked.ids = []  # not needed any more: free it before the writing pass
    run = job.start(source, stream, pages_expected=-(-result.records // PAGE_SIZE))
    result.run = run
    pages = _product_pages(spool, reader)  # orders are written by _import_orders
    counts = Counts()
    try:
        with transaction.atomic(), _built_ahead(pages) as pages:
            _lock_source(source)
            check_constraints_per_statement()  # the foreign key checks page by page, while the next page is built
            for page in pages:
                counts += write_page(source, stream, page)
                result.pages += 1
    except (_Busy, IntegrityError, OperationalError) as error:
        if not isinstance(error, _Busy) and not _is_contention(error):
            logger.exception("Import of a %s file for SME %s failed", stream, sme.pk)
            return _failed(run, result, stream, error)
        return _busy(run, result, stream)
    except Exception as error:
        logger.exception("Import of a %s file for SME %s failed", stream, sme.pk)
        return _failed(run, result, stream, error)
    return _imported(run, result, source, counts)


def _failed(run: SyncRun, result: ImportResult, stream: str, error: Exception) -> ImportResult:
    """An unexpected error stopped the writing (rolled back): the run fails, saying what kind of error."""
    result.status, result.pages = Status.FAILED, 0
    result.message = gettext("The import stopped on an unexpected error (%(kind)s): nothing was imported.") % {
        "kind": type(error).__name__
    }
    run.errors = [{"stream": stream, "reason": result.message}]
    run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
    run.save()
    return result


def _imported(run: SyncRun, result: ImportResult, source: DataSource, counts: Counts) -> ImportResult:
    """Every page written: the run succeeds with its counts, and the source is marked working."""
    result.status = Status.IMPORTED
    result.counts = counts
    run.status, run.finished_at = SyncStatus.SUCCEEDED, timezone.now()
    run.pages_expected = run.pages_expected or result.pages
    run.pages, run.created, run.updated, run.skipped = result.pages, counts.created, counts.updated, counts.skipped
    run.save()
    source.status, source.last_success_at = SourceStatus.OK, run.finished_at
    source.save(update_fields=["status", "last_success_at"])
    return result


class _Rejected(Exception):
    """Pass 1 found bad rows: what was written ahead is rolled back."""


MAX_SAVEPOINTS = 32  # a page from the 32nd on rolls back to the 32nd's savepoint


def _import_orders(sme, table, reader, job, result) -> ImportResult:
    """Check and write an orders file at once: pages are written while pass 1 reads on (``_PagesAhead``).

    Pass 1 runs in a helper thread and hands each page of orders as soon as it may; this thread
    writes them in the import's transaction, each after a savepoint, while the helper reads on.
    Then: bad rows roll everything back; a page to redo (a scattered order, day/month dates
    read the wrong way) is rolled back to its savepoint; what is left is written from the file
    read again (rarely: most files are written whole while pass 1 reads them).
    """
    source = file_source_for(sme=sme)
    run = job.start(source, ORDERS)
    result.run = run
    counts = Counts()
    checked: list = []  # [(pass 1's _Checked, the _PagesAhead)] once pass 1 is done
    marks: list[tuple] = []  # per page written ahead: (savepoint, its first line, counts and pages before it)

    def check(hand) -> None:
        ahead = _PagesAhead(reader, hand)
        done = _check_orders(table, reader, ahead)
        ahead.finish()
        hand((None, (done, ahead)))

    try:
        with transaction.atomic():
            _lock_source(source)
            check_constraints_per_statement()  # the foreign key checks page by page, while pass 1 reads on
            with _from_helper(check) as handed:
                for first_line, page in handed:
                    if first_line is None:
                        checked.append(page)
                        continue
                    if len(marks) < MAX_SAVEPOINTS:
                        marks.append((transaction.savepoint(), first_line, dataclasses.replace(counts), result.pages))
                    counts += write_page(source, ORDERS, page)
                    result.pages += 1
            done, ahead = checked[0]
            result.records, result.lines = done.records, done.lines
            if reader.errors.count:
                raise _Rejected
            resume = ahead.resume_line
            if ahead.redo_from is not None:
                ahead.redo_from = min(ahead.redo_from, len(marks) - 1)  # the page of the savepoint rolled back to
                savepoint, resume, counts, result.pages = marks[ahead.redo_from]
                transaction.savepoint_rollback(savepoint)
            if resume is not None:
                rows = (row for row in _rows_again(table, reader, resume) if not ahead.kept(row))
                with _built_ahead(_order_pages(rows, reader, done.scattered)) as pages:
                    for page in pages:
                        counts += write_page(source, ORDERS, page)
                        result.pages += 1
    except _Rejected:
        result.pages, result.counts = 0, Counts()
        result.errors, result.error_count = reader.errors.listed, reader.errors.count
        result.message = gettext("Nothing was imported: %(count)s problems to fix in the file.") % {
            "count": reader.errors.count
        }
        run.errors = [{"stream": ORDERS, "reason": result.message}]
        run.errors += [{"stream": ORDERS, "reason": str(error)} for error in result.errors[:20]]
        run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
        run.save()
        return result
    except FileFormatError as error:
        result.pages = 0
        result.status, result.message = Status.UNREADABLE, str(error)
        if job.run is None:
            run.delete()  # as when the file cannot be opened: no run
            result.run = None
        else:  # a task's run: it says why
            run.errors = [{"stream": ORDERS, "reason": result.message}]
            run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
            run.save()
        return result
    except (_Busy, IntegrityError, OperationalError) as error:
        if not isinstance(error, _Busy) and not _is_contention(error):
            logger.exception("Import of an orders file for SME %s failed", sme.pk)
            return _failed(run, result, ORDERS, error)
        return _busy(run, result, ORDERS)
    except Exception as error:
        logger.exception("Import of an orders file for SME %s failed", sme.pk)
        return _failed(run, result, ORDERS, error)
    return _imported(run, result, source, counts)


class _Busy(Exception):
    """Another import for the same SME holds its file source."""


def _lock_source(source: DataSource) -> None:
    """Hold the SME's file source for the import's transaction; another import holding it: ``_Busy``.

    Two imports of one file at once would both insert the same orders, and the second would
    fail on the unique (source, id) at the first one's commit. PostgreSQL: a row lock, refused at
    once (NOWAIT). SQLite writes one transaction at a time anyway (see ``_is_contention``).
    """
    try:
        with transaction.atomic():
            list(DataSource.objects.select_for_update(nowait=True).filter(pk=source.pk).values_list("pk"))
    except DatabaseError as error:
        raise _Busy from error


def _is_contention(error: Exception) -> bool:
    """A unique key taken by a simultaneous import, or the database's lock refused (SQLite's "locked")."""
    return isinstance(error, IntegrityError) or "lock" in str(error).lower()


def _busy_message() -> str:
    return gettext(
        "Another import of this company's data was running at the same time: nothing was imported from this file. "
        "Wait until it has finished, then import the file again if it is still needed."
    )


def _busy(run: SyncRun, result: ImportResult, stream: str) -> ImportResult:
    """Another import of this SME's data ran at the same time: this one wrote nothing, and says so."""
    result.status, result.pages, result.counts = Status.BUSY, 0, Counts()
    result.message = _busy_message()
    run.errors = [{"stream": stream, "reason": result.message}]
    run.status, run.finished_at = SyncStatus.FAILED, timezone.now()
    run.save()
    return result


def _record_rejection(source: DataSource, job: _Job, stream: str, result: ImportResult) -> SyncRun:
    """A rejected file leaves a failed run with the first problems (the source's status is left as it was)."""
    now = timezone.now()
    errors = [{"stream": stream, "reason": result.message}]
    errors += [{"stream": stream, "reason": str(error)} for error in result.errors[:20]]
    run = job.start(source, stream)
    run.status, run.finished_at, run.errors = SyncStatus.FAILED, now, errors
    run.save()
    return run
