"""Growth's fast paths give what pandas gives: sums bit for bit, the report's plain rows, windows in any zone."""

import datetime
import json

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.analyses.common import valued_lines
from toolkit.analyses.growth import (
    LINE_COLUMNS,
    VALUED_COLUMNS,
    _group_sums,
    _starts,
    _sums_by,
    growth,
    growth_periods,
    growth_plain,
)
from toolkit.report import _plain

D = datetime.date
# Values whose sums differ in the last bits by summation order, and -0.0 (a return at price 0).
_values = st.sampled_from([0.1, 0.2, 0.3, 1.1, 2.2, -3.3, 1e16, -1e16, 1.0, -0.0, 0.0, 7.77])


def _bits(values) -> list[int]:
    return np.asarray(values, dtype=np.float64).view(np.int64).tolist()  # -0.0 and 0.0 differ


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), _values, _values, st.integers(-5, 5)), min_size=1, max_size=60),
       st.booleans(), st.booleans())  # fmt: skip
def test_group_sums_are_pandas_sums_bit_for_bit(rows, in_order, with_nan):
    if in_order:  # each group's rows together, groups in order: pandas takes numpy's reduceat
        rows = sorted(rows, key=lambda row: row[0])
    labels = np.array([row[0] for row in rows])
    labels = pd.factorize(labels, sort=True)[0]  # 0…n-1, as a groupby numbers its groups
    value, cost = np.array([row[1] for row in rows]), np.array([row[2] for row in rows])
    if with_nan:
        value[0] = np.nan  # pandas then sums with its Kahan kernel, NaN skipped
    units = np.array([row[3] for row in rows], dtype=np.int64)
    frame = pd.DataFrame({"units": units, "value": value, "cost": cost})
    expected = frame.groupby(labels).sum()
    count = labels.max() + 1
    got_units, got_value, got_cost = _group_sums(labels, count, units, value, cost)
    assert got_units.tolist() == expected["units"].tolist()
    assert _bits(got_value) == _bits(expected["value"]) and _bits(got_cost) == _bits(expected["cost"])
    # Each column on its own, as a Series.
    alone = _group_sums(labels, count, value, cost, each=True)
    assert _bits(alone[0]) == _bits(frame["value"].groupby(labels).sum())
    assert _bits(alone[1]) == _bits(frame["cost"].groupby(labels).sum())
    # The month picker's sums: rows grouped by code (a stable sort), in or out of order.
    by_code = np.argsort(labels, kind="stable")
    codes, (summed_value, summed_cost) = _sums_by(
        labels[by_code], [value[by_code], cost[by_code]], in_order=bool((labels[1:] >= labels[:-1]).all())
    )
    assert codes.tolist() == list(range(count)) and len(_starts(labels[by_code])) == count
    assert _bits(summed_value) == _bits(expected["value"]) and _bits(summed_cost) == _bits(expected["cost"])


def _shop(rows, *, shuffle: int = 0):
    """rows: (day offset, hour, [(product id | None, sku, description, quantity, price)], discount)."""
    orders, lines = [], []
    for number, (day, hour, items, discount) in enumerate(rows, start=1):
        placed = pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=day, hours=hour)
        orders.append({"id": number, "external_id": f"#{number}", "placed_at": placed, "status": "completed",
                       "channel": "web", "customer_country": "GB", "discounts": discount, "refunds": 0.0,
                       "fees": 0.0})  # fmt: skip
        for product_id, sku, description, quantity, price in items:
            lines.append({"order_id": number, "product_id": product_id, "sku": sku, "description": description,
                          "quantity": quantity, "unit_price": price, "unit_cost": np.nan})  # fmt: skip
    orders = pd.DataFrame(orders, columns=["id", "external_id", "placed_at", "status", "channel", "customer_country",
                                           "discounts", "refunds", "fees"])  # fmt: skip
    lines = pd.DataFrame(lines, columns=["order_id", "product_id", "sku", "description", "quantity", "unit_price",
                                         "unit_cost"])  # fmt: skip
    lines["product_id"] = lines["product_id"].astype(float)
    if shuffle and len(lines):  # lines not in order id order: other paths
        lines = lines.sample(frac=1, random_state=shuffle).reset_index(drop=True)
    return orders, lines


_line = st.tuples(st.sampled_from([1, 2, 3, 12, None]), st.sampled_from(["MUG", "", "BOWL"]),
                  st.sampled_from(["Mug", "", "Bowl", "bowl"]), st.integers(-2, 4),
                  st.sampled_from([0.0, 0.1, 0.2, 1.1, 2.2, 10.0]))  # fmt: skip
_order = st.tuples(st.integers(0, 100), st.integers(0, 23), st.lists(_line, min_size=1, max_size=4),
                   st.sampled_from([0.0, 0.0, 0.3]))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(_order, max_size=30), st.sampled_from([0, 3]), st.sampled_from(["UTC", "Pacific/Kiritimati"]))
def test_the_reports_plain_growth_is_the_dataclasses_made_plain(rows, shuffle, time_zone):
    orders, lines = _shop(rows, shuffle=shuffle)
    months = ["2026-01", "2026-02", "2026-03"]
    plain = growth_plain(orders, lines, start=D(2026, 2, 1), end=D(2026, 2, 28), months=months, time_zone=time_zone,
                         targets=[("sales", 10.0, D(2026, 6, 30))])  # fmt: skip
    grown = growth(orders, lines, start=D(2026, 2, 1), end=D(2026, 2, 28), time_zone=time_zone,
                   targets=[("sales", 10.0, D(2026, 6, 30))])  # fmt: skip
    periods = growth_periods(orders, lines, months=months, time_zone=time_zone)
    expected = {**_plain(grown), "periods": _plain(periods)}
    got = {**plain, "targets": _plain(plain["targets"])}
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)  # -0.0 included


def test_growth_values_only_the_orders_around_its_period_in_any_zone():
    # An order every three hours around the period's first and last local days: UTC+14 and
    # UTC-11 put many of them on other UTC days than their local ones.
    hours = [*range(28 * 24, 34 * 24, 3), *range(68 * 24, 73 * 24, 3)]
    rows = [(hour // 24, hour % 24, [(hour % 3 + 1, "MUG", "Mug", 1, 10.0 + hour % 7)], 0.0) for hour in hours]
    orders, lines = _shop(rows)
    for time_zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London"):
        items = valued_lines(orders, lines, time_zone=time_zone, margin=0.4)
        for start, end in ((D(2026, 1, 31), D(2026, 2, 1)), (D(2026, 2, 1), D(2026, 3, 11))):
            with_all = growth(orders, lines, start=start, end=end, time_zone=time_zone, items=items)
            windowed = growth(orders, lines, start=start, end=end, time_zone=time_zone)
            local_days = orders["placed_at"].dt.tz_convert(time_zone).dt.date
            assert len(windowed.orders) == ((local_days >= start) & (local_days <= end)).sum() > 0
            assert json.dumps(_plain(windowed)) == json.dumps(_plain(with_all))


def test_valued_lines_keep_the_lines_intact_and_add_only_the_columns_asked():
    orders, lines = _shop([(1, 10, [(1, "MUG", "Mug", 2, 10.0), (None, "TAG", "", 1, 1.5)], 0.0)])
    items = valued_lines(orders, lines, time_zone="UTC", margin=0.4)
    items.loc[items.index[0], "quantity"] = 99  # the lines' own column, taken as it is: copied on write
    items.iloc[0, items.columns.get_loc("sku")] = "CHANGED"
    assert lines["quantity"].tolist() == [2, 1] and lines["sku"].tolist() == ["MUG", "TAG"]
    lean = valued_lines(orders, lines, time_zone="UTC", margin=0.4, line_columns=LINE_COLUMNS,
                        valued_columns=VALUED_COLUMNS)  # fmt: skip
    full = valued_lines(orders, lines, time_zone="UTC", margin=0.4)
    assert list(lean.columns) == [*dict.fromkeys(["order_id", "quantity", "unit_price", "unit_cost", *LINE_COLUMNS]),
                                  *VALUED_COLUMNS]  # fmt: skip
    assert lean.equals(full[list(lean.columns)])
