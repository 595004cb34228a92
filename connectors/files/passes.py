"""The passes over a checked file: rows grouped into records, a page at a time.

Pass 1 (``check_orders``, ``check_products``) reads every row through its row reader (``rows``);
pass 2 turns the checked rows into pages of records for ``connectors.writer.write_page``
(``order_pages`` from the file read again, ``product_pages`` from the ``Spool``).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..records import ImageRecord, OrderLineRecord, OrderRecord, ProductRecord, RefundRecord, customer_ref
from . import taxes
from .reading import Table
from .rows import DUPLICATE_PRODUCT, NO_DATE, OrderRow, OrderRowReader, ProductRowReader

PAGE_SIZE = 2000
PROGRESS_ROWS = 10_000  # a task's progress is reported every this many rows


def _customer(value: str) -> str:
    """A file's customer cell as a raw identity: an e-mail, else an id ("17850.0" written by a spreadsheet
    is the id 17850)."""
    if "@" in value:
        return customer_ref("email", value)
    if value.endswith(".0") and value[:-2].isdecimal():
        value = value[:-2]
    return customer_ref("id", value)


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
            customer_ref=_customer(values.get("customer", "")),
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
class Checked:
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


def check_orders(table: Table, reader: OrderRowReader, ahead=None) -> Checked:
    """Pass 1 over an orders file: its rows checked and, with ``ahead`` (an ``ahead.PagesAhead``), grouped into
    orders handed on as it goes (a dry run only checks). ``ahead`` is not imported here: ``ahead`` imports this."""
    checked = Checked()
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


def order_pages(rows: Iterator, reader: OrderRowReader, scattered: set[str]) -> Iterator[list[OrderRecord]]:
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


def rows_again(table: Table, reader: OrderRowReader, first_line: int) -> Iterator[OrderRow]:
    """The file's order rows from ``first_line`` on, read again (after pass 1: the file is clean, its dates settled)."""
    parse = reader.parse
    for line, cells in table.rows():
        if line >= first_line:
            row = parse(line, cells)
            if row is not None:
                yield row


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


def check_products(table: Table, reader: ProductRowReader, spool: Spool | None) -> Checked:
    checked = Checked()
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


def product_pages(spool: Spool, reader: ProductRowReader) -> Iterator[list[ProductRecord]]:
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
