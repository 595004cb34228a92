"""Reading an import file's rows: our fields from the layout's columns, checked, and the reasons a cell is refused.

``OrderRowReader.parse`` turns an orders row into a plain tuple (``OrderRow``),
``ProductRowReader.parse`` a products row into a dict; each collects its problems in an
``ErrorLog`` as (line, column header, value, reason in the user's language). Nothing here
touches the database or knows how rows become records (``passes``) or are written (``importer``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext, gettext_lazy

from journey.models import SME

from ..records import date_bounds, date_in_range, out_of_range_message
from . import layouts, taxes
from .cells import NumberTooLarge, is_numeric_date, parse_decimal, parse_integer, parse_iso
from .cells import parse_numeric_date as numeric_date
from .layouts import Layout

MAX_LISTED_ERRORS = 1000
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
MAX_INT = 2**31 - 1
NO_CELL = ("", -1)  # a field the file has no column for
# Amounts exclude tax; the tax is in its own columns (see the README's "Net sales").
AMOUNTS = ("shipping", "discounts", "fees", "refunds", "tax", "shipping_tax", "customer_fees", "refund_tax")


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
        "status", "currency", "customer_country", "customer", "channel", "refunded_at", "prices_include_tax",
        "refund_currency", *AMOUNTS,
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
        item = raw.get("customer")
        if item is not None:
            # Who ordered (an id, or an e-mail): only a pseudonymous key of it is stored (records.customer_ref).
            customer = _text(item[0]).strip()
            if customer:
                values["customer"] = customer
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
