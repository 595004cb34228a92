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

Speed (see ``bench/toolkit_report.py``): only the lines of the orders around the two windows
are read, as plain arrays found by their order's position; keys (products, countries,
channels) become integer codes in their sorted order, counted with ``numpy.bincount``. Money
is added up by a pandas groupby on those codes (``_sums``), the same additions in the same
order as grouping on the keys, so the figures are the same to the last bit. The rules run on
whole columns; a Python object is made only for each opportunity found.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import local_calendar, orders_around

DEFAULT_WINDOW_DAYS = 90
STRONG_MIN_ORDERS = 5
GOOD_MIN_ORDERS = 2

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
    add_to_carts: int | None = None  # from the analytics, as views (None when the product has none)


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


class _Lines:
    """The lines of the live (not cancelled) orders around the two windows, as plain arrays in the
    lines' own order: the order's position among ``live`` (``order``), its local day number, and
    the line's product, quantity and value (quantity × unit price)."""

    def __init__(self, live: pd.DataFrame, lines: pd.DataFrame, *, time_zone: str):
        self.live = live
        found = pd.Index(live["id"]).get_indexer(lines["order_id"]) if len(live) and len(lines) else np.empty(0, int)
        rows = np.flatnonzero(found >= 0)
        self.order = found[rows]
        self.order_day = local_calendar(live["placed_at"], time_zone)[2] if len(live) else np.empty(0, np.int64)
        self.day = self.order_day[self.order]
        self.product = lines["product_id"].to_numpy()[rows]
        self.quantity = np.asarray(lines["quantity"].to_numpy()[rows], dtype=float)
        self.value = self.quantity * np.asarray(lines["unit_price"].to_numpy()[rows], dtype=float)

    def __len__(self) -> int:
        return len(self.order)

    def window(self, start: datetime.date, end: datetime.date) -> np.ndarray:
        """The rows (positions) of the lines placed from ``start`` to ``end`` (local days)."""
        return np.flatnonzero((self.day >= _day_number(start)) & (self.day <= _day_number(end)))


def _sums(values: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """The sum of ``values`` per code (0 to ``count`` − 1), added up exactly as a pandas groupby on
    the keys the codes stand for (codes in the keys' sorted order): the same figures to the last bit."""
    groups = pd.Categorical.from_codes(codes, categories=pd.RangeIndex(count), validate=False)
    return pd.Series(values, copy=False).groupby(groups, observed=False).sum().to_numpy()


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
    around = orders_around(orders, start - datetime.timedelta(days=window_days), end)
    live = around[around["status"] != "cancelled"] if not around.empty else around
    items = _Lines(live, lines, time_zone=time_zone)
    if not len(items):
        return MarketResult(start=start, end=end)
    recent = items.window(start, end)
    previous = items.window(start - datetime.timedelta(days=window_days), start - datetime.timedelta(days=1))
    return MarketResult(
        start=start,
        end=end,
        opportunities=_opportunities(items, recent, products, analytics, start=start, end=end),
        markets=_markets(items, recent, previous),
    )


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` for ids (no missing value): through a table over their range
    when they are whole numbers in a range a few times their count (product ids are), else by hashing."""
    if len(values) and values.dtype.kind in "iuf":
        low, high = values.min(), values.max()
        if high - low <= 4 * len(values) + 100_000 and (
            values.dtype.kind != "f" or np.array_equal(values, np.floor(values))
        ):
            offsets = (values - low).astype(np.intp)
            present = np.zeros(int(high - low) + 1, dtype=bool)
            present[offsets] = True
            numbers = np.cumsum(present) - 1
            return numbers[offsets], (np.flatnonzero(present) + low).astype(values.dtype)
    return pd.factorize(values, sort=True)


def _nullable(values: np.ndarray, known: np.ndarray) -> list:
    """A column of per-product values, unknown ones included, as a DataFrame built from rows of values
    or ``None`` holds it — which is what the rules were written against: ``None`` everywhere when
    nothing is known; floats with NaN for the unknown ones when only some are (the rules' ``is None``
    tests then let them through, and NaN compares false)."""
    if known.all():
        return values.tolist()
    if not known.any():
        return [None] * len(values)
    return np.where(known, values, math.nan).tolist()


def _opportunities(items: _Lines, recent, products, analytics, *, start, end) -> list[Opportunity]:
    sold = recent[pd.notna(items.product[recent])]
    if not len(sold) and analytics.empty:
        return []
    middle = start + (end - start) / 2
    # Per product (codes in id order): orders (distinct), units, sales, and units in each half.
    codes, sold_ids = _codes(items.product[sold])
    count = len(sold_ids)
    orders_count = max(len(items.live), 1)
    pairs = np.sort(codes.astype(np.int64) * orders_count + items.order[sold])
    distinct = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    quantity = items.quantity[sold]
    early = items.day[sold] <= _day_number(middle)
    per_product = [
        np.bincount(distinct // orders_count, minlength=count),
        np.bincount(codes, weights=quantity, minlength=count),
        _sums(items.value[sold], codes, count),
        np.bincount(codes[early], weights=quantity[early], minlength=count),
        np.bincount(codes[~early], weights=quantity[~early], minlength=count),
    ]
    views = carts = pd.Series(dtype=float)
    if not analytics.empty:
        seen = analytics[(analytics["date"] >= start) & (analytics["date"] <= end) & analytics["product_id"].notna()]
        views = seen.groupby("product_id")["views"].sum()
        if "add_to_carts" in seen.columns:
            carts = seen.groupby("product_id")["add_to_carts"].sum()
    if views.empty:
        ids = sold_ids.tolist()
    else:
        ids = sorted(set(sold_ids.tolist()) | set(views.index))
        at = pd.Index(sold_ids).get_indexer(ids) if count else np.full(len(ids), -1)
        per_product = [np.where(at >= 0, values[np.maximum(at, 0)] if count else 0, 0) for values in per_product]
    if not ids:
        return []
    return _groups(ids, *per_product, views, products, carts)


def _groups(ids, orders, units, sales, befores, afters, views, products, carts=None) -> list[Opportunity]:
    """Each product's group by the rules (column by column), and the opportunities of those in one."""
    index = pd.Index(ids)
    count = len(ids)
    orders, units = orders.astype(np.int64), units.astype(np.int64)
    has_trend = befores > 0
    trend_values = np.divide(afters, befores, out=np.zeros(count), where=has_trend) - 1
    trend = _nullable(trend_values, has_trend)
    seen = index.isin(views.index)
    viewed_values = views.reindex(index).fillna(0).to_numpy(dtype=np.int64) if len(views) else np.zeros(count, int)
    views_column = _nullable(viewed_values, seen)
    carts = pd.Series(dtype=float) if carts is None else carts
    carted = index.isin(carts.index)
    cart_values = carts.reindex(index).fillna(0).to_numpy(dtype=np.int64) if len(carts) else np.zeros(count, int)
    carts_column = _nullable(cart_values, carted)
    converts = seen & (viewed_values != 0)
    conversion_values = np.divide(orders, viewed_values, out=np.zeros(count), where=converts)
    conversion = _nullable(conversion_values, converts)
    if products.empty:
        known = np.zeros(count, dtype=bool)
        tracked = known
        stock = np.full(count, math.nan)
        titles = [None] * count
    else:
        catalogue = pd.Index(products["id"]).get_indexer(index)
        known = catalogue >= 0
        tracked = known & np.array([bool(t) for t in products["stock_tracked"].to_numpy()[catalogue].tolist()])
        stock = np.array(
            [math.nan if q is None else float(q) for q in products["stock_quantity"].to_numpy()[catalogue].tolist()]
        )
        titles = products["title"].to_numpy()[catalogue].tolist()
    stock = np.where(tracked, stock, math.nan)
    stocked = units + stock > 0  # false when the stock is not known (NaN)
    sell_through = _nullable(np.divide(units, units + stock, out=np.zeros(count), where=stocked), stocked)
    in_stock = ~tracked | (stock > 0)
    first_sale_late = (befores == 0) & (afters > 0)

    with_orders = orders[orders > 0]
    top_quarter = float(np.percentile(with_orders, 75)) if len(with_orders) else float("inf")
    conversions = pd.Series(conversion).dropna()
    median_conversion = float(conversions.median()) if not conversions.empty else None
    viewed = pd.Series(views_column).dropna()
    median_views = float(viewed.median()) if not viewed.empty else None
    # The rules, on the columns: a trend that is None (nothing known) lets "strong" through, NaN not.
    trend_is_none = trend[0] is None
    trend_floats = np.full(count, math.nan) if trend_is_none else np.asarray(trend, dtype=float)
    strong = (orders >= max(STRONG_MIN_ORDERS, top_quarter)) & (trend_is_none | (trend_floats >= 0)) & in_stock
    converting = (
        np.asarray([math.nan if c is None else c for c in conversion], dtype=float) >= median_conversion
        if median_conversion is not None
        else np.zeros(count, dtype=bool)
    )
    good = (orders >= GOOD_MIN_ORDERS) & ((trend_floats > 0) | converting)
    looked_at = (
        (np.asarray([math.nan if v is None else v for v in views_column], dtype=float) >= median_views) & (orders <= 1)
        if median_views is not None
        else np.zeros(count, dtype=bool)
    )
    potential = first_sale_late | looked_at
    group = np.select([strong, good, potential], [0, 1, 2], default=-1)

    names = ("strong", "good", "potential")
    found = []
    orders_list, units_list, sales_list = orders.tolist(), units.tolist(), sales.astype(float).tolist()
    for n in np.flatnonzero(group >= 0).tolist():
        name = names[group[n]]
        label = str(titles[n]) if known[n] and titles[n] else str(ids[n])
        found.append(
            Opportunity(
                group=name,
                product_id=int(ids[n]),
                label=label,
                orders=orders_list[n],
                units=units_list[n],
                sales=round(sales_list[n], 2),
                views=views_column[n],
                conversion=None if conversion[n] is None else round(conversion[n], 4),
                sell_through=None if sell_through[n] is None else round(sell_through[n], 4),
                trend=None if trend[n] is None else round(trend[n], 4),
                action=ACTIONS[name],
                add_to_carts=carts_column[n],
            )
        )
    order = {"strong": 0, "good": 1, "potential": 2}
    found.sort(key=lambda o: (order[o.group], -o.sales, o.label))
    return found


def _keys(values: pd.Series) -> pd.Series:
    return values.fillna("").replace("", "—")


def _key_codes(live: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Per order, the code of its key (``_keys``: "—" when empty) in the keys' sorted order, and the keys:
    the orders' few distinct values are found first, and only those are turned into keys."""
    if column not in live.columns:
        return np.zeros(len(live), dtype=np.intp), np.array(["—"], dtype=object)
    raw, distinct = pd.factorize(live[column], use_na_sentinel=False)
    keys = _keys(pd.Series(distinct, dtype=object)).to_numpy()
    codes, names = pd.factorize(keys, sort=True)
    return codes[raw], np.asarray(names, dtype=object)


def _markets(items: _Lines, recent: np.ndarray, previous: np.ndarray) -> list[MarketRow]:
    rows = []
    live = items.live
    recent_value, previous_value = items.value[recent], items.value[previous]
    recent_order, previous_order = items.order[recent], items.order[previous]
    total = float(pd.Series(recent_value, copy=False).sum())
    in_recent = np.bincount(recent_order, minlength=len(live)) > 0  # per order
    for dimension, column in (("country", "customer_country"), ("channel", "channel")):
        codes, names = _key_codes(live, column)
        count = len(names)
        now_codes, before_codes = codes[recent_order], codes[previous_order]
        present = np.bincount(now_codes, minlength=count) > 0
        now = pd.DataFrame(
            {
                "sales": _sums(recent_value, now_codes, count)[present],
                "orders": np.bincount(codes[in_recent], minlength=count)[present],
            },
            index=pd.Index(names[present], name="key"),
        )
        earlier = np.bincount(before_codes, minlength=count) > 0
        before = dict(
            zip(names[earlier].tolist(), _sums(previous_value, before_codes, count)[earlier].tolist(), strict=True)
        )
        for key, sales, orders in _sorted_rows(now):
            prior = float(before.get(key, 0.0))
            rows.append(
                MarketRow(
                    dimension=dimension,
                    key=str(key),
                    sales=round(sales, 2),
                    orders=int(orders),
                    previous_sales=round(prior, 2),
                    growth_pct=round(100 * (sales - prior) / prior, 1) if prior > 0 else None,
                    share_pct=round(100 * sales / total, 1) if total else 0.0,
                )
            )
    return rows


def _sorted_rows(now: pd.DataFrame) -> list[tuple[str, float, int]]:
    """(key, sales, orders) by sales, highest first (ties as pandas' sort leaves them)."""
    ranked = now.sort_values("sales", ascending=False)
    return list(zip(ranked.index.tolist(), ranked["sales"].tolist(), ranked["orders"].tolist(), strict=True))
