"""Contact messages in the Wagtail admin: each launchpad's staff read their own, coordinators all, nobody edits."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from cms.models import ContactMessage
from tests.cms.factories import ContactMessageFactory
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages_sent():
    uk, fr = LaunchpadFactory(), LaunchpadFactory(france=True)
    return {
        "uk": ContactMessageFactory(
            launchpad=uk, name="Morag Skye", email="morag@knit.test", message="Can we join with Shopify?", language="en"
        ),
        "fr": ContactMessageFactory(
            launchpad=fr, name="Anne Le Gall", email="anne@baie.test", message="Bonjour, PrestaShop ?", language="fr"
        ),
    }


def _index(client):
    return client.get(reverse("contact_messages:index"))


def test_launchpad_staff_read_their_launchpads_messages_only(client, messages_sent):
    uk = messages_sent["uk"].launchpad
    for user in (AccountManagerFactory(launchpad=uk), LaunchpadManagerFactory(launchpad=uk)):
        client.force_login(user)
        page = _index(client).content.decode()
        assert "Morag Skye" in page and "Anne Le Gall" not in page
        inspect = client.get(reverse("contact_messages:inspect", args=[messages_sent["uk"].pk]))
        assert inspect.status_code == 200 and "Can we join with Shopify?" in inspect.content.decode()
        other = client.get(reverse("contact_messages:inspect", args=[messages_sent["fr"].pk]), follow=True)
        assert other.redirect_chain == [("/admin/", 302)]  # Wagtail's answer to a permission denied
        assert "Bonjour, PrestaShop" not in other.content.decode()


def test_a_coordinator_reads_every_launchpads_messages(client, messages_sent):
    client.force_login(CoordinatorFactory())
    page = _index(client).content.decode()
    assert "Morag Skye" in page and "Anne Le Gall" in page
    assert client.get(reverse("contact_messages:inspect", args=[messages_sent["fr"].pk])).status_code == 200


def test_staff_may_not_change_or_delete_a_message_and_sme_users_see_nothing(client, messages_sent):
    message = messages_sent["uk"]
    client.force_login(AccountManagerFactory(launchpad=message.launchpad))
    assert client.get(reverse("contact_messages:edit", args=[message.pk])).status_code in (302, 403)
    assert client.post(reverse("contact_messages:delete", args=[message.pk])).status_code in (302, 403)
    assert ContactMessage.objects.filter(pk=message.pk, name="Morag Skye").exists()
    client.force_login(SMEUserFactory(sme__launchpad=message.launchpad))
    assert _index(client).status_code in (302, 403)


def test_the_list_is_in_french_for_a_french_reader(client, messages_sent):
    manager = AccountManagerFactory(launchpad=messages_sent["fr"].launchpad, preferred_language="fr")
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "fr"  # what choosing French on the site sets for the admin
    profile.save()
    client.force_login(manager)
    page = _index(client).content.decode()
    assert "Messages de contact" in page and "Anne Le Gall" in page
