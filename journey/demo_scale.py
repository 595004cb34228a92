"""A national-size programme on top of the demo: ``load_demo --scale N`` (issue 22).

``load(n)`` adds ``n`` generated SMEs (``scale-0001`` …) over the two launchpads, 40
account managers (20 a launchpad), one SME user each, and each SME's journey so far: its
stage, spread over every stage of the journey, with the stage log that led there, its
screening checklist and its main contact. Seeded by the SME's number, so the same ``n``
builds the same programme; re-running creates only what is missing (SMEs are found by
slug, people by e-mail). Rows are written with ``bulk_create``, a few queries per kind
whatever ``n`` is: at 1,000 SMEs the journey part takes seconds.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .demo import DEMO_PASSWORD
from .models import (
    SME,
    Assessment,
    CompanySize,
    ContactPerson,
    Launchpad,
    MarketOrientation,
    Role,
    ScreeningChecklist,
    Sector,
    ShopPlatform,
    Stage,
    StageChange,
    User,
)

SLUG_PREFIX = "scale-"
MANAGERS_PER_LAUNCHPAD = 20
MANAGER_DOMAIN = "scale.e-channel.example"

# The transitions that lead to each stage, from enquiry.
_ENROLLED_PATH = ["start_screening", "pass_screening", "enrol"]
_ACTIVE_PATH = [*_ENROLLED_PATH, "finish_onboarding", "start_planning", "start_intensive", "start_growth_review",
                "start_aftercare"]  # fmt: skip
PATHS = {
    Stage.ENQUIRY: [],
    Stage.SCREENING: ["start_screening"],
    Stage.ASSESSMENT: ["start_screening", "pass_screening"],
    Stage.INELIGIBLE: ["start_screening", "fail_screening"],
    Stage.DECLINED: ["start_screening", "pass_screening", "decline"],
    Stage.ONBOARDING: _ACTIVE_PATH[:3],
    Stage.DATA_COLLECTION: _ACTIVE_PATH[:4],
    Stage.PLANNING: _ACTIVE_PATH[:5],
    Stage.INTENSIVE: _ACTIVE_PATH[:6],
    Stage.GROWTH_REVIEW: _ACTIVE_PATH[:7],
    Stage.AFTERCARE: _ACTIVE_PATH,
    Stage.COMPLETED: [*_ACTIVE_PATH, "complete"],
}
# How a generated programme is spread over the journey (relative weights): most SMEs are
# enrolled and working, a tail is new, closed or paused.
STAGE_WEIGHTS = {
    Stage.ENQUIRY: 5, Stage.SCREENING: 4, Stage.ASSESSMENT: 3, Stage.INELIGIBLE: 3, Stage.DECLINED: 2,
    Stage.ONBOARDING: 8, Stage.DATA_COLLECTION: 14, Stage.PLANNING: 8, Stage.INTENSIVE: 18,
    Stage.GROWTH_REVIEW: 8, Stage.AFTERCARE: 12, Stage.COMPLETED: 6, Stage.PAUSED: 4, Stage.WITHDRAWN: 5,
}  # fmt: skip
# Paused and withdrawn SMEs left from one of these.
_LEFT_FROM = [Stage.ONBOARDING, Stage.DATA_COLLECTION, Stage.PLANNING, Stage.INTENSIVE]
_MEETS_ALL = {name: Assessment.MEETS for name in ScreeningChecklist.CRITERIA}

FIRST_WORDS = ["Atlantic", "Highland", "Riverside", "Northern", "Coastal", "Valley", "Harbour", "Meadow",
               "Granite", "Oakwood", "Lantern", "Saltmarsh", "Heather", "Copper", "Willow", "Beacon", "Ridge",
               "Orchard"]  # fmt: skip
SECOND_WORDS = {
    Sector.FOOD_DRINK: "Foods", Sector.FASHION: "Apparel", Sector.HOME_GIFTS: "Homeware",
    Sector.HEALTH_BEAUTY: "Botanicals", Sector.CRAFTS: "Crafts", Sector.SPORTS_OUTDOOR: "Outdoor",
    Sector.INDUSTRIAL: "Tools", Sector.ELECTRONICS: "Electronics", Sector.MARINE: "Marine",
    Sector.BOOKS_MEDIA: "Press",
}  # fmt: skip
FIRST_NAMES = ["Alex", "Sam", "Jo", "Chris", "Morgan", "Claude", "Dominique", "Camille", "Robin", "Charlie"]
LAST_NAMES = ["Smith", "Martin", "Jones", "Bernard", "Taylor", "Dubois", "Brown", "Petit", "Wilson", "Durand"]


@dataclass(frozen=True)
class Plan:
    """One generated SME before it is written: its number and the journey it took."""

    number: int
    slug: str
    launchpad: str
    steps: list[str]
    started_days_ago: int


def slug_for(number: int) -> str:
    return f"{SLUG_PREFIX}{number:04d}"


def _plan(number: int) -> Plan:
    rng = random.Random(f"scale-journey-{number}")  # noqa: S311 — demo data, seeded for repeatability
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    if stage in (Stage.PAUSED, Stage.WITHDRAWN):
        steps = [*PATHS[rng.choice(_LEFT_FROM)], "pause" if stage == Stage.PAUSED else "withdraw"]
    else:
        steps = list(PATHS[stage])
    # Further journeys began longer ago: about seven weeks a step, give or take.
    days = rng.randrange(5, 40) + sum(rng.randrange(20, 70) for _ in steps)
    return Plan(number, slug_for(number), "uk" if number % 2 else "fr", steps, days)


def account_managers(launchpads: dict[str, Launchpad]) -> dict[str, list[User]]:
    """The scale demo's 40 account managers (20 a launchpad), created once; by launchpad code."""
    password = make_password(DEMO_PASSWORD)
    wanted = {}
    for code, launchpad in launchpads.items():
        for index in range(1, MANAGERS_PER_LAUNCHPAD + 1):
            rng = random.Random(f"scale-manager-{code}-{index}")  # noqa: S311
            wanted[f"am{index:02d}@{code}.{MANAGER_DOMAIN}"] = User(
                email=f"am{index:02d}@{code}.{MANAGER_DOMAIN}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)} {index:02d}",
                role=Role.ACCOUNT_MANAGER,
                launchpad=launchpad,
                password=password,
                preferred_language=launchpad.language,
            )
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    User.objects.bulk_create([user for email, user in wanted.items() if email not in existing])
    managers = {code: [] for code in launchpads}
    for user in User.objects.filter(email__in=wanted).select_related("launchpad").order_by("email"):
        managers[user.launchpad.code].append(user)
    return managers


@transaction.atomic
def load(n: int, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Add the generated SMEs 1 … ``n`` that are missing, with their people and journeys.

    Needs the normal demo's programme and launchpads (``journey.demo.load``). Returns how
    many SMEs and stage changes were created this time.
    """
    now = now or timezone.now()
    launchpads = {launchpad.code: launchpad for launchpad in Launchpad.objects.all()}
    managers = account_managers(launchpads)
    existing = set(SME.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
    plans = [_plan(number) for number in range(1, n + 1) if slug_for(number) not in existing]
    password = make_password(DEMO_PASSWORD)
    smes = []
    for plan in plans:
        rng = random.Random(f"scale-sme-{plan.number}")  # noqa: S311
        launchpad = launchpads[plan.launchpad]
        sector = rng.choice(list(SECOND_WORDS))
        sme = SME(
            name=f"{rng.choice(FIRST_WORDS)} {SECOND_WORDS[sector]} {plan.number:04d}",
            slug=plan.slug,
            launchpad=launchpad,
            country=launchpad.country,
            sector=sector,
            market_orientation=rng.choice(MarketOrientation.values),
            size=rng.choices(CompanySize.values, weights=[6, 3, 1])[0],
            website=f"https://www.{plan.slug}.example",
            shop_platform=rng.choice([ShopPlatform.SHOPIFY, ShopPlatform.WOOCOMMERCE, ShopPlatform.PRESTASHOP]),
            primary_account_manager=managers[plan.launchpad][(plan.number // 2) % MANAGERS_PER_LAUNCHPAD],
        )
        # The journey, replayed on the unsaved instance: the state machine sets stage and resume stage.
        for step in plan.steps:
            getattr(sme, step)()
        sme.stage_entered_at = _step_times(plan, now)[-1] if plan.steps else now - datetime.timedelta(days=3)
        smes.append(sme)
    SME.objects.bulk_create(smes)  # primary keys set on PostgreSQL and SQLite alike
    changes, checklists, contacts, users = [], [], [], []
    for plan, sme in zip(plans, smes, strict=True):
        rng = random.Random(f"scale-people-{plan.number}")  # noqa: S311
        manager = sme.primary_account_manager
        replay = SME(stage=Stage.ENQUIRY)
        for step, at in zip(plan.steps, _step_times(plan, now), strict=True):
            before = replay.stage
            getattr(replay, step)()
            changes.append(
                StageChange(sme=sme, transition=step, from_stage=before, to_stage=replay.stage, by=manager, at=at)
            )
        if plan.steps[1:2] in (["pass_screening"], ["fail_screening"]):
            values = dict(_MEETS_ALL)
            if plan.steps[1] == "fail_screening":
                values["location"] = Assessment.DOES_NOT_MEET
            checklists.append(ScreeningChecklist(sme=sme, updated_by=manager, **values))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first.lower()}@{sme.slug}.example"
        contacts.append(
            ContactPerson(sme=sme, name=f"{first} {last}", job_title="Director", email=email, is_primary=True)
        )
        users.append(
            User(
                email=email,
                first_name=first,
                last_name=last,
                role=Role.SME_USER,
                sme=sme,
                password=password,
                preferred_language=sme.launchpad.language,
            )
        )
    StageChange.objects.bulk_create(changes, batch_size=2000)
    ScreeningChecklist.objects.bulk_create(checklists, batch_size=2000)
    ContactPerson.objects.bulk_create(contacts, batch_size=2000)
    User.objects.bulk_create(users, batch_size=2000)
    # A few SMEs bring in an account manager from the other launchpad.
    through = SME.collaborators.through
    other = {"uk": "fr", "fr": "uk"}
    through.objects.bulk_create(
        [
            through(sme_id=sme.pk, user_id=managers[other[plan.launchpad]][plan.number % 7].pk)
            for plan, sme in zip(plans, smes, strict=True)
            if plan.number % 20 == 0
        ]
    )
    return {"smes": len(smes), "stage_changes": len(changes)}


def _step_times(plan: Plan, now: datetime.datetime) -> list[datetime.datetime]:
    """When each step of the plan happened: spread from its start until a few days ago."""
    if not plan.steps:
        return []
    start = now - datetime.timedelta(days=plan.started_days_ago)
    span = (plan.started_days_ago - 3) / len(plan.steps)
    return [
        start + datetime.timedelta(days=span * (index + 1), hours=plan.number % 9) for index in range(len(plan.steps))
    ]


def scale_smes():
    """The generated SMEs, in number order."""
    return SME.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug")
