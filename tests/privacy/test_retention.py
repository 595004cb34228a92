"""Retention (issue 23): what is past its period goes, daily or with ``purge_expired``; the rest stays."""

from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cms.models import ContactMessage
from connectors.models import DataSource, SyncRun, WebhookDelivery
from journey.models import Enquiry
from privacy.models import PrivacyRequest, RequestKind
from privacy.tasks import purge_expired_task

from .helpers import make_enquiry

pytestmark = pytest.mark.django_db


def _months_ago(months, days=1):
    return timezone.now() - relativedelta(months=months, days=days)


@pytest.fixture
def records(uk, sme):
    old = make_enquiry(uk, email="old@example.org", name="Old Visitor")
    recent = make_enquiry(uk, email="new@example.org", name="New Visitor")
    joined = make_enquiry(uk, email="joined@example.org", name="Joined Visitor", sme=sme)
    Enquiry.objects.filter(pk__in=[old.pk, joined.pk]).update(updated_at=_months_ago(24))
    old_message = ContactMessage.objects.create(
        launchpad=uk, name="A", email="a@example.org", message="Hi", language="en"
    )
    new_message = ContactMessage.objects.create(
        launchpad=uk, name="B", email="b@example.org", message="Hi", language="en"
    )
    ContactMessage.objects.filter(pk=old_message.pk).update(created_at=_months_ago(24))
    source = DataSource.objects.create(sme=sme, kind="file")
    old_run = SyncRun.objects.create(source=source, started_at=_months_ago(12, 2), finished_at=_months_ago(12))
    new_run = SyncRun.objects.create(source=source, started_at=_months_ago(11), finished_at=_months_ago(11))
    old_delivery = WebhookDelivery.objects.create(source=source, delivery_id="d1", topic="orders/create", payload="{}")
    WebhookDelivery.objects.filter(pk=old_delivery.pk).update(received_at=_months_ago(12))
    old_request = PrivacyRequest.objects.create(kind=RequestKind.ACCESS, subject_hash="x" * 64)
    PrivacyRequest.objects.filter(pk=old_request.pk).update(created_at=_months_ago(72))
    PrivacyRequest.objects.create(kind=RequestKind.ACCESS, subject_hash="y" * 64)
    return {
        "gone": [old, old_message, old_run, old_delivery, old_request],
        "kept": [recent, joined, new_message, new_run],
    }


def _exists(instance):
    return type(instance).objects.filter(pk=instance.pk).exists()


def test_the_defaults_are_the_issue_periods():
    assert settings.PRIVACY_ENQUIRY_RETENTION_MONTHS == 24
    assert settings.PRIVACY_CONTACT_MESSAGE_RETENTION_MONTHS == 24
    assert settings.PRIVACY_SYNC_LOG_RETENTION_MONTHS == 12
    assert settings.CELERY_BEAT_SCHEDULE["privacy-daily-purge"]["task"] == "privacy.tasks.purge_expired_task"


def test_dry_run_shows_what_would_go_and_removes_nothing(records):
    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    text = out.getvalue()
    for line in (
        "Would remove 1 enquiries",
        "Would remove 1 contact messages",
        "Would remove 1 sync runs",
        "Would remove 1 webhook deliveries",
        "Would remove 1 register",
    ):
        assert line in text
    assert all(_exists(instance) for instance in records["gone"] + records["kept"])


def test_the_command_and_the_daily_task_remove_only_what_is_past_its_period(records):
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "Removed 1 enquiries" in out.getvalue()
    assert not any(_exists(instance) for instance in records["gone"])
    assert all(_exists(instance) for instance in records["kept"])
    # Nothing left to do: the task (celery beat) finds nothing the second time.
    assert set(purge_expired_task.delay().get().values()) == {0}


def test_the_periods_are_settings(records, settings):
    settings.PRIVACY_ENQUIRY_RETENTION_MONTHS = 36
    settings.PRIVACY_SYNC_LOG_RETENTION_MONTHS = 6
    call_command("purge_expired", stdout=StringIO())
    assert _exists(records["gone"][0])  # the old enquiry is within 36 months
    assert not _exists(records["kept"][3])  # the 11-month-old sync run is past 6
