"""The shop's currency, set on the data page: ISO 4217 codes in use only, by the SME's own users and the
staff who may change the SME (scoping.can_set_shop_currency); refused in the reader's language."""

import pytest

from connectors.forms import currencies_in_use
from connectors.models import DataSource
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    SMEFactory,
    SMEUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    sme = SMEFactory()
    sme.primary_account_manager = AccountManagerFactory(launchpad=sme.launchpad)
    sme.save()
    return DataSource.objects.create(sme=sme, kind="shopify", base_url="https://a.myshopify.com", options={"x": 1})


def _url(source, lang="en"):
    return f"/{lang}/portal/smes/{source.sme.slug}/data/sources/{source.pk}/currency/"


def test_the_owner_sets_the_shop_currency_and_the_page_shows_it(client, source):
    client.force_login(SMEUserFactory(sme=source.sme))
    response = client.post(_url(source), {"currency": " eur "}, follow=True)
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.options == {"x": 1, "currency": "EUR"}  # the other options kept
    page = response.content.decode()
    assert "Shop currency set to EUR (Euro)." in page
    assert 'value="EUR"' in page


def test_the_account_manager_sets_it_too(client, source):
    client.force_login(source.sme.primary_account_manager)
    assert client.post(_url(source), {"currency": "GBP"}).status_code == 302
    source.refresh_from_db()
    assert source.options["currency"] == "GBP"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("FRF", "FRF is not the ISO 4217 code of a currency in use"),  # withdrawn in 2002
        ("ZZZ", "ZZZ is not the ISO 4217 code of a currency in use"),
        ("€", "Write a three-letter currency code such as GBP or EUR."),
        ("EURO", "Write a three-letter currency code such as GBP or EUR."),
        ("", "This field is required."),
    ],
)
def test_a_code_that_is_not_a_currency_in_use_is_refused_on_the_page(client, source, typed, message):
    client.force_login(SMEUserFactory(sme=source.sme))
    response = client.post(_url(source), {"currency": typed})
    assert response.status_code == 422
    assert message in response.content.decode()
    source.refresh_from_db()
    assert "currency" not in source.options


def test_the_refusal_is_in_french_for_a_french_reader(client, source):
    client.force_login(SMEUserFactory(sme=source.sme))
    response = client.post(_url(source, "fr"), {"currency": "ZZZ"})
    assert response.status_code == 422
    assert "ZZZ n’est pas le code ISO 4217 d’une devise en usage" in response.content.decode()


def test_who_may_not_set_it(client, source):
    other = SMEFactory()
    foreign_manager = AccountManagerFactory(launchpad=LaunchpadFactory(france=True))
    for user, status in (
        (CoordinatorFactory(), 403),  # reads the SME, leaves its books to those who keep them
        (SMEUserFactory(sme=other), 404),  # another company's source: not even seen
        (foreign_manager, 404),
    ):
        client.force_login(user)
        assert client.post(_url(source), {"currency": "USD"}).status_code == status, user
    source.refresh_from_db()
    assert "currency" not in source.options
    # The coordinator sees the currency, without the form.
    source.options = {"currency": "GBP"}
    source.save()
    client.force_login(CoordinatorFactory())
    page = client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()
    cell = page.split('data-testid="shop-currency"')[1].split("</td>")[0]
    assert "GBP" in cell and "<input" not in cell


def test_the_codes_in_use_are_iso_4217_legal_tender():
    codes = currencies_in_use(__import__("datetime").date(2026, 12, 7))
    assert {"GBP", "EUR", "USD", "CHF", "JPY"} <= codes
    assert not {"FRF", "DEM", "XAU", "XXX"} & codes
    assert 140 <= len(codes) <= 170


def test_each_row_and_the_connect_form_have_one_primary_button(client, source):
    """ "Sync now" is the row's action and "Connect" the form's; "Save" (the currency) and "Test connection"
    are secondary, outlined instead of filled."""
    import re

    client.force_login(source.sme.primary_account_manager)
    page = client.get(f"/en/portal/smes/{source.sme.slug}/data/").content.decode()
    buttons = {testid: attributes for attributes, testid in re.findall(r'<button([^>]*)data-testid="([\w-]+)"', page)}
    assert {"currency-save", "sync-now", "test-connection", "connect"} <= set(buttons), buttons
    assert 'class="secondary"' in buttons["currency-save"] and 'class="secondary"' in buttons["test-connection"]
    assert "secondary" not in buttons["sync-now"] and "secondary" not in buttons["connect"]


def test_a_french_shop_is_offered_euros_and_a_shop_awaiting_connection_no_form(client):
    from connectors.models import SourceStatus

    sme = SMEFactory(launchpad=LaunchpadFactory(france=True))
    shop = DataSource.objects.create(sme=sme, kind="shopify", base_url="https://b.myshopify.com")
    waiting = DataSource.objects.create(sme=sme, kind="prestashop", status=SourceStatus.AWAITING)
    client.force_login(SMEUserFactory(sme=sme))
    page = client.get(f"/fr/portal/smes/{sme.slug}/data/").content.decode()
    cells = {
        pk: page.split(f'data-source="{pk}"')[1].split('data-testid="shop-currency"')[1].split("</td>")[0]
        for pk in (shop.pk, waiting.pk)
    }
    assert 'placeholder="EUR"' in cells[shop.pk]
    assert "<input" not in cells[waiting.pk] and "—" in cells[waiting.pk]
