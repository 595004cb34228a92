"""The personal-data desk (coordinators, launchpad managers) and a person's own export."""

import datetime
import io
import json
import zipfile

import pytest
from django.core import mail, signing
from django.urls import reverse

from journey.models import ContactPerson, User
from privacy.links import SIGNING_SALT
from privacy.models import PrivacyRequest, RequestKind, RequestStatus
from tests.journey.factories import LaunchpadManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk_manager(uk):
    return LaunchpadManagerFactory(launchpad=uk, email="helen@uk.test")


def _zip(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return json.loads(archive.read("data.json"))


def test_a_coordinator_finds_exports_and_erases_an_sme_user(client, coordinator, sme_user):
    ContactPerson.objects.create(sme=sme_user.sme, name="Morag Stewart", email=sme_user.email, phone="+44 1851 700 100")
    client.force_login(coordinator)
    page = client.get(reverse("privacy:desk"), {"email": sme_user.email})
    assert page.status_code == 200
    assert "SME contact person" in page.content.decode()

    exported = client.post(reverse("privacy:export"), {"email": sme_user.email})
    assert exported["Content-Type"] == "application/zip"
    data = _zip(exported.content)
    assert data["contact_people"][0]["phone"] == "+44 1851 700 100"

    refused = client.post(reverse("privacy:erase"), {"email": sme_user.email, "reason": "asked"}, follow=True)
    assert "cannot be undone" in refused.content.decode() or refused.status_code == 200
    sme_user.refresh_from_db()
    assert sme_user.is_active  # not confirmed: nothing done

    client.post(reverse("privacy:erase"), {"email": "morag@hebridean.test", "reason": "asked", "confirm": "on"})
    sme_user.refresh_from_db()
    assert sme_user.is_erased and not ContactPerson.objects.filter(phone="+44 1851 700 100").exists()
    kinds = list(PrivacyRequest.objects.order_by("pk").values_list("kind", "carried_out_by", "status"))
    assert kinds == [
        (RequestKind.ACCESS, coordinator.pk, RequestStatus.DONE),
        (RequestKind.ERASURE, coordinator.pk, RequestStatus.DONE),
    ]
    register = client.get(reverse("privacy:desk")).content.decode()
    assert "Erasure" in register and "morag" not in register


def test_a_launchpad_manager_handles_only_people_of_their_launchpad(client, uk_manager, sme_user, french_sme):
    client.force_login(uk_manager)
    assert client.get(reverse("privacy:desk"), {"email": sme_user.email}).status_code == 200
    french_user = User.objects.create_user(
        email="anne@fr.test", role="sme_user", sme=french_sme, first_name="Anne", last_name="Le Gall"
    )
    assert client.get(reverse("privacy:desk"), {"email": french_user.email}).status_code == 403
    assert client.post(reverse("privacy:export"), {"email": french_user.email}).status_code == 403
    client.post(reverse("privacy:erase"), {"email": french_user.email, "reason": "x", "confirm": "on"})
    french_user.refresh_from_db()
    assert not french_user.is_erased


def test_account_managers_and_sme_users_have_no_desk(client, manager, sme_user):
    for user in (manager, sme_user):
        client.force_login(user)
        assert client.get(reverse("privacy:desk")).status_code == 403


def test_a_person_requests_their_own_export_and_gets_a_time_limited_link(
    client, sme_user, manager, django_capture_on_commit_callbacks
):
    client.force_login(sme_user)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:my_data"))
    record = PrivacyRequest.objects.get()
    assert record.by_the_person and record.status == RequestStatus.DONE and record.export_file
    (message,) = mail.outbox
    assert message.to == [sme_user.email]
    link = next(word for word in message.body.split() if "/my-data/download/" in word)
    assert link.split("/")[3] == "fr"  # in her language
    path = link[link.index("/fr/") :]
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert 'data-testid="download-export"' in page
    response = client.get(path)
    assert response.status_code == 200
    assert _zip(b"".join(response.streaming_content))["email"] == sme_user.email
    # Nobody else may use the link.
    client.force_login(manager)
    assert client.get(path).status_code == 404


def test_an_expired_or_forged_link_gives_nothing(client, sme_user, settings, django_capture_on_commit_callbacks):
    client.force_login(sme_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:my_data"))
    record = PrivacyRequest.objects.get()
    old = signing.dumps({"r": record.pk}, salt=SIGNING_SALT)
    settings.PRIVACY_EXPORT_LINK_HOURS = 0
    response = client.get(reverse("privacy:download", args=[old]))
    assert response.status_code == 410
    assert client.get(reverse("privacy:download", args=["forged"])).status_code == 404
    PrivacyRequest.objects.filter(pk=record.pk).update(expires_at=record.created_at - datetime.timedelta(hours=1))
    settings.PRIVACY_EXPORT_LINK_HOURS = 72
    assert client.get(reverse("privacy:download", args=[old])).status_code == 410
