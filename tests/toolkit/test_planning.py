"""Business planning on small inline frames with hand-computed answers, and properties."""

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.analyses.planning import planning

AS_OF = datetime.date(2026, 3, 15)


def _frames(rows):
    """rows: (order id, ISO time UTC, status, channel, discount, refund, fee, [(qty, price, cost|None), ...])"""
    orders = pd.DataFrame(
        [
            {"id": oid, "placed_at": pd.Timestamp(at, tz="UTC"), "status": status, "channel": channel,
             "discounts": disc, "refunds": refund, "fees": fee}
            for oid, at, status, channel, disc, refund, fee, _ in rows
        ],
        columns=["id", "placed_at", "status", "channel", "discounts", "refunds", "fees"],
    )  # fmt: skip
    lines = pd.DataFrame(
        [
            {"order_id": oid, "quantity": q, "unit_price": p, "unit_cost": np.nan if c is None else c}
            for oid, *_, items in rows
            for q, p, c in items
        ],
        columns=["order_id", "quantity", "unit_price", "unit_cost"],
    )
    return orders, lines


ROWS = [
    # January: two orders; one with a 5.00 discount; costs known.
    (1, "2026-01-10 10:00", "completed", "web", 0, 0, 0, [(2, 10.0, 4.0)]),
    (2, "2026-01-20 10:00", "completed", "web", 5, 0, 0, [(1, 30.0, 12.0)]),
    # February: one order with an unknown cost (estimated at 40 % margin), a returns-only order
    # (a return counts in the month it happens, is not a new order), and a cancelled one (nothing).
    (3, "2026-02-03 10:00", "completed", "market", 0, 0, 1.5, [(3, 20.0, None)]),
    (4, "2026-02-18 10:00", "completed", "web", 0, 0, 0, [(-1, 10.0, 4.0)]),
    (5, "2026-02-20 10:00", "cancelled", "web", 0, 0, 0, [(9, 99.0, 1.0)]),
    # March (partial: as of the 15th): one order; one after as_of that must not count.
    (6, "2026-03-02 10:00", "completed", "web", 0, 2, 0, [(1, 50.0, 20.0)]),
    (7, "2026-03-20 10:00", "completed", "web", 0, 0, 0, [(1, 500.0, 1.0)]),
]


def test_months_by_hand():
    orders, lines = _frames(ROWS)
    result = planning(orders, lines, as_of=AS_OF, default_margin=0.4)
    got = [(m.month, m.partial, m.orders, m.sales, m.cost, m.cost_estimated, m.profit) for m in result.months]
    assert got == [
        # sales 20 + 30 − 5 = 45; cost 8 + 12 = 20; partial: the history starts on 10 January
        ("2026-01", True, 2, 45.0, 20.0, False, 25.0),
        # sales 60 − 10 = 50; cost 60 × 0.6 = 36 (estimated) + fee 1.5 − 4 (returned stock) = 33.5
        ("2026-02", False, 1, 50.0, 33.5, True, 16.5),
        # sales 50 − refund 2 = 48; cost 20
        ("2026-03", True, 1, 48.0, 20.0, False, 28.0),
    ]
    # February is not compared with the partial January; March (in progress) with February.
    assert [m.variation_pct for m in result.months] == [None, None, -4.0]
    assert [m.partial_kind for m in result.months] == ["first", None, "current"]


def test_months_are_local_to_the_smes_time_zone():
    # 23:30 UTC on 31 January is already February in Paris.
    orders, lines = _frames([(1, "2026-01-31 23:30", "completed", "web", 0, 0, 0, [(1, 10.0, 5.0)])])
    london = planning(orders, lines, as_of=AS_OF, time_zone="Europe/London")
    paris = planning(orders, lines, as_of=AS_OF, time_zone="Europe/Paris")
    assert london.months[0].month == "2026-01"
    assert paris.months[0].month == "2026-02"


def test_channels_per_month():
    orders, lines = _frames(ROWS)
    channels = planning(orders, lines, as_of=AS_OF).channels
    assert {"channel": "market", "month": "2026-02", "orders": 1, "sales": 60.0} in channels
    assert {"channel": "web", "month": "2026-02", "orders": 0, "sales": -10.0} in channels


def test_empty_and_one_day_data_are_insufficient_never_an_error():
    empty_orders, empty_lines = _frames([])
    assert planning(empty_orders, empty_lines, as_of=AS_OF).insufficient
    orders, lines = _frames([(1, "2026-03-02 10:00", "completed", "web", 0, 0, 0, [(1, 10.0, 5.0)])])
    result = planning(orders, lines, as_of=AS_OF)
    assert result.insufficient and result.projection is None and len(result.months) == 1


def _monthly(values, start="2023-01"):
    """One order per month with the given sales, costs known at half the price."""
    rows = []
    for index, (period, value) in enumerate(
        zip(pd.period_range(start, periods=len(values), freq="M"), values, strict=False)
    ):
        rows.append((index + 1, f"{period.start_time:%Y-%m}-10 10:00", "completed", "web", 0, 0, 0,
                     [(1, float(value), float(value) / 2)]))  # fmt: skip
    return _frames(rows)


def test_comparisons():
    # 24 complete months 2024-01..2025-12 with sales 100..123, then as of 15 January 2026.
    orders, lines = _monthly(range(100, 124), start="2024-01")
    result = planning(orders, lines, as_of=datetime.date(2026, 1, 15))
    comparisons = {c.key: c for c in result.comparisons}
    assert (comparisons["month_on_month"].current, comparisons["month_on_month"].previous) == (123.0, 122.0)
    assert comparisons["year_on_year"].label_previous == "2024-12"
    assert comparisons["year_on_year"].change_pct == round(100 * (123 - 111) / 111, 1)
    six = comparisons["last_6_vs_previous_6"]
    assert (six.current, six.previous) == (sum(range(118, 124)), sum(range(112, 118)))
    ytd = comparisons["year_to_date"]
    assert (ytd.current, ytd.previous) == (0.0, 112.0)  # 1–15 Jan 2026: none; 1–15 Jan 2025: the 10 Jan order


def test_projection_of_a_steady_trend_chooses_drift():
    orders, lines = _monthly([100 + 10 * i for i in range(8)])  # 2023-01..2023-08
    projection = planning(orders, lines, as_of=datetime.date(2023, 9, 5)).projection
    assert (projection.month, projection.method, projection.value) == ("2023-09", "drift", 180.0)
    assert projection.low == projection.high == 180.0  # a perfect backtest


def test_projection_of_a_seasonal_series_uses_last_year():
    pattern = [100, 80, 90, 120, 150, 200, 260, 240, 170, 130, 110, 300]
    orders, lines = _monthly(pattern + pattern)  # 24 months, no trend
    projection = planning(orders, lines, as_of=datetime.date(2025, 1, 10)).projection
    assert projection.month == "2025-01"
    assert projection.method in ("seasonal_naive", "holt_winters")
    assert projection.value == pytest.approx(100, abs=5)


def test_partial_months_are_never_used_to_fit():
    orders, lines = _monthly([100, 100, 100, 100, 100])  # Jan..May 2023
    extra_orders, extra_lines = _frames([(99, "2023-06-02 10:00", "completed", "web", 0, 0, 0, [(1, 5000.0, 1.0)])])
    orders = pd.concat([orders, extra_orders], ignore_index=True)
    lines = pd.concat([lines, extra_lines], ignore_index=True)
    projection = planning(orders, lines, as_of=datetime.date(2023, 6, 10)).projection
    assert (projection.month, projection.value) == ("2023-06", 100.0)


_row = st.tuples(
    st.datetimes(
        min_value=pd.Timestamp("2025-01-01").to_pydatetime(), max_value=pd.Timestamp("2026-03-15").to_pydatetime()
    ),
    st.sampled_from(["completed", "completed", "cancelled", "refunded"]),
    st.integers(-3, 5).filter(bool),
    st.floats(0, 200, allow_nan=False).map(lambda v: round(v, 2)),
    st.one_of(st.none(), st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 2))),
    st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 2)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_row, max_size=25))
def test_monthly_sales_add_up_to_total_sales(rows):
    frames = _frames(
        [
            (i, f"{at:%Y-%m-%d %H:%M}", status, "web", disc, 0, 0, [(q, p, c)])
            for i, (at, status, q, p, c, disc) in enumerate(rows)
        ]
    )
    result = planning(*frames, as_of=AS_OF)
    live = [r for r in rows if r[1] != "cancelled"]
    total = sum(q * p - disc for _, _, q, p, _, disc in live)
    assert sum(m.sales for m in result.months) == pytest.approx(total, abs=0.01 * (len(rows) + 1))
    assert all(m.profit == pytest.approx(m.sales - m.cost, abs=0.011) for m in result.months)
