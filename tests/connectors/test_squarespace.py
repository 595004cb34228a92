"""The Squarespace connector against a local server answering as the Commerce APIs' reference documents."""

from __future__ import annotations

import datetime
import logging
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from connectors.base import ConnectorError
from connectors.models import DataSource, Order, OrderLine, Product, Refund, SourceStatus, SyncStatus
from connectors.restapi import Unreachable, next_since
from connectors.squarespace.client import USER_AGENT
from connectors.squarespace.connector import SquarespaceConnector
from connectors.sync import source_sync
from tests.journey.factories import SMEFactory

from .loopback import loopback_server
from .squarespace_fake import KEY, FakeSquarespace


@pytest.fixture
def fake():
    return FakeSquarespace()


@pytest.fixture
def shop(fake, settings):
    with loopback_server(fake, headers_seen=fake.headers_seen) as (base_url, _):
        settings.CONNECTORS_SQUARESPACE_API_ROOT = base_url
        yield base_url


@pytest.fixture
def source(db, shop):
    source = DataSource(sme=SMEFactory(), kind="squarespace", options={"currency": "GBP"})
    source.credentials = {"key": KEY}
    source.save()
    return source


def read(source, stream, cursor=None):
    return list(SquarespaceConnector(source).pages(stream, cursor))


def records(pages):
    return [record for page in pages for record in page.records]


def test_check_sends_the_key_and_a_user_agent_and_learns_the_site(db, shop, fake):
    trial = DataSource(sme=SMEFactory(), kind="squarespace")
    trial.credentials = {"key": KEY}
    SquarespaceConnector(trial).check()
    assert {h["Authorization"] for h in fake.headers_seen} == {f"Bearer {KEY}"}
    assert {h["User-Agent"] for h in fake.headers_seen} == {USER_AGENT}
    assert KEY not in str(fake.queries)
    # A source being connected is named by its site, and keeps the site's currency.
    assert trial.base_url == "https://www.hebridean-knitwear.example"
    assert trial.options == {"currency": "GBP", "site": "https://www.hebridean-knitwear.example"}
    assert fake.queries["products"] == [{"type": "PHYSICAL,SERVICE,GIFT_CARD,DIGITAL"}]


def test_a_wrong_key_is_said_plainly_and_never_logged(source, fake, caplog):
    caplog.set_level(logging.DEBUG)
    fake.key = "another-key"
    with pytest.raises(ConnectorError, match="Squarespace refused the API key") as error:
        SquarespaceConnector(source).check()
    assert KEY not in str(error.value) and KEY not in caplog.text


def test_a_key_without_the_orders_permission_says_which_to_give(source, fake):
    fake.denied.add("orders")
    with pytest.raises(ConnectorError, match="The API key may not read Orders"):
        SquarespaceConnector(source).check()


def test_nothing_at_the_address_is_reported(db, settings):
    settings.CONNECTORS_SQUARESPACE_API_ROOT = "http://127.0.0.1:9"  # nothing listens on discard
    settings.CONNECTORS_HTTP_TIMEOUT = (1, 1)
    source = DataSource(sme=SMEFactory(), kind="squarespace")
    source.credentials = {"key": KEY}
    with pytest.raises(Unreachable) as error:
        SquarespaceConnector(source).check()
    assert error.value.reason == "refused"


def test_a_missing_key(source):
    source.credentials = {}
    with pytest.raises(ConnectorError, match="The API key is missing"):
        SquarespaceConnector(source).check()


def test_orders_money_country_status_and_refunds(source):
    hats, cancelled, scarves = records(read(source, "orders"))  # by modifiedOn; the test-mode one left out
    assert hats.placed_at == datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)
    assert (hats.currency, hats.customer_country, hats.status, hats.channel, hats.prices_include_tax) == (
        "GBP",
        "GB",
        "completed",
        "Squarespace",
        True,
    )
    # VAT included: £8.00 shared between goods (£42.00) and shipping (£6.00), then taken out of each.
    assert (hats.tax, hats.discounts, hats.shipping, hats.shipping_tax, hats.customer_fees) == (
        Decimal("8.00"),
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("1.00"),
        Decimal("0"),
    )
    (line,) = hats.lines
    assert (line.line_key, line.quantity, line.unit_price, line.tax, line.sku, line.product_external_id) == (
        "li-11",
        2,
        Decimal("20.00"),
        Decimal("7.00"),
        "KNIT-HAT",
        "var-hat",
    )
    assert (scarves.customer_country, scarves.prices_include_tax, scarves.lines[0].unit_price) == (
        "FR",
        False,
        Decimal("10.00"),
    )
    (refund,) = scarves.refund_records
    assert (refund.amount, refund.tax) == (Decimal("10.00"), Decimal("2.00"))
    assert refund.refunded_at == datetime.datetime(2026, 4, 5, 8, 0, tzinfo=datetime.UTC)  # the order's modifiedOn
    assert cancelled.status == "cancelled"


def test_products_are_variants_with_their_stock_from_the_inventory_api(source, fake):
    hat, scarf_m, scarf_l, card = records(read(source, "products"))
    assert (hat.external_id, hat.sku, hat.price, hat.currency, hat.stock_quantity, hat.status) == (
        "var-hat",
        "KNIT-HAT",
        Decimal("20.00"),
        "GBP",
        17,  # the Inventory API's, not the product's own copy
        "active",
    )
    assert hat.description == "Hebridean wool." and hat.images[0].url.endswith("/hat.jpg")
    assert (scarf_m.title, scarf_m.price, scarf_m.stock_tracked, scarf_m.status) == (
        "Scarf (M)",
        Decimal("10.00"),  # on sale
        False,  # unlimited
        "draft",
    )
    assert (scarf_l.stock_tracked, scarf_l.stock_quantity) == (True, 4)
    assert (card.sku, card.stock_tracked) == ("GIFT-25", False)  # a gift card has no inventory item
    assert len(fake.queries["inventory"]) == 1  # one request for the page's variants


def test_pages_follow_the_cursor_and_the_last_leaves_the_next_starting_point(source, fake):
    fake.page_size = 2
    pages = read(source, "orders")
    assert [[r.external_id for r in page.records] for page in pages] == [["ord-1", "ord-3"], ["ord-2"]]
    queries = fake.queries["orders"]
    assert queries[0] == {} and list(queries[1]) == ["cursor"]  # a cursor goes alone
    assert pages[0].cursor["page"] == queries[1]["cursor"]
    assert pages[-1].cursor == {"since": next_since(pages[0].cursor["started_at"])}


def test_the_next_run_asks_for_the_window_since_the_last(source, fake):
    pages = read(source, "orders", {"since": "2026-04-01T09:10:00+00:00"})
    query = fake.queries["orders"][0]
    assert query["modifiedAfter"] == "2026-04-01T09:10:00.000Z"
    assert query["modifiedBefore"].endswith("Z") and query["modifiedBefore"] > query["modifiedAfter"]
    assert [r.external_id for r in records(pages)] == ["ord-3", "ord-2"]  # not the test-mode order


def test_a_429_is_waited_out_for_the_cool_down_then_retried(source, fake, settings):
    settings.CONNECTORS_SQUARESPACE_COOLDOWN = 0.4
    fake.failures[("orders", 1)] = [429]
    started = time.monotonic()
    assert len(records(read(source, "orders"))) == 3
    assert time.monotonic() - started >= 0.4
    assert len(fake.queries["orders"]) == 2


def test_5xx_are_retried_then_reported_plainly(source, fake):
    fake.failures[("orders", 1)] = [500, 503]
    assert len(records(read(source, "orders"))) == 3
    fake.failures[("products", 1)] = [503] * 10
    with pytest.raises(ConnectorError, match=r"kept failing \(error 503\)"):
        read(source, "products")


def test_a_server_too_slow_is_retried_then_reported(source, fake, settings):
    settings.CONNECTORS_HTTP_TIMEOUT = (2, 0.05)
    fake.failures[("orders", 1)] = [("sleep", 0.3)] * 20
    with pytest.raises(ConnectorError, match="did not answer in time") as error:
        read(source, "orders")
    assert KEY not in str(error.value)


def test_truncated_json_is_never_written(source, fake):
    fake.failures[("orders", 1)] = ["truncated"]
    with pytest.raises(ConnectorError, match="something other than the data expected"):
        read(source, "orders")


def test_an_expired_cursor_restarts_the_listing(source, fake):
    fake.page_size = 2
    first = read(source, "orders")[0]
    fake.expire_cursors = 1
    pages = read(source, "orders", first.cursor)
    # Restarted: page 1 again (written again, changing nothing), then page 2.
    assert [[r.external_id for r in page.records] for page in pages] == [["ord-1", "ord-3"], ["ord-2"]]
    queries = fake.queries["orders"][-3:]
    assert list(queries[0]) == ["cursor"] and queries[1] == {} and list(queries[2]) == ["cursor"]
    fake.expire_cursors = 2  # refused again after the restart: not an expiry, reported
    with pytest.raises(ConnectorError, match="refused the request"):
        read(source, "orders", first.cursor)


# Through the sync engine


def test_a_sync_writes_everything_and_a_resync_writes_nothing_twice(source, fake):
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert Product.objects.filter(source=source).count() == 4 and Order.objects.filter(source=source).count() == 3
    refund = Refund.objects.get(order__external_id="ord-2")
    assert (refund.amount, refund.tax) == (Decimal("10.00"), Decimal("2.00"))
    source.refresh_from_db()
    assert source.status == SourceStatus.OK and source.cursor["orders"].keys() == {"since"}
    # Who ordered is kept only as a pseudonymous key of the e-mail (never the address itself).
    keys = list(Order.objects.filter(source=source).values_list("customer_key", flat=True))
    assert all(len(key) == 32 for key in keys) and len(set(keys)) == 3
    assert not Order.objects.filter(customer_key__contains="@").exists()

    again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED and again.created == 0
    assert "modifiedAfter" in fake.queries["orders"][-1]
    assert Order.objects.count() == 3 and OrderLine.objects.count() == 3 and Refund.objects.count() == 1


def test_a_sync_that_dies_resumes_with_nothing_lost_or_duplicated(source, fake, caplog):
    caplog.set_level(logging.DEBUG)
    fake.page_size = 1
    fake.failures[("orders", 3)] = [500] * 6  # the check reads orders once, then page 1 passes
    first = source_sync(source=source, trigger="manual")
    assert first.status == SyncStatus.FAILED and "kept failing (error 500)" in first.errors[0]["reason"]
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["ord-1"]
    source.refresh_from_db()
    assert source.cursor["orders"]["page"]

    second = source_sync(source=source, trigger="manual")
    assert second.status == SyncStatus.SUCCEEDED, second.errors
    assert list(fake.queries["orders"][-3]) == ["cursor"]  # resumed from the saved cursor
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["ord-1", "ord-2", "ord-3"]
    assert OrderLine.objects.count() == 3 and Refund.objects.count() == 1
    assert KEY not in caplog.text and KEY not in str(first.errors)


def test_add_source_and_sync_source_commands(db, shop, fake):
    from django.core.management.base import CommandError

    sme = SMEFactory()
    out = StringIO()
    call_command("add_source", sme=sme.slug, kind="squarespace", key=KEY, stdout=out)
    source = DataSource.objects.get(sme=sme)
    assert (source.kind, source.base_url, source.credentials) == ("squarespace", "", {"key": KEY})
    assert KEY not in out.getvalue()
    call_command("sync_source", sme=sme.slug, stdout=out)
    assert Order.objects.filter(source=source).count() == 3
    source.refresh_from_db()
    assert source.options == {"currency": "GBP", "site": "https://www.hebridean-knitwear.example"}
    with pytest.raises(CommandError, match="A squarespace source needs --key"):
        call_command("add_source", sme=sme.slug, kind="squarespace", stdout=StringIO())


def test_the_country_falls_back_to_billing_and_a_full_refund_is_refunded():
    from connectors.squarespace.connector import map_order

    from .squarespace_fake import sample

    collected = sample()["orders"][2]  # a digital order has no shipping address
    collected.update(shippingAddress=None, fulfillmentStatus="FULFILLED", refundedTotal={"currency": "GBP",
                     "value": "24.00"})  # fmt: skip
    collected["billingAddress"]["countryCode"] = "ie"
    record = map_order(collected)
    assert (record.customer_country, record.status) == ("IE", "refunded")
    (refund,) = record.refund_records
    assert (refund.amount, refund.tax) == (Decimal("20.00"), Decimal("4.00"))
