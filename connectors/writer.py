"""The one writer: upserts a page of records for a data source, counting what changed.

A page is written in one database transaction by the caller (``connectors.sync``), which
saves the stream's cursor in the same transaction: either the page and its cursor are both
stored, or neither is. Each page costs a fixed number of queries whatever its size: one to
read the rows it may update, one bulk insert, one bulk update (and, for orders, the lines).
Orders and their lines, the bulk of every sync and import, are inserted from plain values
(PostgreSQL: COPY) rather than through model instances.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from .base import ConnectorError
from .models import DataSource, ExchangeRate, Order, OrderLine, Product, ProductAnalytics, Refund
from .records import AnalyticsRecord, OrderRecord, ProductRecord, RefundRecord, check_dates

PRODUCT_FIELDS = [
    "sku", "title", "description", "price", "currency", "images", "gtin", "brand", "mpn",
    "stock_tracked", "stock_quantity", "status", "unit_cost", "category",
]  # fmt: skip
ORDER_FIELDS = [
    "channel", "placed_at", "customer_country", "status", "currency", "discounts", "refunds", "shipping", "fees",
    "presentment_currency", "prices_include_tax", "tax", "shipping_tax", "customer_fees", "customer_key",
]  # fmt: skip
LINE_FIELDS = ["sku", "description", "quantity", "unit_price", "unit_cost", "tax"]
REFUND_FIELDS = ["refunded_at", "amount", "tax", "currency", "original_amount", "rate", "rate_date", "restocked"]
CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")  # OrderLine.unit_price
RATE_PLACES = Decimal("0.00000001")
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
    _analytics_rematch(source, by_id)
    return counts


def _line_values(record) -> dict:
    return {name: getattr(record, name) for name in LINE_FIELDS}


def write_orders(source: DataSource, records: list[OrderRecord]) -> Counts:
    """Upsert orders; an order whose fields or lines changed gets its lines replaced.

    New orders and all lines go in from plain values (``_insert_orders``, ``_insert_lines``):
    most pages of a first sync or import are all new, and building a model instance per row
    cost more than the database's work. Only orders already stored are read back in full and
    compared.
    """
    counts = Counts()
    by_id = {record.external_id: record for record in records}
    _normalise(source, by_id.values())
    stored = _pks(Order, "external_id", list(by_id), source_id=source.pk)
    now = timezone.now()
    rewritten: list[tuple[int, OrderRecord]] = []
    if stored:
        changed = _changed_orders(stored, by_id, counts)
        if changed:
            Order.objects.bulk_update(
                [
                    Order(pk=pk, updated_at=now, **{name: getattr(record, name) for name in ORDER_FIELDS})
                    for pk, record in changed
                ],
                [*ORDER_FIELDS, "updated_at"],
                batch_size=1000,
            )
            OrderLine.objects.filter(order_id__in=[pk for pk, _ in changed]).delete()
            Refund.objects.filter(order_id__in=[pk for pk, _ in changed]).delete()
            counts.updated += len(changed)
            rewritten += changed
    new = [record for external_id, record in by_id.items() if external_id not in stored]
    if new:
        rewritten += zip(_insert_orders(source, new, now), new, strict=True)
        counts.created += len(new)
    if rewritten:
        _insert_lines(_line_rows(source, rewritten))
        line_totals_refresh([pk for pk, _ in rewritten])
        _insert_refunds(source, rewritten)
    return counts


def line_totals_refresh(order_ids: list[int]) -> None:
    """Set ``Order.lines_total`` and ``Order.has_sale`` of these orders from their stored lines.

    Computed by the database from the rows just written, so the totals are exactly the lines' own
    sums (whatever rounding the columns applied). Whoever writes an order's lines calls it.
    """
    lines = OrderLine.objects.filter(order_id=OuterRef("pk")).order_by().values("order_id")
    for start in range(0, len(order_ids), 5000):
        Order.objects.filter(pk__in=order_ids[start : start + 5000]).update(
            lines_total=Coalesce(
                Subquery(lines.annotate(_t=Sum(F("quantity") * F("unit_price"))).values("_t")), Value(Decimal(0))
            ),
            has_sale=Exists(OrderLine.objects.filter(order_id=OuterRef("pk"), quantity__gt=0)),
        )


# --- money: refunds, currencies ----------------------------------------------------------------------


def shop_currency(source: DataSource) -> str:
    """The currency amounts are stored in: the shop's, as its source says (``options["currency"]``). Empty
    when unknown: records are then stored in the currency they come in (a file's currency column is
    usually the shop's own, as in Shopify's and WooCommerce's exports)."""
    return (source.options or {}).get("currency") or ""


def _normalise(source: DataSource, records) -> None:
    """Make each record what the tables store: refunds as dated records (a bare total becomes one refund
    on the order's day), their total in ``refunds``, and every amount in the shop's currency."""
    target = shop_currency(source)
    foreign = []
    for record in records:
        record.customer_key = customer_key(source, record.customer_ref)
        if not record.refund_records and record.refunds:
            record.refund_records = [RefundRecord("order", record.placed_at, record.refunds)]
        for refund in record.refund_records:
            if refund.currency and record.currency and refund.currency != record.currency:
                _refund_into(record, refund)
        if record.refund_records:
            record.refunds = sum((refund.amount for refund in record.refund_records), Decimal(0))
        if target and record.currency and record.currency != target:
            foreign.append(record)
    if foreign:
        _convert(foreign, target)


def customer_key(source: DataSource, ref: str) -> str:
    """The pseudonymous key of a customer of ``source`` (``Order.customer_key``): an HMAC-SHA256 of the
    platform's identity under a secret derived from ``SECRET_KEY`` and the source, truncated to 128 bits.
    The same customer gets the same key within the source; the identity itself is never stored and cannot
    be read back from the key (docs/decisions/0016-customer-key.md). "" when ``ref`` is empty."""
    if not ref:
        return ""
    return salted_hmac(f"connectors.customer_key.{source.pk}", ref, algorithm="sha256").hexdigest()[:32]


def _convert(records: list[OrderRecord], target: str) -> None:
    """Convert orders given in another currency into ``target`` at the rate of their day (refunds at the
    rate of theirs), from ``ExchangeRate``: the latest rate on or before the day. Unit costs are the
    shop's own (its cost of goods), already in its currency."""
    days = [r.placed_at.date() for r in records] + [f.refunded_at.date() for r in records for f in r.refund_records]
    rates: dict[str, tuple[list, list]] = {}
    for day, currency, rate in (
        ExchangeRate.objects.filter(
            currency__in={r.currency for r in records}, base_currency=target, day__lte=max(days)
        )
        .order_by("day")
        .values_list("day", "currency", "rate")
    ):
        known = rates.setdefault(currency, ([], []))
        known[0].append(day)
        known[1].append(rate)

    def rate_on(currency, day):
        known = rates.get(currency, ([], []))
        at = bisect.bisect_right(known[0], day)
        if not at:
            raise ConnectorError(
                gettext(
                    "No exchange rate from %(currency)s to %(base)s on or before %(day)s: add one under "
                    "Exchange rates in the admin, then sync or import again."
                )
                % {"currency": currency, "base": target, "day": formats.date_format(day, "SHORT_DATE_FORMAT")}
            )
        return known[1][at - 1]

    for record in records:
        rate = rate_on(record.currency, record.placed_at.date())
        for line in record.lines:  # a unit cost is the shop's own, in its currency: never converted
            line.unit_price = (Decimal(line.unit_price) * rate).quantize(PRICE_PLACES)
            line.tax = (line.tax * rate).quantize(CENT)
        for name in ("discounts", "shipping", "fees", "customer_fees", "tax", "shipping_tax"):
            setattr(record, name, (getattr(record, name) * rate).quantize(CENT))
        for refund in record.refund_records:
            day = refund.refunded_at.date()
            refund_rate = rate_on(record.currency, day)
            if refund.paid_amount is None:
                refund.paid_amount, refund.paid_currency = refund.amount + refund.tax, record.currency
            refund.amount = (refund.amount * refund_rate).quantize(CENT)
            refund.tax = (refund.tax * refund_rate).quantize(CENT)
            if refund.paid_currency == record.currency:
                refund.rate, refund.rate_date = refund_rate, day
            else:  # paid in a third currency: the rate is the one the amounts now imply (_refund_values)
                refund.rate = refund.rate_date = None
        record.refunds = sum((refund.amount for refund in record.refund_records), Decimal(0))
        record.presentment_currency = record.presentment_currency or record.currency
        record.currency = target


def _refund_into(record: OrderRecord, refund: RefundRecord) -> None:
    """A refund written in another currency than its order's, into the order's at the rate of the
    refund's day (the latest ``ExchangeRate`` on or before it); what was paid back is kept."""
    day = refund.refunded_at.date()
    rate = (
        ExchangeRate.objects.filter(currency=refund.currency, base_currency=record.currency, day__lte=day)
        .order_by("-day")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise ConnectorError(
            gettext(
                "No exchange rate from %(currency)s to %(base)s on or before %(day)s: add one under "
                "Exchange rates in the admin, then sync or import again."
            )
            % {
                "currency": refund.currency,
                "base": record.currency,
                "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
            }
        )
    refund.paid_amount, refund.paid_currency = refund.amount + refund.tax, refund.currency
    refund.amount = (refund.amount * rate).quantize(CENT)
    refund.tax = (refund.tax * rate).quantize(CENT)
    refund.rate, refund.rate_date, refund.currency = rate, day, ""


def _refund_values(record: OrderRecord, refund: RefundRecord) -> dict:
    """A refund record as ``Refund``'s fields: the rate is the record's, else the one its amounts imply."""
    rate, rate_date = refund.rate, refund.rate_date
    paid_currency = refund.paid_currency or record.currency
    if rate is None and refund.paid_amount and paid_currency != record.currency:
        rate = ((refund.amount + refund.tax) / refund.paid_amount).quantize(RATE_PLACES)
        rate_date = refund.refunded_at.date()
    return {
        "refunded_at": refund.refunded_at,
        "amount": refund.amount,
        "tax": refund.tax,
        "currency": paid_currency,
        "original_amount": refund.paid_amount if paid_currency != record.currency else None,
        "rate": rate,
        "rate_date": rate_date,
        "restocked": list(refund.restocked),
    }


def _insert_refunds(source: DataSource, orders: list[tuple[int, OrderRecord]]) -> None:
    Refund.objects.bulk_create(
        [
            Refund(sme_id=source.sme_id, order_id=pk, external_id=refund.external_id, **_refund_values(record, refund))
            for pk, record in orders
            for refund in record.refund_records
        ],
        batch_size=1000,
    )


def _changed_orders(stored: dict[str, int], by_id: dict[str, OrderRecord], counts: Counts) -> list[tuple]:
    """(pk, record) of the stored orders whose fields or lines differ from the records; counts the others."""
    before = {
        row[0]: row[1:] for row in Order.objects.filter(pk__in=list(stored.values())).values_list("pk", *ORDER_FIELDS)
    }
    lines_before: dict[int, dict[str, tuple]] = {}
    for row in OrderLine.objects.filter(order_id__in=list(before)).values_list("order_id", "line_key", *LINE_FIELDS):
        lines_before.setdefault(row[0], {})[row[1]] = row[2:]
    refunds_before: dict[int, dict[str, tuple]] = {}
    for row in Refund.objects.filter(order_id__in=list(before)).values_list("order_id", "external_id", *REFUND_FIELDS):
        refunds_before.setdefault(row[0], {})[row[1]] = row[2:]
    cost_at = LINE_FIELDS.index("unit_cost")
    changed = []
    for external_id, pk in stored.items():
        record = by_id[external_id]
        lines = lines_before.get(pk, {})
        for line in record.lines:  # the cost at the time of sale stays what it was when first stored
            if line.unit_cost is None and line.line_key in lines:
                line.unit_cost = lines[line.line_key][cost_at]
        refunds = refunds_before.get(pk, {})
        same_refunds = len(refunds) == len(record.refund_records) and all(
            refund.external_id in refunds
            and all(
                _same(a, b)
                for a, b in zip(refunds[refund.external_id], _refund_values(record, refund).values(), strict=True)
            )
            for refund in record.refund_records
        )
        same = same_refunds and (
            all(_same(a, getattr(record, name)) for a, name in zip(before[pk], ORDER_FIELDS, strict=True))
            and len(lines) == len(record.lines)
            and all(
                line.line_key in lines
                and all(
                    _same(a, getattr(line, name)) for a, name in zip(lines[line.line_key], LINE_FIELDS, strict=True)
                )
                for line in record.lines
            )
        )
        if same:
            counts.skipped += 1
        else:
            changed.append((pk, record))
    return changed


ORDER_COLUMNS = ["sme", "source", "external_id", *ORDER_FIELDS, "updated_at"]


def _insert_orders(source: DataSource, records: list[OrderRecord], now) -> list[int]:
    """Insert new orders from plain values; their primary keys, in the order of ``records``.

    On PostgreSQL the keys are drawn from the table's sequence in one query and the rows
    sent in one COPY; elsewhere one executemany, then one query reads the keys back by
    external id. The ``(source, external id)`` uniqueness and the foreign keys are the
    schema's, checked by the database as for any insert.
    """
    quote = connection.ops.quote_name
    meta = Order._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in ORDER_COLUMNS)
    sme_id, source_id = source.sme_id, source.pk
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, meta.pk.column, len(records)],
            )
            pks = [row[0] for row in cursor.fetchall()]
            copying = cursor.cursor.copy(f"COPY {table} ({quote(meta.pk.column)}, {columns}) FROM STDIN")
            with connection.wrap_database_errors, copying as copy:  # Django's IntegrityError, as for any insert
                for pk, r in zip(pks, records, strict=True):
                    copy.write_row(
                        (pk, sme_id, source_id, r.external_id, r.channel, r.placed_at, r.customer_country, r.status,
                         r.currency, r.discounts, r.refunds, r.shipping, r.fees, r.presentment_currency,
                         r.prices_include_tax, r.tax, r.shipping_tax, r.customer_fees, r.customer_key, now)
                    )  # fmt: skip
            return pks
        adapt = connection.ops.adapt_datetimefield_value
        updated_at = adapt(now)
        placeholders = ", ".join(["%s"] * len(ORDER_COLUMNS))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 (our own names)
            [
                (sme_id, source_id, r.external_id, r.channel, adapt(r.placed_at), r.customer_country, r.status,
                 r.currency, r.discounts, r.refunds, r.shipping, r.fees, r.presentment_currency,
                 r.prices_include_tax, r.tax, r.shipping_tax, r.customer_fees, r.customer_key, updated_at)
                for r in records
            ],
        )  # fmt: skip
    pks = _pks(Order, "external_id", [record.external_id for record in records], source_id=source_id)
    return [pks[record.external_id] for record in records]


def _line_rows(source: DataSource, orders: list[tuple[int, OrderRecord]]) -> list[tuple]:
    """The lines of ``orders`` ((pk, record) pairs) as tuples in ``LINE_COLUMNS`` order, linked to their product."""
    wanted_ids, wanted_skus = set(), set()
    for _, order in orders:
        for line in order.lines:
            if line.product_external_id:
                wanted_ids.add(line.product_external_id)
            elif line.sku:
                wanted_skus.add(line.sku)
    by_id = _pks(Product, "external_id", list(wanted_ids), source_id=source.pk) if wanted_ids else {}
    # A line whose product id is not found is matched by its SKU, like a line without one.
    wanted_skus.update(
        line.sku
        for _, order in orders
        for line in order.lines
        if line.sku and line.product_external_id and line.product_external_id not in by_id
    )
    by_sku = _pks(Product, "sku", list(wanted_skus), sme_id=source.sme_id) if wanted_skus else {}
    rows = [
        (
            pk,
            line.line_key,
            by_id.get(line.product_external_id) or by_sku.get(line.sku),
            line.sku,
            line.description,
            line.quantity,
            line.unit_price,
            line.unit_cost,
            line.tax,
        )
        for pk, order in orders
        for line in order.lines
    ]
    return _with_product_costs(rows)


def _with_product_costs(rows: list[tuple]) -> list[tuple]:
    """Lines without a unit cost take their product's, as the platform gives it now (Shopify's inventory
    item cost): the cost at the time of sale for an order written when it is placed, and kept when the
    order is written again (``_changed_orders``). A line whose product has no cost stays unknown."""
    wanted = list({row[2] for row in rows if row[7] is None and row[2] is not None})
    if not wanted:
        return rows
    costs = {}
    for start in range(0, len(wanted), 900):
        costs.update(
            Product.objects.filter(pk__in=wanted[start : start + 900], unit_cost__isnull=False).values_list(
                "pk", "unit_cost"
            )
        )
    if not costs:
        return rows
    return [(*row[:7], costs.get(row[2]), row[8]) if row[7] is None and row[2] in costs else row for row in rows]


LINE_COLUMNS = ["order", "line_key", "product", *LINE_FIELDS]


def _pks(model, column: str, values: list, **equal) -> dict:
    """{value: primary key} of ``model``'s rows whose ``column`` is one of ``values`` and ``equal``'s columns match.

    Raw SQL, as this lookup runs for every page: on PostgreSQL the values go as one array
    parameter, elsewhere as IN lists within the backend's parameter limit.
    """
    if not values:
        return {}
    quote = connection.ops.quote_name
    meta = model._meta
    where = " AND ".join(f"{quote(meta.get_field(name).column)} = %s" for name in equal)
    sql = (
        f"SELECT {quote(meta.get_field(column).column)}, {quote(meta.pk.column)} "  # noqa: S608 (our own names)
        f"FROM {quote(meta.db_table)} WHERE {where} AND {quote(meta.get_field(column).column)}"
    )
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{sql} = ANY(%s)", [*equal.values(), values])
            return dict(cursor.fetchall())
        size = (connection.features.max_query_params or 999) - len(equal)
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(chunk))})", [*equal.values(), *chunk])
            found.update(cursor.fetchall())
    return found


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
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(rows), COPY_ROWS):
                    copy.write(_copy_text(rows[start : start + COPY_ROWS]))
        else:
            placeholders = ", ".join(["%s"] * len(LINE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


# COPY's text format: a backslash, newline, carriage return or tab inside a value is written escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
COPY_NULL = "\\N"
COPY_ROWS = 5000


def _copy_text(rows: list[tuple]) -> str:
    """Order lines (tuples in ``LINE_COLUMNS`` order) as the text of a ``COPY … FROM STDIN``.

    One f-string a line instead of psycopg's ``write_row``, which costs three times as much
    per row in this process, where the import's pass 1 wants the interpreter (see
    ``connectors.files.importer``). The order and product keys are ints (or None), the quantity
    an int, the prices Decimals (or None): their ``str`` is what PostgreSQL reads. The texts
    (line key, SKU, description) seldom hold a backslash, tab, newline or carriage return: the
    page is written plainly, and only if counting its tabs, newlines and backslashes shows such
    a character in a text is it written again with the texts escaped.
    """
    null = COPY_NULL
    text = "".join(
        [
            f"{order}\t{key}\t{null if product is None else product}\t{sku}\t"
            f"{description}\t{quantity}\t{price}\t{null if cost is None else cost}\t{tax}\n"
            for order, key, product, sku, description, quantity, price, cost, tax in rows
        ]
    )
    nulls = sum(row[2] is None for row in rows) + sum(row[7] is None for row in rows)
    if (
        text.count("\t") == 8 * len(rows)
        and text.count("\n") == len(rows)
        and text.count("\\") == nulls  # one in each \N
        and "\r" not in text
    ):
        return text
    escapes = COPY_ESCAPES
    return "".join(
        [
            f"{order}\t{key.translate(escapes)}\t{null if product is None else product}\t{sku.translate(escapes)}\t"
            f"{description.translate(escapes)}\t{quantity}\t{price}\t{null if cost is None else cost}\t{tax}\n"
            for order, key, product, sku, description, quantity, price, cost, tax in rows
        ]
    )


# Shopify's Google channel reports an item as shopify_<country>_<product id>_<variant id>.
SHOPIFY_ITEM_ID = re.compile(r"^shopify_[A-Za-z]{2}_\d+_(\d+)$")


def _item_candidates(key: str) -> list[str]:
    """The ids an analytics item id may stand for: itself, and a Shopify variant id it embeds."""
    found = SHOPIFY_ITEM_ID.match(key)
    return [key, found.group(1)] if found else [key]


def analytics_products(source: DataSource, keys) -> dict[str, int]:
    """The product each analytics item key stands for: the source's own product of that id; else
    (an analytics property beside the shop, GA4) the SME's product of any source whose platform id,
    then whose SKU, is the key. The lowest id wins when several match; unmatched keys are absent."""
    keys = {key for key in keys if key}
    if not keys:
        return {}
    found = dict(Product.objects.filter(source=source, external_id__in=keys).values_list("external_id", "pk"))
    rest = keys - found.keys()
    if not rest:
        return found
    candidates = {candidate for key in rest for candidate in _item_candidates(key)}
    by_id, by_sku = {}, {}
    rows = Product.objects.filter(Q(external_id__in=candidates) | Q(sku__in=candidates), sme_id=source.sme_id)
    for pk, external_id, sku in rows.order_by("pk").values_list("pk", "external_id", "sku"):
        by_id.setdefault(external_id, pk)
        if sku:
            by_sku.setdefault(sku, pk)
    for key in rest:
        candidates = _item_candidates(key)
        pk = next((by_id[c] for c in candidates if c in by_id), None) or by_sku.get(key)
        if pk is not None:
            found[key] = pk
    return found


def _analytics_rematch(source: DataSource, products: dict) -> None:
    """Link the SME's analytics items still unmatched to products just written (an analytics
    source synced before the shop): a single query when there is nothing to link."""
    unmatched = ProductAnalytics.objects.filter(sme_id=source.sme_id, product__isnull=True).exclude(product_key="")
    keys = set(unmatched.values_list("product_key", flat=True).distinct()[:10_000])
    if not keys:
        return
    written = set(products) | {values["sku"] for values in products.values() if values.get("sku")}
    keys = {key for key in keys if written.intersection(_item_candidates(key))}
    for analytics_source in DataSource.objects.filter(pk__in=unmatched.values("source_id").distinct()):
        for key, pk in analytics_products(analytics_source, keys).items():
            unmatched.filter(source=analytics_source, product_key=key).update(product_id=pk)


def write_analytics(source: DataSource, records: list[AnalyticsRecord]) -> Counts:
    counts = Counts()
    by_key = {(record.product_key, record.date): record for record in records}
    keys = {key for key, _ in by_key}
    dates = {date for _, date in by_key}
    existing = {
        (row.product_key, row.date): row
        for row in ProductAnalytics.objects.filter(source=source, product_key__in=keys, date__in=dates)
    }
    products = analytics_products(source, keys)
    new, changed = [], []
    for (product_key, date), record in by_key.items():
        values = {name: getattr(record, name) for name in ANALYTICS_FIELDS}
        values["product_id"] = products.get(product_key)
        row = existing.get((product_key, date))
        if row is None:
            new.append(
                ProductAnalytics(sme_id=source.sme_id, source=source, product_key=product_key, date=date, **values)
            )
        else:
            _merge(row, values, changed, counts)
    _save(ProductAnalytics, new, changed, [*ANALYTICS_FIELDS, "product_id"], counts)
    return counts


def check_constraints_per_statement() -> None:
    """Have the current transaction check its deferred constraints at each statement, not all at commit.

    Django's foreign keys are deferred on PostgreSQL. The checks are the same either way;
    made at each page's COPY, they run while the importer builds the next page (see
    ``connectors.files.importer``) instead of all at once at the end. Nothing to do elsewhere.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


WRITERS = {"products": write_products, "orders": write_orders, "analytics": write_analytics}


def write_page(source: DataSource, stream: str, records: list) -> Counts:
    """Store one page of ``stream`` for ``source``; call inside a transaction.

    Every source's records pass here: a date outside the plausible range (``records.date_bounds``)
    raises ``records.RecordError`` before anything of the page is written.
    """
    check_dates(stream, records)
    return WRITERS[stream](source, records)
