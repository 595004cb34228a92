"""Market assessment: where the SME's next sales are likely to come from.

Opportunities are products, judged on a recent window (default 90 days) from their orders,
units, views, conversion (orders ÷ views), sell-through (units sold ÷ (units sold + stock))
and trend (units in the second half of the window against the first half). The rules, as
the guide text tells the SME — each product lands in at most one group, tried in this order:

* **strong** — a proven seller that can sell more with little work: among the top quarter of
  products by orders (at least 5 orders), not declining (trend ≥ 0), and not stuck for lack
  of stock (in stock, or stock not tracked).
* **good** — fewer sales, good potential with some investment: at least 2 orders, and either
  growing (trend > 0) or converting at least as well as the median product with views.
* **potential** — early signs of promise: a first order in the second half of the window, or
  views at least the median with at most one order (people look but do not buy yet).

Markets: sales, orders, growth against the previous window of the same length, and share of
sales, per customer country and per channel.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import valued_lines

DEFAULT_WINDOW_DAYS = 90
STRONG_MIN_ORDERS = 5
GOOD_MIN_ORDERS = 2

# The columns of the lines the assessment reads (the others are not copied).
LINE_COLUMNS = ["order_id", "product_id", "quantity"]
EPOCH = datetime.date(1970, 1, 1)  # day numbers count from here (see common.local_calendar)

ACTIONS = {
    "strong": "keep_in_stock_and_feature",
    "good": "improve_listing_and_promote",
    "potential": "test_in_new_market",
}


@dataclass(frozen=True)
class Opportunity:
    group: str  # strong | good | potential
    product_id: int | None
    label: str
    orders: int
    units: int
    sales: float
    views: int | None
    conversion: float | None
    sell_through: float | None
    trend: float | None  # units, second half ÷ first half − 1 (None when the first half sold nothing)
    action: str


@dataclass(frozen=True)
class MarketRow:
    dimension: str  # country | channel
    key: str
    sales: float
    orders: int
    previous_sales: float
    growth_pct: float | None
    share_pct: float


@dataclass(frozen=True)
class MarketResult:
    start: datetime.date
    end: datetime.date
    opportunities: list[Opportunity] = field(default_factory=list)
    markets: list[MarketRow] = field(default_factory=list)


def _day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


def _around(orders: pd.DataFrame, first: datetime.date, last: datetime.date) -> pd.DataFrame:
    """The orders placed from two days before ``first`` to two days after ``last`` (UTC): every order of
    those local days in any time zone, so that only their lines are valued (``_window`` then keeps
    the exact local days)."""
    if orders.empty:
        return orders
    placed = pd.to_datetime(orders["placed_at"], utc=True)
    low = pd.Timestamp(first - datetime.timedelta(days=2), tz="UTC")
    high = pd.Timestamp(last + datetime.timedelta(days=3), tz="UTC")
    return orders[(placed >= low) & (placed < high)]


def _window(items: pd.DataFrame, start: datetime.date, end: datetime.date) -> pd.DataFrame:
    number = items["day_number"]
    return items[(number >= _day_number(start)) & (number <= _day_number(end))]


def market(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    products: pd.DataFrame,
    analytics: pd.DataFrame,
    *,
    as_of: datetime.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    time_zone: str = "Europe/London",
) -> MarketResult:
    end = as_of
    start = as_of - datetime.timedelta(days=window_days - 1)
    items = valued_lines(
        _around(orders, start - datetime.timedelta(days=window_days), end),
        lines,
        time_zone=time_zone,
        margin=0.0,
        line_columns=LINE_COLUMNS,
    )
    if items.empty:
        return MarketResult(start=start, end=end)
    recent = _window(items, start, end)
    previous = _window(items, start - datetime.timedelta(days=window_days), start - datetime.timedelta(days=1))
    return MarketResult(
        start=start,
        end=end,
        opportunities=_opportunities(recent, products, analytics, start=start, end=end),
        markets=_markets(recent, previous),
    )


def _opportunities(recent, products, analytics, *, start, end) -> list[Opportunity]:
    sold = recent[recent["product_id"].notna()]
    if sold.empty and analytics.empty:
        return []
    middle = start + (end - start) / 2
    by_product = sold.groupby("product_id").agg(
        orders=("order_id", "nunique"), units=("quantity", "sum"), sales=("value", "sum")
    )
    early = sold["day_number"] <= _day_number(middle)
    first_half = sold[early].groupby("product_id")["quantity"].sum()
    second_half = sold[~early].groupby("product_id")["quantity"].sum()
    views = pd.Series(dtype=float)
    if not analytics.empty:
        seen = analytics[(analytics["date"] >= start) & (analytics["date"] <= end) & analytics["product_id"].notna()]
        views = seen.groupby("product_id")["views"].sum()
    ids = sorted(set(by_product.index) | set(views.index))
    rows = _evidence(ids, by_product, first_half, second_half, views, products)
    if not rows:
        return []
    frame = pd.DataFrame(rows)
    with_orders = frame[frame["orders"] > 0]["orders"]
    top_quarter = float(np.percentile(with_orders, 75)) if not with_orders.empty else float("inf")
    conversions = frame["conversion"].dropna()
    median_conversion = float(conversions.median()) if not conversions.empty else None
    viewed = frame["views"].dropna()
    median_views = float(viewed.median()) if not viewed.empty else None

    found = []
    for row in frame.to_dict("records"):
        trend = row["trend"]
        if row["orders"] >= max(STRONG_MIN_ORDERS, top_quarter) and (trend is None or trend >= 0) and row["in_stock"]:
            group = "strong"
        elif row["orders"] >= GOOD_MIN_ORDERS and (
            (trend is not None and trend > 0)
            or (
                row["conversion"] is not None
                and median_conversion is not None
                and row["conversion"] >= median_conversion
            )
        ):
            group = "good"
        elif row["first_sale_late"] or (
            row["views"] is not None
            and median_views is not None
            and row["views"] >= median_views
            and row["orders"] <= 1
        ):
            group = "potential"
        else:
            continue
        found.append(
            Opportunity(
                group=group,
                product_id=row["product_id"],
                label=row["label"],
                orders=row["orders"],
                units=row["units"],
                sales=round(row["sales"], 2),
                views=row["views"],
                conversion=None if row["conversion"] is None else round(row["conversion"], 4),
                sell_through=None if row["sell_through"] is None else round(row["sell_through"], 4),
                trend=None if trend is None else round(trend, 4),
                action=ACTIONS[group],
            )
        )
    order = {"strong": 0, "good": 1, "potential": 2}
    found.sort(key=lambda o: (order[o.group], -o.sales, o.label))
    return found


def _evidence(ids, by_product, first_half, second_half, views, products) -> list[dict]:
    """One row of evidence per product id: every lookup done once per column, not once per product."""
    if not ids:
        return []
    index = pd.Index(ids)
    counted = index.isin(by_product.index)
    per_product = by_product.reindex(index)
    orders = [int(n) if c else 0 for n, c in zip(per_product["orders"].tolist(), counted, strict=True)]
    units = [int(n) if c else 0 for n, c in zip(per_product["units"].tolist(), counted, strict=True)]
    sales = [float(n) if c else 0.0 for n, c in zip(per_product["sales"].tolist(), counted, strict=True)]
    befores = first_half.reindex(index).fillna(0).astype(float).tolist()
    afters = second_half.reindex(index).fillna(0).astype(float).tolist()
    seen = index.isin(views.index)
    viewed_all = views.reindex(index).tolist()
    if products.empty:
        known = [False] * len(ids)
        tracked_all = stock_all = title_all = [None] * len(ids)
    else:
        catalogue = products.set_index("id").reindex(index)
        known = index.isin(products["id"])
        tracked_all = catalogue["stock_tracked"].tolist()
        stock_all = catalogue["stock_quantity"].tolist()
        title_all = catalogue["title"].tolist()
    rows = []
    for n, product_id in enumerate(ids):
        orders_n, units_n = orders[n], units[n]
        before, after = befores[n], afters[n]
        trend = (after / before - 1) if before > 0 else None
        viewed = int(viewed_all[n]) if seen[n] else None
        conversion = (orders_n / viewed) if viewed else None
        tracked = bool(tracked_all[n]) if known[n] else False
        stock = stock_all[n] if known[n] and tracked else None
        sell_through = (
            units_n / (units_n + float(stock)) if stock is not None and (units_n + float(stock)) > 0 else None
        )
        label = str(title_all[n]) if known[n] and title_all[n] else str(product_id)
        rows.append(
            {
                "product_id": int(product_id),
                "label": label,
                "orders": orders_n,
                "units": units_n,
                "sales": sales[n],
                "views": viewed,
                "conversion": conversion,
                "sell_through": sell_through,
                "trend": trend,
                "first_sale_late": before == 0 and after > 0,
                "in_stock": (not tracked) or (stock is not None and stock > 0),
            }
        )
    return rows


def _keys(values: pd.Series) -> pd.Series:
    return values.fillna("").replace("", "—")


def _markets(recent: pd.DataFrame, previous: pd.DataFrame) -> list[MarketRow]:
    rows = []
    total = float(recent["value"].sum())
    for dimension, column in (("country", "customer_country"), ("channel", "channel")):
        now = (
            pd.DataFrame({"key": _keys(recent[column]), "value": recent["value"], "order_id": recent["order_id"]})
            .groupby("key")
            .agg(sales=("value", "sum"), orders=("order_id", "nunique"))
        )
        before = previous["value"].groupby(_keys(previous[column])).sum()
        for key, row in now.sort_values("sales", ascending=False).iterrows():
            sales, prior = float(row["sales"]), float(before.get(key, 0.0))
            rows.append(
                MarketRow(
                    dimension=dimension,
                    key=str(key),
                    sales=round(sales, 2),
                    orders=int(row["orders"]),
                    previous_sales=round(prior, 2),
                    growth_pct=round(100 * (sales - prior) / prior, 1) if prior > 0 else None,
                    share_pct=round(100 * sales / total, 1) if total else 0.0,
                )
            )
    return rows
