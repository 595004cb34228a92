"""The shared writer's order paths: first write from plain values, re-write, updates, product links."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from connectors import writer
from connectors.models import DataSource, Order, OrderLine
from connectors.records import OrderLineRecord, ProductRecord
from connectors.writer import write_orders, write_products
from tests.connectors.factories import DataSourceFactory, OrderLineRecordFactory, OrderRecordFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def source():
    return DataSourceFactory()


def _order(external_id, *, status="completed", lines=None, placed_at=None):
    """A shipped order: two mugs and a returned cup, unless ``lines`` says otherwise."""
    return OrderRecordFactory(
        external_id=external_id,
        placed_at=placed_at or datetime.datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        status=status,
        shipping=Decimal("4.95"),
        lines=lines
        if lines is not None
        else [
            OrderLineRecordFactory(description="Mug"),
            OrderLineRecordFactory(
                line_key="2", quantity=-1, unit_price=Decimal("3.25"), sku="CUP-1", unit_cost=Decimal("1.10")
            ),
        ],
    )


def _stored(external_id):
    return list(
        OrderLine.objects.filter(order__external_id=external_id)
        .order_by("line_key")
        .values_list("line_key", "sku", "description", "quantity", "unit_price", "unit_cost", "product__sku")
    )


def test_new_orders_are_written_with_every_field_and_line(source):
    placed = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))

    counts = write_orders(source, [_order("#1", placed_at=placed), _order("#2", status="refunded")])

    assert (counts.created, counts.updated, counts.skipped) == (2, 0, 0)
    first = Order.objects.get(external_id="#1")
    assert (first.sme_id, first.source_id, first.status, first.currency, first.customer_country) == (
        source.sme_id,
        source.pk,
        "completed",
        "GBP",
        "FR",
    )
    assert first.placed_at == placed and first.shipping == Decimal("4.95") and first.discounts == 0
    assert first.updated_at is not None
    assert Order.objects.get(external_id="#2").status == "refunded"
    assert _stored("#1") == [
        ("1", "MUG-1", "Mug", 2, Decimal("9.50"), None, None),
        ("2", "CUP-1", "", -1, Decimal("3.25"), Decimal("1.10"), None),
    ]


def test_writing_the_same_orders_again_changes_nothing(source):
    write_orders(source, [_order("#1"), _order("#2")])
    pks = dict(Order.objects.values_list("external_id", "pk"))
    line_pks = set(OrderLine.objects.values_list("pk", flat=True))

    counts = write_orders(source, [_order("#1"), _order("#2")])

    assert (counts.created, counts.updated, counts.skipped) == (0, 0, 2)
    assert dict(Order.objects.values_list("external_id", "pk")) == pks
    assert set(OrderLine.objects.values_list("pk", flat=True)) == line_pks


def test_a_page_of_stored_and_new_orders(source):
    write_orders(source, [_order("#1")])

    counts = write_orders(source, [_order("#1"), _order("#2"), _order("#3")])

    assert (counts.created, counts.updated, counts.skipped) == (2, 0, 1)
    assert Order.objects.count() == 3 and OrderLine.objects.count() == 6


def test_an_order_level_change_is_an_update_that_keeps_the_lines_as_they_are(source):
    write_orders(source, [_order("#1")])
    before = Order.objects.get()

    counts = write_orders(source, [_order("#1", status="cancelled")])

    after = Order.objects.get()
    assert (counts.created, counts.updated, counts.skipped) == (0, 1, 0)
    assert (after.pk, after.status) == (before.pk, "cancelled")
    assert after.updated_at >= before.updated_at
    assert [line[:5] for line in _stored("#1")] == [
        ("1", "MUG-1", "Mug", 2, Decimal("9.50")),
        ("2", "CUP-1", "", -1, Decimal("3.25")),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        [OrderLineRecord("1", 3, Decimal("9.50"), sku="MUG-1", description="Mug")],  # one fewer, quantity changed
        [
            OrderLineRecord("1", 2, Decimal("9.50"), sku="MUG-1", description="Mug"),
            OrderLineRecord("2", -1, Decimal("3.25"), sku="CUP-1", unit_cost=Decimal("1.20")),  # cost changed
        ],
        [
            OrderLineRecord("1", 2, Decimal("9.50"), sku="MUG-1", description="Mug"),
            OrderLineRecord("3", -1, Decimal("3.25"), sku="CUP-1", unit_cost=Decimal("1.10")),  # key changed
        ],
    ],
)
def test_a_changed_line_rewrites_the_orders_lines(source, lines):
    write_orders(source, [_order("#1"), _order("#2")])

    counts = write_orders(source, [_order("#1", lines=lines), _order("#2")])

    assert (counts.created, counts.updated, counts.skipped) == (0, 1, 1)
    assert [(key, quantity, cost) for key, _, _, quantity, _, cost, _ in _stored("#1")] == [
        (line.line_key, line.quantity, line.unit_cost) for line in lines
    ]
    assert len(_stored("#2")) == 2


def test_lines_link_to_the_product_by_its_id_in_the_source_else_by_sku(source):
    write_products(
        source,
        [
            ProductRecord(external_id="p1", sku="MUG-1", title="Mug"),
            ProductRecord(external_id="p2", sku="CUP-1", title="Cup"),
        ],
    )
    other = DataSource.objects.create(sme=source.sme, kind="shopify", base_url="https://other.example")
    lines = [
        OrderLineRecord("1", 1, Decimal("1.00"), sku="WHATEVER", product_external_id="p1"),  # by id, despite the SKU
        OrderLineRecord("2", 1, Decimal("1.00"), sku="CUP-1"),  # by SKU
        OrderLineRecord("3", 1, Decimal("1.00"), sku="CUP-1", product_external_id="gone"),  # unknown id: by SKU
        OrderLineRecord("4", 1, Decimal("1.00"), sku="NOPE"),  # no product
    ]

    write_orders(source, [_order("#1", lines=lines)])
    write_orders(other, [_order("#1", lines=lines)])  # another source of the same SME: ids are per source

    def linked(data_source):
        lines = OrderLine.objects.filter(order__source=data_source).order_by("line_key")
        return list(lines.values_list("product__external_id", flat=True))

    assert linked(source) == ["p1", "p2", "p2", None]
    assert linked(other) == [None, "p2", "p2", None]


def test_lookups_past_the_databases_parameter_limit_find_every_row(source):
    many = (connection.features.max_query_params or 999) + 50
    records = [_order(f"#{n}", lines=[]) for n in range(many)]

    assert write_orders(source, records).created == many
    counts = write_orders(source, records)

    assert (counts.created, counts.skipped) == (0, many)
    found = writer._pks(Order, "external_id", [f"#{n}" for n in range(many)], source_id=source.pk)
    assert len(found) == many and found["#7"] == Order.objects.get(external_id="#7").pk


def test_the_schema_still_refuses_a_second_order_with_the_same_id_in_a_source(source):
    write_orders(source, [_order("#1")])

    with pytest.raises(IntegrityError), transaction.atomic():
        writer._insert_orders(source, [_order("#1")], datetime.datetime.now(UTC))

    assert Order.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred foreign keys are PostgreSQL's")
def test_with_constraints_checked_per_statement_a_line_of_a_missing_order_is_refused_at_once(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        writer.check_constraints_per_statement()
        writer._insert_lines([(10**9, "1", None, "MUG-1", "", 1, Decimal("1.00"), None, Decimal("0"))])


def test_constraints_checked_per_statement_leave_a_valid_page_written(source):
    with transaction.atomic():
        writer.check_constraints_per_statement()
        write_orders(source, [_order("#1")])
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 2


def test_line_texts_with_tabs_newlines_and_backslashes_are_stored_as_they_are(source, monkeypatch):
    monkeypatch.setattr(writer, "COPY_ROWS", 2)  # several COPY writes for one page
    texts = ["Mug\twith a tab", "Two\nlines\r\nhere", "C:\\mugs\\N", "\\N", "Tasse à café ☕"]
    lines = [
        OrderLineRecord(f"k\t{n}", n, Decimal(f"{n}.05"), sku=f"S\\{n}", description=text)
        for n, text in enumerate(texts, start=1)
    ]

    write_orders(source, [_order("#1", lines=lines)])

    assert [row[:5] for row in _stored("#1")] == [
        (f"k\t{n}", f"S\\{n}", text, n, Decimal(f"{n}.05")) for n, text in enumerate(texts, start=1)
    ]
    assert [row[5] for row in _stored("#1")] == [None] * 5


def test_the_copy_text_of_order_lines():
    rows = [
        (7, "1", None, "A\tB", "x\\y\nz\r", 3, Decimal("2.55"), None, Decimal("0")),
        (8, "2", 12, "", "é", -1, Decimal("0.10"), Decimal("1.00"), Decimal("0.02")),
    ]

    assert writer._copy_text(rows) == (
        "7\t1\t\\N\tA\\tB\tx\\\\y\\nz\\r\t3\t2.55\t\\N\t0\n8\t2\t12\t\té\t-1\t0.10\t1.00\t0.02\n"
    )


def test_the_copy_text_of_plain_order_lines_and_of_a_text_that_looks_like_a_null():
    plain = [
        (7, "1", None, "MUG", "Mug", 3, Decimal("2.55"), None, Decimal("0")),
        (8, "2", 12, "", "é", -1, Decimal("0.10"), None, Decimal("0")),
    ]
    assert writer._copy_text(plain) == "7\t1\t\\N\tMUG\tMug\t3\t2.55\t\\N\t0\n8\t2\t12\t\té\t-1\t0.10\t\\N\t0\n"

    looks_null = [(7, "1", 5, "MUG", "\\N", 3, Decimal("2.55"), Decimal("1.00"), Decimal("0"))]
    assert writer._copy_text(looks_null) == "7\t1\t5\tMUG\t\\\\N\t3\t2.55\t1.00\t0\n"
