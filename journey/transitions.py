"""Moving an SME along its journey: who may, what must hold first, and the log.

``sme_transition`` is the only way a stage changes. It checks the person's right to fire
the transition (``journey.scoping``), the transition's conditions (``journey.conditions``),
fires the django-fsm transition, saves under ``ConcurrentTransitionMixin``'s optimistic
lock and writes the ``StageChange`` row — all in one database transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed

from . import conditions, scoping
from .models import SME, ScreeningChecklist, StageChange, User


def _screening_reasons(sme: SME) -> str:
    """The unmet screening criteria, as the reason an SME is found not eligible."""
    checklist = ScreeningChecklist.objects.filter(sme=sme).first()
    unmet = checklist.unmet() if checklist else []
    return gettext("Does not meet: %(criteria)s.") % {"criteria": ", ".join(unmet)} if unmet else ""


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str | Promise
    conditions: tuple[str, ...] = ()
    needs_reason: bool = False
    coordinator_only: bool = False
    # Written into the log when the person gives no reason of their own.
    default_reason: Callable[[SME], str] | None = None


TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in [
        TransitionSpec("start_screening", _("Start screening")),
        TransitionSpec("pass_screening", _("Eligible: move to assessment"), ("screening_eligible",)),
        TransitionSpec(
            "fail_screening", _("Not eligible"), ("screening_ineligible",), default_reason=_screening_reasons
        ),
        TransitionSpec("enrol", _("Enrol: start onboarding"), ("account_manager_assigned", "first_consultation_held")),
        TransitionSpec("decline", _("The SME declines"), needs_reason=True),
        TransitionSpec("finish_onboarding", _("Onboarding done: collect data"), ("onboarding_reviews_recorded",)),
        TransitionSpec("start_planning", _("Enough data: start planning"), ("order_data_30_days",)),
        TransitionSpec("start_intensive", _("Plan shared: start the intensive"), ("plan_shared",)),
        TransitionSpec("start_growth_review", _("Intensive done: growth review"), ("monthly_sessions_held",)),
        TransitionSpec("start_aftercare", _("Growth review held: aftercare"), ("growth_review_held",)),
        TransitionSpec("complete", _("Programme over: complete"), ("programme_ended",)),
        TransitionSpec("pause", _("Pause"), needs_reason=True),
        TransitionSpec("resume", _("Resume")),
        TransitionSpec("withdraw", _("Withdraw"), needs_reason=True),
        TransitionSpec("reopen", _("Reopen"), needs_reason=True, coordinator_only=True),
    ]
}


class TransitionRefused(Exception):
    """The transition did not happen; ``messages`` say why, in the active language."""

    def __init__(self, *messages: str, failures: list[conditions.Failure] | None = None):
        super().__init__(" ".join(messages))
        self.messages = list(messages)
        self.failures = failures or []


@dataclass
class TransitionOption:
    """A transition open from the SME's current stage, as one person sees it."""

    spec: TransitionSpec
    target: str | None
    failures: list[conditions.Failure] = field(default_factory=list)
    can_override: bool = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def ready(self) -> bool:
        return not self.failures


def _may_fire(user, sme: SME, spec: TransitionSpec) -> bool:
    if spec.coordinator_only:
        return scoping.can_reopen(user, sme)
    return scoping.can_move_sme(user, sme)


def _target(sme: SME, spec: TransitionSpec) -> str | None:
    if spec.name in ("resume", "reopen"):
        return sme.resume_stage or None
    meta = getattr(SME, spec.name)._django_fsm
    target = meta.next_state(sme.stage)
    return target if isinstance(target, str) else None


def sme_transition_options(*, sme: SME, user: User) -> list[TransitionOption]:
    """The transitions this person may fire from the SME's current stage, each with what still fails."""
    options = []
    for spec in TRANSITIONS.values():
        if not can_proceed(getattr(sme, spec.name), check_conditions=False) or not _may_fire(user, sme, spec):
            continue
        failures = conditions.failures(sme, list(spec.conditions))
        options.append(
            TransitionOption(
                spec=spec,
                target=_target(sme, spec),
                failures=failures,
                can_override=bool(failures) and scoping.can_override_conditions(user, sme),
            )
        )
    return options


def sme_transition(*, sme: SME, name: str, by: User, reason: str = "", override: bool = False) -> StageChange:
    """Fire transition ``name`` on the SME as ``by``; raise ``TransitionRefused`` with the reasons if it cannot happen.

    A failing condition is passed only with ``override=True`` by someone allowed to
    override, with a written ``reason``; the overridden conditions are logged.
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise TransitionRefused(gettext("Unknown journey step."))
    if not _may_fire(by, sme, spec):
        if spec.coordinator_only:
            raise TransitionRefused(gettext("Only a coordinator may reopen an SME."))
        raise TransitionRefused(gettext("You may not move this SME along its journey."))
    method = getattr(sme, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            gettext("“%(step)s” is not possible while the SME is at the “%(stage)s” stage.")
            % {"step": spec.label, "stage": sme.get_stage_display()}
        )
    reason = reason.strip()
    if spec.needs_reason and not reason:
        raise TransitionRefused(gettext("Please give the reason for this step."))
    failures = conditions.failures(sme, list(spec.conditions))
    if failures:
        messages = [failure.message for failure in failures]
        if not override:
            raise TransitionRefused(*messages, failures=failures)
        if not scoping.can_override_conditions(by, sme):
            raise TransitionRefused(
                *messages,
                gettext("Only a launchpad manager or a coordinator may override these conditions."),
                failures=failures,
            )
        if not reason:
            raise TransitionRefused(*messages, gettext("Overriding needs a written reason."), failures=failures)

    if not reason and spec.default_reason:
        reason = spec.default_reason(sme)
    from_stage = sme.stage
    try:
        with transaction.atomic():
            method()
            sme.stage_entered_at = timezone.now()
            sme.save()
            return StageChange.objects.create(
                sme=sme,
                transition=name,
                from_stage=from_stage,
                to_stage=sme.stage,
                by=by,
                at=sme.stage_entered_at,
                reason=reason,
                overridden=[{"key": f.key, "message": f.message} for f in failures],
            )
    except ConcurrentTransition:
        sme.refresh_from_db()  # the in-memory stage was moved; show the one that won
        raise TransitionRefused(
            gettext(
                "Someone else moved this SME at the same time: it is now at the “%(stage)s” stage. "
                "Please check the page again before going on."
            )
            % {"stage": sme.get_stage_display()}
        ) from None


__all__ = ["TRANSITIONS", "TransitionOption", "TransitionRefused", "sme_transition", "sme_transition_options"]
