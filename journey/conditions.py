"""The conditions a journey transition needs, and the registry higher apps fill.

``journey`` is the lowest layer: it cannot look at commerce data, sessions or plans. So a
transition names the conditions it needs by key, and the app that owns the evidence
provides the check under the ``CONDITION_CHECKS`` hook (``journey.hooks``: a function
returning ``{key: check}``, registered in its ``wagtail_hooks.py``). A key nobody provides
fails with a clear "not available
yet" message — it never silently passes — and, like any failing condition, can be
overridden only with a written reason.

A check takes the SME and returns ``None`` when the condition holds, or the message that
explains, in the active language, why it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import hooks
from .models import SME, ScreeningChecklist

Check = Callable[[SME], "str | None"]


@dataclass(frozen=True)
class Condition:
    key: str
    label: str | Promise  # what must be true, for people: "the six onboarding reviews are recorded"
    provider: str | Promise  # the part of the platform that knows


@dataclass(frozen=True)
class Failure:
    key: str
    message: str


_CONNECTORS = _("data connectors")
_COACHING = _("coaching")
_JOURNEY = _("journey")

CONDITIONS: dict[str, Condition] = {
    condition.key: condition
    for condition in [
        Condition("screening_eligible", _("the screening checklist is complete and eligible"), _JOURNEY),
        Condition("screening_ineligible", _("the screening checklist is complete and shows what is not met"), _JOURNEY),
        Condition("account_manager_assigned", _("an account manager is assigned"), _JOURNEY),
        Condition("first_consultation_held", _("the first consultation has been held"), _COACHING),
        Condition("onboarding_reviews_recorded", _("the six onboarding reviews are recorded"), _COACHING),
        Condition("order_data_30_days", _("at least 30 days of order data from a connected source"), _CONNECTORS),
        Condition("plan_shared", _("the new-market entry plan is shared with the SME"), _COACHING),
        Condition("monthly_sessions_held", _("the four monthly review sessions have been held"), _COACHING),
        Condition("growth_review_held", _("the growth review is held and the long-term plan recorded"), _COACHING),
        Condition("programme_ended", _("the programme has ended"), _JOURNEY),
    ]
}


def checks() -> dict[str, Check]:
    """Every provided check by condition key (the ``CONDITION_CHECKS`` hook); a later provider of a key wins."""
    found: dict[str, Check] = {}
    for provide in hooks.get(hooks.CONDITION_CHECKS):
        for key, check in provide().items():
            if key not in CONDITIONS:
                raise KeyError(f"Unknown journey condition {key!r}; declare it in journey.conditions.CONDITIONS first.")
            found[key] = check
    return found


def is_registered(key: str) -> bool:
    return key in checks()


def failures(sme: SME, keys: list[str]) -> list[Failure]:
    """The conditions among ``keys`` that do not hold for this SME, each with its explanation."""
    found = []
    provided = checks()
    for key in keys:
        check = provided.get(key)
        if check is None:
            condition = CONDITIONS[key]
            message = gettext(
                "Not available yet: “%(what)s” is recorded by the %(part)s part of the platform, "
                "which is not in place yet."
            ) % {"what": condition.label, "part": condition.provider}
        else:
            message = check(sme)
        if message:
            found.append(Failure(key=key, message=str(message)))
    return found


# --- The conditions the journey itself can check -------------------------------------------


def _checklist(sme: SME) -> ScreeningChecklist | None:
    try:
        return sme.screening
    except ScreeningChecklist.DoesNotExist:
        return None


def _missing_message(checklist: ScreeningChecklist | None) -> str | None:
    if checklist is None:
        return gettext("The screening checklist has not been started.")
    missing = checklist.missing()
    if missing:
        return gettext("The screening checklist is missing: %(criteria)s.") % {"criteria": ", ".join(missing)}
    return None


def _screening_eligible(sme: SME) -> str | None:
    checklist = _checklist(sme)
    if message := _missing_message(checklist):
        return message
    unmet = checklist.unmet()
    if unmet:
        return gettext("The SME does not meet: %(criteria)s. Mark it ineligible instead.") % {
            "criteria": ", ".join(unmet)
        }
    return None


def _screening_ineligible(sme: SME) -> str | None:
    checklist = _checklist(sme)
    if message := _missing_message(checklist):
        return message
    if not checklist.unmet():
        return gettext("The screening checklist shows that the SME meets every criterion.")
    return None


def _account_manager_assigned(sme: SME) -> str | None:
    if sme.primary_account_manager_id is None:
        return gettext("No account manager is assigned to the SME yet.")
    return None


def _programme_ended(sme: SME) -> str | None:
    programme = sme.launchpad.programme
    if programme.end_date is None:
        return gettext("The programme has no end date yet.")
    if programme.end_date > timezone.localdate():
        return gettext("The programme runs until %(date)s.") % {
            "date": formats.date_format(programme.end_date, "SHORT_DATE_FORMAT")
        }
    return None


def journey_checks() -> dict[str, Check]:
    """The conditions the journey checks itself."""
    return {
        "screening_eligible": _screening_eligible,
        "screening_ineligible": _screening_ineligible,
        "account_manager_assigned": _account_manager_assigned,
        "programme_ended": _programme_ended,
    }


hooks.register(hooks.CONDITION_CHECKS, journey_checks, order=-100)

__all__ = ["CONDITIONS", "Condition", "Failure", "checks", "failures", "is_registered", "journey_checks"]
