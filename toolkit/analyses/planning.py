"""Business planning (profit and cost): the SME's sales month by month, compared and projected.

Choices, made explicit here and in the guide text the SME reads:

* Months are calendar months in the SME's time zone. The month of ``as_of`` is partial:
  shown, marked, and never used to fit a projection or in a comparison.
* Cancelled orders count for nothing. An order counts in "orders" when it has at least one
  line sold (a returns-only order, such as a cancellation invoice, is not a new order).
* Sales = line values (quantity × unit price; returns are negative lines and count in the
  month they happen) − discounts − refunds. Shipping charged is not sales.
* Cost = cost of goods + fees. A line whose unit cost is unknown is costed from the SME's
  default margin (cost = value × (1 − margin)) and the month is marked "estimated".
* Projection of the next month: naive (last month), drift (the straight line through the
  first and last months), seasonal naive (the same month last year, from 13 months of
  history) and, from 24 months, Holt-Winters (statsmodels). Each is backtested from rolling
  origins over the last months; the one with the smallest mean absolute error is used, and
  its range is ± 1.96 × the root-mean-square error of that backtest.
"""

from __future__ import annotations

import datetime
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .common import local_calendar, valued_lines

SEASONAL_MIN_MONTHS = 13
HOLT_WINTERS_MIN_MONTHS = 24
BACKTEST_ORIGINS = 6


@dataclass(frozen=True)
class Month:
    month: str  # "YYYY-MM"
    partial: bool
    orders: int
    sales: float
    variation_pct: float | None  # vs the month before
    cost: float
    cost_estimated: bool
    profit: float


@dataclass(frozen=True)
class Comparison:
    key: str  # month_on_month | year_on_year | last_6_vs_previous_6 | year_to_date
    label_current: str
    label_previous: str
    current: float
    previous: float
    change_pct: float | None


@dataclass(frozen=True)
class Projection:
    month: str
    method: str  # naive | drift | seasonal_naive | holt_winters
    value: float
    low: float
    high: float
    backtest_mae: float | None


@dataclass(frozen=True)
class PlanningResult:
    months: list[Month]
    channels: list[dict] = field(default_factory=list)  # {"channel", "month", "orders", "sales"}
    comparisons: list[Comparison] = field(default_factory=list)
    projection: Projection | None = None
    insufficient: bool = False


def _pct(current: float, previous: float) -> float | None:
    if previous == 0:
        return None
    return round(100 * (current - previous) / abs(previous), 1)


def _month_frame(orders: pd.DataFrame, lines: pd.DataFrame, *, time_zone: str, margin: float) -> pd.DataFrame:
    """Per order: month, channel, sold?, sales, cost, estimated? (cancelled orders dropped)."""
    live = orders[orders["status"] != "cancelled"]
    if live.empty:
        return pd.DataFrame(columns=["order_id", "month", "channel", "sold", "sales", "cost", "estimated"])
    items = valued_lines(live, lines, time_zone=time_zone, margin=margin, line_columns=["order_id", "quantity"])
    items["sold"] = items["quantity"] > 0
    per_order = items.groupby("order_id").agg(
        value=("value", "sum"), cost=("cost", "sum"), estimated=("estimated", "any"), sold=("sold", "any")
    )
    frame = live.set_index("id").join(per_order, how="left")
    frame[["value", "cost"]] = frame[["value", "cost"]].fillna(0.0)
    frame[["estimated", "sold"]] = frame[["estimated", "sold"]].fillna(False).astype(bool)
    money = ["discounts", "refunds", "fees"]
    frame[money] = frame[money].astype(float)
    frame["sales"] = frame["value"] - frame["discounts"] - frame["refunds"]
    frame["cost"] = frame["cost"] + frame["fees"]
    frame["month"] = local_calendar(frame["placed_at"], time_zone)[1]
    frame["channel"] = frame["channel"].fillna("").replace("", "—")
    return frame.reset_index(names="order_id")[["order_id", "month", "channel", "sold", "sales", "cost", "estimated"]]


def _month_range(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def planning(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    as_of: datetime.date,
    time_zone: str = "Europe/London",
    default_margin: float = 0.4,
) -> PlanningResult:
    """Monthly orders, sales, cost and profit up to ``as_of``, with comparisons and a projection."""
    if not orders.empty:
        cutoff = pd.Timestamp(as_of + datetime.timedelta(days=1), tz=time_zone)
        orders = orders[pd.to_datetime(orders["placed_at"], utc=True) < cutoff]
    per_order = _month_frame(orders, lines, time_zone=time_zone, margin=default_margin)
    if per_order.empty:
        return PlanningResult(months=[], insufficient=True)
    current = f"{as_of:%Y-%m}"
    monthly = per_order.groupby("month").agg(
        orders=("sold", "sum"), sales=("sales", "sum"), cost=("cost", "sum"), estimated=("estimated", "any")
    )
    monthly = monthly.reindex(_month_range(monthly.index.min(), current))
    monthly["orders"] = monthly["orders"].fillna(0).astype(int)
    monthly[["sales", "cost"]] = monthly[["sales", "cost"]].fillna(0.0)
    monthly["estimated"] = monthly["estimated"].fillna(False).astype(bool)

    months = []
    previous = None
    for month, row in monthly.iterrows():
        sales, cost = round(float(row["sales"]), 2), round(float(row["cost"]), 2)
        months.append(
            Month(
                month=month,
                partial=month == current,
                orders=int(row["orders"]),
                sales=sales,
                variation_pct=_pct(sales, previous) if previous is not None else None,
                cost=cost,
                cost_estimated=bool(row["estimated"]),
                profit=round(sales - cost, 2),
            )
        )
        previous = sales

    channels = per_order.groupby(["channel", "month"]).agg(orders=("sold", "sum"), sales=("sales", "sum")).reset_index()
    channel_rows = [
        {"channel": r.channel, "month": r.month, "orders": int(r.orders), "sales": round(float(r.sales), 2)}
        for r in channels.itertuples()
    ]
    complete = [m for m in months if not m.partial]
    return PlanningResult(
        months=months,
        channels=channel_rows,
        comparisons=_comparisons(complete, per_order, as_of=as_of, time_zone=time_zone, orders=orders),
        projection=_projection(complete),
        insufficient=len(complete) < 1,
    )


def _comparisons(complete: list[Month], per_order, *, as_of, time_zone, orders) -> list[Comparison]:
    found = []
    by_month = {m.month: m.sales for m in complete}
    if len(complete) >= 2:
        last, before = complete[-1], complete[-2]
        found.append(Comparison("month_on_month", last.month, before.month, last.sales, before.sales,
                                _pct(last.sales, before.sales)))  # fmt: skip
    if complete:
        last = complete[-1]
        year_before = f"{int(last.month[:4]) - 1}{last.month[4:]}"
        if year_before in by_month:
            found.append(Comparison("year_on_year", last.month, year_before, last.sales, by_month[year_before],
                                    _pct(last.sales, by_month[year_before])))  # fmt: skip
    if len(complete) >= 12:
        recent, earlier = complete[-6:], complete[-12:-6]
        now, then = round(sum(m.sales for m in recent), 2), round(sum(m.sales for m in earlier), 2)
        found.append(
            Comparison(
                "last_6_vs_previous_6",
                f"{recent[0].month}–{recent[-1].month}",
                f"{earlier[0].month}–{earlier[-1].month}",
                now,
                then,
                _pct(now, then),
            )
        )
    # Year to date: 1 January to as_of, against the same days a year earlier — only when the
    # history reaches back to January last year, so last year's figure is not a partial one.
    local = pd.to_datetime(orders["placed_at"], utc=True).dt.tz_convert(time_zone).dt.date
    dated = per_order.merge(pd.DataFrame({"order_id": orders["id"], "day": local}), on="order_id")
    this_start = datetime.date(as_of.year, 1, 1)
    last_start = datetime.date(as_of.year - 1, 1, 1)
    if not dated.empty and dated["day"].min() < datetime.date(as_of.year - 1, 2, 1):
        now = round(float(dated[(dated["day"] >= this_start) & (dated["day"] <= as_of)]["sales"].sum()), 2)
        then = round(
            float(dated[(dated["day"] >= last_start) & (dated["day"] <= _same_day_last_year(as_of))]["sales"].sum()), 2
        )
        found.append(Comparison("year_to_date", f"{as_of.year}", f"{as_of.year - 1}", now, then, _pct(now, then)))
    return found


def _same_day_last_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# --- projection -----------------------------------------------------------------------------------


def _naive(history: np.ndarray) -> float:
    return float(history[-1])


def _drift(history: np.ndarray) -> float:
    if len(history) < 2:
        return float(history[-1])
    return float(history[-1] + (history[-1] - history[0]) / (len(history) - 1))


def _seasonal_naive(history: np.ndarray) -> float:
    return float(history[-12])


def _holt_winters(history: np.ndarray) -> float:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(history, trend="add", seasonal="add", seasonal_periods=12).fit()
    return float(model.forecast(1)[0])


def _methods(months: int) -> dict:
    """The methods the history allows, each with the shortest history it can forecast from."""
    methods = {"naive": (_naive, 1), "drift": (_drift, 2)}
    if months >= SEASONAL_MIN_MONTHS:
        methods["seasonal_naive"] = (_seasonal_naive, 12)
    if months >= HOLT_WINTERS_MIN_MONTHS:
        methods["holt_winters"] = (_holt_winters, HOLT_WINTERS_MIN_MONTHS)
    return methods


def _projection(complete: list[Month]) -> Projection | None:
    if len(complete) < 2:
        return None
    history = np.array([m.sales for m in complete], dtype=float)
    best = None
    for name, (method, needs) in _methods(len(history)).items():
        errors = []
        for origin in range(max(needs, len(history) - BACKTEST_ORIGINS), len(history)):
            errors.append(method(history[:origin]) - history[origin])
        if not errors:
            continue
        mae = float(np.mean(np.abs(errors)))
        rmse = math.sqrt(float(np.mean(np.square(errors))))
        if best is None or mae < best[1] - 1e-9:
            best = (name, mae, rmse, method)
    if best is None:
        return None
    name, mae, rmse, method = best
    value = method(history)
    target = str(pd.Period(complete[-1].month, freq="M") + 1)
    return Projection(
        month=target,
        method=name,
        value=round(value, 2),
        low=round(max(0.0, value - 1.96 * rmse), 2),
        high=round(value + 1.96 * rmse, 2),
        backtest_mae=round(mae, 2),
    )
