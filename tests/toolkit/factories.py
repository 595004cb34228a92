"""Factories and builders for the toolkit's tests: targets, tool access, and shops with an order history."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from connectors.models import SourceKind
from connectors.records import OrderLineRecord, OrderRecord, ProductRecord
from connectors.writer import write_orders, write_products
from journey.models import SME
from tests.connectors.factories import DataSourceFactory
from tests.journey.factories import SMEFactory
from toolkit.models import Metric, Target, Tool, ToolAccess

UTC = datetime.UTC


class ToolAccessFactory(DjangoModelFactory):
    class Meta:
        model = ToolAccess
        django_get_or_create = ("sme", "tool")

    sme = factory.SubFactory(SMEFactory)
    tool = Tool.GROWTH


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    sme = factory.SubFactory(SMEFactory)
    metric = Metric.SALES
    value = Decimal("1000.00")
    due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


def _months_ago(today: datetime.date, months: int, day: int) -> datetime.datetime:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return datetime.datetime(year, month + 1, day, 12, tzinfo=datetime.UTC)


def build_shop(sme: SME) -> SME:
    """Fourteen months of orders in two countries and two channels, one loss-making order a month."""
    source = DataSourceFactory(sme=sme, kind=SourceKind.FILE)
    write_products(
        source,
        [
            ProductRecord(external_id="1", sku="MUG", title="Hand-thrown stoneware mug, sea blue", price=Decimal("20"),
                          description="A stoneware mug thrown by hand. " * 10, stock_tracked=True, stock_quantity=30),
            ProductRecord(external_id="2", sku="BOWL", title="BOWL", price=Decimal("35")),
        ],
    )  # fmt: skip
    today = timezone.localdate()
    orders, n = [], 0
    for months in range(14, 0, -1):
        for day in (3, 9, 15, 21):
            n += 1
            orders.append(
                OrderRecord(
                    external_id=f"A{n:03}",
                    placed_at=_months_ago(today, months, day),
                    customer_country="GB" if day != 21 else "FR",
                    channel="web" if day != 9 else "marketplace",
                    # The order of the 15th carries a discount bigger than its margin: a loss.
                    discounts=Decimal("55") if day == 15 else Decimal("0"),
                    lines=[
                        OrderLineRecord(line_key="1", sku="MUG", quantity=1 + (months % 3), unit_price=Decimal("20"),
                                        unit_cost=Decimal("8")),
                        OrderLineRecord(line_key="2", sku="BOWL", quantity=1, unit_price=Decimal("35")),
                    ],
                )
            )  # fmt: skip
    write_orders(source, orders)
    return sme


def build_small_shop() -> SME:
    """Five orders of mugs over three months of 2026, to France; a 40 % default margin."""
    sme = SMEFactory(default_margin=Decimal("40"))
    source = DataSourceFactory(sme=sme, kind=SourceKind.FILE)
    write_products(source, [ProductRecord(external_id="1", sku="MUG", title="Mug", price=Decimal("10"))])
    orders = []
    for n, (month, day) in enumerate([(1, 5), (1, 20), (2, 10), (3, 3), (3, 28)], start=1):
        orders.append(
            OrderRecord(
                external_id=str(n),
                placed_at=datetime.datetime(2026, month, day, 12, tzinfo=UTC),
                customer_country="FR",
                lines=[OrderLineRecord(line_key="1", sku="MUG", quantity=n, unit_price=Decimal("10.01"))],
            )
        )
    write_orders(source, orders)
    return sme


def url(sme, tool="", lang="en"):
    return f"/{lang}/portal/smes/{sme.slug}/toolkit/{tool + '/' if tool else ''}"
