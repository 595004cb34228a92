"""Coaching on the staff SME workspace (``journey.workspace``): a section and three timeline kinds.

The section answers "when did we last speak, when do we meet next, what is open": the last
contact, the next session, the open actions of the shared plan with who does them and by
when, and the open drift alerts with their reason. The timeline gets the progress sheet's
contacts, the sessions and the plan's versions.
"""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from journey import scoping, workspace
from journey.models import SME

from .drift import alert_text
from .models import OPEN_STATUSES, Contact, Plan, PlanStatus, Session
from .selectors import summaries
from .services import plan_current


def section(request, sme: SME) -> str:
    """Last contact, next session, open plan actions (owner, due date) and open drift alerts."""
    summary = summaries(SME.objects.filter(pk=sme.pk))[0]
    last_contact = sme.coaching_contacts.select_related("author").order_by("-happened_at", "-pk").first()
    plan = plan_current(sme)
    actions = list(plan.actions.filter(status__in=OPEN_STATUSES).order_by("due_on", "position", "pk")) if plan else []
    alerts = [alert_text(alert) for alert in sme.drift_alerts.filter(resolved_at__isnull=True).order_by("since")]
    return render_to_string(
        "coaching/workspace_section.html",
        {
            "sme": sme,
            "last_contact": last_contact,
            "next_session": summary.next_session,
            "plan": plan,
            "actions": actions,
            "today": timezone.localdate(),
            "alerts": alerts,
            "can_change": scoping.can_change_sme(request.user, sme),
        },
        request=request,
    )


def _contact_events(sme: SME, limit: int) -> list[workspace.Event]:
    contacts = Contact.objects.filter(sme=sme).select_related("author").order_by("-happened_at", "-pk")[:limit]
    url = reverse("coaching:sme", kwargs={"slug": sme.slug})
    return [
        workspace.Event(
            at=contact.happened_at,
            kind="contact",
            title=gettext("Contact: %(channel)s") % {"channel": contact.get_channel_display()},
            detail=contact.summary,
            by=(contact.author.get_full_name() or contact.author.email) if contact.author else "",
            url=url,
        )
        for contact in contacts
    ]


def _session_events(sme: SME, limit: int) -> list[workspace.Event]:
    sessions = Session.objects.filter(sme=sme).select_related("organiser").order_by("-starts_at", "-pk")[:limit]
    return [
        workspace.Event(
            at=session.starts_at,
            kind="session",
            title=gettext("%(session)s (%(status)s)")
            % {"session": session.get_kind_display(), "status": session.get_status_display()},
            detail=session.location,
            by=(session.organiser.get_full_name() or session.organiser.email) if session.organiser else "",
            url=reverse("coaching:session", kwargs={"slug": sme.slug, "pk": session.pk}),
        )
        for session in sessions
    ]


def _plans(sme: SME):
    return Plan.objects.filter(sme=sme).annotate(event_at=Coalesce("shared_at", "created_at"))


def _plan_events(sme: SME, limit: int) -> list[workspace.Event]:
    plans = _plans(sme).select_related("shared_by", "created_by").order_by("-event_at", "-pk")[:limit]
    events = []
    for plan in plans:
        shared = plan.shared_at is not None
        person = plan.shared_by if shared else plan.created_by
        events.append(
            workspace.Event(
                at=plan.event_at,
                kind="plan",
                title=(
                    gettext("Plan version %(version)s shared: %(title)s")
                    if shared
                    else gettext("Plan version %(version)s drafted: %(title)s")
                )
                % {"version": plan.version, "title": plan.title},
                detail=str(plan.get_status_display()) if plan.status != PlanStatus.SHARED else "",
                by=(person.get_full_name() or person.email) if person else "",
                url=reverse("coaching:plan_version", kwargs={"slug": sme.slug, "version": plan.version})
                if shared
                else "",
            )
        )
    return events


def timeline_kinds() -> list[workspace.TimelineKind]:
    """Coaching's kinds of event on the workspace timeline (the ``TIMELINE_KINDS`` hook)."""
    return [
        workspace.TimelineKind(
            "contact", _("Contacts"), _contact_events, lambda sme: sme.coaching_contacts.count(), order=20
        ),
        workspace.TimelineKind(
            "session", _("Sessions"), _session_events, lambda sme: sme.coaching_sessions.count(), order=30
        ),
        workspace.TimelineKind("plan", _("Plan versions"), _plan_events, lambda sme: sme.plans.count(), order=40),
    ]
