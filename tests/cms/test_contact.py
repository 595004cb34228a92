"""The contact page: the message is stored, e-mailed to the launchpad chosen, rate-limited, validated in French."""

import pytest
from django.core import mail
from django.utils.html import escape

from cms.models import ContactMessage
from tests.cms.factories import ContactMessageFactory
from tests.journey.factories import AccountManagerFactory, CoordinatorFactory, LaunchpadManagerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def message(launchpad, **changes) -> dict:
    return {
        "launchpad": str(launchpad.pk),
        "name": "Anne Le Gall",
        "email": "Anne@Biscuiterie-Baie.test",
        "organisation": "Biscuiterie de la Baie",
        "message": "Bonjour, pouvons-nous rejoindre le programme avec une boutique PrestaShop ?",
        "consent": "on",
        **changes,
    }


def send(client, language, data, **extra):
    return client.post(f"/{language}/contact/", data, **extra)


def test_the_form_offers_each_launchpad_in_the_readers_language(client, launchpads):
    html = client.get("/fr/contact/").content.decode()
    assert "Rampe de lancement France" in html and "Rampe de lancement Royaume-Uni" in html
    assert "<legend>Which launchpad should answer you?</legend>" in client.get("/en/contact/").content.decode()


def test_a_message_is_stored_and_emailed_to_the_launchpad_chosen(
    client, launchpads, django_capture_on_commit_callbacks
):
    france = launchpads["fr"]
    manager = LaunchpadManagerFactory(launchpad=france, email="direction@rampe-france.test")
    LaunchpadManagerFactory(launchpad=launchpads["uk"], email="manager@uk-launchpad.test")
    AccountManagerFactory(launchpad=france)  # managers read the messages when there are any

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "fr", message(france))

    assert response.status_code == 302 and response["Location"] == "/fr/contact/?sent=1"
    stored = ContactMessage.objects.get()
    assert (stored.launchpad, stored.email, stored.language) == (france, "anne@biscuiterie-baie.test", "fr")
    assert stored.notified_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [manager.email]
    assert email.reply_to == ["anne@biscuiterie-baie.test"]
    assert "Anne Le Gall" in email.subject
    assert "PrestaShop" in email.body and "Biscuiterie de la Baie" in email.body
    assert "Merci" in client.get(response["Location"]).content.decode()


def test_without_a_launchpad_manager_the_account_managers_then_the_coordinators_are_written_to(
    client, launchpads, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory(email="coordination@e-channel.test")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, "en", message(launchpads["uk"]))
    assert mail.outbox[-1].to == [coordinator.email]
    colleague = AccountManagerFactory(launchpad=launchpads["uk"], email="am@uk-launchpad.test")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, "en", message(launchpads["uk"]))
    assert mail.outbox[-1].to == [colleague.email]


def test_the_notification_is_sent_once(launchpads, django_capture_on_commit_callbacks):
    from cms.tasks import contact_message_notify

    LaunchpadManagerFactory(launchpad=launchpads["uk"])
    stored = ContactMessageFactory(
        launchpad=launchpads["uk"], name="Sam", email="sam@example.test", message="A question.", language="en"
    )
    assert contact_message_notify(message_id=stored.pk) == 1
    assert contact_message_notify(message_id=stored.pk) == 0
    assert len(mail.outbox) == 1


def test_messages_are_rate_limited_per_address(client, launchpads, settings):
    settings.CONTACT_RATE_LIMIT = (2, 3600)
    data = message(launchpads["uk"])
    assert send(client, "en", data, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert send(client, "en", data, REMOTE_ADDR="203.0.113.9").status_code == 302
    refused = send(client, "fr", data, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "Veuillez réessayer plus tard" in refused.content.decode()
    assert ContactMessage.objects.count() == 2
    assert send(client, "en", data, REMOTE_ADDR="198.51.100.4").status_code == 302
    assert ContactMessage.objects.count() == 3


def test_invalid_answers_are_explained_in_french(client, launchpads):
    response = send(client, "fr", {"name": "", "email": "pas-une-adresse", "message": "Oui", "launchpad": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0
    for text in (
        "Veuillez choisir la rampe de lancement qui doit vous répondre.",
        "Veuillez indiquer votre nom.",
        "Veuillez saisir une adresse e-mail comme nom@exemple.fr.",
        "Veuillez en écrire un peu plus : votre message est très court.",
        "Veuillez accepter que nous conservions votre message, sinon nous ne pourrons pas y répondre.",
    ):
        assert escape(text) in html, text
    assert 'data-testid="error-summary"' in html


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(client, launchpads):
    response = send(client, "en", message(launchpads["uk"], comment="http://spam.test"))
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize("name", ["Anne\nBcc: victim@example.test", "Anne\r\nLe Gall", "Anne\rLe\x0bGall"])
def test_a_name_with_a_line_break_is_sent_with_a_one_line_subject(
    client, launchpads, django_capture_on_commit_callbacks, name
):
    """Issue 14, item 11: the mail library refuses a header with a line break; the message must still go."""
    LaunchpadManagerFactory(launchpad=launchpads["uk"], email="manager@uk-launchpad.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "en", message(launchpads["uk"], name=name))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    email.message()  # the headers as sent: raises BadHeaderError on a line break
    assert "\n" not in email.subject and "\r" not in email.subject
    assert email.subject.endswith(" ".join(name.split()))
    assert email.bcc == []
    assert ContactMessage.objects.get().notified_at is not None
