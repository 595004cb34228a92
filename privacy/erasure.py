"""Erasure (Art. 17) that keeps the programme's history true.

What identifies the person is removed or replaced everywhere; the records that figures rely on
(contacts, sessions, stage changes, plans, badge awards, published reviews) stay, attributed to
"a former SME user" (or "a former staff member"). A staff user's SMEs (primary account manager)
and plans (author) go to someone else first; when nobody can take them, nothing is changed and
the refusal lists what needs a new owner. Erasing again finds nothing and changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from coaching.models import CalendarFeed, Plan
from journey.models import SME, Role, User
from journey.models.people import erased_email
from learning.services import tool_access_sync
from reporting.models import QuarterlyReview, ReviewStatus

from . import scrub
from .people import Person

ERASED_REASON = "erased on request"


@dataclass
class Handover:
    """What a staff user leaves behind, and who takes it."""

    smes: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    to: User | None = None

    @property
    def needed(self) -> bool:
        return bool(self.smes or self.plans)


def _can_take_over(candidate: User, staff: User, sme: SME) -> bool:
    return (
        candidate.is_active
        and candidate.pk != staff.pk
        and candidate.role in (Role.ACCOUNT_MANAGER, Role.LAUNCHPAD_MANAGER)
        and candidate.launchpad_id == sme.launchpad_id
    )


def handover(person: Person, to: User | None = None) -> Handover:
    """Who takes over the SMEs and plans of the staff among ``person``; a ValidationError lists any nobody can take."""
    result = Handover(to=to)
    staff = [user for user in person.users if user.role != Role.SME_USER]
    for user in staff:
        result.smes += list(SME.objects.filter(primary_account_manager=user).select_related("launchpad"))
        result.plans += list(Plan.objects.filter(created_by=user).select_related("sme__launchpad"))
    if not result.needed:
        return result
    problems = []
    for user in staff:
        things = [(sme, sme) for sme in result.smes if sme.primary_account_manager_id == user.pk]
        things += [(plan, plan.sme) for plan in result.plans if plan.created_by_id == user.pk]
        for thing, sme in things:
            candidate = to or _launchpad_manager(sme, user)
            if candidate is None or not _can_take_over(candidate, user, sme):
                label = (
                    _("SME “%(name)s”: primary account manager") % {"name": sme.name}
                    if isinstance(thing, SME)
                    else _("Plan “%(title)s” of %(sme)s: author") % {"title": thing.title, "sme": sme.name}
                )
                problems.append(label)
    if problems:
        raise ValidationError(
            [_("Nobody can take these over; choose an account manager or launchpad manager of their launchpad:")]
            + problems
        )
    return result


def _launchpad_manager(sme: SME, leaving: User) -> User | None:
    return (
        User.objects.filter(role=Role.LAUNCHPAD_MANAGER, launchpad_id=sme.launchpad_id, is_active=True)
        .exclude(pk=leaving.pk)
        .order_by("pk")
        .first()
    )


def placeholder(person: Person) -> str:
    """What replaces their name, in their language."""
    with translation.override(person.language):
        return _("a former staff member") if person.is_staff else _("a former SME user")


@transaction.atomic
def erase(person: Person, *, to: User | None = None) -> dict:
    """Erase everything identifying ``person``; returns what was done (counts by kind)."""
    done: dict[str, int] = {}
    if not person.found:
        return done
    plan = handover(person, to)  # raises before anything changes
    for sme in plan.smes:
        new = plan.to or _launchpad_manager(sme, sme.primary_account_manager)
        SME.objects.filter(pk=sme.pk).update(primary_account_manager=new)
    for item in plan.plans:
        new = plan.to or _launchpad_manager(item.sme, item.created_by)
        Plan.objects.filter(pk=item.pk).update(created_by=new)
    done["smes_reassigned"] = len(plan.smes)
    done["plans_reassigned"] = len(plan.plans)

    identifiers = person.identifiers
    replacement = placeholder(person)
    now = timezone.now()

    # Badge assertions: revoked, and the hash of a new address under a new salt never matches theirs.
    touched_smes = set()
    for award in person.badge_awards:
        award.recipient_email = erased_email(f"award-{award.pk}")
        award.salt = secrets.token_hex(16)
        fields = ["recipient_email", "salt"]
        if not award.revoked_at:
            award.revoked_at = now
            award.revocation_reason = ERASED_REASON
            fields += ["revoked_at", "revocation_reason"]
            touched_smes.add(award.sme)
        award.save(update_fields=fields)
    done["badge_awards"] = len(person.badge_awards)

    for user in person.users:
        user.first_name = ""
        user.last_name = ""
        user.email = erased_email(user.pk)
        user.is_active = False
        user.set_unusable_password()
        user.save()
        CalendarFeed.objects.filter(user=user).delete()
        profile = UserProfile.objects.filter(user=user).first()
        if profile and profile.avatar:
            profile.avatar.delete(save=False)
            profile.avatar = None
            profile.save()
        # Files they uploaded stay (others may use them), no longer linked to them.
        get_document_model().objects.filter(uploaded_by_user=user).update(uploaded_by_user=None)
        get_image_model().objects.filter(uploaded_by_user=user).update(uploaded_by_user=None)
    done["users"] = len(person.users)

    for contact_person in person.contact_people:
        contact_person.delete()
    done["contact_people"] = len(person.contact_people)

    for enquiry in person.enquiries:
        enquiry.contact_name = replacement
        enquiry.contact_job_title = ""
        enquiry.contact_email = ""
        enquiry.contact_phone = ""
        enquiry.goals = ""
        enquiry.products = ""
        enquiry.save(
            update_fields=["contact_name", "contact_job_title", "contact_email", "contact_phone", "goals", "products"]
        )
    done["enquiries"] = len(person.enquiries)

    for message in person.contact_messages:
        message.delete()
    done["contact_messages"] = len(person.contact_messages)

    for message in person.captured_messages:
        message.sender_email = ""
        message.sender_name = ""
        message.save(update_fields=["sender_email", "sender_name"])
    done["captured_messages"] = len(person.captured_messages)

    for submission in person.form_submissions:
        submission.delete()
    done["form_submissions"] = len(person.form_submissions)

    _forget_sign_in_attempts(person.email)
    changed = scrub.scrub(identifiers, replacement)
    done["texts_rewritten"] = sum(changed.values())

    # Published reviews are frozen: the erasure is recorded beside their figures, which stay.
    for review in QuarterlyReview.objects.filter(status=ReviewStatus.PUBLISHED):
        QuarterlyReview.objects.filter(pk=review.pk).update(erasures=[*review.erasures, now.date().isoformat()])
    done["reviews_noted"] = QuarterlyReview.objects.filter(status=ReviewStatus.PUBLISHED).count()

    for sme in touched_smes:
        tool_access_sync(sme=sme)
    return done


def _forget_sign_in_attempts(email: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


def scrub_text(text: str, person: Person) -> str:
    """``text`` with the person's identifiers replaced."""
    import re

    identifiers = person.identifiers
    if not text or not identifiers:
        return text
    pattern = re.compile("|".join(re.escape(i) for i in identifiers), re.I)
    return pattern.sub(placeholder(person), text)
