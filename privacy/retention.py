"""Retention: what is past its period is erased, daily (celery beat) or with ``purge_expired``.

* enquiries that never became an SME, ``PRIVACY_ENQUIRY_RETENTION_MONTHS`` after their last submission;
* contact-form messages, ``PRIVACY_CONTACT_MESSAGE_RETENTION_MONTHS`` after they were sent;
* sync logs (sync runs and webhook deliveries), ``PRIVACY_SYNC_LOG_RETENTION_MONTHS`` after they ended;
* the register of requests, ``PRIVACY_REGISTER_RETENTION_MONTHS`` after each request;
* self-service exports, once their download link has expired.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.models import ContactMessage
from connectors.models import SyncRun, WebhookDelivery
from journey.models import Enquiry

from .models import PrivacyRequest


def expired(now=None) -> dict:
    """Each kind of expired record → a queryset of them."""
    now = now or timezone.now()

    def before(months: int):
        return now - relativedelta(months=months)

    sync_cutoff = before(settings.PRIVACY_SYNC_LOG_RETENTION_MONTHS)
    return {
        "enquiries": Enquiry.objects.filter(
            sme__isnull=True, updated_at__lt=before(settings.PRIVACY_ENQUIRY_RETENTION_MONTHS)
        ),
        "contact_messages": ContactMessage.objects.filter(
            created_at__lt=before(settings.PRIVACY_CONTACT_MESSAGE_RETENTION_MONTHS)
        ),
        "sync_runs": SyncRun.objects.filter(
            Q(finished_at__lt=sync_cutoff) | Q(finished_at__isnull=True, started_at__lt=sync_cutoff)
        ),
        "webhook_deliveries": WebhookDelivery.objects.filter(received_at__lt=sync_cutoff),
        "register": PrivacyRequest.objects.filter(created_at__lt=before(settings.PRIVACY_REGISTER_RETENTION_MONTHS)),
        "exports": PrivacyRequest.objects.exclude(export_file="").filter(expires_at__lt=now),
    }


def purge(*, dry_run: bool = False, now=None) -> dict[str, int]:
    """Erase what is past its period; returns how many of each kind (would be) removed."""
    found = expired(now)
    counts = {kind: queryset.count() for kind, queryset in found.items()}
    if dry_run:
        return counts
    with transaction.atomic():
        for request in found["exports"]:
            default_storage.delete(request.export_file)
        found["exports"].update(export_file="")
        for kind in ("enquiries", "contact_messages", "sync_runs", "webhook_deliveries", "register"):
            found[kind].delete()
    return counts
