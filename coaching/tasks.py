"""Background work of coaching: session invitations, the daily drift check, the weekly digest."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from journey.models import User

from .calendar import calendar_bytes
from .models import Session, SessionChange


def _language(user: User, fallback: str) -> str:
    return user.preferred_language or fallback or settings.LANGUAGE_CODE


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def session_invitations_send(*, session_id: int, event: str) -> int:
    """E-mail every participant (and the organiser) the session, in their language, with the .ics attached.

    ``event`` is "scheduled", "changed" or "cancelled"; a cancellation carries METHOD:CANCEL.
    """
    session = (
        Session.objects.select_related("sme__launchpad", "organiser").prefetch_related("participants").filter(
            pk=session_id).first()
    )  # fmt: skip
    if session is None:
        return 0
    people = {session.organiser.pk: session.organiser}
    people.update({person.pk: person for person in session.participants.all()})
    method = "CANCEL" if event == SessionChange.Event.CANCELLED else "REQUEST"
    sent = 0
    for person in people.values():
        if not person.email or not person.is_active:
            continue
        with (
            translation.override(_language(person, session.sme.launchpad.language)),
            timezone.override(session.sme.launchpad.time_zone),
        ):
            context = {"session": session, "event": event, "person": person}
            subject = render_to_string("coaching/email/invitation_subject.txt", context).strip()
            body = render_to_string("coaching/email/invitation.txt", context)
            ics = calendar_bytes([session], method=method)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[person.email])
        message.attach("session.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        sent += message.send()
    return sent


@shared_task
def drift_check() -> dict:
    """The daily check: raise the alerts whose cause appeared, resolve those whose cause went."""
    from .drift import drift_check_all

    return drift_check_all()


@shared_task
def drift_digest() -> int:
    """The weekly e-mail to each account manager listing their SMEs' open alerts, in their language."""
    from .drift import drift_digest_send

    return drift_digest_send()


@shared_task
def capture_poll() -> dict:
    """Every few minutes: capture the new messages of the capture mailbox (nothing when none is configured)."""
    from .capture.mailbox import poll

    return poll()
