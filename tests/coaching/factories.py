"""Factories for the coaching app: contacts logged and sessions as stored; e-mails for the capture mailbox."""

import datetime
from email.message import EmailMessage
from pathlib import Path

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from coaching.models import Channel, Contact, Session, SessionKind, SessionStatus
from tests.journey.factories import AccountManagerFactory, SMEFactory


class ContactFactory(DjangoModelFactory):
    """A phone call the SME's account manager logged."""

    class Meta:
        model = Contact

    sme = factory.SubFactory(SMEFactory)
    author = factory.SubFactory(AccountManagerFactory)
    channel = Channel.PHONE
    summary = "call"
    happened_at = factory.LazyFunction(timezone.now)


class SessionFactory(DjangoModelFactory):
    """A first consultation in a week's time, scheduled; ``status=SessionStatus.HELD`` for one that took place."""

    class Meta:
        model = Session

    sme = factory.SubFactory(SMEFactory)
    organiser = factory.SubFactory(AccountManagerFactory)
    kind = SessionKind.FIRST_CONSULTATION
    status = SessionStatus.SCHEDULED
    location = "Office"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7))


# The capture mailbox's addresses in the tests, and its .eml fixtures (``mail/``).
MAIL = Path(__file__).parent / "mail"
ADDRESSES = {"uk": "log@uk.e-channel.test", "fr": "log@fr.e-channel.test"}


def read(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def plain_message(*, sender="sarah@uk.test", name="Sarah Mitchell", to="iain@hebridean-knitwear.co.uk", **headers):
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = to
    msg["Bcc"] = "log@uk.e-channel.test"
    msg["Subject"] = headers.pop("subject", "Shipping quotes")
    msg["Message-ID"] = headers.pop("message_id", "<plain-1@uk.test>")
    msg["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content("Hi Iain,\n\nHere are the three shipping quotes.\n\nSarah\n")
    return msg
