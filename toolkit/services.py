"""Writes of the toolkit: refreshing an SME's report, opening tools, setting targets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from journey.models import SME, User

from . import milestones, report
from .models import ALWAYS_OPEN, Target, ToolAccess, ToolkitReport

ACCOUNT_MANAGER = "account_manager"


def report_refresh(*, sme: SME, as_of: datetime.date | None = None) -> ToolkitReport:
    """Recompute the SME's report from its data and store it (pages then read it instantly)."""
    document = report.compute(sme, as_of=as_of)
    stored, _ = ToolkitReport.objects.update_or_create(
        sme=sme,
        defaults={
            "as_of": datetime.date.fromisoformat(document["as_of"]),
            "computed_at": timezone.now(),
            "data_version": report.data_version(sme),
            "document": document,
        },
    )
    milestones.moved(sme, sender="toolkit")
    return stored


def report_is_current(stored: ToolkitReport | None, *, sme: SME, as_of: datetime.date) -> bool:
    return stored is not None and stored.as_of == as_of and stored.data_version == report.data_version(sme)


def tools_open(sme: SME, *, now: datetime.datetime | None = None) -> set[str]:
    """The tools this SME may open: inventory always, the others while their access lasts."""
    now = now or timezone.now()
    access = ToolAccess.objects.filter(sme=sme).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return set(ALWAYS_OPEN) | set(access.values_list("tool", flat=True))


def tool_open(
    *,
    sme: SME,
    tool: str,
    by: User | None = None,
    via: str = ACCOUNT_MANAGER,
    expires_at: datetime.datetime | None = None,
) -> ToolAccess:
    """Open a tool for the SME (idempotent). Learning calls this when a badge unlocks a tool.

    An account manager's opening is for good: it outranks a badge's (which may expire or be
    revoked). A badge's opening lasts until ``expires_at`` (None: no end).
    """
    with transaction.atomic():
        access, created = ToolAccess.objects.select_for_update().get_or_create(
            sme=sme, tool=tool, defaults={"opened_by": by, "via": via, "expires_at": expires_at}
        )
        if created:
            return access
        if via == ACCOUNT_MANAGER and (access.via != ACCOUNT_MANAGER or access.expires_at):
            access.via, access.opened_by, access.expires_at = ACCOUNT_MANAGER, by, None
            access.save(update_fields=["via", "opened_by", "expires_at"])
        elif via == access.via and access.expires_at != expires_at:
            access.expires_at = expires_at
            access.save(update_fields=["expires_at"])
    return access


def tool_close(*, sme: SME, tool: str, via: str) -> bool:
    """Withdraw access to a tool that ``via`` had opened (a badge's, say); another's opening stays."""
    deleted, _ = ToolAccess.objects.filter(sme=sme, tool=tool, via=via).delete()
    return bool(deleted)


def report_refresh_after_commit(*, sme_id: int) -> None:
    """Queue the recomputation once the data that changed is committed."""
    from .tasks import report_refresh_task

    transaction.on_commit(lambda: report_refresh_task.delay(sme_id))


def target_add(*, sme: SME, metric: str, value: Decimal, due: datetime.date) -> Target:
    """Add a target to the SME: a monthly figure (``Metric``) to reach by ``due``, money to the cent.

    The values are checked by ``forms.TargetForm``; the caller has checked the user may set targets.
    """
    target = Target(sme=sme, metric=metric, value=Decimal(value).quantize(Decimal("0.01")), due=due)
    target.full_clean()
    target.save()
    return target


def target_delete(*, target: Target) -> None:
    """Remove one of an SME's targets (the caller has checked the user may)."""
    target.delete()
