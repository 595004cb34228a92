"""Drift: the SMEs that need attention, found early (DESIGN.md, "Coaching").

Four causes, each counted in calendar days of the SME's launchpad time zone:

* no contact for ``COACHING_NO_CONTACT_DAYS`` days (default 21) — a logged contact or a
  held session counts; flagged from the day the last one is N days old;
* a monthly review overdue — during the intensive, review k is due k months after the
  plan was first shared; flagged from the day after the next unheld review's due day;
* an accepted (or in-progress) plan action past its due date — from the day after;
* the current stage overdue (``journey.stages``) — from the day after its due day.

An alert is raised when its cause appears and resolved when it goes; ``since`` is the
first day the cause held, so the oldest alert is the most urgent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from journey import scoping
from journey import stages as journey_stages
from journey.models import ACTIVE_STAGES, COACHED_STAGES, SME, Role, Stage, StageChange, User

from .models import MONTHLY_KINDS, ActionStatus, DriftAlert, DriftReason, PlanStatus, SessionStatus

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Cause:
    reason: str
    ref: str
    since: datetime.date
    detail: str = ""


def no_contact_days() -> int:
    return int(getattr(settings, "COACHING_NO_CONTACT_DAYS", 21))


def _local_date(moment: datetime.datetime, zone: ZoneInfo) -> datetime.date:
    return moment.astimezone(zone).date()


def last_contact_at(sme: SME) -> datetime.datetime | None:
    """The last logged contact or held session, whichever is later."""
    contact = sme.coaching_contacts.aggregate(last=Max("happened_at"))["last"]
    session = sme.coaching_sessions.filter(status=SessionStatus.HELD).aggregate(last=Max("starts_at"))["last"]
    moments = [m for m in (contact, session) if m]
    return max(moments) if moments else None


def first_shared_on(sme: SME, zone: ZoneInfo) -> datetime.date | None:
    first = sme.plans.filter(shared_at__isnull=False).order_by("shared_at").values_list("shared_at", flat=True).first()
    return _local_date(first, zone) if first else None


def monthly_review_due(sme: SME, number: int, zone: ZoneInfo) -> datetime.date | None:
    """The day monthly review ``number`` (1-4) is due: that many months after the plan was first shared."""
    shared = first_shared_on(sme, zone)
    return shared + relativedelta(months=number) if shared else None


def monthly_reviews_held(sme: SME) -> int:
    kinds = sme.coaching_sessions.filter(kind__in=MONTHLY_KINDS, status=SessionStatus.HELD).values("kind")
    return kinds.distinct().count()


def drift_causes(sme: SME, *, now: datetime.datetime | None = None) -> list[Cause]:
    """What makes this SME need attention today (empty when nothing does)."""
    now = now or timezone.now()
    if sme.stage not in ACTIVE_STAGES:
        return []
    zone = ZoneInfo(sme.launchpad.time_zone)
    today = _local_date(now, zone)
    causes = []

    if sme.stage in COACHED_STAGES:
        last = last_contact_at(sme)
        if last is None:
            # Never contacted: count from the day coaching began (the SME reached assessment).
            reached = StageChange.objects.filter(sme=sme, to_stage=Stage.ASSESSMENT).order_by("at")
            last = reached.values_list("at", flat=True).first() or sme.stage_entered_at
        since = _local_date(last, zone) + datetime.timedelta(days=no_contact_days())
        if today >= since:
            causes.append(Cause(DriftReason.NO_CONTACT, "", since, _local_date(last, zone).isoformat()))

    if sme.stage == Stage.INTENSIVE:
        held = monthly_reviews_held(sme)
        if held < len(MONTHLY_KINDS):
            due = monthly_review_due(sme, held + 1, zone)
            if due and today > due:
                causes.append(Cause(DriftReason.MONTHLY_REVIEW_OVERDUE, f"monthly_{held + 1}", due + ONE_DAY))

    plan = sme.plans.filter(status=PlanStatus.SHARED).first()
    if plan:
        late = plan.actions.filter(
            status__in=[ActionStatus.ACCEPTED, ActionStatus.IN_PROGRESS], due_on__lt=today
        ).order_by("due_on", "pk")
        for action in late:
            causes.append(Cause(DriftReason.ACTION_OVERDUE, str(action.key), action.due_on + ONE_DAY, action.title))

    if journey_stages.is_overdue(sme.stage, sme.stage_entered_at, sme.launchpad.time_zone, now=now):
        due = journey_stages.due_on(sme.stage, sme.stage_entered_at, sme.launchpad.time_zone)
        causes.append(Cause(DriftReason.STAGE_OVERDUE, sme.stage, due + ONE_DAY))
    return causes


def drift_check_sme(sme: SME, *, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Bring the SME's open alerts in line with its causes today; (raised, resolved)."""
    now = now or timezone.now()
    causes = {(c.reason, c.ref): c for c in drift_causes(sme, now=now)}
    raised = resolved = 0
    with transaction.atomic():
        open_alerts = {(a.reason, a.ref): a for a in sme.drift_alerts.filter(resolved_at__isnull=True)}
        for key, alert in open_alerts.items():
            cause = causes.get(key)
            # A different start day is a new episode (e.g. contact resumed, then lapsed again).
            if cause is None or cause.since != alert.since:
                alert.resolved_at = now
                alert.save(update_fields=["resolved_at"])
                resolved += 1
                open_alerts[key] = None
        for key, cause in causes.items():
            if open_alerts.get(key) is None:
                DriftAlert.objects.create(
                    sme=sme, reason=cause.reason, ref=cause.ref, since=cause.since, detail=cause.detail[:300],
                    raised_at=now,
                )  # fmt: skip
                raised += 1
            elif open_alerts[key].detail != cause.detail[:300]:
                open_alerts[key].detail = cause.detail[:300]
                open_alerts[key].save(update_fields=["detail"])
    return raised, resolved


def drift_check_all(*, now: datetime.datetime | None = None) -> dict:
    """The daily run over every SME that is active or still has open alerts."""
    now = now or timezone.now()
    raised = resolved = 0
    smes = SME.objects.filter(stage__in=ACTIVE_STAGES) | SME.objects.filter(drift_alerts__resolved_at__isnull=True)
    for sme in smes.distinct().select_related("launchpad"):
        up, down = drift_check_sme(sme, now=now)
        raised += up
        resolved += down
    return {"raised": raised, "resolved": resolved}


def alert_text(alert: DriftAlert) -> str:
    """Why the SME needs attention, in the active language."""
    since = formats.date_format(alert.since, "SHORT_DATE_FORMAT")
    if alert.reason == DriftReason.NO_CONTACT:
        return gettext("No contact for %(days)s days or more (last: %(last)s).") % {
            "days": no_contact_days(),
            "last": formats.date_format(datetime.date.fromisoformat(alert.detail), "SHORT_DATE_FORMAT"),
        }
    if alert.reason == DriftReason.MONTHLY_REVIEW_OVERDUE:
        number = alert.ref.rsplit("_", 1)[-1]
        return gettext("Monthly review %(number)s overdue since %(since)s.") % {"number": number, "since": since}
    if alert.reason == DriftReason.ACTION_OVERDUE:
        return gettext("Plan action “%(title)s” past due since %(since)s.") % {"title": alert.detail, "since": since}
    stage = Stage(alert.ref).label if alert.ref in Stage.values else alert.ref
    return gettext("Stage “%(stage)s” overdue since %(since)s.") % {"stage": stage, "since": since}


def open_alerts_for(user: User):
    """The open alerts a person works on: an account manager's own SMEs, a manager's launchpad, all for coordinators."""
    alerts = DriftAlert.objects.filter(resolved_at__isnull=True).select_related("sme__launchpad")
    if user.role == Role.ACCOUNT_MANAGER:
        alerts = scoping.scope_to_editable(user, alerts)
    else:
        alerts = scoping.scope_to_visible(user, alerts)
    return alerts.order_by("since", "sme__name", "reason")


def drift_digest_send() -> int:
    """E-mail each account manager the open alerts of their SMEs, most urgent first, in their language."""
    sent = 0
    for manager in User.objects.filter(role=Role.ACCOUNT_MANAGER, is_active=True).select_related("launchpad"):
        alerts = list(open_alerts_for(manager))
        if not alerts:
            continue
        language = manager.preferred_language or manager.launchpad.language or settings.LANGUAGE_CODE
        with translation.override(language):
            lines = [(alert.sme.name, alert_text(alert)) for alert in alerts]
            context = {"manager": manager, "lines": lines}
            subject = render_to_string("coaching/email/digest_subject.txt", context).strip()
            body = render_to_string("coaching/email/digest.txt", context)
        sent += EmailMultiAlternatives(subject=subject, body=body, to=[manager.email]).send()
    return sent


def open_drift(smes) -> list[tuple]:
    """The dashboards' "needing attention": each SME's open drift alerts, (sme, since, reason), the oldest first.

    A stage overdue is left to ``journey.progress.needs_attention``, which computes it live
    with the pipeline's rule: the daily drift check may not have run yet today.
    """
    alerts = (
        DriftAlert.objects.filter(sme__in=smes, resolved_at__isnull=True)
        .exclude(reason=DriftReason.STAGE_OVERDUE)
        .select_related("sme__launchpad", "sme__primary_account_manager")
    )
    return [(alert.sme, alert.since, alert_text(alert)) for alert in alerts.order_by("since", "pk")]
