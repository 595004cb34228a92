import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_each_language(client, home_page):
    english = client.get("/en/")
    french = client.get("/fr/")
    assert english.status_code == 200
    assert french.status_code == 200
    assert "new markets through e-commerce" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "de nouveaux marchés grâce au e-commerce" in french.content.decode()
    assert '<html lang="fr">' in french.content.decode()


def test_root_redirects_to_a_language_prefix(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_site_setup_is_idempotent(home_page):
    from cms.models import HomePage
    from cms.services import site_ensure_home

    assert site_ensure_home().pk == home_page.pk
    assert HomePage.objects.count() == 1
