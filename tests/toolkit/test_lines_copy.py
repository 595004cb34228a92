"""The columnar copy of an SME's order lines: the same frame as the rows, kept up to date, and the same report."""

import datetime
import json
from decimal import Decimal

import pandas as pd
import pytest

from connectors.models import Order, Product
from connectors.records import OrderLineRecord, OrderRecord, ProductRecord
from connectors.writer import write_orders, write_products
from toolkit import lines_copy, report, selectors
from toolkit.models import LinesCopy

from .factories import build_small_shop

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def shop(settings):
    settings.TOOLKIT_LINES_COPY_MIN_LINES = 1  # every SME with a line keeps a copy
    return build_small_shop()


def _same_frame(sme):
    """The frame from the copy is exactly the rows' frame; returns the copy's row."""
    pd.testing.assert_frame_equal(lines_copy.lines_frame(sme), selectors.lines_frame(sme), check_exact=True)
    return LinesCopy.objects.get(sme=sme)


def _order(external_id, month, lines, **fields):
    return OrderRecord(
        external_id=external_id, placed_at=datetime.datetime(2026, month, 8, 9, tzinfo=UTC), customer_country="GB",
        lines=[OrderLineRecord(line_key=str(n), **line) for n, line in enumerate(lines, start=1)], **fields,
    )  # fmt: skip


def test_the_first_read_keeps_a_copy_then_reads_it_and_writes_nothing(shop, django_assert_max_num_queries):
    copy = _same_frame(shop)
    assert copy.lines == 5
    written = copy.updated_at
    with django_assert_max_num_queries(3):  # the orders' times, the copy, the products
        frame = lines_copy.lines_frame(shop)
    assert len(frame) == 5
    assert LinesCopy.objects.get(sme=shop).updated_at == written  # nothing changed: not written again


def test_added_changed_and_removed_orders_and_products_are_followed(shop):
    _same_frame(shop)
    source = shop.data_sources.get()
    write_products(source, [ProductRecord(external_id="2", sku="PLATE", title="Plate", price=Decimal("20"))])
    new = _order("6", 4, [{"sku": "PLATE", "quantity": 2, "unit_price": Decimal("19.5"), "description": "Plate"},
                          {"sku": "", "quantity": 1, "unit_price": Decimal("3"), "description": "Gift wrap",
                           "unit_cost": Decimal("1.25")}])  # fmt: skip
    write_orders(source, [new])
    assert _same_frame(shop).lines == 7  # an order added
    changed = _order("2", 1, [{"sku": "MUG", "quantity": -1, "unit_price": Decimal("10.01")}])
    write_orders(source, [changed])
    assert _same_frame(shop).lines == 7  # an order's lines replaced (two lines → one is 7 - 1 + 1)
    Order.objects.filter(sme=shop, external_id="3").delete()
    assert _same_frame(shop).lines == 6  # an order removed: its line with it
    Product.objects.filter(sme=shop, sku="MUG").delete()  # the lines' product becomes null
    frame = lines_copy.lines_frame(shop)
    pd.testing.assert_frame_equal(frame, selectors.lines_frame(shop), check_exact=True)
    assert frame["product_id"].isna().sum() == 5


def test_the_report_is_the_same_with_or_without_the_copy(shop, settings):
    source = shop.data_sources.get()
    line = {"sku": "MUG", "unit_price": Decimal("9.99")}
    write_orders(
        source,
        [_order(str(n), 1 + n % 3, [{**line, "quantity": n, "description": f"Mug n° {n % 4}"}]) for n in range(6, 40)],
    )
    as_of = datetime.date(2026, 4, 2)
    settings.TOOLKIT_LINES_COPY_MIN_LINES = 10**9
    without = json.dumps(report.compute(shop, as_of=as_of), sort_keys=True)
    assert not LinesCopy.objects.exists()
    settings.TOOLKIT_LINES_COPY_MIN_LINES = 1
    assert json.dumps(report.compute(shop, as_of=as_of), sort_keys=True) == without  # copy made
    assert json.dumps(report.compute(shop, as_of=as_of), sort_keys=True) == without  # copy read
    assert LinesCopy.objects.filter(sme=shop, lines=39).exists()


def test_an_sme_below_the_size_drops_its_copy(shop, settings):
    _same_frame(shop)
    settings.TOOLKIT_LINES_COPY_MIN_LINES = 100
    write_orders(shop.data_sources.get(), [_order("9", 2, [{"sku": "MUG", "quantity": 1, "unit_price": Decimal("1")}])])
    assert len(lines_copy.lines_frame(shop)) == 6
    assert not LinesCopy.objects.filter(sme=shop).exists()


def test_the_copy_keeps_texts_and_nulls_exactly():
    columns = {
        "id": pd.Series([3, 4, 9]).to_numpy(), "order_id": pd.Series([1, 1, 2]).to_numpy(),
        "product_id": pd.Series([lines_copy.NULL, 7, 7]).to_numpy(), "quantity": pd.Series([1, -2, 3]).to_numpy(),
        "unit_price": pd.Series([1.5, 0.1, 2.0]).to_numpy(),
        "unit_cost": pd.Series([float("nan"), 0.3, 1.0]).to_numpy(),
        "sku": pd.Series(["", "A\x1f,\"", "A\x1f,\""], dtype=object).to_numpy(),
        "description": pd.Series(["é ☃", "", "NA"], dtype=object).to_numpy(),
    }  # fmt: skip
    decoded, ids, times = lines_copy.decode(lines_copy.encode(columns, pd.Series([1, 2]).to_numpy(),
                                                              pd.Series([10, 20]).to_numpy()))  # fmt: skip
    assert ids.tolist() == [1, 2] and times.tolist() == [10, 20]
    for name, values in columns.items():
        assert pd.Series(decoded[name]).equals(pd.Series(values)), name
