"""Issue 23 on the real demo: export then erase each kind of person; the programme's figures stay.

The demo is loaded once for the module (and rolled back after it); each test runs in its own
savepoint. After an erasure, every row of every table is searched for the person's name, e-mail
address and phone number.
"""

import datetime
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cms.models import ContactMessage
from coaching.models import Contact, Plan
from journey.models import SME, ContactPerson, Enquiry, Launchpad, Role, User
from learning.models import BadgeAward
from learning.openbadges import assertion_document, recipient_identity
from privacy.models import PrivacyRequest, RequestKind, RequestStatus
from reporting.models import QuarterlyReview, ReviewStatus

from .helpers import found_in_dump, pdf_figures, table_dump, xlsx_figures

pytestmark = pytest.mark.django_db

# kind: (e-mail, full name, phone or None)
PEOPLE = {
    "sme_user": ("ines@cosmetiques-bio-lillois.example", "Inès Benali", None),
    "contact_person": ("elise@chocolaterie-nantaise.example", "Élise Morin", "+33 2 40 12 34 56"),
    "questionnaire": ("jeanne.martel@example.org", "Jeanne Martel", "+33 6 12 34 56 78"),
    "contact_form": ("tom.hardwick@example.co.uk", "Tom Hardwick", "+44 7700 900123"),
    "account_manager": ("sarah.mitchell@uk.e-channel.example", "Sarah Mitchell", None),
}
# The register and Django's own bookkeeping change with every request; everything else must not.
BOOKKEEPING = ("privacy_privacyrequest", "django_session", "django_celery_beat_periodictask")


def _visitors():
    """What the demo has no example of: a contact person's phone, an enquiry, a contact message, notes naming them."""
    fr = Launchpad.objects.get(code="fr")
    uk = Launchpad.objects.get(code="uk")
    ContactPerson.objects.filter(email=PEOPLE["contact_person"][0]).update(phone=PEOPLE["contact_person"][2])
    Enquiry.objects.create(
        launchpad=fr,
        language="fr",
        company_name="Savonnerie Martel",
        country="FR",
        town="Angers",
        headcount=3,
        turnover=Enquiry._meta.get_field("turnover").choices[0][0],
        sector=Enquiry._meta.get_field("sector").choices[0][0],
        products="Des savons, par Jeanne Martel.",
        market_orientation=Enquiry._meta.get_field("market_orientation").choices[0][0],
        shop_platform=Enquiry._meta.get_field("shop_platform").choices[0][0],
        analytics=Enquiry._meta.get_field("analytics").choices[0][0],
        experience=Enquiry._meta.get_field("experience").choices[0][0],
        goals="Vendre en Belgique.",
        contact_name="Jeanne Martel",
        contact_job_title="Gérante",
        contact_email=PEOPLE["questionnaire"][0],
        contact_phone=PEOPLE["questionnaire"][2],
        consent_at=timezone.now(),
    )
    ContactMessage.objects.create(
        launchpad=uk,
        name="Tom Hardwick",
        email=PEOPLE["contact_form"][0],
        organisation="Hardwick Ales",
        message="Call me on +44 7700 900123 about joining.",
        language="en",
    )
    # A note by an account manager naming the visitor and the contact person.
    sme = SME.objects.filter(launchpad=fr, contacts__isnull=False).first()
    contact = Contact.objects.filter(sme=sme).first()
    Contact.objects.filter(pk=contact.pk).update(
        summary=contact.summary + " Jeanne Martel (jeanne.martel@example.org) recommended by Élise Morin."
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        _visitors()
        yield
        transaction.set_rollback(True)


def _export(email, tmp_path) -> dict:
    out = tmp_path / "export.zip"
    call_command("personal_data", "export", "--email", email, "--out", str(out), stdout=StringIO())
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert {"data.json", "data.xlsx", "summary.pdf", "csv/profile.csv"} <= names
        data = json.loads(archive.read("data.json"))
        data["_pdf"] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read("summary.pdf"))).pages)
        data["_xlsx"] = archive.read("data.xlsx")
    return data


def _erase(email, reason="Asked by the person"):
    out = StringIO()
    call_command("personal_data", "erase", "--email", email, "--reason", reason, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("kind", list(PEOPLE))
def test_each_kind_of_person_is_exported_then_erased_from_every_table(demo, kind, tmp_path):
    email, name, phone = PEOPLE[kind]
    before = table_dump()
    assert found_in_dump(before, email)

    data = _export(email, tmp_path)
    assert data["email"] == email
    assert name in json.dumps(data, ensure_ascii=False, default=str)
    held = {key: len(value) for key, value in data.items() if isinstance(value, list) and key != "kinds"}
    expected_section = {
        "sme_user": "profile",
        "contact_person": "contact_people",
        "questionnaire": "enquiries",
        "contact_form": "contact_messages",
        "account_manager": "profile",
    }[kind]
    assert held[expected_section] >= 1
    if kind in ("sme_user", "account_manager"):
        assert held["contacts"] >= 1  # the contacts they took part in or wrote
    assert email in data["_pdf"]  # the summary, in their language
    if kind in ("sme_user", "contact_person", "questionnaire"):
        assert "Vos données personnelles" in data["_pdf"]
    else:
        assert "Your personal data" in data["_pdf"]

    contacts_before = Contact.objects.count()
    assert "Erased." in _erase(email, reason=f"{name} asked on the phone")

    after = table_dump()
    for needle in filter(None, (email, name, phone)):
        assert found_in_dump(after, needle) == {}, needle
    # Records the figures rely on stay.
    assert Contact.objects.count() == contacts_before
    assert SME.objects.count() == SME.objects.count()
    request = PrivacyRequest.objects.get(kind=RequestKind.ERASURE)
    assert request.status == RequestStatus.DONE and request.outcome["found"] is True
    assert name not in request.reason


def test_an_erased_sme_user_stays_behind_the_records_as_a_former_sme_user(demo):
    user = User.objects.get(email=PEOPLE["sme_user"][0])
    contacts = Contact.objects.filter(participants__icontains="Inès Benali").count()
    assert contacts
    _erase(user.email)
    user.refresh_from_db()
    assert not user.is_active and user.is_erased and not user.has_usable_password()
    assert str(user) == "a former SME user"
    # In her notes, written in French, her name is replaced in her language.
    assert Contact.objects.filter(participants__icontains="un ancien utilisateur", sme=user.sme).count() >= contacts
    assert not ContactPerson.objects.filter(sme=user.sme, name="Inès Benali").exists()


def test_erased_badges_are_revoked_and_the_old_hash_stops_verifying(demo):
    email = PEOPLE["sme_user"][0]
    awards = list(BadgeAward.objects.filter(recipient_email=email))
    assert awards
    before = {award.pk: assertion_document(award)["recipient"]["identity"] for award in awards}
    _erase(email)
    for award in BadgeAward.objects.filter(pk__in=before):
        document = assertion_document(award)
        assert document["revoked"] is True
        assert document["revocationReason"] == "erased on request"
        assert document["recipient"]["identity"] != before[award.pk]
        assert document["recipient"]["identity"] != recipient_identity(email, document["recipient"]["salt"])


def test_erasing_an_account_manager_hands_their_smes_and_plans_to_the_launchpad_manager(demo):
    sarah = User.objects.get(email=PEOPLE["account_manager"][0])
    helen = User.objects.get(role=Role.LAUNCHPAD_MANAGER, launchpad=sarah.launchpad)
    smes = set(SME.objects.filter(primary_account_manager=sarah).values_list("pk", flat=True))
    plans = set(Plan.objects.filter(created_by=sarah).values_list("pk", flat=True))
    authored = Contact.objects.filter(author=sarah).count()
    assert smes and plans and authored
    _erase(sarah.email)
    assert set(SME.objects.filter(primary_account_manager=helen, pk__in=smes).values_list("pk", flat=True)) == smes
    assert set(Plan.objects.filter(created_by=helen, pk__in=plans).values_list("pk", flat=True)) == plans
    assert Contact.objects.filter(author=sarah).count() == authored  # still theirs, now "a former staff member"
    sarah.refresh_from_db()
    assert str(sarah) == "a former staff member"


def test_a_staff_user_nobody_can_replace_is_refused_with_the_list_and_nothing_changes(demo):
    helen = User.objects.get(email="helen.carter@uk.e-channel.example")
    _erase(PEOPLE["account_manager"][0])  # Sarah's SMEs go to Helen, the only UK manager
    before = table_dump(skip=BOOKKEEPING)
    with pytest.raises(CommandError) as refusal:
        _erase(helen.email)
    message = str(refusal.value)
    assert "Nobody can take these over" in message
    for sme in SME.objects.filter(primary_account_manager=helen):
        assert sme.name in message
    assert table_dump(skip=BOOKKEEPING) == before
    refused = PrivacyRequest.objects.filter(status=RequestStatus.REFUSED).get()
    assert any("primary account manager" in line for line in refused.outcome["refused"])
    # Naming who takes over makes it possible.
    david = User.objects.get(email="david.okafor@uk.e-channel.example")
    out = StringIO()
    call_command(
        "personal_data", "erase", "--email", helen.email, "--reason", "left", "--reassign-to", david.email, stdout=out
    )
    assert "Erased." in out.getvalue()
    assert not SME.objects.filter(primary_account_manager=helen).exists()


def test_a_second_erasure_is_harmless(demo):
    for email, _name, _phone in PEOPLE.values():
        _erase(email)
    before = table_dump(skip=BOOKKEEPING)
    for email, _name, _phone in PEOPLE.values():
        assert "nothing to erase" in _erase(email)
    assert table_dump(skip=BOOKKEEPING) == before
    second = PrivacyRequest.objects.filter(kind=RequestKind.ERASURE).order_by("-pk")[: len(PEOPLE)]
    assert all(request.outcome == {"found": False} for request in second)


def test_every_published_review_keeps_its_figures_in_pdf_and_xlsx_and_notes_the_erasure(demo, client):
    client.force_login(User.objects.get(role=Role.COORDINATOR))
    reviews = list(QuarterlyReview.objects.filter(status=ReviewStatus.PUBLISHED))
    assert len(reviews) >= 4

    def documents():
        return {
            review.pk: (
                client.get(reverse("reviews:pdf", args=[review.pk])).content,
                client.get(reverse("reviews:xlsx", args=[review.pk])).content,
            )
            for review in reviews
        }

    before = documents()
    for email, _name, _phone in PEOPLE.values():
        _erase(email)
    after = documents()
    note = ("Personal data", "erased")
    for review in reviews:
        pdf_before, xlsx_before = before[review.pk]
        pdf_after, xlsx_after = after[review.pk]
        assert pdf_figures(pdf_after, ignore=note) == pdf_figures(pdf_before, ignore=note)
        assert xlsx_figures(xlsx_after, ignore_sheets=("Personal data",)) == xlsx_figures(xlsx_before)
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_after)).pages)
        assert datetime.date.today().isoformat() in text or timezone.localdate().isoformat() in text
        review.refresh_from_db()
        assert len(review.erasures) == len(PEOPLE)
