"""The enquiry service behind the public questionnaire: SME creation, flags, e-mail, duplicates kept for the staff."""

import pytest
from django.core import mail

from journey.enquiries import (
    NOT_SME,
    OUTSIDE_AREA,
    EnquiryRefused,
    company_name_key,
    eligibility_flags,
    enquiry_acknowledgement,
    enquiry_keep_apart,
    enquiry_merge,
    enquiry_submit,
    website_domain,
)
from journey.models import SME, Enquiry, Stage
from tests.journey.factories import AccountManagerFactory, LaunchpadFactory, SMEFactory, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def launchpads():
    return {"GB": LaunchpadFactory(), "FR": LaunchpadFactory(france=True)}


# --- new enquiries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["GB", "FR"])
def test_an_enquiry_creates_an_sme_in_enquiry_for_the_launchpad_of_its_country(launchpads, country):
    result = enquiry_submit(answers=answers(country=country), language="en")

    sme = result.sme
    assert sme is not None and result.possible_duplicate_of is None and result.flags == []
    assert sme.stage == Stage.ENQUIRY
    assert sme.launchpad == launchpads[country]
    assert sme.country == country
    assert (sme.name, sme.slug, sme.sector, sme.market_orientation, sme.size, sme.shop_platform) == (
        "Hebridean Knitwear",
        "hebridean-knitwear",
        "fashion",
        "b2c",
        "micro",
        "shopify",
    )
    enquiry = Enquiry.objects.get()
    assert enquiry.sme == sme and enquiry.launchpad == launchpads[country]
    assert enquiry.submissions == 1 and enquiry.eligibility_flags == [] and enquiry.consent_at is not None
    contact = sme.contacts.get()
    assert (contact.name, contact.email, contact.job_title, contact.phone, contact.is_primary) == (
        "Morag MacLeod",
        "morag@hebridean-knitwear.test",
        "Founder",
        "+44 1851 700000",
        True,
    )


def test_the_slug_is_suffixed_when_taken(launchpads):
    SMEFactory(slug="atelier-dupont")
    SMEFactory(slug="atelier-dupont-2")
    result = enquiry_submit(
        answers=answers(company_name="Atelier Dupont", website="", contact_email="paul@dupont.test", country="FR"),
        language="fr",
    )
    assert result.sme.slug == "atelier-dupont-3"


@pytest.mark.parametrize(
    ("headcount", "size"), [(0, "micro"), (9, "micro"), (10, "small"), (49, "small"), (50, "medium"), (249, "medium")]
)
def test_the_sme_size_follows_its_staff(launchpads, headcount, size):
    assert enquiry_submit(answers=answers(headcount=headcount), language="en").sme.size == size


@pytest.mark.parametrize(
    ("language", "subject", "phrase", "launchpad_name"),
    [
        (
            "en",
            "We have received your E-Channel enquiry",
            "an account manager from the launchpad in your country",
            "UK launchpad",
        ),
        (
            "fr",
            "Nous avons bien reçu votre demande E-Channel",
            "un gestionnaire de compte de la rampe de lancement",
            "Rampe de lancement Royaume-Uni",
        ),
    ],
)
def test_the_acknowledgement_is_sent_after_commit_in_the_visitors_language(
    launchpads, django_capture_on_commit_callbacks, language, subject, phrase, launchpad_name
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enquiry_submit(answers=answers(), language=language)
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing leaves before the transaction commits

    with django_capture_on_commit_callbacks(execute=True):
        enquiry_submit(
            answers=answers(company_name="Other Co", website="", contact_email="x@other.test"), language=language
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == subject
    assert message.to == ["x@other.test"]
    assert phrase in message.body
    assert "Other Co" in message.body
    assert launchpad_name in message.body


# --- eligibility flags -----------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["IE", "BE", "DE", "XX"])
def test_an_enquiry_from_outside_the_programme_area_is_kept_without_sme_or_launchpad(
    launchpads, django_capture_on_commit_callbacks, country
):
    with django_capture_on_commit_callbacks(execute=True):
        result = enquiry_submit(answers=answers(country=country), language="fr")

    assert result.sme is None and result.flags == [OUTSIDE_AREA]
    enquiry = Enquiry.objects.get()
    assert enquiry.country == country
    assert enquiry.eligibility_flags == ["outside_area"]
    assert enquiry.sme is None and enquiry.launchpad is None
    assert SME.objects.count() == 0
    assert "Royaume-Uni ou en France" in mail.outbox[0].body
    assert "Enterprise Europe Network" in mail.outbox[0].body


@pytest.mark.parametrize(("headcount", "turnover"), [(250, "2m_10m"), (1200, "over_50m"), (40, "over_50m")])
def test_a_business_that_is_not_an_sme_is_flagged_but_still_gets_its_sme(
    launchpads, django_capture_on_commit_callbacks, headcount, turnover
):
    with django_capture_on_commit_callbacks(execute=True):
        result = enquiry_submit(answers=answers(headcount=headcount, turnover=turnover), language="en")

    assert result.flags == [NOT_SME]
    assert Enquiry.objects.get().eligibility_flags == ["not_sme"]
    assert result.sme is not None and result.sme.launchpad == launchpads["GB"]
    assert "fewer than 250 staff" in mail.outbox[0].body


def test_both_flags_together():
    assert eligibility_flags(country="DE", headcount=300, turnover="over_50m") == [OUTSIDE_AREA, NOT_SME]
    assert eligibility_flags(country="FR", headcount=249, turnover="10m_50m") == []


def test_without_a_launchpad_for_the_country_the_enquiry_is_kept_without_sme():
    LaunchpadFactory()  # the UK only
    result = enquiry_submit(answers=answers(country="FR"), language="fr")
    assert result.sme is None
    assert Enquiry.objects.get().launchpad is None
    assert OUTSIDE_AREA not in result.flags


# --- duplicates ------------------------------------------------------------------------------------


def test_matching_keys():
    assert company_name_key("  Biscuiterie de la   Baie ") == company_name_key("BISCUITERIE DE LA BAÏE")
    assert company_name_key("Société Générale") == "societegenerale"
    assert website_domain("http://WWW.Example.com/shop?x=1") == "example.com"
    assert website_domain("example.com") == "example.com"
    assert website_domain("https://shop.example.com") == "shop.example.com"
    assert website_domain("") == ""


@pytest.mark.parametrize(
    "second",
    [
        # the same contact e-mail, whatever the case
        {"company_name": "HK Ltd", "website": "", "contact_email": "MORAG@hebridean-knitwear.test"},
        # the same website domain (scheme, www. and path ignored)
        {"company_name": "HK Ltd", "website": "http://hebridean-knitwear.test/shop", "contact_email": "iain@hk.test"},
        # the same name, ignoring case, spaces and accents
        {"company_name": "  HÉBRIDEAN  knitwear ", "website": "", "contact_email": "iain@hk.test"},
    ],
    ids=["same-email", "same-domain", "same-name"],
)
def test_a_second_submission_from_the_same_company_changes_nothing_and_waits_for_the_staff(launchpads, second):
    first = enquiry_submit(answers=answers(), language="en")
    result = enquiry_submit(
        answers=answers(goals="Grow trade sales in Ireland.", headcount=12, **second), language="fr"
    )

    assert result.possible_duplicate_of == first.enquiry
    assert result.sme is None and result.enquiry.sme is None
    assert result.enquiry.launchpad == launchpads["GB"]
    assert SME.objects.count() == 1
    original = Enquiry.objects.get(pk=first.enquiry.pk)
    assert (original.submissions, original.goals, original.language) == (1, first.enquiry.goals, "en")
    first.sme.refresh_from_db()
    assert first.sme.size == "micro"  # untouched until the staff merge


def test_nobody_takes_over_an_open_enquiry_without_signing_in(launchpads, django_capture_on_commit_callbacks):
    """The probe of issue 14, item 3: a look-alike name from another address and country changes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        first = enquiry_submit(answers=answers(company_name="Harbour Candles Ltd"), language="en")
    sme = first.sme
    before = SME.objects.filter(pk=sme.pk).values().get()
    with django_capture_on_commit_callbacks(execute=True):
        result = enquiry_submit(
            answers=answers(
                company_name="HARBOUR  candles ltd",
                contact_name="Mallory",
                contact_email="mallory@attacker.example",
                website="https://attacker.example",
                sector="electronics",
                country="FR",
            ),
            language="en",
        )

    assert result.possible_duplicate_of == first.enquiry
    assert SME.objects.filter(pk=sme.pk).values().get() == before  # name, website, sector, launchpad
    assert list(sme.contacts.values_list("email", flat=True)) == ["morag@hebridean-knitwear.test"]
    assert Enquiry.objects.get(pk=first.enquiry.pk).contact_email == "morag@hebridean-knitwear.test"
    # The acknowledgement says nothing of the earlier enquiry.
    assert "already" not in mail.outbox[1].body


def test_the_acknowledgement_is_the_same_with_or_without_a_duplicate(launchpads):
    first = enquiry_submit(answers=answers(), language="en")
    again = enquiry_submit(answers=answers(), language="en")
    assert again.possible_duplicate_of == first.enquiry
    assert enquiry_acknowledgement(result=first, language="en") == enquiry_acknowledgement(result=again, language="en")


def test_a_third_look_alike_is_linked_to_the_original_not_to_the_second(launchpads):
    first = enquiry_submit(answers=answers(), language="en")
    enquiry_submit(answers=answers(), language="en")
    third = enquiry_submit(answers=answers(), language="en")
    assert third.possible_duplicate_of == first.enquiry


def test_the_account_manager_merges_a_duplicate_without_moving_the_sme(launchpads):
    first = enquiry_submit(answers=answers(), language="en")
    manager = AccountManagerFactory(launchpad=launchpads["GB"])
    SME.objects.filter(pk=first.sme.pk).update(primary_account_manager=manager)
    duplicate = enquiry_submit(
        answers=answers(country="FR", contact_name="Iain MacLeod", contact_email="iain@hebridean-knitwear.test"),
        language="fr",
    ).enquiry

    original = enquiry_merge(enquiry=duplicate, by=manager)

    assert original.pk == first.enquiry.pk and original.submissions == 2
    assert original.contact_email == "iain@hebridean-knitwear.test" and original.language == "fr"
    assert not Enquiry.objects.filter(pk=duplicate.pk).exists()
    first.sme.refresh_from_db()
    assert first.sme.launchpad == launchpads["GB"]
    assert [(c.email, c.is_primary) for c in first.sme.contacts.order_by("pk")] == [
        ("morag@hebridean-knitwear.test", True),
        ("iain@hebridean-knitwear.test", False),
    ]


def test_a_duplicate_kept_apart_gets_its_own_sme(launchpads):
    first = enquiry_submit(answers=answers(), language="en")
    manager = AccountManagerFactory(launchpad=launchpads["GB"])
    SME.objects.filter(pk=first.sme.pk).update(primary_account_manager=manager)
    duplicate = enquiry_submit(answers=answers(website="", contact_email="x@other.test"), language="en").enquiry

    kept = enquiry_keep_apart(enquiry=duplicate, by=manager)

    assert kept.possible_duplicate_of is None
    assert kept.sme is not None and kept.sme != first.sme and kept.sme.slug == "hebridean-knitwear-2"
    assert kept.sme.contacts.get().email == "x@other.test"


def test_only_the_staff_who_may_change_the_sme_resolve_its_duplicates(launchpads):
    first = enquiry_submit(answers=answers(), language="en")
    SME.objects.filter(pk=first.sme.pk).update(
        primary_account_manager=AccountManagerFactory(launchpad=launchpads["GB"])
    )
    duplicate = enquiry_submit(answers=answers(), language="en").enquiry
    for outsider in (
        AccountManagerFactory(launchpad=launchpads["GB"]),
        AccountManagerFactory(launchpad=launchpads["FR"]),
    ):
        with pytest.raises(EnquiryRefused):
            enquiry_merge(enquiry=duplicate, by=outsider)
        with pytest.raises(EnquiryRefused):
            enquiry_keep_apart(enquiry=duplicate, by=outsider)
    assert Enquiry.objects.get(pk=duplicate.pk).possible_duplicate_of == first.enquiry


def test_a_company_beyond_screening_starts_a_new_enquiry(launchpads):
    first = enquiry_submit(answers=answers(), language="en")
    SME.objects.filter(pk=first.sme.pk).update(stage=Stage.ASSESSMENT)

    result = enquiry_submit(answers=answers(), language="en")
    assert result.possible_duplicate_of is None
    assert Enquiry.objects.count() == 2
    assert result.sme.slug == "hebridean-knitwear-2"


def test_different_companies_are_not_duplicates(launchpads):
    enquiry_submit(answers=answers(), language="en")
    result = enquiry_submit(
        answers=answers(company_name="Hebridean Tweed", website="https://tweed.test", contact_email="a@tweed.test"),
        language="en",
    )
    assert result.possible_duplicate_of is None
    assert Enquiry.objects.count() == 2 and SME.objects.count() == 2


def test_a_shared_marketplace_address_is_not_a_sign_of_the_same_company(launchpads):
    enquiry_submit(answers=answers(website="https://www.etsy.com/shop/HebrideanKnits"), language="en")
    result = enquiry_submit(
        answers=answers(
            company_name="Tweed Corner", website="https://www.etsy.com/shop/TweedCorner", contact_email="a@tweed.test"
        ),
        language="en",
    )
    assert result.possible_duplicate_of is None
    assert Enquiry.objects.count() == 2


def test_an_outside_area_enquiry_resubmitted_from_the_programme_area_gets_its_sme(launchpads):
    enquiry_submit(answers=answers(country="IE"), language="en")
    result = enquiry_submit(answers=answers(country="GB"), language="en")

    # Without an SME there is nothing to take over: the new enquiry gets its own.
    assert result.possible_duplicate_of is None and result.flags == []
    assert result.sme is not None and result.enquiry.launchpad == launchpads["GB"]


def test_missing_answers_are_refused(launchpads):
    with pytest.raises(ValueError, match="goals"):
        enquiry_submit(answers=answers(goals=""), language="en")
