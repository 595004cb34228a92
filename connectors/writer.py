"""The one writer: upserts a page of records for a data source, counting what changed.

A page is written in one database transaction by the caller (``connectors.sync``), which
saves the stream's cursor in the same transaction: either the page and its cursor are both
stored, or neither is. Each page costs a fixed number of queries whatever its size: one to
read the rows it may update, one bulk insert, one bulk update (and, for orders, the lines).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import connection

from .models import DataSource, Order, OrderLine, Product, ProductAnalytics
from .records import AnalyticsRecord, OrderRecord, ProductRecord

PRODUCT_FIELDS = [
    "sku", "title", "description", "price", "currency", "images", "gtin", "brand", "mpn",
    "stock_tracked", "stock_quantity", "status", "unit_cost", "category",
]  # fmt: skip
ORDER_FIELDS = [
    "channel", "placed_at", "customer_country", "status", "currency", "discounts", "refunds", "shipping", "fees",
]  # fmt: skip
LINE_FIELDS = ["sku", "description", "quantity", "unit_price", "unit_cost"]
ANALYTICS_FIELDS = ["views", "sessions", "add_to_carts", "purchases"]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.created += other.created
        self.updated += other.updated
        self.skipped += other.skipped
        return self


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is not None and b is not None and Decimal(a) == Decimal(b)) or (a is None and b is None)
    return a == b


def _merge(row, values: dict, changed: list, counts: Counts) -> None:
    """Apply ``values`` to an existing row if anything differs (queued for update), else count it unchanged."""
    if all(_same(getattr(row, name), value) for name, value in values.items()):
        counts.skipped += 1
        return
    for name, value in values.items():
        setattr(row, name, value)
    changed.append(row)


def _save(model, new: list, changed: list, fields: list[str], counts: Counts) -> None:
    model.objects.bulk_create(new, batch_size=1000)
    model.objects.bulk_update(changed, fields, batch_size=1000)
    counts.created += len(new)
    counts.updated += len(changed)


def _product_values(record: ProductRecord) -> dict:
    values = {name: getattr(record, name) for name in PRODUCT_FIELDS}
    values["images"] = [asdict(image) for image in record.images]
    return values


def write_products(source: DataSource, records: list[ProductRecord]) -> Counts:
    counts = Counts()
    # The last record wins when a page repeats an id.
    by_id = {record.external_id: _product_values(record) for record in records}
    existing = {p.external_id: p for p in Product.objects.filter(source=source, external_id__in=list(by_id))}
    new, changed = [], []
    for external_id, values in by_id.items():
        row = existing.get(external_id)
        if row is None:
            new.append(Product(sme_id=source.sme_id, source=source, external_id=external_id, **values))
        else:
            _merge(row, values, changed, counts)
    _save(Product, new, changed, PRODUCT_FIELDS, counts)
    return counts


def _line_values(record) -> dict:
    return {name: getattr(record, name) for name in LINE_FIELDS}


def write_orders(source: DataSource, records: list[OrderRecord]) -> Counts:
    """Upsert orders; an order whose fields or lines changed gets its lines replaced."""
    counts = Counts()
    by_id = {record.external_id: record for record in records}
    existing = {o.external_id: o for o in Order.objects.filter(source=source, external_id__in=list(by_id))}
    existing_lines: dict[int, dict[str, dict]] = {}
    for line in OrderLine.objects.filter(order__in=list(existing.values())).values(
        "order_id", "line_key", *LINE_FIELDS
    ):
        existing_lines.setdefault(line.pop("order_id"), {})[line.pop("line_key")] = line

    new, changed = [], []
    for external_id, record in by_id.items():
        values = {name: getattr(record, name) for name in ORDER_FIELDS}
        row = existing.get(external_id)
        if row is None:
            new.append(Order(sme_id=source.sme_id, source=source, external_id=external_id, **values))
            continue
        lines_now = {line.line_key: _line_values(line) for line in record.lines}
        lines_before = existing_lines.get(row.pk, {})
        same_lines = lines_now.keys() == lines_before.keys() and all(
            _same(lines_before[key][name], value) for key, line in lines_now.items() for name, value in line.items()
        )
        if same_lines:
            _merge(row, values, changed, counts)
        else:  # the lines changed: the order is rewritten even if its own fields did not
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    _save(Order, new, changed, ORDER_FIELDS, counts)

    rewritten = new + changed
    if not rewritten:
        return counts
    OrderLine.objects.filter(order__in=changed).delete()
    wanted = {line.sku for order in rewritten for line in by_id[order.external_id].lines if line.sku}
    wanted_ids = {
        line.product_external_id
        for order in rewritten
        for line in by_id[order.external_id].lines
        if line.product_external_id
    }
    products_by_id = dict(
        Product.objects.filter(source=source, external_id__in=wanted_ids).values_list("external_id", "pk")
    )
    products_by_sku = dict(Product.objects.filter(sme_id=source.sme_id, sku__in=wanted).values_list("sku", "pk"))
    rows = []
    for order in rewritten:
        for record in by_id[order.external_id].lines:
            product_id = products_by_id.get(record.product_external_id) or products_by_sku.get(record.sku)
            rows.append(
                (
                    order.pk,
                    record.line_key,
                    product_id,
                    record.sku,
                    record.description,
                    record.quantity,
                    record.unit_price,
                    record.unit_cost,
                )
            )
    _insert_lines(rows)
    return counts


LINE_COLUMNS = ["order", "line_key", "product", *LINE_FIELDS]


def _insert_lines(rows: list[tuple]) -> None:
    """Insert order lines given as tuples in ``LINE_COLUMNS`` order, without a model instance each.

    Lines are the bulk of what a sync or an import writes (541,909 in the UCI file), and
    ``bulk_create`` spends most of its time building and preparing one instance per line.
    The values are plain ints, strings, Decimals and None, which the drivers adapt as the ORM
    would: PostgreSQL (psycopg 3) gets one COPY, other databases one executemany.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(OrderLine._meta.db_table)
    columns = ", ".join(quote(OrderLine._meta.get_field(name).column) for name in LINE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(LINE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def write_analytics(source: DataSource, records: list[AnalyticsRecord]) -> Counts:
    counts = Counts()
    by_key = {(record.product_key, record.date): record for record in records}
    keys = {key for key, _ in by_key}
    dates = {date for _, date in by_key}
    existing = {
        (row.product_key, row.date): row
        for row in ProductAnalytics.objects.filter(source=source, product_key__in=keys, date__in=dates)
    }
    products = dict(Product.objects.filter(source=source, external_id__in=keys).values_list("external_id", "pk"))
    new, changed = [], []
    for (product_key, date), record in by_key.items():
        values = {name: getattr(record, name) for name in ANALYTICS_FIELDS}
        row = existing.get((product_key, date))
        if row is None:
            new.append(
                ProductAnalytics(
                    sme_id=source.sme_id,
                    source=source,
                    product_id=products.get(product_key),
                    product_key=product_key,
                    date=date,
                    **values,
                )
            )
        else:
            _merge(row, values, changed, counts)
    _save(ProductAnalytics, new, changed, ANALYTICS_FIELDS, counts)
    return counts


WRITERS = {"products": write_products, "orders": write_orders, "analytics": write_analytics}


def write_page(source: DataSource, stream: str, records: list) -> Counts:
    """Store one page of ``stream`` for ``source``; call inside a transaction."""
    return WRITERS[stream](source, records)
