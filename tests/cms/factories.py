"""Factories for the public site: messages sent through the contact form."""

import factory
from factory.django import DjangoModelFactory

from cms.models import ContactMessage
from tests.journey.factories import LaunchpadFactory


class ContactMessageFactory(DjangoModelFactory):
    """A question sent to the UK launchpad, in English."""

    class Meta:
        model = ContactMessage

    launchpad = factory.SubFactory(LaunchpadFactory)
    name = "Sam"
    email = factory.Sequence(lambda n: f"visitor{n}@example.test")
    message = "A question."
    language = "en"
