"""Reads of the capture mailbox: the drafts a person may confirm, the triage entries they may sort."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from journey import scoping
from journey.models import SME, Launchpad

from ..models import CapturedMessage, CaptureStatus


def drafts_to_confirm(user) -> QuerySet[CapturedMessage]:
    """Drafts on the SMEs this person may change, newest first."""
    drafts = CapturedMessage.objects.filter(status=CaptureStatus.DRAFT).select_related("sme__launchpad", "sender")
    return scoping.scope_to_editable(user, drafts).order_by("-happened_at", "-pk")


def triage(user) -> QuerySet[CapturedMessage]:
    """The triage entries of the launchpads this person serves, and those they sent themselves."""
    served = scoping.launchpads_served_by(user)
    query = Q(launchpad__in=served)
    if user.is_authenticated:
        query |= Q(sender=user)
    if served.exists() and not Launchpad.objects.exclude(pk__in=served.values("pk")).exists():
        query |= Q(launchpad__isnull=True)  # those who serve every launchpad also sort the unrouted
    entries = CapturedMessage.objects.filter(query, status=CaptureStatus.TRIAGE)
    return entries.select_related("launchpad", "sender").prefetch_related("candidates").order_by("-received_at")


def visible(user) -> QuerySet[CapturedMessage]:
    """Every captured message this person may act on (a draft of theirs, or a triage entry they sort)."""
    drafts = scoping.scope_to_editable(user, CapturedMessage.objects.all())
    return CapturedMessage.objects.filter(Q(pk__in=drafts.values("pk")) | Q(pk__in=triage(user).values("pk")))


def smes_to_attach(user, capture: CapturedMessage) -> list[SME]:
    """The SMEs a triage entry may be given to: its candidates first, then the person's others."""
    editable = scoping.smes_editable_by(user).order_by("name")
    candidates = [sme for sme in capture.candidates.all() if sme in set(editable)]
    others = [sme for sme in editable if sme not in candidates]
    return candidates + others
