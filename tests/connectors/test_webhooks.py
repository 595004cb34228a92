"""Webhooks: signed or refused, queued and written by a task, idempotent, bounded, and only ever the
signed shop's own records."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path

import pytest
import responses
from django.core.management import call_command
from django.test import override_settings

from connectors.models import DataSource, Order, OrderLine, Product, WebhookDelivery
from connectors.records import ProductRecord
from connectors.webhooks import webhook_token_for, webhooks_register
from connectors.writer import write_products
from tests.journey.factories import SMEFactory

from .shopify_graphql_server import FakeShopifyGraphQL, shopify_server
from .test_money import SHOPIFY_ORDERS

pytestmark = pytest.mark.django_db

SHOPIFY_SECRET = "shpss_app_secret_0123456789"
WOO_SECRET = "woo-webhook-secret"


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.fixture
def shopify():
    source = DataSource(sme=SMEFactory(), kind="shopify", base_url="https://mugs.myshopify.com")
    source.credentials = {"token": "shpat_x", "webhook_secret": SHOPIFY_SECRET}
    source.options = {"currency": "GBP"}
    source.save()
    return source


@pytest.fixture
def woo():
    source = DataSource(sme=SMEFactory(), kind="woocommerce", base_url="https://www.teas.fr")
    source.credentials = {"key": "ck_x", "secret": "cs_x", "webhook_secret": WOO_SECRET}
    source.save()
    return source


def post_shopify(client, source, payload, *, topic="orders/create", webhook_id="wh-1", secret=SHOPIFY_SECRET, **extra):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"HTTP_X_SHOPIFY_TOPIC": topic, "HTTP_X_SHOPIFY_WEBHOOK_ID": webhook_id}
    if secret is not None:
        headers["HTTP_X_SHOPIFY_HMAC_SHA256"] = sign(secret, body)
    headers.update(extra)
    url = f"/connectors/webhooks/{webhook_token_for(source)}/"
    return client.post(url, body, content_type="application/json", **headers)


def order_snapshot(source) -> list:
    return sorted(
        Order.objects.filter(source=source).values_list("external_id", "status", "tax", "refunds", "updated_at")
    )


def test_a_signed_shopify_order_is_queued_then_written(client, shopify, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_shopify(client, shopify, SHOPIFY_ORDERS[0])
    # The write task is queued after the commit; the toolkit refresh after the write.
    assert response.status_code == 200
    assert [c.__qualname__.split(".")[0] for c in callbacks[:2]] == ["webhook_receive", "changes_note"]
    order = Order.objects.get(source=shopify, external_id="1001")
    assert order.tax == Decimal("8.00") and order.lines.count() == 1
    delivery = WebhookDelivery.objects.get(source=shopify)
    assert delivery.written_at is not None and delivery.payload == ""  # written, then emptied


def test_a_redelivered_webhook_changes_nothing(client, shopify, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_shopify(client, shopify, SHOPIFY_ORDERS[1], webhook_id="wh-7")
    before = order_snapshot(shopify)
    lines = list(OrderLine.objects.filter(order__source=shopify).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = post_shopify(client, shopify, SHOPIFY_ORDERS[1], webhook_id="wh-7")
    assert again.status_code == 200 and callbacks == []  # nothing queued
    assert WebhookDelivery.objects.filter(source=shopify).count() == 1
    # The same order in another delivery (orders/updated with nothing new): written as unchanged.
    with django_capture_on_commit_callbacks(execute=True):
        post_shopify(client, shopify, SHOPIFY_ORDERS[1], topic="orders/updated", webhook_id="wh-8")
    assert order_snapshot(shopify) == before
    assert list(OrderLine.objects.filter(order__source=shopify).values_list("pk", flat=True)) == lines


@pytest.mark.parametrize(
    "secret, extra, status",
    [
        (None, {}, 401),  # unsigned
        ("not-the-secret", {}, 403),  # signed with another key
        (SHOPIFY_SECRET, {"HTTP_X_SHOPIFY_HMAC_SHA256": "bm90IGEgc2lnbmF0dXJl"}, 403),  # a signature of something else
    ],
)
def test_unsigned_or_wrongly_signed_webhooks_are_refused_and_write_nothing(client, shopify, secret, extra, status):
    response = post_shopify(client, shopify, SHOPIFY_ORDERS[0], secret=secret, **extra)
    assert response.status_code == status
    assert not Order.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_shop_cannot_write_into_another_shops_records(client, shopify, django_capture_on_commit_callbacks):
    other = DataSource(sme=SMEFactory(), kind="shopify", base_url="https://other.myshopify.com")
    other.credentials = {"token": "shpat_y", "webhook_secret": "the-other-apps-secret"}
    other.save()
    # Signed with the other shop's secret but sent to this shop's address: refused.
    response = post_shopify(client, shopify, SHOPIFY_ORDERS[0], secret="the-other-apps-secret")
    assert response.status_code == 403
    # Signed properly to its own address: lands in its own source only.
    with django_capture_on_commit_callbacks(execute=True):
        assert post_shopify(client, other, SHOPIFY_ORDERS[0], secret="the-other-apps-secret").status_code == 200
    assert list(Order.objects.values_list("source_id", flat=True)) == [other.pk]


def test_bad_requests_never_give_a_500(client, shopify, django_capture_on_commit_callbacks):
    token = webhook_token_for(shopify)
    assert client.get(f"/connectors/webhooks/{token}/").status_code == 405
    assert client.post("/connectors/webhooks/no-such-token/", b"{}", content_type="application/json").status_code == 403
    with override_settings(CONNECTORS_WEBHOOK_MAX_BYTES=1000):
        big = {"id": 1, "note": "x" * 2000}
        assert post_shopify(client, shopify, big).status_code == 413
    # Signed but not an order: accepted (the platform must not retry forever), recorded, nothing written.
    with django_capture_on_commit_callbacks(execute=True):
        assert post_shopify(client, shopify, b"[1, 2", webhook_id="wh-bad").status_code == 200
        assert post_shopify(client, shopify, b"\xff\xfe", webhook_id="wh-bytes").status_code == 200
    assert set(WebhookDelivery.objects.values_list("error", flat=True)) == {"JSONDecodeError"}
    assert not Order.objects.exists()
    # A topic we do not read: acknowledged, nothing stored.
    assert post_shopify(client, shopify, {"id": 1}, topic="customers/create", webhook_id="wh-c").status_code == 200
    assert WebhookDelivery.objects.count() == 2


def test_a_product_webhook_keeps_the_cost_the_last_sync_read(client, shopify, django_capture_on_commit_callbacks):
    write_products(shopify, [ProductRecord(external_id="4101", sku="MUG", title="Mug", unit_cost=Decimal("8.00"))])
    product = {
        "id": 41, "title": "Mug", "status": "active", "vendor": "Harbour", "body_html": "<p>A mug</p>",
        "images": [],
        "variants": [{"id": 4101, "title": "Default Title", "sku": "MUG", "price": "26.00",
                      "inventory_item_id": 9, "inventory_quantity": 4, "inventory_management": "shopify"}],
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post_shopify(client, shopify, product, topic="products/update", webhook_id="wh-p").status_code == 200
    row = Product.objects.get(source=shopify, external_id="4101")
    assert row.price == Decimal("26.00") and row.stock_quantity == 4 and row.unit_cost == Decimal("8.00")


def test_woocommerce_orders_are_verified_with_their_signature(client, woo, django_capture_on_commit_callbacks):
    order = json.loads((Path(__file__).parent / "fixtures/woocommerce_v3_orders_list.json").read_text())[0]
    body = json.dumps(order).encode()
    url = f"/connectors/webhooks/{webhook_token_for(woo)}/"
    headers = {"HTTP_X_WC_WEBHOOK_TOPIC": "order.created", "HTTP_X_WC_WEBHOOK_DELIVERY_ID": "17"}
    assert client.post(url, body, content_type="application/json", **headers).status_code == 401
    wrong = {**headers, "HTTP_X_WC_WEBHOOK_SIGNATURE": sign("guess", body)}
    assert client.post(url, body, content_type="application/json", **wrong).status_code == 403
    assert not Order.objects.exists()
    signed = {**headers, "HTTP_X_WC_WEBHOOK_SIGNATURE": sign(WOO_SECRET, body)}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, body, content_type="application/json", **signed).status_code == 200
        assert client.post(url, body, content_type="application/json", **signed).status_code == 200  # redelivered
    assert list(Order.objects.values_list("external_id", flat=True)) == [str(order["id"])]
    # The ping WooCommerce sends when the webhook is created: acknowledged, nothing stored.
    ping = client.post(url, b"webhook_id=12", content_type="application/x-www-form-urlencoded")
    assert ping.status_code == 200 and WebhookDelivery.objects.count() == 1


# --- registration ----------------------------------------------------------------------------------------


def test_shopify_webhooks_are_registered_over_graphql(shopify, monkeypatch):
    fake = FakeShopifyGraphQL(token="shpat_x")
    with shopify_server(fake) as base:
        shopify.base_url = base
        shopify.save()
        topics = webhooks_register(shopify, public_root="https://echannel.example/")
    assert topics == ["orders/create", "orders/updated", "products/create", "products/update"]
    subscribed = [v for root, v in fake.seen if root == "webhookSubscriptionCreate"]
    assert [v["topic"] for v in subscribed] == ["ORDERS_CREATE", "ORDERS_UPDATED", "PRODUCTS_CREATE", "PRODUCTS_UPDATE"]
    address = f"https://echannel.example/connectors/webhooks/{webhook_token_for(shopify)}/"
    assert all(v["webhookSubscription"] == {"uri": address, "format": "JSON"} for v in subscribed)


def test_woocommerce_webhooks_are_registered_with_a_secret_of_ours(woo):
    woo.credentials = {"key": "ck_x", "secret": "cs_x"}
    woo.save()
    # Beside it, a shop awaiting connection (no address, no key): skipped, not an error.
    DataSource.objects.create(sme=woo.sme, kind="woocommerce", status="awaiting")
    with responses.RequestsMock() as mock:
        for _ in range(2):
            mock.add(responses.POST, "https://www.teas.fr/wp-json/wc/v3/webhooks", json={"id": 1}, status=201)
        call_command("register_webhooks", sme=woo.sme.slug, public_url="https://echannel.example")
        bodies = [json.loads(call.request.body) for call in mock.calls]
    woo.refresh_from_db()
    secret = woo.credentials["webhook_secret"]
    assert [b["topic"] for b in bodies] == ["order.created", "order.updated"]
    assert all(b["secret"] == secret and b["delivery_url"].endswith(f"/{webhook_token_for(woo)}/") for b in bodies)


def test_a_redelivery_after_the_payload_was_rewritten_elsewhere_is_still_ignored(client, shopify):
    """Deliveries are unique per source: the same id on another source is another delivery."""
    other = copy.deepcopy(shopify)
    other.pk = None
    other.base_url = "https://second.myshopify.com"
    other.options = {}
    other.save()
    assert post_shopify(client, shopify, SHOPIFY_ORDERS[0], webhook_id="same").status_code == 200
    assert post_shopify(client, other, SHOPIFY_ORDERS[0], webhook_id="same").status_code == 200
    assert WebhookDelivery.objects.count() == 2


# --- a burst of webhooks refreshes the toolkit once ------------------------------------------------------


@pytest.fixture
def refreshes(monkeypatch):
    """The refresh tasks queued (arguments, countdown) and the toolkit refreshes run (SME ids)."""
    from django.core.cache import cache

    cache.clear()
    queued, toolkit = [], []
    monkeypatch.setattr(
        "connectors.tasks.webhook_refresh_task.apply_async",
        lambda args, countdown=None: queued.append((tuple(args), countdown)),
    )
    monkeypatch.setattr("toolkit.tasks.report_refresh_task.delay", toolkit.append)
    return queued, toolkit


def numbered_order(n: int) -> dict:
    order = copy.deepcopy(SHOPIFY_ORDERS[0])
    order["id"] = 5000 + n
    return order


@override_settings(CONNECTORS_WEBHOOK_REFRESH_SECONDS=45)
def test_a_burst_of_webhooks_gives_one_toolkit_refresh(client, shopify, refreshes, django_capture_on_commit_callbacks):
    from connectors.tasks import webhook_refresh_task

    queued, toolkit = refreshes
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            response = post_shopify(client, shopify, numbered_order(n), webhook_id=f"burst-{n}")
            assert response.status_code == 200
    assert Order.objects.filter(source=shopify).count() == 5
    assert queued == [((shopify.pk,), 45)]  # one refresh, 45 s after the first change

    def run_refresh():
        with django_capture_on_commit_callbacks(execute=True):
            return webhook_refresh_task.run(shopify.pk)

    assert run_refresh() == (5, 0)
    assert toolkit == [shopify.sme_id]
    # The refresh ran: the next change queues the next one; a task with nothing new refreshes nothing.
    assert run_refresh() == (0, 0) and toolkit == [shopify.sme_id]
    changed = numbered_order(0)
    changed["cancelled_at"] = "2026-03-11T10:00:00+00:00"
    with django_capture_on_commit_callbacks(execute=True):
        post_shopify(client, shopify, changed, topic="orders/updated", webhook_id="burst-again")
    assert queued == [((shopify.pk,), 45), ((shopify.pk,), 45)]
    assert run_refresh() == (0, 1) and toolkit == [shopify.sme_id] * 2


def test_a_webhook_that_changes_nothing_queues_no_refresh(
    client, shopify, refreshes, django_capture_on_commit_callbacks
):
    queued, _toolkit = refreshes
    with django_capture_on_commit_callbacks(execute=True):
        post_shopify(client, shopify, SHOPIFY_ORDERS[0], webhook_id="once")
    assert len(queued) == 1
    from connectors.tasks import webhook_refresh_task

    webhook_refresh_task.run(shopify.pk)
    with django_capture_on_commit_callbacks(execute=True):
        post_shopify(client, shopify, SHOPIFY_ORDERS[0], topic="orders/updated", webhook_id="same-again")
    assert len(queued) == 1  # written as unchanged: nothing to recompute


def test_the_refresh_is_never_queued_by_the_answer_itself(
    client, shopify, refreshes, django_capture_on_commit_callbacks
):
    queued, _toolkit = refreshes
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_shopify(client, shopify, SHOPIFY_ORDERS[0], webhook_id="later")
    assert response.status_code == 200 and len(callbacks) == 1 and queued == []
    assert not Order.objects.filter(source=shopify).exists()  # the write waits for its task


def test_the_refresh_reaches_the_toolkit_through_the_sync_hook(shopify, monkeypatch):
    from journey import hooks

    seen = []
    monkeypatch.setattr(hooks, "get", lambda name: [lambda source, run: seen.append((name, source, run.created))])
    from connectors.webhooks import changes_note, changes_refresh

    changes_note(shopify, created=2, updated=0)
    assert changes_refresh(shopify.pk) == (2, 0)
    assert seen == [(hooks.SYNC_SUCCEEDED, shopify, 2)]
