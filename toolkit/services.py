"""Writes of the toolkit: refreshing an SME's report, opening tools, setting targets."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from journey.models import SME, User

from . import milestones, report
from .models import ALWAYS_OPEN, ToolAccess, ToolkitReport


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
    milestones.milestone_changed.send(sender="toolkit", sme=sme)
    return stored


def report_is_current(stored: ToolkitReport | None, *, sme: SME, as_of: datetime.date) -> bool:
    return stored is not None and stored.as_of == as_of and stored.data_version == report.data_version(sme)


def tools_open(sme: SME) -> set[str]:
    """The tools this SME may open: inventory always, the others once opened."""
    return set(ALWAYS_OPEN) | set(ToolAccess.objects.filter(sme=sme).values_list("tool", flat=True))


def tool_open(*, sme: SME, tool: str, by: User | None = None, via: str = "account_manager") -> ToolAccess:
    """Open a tool for the SME (idempotent). Learning calls this when a badge unlocks a tool."""
    access, _ = ToolAccess.objects.get_or_create(sme=sme, tool=tool, defaults={"opened_by": by, "via": via})
    return access


def report_refresh_after_commit(*, sme_id: int) -> None:
    """Queue the recomputation once the data that changed is committed."""
    from .tasks import report_refresh_task

    transaction.on_commit(lambda: report_refresh_task.delay(sme_id))
