"""Learning on the staff SME workspace (``journey.workspace``): badges held, and badges on the timeline."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from journey import workspace
from journey.models import SME

from .models import BadgeAward, valid_awards


def section(request, sme: SME) -> str:
    """The badges the SME holds now (valid: neither revoked nor expired), with the tool each opens."""
    held = valid_awards().filter(sme=sme).select_related("badge_class").order_by("-awarded_at", "-pk")
    return render_to_string(
        "learning/workspace_section.html",
        {"sme": sme, "awards": list(held), "url": reverse("learning:sme", args=[sme.slug])},
        request=request,
    )


def _badge_events(sme: SME, limit: int) -> list[workspace.Event]:
    awards = (
        BadgeAward.objects.filter(sme=sme).select_related("badge_class", "awarded_by").order_by("-awarded_at", "-pk")
    )[:limit]
    events = []
    for award in awards:
        events.append(
            workspace.Event(
                at=award.awarded_at,
                kind="badge",
                title=gettext("Badge earned: %(badge)s") % {"badge": award.badge_class.name},
                detail="" if award.is_valid else str(award.get_status_display()),
                by=(award.awarded_by.get_full_name() or award.awarded_by.email) if award.awarded_by else "",
                url=reverse("learning:sme", args=[sme.slug]),
            )
        )
    return events


def timeline_kinds() -> list[workspace.TimelineKind]:
    """Learning's kind of event on the workspace timeline (the ``TIMELINE_KINDS`` hook)."""
    return [workspace.TimelineKind("badge", _("Badges"), _badge_events, lambda sme: sme.badge_awards.count(), order=60)]
