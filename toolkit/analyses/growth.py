"""Business growth: the profit of every order, products ranked, and the SME's targets.

Choices: an order's profit = its sales (line values − discounts − refunds) − its cost (cost
of goods, estimated from the default margin when unknown, + fees). The "most profitable"
orders are the top 10 % by profit (at least one); loss-making ones have a profit below zero.
A target is a monthly figure to reach by a date; its projection extends the straight-line
trend of the last six complete months to the target's month.

For the month picker the report also stores ``growth_periods``: each of the last twelve
complete months and the last 3, 6 and 12 months together. So that the stored report stays
small, a period keeps every loss-making order and then its most profitable ones up to
``ORDERS_CAP`` orders, and its best-selling ``PRODUCTS_CAP`` products plus every product sold
at a loss; its totals, counts and profit curve (every order's profit, sorted, sampled to at
most ``CURVE_POINTS`` points) always cover every order.
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
        per_product = (
            _keyed(items)
            .groupby("key")
            .agg(
                label=("label", "first"),
                orders=("order_id", "nunique"),
                units=("quantity", "sum"),
                sales=("value", "sum"),
                cost=("cost", "sum"),
            )
        )
        product_rows = _product_rows(per_product)
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
    if not items.empty:
        items = items[items["month"].isin(months)]
    per_order = _per_order(items, orders) if not items.empty else None
    monthly_products = None
    if not items.empty:
        monthly_products = (
            _keyed(items)
            .groupby(["month", "key"])
            .agg(
                label=("label", "first"),
                orders=("order_id", "nunique"),
                units=("quantity", "sum"),
                sales=("value", "sum"),
                cost=("cost", "sum"),
            )
            .reset_index()
        )
    choices = [(month, [month]) for month in reversed(months)]
    choices += [(f"last_{n}", months[-n:]) for n in PRESETS if n > 1 and len(months) >= n]
    return [_period(key, chosen, per_order, monthly_products) for key, chosen in choices]


def _period(key: str, months: list[str], per_order, monthly_products) -> GrowthPeriod:
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    start, end = first.start_time.date(), last.end_time.date()
    chosen = per_order[per_order["month"].isin(months)] if per_order is not None else None
    if chosen is None or chosen.empty:
        return GrowthPeriod(key, start, end, 0, 0, 0, 0.0, 0.0, 0.0, False, [], 0)
    flags = _flags(chosen)
    losses = chosen[flags == "loss"]
    rest = chosen[flags != "loss"].nlargest(max(0, ORDERS_CAP - len(losses)), "profit")
    kept = pd.concat([losses, rest])
    products = monthly_products[monthly_products["month"].isin(months)].groupby("key").agg(
        label=("label", "first"), orders=("orders", "sum"), units=("units", "sum"), sales=("sales", "sum"),
        cost=("cost", "sum"),
    )  # fmt: skip
    products["profit"] = products["sales"] - products["cost"]
    best = products.nlargest(PRODUCTS_CAP, "sales")
    at_a_loss = products[(products["profit"] < 0) & ~products.index.isin(best.index)]
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
        products=_product_rows(pd.concat([best, at_a_loss])),
    )


def _per_order(items: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """One row per order: sales, cost (with fees), profit, whether a cost is estimated, its month."""
    per_order = items.groupby("order_id").agg(value=("value", "sum"), cost=("cost", "sum"),
                                              estimated=("estimated", "any"), month=("month", "first"))  # fmt: skip
    info = orders.set_index("id")
    per_order = per_order.join(info[["external_id", "placed_at", "discounts", "refunds", "fees"]])
    per_order["sales"] = per_order["value"] - per_order["discounts"].astype(float) - per_order["refunds"].astype(float)
    per_order["cost"] = per_order["cost"] + per_order["fees"].astype(float)
    per_order["profit"] = per_order["sales"] - per_order["cost"]
    return per_order


def _flags(per_order: pd.DataFrame) -> pd.Series:
    """ "loss" below zero, "top" for the most profitable tenth (at least one), else ""."""
    top_count = max(1, int(np.ceil(len(per_order) * TOP_SHARE)))
    top = per_order[per_order["profit"] > 0].nlargest(top_count, "profit").index
    flags = pd.Series("", index=per_order.index, dtype=object)
    flags[per_order.index.isin(top)] = "top"
    flags[per_order["profit"] < 0] = "loss"
    return flags


def _order_rows(per_order: pd.DataFrame, flags: pd.Series) -> list[OrderProfit]:
    return [
        OrderProfit(
            order_id=int(order_id),
            external_id=str(row["external_id"]),
            placed_at=pd.Timestamp(row["placed_at"]).to_pydatetime(),
            sales=round(float(row["sales"]), 2),
            cost=round(float(row["cost"]), 2),
            profit=round(float(row["profit"]), 2),
            cost_estimated=bool(row["estimated"]),
            flag=flags[order_id],
        )
        for order_id, row in per_order.sort_values("placed_at").iterrows()
    ]


def _keyed(items: pd.DataFrame) -> pd.DataFrame:
    """The lines with a product ``key`` (id, else SKU, else description) and a ``label``."""
    return items.assign(
        key=np.where(
            items["product_id"].notna(),
            "p" + items["product_id"].astype("Int64").astype(str),
            np.where(
                items["sku"].fillna("") != "", "s" + items["sku"].fillna(""), "d" + items["description"].fillna("")
            ),
        ),
        label=np.where(items["description"].fillna("") != "", items["description"].fillna(""), items["sku"].fillna("")),
    )


def _product_rows(per_product: pd.DataFrame) -> list[ProductPerformance]:
    per_product = per_product.assign(profit=per_product["sales"] - per_product["cost"])
    rows = []
    for key, row in per_product.sort_values(["sales", "label"], ascending=[False, True]).iterrows():
        sales = float(row["sales"])
        rows.append(
            ProductPerformance(
                key=str(key),
                label=str(row["label"]),
                orders=int(row["orders"]),
                units=int(row["units"]),
                sales=round(sales, 2),
                cost=round(float(row["cost"]), 2),
                profit=round(float(row["profit"]), 2),
                margin_pct=round(100 * float(row["profit"]) / sales, 1) if sales > 0 else None,
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
