"""Factories for the coaching app: contacts logged and sessions, as stored (the services build the rest)."""

import datetime

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
