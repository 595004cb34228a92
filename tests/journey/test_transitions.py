"""The SME journey's transitions (DESIGN.md, "The SME journey"): who may fire what, from where, and the log.

The big table is every state, every transition and every role: allowed or refused, a
``StageChange`` row written or not. Its expectations are written out by hand from the rules,
never recomputed with ``journey.scoping`` or the ``@transition`` decorators under test:

* which source states each transition accepts, and where it leads (``MOVES``);
* who may fire a transition (``MAY_MOVE``: the SME's account managers — primary or
  cross-launchpad collaborator —, its launchpad manager, coordinators) and who may reopen
  (``MAY_REOPEN``: coordinators only);
* who may override a failing condition (``MAY_OVERRIDE``: the launchpad manager of the SME's
  launchpad, coordinators). Every cell fires with ``override=True`` and a written reason, so
  conditions never hide the permission and source rules — but an account manager cannot
  override, so a transition whose conditions fail (``CONDITIONS_FAIL``) is refused to them.

The cast, built by the ``world`` fixture around one UK SME, "Harbour Foods":

* ``sme_user`` — a user of Harbour Foods;
* ``am_primary`` — the UK account manager assigned to it;
* ``am_other`` — another UK account manager, not assigned to it;
* ``collaborator`` — a French account manager shared on it as a cross-launchpad collaborator;
* ``lm_own`` / ``lm_other`` — the UK / French launchpad managers;
* ``coordinator``;
* ``inactive_am`` — a UK account manager assigned to it (as its primary account manager in
  their cells) but deactivated.

The focused tests after the table cover the conditions, overrides, reasons, pause/resume,
withdraw/reopen, the stage clock, the language of the messages, concurrent moves and the
options offered to each person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from journey import conditions, hooks
from journey.models import (
    ACTIVE_STAGES,
    COACHED_STAGES,
    FINAL_STAGES,
    SME,
    Programme,
    ScreeningChecklist,
    Stage,
    StageChange,
    User,
)
from journey.transitions import TRANSITIONS, TransitionRefused, sme_transition, sme_transition_options

from .factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    LaunchpadManagerFactory,
    SMEFactory,
    SMEUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Y, N = True, False
REASON = "A written reason"

# --- The expectations, by hand ------------------------------------------------------------------

ENQUIRY, SCREENING, ASSESSMENT = "enquiry", "screening", "assessment"
ONBOARDING, DATA_COLLECTION, PLANNING = "onboarding", "data_collection", "planning"
INTENSIVE, GROWTH_REVIEW, AFTERCARE = "intensive", "growth_review", "aftercare"
COMPLETED, INELIGIBLE, DECLINED, WITHDRAWN, PAUSED = "completed", "ineligible", "declined", "withdrawn", "paused"

ACTIVE = [ENQUIRY, SCREENING, ASSESSMENT, ONBOARDING, DATA_COLLECTION, PLANNING, INTENSIVE, GROWTH_REVIEW, AFTERCARE]
FINAL = [INELIGIBLE, DECLINED, WITHDRAWN, COMPLETED]
STATES = [*ACTIVE, PAUSED, *FINAL]

# Where a paused or closed SME of the table goes back to when it resumes or is reopened.
RESUME_TO = DATA_COLLECTION

# transition -> {source state: target state}; a state not listed is refused.
MOVES: dict[str, dict[str, str]] = {
    "start_screening": {ENQUIRY: SCREENING},
    "pass_screening": {SCREENING: ASSESSMENT},
    "fail_screening": {SCREENING: INELIGIBLE},
    "enrol": {ASSESSMENT: ONBOARDING},
    "decline": {ASSESSMENT: DECLINED},
    "finish_onboarding": {ONBOARDING: DATA_COLLECTION},
    "start_planning": {DATA_COLLECTION: PLANNING},
    "start_intensive": {PLANNING: INTENSIVE},
    "start_growth_review": {INTENSIVE: GROWTH_REVIEW},
    "start_aftercare": {GROWTH_REVIEW: AFTERCARE},
    "complete": {AFTERCARE: COMPLETED},
    # From any active state, never from paused or a final state.
    "pause": {state: PAUSED for state in ACTIVE},
    "resume": {PAUSED: RESUME_TO},
    # From any active state or paused, never from a final state.
    "withdraw": {state: WITHDRAWN for state in [*ACTIVE, PAUSED]},
    "reopen": {state: RESUME_TO for state in FINAL},
}

# The transitions whose conditions fail for the table's SME: it has an account manager, no
# screening checklist, a programme without an end date, and no evidence from coaching or the
# connectors (their checks are not registered: see the ``registry`` fixture).
CONDITIONS_FAIL = {
    "pass_screening",  # the screening checklist has not been started
    "fail_screening",  # idem
    "enrol",  # the first consultation is not recorded (the account manager is assigned)
    "finish_onboarding",
    "start_planning",
    "start_intensive",
    "start_growth_review",
    "start_aftercare",
    "complete",  # the programme has no end date
}

ROLES = ["sme_user", "am_primary", "am_other", "collaborator", "lm_own", "lm_other", "coordinator", "inactive_am"]

# role -> may fire the journey's transitions on Harbour Foods (all but reopen).
MAY_MOVE = {
    "sme_user": N,
    "am_primary": Y,
    "am_other": N,
    "collaborator": Y,
    "lm_own": Y,
    "lm_other": N,
    "coordinator": Y,
    "inactive_am": N,
}
# role -> may reopen a closed Harbour Foods.
MAY_REOPEN = {
    "sme_user": N,
    "am_primary": N,
    "am_other": N,
    "collaborator": N,
    "lm_own": N,
    "lm_other": N,
    "coordinator": Y,
    "inactive_am": N,
}
# role -> may override a failing condition on Harbour Foods (with a written reason).
MAY_OVERRIDE = {
    "sme_user": N,
    "am_primary": N,
    "am_other": N,
    "collaborator": N,
    "lm_own": Y,
    "lm_other": N,
    "coordinator": Y,
    "inactive_am": N,
}

# Why a cell is refused -> what the refusal says (in English).
REFUSALS = {
    "role": ("You may not move this SME along its journey.", "Only a coordinator may reopen an SME."),
    "source": ("is not possible while the SME is at the",),
    "override": ("Only a launchpad manager or a coordinator may override these conditions.",),
}


def expected_refusals(state: str, name: str, role: str) -> set[str]:
    """The reasons, among REFUSALS, for which this cell must be refused (empty: it is allowed)."""
    reasons = set()
    if not (MAY_REOPEN[role] if name == "reopen" else MAY_MOVE[role]):
        reasons.add("role")
    if state not in MOVES[name]:
        reasons.add("source")
    if name in CONDITIONS_FAIL and not MAY_OVERRIDE[role]:
        reasons.add("override")
    return reasons


def test_the_table_covers_every_state_transition_and_role():
    assert sorted(STATES) == sorted(Stage.values)
    assert [str(s) for s in ACTIVE_STAGES] == ACTIVE
    # An account manager coaches from assessment on: the applicant's stages are the launchpad's.
    assert [str(s) for s in COACHED_STAGES] == [s for s in ACTIVE if s not in (ENQUIRY, SCREENING)]
    assert sorted(str(s) for s in FINAL_STAGES) == sorted(FINAL)
    assert sorted(MOVES) == sorted(TRANSITIONS)
    assert CONDITIONS_FAIL <= set(MOVES)
    for table in (MAY_MOVE, MAY_REOPEN, MAY_OVERRIDE):
        assert sorted(table) == sorted(ROLES)
    for moves in MOVES.values():
        assert set(moves) <= set(STATES) and set(moves.values()) <= set(STATES)


# --- Fixtures and helpers -----------------------------------------------------------------------

# The conditions whose evidence lives in coaching and the connectors.
OTHER_APPS_CONDITIONS = [
    "first_consultation_held",
    "onboarding_reviews_recorded",
    "order_data_30_days",
    "plan_shared",
    "monthly_sessions_held",
    "growth_review_held",
]


@pytest.fixture(autouse=True)
def registry():
    """Each test sees only the journey's own checks (the other apps' are restored afterwards).

    So the expectations do not depend on which apps are in place.
    """
    with hooks.override(hooks.CONDITION_CHECKS, conditions.journey_checks):
        yield conditions


@pytest.fixture(autouse=True)
def english():
    """The expected messages are the English ones (the French test switches language itself)."""
    with translation.override("en"):
        yield


@dataclass
class World:
    sme: SME
    people: dict[str, User]


def build_world() -> World:
    uk = LaunchpadFactory()
    fr = LaunchpadFactory(france=True, programme=uk.programme)
    am_primary = AccountManagerFactory(launchpad=uk, email="am-primary@e-channel.test")
    collaborator = AccountManagerFactory(launchpad=fr, email="collaborator@e-channel.test")
    sme = SMEFactory(name="Harbour Foods", slug="harbour-foods", launchpad=uk, primary_account_manager=am_primary)
    sme.collaborators.add(collaborator)
    people = {
        "sme_user": SMEUserFactory(sme=sme, email="owner@harbour-foods.test"),
        "am_primary": am_primary,
        "am_other": AccountManagerFactory(launchpad=uk, email="am-other@e-channel.test"),
        "collaborator": collaborator,
        "lm_own": LaunchpadManagerFactory(launchpad=uk, email="lm-uk@e-channel.test"),
        "lm_other": LaunchpadManagerFactory(launchpad=fr, email="lm-fr@e-channel.test"),
        "coordinator": CoordinatorFactory(email="coordinator@e-channel.test"),
        "inactive_am": AccountManagerFactory(launchpad=uk, email="inactive@e-channel.test", is_active=False),
    }
    assert sorted(people) == sorted(ROLES)
    return World(sme=sme, people=people)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast, built once for the module (the table has some 1,700 cells).

    It lives in a transaction rolled back when the module ends; each test runs in its own
    savepoint inside it, as usual, so what a test changes in the database is undone. Tests
    must not change these Python objects: ``put_in`` and the ``sme`` fixture load fresh ones.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def put_in(sme: SME, stage: str, resume_stage: str | None = None, **fields) -> SME:
    """The SME, freshly loaded, at ``stage`` (the field is protected: set straight in the database).

    Paused and closed SMEs get RESUME_TO as the stage to go back to, unless told otherwise.
    """
    if resume_stage is None:
        resume_stage = RESUME_TO if stage not in ACTIVE else ""
    SME.objects.filter(pk=sme.pk).update(stage=stage, resume_stage=resume_stage, **fields)
    return SME.objects.get(pk=sme.pk)


def db_stage(sme: SME) -> str:
    return SME.objects.values_list("stage", flat=True).get(pk=sme.pk)


def refused(sme: SME, name: str, by: User, **kwargs) -> TransitionRefused:
    """Fire, expect a refusal, and check nothing moved and nothing was logged."""
    stage = db_stage(sme)
    rows = StageChange.objects.count()
    with pytest.raises(TransitionRefused) as caught:
        sme_transition(sme=sme, name=name, by=by, **kwargs)
    assert StageChange.objects.count() == rows
    assert db_stage(sme) == stage
    return caught.value


# --- The table ----------------------------------------------------------------------------------

CELLS = [
    pytest.param(state, name, role, id=f"{state}-{name}-{role}") for state in STATES for name in MOVES for role in ROLES
]


@pytest.mark.parametrize(("state", "name", "role"), CELLS)
def test_transition_table(world, state, name, role):
    user = world.people[role]
    extra = {"primary_account_manager": user} if role == "inactive_am" else {}
    sme = put_in(world.sme, state, **extra)
    reasons = expected_refusals(state, name, role)

    if reasons:
        error = refused(sme, name, user, reason=REASON, override=True)
        expected_texts = [text for reason in reasons for text in REFUSALS[reason]]
        assert any(text in str(error) for text in expected_texts), (str(error), reasons)
        return

    target = MOVES[name][state]
    change = sme_transition(sme=sme, name=name, by=user, reason=REASON, override=True)
    assert isinstance(change, StageChange) and change.pk
    assert (change.sme_id, change.transition, change.from_stage, change.to_stage) == (sme.pk, name, state, target)
    assert change.by == user
    assert change.reason == REASON
    assert StageChange.objects.filter(sme=sme).count() == 1
    assert sme.stage == target
    assert db_stage(sme) == target
    if name in CONDITIONS_FAIL:
        assert change.overridden and all(entry["message"] for entry in change.overridden)
    else:
        assert change.overridden == []


# --- Conditions ---------------------------------------------------------------------------------


@pytest.fixture
def sme(world):
    return SME.objects.get(pk=world.sme.pk)


@pytest.fixture
def am(world):
    return world.people["am_primary"]


@pytest.fixture
def lm(world):
    return world.people["lm_own"]


@pytest.fixture
def coordinator(world):
    return world.people["coordinator"]


@pytest.mark.parametrize(
    ("key", "what", "part"),
    [
        ("first_consultation_held", "the first consultation has been held", "coaching"),
        ("onboarding_reviews_recorded", "the six onboarding reviews are recorded", "coaching"),
        ("order_data_30_days", "at least 30 days of order data from a connected source", "data connectors"),
        ("plan_shared", "the new-market entry plan is shared with the SME", "coaching"),
        ("monthly_sessions_held", "the four monthly review sessions have been held", "coaching"),
        ("growth_review_held", "the growth review is held and the long-term plan recorded", "coaching"),
    ],
)
def test_an_unregistered_condition_is_not_available_yet(sme, key, what, part):
    assert not conditions.is_registered(key)
    [failure] = conditions.failures(sme, [key])
    assert failure.key == key
    assert failure.message == (
        f"Not available yet: “{what}” is recorded by the {part} part of the platform, which is not in place yet."
    )


@pytest.mark.parametrize(
    ("name", "stage", "key"),
    [
        ("enrol", ASSESSMENT, "first_consultation_held"),
        ("finish_onboarding", ONBOARDING, "onboarding_reviews_recorded"),
        ("start_planning", DATA_COLLECTION, "order_data_30_days"),
        ("start_intensive", PLANNING, "plan_shared"),
        ("start_growth_review", INTENSIVE, "monthly_sessions_held"),
        ("start_aftercare", GROWTH_REVIEW, "growth_review_held"),
    ],
)
def test_a_registered_check_decides(sme, am, name, stage, key):
    """Registered, the check lets the transition through when it returns None, and explains otherwise."""
    answers = {"message": "Two of the six reviews are still to be held."}
    hooks.register(hooks.CONDITION_CHECKS, lambda: {key: lambda sme: answers["message"]})
    assert conditions.is_registered(key)

    sme = put_in(sme, stage)
    error = refused(sme, name, am)
    assert error.messages == ["Two of the six reviews are still to be held."]
    assert [(f.key, f.message) for f in error.failures] == [(key, "Two of the six reviews are still to be held.")]

    answers["message"] = None
    change = sme_transition(sme=sme, name=name, by=am)
    assert (change.from_stage, change.to_stage) == (stage, MOVES[name][stage])
    assert change.overridden == []


def test_each_test_starts_with_only_the_journeys_own_checks():
    # Tests register checks on their own copy of the hook (the ``registry`` fixture).
    for key in ("screening_eligible", "screening_ineligible", "account_manager_assigned", "programme_ended"):
        assert conditions.is_registered(key)
    for key in OTHER_APPS_CONDITIONS:
        assert not conditions.is_registered(key)


def test_only_declared_conditions_can_be_registered():
    hooks.register(hooks.CONDITION_CHECKS, lambda: {"the_moon_is_full": lambda sme: None})
    with pytest.raises(KeyError):
        conditions.checks()
    with pytest.raises(KeyError):
        hooks.register("the_moon_hook", lambda: {})


def screening(sme: SME, **criteria) -> ScreeningChecklist:
    return ScreeningChecklist.objects.create(sme=sme, **criteria)


ALL_MEET = {name: "meets" for name in ScreeningChecklist.CRITERIA}


def test_pass_screening_needs_a_started_checklist(sme, am):
    sme = put_in(sme, SCREENING)
    error = refused(sme, "pass_screening", am)
    assert error.messages == ["The screening checklist has not been started."]


@pytest.mark.parametrize(
    ("assessed", "missing"),
    [
        (
            {},
            "SME status, location, e-commerce appetite and skills, motivation, capacity for growth, "
            "attitude to risk and opportunity, B2B/B2C orientation, shop platform, analytics with e-commerce tracking",
        ),
        ({**ALL_MEET, "motivation": "", "analytics": ""}, "motivation, analytics with e-commerce tracking"),
        ({**ALL_MEET, "location": "does_not_meet", "growth_capacity": ""}, "capacity for growth"),
        ({**ALL_MEET, "sme_status": ""}, "SME status"),
    ],
)
@pytest.mark.parametrize("name", ["pass_screening", "fail_screening"])
def test_an_incomplete_checklist_lists_exactly_what_is_missing(sme, am, name, assessed, missing):
    screening(sme, **assessed)
    sme = put_in(sme, SCREENING)
    error = refused(sme, name, am)
    assert error.messages == [f"The screening checklist is missing: {missing}."]


def test_pass_screening_with_a_complete_eligible_checklist(sme, am):
    screening(sme, **{**ALL_MEET, "analytics": "with_support", "shop_platform": "with_support"})
    sme = put_in(sme, SCREENING)
    change = sme_transition(sme=sme, name="pass_screening", by=am)
    assert change.to_stage == ASSESSMENT and change.overridden == []


def test_pass_screening_refuses_an_sme_that_does_not_meet_a_criterion(sme, am):
    screening(sme, **{**ALL_MEET, "location": "does_not_meet", "risk_attitude": "does_not_meet"})
    sme = put_in(sme, SCREENING)
    error = refused(sme, "pass_screening", am)
    assert error.messages == [
        "The SME does not meet: location, attitude to risk and opportunity. Mark it ineligible instead."
    ]


def test_fail_screening_needs_a_does_not_meet(sme, am):
    screening(sme, **{**ALL_MEET, "growth_capacity": "with_support"})
    sme = put_in(sme, SCREENING)
    error = refused(sme, "fail_screening", am)
    assert error.messages == ["The screening checklist shows that the SME meets every criterion."]


def test_fail_screening_with_a_complete_checklist_and_one_does_not_meet(sme, am):
    screening(sme, **{**ALL_MEET, "sme_status": "does_not_meet"})
    sme = put_in(sme, SCREENING)
    change = sme_transition(sme=sme, name="fail_screening", by=am)
    assert (change.from_stage, change.to_stage, change.overridden) == (SCREENING, INELIGIBLE, [])
    assert SME.objects.get(pk=sme.pk).resume_stage == SCREENING


def test_enrol_needs_an_account_manager(sme, lm, registry):
    hooks.register(hooks.CONDITION_CHECKS, lambda: {"first_consultation_held": lambda sme: None})
    sme = put_in(sme, ASSESSMENT, primary_account_manager=None)
    error = refused(sme, "enrol", lm)
    assert error.messages == ["No account manager is assigned to the SME yet."]


def test_complete_needs_the_programme_to_have_ended(sme, coordinator):
    programme = Programme.objects.get(launchpads__smes=sme)
    sme = put_in(sme, AFTERCARE)
    assert refused(sme, "complete", coordinator).messages == ["The programme has no end date yet."]

    programme.end_date = datetime.date(2099, 3, 31)
    programme.save()
    sme = SME.objects.get(pk=sme.pk)
    with translation.override("en"):
        assert refused(sme, "complete", coordinator).messages == ["The programme runs until 31/03/2099."]

    programme.end_date = timezone.localdate() - datetime.timedelta(days=1)
    programme.save()
    sme = SME.objects.get(pk=sme.pk)
    change = sme_transition(sme=sme, name="complete", by=coordinator)
    assert (change.to_stage, change.overridden) == (COMPLETED, [])


# --- Overrides ----------------------------------------------------------------------------------

NOT_AVAILABLE_CONSULTATION = (
    "Not available yet: “the first consultation has been held” is recorded by the coaching part of the "
    "platform, which is not in place yet."
)


def test_without_override_a_failing_condition_refuses_with_its_message(sme, lm, coordinator):
    sme = put_in(sme, ASSESSMENT)
    for person in (lm, coordinator):
        error = refused(sme, "enrol", person, reason=REASON)
        assert error.messages == [NOT_AVAILABLE_CONSULTATION]
        assert [f.key for f in error.failures] == ["first_consultation_held"]


@pytest.mark.parametrize("role", ["am_primary", "collaborator"])
def test_an_account_manager_cannot_override(world, role):
    sme = put_in(world.sme, ASSESSMENT)
    error = refused(sme, "enrol", world.people[role], reason=REASON, override=True)
    assert error.messages == [
        NOT_AVAILABLE_CONSULTATION,
        "Only a launchpad manager or a coordinator may override these conditions.",
    ]


@pytest.mark.parametrize("reason", ["", "   \n\t"])
def test_overriding_needs_a_written_reason(sme, lm, reason):
    sme = put_in(sme, ASSESSMENT)
    error = refused(sme, "enrol", lm, reason=reason, override=True)
    assert error.messages == [NOT_AVAILABLE_CONSULTATION, "Overriding needs a written reason."]


@pytest.mark.parametrize("role", ["lm_own", "coordinator"])
def test_an_override_logs_each_overridden_condition(world, role):
    sme = put_in(world.sme, ASSESSMENT, primary_account_manager=None)
    person = world.people[role]
    change = sme_transition(
        sme=sme, name="enrol", by=person, reason="  Held by phone, notes to follow.  ", override=True
    )
    assert change.to_stage == ONBOARDING
    assert change.reason == "Held by phone, notes to follow."
    assert change.overridden == [
        {"key": "account_manager_assigned", "message": "No account manager is assigned to the SME yet."},
        {"key": "first_consultation_held", "message": NOT_AVAILABLE_CONSULTATION},
    ]
    assert StageChange.objects.get(pk=change.pk).overridden == change.overridden


def test_override_with_nothing_failing_overrides_nothing(sme, lm):
    change = sme_transition(sme=sme, name="start_screening", by=lm, override=True)
    assert (change.to_stage, change.reason, change.overridden) == (SCREENING, "", [])


def test_the_launchpad_manager_of_the_other_launchpad_cannot_override(world):
    sme = put_in(world.sme, ASSESSMENT)
    error = refused(sme, "enrol", world.people["lm_other"], reason=REASON, override=True)
    assert error.messages == ["You may not move this SME along its journey."]


# --- Reasons ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stage", "role"),
    [
        ("decline", ASSESSMENT, "am_primary"),
        ("pause", PLANNING, "am_primary"),
        ("withdraw", INTENSIVE, "am_primary"),
        ("withdraw", PAUSED, "lm_own"),
        ("reopen", WITHDRAWN, "coordinator"),
    ],
)
@pytest.mark.parametrize("reason", ["", "  ", "\n"])
def test_these_steps_need_a_reason(world, name, stage, role, reason):
    sme = put_in(world.sme, stage)
    error = refused(sme, name, world.people[role], reason=reason)
    assert error.messages == ["Please give the reason for this step."]

    change = sme_transition(sme=sme, name=name, by=world.people[role], reason="The owner is ill.")
    assert change.reason == "The owner is ill."


@pytest.mark.parametrize(("name", "stage"), [("start_screening", ENQUIRY), ("resume", PAUSED)])
def test_other_steps_need_no_reason(sme, am, name, stage):
    sme = put_in(sme, stage)
    change = sme_transition(sme=sme, name=name, by=am)
    assert change.reason == ""


# --- Pause, resume, withdraw, reopen -----------------------------------------------------------


@pytest.mark.parametrize("stage", ACTIVE)
def test_pause_then_resume_returns_to_the_stage_paused_from(sme, am, stage):
    sme = put_in(sme, stage)
    pause = sme_transition(sme=sme, name="pause", by=am, reason="Flood at the warehouse.")
    assert (pause.from_stage, pause.to_stage) == (stage, PAUSED)
    sme = SME.objects.get(pk=sme.pk)
    assert (sme.stage, sme.resume_stage) == (PAUSED, stage)

    resume = sme_transition(sme=sme, name="resume", by=am)
    assert (resume.from_stage, resume.to_stage) == (PAUSED, stage)
    assert db_stage(sme) == stage


def test_withdrawn_while_paused_reopens_at_the_stage_before_the_pause(sme, am, coordinator):
    sme = put_in(sme, INTENSIVE)
    sme_transition(sme=sme, name="pause", by=am, reason="Owner on leave.")
    sme_transition(sme=SME.objects.get(pk=sme.pk), name="withdraw", by=am, reason="Not coming back this year.")
    sme = SME.objects.get(pk=sme.pk)
    assert (sme.stage, sme.resume_stage) == (WITHDRAWN, INTENSIVE)

    change = sme_transition(sme=sme, name="reopen", by=coordinator, reason="Back after all.")
    assert (change.from_stage, change.to_stage) == (WITHDRAWN, INTENSIVE)
    assert db_stage(sme) == INTENSIVE
    assert list(StageChange.objects.filter(sme=sme).order_by("pk").values_list("transition", flat=True)) == [
        "pause",
        "withdraw",
        "reopen",
    ]


@pytest.mark.parametrize(
    ("stage", "name", "closed", "reopens_at"),
    [
        (PLANNING, "withdraw", WITHDRAWN, PLANNING),
        (ASSESSMENT, "decline", DECLINED, ASSESSMENT),
        (AFTERCARE, "complete", COMPLETED, AFTERCARE),
    ],
)
def test_reopen_returns_to_the_stage_closed_from(sme, coordinator, stage, name, closed, reopens_at):
    sme = put_in(sme, stage)
    sme_transition(sme=sme, name=name, by=coordinator, reason=REASON, override=True)
    sme = SME.objects.get(pk=sme.pk)
    assert sme.stage == closed
    change = sme_transition(sme=sme, name="reopen", by=coordinator, reason="Reconsidered.")
    assert (change.from_stage, change.to_stage) == (closed, reopens_at)


def test_a_superuser_may_reopen(sme):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    sme = put_in(sme, DECLINED, resume_stage=ASSESSMENT)
    change = sme_transition(sme=sme, name="reopen", by=superuser, reason="Changed their mind.")
    assert change.to_stage == ASSESSMENT


def test_a_launchpad_manager_may_not_reopen(sme, lm):
    sme = put_in(sme, WITHDRAWN)
    error = refused(sme, "reopen", lm, reason=REASON)
    assert error.messages == ["Only a coordinator may reopen an SME."]


# --- The stage clock ----------------------------------------------------------------------------


def test_stage_entered_at_is_the_moment_of_the_move(sme, am):
    long_ago = datetime.datetime(2025, 11, 3, 9, 30, tzinfo=datetime.UTC)
    sme = put_in(sme, ENQUIRY, stage_entered_at=long_ago)
    before = timezone.now()
    change = sme_transition(sme=sme, name="start_screening", by=am)
    after = timezone.now()
    sme = SME.objects.get(pk=sme.pk)
    assert before <= sme.stage_entered_at <= after
    assert change.at == sme.stage_entered_at
    assert StageChange.objects.get(pk=change.pk).at == sme.stage_entered_at


def test_a_refused_transition_leaves_the_clock_alone(sme, am):
    long_ago = datetime.datetime(2025, 11, 3, 9, 30, tzinfo=datetime.UTC)
    sme = put_in(sme, ASSESSMENT, stage_entered_at=long_ago)
    refused(sme, "enrol", am)
    assert SME.objects.get(pk=sme.pk).stage_entered_at == long_ago


# --- Language -----------------------------------------------------------------------------------


def _scenarios(world):
    """scenario -> (transition, places the SME, who fires, kwargs, the English message, the same through gettext)."""
    am, lm = world.people["am_primary"], world.people["lm_own"]
    return {
        "reason": (
            "pause",
            lambda: put_in(world.sme, PLANNING),
            am,
            {},
            "Please give the reason for this step.",
            lambda: gettext("Please give the reason for this step."),
        ),
        "role": (
            "start_screening",
            lambda: put_in(world.sme, ENQUIRY),
            world.people["sme_user"],
            {},
            "You may not move this SME along its journey.",
            lambda: gettext("You may not move this SME along its journey."),
        ),
        "source": (
            "enrol",
            lambda: put_in(world.sme, PLANNING),
            am,
            {},
            "“Enrol: start onboarding” is not possible while the SME is at the “Planning” stage.",
            lambda: (
                gettext("“%(step)s” is not possible while the SME is at the “%(stage)s” stage.")
                % {"step": gettext("Enrol: start onboarding"), "stage": gettext("Planning")}
            ),
        ),
        "not_available": (
            "start_planning",
            lambda: put_in(world.sme, DATA_COLLECTION),
            lm,
            {},
            "Not available yet: “at least 30 days of order data from a connected source” is recorded by the "
            "data connectors part of the platform, which is not in place yet.",
            lambda: (
                gettext(
                    "Not available yet: “%(what)s” is recorded by the %(part)s part of the platform, "
                    "which is not in place yet."
                )
                % {
                    "what": gettext("at least 30 days of order data from a connected source"),
                    "part": gettext("data connectors"),
                }
            ),
        ),
    }


@pytest.mark.parametrize("scenario", ["reason", "role", "source", "not_available"])
def test_messages_are_in_the_active_language(world, scenario):
    name, place, person, kwargs, english, through_gettext = _scenarios(world)[scenario]
    with translation.override("en"):
        error = refused(place(), name, person, **kwargs)
        assert str(error) == english
    with translation.override("fr"):
        error = refused(place(), name, person, **kwargs)
        message = str(error)
        assert isinstance(message, str) and message
        # Whatever the French catalogue holds today, the message is the catalogue's.
        assert message == through_gettext()


# --- Concurrency --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second_name", "second_reason"),
    [("start_screening", ""), ("withdraw", "Changed their mind."), ("pause", "Holiday.")],
)
def test_a_concurrent_move_is_refused(sme, am, lm, second_name, second_reason):
    first = SME.objects.get(pk=sme.pk)
    second = SME.objects.get(pk=sme.pk)
    assert first.stage == second.stage == ENQUIRY

    sme_transition(sme=first, name="start_screening", by=am)
    with translation.override("en"):
        error = refused(second, second_name, lm, reason=second_reason)
    assert "Someone else moved this SME" in str(error)
    assert "“Screening”" in str(error)
    assert StageChange.objects.filter(sme=sme).count() == 1
    assert db_stage(sme) == SCREENING
    assert second.stage == SCREENING  # the page can show the stage that won


# --- The options offered ------------------------------------------------------------------------

# (stage, role) -> {transition: (target, failing condition keys, can_override)}
EXPECTED_OPTIONS = {
    (ASSESSMENT, "am_primary"): {
        "enrol": (ONBOARDING, ["first_consultation_held"], N),
        "decline": (DECLINED, [], N),
        "pause": (PAUSED, [], N),
        "withdraw": (WITHDRAWN, [], N),
    },
    (ASSESSMENT, "collaborator"): {
        "enrol": (ONBOARDING, ["first_consultation_held"], N),
        "decline": (DECLINED, [], N),
        "pause": (PAUSED, [], N),
        "withdraw": (WITHDRAWN, [], N),
    },
    (ASSESSMENT, "lm_own"): {
        "enrol": (ONBOARDING, ["first_consultation_held"], Y),
        "decline": (DECLINED, [], N),
        "pause": (PAUSED, [], N),
        "withdraw": (WITHDRAWN, [], N),
    },
    (ASSESSMENT, "coordinator"): {
        "enrol": (ONBOARDING, ["first_consultation_held"], Y),
        "decline": (DECLINED, [], N),
        "pause": (PAUSED, [], N),
        "withdraw": (WITHDRAWN, [], N),
    },
    (ASSESSMENT, "sme_user"): {},
    (ASSESSMENT, "am_other"): {},
    (ASSESSMENT, "lm_other"): {},
    (ASSESSMENT, "inactive_am"): {},
    (SCREENING, "am_primary"): {
        "pass_screening": (ASSESSMENT, ["screening_eligible"], N),
        "fail_screening": (INELIGIBLE, ["screening_ineligible"], N),
        "pause": (PAUSED, [], N),
        "withdraw": (WITHDRAWN, [], N),
    },
    (PAUSED, "am_primary"): {"resume": (RESUME_TO, [], N), "withdraw": (WITHDRAWN, [], N)},
    (PAUSED, "coordinator"): {"resume": (RESUME_TO, [], N), "withdraw": (WITHDRAWN, [], N)},
    (WITHDRAWN, "am_primary"): {},
    (WITHDRAWN, "lm_own"): {},
    (WITHDRAWN, "coordinator"): {"reopen": (RESUME_TO, [], N)},
    (COMPLETED, "coordinator"): {"reopen": (RESUME_TO, [], N)},
    (AFTERCARE, "lm_own"): {
        "complete": (COMPLETED, ["programme_ended"], Y),
        "pause": (PAUSED, [], N),
        "withdraw": (WITHDRAWN, [], N),
    },
}


@pytest.mark.parametrize(("stage", "role"), list(EXPECTED_OPTIONS), ids=[f"{s}-{r}" for s, r in EXPECTED_OPTIONS])
def test_transition_options(world, stage, role):
    user = world.people[role]
    extra = {"primary_account_manager": user} if role == "inactive_am" else {}
    sme = put_in(world.sme, stage, **extra)
    options = sme_transition_options(sme=sme, user=user)
    got = {option.name: (option.target, [f.key for f in option.failures], option.can_override) for option in options}
    assert got == EXPECTED_OPTIONS[(stage, role)]
    for option in options:
        assert option.ready is (not option.failures)
        assert all(f.message for f in option.failures)


def test_options_follow_a_registered_check(sme, am, registry):
    sme = put_in(sme, ASSESSMENT)
    hooks.register(hooks.CONDITION_CHECKS, lambda: {"first_consultation_held": lambda sme: None})
    [enrol] = [option for option in sme_transition_options(sme=sme, user=am) if option.name == "enrol"]
    assert enrol.ready and enrol.failures == [] and not enrol.can_override


def test_an_unknown_transition_is_refused(sme, coordinator):
    error = refused(sme, "fly_to_the_moon", coordinator, reason=REASON, override=True)
    assert error.messages == ["Unknown journey step."]
