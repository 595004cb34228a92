"""The staff side is E-Channel's: its name and mark, French where the reader is French, nothing fetched outside."""

import re

import pytest

from config.wagtail_hooks import initials
from tests.journey.factories import PASSWORD, AccountManagerFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_french_admin_login_is_french_and_branded(client):
    client.cookies["django_language"] = "fr"
    response = client.get("/admin/login/")
    text = _text(response)
    assert "Se connecter à E-Channel" in text
    assert "Mot de passe" in text and " Password " not in text
    assert 'aria-label="E-Channel"' in response.content.decode()
    assert 'aria-label="Wagtail"' not in response.content.decode()  # Wagtail's bird and wordmark


def test_the_admin_login_takes_the_address_in_any_case(client):
    user = CoordinatorFactory(email="coordinator@programme.test")
    response = client.post("/admin/login/", {"username": "Coordinator@Programme.TEST", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_admin_shows_e_channel_and_calls_nothing_outside(client):
    client.force_login(CoordinatorFactory(first_name="Alice", last_name="Martin Dupont"))
    page = client.get("/admin/").content.decode()
    assert "<title>" in page and "- E-Channel</title>" in page
    assert 'aria-label="E-Channel"' in page  # the sidebar's mark
    assert "gravatar" not in page
    # The avatar is the person's initials, inline.
    assert "data:image/svg+xml" in page and "%3EAD%3C" in page
    # No help entry leading to Wagtail's site, no release banner.
    assert "whats-new-in-wagtail" not in page and "editor-guide" not in page
    assert "wagtail.org" not in page


def test_initials_come_from_the_name_or_else_the_address():
    assert initials(AccountManagerFactory.build(first_name="Sarah", last_name="Mitchell")) == "SM"
    assert initials(AccountManagerFactory.build(first_name="", last_name="", email="x.y@z.test")) == "X"
