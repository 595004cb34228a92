"""Analyses that say what they cannot know: partial first months, refunds in their own month, returns
apart from losses, estimated profit, and a projection range that widens on a thin history."""

import datetime
import math

import numpy as np
import pandas as pd

from toolkit.analyses.growth import growth, growth_periods
from toolkit.analyses.planning import planning
from toolkit.analyses.readiness import readiness


def _frames(rows):
    """rows: (order id, ISO time UTC, [(quantity, unit price, unit cost | None), ...])"""
    orders = pd.DataFrame(
        [{"id": oid, "placed_at": pd.Timestamp(at, tz="UTC"), "status": "completed", "channel": "web",
          "external_id": f"#{oid}", "customer_country": "GB", "discounts": 0.0, "refunds": 0.0, "fees": 0.0}
         for oid, at, _ in rows],
    )  # fmt: skip
    lines = pd.DataFrame(
        [
            {"order_id": oid, "product_id": 1, "sku": "MUG", "description": "Mug", "quantity": q,
             "unit_price": p, "unit_cost": np.nan if c is None else c}
            for oid, _, items in rows
            for q, p, c in items
        ]
    )  # fmt: skip
    return orders, lines


def _history(start: datetime.date, end: datetime.date, amount=100.0):
    """One order of ``amount`` a day from ``start`` to ``end``."""
    days = (end - start).days + 1
    return _frames([(n + 1, f"{start + datetime.timedelta(days=n)} 12:00", [(1, amount, None)]) for n in range(days)])


def test_a_history_starting_on_26_november_makes_november_partial_and_no_comparison_uses_it():
    # 26 Nov 2025 to 7 Dec 2026, every day the same: the issue's +713 % year on year came from comparing
    # five days of November with thirty.
    orders, lines = _history(datetime.date(2025, 11, 26), datetime.date(2026, 12, 7))
    result = planning(orders, lines, as_of=datetime.date(2026, 12, 7), time_zone="Europe/London")

    november = result.months[0]
    assert (november.month, november.partial, november.partial_kind) == ("2025-11", True, "first")
    assert result.months[1].variation_pct is None  # December 2025 is not compared with five days
    assert (result.months[-1].partial, result.months[-1].partial_kind) == (True, "current")
    comparisons = {c.key: c for c in result.comparisons}
    assert comparisons["month_on_month"].label_previous == "2026-10"
    # Year on year would compare November 2026 with the partial November 2025: skipped, and said.
    assert "year_on_year" not in comparisons
    assert {"key": "year_on_year", "reason": "partial_month", "month": "2025-11"} in result.skipped
    # Year to date: the same days of both years only (26 Nov to 7 Dec), not 1 Jan against a partial year.
    ytd = comparisons["year_to_date"]
    assert (ytd.basis, ytd.start, ytd.end) == ("same_days", "2026-11-26", "2026-12-07")
    assert ytd.current == ytd.previous == 12 * 100.0
    assert ytd.change_pct == 0.0


def test_a_history_starting_on_the_first_keeps_its_first_month_whole():
    orders, lines = _history(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    result = planning(orders, lines, as_of=datetime.date(2026, 4, 10))
    assert [m.partial_kind for m in result.months] == [None, None, None, "current"]
    assert not result.skipped


def test_refunds_count_in_the_month_they_are_made():
    orders, lines = _frames([(1, "2026-01-10 12:00", [(2, 50.0, 20.0)]), (2, "2026-02-10 12:00", [(1, 30.0, 10.0)])])
    refunds = pd.DataFrame(
        {"order_id": [1], "refunded_at": [pd.Timestamp("2026-02-20 12:00", tz="UTC")], "amount": [25.0], "tax": [5.0]}
    )
    orders["tax"] = [20.0, 6.0]
    result = planning(orders, lines, as_of=datetime.date(2026, 3, 5), refunds=refunds)
    january, february = result.months[0], result.months[1]
    assert (january.sales, january.refunds, january.tax) == (100.0, 0.0, 20.0)
    assert (february.sales, february.refunds, february.tax) == (30.0 - 25.0, 25.0, 6.0 - 5.0)
    assert february.profit == round(5.0 - 10.0, 2)


def test_the_projection_range_widens_when_the_history_is_thin():
    # Six complete months: naive wins its backtest (errors -20, 30, -40, 35, -30: root-mean-square
    # √1005), and its range is ± 1.96 × √1005, widened by √(12 / 6) as six months say little.
    sales = [100.0, 120.0, 90.0, 130.0, 95.0, 125.0]
    rows = [(n + 1, f"2025-{n + 7:02d}-01 12:00", [(1, amount, None)]) for n, amount in enumerate(sales)]
    projection = planning(*_frames(rows), as_of=datetime.date(2026, 1, 10)).projection
    assert (projection.method, projection.value, projection.backtest_mae) == ("naive", 125.0, 31.0)
    half = 1.96 * math.sqrt(1005) * math.sqrt(2)
    assert projection.high == round(125.0 + half, 2) and projection.low == round(125.0 - half, 2)


def _refund(order_id, at, amount, *, restocked_cost=0.0, restocked_uncosted=0.0):
    return pd.DataFrame(
        {"order_id": [order_id], "refunded_at": [pd.Timestamp(at, tz="UTC")], "amount": [amount], "tax": [0.0],
         "restocked_cost": [restocked_cost], "restocked_uncosted": [restocked_uncosted]}
    )  # fmt: skip


def test_a_restocked_refund_takes_the_returned_goods_off_the_cost_of_its_month():
    # January: 2 mugs at 50 (cost 20 each). February: 1 tea at 30 (cost 10); one mug comes back and is
    # restocked: 50 refunded, its 20 of cost is stock again, not a cost of February.
    orders, lines = _frames([(1, "2026-01-10 12:00", [(2, 50.0, 20.0)]), (2, "2026-02-10 12:00", [(1, 30.0, 10.0)])])
    plain = planning(orders, lines, as_of=datetime.date(2026, 3, 5), refunds=_refund(1, "2026-02-20 12:00", 50.0))
    restocked = planning(
        orders,
        lines,
        as_of=datetime.date(2026, 3, 5),
        refunds=_refund(1, "2026-02-20 12:00", 50.0, restocked_cost=20.0),
    )
    assert plain.months[1].cost == 10.0 and plain.months[1].profit == -30.0
    january, february = restocked.months[0], restocked.months[1]
    assert (january.cost, january.profit) == (40.0, 60.0)  # the order's own month keeps its cost
    assert (february.sales, february.cost, february.profit) == (-20.0, -10.0, -10.0)
    assert february.cost_estimated is False


def test_a_restocked_line_without_a_cost_is_costed_from_the_margin_and_marked_estimated():
    orders, lines = _frames([(1, "2026-01-10 12:00", [(2, 50.0, 20.0)]), (2, "2026-02-10 12:00", [(1, 30.0, 10.0)])])
    refunds = _refund(1, "2026-02-20 12:00", 50.0, restocked_uncosted=50.0)
    february = planning(orders, lines, as_of=datetime.date(2026, 3, 5), default_margin=0.4, refunds=refunds).months[1]
    assert (february.cost, february.cost_estimated) == (10.0 - 30.0, True)


def test_growth_takes_a_refund_off_the_month_it_is_made_not_off_its_order():
    orders, lines = _frames([(1, "2026-01-10 12:00", [(2, 50.0, 20.0)]), (2, "2026-02-10 12:00", [(1, 30.0, 10.0)])])
    orders["refunds"] = [50.0, 0.0]  # the order's refund total, as stored: no longer taken off the order
    refunds = _refund(1, "2026-02-20 12:00", 50.0, restocked_cost=20.0)
    periods = {p.key: p for p in growth_periods(orders, lines, months=["2026-01", "2026-02"], refunds=refunds)}
    january, february = periods["2026-01"], periods["2026-02"]
    assert (january.sales, january.cost, january.profit, january.refunds) == (100.0, 40.0, 60.0, 0.0)
    assert [o.sales for o in january.orders] == [100.0]  # the order keeps its sale
    assert (february.sales, february.refunds, february.restocked) == (30.0 - 50.0, 50.0, 20.0)
    assert (february.cost, february.profit) == (10.0 - 20.0, -10.0)
    assert [o.profit for o in february.orders] == [20.0]  # February's own order, untouched by January's refund
    # The same month figures as planning's.
    month = planning(orders, lines, as_of=datetime.date(2026, 3, 5), refunds=refunds).months[1]
    assert (month.sales, month.cost, month.profit) == (february.sales, february.cost, february.profit)


def test_returns_and_cancellations_are_their_own_category_not_losses():
    orders, lines = _frames(
        [
            (1, "2026-01-05 12:00", [(2, 10.0, 4.0)]),
            (2, "2026-01-06 12:00", [(1, 10.0, 15.0)]),  # sold at a loss
            (3, "2026-01-07 12:00", [(-2, 10.0, 4.0)]),  # a credit note: goods given back, none sold
        ]
    )
    result = growth(orders, lines, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))
    flags = {o.external_id: o.flag for o in result.orders}
    assert flags == {"#1": "top", "#2": "loss", "#3": "return"}


def test_the_profit_curve_leaves_returns_out_and_counts_them_apart():
    orders, lines = _frames(
        [
            (1, "2026-01-05 12:00", [(2, 10.0, 4.0)]),
            (2, "2026-01-06 12:00", [(1, 10.0, 15.0)]),  # sold at a loss: drawn below zero
            (3, "2026-01-07 12:00", [(-2, 10.0, 4.0)]),  # a credit note: not drawn
        ]
    )
    (january,) = growth_periods(orders, lines, months=["2026-01"])
    assert january.profit_curve == [12.0, -5.0]
    assert (january.return_orders, january.returns, january.orders_count) == (1, -20.0, 3)


def test_readiness_says_profit_is_estimated_under_half_the_lines_costed():
    orders, lines = _history(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    analytics = pd.DataFrame({"views": []})
    assert readiness(orders, lines, analytics).profit_estimated is True
    lines["unit_cost"] = 40.0
    costed = readiness(orders, lines, analytics)
    assert (costed.level, costed.profit_estimated, costed.profit_reliable) == ("good", False, True)
