"""Syncs and imports on the staff SME workspace's timeline (``journey.workspace``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from journey import workspace
from journey.models import SME

from .models import SyncRun, SyncStatus


def _runs(sme: SME):
    return SyncRun.objects.filter(source__sme=sme)


def _detail(run: SyncRun) -> str:
    parts = [
        ngettext("%(count)s created", "%(count)s created", run.created)
        % {"count": formats.number_format(run.created, force_grouping=True)},
        ngettext("%(count)s updated", "%(count)s updated", run.updated)
        % {"count": formats.number_format(run.updated, force_grouping=True)},
        ngettext("%(count)s unchanged", "%(count)s unchanged", run.skipped)
        % {"count": formats.number_format(run.skipped, force_grouping=True)},
    ]
    reasons = [str(error.get("reason", "")) for error in run.errors or [] if isinstance(error, dict)]
    if run.status == SyncStatus.FAILED and reasons:
        parts.append(reasons[0])
    return " · ".join(parts)


def _title(run: SyncRun) -> str:
    source, trigger = str(run.source.get_kind_display()), str(run.get_trigger_display())
    status = str(run.get_status_display()).lower()
    if trigger == source:  # a file upload uploaded: say it once
        return gettext("%(source)s: %(status)s") % {"source": source, "status": status}
    return gettext("%(source)s (%(trigger)s): %(status)s") % {"source": source, "trigger": trigger, "status": status}


def _sync_events(sme: SME, limit: int) -> list[workspace.Event]:
    runs = _runs(sme).select_related("source").order_by("-started_at", "-pk")[:limit]
    url = reverse("connectors:data_sources", kwargs={"slug": sme.slug})
    return [
        workspace.Event(at=run.started_at, kind="sync", title=_title(run), detail=_detail(run), url=url) for run in runs
    ]


def timeline_kinds() -> list[workspace.TimelineKind]:
    """The connectors' kind of event on the workspace timeline (the ``TIMELINE_KINDS`` hook)."""
    return [
        workspace.TimelineKind("sync", _("Syncs and imports"), _sync_events, lambda sme: _runs(sme).count(), order=50)
    ]
