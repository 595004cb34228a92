"""Platforms agree: the same three sales, in Shopify's, WooCommerce's, PrestaShop's, Magento's, Squarespace's and
the file import's shape,
through the real mappings and the writer, give the same monthly net sales, tax, refunds and cost.

The sales (a GBP shop in London; VAT 20 %):

1. 10 March: 2 mugs at £24.00 VAT included, a £6.00 discount (VAT included), shipping £6.00 VAT
   included; unit cost £8.00. Net 35.00, VAT 8.00 (7.00 on the goods, 1.00 on shipping).
2. 20 March: 3 teas at £10.00 VAT excluded and a £2.00 gift-wrap fee charged to the customer; unit
   cost £4.00. Partly refunded on 5 April: one tea, £10.00 + £2.00 VAT.
3. 12 April: a scarf sold in euros, 50.00 EUR + 10.00 EUR VAT (0.85 GBP per EUR that day); unit cost
   £20.00. Partly refunded in euros on 3 May: 20.00 EUR + 4.00 EUR VAT (0.86 that day).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connectors.files.importer import orders_file_import
from connectors.magento.connector import map_order as magento_order
from connectors.models import DataSource, ExchangeRate, Order, Refund
from connectors.prestashop.connector import ShopFacts
from connectors.prestashop.connector import map_order as prestashop_order
from connectors.records import ProductRecord
from connectors.services import file_source_for
from connectors.shopify.connector import map_order as shopify_order
from connectors.squarespace.connector import map_order as squarespace_order
from connectors.woocommerce.connector import map_order as woocommerce_order
from connectors.writer import write_orders, write_products
from tests.journey.factories import SMEFactory
from toolkit import selectors
from toolkit.analyses.planning import planning


def shop(amount: str, presented: str | None = None, currency: str = "GBP") -> dict:
    return {
        "shop_money": {"amount": amount, "currency_code": "GBP"},
        "presentment_money": {"amount": presented or amount, "currency_code": currency},
    }


SHOPIFY_ORDERS = [
    {
        "id": 1001, "created_at": "2026-03-10T10:00:00+00:00", "currency": "GBP", "presentment_currency": "GBP",
        "financial_status": "paid", "taxes_included": True, "source_name": "web",
        "shipping_address": {"country_code": "GB"},
        "total_tax": "8.00", "total_tax_set": shop("8.00"), "total_discounts": "6.00",
        "total_price": "48.00", "total_price_set": shop("48.00"),
        "line_items": [
            {"id": 11, "variant_id": 501, "sku": "MUG", "name": "Mug", "quantity": 2, "price": "24.00",
             "price_set": shop("24.00"), "tax_lines": [{"price": "7.00", "price_set": shop("7.00"), "rate": 0.2}],
             "discount_allocations": [{"amount": "6.00", "amount_set": shop("6.00")}]},
        ],
        "shipping_lines": [
            {"price": "6.00", "price_set": shop("6.00"), "tax_lines": [{"price": "1.00", "rate": 0.2}]}
        ],
    },
    {
        "id": 1002, "created_at": "2026-03-20T10:00:00+00:00", "currency": "GBP", "presentment_currency": "GBP",
        "financial_status": "partially_refunded", "taxes_included": False, "source_name": "web",
        "shipping_address": {"country_code": "GB"},
        "total_tax": "6.40", "total_price": "38.40", "total_price_set": shop("38.40"),
        "current_total_additional_fees_set": shop("2.00"),
        "line_items": [
            {"id": 21, "variant_id": 502, "sku": "TEA", "name": "Tea", "quantity": 3, "price": "10.00",
             "tax_lines": [{"price": "6.00", "rate": 0.2}], "discount_allocations": []},
        ],
        "refunds": [
            {"id": 71, "created_at": "2026-04-05T09:00:00+01:00",
             "refund_line_items": [{"line_item_id": 21, "quantity": 1, "restock_type": "no_restock",
                                    "subtotal": "10.00", "subtotal_set": shop("10.00"),
                                    "total_tax": "2.00", "total_tax_set": shop("2.00")}],
             "transactions": [{"kind": "refund", "status": "success", "amount": "12.00", "currency": "GBP"}]},
        ],
    },
    {
        "id": 1003, "created_at": "2026-04-12T10:00:00+01:00", "currency": "GBP", "presentment_currency": "EUR",
        "financial_status": "partially_refunded", "taxes_included": False, "source_name": "web",
        "shipping_address": {"country_code": "FR"},
        "total_tax": "8.50", "total_tax_set": shop("8.50", "10.00", "EUR"),
        "total_price": "51.00", "total_price_set": shop("51.00", "60.00", "EUR"),
        "line_items": [
            {"id": 31, "variant_id": 503, "sku": "SCARF", "name": "Scarf", "quantity": 1, "price": "42.50",
             "price_set": shop("42.50", "50.00", "EUR"),
             "tax_lines": [{"price": "8.50", "price_set": shop("8.50", "10.00", "EUR"), "rate": 0.2}],
             "discount_allocations": []},
        ],
        "refunds": [
            {"id": 72, "created_at": "2026-05-03T09:00:00+01:00",
             "refund_line_items": [{"line_item_id": 31, "quantity": 1, "restock_type": "no_restock",
                                    "subtotal_set": shop("17.20", "20.00", "EUR"),
                                    "total_tax_set": shop("3.44", "4.00", "EUR")}],
             "transactions": [{"kind": "refund", "status": "success", "amount": "24.00", "currency": "EUR"}]},
        ],
    },
]  # fmt: skip

COST = [{"key": "_wc_cog_item_cost", "value": "8.00"}]
WOOCOMMERCE_ORDERS = [
    (
        {
            "id": 2001, "status": "completed", "currency": "GBP", "prices_include_tax": True,
            "date_created_gmt": "2026-03-10T10:00:00", "created_via": "checkout", "shipping": {"country": "GB"},
            "discount_total": "5.00", "discount_tax": "1.00", "shipping_total": "5.00", "shipping_tax": "1.00",
            "total_tax": "8.00", "total": "48.00",
            "line_items": [{"id": 11, "product_id": 501, "sku": "MUG", "name": "Mug", "quantity": 2,
                            "subtotal": "40.00", "subtotal_tax": "8.00", "total": "35.00", "total_tax": "7.00",
                            "meta_data": COST}],
            "shipping_lines": [{"id": 12, "total": "5.00", "total_tax": "1.00"}],
            "fee_lines": [], "refunds": [],
        },
        None,
    ),
    (
        {
            "id": 2002, "status": "processing", "currency": "GBP", "prices_include_tax": False,
            "date_created_gmt": "2026-03-20T10:00:00", "created_via": "checkout", "shipping": {"country": "GB"},
            "discount_total": "0.00", "shipping_total": "0.00", "shipping_tax": "0.00",
            "total_tax": "6.40", "total": "38.40",
            "line_items": [{"id": 21, "product_id": 502, "sku": "TEA", "name": "Tea", "quantity": 3,
                            "subtotal": "30.00", "total": "30.00", "total_tax": "6.00",
                            "meta_data": [{"key": "_wc_cog_item_cost", "value": "4.00"}]}],
            "shipping_lines": [],
            "fee_lines": [{"id": 22, "name": "Gift wrap", "total": "2.00", "total_tax": "0.40"}],
            "refunds": [{"id": 81, "total": "-12.00"}],
        },
        [{"id": 81, "date_created_gmt": "2026-04-05T08:00:00", "amount": "12.00",
          "line_items": [{"id": 21, "quantity": -1, "subtotal": "-10.00", "total": "-10.00", "total_tax": "-2.00"}]}],
    ),
    (
        {
            "id": 2003, "status": "completed", "currency": "EUR", "prices_include_tax": False,
            "date_created_gmt": "2026-04-12T09:00:00", "created_via": "checkout", "shipping": {"country": "FR"},
            "discount_total": "0.00", "shipping_total": "0.00", "shipping_tax": "0.00",
            "total_tax": "10.00", "total": "60.00",
            "line_items": [{"id": 31, "product_id": 503, "sku": "SCARF", "name": "Scarf", "quantity": 1,
                            "subtotal": "50.00", "total": "50.00", "total_tax": "10.00",
                            "meta_data": [{"key": "_wc_cog_item_cost", "value": "20.00"}]}],
            "shipping_lines": [], "fee_lines": [], "refunds": [{"id": 82, "total": "-24.00"}],
        },
        [{"id": 82, "date_created_gmt": "2026-05-03T08:00:00", "amount": "24.00",
          "line_items": [{"id": 31, "quantity": -1, "subtotal": "-20.00", "total": "-20.00", "total_tax": "-4.00"}]}],
    ),
]  # fmt: skip


def ps_row(id_, product, quantity, excl, incl):
    return {
        "id": str(id_),
        "product_id": str(product),
        "product_attribute_id": "0",
        "product_quantity": str(quantity),
        "unit_price_tax_excl": excl,
        "unit_price_tax_incl": incl,
        "product_reference": "",
        "product_name": "",
    }


def ps_order(id_, day, currency, address, rows, paid, **totals):
    zero = {
        f"total_{name}_tax_{kind}": "0.000000"
        for name in ("discounts", "shipping", "wrapping")
        for kind in ("excl", "incl")
    }
    return {
        "id": str(id_),
        "date_add": day,
        "id_currency": currency,
        "id_address_delivery": address,
        "id_customer": "1",
        "current_state": "5",
        "total_paid_tax_excl": paid[0],
        "total_paid_tax_incl": paid[1],
        **zero,
        **totals,
        "associations": {"order_rows": rows},
    }


# A London shop's webservice (PS_TIMEZONE Europe/London, prices kept with and without VAT); order slips
# are the dated refunds, in the order's currency.
PRESTASHOP_FACTS = ShopFacts(
    time_zone=ZoneInfo("Europe/London"),
    currency="GBP",
    currencies={"1": "GBP", "2": "EUR"},
    countries={"17": "GB", "8": "FR"},
    states={"5": "completed"},
    address_countries={"1": "17", "2": "8"},
)
PRESTASHOP_ORDERS = [
    (ps_order(3001, "2026-03-10 10:00:00", "1", "1", [ps_row(11, 501, 2, "20.000000", "24.000000")],
              ("40.000000", "48.000000"), total_discounts_tax_excl="5.000000", total_discounts_tax_incl="6.000000",
              total_shipping_tax_excl="5.000000", total_shipping_tax_incl="6.000000"), []),
    (ps_order(3002, "2026-03-20 10:00:00", "1", "1", [ps_row(21, 502, 3, "10.000000", "12.000000")],
              ("32.000000", "38.400000"), total_wrapping_tax_excl="2.000000", total_wrapping_tax_incl="2.400000"),
     [{"id": "81", "id_order": "3002", "date_add": "2026-04-05 09:00:00", "total_products_tax_excl": "10.000000",
       "total_products_tax_incl": "12.000000", "total_shipping_tax_excl": "0.000000",
       "total_shipping_tax_incl": "0.000000"}]),
    (ps_order(3003, "2026-04-12 10:00:00", "2", "2", [ps_row(31, 503, 1, "50.000000", "60.000000")],
              ("50.000000", "60.000000")),
     [{"id": "82", "id_order": "3003", "date_add": "2026-05-03 09:00:00", "total_products_tax_excl": "20.000000",
       "total_products_tax_incl": "24.000000", "total_shipping_tax_excl": "0.000000",
       "total_shipping_tax_incl": "0.000000"}]),
]  # fmt: skip


def mg_order(id_, created, country, item, tax, paid_currency="GBP", **amounts):
    return {
        "entity_id": id_,
        "created_at": created,
        "state": "complete",
        "base_currency_code": "GBP",
        "order_currency_code": paid_currency,
        "billing_address": {"country_id": country},
        "items": [item],
        "base_tax_amount": tax,
        **amounts,
    }


# Magento keeps every amount in the store's base currency (base_*); a credit memo also says what
# was paid back in the order's currency.
MAGENTO_ORDERS = [
    (mg_order(4001, "2026-03-10 10:00:00", "GB",
              {"item_id": 11, "product_id": 501, "sku": "MUG", "qty_ordered": 2, "base_price": "20.0000",
               "base_tax_amount": "7.0000"},
              "8.0000", base_discount_amount="-5.0000", base_shipping_amount="5.0000",
              base_shipping_tax_amount="1.0000"), []),
    (mg_order(4002, "2026-03-20 10:00:00", "GB",
              {"item_id": 21, "product_id": 502, "sku": "TEA", "qty_ordered": 3, "base_price": "10.0000",
               "base_tax_amount": "6.0000"},
              "6.4000", extension_attributes={"gw_base_price": "2.0000", "gw_base_tax_amount": "0.4000"}),
     [{"entity_id": 91, "order_id": 4002, "created_at": "2026-04-05 08:00:00", "base_currency_code": "GBP",
       "order_currency_code": "GBP", "base_grand_total": "12.0000", "base_tax_amount": "2.0000",
       "grand_total": "12.0000"}]),
    (mg_order(4003, "2026-04-12 09:00:00", "FR",
              {"item_id": 31, "product_id": 503, "sku": "SCARF", "qty_ordered": 1, "base_price": "42.5000",
               "base_tax_amount": "8.5000"},
              "8.5000", paid_currency="EUR"),
     [{"entity_id": 92, "order_id": 4003, "created_at": "2026-05-03 08:00:00", "base_currency_code": "GBP",
       "order_currency_code": "EUR", "base_grand_total": "20.6400", "base_tax_amount": "3.4400",
       "grand_total": "24.0000"}]),
]  # fmt: skip


def sq_money(value: str, currency: str = "GBP") -> dict:
    return {"currency": currency, "value": value}


def sq_order(id_, created, modified, country, item, interpretation, currency="GBP", **totals):
    return {
        "id": id_,
        "createdOn": created,
        "modifiedOn": modified,
        "testmode": False,
        "fulfillmentStatus": "FULFILLED",
        "priceTaxInterpretation": interpretation,
        "shippingAddress": {"countryCode": country},
        "lineItems": [item],
        **{name: sq_money(value, currency) for name, value in totals.items()},
    }


# Squarespace: money objects with string values in the order's currency; the tax of the whole order only
# (shared between goods, shipping and the rest); refundedTotal (tax included) dated by the order's last
# change (modifiedOn); what grandTotal holds beyond goods, shipping and tax is a charge to the customer.
SQUARESPACE_ORDERS = [
    sq_order("sq-1", "2026-03-10T10:00:00Z", "2026-03-10T10:05:00Z", "GB",
             {"id": "l11", "variantId": "501", "sku": "MUG", "quantity": 2, "unitPricePaid": sq_money("24.00")},
             "INCLUSIVE", subtotal="48.00", discountTotal="6.00", shippingTotal="6.00", taxTotal="8.00",
             refundedTotal="0.00", grandTotal="48.00"),
    sq_order("sq-2", "2026-03-20T10:00:00Z", "2026-04-05T08:00:00Z", "GB",
             {"id": "l21", "variantId": "502", "sku": "TEA", "quantity": 3, "unitPricePaid": sq_money("10.00")},
             "EXCLUSIVE", subtotal="30.00", discountTotal="0.00", shippingTotal="0.00", taxTotal="6.40",
             refundedTotal="12.00", grandTotal="38.40"),
    sq_order("sq-3", "2026-04-12T09:00:00Z", "2026-05-03T08:00:00Z", "FR",
             {"id": "l31", "variantId": "503", "sku": "SCARF", "quantity": 1,
              "unitPricePaid": sq_money("50.00", "EUR")},
             "EXCLUSIVE", currency="EUR", subtotal="50.00", discountTotal="0.00", shippingTotal="0.00",
             taxTotal="10.00", refundedTotal="24.00", grandTotal="60.00"),
]  # fmt: skip

FILE = (
    "Order ID,Order date,Currency,Customer country,SKU,Product,Quantity,Unit price,Unit cost,Shipping,Discounts,"
    "Customer fees,Tax,Tax on shipping,Refunds,Tax refunded,Refund date\n"
    "F1,2026-03-10 10:00,GBP,GB,MUG,Mug,2,20.00,8.00,5.00,5.00,,8.00,1.00,,,\n"
    "F2,2026-03-20 10:00,GBP,GB,TEA,Tea,3,10.00,4.00,,,2.00,6.40,,10.00,2.00,2026-04-05\n"
    "F3,2026-04-12 10:00,EUR,FR,SCARF,Scarf,1,50.00,20.00,,,,10.00,,20.00,4.00,2026-05-03\n"
)

# What every platform must give, month by month: net sales, tax, refunds (excluding tax) and cost.
EXPECTED = {
    "2026-03": (65.00, 14.40, 0.00, 28.00),
    "2026-04": (32.50, 6.50, 10.00, 20.00),
    "2026-05": (-17.20, -3.44, 17.20, 0.00),
}


@pytest.fixture
def rates(db):
    ExchangeRate.objects.create(day=datetime.date(2026, 4, 1), currency="EUR", base_currency="GBP", rate="0.85")
    ExchangeRate.objects.create(day=datetime.date(2026, 5, 1), currency="EUR", base_currency="GBP", rate="0.86")


def _monthly(sme) -> dict:
    result = planning(
        selectors.orders_frame(sme),
        selectors.lines_frame(sme),
        as_of=datetime.date(2026, 5, 31),
        time_zone="Europe/London",
        default_margin=0.4,
        refunds=selectors.refunds_frame(sme),
    )
    return {m.month: (m.sales, m.tax, m.refunds, m.cost) for m in result.months}


def _shopify(sme):
    source = DataSource.objects.create(sme=sme, kind="shopify", base_url="https://a.myshopify.com",
                                       options={"currency": "GBP"})  # fmt: skip
    # The inventory items' unit costs reach the products, then the lines.
    write_products(source, [ProductRecord(external_id=str(variant), sku=sku, unit_cost=Decimal(cost))
                            for variant, sku, cost in ((501, "MUG", "8.00"), (502, "TEA", "4.00"),
                                                       (503, "SCARF", "20.00"))])  # fmt: skip
    write_orders(source, [shopify_order(order) for order in SHOPIFY_ORDERS])


def _woocommerce(sme):
    source = DataSource.objects.create(sme=sme, kind="woocommerce", base_url="https://shop.example",
                                       options={"currency": "GBP"})  # fmt: skip
    write_orders(source, [woocommerce_order(order, refunds) for order, refunds in WOOCOMMERCE_ORDERS])


def _prestashop(sme):
    source = DataSource.objects.create(sme=sme, kind="prestashop", base_url="https://boutique.example",
                                       options={"currency": "GBP"})  # fmt: skip
    # Each product's wholesale price is its unit cost; the order rows link to the products.
    write_products(source, [ProductRecord(external_id=str(product), unit_cost=Decimal(cost))
                            for product, cost in ((501, "8.00"), (502, "4.00"), (503, "20.00"))])  # fmt: skip
    write_orders(source, [prestashop_order(order, PRESTASHOP_FACTS, slips) for order, slips in PRESTASHOP_ORDERS])


def _magento(sme):
    source = DataSource.objects.create(sme=sme, kind="magento", base_url="https://store.example",
                                       options={"currency": "GBP"})  # fmt: skip
    write_products(source, [ProductRecord(external_id=str(product), unit_cost=Decimal(cost))
                            for product, cost in ((501, "8.00"), (502, "4.00"), (503, "20.00"))])  # fmt: skip
    write_orders(source, [magento_order(order, memos) for order, memos in MAGENTO_ORDERS])


def _squarespace(sme):
    source = DataSource.objects.create(sme=sme, kind="squarespace", options={"currency": "GBP"})
    # Products are variants: the order lines name them by variantId.
    write_products(source, [ProductRecord(external_id=str(variant), unit_cost=Decimal(cost))
                            for variant, cost in ((501, "8.00"), (502, "4.00"), (503, "20.00"))])  # fmt: skip
    write_orders(source, [squarespace_order(order) for order in SQUARESPACE_ORDERS])


def _file(sme):
    source = file_source_for(sme=sme)
    source.options = {"currency": "GBP"}
    source.save()
    upload = SimpleUploadedFile("orders.csv", FILE.encode(), content_type="text/csv")
    result = orders_file_import(sme=sme, path_or_file=upload, layout="template")
    assert result.counts.created == 3, result


# The same three sales written as a UK shop keeps its books: prices, discount and shipping VAT included
# (sale 1), the scarf sold in pounds and refunded in euros (the refund's own currency).
FILE_TAX_INCLUDED = (
    "Order ID,Order date,Currency,Customer country,SKU,Product,Quantity,Unit price,Unit cost,Shipping,Discounts,"
    "Customer fees,Tax,Tax on shipping,Refunds,Tax refunded,Refund date,Prices include tax,Refund currency\n"
    "F1,2026-03-10 10:00,GBP,GB,MUG,Mug,2,24.00,8.00,6.00,6.00,,8.00,1.00,,,,Yes,\n"
    "F2,2026-03-20 10:00,GBP,GB,TEA,Tea,3,10.00,4.00,,,2.00,6.40,,10.00,2.00,2026-04-05,no,\n"
    "F3,2026-04-12 10:00,GBP,FR,SCARF,Scarf,1,42.50,20.00,,,,8.50,,20.00,4.00,2026-05-03,,EUR\n"
)


def _file_tax_included(sme):
    source = file_source_for(sme=sme)
    source.options = {"currency": "GBP"}
    source.save()
    upload = SimpleUploadedFile("orders.csv", FILE_TAX_INCLUDED.encode(), content_type="text/csv")
    result = orders_file_import(sme=sme, path_or_file=upload, layout="template")
    assert result.counts.created == 3, result


def test_a_file_with_prices_including_tax_and_a_refund_in_euros_gives_the_same_months(rates):
    sme = SMEFactory()
    _file_tax_included(sme)

    assert _monthly(sme) == EXPECTED
    mug = Order.objects.get(sme=sme, external_id="F1")
    assert (mug.prices_include_tax, mug.discounts, mug.shipping, mug.tax) == (
        True, Decimal("5.00"), Decimal("5.00"), Decimal("8.00"),
    )  # fmt: skip
    assert mug.lines.get().unit_price == Decimal("20.0000")
    assert Order.objects.get(sme=sme, external_id="F2").prices_include_tax is False
    refund = Refund.objects.get(sme=sme, order__external_id="F3")
    assert (refund.amount, refund.tax, refund.currency) == (Decimal("17.20"), Decimal("3.44"), "EUR")
    assert (refund.original_amount, refund.rate) == (Decimal("24.00"), Decimal("0.86"))


def test_a_file_says_clearly_when_a_yes_or_no_or_a_refund_currency_cannot_be_read(db):
    sme = SMEFactory()
    text = FILE_TAX_INCLUDED.replace(",Yes,\n", ",maybe,\n").replace(",,EUR\n", ",,euros?\n")
    upload = SimpleUploadedFile("orders.csv", text.encode(), content_type="text/csv")
    result = orders_file_import(sme=sme, path_or_file=upload, layout="template")
    messages = " ".join(str(error) for error in result.errors)
    assert "Write yes or no" in messages and "Not a currency code" in messages
    assert not Order.objects.filter(sme=sme).exists()


PLATFORMS = [_shopify, _woocommerce, _prestashop, _magento, _squarespace, _file]
PLATFORM_IDS = ["shopify", "woocommerce", "prestashop", "magento", "squarespace", "file"]


@pytest.mark.parametrize("platform", PLATFORMS, ids=PLATFORM_IDS)
def test_the_platforms_agree_on_monthly_net_sales_tax_refunds_and_cost(rates, platform):
    sme = SMEFactory()
    platform(sme)

    assert _monthly(sme) == EXPECTED


@pytest.mark.parametrize("platform", PLATFORMS, ids=PLATFORM_IDS)
def test_a_refund_in_another_currency_is_stored_in_the_shops_with_its_rate(rates, platform):
    sme = SMEFactory()
    platform(sme)

    refund = Refund.objects.get(sme=sme, order__customer_country="FR")
    assert (refund.amount, refund.tax, refund.currency) == (Decimal("17.20"), Decimal("3.44"), "EUR")
    assert (refund.original_amount, refund.rate) == (Decimal("24.00"), Decimal("0.86"))
    assert refund.refunded_at.astimezone(ZoneInfo("Europe/London")).date() == datetime.date(2026, 5, 3)
    order = refund.order
    assert (order.currency, order.presentment_currency) == ("GBP", "EUR")
    assert order.lines.get().unit_price == Decimal("42.50")
    assert Order.objects.get(sme=sme, customer_country="GB", tax=Decimal("6.40")).customer_fees == Decimal("2.00")


def test_an_order_in_a_currency_without_a_rate_is_refused_with_a_clear_message(db):
    sme = SMEFactory()
    source = DataSource.objects.create(sme=sme, kind="woocommerce", base_url="https://shop.example",
                                       options={"currency": "GBP"})  # fmt: skip
    order, refunds = WOOCOMMERCE_ORDERS[2]

    with pytest.raises(Exception, match="No exchange rate from EUR to GBP on or before 12/04/2026"):
        write_orders(source, [woocommerce_order(order, refunds)])
    assert not Order.objects.filter(sme=sme).exists()


def test_a_restocked_woocommerce_refund_takes_the_goods_cost_off_its_month(rates):
    # Sale 2's tea comes back on 5 April and goes back into stock: WooCommerce names the order's line
    # in the refund line's _refunded_item_id. Its cost (4.00) is no longer a cost of April.
    import copy

    sme = SMEFactory()
    source = DataSource.objects.create(sme=sme, kind="woocommerce", base_url="https://shop.example",
                                       options={"currency": "GBP"})  # fmt: skip
    orders = copy.deepcopy(WOOCOMMERCE_ORDERS)
    refund = orders[1][1][0]
    refund["api_restock"] = True
    refund["line_items"][0].update(id=91, meta_data=[{"key": "_refunded_item_id", "value": "21"}])
    write_orders(source, [woocommerce_order(order, refunds) for order, refunds in orders])

    assert Refund.objects.get(sme=sme, order__external_id="2002").restocked == [{"line_key": "21", "quantity": 1}]
    months = _monthly(sme)
    assert months["2026-04"] == (32.50, 6.50, 10.00, 20.00 - 4.00)
    assert {month: figures for month, figures in months.items() if month != "2026-04"} == {
        month: figures for month, figures in EXPECTED.items() if month != "2026-04"
    }
