"""Frames for the analyses, read from the SME's commerce data (connectors).

Speed (see ``bench/toolkit_report.py``): an SME's order lines can number in the hundreds of
thousands, so the orders and lines are read with one query each, straight from the
database cursor into the frame — no model instances and no per-value conversion in Python
(money is cast to a float by the database, times are parsed by pandas in one go; on
PostgreSQL the rows come as CSV through ``COPY``). Money
columns are ``float64`` (NaN when unknown), ``placed_at`` is UTC.
"""

from __future__ import annotations

import io

import pandas as pd
from django.db import connection
from django.db.models import F, FloatField
from django.db.models.functions import Cast

from connectors.models import Order, OrderLine, Product, ProductAnalytics
from journey.models import SME

PRODUCT_COLUMNS = [
    "id", "external_id", "sku", "title", "description", "price", "images", "gtin", "brand", "mpn",
    "stock_tracked", "stock_quantity", "status", "unit_cost", "category",
]  # fmt: skip
ORDER_COLUMNS = ["id", "external_id", "channel", "placed_at", "customer_country", "status", "currency",
                 "discounts", "refunds", "shipping", "fees"]  # fmt: skip
LINE_COLUMNS = ["id", "order_id", "product_id", "sku", "description", "quantity", "unit_price", "unit_cost"]
ANALYTICS_COLUMNS = ["product_id", "product_key", "date", "views", "sessions", "add_to_carts", "purchases"]
ORDER_MONEY = ["discounts", "refunds", "shipping", "fees"]
LINE_MONEY = ["unit_price", "unit_cost"]
ORDER_TEXT = ["external_id", "channel", "customer_country", "status", "currency"]
LINE_TEXT = ["sku", "description"]


def _frame(queryset, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=columns)


def _raw_frame(queryset, columns: list[str], money: list[str], text: list[str]) -> pd.DataFrame:
    """The rows of ``queryset`` as a frame, fetched in one go without Django's per-value conversions.

    ``money`` columns are cast to floats by the database; ``text`` columns are never null.
    Every other column must be a number or a time (parsed by the caller). On PostgreSQL the
    rows come as one ``COPY … TO STDOUT`` in CSV, parsed by pandas' C reader; elsewhere from
    the cursor's ``fetchall``.
    """
    casts = {f"_{name}": Cast(F(name), FloatField()) for name in money}
    selected = [f"_{name}" if name in money else name for name in columns]
    sql, params = queryset.annotate(**casts).values_list(*selected).query.sql_with_params()
    if connection.vendor == "postgresql":
        frame = _copy_frame(connection.ops.compose_sql(sql, params), columns, text)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        frame = pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
    for name in money:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _copy_frame(query: str, columns: list[str], text: list[str]) -> pd.DataFrame:
    data = bytearray()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                data += chunk
    if not data:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    # Text stays text ("NA" is a title, "" is an empty SKU); an empty number is a null.
    return pd.read_csv(
        io.BytesIO(data),
        names=columns,
        header=None,
        dtype={name: "str" for name in text},
        keep_default_na=False,
        na_values={name: [""] for name in columns if name not in text},
    )


def products_frame(sme: SME) -> pd.DataFrame:
    return _frame(Product.objects.filter(sme=sme).order_by("pk"), PRODUCT_COLUMNS)


def orders_frame(sme: SME) -> pd.DataFrame:
    orders = Order.objects.filter(sme=sme).order_by("placed_at", "pk")
    frame = _raw_frame(orders, ORDER_COLUMNS, ORDER_MONEY, ORDER_TEXT)
    # SQLite returns the UTC times as text, PostgreSQL as aware datetimes: parsed alike.
    frame["placed_at"] = pd.to_datetime(frame["placed_at"], utc=True, format="ISO8601").dt.as_unit("us")
    return frame


def lines_frame(sme: SME) -> pd.DataFrame:
    # In the order of their ids, sorted here: the database would sort the wide rows on disk.
    frame = _raw_frame(OrderLine.objects.filter(order__sme=sme).order_by(), LINE_COLUMNS, LINE_MONEY, LINE_TEXT)
    return frame.sort_values("id", kind="stable", ignore_index=True)


def analytics_frame(sme: SME) -> pd.DataFrame:
    return _frame(ProductAnalytics.objects.filter(sme=sme).order_by("date", "pk"), ANALYTICS_COLUMNS)
