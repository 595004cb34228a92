"""The frames the analyses read: exact values, types and row order, on SQLite and on PostgreSQL.

On PostgreSQL the orders and lines come packed one value per column (``_packed_frame``); the
frames must be exactly those the plain ``COPY`` in CSV gives (``_copy_frame``), whatever the text
(commas, quotes, new lines, "NA", empty, the packing separator) and the money (cents, nulls, NaN).
"""

import datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from django.db import connection

from connectors.models import DataSource, Order, OrderLine, SourceKind
from tests.connectors.factories import DataSourceFactory, OrderFactory, ProductFactory
from tests.journey.factories import SMEFactory
from toolkit import selectors

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads packed columns")

UTC = datetime.UTC
TEXTS = ["plain", 'say "hi", then go', "two\nlines", "NA", "", "NULL", "nan", "é€ — ü", "\t", " spaced "]


def _lines_frame_by_copy(sme):
    lines = selectors._lines_of(sme).order_by()
    frame = selectors._copy_frame(lines, selectors.LINE_COLUMNS, selectors.LINE_MONEY, selectors.LINE_TEXT)
    for name in selectors.LINE_MONEY:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame.sort_values("id", kind="stable", ignore_index=True)


def _orders_frame_by_copy(sme):
    orders = Order.objects.filter(sme=sme).order_by("placed_at", "pk")
    frame = selectors._copy_frame(orders, selectors.ORDER_COLUMNS, selectors.ORDER_MONEY, selectors.ORDER_TEXT)
    for name in selectors.ORDER_MONEY:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    frame["placed_at"] = pd.to_datetime(frame["placed_at"], utc=True, format="ISO8601").dt.as_unit("us")
    return frame


@pytest.fixture
def shop():
    sme = SMEFactory()
    source = DataSourceFactory(sme=sme, kind=SourceKind.FILE)
    mug = ProductFactory(source=source, external_id="mug", sku="MUG", title="Mug")
    return sme, source, mug


def test_lines_keep_their_text_money_and_nulls_in_id_order(shop):
    sme, source, mug = shop
    late = OrderFactory(source=source, external_id="late", placed_at=datetime.datetime(2024, 5, 2, tzinfo=UTC))
    early = OrderFactory(source=source, external_id="early", placed_at=datetime.datetime(2024, 5, 1, tzinfo=UTC))
    prices = ["0.29", "-0.01", "9999999999.99", "0.10", "1234.57", "0.07", "2.55", "0.00", "100", "19.99"]
    for n, (text, price) in enumerate(zip(TEXTS, prices, strict=True)):
        OrderLine.objects.create(
            order=late if n % 2 else early,  # the orders' lines interleave
            line_key=str(n),
            product=mug if n % 3 else None,
            sku=text,
            description=TEXTS[-1 - n],
            quantity=n - 4,
            unit_price=Decimal(price),
            unit_cost=Decimal(prices[-1 - n]) if n % 4 else None,
        )
    other = SMEFactory()  # another SME's line is not read
    other_source = DataSource.objects.create(sme=other, kind="file")
    other_order = OrderFactory(
        source=other_source, external_id="x", placed_at=datetime.datetime(2024, 5, 1, tzinfo=UTC)
    )
    OrderLine.objects.create(order=other_order, line_key="1", sku="X", quantity=1, unit_price=Decimal("1"))

    frame = selectors.lines_frame(sme)

    ids = list(OrderLine.objects.filter(order__sme=sme).order_by("pk").values_list("pk", flat=True))
    assert frame["id"].tolist() == ids
    assert list(frame.columns) == selectors.LINE_COLUMNS
    assert frame.index.equals(pd.RangeIndex(len(ids)))
    assert frame["sku"].tolist() == TEXTS
    assert frame["description"].tolist() == TEXTS[::-1]
    assert frame["order_id"].tolist() == [late.pk if n % 2 else early.pk for n in range(10)]
    assert frame["quantity"].tolist() == [n - 4 for n in range(10)]
    assert frame["unit_price"].tolist() == [float(p) for p in prices]
    costs = frame["unit_cost"].tolist()
    for n in range(10):
        expected = float(prices[-1 - n]) if n % 4 else None
        assert np.isnan(costs[n]) if expected is None else costs[n] == expected, (n, costs[n])
    products = frame["product_id"].tolist()
    assert [None if np.isnan(p) else int(p) for p in products] == [mug.pk if n % 3 else None for n in range(10)]
    assert frame["unit_price"].dtype == np.float64 and frame["unit_cost"].dtype == np.float64
    assert frame["product_id"].dtype == np.float64  # some lines have no product
    assert frame["id"].dtype == np.int64 and frame["quantity"].dtype == np.int64
    if connection.vendor == "postgresql":
        pd.testing.assert_frame_equal(frame, _lines_frame_by_copy(sme), check_exact=True)


def test_orders_are_in_time_then_id_order_with_exact_money(shop):
    sme, source, _ = shop
    noon = datetime.datetime(2024, 3, 10, 12, 0, 0, 123456, tzinfo=UTC)
    paris = datetime.timezone(datetime.timedelta(hours=1))
    b = OrderFactory(source=source, external_id="b", placed_at=noon, discounts=Decimal("0.29"), fees=Decimal("-3.10"))
    a = OrderFactory(
        source=source, external_id='a,"quoted"', placed_at=noon - datetime.timedelta(days=400), refunds=Decimal("12.34")
    )
    c = OrderFactory(
        source=source, external_id="NA", placed_at=noon, shipping=Decimal("9999999999.99")
    )  # same time as b: after it
    d = OrderFactory(
        source=source, external_id="", placed_at=datetime.datetime(2024, 3, 10, 13, 0, 0, 123456, tzinfo=paris)
    )  # = noon UTC
    Order.objects.filter(pk=c.pk).update(channel="shop\nfront", customer_country="GB", currency="GBP")

    frame = selectors.orders_frame(sme)

    assert frame["id"].tolist() == [a.pk, b.pk, c.pk, d.pk]
    assert frame["external_id"].tolist() == ['a,"quoted"', "b", "NA", ""]
    assert frame["channel"].tolist() == ["", "", "shop\nfront", ""]
    assert str(frame["placed_at"].dtype) == "datetime64[us, UTC]"
    assert frame["placed_at"].tolist()[1:] == [pd.Timestamp(noon)] * 3
    assert frame["placed_at"].iloc[0] == pd.Timestamp(noon - datetime.timedelta(days=400))
    assert frame["discounts"].tolist() == [0.0, 0.29, 0.0, 0.0]
    assert frame["refunds"].tolist() == [12.34, 0.0, 0.0, 0.0]
    assert frame["shipping"].tolist() == [0.0, 0.0, 9999999999.99, 0.0]
    assert frame["fees"].tolist() == [0.0, -3.1, 0.0, 0.0]
    if connection.vendor == "postgresql":
        pd.testing.assert_frame_equal(frame, _orders_frame_by_copy(sme), check_exact=True)


def test_an_sme_without_orders_has_empty_frames_with_the_columns(shop):
    sme, _, _ = shop
    orders, lines = selectors.orders_frame(sme), selectors.lines_frame(sme)
    assert orders.empty and list(orders.columns) == selectors.ORDER_COLUMNS
    assert lines.empty and list(lines.columns) == selectors.LINE_COLUMNS
    if connection.vendor == "postgresql":
        pd.testing.assert_frame_equal(lines, _lines_frame_by_copy(sme))
        pd.testing.assert_frame_equal(orders, _orders_frame_by_copy(sme))


@postgresql
def test_lines_all_with_a_product_keep_integer_ids_as_copy_does(shop):
    sme, source, mug = shop
    order = OrderFactory(source=source, external_id="1", placed_at=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    for n in range(3):
        OrderLine.objects.create(order=order, line_key=str(n), product=mug, sku="MUG", quantity=1, unit_price=1)
    frame = selectors.lines_frame(sme)
    assert frame["product_id"].dtype == np.int64
    assert frame["unit_cost"].isna().all()
    pd.testing.assert_frame_equal(frame, _lines_frame_by_copy(sme), check_exact=True)


@postgresql
def test_a_nan_amount_reads_as_unknown_as_copy_does(shop):
    sme, source, _ = shop
    order = OrderFactory(source=source, external_id="1", placed_at=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    line = OrderLine.objects.create(order=order, line_key="1", sku="A", quantity=1, unit_price=Decimal("2.50"))
    with connection.cursor() as cursor:  # numeric allows NaN, which Django never writes
        cursor.execute("UPDATE connectors_orderline SET unit_cost = 'NaN' WHERE id = %s", [line.pk])
        cursor.execute("UPDATE connectors_order SET fees = 'NaN' WHERE id = %s", [order.pk])
    lines, orders = selectors.lines_frame(sme), selectors.orders_frame(sme)
    assert np.isnan(lines["unit_cost"].iloc[0]) and lines["unit_price"].iloc[0] == 2.5
    assert np.isnan(orders["fees"].iloc[0])
    pd.testing.assert_frame_equal(lines, _lines_frame_by_copy(sme), check_exact=True)
    pd.testing.assert_frame_equal(orders, _orders_frame_by_copy(sme), check_exact=True)


@postgresql
def test_text_with_the_separator_is_read_exactly_and_the_connection_stays_usable(shop):
    sme, source, _ = shop
    last = 3 * selectors.LINE_CHUNKS - 1
    for n in range(last + 1):  # many chunks; the separator in one of the last
        order = OrderFactory(source=source, external_id=str(n), placed_at=datetime.datetime(2024, 1, 1, tzinfo=UTC))
        sku = "a\x1fb" if n == last - 1 else f"S{n}"
        OrderLine.objects.create(order=order, line_key="1", sku=sku, quantity=1, unit_price=1)
    lines, chunks = selectors._lines_in_chunks(sme)
    with pytest.raises(selectors._Unpackable):
        selectors._packed_frame(lines, selectors.LINE_COLUMNS, chunks)
    frame = selectors.lines_frame(sme)  # through COPY, on the same connection
    assert frame["sku"].tolist()[-3:] == [f"S{last - 2}", "a\x1fb", f"S{last}"]
    pd.testing.assert_frame_equal(frame, _lines_frame_by_copy(sme), check_exact=True)


@postgresql
def test_lines_read_in_chunks_of_orders_some_without_lines(shop):
    sme, source, mug = shop
    expected = []
    for n in range(2 * selectors.LINE_CHUNKS):  # two orders a chunk; the first chunk has no line
        order = OrderFactory(
            source=source, external_id=str(n), placed_at=datetime.datetime(2024, 1, 1 + n % 28, tzinfo=UTC)
        )
        for k in range(n % 4 if n > 1 else 0):
            line = OrderLine.objects.create(
                order=order, line_key=str(k), product=mug if k else None, sku=f"S{n}-{k}", quantity=k,
                unit_price=Decimal(f"{n}.{k:02d}"), unit_cost=Decimal("0.01") if k == 2 else None,
            )  # fmt: skip
            expected.append(line.pk)
    frame = selectors.lines_frame(sme)
    assert frame["id"].tolist() == sorted(expected)
    pd.testing.assert_frame_equal(frame, _lines_frame_by_copy(sme), check_exact=True)


def test_the_refunds_frame_values_the_restocked_goods_at_their_line_cost():
    sme = SMEFactory()
    source = DataSource.objects.create(sme=sme, kind="file")
    order = Order.objects.create(
        sme=sme, source=source, external_id="1", placed_at=datetime.datetime(2026, 1, 5, tzinfo=UTC)
    )
    OrderLine.objects.create(order=order, line_key="a", sku="MUG", quantity=3, unit_price=Decimal("12"),
                             unit_cost=Decimal("4.50"))  # fmt: skip
    OrderLine.objects.create(order=order, line_key="b", sku="TEA", quantity=2, unit_price=Decimal("6"))
    from connectors.models import Refund

    Refund.objects.create(sme=sme, order=order, external_id="r1", refunded_at=datetime.datetime(2026, 2, 1, tzinfo=UTC),
                          amount=Decimal("30"), restocked=[{"line_key": "a", "quantity": 2},
                                                           {"line_key": "b", "quantity": 1},
                                                           {"line_key": "gone", "quantity": 5}])  # fmt: skip
    Refund.objects.create(sme=sme, order=order, external_id="r2", refunded_at=datetime.datetime(2026, 2, 2, tzinfo=UTC),
                          amount=Decimal("5"))  # fmt: skip
    frame = selectors.refunds_frame(sme)
    assert frame["restocked_cost"].tolist() == [9.0, 0.0]
    assert frame["restocked_uncosted"].tolist() == [6.0, 0.0]
    assert frame["amount"].tolist() == [30.0, 5.0]
