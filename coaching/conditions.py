"""The journey conditions coaching knows about (registered in ``CoachingConfig.ready``).

Each check returns None when the condition holds, or why not in the active language.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from journey.models import SME

from .models import MONTHLY_KINDS, ONBOARDING_KINDS, SessionKind, SessionStatus


def _held(sme: SME, kinds) -> set[str]:
    return set(sme.coaching_sessions.filter(kind__in=kinds, status=SessionStatus.HELD).values_list("kind", flat=True))


def first_consultation_held(sme: SME) -> str | None:
    if _held(sme, [SessionKind.FIRST_CONSULTATION]):
        return None
    return gettext("The first consultation has not been held yet.")


def onboarding_reviews_recorded(sme: SME) -> str | None:
    held = _held(sme, ONBOARDING_KINDS)
    missing = [str(SessionKind(kind).label) for kind in ONBOARDING_KINDS if kind not in held]
    if not missing:
        return None
    return gettext("Onboarding reviews still to hold: %(reviews)s.") % {"reviews": "; ".join(missing)}


def plan_shared(sme: SME) -> str | None:
    if sme.plans.filter(shared_at__isnull=False).exists():
        return None
    return gettext("The new-market entry plan has not been shared with the SME yet.")


def monthly_sessions_held(sme: SME) -> str | None:
    held = len(_held(sme, MONTHLY_KINDS))
    if held >= len(MONTHLY_KINDS):
        return None
    return ngettext(
        "%(held)s of the four monthly reviews has been held.",
        "%(held)s of the four monthly reviews have been held.",
        held,
    ) % {"held": held}


def growth_review_held(sme: SME) -> str | None:
    reviews = sme.coaching_sessions.filter(kind=SessionKind.GROWTH_REVIEW, status=SessionStatus.HELD)
    if not reviews.exists():
        return gettext("The growth review has not been held yet.")
    if not reviews.exclude(long_term_plan="").exists():
        return gettext("The growth review is held but its long-term plan is not recorded yet.")
    return None


CHECKS = {
    "first_consultation_held": first_consultation_held,
    "onboarding_reviews_recorded": onboarding_reviews_recorded,
    "plan_shared": plan_shared,
    "monthly_sessions_held": monthly_sessions_held,
    "growth_review_held": growth_review_held,
}
