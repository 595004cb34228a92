"""Who ordered, kept only as a pseudonymous key; each order's lines total kept beside it (decisions 0014, 0015)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from connectors.files.importer import orders_file_import
from connectors.magento.connector import map_order as magento_order
from connectors.models import DataSource, Order
from connectors.prestashop.connector import ShopFacts
from connectors.prestashop.connector import map_order as prestashop_order
from connectors.records import customer_ref
from connectors.shopify.connector import map_order as shopify_order
from connectors.shopify.graphql import order_fields
from connectors.woocommerce.connector import map_order as woocommerce_order
from connectors.writer import customer_key, write_orders
from tests.connectors.factories import DataSourceFactory, OrderLineRecordFactory, OrderRecordFactory
from tests.journey.factories import SMEFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "fixtures" / "files"


def test_the_key_is_an_hmac_per_source_never_the_identity():
    first, second = DataSourceFactory(), DataSourceFactory()
    ref = customer_ref("email", "  Ann.Smith@Example.org ")
    assert ref == "email:ann.smith@example.org"
    key = customer_key(first, ref)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert "ann" not in key and "example" not in key
    assert customer_key(first, customer_ref("email", "ann.smith@example.org")) == key  # one customer, one key
    assert customer_key(second, ref) != key  # not linkable across sources
    assert customer_key(first, customer_ref("id", "17850")) != key
    assert customer_key(first, "") == "" and customer_ref("id", 0) == "" and customer_ref("email", None) == ""


def test_the_writer_stores_the_key_and_the_lines_total_not_the_identity():
    source = DataSourceFactory()
    record = OrderRecordFactory(
        external_id="A1",
        customer_ref="email:ann@example.org",
        lines=[
            OrderLineRecordFactory(quantity=2, unit_price=Decimal("9.50")),
            OrderLineRecordFactory(line_key="2", quantity=-1, unit_price=Decimal("3.25")),
        ],
    )
    returned = OrderRecordFactory(
        external_id="A2", lines=[OrderLineRecordFactory(quantity=-1, unit_price=Decimal("4.00"))]
    )
    write_orders(source, [record, returned])
    order = Order.objects.get(external_id="A1")
    assert order.customer_key == customer_key(source, "email:ann@example.org")
    assert (order.lines_total, order.has_sale) == (Decimal("15.7500"), True)
    other = Order.objects.get(external_id="A2")
    assert (other.customer_key, other.lines_total, other.has_sale) == ("", Decimal("-4.0000"), False)
    assert not Order.objects.filter(customer_key__icontains="ann").exists()

    # Written again with other lines: the total follows the lines.
    again = OrderRecordFactory(
        external_id="A1", customer_ref="email:ann@example.org", lines=[OrderLineRecordFactory(quantity=1)]
    )
    write_orders(source, [again])
    order.refresh_from_db()
    assert (order.lines_total, order.has_sale) == (Decimal("9.5000"), True)


def test_each_connector_passes_who_ordered():
    assert woocommerce_order({"id": 1, "date_created_gmt": "2026-03-02T10:00:00", "customer_id": 42}).customer_ref == (
        "id:42"
    )
    guest = {"id": 2, "date_created_gmt": "2026-03-02T10:00:00", "customer_id": 0, "billing": {"email": "G@x.org"}}
    assert woocommerce_order(guest).customer_ref == "email:g@x.org"
    shopify = {"id": 5, "created_at": "2026-03-02T10:00:00Z", "customer": {"id": 207119551}}
    assert shopify_order(shopify).customer_ref == "id:207119551"
    node = {"id": "gid://shopify/Order/5", "legacyResourceId": "5", "createdAt": "2026-03-02T10:00:00Z"}
    assert shopify_order(order_fields({**node, "customer": {"legacyResourceId": "77"}})).customer_ref == "id:77"
    assert shopify_order(order_fields(node)).customer_ref == ""  # without read_customers: not asked
    magento = {"entity_id": 9, "created_at": "2026-03-02 10:00:00", "customer_email": "M@x.org"}
    assert magento_order(magento).customer_ref == "email:m@x.org"
    assert magento_order({**magento, "customer_id": 12}).customer_ref == "id:12"
    facts = ShopFacts()
    assert prestashop_order({"id": 3, "date_add": "2026-03-02 10:00:00", "id_customer": "8"}, facts).customer_ref == (
        "id:8"
    )


def test_the_online_retail_customer_id_becomes_a_key():
    sme = SMEFactory(slug="acme")
    orders_file_import(sme=sme, path_or_file=FILES / "online_retail_sample.csv")
    source = DataSource.objects.get(sme=sme)
    order = Order.objects.get(external_id="536365")
    assert order.customer_key == customer_key(source, "id:17850")  # "17850.0" in the file
    assert Order.objects.filter(sme=sme).exclude(customer_key="").count() >= 1
