"""Webhooks: near-real-time orders and products from Shopify and WooCommerce, the nightly sync kept as the net.

A platform posts to ``/connectors/webhooks/<token>/``; the token (random, in the source's
options) says which source, and the body must be signed with that source's webhook secret:

- Shopify: ``X-Shopify-Hmac-Sha256``, the base64 HMAC-SHA256 of the raw body with the app's
  secret; topic in ``X-Shopify-Topic``, delivery in ``X-Shopify-Webhook-Id``;
- WooCommerce: ``X-WC-Webhook-Signature``, the same with the webhook's secret; topic in
  ``X-WC-Webhook-Topic``, delivery in ``X-WC-Webhook-Delivery-ID``.

Unsigned: 401; wrongly signed or an unknown address: 403; too large: 413 — never a 500, and nothing is written.
A signed delivery is stored once (``WebhookDelivery``, unique per source and delivery id: a
redelivery changes nothing) and written by a Celery task, so the answer never waits on the
database writes. The payloads are the platforms' REST shapes, mapped by the same functions as
the syncs, and only ever written to the signed source's own records.

What a webhook changes refreshes the SME's toolkit report like a sync does (the
``SYNC_SUCCEEDED`` hook), debounced: the first change queues one refresh task
``CONNECTORS_WEBHOOK_REFRESH_SECONDS`` later, and the changes written until it runs are counted
into that same refresh (counts and the "queued" mark in the cache; share it between workers with
``CACHE_URL``). The refresh is queued by the write task, never by the answer to the platform.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DataSource, Product, SourceKind, WebhookDelivery

logger = logging.getLogger(__name__)

TOPICS = {
    SourceKind.SHOPIFY: {
        "orders/create": "orders",
        "orders/updated": "orders",
        "products/create": "products",
        "products/update": "products",
    },
    SourceKind.WOOCOMMERCE: {"order.created": "orders", "order.updated": "orders"},
}
HEADERS = {  # signature, topic, delivery id (as Django's META names them)
    SourceKind.SHOPIFY: ("HTTP_X_SHOPIFY_HMAC_SHA256", "HTTP_X_SHOPIFY_TOPIC", "HTTP_X_SHOPIFY_WEBHOOK_ID"),
    SourceKind.WOOCOMMERCE: ("HTTP_X_WC_WEBHOOK_SIGNATURE", "HTTP_X_WC_WEBHOOK_TOPIC", "HTTP_X_WC_WEBHOOK_DELIVERY_ID"),
}


def max_bytes() -> int:
    return getattr(settings, "CONNECTORS_WEBHOOK_MAX_BYTES", 1024 * 1024)


def signature(secret: str, body: bytes) -> str:
    """The base64 HMAC-SHA256 of ``body`` with ``secret``, as both platforms sign."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_valid(secret: str, body: bytes, given: str) -> bool:
    return bool(secret and given) and hmac.compare_digest(signature(secret, body), given.strip())


def webhook_token_for(source: DataSource) -> str:
    """The source's webhook address token, made (and saved) on first use."""
    token = (source.options or {}).get("webhook_token")
    if not token:
        token = secrets.token_urlsafe(24)
        source.options = {**(source.options or {}), "webhook_token": token}
        source.save(update_fields=["options"])
    return token


def source_for_token(token: str) -> DataSource | None:
    if not token or len(token) > 64:
        return None
    return (
        DataSource.objects.filter(kind__in=list(TOPICS), options__webhook_token=token)
        .exclude(status="disabled")
        .first()
    )


def webhook_receive(*, source: DataSource, topic: str, delivery_id: str, body: bytes) -> WebhookDelivery | None:
    """Store a signed delivery and queue its writing; None when it is a redelivery (nothing changes)."""
    from .tasks import webhook_write_task

    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                source=source,
                delivery_id=delivery_id[:100],
                topic=topic[:50],
                payload=body.decode("utf-8", errors="replace"),
            )
    except IntegrityError:
        logger.info("Webhook %s of data source %s delivered again: ignored", delivery_id[:100], source.pk)
        return None
    transaction.on_commit(lambda: webhook_write_task.delay(delivery.pk))
    return delivery


def webhook_write(delivery_id: int) -> WebhookDelivery | None:
    """The task's part: map the stored payload with the platform's mapping and write it (once)."""
    from .shopify.connector import map_order as shopify_order
    from .shopify.connector import map_product as shopify_product
    from .woocommerce.connector import map_order as woocommerce_order
    from .writer import write_page

    delivery = WebhookDelivery.objects.select_related("source").filter(pk=delivery_id).first()
    if delivery is None or delivery.written_at is not None:
        return delivery
    source = delivery.source
    stream = TOPICS.get(source.kind, {}).get(delivery.topic)
    try:
        payload = json.loads(delivery.payload)
        if not isinstance(payload, dict) or stream is None:
            raise ValueError("not an object of a known topic")
        if source.kind == SourceKind.SHOPIFY and stream == "orders":
            records = [shopify_order(payload)]
        elif source.kind == SourceKind.SHOPIFY:
            currency = (source.options or {}).get("currency", "")
            records = shopify_product(payload, currency=currency, items={}, levels={})
            _keep_known_costs(source, records)
        else:
            records = [woocommerce_order(payload)]
        with transaction.atomic():
            counts = write_page(source, stream, records)
            delivery.payload, delivery.written_at = "", timezone.now()
            delivery.save(update_fields=["payload", "written_at"])
    except Exception as error:  # a payload we cannot map: kept for the team, the nightly sync still reads it
        logger.warning("Webhook %s of data source %s not written: %s", delivery.pk, source.pk, type(error).__name__)
        delivery.error = type(error).__name__[:300]
        delivery.save(update_fields=["error"])
        return delivery
    if counts.created or counts.updated:
        changes_note(source, created=counts.created, updated=counts.updated)
    return delivery


def refresh_delay() -> int:
    return getattr(settings, "CONNECTORS_WEBHOOK_REFRESH_SECONDS", 60)


def _keys(source_id: int) -> tuple[str, str, str]:
    base = f"connectors:webhook-changes:{source_id}"
    return f"{base}:queued", f"{base}:created", f"{base}:updated"


def changes_note(source: DataSource, *, created: int, updated: int) -> None:
    """Count what a webhook changed, and queue the refresh unless one is queued already (the debounce)."""
    from .tasks import webhook_refresh_task

    queued, *counters = _keys(source.pk)
    keep = refresh_delay() + 3600  # the marks outlive a late task
    for key, count in zip(counters, (created, updated), strict=True):
        if count:
            cache.add(key, 0, keep)
            try:
                cache.incr(key, count)
            except ValueError:  # expired meanwhile
                cache.set(key, count, keep)
    if cache.add(queued, True, keep):
        source_id, delay = source.pk, refresh_delay()
        transaction.on_commit(lambda: webhook_refresh_task.apply_async((source_id,), countdown=delay))


def changes_refresh(source_id: int) -> tuple[int, int]:
    """The refresh task's part: tell the apps above (``SYNC_SUCCEEDED``, with an unsaved run carrying the
    webhooks' counts) what changed since the refresh was queued; returns (created, updated)."""
    from .models import SyncRun, SyncStatus
    from .sync import notify_success

    queued, created_key, updated_key = _keys(source_id)
    cache.delete(queued)  # a webhook from now on queues the next refresh
    counts = cache.get_many([created_key, updated_key])
    created, updated = int(counts.get(created_key) or 0), int(counts.get(updated_key) or 0)
    for key, count in ((created_key, created), (updated_key, updated)):
        if count:
            try:
                cache.decr(key, count)  # what came in meanwhile stays for the next refresh
            except ValueError:
                pass
    source = DataSource.objects.filter(pk=source_id).first()
    if source is None or not (created or updated):
        return 0, 0
    run = SyncRun(source=source, status=SyncStatus.SUCCEEDED, created=created, updated=updated)
    notify_success(source, run)
    return created, updated


def _keep_known_costs(source: DataSource, records: list) -> None:
    """A product webhook carries no inventory cost: keep the cost the last sync read."""
    missing = [record.external_id for record in records if record.unit_cost is None]
    if not missing:
        return
    known = dict(
        Product.objects.filter(source=source, external_id__in=missing, unit_cost__isnull=False).values_list(
            "external_id", "unit_cost"
        )
    )
    for record in records:
        if record.unit_cost is None and record.external_id in known:
            record.unit_cost = known[record.external_id]


# --- registration with the platforms ---------------------------------------------------------------------

SHOPIFY_SUBSCRIBE = (
    "mutation Subscribe($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {"
    " webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {"
    " webhookSubscription { id } userErrors { field message } } }"
)
SHOPIFY_TOPIC_ENUMS = {
    "orders/create": "ORDERS_CREATE",
    "orders/updated": "ORDERS_UPDATED",
    "products/create": "PRODUCTS_CREATE",
    "products/update": "PRODUCTS_UPDATE",
}


def webhook_address(source: DataSource, public_root: str) -> str:
    return f"{public_root.rstrip('/')}/connectors/webhooks/{webhook_token_for(source)}/"


def webhooks_register(source: DataSource, *, public_root: str) -> list[str]:
    """Subscribe the source's shop to its topics, posting to this site at ``public_root``; returns the
    topics subscribed. Shopify signs with the app's secret (given with the source as ``webhook_secret``);
    WooCommerce with a secret made here and given to it. ``ConnectorError`` when the platform refuses."""
    from django.utils.translation import gettext

    from .base import ConnectorError
    from .restapi import stored_credentials

    address = webhook_address(source, public_root)
    credentials = stored_credentials(source)
    done = []
    if source.kind == SourceKind.SHOPIFY:
        from .shopify.graphql import ShopifyGraphQLConnector

        if not credentials.get("webhook_secret"):
            raise ConnectorError(
                gettext(
                    "Shopify signs its webhooks with the app's API secret key: please give it first "
                    "(in the Shopify admin, your app → API credentials)."
                )
            )
        client = ShopifyGraphQLConnector(source).client
        for topic, enum in SHOPIFY_TOPIC_ENUMS.items():
            variables = {"topic": enum, "webhookSubscription": {"uri": address, "format": "JSON"}}
            data, _ = client.query(SHOPIFY_SUBSCRIBE, variables)
            errors = [
                e.get("message", "") for e in (data.get("webhookSubscriptionCreate") or {}).get("userErrors") or []
            ]
            if errors and not all("taken" in message for message in errors):  # already subscribed: fine
                raise ConnectorError(gettext("Shopify refused the webhook: %(reason)s") % {"reason": "; ".join(errors)})
            done.append(topic)
    elif source.kind == SourceKind.WOOCOMMERCE:
        from .woocommerce.connector import WooCommerceConnector

        secret = credentials.get("webhook_secret") or secrets.token_urlsafe(32)
        if secret != credentials.get("webhook_secret"):
            source.credentials = {**credentials, "webhook_secret": secret}
            source.save(update_fields=["credentials_token"])
        client = WooCommerceConnector(source).client
        for topic in TOPICS[SourceKind.WOOCOMMERCE]:
            body = {"name": f"E-Channel {topic}", "topic": topic, "delivery_url": address, "secret": secret}
            client.post(f"{client.api_root}webhooks", body)
            done.append(topic)
    return done
