"""Reads of coaching: the progress-sheet timeline and each SME's coaching summary."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from journey.models import SME

from .models import (
    MONTHLY_KINDS,
    OPEN_STATUSES,
    ActionStatus,
    Contact,
    PlanAction,
    PlanStatus,
    Session,
    SessionKind,
    SessionStatus,
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "contact", "session" or "stage"
    item: object


def timeline(sme: SME) -> list[TimelineEntry]:
    """The progress sheet merged with the SME's sessions and stage changes, newest first."""
    entries = [
        TimelineEntry(c.happened_at, "contact", c)
        for c in sme.coaching_contacts.select_related("author").annotate(edits=Count("revisions"))
    ]
    entries += [TimelineEntry(s.starts_at, "session", s) for s in sme.coaching_sessions.select_related("organiser")]
    entries += [TimelineEntry(c.at, "stage", c) for c in sme.stage_changes.select_related("by")]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def plan_actions_done(sme: SME) -> int:
    """The data milestone ``plan_actions_done``: actions of the shared plan marked done."""
    return sme.plans.filter(status=PlanStatus.SHARED, actions__status=ActionStatus.DONE).count()


@dataclass(frozen=True)
class Summary:
    sme: SME
    last_contact: datetime.datetime | None
    next_session: Session | None
    open_actions: int
    contacts: int


def summaries(smes: QuerySet[SME], *, now: datetime.datetime | None = None) -> list[Summary]:
    """Per SME: the last contact, the next scheduled session and the open actions of its shared plan."""
    now = now or timezone.now()

    def per_sme(queryset, aggregate):
        """One figure of the SME's own rows, as a correlated subquery: joining the contacts, actions and
        sessions in one grouped query multiplied their rows (contacts × actions × sessions per SME)."""
        figure = queryset.order_by().values("sme_id" if queryset.model is not PlanAction else "plan__sme_id")
        return Subquery(figure.annotate(figure=aggregate).values("figure")[:1])

    smes = smes.select_related("launchpad", "primary_account_manager").annotate(
        last_contact=per_sme(Contact.objects.filter(sme=OuterRef("pk")), Max("happened_at")),
        contact_count=Coalesce(per_sme(Contact.objects.filter(sme=OuterRef("pk")), Count("pk")), 0),
        open_actions=Coalesce(
            per_sme(
                PlanAction.objects.filter(
                    plan__sme=OuterRef("pk"), plan__status=PlanStatus.SHARED, status__in=OPEN_STATUSES
                ),
                Count("pk"),
            ),
            0,
        ),
        next_start=per_sme(
            Session.objects.filter(sme=OuterRef("pk"), status=SessionStatus.SCHEDULED, starts_at__gte=now),
            Min("starts_at"),
        ),
    )
    rows = list(smes.order_by("launchpad__code", "name"))
    upcoming = {}
    starts = [sme.next_start for sme in rows if sme.next_start]
    if starts:
        for session in Session.objects.filter(
            sme__in=[sme.pk for sme in rows], status=SessionStatus.SCHEDULED, starts_at__in=starts
        ).order_by("starts_at", "pk"):
            upcoming.setdefault(session.sme_id, session)
    return [
        Summary(
            sme=sme,
            last_contact=sme.last_contact,
            next_session=upcoming.get(sme.pk),
            open_actions=sme.open_actions,
            contacts=sme.contact_count,
        )
        for sme in rows
    ]


def contacts_for(smes: QuerySet[SME]) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(sme__in=smes)
        .select_related("sme__launchpad", "author")
        .order_by("sme__name", "happened_at", "pk")
    )


@dataclass(frozen=True)
class MonthlyReview:
    kind: str
    label: str
    due_on: datetime.date
    session: Session | None  # the held one, else the next scheduled one


def monthly_reviews(sme: SME) -> list[MonthlyReview]:
    """The four monthly reviews of the intensive with their due days (k months after the plan was first shared)."""
    from zoneinfo import ZoneInfo

    from .drift import monthly_review_due

    zone = ZoneInfo(sme.launchpad.time_zone)
    if monthly_review_due(sme, 1, zone) is None:
        return []
    sessions = {}
    for session in (
        sme.coaching_sessions.filter(kind__in=MONTHLY_KINDS)
        .exclude(status__in=[SessionStatus.CANCELLED, SessionStatus.MISSED])
        .order_by("starts_at")
    ):
        current = sessions.get(session.kind)
        if current is None or (current.status != SessionStatus.HELD and session.status == SessionStatus.HELD):
            sessions[session.kind] = session
    return [
        MonthlyReview(kind, str(SessionKind(kind).label), monthly_review_due(sme, number, zone), sessions.get(kind))
        for number, kind in enumerate(MONTHLY_KINDS, start=1)
    ]
