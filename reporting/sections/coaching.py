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

from django.db.models import QuerySet
from django.utils.translation import gettext

from coaching.models import (
    ActionStatusChange,
    Contact,
    ContactRevision,
    DriftAlert,
    Plan,
    PlanAction,
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
    """The figures for these SMEs (scope them first with ``journey.scoping``) as they stood at ``at``."""
    figures = CoachingFigures()
    sme_ids = list(smes.values_list("pk", flat=True))

    contacts = {c.pk: c.channel for c in Contact.objects.filter(sme_id__in=sme_ids, happened_at__lte=at)}
    # An edit after the moment: the channel then is in the earliest such revision's copy.
    later = ContactRevision.objects.filter(contact_id__in=contacts, edited_at__gt=at).order_by("edited_at", "pk")
    seen = set()
    for revision in later:
        if revision.contact_id not in seen:
            seen.add(revision.contact_id)
            contacts[revision.contact_id] = revision.previous.get("channel", contacts[revision.contact_id])
    figures.contacts_by_channel = Counter(contacts.values())

    last_change = {}
    changes = SessionChange.objects.filter(session__sme_id__in=sme_ids, at__lte=at).select_related("session")
    for change in changes.order_by("at", "pk"):
        last_change[change.session_id] = change
    for change in last_change.values():
        figures.sessions_by_status[change.status] += 1
        if change.status == SessionStatus.HELD:
            figures.sessions_held_by_kind[change.session.kind] += 1

    alerts = DriftAlert.objects.filter(sme_id__in=sme_ids, raised_at__lte=at)
    figures.drift_raised = alerts.count()
    figures.drift_resolved = alerts.filter(resolved_at__lte=at).count()
    figures.drift_open = figures.drift_raised - figures.drift_resolved

    shared = Plan.objects.filter(sme_id__in=sme_ids, shared_at__lte=at)
    figures.plans_shared = shared.values("sme_id").distinct().count()
    keys = set(PlanAction.objects.filter(plan__in=shared).values_list("key", flat=True))
    status = {}
    for change in (
        ActionStatusChange.objects.filter(key__in=keys, at__lte=at).select_related("action").order_by("at", "pk")
    ):
        status[change.key] = (change.to_status, change.action.owner_type)
    figures.actions_by_status_owner = Counter(status.values())
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
