"""The e-mails a badge's holders get: when it is earned, and 30 days before it expires.

Rendered here (reads only) in the reader's language; ``services`` decides when to send
and records that it did, so each e-mail goes out once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from journey.models import Role, User
from toolkit import milestones

from . import openbadges
from .models import BadgeAward, CriterionKind


@dataclass
class Email:
    to: str
    subject: str
    body: str
    html_body: str


def holders(award: BadgeAward) -> list[tuple[str, str]]:
    """Who hears about the SME's badge, each with their language: its active users, else the recipient."""
    launchpad = award.sme.launchpad
    users = User.objects.filter(sme=award.sme, role=Role.SME_USER, is_active=True).exclude(email="").order_by("pk")
    people = [(user.email, user.preferred_language or launchpad.language) for user in users]
    if not people and award.recipient_email:
        people = [(award.recipient_email, launchpad.language)]
    return people


def _links(award: BadgeAward, language: str) -> dict[str, str]:
    sme = award.sme
    links = {
        "image_url": f"{openbadges.badge_image_url(award.badge_class, sme.launchpad)}?lang={language}",
        "verify_url": f"{openbadges.verification_url(award)}?lang={language}",
        "baked_url": openbadges.baked_url(award),
        "credential_url": f"{openbadges.credential_url(award)}?download",
        "my_badges_url": openbadges.absolute(reverse("learning:my_badges")),
    }
    tool = award.badge_class.opens_tool
    if tool:
        links["tool_url"] = openbadges.absolute(reverse("toolkit:tool", kwargs={"slug": sme.slug, "tool": tool}))
    return links


def renewal_steps(award: BadgeAward) -> list[str]:
    """How the holder renews the badge once it has expired, criterion by criterion (in the active language)."""
    steps = []
    for criterion in award.badge_class.criteria.all():
        if criterion.kind == CriterionKind.QUIZ_PASSED and criterion.quiz is not None:
            minimum = criterion.min_score if criterion.min_score is not None else criterion.quiz.pass_mark
            steps.append(
                _("Pass the quiz “%(quiz)s” of the course “%(course)s” again, with at least %(score)s %%.")
                % {"quiz": criterion.quiz.title, "course": criterion.quiz.get_parent().title, "score": minimum}
            )
        elif criterion.kind == CriterionKind.MILESTONE:
            milestone = milestones.available().get(criterion.milestone)
            steps.append(
                _("Keep “%(milestone)s” at %(threshold)s or more: your data is checked again when the badge expires.")
                % {
                    "milestone": milestone.label if milestone else criterion.milestone,
                    "threshold": number_format(criterion.threshold.normalize()),
                }
            )
        elif criterion.kind == CriterionKind.BADGES_HELD:
            names = ", ".join(f"“{badge.name}”" for badge in criterion.badges.all())
            steps.append(_("Still hold these badges when it expires: %(badges)s.") % {"badges": names})
        elif criterion.kind == CriterionKind.COURSE_COMPLETED and criterion.course is not None:
            steps.append(
                _("A colleague who has not yet followed it completes the course “%(course)s”.")
                % {"course": criterion.course.title}
            )
    return steps


def _account_manager(award: BadgeAward) -> User | None:
    return award.sme.primary_account_manager


def _render(template: str, award: BadgeAward, to: str, language: str, extra: dict) -> Email:
    with translation.override(language):
        context = {
            "award": award,
            "badge": award.badge_class,
            "sme": award.sme,
            "language": language,
            "account_manager": _account_manager(award),
            **_links(award, language),
            **extra,
        }
        subject = render_to_string(f"learning/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"learning/email/{template}.txt", context)
        html_body = render_to_string(f"learning/email/{template}.html", context)
    return Email(to=to, subject=subject, body=body, html_body=html_body)


def earned_emails(award: BadgeAward) -> list[Email]:
    """One e-mail per holder: the badge, what it opened in the toolkit, and where to verify, download, keep it."""
    return [_render("badge_earned", award, to, language, {}) for to, language in holders(award)]


def expiry_warning_emails(award: BadgeAward) -> list[Email]:
    """One e-mail per holder, a month ahead: when the badge expires, what closes, how to renew it."""
    emails = []
    for to, language in holders(award):
        with translation.override(language):
            steps = renewal_steps(award)
        emails.append(_render("badge_expiring", award, to, language, {"steps": steps}))
    return emails
