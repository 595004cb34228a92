"""Where each SME stands: since when it is in the journey, and which SMEs need attention.

The staff dashboards (the pipeline, an account manager's SMEs, the programme dashboard)
list the SMEs that need attention, most urgent first. ``journey`` computes its own
reason (a stage past its due day) live, with the pipeline's rule; the apps above add
theirs through the ``ATTENTION_REASONS`` hook (``journey.hooks``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import formats
from django.utils.translation import ngettext

from . import hooks, stages
from .models import SME, StageChange


def journey_started_at(smes) -> dict[int, datetime.datetime]:
    """When each SME entered the journey: its record's creation or its first logged move, whichever came first.

    ``created_at`` alone is not enough: an SME recorded after the fact (an import, the
    demo) has a stage log that starts before its record was created.
    """
    first = dict(
        StageChange.objects.filter(sme__in=smes)
        .order_by()
        .values("sme_id")
        .annotate(first=Min("at"))
        .values_list("sme_id", "first")
    )
    return {pk: min(created, first.get(pk, created)) for pk, created in smes.values_list("pk", "created_at")}


@dataclass(frozen=True)
class Reason:
    since: datetime.date  # the first day the reason held: the older, the more urgent
    text: str


@dataclass
class Attention:
    """An SME that needs attention and every reason why, the oldest first."""

    sme: SME
    reasons: list[Reason] = field(default_factory=list)
    overdue: bool = False  # its current stage is past its due day

    @property
    def since(self) -> datetime.date:
        return self.reasons[0].since


def overdue_reason(sme: SME, *, now: datetime.datetime | None = None) -> Reason | None:
    """The journey's own reason: the current stage is past its due day (exactly what ``stages.overdue_q`` selects)."""
    days = stages.days_overdue(sme.stage, sme.stage_entered_at, sme.launchpad.time_zone, now=now)
    if not days:
        return None
    due = stages.due_on(sme.stage, sme.stage_entered_at, sme.launchpad.time_zone)
    text = ngettext(
        "Stage “%(stage)s” was due on %(due)s: overdue by %(days)s day.",
        "Stage “%(stage)s” was due on %(due)s: overdue by %(days)s days.",
        days,
    ) % {"stage": sme.get_stage_display(), "due": formats.date_format(due, "SHORT_DATE_FORMAT"), "days": days}
    return Reason(due + datetime.timedelta(days=1), text)


def needs_attention(smes, *, now: datetime.datetime | None = None) -> list[Attention]:
    """The SMEs of ``smes`` that need attention, most urgent (oldest reason) first.

    An overdue stage is computed here, live, with the same rule as the pipeline's overdue
    count; the apps above add theirs (the ``ATTENTION_REASONS`` hook: ``compute(smes)``
    returns ``(sme, since, text)`` items), coaching its open drift alerts.
    """
    by_sme: dict[int, Attention] = {}
    for sme in smes.filter(stages.overdue_q(now=now)).select_related("launchpad", "primary_account_manager"):
        reason = overdue_reason(sme, now=now)
        if reason:
            by_sme[sme.pk] = Attention(sme, [reason], overdue=True)
    for compute in hooks.get(hooks.ATTENTION_REASONS):
        for sme, since, text in compute(smes):
            by_sme.setdefault(sme.pk, Attention(sme)).reasons.append(Reason(since, text))
    for item in by_sme.values():
        item.reasons.sort(key=lambda reason: reason.since)
    return sorted(by_sme.values(), key=lambda item: (item.since, item.sme.name))


def by_urgency(smes, *, now: datetime.datetime | None = None, limit: int | None = None) -> list[dict]:
    """Every SME of ``smes`` (the first ``limit``), most urgent first: those needing attention (oldest reason
    first), then by due day, then the SMEs whose stage has no due day, by name.

    Each row: the SME, its reasons (empty when none), its current stage's due day and
    days overdue. With a ``limit``, only the SMEs that can be among the first ``limit`` are
    read: within one stage and time zone the due day follows the entry time, so each (time
    zone, stage) pair gives its ``limit`` earliest entries, in a fixed number of queries
    whatever the number of SMEs (the dashboard of a 1,000-SME programme).
    """
    attention = {item.sme.pk: item for item in needs_attention(smes, now=now)}
    smes = smes.select_related("launchpad", "primary_account_manager")
    if limit is None:
        candidates = list(smes)
    else:
        rest = smes.exclude(pk__in=list(attention))
        timed = stages.durations()
        candidates = [item.sme for item in attention.values()]
        for zone in stages.TIME_ZONES:
            for stage in timed:
                candidates += rest.filter(launchpad__time_zone=zone, stage=stage).order_by("stage_entered_at", "pk")[
                    :limit
                ]
        candidates += rest.exclude(stage__in=list(timed)).order_by("name", "pk")[:limit]
    rows = []
    for sme in candidates:
        item = attention.get(sme.pk)
        rows.append(
            {
                "sme": sme,
                "reasons": item.reasons if item else [],
                "due": sme.stage_due_on,
                "days_overdue": stages.days_overdue(sme.stage, sme.stage_entered_at, sme.launchpad.time_zone, now=now),
            }
        )
    far = datetime.date.max
    rows.sort(
        key=lambda row: (
            0 if row["reasons"] else 1,
            row["reasons"][0].since if row["reasons"] else far,
            row["due"] or far,
            row["sme"].name,
        ),
    )
    return rows if limit is None else rows[:limit]
