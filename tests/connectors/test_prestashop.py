"""The PrestaShop connector against a local webservice answering as PrestaShop 1.7 and 8.x document.

fixtures/prestashop_webservice.json is ours: records written field by field after the
webservice definitions of PrestaShop's classes (Order, OrderSlip, Product, Combination,
StockAvailable, …), values as strings as PrestaShop 1.7 writes them.
"""

from __future__ import annotations

import base64
import datetime
import logging
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from connectors.base import ConnectorError
from connectors.models import DataSource, ExchangeRate, Order, OrderLine, Product, Refund, SourceStatus, SyncStatus
from connectors.prestashop.connector import PrestaShopConnector
from connectors.registry import connector_for
from connectors.restapi import next_since
from connectors.sync import source_sync
from tests.journey.factories import SMEFactory

from .loopback import loopback_server
from .prestashop_fake import KEY, FakePrestaShop

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def fake():
    return FakePrestaShop()


@pytest.fixture
def shop(fake):
    with loopback_server(fake, headers_seen=fake.headers_seen) as (base_url, _):
        yield base_url


@pytest.fixture
def source(db, shop):
    # Order 4 is in pounds: the writer converts it to the shop's euros with a dated, recorded rate.
    ExchangeRate.objects.create(day=datetime.date(2026, 4, 1), currency="GBP", base_currency="EUR", rate="1.1765")
    source = DataSource(sme=SMEFactory(), kind="prestashop", base_url=shop)
    source.credentials = {"key": KEY}
    source.save()
    return source


def read(source, stream, cursor=None, page_size=2):
    connector = PrestaShopConnector(source)
    connector.page_size = page_size
    return list(connector.pages(stream, cursor))


def records(pages):
    return [record for page in pages for record in page.records]


# Authentication and the connection check


def test_check_sends_the_key_as_the_basic_user_and_remembers_the_shops_currency(source, fake):
    PrestaShopConnector(source).check()
    assert fake.headers_seen[0]["Authorization"] == "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    assert all("ws_key" not in str(query) and KEY not in str(query) for q in fake.queries.values() for query in q)
    assert fake.queries["orders"][0] == {"output_format": "JSON", "display": "[id]", "limit": "1"}
    source.refresh_from_db()
    assert source.options["currency"] == "EUR"


def test_a_wrong_key_is_named_without_the_key(source, fake, caplog):
    fake.key = "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConnectorError, match="PrestaShop refused the webservice key") as error:
        PrestaShopConnector(source).check()
    assert KEY not in str(error.value) and KEY not in caplog.text


def test_a_key_without_permission_for_orders_says_which_to_tick(source, fake):
    fake.denied = {"orders"}
    with pytest.raises(ConnectorError, match="The webservice key may not read orders"):
        PrestaShopConnector(source).check()


def test_a_key_without_the_configuration_uses_prestashops_defaults(source, fake, settings):
    fake.denied = {"configurations"}
    settings.TIME_ZONE = "Europe/Paris"
    (order, *_) = records(read(source, "orders"))
    assert order.placed_at == datetime.datetime(2026, 3, 10, 11, 0, tzinfo=PARIS)


def test_a_store_older_than_1_7_is_refused_in_plain_words(source, fake):
    fake.version = "1.6.1.24"
    with pytest.raises(ConnectorError, match=r"runs PrestaShop 1\.6\.1\.24: E-Channel reads PrestaShop 1\.7"):
        PrestaShopConnector(source).check()


def test_no_shop_at_the_address(db):
    def script(index, path):
        return 404, {"Content-Type": "text/html"}, b"<html>Not found</html>"

    with loopback_server(script) as (base_url, _):
        source = DataSource(sme=SMEFactory(), kind="prestashop", base_url=base_url)
        source.credentials = {"key": KEY}
        with pytest.raises(ConnectorError, match=r"There is no PrestaShop shop at 127\.0\.0\.1"):
            connector_for(source, interactive=True).check()


def test_a_switched_off_webservice_is_named(source, fake):
    def script(index, path):
        return 503, {}, b'{"errors":[{"code":22,"message":"The PrestaShop webservice is disabled."}]}'

    with loopback_server(script) as (base_url, _):
        source.base_url = base_url
        with pytest.raises(ConnectorError, match=r"webservice of the shop at 127\.0\.0\.1:\d+ is switched off"):
            connector_for(source, interactive=True).check()


def test_plain_http_is_refused_outside_this_machine(source):
    source.base_url = "http://www.biscuiterie.example"
    with pytest.raises(ConnectorError, match="https://"):
        PrestaShopConnector(source).check()


def test_missing_key(source):
    source.credentials = {}
    with pytest.raises(ConnectorError, match="webservice key is missing"):
        PrestaShopConnector(source).check()


# Mapping


def test_products_with_combinations_stock_costs_images_and_languages(source):
    galettes, tin, caramel = records(read(source, "products"))
    assert (galettes.title, galettes.sku, galettes.gtin, galettes.brand) == (
        "Galettes pur beurre 250 g",
        "GAL-BEURRE-250",
        "3760123450017",
        "Biscuiterie de la Baie",
    )
    assert (galettes.price, galettes.currency, galettes.unit_cost) == (Decimal("4.5"), "EUR", Decimal("1.8"))
    assert (galettes.stock_tracked, galettes.stock_quantity, galettes.status) == (True, 120, "active")
    assert [image.url.split("/img/", 1)[1] for image in galettes.images] == ["p/2/2.jpg", "p/1/3/13.jpg"]
    assert galettes.description == "Galettes bretonnes au beurre demi-sel."
    # Two combinations: their stock added up (not the total row as well), their shared reference and cost.
    assert (tin.title, tin.description) == ("Coffret de palets", "Coffret métal.")  # the shop's language
    assert (tin.stock_quantity, tin.sku, tin.unit_cost, tin.gtin) == (20, "PALETS-TIN", Decimal("4.5"), "")
    assert caramel.status == "draft"


def test_orders_money_country_channel_status_and_slips(source):
    first, b2b, cancelled, pounds = records(read(source, "orders"))
    assert first.placed_at == datetime.datetime(2026, 3, 10, 11, 0, tzinfo=PARIS)  # the shop's time zone
    assert (first.channel, first.customer_country, first.status, first.currency) == ("B2C", "FR", "completed", "EUR")
    assert (first.discounts, first.shipping, first.shipping_tax, first.customer_fees, first.tax, first.fees) == (
        Decimal("1.000000"),
        Decimal("5.000000"),
        Decimal("1.00"),
        Decimal("0.500000"),
        Decimal("2.70"),
        0,
    )
    (line,) = first.lines
    assert (line.line_key, line.quantity, line.unit_price, line.tax, line.sku, line.product_external_id) == (
        "1",
        4,
        Decimal("4.500000"),
        Decimal("1.80"),
        "GAL-BEURRE-250",
        "1",
    )
    # A professional customer (a group showing prices without tax) ordering for Belgium.
    assert (b2b.channel, b2b.customer_country, b2b.status) == ("B2B", "BE", "completed")
    (slip,) = b2b.refund_records
    assert (slip.external_id, slip.amount, slip.tax) == ("1", Decimal("24.00"), Decimal("4.80"))
    assert slip.refunded_at == datetime.datetime(2026, 4, 5, 10, 0, tzinfo=PARIS)
    assert cancelled.status == "cancelled"
    assert (pounds.status, pounds.currency) == ("pending", "GBP")


# Pages, cursors and incremental runs


def test_pages_follow_the_ids_and_the_last_one_leaves_the_next_starting_point(source, fake):
    pages = read(source, "orders")
    assert [[record.external_id for record in page.records] for page in pages] == [["1", "2"], ["3", "4"], []]
    queries = fake.queries["orders"]
    assert [(query["filter[id]"], query["limit"], query["sort"]) for query in queries] == [
        ("[1,4294967295]", "2", "[id_ASC]"),
        ("[3,4294967295]", "2", "[id_ASC]"),
        ("[5,4294967295]", "2", "[id_ASC]"),
    ]
    assert queries[0]["display"] == "full" and queries[0]["output_format"] == "JSON"
    started = pages[0].cursor["started_at"]  # by the shop's clock (its Date header)
    assert [page.cursor for page in pages] == [
        {"after_id": 2, "since": None, "started_at": started},
        {"after_id": 4, "since": None, "started_at": started},
        {"since": next_since(started)},
    ]


def test_the_next_run_asks_for_what_changed_in_the_shops_time(source, fake):
    pages = read(source, "orders", {"since": "2026-04-02T06:00:00+00:00"})
    query = fake.queries["orders"][0]
    assert (query["filter[date_upd]"], query["date"]) == ("[2026-04-02 08:00:00,9999-12-31 23:59:59]", "1")
    assert [record.external_id for record in records(pages)] == ["2", "3", "4"]


def test_a_cursor_that_is_not_ours_reads_from_the_start(source, fake):
    pages = read(source, "orders", {"after_id": "expired", "since": None})
    assert len(records(pages)) == 4


# Faults


def test_a_429_is_waited_out_and_retried(source, fake):
    fake.failures[("orders", 2)] = [429]
    assert len(records(read(source, "orders"))) == 4
    assert len(fake.queries["orders"]) == 4


def test_5xx_are_retried_then_reported_plainly(source, fake):
    fake.failures[("orders", 1)] = [500, 502]
    assert len(records(read(source, "orders"))) == 4
    fake.failures[("products", 1)] = [503] * 10
    with pytest.raises(ConnectorError, match=r"kept failing \(error 503\)"):
        read(source, "products")


def test_a_server_too_slow_is_retried_then_reported(source, fake, settings):
    settings.CONNECTORS_HTTP_TIMEOUT = (2, 0.05)
    fake.failures[("orders", 1)] = [("sleep", 0.3)] * 20
    with pytest.raises(ConnectorError, match="did not answer in time") as error:
        PrestaShopConnector(source).check()
    assert KEY not in str(error.value)


def test_truncated_json_is_never_written(source, fake):
    fake.failures[("orders", 1)] = ["truncated"]
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        read(source, "orders")


# Through the sync engine


def test_a_sync_writes_everything_and_a_resync_writes_nothing_twice(source, fake):
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert Product.objects.filter(source=source).count() == 3 and Order.objects.filter(source=source).count() == 4
    assert OrderLine.objects.filter(order__source=source).count() == 5
    refund = Refund.objects.get(order__external_id="2")
    assert (refund.amount, refund.tax) == (Decimal("24.00"), Decimal("4.80"))
    source.refresh_from_db()
    assert source.status == SourceStatus.OK
    since = source.cursor["orders"]["since"]
    assert source.cursor["products"].keys() == {"since"} and source.cursor["orders"] == {"since": since}

    again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED and again.created == 0
    paris = datetime.datetime.fromisoformat(since).astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")
    assert fake.queries["orders"][-1]["filter[date_upd]"] == f"[{paris},9999-12-31 23:59:59]"
    assert Order.objects.count() == 4 and OrderLine.objects.count() == 5 and Refund.objects.count() == 1


def test_a_sync_that_dies_resumes_with_nothing_lost_or_duplicated(source, fake, monkeypatch):
    original = PrestaShopConnector.__init__

    def small_pages(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.page_size = 1

    monkeypatch.setattr(PrestaShopConnector, "__init__", small_pages)
    fake.failures[("orders", 4)] = [500] * 6  # the check reads orders once, then pages 1 and 2 pass
    first = source_sync(source=source, trigger="manual")
    assert first.status == SyncStatus.FAILED and "kept failing (error 500)" in first.errors[0]["reason"]
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["1", "2"]
    source.refresh_from_db()
    assert source.cursor["orders"]["after_id"] == 2

    second = source_sync(source=source, trigger="manual")
    assert second.status == SyncStatus.SUCCEEDED, second.errors
    assert fake.queries["orders"][-3]["filter[id]"] == "[3,4294967295]"  # resumed after the last written
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["1", "2", "3", "4"]
    assert OrderLine.objects.count() == 5 and Refund.objects.count() == 1


def test_add_source_and_sync_source_commands(db, shop, fake):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    ExchangeRate.objects.create(day=datetime.date(2026, 4, 1), currency="GBP", base_currency="EUR", rate="1.1765")
    sme = SMEFactory()
    out = StringIO()
    call_command("add_source", sme=sme.slug, kind="prestashop", url=shop, key=KEY, stdout=out)
    source = DataSource.objects.get(sme=sme)
    assert (source.kind, source.credentials) == ("prestashop", {"key": KEY}) and KEY not in out.getvalue()
    call_command("sync_source", sme=sme.slug, stdout=out)
    assert Order.objects.filter(source=source).count() == 4
    with pytest.raises(CommandError, match="A prestashop source needs --key"):
        call_command("add_source", sme=sme.slug, kind="prestashop", url=shop, stdout=StringIO())
