"""Factories for the journey app: programme, launchpads, people and SMEs."""

import datetime

import factory
from factory.django import DjangoModelFactory

from journey.models import SME, ContactPerson, Launchpad, Programme, Role, User

PASSWORD = "correct-horse-battery"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name_en = "E-Channel"
    name_fr = "E-Channel"
    start_date = datetime.date(2025, 10, 1)


class LaunchpadFactory(DjangoModelFactory):
    """The UK launchpad by default; ``LaunchpadFactory(france=True)`` for the French one."""

    class Meta:
        model = Launchpad
        django_get_or_create = ("code",)

    class Params:
        france = factory.Trait(
            code="fr",
            name_en="France launchpad",
            name_fr="Rampe de lancement France",
            country="FR",
            language="fr",
            time_zone="Europe/Paris",
            currency="EUR",
        )

    programme = factory.SubFactory(ProgrammeFactory)
    code = "uk"
    name_en = "UK launchpad"
    name_fr = "Rampe de lancement Royaume-Uni"
    country = "GB"
    language = "en"
    time_zone = "Europe/London"
    currency = "GBP"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@e-channel.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.COORDINATOR
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AccountManagerFactory(UserFactory):
    role = Role.ACCOUNT_MANAGER
    launchpad = factory.SubFactory(LaunchpadFactory)


class LaunchpadManagerFactory(UserFactory):
    role = Role.LAUNCHPAD_MANAGER
    launchpad = factory.SubFactory(LaunchpadFactory)


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR


class SMEFactory(DjangoModelFactory):
    class Meta:
        model = SME

    name = factory.Sequence(lambda n: f"Company {n} Ltd")
    slug = factory.Sequence(lambda n: f"company-{n}")
    launchpad = factory.SubFactory(LaunchpadFactory)
    country = factory.SelfAttribute("launchpad.country")
    sector = "food_drink"
    market_orientation = "b2c"
    size = "micro"
    shop_platform = "shopify"
    primary_account_manager = None


class SMEUserFactory(UserFactory):
    role = Role.SME_USER
    sme = factory.SubFactory(SMEFactory)


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    sme = factory.SubFactory(SMEFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@company.test")
    is_primary = True


def sme_at(stage, **fields) -> SME:
    """An SME (``SMEFactory(**fields)``) put straight at ``stage``, without the transitions that lead there."""
    sme = SMEFactory(**fields)
    SME.objects.filter(pk=sme.pk).update(stage=stage)
    return SME.objects.get(pk=sme.pk)


def answers(**overrides) -> dict:
    """A complete, valid set of answers to the public questionnaire from a small UK business."""
    base = {
        "company_name": "Hebridean Knitwear",
        "website": "https://www.hebridean-knitwear.test/",
        "country": "GB",
        "town": "Stornoway",
        "headcount": 8,
        "turnover": "100k_2m",
        "sector": "fashion",
        "products": "Hand-knitted wool jumpers and scarves.",
        "market_orientation": "b2c",
        "shop_platform": "shopify",
        "analytics": "basic",
        "experience": "some",
        "goals": "Start selling to customers in France.",
        "contact_name": "Morag MacLeod",
        "contact_job_title": "Founder",
        "contact_email": "morag@hebridean-knitwear.test",
        "contact_phone": "+44 1851 700000",
    }
    return {**base, **overrides}
