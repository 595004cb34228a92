"""The fast paths of market, planning and inventory give what the plain pandas way gives."""

import datetime
import re

import numpy as np
import pandas as pd
import pytest

from toolkit.analyses import market as market_module
from toolkit.analyses import planning as planning_module
from toolkit.analyses.inventory import FAILED, PASSED, check_outcomes
from toolkit.analyses.market import market
from toolkit.analyses.planning import planning

D = datetime.date


@pytest.mark.parametrize("shuffled", [False, True])
def test_sums_on_codes_are_a_groupby_on_the_keys_to_the_last_bit(shuffled):
    # Sorted keys take pandas' reduceat path, shuffled ones its compensated sum: the codes must too.
    rng = np.random.default_rng(7)
    keys = np.sort(rng.integers(0, 300, 20_000)) * 3 + 1000
    values = rng.normal(0, 1e4, len(keys)).round(2) * rng.choice([1, 0.6, 1 / 3], len(keys))
    if shuffled:
        order = rng.permutation(len(keys))
        keys, values = keys[order], values[order]
    expected = pd.Series(values).groupby(keys).sum()
    codes, uniques = pd.factorize(keys, sort=True)
    got = market_module._sums(values, codes, len(uniques))
    assert np.array_equal(got, expected.to_numpy())
    both = planning_module._sums({"a": values, "b": -values}, codes, len(uniques))
    assert np.array_equal(both["a"], expected.to_numpy()) and np.array_equal(both["b"], -expected.to_numpy())


@pytest.mark.parametrize(
    "values",
    [
        np.array([5.0, 3.0, np.float64(3), 12.0, 5.0]),  # product ids as floats (a NaN was dropped)
        np.array([7, 2, 2, 9]),
        np.array([1.0, 9e15, 1.0]),  # too wide a range for a table: hashed
        np.array([1.5, 0.5, 1.5]),  # not whole numbers: hashed
    ],
)
def test_product_codes_are_factorize_sorted(values):
    codes, uniques = market_module._codes(values)
    expected_codes, expected_uniques = pd.factorize(values, sort=True)
    assert codes.tolist() == expected_codes.tolist()
    assert np.asarray(uniques).tolist() == np.asarray(expected_uniques).tolist()
    assert np.asarray(uniques).dtype == values.dtype


def _orders_and_lines(rng, count=300):
    ids = rng.permutation(np.arange(1, count + 1) * 7)  # ids not in order
    orders = pd.DataFrame(
        {
            "id": ids,
            "placed_at": pd.Timestamp("2026-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(-150, 90, count), unit="D"),
            "status": rng.choice(["completed", "completed", "cancelled"], count),
            "channel": rng.choice(["web", "", "shop"], count),
            "customer_country": pd.Series(rng.choice(["GB", "FR", ""], count)).where(rng.random(count) > 0.2, None),
            "discounts": rng.choice([0.0, 2.5], count),
            "refunds": 0.0,
            "fees": rng.choice([0.0, 0.35], count),
        }
    )
    rows = [
        {
            "order_id": oid,
            "product_id": float(rng.integers(1, 12)),
            "quantity": int(rng.choice([1, 2, 5, -1])),
            "unit_price": float(rng.choice([1.15, 2.55, 9.99])),
            "unit_cost": float("nan") if rng.random() < 0.4 else 0.8,
        }
        for oid in ids
        for _ in range(rng.integers(0, 6))
    ]
    return orders, pd.DataFrame(rows)


def test_planning_does_not_depend_on_the_order_of_the_lines():
    orders, lines = _orders_and_lines(np.random.default_rng(3))
    shuffled = lines.sample(frac=1, random_state=5).reset_index(drop=True)
    by_order = lines.sort_values("order_id", kind="stable").reset_index(drop=True)
    results = [planning(orders, frame, as_of=D(2026, 3, 20), default_margin=0.35) for frame in (shuffled, by_order)]
    assert results[0].months == results[1].months and results[0].channels == results[1].channels
    assert results[0].comparisons == results[1].comparisons
    # Cancelled orders count for nothing, the others by their own lines only.
    live = orders[(orders["status"] != "cancelled") & (orders["placed_at"] < pd.Timestamp("2026-03-21", tz="UTC"))]
    sold = lines[lines["order_id"].isin(live["id"]) & (lines["quantity"] > 0)]["order_id"].nunique()
    assert sum(m.orders for m in results[0].months) == sold


def test_market_keys_merge_empty_and_missing_into_one_dash():
    orders, lines = _orders_and_lines(np.random.default_rng(11))
    result = market(orders, lines, pd.DataFrame(columns=["id", "title", "stock_tracked", "stock_quantity"]),
                    pd.DataFrame(columns=["product_id", "date", "views"]), as_of=D(2026, 3, 20))  # fmt: skip
    countries = [m.key for m in result.markets if m.dimension == "country"]
    assert sorted(countries) == ["FR", "GB", "—"]
    placed = orders["placed_at"]
    window = (placed >= pd.Timestamp("2025-12-21", tz="UTC")) & (placed < pd.Timestamp("2026-03-21", tz="UTC"))
    recent = orders[(orders["status"] != "cancelled") & window]
    recent = recent[recent["id"].isin(lines["order_id"])]
    dash = next(m.orders for m in result.markets if m.dimension == "country" and m.key == "—")
    assert dash == int(recent["customer_country"].fillna("").eq("").sum())


def test_holt_winters_fit_options_still_find_a_seasonal_series_with_trend():
    # The fast fit (no grid search, least squares) must still recover what the model describes.
    pattern = np.array([100, 80, 90, 120, 150, 200, 260, 240, 170, 130, 110, 300], dtype=float)
    series = np.tile(pattern, 4)[:37] + 3.0 * np.arange(37)
    assert planning_module._holt_winters(series[:36]) == pytest.approx(series[36], rel=0.01)


@pytest.mark.parametrize(
    "title",
    ["MUG 12 × 3", "CAFÉ ÉTÉ GLAZE MUG", "Straße mug", "STRASSE MUG ß", "12 345", "ÀÉÎ", "mug ā", "MUG Ā", "×÷"],
)
def test_all_caps_is_the_letters_rule(title):
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", title)
    all_caps = len(letters) > 0 and letters == letters.upper()
    product = {"id": 1, "title": title, "description": "", "price": 1, "images": [], "gtin": "", "brand": "",
               "mpn": "", "sku": "S", "stock_tracked": False, "stock_quantity": None, "status": "active"}  # fmt: skip
    outcome = check_outcomes(pd.DataFrame([product])).iloc[0]["title_not_all_caps"]
    assert outcome == (FAILED if all_caps else PASSED)
