"""403, 404, 405 and 500 are E-Channel's pages in the language of the address read, never bare."""

import pytest
from django.test import Client

from tests.journey.factories import CoordinatorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Access refused"), ("fr", "Accès refusé")],
)
def test_403_is_a_branded_page_in_the_pages_language(client, language, title):
    response = client.get(f"/{language}/test-errors/refused/")
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert title in page and "E-Channel" in page
    assert 'data-testid="language-switcher"' in page  # the whole site frame, not a bare page


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "This address cannot be opened directly"), ("fr", "Cette adresse ne s’ouvre pas directement")],
)
def test_405_has_a_body_in_the_pages_language_and_keeps_its_allow_header(client, language, title):
    response = client.get(f"/{language}/test-errors/form-target/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert title in response.content.decode()


def test_405_on_a_staff_form_target_is_a_page(client):
    """GET /admin/programme/new/ answered 405 with an empty body."""
    client.force_login(CoordinatorFactory())
    response = client.get("/admin/programme/new/")
    assert response.status_code == 405
    assert 'data-testid="method-not-allowed"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Something went wrong"), ("fr", "Une erreur s’est produite")],
)
def test_500_is_a_page_in_the_pages_language(language, title):
    client = Client(raise_request_exception=False)
    response = client.get(f"/{language}/test-errors/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert title in page


def test_404_speaks_french_on_a_french_address(client):
    response = client.get("/fr/no-such-page-anywhere/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
