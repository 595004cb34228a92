"""Enquiries from the public eligibility questionnaire: record, flag likely duplicates, acknowledge.

``enquiry_submit`` is the public write: it never changes an existing SME or enquiry (anyone
can submit the questionnaire without signing in). A submission that looks like an open
enquiry's company is kept apart, linked to it, and the staff of that SME decide by hand:
``enquiry_merge`` or ``enquiry_keep_apart``. The questionnaire's web part (``cms``) only
collects and validates the answers; everything the programme decides about them is here.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import scoping
from .models import (
    SME,
    CompanySize,
    ContactPerson,
    Country,
    Enquiry,
    Launchpad,
    Stage,
    TurnoverBand,
)
from .tasks import email_send

logger = logging.getLogger(__name__)

# Flags stored in ``Enquiry.eligibility_flags``: what the answers already say about eligibility.
OUTSIDE_AREA = "outside_area"
NOT_SME = "not_sme"
# Not an eligibility reason: the country has no launchpad set up yet, so no SME could be created.
NO_LAUNCHPAD = "no_launchpad"

# The programme area: a launchpad per country.
PROGRAMME_COUNTRIES = (Country.UNITED_KINGDOM, Country.FRANCE)
OTHER_COUNTRY = "XX"
# What the questionnaire offers: the programme's two countries, a few neighbours, and "another country".
ENQUIRY_COUNTRIES = [
    (Country.UNITED_KINGDOM.value, Country.UNITED_KINGDOM.label),
    (Country.FRANCE.value, Country.FRANCE.label),
    ("IE", _("Ireland")),
    ("BE", _("Belgium")),
    ("LU", _("Luxembourg")),
    ("NL", _("Netherlands")),
    ("DE", _("Germany")),
    ("CH", _("Switzerland")),
    ("ES", _("Spain")),
    ("IT", _("Italy")),
    (OTHER_COUNTRY, _("Another country")),
]

# The SME definition the questionnaire applies (the launchpad confirms it at screening).
SME_MAX_STAFF = 249
TURNOVER_OVER_SME_LIMIT = {TurnoverBand.OVER_50M}

# Sites where many businesses have a page (the path, not the host, tells them apart): never a sign of the
# same company.
SHARED_WEBSITE_HOSTS = frozenset(
    {
        "amazon.co.uk",
        "amazon.com",
        "amazon.fr",
        "cdiscount.com",
        "ebay.co.uk",
        "ebay.com",
        "ebay.fr",
        "etsy.com",
        "facebook.com",
        "instagram.com",
        "leboncoin.fr",
        "linkedin.com",
        "linktr.ee",
        "notonthehighstreet.com",
        "sites.google.com",
        "tiktok.com",
        "twitter.com",
        "x.com",
    }
)

# Stages in which an SME is still "an enquiry" that a new submission may be a duplicate of.
MERGEABLE_STAGES = (Stage.ENQUIRY, Stage.SCREENING)

# The answers ``enquiry_submit`` reads; all but these are required.
ANSWER_FIELDS = (
    "company_name",
    "website",
    "country",
    "town",
    "headcount",
    "turnover",
    "sector",
    "products",
    "market_orientation",
    "shop_platform",
    "analytics",
    "experience",
    "goals",
    "contact_name",
    "contact_job_title",
    "contact_email",
    "contact_phone",
)
OPTIONAL_FIELDS = {"website", "contact_job_title", "contact_phone"}


@dataclass(frozen=True)
class EnquiryResult:
    """What happened to a submission: the enquiry, its SME (if any), the open enquiry it may duplicate.

    ``possible_duplicate_of`` is for the staff only: what the visitor is told never depends on it.
    """

    enquiry: Enquiry
    sme: SME | None
    possible_duplicate_of: Enquiry | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def is_outside_area(self) -> bool:
        return OUTSIDE_AREA in self.flags

    @property
    def is_not_sme(self) -> bool:
        return NOT_SME in self.flags


# --- matching helpers ------------------------------------------------------------------------------


def company_name_key(name: str) -> str:
    """The company name as duplicates are compared: no case, no accents, no spaces."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", "", without_accents.casefold())


def website_domain(url: str) -> str:
    """The host of a website address, lower-case and without ``www.``; empty when there is none."""
    url = (url or "").strip()
    if not url:
        return ""
    if "//" not in url:
        url = f"https://{url}"
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def company_size(headcount: int) -> str:
    """The SME's size band from its staff; 250 or more is kept as "medium" (the enquiry is flagged)."""
    if headcount < 10:
        return CompanySize.MICRO
    if headcount < 50:
        return CompanySize.SMALL
    return CompanySize.MEDIUM


def eligibility_flags(*, country: str, headcount: int, turnover: str) -> list[str]:
    """The obvious reasons, from the answers alone, why a business may not be eligible."""
    flags = []
    if country not in PROGRAMME_COUNTRIES:
        flags.append(OUTSIDE_AREA)
    if headcount > SME_MAX_STAFF or turnover in TURNOVER_OVER_SME_LIMIT:
        flags.append(NOT_SME)
    return flags


def enquiry_find_duplicate(*, company_name: str, website: str, contact_email: str) -> Enquiry | None:
    """An open enquiry from the same company, or None: one whose SME a submission must not change.

    Same company means: the same contact e-mail (on the enquiry or among its SME's contact
    people), the same website domain (not a marketplace or social network where many
    businesses have a page), or the same name ignoring case, spaces and accents.
    Open means its SME is still in enquiry or screening (and it is not itself waiting as a
    possible duplicate); an enquiry without an SME (from outside the programme area) has
    nothing to take over. The e-mail is the strongest sign, then the
    domain, then the name.
    """
    # A possible duplicate waiting for the staff is never matched itself: a third look-alike links to the original.
    open_enquiries = (
        Enquiry.objects.filter(sme__stage__in=MERGEABLE_STAGES)
        .filter(possible_duplicate_of__isnull=True)
        .order_by("-updated_at", "-pk")
    )
    email = (contact_email or "").strip().lower()
    if email:
        match = open_enquiries.filter(Q(contact_email__iexact=email) | Q(sme__contacts__email__iexact=email)).first()
        if match:
            return match
    domain = website_domain(website)
    if domain and domain not in SHARED_WEBSITE_HOSTS:
        for enquiry in open_enquiries.filter(website__icontains=domain).only("pk", "website"):
            if website_domain(enquiry.website) == domain:
                return Enquiry.objects.get(pk=enquiry.pk)
    key = company_name_key(company_name)
    if key:
        # Accent-insensitive comparison is not portable in SQL: compare the (few) open enquiries in Python.
        for pk, name in open_enquiries.values_list("pk", "company_name").iterator():
            if company_name_key(name) == key:
                return Enquiry.objects.get(pk=pk)
    return None


# --- writing ----------------------------------------------------------------------------------------


def _clean_answers(answers: dict) -> dict:
    missing = [name for name in ANSWER_FIELDS if name not in OPTIONAL_FIELDS and answers.get(name) in (None, "")]
    if missing:
        raise ValueError(f"Missing answers: {', '.join(missing)}")
    clean = {name: answers.get(name) or "" for name in ANSWER_FIELDS}
    for name, value in clean.items():
        if isinstance(value, str):
            clean[name] = value.strip()
    clean["headcount"] = int(answers["headcount"])
    clean["country"] = clean["country"].upper()
    clean["contact_email"] = clean["contact_email"].lower()
    return clean


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190].strip("-") or "sme"
    slug, number = base, 1
    while SME.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _sme_fields(answers: dict, launchpad: Launchpad) -> dict:
    return {
        "name": answers["company_name"],
        "launchpad": launchpad,
        "country": launchpad.country,
        "sector": answers["sector"],
        "market_orientation": answers["market_orientation"],
        "size": company_size(answers["headcount"]),
        "website": answers["website"],
        "shop_platform": answers["shop_platform"],
    }


def _sme_create(answers: dict, launchpad: Launchpad) -> SME:
    sme = SME(slug=_unique_slug(answers["company_name"]), **_sme_fields(answers, launchpad))
    sme.save()
    ContactPerson.objects.create(
        sme=sme,
        name=answers["contact_name"],
        job_title=answers["contact_job_title"],
        email=answers["contact_email"],
        phone=answers["contact_phone"],
        is_primary=True,
    )
    return sme


def _contact_add(sme: SME, enquiry: Enquiry) -> None:
    """Add the enquiry's contact to the SME's contact people, unless that e-mail address is already there."""
    if sme.contacts.filter(email__iexact=enquiry.contact_email).exists():
        return
    ContactPerson.objects.create(
        sme=sme,
        name=enquiry.contact_name,
        job_title=enquiry.contact_job_title,
        email=enquiry.contact_email,
        phone=enquiry.contact_phone,
        is_primary=not sme.contacts.filter(is_primary=True).exists(),
    )


def _launchpad_for(country: str) -> Launchpad | None:
    if country not in PROGRAMME_COUNTRIES:
        return None
    return Launchpad.objects.filter(country=country).first()


@transaction.atomic
def enquiry_submit(*, answers: dict, language: str) -> EnquiryResult:
    """Record the questionnaire's answers and acknowledge them by e-mail in ``language``.

    ``answers`` holds the validated values of ``ANSWER_FIELDS`` (the country a two-letter
    code, ``OTHER_COUNTRY`` for one not listed). A new enquiry is always saved, with its
    ``eligibility_flags`` and the launchpad of its country (none from outside the programme
    area). Nothing that exists is changed: a submission that looks like an open enquiry's
    company (``enquiry_find_duplicate``) is linked to it as ``possible_duplicate_of``, without
    an SME, for that SME's staff to merge or keep apart; any other from inside the programme
    area gets an SME in ``enquiry`` with its main contact person. The acknowledgement is the
    same either way, so it never tells a stranger that a company has applied.
    """
    clean = _clean_answers(answers)
    flags = eligibility_flags(country=clean["country"], headcount=clean["headcount"], turnover=clean["turnover"])
    launchpad = _launchpad_for(clean["country"])
    if clean["country"] in PROGRAMME_COUNTRIES and launchpad is None:
        logger.warning("Enquiry from %s: no launchpad for that country, so no SME created.", clean["country"])
        flags.append(NO_LAUNCHPAD)

    duplicate_of = enquiry_find_duplicate(
        company_name=clean["company_name"], website=clean["website"], contact_email=clean["contact_email"]
    )
    enquiry = Enquiry(
        **clean,
        language=language,
        consent_at=timezone.now(),
        eligibility_flags=flags,
        launchpad=launchpad,
        possible_duplicate_of=duplicate_of,
    )
    sme = None
    if duplicate_of is None and launchpad is not None:
        sme = _sme_create(clean, launchpad)
        enquiry.sme = sme
    enquiry.save()
    if duplicate_of is not None:
        logger.info("Enquiry %s looks like enquiry %s: kept apart for its staff.", enquiry.pk, duplicate_of.pk)

    result = EnquiryResult(enquiry=enquiry, sme=sme, possible_duplicate_of=duplicate_of, flags=flags)
    subject, body = enquiry_acknowledgement(result=result, language=language)
    to = [enquiry.contact_email]
    transaction.on_commit(lambda: email_send.delay(subject=subject, body=body, to=to))
    return result


class EnquiryRefused(Exception):
    """A merge or separation the user may not make, or that no longer applies; the message says why."""


def _duplicate_for_update(enquiry: Enquiry, by) -> tuple[Enquiry, Enquiry]:
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",)).select_related("possible_duplicate_of__sme").get(pk=enquiry.pk)
    )
    original = enquiry.possible_duplicate_of
    if original is None:
        raise EnquiryRefused(gettext("This enquiry is no longer marked as a possible duplicate."))
    if not scoping.can_resolve_duplicate_enquiry(by, enquiry):
        raise EnquiryRefused(gettext("Only the staff who may change the SME can merge enquiries into it."))
    return enquiry, original


@transaction.atomic
def enquiry_merge(*, enquiry: Enquiry, by) -> Enquiry:
    """The staff confirm that a possible duplicate is the same company: fold it into the enquiry it looks like.

    The original enquiry takes the newer answers and counts the submission; the SME gains the
    new contact person (if the e-mail address is new) and is otherwise left as it is, for
    its staff to update by hand. The duplicate is deleted. Returns the original enquiry.
    """
    enquiry, original = _duplicate_for_update(enquiry, by)
    original = Enquiry.objects.select_for_update().get(pk=original.pk)
    for name in ANSWER_FIELDS:
        setattr(original, name, getattr(enquiry, name))
    original.language = enquiry.language
    original.consent_at = enquiry.consent_at
    original.eligibility_flags = enquiry.eligibility_flags
    original.submissions += enquiry.submissions
    original.save()
    if original.sme is not None:
        _contact_add(original.sme, enquiry)
    Enquiry.objects.filter(possible_duplicate_of=enquiry).update(possible_duplicate_of=original)
    enquiry.delete()
    logger.info("Enquiry %s merged into enquiry %s by user %s.", enquiry.pk, original.pk, by.pk)
    return original


@transaction.atomic
def enquiry_keep_apart(*, enquiry: Enquiry, by) -> Enquiry:
    """The staff say a possible duplicate is another company: it gets its own SME, as a new enquiry would."""
    enquiry, _original = _duplicate_for_update(enquiry, by)
    enquiry.possible_duplicate_of = None
    if enquiry.sme_id is None and enquiry.launchpad is not None:
        enquiry.sme = _sme_create({name: getattr(enquiry, name) for name in ANSWER_FIELDS}, enquiry.launchpad)
    enquiry.save()
    return enquiry


def enquiry_acknowledgement(*, result: EnquiryResult, language: str) -> tuple[str, str]:
    """The acknowledgement e-mail (subject, body), written in ``language``."""
    enquiry = result.enquiry
    with translation.override(language):
        subject = gettext("We have received your E-Channel enquiry")
        paragraphs = [
            gettext("Hello %(name)s,") % {"name": enquiry.contact_name},
            gettext("Thank you for your interest in E-Channel. We have received your answers for %(company)s.")
            % {"company": enquiry.company_name},
        ]
        if result.is_outside_area:
            paragraphs.append(
                gettext(
                    "The programme can only take businesses based in the United Kingdom or France, so we cannot "
                    "offer you a place. We have kept your answers in case this changes. The Enterprise Europe "
                    "Network (https://een.ec.europa.eu) and your local chamber of commerce help businesses like "
                    "yours to sell in new markets."
                )
            )
        else:
            if result.is_not_sme:
                paragraphs.append(
                    gettext(
                        "The programme is for small and medium businesses: fewer than 250 staff and an annual "
                        "turnover of 50 million or less. From your answers, your company is larger than that, so "
                        "it is unlikely to be eligible. We have passed your answers on all the same: the launchpad "
                        "will confirm with you, as figures for groups and subsidiaries are sometimes counted "
                        "differently."
                    )
                )
            if result.enquiry.launchpad is not None:
                paragraphs.append(
                    gettext(
                        "What happens next: an account manager from the launchpad in your country (%(launchpad)s) "
                        "will read your answers and contact you within a few working days to talk about the "
                        "eligibility check and a first consultation."
                    )
                    % {"launchpad": result.enquiry.launchpad.name}
                )
            else:
                paragraphs.append(
                    gettext("The programme's coordinators will read your answers and contact you shortly.")
                )
        paragraphs.append(
            gettext(
                "You can ask us at any time to correct or delete what you told us: the privacy notice on the "
                "E-Channel website explains how."
            )
        )
        paragraphs.append(gettext("The E-Channel team"))
    return subject, "\n\n".join(paragraphs) + "\n"
