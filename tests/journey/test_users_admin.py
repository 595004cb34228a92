"""People are created in the Wagtail admin with their role and where they belong."""

import pytest

from journey.models import Role, User
from tests.journey.factories import AccountManagerFactory, LaunchpadFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/users/new/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _new_user(**fields):
    return {
        "email": "new.person@e-channel.test",
        "first_name": "Nadia",
        "last_name": "Roussel",
        "password1": "a-long-enough-password-42",
        "password2": "a-long-enough-password-42",
        "preferred_language": "fr",
        **fields,
    }


def test_the_add_form_shows_the_programme_fields(admin_client):
    page = admin_client.get(ADD_URL).content.decode()
    for name in ("role", "launchpad", "sme", "preferred_language"):
        assert f'name="{name}"' in page


def test_an_account_manager_is_created_with_their_launchpad(admin_client):
    france = LaunchpadFactory(france=True)
    response = admin_client.post(ADD_URL, _new_user(role=Role.ACCOUNT_MANAGER, launchpad=france.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.person@e-channel.test")
    assert (user.role, user.launchpad, user.preferred_language) == (Role.ACCOUNT_MANAGER, france, "fr")
    assert user.has_perm("wagtailadmin.access_admin")


def test_an_account_manager_without_a_launchpad_is_refused_with_a_reason(admin_client):
    response = admin_client.post(ADD_URL, _new_user(role=Role.ACCOUNT_MANAGER))
    assert response.status_code == 200
    assert "belong to a launchpad" in response.content.decode()
    assert not User.objects.filter(email="new.person@e-channel.test").exists()


def test_account_managers_cannot_manage_users(client):
    client.force_login(AccountManagerFactory())
    assert client.get(ADD_URL).status_code in (302, 403)
