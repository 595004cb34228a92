"""Fixtures of the coaching tests: two launchpads, their account managers, an SME followed in the UK."""

import datetime

import pytest
from django.utils import timezone

from coaching import services
from coaching.models import SessionKind
from tests.journey.factories import (
    AccountManagerFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    SMEFactory,
    SMEUserFactory,
)


@pytest.fixture
def uk(db):
    return LaunchpadFactory()


@pytest.fixture
def fr(db):
    return LaunchpadFactory(france=True)


@pytest.fixture
def manager(uk):
    return AccountManagerFactory(launchpad=uk, email="sarah@uk.test", first_name="Sarah", last_name="Mitchell")


@pytest.fixture
def colleague(uk):
    """Another account manager of the same launchpad: sees the SME, may not change it."""
    return AccountManagerFactory(launchpad=uk, email="david@uk.test")


@pytest.fixture
def french_manager(fr):
    return AccountManagerFactory(launchpad=fr, email="camille@fr.test", preferred_language="fr")


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


@pytest.fixture
def sme(uk, manager):
    return SMEFactory(launchpad=uk, primary_account_manager=manager, name="Hebridean Knitwear", slug="hebridean")


@pytest.fixture
def sme_user(sme):
    return SMEUserFactory(sme=sme, email="morag@hebridean.test", preferred_language="fr")


@pytest.fixture
def other_sme(uk, colleague):
    return SMEFactory(launchpad=uk, primary_account_manager=colleague, name="Cotswold Candles", slug="cotswold")


@pytest.fixture
def french_sme(fr, french_manager):
    return SMEFactory(launchpad=fr, primary_account_manager=french_manager, name="Biscuiterie", slug="biscuiterie")


@pytest.fixture
def session(sme, manager, sme_user):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    return services.session_schedule(
        sme=sme,
        by=manager,
        kind=SessionKind.FIRST_CONSULTATION,
        starts_at=start,
        duration_minutes=90,
        location="Stornoway office",
        participants=[sme_user],
    )


@pytest.fixture
def hebridean(sme):
    """The UK SME of the .eml fixtures: its website and its contact person."""
    sme.website = "https://www.hebridean-knitwear.co.uk/"
    sme.save()
    ContactPersonFactory(sme=sme, name="Iain MacLeod", email="iain@hebridean-knitwear.co.uk")
    return sme


@pytest.fixture
def biscuiterie(french_sme):
    """The French SME of the .eml fixtures."""
    french_sme.website = "https://biscuiterie-roux.fr"
    french_sme.save()
    ContactPersonFactory(sme=french_sme, name="Jeanne Roux", email="jeanne@biscuiterie-roux.fr")
    return french_sme


def login(client, user):
    client.force_login(user)
    return client
