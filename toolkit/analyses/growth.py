"""Business growth: the profit of every order, products ranked, and the SME's targets.

Choices: an order's profit = its sales (line values − discounts − refunds) − its cost (cost
of goods, estimated from the default margin when unknown, + fees). The "most profitable"
orders are the top 10 % by profit (at least one); loss-making ones have a profit below zero.
A target is a monthly figure to reach by a date; its projection extends the straight-line
trend of the last six complete months to the target's month.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import valued_lines

TREND_MONTHS = 6
METRICS = ("sales", "orders", "profit")  # monthly figures a target can be set on


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
) -> GrowthResult:
    """Orders and products for the period ``start``–``end`` (local days, inclusive); targets from ``monthly``.

    ``monthly`` is ``PlanningResult.months`` (the same figures the planning tool shows).
    """
    items = valued_lines(orders, lines, time_zone=time_zone, margin=default_margin)
    if not items.empty:
        items = items[(items["day"] >= start) & (items["day"] <= end)]
    order_rows, product_rows = [], []
    if not items.empty:
        per_order = items.groupby("order_id").agg(value=("value", "sum"), cost=("cost", "sum"),
                                                  estimated=("estimated", "any"))  # fmt: skip
        info = orders.set_index("id")
        per_order = per_order.join(info[["external_id", "placed_at", "discounts", "refunds", "fees"]])
        per_order["sales"] = (
            per_order["value"] - per_order["discounts"].astype(float) - per_order["refunds"].astype(float)
        )
        per_order["cost"] = per_order["cost"] + per_order["fees"].astype(float)
        per_order["profit"] = per_order["sales"] - per_order["cost"]
        top_count = max(1, int(np.ceil(len(per_order) * 0.1)))
        top = set(per_order[per_order["profit"] > 0].nlargest(top_count, "profit").index)
        for order_id, row in per_order.sort_values("placed_at").iterrows():
            flag = "loss" if row["profit"] < 0 else "top" if order_id in top else ""
            order_rows.append(
                OrderProfit(
                    order_id=int(order_id),
                    external_id=str(row["external_id"]),
                    placed_at=pd.Timestamp(row["placed_at"]).to_pydatetime(),
                    sales=round(float(row["sales"]), 2),
                    cost=round(float(row["cost"]), 2),
                    profit=round(float(row["profit"]), 2),
                    cost_estimated=bool(row["estimated"]),
                    flag=flag,
                )
            )
        items = items.assign(
            key=np.where(
                items["product_id"].notna(),
                "p" + items["product_id"].astype("Int64").astype(str),
                np.where(
                    items["sku"].fillna("") != "", "s" + items["sku"].fillna(""), "d" + items["description"].fillna("")
                ),
            ),
            label=np.where(
                items["description"].fillna("") != "", items["description"].fillna(""), items["sku"].fillna("")
            ),
        )
        per_product = items.groupby("key").agg(
            label=("label", "first"),
            orders=("order_id", "nunique"),
            units=("quantity", "sum"),
            sales=("value", "sum"),
            cost=("cost", "sum"),
        )
        per_product["profit"] = per_product["sales"] - per_product["cost"]
        for key, row in per_product.sort_values(["sales", "label"], ascending=[False, True]).iterrows():
            sales = float(row["sales"])
            product_rows.append(
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
    return GrowthResult(
        start=start,
        end=end,
        orders=order_rows,
        products=product_rows,
        targets=[_target(metric, value, due, monthly or []) for metric, value, due in targets],
    )


def _target(metric: str, value: float, due: datetime.date, monthly: list) -> TargetProgress:
    complete = [m for m in monthly if not m.partial]
    if not complete:
        return TargetProgress(metric, value, due, None, None, None, None)
    series = np.array([float(getattr(m, metric)) for m in complete[-TREND_MONTHS:]])
    current = float(series[-1])
    progress = round(100 * current / value, 1) if value else None
    if len(series) >= 2:
        slope, intercept = np.polyfit(np.arange(len(series)), series, 1)
        last = pd.Period(complete[-1].month, freq="M")
        ahead = (pd.Period(due, freq="M") - last).n
        projected = round(float(intercept + slope * (len(series) - 1 + ahead)), 2)
    else:
        projected = current
    return TargetProgress(metric, value, due, round(current, 2), progress, projected, projected >= value)
