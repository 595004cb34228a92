"""Who a person is, from their e-mail address: every record in the programme that names them.

A person may be at once an SME user and their SME's contact person, may have filled in the
questionnaire (an enquiry) or the contact form, and may have received badges. ``find`` collects
all of it; ``Person.identifiers`` are the strings (full names, e-mail address, phone numbers)
searched for in free text, both for the export and for the erasure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import FormSubmission

from cms.models import ContactMessage
from coaching.models import CapturedMessage
from journey.models import ContactPerson, Enquiry, Launchpad, Role, User
from learning.models import BadgeAward

KIND_LABELS = {
    "sme_user": _("SME user"),
    "staff": _("programme staff"),
    "contact_person": _("SME contact person"),
    "enquirer": _("questionnaire visitor"),
    "contact_form": _("contact-form visitor"),
    "badge_recipient": _("badge recipient"),
    "captured_sender": _("sender of a logged e-mail"),
}

# Shorter strings are not searched for in free text: a two-letter name would match everywhere.
MIN_NAME_LENGTH = 5
MIN_PHONE_DIGITS = 6


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def subject_hash(email: str) -> str:
    """The register's key for a person: SHA-256 of the address salted with the site's secret."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalise(email)}".encode()).hexdigest()


@dataclass
class Person:
    email: str
    users: list = field(default_factory=list)
    contact_people: list = field(default_factory=list)
    enquiries: list = field(default_factory=list)
    contact_messages: list = field(default_factory=list)
    badge_awards: list = field(default_factory=list)
    captured_messages: list = field(default_factory=list)
    form_submissions: list = field(default_factory=list)

    @property
    def found(self) -> bool:
        return any(
            (
                self.users,
                self.contact_people,
                self.enquiries,
                self.contact_messages,
                self.badge_awards,
                self.captured_messages,
                self.form_submissions,
            )
        )

    @property
    def kinds(self) -> list[str]:
        kinds = []
        if any(user.role == Role.SME_USER for user in self.users):
            kinds.append("sme_user")
        if any(user.role != Role.SME_USER for user in self.users):
            kinds.append("staff")
        for name, records in (
            ("contact_person", self.contact_people),
            ("enquirer", self.enquiries),
            ("contact_form", self.contact_messages),
            ("badge_recipient", self.badge_awards),
            ("captured_sender", self.captured_messages),
        ):
            if records:
                kinds.append(name)
        return kinds

    @property
    def is_staff(self) -> bool:
        return "staff" in self.kinds

    @property
    def names(self) -> list[str]:
        names = [user.get_full_name() for user in self.users]
        names += [person.name for person in self.contact_people]
        names += [enquiry.contact_name for enquiry in self.enquiries]
        names += [message.name for message in self.contact_messages]
        names += [message.sender_name for message in self.captured_messages]
        return _unique(name.strip() for name in names if name and len(name.strip()) >= MIN_NAME_LENGTH)

    @property
    def phones(self) -> list[str]:
        phones = [person.phone for person in self.contact_people] + [e.contact_phone for e in self.enquiries]
        return _unique(
            phone.strip() for phone in phones if phone and sum(c.isdigit() for c in phone) >= MIN_PHONE_DIGITS
        )

    @property
    def identifiers(self) -> list[str]:
        """Every string that identifies them, the longest first (so a full name goes before a part of it)."""
        return sorted(_unique([self.email, *self.names, *self.phones]), key=len, reverse=True)

    @property
    def launchpad_ids(self) -> set[int]:
        ids = set()
        for user in self.users:
            ids.add(user.launchpad_id or (user.sme.launchpad_id if user.sme_id else None))
        ids |= {person.sme.launchpad_id for person in self.contact_people}
        ids |= {enquiry.launchpad_id for enquiry in self.enquiries}
        ids |= {message.launchpad_id for message in self.contact_messages}
        ids |= {award.sme.launchpad_id for award in self.badge_awards}
        ids |= {message.launchpad_id for message in self.captured_messages}
        ids.discard(None)
        return ids

    @property
    def language(self) -> str:
        """The person's language: their own choice, else their form's, else their launchpad's."""
        for user in self.users:
            if user.preferred_language:
                return user.preferred_language
        for record in (*self.enquiries, *self.contact_messages):
            if record.language:
                return record.language
        launchpad = Launchpad.objects.filter(pk__in=self.launchpad_ids).first()
        return launchpad.language if launchpad else settings.LANGUAGE_CODE


def _unique(values) -> list[str]:
    seen, out = set(), []
    for value in values:
        if value.lower() not in seen:
            seen.add(value.lower())
            out.append(value)
    return out


def find(email: str) -> Person:
    """Everything the programme holds that is found from this e-mail address."""
    email = normalise(email)
    person = Person(email=email)
    if not email:
        return person
    person.users = list(User.objects.filter(email__iexact=email).select_related("sme", "launchpad"))
    person.contact_people = list(ContactPerson.objects.filter(email__iexact=email).select_related("sme"))
    person.enquiries = list(Enquiry.objects.filter(contact_email__iexact=email))
    person.contact_messages = list(ContactMessage.objects.filter(email__iexact=email))
    person.badge_awards = list(
        BadgeAward.objects.filter(Q(recipient_email__iexact=email) | Q(recipient__in=person.users))
        .select_related("sme", "badge_class")
        .distinct()
    )
    person.captured_messages = list(
        CapturedMessage.objects.filter(Q(sender_email__iexact=email) | Q(sender__in=person.users)).distinct()
    )
    person.form_submissions = list(FormSubmission.objects.filter(form_data__icontains=email))
    return person
