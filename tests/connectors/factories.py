"""Factories for the connectors app: data sources, orders and products as stored, and the records connectors yield.

The records (``OrderRecordFactory``, ``OrderLineRecordFactory``, ``ProductRecordFactory``) are what a
connector or the file import hands to ``connectors.writer``; the model factories store rows directly.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from connectors.models import DataSource, Order, OrderLine, Product, SourceKind
from connectors.records import OrderLineRecord, OrderRecord, ProductRecord
from tests.journey.factories import SMEFactory

UTC = datetime.UTC


class DataSourceFactory(DjangoModelFactory):
    """A shop connected to an SME (WooCommerce by default); ``kind=SourceKind.FILE`` for uploaded files."""

    class Meta:
        model = DataSource

    sme = factory.SubFactory(SMEFactory)
    kind = SourceKind.WOOCOMMERCE
    base_url = factory.LazyAttribute(lambda source: "" if source.kind == SourceKind.FILE else "https://shop.example")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    source = factory.SubFactory(DataSourceFactory)
    sme = factory.SelfAttribute("source.sme")
    external_id = factory.Sequence(lambda n: f"p{n}")
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    title = "Mug"


class OrderFactory(DjangoModelFactory):
    """An order as stored, without lines (``OrderLineFactory(order=…)`` adds them)."""

    class Meta:
        model = Order

    source = factory.SubFactory(DataSourceFactory)
    sme = factory.SelfAttribute("source.sme")
    external_id = factory.Sequence(lambda n: f"#{n}")
    placed_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    line_key = factory.Sequence(lambda n: str(n + 1))
    quantity = 1
    unit_price = Decimal("9.50")


class OrderLineRecordFactory(factory.Factory):
    class Meta:
        model = OrderLineRecord

    line_key = "1"
    quantity = 2
    unit_price = Decimal("9.50")
    sku = "MUG-1"


class OrderRecordFactory(factory.Factory):
    """An order as a connector yields it: a completed order in pounds to France, one line of two mugs."""

    class Meta:
        model = OrderRecord

    external_id = factory.Sequence(lambda n: f"#{n}")
    placed_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    status = "completed"
    currency = "GBP"
    customer_country = "FR"
    lines = factory.LazyFunction(lambda: [OrderLineRecordFactory()])


class ProductRecordFactory(factory.Factory):
    class Meta:
        model = ProductRecord

    external_id = factory.Sequence(lambda n: f"p{n}")
    sku = "MUG-1"
    title = "Mug"
    price = Decimal("9.50")
