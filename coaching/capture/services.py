"""Writes of the capture mailbox: record a message once, as a draft or a triage entry; confirm, edit, discard.

A message is recorded in one transaction with its draft, keyed by its Message-ID (unique), so
reading the same message twice — a second poll, a crash before the server was told — adds
nothing. An invitation's update (same UID, higher SEQUENCE) moves its draft, or its confirmed
contact; a cancellation cancels the draft. Nothing reaches the progress sheet until a person
who may change the SME confirms it (journey.scoping).
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from journey import scoping
from journey.models import SME, User

from .. import services as coaching_services
from ..models import CapturedMessage, CaptureReason, CaptureStatus, Channel, Contact
from . import matching
from .parsing import ParsedMessage, message_key, parse

logger = logging.getLogger(__name__)

# Problems that send a message to triage even when its sender and SME are known.
_BLOCKING = [
    CaptureReason.FORGED_SENDER,
    CaptureReason.TOO_LARGE,
    CaptureReason.TOO_NESTED,
    CaptureReason.UNREADABLE,
    CaptureReason.ATTACHMENT_TOO_LARGE,
    CaptureReason.BAD_ENCODING,
    CaptureReason.HTML_ONLY,
]


@dataclass
class Outcome:
    capture: CapturedMessage
    created: bool


def _aware(value: datetime.datetime | None, zone: str) -> datetime.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value, zoneinfo.ZoneInfo(zone))
    return value


def capture_message(
    raw: bytes,
    *,
    source: str,
    launchpad_code: str | None = None,
    uploaded_by: User | None = None,
    sme: SME | None = None,
    size: int | None = None,
) -> Outcome:
    """Record one message (bytes of an .eml, or of an .ics) once; returns it and whether it is new.

    ``uploaded_by`` and ``sme`` are given when a staff member drops a file on an SME's page:
    they vouch for it, so the file's own From is not asked to be theirs.
    """
    if uploaded_by is not None and sme is not None and not scoping.can_change_sme(uploaded_by, sme):
        raise PermissionDenied(gettext("You may not change this SME's coaching records."))
    parsed = _parse_any(raw, size)
    existing = CapturedMessage.objects.filter(message_key=parsed.key).first()
    if existing is not None:
        return Outcome(existing, False)
    try:
        with transaction.atomic():
            capture = _record(parsed, source=source, launchpad_code=launchpad_code, uploaded_by=uploaded_by, sme=sme)
    except IntegrityError:  # recorded meanwhile by another worker
        return Outcome(CapturedMessage.objects.get(message_key=parsed.key), False)
    logger.info("capture: %s recorded as %s", capture.pk, capture.status)
    return Outcome(capture, True)


def _parse_any(raw: bytes, size: int | None = None) -> ParsedMessage:
    options = {
        "size": size,
        "max_bytes": settings.CAPTURE_MAX_MESSAGE_BYTES,
        "max_attachment_bytes": settings.CAPTURE_MAX_ATTACHMENT_BYTES,
        "authserv_id": settings.CAPTURE_AUTHSERV_ID,
    }
    if raw.lstrip()[:15].upper() == b"BEGIN:VCALENDAR":  # a bare .ics file: wrap it as a message
        from email.message import EmailMessage

        wrapper = EmailMessage()
        wrapper.add_attachment(raw, maintype="text", subtype="calendar", filename="invite.ics")
        parsed = parse(bytes(wrapper), **options)
        parsed.key = message_key("", raw)
        if parsed.invitation:
            parsed.subject = parsed.invitation.summary
        return parsed
    return parse(raw, **options)


def _record(parsed: ParsedMessage, *, source, launchpad_code, uploaded_by, sme) -> CapturedMessage:
    sender = uploaded_by or matching.staff_sender(parsed.from_address)
    launchpad = (sme.launchpad if sme is not None else None) or matching.launchpad_for(
        [*parsed.recipients, *(parsed.invitation.attendees if parsed.invitation else [])], launchpad_code, sender
    )
    invitation = parsed.invitation
    capture = CapturedMessage(
        message_key=parsed.key,
        message_id=parsed.message_id,
        source=source,
        launchpad=launchpad,
        sender_email=parsed.from_address[:320],
        sender_name=parsed.from_name,
        sender=sender,
        subject=parsed.subject,
        excerpt=parsed.excerpt,
        happened_at=parsed.date,
        attachments=parsed.attachments,
        status=CaptureStatus.TRIAGE,
    )
    zone = launchpad.time_zone if launchpad else settings.TIME_ZONE
    if invitation is not None:
        capture.kind = CapturedMessage.Kind.INVITATION
        capture.subject = invitation.summary or parsed.subject
        capture.happened_at = _aware(invitation.starts_at, zone)
        capture.duration_minutes = invitation.duration_minutes
        capture.location = invitation.location
        capture.video_url = invitation.video_url
        capture.channel = Channel.VIDEO if invitation.video_url else Channel.IN_PERSON
        capture.ical_uid = invitation.uid
        capture.ical_sequence = invitation.sequence
    if capture.happened_at is None:
        capture.happened_at = timezone.now()

    problems = [reason for reason, _detail in parsed.problems]
    if uploaded_by is not None:  # the uploader vouches for the sender
        problems = [p for p in problems if p != CaptureReason.FORGED_SENDER]
    blocking = next((p for p in _BLOCKING if p in problems), None)
    trusted = sender is not None and CaptureReason.FORGED_SENDER not in problems

    # An update or a cancellation of an invitation already captured.
    if invitation is not None and invitation.uid:
        original = (
            CapturedMessage.objects.select_for_update()
            .filter(ical_uid=invitation.uid, applied_to__isnull=True)
            .exclude(pk=capture.pk)
            .order_by("received_at", "pk")
            .first()
        )
        if original is not None:
            if trusted and blocking is None and _may_change(sender, original):
                capture.status = CaptureStatus.APPLIED
                capture.applied_to = original
                capture.save()
                _apply_invitation(original, capture, invitation.method, sender)
                if invitation.method == "CANCEL" and original.status == CaptureStatus.CONFIRMED:
                    # The contact is on the progress sheet already: a person decides what it becomes.
                    capture.status = CaptureStatus.TRIAGE
                    capture.reason = CaptureReason.CANCELLED_AFTER_CONFIRMATION
                    capture.sme = original.sme
                    capture.save()
                return capture
        elif invitation.method == "CANCEL":
            capture.reason = CaptureReason.UNKNOWN_INVITATION
            capture.save()
            return capture

    candidates: list[SME] = []
    outside = False
    if sme is not None:
        candidates = [sme]
    elif sender is not None:
        found = matching.match_sme(parsed.people, sender)
        candidates, outside = found.smes, found.outside
        capture.participants = ", ".join(dict.fromkeys(found.names))[:300]
    if CaptureReason.FORGED_SENDER in problems:
        capture.reason = CaptureReason.FORGED_SENDER
    elif sender is None:
        capture.reason = CaptureReason.UNKNOWN_SENDER
    elif blocking is not None:
        capture.reason = blocking
    elif len(candidates) > 1:
        capture.reason = CaptureReason.SEVERAL_SMES
    elif not candidates:
        capture.reason = CaptureReason.NOT_YOURS if outside else CaptureReason.NO_SME
    if blocking is not None:
        capture.reason_detail = next(d for r, d in parsed.problems if r == blocking)[:300]
    if not capture.reason:
        capture.status = CaptureStatus.DRAFT
        capture.sme = candidates[0]
    capture.save()
    if capture.status == CaptureStatus.TRIAGE and candidates:
        capture.candidates.set(candidates)
    return capture


def _may_change(user: User, capture: CapturedMessage) -> bool:
    return capture.sme is None or scoping.can_change_sme(user, capture.sme) or capture.sender_id == user.pk


def _apply_invitation(original: CapturedMessage, update: CapturedMessage, method: str, by: User) -> None:
    """A later version of an invitation moves the draft (or its contact); a cancellation cancels it."""
    if method == "CANCEL":
        if original.status in (CaptureStatus.DRAFT, CaptureStatus.TRIAGE):
            original.status = CaptureStatus.CANCELLED
            original.save(update_fields=["status"])
        return
    if update.ical_sequence < original.ical_sequence:
        return  # an older version arriving late
    fields = ["happened_at", "duration_minutes", "location", "video_url", "channel", "subject", "ical_sequence"]
    for name in fields:
        setattr(original, name, getattr(update, name))
    if original.status == CaptureStatus.CANCELLED:
        original.status = CaptureStatus.DRAFT if original.sme_id else CaptureStatus.TRIAGE
    original.save()
    if original.status == CaptureStatus.CONFIRMED and original.contact_id:
        contact = original.contact
        coaching_services.contact_update(
            contact=contact,
            by=contact.author,
            happened_at=original.happened_at,
            channel=original.channel,
            summary=summary_of(original),
        )


def summary_of(capture: CapturedMessage) -> str:
    parts = [capture.subject or gettext("(no subject)")]
    if capture.location:
        parts.append(gettext("Place: %(place)s") % {"place": capture.location})
    if capture.video_url:
        parts.append(gettext("Video link: %(url)s") % {"url": capture.video_url})
    if capture.excerpt:
        parts.append(capture.excerpt)
    return "\n\n".join(parts)


def _require(user: User, capture: CapturedMessage, sme: SME | None = None) -> SME:
    sme = sme or capture.sme
    if sme is None or not scoping.can_change_sme(user, sme):
        raise PermissionDenied(gettext("You may not change this SME's coaching records."))
    return sme


def _open(capture: CapturedMessage) -> None:
    if capture.status not in (CaptureStatus.DRAFT, CaptureStatus.TRIAGE):
        raise ValidationError(gettext("This captured message has already been dealt with."))


def capture_confirm(*, capture: CapturedMessage, by: User, **fields) -> Contact:
    """Put a draft on the progress sheet as a contact (``fields`` are the person's edits)."""
    with transaction.atomic():
        capture = CapturedMessage.objects.select_for_update(of=("self",)).select_related("sme").get(pk=capture.pk)
        _open(capture)
        if capture.status != CaptureStatus.DRAFT:
            raise ValidationError(gettext("Choose the SME of this message first."))
        sme = _require(by, capture)
        values = {
            "happened_at": capture.happened_at,
            "channel": capture.channel,
            "participants": capture.participants,
            "summary": summary_of(capture),
        }
        values.update(fields)
        contact = coaching_services.contact_log(sme=sme, by=by, **values)
        capture.status = CaptureStatus.CONFIRMED
        capture.contact = contact
        capture.decided_by, capture.decided_at = by, timezone.now()
        capture.save()
    return contact


def capture_discard(*, capture: CapturedMessage, by: User) -> CapturedMessage:
    """Set a draft or a triage entry aside; it stays recorded, so the message is never captured again."""
    _open(capture)
    if capture.sme is not None:
        _require(by, capture)
    elif capture.launchpad_id not in set(scoping.launchpads_served_by(by).values_list("pk", flat=True)):
        raise PermissionDenied(gettext("You may not change this SME's coaching records."))
    capture.status = CaptureStatus.DISCARDED
    capture.decided_by, capture.decided_at = by, timezone.now()
    capture.save()
    return capture


def capture_attach(*, capture: CapturedMessage, by: User, sme: SME) -> CapturedMessage:
    """A person chooses the SME of a triage entry: it becomes a draft on that SME, to confirm."""
    _open(capture)
    _require(by, capture, sme)
    capture.sme = sme
    capture.status = CaptureStatus.DRAFT
    capture.decided_by, capture.decided_at = by, timezone.now()
    capture.save()
    return capture
