"""Connecting a Squarespace site from the data page: the API key only, tested before anything is saved."""

from __future__ import annotations

import html

import pytest

from connectors.models import DataSource, Order, SyncRun
from tests.journey.factories import SMEFactory, SMEUserFactory

from .loopback import loopback_server
from .squarespace_fake import KEY, FakeSquarespace

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return SMEUserFactory(sme=SMEFactory())


@pytest.fixture
def fake():
    return FakeSquarespace()


@pytest.fixture
def api(fake, settings):
    with loopback_server(fake, headers_seen=fake.headers_seen) as (base_url, _):
        settings.CONNECTORS_SQUARESPACE_API_ROOT = base_url
        yield base_url


def post(client, sme, language="en", **data):
    return client.post(f"/{language}/portal/smes/{sme.slug}/data/shops/", {"kind": "squarespace", **data})


def test_the_form_offers_squarespace_with_its_key_and_where_to_find_it(client, owner):
    client.force_login(owner)
    content = client.get(f"/en/portal/smes/{owner.sme.slug}/data/?platform=squarespace").content.decode()
    assert '<option value="squarespace" selected>Squarespace</option>' in content
    assert 'name="key"' in content and 'type="password"' in content and 'name="token"' not in content
    assert "Settings → Advanced → Developer API keys" in html.unescape(content)
    assert "Site address (optional)" in content
    url_input = content.split('name="url"', 1)[1].split(">", 1)[0]
    assert "required" not in url_input


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda fake: setattr(fake, "key", "another"), "Squarespace refused the API key"),
        (lambda fake: fake.denied.add("orders"), "The API key may not read Orders"),
        (lambda fake: fake.missing.add("orders"), "Squarespace found no store for this API key"),
    ],
    ids=["401-wrong-key", "403-no-permission", "404-not-found"],
)
def test_a_failed_test_says_what_to_fix_and_saves_nothing(client, owner, fake, api, setup, message):
    client.force_login(owner)
    setup(fake)
    response = post(client, owner.sme, key=KEY, action="test")
    assert response.status_code == 422
    content = html.unescape(response.content.decode())
    assert message in content and KEY not in content
    assert not DataSource.objects.filter(sme=owner.sme).exists()


def test_nothing_answering_is_one_plain_message(client, owner, settings):
    client.force_login(owner)
    settings.CONNECTORS_SQUARESPACE_API_ROOT = "http://127.0.0.1:9"  # nothing listens: connection refused
    response = post(client, owner.sme, key=KEY, action="test")
    assert response.status_code == 422
    assert "The shop at 127.0.0.1:9 cannot be reached" in response.content.decode()


def test_the_answer_is_in_the_readers_language(client, owner, fake, api):
    client.force_login(owner)
    fake.denied.add("orders")
    response = post(client, owner.sme, language="fr", key=KEY)
    assert "La clé d'API n'a pas la permission de lire\u00a0: Commandes." in html.unescape(response.content.decode())
    fake.denied.clear()
    fake.key = "another"
    response = post(client, owner.sme, language="fr", key=KEY)
    assert "Squarespace a refusé la clé d'API" in html.unescape(response.content.decode())


def test_test_connection_then_connecting_saves_the_key_encrypted_and_syncs(
    client, owner, api, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    response = post(client, owner.sme, key=KEY, action="test")
    assert response.status_code == 200 and "The connection works: Squarespace answered" in response.content.decode()
    assert not DataSource.objects.filter(sme=owner.sme).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, owner.sme, key=KEY)
    assert response.status_code == 302
    source = DataSource.objects.get(sme=owner.sme)
    assert (source.kind, source.base_url, source.credentials) == (
        "squarespace",
        "https://www.hebridean-knitwear.example",  # the key's site
        {"key": KEY},
    )
    assert source.options["currency"] == "GBP" and KEY not in source.credentials_token
    assert SyncRun.objects.get(source=source).status == "succeeded"  # eager in tests
    assert Order.objects.filter(source=source).count() == 3
    content = client.get(response["Location"]).content.decode()
    assert "Squarespace connected. The first sync has started." in content
    assert "4 products" in content and "3 orders" in content and KEY not in content
