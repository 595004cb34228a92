"""Google Analytics 4 connected from the data page: a property ID and a key file uploaded, checked,
tested with a tiny report, stored encrypted and never shown back; then the unmatched items after
the first sync. EN and FR."""

# ruff: noqa: F811  (the fixtures of test_ga4.py, imported by name)
from __future__ import annotations

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connectors.models import DataSource, ProductAnalytics
from tests.journey.factories import SMEUserFactory

from .test_ga4 import PROPERTY, google, key, private_key, served, shop_sme  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def key_file(content, name="echannel-test-0123456789ab.json") -> SimpleUploadedFile:
    body = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def post(client, sme, *, action="test", language="en", property_id=PROPERTY, upload=None):
    data = {"kind": "ga4", "property": property_id, "action": action}
    if upload is not None:
        data["key"] = upload
    return client.post(f"/{language}/portal/smes/{sme.slug}/data/shops/", data)


@pytest.fixture
def owner(client, shop_sme):
    client.force_login(SMEUserFactory(sme=shop_sme))
    return shop_sme


def test_the_form_offers_google_analytics_with_a_key_file_and_no_address(client, owner):
    page = client.get(f"/en/portal/smes/{owner.slug}/data/?platform=ga4").content.decode()
    assert 'data-kind="ga4"' in page and 'enctype="multipart/form-data"' in page
    assert 'type="file" name="key"' in page and 'name="property"' in page and 'name="url"' not in page
    assert "IAM &amp; Admin" in page  # where to find the key
    assert '<option value="ga4" selected>Google Analytics 4</option>' in page
    french = client.get(f"/fr/portal/smes/{owner.slug}/data/?platform=ga4").content.decode()
    assert "Connecter une boutique ou Google Analytics" in french


def test_test_connection_runs_a_tiny_report_and_saves_nothing(client, owner, served, key):
    response = post(client, owner, upload=key_file(key))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="test-passed"' in page, page
    assert "choose the key file again" in page
    (report,) = served.reports
    assert report["limit"] == 1 and report["metrics"] == [{"name": "sessions"}]
    assert not DataSource.objects.filter(sme=owner, kind="ga4").exists()
    assert "BEGIN PRIVATE KEY" not in page and key["client_email"] not in page


def test_connecting_stores_the_key_encrypted_syncs_and_lists_the_unmatched_items(
    client, owner, served, key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the first sync's task
        response = post(client, owner, action="connect", upload=key_file(key))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"Google Analytics property {PROPERTY} connected. The first sync has started." in page
    source = DataSource.objects.get(sme=owner, kind="ga4")
    assert source.options["property"] == PROPERTY and source.credentials["key"]["client_email"] == key["client_email"]
    raw = DataSource.objects.filter(pk=source.pk).values_list("credentials_token", flat=True).first()
    assert raw and "BEGIN PRIVATE KEY" not in str(raw) and key["client_email"] not in str(raw)
    assert ProductAnalytics.objects.filter(source=source).exists()  # the first sync ran
    page = client.get(f"/en/portal/smes/{owner.slug}/data/").content.decode()
    assert "2 analytics items match no product" in page and "GHOST-1" in page
    assert "3 days of analytics" in page  # what came in: the days GA4 reported
    assert "BEGIN PRIVATE KEY" not in page
    french = client.get(f"/fr/portal/smes/{owner.slug}/data/").content.decode()
    assert "GHOST-2" in french and "3 jours de données d'analyse" in html.unescape(french)


@pytest.mark.parametrize(
    "upload, english, french",
    [
        (b"not json at all", "This file is not JSON", "Ce fichier n'est pas du JSON"),
        ({"type": "authorized_user", "client_id": "x"}, "This is not a service-account key", "Ce n'est pas"),
        (
            {"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"},
            "This is not a service-account key",
            "Ce n'est pas",
        ),
        (b"{" + b" " * (70 * 1024) + b"}", "too large to be a service-account key", "trop grand"),
        (b"", "The file chosen is empty", "Le fichier choisi est vide"),
        (None, "Please choose the file", "Choisissez le fichier"),
    ],
)
def test_a_bad_key_file_is_refused_clearly_in_the_users_language(client, owner, served, upload, english, french):
    for language, message in (("en", english), ("fr", french)):
        given = None if upload is None else key_file(upload)
        response = post(client, owner, language=language, upload=given)
        assert response.status_code == 422 and message in html.unescape(response.content.decode()), language
    assert served.reports == [] and not DataSource.objects.filter(sme=owner, kind="ga4").exists()


def test_a_property_id_that_is_not_a_number_is_refused(client, owner, served, key):
    response = post(client, owner, property_id="G-ABC123", upload=key_file(key))
    assert response.status_code == 422 and "The property ID is a number" in response.content.decode()
    assert served.reports == []


def test_a_key_google_refuses_is_said_and_nothing_saved(client, owner, served, key, private_key):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    response = post(client, owner, language="fr", upload=key_file({**key, "private_key": pem}))
    assert response.status_code == 422 and 'data-testid="connect-error"' in response.content.decode()
    assert not DataSource.objects.filter(sme=owner, kind="ga4").exists()
