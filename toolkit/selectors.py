"""Frames for the analyses, read from the SME's commerce data (connectors).

Speed (see ``bench/toolkit_report.py``): an SME's order lines can number in the hundreds of
thousands, so the orders and lines are read with one query each, straight from the
database into the frame — no model instances and no per-value conversion in Python. Money
columns are ``float64`` (NaN when unknown), ``placed_at`` is UTC.

On PostgreSQL the database packs each column into one value (``_packed_frame``): integers
as one ``bytea`` of big-endian integers, times as one ``bytea`` of ``timestamptz_send``
microseconds, money as its text joined on commas (read as whole cents, then divided: the
same float as the decimal's text), text joined on a separator. Reading rows one by one
(``COPY``, ``fetchall``) costs about a microsecond of Python per row; this costs a few numpy
calls per column. The lines come in chunks of orders from one statement, each unpacked while
the database packs the next. The rows come in no order and are sorted here. What cannot be
packed exactly (a separator inside a text, a NaN amount) comes through ``COPY`` in CSV, as
before; the frames are the same either way (``tests/toolkit/test_selectors.py``). Elsewhere
(SQLite) the rows come from the cursor's ``fetchall``.
"""

from __future__ import annotations

import io
import itertools
import warnings

import numpy as np
import pandas as pd
import psycopg
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from connectors.models import Order, OrderLine, Product, ProductAnalytics, Refund
from journey.models import SME

PRODUCT_COLUMNS = [
    "id", "external_id", "sku", "title", "description", "price", "images", "gtin", "brand", "mpn",
    "stock_tracked", "stock_quantity", "status", "unit_cost", "category",
]  # fmt: skip
ORDER_COLUMNS = ["id", "external_id", "channel", "placed_at", "customer_country", "status", "currency",
                 "discounts", "refunds", "shipping", "fees", "tax", "customer_fees"]  # fmt: skip
LINE_COLUMNS = ["id", "order_id", "product_id", "sku", "description", "quantity", "unit_price", "unit_cost"]
ANALYTICS_COLUMNS = ["product_id", "product_key", "date", "views", "sessions", "add_to_carts", "purchases"]
ORDER_MONEY = ["discounts", "refunds", "shipping", "fees", "tax", "customer_fees"]
REFUND_COLUMNS = ["order_id", "refunded_at", "amount", "tax"]
# Added to the refunds frame: the goods that went back into stock, at their line's unit cost
# (``restocked_cost``) and, for lines without one, at their price (``restocked_uncosted``).
RESTOCK_COLUMNS = ["restocked_cost", "restocked_uncosted"]
LINE_MONEY = ["unit_price", "unit_cost"]
ORDER_TEXT = ["external_id", "channel", "customer_country", "status", "currency"]
LINE_TEXT = ["sku", "description"]

BIG_INTEGER_TYPES = {"BigAutoField", "BigIntegerField", "PositiveBigIntegerField"}
INTEGER_TYPES = {
    "AutoField", "SmallAutoField", "IntegerField", "SmallIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField",
}  # fmt: skip
TEXT_TYPES = {"CharField", "TextField"}
# Stands for a null in a packed integer column (one such value in the data: COPY reads the frame).
NULL_INT = -(2**63)
NULL_INT4 = -(2**31)
# Joins a packed text column; a value containing it is found by the count of parts (then COPY).
SEPARATOR = "\x1f"
# timestamptz_send counts microseconds from 2000-01-01 UTC.
PG_EPOCH_US = 946_684_800_000_000
# The lines come in this many chunks of orders, each unpacked while the database packs the next.
LINE_CHUNKS = 16


class _Unpackable(Exception):
    """The packed columns cannot give exactly the frame that COPY would: read it with COPY."""


def _frame(queryset, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=columns)


def _raw_frame(queryset, columns: list[str], money: list[str], text: list[str], chunked=None) -> pd.DataFrame:
    """The rows of ``queryset`` as a frame, fetched in one go without Django's per-value conversions.

    ``money`` columns become floats (NaN when null); ``text`` columns are never null. Every other
    column must be a number or a time (parsed by the caller). On PostgreSQL the rows come in no
    particular order (the caller sorts them), read in chunks when ``chunked`` is (queryset,
    chunks) for ``_packed_frame``; elsewhere in the queryset's order.
    """
    if connection.vendor == "postgresql":
        try:
            frame = _packed_frame(chunked[0], columns, chunked[1]) if chunked else _packed_frame(queryset, columns)
        except _Unpackable:
            frame = _copy_frame(queryset, columns, money, text)
    else:
        casts = {f"_{name}": Cast(F(name), FloatField()) for name in money}
        selected = [f"_{name}" if name in money else name for name in columns]
        sql, params = queryset.annotate(**casts).values_list(*selected).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        frame = pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
    for name in money:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})


def _copy_frame(queryset, columns: list[str], money: list[str], text: list[str]) -> pd.DataFrame:
    """The rows as one ``COPY … TO STDOUT`` in CSV, parsed by pandas' C reader (money cast to floats)."""
    casts = {f"_{name}": Cast(F(name), FloatField()) for name in money}
    selected = [f"_{name}" if name in money else name for name in columns]
    sql, params = queryset.annotate(**casts).values_list(*selected).query.sql_with_params()
    query = connection.ops.compose_sql(sql, params)
    data = bytearray()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                data += chunk
    if not data:
        return _empty_frame(columns)
    # Text stays text ("NA" is a title, "" is an empty SKU); an empty number is a null.
    return pd.read_csv(
        io.BytesIO(data),
        names=columns,
        header=None,
        dtype={name: "str" for name in text},
        keep_default_na=False,
        na_values={name: [""] for name in columns if name not in text},
    )


def _kind(model, name: str) -> tuple[str, int, bool]:
    """How column ``name`` of ``model`` is packed: ("int" | "int4" | "money" | "text" | "time", units of
    money per unit, whether it can be null)."""
    field = model._meta.get_field(name)
    internal = field.get_internal_type()
    if internal == "ForeignKey":
        internal = field.target_field.get_internal_type()
    if internal in BIG_INTEGER_TYPES:
        return "int", 1, field.null
    if internal in INTEGER_TYPES:
        return "int4", 1, field.null
    if internal == "DecimalField" and field.max_digits <= 18:  # whole units of 1/scale fit in 63 bits
        return "money", 10**field.decimal_places, field.null
    if internal in TEXT_TYPES:
        return "text", 1, field.null
    if internal == "DateTimeField":
        return "time", 1, field.null
    raise _Unpackable(name)


def _aggregates(kinds) -> list[str]:
    """The rows' count, then two aggregates per column: its packed values, and how many are not null
    (integers and times) or where the nulls are (money)."""
    aggregates = ["count(*)"]
    for i, (kind, _, null) in enumerate(kinds):
        column = f"_s._c{i}"
        if kind in ("int", "int4"):
            size, sql_type = ("8", "bigint") if kind == "int" else ("4", "integer")
            sentinel = f"'{NULL_INT if kind == 'int' else NULL_INT4}'::{sql_type}"
            value = f"coalesce({column}::{sql_type}, {sentinel})" if null else f"{column}::{sql_type}"
            aggregates += [f"string_agg(int{size}send({value}), '')", f"count({column})"]
        elif kind == "money":
            # As text, which has exactly the field's decimal places (cheaper for the database than
            # arithmetic). Nulls are left out, and a mask ('1' for a null) says where they were; NaN
            # (which numeric allows, and COPY's CSV gives as NaN) is not a number here: COPY reads it.
            mask = f"string_agg(CASE WHEN {column} IS NULL THEN '1' ELSE '0' END, '')" if null else "''"
            aggregates += [f"string_agg({column}::text, ',')", mask]
        elif kind == "text":
            value = f"coalesce({column}::text, '')" if null else f"{column}::text"
            aggregates += [f"string_agg({value}, chr(31))", "0"]
        else:
            aggregates += [f"string_agg(timestamptz_send({column}), '')", f"count({column})"]
    return aggregates


def _integers(text: str, count: int, name: str) -> np.ndarray:
    """The ``count`` integers of ``text``, separated by commas."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy only warns when the text does not end as a number
            values = np.fromstring(text, dtype=np.int64, sep=",")
    except (ValueError, DeprecationWarning) as error:
        raise _Unpackable(name) from error
    if len(values) != count:
        raise _Unpackable(name)
    return values


def _unpack(row, columns, kinds) -> list:
    """The columns of one packed row: a list of strings per text column, else a numpy array of
    integers (money in units of 1/scale, times in microseconds) with ``NULL_INT`` for a null."""
    count, parts = row[0], []
    for i, (name, (kind, _, _)) in enumerate(zip(columns, kinds, strict=True)):
        packed, present = row[1 + 2 * i], row[2 + 2 * i]
        if kind == "text":
            values = packed.split(SEPARATOR)
        elif kind == "money":
            nulls = np.frombuffer(present.encode(), dtype=np.uint8) == ord("1")
            values = _integers(packed.replace(".", "") if packed else "", count - int(nulls.sum()), name)
            if nulls.any():
                values, known = np.full(count, NULL_INT), values
                values[~nulls] = known
        elif kind == "int4":
            values = np.frombuffer(packed, dtype=">i4").astype(np.int64)
            values[values == NULL_INT4] = NULL_INT
        else:
            values = np.frombuffer(packed, dtype=">i8").astype(np.int64)
        if len(values) != count:  # a separator in a text, a malformed amount
            raise _Unpackable(name)
        if kind in ("int", "int4", "time") and int((values == NULL_INT).sum()) != count - present:
            raise _Unpackable(name)  # a value that is the sentinel (or -infinity)
        parts.append(values)
    return parts


def _packed_frame(queryset, columns: list[str], chunks: tuple[str, list] | None = None) -> pd.DataFrame:
    """The frame COPY in CSV would give (money as float), from rows of packed columns.

    Without ``chunks`` the database packs all rows in one row. ``chunks`` is (SQL, params) of a
    query whose rows are the chunks: ``queryset`` reads one chunk's rows through ``_chunk``, and
    the rows of the chunks come one by one (one statement, one snapshot), unpacked here while the
    database packs the next one.
    """
    kinds = [_kind(queryset.model, name) for name in columns]
    sql, params = queryset.order_by().values_list(*columns).query.sql_with_params()
    names = ", ".join(f"_c{i}" for i in range(len(columns)))
    select = f"SELECT {', '.join(_aggregates(kinds))} FROM ({sql}) _s({names})"  # noqa: S608 (the ORM's SQL)
    if chunks is not None:
        select = f"SELECT _p.* FROM ({chunks[0]}) _chunk CROSS JOIN LATERAL ({select}) _p"  # noqa: S608
        params = [*chunks[1], *params]
    query = connection.ops.compose_sql(select, params)
    connection.ensure_connection()
    chunked, unpackable = [], None
    # Django's psycopg cursors bind on the client, which gives text results: bytea would come as hex.
    with psycopg.Cursor(connection.connection) as cursor:
        for row in cursor.stream(query, binary=True):
            if row[0] and unpackable is None:  # read to the end even then: the connection stays usable
                try:
                    chunked.append(_unpack(row, columns, kinds))
                except _Unpackable as error:
                    unpackable = error
    if unpackable is not None:
        raise unpackable
    if not chunked:
        return _empty_frame(columns)
    data = {}
    for i, (name, (kind, scale, _)) in enumerate(zip(columns, kinds, strict=True)):
        if kind == "text":
            values = list(itertools.chain.from_iterable(part[i] for part in chunked))
            data[name] = pd.array(values, dtype="str")
            continue
        values = np.concatenate([part[i] for part in chunked]) if len(chunked) > 1 else chunked[0][i]
        nulls = values == NULL_INT
        if kind == "time":
            if nulls.any() or (values == -NULL_INT - 1).any():  # nulls, ±infinity: COPY's text
                raise _Unpackable(name)
            data[name] = pd.to_datetime(values + PG_EPOCH_US, unit="us", utc=True)
        elif kind == "money" or nulls.any():
            # Money: whole units of 1/scale, exact, then one correctly rounded division: the float of
            # the decimal, as COPY's text gives. Integers with a null: floats, as in COPY's CSV.
            values = values / scale
            values[nulls] = np.nan
            data[name] = values
        else:
            data[name] = values
    return pd.DataFrame(data, columns=columns)


def products_frame(sme: SME) -> pd.DataFrame:
    return _frame(Product.objects.filter(sme=sme).order_by("pk"), PRODUCT_COLUMNS)


def orders_frame(sme: SME) -> pd.DataFrame:
    orders = Order.objects.filter(sme=sme).order_by("placed_at", "pk")
    frame = _raw_frame(orders, ORDER_COLUMNS, ORDER_MONEY, ORDER_TEXT)
    # SQLite returns the UTC times as text, PostgreSQL as aware datetimes: parsed alike.
    frame["placed_at"] = pd.to_datetime(frame["placed_at"], utc=True, format="ISO8601").dt.as_unit("us")
    if connection.vendor == "postgresql":  # in no order: sorted as the database would
        frame = frame.sort_values(["placed_at", "id"], kind="stable", ignore_index=True)
    return frame


def _any(column: str, array):
    """``column = ANY(array)``: PostgreSQL then reads the rows through an index on ``column``."""
    return Func(F(column), array, template="%(expressions)s", arg_joiner=" = ANY", output_field=BooleanField())


def _lines_of(sme: SME):
    """The SME's lines, as ``order_id = ANY(ARRAY(<the SME's order ids>))`` on PostgreSQL: it then reads
    only these lines through the unique (order_id, line_key) index, where a join reads every SME's lines."""
    if connection.vendor != "postgresql":
        return OrderLine.objects.filter(order__sme=sme)
    ids = Func(Subquery(Order.objects.filter(sme=sme).values("pk")), template="(ARRAY%(expressions)s)")
    return OrderLine.objects.filter(_any("order_id", ids))


def _lines_in_chunks(sme: SME) -> tuple:
    """The SME's lines in ``LINE_CHUNKS`` chunks of orders (consecutive ids), for ``_packed_frame``."""
    sql, params = Order.objects.filter(sme=sme).values("pk").query.sql_with_params()
    chunks = (
        f"SELECT array_agg(_o.pk) AS ids FROM (SELECT _i.pk, ntile({LINE_CHUNKS}) OVER (ORDER BY _i.pk) AS _n"  # noqa: S608
        f" FROM ({sql}) _i(pk)) _o GROUP BY _o._n"
    )
    return OrderLine.objects.filter(_any("order_id", RawSQL("_chunk.ids", ()))), (chunks, list(params))


def lines_frame(sme: SME) -> pd.DataFrame:
    chunked = _lines_in_chunks(sme) if connection.vendor == "postgresql" else None
    # In the order of their ids, sorted here: the database would sort the wide rows on disk.
    frame = _raw_frame(_lines_of(sme).order_by(), LINE_COLUMNS, LINE_MONEY, LINE_TEXT, chunked)
    return frame.sort_values("id", kind="stable", ignore_index=True)


def analytics_frame(sme: SME) -> pd.DataFrame:
    return _frame(ProductAnalytics.objects.filter(sme=sme).order_by("date", "pk"), ANALYTICS_COLUMNS)


def refunds_frame(sme: SME) -> pd.DataFrame:
    """The SME's refunds, each dated (``refunded_at`` UTC), its amount excluding tax and its tax as floats,
    and what its restocked goods were worth: ``restocked_cost`` (units × their line's unit cost) and
    ``restocked_uncosted`` (units × unit price, for lines whose cost is unknown: the analyses
    estimate their cost from the margin)."""
    rows = list(Refund.objects.filter(sme=sme).order_by("refunded_at", "pk").values_list(*REFUND_COLUMNS, "restocked"))
    frame = pd.DataFrame.from_records([row[:-1] for row in rows], columns=REFUND_COLUMNS)
    frame["refunded_at"] = pd.to_datetime(frame["refunded_at"], utc=True, format="ISO8601")
    for name in ("amount", "tax"):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    costed, uncosted = _restocked_values(rows)
    frame["restocked_cost"], frame["restocked_uncosted"] = costed, uncosted
    return frame


def _restocked_values(rows: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Per refund row (its last item the ``restocked`` list): the restocked units' cost where their line
    has one, and their value at the line's price where it has none (a line not found counts nothing)."""
    costed, uncosted = np.zeros(len(rows)), np.zeros(len(rows))
    wanted = {row[0] for row in rows if row[-1]}
    if not wanted:
        return costed, uncosted
    lines = {
        (order_id, key): (price, cost)
        for order_id, key, price, cost in OrderLine.objects.filter(order_id__in=wanted).values_list(
            "order_id", "line_key", "unit_price", "unit_cost"
        )
    }
    for n, row in enumerate(rows):
        for item in row[-1] or ():
            try:
                quantity = abs(float(item.get("quantity") or 0))
            except (TypeError, ValueError, AttributeError):
                continue
            price, cost = lines.get((row[0], str(item.get("line_key"))), (None, None))
            if cost is not None:
                costed[n] += quantity * float(cost)
            elif price is not None:
                uncosted[n] += quantity * float(price)
    return costed, uncosted
