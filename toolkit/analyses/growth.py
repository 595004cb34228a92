"""Business growth: the profit of every order, products ranked, and the SME's targets.

Choices: an order's profit = its sales (line values − discounts) − its cost (cost of goods,
estimated from the default margin when unknown, + fees). Refunds are not taken off their
order: they count in the month they were made (as in planning), so a period's sales, cost
and profit are its orders' less the refunds made in it (``refunds``) and less the cost of
the goods those refunds put back into stock (``restocked``). The "most profitable"
orders are the top 10 % by profit (at least one); loss-making ones have a profit below zero.
Returns and cancellations (an order with lines given back and none sold, such as a credit
note) are their own category ("return"), never loss-making orders: their negative sales are
money given back, not a sale made at a loss.
A target is a monthly figure to reach by a date; its projection extends the straight-line
trend of the last six complete months to the target's month.

For the month picker the report also stores ``growth_periods``: each of the last twelve
complete months and the last 3, 6 and 12 months together. So that the stored report stays
small, a period keeps its largest losses (at most ``LOSSES_CAP`` loss-making orders) and then
its most profitable orders, ``ORDERS_CAP`` orders in all, and its best-selling
``PRODUCTS_CAP`` products plus every product sold at a loss; its totals, counts and profit
curve (every order's profit, sorted, sampled to at most ``CURVE_POINTS`` points; returns and
cancellations left out of the curve, counted apart) always cover every order.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
from pandas._libs import groupby as _libgroupby

from .common import dated_refunds, orders_around, valued_lines

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
    flag: str  # "loss" | "top" | "return" | ""


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
    loss_orders: int  # at a loss, returns left out
    top_orders: int
    sales: float
    cost: float
    profit: float
    cost_estimated: bool
    profit_curve: list[float]  # order profits, highest first, sampled to at most CURVE_POINTS
    products_count: int
    orders: list[OrderProfit] = field(default_factory=list)
    products: list[ProductPerformance] = field(default_factory=list)
    return_orders: int = 0  # returns and cancellations: their own category
    returns: float = 0.0  # their sales (negative: money given back)
    refunds: float = 0.0  # refunds made in the period (taken off its sales, whatever their order's month)
    restocked: float = 0.0  # the cost of the goods those refunds put back into stock (taken off its cost)


LINE_COLUMNS = ["order_id", "product_id", "sku", "description", "quantity"]  # what growth reads of the lines…
VALUED_COLUMNS = ("value", "cost", "estimated", "day_number")  # …and of valued_lines' own
EPOCH = datetime.date(1970, 1, 1)  # day numbers count from here (see common.local_calendar)
FLAGS = ("", "top", "loss", "return")  # an order's flag by its code (see _flag_codes)
ORDER_FIELDS = tuple(f.name for f in fields(OrderProfit))
PRODUCT_FIELDS = tuple(f.name for f in fields(ProductPerformance))
_UTC = datetime.UTC


def valued(orders: pd.DataFrame, lines: pd.DataFrame, *, time_zone: str, margin: float) -> pd.DataFrame:
    """The lines valued with only the columns growth reads (``common.valued_lines``)."""
    return valued_lines(
        orders, lines, time_zone=time_zone, margin=margin, line_columns=LINE_COLUMNS, valued_columns=VALUED_COLUMNS
    )


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
    ``items`` the already valued lines (``common.valued_lines``), when the caller has them;
    without them only the lines of the orders placed around the period are valued.
    """
    if items is None:
        items = valued(orders_around(orders, start, end), lines, time_zone=time_zone, margin=default_margin)
    order_rows, product_rows = _growth_rows(items, orders, start, end, plain=False)
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
    refunds: pd.DataFrame | None = None,
) -> list[GrowthPeriod]:
    """The month picker's choices: each of ``months`` (complete "YYYY-MM", oldest first) and the presets.

    The lines are valued once and aggregated per order and per (month, product), so each
    period only sums small arrays: an order belongs to one month, so a product's orders over
    a period are the sum of its orders in each month.
    """
    months = sorted(months)[-PERIOD_MONTHS:]
    if not months:
        return []
    if items is None:
        items = valued(orders, lines, time_zone=time_zone, margin=default_margin)
    given = _refunds_by_day(orders, refunds, time_zone=time_zone, margin=default_margin)
    return [GrowthPeriod(**period) for period in _periods(items, orders, months, plain=False, refunds=given)]


def growth_plain(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    start: datetime.date,
    end: datetime.date,
    months: list[str],
    time_zone: str = "Europe/London",
    default_margin: float = 0.4,
    monthly: list | None = None,
    targets: list[tuple[str, float, datetime.date]] = (),
    items: pd.DataFrame | None = None,
    refunds: pd.DataFrame | None = None,
) -> dict:
    """``growth`` and ``growth_periods`` together as the report stores them (its ``growth`` key).

    The same figures, but JSON-ready: orders, products and periods are dicts of plain values
    (dates as ISO strings, a number that is not finite as None) built from the arrays, not
    dataclasses made plain afterwards (the report holds thousands of rows). The ``targets``
    stay ``TargetProgress`` (a few; the caller makes them plain).
    """
    if items is None:
        items = valued(orders, lines, time_zone=time_zone, margin=default_margin)
    order_rows, product_rows = _growth_rows(items, orders, start, end, plain=True)
    months = sorted(months)[-PERIOD_MONTHS:]
    given = _refunds_by_day(orders, refunds, time_zone=time_zone, margin=default_margin) if months else None
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "orders": order_rows,
        "products": product_rows,
        "targets": [_target(metric, value, due, monthly or []) for metric, value, due in targets],
        "periods": _periods(items, orders, months, plain=True, refunds=given) if months else [],
    }


def _growth_rows(items: pd.DataFrame, orders: pd.DataFrame, start, end, *, plain: bool) -> tuple[list, list]:
    """Every order of the local days ``start``–``end`` by time placed, every product by sales."""
    rows = _day_rows(items, (start - EPOCH).days, (end - EPOCH).days)
    if not len(rows):
        return [], []
    table = _order_table(items, rows, orders, np.zeros(len(rows), dtype=np.int64))
    by_time = np.argsort(table.placed, kind="stable")
    order_rows = _order_rows(table, by_time, _flag_codes(table.profit, table.returned)[by_time], orders, plain=plain)
    groups = _product_groups(items, rows, np.zeros(len(rows), dtype=np.int64), table.line_order)
    ranked = _by_sales(groups.sales, groups.labels, np.arange(len(groups.sales)))
    product_rows = _product_rows(
        groups.keys[ranked], groups.labels[ranked], groups.orders[ranked], groups.units[ranked],
        groups.sales[ranked], groups.cost[ranked], plain=plain,
    )  # fmt: skip
    return order_rows, product_rows


def _refunds_by_day(orders: pd.DataFrame, refunds: pd.DataFrame | None, *, time_zone: str, margin: float) -> dict:
    """The refunds of the live orders (``common.dated_refunds``): local day made, amount, restocked cost."""
    live = orders["id"].to_numpy()[(orders["status"] != "cancelled").to_numpy()] if len(orders) else []
    return dated_refunds(live, refunds, time_zone=time_zone, margin=margin)


def _periods(
    items: pd.DataFrame, orders: pd.DataFrame, months: list[str], *, plain: bool, refunds: dict | None = None
) -> list[dict]:
    """Each period's fields (``GrowthPeriod``'s), plain or not; ``months`` sorted, at most ``PERIOD_MONTHS``.
    ``refunds`` (``_refunds_by_day``) count in the month they were made."""
    base = _month_number(months[0])
    code_of = np.full(_month_number(months[-1]) - base + 1, -1, dtype=np.int64)
    for code, month in enumerate(months):
        code_of[_month_number(month) - base] = code
    first, last = (_month_start(months[0]) - EPOCH).days, (_month_end(months[-1]) - EPOCH).days
    rows = _day_rows(items, first, last)
    data = None
    if len(rows):  # each line's month code, looked up by its day (a few hundred days; many more lines)
        days = np.arange(first, last + 1).astype("datetime64[D]")
        code_of_day = code_of[days.astype("datetime64[M]").astype(np.int64) - base]
        group = code_of_day[items["day_number"].to_numpy()[rows] - first]
        rows, group = rows[group >= 0], group[group >= 0]
    if len(rows):
        table = _order_table(items, rows, orders, group)
        groups = _product_groups(items, rows, group, table.line_order)
        # Each product as a number in the order of its key, so that a period finds its products in
        # key order (as grouping on the keys would): ties in sales keep that order.
        key_code, keys = pd.factorize(groups.keys, sort=True)
        first_rows = np.unique(key_code, return_index=True)[1]
        # Sorted once for all the periods: a period takes its own out of each order, in that order.
        data = _PeriodData()
        data.table, data.groups, data.key_code = table, groups, key_code
        data.keys, data.labels = np.asarray(keys, dtype=object), groups.labels[first_rows]
        data.by_profit = np.argsort(table.profit, kind="stable")  # lowest first; equal ones by order id
        data.by_profit_down = np.argsort(-table.profit, kind="stable")  # highest first; equal ones by order id
        data.by_key = np.argsort(key_code, kind="stable")  # each product's months together, in row order
    made = None
    if refunds is not None and len(refunds["day"]):  # each refund's month code, by the day it was made
        inside = (refunds["day"] >= first) & (refunds["day"] <= last)
        day = refunds["day"][inside]
        group = code_of[day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - base]
        made = {name: refunds[name][inside] for name in ("amount", "restocked", "estimated")}
        made["group"] = group
    choices = [(month, [month]) for month in reversed(months)]
    choices += [(f"last_{n}", months[-n:]) for n in PRESETS if n > 1 and len(months) >= n]
    position = {month: code for code, month in enumerate(months)}
    return [
        _period(key, chosen, (position[chosen[0]], position[chosen[-1]]), data, orders, plain=plain, refunds=made)
        for key, chosen in choices
    ]


def _period(
    key: str, months: list[str], codes: tuple[int, int], data, orders: pd.DataFrame, *, plain: bool,
    refunds: dict | None = None,
) -> dict:  # fmt: skip
    """One period's fields: ``months`` are consecutive, their month codes ``codes`` (first, last)."""
    start, end = _month_start(months[0]), _month_end(months[-1])
    fields_ = {"key": key, "start": start.isoformat() if plain else start, "end": end.isoformat() if plain else end}
    # The refunds made in the period: off its sales, and their restocked goods off its cost.
    refunded, restocked, refund_estimated = 0.0, 0.0, False
    if refunds is not None:
        mine = (refunds["group"] >= codes[0]) & (refunds["group"] <= codes[1])
        refunded = float(np.sum(refunds["amount"][mine]))
        restocked = float(np.sum(refunds["restocked"][mine]))
        refund_estimated = bool(refunds["estimated"][mine].any())
    fields_.update(refunds=_money(refunded, plain), restocked=_money(restocked, plain))
    empty = dict(orders_count=0, loss_orders=0, top_orders=0, sales=_money(-refunded, plain),
                 cost=_money(-restocked, plain), profit=_money(restocked - refunded, plain),
                 cost_estimated=refund_estimated, profit_curve=[], products_count=0, orders=[], products=[],
                 return_orders=0, returns=0.0)  # fmt: skip
    if data is None:
        return {**fields_, **empty}
    table, groups = data.table, data.groups
    inside = (table.group >= codes[0]) & (table.group <= codes[1])
    chosen = np.flatnonzero(inside)
    if not len(chosen):
        return {**fields_, **empty}
    profit = table.profit[chosen]
    # The period's orders by profit, in the orders sorted once: a stable sort of the period's own.
    down = data.by_profit_down[inside[data.by_profit_down]]
    up = data.by_profit[inside[data.by_profit]]
    flags = np.zeros(len(table.profit), dtype=np.int8)
    top_count = max(1, int(np.ceil(len(chosen) * TOP_SHARE)))
    flags[down[table.profit[down] > 0][:top_count]] = 1  # as _flag_codes
    at_a_loss = (table.profit < 0) & ~table.returned
    flags[at_a_loss] = 2
    flags[table.returned] = 3
    # The largest losses first (as DataFrame.nsmallest), then the most profitable (nlargest):
    # both keep the first of equal profits, in order id order.
    losses = up[at_a_loss[up]][:LOSSES_CAP]
    rest = down[~at_a_loss[down]][: ORDERS_CAP - len(losses)]
    kept = np.concatenate([losses, rest])
    kept = kept[np.argsort(table.placed[kept], kind="stable")]
    # The period's products: the sums of their months, in key order.
    rows = data.by_key[(groups.group[data.by_key] >= codes[0]) & (groups.group[data.by_key] <= codes[1])]
    in_rows = data.key_code[np.flatnonzero((groups.group >= codes[0]) & (groups.group <= codes[1]))]
    present, (units, product_orders, sales, cost) = _sums_by(
        data.key_code[rows],
        [groups.units[rows], groups.orders[rows], groups.sales[rows], groups.cost[rows]],
        in_order=bool((in_rows[1:] >= in_rows[:-1]).all()),
    )
    best = np.argsort(-sales, kind="stable")[:PRODUCTS_CAP]
    loss_making = np.ones(len(present), dtype=bool)
    loss_making[best] = False
    loss_making &= (sales - cost) < 0
    labels = data.labels[present]
    ranked = _by_sales(sales, labels, np.concatenate([best, np.flatnonzero(loss_making)]))
    # The curve: every order's profit but returns and cancellations (money given back, not orders at a
    # loss: the period's ``returns`` and ``return_orders`` say how much and how many).
    profits = np.sort(profit[~table.returned[chosen]])[::-1]
    if len(profits) > CURVE_POINTS:
        profits = profits[np.linspace(0, len(profits) - 1, CURVE_POINTS).round().astype(int)]
    return {
        **fields_,
        "orders_count": len(chosen),
        "loss_orders": int(at_a_loss[chosen].sum()),
        "top_orders": int((flags[chosen] == 1).sum()),
        "sales": _money(np.nansum(table.sales[chosen]) - refunded, plain),  # as Series.sum
        "cost": _money(np.nansum(table.cost[chosen]) - restocked, plain),
        "profit": _money(np.nansum(profit) - refunded + restocked, plain),
        "cost_estimated": bool(table.estimated[chosen].any()) or refund_estimated,
        "return_orders": int(table.returned[chosen].sum()),
        "returns": _money(np.nansum(table.sales[chosen][table.returned[chosen]]), plain),
        "profit_curve": _cents(profits, plain),
        "products_count": len(present),
        "orders": _order_rows(table, kept, flags[kept], orders, plain=plain),
        "products": _product_rows(
            data.keys[present[ranked]],
            labels[ranked],
            product_orders[ranked],
            units[ranked],
            sales[ranked],
            cost[ranked],
            plain=plain,
        ),
    }


class _PeriodData:
    """What every period of the month picker reads (see ``_periods``)."""

    __slots__ = ("by_key", "by_profit", "by_profit_down", "groups", "key_code", "keys", "labels", "table")


class _Orders:
    """Per order of some lines, sorted by order id (as grouping on the id gives): its position in the
    orders frame, sales, cost (with fees), profit, whether a cost is estimated, group (month code)
    and the instant placed (a number, for sorting); ``line_order`` gives each line its order's row."""

    __slots__ = (
        "cost", "estimated", "group", "ids", "line_order", "placed", "position", "profit", "returned", "sales",
    )  # fmt: skip


def _order_table(items: pd.DataFrame, rows: np.ndarray, orders: pd.DataFrame, group: np.ndarray) -> _Orders:
    order_id = items["order_id"].to_numpy()[rows]
    if (order_id[1:] >= order_id[:-1]).all():  # the lines come in order id order: no hashing
        new = np.empty(len(order_id), dtype=bool)
        new[0] = True
        np.not_equal(order_id[1:], order_id[:-1], out=new[1:])
        line_order, ids = np.cumsum(new) - 1, order_id[new]
    else:
        line_order, ids = pd.factorize(order_id, sort=True)
    # As the old per-order grouping of each column (a Series): see _group_sums.
    value, cost = _group_sums(
        line_order, len(ids), items["value"].to_numpy()[rows], items["cost"].to_numpy()[rows], each=True
    )
    table = _Orders()
    table.ids, table.line_order = ids, line_order
    table.position = pd.Index(orders["id"]).get_indexer(ids)
    if (table.position < 0).any():
        raise ValueError("lines of orders that are not in the orders frame")
    table.estimated = np.zeros(len(ids), dtype=bool)
    table.estimated[line_order[items["estimated"].to_numpy(dtype=bool)[rows]]] = True
    # A return or cancellation: lines given back and none sold (a credit note, a cancellation invoice).
    quantity = items["quantity"].to_numpy()[rows]
    sold = np.zeros(len(ids), dtype=bool)
    sold[line_order[quantity > 0]] = True
    table.returned = np.zeros(len(ids), dtype=bool)
    table.returned[line_order[quantity < 0]] = True
    table.returned &= ~sold
    table.group = np.empty(len(ids), dtype=np.int64)
    table.group[line_order] = group  # an order's lines share its day, so its month
    # Refunds are not the order's: they count in the month they were made (see _period).
    money = {name: orders[name].to_numpy(dtype=float)[table.position] for name in ("discounts", "fees")}
    table.sales = value - money["discounts"]
    table.cost = cost + money["fees"]
    table.profit = table.sales - table.cost
    table.placed = pd.to_datetime(orders["placed_at"], utc=True).array.asi8[table.position]
    return table


def _flag_codes(profit: np.ndarray, returned: np.ndarray) -> np.ndarray:
    """3 ("return") for returns and cancellations, 2 ("loss") below zero, 1 ("top") for the most profitable
    tenth (at least one; the first of equal profits, as Series.nlargest), else 0 ("")."""
    top_count = max(1, int(np.ceil(len(profit) * TOP_SHARE)))
    positive = np.flatnonzero(profit > 0)
    codes = np.zeros(len(profit), dtype=np.int8)
    codes[positive[np.argsort(-profit[positive], kind="stable")[:top_count]]] = 1
    codes[profit < 0] = 2
    codes[returned] = 3
    return codes


def _order_rows(table: _Orders, chosen: np.ndarray, flags: np.ndarray, orders: pd.DataFrame, *, plain: bool) -> list:
    """The ``chosen`` orders of ``table`` (in that order) as ``OrderProfit`` or, ``plain``, as dicts."""
    position = table.position[chosen]
    external = orders["external_id"].take(position).astype(str).tolist()
    columns = (
        table.ids[chosen].tolist(),
        [_plain_scalar(value) for value in external]
        if plain and not all(type(v) is str for v in external)
        else external,
        _placed(orders["placed_at"], position, plain),
        _plain_floats(table.sales[chosen].round(2), plain),
        _plain_floats(table.cost[chosen].round(2), plain),
        _plain_floats(table.profit[chosen].round(2), plain),
        table.estimated[chosen].tolist(),
        [FLAGS[code] for code in flags.tolist()],
    )
    if plain:
        return [dict(zip(ORDER_FIELDS, row, strict=True)) for row in zip(*columns, strict=True)]
    return [OrderProfit(*row) for row in zip(*columns, strict=True)]


def _placed(placed_at: pd.Series, position: np.ndarray, plain: bool) -> list:
    """The instants placed of the orders at ``position``: aware datetimes, or ISO strings when ``plain``."""
    taken = placed_at.array.take(position)
    if str(getattr(taken, "tz", None)) == "UTC":  # the selectors' frames: converted in one go
        wall = np.asarray(taken.tz_localize(None), dtype="datetime64[us]")
        if plain and not (wall.astype(np.int64) % 1_000_000).any():
            return [text + "+00:00" for text in np.datetime_as_string(wall, unit="s").tolist()]
        moments = [moment.replace(tzinfo=_UTC) for moment in wall.astype(object).tolist()]
    else:
        moments = [moment.to_pydatetime() for moment in pd.to_datetime(pd.Series(taken))]
    return [moment.isoformat() for moment in moments] if plain else moments


def _product_groups(items: pd.DataFrame, rows: np.ndarray, group: np.ndarray, line_order: np.ndarray):
    """Per (group, product) of the lines ``rows`` of ``items``: group, key, label, orders, units, sales, cost.

    A product's key is its id ("p12"), else its SKU ("sMUG"), else its description; its label
    the description of its first line, else the SKU. Lines with a product id (nearly all) are
    grouped on one integer per (group, product), numbered in the order they first appear (as
    grouping on the columns with sort=False would), and come first; the others follow, grouped
    on their keys (in key order). ``line_order``: each line's order, as a number.
    """
    product_id = items["product_id"].to_numpy(dtype=float, na_value=np.nan)[rows]
    known = ~np.isnan(product_id)
    parts = []
    if known.any():
        at = np.flatnonzero(known)
        product = product_id[at].astype(np.int64)
        span = int(product.max()) + 1
        number, uniques = pd.factorize(product + group[at] * span)
        lines_at = rows[at]
        units, value, cost = _group_sums(
            number, len(uniques), *(items[name].to_numpy()[lines_at] for name in ("quantity", "value", "cost"))
        )
        # An order is in one group (month), so its distinct (order, product) pairs count the orders.
        # (Sorting the pairs costs less than hashing them: the lines mostly come order by order.)
        pairs = line_order[at] * span + product
        by_pair = np.argsort(pairs, kind="stable")
        pairs = pairs[by_pair]
        counts = np.bincount(number[by_pair[_starts(pairs)]], minlength=len(uniques))
        # Each product's label from its first line, which starts its first group.
        product_code, products = pd.factorize(uniques % span)
        first_line = lines_at[_firsts(number)[_firsts(product_code)]]
        labels = _labels(items["description"].take(first_line), items["sku"].take(first_line))
        parts.append(
            (
                uniques // span,
                np.array([f"p{product}" for product in products.tolist()], dtype=object)[product_code],
                labels[product_code],
                counts,
                units,
                value,
                cost,
            )
        )
    if not known.all():
        rest = items.iloc[rows[~known]][["order_id", "sku", "description", "quantity", "value", "cost"]]
        sku = rest["sku"].fillna("").astype(str)
        key = np.where(sku != "", "s" + sku, "d" + rest["description"].fillna("").astype(str))
        rest = rest.assign(group=group[~known], key=key)
        per_key = (
            rest.groupby(["group", "key"])
            .agg(description=("description", "first"), sku=("sku", "first"), orders=("order_id", "nunique"),
                 units=("quantity", "sum"), sales=("value", "sum"), cost=("cost", "sum"))
            .reset_index()
        )  # fmt: skip
        parts.append(
            (
                per_key["group"].to_numpy(dtype=np.int64),
                per_key["key"].to_numpy(dtype=object),
                _labels(per_key["description"], per_key["sku"]),
                *(per_key[name].to_numpy() for name in ("orders", "units", "sales", "cost")),
            )
        )
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    return _Groups(*columns)


class _Groups:
    __slots__ = ("cost", "group", "keys", "labels", "orders", "sales", "units")

    def __init__(self, group, keys, labels, orders, units, sales, cost):
        self.group, self.keys, self.labels, self.orders = group, keys, labels, orders
        self.units, self.sales, self.cost = units, sales, cost


def _labels(description: pd.Series, sku: pd.Series) -> np.ndarray:
    """The description, else the SKU ("" when neither)."""
    description = description.fillna("").astype(str).to_numpy(dtype=object)
    return np.where(description != "", description, sku.fillna("").astype(str).to_numpy(dtype=object))


def _products_by(items: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per product (and per the ``by`` columns, small integers): label, orders, units, sales, cost;
    indexed by (*by, key). The frame form of ``_product_groups``."""
    if items.empty:  # a period without a line (returns only, or no sale yet): no product rows
        return pd.DataFrame(columns=[*by, "key", "label", "orders", "units", "sales", "cost"]).set_index([*by, "key"])
    number = pd.factorize(pd.MultiIndex.from_frame(items[by]))[0] if by else np.zeros(len(items), dtype=np.int64)
    groups = _product_groups(
        items, np.arange(len(items)), number.astype(np.int64), pd.factorize(items["order_id"].to_numpy())[0]
    )
    frame = pd.DataFrame(
        {name: getattr(groups, name) for name in ("keys", "labels", "orders", "units", "sales", "cost")}
    )
    frame = frame.rename(columns={"keys": "key", "labels": "label"})
    if by:
        values = items[by].drop_duplicates().reset_index(drop=True).iloc[groups.group]
        frame = pd.concat([values.reset_index(drop=True), frame], axis=1)
    return frame.set_index([*by, "key"])


def _group_sums(labels: np.ndarray, count: int, *columns: np.ndarray, each: bool = False) -> list[np.ndarray]:
    """Each column summed per label (0 ≤ label < ``count``), exactly as grouping with pandas sums.

    Pandas (3.x) sums with numpy's ``add.reduceat`` (pairwise summation per group) when the
    labels come in order (``Index(labels).is_monotonic_increasing``) and the float columns
    (``each``: each column on its own, as a Series; else all together, as a frame's block)
    hold no NaN; otherwise with its compensated (Kahan) kernel, row by row in order, NaN
    skipped. The two differ in the last bits (and on -0.0), which rounding can show, so both
    are followed. The kernel is pandas' own (``pandas._libs.groupby.group_sum``, what
    ``groupby().sum()`` runs): the labels are already small numbers, and the public way would
    hash them again.
    """
    labels = labels.astype(np.intp, copy=False)
    columns = [np.asarray(column) for column in columns]
    in_order = len(labels) > 0 and bool((labels[1:] >= labels[:-1]).all())
    floats = [column.dtype.kind not in "iu" for column in columns]
    with_nan = [is_float and bool(np.isnan(column).any()) for column, is_float in zip(columns, floats, strict=True)]
    if not each:
        with_nan = [is_float and any(with_nan) for is_float in floats]
    starts = _starts(labels) if in_order else None
    sums = []
    for column, is_float, nan in zip(columns, floats, with_nan, strict=True):
        dtype = np.float64 if is_float else np.int64
        out = np.zeros(count, dtype=dtype)
        if in_order and not nan:
            out[labels[starts]] = np.add.reduceat(column.astype(dtype, copy=False), starts)
        else:
            kahan = out.reshape(-1, 1)
            _libgroupby.group_sum(kahan, np.zeros(count, dtype=np.int64), column.astype(dtype).reshape(-1, 1),
                                  labels, None, min_count=0)  # fmt: skip
        sums.append(out)
    return sums


def _sums_by(codes: np.ndarray, columns: list[np.ndarray], *, in_order: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    """For ``codes`` grouped (equal ones together, each group's rows in row order): the distinct
    codes and each column summed per code, exactly as ``_group_sums`` (``in_order``: the rows
    came in code order, so pandas would take numpy's reduceat)."""
    starts = _starts(codes)
    floats = [values.dtype.kind not in "iu" for values in columns]
    nan = any(is_float and bool(np.isnan(values).any()) for values, is_float in zip(columns, floats, strict=True))
    sums = []
    for values, is_float in zip(columns, floats, strict=True):
        if not is_float or (in_order and not nan):
            sums.append(np.add.reduceat(values, starts) if len(values) else values)
        elif len(starts) == len(values):  # one row per code (a single month): 0 + value, NaN skipped
            sums.append(np.where(np.isnan(values), 0.0, values + 0.0))
        else:
            sums.append(_kahan(values, starts))
    return codes[starts], sums


def _kahan(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of the runs of ``values`` beginning at ``starts``, step for step as pandas' group_sum:
    the k-th value of every run at once."""
    sizes = np.diff(np.append(starts, len(values)))
    total, compensation = np.zeros(len(starts)), np.zeros(len(starts))
    for step in range(int(sizes.max())):
        alive = np.flatnonzero(sizes > step)
        value = values[starts[alive] + step]
        known = ~np.isnan(value)
        if not known.all():
            alive, value = alive[known], value[known]
        before = total[alive]
        y = value - compensation[alive]
        t = before + y
        error = t - before - y
        error[np.isnan(error)] = 0.0  # an infinite value: pandas resets the compensation
        compensation[alive] = error
        total[alive] = t
    return total


def _starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of ``ordered`` (sorted) starts."""
    if not len(ordered):
        return np.empty(0, dtype=np.intp)
    return np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))


def _firsts(codes: np.ndarray) -> np.ndarray:
    """Where each code first occurs, for codes numbered in the order they first appear (pd.factorize)."""
    if not len(codes):
        return np.empty(0, dtype=np.intp)
    highest = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate([[True], highest[1:] > highest[:-1]]))


def _by_sales(sales: np.ndarray, labels: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """``chosen`` by sales (highest first), then label; equal ones keep their order (a stable sort)."""
    keys = list(zip((-sales[chosen]).tolist(), labels[chosen].tolist(), strict=True))
    return chosen[sorted(range(len(chosen)), key=keys.__getitem__)]


def _product_rows(keys, labels, orders, units, sales, cost, *, plain: bool) -> list:
    """Products (arrays, in their order) as ``ProductPerformance`` or, ``plain``, as dicts."""
    profit = sales - cost
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.round(100 * profit / sales, 1)
    columns = (
        keys.tolist(),
        labels.tolist(),
        orders.astype(np.int64).tolist(),
        units.astype(np.int64).tolist(),
        _cents(sales, plain),
        _cents(cost, plain),
        _cents(profit, plain),
        [
            margin_pct if positive else None
            for margin_pct, positive in zip(_plain_floats(margin, plain), (sales > 0).tolist(), strict=True)
        ],
    )
    if plain:
        return [dict(zip(PRODUCT_FIELDS, row, strict=True)) for row in zip(*columns, strict=True)]
    return [ProductPerformance(*row) for row in zip(*columns, strict=True)]


def _money(value: float, plain: bool) -> float | None:
    """Rounded to cents (Python's rounding); ``plain``: None when not finite (JSON has no NaN)."""
    value = round(float(value), 2)
    return None if plain and not math.isfinite(value) else value


def _cents(values: np.ndarray, plain: bool) -> list:
    """Each rounded to cents (Python's rounding); ``plain``: None when not finite (JSON has no NaN)."""
    cents = [round(value, 2) for value in values.tolist()]
    if plain and not np.isfinite(values).all():
        cents = [value if math.isfinite(value) else None for value in cents]
    return cents


def _plain_floats(values: np.ndarray, plain: bool) -> list:
    floats = values.tolist()
    if plain and not np.isfinite(values).all():
        floats = [value if math.isfinite(value) else None for value in floats]
    return floats


def _plain_scalar(value):
    """As the report's ``_plain`` makes a scalar: a float that is not finite is None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _day_rows(items: pd.DataFrame, first: int, last: int) -> np.ndarray:
    """The positions of the lines of the local days numbered ``first``–``last``."""
    if items.empty:
        return np.empty(0, dtype=np.intp)
    day = items["day_number"].to_numpy()
    return np.flatnonzero((day >= first) & (day <= last))


def _month_number(month: str) -> int:
    """ "YYYY-MM" as months since January 1970 (numpy's datetime64[M])."""
    return (int(month[:4]) - 1970) * 12 + int(month[5:7]) - 1


def _month_start(month: str) -> datetime.date:
    return datetime.date(int(month[:4]), int(month[5:7]), 1)


def _month_end(month: str) -> datetime.date:
    start = _month_start(month)
    return (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


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
