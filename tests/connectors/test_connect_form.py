"""Connecting a shop from the data page: the chosen platform's fields only, tested before anything is saved."""

from __future__ import annotations

import datetime
import html

import pytest

from connectors.models import DataSource, ExchangeRate, Order, SyncRun
from tests.journey.factories import SMEFactory, SMEUserFactory

from .loopback import loopback_server
from .prestashop_fake import KEY, FakePrestaShop

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return SMEUserFactory(sme=SMEFactory())


@pytest.fixture
def fake():
    return FakePrestaShop()


@pytest.fixture
def shop(fake):
    with loopback_server(fake, headers_seen=fake.headers_seen) as (base_url, _):
        yield base_url


def page(client, sme, platform, language="en"):
    return client.get(f"/{language}/portal/smes/{sme.slug}/data/?platform={platform}").content.decode()


def post(client, sme, language="en", **data):
    return client.post(f"/{language}/portal/smes/{sme.slug}/data/shops/", data)


def test_the_form_shows_only_the_chosen_platforms_fields_with_help(client, owner):
    client.force_login(owner)
    prestashop = page(client, owner.sme, "prestashop")
    assert 'name="key"' in prestashop and 'name="secret"' not in prestashop and 'name="token"' not in prestashop
    assert "Advanced Parameters → Webservice" in prestashop
    assert 'type="password"' in prestashop
    assert 'data-kind="prestashop"' in prestashop and '<option value="prestashop" selected>' in prestashop
    woocommerce = page(client, owner.sme, "woocommerce")
    assert 'name="key"' in woocommerce and 'name="secret"' in woocommerce and 'name="token"' not in woocommerce
    shopify = page(client, owner.sme, "shopify")
    assert 'name="token"' in shopify and 'name="key"' not in shopify
    # Without JavaScript, a button shows the chosen platform's fields.
    assert "Show its fields" in prestashop


def test_test_connection_answers_and_saves_nothing(client, owner, shop):
    client.force_login(owner)
    response = post(client, owner.sme, kind="prestashop", url=shop, key=KEY, action="test")
    assert response.status_code == 200
    assert "The connection works: PrestaShop answered with your key." in response.content.decode()
    assert KEY not in response.content.decode()
    assert not DataSource.objects.filter(sme=owner.sme).exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda fake: setattr(fake, "key", "Z" * 32), "PrestaShop refused the webservice key"),
        (lambda fake: fake.denied.add("orders"), "The webservice key may not read orders"),
        (lambda fake: setattr(fake, "version", "1.6.1.24"), "runs PrestaShop 1.6.1.24"),
    ],
    ids=["wrong-key", "no-orders-permission", "too-old"],
)
def test_a_failed_test_says_what_to_fix_and_saves_nothing(client, owner, fake, shop, setup, message):
    client.force_login(owner)
    setup(fake)
    response = post(client, owner.sme, kind="prestashop", url=shop, key=KEY, action="connect")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DataSource.objects.filter(sme=owner.sme).exists()


def test_no_shop_at_the_address_and_a_missing_key(client, owner):
    client.force_login(owner)

    def script(index, path):
        return 404, {"Content-Type": "text/html"}, b"<html>Not found</html>"

    with loopback_server(script) as (base_url, _):
        response = post(client, owner.sme, kind="prestashop", url=base_url, key=KEY)
    assert "There is no PrestaShop shop at 127.0.0.1" in response.content.decode()
    response = post(client, owner.sme, kind="prestashop", url="https://www.biscuiterie.example")
    assert response.status_code == 422 and "Please fill in “Webservice key”." in response.content.decode()


def test_the_answer_is_in_the_readers_language(client, owner, fake, shop):
    client.force_login(owner)
    fake.denied.add("orders")
    response = post(client, owner.sme, language="fr", kind="prestashop", url=shop, key=KEY)
    assert "La clé du webservice n'a pas accès à orders" in html.unescape(response.content.decode())
    assert (
        "Remplissez « Clé du webservice »."
        in post(client, owner.sme, language="fr", kind="prestashop", url=shop).content.decode()
    )


def test_connecting_saves_the_key_encrypted_syncs_and_shows_what_came_in(
    client, owner, shop, django_capture_on_commit_callbacks
):
    ExchangeRate.objects.create(day=datetime.date(2026, 4, 1), currency="GBP", base_currency="EUR", rate="1.1765")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, owner.sme, kind="prestashop", url=shop + "/", key=KEY)
    assert response.status_code == 302
    source = DataSource.objects.get(sme=owner.sme)
    assert (source.kind, source.base_url, source.credentials) == ("prestashop", shop, {"key": KEY})
    assert KEY not in source.credentials_token
    assert SyncRun.objects.get(source=source).status == "succeeded"  # eager in tests
    assert Order.objects.filter(source=source).count() == 4
    content = client.get(response["Location"]).content.decode()
    assert "PrestaShop connected. The first sync has started." in content
    assert "3 products" in content and "4 orders" in content and "placed from 10/03/2026 to 03/04/2026" in content
    assert KEY not in content
