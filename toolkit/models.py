"""What the toolkit stores: each SME's computed report, which tools it may open, its targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journey.models import SME


class Tool(models.TextChoices):
    INVENTORY = "inventory", _("Inventory")
    MARKET = "market", _("Market assessment")
    PLANNING = "planning", _("Business planning")
    GROWTH = "growth", _("Business growth")


# The inventory tool is the gateway: open to every SME from the start.
ALWAYS_OPEN = {Tool.INVENTORY}


class ToolkitReport(models.Model):
    """The latest computed report of an SME, read by its pages so they never wait for pandas."""

    sme = models.OneToOneField(SME, on_delete=models.CASCADE, related_name="toolkit_report", verbose_name=_("SME"))
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))
    # What the report was computed from: counts and the latest change of the SME's data.
    data_version = models.JSONField(_("data version"), default=dict)
    document = models.JSONField(_("report"))

    class Meta:
        verbose_name = _("toolkit report")
        verbose_name_plural = _("toolkit reports")

    def __str__(self):
        return f"{self.sme} · {self.as_of}"


class ToolAccess(models.Model):
    """A toolkit tool opened for an SME — by its account manager now, by a badge once learning exists."""

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="tool_access", verbose_name=_("SME"))
    tool = models.CharField(_("tool"), max_length=20, choices=Tool.choices)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(_("opened by"), max_length=40, default="account_manager")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # Access a badge granted ends when the badge expires, at that moment and not at the next check.
    expires_at = models.DateTimeField(_("open until"), null=True, blank=True)

    class Meta:
        verbose_name = _("tool access")
        verbose_name_plural = _("tool access")
        constraints = [models.UniqueConstraint(fields=["sme", "tool"], name="toolaccess_unique")]

    def __str__(self):
        return f"{self.sme} · {self.tool}"


class Metric(models.TextChoices):
    SALES = "sales", _("Monthly sales")
    ORDERS = "orders", _("Monthly orders")
    PROFIT = "profit", _("Monthly profit")


class Target(models.Model):
    """A long-term goal of the SME: a monthly figure to reach by a date."""

    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="targets", verbose_name=_("SME"))
    metric = models.CharField(_("measure"), max_length=10, choices=Metric.choices)
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    due = models.DateField(_("by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.get_metric_display()} {self.value} · {self.due}"


class ProgrammeRefresh(models.Model):
    """One nightly refresh of the whole programme: every SME with data, synced and its report recomputed.

    Fanned out over the Celery workers in chunks (``toolkit.refresh``); each SME's progress
    is an ``SMERefresh`` row, so the progress page counts rows and no worker holds a lock.
    """

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    smes = models.PositiveIntegerField(_("SMEs to refresh"), default=0)

    class Meta:
        verbose_name = _("programme refresh")
        verbose_name_plural = _("programme refreshes")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class RefreshStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SMERefresh(models.Model):
    """One SME's part of a programme refresh: its status, attempts and, when it failed, why."""

    run = models.ForeignKey(ProgrammeRefresh, on_delete=models.CASCADE, related_name="items")
    sme = models.ForeignKey(SME, on_delete=models.CASCADE, related_name="refreshes", verbose_name=_("SME"))
    status = models.CharField(_("status"), max_length=10, choices=RefreshStatus.choices, default=RefreshStatus.WAITING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("SME refresh")
        verbose_name_plural = _("SME refreshes")
        constraints = [models.UniqueConstraint(fields=["run", "sme"], name="smerefresh_once_per_run")]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self):
        return f"{self.run} · {self.sme}"


class LinesCopy(models.Model):
    """A columnar copy of an SME's order lines, kept for its report (``toolkit.lines_copy``).

    The report reads this one value instead of the SME's many line rows, and reads from the
    order lines only those of orders added or changed since (an order's lines change only with
    its ``updated_at``). Derived data: deleting it costs one full read at the next report.
    """

    sme = models.OneToOneField(SME, on_delete=models.CASCADE, related_name="lines_copy", verbose_name=_("SME"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    lines = models.PositiveIntegerField(_("order lines"), default=0)
    data = models.BinaryField(_("columns"))

    class Meta:
        verbose_name = _("copy of the order lines")
        verbose_name_plural = _("copies of the order lines")

    def __str__(self):
        return f"{self.sme} · {self.lines}"
