"""Sessions as iCalendar: one UID forever, SEQUENCE and DTSTAMP on a reschedule, CANCELLED, VTIMEZONE, feeds."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from coaching import services
from coaching.models import Session, SessionKind
from journey.models import Role

from .conftest import login

pytestmark = pytest.mark.django_db


def _events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, [c for c in calendar.walk("VEVENT")]


def _ics(client, session):
    url = reverse("coaching:session_ics", kwargs={"slug": session.sme.slug, "pk": session.pk})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return response.content


def test_a_session_file_carries_the_launchpad_time_zone(client, session, manager):
    login(client, manager)
    calendar, (event,) = _events(_ics(client, session))
    assert str(event["UID"]) == session.uid
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start.tzinfo.key == "Europe/London" if hasattr(start.tzinfo, "key") else str(start.tzinfo) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert start == session.starts_at
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=90)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert (
        "mailto:morag@hebridean.test" in [str(a) for a in event.get("ATTENDEE", [])]
        or str(event.get("ATTENDEE")) == "mailto:morag@hebridean.test"
    )


def test_a_reschedule_keeps_the_uid_raises_sequence_and_moves_dtstamp(client, session, manager):
    login(client, manager)
    Session.objects.filter(pk=session.pk).update(dtstamp=session.dtstamp - datetime.timedelta(hours=1))
    session.refresh_from_db()
    _, (before,) = _events(_ics(client, session))
    services.session_update(session=session, by=manager, starts_at=session.starts_at + datetime.timedelta(days=2))
    _, (after,) = _events(_ics(client, session))
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1 == 1
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == datetime.timedelta(days=2)
    # Recording notes changes nothing in the calendar.
    services.session_record(session=session, by=manager, notes="Agenda agreed")
    _, (same,) = _events(_ics(client, session))
    assert same["SEQUENCE"] == 1 and same.decoded("DTSTAMP") == after.decoded("DTSTAMP")


def test_a_cancellation_cancels_the_same_event(client, session, manager):
    login(client, manager)
    services.session_set_status(session=session, by=manager, status="cancelled")
    _, (event,) = _events(_ics(client, session))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == session.uid


def test_paris_sessions_are_in_paris_time(french_sme, french_manager):
    start = datetime.datetime(2026, 7, 1, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    session = services.session_schedule(
        sme=french_sme,
        by=french_manager,
        kind=SessionKind.MONTHLY_1,
        starts_at=start,
        video_url="https://meet.example/x",
    )
    from coaching.calendar import calendar_bytes

    calendar, (event,) = _events(calendar_bytes([session]))
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].to_ical() == b"20260701T140000"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_invitations_go_to_each_participant_in_their_language_with_the_event(
    sme, manager, sme_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_schedule(
            sme=sme, by=manager, kind=SessionKind.FIRST_CONSULTATION,
            starts_at=timezone.now() + datetime.timedelta(days=5), location="Stornoway", participants=[sme_user],
        )  # fmt: skip
    with translation.override("fr"):
        french_kind = str(SessionKind.FIRST_CONSULTATION.label)
        french_cancelled = gettext("Cancelled: %(kind)s — %(sme)s") % {"kind": french_kind, "sme": sme.name}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {manager.email, sme_user.email}
    french = by_address[sme_user.email]
    assert french_kind in french.subject
    assert "First consultation" in by_address[manager.email].subject
    name, content, mimetype = french.attachments[0]
    assert name == "session.ics" and "method=REQUEST" in mimetype
    calendar, (event,) = _events(content if isinstance(content, bytes) else content.encode())
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == session.uid

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, by=manager, location="Harbour café")
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_set_status(session=session, by=manager, status="held")
    assert mail.outbox == []  # holding a session changes no calendar
    session.status = "scheduled"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_set_status(session=session, by=manager, status="cancelled")
    cancelled = next(m for m in mail.outbox if m.to == [sme_user.email])
    calendar, (event,) = _events(cancelled.attachments[0][1])
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert cancelled.subject == french_cancelled


def test_feeds_per_person_behind_a_secret_token_that_can_be_reset(client, session, manager, sme_user, french_sme,
                                                                   french_manager):  # fmt: skip
    other = services.session_schedule(
        sme=french_sme, by=french_manager, kind=SessionKind.FIRST_CONSULTATION,
        starts_at=timezone.now() + datetime.timedelta(days=3), location="Quimper",
    )  # fmt: skip
    login(client, manager)
    page = client.get(reverse("coaching:calendar"))
    feed_url = page.context["feed_url"]
    assert feed_url.startswith("http://testserver/calendar/") and feed_url.endswith(".ics")
    client.logout()
    _, events = _events(client.get(feed_url).content)
    assert [str(e["UID"]) for e in events] == [session.uid]

    token = services.calendar_token(user=sme_user)
    _, events = _events(client.get(reverse("coaching_public:feed", kwargs={"token": token})).content)
    assert [str(e["UID"]) for e in events] == [session.uid]
    assert other.uid not in client.get(reverse("coaching_public:feed", kwargs={"token": token})).content.decode()

    login(client, manager)
    client.post(reverse("coaching:calendar"))
    client.logout()
    assert client.get(feed_url).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_export_calendar_writes_a_stable_feed(tmp_path, session, manager):
    out = tmp_path / "feed.ics"
    call_command("export_calendar", "--user", manager.email.upper(), "--out", str(out))
    first = out.read_bytes()
    call_command("export_calendar", "--user", manager.email, "--out", str(out))
    assert out.read_bytes() == first
    _, (event,) = _events(first)
    assert str(event["UID"]) == session.uid
    stdout = StringIO()
    call_command("export_calendar", "--user", manager.email, stdout=stdout)
    assert stdout.getvalue().encode() == first.decode().encode() or "BEGIN:VCALENDAR" in stdout.getvalue()
    with pytest.raises(CommandError):
        call_command("export_calendar", "--user", "nobody@example.test")


def test_only_the_smes_staff_schedule_sessions(client, sme, colleague, sme_user):
    for person in (colleague, sme_user):
        login(client, person)
        assert client.get(reverse("coaching:session_new", kwargs={"slug": sme.slug})).status_code == 403
    assert sme_user.role == Role.SME_USER


def test_scheduling_through_the_page(client, sme, manager, sme_user):
    login(client, manager)
    url = reverse("coaching:session_new", kwargs={"slug": sme.slug})
    year = timezone.now().year + 1  # always in the future: a session in the past is refused
    response = client.post(url, {"kind": "onboarding_a", "starts_at": f"{year}-05-04T09:00", "duration_minutes": 60,
                                 "participants": [sme_user.pk]})  # fmt: skip
    assert response.status_code == 200 and "video link" in response.content.decode()
    response = client.post(url, {"kind": "onboarding_a", "starts_at": f"{year}-05-04T09:00", "duration_minutes": 60,
                                 "location": "Stornoway", "participants": [sme_user.pk]})  # fmt: skip
    assert response.status_code == 302
    session = sme.coaching_sessions.get()
    # 09:00 London summer time is 08:00 UTC.
    assert session.starts_at == datetime.datetime(year, 5, 4, 8, 0, tzinfo=datetime.UTC)
    response = client.post(reverse("coaching:session_status", kwargs={"slug": sme.slug, "pk": session.pk}),
                           {"status": "held"})  # fmt: skip
    session.refresh_from_db()
    assert session.status == "held" and session.changes.count() == 2


@pytest.mark.parametrize(
    ("starts_at", "minutes", "held", "field", "message"),
    [
        ("2020-01-01T10:00", 60, False, "starts_at", "in the past"),
        ("NEXT-05-04T09:00", 0, False, "duration_minutes", "between 15 minutes and 8 hours"),
        ("NEXT-05-04T09:00", 10, False, "duration_minutes", "between 15 minutes and 8 hours"),
        ("NEXT-05-04T09:00", 481, False, "duration_minutes", "between 15 minutes and 8 hours"),
        ("9999-05-04T09:00", 60, False, "starts_at", "within the next two years"),
        ("NEXT-05-04T09:00", 60, True, "already_held", "cannot have taken place yet"),
    ],
)
def test_a_session_in_the_past_or_of_no_length_is_refused_with_its_field_named(
    client, sme, manager, starts_at, minutes, held, field, message
):
    """A session on 01/01/2020 lasting 0 minutes was accepted (issue 18)."""
    login(client, manager)
    url = reverse("coaching:session_new", kwargs={"slug": sme.slug})
    data = {"kind": "onboarding_a", "starts_at": starts_at.replace("NEXT", str(timezone.now().year + 1)),
            "duration_minutes": minutes, "location": "Stornoway"}  # fmt: skip
    if held:
        data["already_held"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not sme.coaching_sessions.exists()


def test_a_past_meeting_is_recorded_as_held_without_inviting_anyone(
    client, sme, manager, sme_user, django_capture_on_commit_callbacks
):
    login(client, manager)
    url = reverse("coaching:session_new", kwargs={"slug": sme.slug})
    with django_capture_on_commit_callbacks(execute=True):
        data = {"kind": "onboarding_a", "starts_at": "2026-01-05T09:00", "duration_minutes": 45,
                "location": "Stornoway", "participants": [sme_user.pk], "already_held": "on"}  # fmt: skip
        response = client.post(url, data)
    assert response.status_code == 302
    session = sme.coaching_sessions.get()
    assert session.status == "held"
    assert [change.event for change in session.changes.order_by("pk")] == ["scheduled", "held"]
    assert mail.outbox == []


def test_the_french_form_names_the_field_in_french(client, sme, manager):
    login(client, manager)
    url = "/fr" + reverse("coaching:session_new", kwargs={"slug": sme.slug})[3:]
    response = client.post(url, {"kind": "onboarding_a", "starts_at": "2020-01-01T10:00", "duration_minutes": 0,
                                 "location": "Stornoway"})  # fmt: skip
    page = response.content.decode()
    assert "Durée :" in page and "Date et heure :" in page
