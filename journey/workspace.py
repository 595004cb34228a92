"""The staff SME workspace: one page that gathers what every app knows about an SME.

``journey`` is the lowest layer and cannot import the apps above it, so they plug in
through two hooks (``journey.hooks``), registered in their ``wagtail_hooks.py`` the same
way they add conditions and panels:

* ``WORKSPACE_SECTIONS`` — a block of the page, shown in hook order. ``render(request, sme)``
  gets an SME already checked visible to the user and returns HTML ("" to show nothing).
  Sections are written for staff: they speak of the SME by name ("Welsh Slate Gifts's
  toolkit", "their account manager"), never as "your".
* ``TIMELINE_KINDS`` — a function returning ``TimelineKind``s: kinds of event on the SME's
  timeline. ``events(sme, limit)`` returns the newest ``limit`` events of that kind,
  newest first; ``count(sme)`` how many there are. A page of the merged timeline needs at
  most ``page × per page`` events of each kind, so a long history (a year of syncs,
  hundreds of contacts) never loads whole, and each kind costs one or two queries.

The journey's own facts (stage, since when, due date, what blocks the next step) and its
stage changes are read here too.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import hooks, stages
from .models import SME, StageChange

Section = Callable[[HttpRequest, SME], str]


@dataclass(frozen=True)
class Event:
    """One thing that happened to an SME, as the timeline shows it (text already in the active language)."""

    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    by: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineKind:
    key: str
    label: str | Promise
    events: Callable[[SME, int], Iterable[Event]]
    count: Callable[[SME], int]
    order: int = 100


def sections(request: HttpRequest, sme: SME) -> list[SafeString]:
    """The registered sections' HTML for this SME, in hook order, empty ones left out."""
    return [html for html in (render(request, sme) for render in hooks.get(hooks.WORKSPACE_SECTIONS)) if html]


def timeline_kinds() -> list[TimelineKind]:
    """Every kind of event on the timeline (``TIMELINE_KINDS``), in their order; a later kind of a key wins."""
    kinds = {kind.key: kind for provide in hooks.get(hooks.TIMELINE_KINDS) for kind in provide()}
    return sorted(kinds.values(), key=lambda kind: (kind.order, kind.key))


# --- The journey's facts ------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFacts:
    """Where the SME stands: its stage, since when (from the stage log), when it is due and how late it is."""

    stage: str
    label: str
    since: datetime.datetime
    due_on: datetime.date | None
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def stage_facts(sme: SME, *, now: datetime.datetime | None = None) -> StageFacts:
    """The SME's stage facts. "Since" is the log's last move into the current stage, not when the record was made."""
    last_move = (
        StageChange.objects.filter(sme=sme, to_stage=sme.stage).order_by("-at", "-pk").values_list("at", flat=True)
    ).first()
    since = last_move or sme.stage_entered_at
    zone = sme.launchpad.time_zone
    due = stages.due_on(sme.stage, since, zone)
    today = (now or timezone.now()).astimezone(ZoneInfo(zone)).date()
    late = (today - due).days if due is not None and today > due else 0
    return StageFacts(sme.stage, sme.get_stage_display(), since, due, late)


def _stage_events(sme: SME, limit: int) -> list[Event]:
    events = []
    for change in sme.stage_changes.select_related("by").order_by("-at", "-pk")[:limit]:
        details = []
        if change.reason:
            details.append(gettext("Reason: %(reason)s") % {"reason": change.reason})
        if change.overridden:
            details.append(
                gettext("Overridden: %(conditions)s")
                % {"conditions": "; ".join(item.get("message", "") for item in change.overridden)}
            )
        events.append(
            Event(
                at=change.at,
                kind="stage",
                title=gettext("%(from)s → %(to)s")
                % {"from": change.get_from_stage_display(), "to": change.get_to_stage_display()},
                detail=" · ".join(details),
                by=(change.by.get_full_name() or change.by.email) if change.by else "",
            )
        )
    return events


def journey_timeline_kinds() -> list[TimelineKind]:
    """The journey's own kind of event: its stage changes."""
    return [TimelineKind("stage", _("Stage changes"), _stage_events, lambda sme: sme.stage_changes.count(), order=10)]


hooks.register(hooks.TIMELINE_KINDS, journey_timeline_kinds, order=-100)


# --- The timeline, merged and paginated ----------------------------------------------------------

PER_PAGE = 25


@dataclass
class TimelinePage:
    events: list[Event]
    number: int
    num_pages: int
    total: int
    kinds: list[tuple[TimelineKind, int, bool]] = field(default_factory=list)  # (kind, count, selected)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def timeline_page(sme: SME, *, kinds: Iterable[str] = (), page=1, per_page: int = PER_PAGE) -> TimelinePage:
    """One page of the SME's timeline, newest first, of the chosen kinds (all when none or unknown).

    ``page`` may be anything a query string holds: a number out of range gives the last page,
    anything else the first.
    """
    registered = timeline_kinds()
    known = {kind.key for kind in registered}
    chosen = {key for key in kinds if key in known} or known
    counts = {kind.key: kind.count(sme) for kind in registered}
    total = sum(counts[key] for key in chosen)
    num_pages = max(1, -(-total // per_page))
    number = min(_page_number(page), num_pages)
    limit = number * per_page
    streams = [list(kind.events(sme, limit)) for kind in registered if kind.key in chosen]
    merged = list(heapq.merge(*streams, key=lambda event: event.at, reverse=True))
    return TimelinePage(
        events=merged[(number - 1) * per_page : limit],
        number=number,
        num_pages=num_pages,
        total=total,
        kinds=[(kind, counts[kind.key], kind.key in chosen and len(chosen) < len(registered)) for kind in registered],
    )


__all__ = [
    "Event",
    "StageFacts",
    "TimelineKind",
    "TimelinePage",
    "sections",
    "stage_facts",
    "timeline_kinds",
    "timeline_page",
]
