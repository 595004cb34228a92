"""Sessions as iCalendar (RFC 5545) with the ``icalendar`` library.

One session is one VEVENT whose UID never changes; ``Session.sequence`` and
``Session.dtstamp`` move whenever attendees must update (a reschedule, a cancellation),
so calendar programs replace the event they hold instead of adding another. Times are
written in the launchpad's time zone with its VTIMEZONE. The output depends only on
stored data, so the same sessions always give the same bytes.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress, vText

from journey.models import Role, User

from .models import Session, SessionStatus

PRODID = "-//E-Channel//Coaching sessions//EN"


def _address(user: User, *, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.get_full_name() or user.email)
    address.params["role"] = vText(role)
    return address


def session_event(session: Session) -> Event:
    """The VEVENT of one session, with times in the launchpad's time zone."""
    zone = ZoneInfo(session.sme.launchpad.time_zone)
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", session.dtstamp.astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", f"{session.get_kind_display()} — {session.sme.name}")
    lines = [gettext("E-Channel session: %(kind)s") % {"kind": session.get_kind_display()}]
    if session.video_url:
        lines.append(gettext("Video link: %(url)s") % {"url": session.video_url})
    if session.other_participants:
        lines.append(gettext("Also taking part: %(names)s") % {"names": session.other_participants})
    event.add("description", "\n".join(lines))
    if session.location or session.video_url:
        event.add("location", session.location or session.video_url)
    if session.video_url:
        event.add("url", session.video_url)
    event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
    event["organizer"] = _address(session.organiser, role="CHAIR")
    for person in session.participants.all():
        if person.pk != session.organiser_id:
            event.add("attendee", _address(person, role="REQ-PARTICIPANT"))
    event.add("last-modified", session.dtstamp.astimezone(datetime.UTC))
    return event


def calendar_bytes(sessions, *, method: str | None = None, name: str = "") -> bytes:
    """A VCALENDAR with these sessions and the VTIMEZONEs they use."""
    sessions = sorted(sessions, key=lambda s: (s.starts_at, s.uid))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(session_event(session))
    if sessions:
        # Rules from a year before the first session to two years after the last: enough, and stable.
        first = sessions[0].starts_at.date().replace(month=1, day=1) - datetime.timedelta(days=366)
        last = sessions[-1].starts_at.date().replace(month=1, day=1) + datetime.timedelta(days=3 * 366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def sessions_for_user(user: User) -> QuerySet[Session]:
    """The sessions in a person's feed: an SME user's company's; staff's own (organised or attended)."""
    sessions = Session.objects.select_related("sme__launchpad", "organiser").prefetch_related("participants")
    if not user.is_active:
        return sessions.none()
    if user.role == Role.SME_USER:
        return sessions.filter(sme_id=user.sme_id)
    return sessions.filter(Q(organiser=user) | Q(participants=user)).distinct()


def feed_for_user(user: User) -> bytes:
    """The person's subscribable calendar, named in their language."""
    with translation.override(user.preferred_language or "en"):
        name = gettext("E-Channel sessions")
        return calendar_bytes(sessions_for_user(user), name=name)
