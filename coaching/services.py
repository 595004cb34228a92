"""Writes of coaching: contacts, sessions, plans and their actions. Each checks who may do it (journey.scoping)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from journey import scoping
from journey.models import SME, User
from toolkit import milestones

from .models import (
    ActionStatus,
    ActionStatusChange,
    CalendarFeed,
    Contact,
    ContactRevision,
    Plan,
    PlanAction,
    PlanStatus,
    Session,
    SessionChange,
    SessionStatus,
    TargetMarket,
)


def _require_change(user: User, sme: SME) -> None:
    if not scoping.can_change_sme(user, sme):
        raise PermissionDenied(gettext("You may not change this SME's coaching records."))


# --- Progress sheet ---------------------------------------------------------------------------


def contact_log(*, sme: SME, by: User, channel: str, summary: str, **fields) -> Contact:
    """Add one contact to the SME's progress sheet."""
    _require_change(by, sme)
    contact = Contact(sme=sme, author=by, channel=channel, summary=summary, **fields)
    contact.full_clean()
    contact.save()
    return contact


def _snapshot(contact: Contact) -> dict:
    values = {}
    for name in Contact.TRACKED:
        value = getattr(contact, name)
        values[name] = value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value
    return values


def contact_update(*, contact: Contact, by: User, **fields) -> Contact:
    """Edit a contact (its author only); the values it had are kept as a revision."""
    if contact.author_id != by.pk or not scoping.can_change_sme(by, contact.sme):
        raise PermissionDenied(gettext("Only the person who logged a contact may edit it."))
    before = _snapshot(contact)
    for name, value in fields.items():
        if name not in Contact.TRACKED:
            raise ValueError(f"Not an editable contact field: {name}")
        setattr(contact, name, value)
    if _snapshot(contact) == before:
        return contact
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        ContactRevision.objects.create(contact=contact, edited_by=by, previous=before, edited_at=timezone.now())
    return contact


# --- Sessions ------------------------------------------------------------------------------

# Fields whose change means attendees must update their calendars.
_CALENDAR_FIELDS = ["starts_at", "duration_minutes", "location", "video_url", "kind"]


def _invite_after_commit(session: Session, event: str) -> None:
    from .tasks import session_invitations_send

    transaction.on_commit(lambda: session_invitations_send.delay(session_id=session.pk, event=event))


def session_schedule(
    *, sme: SME, by: User, kind: str, starts_at: datetime.datetime, participants=(), already_held=False, **fields
) -> Session:
    """Schedule a session; its participants get an invitation with the event attached.

    ``already_held`` records a meeting that took place: it is saved as held and nobody is invited.
    """
    _require_change(by, sme)
    now = timezone.now()
    status = SessionStatus.HELD if already_held else SessionStatus.SCHEDULED
    session = Session(
        sme=sme,
        organiser=by,
        kind=kind,
        starts_at=starts_at,
        status=status,
        status_changed_at=now,
        dtstamp=now,
        **fields,
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        session.participants.set(participants)
        SessionChange.objects.create(
            session=session,
            event=SessionChange.Event.SCHEDULED,
            status=SessionStatus.SCHEDULED,
            starts_at=starts_at,
            by=by,
            at=now,
        )
        if already_held:
            SessionChange.objects.create(
                session=session, event=status, status=status, starts_at=starts_at, by=by, at=now
            )
        else:
            _invite_after_commit(session, "scheduled")
    return session


def session_update(*, session: Session, by: User, participants=None, **fields) -> Session:
    """Change a session. A change to its time, place or link raises SEQUENCE and re-sends the invitation."""
    _require_change(by, session.sme)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(gettext("A cancelled session cannot be changed; schedule a new one."))
    before = {name: getattr(session, name) for name in _CALENDAR_FIELDS}
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    calendar_changed = any(getattr(session, name) != value for name, value in before.items())
    people_before = set(session.participants.values_list("pk", flat=True))
    people_after = {p.pk for p in participants} if participants is not None else people_before
    with transaction.atomic():
        if calendar_changed or people_after != people_before:
            session.sequence += 1
            session.dtstamp = timezone.now()
        session.save()
        if participants is not None:
            session.participants.set(participants)
        if calendar_changed:
            moved = before["starts_at"] != session.starts_at
            SessionChange.objects.create(
                session=session,
                event=SessionChange.Event.RESCHEDULED if moved else SessionChange.Event.UPDATED,
                status=session.status,
                starts_at=session.starts_at,
                by=by,
                at=session.dtstamp,
            )
        if calendar_changed or people_after != people_before:
            _invite_after_commit(session, "changed")
    return session


def session_set_status(*, session: Session, by: User, status: str) -> Session:
    """Mark a session held, missed or cancelled (a cancellation cancels the event in every calendar)."""
    _require_change(by, session.sme)
    if status not in SessionStatus.values or status == session.status:
        return session
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(gettext("A cancelled session cannot be changed; schedule a new one."))
    now = timezone.now()
    with transaction.atomic():
        session.status = status
        session.status_changed_at = now
        if status == SessionStatus.CANCELLED:
            session.sequence += 1
            session.dtstamp = now
        session.save()
        SessionChange.objects.create(
            session=session, event=status, status=status, starts_at=session.starts_at, by=by, at=now
        )
        if status == SessionStatus.CANCELLED:
            _invite_after_commit(session, "cancelled")
    return session


def session_record(*, session: Session, by: User, **answers) -> Session:
    """Record what was said at a session: the six answers, notes, agreed actions, the long-term plan."""
    _require_change(by, session.sme)
    for name, value in answers.items():
        setattr(session, name, value)
    session.save()
    return session


# --- Calendar feed tokens --------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_token(*, user: User) -> str:
    """The user's secret calendar token, created on first use."""
    from connectors import crypto

    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return calendar_token_reset(user=user)
    return crypto.decrypt(feed.token_encrypted)["token"]


def calendar_token_reset(*, user: User) -> str:
    """A new secret token: the old feed address stops working at once."""
    from connectors import crypto

    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(token), "token_encrypted": crypto.encrypt({"token": token})}
    )
    return token


def calendar_user_for_token(token: str) -> User | None:
    feed = CalendarFeed.objects.filter(token_hash=_hash(token)).select_related("user").first()
    return feed.user if feed and feed.user.is_active else None


# --- The new-market entry plan -----------------------------------------------------------------


def plan_current(sme: SME) -> Plan | None:
    """The version the SME sees: the latest shared one."""
    return sme.plans.filter(status=PlanStatus.SHARED).first()


def plan_draft(sme: SME) -> Plan | None:
    return sme.plans.filter(status=PlanStatus.DRAFT).first()


def plan_draft_ensure(*, sme: SME, by: User) -> Plan:
    """The SME's draft plan: the existing one, else a copy of the shared version, else a new first version."""
    _require_change(by, sme)
    draft = plan_draft(sme)
    if draft:
        return draft
    with transaction.atomic():
        SME.objects.select_for_update().filter(pk=sme.pk).first()
        draft = plan_draft(sme)
        if draft:
            return draft
        current = plan_current(sme)
        version = (sme.plans.aggregate(v=Max("version"))["v"] or 0) + 1
        if current is None:
            return Plan.objects.create(
                sme=sme,
                version=version,
                created_by=by,
                created_at=timezone.now(),
                title=gettext("New-market entry plan for %(sme)s") % {"sme": sme.name},
            )
        draft = Plan.objects.create(
            sme=sme,
            version=version,
            created_by=by,
            created_at=timezone.now(),
            **{name: getattr(current, name) for name in ("title", "summary", "objectives", "success_criteria",
                                                        "training")},
        )  # fmt: skip
        for market in current.markets.all():
            market.pk = None
            market.plan = draft
            market.save()
        for action in current.actions.all():
            action.pk = None
            action.plan = draft
            action.save()
        return draft


def _require_draft(plan: Plan, by: User) -> None:
    _require_change(by, plan.sme)
    if plan.is_frozen:
        raise ValidationError(gettext("A shared plan is frozen: edit the draft of the next version instead."))


# What plan_update may change: the plan's wording. Its status, version, SME and dates change only
# through their own services (plan_share, plan_draft_ensure).
PLAN_WORDING = ("title", "summary", "objectives", "success_criteria", "training")


def plan_update(*, plan: Plan, by: User, **fields) -> Plan:
    """Change the wording of a draft plan (only the fields in ``PLAN_WORDING``; any other is a ``TypeError``)."""
    refused = sorted(set(fields) - set(PLAN_WORDING))
    if refused:
        raise TypeError(f"plan_update changes only {', '.join(PLAN_WORDING)}, not {', '.join(refused)}")
    _require_draft(plan, by)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save(update_fields=[*fields, "updated_at"])
    return plan


def market_save(*, plan: Plan, by: User, market: TargetMarket | None = None, **fields) -> TargetMarket:
    _require_draft(plan, by)
    market = market or TargetMarket(plan=plan, position=plan.markets.count())
    for name, value in fields.items():
        setattr(market, name, value)
    from .countries import CODES

    market.country = (market.country or "").upper()
    if market.country and market.country not in CODES:
        raise ValidationError(gettext("“%(code)s” is not a country code.") % {"code": market.country})
    if market.country:
        market.country_text = ""  # a country chosen: the hand-written one needs no review any more
    market.full_clean()
    market.save()
    return market


def market_delete(*, market: TargetMarket, by: User) -> None:
    _require_draft(market.plan, by)
    market.delete()


def action_save(*, plan: Plan, by: User, action: PlanAction | None = None, **fields) -> PlanAction:
    """Add or reword an action of a draft plan; a new action starts as proposed."""
    _require_draft(plan, by)
    created = action is None
    now = timezone.now()
    action = action or PlanAction(plan=plan, position=plan.actions.count(), created_at=now, status_changed_at=now)
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean()
    with transaction.atomic():
        action.save()
        if created:
            ActionStatusChange.objects.create(
                action=action, key=action.key, to_status=action.status, by=by, at=action.created_at
            )
    return action


def action_delete(*, action: PlanAction, by: User) -> None:
    _require_draft(action.plan, by)
    action.delete()


def action_from_finding(
    *, sme: SME, by: User, kind: str, ref: str, title: str, detail: str = ""
) -> tuple[PlanAction, bool]:
    """A proposed action on the SME's draft plan from a toolkit finding; (action, created). Never twice."""
    draft = plan_draft_ensure(sme=sme, by=by)
    existing = draft.actions.filter(finding_kind=kind, finding_ref=ref).first()
    if existing:
        return existing, False
    action = action_save(
        plan=draft,
        by=by,
        title=title[:200],
        detail=detail,
        owner_type="account_manager",
        finding_kind=kind,
        finding_ref=ref,
    )
    from .outcomes import opportunity_stock_note

    opportunity_stock_note(action)
    return action, True


def plan_share(*, plan: Plan, by: User) -> Plan:
    """Share the draft with the SME: it freezes, and the version it replaces is kept as superseded.

    Actions carried over from the replaced version keep the status the SME gave them meanwhile.
    """
    _require_draft(plan, by)
    if not plan.title.strip():
        raise ValidationError(gettext("The plan needs a title before it is shared."))
    now = timezone.now()
    with transaction.atomic():
        previous = plan_current(plan.sme)
        if previous:
            statuses = {a.key: (a.status, a.status_changed_at) for a in previous.actions.all()}
            for action in plan.actions.filter(key__in=statuses):
                action.status, action.status_changed_at = statuses[action.key]
                action.save(update_fields=["status", "status_changed_at"])
            previous.status = PlanStatus.SUPERSEDED
            previous.superseded_at = now
            previous.save(update_fields=["status", "superseded_at", "updated_at"])
        plan.status = PlanStatus.SHARED
        plan.shared_at = now
        plan.shared_by = by
        plan.save()
        # Outcomes: its markets are followed from now on, their baselines frozen (coaching.outcomes).
        from .outcomes import markets_follow

        markets_follow(plan=plan)
    return plan


# Which status may follow which; accepting or rejecting is the SME's choice (or staff recording it).
ACTION_TRANSITIONS: dict[str, set[str]] = {
    ActionStatus.PROPOSED: {ActionStatus.ACCEPTED, ActionStatus.REJECTED, ActionStatus.NO_ACTION},
    ActionStatus.ACCEPTED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.NO_ACTION, ActionStatus.REJECTED},
    ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.NO_ACTION},
    ActionStatus.REJECTED: {ActionStatus.ACCEPTED},
    ActionStatus.NO_ACTION: {ActionStatus.ACCEPTED},
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
}


def action_set_status(*, action: PlanAction, by: User, status: str, note: str = "") -> PlanAction:
    """Move an action of the shared plan to a new status (SME users and the SME's staff); the change is logged."""
    sme = action.plan.sme
    if not scoping.can_edit_company_data(by, sme):
        raise PermissionDenied(gettext("You may not change this plan's actions."))
    if action.plan.status != PlanStatus.SHARED:
        raise ValidationError(gettext("Only the actions of the shared plan can be accepted, rejected or followed up."))
    if status not in ACTION_TRANSITIONS.get(action.status, set()):
        raise ValidationError(
            gettext("An action that is “%(from)s” cannot become “%(to)s”.")
            % {"from": action.get_status_display(), "to": ActionStatus(status).label if status in ActionStatus.values
               else status}
        )  # fmt: skip
    now = timezone.now()
    with transaction.atomic():
        previous = action.status
        action.status = status
        action.status_changed_at = now
        action.save(update_fields=["status", "status_changed_at"])
        ActionStatusChange.objects.create(
            action=action, key=action.key, from_status=previous, to_status=status, by=by, at=now, note=note[:300]
        )
        if ActionStatus.DONE in (status, previous):
            transaction.on_commit(lambda: milestones.moved(sme, sender="coaching"))
    return action
