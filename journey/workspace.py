"""The staff SME workspace: one page that gathers what every app knows about an SME.

``journey`` is the lowest layer and cannot import the apps above it, so they plug in here
at start-up (in ``AppConfig.ready``), the same way they add conditions and panels:

* ``register_section(key, render, order=…)`` — a block of the page. ``render(request, sme)``
  gets an SME already checked visible to the user and returns HTML ("" to show nothing).
  Sections are written for staff: they speak of the SME by name ("Welsh Slate Gifts's
  toolkit", "their account manager"), never as "your".
* ``register_timeline(kind, label, events=…, count=…, order=…)`` — a kind of event on the
  SME's timeline. ``events(sme, limit)`` returns the newest ``limit`` events of that kind,
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

from . import stages
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


_sections: dict[str, tuple[int, Section]] = {}
_kinds: dict[str, TimelineKind] = {}


def register_section(key: str, render: Section, *, order: int = 100) -> None:
    """Add (or replace) a section of the workspace; sections show in ``order``."""
    _sections[key] = (order, render)


def register_timeline(
    kind: str,
    label: str | Promise,
    *,
    events: Callable[[SME, int], Iterable[Event]],
    count: Callable[[SME], int],
    order: int = 100,
) -> None:
    """Add (or replace) a kind of event on the timeline; the filter lists kinds in ``order``."""
    _kinds[kind] = TimelineKind(kind, label, events, count, order)


def unregister(key: str) -> None:
    """Remove a section or a timeline kind (tests)."""
    _sections.pop(key, None)
    _kinds.pop(key, None)


def sections(request: HttpRequest, sme: SME) -> list[SafeString]:
    """The registered sections' HTML for this SME, in order, empty ones left out."""
    ordered = sorted(_sections.items(), key=lambda item: (item[1][0], item[0]))
    return [html for html in (render(request, sme) for _key, (_order, render) in ordered) if html]


def timeline_kinds() -> list[TimelineKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


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


register_timeline(
    "stage",
    _("Stage changes"),
    events=_stage_events,
    count=lambda sme: sme.stage_changes.count(),
    order=10,
)


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
    chosen = {key for key in kinds if key in _kinds} or {kind.key for kind in registered}
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
    "register_section",
    "register_timeline",
    "sections",
    "stage_facts",
    "timeline_kinds",
    "timeline_page",
    "unregister",
]
