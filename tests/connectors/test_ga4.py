"""The Google Analytics 4 connector against a local Google (tests/connectors/google_server.py).

Token exchange with a real signed JWT (google-auth), runReport pages by offset and limit,
the property's quota, items matched to the SME's products, and every fault case: 429
RESOURCE_EXHAUSTED, 5xx, timeouts, truncated JSON, an expired access token, a revoked key,
a sync that dies and resumes with nothing lost or duplicated.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from connectors.base import ConnectorError
from connectors.ga4.client import GA4Client, key_info, property_id_clean
from connectors.ga4.connector import GA4Connector
from connectors.models import DataSource, Product, ProductAnalytics, SourceStatus, SyncStatus
from connectors.records import ProductRecord
from connectors.sync import source_sync
from connectors.writer import write_products
from tests.journey.factories import SMEFactory

from .google_server import FakeGoogle, day, error_body, google_server

pytestmark = pytest.mark.django_db

PROPERTY = "123456789"


@pytest.fixture(scope="module")
def private_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def key(private_key) -> dict:
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": "echannel-test",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": "echannel-reader@echannel-test.iam.gserviceaccount.com",
        "client_id": "1234567890",
        # Never used: the connector posts to CONNECTORS_GA4_TOKEN_URI whatever the key says.
        "token_uri": "https://attacker.example/token",
    }


def today() -> datetime.date:
    return timezone.now().date()


def days_ago(n: int) -> str:
    return day(today() - datetime.timedelta(days=n))


@pytest.fixture
def google(private_key):
    fake = FakeGoogle(public_key=private_key.public_key(), property_id=PROPERTY)
    fake.items = {
        (days_ago(3), "MUG-BLUE"): (40, 6, 2),  # the SKU of a shop product
        (days_ago(3), "shopify_GB_700_4101"): (25, 3, 1),  # Shopify's Google channel: variant 4101
        (days_ago(2), "MUG-BLUE"): (35, 4, 1),
        (days_ago(2), "9001"): (12, 1, 0),  # a product's platform id
        (days_ago(2), "GHOST-1"): (7, 0, 0),  # no such product: unmatched
        (days_ago(1), "(not set)"): (90, 2, 0),  # events without an item id: dropped
        (days_ago(1), "MUG-BLUE"): (20, 2, 1),
        (days_ago(1), "GHOST-2"): (3, 1, 0),
    }
    fake.sessions = {days_ago(3): 310, days_ago(2): 280, days_ago(1): 150}
    return fake


@pytest.fixture
def served(google):
    with google_server(google) as base:
        with override_settings(
            CONNECTORS_GA4_TOKEN_URI=f"{base}/token",
            CONNECTORS_GA4_API_ROOT=f"{base}/v1beta",
            CONNECTORS_GA4_PAGE_ROWS=3,
            CONNECTORS_HTTP_TIMEOUT=(2, 0.5),
        ):
            yield google


@pytest.fixture
def shop_sme():
    sme = SMEFactory()
    shop = DataSource.objects.create(sme=sme, kind="shopify", base_url="https://shop.example")
    write_products(
        shop,
        [
            ProductRecord(external_id="4100", sku="MUG-BLUE", title="Blue mug"),
            ProductRecord(external_id="4101", sku="MUG-RED", title="Red mug"),
            ProductRecord(external_id="9001", sku="", title="Scarf"),
        ],
    )
    return sme


def ga4_source(sme, key, property_id=PROPERTY) -> DataSource:
    source = DataSource(sme=sme, kind="ga4", options={"property": property_id})
    source.credentials = {"key": key}
    source.save()
    return source


def stored(source) -> list[tuple]:
    return sorted(
        ProductAnalytics.objects.filter(source=source).values_list(
            "date", "product_key", "views", "add_to_carts", "purchases", "sessions"
        )
    )


def expected(google) -> list[tuple]:
    rows = [
        (datetime.datetime.strptime(d, "%Y%m%d").date(), item, *values, 0)
        for (d, item), values in google.items.items()
        if item != "(not set)"
    ]
    rows += [
        (datetime.datetime.strptime(d, "%Y%m%d").date(), "", 0, 0, 0, value) for d, value in google.sessions.items()
    ]
    return sorted(rows)


# --- a sync, and the next one -------------------------------------------------------------------------


def test_sync_reads_every_page_matches_items_and_resyncs_without_duplicates(served, shop_sme, key):
    source = ga4_source(shop_sme, key)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert stored(source) == expected(served)
    # 7 item rows and 3 session rows in pages of 3 (+ the check's report).
    assert run.pages == 3 + 1 and run.created == 10
    products = dict(Product.objects.filter(sme=shop_sme).values_list("external_id", "pk"))
    matched = dict(
        ProductAnalytics.objects.filter(source=source).exclude(product_key="").values_list("product_key", "product_id")
    )
    assert matched == {
        "MUG-BLUE": products["4100"],  # by SKU
        "shopify_GB_700_4101": products["4101"],  # by the variant id the item id carries
        "9001": products["9001"],  # by platform id
        "GHOST-1": None,
        "GHOST-2": None,
    }
    # The report asked for: items per day with the three item metrics, ordered, paged; then sessions.
    first = served.reports[1]
    assert [d["name"] for d in first["dimensions"]] == ["date", "itemId"]
    assert [m["name"] for m in first["metrics"]] == ["itemsViewed", "itemsAddedToCart", "itemsPurchased"]
    assert first["returnPropertyQuota"] is True and (first["offset"], first["limit"]) == (0, 3)
    assert [r["offset"] for r in served.reports[1:]] == [0, 3, 6, 0]
    assert [m["name"] for m in served.reports[-1]["metrics"]] == ["sessions"]
    assert len(served.tokens_issued) == 1  # one token for the whole run
    assert all(header == "Bearer ya29.local-1" for header in served.auth_headers)
    source.refresh_from_db()
    assert source.status == SourceStatus.OK
    assert source.cursor["analytics"] == {"since": (today() - datetime.timedelta(days=3)).isoformat()}

    # GA4 revises the latest days: the next sync reads them again and updates, never duplicates.
    served.items[(days_ago(1), "MUG-BLUE")] = (22, 2, 1)
    served.reports.clear()
    again = source_sync(source=source, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED and again.created == 0 and again.updated == 1
    assert stored(source) == expected(served)
    assert served.reports[1]["dateRanges"] == [
        {"startDate": (today() - datetime.timedelta(days=3)).isoformat(), "endDate": today().isoformat()}
    ]


def test_items_synced_before_the_shop_are_matched_when_its_products_arrive(served, key):
    sme = SMEFactory()
    source = ga4_source(sme, key)
    assert source_sync(source=source, trigger="manual").status == SyncStatus.SUCCEEDED
    assert not ProductAnalytics.objects.filter(source=source, product__isnull=False).exists()
    shop = DataSource.objects.create(sme=sme, kind="file")
    write_products(shop, [ProductRecord(external_id="1", sku="MUG-BLUE", title="Blue mug")])
    product = Product.objects.get(source=shop)
    assert set(ProductAnalytics.objects.filter(product=product).values_list("product_key", flat=True)) == {"MUG-BLUE"}


def test_the_data_page_counts_and_names_unmatched_items(client, served, shop_sme, key):
    from tests.journey.factories import SMEUserFactory

    source = ga4_source(shop_sme, key)
    source_sync(source=source, trigger="manual")
    client.force_login(SMEUserFactory(sme=shop_sme))
    page = client.get(f"/en/portal/smes/{shop_sme.slug}/data/").content.decode()
    assert 'data-testid="unmatched-items"' in page
    assert "2 analytics items match no product" in page and "GHOST-1" in page and "GHOST-2" in page
    french = client.get(f"/fr/portal/smes/{shop_sme.slug}/data/").content.decode()
    assert "2 articles" in french and "GHOST-1" in french


# --- faults -------------------------------------------------------------------------------------------


def test_throttled_429_is_waited_out_then_the_sync_goes_on(served, shop_sme, key):
    exhausted = error_body(429, "RESOURCE_EXHAUSTED", "Exhausted concurrent requests quota.")
    served.faults.append(lambda kind, n: (429, {}, exhausted) if kind == "report" and n in (2, 3) else None)
    run = source_sync(source=ga4_source(shop_sme, key), trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert stored(run.source) == expected(served)


def test_quota_used_up_stops_the_run_and_the_next_resumes_with_nothing_lost(served, shop_sme, key):
    exhausted = error_body(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per hour.")
    served.faults.append(lambda kind, n: (429, {}, exhausted) if kind == "report" and n >= 2 else None)
    source = ga4_source(shop_sme, key)
    with translation.override("fr"):
        run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED and "quota" in run.errors[0]["reason"]
    assert "reprend" in run.errors[0]["reason"]  # in the language of whoever started it
    assert len(stored(source)) == 3  # the first page, kept
    source.refresh_from_db()
    assert source.cursor["analytics"]["offset"] == 3
    served.faults.clear()
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED and run.created == 7
    assert stored(source) == expected(served)


def test_low_remaining_quota_stops_after_the_page_written(served, shop_sme, key):
    served.remaining["tokensPerHour"] = 1_015  # below the reserve after the check and the first page
    source = ga4_source(shop_sme, key)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED and "nearly used up" in run.errors[0]["reason"]
    assert len(stored(source)) == 3
    served.remaining["tokensPerHour"] = 39_000
    assert source_sync(source=source, trigger="manual").status == SyncStatus.SUCCEEDED
    assert stored(source) == expected(served)


@pytest.mark.parametrize(
    "fault, message",
    [
        (
            (503, {}, error_body(503, "UNAVAILABLE", "The service is currently unavailable.")),
            "kept failing (error 503)",
        ),
        ((200, {}, b'{"dimensionHeaders": [{"name": "date"}], "rows": [{"dimensionVal'), "cut off"),
        (("sleep", 1.0, b"{}"), "did not answer in time"),
    ],
)
def test_a_sync_that_dies_midway_resumes_with_zero_lost_and_zero_duplicated(served, shop_sme, key, fault, message):
    # The third report page fails on every attempt (retries included), then the source recovers.
    served.faults.append(lambda kind, n: fault if kind == "report" and n >= 3 else None)
    source = ga4_source(shop_sme, key)
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.FAILED and message in run.errors[0]["reason"], run.errors
    assert len(stored(source)) == 5  # two pages written before it died ("(not set)" dropped)
    served.faults.clear()
    run = source_sync(source=source, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED and run.created == 5 and run.updated == 0
    assert stored(source) == expected(served)
    assert ProductAnalytics.objects.filter(source=source).count() == 10


def test_a_5xx_then_success_is_retried_within_the_run(served, shop_sme, key):
    unavailable = error_body(500, "INTERNAL", "Internal error encountered.")
    served.faults.append(lambda kind, n: (500, {}, unavailable) if kind == "report" and n == 2 else None)
    assert source_sync(source=ga4_source(shop_sme, key), trigger="manual").status == SyncStatus.SUCCEEDED


def test_an_expired_access_token_is_refreshed_once(served, shop_sme, key):
    expired = error_body(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
    served.faults.append(lambda kind, n: (401, {}, expired) if kind == "report" and n == 2 else None)
    run = source_sync(source=ga4_source(shop_sme, key), trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert len(served.tokens_issued) == 2
    assert served.auth_headers[-1] == "Bearer ya29.local-2"


def test_a_revoked_key_and_a_missing_permission_say_what_to_do(served, shop_sme, key, private_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    revoked = {
        **key,
        "private_key": other.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
    }
    run = source_sync(source=ga4_source(shop_sme, revoked), trigger="manual")
    assert run.status == SyncStatus.FAILED and "refused the service-account key" in run.errors[0]["reason"]
    source = ga4_source(SMEFactory(), key, property_id="555")
    with translation.override("fr"):
        run = source_sync(source=source, trigger="manual")
    reason = run.errors[0]["reason"]
    assert "555" in reason and key["client_email"] in reason and "Lecteur" in reason
    assert "BEGIN PRIVATE KEY" not in json.dumps(run.errors)


def test_the_connection_check_uses_the_configured_token_endpoint_only(served, shop_sme, key):
    source = ga4_source(shop_sme, key)
    from connectors.registry import connector_for

    connector_for(source, interactive=True).check()
    assert served.counts["token"] == 1  # ours, not the key's token_uri


def test_bad_settings_are_refused_with_a_clear_message(key):
    assert property_id_clean("properties/42") == "42" and property_id_clean("G-ABC123") == ""
    with pytest.raises(ConnectorError, match="not a service-account key"):
        key_info('{"type": "authorized_user"}')
    with pytest.raises(ConnectorError, match="must be a number"):
        GA4Client(property_id="G-ABC123", key=key)
    broken = {**key, "private_key": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"}
    with pytest.raises(ConnectorError, match="cannot be read"):
        GA4Client(property_id="1", key=broken)
    with override_settings(CONNECTORS_GA4_API_ROOT="http://analytics.example/v1beta"):
        with pytest.raises(ConnectorError, match="secure"):
            GA4Client(property_id="1", key=key)


def test_ga4_declares_its_connect_fields():
    names = [(field.name, field.secret, field.required) for field in GA4Connector.connect_fields]
    assert names == [("property", False, True), ("key", True, True)]


# --- the commands -------------------------------------------------------------------------------------


def test_add_source_and_sync_source_for_ga4(served, shop_sme, key, tmp_path, capsys):
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key))
    call_command("add_source", sme=shop_sme.slug, kind="ga4", property="properties/" + PROPERTY, key_file=str(key_file))
    source = DataSource.objects.get(sme=shop_sme, kind="ga4")
    assert source.options == {"property": PROPERTY} and source.credentials["key"]["client_email"] == key["client_email"]
    assert "BEGIN" not in capsys.readouterr().out
    call_command("sync_source", sme=shop_sme.slug, kind="ga4")
    assert stored(source) == expected(served)
    # Another property: the old figures go and the new one is read from the start.
    call_command("add_source", sme=shop_sme.slug, kind="ga4", property="987", key_file=str(key_file))
    source.refresh_from_db()
    assert source.cursor == {} and not source.analytics.exists()


def test_add_source_refuses_a_file_that_is_not_a_key(shop_sme, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "key.json"
    bad.write_text("{}")
    with pytest.raises(CommandError, match="not a service-account key"):
        call_command("add_source", sme=shop_sme.slug, kind="ga4", property="1", key_file=str(bad))
    with pytest.raises(CommandError, match="--property"):
        call_command("add_source", sme=shop_sme.slug, kind="ga4", key_file=str(bad))


# --- what it is for: views and conversion in the market assessment --------------------------------------


def test_a_ga4_source_brings_conversion_evidence_into_the_market_assessment(client, served, key):
    from tests.journey.factories import SMEUserFactory
    from tests.toolkit.factories import build_shop
    from toolkit import report
    from toolkit.models import Tool, ToolAccess
    from toolkit.services import report_refresh

    sme = build_shop(SMEFactory())  # products MUG and BOWL, fourteen months of orders
    for tool in Tool.values:
        ToolAccess.objects.get_or_create(sme=sme, tool=tool)
    before = report.compute(sme)
    assert before["readiness"]["has_views"] is False
    assert all(item["conversion"] is None for item in before["market"]["opportunities"])

    # Few views of the mug for its orders (it converts well), many of the bowl.
    served.items = {(days_ago(n), "MUG"): (10, 2, 1) for n in range(1, 31)}
    served.items.update({(days_ago(n), "BOWL"): (200, 2, 1) for n in range(1, 31)})
    run = source_sync(source=ga4_source(sme, key), trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    after = report.compute(sme)
    assert after["readiness"]["has_views"] is True
    mug_id = Product.objects.get(sme=sme, sku="MUG").pk
    opportunities = {item["product_id"]: item for item in after["market"]["opportunities"]}
    assert mug_id in opportunities, after["market"]["opportunities"]
    mug = opportunities[mug_id]
    assert mug["views"] == 300 and mug["conversion"] is not None and mug["conversion"] > 0

    report_refresh(sme=sme)
    client.force_login(SMEUserFactory(sme=sme))
    page = client.get(f"/en/portal/smes/{sme.slug}/toolkit/market/").content.decode()
    evidence = re.findall(r'<dl class="evidence">(.*?)</dl>', page, re.S)
    assert any("<dt>Conversion (%)</dt>" in block and "<dt>Views</dt>" in block for block in evidence), evidence
