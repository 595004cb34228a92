"""Personal-data requests, each recorded in the register: what views, tasks and commands call."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from journey.models import User

from . import erasure, export, people
from .models import PrivacyRequest, RequestKind, RequestStatus


def _record(kind, person, *, by, via, reason="", by_the_person=False) -> PrivacyRequest:
    return PrivacyRequest(
        kind=kind,
        subject_hash=people.subject_hash(person.email),
        subject_kinds=", ".join(person.kinds),
        by_the_person=by_the_person,
        requested_by=by,
        carried_out_by=None if by_the_person else by,
        via=via,
        reason=reason,
    )


def export_person(
    email: str, *, by: User | None, via: str, by_the_person: bool = False
) -> tuple[bytes, PrivacyRequest]:
    """The ZIP of everything held about ``email``, and its line in the register."""
    person = people.find(email)
    request = _record(RequestKind.ACCESS, person, by=by, via=via, by_the_person=by_the_person)
    content = export.zip_bytes(person)
    request.status = RequestStatus.DONE
    request.completed_at = timezone.now()
    request.outcome = {"found": person.found, "bytes": len(content)}
    request.save()
    return content, request


def erase_person(email: str, *, by: User | None, via: str, reason: str, to: User | None = None) -> PrivacyRequest:
    """Erase ``email``'s personal data; a refusal (nobody to take over) is recorded too, then raised."""
    person = people.find(email)
    # The reason is kept for the legal period: it must not name the person either.
    reason = erasure.scrub_text(reason, person)
    request = _record(RequestKind.ERASURE, person, by=by, via=via, reason=reason)
    try:
        with transaction.atomic():
            done = erasure.erase(person, to=to)
    except ValidationError as refusal:
        request.status = RequestStatus.REFUSED
        request.completed_at = timezone.now()
        request.outcome = {"refused": [str(message) for message in refusal.messages]}
        request.save()
        raise
    request.status = RequestStatus.DONE
    request.completed_at = timezone.now()
    request.outcome = {"found": person.found, **done}
    request.save()
    return request


def own_export(request_id: int) -> str:
    """Carry out a person's own access request: the ZIP stored until the link expires, the link e-mailed."""
    import datetime
    import secrets

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from learning.openbadges import absolute

    from .links import download_path

    request = PrivacyRequest.objects.select_related("requested_by").filter(pk=request_id).first()
    if request is None or request.requested_by is None or request.status != RequestStatus.PENDING:
        return ""
    user = request.requested_by
    person = people.find(user.email)
    content = export.zip_bytes(person)
    request.export_file = default_storage.save(f"privacy/exports/{secrets.token_urlsafe(24)}.zip", ContentFile(content))
    request.expires_at = timezone.now() + datetime.timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
    request.status = RequestStatus.DONE
    request.completed_at = timezone.now()
    request.outcome = {"found": person.found, "bytes": len(content)}
    request.save()
    with translation.override(person.language):
        context = {"user": user, "url": absolute(download_path(request)), "expires_at": request.expires_at}
        send_mail(
            render_to_string("privacy/email/export_ready_subject.txt", context).strip(),
            render_to_string("privacy/email/export_ready.txt", context),
            None,
            [user.email],
        )
    return request.export_file
