"""Coaching figures as they stood at a past moment, for programme reporting (quarterly reviews).

Everything is computed from the history rows, so a review recomputed later gives the same
figures: a contact counts once it had happened, with the channel it had then (edits keep the
earlier values); a session counts with the status its last change before the moment gave it;
an action counts once a plan holding it had been shared, with its status then.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from coaching.models import (
    ActionStatusChange,
    Contact,
    ContactRevision,
    DriftAlert,
    Plan,
    PlanAction,
    Session,
    SessionChange,
    SessionStatus,
)
from journey.models import SME
from reporting import programme as reporting


@dataclass
class CoachingFigures:
    contacts_by_channel: Counter = field(default_factory=Counter)
    sessions_by_status: Counter = field(default_factory=Counter)  # status at the moment, per session scheduled by then
    sessions_held_by_kind: Counter = field(default_factory=Counter)
    drift_raised: int = 0
    drift_resolved: int = 0
    drift_open: int = 0
    plans_shared: int = 0  # SMEs whose plan had been shared
    actions_by_status_owner: Counter = field(default_factory=Counter)  # (status, owner type) → actions


def coaching_figures(*, smes: QuerySet[SME], at: datetime.datetime) -> CoachingFigures:
    """The figures for these SMEs (scope them first with ``journey.scoping``) as they stood at ``at``.

    Every figure is counted by the database, grouped: the work does not grow in Python with the
    number of SMEs, contacts or sessions (issue 22).
    """
    figures = CoachingFigures()
    sme_ids = smes.order_by().values("pk")

    # An edit after the moment: the channel then is in the earliest such revision's copy.
    later = ContactRevision.objects.filter(contact=OuterRef("pk"), edited_at__gt=at).order_by("edited_at", "pk")
    previous = Coalesce(KT("previous__channel"), OuterRef("channel"), output_field=CharField())
    channel_then = Subquery(later.annotate(then=previous).values("then")[:1])
    contacts = (
        Contact.objects.filter(sme_id__in=sme_ids, happened_at__lte=at)
        .annotate(then=Coalesce(channel_then, "channel", output_field=CharField()))
        .order_by()
        .values("then")
        .annotate(n=Count("pk"))
    )
    figures.contacts_by_channel = Counter({row["then"]: row["n"] for row in contacts})

    # Each session's status is its last change's at the moment; sessions with none by then are left out.
    last_status = SessionChange.objects.filter(session=OuterRef("pk"), at__lte=at).order_by("-at", "-pk")
    sessions = (
        Session.objects.filter(sme_id__in=sme_ids)
        .annotate(then=Subquery(last_status.values("status")[:1]))
        .filter(then__isnull=False)
        .order_by()
        .values("then", "kind")
        .annotate(n=Count("pk"))
    )
    for row in sessions:
        figures.sessions_by_status[row["then"]] += row["n"]
        if row["then"] == SessionStatus.HELD:
            figures.sessions_held_by_kind[row["kind"]] += row["n"]

    drift = DriftAlert.objects.filter(sme_id__in=sme_ids, raised_at__lte=at).aggregate(
        raised=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__lte=at))
    )
    figures.drift_raised, figures.drift_resolved = drift["raised"], drift["resolved"]
    figures.drift_open = figures.drift_raised - figures.drift_resolved

    shared = Plan.objects.filter(sme_id__in=sme_ids, shared_at__lte=at)
    figures.plans_shared = shared.values("sme_id").distinct().count()
    # An action's status at the moment is its key's last change by then, with that change's owner type.
    keys = PlanAction.objects.filter(plan__in=shared.values("pk")).values("key")
    last_change = ActionStatusChange.objects.filter(key=OuterRef("key"), at__lte=at).order_by("-at", "-pk")
    actions = (
        ActionStatusChange.objects.filter(key__in=keys, at__lte=at, pk=Subquery(last_change.values("pk")[:1]))
        .order_by()
        .values("to_status", "action__owner_type")
        .annotate(n=Count("pk"))
    )
    figures.actions_by_status_owner = Counter(
        {(row["to_status"], row["action__owner_type"]): row["n"] for row in actions}
    )
    return figures


# --- The quarterly reviews' coaching section ---------------------------------------------


def _per_launchpad(scope, moment_of) -> dict[str, CoachingFigures]:
    return {
        launchpad.code: coaching_figures(smes=SME.objects.filter(launchpad=launchpad), at=moment_of(launchpad))
        for launchpad in scope.launchpads
    }


def _moment_before(moment_of):
    # coaching_figures counts what happened at or before ``at``; the period starts at midnight.
    return lambda launchpad: moment_of(launchpad) - datetime.timedelta(microseconds=1)


def coaching_tables(scope) -> list:
    from coaching.models import ActionStatus, Channel, OwnerType, SessionStatus

    end = _per_launchpad(scope, _moment_before(scope.as_of))
    start = _per_launchpad(scope, _moment_before(scope.period_start))

    def in_period(read):
        return {code: max(read(end[code]) - read(start[code]), 0) for code in end}

    def at_end(read):
        return {code: read(end[code]) for code in end}

    contacts = [
        reporting.counts_row(
            scope, channel.value, channel.label, in_period(lambda f, c=channel: f.contacts_by_channel[c])
        )
        for channel in Channel
    ]
    sessions = [
        reporting.counts_row(scope, status.value, status.label, in_period(lambda f, s=status: f.sessions_by_status[s]))
        for status in (SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.MISSED)
    ]
    drift = [
        reporting.counts_row(scope, "raised", gettext("Raised in the quarter"), in_period(lambda f: f.drift_raised)),
        reporting.counts_row(
            scope, "resolved", gettext("Resolved in the quarter"), in_period(lambda f: f.drift_resolved)
        ),
        reporting.counts_row(scope, "open", gettext("Open at the end of the quarter"), at_end(lambda f: f.drift_open)),
    ]
    plans = [
        reporting.counts_row(scope, "shared", gettext("SMEs with a shared plan"), at_end(lambda f: f.plans_shared))
    ]
    by_status = [
        reporting.counts_row(
            scope,
            status.value,
            status.label,
            at_end(lambda f, s=status: sum(n for (st, _o), n in f.actions_by_status_owner.items() if st == s)),
        )
        for status in ActionStatus
    ]
    by_owner = [
        reporting.counts_row(
            scope,
            owner.value,
            owner.label,
            at_end(lambda f, o=owner: sum(n for (_s, ow), n in f.actions_by_status_owner.items() if ow == o)),
        )
        for owner in OwnerType
    ]
    return [
        reporting.Table(key="contacts", title=gettext("Contacts in the quarter, by channel"), rows=contacts),
        reporting.Table(key="sessions", title=gettext("Sessions in the quarter"), rows=sessions),
        reporting.Table(key="drift", title=gettext("Drift alerts"), rows=drift),
        reporting.Table(key="plans", title=gettext("New-market entry plans"), rows=plans),
        reporting.Table(
            key="actions_status",
            title=gettext("Plan actions by status at the end of the quarter"),
            rows=by_status,
            note=gettext("“No action” counts the actions the SME decided against as a business decision."),
        ),
        reporting.Table(key="actions_owner", title=gettext("Plan actions by owner"), rows=by_owner),
    ]


def contacts_logged(users, since) -> dict[int, int]:
    """The programme dashboard's activity column: contacts each account manager logged since ``since``."""
    from django.db.models import Count

    rows = Contact.objects.filter(author__in=users, happened_at__gte=since).values("author_id").annotate(n=Count("pk"))
    return {row["author_id"]: row["n"] for row in rows}
