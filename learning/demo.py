"""Demo learning: the course index, the four toolkit courses, the badge classes, and some progress.

``load()`` is idempotent: what exists (an editor may have changed it) is left alone, what
is missing is created. The demo SMEs' users have followed the courses their journey stage
suggests, so the SME pages, "my badges" and the unlocked tools show something real.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from journey.models import SME, Role, Stage, StageChange, User
from toolkit.models import ToolAccess

from . import demo_content, services
from .models import BadgeAward, BadgeClass, CourseIndexPage, CoursePage, Criterion, Enrolment, LessonPage, QuizPage

# Which courses the demo SMEs' users have completed, by stage (a started one follows).
COMPLETED_BY_STAGE = {
    Stage.DATA_COLLECTION: [],
    Stage.PLANNING: ["inventory-basics"],
    Stage.INTENSIVE: ["inventory-basics", "market-assessment"],
    Stage.GROWTH_REVIEW: ["inventory-basics", "market-assessment", "profit-and-cost"],
    Stage.AFTERCARE: ["inventory-basics", "market-assessment", "profit-and-cost", "business-growth"],
    Stage.COMPLETED: ["inventory-basics", "market-assessment", "profit-and-cost", "business-growth"],
}
COURSE_ORDER = [course["slug"] for course in demo_content.COURSES]


def _fields(**content: dict[str, str]) -> dict[str, str]:
    """``title={"en": …, "fr": …}`` → ``{"title_en": …, "title_fr": …}``."""
    return {f"{name}_{language}": value for name, texts in content.items() for language, value in texts.items()}


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _questions(quiz: dict, language: str) -> list:
    return [
        (
            "question",
            {
                "prompt": item["prompt"][language],
                "multiple": item["multiple"],
                "choices": [
                    {"text": english if language == "en" else french, "correct": right}
                    for english, french, right in item["choices"]
                ],
                "explanation": item["explanation"][language],
            },
        )
        for item in quiz["questions"]
    ]


def _badges() -> dict[str, BadgeClass]:
    badges = {}
    for data in demo_content.BADGES:
        badge = BadgeClass.objects.filter(slug=data["slug"]).first()
        if badge is None:
            badge = BadgeClass.objects.create(
                slug=data["slug"],
                colour=data["colour"],
                opens_tool=data["opens_tool"],
                valid_for_days=data.get("valid_for_days"),
                **_fields(name=data["name"], description=data["description"], criteria_text=data["criteria"]),
            )
        badges[data["slug"]] = badge
    return badges


def _criteria(badges: dict[str, BadgeClass], courses: dict[str, CoursePage]) -> None:
    for data in demo_content.BADGES:
        badge = badges[data["slug"]]
        if badge.criteria.exists():
            continue
        for kind, extra in data["rules"]:
            extra = dict(extra)
            held = [badges[slug] for slug in extra.pop("badges", [])]
            if "course" in extra:
                extra["course"] = courses[extra["course"]]
            rule = Criterion(badge_class=badge, kind=kind, **extra)
            rule.badges.set(held)
            rule.save()


def _course(index: CourseIndexPage, data: dict, badge: BadgeClass) -> CoursePage:
    existing = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    course = _publish(
        index,
        CoursePage(
            slug=data["slug"],
            audience=data["audience"],
            estimated_minutes=data["minutes"],
            badge=badge,
            **_fields(title=data["title"], summary=data["summary"]),
        ),
    )
    for item in data["lessons"]:
        _publish(
            course,
            LessonPage(
                slug=item["slug"],
                estimated_minutes=item["minutes"],
                body_en=item["body"]["en"],
                body_fr=item["body"]["fr"],
                **_fields(title=item["title"]),
            ),
        )
    quiz = data["quiz"]
    _publish(
        course,
        QuizPage(
            slug="quiz",
            pass_mark=quiz["pass_mark"],
            questions_en=_questions(quiz, "en"),
            questions_fr=_questions(quiz, "fr"),
            title_en="Check what you learnt",
            title_fr="Vérifiez vos acquis",
            intro_en="A few questions; the explanations come after you answer.",
            intro_fr="Quelques questions\u00a0; les explications s'affichent après vos réponses.",
        ),
    )
    return course


def _right_answers(quiz: QuizPage) -> list[list[int]]:
    return [
        [index for index, choice in enumerate(block.value["choices"]) if choice["correct"]] for block in quiz.questions
    ]


def _follow(user: User, course: CoursePage, *, complete: bool) -> None:
    """The user's demo progress: the whole course with a passed quiz, or its first lesson."""
    enrolment = services.enrolment_start(user=user, course=course)
    lessons = list(course.lessons())
    for lesson in lessons if complete else lessons[:1]:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    quiz = course.quiz()
    if complete and quiz and not enrolment.attempts.filter(quiz=quiz, passed=True).exists():
        services.quiz_attempt_submit(enrolment=enrolment, quiz=quiz, answers=_right_answers(quiz), language="en")


def _progress(courses: dict[str, CoursePage]) -> int:
    followed = 0
    for sme in SME.objects.filter(stage__in=list(COMPLETED_BY_STAGE)).order_by("pk"):
        user = User.objects.filter(sme=sme, role=Role.SME_USER, is_active=True).order_by("pk").first()
        if user is None:
            continue
        done = COMPLETED_BY_STAGE[sme.stage]
        for slug in done:
            _follow(user, courses[slug], complete=True)
        if len(done) < len(COURSE_ORDER):
            _follow(user, courses[COURSE_ORDER[len(done)]], complete=False)
        followed += 1
    return followed


def _date_history(enrolments, awards) -> None:
    """Date what this load created as the SMEs' journeys say it happened, so past quarterly reviews count it.

    A course listed for a stage in ``COMPLETED_BY_STAGE`` was completed a few days before the
    SME first entered that stage; a course badge was awarded on completion, other badges on
    the SME's latest completion (or when it entered its current stage).
    """
    now = timezone.now()
    entered: dict[int, dict[str, datetime.datetime]] = {}
    for sme_id, stage, at in StageChange.objects.order_by("at").values_list("sme_id", "to_stage", "at"):
        entered.setdefault(sme_id, {}).setdefault(stage, at)
    first_stage = {}
    for stage, slugs in COMPLETED_BY_STAGE.items():
        for slug in slugs:
            first_stage.setdefault(slug, stage)
    completed: dict[tuple[int, int], datetime.datetime] = {}
    for enrolment in enrolments.select_related("course"):
        stage_at = entered.get(enrolment.sme_id, {}).get(first_stage.get(enrolment.course.slug))
        if enrolment.completed_at and stage_at:
            enrolment.completed_at = min(stage_at - datetime.timedelta(days=3), now)
            enrolment.enrolled_at = enrolment.completed_at - datetime.timedelta(days=12)
            completed[(enrolment.sme_id, enrolment.course.badge_id)] = enrolment.completed_at
        elif not enrolment.completed_at:
            enrolment.enrolled_at = now - datetime.timedelta(days=6)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=enrolment.enrolled_at, completed_at=enrolment.completed_at
        )
    latest: dict[int, datetime.datetime] = {}
    for (sme_id, _badge), at in completed.items():
        latest[sme_id] = max(at, latest.get(sme_id, at))
    for award in awards.select_related("sme", "badge_class"):
        at = completed.get((award.sme_id, award.badge_class_id)) or latest.get(award.sme_id)
        at = min(at or award.sme.stage_entered_at, now)
        # The demo's awards are history: their holders were told when they earned them.
        BadgeAward.objects.filter(pk=award.pk).update(awarded_at=at, earned_email_sent_at=at)
        if award.badge_class.opens_tool:
            ToolAccess.objects.filter(sme=award.sme_id, tool=award.badge_class.opens_tool, via="badge").update(
                opened_at=at
            )


@transaction.atomic
def load() -> dict[str, int]:
    """Create the course index under the default site's home page, the four courses, the badges, and progress."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site else Page.get_first_root_node()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = _publish(
            home,
            CourseIndexPage(
                slug=demo_content.INDEX["slug"],
                **_fields(title=demo_content.INDEX["title"], intro=demo_content.INDEX["intro"]),
            ),
        )
    badges = _badges()
    courses = {data["slug"]: _course(index, data, badges[data["badge"]]) for data in demo_content.COURSES}
    _criteria(badges, courses)
    enrolments_before = set(Enrolment.objects.values_list("pk", flat=True))
    awards_before = set(BadgeAward.objects.values_list("pk", flat=True))
    followed = _progress(courses)
    # Badges for what the demo SMEs have done and for their data (their reports exist already).
    awarded = sum(len(services.badges_evaluate(sme=sme)) for sme in SME.objects.order_by("pk"))
    _date_history(Enrolment.objects.exclude(pk__in=enrolments_before), BadgeAward.objects.exclude(pk__in=awards_before))
    return {
        "courses": len(courses),
        "badges": len(badges),
        "learners": followed,
        "enrolments": Enrolment.objects.count(),
        "awarded": awarded,
    }
