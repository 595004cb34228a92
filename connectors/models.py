"""Each SME's commerce data, normalised, and the sources and syncs that bring it in.

Every record belongs to one SME and one data source; ``(source, external_id)`` is unique,
so importing or syncing the same data again creates nothing and updates what changed.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journey.models import SME

from . import crypto


class SourceKind(models.TextChoices):
    FILE = "file", _("File upload")
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    PRESTASHOP = "prestashop", "PrestaShop"
    MAGENTO = "magento", "Magento"
    SQUARESPACE = "squarespace", "Squarespace"
    GA4 = "ga4", "Google Analytics 4"


class SourceStatus(models.TextChoices):
    NEW = "new", _("Not synced yet")
    OK = "ok", _("Working")
    FAILING = "failing", _("Last sync failed")
    DISABLED = "disabled", _("Disabled")
    # The SME's shop is on a platform, but no address or key has been given yet (the demo's SMEs):
    # never synced until someone connects it from the data page.
    AWAITING = "awaiting", _("Awaiting connection")


# Sources no sync touches: switched off, or never connected.
UNSYNCED_STATUSES = (SourceStatus.DISABLED, SourceStatus.AWAITING)


class DataSource(models.Model):
    """Where one SME's data comes from: a shop, an analytics property, or uploaded files."""

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="data_sources", verbose_name=_("SME"))
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    base_url = models.URLField(_("address"), blank=True, help_text=_("The shop's address, e.g. https://shop.example"))
    # Non-secret connection settings (API version, store id, …).
    options = models.JSONField(_("options"), default=dict, blank=True)
    credentials_token = models.TextField(editable=False, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.NEW)
    last_success_at = models.DateTimeField(_("last successful sync"), null=True, blank=True)
    # Per stream, where the next sync starts: {"orders": {...}, "products": {...}}.
    cursor = models.JSONField(_("cursor"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["sme__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["sme", "kind", "base_url"], name="datasource_unique_per_sme"),
        ]

    def __str__(self):
        label = self.get_kind_display()
        return f"{self.sme} · {label}" + (f" ({self.base_url})" if self.base_url else "")

    @property
    def credentials(self) -> dict:
        """Decrypted credentials; only connectors read them. Never render or log this."""
        return crypto.decrypt(self.credentials_token)

    @credentials.setter
    def credentials(self, values: dict) -> None:
        self.credentials_token = crypto.encrypt(values)

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_token)


class SyncTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Nightly schedule")
    MANUAL = "manual", _("Sync now")
    UPLOAD = "upload", _("File upload")
    COMMAND = "command", _("Command line")


class SyncStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    # Its worker stopped answering (killed, lost): no heartbeat for CONNECTORS_SYNC_HEARTBEAT_EXPIRY.
    INTERRUPTED = "interrupted", _("Interrupted")


class SyncRun(models.Model):
    """One sync or import: what it did, how far it got, and why it stopped if it failed."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs", verbose_name=_("source"))
    trigger = models.CharField(_("trigger"), max_length=10, choices=SyncTrigger.choices)
    status = models.CharField(_("status"), max_length=12, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # The last sign of life of the worker running it (when queued: when it was queued). A queued
    # or running run whose heartbeat is older than CONNECTORS_SYNC_HEARTBEAT_EXPIRY is interrupted.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    stream = models.CharField(_("current stream"), max_length=20, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    # The pages the source announced, when it does (for the progress bar).
    pages_expected = models.PositiveIntegerField(_("pages expected"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("unchanged"), default=0)
    # [{"stream": ..., "reason": ...}] in the language of whoever started the run.
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def progress(self) -> int | None:
        """Per cent done, when the source said how many pages to expect."""
        if self.status == SyncStatus.SUCCEEDED:
            return 100
        if not self.pages_expected:
            return None
        return min(99, round(100 * self.pages / self.pages_expected))


class ProductStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DRAFT = "draft", _("Draft")
    ARCHIVED = "archived", _("Archived")


class Product(models.Model):
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="products", verbose_name=_("SME"))
    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="products")
    external_id = models.CharField(_("external id"), max_length=100)
    sku = models.CharField(_("SKU"), max_length=100, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # [{"url": ..., "width": int | None, "height": int | None}]
    images = models.JSONField(_("images"), default=list, blank=True)
    gtin = models.CharField(_("GTIN"), max_length=20, blank=True)
    brand = models.CharField(_("brand"), max_length=200, blank=True)
    mpn = models.CharField(_("MPN"), max_length=100, blank=True)
    stock_tracked = models.BooleanField(_("stock tracked"), default=False)
    stock_quantity = models.IntegerField(_("stock"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.ACTIVE)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    category = models.CharField(_("category"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="product_unique_in_source")]
        indexes = [models.Index(fields=["sme", "sku"])]

    def __str__(self):
        return self.title or self.sku or self.external_id


class OrderStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    PENDING = "pending", _("Pending")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Order(models.Model):
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="orders", verbose_name=_("SME"))
    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="orders")
    external_id = models.CharField(_("external id"), max_length=100)
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    placed_at = models.DateTimeField(_("placed at"))
    customer_country = models.CharField(_("customer country"), max_length=2, blank=True)
    # Pseudonymous: an HMAC of the platform's customer id or e-mail, never the identity itself
    # (``writer.customer_key``); empty when the source does not say who ordered.
    customer_key = models.CharField(_("customer key"), max_length=32, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.COMPLETED)
    # Every amount of an order, its lines and its refunds is in the shop's currency, as the
    # platform reports it (Shopify's ``shop_money``), and excludes tax (see "Net sales" in the
    # README). ``presentment_currency`` is the currency the customer paid in, when it differs.
    currency = models.CharField(_("shop currency"), max_length=3, blank=True)
    presentment_currency = models.CharField(_("order currency"), max_length=3, blank=True)
    # Whether the shop's prices included tax (None: the source does not say).
    prices_include_tax = models.BooleanField(_("prices include tax"), null=True, blank=True)
    tax = models.DecimalField(_("tax"), max_digits=12, decimal_places=2, default=0)
    discounts = models.DecimalField(_("discounts"), max_digits=12, decimal_places=2, default=0)
    # The sum of the order's refunds (``Refund.amount``), whatever their month.
    refunds = models.DecimalField(_("refunds"), max_digits=12, decimal_places=2, default=0)
    shipping = models.DecimalField(_("shipping charged"), max_digits=12, decimal_places=2, default=0)
    shipping_tax = models.DecimalField(_("tax on shipping"), max_digits=12, decimal_places=2, default=0)
    # Charged to the customer (gift wrap, cash on delivery): revenue, shown on its own line.
    customer_fees = models.DecimalField(_("fees charged to the customer"), max_digits=12, decimal_places=2, default=0)
    # Paid by the merchant (payment, marketplace): a cost of the sale.
    fees = models.DecimalField(_("fees paid by the shop"), max_digits=12, decimal_places=2, default=0)
    # Kept by the writer from the stored lines (``writer.line_totals_refresh``), so that monthly figures
    # over many SMEs read orders only, not every line (docs/decisions/0023-outcomes-in-one-pass.md):
    # the sum of quantity × unit price (returns are negative lines), and whether a line was sold.
    # A default in the database too: the writer inserts orders from plain values (COPY), then sets them.
    lines_total = models.DecimalField(
        _("lines total"), max_digits=18, decimal_places=4, default=0, db_default=Decimal(0)
    )
    has_sale = models.BooleanField(_("has a line sold"), default=False, db_default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="order_unique_in_source")]
        indexes = [
            models.Index(fields=["sme", "placed_at"]),
            # A customer's first order with the SME (new customers in the outcomes).
            models.Index(fields=["sme", "customer_key", "placed_at"], name="order_sme_customer_first"),
        ]

    def __str__(self):
        return self.external_id


class OrderLine(models.Model):
    # No index of its own: the unique (order, line_key) index below serves every lookup by order.
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"), db_index=False
    )
    # The line's id in the source, or its position when the source has none.
    line_key = models.CharField(max_length=100)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="lines")
    sku = models.CharField(_("SKU"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    quantity = models.IntegerField(_("quantity"), help_text=_("Negative for a return."))
    # Excluding tax and before the order's discounts; four decimals, so that a price that
    # included tax keeps its line's exact total once the tax is taken out.
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    # The tax on the line, after discounts.
    tax = models.DecimalField(_("tax"), max_digits=12, decimal_places=2, default=0)
    # At the time of sale, from the platform or the file; None: unknown (the analyses then
    # estimate it from the SME's default margin and say so).
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [models.UniqueConstraint(fields=["order", "line_key"], name="orderline_unique_in_order")]

    def __str__(self):
        return f"{self.order} · {self.sku or self.description}"


class Refund(models.Model):
    """Money given back on an order, counted in the month it happens (not the order's month).

    ``amount`` and ``tax`` are in the shop's currency, ``amount`` excluding tax. When the refund
    was made in another currency (``currency``), ``original_amount`` is what was paid back in it
    and ``rate`` the shop-currency value of one unit of it on ``rate_date``.
    """

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="refunds", verbose_name=_("SME"))
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refund_set", verbose_name=_("order"))
    external_id = models.CharField(_("external id"), max_length=100)
    refunded_at = models.DateTimeField(_("refunded at"))
    amount = models.DecimalField(_("amount excluding tax"), max_digits=12, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(_("currency of the refund"), max_length=3, blank=True)
    original_amount = models.DecimalField(
        _("amount in the refund's currency"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=8, null=True, blank=True)
    rate_date = models.DateField(_("rate date"), null=True, blank=True)
    # [{"line_key": ..., "quantity": int}]: the lines whose goods went back into stock.
    restocked = models.JSONField(_("lines restocked"), default=list, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.UniqueConstraint(fields=["order", "external_id"], name="refund_unique_in_order")]
        indexes = [models.Index(fields=["sme", "refunded_at"])]

    def __str__(self):
        return f"{self.order} · {self.refunded_at:%Y-%m-%d}"


class ExchangeRate(models.Model):
    """What one unit of ``currency`` was worth in ``base_currency`` on ``day``, and who said so.

    Used where a platform or file gives an amount only in a foreign currency: the rate of the
    amount's day (else the latest before it) converts it, and is recorded beside the result.
    """

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3)
    base_currency = models.CharField(_("into currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["day", "currency", "base_currency"], name="exchangerate_unique_per_day")
        ]
        ordering = ["-day", "currency"]

    def __str__(self):
        return f"{self.day} · 1 {self.currency} = {self.rate} {self.base_currency}"


class ProductAnalytics(models.Model):
    """One product's (or, with no product, the shop's) traffic on one day."""

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="product_analytics", verbose_name=_("SME"))
    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="analytics")
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="analytics")
    product_key = models.CharField(_("product id in the source"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    views = models.PositiveIntegerField(_("views"), default=0)
    sessions = models.PositiveIntegerField(_("sessions"), default=0)
    add_to_carts = models.PositiveIntegerField(_("add-to-carts"), default=0)
    purchases = models.PositiveIntegerField(_("purchases"), default=0)

    class Meta:
        verbose_name = _("product analytics")
        verbose_name_plural = _("product analytics")
        constraints = [
            models.UniqueConstraint(fields=["source", "product_key", "date"], name="analytics_unique_per_day"),
        ]
        indexes = [models.Index(fields=["sme", "date"])]

    def __str__(self):
        return f"{self.product_key or '—'} · {self.date}"


class WebhookDelivery(models.Model):
    """One signed webhook a platform delivered: kept so that a redelivery (same id) changes nothing.

    The payload waits here for its task (``connectors.tasks.webhook_write_task``), which writes it
    through the one writer and then empties it.
    """

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="webhooks")
    delivery_id = models.CharField(_("delivery id"), max_length=100)
    topic = models.CharField(_("topic"), max_length=50)
    payload = models.TextField(blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    written_at = models.DateTimeField(_("written"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["source", "delivery_id"], name="webhook_delivery_unique_in_source")
        ]

    def __str__(self):
        return f"{self.source} · {self.topic} · {self.delivery_id}"
