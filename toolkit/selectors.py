"""Frames for the analyses, read from the SME's commerce data (connectors)."""

from __future__ import annotations

import pandas as pd

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


def _frame(queryset, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=columns)


def products_frame(sme: SME) -> pd.DataFrame:
    return _frame(Product.objects.filter(sme=sme).order_by("pk"), PRODUCT_COLUMNS)


def orders_frame(sme: SME) -> pd.DataFrame:
    frame = _frame(Order.objects.filter(sme=sme).order_by("placed_at", "pk"), ORDER_COLUMNS)
    frame["placed_at"] = pd.to_datetime(frame["placed_at"], utc=True)
    return frame


def lines_frame(sme: SME) -> pd.DataFrame:
    frame = _frame(OrderLine.objects.filter(order__sme=sme).order_by("pk"), LINE_COLUMNS)
    for column in ("unit_price", "unit_cost"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def analytics_frame(sme: SME) -> pd.DataFrame:
    return _frame(ProductAnalytics.objects.filter(sme=sme).order_by("date", "pk"), ANALYTICS_COLUMNS)
