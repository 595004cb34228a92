"""Business growth and market assessment on small inline frames, hand-computed, and properties."""

import datetime

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.analyses.growth import growth, growth_periods
from toolkit.analyses.market import market
from toolkit.analyses.planning import planning

D = datetime.date


def _frames(rows, *, channel="web"):
    """rows: (order id, day, country, [(product id, sku, qty, price, cost|None)], discount)"""
    orders = pd.DataFrame(
        [
            {"id": oid, "external_id": f"#{oid}", "placed_at": pd.Timestamp(f"{day} 12:00", tz="UTC"),
             "status": "completed", "channel": channel, "customer_country": country, "discounts": disc,
             "refunds": 0, "fees": 0}
            for oid, day, country, _, disc in rows
        ],
        columns=["id", "external_id", "placed_at", "status", "channel", "customer_country", "discounts", "refunds",
                 "fees"],
    )  # fmt: skip
    lines = pd.DataFrame(
        [
            {"order_id": oid, "product_id": pid, "sku": sku, "description": sku, "quantity": q, "unit_price": p,
             "unit_cost": np.nan if c is None else c}
            for oid, _, _, items, _ in rows
            for pid, sku, q, p, c in items
        ],
        columns=["order_id", "product_id", "sku", "description", "quantity", "unit_price", "unit_cost"],
    )  # fmt: skip
    return orders, lines


# --- growth ------------------------------------------------------------------------------------------


def test_order_profits_flag_losses_and_the_most_profitable():
    rows = [
        (1, "2026-02-02", "GB", [(1, "MUG", 2, 10.0, 4.0)], 0),  # 20 − 8 = 12
        (2, "2026-02-05", "FR", [(1, "MUG", 1, 10.0, 4.0)], 8),  # 10 − 8 − 4 = −2: loss
        (3, "2026-02-09", "GB", [(2, "BOWL", 1, 40.0, None)], 0),  # 40 − 40 × 0.6 = 16, estimated
        (4, "2026-03-01", "GB", [(2, "BOWL", 5, 40.0, 10.0)], 0),  # outside February
    ]
    result = growth(*_frames(rows), start=D(2026, 2, 1), end=D(2026, 2, 28), default_margin=0.4)
    assert [(o.external_id, o.sales, o.cost, o.profit, o.cost_estimated, o.flag) for o in result.orders] == [
        ("#1", 20.0, 8.0, 12.0, False, ""),
        ("#2", 2.0, 4.0, -2.0, False, "loss"),
        ("#3", 40.0, 24.0, 16.0, True, "top"),
    ]


def test_products_by_sales_with_margin():
    rows = [
        (1, "2026-02-02", "GB", [(1, "MUG", 2, 10.0, 4.0), (2, "BOWL", 1, 40.0, 30.0)], 0),
        (2, "2026-02-05", "FR", [(1, "MUG", 3, 10.0, 4.0)], 0),
    ]
    result = growth(*_frames(rows), start=D(2026, 2, 1), end=D(2026, 2, 28))
    got = [(p.label, p.orders, p.units, p.sales, p.cost, p.profit, p.margin_pct) for p in result.products]
    assert got == [("MUG", 2, 5, 50.0, 20.0, 30.0, 60.0), ("BOWL", 1, 1, 40.0, 30.0, 10.0, 25.0)]


def test_each_period_of_the_month_picker_agrees_with_growth_over_its_dates():
    # Products sold across months (ids, and one line with only a SKU), so that a period's
    # figures are sums over its months; the presets must agree with growth() over their dates.
    rows = [
        (1, "2026-01-10", "GB", [(7, "MUG", 2, 10.0, 4.0), (3, "BOWL", 1, 40.0, None)], 0),
        (2, "2026-02-05", "FR", [(7, "MUG", 1, 10.0, 4.0), (None, "TAG", 4, 1.5, 0.5)], 0),
        (3, "2026-03-03", "GB", [(3, "BOWL", 2, 40.0, 10.0), (7, "MUG", 1, 10.0, 4.0)], 5),
        (4, "2026-03-20", "GB", [(12, "VASE", 1, 25.0, 30.0)], 0),
    ]
    orders, lines = _frames(rows)
    periods = growth_periods(orders, lines, months=["2026-01", "2026-02", "2026-03"])
    assert [p.key for p in periods] == ["2026-03", "2026-02", "2026-01", "last_3"]
    for period in periods:
        expected = growth(orders, lines, start=period.start, end=period.end)
        assert [(o.external_id, o.profit, o.flag) for o in period.orders] == [
            (o.external_id, o.profit, o.flag) for o in expected.orders
        ]
        assert period.products == expected.products
        assert period.products_count == len(expected.products)
    last_3 = periods[-1]
    mug = next(p for p in last_3.products if p.label == "MUG")
    assert (mug.key, mug.orders, mug.units, mug.sales) == ("p7", 3, 4, 40.0)
    assert [p.key for p in last_3.products if p.profit < 0] == ["p12"]


def test_target_progress_and_projection_from_the_trend():
    rows = [
        (i + 1, f"2025-{m:02d}-10", "GB", [(1, "MUG", 1, 100.0 + 10 * i, 50.0)], 0) for i, m in enumerate(range(7, 13))
    ]
    orders, lines = _frames(rows)  # monthly sales 100, 110, …, 150 from July to December 2025
    monthly = planning(orders, lines, as_of=D(2026, 1, 5)).months
    result = growth(orders, lines, start=D(2025, 12, 1), end=D(2025, 12, 31), monthly=monthly,
                    targets=[("sales", 200.0, D(2026, 6, 30)), ("sales", 300.0, D(2026, 3, 31))])  # fmt: skip
    on_track, far = result.targets
    assert (on_track.current, on_track.progress_pct) == (150.0, 75.0)
    assert on_track.projected == 210.0 and on_track.on_track is True  # June: 150 + 6 × 10
    assert far.projected == 180.0 and far.on_track is False


def test_growth_of_nothing_is_empty_not_an_error():
    orders, lines = _frames([])
    result = growth(orders, lines, start=D(2026, 1, 1), end=D(2026, 1, 31), targets=[("sales", 10.0, D(2026, 6, 1))])
    assert result.orders == [] and result.products == [] and result.targets[0].current is None


# --- market --------------------------------------------------------------------------------------------


def _products(*rows):
    return pd.DataFrame(
        [
            {"id": pid, "title": title, "stock_tracked": tracked, "stock_quantity": stock}
            for pid, title, tracked, stock in rows
        ]
    )


NO_VIEWS = pd.DataFrame(columns=["product_id", "date", "views"])


def test_opportunity_groups_by_the_documented_rules():
    rows = []
    n = 0
    # Product 1: 8 orders spread over the window, steady → strong.
    for day in [
        "2026-01-05",
        "2026-01-15",
        "2026-01-25",
        "2026-02-05",
        "2026-02-20",
        "2026-03-01",
        "2026-03-10",
        "2026-03-20",
    ]:
        n += 1
        rows.append((n, day, "GB", [(1, "MUG", 1, 10.0, 4.0)], 0))
    # Product 2: 1 order early, 2 late → growing with 3 orders → good.
    for day in ["2026-01-10", "2026-03-05", "2026-03-25"]:
        n += 1
        rows.append((n, day, "FR", [(2, "BOWL", 1, 30.0, 10.0)], 0))
    # Product 3: first sale in the second half → potential.
    n += 1
    rows.append((n, "2026-03-15", "FR", [(3, "JUG", 1, 25.0, 9.0)], 0))
    # Product 4: 8 orders but out of stock → not strong; steady, no views → not listed.
    for day in [
        "2026-01-06",
        "2026-01-16",
        "2026-01-26",
        "2026-02-06",
        "2026-02-21",
        "2026-03-02",
        "2026-03-11",
        "2026-03-21",
    ]:
        n += 1
        rows.append((n, day, "GB", [(4, "PLATE", 1, 12.0, 5.0)], 0))
    orders, lines = _frames(rows)
    products = _products((1, "Mug", True, 20), (2, "Bowl", False, None), (3, "Jug", True, 5), (4, "Plate", True, 0))
    result = market(orders, lines, products, NO_VIEWS, as_of=D(2026, 3, 31))
    assert [(o.group, o.label, o.orders, o.action) for o in result.opportunities] == [
        ("strong", "Mug", 8, "keep_in_stock_and_feature"),
        ("good", "Bowl", 3, "improve_listing_and_promote"),
        ("potential", "Jug", 1, "test_in_new_market"),
    ]
    mug = result.opportunities[0]
    assert mug.sell_through == round(8 / 28, 4)
    assert result.start == D(2026, 1, 1)


def test_views_bring_conversion_and_potential():
    orders, lines = _frames([(1, "2026-03-01", "GB", [(1, "MUG", 1, 10.0, 4.0)], 0)])
    analytics = pd.DataFrame(
        [{"product_id": 1, "date": D(2026, 3, 1), "views": 40}, {"product_id": 2, "date": D(2026, 3, 2), "views": 300}]
    )
    products = _products((1, "Mug", False, None), (2, "Scarf", False, None))
    opportunities = {o.label: o for o in market(orders, lines, products, analytics, as_of=D(2026, 3, 31)).opportunities}
    assert opportunities["Scarf"].group == "potential" and opportunities["Scarf"].conversion == 0.0
    assert opportunities["Mug"].conversion == 0.025


def test_markets_per_country_and_channel_with_growth_and_share():
    rows = [
        (1, "2025-12-10", "GB", [(1, "MUG", 1, 100.0, 40.0)], 0),  # previous window
        (2, "2026-02-10", "GB", [(1, "MUG", 1, 150.0, 40.0)], 0),
        (3, "2026-03-10", "FR", [(1, "MUG", 1, 50.0, 40.0)], 0),
    ]
    result = market(*_frames(rows), _products((1, "Mug", False, None)), NO_VIEWS, as_of=D(2026, 3, 31))
    countries = [
        (m.key, m.sales, m.orders, m.growth_pct, m.share_pct) for m in result.markets if m.dimension == "country"
    ]
    assert countries == [("GB", 150.0, 1, 50.0, 75.0), ("FR", 50.0, 1, None, 25.0)]
    assert [(m.key, m.share_pct) for m in result.markets if m.dimension == "channel"] == [("web", 100.0)]


def test_market_windows_are_local_days_at_both_edges():
    # Kiritimati is UTC+14: an order at 11:00 UTC on 31 January is 1 February there (in the
    # window), one at 11:00 UTC on 10 February is the 11th (after it), and one at 09:00 UTC on
    # 21 January is the 21st (before the previous window). Orders far away are never valued.
    rows = [
        (1, "2026-01-21", "DE", [(1, "MUG", 1, 70.0, 40.0)], 0),
        (2, "2026-01-22", "GB", [(1, "MUG", 1, 40.0, 20.0)], 0),
        (3, "2026-01-31", "FR", [(1, "MUG", 1, 30.0, 20.0)], 0),
        (4, "2026-02-10", "ES", [(1, "MUG", 1, 90.0, 20.0)], 0),
        (5, "2024-06-01", "IT", [(1, "MUG", 1, 10.0, 5.0)], 0),
    ]
    orders, lines = _frames(rows)
    orders["placed_at"] = [pd.Timestamp(t, tz="UTC") for t in (
        "2026-01-21 09:00", "2026-01-22 09:00", "2026-01-31 11:00", "2026-02-10 11:00", "2024-06-01 12:00"
    )]  # fmt: skip
    result = market(orders, lines, _products((1, "Mug", False, None)), NO_VIEWS, as_of=D(2026, 2, 10),
                    window_days=10, time_zone="Pacific/Kiritimati")  # fmt: skip
    assert (result.start, result.end) == (D(2026, 2, 1), D(2026, 2, 10))
    countries = [(m.key, m.sales, m.previous_sales) for m in result.markets if m.dimension == "country"]
    assert countries == [("FR", 30.0, 0.0)]


def test_market_of_nothing_is_empty():
    orders, lines = _frames([])
    result = market(orders, lines, _products(), NO_VIEWS, as_of=D(2026, 3, 31))
    assert result.opportunities == [] and result.markets == []


_sales = st.lists(
    st.tuples(st.integers(1, 6), st.integers(0, 89), st.integers(1, 4), st.sampled_from(["GB", "FR", "DE"])),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(_sales, st.lists(st.tuples(st.integers(1, 6), st.integers(0, 500)), max_size=6))
def test_opportunity_groups_are_disjoint_and_shares_add_up(sales, stock):
    as_of = D(2026, 3, 31)
    rows = [
        (i + 1, f"{as_of - datetime.timedelta(days=day):%Y-%m-%d}", country, [(pid, f"S{pid}", qty, 10.0, 4.0)], 0)
        for i, (pid, day, qty, country) in enumerate(sales)
    ]
    stocks = dict(stock)
    products = _products(*[(pid, f"P{pid}", pid in stocks, stocks.get(pid)) for pid in range(1, 7)])
    result = market(*_frames(rows), products, NO_VIEWS, as_of=as_of)
    ids = [o.product_id for o in result.opportunities]
    assert len(ids) == len(set(ids))
    for dimension in ("country", "channel"):
        shares = [m.share_pct for m in result.markets if m.dimension == dimension]
        if shares:
            assert abs(sum(shares) - 100) <= 0.1 * len(shares)
