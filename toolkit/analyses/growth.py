"""Business growth: the profit of every order, products ranked, and the SME's targets.

Choices: an order's profit = its sales (line values − discounts − refunds) − its cost (cost
of goods, estimated from the default margin when unknown, + fees). The "most profitable"
orders are the top 10 % by profit (at least one); loss-making ones have a profit below zero.
A target is a monthly figure to reach by a date; its projection extends the straight-line
trend of the last six complete months to the target's month.

For the month picker the report also stores ``growth_periods``: each of the last twelve
complete months and the last 3, 6 and 12 months together. So that the stored report stays
small, a period keeps its largest losses (at most ``LOSSES_CAP`` loss-making orders) and then
its most profitable orders, ``ORDERS_CAP`` orders in all, and its best-selling
``PRODUCTS_CAP`` products plus every product sold at a loss; its totals, counts and profit
curve (every order's profit, sorted, sampled to at most ``CURVE_POINTS`` points) always
cover every order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import valued_lines

TREND_MONTHS = 6
METRICS = ("sales", "orders", "profit")  # monthly figures a target can be set on
TOP_SHARE = 0.1  # the "most profitable" orders: the top tenth by profit
PERIOD_MONTHS = 12  # the month picker offers each of the last twelve complete months
PRESETS = (3, 6, 12)  # …and the last 3, 6 and 12 complete months together
ORDERS_CAP = 200
LOSSES_CAP = 100  # of which at most this many loss-making orders, the largest losses first
PRODUCTS_CAP = 100
CURVE_POINTS = 120


@dataclass(frozen=True)
class OrderProfit:
    order_id: int
    external_id: str
    placed_at: datetime.datetime
    sales: float
    cost: float
    profit: float
    cost_estimated: bool
    flag: str  # "loss" | "top" | ""


@dataclass(frozen=True)
class ProductPerformance:
    key: str  # the product id, else the SKU, else the description
    label: str
    orders: int
    units: int
    sales: float
    cost: float
    profit: float
    margin_pct: float | None


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    value: float
    due: datetime.date
    current: float | None  # the last complete month
    progress_pct: float | None
    projected: float | None  # the trend's value in the target's month
    on_track: bool | None


@dataclass(frozen=True)
class GrowthResult:
    start: datetime.date
    end: datetime.date
    orders: list[OrderProfit] = field(default_factory=list)
    products: list[ProductPerformance] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)


@dataclass(frozen=True)
class GrowthPeriod:
    """One choice of the month picker: a complete month ("YYYY-MM") or the last n months ("last_n")."""

    key: str
    start: datetime.date
    end: datetime.date
    orders_count: int  # every order of the period (the list below may be shorter)
    loss_orders: int
    top_orders: int
    sales: float
    cost: float
    profit: float
    cost_estimated: bool
    profit_curve: list[float]  # order profits, highest first, sampled to at most CURVE_POINTS
    products_count: int
    orders: list[OrderProfit] = field(default_factory=list)
    products: list[ProductPerformance] = field(default_factory=list)


def growth(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    start: datetime.date,
    end: datetime.date,
    time_zone: str = "Europe/London",
    default_margin: float = 0.4,
    monthly: list | None = None,
    targets: list[tuple[str, float, datetime.date]] = (),
    items: pd.DataFrame | None = None,
) -> GrowthResult:
    """Orders and products for the period ``start``–``end`` (local days, inclusive); targets from ``monthly``.

    ``monthly`` is ``PlanningResult.months`` (the same figures the planning tool shows);
    ``items`` the already valued lines (``common.valued_lines``), when the caller has them.
    """
    if items is None:
        items = valued_lines(orders, lines, time_zone=time_zone, margin=default_margin)
    if not items.empty:
        items = items[(items["day"] >= start) & (items["day"] <= end)]
    order_rows, product_rows = [], []
    if not items.empty:
        per_order = _per_order(items, orders)
        order_rows = _order_rows(per_order, _flags(per_order))
        product_rows = _product_rows(_products_by(items, []))
    return GrowthResult(
        start=start,
        end=end,
        orders=order_rows,
        products=product_rows,
        targets=[_target(metric, value, due, monthly or []) for metric, value, due in targets],
    )


def growth_periods(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    months: list[str],
    time_zone: str = "Europe/London",
    default_margin: float = 0.4,
    items: pd.DataFrame | None = None,
) -> list[GrowthPeriod]:
    """The month picker's choices: each of ``months`` (complete "YYYY-MM", oldest first) and the presets.

    The lines are valued once and aggregated per (month, order) and per (month, product), so
    each period only sums small frames: an order belongs to one month, so a product's orders
    over a period are the sum of its orders in each month.
    """
    months = sorted(months)[-PERIOD_MONTHS:]
    if not months:
        return []
    if items is None:
        items = valued_lines(orders, lines, time_zone=time_zone, margin=default_margin)
    per_order = periods_data = None
    if not items.empty:
        columns = ["external_id", "placed_at", "sales", "cost", "profit", "estimated", "month"]
        per_order = _per_order(items, orders, time_zone=time_zone)
        per_order = per_order.loc[per_order["month"].isin(months), columns]
        # Each line's month as a small integer taken from its order: grouping lines on strings costs more.
        codes = pd.Series(range(len(months)), index=months)
        lean = items.loc[
            items["order_id"].isin(per_order.index),
            ["order_id", "product_id", "sku", "description", "quantity", "value", "cost"],
        ]
        lean["month_code"] = lean["order_id"].map(per_order["month"].map(codes))
        by_month = _products_by(lean, ["month_code"])
        # Labels apart, so that each period sums numbers only.
        labels = by_month["label"].groupby(level="key").first()
        monthly_products = by_month.drop(columns="label").reset_index()
        # Each product as a number in the order of its key, so that a period groups numbers, not strings,
        # and finds its products in the same order as grouping on the keys would.
        key_codes, keys = pd.factorize(monthly_products.pop("key"), sort=True)
        monthly_products["key_code"] = key_codes
        per_order["month_code"] = per_order["month"].map(codes).to_numpy()
        per_order = per_order.drop(columns="month")
        periods_data = (per_order, monthly_products, pd.Index(keys, name="key"), labels)
    choices = [(month, [month]) for month in reversed(months)]
    choices += [(f"last_{n}", months[-n:]) for n in PRESETS if n > 1 and len(months) >= n]
    position = {month: code for code, month in enumerate(months)}
    return [_period(key, chosen, (position[chosen[0]], position[chosen[-1]]), periods_data) for key, chosen in choices]


def _period(key: str, months: list[str], codes: tuple[int, int], data) -> GrowthPeriod:
    """One period: ``months`` are consecutive, their month codes ``codes`` (first, last)."""
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    start, end = first.start_time.date(), last.end_time.date()
    if data is None:
        return GrowthPeriod(key, start, end, 0, 0, 0, 0.0, 0.0, 0.0, False, [], 0)
    per_order, monthly_products, keys, labels = data
    month_code = per_order["month_code"].to_numpy()
    chosen = per_order[(month_code >= codes[0]) & (month_code <= codes[1])]
    if chosen.empty:
        return GrowthPeriod(key, start, end, 0, 0, 0, 0.0, 0.0, 0.0, False, [], 0)
    flags = _flags(chosen)
    losses = chosen[flags == "loss"].nsmallest(LOSSES_CAP, "profit")
    rest = chosen[flags != "loss"].nlargest(ORDERS_CAP - len(losses), "profit")
    kept = pd.concat([losses, rest])
    product_month = monthly_products["month_code"].to_numpy()
    products = (
        monthly_products[(product_month >= codes[0]) & (product_month <= codes[1])]
        .groupby("key_code")[["orders", "units", "sales", "cost"]]
        .sum()
    )
    products.index = keys[products.index.to_numpy()]
    products["profit"] = products["sales"] - products["cost"]
    best = products.nlargest(PRODUCTS_CAP, "sales")
    at_a_loss = products[(products["profit"] < 0) & ~products.index.isin(best.index)]
    kept_products = pd.concat([best, at_a_loss])
    kept_products.insert(0, "label", labels.reindex(kept_products.index))
    profits = np.sort(chosen["profit"].to_numpy(dtype=float))[::-1]
    if len(profits) > CURVE_POINTS:
        profits = profits[np.linspace(0, len(profits) - 1, CURVE_POINTS).round().astype(int)]
    return GrowthPeriod(
        key=key,
        start=start,
        end=end,
        orders_count=len(chosen),
        loss_orders=int((flags == "loss").sum()),
        top_orders=int((flags == "top").sum()),
        sales=round(float(chosen["sales"].sum()), 2),
        cost=round(float(chosen["cost"].sum()), 2),
        profit=round(float(chosen["profit"].sum()), 2),
        cost_estimated=bool(chosen["estimated"].any()),
        profit_curve=[round(float(value), 2) for value in profits],
        products_count=len(products),
        orders=_order_rows(kept, flags.loc[kept.index]),
        products=_product_rows(kept_products),
    )


def _per_order(items: pd.DataFrame, orders: pd.DataFrame, *, time_zone: str | None = None) -> pd.DataFrame:
    """One row per order: sales, cost (with fees), profit, whether a cost is estimated; its month with ``time_zone``."""
    per_order = items.groupby("order_id").agg(value=("value", "sum"), cost=("cost", "sum"),
                                              estimated=("estimated", "any"))  # fmt: skip
    info = orders.set_index("id")
    per_order = per_order.join(info[["external_id", "placed_at", "discounts", "refunds", "fees"]])
    if time_zone:  # per order, not per line: the same month valued_lines gives each of its lines
        local = pd.to_datetime(per_order["placed_at"], utc=True).dt.tz_convert(time_zone)
        per_order["month"] = local.dt.strftime("%Y-%m")
    per_order["sales"] = per_order["value"] - per_order["discounts"].astype(float) - per_order["refunds"].astype(float)
    per_order["cost"] = per_order["cost"] + per_order["fees"].astype(float)
    per_order["profit"] = per_order["sales"] - per_order["cost"]
    return per_order


def _flags(per_order: pd.DataFrame) -> pd.Series:
    """ "loss" below zero, "top" for the most profitable tenth (at least one), else ""."""
    top_count = max(1, int(np.ceil(len(per_order) * TOP_SHARE)))
    profit = per_order["profit"]
    top = profit[profit > 0].nlargest(top_count).index
    flags = pd.Series("", index=per_order.index, dtype=object)
    flags[per_order.index.isin(top)] = "top"
    flags[per_order["profit"] < 0] = "loss"
    return flags


def _order_rows(per_order: pd.DataFrame, flags: pd.Series) -> list[OrderProfit]:
    ordered = per_order.sort_values("placed_at", kind="stable")
    columns = zip(
        ordered.index,
        ordered["external_id"].astype(str),
        pd.to_datetime(ordered["placed_at"]),
        ordered["sales"].to_numpy(dtype=float).round(2),
        ordered["cost"].to_numpy(dtype=float).round(2),
        ordered["profit"].to_numpy(dtype=float).round(2),
        ordered["estimated"].to_numpy(dtype=bool),
        flags.reindex(ordered.index).to_numpy(),
        strict=True,
    )
    return [
        OrderProfit(int(order_id), external_id, placed.to_pydatetime(), float(sales), float(cost), float(profit),
                    bool(estimated), str(flag))
        for order_id, external_id, placed, sales, cost, profit, estimated, flag in columns
    ]  # fmt: skip


def _products_by(items: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per product (and per the ``by`` columns): label, orders, units, sales, cost; indexed by (*by, key).

    A product's key is its id ("p12"), else its SKU ("sMUG"), else its description; its label
    the description of its lines, else the SKU. Lines with a product id (nearly all) are grouped
    on the number itself, so no string is built per line.
    """
    if items.empty:  # a period without a line (returns only, or no sale yet): no product rows
        return pd.DataFrame(columns=[*by, "key", "label", "orders", "units", "sales", "cost"]).set_index([*by, "key"])
    known = items["product_id"].notna()
    parts = []
    if known.any():
        with_id = items.loc[known, [*by, "order_id", "product_id", "quantity", "value", "cost"]]
        # The (*by, product) groups as one integer each, numbered in the order they first appear (as
        # grouping on the columns with sort=False would): grouping on one array of small numbers is
        # several times faster than on several columns. The ``by`` columns are small integers.
        product = with_id["product_id"].to_numpy().astype(np.int64)
        span = int(product.max()) + 1
        combined = product.copy()
        scale = span
        for column in by:
            combined += with_id[column].to_numpy().astype(np.int64) * scale
            scale *= int(with_id[column].max()) + 1
        group, uniques = pd.factorize(combined)
        grouped = with_id[["quantity", "value", "cost"]].groupby(group).sum()
        # An order is in one month, so its distinct (order, product) pairs count the orders per product.
        first = ~with_id[["order_id", "product_id"]].duplicated().to_numpy()
        grouped["orders"] = np.bincount(group[first], minlength=len(uniques))
        decoded, rest = {"product_id": (uniques % span).astype(float)}, uniques // span
        for column in by:
            size = int(with_id[column].max()) + 1
            decoded[column], rest = (rest % size).astype(with_id[column].dtype), rest // size
        grouped = pd.DataFrame({name: decoded[name] for name in [*by, "product_id"]}).join(grouped)
        names = items.loc[known, ["product_id", "description", "sku"]].drop_duplicates("product_id")
        grouped = grouped.merge(names, on="product_id", how="left")
        grouped["key"] = "p" + grouped["product_id"].astype("int64").astype(str)
        parts.append(grouped.drop(columns="product_id").rename(columns={"quantity": "units", "value": "sales"}))
    if not known.all():
        rest = items[~known]
        sku = rest["sku"].fillna("").astype(str)
        rest = rest.assign(key=np.where(sku != "", "s" + sku, "d" + rest["description"].fillna("").astype(str)))
        parts.append(
            rest.groupby([*by, "key"])
            .agg(description=("description", "first"), sku=("sku", "first"), orders=("order_id", "nunique"),
                 units=("quantity", "sum"), sales=("value", "sum"), cost=("cost", "sum"))
            .reset_index()
        )  # fmt: skip
    frame = pd.concat(parts, ignore_index=True)
    description = frame["description"].fillna("").astype(str)
    frame["label"] = np.where(description != "", description, frame["sku"].fillna("").astype(str))
    return frame.set_index([*by, "key"])[["label", "orders", "units", "sales", "cost"]]


def _product_rows(per_product: pd.DataFrame) -> list[ProductPerformance]:
    ranked = per_product.assign(profit=per_product["sales"] - per_product["cost"]).sort_values(
        ["sales", "label"], ascending=[False, True]
    )
    rows = []
    for key, label, orders, units, sales, cost, profit in zip(
        ranked.index, ranked["label"], ranked["orders"], ranked["units"], ranked["sales"].to_numpy(dtype=float),
        ranked["cost"].to_numpy(dtype=float), ranked["profit"].to_numpy(dtype=float), strict=True,
    ):  # fmt: skip
        rows.append(
            ProductPerformance(
                key=str(key),
                label=str(label),
                orders=int(orders),
                units=int(units),
                sales=round(float(sales), 2),
                cost=round(float(cost), 2),
                profit=round(float(profit), 2),
                margin_pct=round(100 * float(profit) / sales, 1) if sales > 0 else None,
            )
        )
    return rows


def _target(metric: str, value: float, due: datetime.date, monthly: list) -> TargetProgress:
    complete = [m if isinstance(m, dict) else {"month": m.month, "partial": m.partial, metric: getattr(m, metric)}
                for m in monthly]  # fmt: skip
    return target_progress(metric, value, due, complete)


def target_progress(metric: str, value: float, due: datetime.date, months: list[dict]) -> TargetProgress:
    """A target's progress from monthly figures (the report's ``planning.months``: dicts).

    Pure arithmetic on at most six numbers, so pages call it on the stored months and a
    target just added shows its progress at once.
    """
    complete = [m for m in months if not m["partial"]]
    if not complete:
        return TargetProgress(metric, value, due, None, None, None, None)
    series = np.array([float(m[metric]) for m in complete[-TREND_MONTHS:]])
    current = float(series[-1])
    progress = round(100 * current / value, 1) if value else None
    if len(series) >= 2:
        slope, intercept = np.polyfit(np.arange(len(series)), series, 1)
        year, month = (int(part) for part in complete[-1]["month"].split("-"))
        ahead = (due.year - year) * 12 + (due.month - month)
        projected = round(float(intercept + slope * (len(series) - 1 + ahead)), 2)
    else:
        projected = current
    return TargetProgress(metric, value, due, round(current, 2), progress, projected, projected >= value)
